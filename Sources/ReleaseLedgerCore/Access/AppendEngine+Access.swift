import SecretScanning

extension AppendEngine {
    /// The checks an append makes of what access control adds to an event: a recorded identity is
    /// held to the same rules as every other metadata string, and a token event to its envelope.
    static func checkAccess(of event: ProposedEvent, metadataAlreadyChecked: Bool) throws(LedgerError) {
        if let identity = event.metadata.identity, !metadataAlreadyChecked {
            for (field, value) in identity.storedStrings {
                try checkText(value, field: field, maxBytes: 1_000)
                if let finding = SecretScanner.scan(value: value, key: nil, field: field) { throw refuse(finding) }
            }
        }
        try TokenEvent.checkEnvelope(of: event)
    }
}
