import ArgumentParser
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ReleaseLedgerCore
import ReleaseLedgerPostgres
import ServiceLifecycle

/// `release-ledger serve` (the command line runs this executable with the same arguments).
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve one ledger over HTTP to many runners (the /v1/ API; see /v1/openapi.json).",
        discussion: """
            Example:
              release-ledger serve --listen 127.0.0.1:8443 --db /var/lib/release-ledger/ledger.sqlite \\
                  --tls-cert server.pem --tls-key server.key
              release-ledger serve --listen 0.0.0.0:8080 --postgres postgres://ledger_writer@db.internal/releases
            Stops on SIGTERM or SIGINT: requests in flight (appends included) finish first.
            """)

    @Option(help: "HOST:PORT to listen on (port 0 picks a free one; the address is printed).") var listen: String
    @Option(help: "The ledger file (created when missing).") var db: String?
    @Option(
        help: """
            A PostgreSQL ledger (postgres://user@host:port/database, made by `release-ledger init --postgres`) \
            instead of a file: several servers may share it.
            """)
    var postgres: String?
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS.") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.") var tlsKey: String?
    @Option(help: "Policy file mapping OIDC claims to scopes.") var policy: String?
    @Option(name: .customLong("oidc-issuer"), help: "Accept OIDC ID tokens from this issuer.") var oidcIssuer: String?
    @Option(name: .customLong("oidc-audience"), help: "The audience OIDC ID tokens must carry.") var oidcAudience:
        String?
    @Option(name: .customLong("oidc-jwks"), help: "The issuer's keys: a JWKS file or https URL.") var oidcJWKS: String?
    @Option(
        name: .customLong("busy-timeout"), help: "Milliseconds the writer waits for another process holding the file.")
    var busyTimeout: Int = 10_000
    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a connection may stay silent (slow headers or body) before it is closed.")
    var idleTimeout: Int64 = 30
    @Option(
        name: .customLong("request-timeout"),
        help: "Seconds a request may take to arrive: its head, then its body (a slow client is cut off).")
    var requestTimeout: Int64 = 60
    @Flag(
        name: .customLong("allow-anonymous"),
        help: "Let requests without a credential do everything (local development only).")
    var allowAnonymous = false

    public init() {}

    public func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard (db == nil) != (postgres == nil) else {
            throw ValidationError("serve needs one ledger: --db FILE or --postgres URL")
        }
        guard Self.parseListen(listen) != nil else {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080, not '\(listen)'")
        }
        guard busyTimeout >= 0, idleTimeout > 0, requestTimeout > 0 else {
            throw ValidationError("--busy-timeout, --idle-timeout and --request-timeout must be positive")
        }
    }

    func backend() throws(LedgerError) -> LedgerStores.Backend {
        if let postgres { return .postgres(url: postgres, target: try PostgresTarget(url: postgres)) }
        let file = db ?? ""
        return .sqlite(path: file.hasPrefix("/") ? file : (FileSystemPath.currentDirectory() + "/" + file))
    }

    static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = Substring(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }  // [::1]:8080
        return host.isEmpty ? nil : (String(host), port)
    }

    public func run() async throws {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        let logger = Logger(label: "release-ledger-server")
        let stores: LedgerStores
        let writer: GroupCommitWriter
        do {
            stores = LedgerStores(try backend(), busyTimeoutMilliseconds: busyTimeout)
            writer = GroupCommitWriter(store: try stores.openWriter())
        } catch {
            FileSystemPath.printError("release-ledger: error: \(error.description)")
            throw ExitCode(error.exitCode)
        }
        let authenticator: any RequestAuthenticator
        do {
            authenticator = try AuthenticatorFactory.make(self, stores: stores)
        } catch {
            FileSystemPath.printError("release-ledger: error: \(error)")
            throw ExitCode(64)
        }
        let metrics = ServerMetrics()
        let router = Router(context: LedgerRequestContext.self)
        router.add(middleware: RequestLogMiddleware(metrics: metrics))
        router.add(middleware: AuthenticationMiddleware(authenticator: authenticator))
        let limits = ServerLimits(idleTimeoutSeconds: idleTimeout)
        LedgerAPI(
            stores: stores, writer: writer, commands: CommandRunner(ledgerEnvironment: stores.commandEnvironment),
            metrics: metrics,
            limits: limits
        )
        .register(on: router)
        let (host, port) = Self.parseListen(listen)!
        let requestTimeout = TimeAmount.seconds(requestTimeout)
        let http1 = HTTPServerBuilder.http1(
            configuration: .init(
                additionalChannelHandlers: [RequestDeadlineHandler(timeout: requestTimeout)],
                idleTimeout: .seconds(idleTimeout)))
        let server: HTTPServerBuilder
        if let tlsCert, let tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(tlsCert).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: tlsKey, format: .pem)
            server = try .tls(
                http1, tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            )
        } else {
            server = http1
        }
        let scheme = tlsCert == nil ? "http" : "https"
        let app = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "release-ledger"),
            onServerRunning: { channel in
                // Tests and scripts read the port from this line when they asked for port 0.
                FileSystemPath.printLine("listening on \(scheme)://\(host):\(channel.localAddress?.port ?? port)")
            }, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                // Shut down in reverse order: the server drains its requests first, then the writer commits what they queued.
                services: [WriterService(writer: writer), app], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}

/// Keeps the writer until the server has drained, then commits whatever is still queued.
struct WriterService: Service {
    let writer: GroupCommitWriter

    func run() async throws {
        try? await gracefulShutdown()
        await writer.close()
    }
}
