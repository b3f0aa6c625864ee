/// The audit page: one self-contained HTML document (inline CSS and SVG, no script, no external
/// asset, so it opens offline and can be handed on as one file). Every text that came from the
/// ledger is escaped: reasons, approvers and evidence links are user input.
///
/// Pure: the caller gathers the facts; the page carries no clock, so equal ledgers give equal bytes.
public struct AuditPage: Sendable {
    /// A successful deploy: what started serving, and when.
    public typealias Deploy = ServingApp

    public var candidates: [CandidateState]
    /// Runs decided YES, oldest first: what was released, and when.
    public var released: [RunSummary]
    /// Successful deploys, oldest first.
    public var deploys: [Deploy]
    /// Every decided run (any kind but acceptance), oldest first, for the charts.
    public var decided: [RunSummary]
    public var dora: DoraReport
    public var verification: VerificationReport
    /// The read model's problem, when the chain holds but the read model does not match.
    public var readModelProblem: String?

    public init(
        candidates: [CandidateState], released: [RunSummary], deploys: [Deploy], decided: [RunSummary],
        dora: DoraReport,
        verification: VerificationReport, readModelProblem: String?
    ) {
        self.candidates = candidates
        self.released = released
        self.deploys = deploys
        self.decided = decided
        self.dora = dora
        self.verification = verification
        self.readModelProblem = readModelProblem
    }

    public var isVerified: Bool { verification.isIntact && readModelProblem == nil }

    public func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Release ledger: audit page</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <h1>Release ledger</h1>

            """
        html += chainSection()
        html += nowSection()
        html += doraSection()
        html += timelineSection()
        html += productionSection()
        html += "</body>\n</html>\n"
        return html
    }

    // MARK: Sections

    func chainSection() -> String {
        let head = verification.head
        let status: String
        if let position = verification.firstBadPosition {
            status =
                "<span class=\"bad\">verify FAILED at position \(position): \(escape(verification.problem ?? "does not check out"))</span>"
        } else if let problem = verification.problem ?? readModelProblem {
            status = "<span class=\"bad\">verify FAILED: \(escape(problem))</span>"
        } else {
            status = "<span class=\"good\">verified: chain intact, read model matches the events</span>"
        }
        return """
            <section id="chain"><h2>Chain</h2>
            <p id="verify-status" data-ok="\(isVerified)">\(status)</p>
            <p>\(verification.eventCount) events; head <code id="chain-head">\(head.position):\(escape(head.hash))</code>
            (save it and check later with <code>release-ledger verify --anchor \(head.position):\(escape(head.hash))</code>)</p>
            </section>

            """
    }

    func nowSection() -> String {
        var rows = ""
        if let last = released.last {
            rows +=
                "<tr><th>released</th><td>\(shaCell(last.sha)) run \(last.run) (\(last.kind.rawValue))</td><td>\(time(last.decidedAt))</td></tr>\n"
        } else {
            rows += "<tr><th>released</th><td colspan=\"2\">nothing yet</td></tr>\n"
        }
        for app in ServingApp.apps {
            guard let deploy = deploys.last(where: { $0.app == app }) else { continue }
            rows +=
                "<tr><th>serving \(app)</th><td>\(shaCell(deploy.sha)) <code>\(escape(deploy.image))</code></td><td>\(time(deploy.at))</td></tr>\n"
        }
        return "<section id=\"now\"><h2>Now</h2>\n<table>\n\(rows)</table>\n</section>\n"
    }

    func doraSection() -> String {
        let report = dora
        func duration(_ ms: Int64?) -> String { ms.map(Self.duration) ?? "-" }
        let rate = report.changeFailureRate.map { "\(Self.fixed($0 * 100))%" } ?? "-"
        var html = """
            <section id="dora"><h2>DORA metrics</h2>
            <p>\(escape(report.since.description)) to \(escape(report.until.description))</p>
            <div class="tiles">
            <div class="tile"><b>\(Self.fixed(report.deploymentsPerDay))/day</b>deployment frequency (\(report.deployments) in \(Self.fixed(report.days)) days)</div>
            <div class="tile"><b>\(duration(report.leadTimeMedian))</b>lead time, median (p90 \(duration(report.leadTimeP90)))</div>
            <div class="tile"><b>\(rate)</b>change failure rate (\(report.failedRuns) of \(report.decidedRuns) runs)</div>
            <div class="tile"><b>\(duration(report.timeToRestoreMedian))</b>time to restore, median (\(report.restoreTimesMilliseconds.count) incidents)</div>
            </div>

