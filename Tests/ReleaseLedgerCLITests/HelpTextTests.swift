import ArgumentParser
import ReleaseLedgerCLI
import Testing

/// Help that a person copies from: examples whole, mistakes answered with the nearest right word.
@Suite struct HelpTextTests {
    static let commands = ReleaseLedger.configuration.subcommands.map { $0._commandName }

    @Test(arguments: commands)
    func examplesAreNeverWrappedInTheMiddleOfACommand(_ name: String) throws {
        let command = try #require(ReleaseLedger.configuration.subcommands.first { $0._commandName == name })
        let help = CLIHarness().run(["help", name])
        #expect(help.exitCode == 0)
        let shown = Set(help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        // Example lines: a command, its continuation lines and their comments.
        let examples = command.configuration.discussion.split(separator: "\n").filter { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.contains("release-ledger ")
                || (line.hasPrefix(" ") && (text.hasPrefix("--") || text.hasPrefix("#")))
        }
        for example in examples {
            let line = example.trimmingCharacters(in: .whitespaces)
            #expect(shown.contains(line), "\(name): the example '\(line)' is wrapped in its help")
        }
    }

    @Test func aMistypedCommandGetsTheNearestOne() {
        let result = CLIHarness().run(["frezee", "--sha", "x"])
        #expect(result.exitCode == 64)
        #expect(result.stderr == "release-ledger: error: unknown command 'frezee'; did you mean 'freeze'?\n")
    }

    @Test func aMistypedOptionGetsTheNearestOneOfThatCommand() {
        let result = CLIHarness().run(["accept", "--verdcit", "YES"])
        #expect(result.exitCode == 64)
        #expect(
            result.stderr == "release-ledger: error: unknown option '--verdcit' for accept; did you mean '--verdict'?\n"
        )
        let far = CLIHarness().run(["deploy", "--colour", "blue"])
        #expect(far.stderr.contains("unknown option '--colour' for deploy; release-ledger help deploy lists them"))
    }

    @Test func anOptionValueThatLooksLikeAnOptionIsNotTakenForOne() {
        // `--reason --verdict` is a missing value or a reason, never "unknown option --verdict".
        let result = CLIHarness().run(["accept", "--sha", "x", "--verdict", "YES", "--reason", "--verdcit"])
        #expect(!result.stderr.contains("unknown option"))
    }

    @Test func completionScriptsCompleteTheEnumeratedValues() {
        let result = CLIHarness().run(["--generate-completion-script", "bash"])
        #expect(result.exitCode == 0)
        let lists = [
            ["succeeded", "failed"], ["passed", "failed"], ["YES", "NO"], ["approved", "rejected"],
            ["runtime", "infra", "identity", "requires-infra-convergence"], ["table", "json", "markdown"],
        ]
        for values in lists {
            // bash's form: -W 'a'$'\n''b'
            let form = values.map { "'\($0)'" }.joined(separator: "$'\\n'")
            #expect(result.stdout.contains(form), "the bash completion does not offer \(values)")
        }
    }
}
