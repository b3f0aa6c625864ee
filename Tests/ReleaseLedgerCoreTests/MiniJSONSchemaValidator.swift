@testable import ReleaseLedgerCore

/// A small JSON Schema (draft 2020-12) validator for the event schemas in `Schema/events/`,
/// so a test can check them against the Swift validation without a dependency.
///
/// It knows only the keywords those schemas use, and refuses a schema that uses any other
/// (a keyword it silently skipped would make every instance look valid):
/// `type` (a name or an array of names), `enum`, `const`, `required`, `properties`,
/// `additionalProperties`, `items`, `minItems`, `minLength`, `maxLength`, `pattern`,
/// `minimum`, `maximum`, `exclusiveMinimum`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`,
/// boolean schemas, and the annotations (`$schema`, `$id`, `title`, `description`, `format`, ...).
///
/// Semantics follow the specification where they matter for these schemas:
/// - `integer` is any number with no fractional part (`1.0` is an integer), `number` is any number;
/// - lengths count Unicode code points; `enum`/`const` compare strings by code points and numbers by value;
/// - `pattern` is an ECMA-262 regular expression that is *searched for* in the string (not implicitly
///   anchored: the schemas write `^...$`). It runs on Unicode scalars with ASCII-only classes, as
///   ECMA-262's `u` mode does, through Swift `Regex` (the syntax the schemas use is common to both);
/// - `format` is an annotation and asserts nothing.
struct MiniJSONSchemaValidator {
    struct UnsupportedSchema: Error, CustomStringConvertible {
        let location: String
        let reason: String
        var description: String { "\(location): \(reason)" }
    }

