/// A column's bytes as SQLite returned them, valid until the row changes. Verify hashes a row's
/// stored text exactly as it is: a timestamp that is not in its one canonical form fails too.
package struct StoredText: EnvelopeText {
    package let bytes: UnsafeBufferPointer<UInt8>

    package init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    package func writeString(into out: inout JSONBytes) { out.string(utf8: bytes) }
    package func writeRaw(into out: inout JSONBytes) { out.bytes.append(contentsOf: bytes) }
    package func writeCounted(into out: inout JSONBytes) {
        out.bigEndian(UInt64(bytes.count))
        out.bytes.append(contentsOf: bytes)
    }
}
