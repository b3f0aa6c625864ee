import ArgumentParser
import ReleaseLedgerCore

/// How a query prints: a table for people, JSON for scripts, markdown for a CI step summary.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown
}

struct FormatOptions: ParsableArguments {
    @Option(help: "table, json or markdown (default: table; --json means json).") var format: OutputFormat?

    func resolved(_ ledger: LedgerSettings) -> OutputFormat { format ?? (ledger.json ? .json : .table) }
}

/// A titled table, printable as aligned text or as markdown.
struct Table {
    var title: String?
    var headers: [String]
    var rows: [[String]]

    func render(_ format: OutputFormat) -> String {
        var lines: [String] = []
        if format == .markdown {
            if let title {
                lines.append("### \(title)")
                lines.append("")
            }
            lines.append("| " + headers.joined(separator: " | ") + " |")
            lines.append("|" + headers.map { _ in "---|" }.joined())
            for row in rows {
                lines.append("| " + row.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |")
            }
            if rows.isEmpty { lines.append("| " + headers.map { _ in "" }.joined(separator: " | ") + " |") }
        } else {
            if let title { lines.append(title) }
            let widths = headers.indices.map { column in
                ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
            }
            func line(_ cells: [String]) -> String {
                var text = ""
                for (index, cell) in cells.enumerated() {
                    text +=
                        index == cells.count - 1
                        ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
                }
                return text
            }
            lines.append(line(headers))
            for row in rows { lines.append(line(row)) }
            if rows.isEmpty { lines.append("(none)") }
        }
        return lines.joined(separator: "\n")
    }
}

extension Optional where Wrapped == String {
    var orDash: String { self ?? "-" }
}

func shortSHA(_ sha: String) -> String { String(sha.prefix(12)) }

/// Durations as people read them: 45s, 12m 5s, 3h 20m, 2d 4h.
func humanDuration(milliseconds: Int64) -> String {
    let seconds = milliseconds / 1000
    if seconds < 60 { return "\(seconds)s" }
    if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
    if seconds < 86_400 { return "\(seconds / 3600)h \((seconds % 3600) / 60)m" }
    return "\(seconds / 86_400)d \((seconds % 86_400) / 3600)h"
}
