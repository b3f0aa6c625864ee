import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// `report --html`: one self-contained page with every run, its gates and decision, the DORA
/// charts and the chain; user text escaped; and it renders in a real browser.
@Suite struct AuditPageTests {
    static let hostileReason = "<script>alert('x')</script> & \"quoted\" <img src=x onerror=alert(1)>"

    /// Candidate 1 released, candidate 2 decided NO on a failed browser smoke, then candidate 1
    /// replayed with a reason a person typed.
    static func knownLedger() -> CLIHarness {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        cli.prepare(2)
        cli.promote(2, browser: "failed")
        cli.expectSuccess(cli.run(["replay", "--sha", Fixtures.sha(1), "--reason", hostileReason]))
        cli.promote(1)
        return cli
    }

    static func report(_ cli: CLIHarness) throws -> String {
        let result = cli.run(["report", "--html", "--out", "report.html"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "wrote report.html\n")
        return try String(contentsOfFile: cli.folder + "/report.html", encoding: .utf8)
    }

    @Test func thePageShowsEveryRunWithItsGatesDecisionAndTheChainHead() throws {
        let cli = Self.knownLedger()
        #expect(cli.setupFailures.isEmpty, "\(cli.setupFailures)")
        let page = try Self.report(cli)
        let sha1 = Fixtures.sha(1)
        let sha2 = Fixtures.sha(2)
        #expect(page.contains("data-sha=\"\(sha1)\" data-run=\"1\" data-decision=\"YES\""))
        #expect(page.contains("data-sha=\"\(sha1)\" data-run=\"2\" data-decision=\"YES\""))
        #expect(page.contains("data-sha=\"\(sha2)\" data-run=\"1\" data-decision=\"NO\""))
        #expect(page.contains("<td>smoke</td><td>yes</td><td><span class=\"badge bad\">failed</span></td>"))
        #expect(page.contains("<td>smoke-browser</td>"))
        // The chain head the page names is the one verify reports, and it says verified.
        let verify = cli.run(["verify", "--json"])
        let head = try #require(
            try JSONParser.parse(verify.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["head"])
        #expect(
            page.contains("<code id=\"chain-head\">\(head["position"]!.intValue!):\(head["hash"]!.stringValue!)</code>")
        )
        #expect(page.contains("id=\"verify-status\" data-ok=\"true\""))
        // DORA charts are inline SVG; released and serving tables list both candidates.
        for chart in ["chart-decisions", "chart-lead-time", "chart-restore"] {
            #expect(page.contains("<svg id=\"\(chart)\""))
        }
        #expect(page.contains("<table id=\"released\">"))
        #expect(page.contains(Fixtures.digest("web", 2)))
    }

    @Test func userTextIsEscapedAndThePageLoadsNothingFromOutside() throws {
        let page = try Self.report(Self.knownLedger())
        #expect(
            page.contains(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &lt;img src=x onerror=alert(1)&gt;"
            ))
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<link"))
        // The only src= is the escaped reason's text.
        #expect(page.components(separatedBy: "src=").count == page.components(separatedBy: "&lt;img src=").count)
        #expect(!page.contains("@import") && !page.contains("url("))
        #expect(escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
    }

    @Test func theSamePageForTheSameLedgerAndAnEmptyLedgerRenders() throws {
        let cli = Self.knownLedger()
        let first = try Self.report(cli)
        #expect(try Self.report(cli) == first)
        let empty = CLIHarness()
        #expect(empty.run(["init"]).exitCode == 0)
        let page = try Self.report(empty)
        #expect(page.contains("No candidate recorded yet."))
        #expect(empty.run(["report", "--candidates", "0"]).exitCode == 64)
    }

    @Test func anEditedLedgerIsShownAsFailingVerifyWithThePosition() throws {
        let (verify, cli) = try TamperingTests.tamper(
            "UPDATE events SET data = replace(data, 'passed', 'failed') WHERE position = 10;")
        #expect(verify.exitCode == 4)
        let page = try Self.report(cli)
        #expect(page.contains("id=\"verify-status\" data-ok=\"false\""))
        #expect(page.contains("verify FAILED at position 10"))
    }

    // MARK: In a real browser

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func runChromium(_ arguments: [String], folder: String) throws -> (status: Int32, stdout: String) {
        // Root in a container needs --no-sandbox; a profile of its own lets tests run side by side.
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder)/chromium-profile"]
        let result = try ExternalProgram.run(chromium!, flags + arguments, standardError: .discarded)
        return (result.exitCode, result.stdout)
    }

    @Test(
        .enabled(
            if: chromium != nil,
            "chromium is not installed here (Debian: apt-get install chromium); .ci/run installs it"))
    func thePageRendersInHeadlessChromiumWithEveryRun() throws {
        let cli = Self.knownLedger()
        _ = try Self.report(cli)
        let url = "file://" + cli.folder + "/report.html"
        let dom = try Self.runChromium(["--dump-dom", url], folder: cli.folder)
        #expect(dom.status == 0)
        // What the browser built from the page, not the bytes written: each run is an element.
        #expect(
            dom.stdout.contains(
                "<div class=\"run\" data-sha=\"\(Fixtures.sha(1))\" data-run=\"2\" data-decision=\"YES\">"))
        #expect(
            dom.stdout.contains(
                "<div class=\"run\" data-sha=\"\(Fixtures.sha(2))\" data-run=\"1\" data-decision=\"NO\">"))
        #expect(dom.stdout.contains("<svg id=\"chart-decisions\""))
        #expect(!dom.stdout.contains("<script"), "the hostile reason stayed text")

        let png = cli.folder + "/report.png"
        let shot = try Self.runChromium(["--screenshot=\(png)", "--window-size=1280,1600", url], folder: cli.folder)
        #expect(shot.status == 0)
        let bytes = try #require(FileManager.default.contents(atPath: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        // A blank 1280x1600 page compresses to a few KB; text, tables and charts do not.
        #expect(bytes.count > 20_000, "\(bytes.count) bytes")
    }
}
