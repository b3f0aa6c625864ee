/// Decides whether a string may be stored in the ledger.
public enum SecretScanner {
    /// Scans one string before it is appended to the ledger.
    ///
    /// `key` is the object key the value sits under (nil for array elements or top-level),
    /// `field` the full path used in messages. Returns nil when the value may be stored; a
    /// finding names the field and the kind of credential only, so the refusal message can
    /// never echo the secret itself.
    public static func scan(value: String, key: String?, field: @autoclosure () -> String) -> SecretFinding? {
        guard let kind = detectKind(value: value, key: key) else { return nil }
        return SecretFinding(field: field(), kind: kind)
    }

    /// The rules in order. Value shapes come first because they name the credential precisely
    /// (a JWT under `token` is reported as a JSON Web Token); the key-name rules follow, and the
    /// exact-name rule (`secretField`) wins over the entropy heuristic.
    static func detectKind(value: String, key: String?) -> SecretKind? {
        var value = value  // `withUTF8` is mutating; for a native string this copy shares storage.
        return value.withUTF8 { raw -> SecretKind? in
            let text = trimmingASCIIWhitespace(raw)
            if text.isEmpty { return nil }
            // Commit SHAs and image digests are everywhere in release events and are public:
            // they never trigger, whatever key they sit under.
            if isDigestLike(text) { return nil }
            return withNormalizedKeyName(key) { name -> SecretKind? in
                let keyNamesSignatureOrHash = name.map(namesSignatureOrHash) ?? false
                if let kind = strongestCredentialShape(in: text, countBareAccountKeyShapes: !keyNamesSignatureOrHash) {
                    return kind
                }
                guard let name, !isPlaceholder(text) else { return nil }
                if isSecretFieldName(name) { return .secretField }
                if isSecretishKeyName(name), looksLikeHighEntropyToken(text) { return .highEntropyUnderSecretKey }
                return nil
            }
        }
    }
}

// MARK: - Envelopes, nesting and messages

extension SecretScanner {
    /// Scans the envelope strings an event stores besides its payload and metadata: a credential
    /// passed as `--id`, `--stream` or `--type x-…` would otherwise reach the ledger (and every report).
    public static func firstFinding(id: String?, stream: String?, type: String, sha: String) -> SecretFinding? {
        if let id, let finding = scan(value: id, key: nil, field: "id") { return finding }
        if let stream, let finding = scan(value: stream, key: nil, field: "stream") { return finding }
        if let finding = scan(value: type, key: nil, field: "type") { return finding }
        return scan(value: sha, key: nil, field: "sha")
    }

    /// The key a value nested below `parent` is judged under. Judgement call: below a key named like a
    /// secret (`{"password":{"value":…}}`, `{"client_secret":[…]}` via arrays) every value counts as
    /// the secret, except members that describe it (`name`, `id`, `expiresAt`, `type`, …) and members
    /// whose own name is secret-like, which are judged by that name.
    package static func key(forMember member: String, under parent: String?) -> String? {
        guard let parent else { return member }
        let memberStandsAlone = withNormalizedKeyName(member) { name -> Bool in
            guard let name else { return true }
            return isSecretFieldName(name) || describesASecret(name)
        }
        if memberStandsAlone { return member }
        let parentIsSecret = withNormalizedKeyName(parent) { name -> Bool in
            guard let name else { return false }
            return isSecretFieldName(name) || isSecretishKeyName(name)
        }
        return parentIsSecret ? parent : member
    }

    /// Member names that say something about a secret rather than hold it.
    static let describingKeySuffixes: [StaticString] = [
        "at", "date", "time", "expires", "expiry", "created", "updated", "rotated", "format", "algorithm", "alg",
        "scope", "scopes", "description", "note", "notes", "source", "provider", "names", "ids", "length", "status",
        "owner", "issuer", "audience", "tenant", "tenantid", "clientid",
    ]

    static func describesASecret(_ name: Bytes) -> Bool {
        referenceKeySuffixes.contains { hasSuffix(name, $0) } || describingKeySuffixes.contains { hasSuffix(name, $0) }
    }

    /// What an error line may print: every space-separated word the scanner would refuse becomes
    /// `[redacted]`, as does the credential after `Bearer`/`Basic`, and so does every occurrence of an
    /// `input` (a command-line argument, or its value after `--option=`) that the scanner would refuse.
    /// Error messages quote input back (an unknown scope, an unparsable time); this keeps secrets out.
    public static func redactingSecrets(in message: String, inputs: [String] = []) -> String {
        var text = message
        for input in inputs {
            for candidate in [input, input.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init)] {
                guard let candidate, candidate.count >= 4, detectKind(value: candidate, key: nil) != nil else {
                    continue
                }
                text = text.replacing(candidate, with: "[redacted]")
            }
        }
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in words.indices where !words[index].isEmpty && words[index] != "[redacted]" {
            if detectKind(value: words[index], key: nil) != nil {
                words[index] = "[redacted]"
            } else if index > 0,
                detectKind(value: words[index - 1] + " " + words[index], key: nil) == .authorizationHeader
            {
                words[index] = "[redacted]"  // `Bearer <token>`: the token alone has no telling shape
            }
        }
        return words.joined(separator: " ")
    }
}

// MARK: - Tunables

extension SecretScanner {
    /// Minimum length (bytes) for the high-entropy rule; shorter values are too weak a signal.
    static let minimumHighEntropyLength = 20
    /// Shannon entropy (bits per character) from which a token-shaped value counts as random.
    /// Random base62 of 20 characters scores about 4.1, but slugs and identifiers also reach
    /// 3.5–3.8, which is why `looksLikeHighEntropyToken` adds shape requirements.
    static let highEntropyThreshold = 3.5
    /// Hex can carry at most 4 bits per character, and a random 32-character hex key scores
    /// below 3.5 about one time in five; hex-only values are therefore judged against a lower bar.
    static let hexHighEntropyThreshold = 3.0
    /// JWT segment minimums: `{"alg":"none"}` alone encodes to 19 characters, the smallest
    /// real signature (HS256) to 43.
    static let minimumJWTHeaderLength = 10
    static let minimumJWTPayloadLength = 10
    static let minimumJWTSignatureLength = 16
    /// Values longer than this are never treated as placeholders, which also bounds how far the
    /// scanner reads after a `name=` when deciding whether the value is a placeholder.
    static let maximumPlaceholderLength = 256
}

// MARK: - Value shapes (one forward pass)

