import ArgumentParser

/// `release-ledger-server serve ...`: the one subcommand, named as the command line names it.
public struct ServerMain: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "release-ledger-server", abstract: "The release ledger's HTTP server.",
        subcommands: [ServeCommand.self])

    public init() {}

    /// Parses the arguments and runs the (asynchronous) command; exits like ArgumentParser does.
    public static func runMain() async {
        do {
            var command = try parseAsRoot()
            if let serve = command as? ServeCommand {
                try await serve.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