            """
        html += decisionsChart()
        html += barChart(
            id: "chart-lead-time", title: "Lead time, freeze to YES, per promotion (hours)",
            values: report.leadTimesMilliseconds.map { Double($0) / 3_600_000 }, color: "#3b6fb6")
        html += barChart(
            id: "chart-restore", title: "Time to restore per incident (hours)",
            values: report.restoreTimesMilliseconds.map { Double($0) / 3_600_000 }, color: "#b86e1f")
        return html + "</section>\n"
    }

    func timelineSection() -> String {
        var html = "<section id=\"timeline\"><h2>Candidates</h2>\n"
        for candidate in candidates {
            html += candidateArticle(candidate)
        }
        if candidates.isEmpty { html += "<p>No candidate recorded yet.</p>\n" }
        return html + "</section>\n"
    }

    func candidateArticle(_ candidate: CandidateState) -> String {
        var html = "<article class=\"candidate\" id=\"candidate-\(escape(candidate.sha))\">\n"
        html += "<h3>\(shaCell(candidate.sha))</h3>\n<ul class=\"facts\">\n"
        if let frozen = candidate.frozen {
            let scopes = [
                ("runtime", frozen.scopes.runtime), ("infra", frozen.scopes.infra),
                ("identity", frozen.scopes.identity),
                ("requires-infra-convergence", frozen.scopes.requiresInfraConvergence),
            ].filter(\.1).map(\.0)
            html +=
                "<li>frozen \(time(frozen.event.at)): scopes \(escape(scopes.joined(separator: ", ")))\(frozen.migrationRequired ? ", migration required" : "")"
            html +=
                "; api <code>\(escape(frozen.images.api))</code>, web <code>\(escape(frozen.images.web))</code></li>\n"
        }
        if let acceptance = candidate.acceptance {
            html +=
                "<li>acceptance \(badge(acceptance.verdict.rawValue)) \(time(acceptance.event.at))\(acceptance.reason.map { ": " + escape($0) } ?? "")\(links(acceptance.evidence))</li>\n"
        }
        for (name, fact) in [("entra canary", candidate.canary), ("delegated probe", candidate.probe)] {
            guard let fact else { continue }
            html +=
                "<li>\(name) \(escape(fact.status.rawValue))\(fact.fresh == false ? " (stale)" : "") \(time(fact.event.at))</li>\n"
        }
        if let preflight = candidate.preflight {
            html += "<li>identity preflight \(escape(preflight.status.rawValue)): \(escape(preflight.reason))</li>\n"
        }
        html += "</ul>\n"
        for run in candidate.runs.reversed() { html += runBlock(run, sha: candidate.sha) }
        return html + "</article>\n"
    }

    func runBlock(_ run: RunState, sha: String) -> String {
        let decision = run.decision?.decision.rawValue ?? "OPEN"
        var html =
            "<div class=\"run\" data-sha=\"\(escape(sha))\" data-run=\"\(run.number)\" data-decision=\"\(escape(decision))\">\n"
        html += "<h4>run \(run.number) (\(run.kind.rawValue)) \(badge(decision)) opened \(time(run.opened.at))</h4>\n"
        var notes: [String] = []
        if let reason = run.reason {
            notes.append("requested\(run.requestedBy.map { " by " + escape($0) } ?? ""): \(escape(reason))")
        }
        if let replaces = run.replaces { notes.append("replaces \(escape(Self.short(replaces)))") }
        if run.forced { notes.append("forced") }
        if let approval = run.approval {
            notes.append("control plane \(escape(approval.rawValue))\(run.approver.map { " by " + escape($0) } ?? "")")
        }
        if !notes.isEmpty { html += "<p>\(notes.joined(separator: "; "))</p>\n" }
        if !run.steps.isEmpty {
            html +=
                "<table class=\"steps\"><tr><th>step</th><th>outcome</th><th>at</th><th>actor</th><th>position</th></tr>\n"
            for step in run.steps {
                html +=
                    "<tr><td>\(escape(Artifacts.stepName(step)))</td><td>\(badge(step.outcome))</td><td>\(time(step.event.at))</td>"
                html +=
                    "<td>\(escape(step.actor ?? "-"))</td><td>\(step.event.position)\(links(step.evidence))</td></tr>\n"
            }
            html += "</table>\n"
        }
        if let decided = run.decision {
            html +=
                "<p class=\"decision\">decided \(badge(decided.decision.rawValue)) \(time(decided.event.at))\(decided.actor.map { " by " + escape($0) } ?? ""): \(escape(decided.reason))</p>\n"
            html += "<table class=\"gates\"><tr><th>gate</th><th>required</th><th>status</th></tr>\n"
            for gate in decided.gates {
                html +=
                    "<tr><td>\(escape(gate.name))</td><td>\(gate.required ? "yes" : "no")</td><td>\(badge(gate.status.rawValue))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html + "</div>\n"
    }

    func productionSection() -> String {
        var html = "<section id=\"production\"><h2>Released and serving over time</h2>\n"
        html +=
            "<table id=\"released\"><caption>Released: runs decided YES</caption><tr><th>decided</th><th>candidate</th><th>run</th><th>kind</th></tr>\n"
        // The newest 200 rows: the page stays readable on a ledger of thousands of releases.
        for run in released.reversed().prefix(Self.tableRows) {
            html +=
                "<tr><td>\(time(run.decidedAt))</td><td>\(shaCell(run.sha))</td><td>\(run.run)</td><td>\(run.kind.rawValue)</td></tr>\n"
        }
        html += "</table>\n" + earlier(released.count)
        html +=
            "<table id=\"serving\"><caption>Serving: deploys that succeeded</caption><tr><th>at</th><th>app</th><th>image</th><th>candidate</th><th>run</th></tr>\n"
        for deploy in deploys.reversed().prefix(Self.tableRows) {
            html +=
                "<tr><td>\(time(deploy.at))</td><td>\(escape(deploy.app))</td><td><code>\(escape(deploy.image))</code></td>"
            html += "<td>\(shaCell(deploy.sha))</td><td>\(deploy.run.map(String.init) ?? "-")</td></tr>\n"
        }
        return html + "</table>\n" + earlier(deploys.count) + "</section>\n"
    }

    static let tableRows = 200

    func earlier(_ count: Int) -> String {
        count > Self.tableRows
            ? "<p>\(count - Self.tableRows) earlier rows not shown; <code>release-ledger history</code> lists them all.</p>\n"
            : ""
    }

    // MARK: Charts

    /// Decided runs per hour, day or week of the window (at most 90 bars): YES stacked under NO.
    func decisionsChart() -> String {
        let hourMs: Int64 = 3_600_000
        let dayMs = 24 * hourMs
        let span = dora.until.millisecondsSinceEpoch - dora.since.millisecondsSinceEpoch
        let (bucket, per) =
            span <= 2 * dayMs ? (hourMs, "hour") : span <= 90 * dayMs ? (dayMs, "day") : (7 * dayMs, "week")
        let first = dora.since.millisecondsSinceEpoch / bucket
        let last = max(first, (dora.until.millisecondsSinceEpoch - 1) / bucket)
        let count = Int(last - first) + 1
        var yes = Array(repeating: 0, count: count)
        var no = Array(repeating: 0, count: count)
        for run in decided {
            guard let at = run.decidedAt, at >= dora.since, at < dora.until else { continue }
            let index = min(count - 1, Int(at.millisecondsSinceEpoch / bucket - first))
            if run.decision == .yes { yes[index] += 1 } else { no[index] += 1 }
        }
        let width = 640.0
        let height = 140.0
        let top = Double(max(1, zip(yes, no).map { $0 + $1 }.max() ?? 1))
        let barWidth = width / Double(count)
        var bars = ""
        for index in 0..<count {
            let x = Double(index) * barWidth
            let yesHeight = Double(yes[index]) / top * (height - 20)
            let noHeight = Double(no[index]) / top * (height - 20)
            if yes[index] > 0 {
                bars +=
                    "<rect class=\"yes\" x=\"\(Self.fixed(x))\" y=\"\(Self.fixed(height - yesHeight))\" width=\"\(Self.fixed(max(1, barWidth - 1)))\" height=\"\(Self.fixed(yesHeight))\"><title>\(yes[index]) YES</title></rect>"
            }
            if no[index] > 0 {
                bars +=
                    "<rect class=\"no\" x=\"\(Self.fixed(x))\" y=\"\(Self.fixed(height - yesHeight - noHeight))\" width=\"\(Self.fixed(max(1, barWidth - 1)))\" height=\"\(Self.fixed(noHeight))\"><title>\(no[index]) NO</title></rect>"
            }
        }
        return """
            <figure><figcaption>Decisions per \(per): YES (green) and NO (red); \(Int(top)) at the top</figcaption>
            <svg id="chart-decisions" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" role="img">\
            <line x1="0" y1="\(Int(height))" x2="\(Int(width))" y2="\(Int(height))" stroke="#999"/>\(bars)</svg></figure>