extension SecretScanner {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Runs every value-shape rule in a single pass and returns the most specific match.
    /// `unwrapping` decodes base64 runs and scans the text inside once (never recursively).
    static func strongestCredentialShape(
        in s: Bytes, countBareAccountKeyShapes: Bool = true, unwrapping: Bool = true
    ) -> SecretKind? {
        var best: SecretKind?
        func consider(_ kind: SecretKind?) {
            guard let kind else { return }
            if let current = best, specificityRank(current) <= specificityRank(kind) { return }
            best = kind
        }
        var base64RunStart = 0  // start of the current run of standard-base64 characters
        var wrappedRunStart = 0  // start of the current run of base64 or base64url characters, no padding
        let n = s.count
        for i in 0..<n {
            let b = s[i]
            switch b {
            case UInt8(ascii: "e"): if isJSONWebToken(s, at: i) { consider(.jsonWebToken) }
            case UInt8(ascii: "-"): if isPEMPrivateKeyHeader(s, at: i) { return .privateKey }  // nothing ranks higher
            case UInt8(ascii: "g"):
                if isGitHubToken(s, at: i) { consider(.gitHubToken) }
                if isGitLabToken(s, at: i) { consider(.gitLabToken) }
            case UInt8(ascii: "G"): if isGitLabRunnerRegistrationToken(s, at: i) { consider(.gitLabToken) }
            case UInt8(ascii: "A"): if isAWSAccessKeyID(s, at: i) { consider(.awsAccessKey) }
            case UInt8(ascii: "x"): if isSlackToken(s, at: i) { consider(.slackToken) }
            case UInt8(ascii: "h"): if isSlackWebhook(s, at: i) { consider(.slackToken) }
            case UInt8(ascii: "s"), UInt8(ascii: "r"):
                if isStripeSecretKey(s, at: i) { consider(.stripeKey) }
                if isReleaseLedgerToken(s, at: i) { consider(.releaseLedgerToken) }
            case UInt8(ascii: "~"): if isEntraClientSecret(s, tilde: i) { consider(.entraClientSecret) }
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                if isAuthorizationValue(s, at: i) { consider(.authorizationHeader) }
            case UInt8(ascii: ":"):
                if urlCarriesPassword(s, colon: i) { consider(.passwordInURL) }
                consider(credentialLabelKind(s, colon: i))
            case UInt8(ascii: "="): consider(credentialAssignmentKind(s, equalsSign: i))
            default: break
            }
            if !isStandardBase64(b) {
                if countBareAccountKeyShapes, isBareAccountKey(s, base64RunStart..<i) { consider(.azureStorageKey) }
                if i - base64RunStart >= 40, isAWSSecretKey(s, base64RunStart..<i) { consider(.awsSecretKey) }
                base64RunStart = i + 1
            }
            if !isAnyBase64Digit(b) {
                if unwrapping, best == nil, i - wrappedRunStart >= minimumWrappedLength {
                    consider(wrappedCredentialKind(s, wrappedRunStart..<i))
                }
                wrappedRunStart = i + 1
            }
        }
        if countBareAccountKeyShapes, isBareAccountKey(s, base64RunStart..<n) { consider(.azureStorageKey) }
        if isAWSSecretKey(s, base64RunStart..<n) { consider(.awsSecretKey) }
        if unwrapping, best == nil { consider(wrappedCredentialKind(s, wrappedRunStart..<n)) }
        return best
    }

    /// When one string holds several shapes (`https://x:ghs_…@github.com`), report the most
    /// telling one: the token itself rather than the URL that carries it.
    static func specificityRank(_ kind: SecretKind) -> Int {
        switch kind {
        case .privateKey: 0
        case .jsonWebToken: 1
        case .gitHubToken: 2
        case .azureStorageKey: 3
        case .connectionString: 4
        case .awsAccessKey, .awsSecretKey, .slackToken, .stripeKey, .gitLabToken, .entraClientSecret,
            .releaseLedgerToken:
            2
        case .authorizationHeader, .passwordInURL: 5
        case .secretField: 6
        case .highEntropyUnderSecretKey: 7
        }
    }

    // JWT: `eyJ` (base64 of `{"`) at a token boundary, three dot-separated base64url segments of
    // plausible length, and a header that decodes to something containing `"alg"` (required by
    // RFC 7515). The decode check keeps dotted names like `eyJump-host-01.prod.example-domain` out.
    static func isJSONWebToken(_ s: Bytes, at i: Int) -> Bool {
        let n = s.count
        guard i + 2 < n, s[i + 1] == UInt8(ascii: "y"), s[i + 2] == UInt8(ascii: "J") else { return false }
        if i > 0, isBase64URL(s[i - 1]) { return false }
        let headerEnd = endOfRun(s, from: i, where: isBase64URL)
        guard headerEnd - i >= minimumJWTHeaderLength, headerEnd < n, s[headerEnd] == UInt8(ascii: ".") else {
            return false
        }
        let payloadEnd = endOfRun(s, from: headerEnd + 1, where: isBase64URL)
        guard payloadEnd - (headerEnd + 1) >= minimumJWTPayloadLength,
            payloadEnd < n, s[payloadEnd] == UInt8(ascii: ".")
        else { return false }
        let signatureEnd = endOfRun(s, from: payloadEnd + 1, where: isBase64URL)
        guard signatureEnd - (payloadEnd + 1) >= minimumJWTSignatureLength else { return false }
        return base64URLDecodedContainsAlgMember(s, i..<headerEnd)
    }

