import ArgumentParser
import ReleaseLedgerCore

// The domain's values as command-line option types: `--outcome` accepts exactly the cases of
// `Outcome`, and `--help` lists them, from the same list the catalog and the JSON Schemas use.
// ArgumentParser reads a `RawRepresentable` with a `String` raw value and lists `allCases`. (The
// types are of this package, so the conformances are not retroactive.)

extension EventType: ExpressibleByArgument {}
extension Decision: ExpressibleByArgument {}
extension Outcome: ExpressibleByArgument {}
extension SmokeOutcome: ExpressibleByArgument {}
extension ApprovalDecision: ExpressibleByArgument {}
extension ApprovalGate: ExpressibleByArgument {}
extension App: ExpressibleByArgument {}
extension ApplyScope: ExpressibleByArgument {}
extension MigrationStep: ExpressibleByArgument {}
extension SmokeSuite: ExpressibleByArgument {}
extension ReadinessCheck: ExpressibleByArgument {}
extension CheckStatus: ExpressibleByArgument {}
extension ReplayMode: ExpressibleByArgument {}
