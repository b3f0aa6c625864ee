import ReleaseLedgerCore

/// A command that builds its payload out of flags: an error about a payload field names the flag
/// the user typed (`--reason (data.reason): ...`), not only the payload path they never wrote.
protocol PayloadFlags {
    /// Payload paths and the flag each comes from.
    static var payloadFlags: [(path: String, flag: String)] { get }
}

extension LedgerError {
    /// This error with the flag named in front of the payload path, when a flag supplied that field.
    func namingFlag(of command: any LedgerCommand) -> LedgerError {
        guard case .invalidInput(let field, let rule) = self, let flags = (type(of: command) as? any PayloadFlags.Type)?.payloadFlags else {
            return self
        }
        for (path, flag) in flags where field == path || field.hasPrefix(path + ".") || field.hasPrefix(path + "[") {
            return .invalidInput(field: "\(flag) (\(field))", rule: rule)
        }
        return self
    }
}

extension FreezeCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.images.api", flag: "--api-image"), ("data.images.web", "--web-image")]
}

extension AcceptCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.verdict", flag: "--verdict"), ("data.reason", "--reason"), ("data.evidence", "--evidence")]
}

extension ReadinessCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [
        (path: "data.check", flag: "--check"), ("data.status", "--status"), ("data.lastGreenAt", "--last-green-at"), ("data.sloHours", "--slo-hours"),
        ("data.targetApiBaseUrl", "--target-api-base-url"),
    ]
}

extension PreflightCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.apiIdentifierUri", flag: "--api-identifier-uri"), ("data.entraAudience", "--entra-audience")]
}

extension ApproveCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.gate", flag: "--gate"), ("data.decision", "--decision"), ("data.approver", "--approver")]
}

extension ApplyCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.scope", flag: "--scope"), ("data.outcome", "--outcome")]
}

extension MigrateCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.step", flag: "--step"), ("data.image", "--image"), ("data.outcome", "--outcome")]
}

extension DeployCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.app", flag: "--app"), ("data.image", "--image"), ("data.outcome", "--outcome")]
}

extension SmokeCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.suite", flag: "--suite"), ("data.outcome", "--outcome"), ("data.evidence", "--evidence")]
}

extension RecordDeploymentCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [
        (path: "data.deploymentId", flag: "--deployment-id"), ("data.environmentUrl", "--environment-url"), ("data.environment", "--environment"),
    ]
}

extension VerdictCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.decision", flag: "--decision"), ("data.reason", "--reason")]
}

extension RollbackCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.reason", flag: "--reason")]
}

extension ReplayCommand: PayloadFlags {
    static let payloadFlags: [(path: String, flag: String)] = [(path: "data.reason", flag: "--reason")]
}