    /// Streams the base64url decode of `range` and watches for the five bytes `"alg"`,
    /// without materialising the decoded header.
    static func base64URLDecodedContainsAlgMember(_ s: Bytes, _ range: Range<Int>) -> Bool {
        let algMember: UInt64 = 0x22_61_6C_67_22  // "alg" with its quotes
        var window: UInt64 = 0
        var bitBuffer: UInt32 = 0
        var bitCount = 0
        for index in range {
            let c = s[index]
            let sextet: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "-"): sextet = 62
            default: sextet = 63  // "_"; the range holds base64url characters only
            }
            bitBuffer = (bitBuffer << 6) | sextet
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                let byte = UInt64((bitBuffer >> UInt32(bitCount)) & 0xFF)
                bitBuffer &= (1 << UInt32(bitCount)) - 1
                window = ((window << 8) | byte) & 0xFF_FF_FF_FF_FF
                if window == algMember { return true }
            }
        }
        return false
    }

    // PEM: only the armour header is needed; a value that merely contains it is refused.
    // Certificates and public keys use other labels and pass.
    static func isPEMPrivateKeyHeader(_ s: Bytes, at i: Int) -> Bool {
        guard hasPrefix(s, at: i, "-----begin ", ignoringCase: true) else { return false }
        let labelStart = i + 11
        var j = labelStart
        let labelLimit = min(s.count, labelStart + 64)
        while j < labelLimit, s[j] != UInt8(ascii: "-") {
            guard isASCIIAlphanumeric(s[j]) || s[j] == UInt8(ascii: " ") else { return false }
            j += 1
        }
        guard hasPrefix(s, at: j, "-----", ignoringCase: false) else { return false }
        return contains(Bytes(rebasing: s[labelStart..<j]), "private key", ignoringCase: true)
    }

    // GitHub: classic tokens are a 4-character prefix plus 36 base62 characters; fine-grained
    // tokens are `github_pat_` plus 82 word characters, of which 22 are enough to refuse.
    // Counting stops at the minimum so that repeated prefixes cannot make the scan quadratic.
    static func isGitHubToken(_ s: Bytes, at i: Int) -> Bool {
        let n = s.count
        if i + 3 < n, s[i + 1] == UInt8(ascii: "h"), s[i + 3] == UInt8(ascii: "_") {
            switch s[i + 2] {
            case UInt8(ascii: "p"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "s"), UInt8(ascii: "r"):
                return hasRun(s, from: i + 4, ofAtLeast: 36, where: isASCIIAlphanumeric)
            default:
                return false
            }
        }
        if hasPrefix(s, at: i, "github_pat_", ignoringCase: false) {
            return hasRun(s, from: i + 11, ofAtLeast: 22, where: isWordCharacter)
        }
        return false
    }

    // URL userinfo: the authority runs from `://` to the first `/`, `?` or `#`; the last `@` in it
    // ends the userinfo, and a non-empty, non-placeholder text after the first `:` is a password.
    // An `@` later in the path (image digests, mail links) is not userinfo.
    static func urlCarriesPassword(_ s: Bytes, colon: Int) -> Bool {
        let n = s.count
        guard colon > 0, isASCIIAlphanumeric(s[colon - 1]), colon + 2 < n,
            s[colon + 1] == UInt8(ascii: "/"), s[colon + 2] == UInt8(ascii: "/")
        else { return false }
        let authorityStart = colon + 3
        var j = authorityStart
        var lastAt = -1
        scan: while j < n {
            switch s[j] {
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\\"),
                UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: ">"):
                break scan
            case let b where isASCIIWhitespace(b):
                break scan
            case UInt8(ascii: "@"):
                lastAt = j
            default:
                break
            }
            j += 1
        }
        guard lastAt > authorityStart else { return false }
        var passwordStart = authorityStart
        while passwordStart < lastAt, s[passwordStart] != UInt8(ascii: ":") { passwordStart += 1 }
        passwordStart += 1
        guard passwordStart < lastAt else { return false }  // no `:` (user only) or empty password
        return !isPlaceholder(Bytes(rebasing: s[passwordStart..<lastAt]))
    }

    /// The kind of credential a `name=value` pair carries, judged from the name just before `=`:
    /// connection-string and SAS parameters, and client_secret-style names in query strings,
    /// env dumps and command lines (`DB_PASSWORD=…`, `?client_secret=…`, `--password=…`).
    /// INI and shell styles put spaces around `=` (`aws_secret_access_key = …`); up to three are skipped.
    static func credentialAssignmentKind(_ s: Bytes, equalsSign sign: Int) -> SecretKind? {
        var e = sign
        while e > 0, sign - e < 3, s[e - 1] == UInt8(ascii: " ") { e -= 1 }
        guard e > 0, isWordCharacter(s[e - 1]) else { return nil }
        var valueStart = sign + 1
        if valueStart < s.count, s[valueStart] == UInt8(ascii: "=") { return nil }  // `==` compares
        while valueStart < s.count, valueStart - sign <= 3, s[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let kind: SecretKind
        var valueMustNotBePath = false
        if nameBefore(s, e, endsWith: "accountkey") != nil {
            kind = .azureStorageKey
        } else if nameBefore(s, e, endsWith: "sharedaccesskey") != nil
            || nameBefore(s, e, endsWith: "sharedaccesssignature") != nil
        {
            kind = .connectionString
        } else if let start = nameBefore(s, e, endsWith: "sig"), start == e - 3,
            start == 0 || s[start - 1] == UInt8(ascii: "?") || s[start - 1] == UInt8(ascii: "&")
        {
            kind = .azureStorageKey  // SAS signature, in a URL (`…?sv=…&sig=…`) or a bare SAS token
        } else if nameBefore(s, e, endsWith: "password") != nil
            || nameBefore(s, e, endsWith: "passwd") != nil
        {
            kind = .connectionString
        } else if let start = nameBefore(s, e, endsWith: "pwd"), start == e - 3,
            start == 0 || !isWordCharacter(s[start - 1])
        {
            // Only a whole-word `Pwd` (ODBC style). `PWD=/home/runner` in an environment dump is
            // the working directory, so path-like values are let through.
            kind = .connectionString
            valueMustNotBePath = true
        } else if isClientSecretStyleNameBefore(s, e) {
            kind = .secretField
        } else {
            return nil
        }
        let value = assignedValue(s, from: valueStart)
        if valueMustNotBePath, let first = value.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "~") {
            return nil
        }
        // Spaced forms are also how code and prose read (`jsonWebToken = "JSON Web Token"`): stricter value.
        if e != sign || valueStart != sign + 1, !isCredentialLikeText(value) { return nil }
        return isPlaceholder(value) ? nil : kind
    }

    static func isClientSecretStyleNameBefore(_ s: Bytes, _ e: Int) -> Bool {
        secretFieldNameStart(s, e) != nil
    }

    /// Where a client_secret-style name ending just before `e` starts, if one does.
    static func secretFieldNameStart(_ s: Bytes, _ e: Int) -> Int? {
        for name in secretFieldSuffixes { if let start = nameBefore(s, e, endsWith: name) { return start } }
        return nil
    }

    /// `NAME: value` text, as YAML, env dumps and CI logs write it (`API_SMOKE_ALLOWED_CLIENT_SECRET: …`,
    /// `"client_secret": "…"`). Judgement call: a name that is clearly a key (quoted, or compound like
    /// `DB_PASSWORD`, `clientSecret`, `id-token`) refuses any real value; a bare word in prose
    /// ("invalid token: 401") refuses only a high-entropy token, so error text stays storable.
    static func credentialLabelKind(_ s: Bytes, colon c: Int) -> SecretKind? {
        var e = c
        let quoted = e > 0 && (s[e - 1] == UInt8(ascii: "\"") || s[e - 1] == UInt8(ascii: "'"))
        if quoted { e -= 1 }
        // Every secret-field name ends in t, d, e, n or y: the colons of times and URLs stop here.
        guard e > 0 else { return nil }
        switch asciiLowercased(s[e - 1]) {
        case UInt8(ascii: "t"), UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "n"), UInt8(ascii: "y"): break
        default: return nil
        }
        guard let start = secretFieldNameStart(s, e) else { return nil }
        var v = c + 1
        if v < s.count, s[v] == UInt8(ascii: "/") { return nil }  // a URL scheme, `token://…`
        while v < s.count, v - c <= 4, s[v] == UInt8(ascii: " ") || s[v] == UInt8(ascii: "\t") { v += 1 }
        let value = assignedValue(s, from: v)
        guard isCredentialLikeText(value), !isPlaceholder(value) else { return nil }
        let isCompound =
            (start > 0 && isWordCharacter(s[start - 1]))
            || s[start..<e].contains { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        if quoted || isCompound, !startsASentence(s, value: value, at: v) { return .secretField }
        return looksLikeHighEntropyToken(value) ? .secretField : nil
    }

    /// What a credential written as text looks like: four or more characters without spaces, not a
    /// nested structure (`{`, `[`, `(`, `<`) and not a non-ASCII mark such as `…`. Counts (`retries: 1`),
    /// phrases (`"JSON Web Token"`) and nested JSON in prose pass.
    static func isCredentialLikeText(_ value: Bytes) -> Bool {
        guard value.count >= 4, let first = value.first, first < 0x80 else { return false }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "("), UInt8(ascii: "<"): return false
        default: return !value.contains(UInt8(ascii: " "))
        }
    }

    /// A lower-case word followed by more words reads as prose, not as a credential: a quoted error line
    /// such as "data.client_secret: looks like a secret" stays storable.
    static func startsASentence(_ s: Bytes, value: Bytes, at start: Int) -> Bool {
        let end = start + value.count
        let isLowercaseWord = value.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        guard !value.isEmpty, isLowercaseWord else { return false }
        return end + 1 < s.count && s[end] == UInt8(ascii: " ") && isASCIILetter(s[end + 1])
    }

    /// Matches `name` against the key that ends just before `=`, case-insensitively and skipping
    /// `_`/`-` separators (`CLIENT_SECRET`, `client-secret`). Returns where the match starts.
    static func nameBefore(_ s: Bytes, _ e: Int, endsWith name: StaticString) -> Int? {
        var j = e - 1
        var k = name.utf8CodeUnitCount - 1
        let literal = name.utf8Start
        while k >= 0 {
            guard j >= 0 else { return nil }
            let c = s[j]
            if c == UInt8(ascii: "_") || c == UInt8(ascii: "-") {
                j -= 1
                continue
            }
            guard asciiLowercased(c) == literal[k] else { return nil }
            j -= 1
            k -= 1
        }
        return j + 1
    }

    /// The value after `=`: quoted text, or up to the next `;`, `&`, `,`, quote, backtick or whitespace.
    /// Template expressions (`${{ … }}`, `$(…)`) are taken whole because they contain spaces.
    /// Reading stops after `maximumPlaceholderLength` bytes; a longer value is real anyway.
    static func assignedValue(_ s: Bytes, from start: Int) -> Bytes {
        let limit = min(s.count, start + maximumPlaceholderLength + 1)
        guard start < limit else { return Bytes(rebasing: s[start..<start]) }
        let first = s[start]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            var j = start + 1
            while j < limit, s[j] != first { j += 1 }
            return Bytes(rebasing: s[(start + 1)..<j])
        }
        var j = start
        for (open, close) in templateDelimiters where hasPrefix(s, at: start, open, ignoringCase: false) {
            var k = start + open.utf8CodeUnitCount
            while k < limit, !hasPrefix(s, at: k, close, ignoringCase: false) { k += 1 }
            j = min(limit, k + close.utf8CodeUnitCount)
            break
        }
        while j < limit {
            let c = s[j]
            if c == UInt8(ascii: ";") || c == UInt8(ascii: "&") || c == UInt8(ascii: ",")
                || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") || isASCIIWhitespace(c)
            {
                break  // a backtick closes a markdown code span or opens a shell substitution
            }
            j += 1
        }
        return Bytes(rebasing: s[start..<j])
    }

    /// A storage account key is 64 random bytes: exactly 88 base64 characters, the last two `=`.
    /// A SHA-512 subresource-integrity digest (`sha512-…`) has the same shape and is skipped.
    static func isBareAccountKey(_ s: Bytes, _ run: Range<Int>) -> Bool {
        guard run.count == 88, s[run.upperBound - 1] == UInt8(ascii: "="), s[run.upperBound - 2] == UInt8(ascii: "=")
        else {
            return false
        }
        for index in run.lowerBound..<(run.upperBound - 2) where s[index] == UInt8(ascii: "=") { return false }
        return !hasPrefix(s, at: run.lowerBound - 7, "sha512-", ignoringCase: true)
    }
}

