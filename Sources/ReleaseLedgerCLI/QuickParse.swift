/// The CI step's command lines without swift-argument-parser.
///
/// ArgumentParser discovers a command's options by reflecting over its property wrappers at run
/// time, and building those wrappers (even with their values set directly) instantiates generic
/// types whose conformance checks scan every conformance record in the binary: in a static
/// binary that was two thirds of a CI step's instructions (a pipeline verb: 17 M of 26 M). This
/// reads the plain forms a CI step uses (`--name value` and `--flag`, each at most once unless it
/// repeats, no value starting with `-` but `-` itself) for the hot commands into plain values
/// (`AppendRequest`, a `PipelineStep`), and returns nil for everything else, which then goes
/// through ArgumentParser as before: every error, help text and exit code still comes from
/// there. `QuickParseTests` checks that both readings agree, option by option, and that every
/// option a hot command has is known here.
enum QuickParse {
    /// What a command line asks for, when it can be read without the parser.
    enum Request {
        case version
        case append(AppendRequest)
        case step(any PipelineStep)
    }

    static func parse(_ arguments: [String]) -> Request? {
        if arguments == ["--version"] { return .version }
        let rest = arguments.dropFirst()
        // The hot commands: a CI step calls one of these on every run.
        switch arguments.first {
        case "append": return read(rest, into: AppendRequest(), AppendRequest.quickOptions).map(Request.append)
        case "freeze": return step(FreezeStep.self, rest)
        case "accept": return step(AcceptStep.self, rest)
        case "readiness": return step(ReadinessStep.self, rest)
        case "preflight": return step(PreflightStep.self, rest)
        case "approve": return step(ApproveStep.self, rest)
        case "apply": return step(ApplyStep.self, rest)
        case "migrate": return step(MigrateStep.self, rest)
        case "deploy": return step(DeployStep.self, rest)
        case "smoke": return step(SmokeStep.self, rest)
        case "record-deployment": return step(RecordDeploymentStep.self, rest)
        case "verdict": return step(VerdictStep.self, rest)
        default: return nil
        }
    }

    static func step<Step: PipelineStep>(_: Step.Type, _ arguments: ArraySlice<String>) -> Request? {
        let options = AppendSettings.quickOptions.map { $0.on { $1(&$0.options) } } + Step.ownOptions
        return read(arguments, into: Step(), options, required: Step.requiredOptions).map(Request.step)
    }

    /// How one option sets its value on a command: `--name value`, or a flag (`--name`) that sets a constant.
    struct Option<Command> {
        var name: String
        /// Names that set the same property (`--github-output`, `--no-github-output`) share one.
        var property: String
        var takesValue: Bool
        /// Whether it may be given more than once (`--evidence`), each adding to a list.
        var repeats = false
        /// Sets the value; false when it does not convert (ArgumentParser then reports why).
        var set: (inout Command, String) -> Bool

        static func value(_ name: String, _ set: @escaping (inout Command, String) -> Void) -> Option {
            Option(name: name, property: name, takesValue: true) { command, value in
                set(&command, value)
                return true
            }
        }

        static func repeated(_ name: String, _ append: @escaping (inout Command, String) -> Void) -> Option {
            Option(name: name, property: name, takesValue: true, repeats: true) { command, value in
                append(&command, value)
                return true
            }
        }

        static func double(_ name: String, _ set: @escaping (inout Command, Double) -> Void) -> Option {
            Option(name: name, property: name, takesValue: true) { command, value in
                guard let number = Double(value) else { return false }
                set(&command, number)
                return true
            }
        }

        static func integer(_ name: String, _ set: @escaping (inout Command, Int) -> Void) -> Option {
            Option(name: name, property: name, takesValue: true) { command, value in
                guard let number = Int(value) else { return false }
                set(&command, number)
                return true
            }
        }

        static func flag(_ name: String, property: String? = nil, _ set: @escaping (inout Command) -> Void) -> Option {
            Option(name: name, property: property ?? name, takesValue: false) { command, _ in
                set(&command)
                return true
            }
        }

        /// The same option on a part of the command (an option group) that `part` hands over. A
        /// closure, not a key path: key paths are created at run time, 0.17 M instructions a step.
        func on<Whole>(_ part: @escaping (inout Whole, (inout Command) -> Bool) -> Bool) -> Option<Whole> {
            let set = self.set
            return Option<Whole>(name: name, property: property, takesValue: takesValue, repeats: repeats) {
                whole, value in
                part(&whole) { set(&$0, value) }
            }
        }
    }

    /// Reads `--name value` and `--flag` arguments into `command` (which holds every default), or nil
    /// when any argument is not of that plain form or a `required` option is missing.
    static func read<Command>(
        _ arguments: ArraySlice<String>, into command: Command, _ options: [Option<Command>], required: [String] = []
    ) -> Command? {
        var command = command
        var seen: [String] = []  // a command line has a few options
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), let option = options.first(where: { $0.name == argument }),
                option.repeats || !seen.contains(option.property)
            else { return nil }
            seen.append(option.property)
            index += 1
            var value = ""
            if option.takesValue {
                // A lone `-` (standard input) is a value; anything else starting with `-` may be an option.
                guard index < arguments.endIndex, arguments[index] == "-" || !arguments[index].hasPrefix("-") else {
                    return nil
                }
                value = arguments[index]
                index += 1
            }
            guard option.set(&command, value) else { return nil }
        }
        return required.allSatisfy(seen.contains) ? command : nil
    }
}

// MARK: The option groups and the hot commands

extension LedgerSettings {
    static var quickOptions: [QuickParse.Option<LedgerSettings>] {
        [
            .value("--db") { $0.db = $1 },
            .value("--server") { $0.server = $1 },
            .value("--postgres") { $0.postgres = $1 },
            .flag("--json") { $0.json = true },
            .integer("--busy-timeout") { $0.busyTimeout = $1 },
            .flag("--github-output", property: "github-output") { $0.githubOutput = true },
            .flag("--no-github-output", property: "github-output") { $0.githubOutput = false },
        ]
    }
}

extension MetadataSettings {
    static var quickOptions: [QuickParse.Option<MetadataSettings>] {
        [
            .value("--actor") { $0.actor = $1 },
            .value("--source") { $0.source = $1 },
            .value("--run-id") { $0.runID = $1 },
            .value("--run-attempt") { $0.runAttempt = $1 },
            .value("--workflow") { $0.workflow = $1 },
            .value("--job") { $0.job = $1 },
            .value("--repository") { $0.repository = $1 },
            .value("--correlation-id") { $0.correlationID = $1 },
            .value("--causation-id") { $0.causationID = $1 },
        ]
    }
}

extension AppendSettings {
    static var quickOptions: [QuickParse.Option<AppendSettings>] {
        LedgerSettings.quickOptions.map { $0.on { $1(&$0.ledger) } }
            + MetadataSettings.quickOptions.map { $0.on { $1(&$0.metadata) } }
            + [
                .value("--id") { $0.id = $1 },
                .value("--expect") { $0.expect = $1 },
            ]
    }
}

extension AppendRequest {
    static var quickOptions: [QuickParse.Option<AppendRequest>] {
        AppendSettings.quickOptions.map { $0.on { $1(&$0.options) } } + [
            .value("--type") { $0.type = $1 },
            .value("--sha") { $0.sha = $1 },
            .value("--data") { $0.data = $1 },
            .value("--stream") { $0.stream = $1 },
            .value("--batch") { $0.batch = $1 },
        ]
    }
}
