import ArgumentParser
import ReleaseLedgerCore

struct AtCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "at",
        abstract: "What was released and what was serving at a moment, derived only from events up to then.",
        discussion: """
            Examples:
              release-ledger at 2026-11-29T10:15:00Z
              release-ledger at --position 1234
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: FormatOptions
    @Argument(help: "The moment (RFC 3339 or a date).") var time: String?
    @Option(parsing: .unconditional, help: "A ledger position instead of a time.") var position: Int64?

    func validate() throws {
        guard (time != nil) != (position != nil) else {
            throw ValidationError("at needs exactly one of TIME or --position N")
        }
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        let point: LedgerMoment.Point
        if let time {
            point = .time(try parseTime(time, option: "TIME"))
        } else {
            guard let position, position >= 0 else { throw .usage("--position must be 0 or more") }
            point = .position(position)
        }
        let moment = try context.openLedger(ledger.settings, for: .reading).moment(point)
        let upTo = moment.position
        let live = moment.liveRun
        let open = moment.openRun
        let view = ProductionView(released: moment.released, serving: moment.serving)
        let format = output.resolved(ledger.settings)
        if format == .json {
            var releasedJSON = view.releasedJSON
            if case .object(var object) = releasedJSON, let live {
                object["kind"] = .string(live.kind.rawValue)
                releasedJSON = .object(object)
            }
            // `production` is kept for scripts written before `released` and `serving`: it is `released`.
            context.console.line(
                CanonicalJSON.encode([
                    "at": time.map { .string($0) } ?? .null, "position": .number(.integer(upTo)),
                    "production": releasedJSON, "released": releasedJSON, "serving": view.servingJSON,
                    "servingDiffers": .bool(view.differs),
                    "openRun": open.map {
                        ["sha": .string($0.sha), "run": .int($0.run), "kind": .string($0.kind.rawValue)]
                    } ?? .null,
                ]))
            return
        }
        var text =
            "At position \(upTo)" + (time.map { " (\($0))" } ?? "") + "\n\n"
            + view.tables(format).joined(separator: "\n\n")
        if let open { text += "\n\nopen run: \(open.sha) run \(open.run) (\(open.kind.rawValue))" }
        context.console.line(text)
    }
}
