import HTTPTypes
import Hummingbird
import NIOCore
import ReleaseLedgerCLI
import ReleaseLedgerCore
import Transparency

/// The ledger as a tiled transparency log (c2sp.org/tlog-tiles), at the spec's paths under the
/// server's root: `/checkpoint`, `/tile/<L>/<N>[.p/<W>]` and `/tile/entries/<N>[.p/<W>]`. Reads,
/// so they need the audit scope like every other read (an entry is a recorded event).
extension LedgerAPI {
    func registerTiles(on router: Router<LedgerRequestContext>) {
        router.get("/checkpoint") { _, context in
            try Access.requireRead(context)
            guard let note = try await stores.read({ store throws(LedgerError) in try TlogTiles.checkpoint(of: store) })
            else {
                throw ProblemDetails(
                    kind: .notFound, detail: "no checkpoint issued yet: run `release-ledger checkpoint --key FILE`")
            }
            // Mutable: the next `checkpoint` replaces it, so caches keep it only a few seconds.
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "private, max-age=5"],
                body: .init(byteBuffer: ByteBuffer(string: note)))
        }
        router.get("/tile/**") { request, context in
            try Access.requireRead(context)
            let path = request.uri.path.dropFirst("/tile/".count)
            guard let resource = TilePath.parse(path) else {
                throw ProblemDetails(
                    kind: .notFound,
                    detail: "not a tile path (c2sp.org/tlog-tiles): tile/\(EventCatalog.printable(String(path)))")
            }
            let (hasTree, bytes) = try await stores.read { store throws(LedgerError) -> (Bool, [UInt8]?) in
                guard let log = store as? any TransparencyLog else { return (false, nil) }
                return (true, try TlogTiles.bytes(of: resource, in: log))
            }
            guard hasTree else {
                throw ProblemDetails(kind: .notFound, detail: "this ledger keeps no Merkle tree (PostgreSQL): no tiles")
            }
            guard let bytes else {
                throw ProblemDetails(kind: .notFound, detail: "the tree does not hold all of tile/\(path) yet")
            }
            // Immutable: a tile, once complete at its width, never changes.
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/octet-stream", .cacheControl: "private, max-age=31536000, immutable",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
