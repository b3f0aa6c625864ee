import PostgresNIO
import ReleaseLedgerCore

/// Where a ledger's PostgreSQL database is, parsed from a `postgres://` URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require&host=/socket/dir]`.
/// A `host` parameter naming a folder connects through the server's Unix socket there, as libpq does.
/// The password never appears in `description` or in any error.
public struct PostgresTarget: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var socketFolder: String?
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(
        host: String = "127.0.0.1", port: Int = 5432, socketFolder: String? = nil, user: String,
        password: String? = nil,
        database: String, tls: TLSMode = .prefer
    ) {
        self.host = host
        self.port = port
        self.socketFolder = socketFolder
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// True for a string that names a PostgreSQL database rather than a file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url: String, field: String = "--postgres") throws(LedgerError) {
        let scheme = url.hasPrefix("postgresql://") ? "postgresql://" : "postgres://"
        guard url.hasPrefix(scheme) else {
            throw .invalidInput(field: field, rule: "must be a postgres:// URL (postgres://USER@HOST:PORT/DATABASE)")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw .invalidInput(field: field, rule: "names no database (postgres://USER@HOST:PORT/DATABASE)")
        }
        let authority = rest[..<slash]
        let database = try Self.decode(rest[rest.index(after: slash)...], field: field)
        guard !database.isEmpty else {
            throw .invalidInput(field: field, rule: "names no database (postgres://USER@HOST:PORT/DATABASE)")
        }
        var user = ""
        var password: String?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = try Self.decode(credentials[..<colon], field: field)
                password = try Self.decode(credentials[credentials.index(after: colon)...], field: field)
            } else {
                user = try Self.decode(credentials, field: field)
            }
        }
        guard !user.isEmpty else {
            throw .invalidInput(field: field, rule: "names no user (postgres://USER@HOST:PORT/DATABASE)")
        }
        var host = String(hostPort)
        var port = 5432
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = String(hostPort[..<colon])
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(number) else {
                throw .invalidInput(field: field, rule: "has a port that is not a number from 1 to 65535")
            }
            port = number
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var socketFolder: String?
        var tls = TLSMode.prefer
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = String(parts[0])
            let value = try Self.decode(parts.count > 1 ? parts[1] : "", field: field)
            switch key {
            case "sslmode":
                switch value {
                case "disable": tls = .disable
                case "allow", "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default: throw .invalidInput(field: field, rule: "sslmode must be disable, prefer or require")
                }
            case "host":
                guard value.hasPrefix("/") else {
                    throw .invalidInput(field: field, rule: "host= must name a socket folder (an absolute path)")
                }
                socketFolder = value
            default:
                throw .invalidInput(field: field, rule: "has an unknown parameter '\(key)' (known: sslmode, host)")
            }
        }
        if host.isEmpty, socketFolder == nil { host = "127.0.0.1" }
        self.init(
            host: host, port: port, socketFolder: socketFolder, user: user, password: password, database: database,
            tls: tls)
    }

    /// The URL without its password.
    public var description: String {
        let socket = socketFolder.map { "?host=\($0)" } ?? ""
        return "postgres://\(user)@\(host):\(port)/\(database)\(socket)"
    }

    /// The same server and user, another database: tests create one database each.
    public func database(_ name: String) -> PostgresTarget {
        var copy = self
        copy.database = name
        return copy
    }

    func configuration() throws(LedgerError) -> PostgresConnection.Configuration {
        if let socketFolder {
            return PostgresConnection.Configuration(
                unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        }
        let mode: PostgresConnection.Configuration.TLS
        switch tls {
        case .disable: mode = .disable
        case .prefer, .require:
            do {
                let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                mode = tls == .prefer ? .prefer(context) : .require(context)
            } catch {
                throw .storage("\(description): TLS could not be set up: \(error)")
            }
        }
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: mode)
    }

    /// Percent-decoding, as URLs spell user names, passwords and database names.
    static func decode(_ text: Substring, field: String) throws(LedgerError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex, utf8.index(after: first) < utf8.endIndex,
                    let value = UInt8(
                        String(decoding: utf8[first...utf8.index(after: first)], as: UTF8.self), radix: 16)
                else { throw .invalidInput(field: field, rule: "has a broken percent escape") }
                bytes.append(value)
                index = utf8.index(first, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
