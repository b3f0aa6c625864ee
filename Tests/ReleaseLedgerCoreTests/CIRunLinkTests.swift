import ReleaseLedgerCore
import Testing

@Suite struct CIRunLinkTests {
    @Test func theLinkIsGitHubsRunPageWithTheAttemptWhenKnown() {
        let metadata = EventMetadata(source: "https://github.com/acme/shop", runId: "42", runAttempt: "3")
        #expect(metadata.ciRunURL == "https://github.com/acme/shop/actions/runs/42/attempts/3")
        #expect(
            metadata.ciRunJSON == [
                "attempt": "3", "id": "42", "url": "https://github.com/acme/shop/actions/runs/42/attempts/3",
            ])
        #expect(
            EventMetadata(source: "https://github.example.com/acme/shop/", runId: "42").ciRunURL
                == "https://github.example.com/acme/shop/actions/runs/42")
    }

    @Test func noLinkWithoutARunIdOrAnHTTPSource() {
        #expect(EventMetadata(source: "https://github.com/acme/shop").ciRunURL == nil)
        #expect(EventMetadata(source: "https://github.com/acme/shop").ciRunJSON == .null)
        #expect(EventMetadata(source: "laptop", runId: "42").ciRunURL == nil)
        #expect(EventMetadata(runId: "42").ciRunJSON == ["attempt": .null, "id": "42", "url": .null])
    }
}
