import ReleaseLedgerCore

extension LedgerError {
    /// A typed verb builds the payload from its flags: a problem with `data.lastGreenAt` is a
    /// problem with `--last-green-at`, and the error says so.
    func namingFlags() -> LedgerError {
        guard case .invalidInput(let field, let rule) = self else { return self }
        // The rule may list more problems, each as "data.key: ...".
        let named = rule.split(separator: " ", omittingEmptySubsequences: false).map { word in
            guard word.hasPrefix("data.") else { return String(word) }
            let path = word.prefix { $0.isLetter || $0.isNumber || ".[]".contains($0) }
            return Self.flag(forPayloadField: String(path)) + word.dropFirst(path.count)
        }
        return .invalidInput(field: Self.flag(forPayloadField: field), rule: named.joined(separator: " "))
    }

    static func flag(forPayloadField field: String) -> String {
        if field == "sha" { return "--sha" }
        guard field.hasPrefix("data.") else { return field }
        let path = field.dropFirst("data.".count)
        let key = path.prefix { $0 != "." && $0 != "[" }
        switch key {
        case "images": return path.hasPrefix("images.web") ? "--web-image" : "--api-image"
        case "scopes": return "--scope"
        case "": return field
        default:
            // camelCase payload keys are kebab-case flags: lastGreenAt is --last-green-at.
            var flag = "--"
            for character in key {
                if character.isUppercase { flag += "-" + character.lowercased() } else { flag.append(character) }
            }
            return flag
        }
    }
}
