/// An object with unique keys, kept in canonical (sorted) order.
public struct JSONObject: Equatable, Hashable, Sendable, Sequence {
    public private(set) var members: [(key: String, value: JSONValue)]

    public init() { members = [] }

    /// Builds an object; later duplicates replace earlier ones (the parser refuses duplicates before this).
    public init(_ pairs: [(String, JSONValue)]) {
        // Most callers already list keys in order (the parser, the state encoders): one pass checks it.
        if pairs.indices.dropFirst().allSatisfy({ JSONObject.compare(pairs[$0 - 1].0, pairs[$0].0) < 0 }) {
            members = pairs.map { (key: $0.0, value: $0.1) }
            return
        }
        // One stable sort, then drop all but the last of equal keys: cheaper than inserting one by one.
        let sorted = pairs.enumerated().sorted { a, b in
            let order = JSONObject.compare(a.element.0, b.element.0)
            return order != 0 ? order < 0 : a.offset < b.offset
        }
        members = []
        members.reserveCapacity(sorted.count)
        for (_, pair) in sorted {
            if let last = members.last, last.key == pair.0 {
                members[members.count - 1].value = pair.1
            } else {
                members.append((pair.0, pair.1))
            }
        }
    }

    public subscript(key: String) -> JSONValue? {
        get { index(of: key).found.map { members[$0].value } }
        set {
            let (position, found) = index(of: key)
            switch (found, newValue) {
            case (let i?, let value?): members[i].value = value
            case (let i?, nil): members.remove(at: i)
            case (nil, let value?): members.insert((key, value), at: position)
            case (nil, nil): break
            }
        }
    }

    /// Appends a member known to sort after every existing key (the parser checks this).
    mutating func appendInOrder(_ key: String, _ value: JSONValue) { members.append((key, value)) }

    public var keys: [String] { members.map(\.key) }
    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        members.makeIterator()
    }

    private func index(of key: String) -> (position: Int, found: Int?) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            let order = JSONObject.compare(members[middle].key, key)
            if order == 0 { return (middle, middle) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (low, nil)
    }

    /// RFC 8785 orders keys by their UTF-16 code units. UTF-8 bytes sort the same way except
    /// where a character at or above U+E000 meets one above U+FFFF, so bytes decide unless a
    /// difference involves a lead byte of 0xEE or more.
    static func compare(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        let byByte: Int? = a.withUTF8 { x in
            b.withUTF8 { y in
                let count = Swift.min(x.count, y.count)
                var index = 0
                while index < count {
                    if x[index] != y[index] {
                        if x[index] >= 0xEE || y[index] >= 0xEE { return nil }
                        return x[index] < y[index] ? -1 : 1
                    }
                    index += 1
                }
                return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
            }
        }
        if let byByte { return byByte }
        return compareUTF16(a, b)
    }

    static func compareUTF16(_ a: String, _ b: String) -> Int {
        var left = a.utf16.makeIterator()
        var right = b.utf16.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}