    static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "format", "examples", "default", "deprecated", "readOnly",
        "writeOnly",
    ]
    static let assertions: Set<String> = [
        "type", "enum", "const", "required", "properties", "additionalProperties", "items", "minItems", "minLength",
        "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "allOf", "anyOf", "oneOf", "if", "then",
        "else",
    ]
    static let typeNames: Set<String> = ["null", "boolean", "object", "array", "number", "integer", "string"]

    let schema: JSONValue
    /// Every `pattern` of the schema, compiled once.
    private let regexes: [String: Regex<AnyRegexOutput>]

    /// Checks that `schema` uses only supported keywords, well formed, with patterns that compile.
    init(_ schema: JSONValue) throws(UnsupportedSchema) {
        var regexes: [String: Regex<AnyRegexOutput>] = [:]
        try Self.check(schema, at: "#", regexes: &regexes)
        self.schema = schema
        self.regexes = regexes
    }

    func isValid(_ instance: JSONValue) -> Bool { errors(in: instance).isEmpty }

    /// Every way `instance` fails the schema, as `instance-path: message` lines.
    func errors(in instance: JSONValue) -> [String] { errors(in: instance, at: "$", schema: schema) }

    // MARK: - Schema check

    private static func check(_ schema: JSONValue, at location: String, regexes: inout [String: Regex<AnyRegexOutput>])
        throws(UnsupportedSchema)
    {
        func fail(_ reason: String) -> UnsupportedSchema { UnsupportedSchema(location: location, reason: reason) }
        if case .bool = schema { return }
        guard case .object(let object) = schema else { throw fail("a schema must be an object or a boolean") }
        for (keyword, value) in object {
            let here = "\(location)/\(keyword)"
            switch keyword {
            case _ where annotations.contains(keyword):
                continue
            case "type":
                let names = value.arrayValue ?? [value]
                guard !names.isEmpty, names.allSatisfy({ $0.stringValue.map(typeNames.contains) == true }) else {
                    throw fail("type must name JSON types")
                }
            case "enum":
                guard value.arrayValue?.isEmpty == false else { throw fail("enum must be a non-empty array") }
            case "const":
                continue
            case "required":
                guard let names = value.arrayValue, names.allSatisfy({ $0.stringValue != nil }) else {
                    throw fail("required must be an array of strings")
                }
            case "properties":
                guard let members = value.objectValue else { throw fail("properties must be an object") }
                for (name, subschema) in members { try check(subschema, at: "\(here)/\(name)", regexes: &regexes) }
            case "additionalProperties", "items", "if", "then", "else":
                try check(value, at: here, regexes: &regexes)
            case "allOf", "anyOf", "oneOf":
                guard let list = value.arrayValue, !list.isEmpty else {
                    throw fail("\(keyword) must be a non-empty array")
                }
                for (i, subschema) in list.enumerated() { try check(subschema, at: "\(here)/\(i)", regexes: &regexes) }
            case "minItems", "minLength", "maxLength":
                guard let n = value.intValue, n >= 0 else { throw fail("\(keyword) must be a non-negative integer") }
            case "minimum", "maximum", "exclusiveMinimum":
                guard value.doubleValue != nil else { throw fail("\(keyword) must be a number") }
            case "pattern":
                guard let pattern = value.stringValue, let compiled = try? regex(pattern) else {
                    throw fail("pattern must be a regular expression Swift Regex can compile")
                }
                regexes[pattern] = compiled
            default:
                throw fail("keyword '\(keyword)' is not supported by this validator")
            }
        }
    }

    // MARK: - Validation

    private func errors(in instance: JSONValue, at path: String, schema: JSONValue) -> [String] {
        switch schema {
        case .bool(true): return []
        case .bool(false): return ["\(path): no value is allowed here"]
        case .object: break
        default: return ["\(path): the schema is not a schema"]
        }
        var found: [String] = []
        func add(_ message: String) { found.append("\(path): \(message)") }

        if let type = schema["type"] {
            let names = (type.arrayValue ?? [type]).compactMap(\.stringValue)
            if !names.contains(where: { Self.has(instance, type: $0) }) {
                add("must be of type \(names.joined(separator: " or ")), not \(instance.typeName)")
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(where: { Self.equal($0, instance) }) {
            add("must be one of the enumerated values")
        }
        if let constant = schema["const"], !Self.equal(constant, instance) {
            add("must be the constant value")
        }

        if case .string(let s) = instance {
            let length = s.unicodeScalars.count
            if let min = schema["minLength"]?.intValue, length < min { add("must have at least \(min) character(s)") }
            if let max = schema["maxLength"]?.intValue, length > max { add("must have at most \(max) character(s)") }
            if let pattern = schema["pattern"]?.stringValue, s.firstMatch(of: regexes[pattern]!) == nil {
                add("must match \(pattern)")
            }
        }

        if let number = instance.doubleValue {
            if let min = schema["minimum"]?.doubleValue, number < min { add("must be at least \(min)") }
            if let max = schema["maximum"]?.doubleValue, number > max { add("must be at most \(max)") }
            if let min = schema["exclusiveMinimum"]?.doubleValue, number <= min { add("must be greater than \(min)") }
        }

        if case .array(let elements) = instance {
            if let min = schema["minItems"]?.intValue, elements.count < min { add("must have at least \(min) item(s)") }
            if let items = schema["items"] {
                for (i, element) in elements.enumerated() {
                    found += errors(in: element, at: "\(path)[\(i)]", schema: items)
                }
            }
        }

        if case .object(let object) = instance {
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                found.append("\(path).\(name): is required")
            }
            let properties = schema["properties"]?.objectValue ?? JSONObject()
            for (name, value) in object {
                if let subschema = properties[name] {
                    found += errors(in: value, at: "\(path).\(name)", schema: subschema)
                } else if let additional = schema["additionalProperties"] {
                    found += errors(in: value, at: "\(path).\(name)", schema: additional)
                }
            }
        }

        for subschema in schema["allOf"]?.arrayValue ?? [] {
            found += errors(in: instance, at: path, schema: subschema)
        }
        if let list = schema["anyOf"]?.arrayValue,
            !list.contains(where: { errors(in: instance, at: path, schema: $0).isEmpty })
        {
            add("must match at least one schema of anyOf")
        }
        if let list = schema["oneOf"]?.arrayValue {
            let matching = list.filter { errors(in: instance, at: path, schema: $0).isEmpty }.count
            if matching != 1 { add("must match exactly one schema of oneOf, matches \(matching)") }
        }
        if let condition = schema["if"] {
            let branch = errors(in: instance, at: path, schema: condition).isEmpty ? schema["then"] : schema["else"]
            if let branch { found += errors(in: instance, at: path, schema: branch) }
        }
        return found
    }

    private static func has(_ instance: JSONValue, type name: String) -> Bool {
        switch (name, instance) {
        case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("number", .number),
            ("string", .string):
            return true
        case ("integer", .number(.integer)):
            return true
        case ("integer", .number(.double(let d))):
            return d.isFinite && d.rounded(.towardZero) == d
        default:
            return false
        }
    }

    /// JSON equality: numbers by value, strings by code points (not Swift's canonical equivalence).
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number, .number):
            if case .number(.integer(let x)) = a, case .number(.integer(let y)) = b { return x == y }
            return a.doubleValue == b.doubleValue
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count
                && x.allSatisfy { member in y[member.key].map { equal(member.value, $0) } ?? false }
        default: return false
        }
    }

    /// ECMA-262 `u` mode, near enough: per Unicode scalar, ASCII-only `\\d`, `\\w`, `\\s`. The match is a search
    /// (`firstMatch`), so a pattern matches anywhere unless it anchors itself.
    static func regex(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        try Regex(pattern).matchingSemantics(.unicodeScalar).asciiOnlyCharacterClasses()
    }

}
