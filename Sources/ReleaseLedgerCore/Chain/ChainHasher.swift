import Crypto

/// The hash chain: each event's hash is SHA-256 over its whole envelope, which includes the
/// previous event's hash. Changing, removing or reordering any row breaks every link after it.
///
/// Chain version 1 hashed the envelope as JSON with `data` and `metadata` spliced in as raw text,
/// so bytes could move between `data`, `id` and `metadata` without changing the hash. Version 2
/// (every row written since schema version 3) length-prefixes every field; version-1 rows keep
/// their version and are checked as they were written.
public enum ChainHasher {
    /// The "previous hash" of position 1.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The version new rows are written with.
    public static let currentVersion = 2

    /// Canonical JSON of the envelope without its own hash. Keys are written in sorted order by
    /// hand; `data` and `metadata` are already canonical text, so nothing is re-encoded.
    static func envelopeBytes(
        chainVersion: Int = currentVersion, position: Int64, id: String, stream: String, version: Int64, type: String,
        typeVersion: Int,
        sha: String, data: String, metadata: String, recordedAt: Timestamp, previousHash: String
    ) -> JSONBytes {
        var out = JSONBytes(capacity: data.utf8.count + metadata.utf8.count + 360)
        writeEnvelope(
            chainVersion: Int64(chainVersion), into: &out, position: position, id: id, stream: stream, version: version,
            type: type,
            typeVersion: Int64(typeVersion), sha: sha, data: data, metadata: metadata, recordedAt: recordedAt,
            previousHash: previousHash)
        return out
    }

    /// Chain version 2: a tag, then each integer as 8 big-endian bytes and each text as its
    /// length (8 big-endian bytes) and its bytes, in a fixed order. No field can borrow bytes from
    /// its neighbour, nothing is escaped, and no integer becomes a String.
    @inline(__always)
    public static func writeEnvelopeV2<Text: EnvelopeText, Time: EnvelopeText>(
        into out: inout JSONBytes, position: Int64, id: Text, stream: Text, version: Int64, type: Text,
        typeVersion: Int64,
        sha: Text, data: Text, metadata: Text, recordedAt: Time, previousHash: Text
    ) {
        out.raw("release-ledger chain v2\n" as StaticString)
        out.bigEndian(UInt64(bitPattern: position))
        previousHash.writeCounted(into: &out)
        id.writeCounted(into: &out)
        stream.writeCounted(into: &out)
        out.bigEndian(UInt64(bitPattern: version))
        type.writeCounted(into: &out)
        out.bigEndian(UInt64(bitPattern: typeVersion))
        sha.writeCounted(into: &out)
        recordedAt.writeCounted(into: &out)
        data.writeCounted(into: &out)
        metadata.writeCounted(into: &out)
    }

    /// Either version's layout.
    public static func writeEnvelope<Text: EnvelopeText, Time: EnvelopeText>(
        chainVersion: Int64, into out: inout JSONBytes, position: Int64, id: Text, stream: Text, version: Int64,
        type: Text,
        typeVersion: Int64, sha: Text, data: Text, metadata: Text, recordedAt: Time, previousHash: Text
    ) {
        if chainVersion == 1 {
            writeEnvelope(
                into: &out, position: position, id: id, stream: stream, version: version, type: type,
                typeVersion: typeVersion, sha: sha,
                data: data, metadata: metadata, recordedAt: recordedAt, previousHash: previousHash)
        } else {
            writeEnvelopeV2(
                into: &out, position: position, id: id, stream: stream, version: version, type: type,
                typeVersion: typeVersion, sha: sha,
                data: data, metadata: metadata, recordedAt: recordedAt, previousHash: previousHash)
        }
    }

