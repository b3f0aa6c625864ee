// release-ledger-bench: measures the ledger beside a C baseline on the same machine, in one run.
// tools/bench.sh builds everything and calls `run`; the other subcommands are its helpers.
import ArgumentParser

@main
struct ReleaseLedgerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release-ledger-bench",
        abstract: "The ledger beside a C baseline, in one run: prints one markdown table.",
        subcommands: [RunCommand.self, GenerateCommand.self, FoldCommand.self, ProfileCommand.self]
    )
}
