extension EventMetadata {
    /// The page of the CI run an event came from, built as GitHub Actions builds it:
    /// `<source>/actions/runs/<runId>/attempts/<runAttempt>` (without the attempt when unknown).
    /// `source` is `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY`; with no run id, or a source that is
    /// not an http(s) URL, there is no page to link to.
    public var ciRunURL: String? {
        guard let runId, let source, source.hasPrefix("https://") || source.hasPrefix("http://") else { return nil }
        let base = source.hasSuffix("/") ? String(source.dropLast()) : source
        return "\(base)/actions/runs/\(runId)" + (runAttempt.map { "/attempts/\($0)" } ?? "")
    }

    /// `{id, attempt, url}` of the CI run, or null when the event names no run.
    public var ciRunJSON: JSONValue {
        guard let runId else { return .null }
        return ["attempt": .optionalString(runAttempt), "id": .string(runId), "url": .optionalString(ciRunURL)]
    }
}
