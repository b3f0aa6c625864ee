/// Indented canonical JSON written as it is produced, for documents whose shape the writer knows
/// (the artifacts): the bytes `CanonicalJSON.encodePrettyUTF8` makes of the same value, without
/// building the value first. The caller lists each object's keys in canonical order (all keys
/// here are ASCII, so byte order); debug builds check it.
struct PrettyJSONWriter {
    private(set) var out: JSONBytes
    private var level = 0
    /// Whether the innermost open object or array has nothing in it yet.
    private var isEmpty = true
    #if DEBUG
    private var lastKeys: [StaticString?] = []
    #endif

    init(capacity: Int = 1024) { out = JSONBytes(capacity: capacity) }

    /// The document, with the trailing newline every artifact ends with.
    mutating func finish() -> [UInt8] {
        out.bytes.append(0x0A)
        return out.bytes
    }

    // MARK: Containers

    mutating func object(_ body: (inout PrettyJSONWriter) -> Void) {
        open(0x7B)
        #if DEBUG
        lastKeys.append(nil)
        #endif
        body(&self)
        #if DEBUG
        lastKeys.removeLast()
        #endif
        close(0x7D)
    }

    mutating func array(_ body: (inout PrettyJSONWriter) -> Void) {
        open(0x5B)
        body(&self)
        close(0x5D)
    }

    private mutating func open(_ bracket: UInt8) {
        out.bytes.append(bracket)
        level += 1
        isEmpty = true
    }

    /// `{}` and `[]` when nothing was written; otherwise the closing bracket on its own line.
    private mutating func close(_ bracket: UInt8) {
        level -= 1
        if !isEmpty { out.newline(level) }
        out.bytes.append(bracket)
        isEmpty = false
    }

    // MARK: Members and elements

    /// Starts an object member: the comma, the line break and `"key": `. A value follows.
    mutating func key(_ name: StaticString) {
        #if DEBUG
        if let last = lastKeys[lastKeys.count - 1] {
            assert(Self.precedes(last, name), "\(name) written after \(last): not in canonical order")
        }
        lastKeys[lastKeys.count - 1] = name
        #endif
        next()
        // Keys are the artifacts' own ASCII names: nothing to escape.
        out.bytes.append(0x22)
        name.withUTF8Buffer { out.bytes.append(contentsOf: $0) }
        out.bytes.append(0x22)
        out.bytes.append(0x3A)
        out.bytes.append(0x20)
    }

    /// Starts an array element: the comma and the line break. A value follows.
    mutating func element() { next() }

    private mutating func next() {
        if !isEmpty { out.bytes.append(0x2C) }
        isEmpty = false
        out.newline(level)
    }

    // MARK: Values

    mutating func string(_ value: String) { out.string(value) }

    mutating func string(_ value: String?) {
        if let value { out.string(value) } else { null() }
    }

    mutating func bool(_ value: Bool) { out.raw(value ? "true" : "false") }

    mutating func integer(_ value: Int64) { out.integer(value) }

    mutating func null() { out.raw("null") }

    /// A string value whose UTF-8 the caller writes (a timestamp, without making a String).
    mutating func string(_ body: (inout JSONBytes) -> Void) {
        out.bytes.append(0x22)
        body(&out)
        out.bytes.append(0x22)
    }

    // MARK: Shorthands for a member with its value

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: StaticString, integer value: Int64) {
        key(name)
        integer(value)
    }

    mutating func object(_ name: StaticString, _ body: (inout PrettyJSONWriter) -> Void) {
        key(name)
        object(body)
    }

    mutating func array(_ name: StaticString, _ body: (inout PrettyJSONWriter) -> Void) {
        key(name)
        array(body)
    }

    #if DEBUG
    private static func precedes(_ a: StaticString, _ b: StaticString) -> Bool {
        a.withUTF8Buffer { x in b.withUTF8Buffer { y in x.lexicographicallyPrecedes(y) } }
    }
    #endif
}