// MARK: - Provider token shapes (rules after gitleaks and detect-secrets, rewritten as byte matchers)

extension SecretScanner {
    /// AWS IAM access key ids: a 4-character prefix and 16 characters of `A-Z2-7`, a whole word.
    /// AWS's documentation keys end in `EXAMPLE` and are let through, as gitleaks does.
    static func isAWSAccessKeyID(_ s: Bytes, at i: Int) -> Bool {
        guard i + 20 <= s.count, startsWord(s, at: i) else { return false }
        let known =
            hasPrefix(s, at: i, "AKIA", ignoringCase: false) || hasPrefix(s, at: i, "ASIA", ignoringCase: false)
            || hasPrefix(s, at: i, "ABIA", ignoringCase: false) || hasPrefix(s, at: i, "ACCA", ignoringCase: false)
            || (hasPrefix(s, at: i, "A3T", ignoringCase: false) && isUppercaseAlphanumeric(s[i + 3]))
        guard known, hasRun(s, from: i + 4, ofAtLeast: 16, where: isBase32Uppercase) else { return false }
        if i + 20 < s.count, isASCIIAlphanumeric(s[i + 20]) { return false }
        return !hasPrefix(s, at: i + 13, "EXAMPLE", ignoringCase: false)
    }

    /// AWS secret access keys have no prefix, so the rule needs context, as gitleaks' does: exactly 40
    /// base64 characters with upper case, lower case and a digit (git SHAs are lower-case hex), not a
    /// path (no `/` at either end, at most two inside), and `aws` within the 32 bytes before.
    static func isAWSSecretKey(_ s: Bytes, _ base64Run: Range<Int>) -> Bool {
        // The standard-base64 run counts `=` as padding; `key=…` ends the name at the last `=`.
        guard base64Run.count >= 40 else { return false }
        var start = base64Run.upperBound - 40
        if base64Run.count > 40 {
            guard s[start - 1] == UInt8(ascii: "=") else { return false }
        } else {
            start = base64Run.lowerBound
        }
        let run = start..<base64Run.upperBound
        guard s[run.lowerBound] != UInt8(ascii: "/"), s[run.upperBound - 1] != UInt8(ascii: "/") else {
            return false
        }
        var hasUpper = false
        var hasLower = false
        var hasDigit = false
        var slashes = 0
        for index in run {
            let b = s[index]
            if b == UInt8(ascii: "=") { return false }
            if b == UInt8(ascii: "/") { slashes += 1 }
            if isASCIIDigit(b) {
                hasDigit = true
            } else if b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") {
                hasLower = true
            } else if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") {
                hasUpper = true
            }
        }
        guard hasUpper, hasLower, hasDigit, slashes <= 2 else { return false }
        let contextStart = max(0, run.lowerBound - 32)
        return contains(Bytes(rebasing: s[contextStart..<run.lowerBound]), "aws", ignoringCase: true)
    }

    /// Slack: `xoxb-`, `xoxp-`, `xoxa-`, `xoxo-`, `xoxs-`, `xoxr-`, `xoxe-`, `xoxe.xoxp-`, and app-level
    /// `xapp-`, each followed by at least 20 characters of `A-Za-z0-9-` with a digit among them.
    static func isSlackToken(_ s: Bytes, at i: Int) -> Bool {
        guard startsWord(s, at: i) else { return false }
        var body = -1
        if hasPrefix(s, at: i, "xapp-", ignoringCase: false) {
            body = i + 5
        } else if hasPrefix(s, at: i, "xoxe.xox", ignoringCase: false), i + 9 < s.count, s[i + 9] == UInt8(ascii: "-") {
            body = i + 10
        } else if hasPrefix(s, at: i, "xox", ignoringCase: false), i + 4 < s.count, s[i + 4] == UInt8(ascii: "-") {
            switch s[i + 3] {
            case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "p"), UInt8(ascii: "o"), UInt8(ascii: "s"),
                UInt8(ascii: "r"), UInt8(ascii: "e"):
                body = i + 5
            default: return false
            }
        }
        guard body >= 0, hasRun(s, from: body, ofAtLeast: 20, where: isSlackTokenCharacter) else { return false }
        return s[body..<(body + 20)].contains(where: isASCIIDigit)
    }

    /// Incoming-webhook and workflow URLs carry their secret in the path.
    static func isSlackWebhook(_ s: Bytes, at i: Int) -> Bool {
        guard hasPrefix(s, at: i, "hooks.slack.com/", ignoringCase: true) else { return false }
        let path = i + 16
        for section in ["services/", "workflows/", "triggers/"] as [StaticString]
        where hasPrefix(s, at: path, section, ignoringCase: false) {
            return hasRun(s, from: path + section.utf8CodeUnitCount, ofAtLeast: 20) { isStandardBase64($0) && $0 != 61 }
        }
        return false
    }

    /// Stripe secret and restricted keys: `sk_` or `rk_`, then `live_`, `test_` or `prod_`, then 10+ alphanumerics.
    static func isStripeSecretKey(_ s: Bytes, at i: Int) -> Bool {
        guard i + 8 < s.count, s[i + 1] == UInt8(ascii: "k"), s[i + 2] == UInt8(ascii: "_"), startsWord(s, at: i) else {
            return false
        }
        let environments: [StaticString] = ["live_", "test_", "prod_"]
        guard environments.contains(where: { hasPrefix(s, at: i + 3, $0, ignoringCase: false) }) else { return false }
        return hasRun(s, from: i + 8, ofAtLeast: 10, where: isASCIIAlphanumeric)
    }

    /// This ledger's static tokens (`StaticToken.prefix` in the core): `rlt_` at a word start and 43 base62 characters.
    static func isReleaseLedgerToken(_ s: Bytes, at i: Int) -> Bool {
        hasPrefix(s, at: i, "rlt_", ignoringCase: false) && startsWord(s, at: i)
            && hasRun(s, from: i + 4, ofAtLeast: 43, where: isASCIIAlphanumeric)
    }

    /// GitLab token prefixes and the least number of `[A-Za-z0-9_-]` characters each carries.
    static let gitLabTokenPrefixes: [(prefix: StaticString, minimum: Int)] = [
        ("glpat-", 20), ("gldt-", 20), ("glrt-", 20), ("glptt-", 40), ("glft-", 20), ("glimt-", 25),
        ("glagent-", 50), ("glsoat-", 20), ("gloas-", 64), ("glcbt-", 20),
    ]

    static func isGitLabToken(_ s: Bytes, at i: Int) -> Bool {
        guard i + 1 < s.count, s[i + 1] == UInt8(ascii: "l"), startsWord(s, at: i) else { return false }
        for (prefix, minimum) in gitLabTokenPrefixes where hasPrefix(s, at: i, prefix, ignoringCase: false) {
            return hasRun(s, from: i + prefix.utf8CodeUnitCount, ofAtLeast: minimum, where: isWordCharacter)
        }
        return false
    }

    /// Runner registration tokens: the fixed `GR1348941` and 20 more.
    static func isGitLabRunnerRegistrationToken(_ s: Bytes, at i: Int) -> Bool {
        hasPrefix(s, at: i, "GR1348941", ignoringCase: false) && startsWord(s, at: i)
            && hasRun(s, from: i + 9, ofAtLeast: 20, where: isWordCharacter)
    }

    /// Entra ID client secrets as the portal issues them (`abc8Q~` + 34): the `~` is the anchor; three
    /// characters, a digit and `Q` before it, 31 to 34 after, with no secret character on either side.
    static func isEntraClientSecret(_ s: Bytes, tilde t: Int) -> Bool {
        guard t >= 5, s[t - 1] == UInt8(ascii: "Q"), isASCIIDigit(s[t - 2]) else { return false }
        for j in (t - 5)...(t - 3) where !isEntraSecretCharacter(s[j]) || s[j] == UInt8(ascii: "-") { return false }
        if t >= 6, isEntraSecretCharacter(s[t - 6]) { return false }
        guard hasRun(s, from: t + 1, ofAtLeast: 31, where: isEntraSecretCharacter) else { return false }
        var end = t + 32
        while end < s.count, end < t + 36, isEntraSecretCharacter(s[end]) { end += 1 }
        return end <= t + 35 && (end == s.count || !isEntraSecretCharacter(s[end]))
    }

    /// `Bearer <token>` with an opaque token (16+ characters, letters and digits), or `Basic <base64>`
    /// whose decoding is printable `user:password`. Prose such as "bearer tokens" does not match.
    static func isAuthorizationValue(_ s: Bytes, at i: Int) -> Bool {
        guard i == 0 || !isASCIIAlphanumeric(s[i - 1]) else { return false }
        let isBearer = hasPrefix(s, at: i, "bearer ", ignoringCase: true)
        guard isBearer || hasPrefix(s, at: i, "basic ", ignoringCase: true) else { return false }
        var start = i + (isBearer ? 7 : 6)
        let spacesEnd = min(s.count, start + 4)
        while start < spacesEnd, s[start] == UInt8(ascii: " ") { start += 1 }
        let limit = min(s.count, start + maximumPlaceholderLength)
        if isBearer {
            var end = start
            var hasLetter = false
            var hasDigit = false
            while end < limit, isToken68Character(s[end]) {
                if isASCIIDigit(s[end]) { hasDigit = true } else if isASCIILetter(s[end]) { hasLetter = true }
                end += 1
            }
            return end - start >= 16 && hasLetter && hasDigit && !isPlaceholder(Bytes(rebasing: s[start..<end]))
        }
        var end = start
        while end < limit, isStandardBase64(s[end]) && s[end] != UInt8(ascii: "=") { end += 1 }
        guard end - start >= 8 else { return false }
        return base64DecodesToUserAndPassword(Bytes(rebasing: s[start..<end]))
    }

    static func base64DecodesToUserAndPassword(_ encoded: Bytes) -> Bool {
        var sawColon = false
        var afterColon = 0
        var decodedCount = 0
        let printable = forEachBase64DecodedByte(encoded) { byte in
            guard byte >= 0x20, byte < 0x7F else { return false }
            if sawColon { afterColon += 1 } else if byte == UInt8(ascii: ":") { sawColon = decodedCount > 0 }
            decodedCount += 1
            return true
        }
        return printable && sawColon && afterColon > 0
    }

    /// Base64-wrapped credentials (`Z2hwX…` is a GitHub token in base64): a run of 16 or more base64
    /// or base64url characters whose decoding is printable text is scanned once more, not recursively.
    /// A cheap check of the first six decoded bytes turns away hex digests and random keys early.
    static func wrappedCredentialKind(_ s: Bytes, _ run: Range<Int>) -> SecretKind? {
        guard run.count >= minimumWrappedLength else { return nil }
        let head = Bytes(rebasing: s[run.lowerBound..<(run.lowerBound + 8)])
        guard forEachBase64DecodedByte(head, { isPrintableText($0) }) else { return nil }
        let body = Bytes(rebasing: s[run])
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: body.count) { buffer -> SecretKind? in
            var count = 0
            let printable = forEachBase64DecodedByte(body) { byte in
                guard isPrintableText(byte) else { return false }
                buffer.initializeElement(at: count, to: byte)
                count += 1
                return true
            }
            guard printable else { return nil }
            return strongestCredentialShape(in: Bytes(rebasing: buffer[..<count]), unwrapping: false)
        }
    }

    /// Streams the decoding of base64 or base64url characters (no padding) to `body`, which returns
    /// false to stop early; returns whether every byte was accepted.
    static func forEachBase64DecodedByte(_ encoded: Bytes, _ body: (UInt8) -> Bool) -> Bool {
        var bitBuffer: UInt32 = 0
        var bitCount = 0
        for c in encoded {
            let sextet: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): sextet = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): sextet = 63
            default: return false
            }
            bitBuffer = (bitBuffer << 6) | sextet
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                let byte = UInt8((bitBuffer >> UInt32(bitCount)) & 0xFF)
                bitBuffer &= (1 << UInt32(bitCount)) - 1
                if !body(byte) { return false }
            }
        }
        return true
    }

    /// The least run length worth decoding: 12 bytes, shorter than any credential the rules know.
    static let minimumWrappedLength = 16

    @inline(__always) static func startsWord(_ s: Bytes, at i: Int) -> Bool { i == 0 || !isASCIIAlphanumeric(s[i - 1]) }
    @inline(__always) static func isUppercaseAlphanumeric(_ b: UInt8) -> Bool {
        isASCIIDigit(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
    @inline(__always) static func isBase32Uppercase(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || (b >= UInt8(ascii: "2") && b <= UInt8(ascii: "7"))
    }
    @inline(__always) static func isSlackTokenCharacter(_ b: UInt8) -> Bool {
        isASCIIAlphanumeric(b) || b == UInt8(ascii: "-")
    }
    @inline(__always) static func isEntraSecretCharacter(_ b: UInt8) -> Bool {
        isASCIIAlphanumeric(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "~") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "-")
    }
    /// RFC 7235 token68: the characters of a bearer credential.
    @inline(__always) static func isToken68Character(_ b: UInt8) -> Bool {
        isWordCharacter(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "~") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
    }
    @inline(__always) static func isAnyBase64Digit(_ b: UInt8) -> Bool {
        isASCIIAlphanumeric(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "_")
    }
    @inline(__always) static func isPrintableText(_ b: UInt8) -> Bool {
        (b >= 0x20 && b < 0x7F) || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
    }
}

