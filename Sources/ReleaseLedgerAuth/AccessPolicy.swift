import ReleaseLedgerCore

/// Which scopes a GitHub Actions OIDC token gets, from its claims (`serve --policy FILE`):
///
/// ```json
/// {"rules": [
///   {"repository": "acme/app", "environment": "production", "ref": "refs/heads/main", "scopes": ["production", "audit"]},
///   {"repository": "acme/app", "environment": "production-control-plane", "scopes": ["production-control-plane"]},
///   {"repository": "acme/*", "job_workflow_ref": "acme/app/.github/workflows/*@refs/heads/main", "scopes": ["candidate"]}
/// ]}
/// ```
///
/// A rule matches when every claim it names matches: exactly, or with `*` standing for any run of
/// characters. A claim the rule names but the token lacks does not match. The token gets the
/// scopes of every rule that matches; a token no rule matches is refused (403). Each rule must name
/// `repository` with a literal owner: GitHub signs the tokens of every repository with the same
/// issuer, so a rule without one would let any repository in.
public struct AccessPolicy: Equatable, Sendable {
    public struct Rule: Equatable, Sendable {
        /// Claim name (as in the token: `repository`, `environment`, `ref`, `job_workflow_ref`) to pattern.
        public let patterns: [String: String]
        public let scopes: Set<AccessScope>

        public init(patterns: [String: String], scopes: Set<AccessScope>) {
            self.patterns = patterns
            self.scopes = scopes
        }

        public func matches(_ claims: [String: String]) -> Bool {
            patterns.allSatisfy { claim, pattern in claims[claim].map { Glob.matches($0, pattern: pattern) } ?? false }
        }
    }

    public static let claimNames = ["repository", "environment", "ref", "job_workflow_ref"]

    public let rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    /// The scopes for a token's claims: the union over every rule that matches (empty: none does).
    public func scopes(for claims: [String: String]) -> Set<AccessScope> {
        rules.filter { $0.matches(claims) }.reduce(into: []) { $0.formUnion($1.scopes) }
    }

    /// Parses the policy file with the ledger's strict JSON parser; a problem names its field.
    public init(json bytes: [UInt8], file: String = "policy") throws(LedgerError) {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes: bytes, field: file) } catch {
            throw .invalidInput(field: error.path, rule: error.rule)
        }
        guard case .object(let top) = document else {
            throw .invalidInput(field: file, rule: "must be a JSON object with \"rules\"")
        }
        for key in top.keys where key != "rules" {
            throw .invalidInput(field: file + JSONPath.member(key), rule: "is not a known field (rules)")
        }
        guard let items = top["rules"]?.arrayValue, !items.isEmpty else {
            throw .invalidInput(field: "\(file).rules", rule: "must be a non-empty array of rules")
        }
        var rules: [Rule] = []
        for (index, item) in items.enumerated() {
            let field = "\(file).rules[\(index)]"
            guard case .object(let object) = item else { throw .invalidInput(field: field, rule: "must be an object") }
            var patterns: [String: String] = [:]
            var scopes: Set<AccessScope> = []
            for (key, value) in object {
                let member = field + JSONPath.member(key)
                if key == "scopes" {
                    guard let names = value.arrayValue, !names.isEmpty else {
                        throw .invalidInput(field: member, rule: "must be a non-empty array of scopes")
                    }
                    for (position, name) in names.enumerated() {
                        guard let text = name.stringValue else {
                            throw .invalidInput(field: "\(member)[\(position)]", rule: "must be a string")
                        }
                        scopes.insert(try AccessScope.parse(text, field: "\(member)[\(position)]"))
                    }
                } else if Self.claimNames.contains(key) {
                    guard let pattern = value.stringValue, !pattern.isEmpty else {
                        throw .invalidInput(field: member, rule: "must be a non-empty string")
                    }
                    patterns[key] = pattern
                } else {
                    throw .invalidInput(
                        field: member,
                        rule: "is not a known field (\((Self.claimNames + ["scopes"]).joined(separator: ", ")))")
                }
            }
            guard !scopes.isEmpty else { throw .invalidInput(field: "\(field).scopes", rule: "is required") }
            guard let repository = patterns["repository"] else {
                throw .invalidInput(
                    field: "\(field).repository",
                    rule: "is required: every repository on GitHub gets tokens from the same issuer")
            }
            let owner = repository.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard owner.count == 2, !owner[0].isEmpty, !owner[0].contains("*") else {
                throw .invalidInput(
                    field: "\(field).repository", rule: "must be OWNER/NAME with a literal owner (NAME may use *)")
            }
            rules.append(Rule(patterns: patterns, scopes: scopes))
        }
        self.init(rules: rules)
    }
}

/// `*` matches any run of characters (slashes included); every other character matches itself.
enum Glob {
    static func matches(_ text: String, pattern: String) -> Bool {
        let text = Array(text.unicodeScalars)
        let pattern = Array(pattern.unicodeScalars)
        // Greedy match with one backtrack point per star: linear in practice, never exponential.
        var (t, p) = (0, 0)
        var star: (pattern: Int, text: Int)?
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                star = (p, t)
                p += 1
            } else if p < pattern.count, pattern[p] == text[t] {
                t += 1
                p += 1
            } else if let last = star {
                p = last.pattern + 1
                t = last.text + 1
                star = (last.pattern, last.text + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
