import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP(S) GET, for the OIDC provider's JWKS: swift-nio and swift-nio-ssl are in the
/// server's tree already (Hummingbird), so this costs no new client library. No redirects, a
/// size limit and a timeout: the keys come from one configured address or not at all.
enum HTTPFetch {
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    struct Address: Equatable {
        let tls: Bool
        let host: String
        let port: Int
        let path: String

        /// `http://host[:port]/path` or `https://...`; no user info, which would be a credential.
        init?(_ url: String) {
            let tls: Bool
            let rest: Substring
            if url.hasPrefix("https://") {
                (tls, rest) = (true, url.dropFirst(8))
            } else if url.hasPrefix("http://") {
                (tls, rest) = (false, url.dropFirst(7))
            } else {
                return nil
            }
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let path = rest.dropFirst(authority.count).prefix { $0 != "#" }
            guard !authority.isEmpty, !authority.contains("@") else { return nil }
            var host = authority
            var port = tls ? 443 : 80
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
                guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                    return nil
                }
                port = number
                host = authority[..<colon]
            }
            if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            guard !host.isEmpty else { return nil }
            self.tls = tls
            self.host = String(host)
            self.port = port
            self.path = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
        }
    }

    static func get(_ url: String, maxBytes: Int = 1 << 20, timeout: TimeAmount = .seconds(10)) async throws(Failure)
        -> [UInt8]
    {
        guard let address = Address(url) else { throw Failure(description: "\(url) is not an http:// or https:// URL") }
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let response = loop.makePromise(of: [UInt8].self)
        do {
            let sslContext = address.tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
            let channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let sslContext {
                            let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: address.host)
                            try channel.pipeline.syncOperations.addHandler(handler)
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            ResponseCollector(response: response, maxBytes: maxBytes))
                    }
                }
                .connect(host: address.host, port: address.port).get()
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: address.path)
            let defaultPort = address.port == (address.tls ? 443 : 80)
            head.headers.add(name: "Host", value: defaultPort ? address.host : "\(address.host):\(address.port)")
            head.headers.add(name: "Accept", value: "application/json")
            head.headers.add(name: "Connection", value: "close")
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            // Closing the channel ends the collector, which then fails the response.
            let deadline = loop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            defer {
                deadline.cancel()
                channel.close(promise: nil)
            }
            return try await response.futureResult.get()
        } catch let failure as Failure {
            throw failure
        } catch {
            response.fail(error)  // nobody waits for it any more; keeps the promise from leaking
            throw Failure(description: "cannot fetch \(url): \(error)")
        }
    }
}

/// Collects one response's body; fails on a status other than 200, past the size limit, or
/// when the connection ends first.
private final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let response: EventLoopPromise<[UInt8]>
    private let maxBytes: Int
    private var body: [UInt8] = []
    private var done = false

    init(response: EventLoopPromise<[UInt8]>, maxBytes: Int) {
        self.response = response
        self.maxBytes = maxBytes
    }

    private func finish(_ result: Result<[UInt8], HTTPFetch.Failure>, context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        response.completeWith(result.mapError { $0 as any Error })
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.status != .ok {
                finish(
                    .failure(HTTPFetch.Failure(description: "the server answered \(head.status.code)")),
                    context: context)
            }
        case .body(var buffer):
            if body.count + buffer.readableBytes > maxBytes {
                finish(
                    .failure(HTTPFetch.Failure(description: "the response is larger than \(maxBytes) bytes")),
                    context: context)
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body += bytes
            }
        case .end:
            finish(.success(body), context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(HTTPFetch.Failure(description: "\(error)")), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(
            .failure(HTTPFetch.Failure(description: "the connection closed before the response ended")),
            context: context)
        context.fireChannelInactive()
    }
}
