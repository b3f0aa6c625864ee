import JWTKit
import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where the OIDC provider's public keys come from: a JWKS file, or its URL
/// (`https://token.actions.githubusercontent.com/.well-known/jwks` for GitHub Actions).
public enum JWKSLocation: Equatable, Sendable, CustomStringConvertible {
    case file(String)
    case url(String)

    /// `--oidc-jwks FILE_OR_URL`: an `http(s)://` address is a URL, anything else a file.
    public init(_ argument: String) {
        self = argument.hasPrefix("https://") || argument.hasPrefix("http://") ? .url(argument) : .file(argument)
    }

    public var description: String {
        switch self {
        case .file(let path): path
        case .url(let url): url
        }
    }
}

/// The provider's signing keys, loaded on first use and loaded again when a token names a key
/// id the set does not have (the provider rotated its keys), at most once per `minimumRefresh`,
/// so tokens with made-up key ids cannot make the server fetch in a loop.
actor JWKSCache {
    struct Keys {
        let collection: JWTKeyCollection
        let ids: Set<String>
        let loadedAt: Timestamp
    }

    let location: JWKSLocation
    let minimumRefreshMilliseconds: Int64
    private var keys: Keys?

    init(location: JWKSLocation, minimumRefreshSeconds: Int64) {
        self.location = location
        minimumRefreshMilliseconds = minimumRefreshSeconds * 1000
    }

    /// The keys, holding `kid` if the provider has it.
    func keys(for kid: String, now: Timestamp) async -> Result<Keys, AuthFailure> {
        if let keys, keys.ids.contains(kid) { return .success(keys) }
        if let keys, now.millisecondsSinceEpoch - keys.loadedAt.millisecondsSinceEpoch < minimumRefreshMilliseconds {
            return .success(keys)
        }
        do {
            let loaded = try await load(now: now)
            keys = loaded
            return .success(loaded)
        } catch {
            // Keep serving the keys we have: a provider outage must not lock out known keys.
            if let keys { return .success(keys) }
            return .failure(.unavailable("cannot load the OIDC signing keys from \(location): \(error)"))
        }
    }

    private func load(now: Timestamp) async throws -> Keys {
        let bytes: [UInt8]
        switch location {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw HTTPFetch.Failure(description: "cannot read the file")
            }
            bytes = Array(data)
        case .url(let url):
            bytes = try await HTTPFetch.get(url)
        }
        return try await Self.keys(fromJWKS: bytes, now: now)
    }

    /// Parses a JWKS strictly (the ledger's JSON parser), then hands it to jwt-kit.
    static func keys(fromJWKS bytes: [UInt8], now: Timestamp) async throws -> Keys {
        let document = try JSONParser.parse(bytes: bytes, field: "jwks")
        guard let list = document["keys"]?.arrayValue else {
            throw HTTPFetch.Failure(description: "the JWKS has no \"keys\" array")
        }
        var ids: Set<String> = []
        for (index, key) in list.enumerated() {
            guard let kid = key["kid"]?.stringValue, !kid.isEmpty else {
                throw HTTPFetch.Failure(description: "jwks.keys[\(index)] has no kid")
            }
            ids.insert(kid)
        }
        let collection = JWTKeyCollection()
        try await collection.add(jwksJSON: String(decoding: bytes, as: UTF8.self))
        return Keys(collection: collection, ids: ids, loadedAt: now)
    }
}