// MARK: - Key-name rules

extension SecretScanner {
    /// Keys that hold a secret whatever the value looks like (compared after lowercasing and
    /// dropping `_`, `-`, `.` and spaces). `secretFieldSuffixes` extends this to `clientSecret`,
    /// `refresh_token`, `dbPassword` and the like.
    static let exactSecretFieldNames: [StaticString] = [
        "pwd", "apikey", "apisecret", "accesskey", "secretkey", "privatekey", "accountkey", "sharedaccesskey",
    ]
    /// Judgement call: the key words count as suffixes too (`x_api_key`, `aws_secret_access_key`,
    /// `sshPrivateKey`); `publicKey`, `cacheKey` and `idempotencyKey` do not end in one.
    static let secretFieldSuffixes: [StaticString] = [
        "secret", "password", "passwd", "passphrase", "token", "apikey", "accesskey", "secretkey", "privatekey",
    ]

    /// Words that make a key "named like a secret" for the entropy rule.
    static let secretishKeyWords: [StaticString] = ["secret", "token", "password", "passwd", "key", "credential"]
    /// Judgement call: a key ending in one of these words names or describes a secret rather
    /// than holding it (`keyVaultName`, `secretName`, `tokenUrl`, `signingKeyId`, `gpgKeyFingerprint`),
    /// so the entropy rule skips it. The exact-name rule still applies (`token`, `clientSecret`).
    static let referenceKeySuffixes: [StaticString] = [
        "name", "id", "url", "uri", "endpoint", "path", "type", "kind", "version", "vault", "ref",
        "alias", "fingerprint", "thumbprint", "digest", "checksum",
    ]
    /// Judgement call: these "keys" are identifiers, not credentials (`idempotencyKey`,
    /// `cacheKey`, `partitionKey`, `publicKey`), so the entropy rule skips them.
    static let nonSecretKeyQualifiers: [StaticString] = ["public", "idempotency", "cache", "partition"]