    /// Chain version 1: the envelope as canonical JSON, for text held as Strings or as a row's bytes.
    public static func writeEnvelope<Text: EnvelopeText, Time: EnvelopeText>(
        into out: inout JSONBytes, position: Int64, id: Text, stream: Text, version: Int64, type: Text,
        typeVersion: Int64,
        sha: Text, data: Text, metadata: Text, recordedAt: Time, previousHash: Text
    ) {
        out.raw("{\"data\":")
        data.writeRaw(into: &out)
        out.raw(",\"id\":")
        id.writeString(into: &out)
        out.raw(",\"metadata\":")
        metadata.writeRaw(into: &out)
        out.raw(",\"position\":")
        out.integer(position)
        out.raw(",\"previousHash\":")
        previousHash.writeString(into: &out)
        out.raw(",\"recordedAt\":")
        recordedAt.writeString(into: &out)
        out.raw(",\"sha\":")
        sha.writeString(into: &out)
        out.raw(",\"stream\":")
        stream.writeString(into: &out)
        out.raw(",\"type\":")
        type.writeString(into: &out)
        out.raw(",\"typeVersion\":")
        out.integer(typeVersion)
        out.raw(",\"version\":")
        out.integer(version)
        out.bytes.append(0x7D)
    }

    /// Binds a read-model state to the chain: SHA-256 over length-prefixed fields (the kind, its
    /// key, the position folded up to, that event's hash and the state text). A row edited behind
    /// the ledger's back no longer matches; an older genuine row still does, and is brought up to
    /// date by folding the events after its position.
    public static func seal(kind: String, key: String, position: Int64, eventHash: String, state: String) -> String {
        var out = JSONBytes(capacity: state.utf8.count + 160)
        writeEnvelopeV2(
            into: &out, position: position, id: key, stream: kind, version: 0, type: "read-model seal", typeVersion: 1,
            sha: key,
            data: state, metadata: "", recordedAt: "", previousHash: eventHash)
        return hash(bytes: out.bytes)
    }

    public static func hash(of event: RecordedEvent) -> String {
        let envelope = envelopeBytes(
            chainVersion: event.chainVersion, position: event.position, id: event.id, stream: event.stream,
            version: event.version, type: event.type,
            typeVersion: event.typeVersion, sha: event.sha, data: event.data, metadata: event.metadata,
            recordedAt: event.recordedAt, previousHash: event.previousHash)
        return hash(bytes: envelope.bytes)
    }

    /// SHA-256 of a payload's canonical bytes: equal content, equal hash, whatever the key order.
    public static func contentHash(_ value: JSONValue) -> String {
        var out = JSONBytes()
        out.write(value, indent: false, level: 0)
        return hash(bytes: out.bytes)
    }

    public static func hash(_ text: String) -> String {
        var text = text
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return hexString(digest)
    }

    static func hash(bytes: [UInt8]) -> String {
        hexString(bytes.withUnsafeBytes { SHA256.hash(data: $0) })
    }

    static func hash(bytes: UnsafeBufferPointer<UInt8>) -> String {
        hexString(SHA256.hash(data: UnsafeRawBufferPointer(bytes)))
    }

    /// Writes the 64 lowercase hex digits of the SHA-256 of `bytes` into `output` (64 bytes):
    /// verify's path, which makes no String per row.
    package static func hashHex(of bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>) {
        let digest = SHA256.hash(data: bytes)
        var index = 0
        for byte in digest {
            output[index] = hexDigits[Int(byte >> 4)]
            output[index + 1] = hexDigits[Int(byte & 0x0F)]
            index += 2
        }
    }

    static func hexString<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        String(unsafeUninitializedCapacity: 64) { buffer in
            var count = 0
            for byte in bytes {
                buffer[count] = hexDigits[Int(byte >> 4)]
                buffer[count + 1] = hexDigits[Int(byte & 0x0F)]
                count += 2
            }
            return count
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

extension RecordedEvent {
    /// The envelope bytes the chain hashes for this event (and, behind 0x00, its Merkle leaf):
    /// what a c2sp.org/tlog-tiles entry bundle carries and a tlog proof's `extra` line shows.
    public var envelopeBytes: [UInt8] {
        ChainHasher.envelopeBytes(
            chainVersion: chainVersion, position: position, id: id, stream: stream, version: version, type: type,
            typeVersion: typeVersion, sha: sha, data: data, metadata: metadata, recordedAt: recordedAt,
            previousHash: previousHash
        ).bytes
    }
}
