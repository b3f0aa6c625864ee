import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

@Suite struct MaterializeTests {
    let sha = Fixtures.sha(1)

    func promoted() -> CLIHarness {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        return cli
    }

    @Test func writesTheRunbooksPaths() throws {
        let cli = promoted()
        let result = cli.run(["materialize", "--sha", sha, "--out", ".artifacts"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        for path in [
            "candidate/\(sha)/manifest.json", "release/\(sha)/decision.json",
            "production/\(sha)/deployment-record.json",
            "production/\(sha)/result.json", "deploy/\(sha)/delegated-smoke.json",
        ] {
            #expect(FileManager.default.fileExists(atPath: "\(cli.folder)/.artifacts/\(path)"), "\(path)")
        }
        // Rebuilding later gives the same bytes.
        let first = try Data(contentsOf: URL(fileURLWithPath: "\(cli.folder)/.artifacts/release/\(sha)/decision.json"))
        #expect(cli.run(["materialize", "--all", "--out", "again"]).exitCode == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(cli.folder)/again/release/\(sha)/decision.json")) == first)
    }

    @Test func checkNamesTheFileAndTheFirstDifferingField() throws {
        let cli = promoted()
        #expect(cli.run(["materialize", "--sha", sha, "--out", "out"]).exitCode == 0)
        #expect(cli.run(["materialize", "--sha", sha, "--out", "out", "--check"]).exitCode == 0)
        let path = "\(cli.folder)/out/release/\(sha)/decision.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacing("\"decision\": \"YES\"", with: "\"decision\": \"NO\"").write(
            toFile: path, atomically: true, encoding: .utf8)
        let edited = cli.run(["materialize", "--sha", sha, "--out", "out", "--check"])
        #expect(edited.exitCode == 4)
        #expect(edited.stderr.contains("release/\(sha)/decision.json"))
        #expect(edited.stderr.contains("at decision"))
        try text.replacing("\n", with: "").write(toFile: path, atomically: true, encoding: .utf8)
        let reformatted = cli.run(["materialize", "--sha", sha, "--out", "out", "--check"])
        #expect(reformatted.exitCode == 4)
        #expect(reformatted.stderr.contains("formatting"))
        try FileManager.default.removeItem(atPath: path)
        #expect(cli.run(["materialize", "--sha", sha, "--out", "out", "--check"]).stderr.contains("missing"))
    }

    @Test func usageErrors() {
        let cli = promoted()
        #expect(cli.run(["materialize", "--out", "x"]).exitCode == 64)
        #expect(cli.run(["materialize", "--all", "--sha", sha]).exitCode == 64)
        #expect(cli.run(["materialize", "--sha", sha, "--run", "7"]).exitCode == 64)
        #expect(cli.run(["materialize", "--sha", Fixtures.sha(9)]).exitCode == 64)
    }
}