            """
    }

    func barChart(id: String, title: String, values: [Double], color: String) -> String {
        let width = 640.0
        let height = 120.0
        guard !values.isEmpty else {
            return "<figure><figcaption>\(escape(title)): none in the window</figcaption></figure>\n"
        }
        let shown = values.suffix(90)
        let top = max(shown.max() ?? 1, 0.001)
        let barWidth = min(40, width / Double(shown.count))
        var bars = ""
        for (index, value) in shown.enumerated() {
            let barHeight = max(1, value / top * (height - 20))
            bars +=
                "<rect x=\"\(Self.fixed(Double(index) * barWidth))\" y=\"\(Self.fixed(height - barHeight))\" width=\"\(Self.fixed(max(1, barWidth - 2)))\" height=\"\(Self.fixed(barHeight))\" fill=\"\(color)\"><title>\(Self.fixed(value)) h</title></rect>"
        }
        return """
            <figure><figcaption>\(escape(title)); \(Self.fixed(top)) h at the top</figcaption>
            <svg id="\(id)" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" role="img">\
            <line x1="0" y1="\(Int(height))" x2="\(Int(width))" y2="\(Int(height))" stroke="#999"/>\(bars)</svg></figure>

            """
    }

    // MARK: Pieces

    func shaCell(_ sha: String) -> String { "<code title=\"\(escape(sha))\">\(escape(Self.short(sha)))</code>" }

    func time(_ at: Timestamp?) -> String { at.map { "<time>\(escape($0.description))</time>" } ?? "-" }

    func badge(_ word: String) -> String {
        let kind: String
        switch word {
        case "YES", "passed", "succeeded", "approved", "pass": kind = "good"
        case "NO", "failed", "rejected", "fail", "missing": kind = "bad"
        default: kind = "neutral"
        }
        return "<span class=\"badge \(kind)\">\(escape(word))</span>"
    }

    func links(_ evidence: [EvidenceLink]) -> String {
        evidence.map { " <a href=\"\(escape($0.url))\">\(escape($0.name))</a>" }.joined()
    }

    static func short(_ sha: String) -> String { String(sha.prefix(12)) }

    static func fixed(_ value: Double) -> String { String((value * 100).rounded() / 100) }

    static func duration(_ milliseconds: Int64) -> String {
        let minutes = milliseconds / 60_000
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes / 1440) d \(minutes % 1440 / 60) h"
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d1d1f;max-width:1200px}\
        h1{margin:0 0 8px}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}\
        table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}\
        caption{text-align:left;font-weight:600}code{font:12px ui-monospace,monospace}\
        .badge{border-radius:3px;padding:0 4px;font-weight:600}.good{color:#176b2c}.bad{color:#b3261e}.neutral{color:#555}\
        .badge.good{background:#dff3e4}.badge.bad{background:#fbe3e1}.badge.neutral{background:#eee}\
        .tiles{display:flex;gap:12px;flex-wrap:wrap}.tile{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:200px}\
        .tile b{display:block;font-size:20px}.candidate{border-left:3px solid #3b6fb6;padding-left:12px;margin:16px 0}\
        .run{margin:8px 0 8px 8px}.run h4{margin:4px 0}svg .yes{fill:#2e8b57}svg .no{fill:#c0392b}figure{margin:12px 0}
        """
}

/// Text for an HTML page: `&`, `<`, `>`, `"` and `'` become entities, so ledger text (a reason,
/// an approver, a link) can never open a tag, close an attribute or start a script.
public func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.append(character)
        }
    }
    return escaped
}
