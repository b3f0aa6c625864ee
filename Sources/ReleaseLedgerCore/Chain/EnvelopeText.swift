/// Text that goes into an envelope: written as a JSON string or as raw canonical JSON (chain
/// version 1), or as its length and bytes (version 2).
public protocol EnvelopeText {
    func writeString(into out: inout JSONBytes)
    func writeRaw(into out: inout JSONBytes)
    func writeCounted(into out: inout JSONBytes)
}

extension String: EnvelopeText {
    public func writeString(into out: inout JSONBytes) { out.string(self) }
    public func writeRaw(into out: inout JSONBytes) { out.raw(self) }
    public func writeCounted(into out: inout JSONBytes) {
        out.bigEndian(UInt64(utf8.count))
        out.raw(self)
    }
}

extension Timestamp: EnvelopeText {
    public func writeString(into out: inout JSONBytes) {
        out.bytes.append(0x22)
        write(into: &out)
        out.bytes.append(0x22)
    }
    public func writeRaw(into out: inout JSONBytes) { write(into: &out) }
    public func writeCounted(into out: inout JSONBytes) {
        // Written, then its length put in front (the append path only; verify hashes stored text).
        let start = out.bytes.count
        out.bigEndian(0)
        write(into: &out)
        var length = UInt64(out.bytes.count - start - 8)
        for index in (start..<start + 8).reversed() {
            out.bytes[index] = UInt8(truncatingIfNeeded: length)
            length >>= 8
        }
    }
}