    /// Hands `body` the key lower-cased and stripped of `_`, `-`, `.` and spaces, in a stack
    /// buffer: `client_secret`, `Client-Secret` and `clientSecret` all become `clientsecret`.
    static func withNormalizedKeyName<Result>(_ key: String?, _ body: (Bytes?) -> Result) -> Result {
        guard var key else { return body(nil) }
        return key.withUTF8 { raw -> Result in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(raw.count, 1)) { buffer -> Result in
                var length = 0
                for b in raw where !isKeySeparator(b) {
                    buffer.initializeElement(at: length, to: asciiLowercased(b))
                    length += 1
                }
                return body(Bytes(rebasing: buffer[..<length]))
            }
        }
    }

    /// Judgement call: 64-byte signatures (Ed25519) and SHA-512 digests in base64 have exactly the
    /// 88-character shape of a storage account key. Under a key that names a signature or hash
    /// that shape is not counted; `AccountKey=` and every other rule still apply.
    static let signatureOrHashKeyWords: [StaticString] = ["signature", "integrity", "hash", "digest", "checksum"]

    static func namesSignatureOrHash(_ name: Bytes) -> Bool {
        equals(name, "sig") || signatureOrHashKeyWords.contains { contains(name, $0, ignoringCase: false) }
    }

    /// `name` is already lowercased with separators removed.
    static func isSecretFieldName(_ name: Bytes) -> Bool {
        exactSecretFieldNames.contains { equals(name, $0) } || secretFieldSuffixes.contains { hasSuffix(name, $0) }
    }

    /// `name` is already lowercased with separators removed.
    static func isSecretishKeyName(_ name: Bytes) -> Bool {
        secretishKeyWords.contains { contains(name, $0, ignoringCase: false) }
            && !referenceKeySuffixes.contains { hasSuffix(name, $0) }
            && !nonSecretKeyQualifiers.contains { contains(name, $0, ignoringCase: false) }
    }

    /// Judgement call on what "high entropy" means. Besides the length and entropy bars, the
    /// value must look like an opaque token:
    /// - base64/base64url/hex characters only, so prose, URLs, host names, e-mail addresses and
    ///   timestamps are out;
    /// - at least one letter and one digit, so words and identifiers such as
    ///   `ReleaseLedgerSigningKey` are out (random base62 of 20 characters lacks a digit only
    ///   about 3% of the time);
    /// - not a lower-case slug (`release-2024-11-29-build-1234`, `linux-x64-node-modules-<sha>`):
    ///   random base62/base64 of 20 characters virtually always contains an upper-case letter;
    /// - not a UUID.
    static func looksLikeHighEntropyToken(_ value: Bytes) -> Bool {
        guard value.count >= minimumHighEntropyLength else { return false }
        var hasLetter = false
        var hasUppercase = false
        var hasDigit = false
        var hasSeparator = false
        var hasBase64Symbol = false
        var hexOnly = true
        for b in value {
            guard isOpaqueTokenCharacter(b) else { return false }
            if isASCIIDigit(b) {
                hasDigit = true
            } else if isASCIILetter(b) {
                hasLetter = true
                if b <= UInt8(ascii: "Z") { hasUppercase = true }
                if !isHexDigit(b) { hexOnly = false }
            } else {
                hexOnly = false
                if b == UInt8(ascii: "-") || b == UInt8(ascii: "_") {
                    hasSeparator = true
                } else {
                    hasBase64Symbol = true
                }
            }
        }
        guard hasLetter, hasDigit else { return false }
        let isLowercaseSlug = hasSeparator && !hasUppercase && !hasBase64Symbol
        guard !isLowercaseSlug, !isUUID(value) else { return false }
        return shannonEntropy(value) >= (hexOnly ? hexHighEntropyThreshold : highEntropyThreshold)
    }
}

