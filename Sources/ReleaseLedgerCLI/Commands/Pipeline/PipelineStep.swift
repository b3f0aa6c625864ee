import ReleaseLedgerCore

/// A pipeline verb as plain values: what a CI step asked for, and the event it records.
///
/// Each verb's ArgumentParser command (`SmokeCommand`) declares the options for help and errors
/// and converts into its step (`SmokeStep`); `QuickParse` reads a CI step's plain command line
/// straight into the step, without building ArgumentParser's types (W7 in the README).
protocol PipelineStep: Equatable {
    /// Every option at its default; a required option's value is empty until given.
    init()
    var options: AppendSettings { get set }
    /// The verb's own options (`AppendSettings.quickOptions` are added to them).
    static var ownOptions: [QuickParse.Option<Self>] { get }
    /// The options ArgumentParser requires: a line without one of them goes to it for the error.
    static var requiredOptions: [String] { get }
    func execute(in context: CommandContext) throws(LedgerError)
}

/// A verb's ArgumentParser command: it reads the options for help and errors, then runs its step.
protocol PipelineStepCommand: LedgerCommand {
    associatedtype Step: PipelineStep
    var plainStep: Step { get }
}

extension PipelineStepCommand {
    /// Both readings of a CI step's line run the same code: the step's.
    func execute(in context: CommandContext) throws(LedgerError) { try plainStep.execute(in: context) }
}
