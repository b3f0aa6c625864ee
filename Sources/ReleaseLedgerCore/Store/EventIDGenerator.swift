/// Produces event ids for events appended without an idempotency key.
public protocol EventIDGenerator: Sendable {
    func next() -> String
}

/// Random (version 4) UUIDs, from the system's random source.
public struct RandomUUIDGenerator: EventIDGenerator {
    public init() {}

    public func next() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000  // version 4
        let low = generator.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000  // variant 10
        return String(unsafeUninitializedCapacity: 36) { out in
            var count = 0
            for (index, word) in [high, low].enumerated() {
                for nibble in 0..<16 {
                    if (index == 0 && (nibble == 8 || nibble == 12)) || (index == 1 && (nibble == 0 || nibble == 4)) {
                        out[count] = UInt8(ascii: "-")
                        count += 1
                    }
                    out[count] = ChainHasher.hexDigits[Int((word >> UInt64(60 - nibble * 4)) & 0xF)]
                    count += 1
                }
            }
            return count
        }
    }
}
