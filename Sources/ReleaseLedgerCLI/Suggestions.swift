import ArgumentParser

/// "Did you mean" for a mistyped command or option. Consulted only after the parser refused a
/// command line, so a correct one pays nothing for it.
enum Suggestions {
    /// A clearer usage error than the parser's for an unknown command or option, if there is one.
    static func usageError(for arguments: [String]) -> String? {
        let commands = ReleaseLedger.configuration.subcommands.map { $0._commandName }
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        guard let command = ReleaseLedger.configuration.subcommands.first(where: { $0._commandName == first }) else {
            guard first != "help" else { return nil }
            return "unknown command '\(first)'"
                + hint(closest(to: first, among: commands), "release-ledger --help lists them")
        }
        let options = knownOptions(of: command)
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.split(separator: "=", maxSplits: 1)[0])
            guard let takesValue = options[name] else {
                let suggestion = closest(to: name, among: Array(options.keys))
                return "unknown option '\(name)' for \(first)"
                    + hint(suggestion, "release-ledger help \(first) lists them")
            }
            if takesValue, !argument.contains("=") { index += 1 }  // its value may start with '-'
        }
        return nil
    }

    static func hint(_ suggestion: String?, _ otherwise: String) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? "; \(otherwise)"
    }

    /// Every long option of a command, and whether it takes a value, read from its help.
    static func knownOptions(of command: ParsableCommand.Type) -> [String: Bool] {
        var options = ["--help": false, "--version": false]
        let help = ReleaseLedger.helpMessage(for: command, columns: 10_000)
        for line in help.split(separator: "\n") {
            let text = line.drop(while: { $0 == " " })
            guard text.hasPrefix("--") else { continue }
            // "--name <value>  help", "--flag  help", or "--a/--b  help"
            for name in text.prefix(while: { $0 != " " }).split(separator: "/") where name.hasPrefix("--") {
                options[String(name)] = text.dropFirst(name.count).hasPrefix(" <")
            }
        }
        return options
    }

    /// The candidate nearest `word` by edit distance, if it is near enough to be a typo.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (best, score) = scored, score <= max(2, word.count / 3) else { return nil }
        return best
    }

    /// Levenshtein distance, with a swap of two neighbours counting as one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