// MARK: - Exemptions

extension SecretScanner {
    /// Non-values: masked output, unset references and permission/boolean words. A value under a
    /// secret-named key that is one of these is not a secret (`id-token: write`, `${{ secrets.X }}`).
    static let nonCredentialWords: [StaticString] = [
        "true", "false", "yes", "no", "on", "off", "null", "nil", "none", "n/a", "unset", "empty",
        "read", "write", "inherit", "enabled", "disabled", "required", "optional",
        "redacted", "masked", "hidden", "omitted", "removed",
        // Status words CI logs print after `NAME:` ("DB_PASSWORD: missing").
        "missing", "invalid", "expired", "revoked", "rotated", "set", "not set", "provided", "present", "absent",
    ]
    /// Whole-value template references: GitHub Actions, Helm/Jinja, shell and Azure Pipelines.
    static let templateDelimiters: [(open: StaticString, close: StaticString)] = [
        ("${{", "}}"), ("{{", "}}"), ("${", "}"), ("$(", ")"),
    ]

    /// True when the whole value is empty, masked (`***`, `xxxx`), a reference (`${{ secrets.X }}`,
    /// `$(Pass)`, `${PASS}`, `$PASS`, `%PASS%`, `@Microsoft.KeyVault(…)`), an angle-bracket
    /// placeholder (`<redacted>`) or a non-credential word, optionally bracketed (`[REDACTED]`).
    /// Judgement call: bare `$NAME` and `%NAME%` must be upper-case environment-variable names,
    /// so a real password such as `$ecret99` is not mistaken for a reference.
    static func isPlaceholder(_ v: Bytes) -> Bool {
        let n = v.count
        if n == 0 { return true }
        if n > maximumPlaceholderLength { return false }
        if v.allSatisfy({ $0 == UInt8(ascii: "*") }) { return true }
        if n >= 3, v.allSatisfy({ $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) { return true }
        if isWrapped(v, "<", ">") { return true }
        for (open, close) in templateDelimiters where isWrapped(v, open, close) { return true }
        if v[0] == UInt8(ascii: "$"), isEnvironmentVariableName(Bytes(rebasing: v[1...])) { return true }
        if n >= 3, isWrapped(v, "%", "%"), isEnvironmentVariableName(Bytes(rebasing: v[1..<(n - 1)])) { return true }
        if hasPrefix(v, at: 0, "@microsoft.keyvault(", ignoringCase: true), v[n - 1] == UInt8(ascii: ")") {
            return true
        }
        var word = v
        if n >= 2, isWrapped(v, "[", "]") || isWrapped(v, "(", ")") { word = Bytes(rebasing: v[1..<(n - 1)]) }
        return nonCredentialWords.contains { equals(word, $0, ignoringCase: true) }
    }

    static func isEnvironmentVariableName(_ v: Bytes) -> Bool {
        guard let first = v.first, !isASCIIDigit(first) else { return false }
        return v.allSatisfy {
            ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || isASCIIDigit($0) || $0 == UInt8(ascii: "_")
        }
    }

    /// Git object names (40 or 64 lower-case hex), `sha256:<hex>`, image references
    /// `ghcr.io/acme/api@sha256:<hex>` and integrity strings `sha512-<base64>`. These are public
    /// identifiers, exempt from every rule.
    static func isDigestLike(_ v: Bytes) -> Bool {
        if isLowercaseHex(v), v.count == 40 || v.count == 64 { return true }
        var digestStart = 0
        if let at = v.firstIndex(of: UInt8(ascii: "@")) {
            // One `@` only, with a whitespace-free reference before it.
            guard at > 0, !v[..<at].contains(where: isASCIIWhitespace),
                !v[(at + 1)...].contains(UInt8(ascii: "@"))
            else { return false }
            digestStart = at + 1
        }
        for (algorithm, hexLength) in digestAlgorithms
        where hasPrefix(v, at: digestStart, algorithm, ignoringCase: false) {
            let hex = Bytes(rebasing: v[(digestStart + algorithm.utf8CodeUnitCount)...])
            return hex.count == hexLength && isLowercaseHex(hex)
        }
        guard digestStart == 0 else { return false }
        for (algorithm, base64Length) in integrityAlgorithms where hasPrefix(v, at: 0, algorithm, ignoringCase: false) {
            let digest = Bytes(rebasing: v[algorithm.utf8CodeUnitCount...])
            return digest.count == base64Length && digest.allSatisfy(isStandardBase64)
        }
        return false
    }

    /// OCI digest algorithms and the hex length each produces.
    static let digestAlgorithms: [(prefix: StaticString, hexLength: Int)] = [
        ("sha256:", 64), ("sha512:", 128), ("sha384:", 96), ("sha1:", 40),
    ]
    /// Subresource-integrity digests (npm lockfiles, SRI) and the base64 length each produces.
    static let integrityAlgorithms: [(prefix: StaticString, base64Length: Int)] = [
        ("sha512-", 88), ("sha384-", 64), ("sha256-", 44),
    ]

    /// Canonical 8-4-4-4-12 form, either case.
    static func isUUID(_ v: Bytes) -> Bool {
        guard v.count == 36 else { return false }
        for (index, b) in v.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard b == UInt8(ascii: "-") else { return false }
            } else {
                guard isHexDigit(b) else { return false }
            }
        }
        return true
    }

    static func isLowercaseHex(_ v: Bytes) -> Bool {
        !v.isEmpty && v.allSatisfy { isASCIIDigit($0) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
    }
}

