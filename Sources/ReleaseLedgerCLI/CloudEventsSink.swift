import Glibc
import ReleaseLedgerCore

/// Posts CDEvents as CloudEvents over HTTP in binary mode: the CloudEvents attributes in `ce-`
/// headers, the CDEvent as the JSON body.
///
/// Plain `http://` only: TLS would need a new package dependency. One connection per event
/// (`Connection: close`), so a half-read response never confuses the next event.
struct CloudEventsSink {
    let host: String
    let port: UInt16
    let path: String
    let timeoutSeconds: Int

    /// Accepts `http://host[:port][/path]`; anything else is a usage error (exit 64).
    init(url: String, timeoutSeconds: Int = 10) throws(LedgerError) {
        if url.lowercased().hasPrefix("https://") {
            throw .usage(
                "--sink: https is not supported (TLS would need a new dependency); use an http:// URL, e.g. a local relay"
            )
        }
        guard url.lowercased().hasPrefix("http://") else { throw .usage("--sink must be an http:// URL") }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let path = String(rest.dropFirst(authority.count))
        var host = String(authority)
        var port: UInt16 = 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let parsed = UInt16(authority[authority.index(after: colon)...]), parsed > 0 else {
                throw .usage("--sink: the port in \(url) is not a number from 1 to 65535")
            }
            port = parsed
            host = String(authority[..<colon])
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("@") else {
            throw .usage("--sink: \(url) names no host (user info is not supported)")
        }
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : (path.hasPrefix("/") ? path : "/" + path)
        self.timeoutSeconds = timeoutSeconds
    }

    /// The HTTP request for one CDEvent: the CloudEvents attributes come from its context.
    func request(for cdevent: JSONValue) -> [UInt8] {
        let body = Array(CanonicalJSON.encode(cdevent).utf8)
        let context = cdevent["context"]
        var head = "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        head += "ce-specversion: 1.0\r\n"
        for (header, key) in [("ce-id", "id"), ("ce-source", "source"), ("ce-type", "type"), ("ce-time", "timestamp")] {
            head += "\(header): \(Self.headerValue(context?[key]?.stringValue ?? ""))\r\n"
        }
        head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// Posts one event; a non-2xx answer or a network failure throws (exit 74).
    func post(_ cdevent: JSONValue) throws(LedgerError) {
        let response = try exchange(request(for: cdevent))
        let statusLine = response.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
        let parts = String(decoding: statusLine, as: UTF8.self).split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw .storage("sink \(host):\(port) did not answer with HTTP")
        }
        guard (200..<300).contains(status) else {
            throw .storage(
                "sink \(host):\(port) answered \(status) for event \(cdevent["context"]?["id"]?.stringValue ?? "")")
        }
    }

    /// Header values are ledger ids, URIs and times; control characters are dropped so none splits a header.
    static func headerValue(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
    }

    private func exchange(_ request: [UInt8]) throws(LedgerError) -> [UInt8] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw .storage("sink: cannot resolve host \(host)")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var address: UnsafeMutablePointer<addrinfo>? = first
        while let candidate = address {
            address = candidate.pointee.ai_next
            let fd = socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype, candidate.pointee.ai_protocol)
            guard fd >= 0 else {
                lastError = Self.errnoText()
                continue
            }
            defer { close(fd) }
            // Linux applies SO_SNDTIMEO to connect too, so a silent host cannot hang the step.
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen) == 0 else {
                lastError = Self.errnoText()
                continue
            }
            var sent = 0
            while sent < request.count {
                let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw .storage("sink \(host):\(port): send failed: \(Self.errnoText())") }
                sent += n
            }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            // Read to the close the request asked for; a cap keeps a chatty server from filling memory.
            while response.count < 65_536 {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n == 0 { break }
                guard n > 0 else { throw .storage("sink \(host):\(port): no answer: \(Self.errnoText())") }
                response += buffer[..<n]
            }
            return response
        }
        throw .storage("sink \(host):\(port): cannot connect: \(lastError)")
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
