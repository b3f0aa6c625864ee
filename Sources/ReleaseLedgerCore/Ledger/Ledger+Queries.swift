/// The questions commands ask, answered from the primitives: every implementation gets these,
/// and a remote one may answer each in one round trip instead.
extension Ledger {
    public func status(recentDecisions: Int) throws(LedgerError) -> LedgerStatus {
        let head = try head().position
        let production = try production()
        var openRun: LedgerStatus.OpenRun?
        if let pointer = production.openRun, let candidate = try candidate(pointer.sha), let run = candidate.openRun {
            openRun = LedgerStatus.OpenRun(
                candidate: candidate, run: run, gates: GateTable.evaluate(candidate, run: run))
        }
        return LedgerStatus(
            head: head, production: production, serving: try serving(atOrBeforePosition: head), openRun: openRun,
            recentDecisions: try latestDecisions(limit: max(0, recentDecisions)))
    }

    public func moment(_ point: LedgerMoment.Point) throws(LedgerError) -> LedgerMoment {
        let upTo: Int64
        switch point {
        case .time(let time): upTo = try lastPosition(atOrBefore: time)
        case .position(let position): upTo = min(max(0, position), try head().position)
        }
        let live = try liveRun(atOrBeforePosition: upTo)
        var released: ProductionState.Live?
        if let live, let decidedAt = live.decidedAt, let images = try candidate(live.sha)?.frozen?.images {
            released = ProductionState.Live(
                sha: live.sha, run: live.run, images: images, since: decidedAt, actor: live.actor,
                position: live.decidedPosition ?? 0)
        }
        return LedgerMoment(
            position: upTo, liveRun: live, released: released, openRun: try openRun(atPosition: upTo),
            serving: try serving(atOrBeforePosition: upTo))
    }

    public func timeline(of sha: String) throws(LedgerError) -> CandidateTimeline? {
        let candidate = try candidateHistory(sha)
        let events = try events(EventQuery(sha: sha))
        return events.isEmpty ? nil : CandidateTimeline(sha: sha, candidate: candidate, events: events)
    }

    public func history(_ filter: RunFilter) throws(LedgerError) -> [HistoryEntry] {
        // Per line, a candidate load (once per SHA) and one event by position: the cost follows
        // the lines asked for, not the size of the ledger.
        var candidates: [String: CandidateState] = [:]
        var entries: [HistoryEntry] = []
        for summary in try runs(filter) {
            // The rules' view holds a SHA's latest runs; an older one needs the SHA's whole history.
            let held = { (state: CandidateState?) in
                summary.run == 0 || state?.runs.contains { $0.number == summary.run } == true
            }
            if candidates[summary.sha] == nil || !held(candidates[summary.sha]) {
                let view = try candidate(summary.sha)
                candidates[summary.sha] = held(view) ? view : try candidateHistory(summary.sha)
            }
            let candidate = candidates[summary.sha]
            let event = try event(at: summary.decidedPosition ?? summary.openedPosition)
            entries.append(
                HistoryEntry(
                    summary: summary,
                    run: summary.kind == .acceptance ? nil : candidate?.runs.first { $0.number == summary.run },
                    acceptance: summary.kind == .acceptance ? candidate?.acceptance : nil,
                    metadata: try event?.metadataValue() ?? EventMetadata()))
        }
        return entries
    }

    public func doraRuns() throws(LedgerError) -> [RunRecord] {
        var frozenAt: [String: Timestamp] = [:]
        var records: [RunRecord] = []
        for run in try runs(RunFilter()).reversed() {
            if frozenAt[run.sha] == nil { frozenAt[run.sha] = try candidate(run.sha)?.frozen?.event.at }
            records.append(
                RunRecord(
                    sha: run.sha, run: run.run, kind: run.kind, replaces: run.replaces, openedAt: run.openedAt,
                    decision: run.decision,
                    decidedAt: run.decidedAt, frozenAt: frozenAt[run.sha]))
        }
        return records
    }

    public func succeededDeploys() throws(LedgerError) -> [ServingApp] {
        var deploys: [ServingApp] = []
        for event in try events(EventQuery(type: EventType.deployRecorded.rawValue)) {
            guard let deploy = try ServingApp.succeededDeploy(event) else { continue }
            deploys.append(
                ServingApp(
                    app: deploy.app, image: deploy.image, sha: event.sha,
                    run: try runNumber(of: event.sha, at: event.position),
                    at: event.recordedAt, position: event.position))
        }
        return deploys
    }

    public func rollbackTarget(from live: String) throws(LedgerError) -> RollbackTarget.Choice {
        try RollbackTarget.pick(
            live: live, yesRuns: try runs(RunFilter(decision: "YES")),
            rollbackRuns: try runs(RunFilter(kind: .rollback))
        ) { (sha) throws(LedgerError) in try candidate(sha).flatMap(ReleaseRules.rollbackHazard) }
    }

    public func runPlan(of sha: String) throws(LedgerError) -> RunPlan {
        guard let target = try candidate(sha), let frozen = target.frozen, let run = target.runs.last else {
            throw .storage("the new run of \(sha) is not in the read model")
        }
        // The live run is the live SHA's last decided one, which the rules' view holds.
        var current: CandidateState?
        if let live = try production().live, live.sha != sha { current = try candidate(live.sha) }
        // The target's production history: what its latest earlier runs ended with, from the runs
        // read model and each decision's event, so a SHA replayed a thousand times plans as fast.
        var earlier: [RunPlan.EarlierRun] = []
        for summary in try runs(RunFilter(sha: sha, limit: RunPlan.earlierRunsShown + 1)) where summary.run < run.number
        {
            let reason = try summary.decidedPosition.flatMap { (position) throws(LedgerError) in
                try event(at: position)?.payload()["reason"]?.stringValue
            }
            earlier.append(RunPlan.EarlierRun(summary: summary, reason: reason))
        }
        return RunPlan(
            candidate: target, frozen: frozen, run: run, gates: GateTable.evaluate(target, run: run).filter(\.required),
            migrationWarning: RunPlan.migrationWarning(target: target, current: current),
            earlierRuns: Array(earlier.prefix(RunPlan.earlierRunsShown).reversed()))
    }

    public func artifacts(of sha: String, run: Int?, checkingReadModel: Bool) throws(LedgerError) -> [Artifacts.File] {
        guard let candidate = try candidateHistory(sha) else { throw .usage("\(sha) is not in the ledger") }
        if checkingReadModel {
            // Check against the events alone: files written from a doctored read model must not pass.
            guard try self.candidate(sha) == candidate.rulesView() else {
                throw .integrity(
                    "the read model of \(sha) differs from its events; run `release-ledger rebuild`",
                    firstBadPosition: nil)
            }
            _ = try production()  // refuses a production row that does not match its seal
        }
        return try Artifacts.files(for: candidate, run: run)
    }
}