// MARK: - Entropy

extension SecretScanner {
    /// Shannon entropy in bits per byte. The counts live on the stack: 256 × UInt32 is exactly
    /// the 1 KiB that `withUnsafeTemporaryAllocation` always places there (256 × Int would not).
    static func shannonEntropy(_ v: Bytes) -> Double {
        guard !v.isEmpty else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 256) { counts -> Double in
            counts.initialize(repeating: 0)
            for b in v { counts[Int(b)] &+= 1 }  // cannot wrap below 4 GiB; values are at most 64 KiB
            var sumOfCountLogCount = 0.0
            for count in counts where count > 1 {
                let c = Double(count)
                sumOfCountLogCount += c * binaryLogarithm(c)
            }
            let total = Double(v.count)
            // H = -Σ (c/n) log2(c/n) = log2(n) - Σ c log2(c) / n
            return binaryLogarithm(total) - sumOfCountLogCount / total
        }
    }

    /// log2 for positive finite values without Foundation: split off the binary exponent, then
    /// ln(m) = 2·atanh((m-1)/(m+1)) for the significand m in [1, 2), where the series
    /// converges fast (|z| < 1/3; 12 terms leave an error below 1e-12).
    static func binaryLogarithm(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "binaryLogarithm needs a positive finite value")
        let m = x.significand
        let z = (m - 1) / (m + 1)
        let zSquared = z * z
        var power = z
        var series = 0.0
        var divisor = 1.0
        for _ in 0..<12 {
            series += power / divisor
            power *= zSquared
            divisor += 2
        }
        let naturalLogOf2 = 0.693_147_180_559_945_3
        return Double(x.exponent) + 2 * series / naturalLogOf2
    }
}

// MARK: - Byte helpers

extension SecretScanner {
    @inline(__always) static func isASCIIDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
    @inline(__always) static func isASCIIAlphanumeric(_ b: UInt8) -> Bool { isASCIILetter(b) || isASCIIDigit(b) }
    @inline(__always) static func isHexDigit(_ b: UInt8) -> Bool {
        isASCIIDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
            || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }
    @inline(__always) static func isWordCharacter(_ b: UInt8) -> Bool {
        isASCIIAlphanumeric(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }
    @inline(__always) static func isBase64URL(_ b: UInt8) -> Bool { isWordCharacter(b) }
    @inline(__always) static func isStandardBase64(_ b: UInt8) -> Bool {
        isASCIIAlphanumeric(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
    }
    /// Characters of base64, base64url and hex tokens.
    @inline(__always) static func isOpaqueTokenCharacter(_ b: UInt8) -> Bool {
        isStandardBase64(b) || isWordCharacter(b)
    }
    @inline(__always) static func isASCIIWhitespace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
    }
    @inline(__always) static func isKeySeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: " ")
    }
    @inline(__always) static func asciiLowercased(_ b: UInt8) -> UInt8 {
        b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b
    }

    static func trimmingASCIIWhitespace(_ v: Bytes) -> Bytes {
        var start = 0
        var end = v.count
        while start < end, isASCIIWhitespace(v[start]) { start += 1 }
        while end > start, isASCIIWhitespace(v[end - 1]) { end -= 1 }
        return Bytes(rebasing: v[start..<end])
    }

    static func endOfRun(_ s: Bytes, from start: Int, where predicate: (UInt8) -> Bool) -> Int {
        var j = start
        while j < s.count, predicate(s[j]) { j += 1 }
        return j
    }

    /// Whether at least `minimum` matching bytes follow `start`; stops counting once it knows.
    static func hasRun(_ s: Bytes, from start: Int, ofAtLeast minimum: Int, where predicate: (UInt8) -> Bool) -> Bool {
        guard start + minimum <= s.count else { return false }
        for j in start..<(start + minimum) where !predicate(s[j]) { return false }
        return true
    }

    /// `literal` must be lower-case when `ignoringCase` is true.
    static func hasPrefix(_ s: Bytes, at i: Int, _ literal: StaticString, ignoringCase: Bool) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i >= 0, i + count <= s.count else { return false }
        let bytes = literal.utf8Start
        for k in 0..<count {
            let c = ignoringCase ? asciiLowercased(s[i + k]) : s[i + k]
            if c != bytes[k] { return false }
        }
        return true
    }

    static func hasSuffix(_ s: Bytes, _ literal: StaticString) -> Bool {
        hasPrefix(s, at: s.count - literal.utf8CodeUnitCount, literal, ignoringCase: false)
    }

    static func equals(_ s: Bytes, _ literal: StaticString, ignoringCase: Bool = false) -> Bool {
        s.count == literal.utf8CodeUnitCount && hasPrefix(s, at: 0, literal, ignoringCase: ignoringCase)
    }

    /// Naive search; used only on keys and bounded labels, never on whole values.
    static func contains(_ s: Bytes, _ literal: StaticString, ignoringCase: Bool) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard count <= s.count else { return false }
        for i in 0...(s.count - count) where hasPrefix(s, at: i, literal, ignoringCase: ignoringCase) { return true }
        return false
    }

    static func isWrapped(_ v: Bytes, _ open: StaticString, _ close: StaticString) -> Bool {
        v.count >= open.utf8CodeUnitCount + close.utf8CodeUnitCount
            && hasPrefix(v, at: 0, open, ignoringCase: false)
            && hasSuffix(v, close)
    }
}
