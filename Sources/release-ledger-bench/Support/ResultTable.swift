/// The markdown table a run prints: one row per figure, in the order the workloads ran.
struct ResultTable {
    private(set) var rows: [String] = []

    mutating func row(
        _ workload: String, _ ledger: String, _ base: String, _ ratio: String, _ goal: String, _ met: Bool?
    ) {
        rows.append(
            "| \(workload) | \(ledger) | \(base) | \(ratio) | \(goal) | \(met.map { $0 ? "yes" : "**no**" } ?? "-") |")
    }

    func print() {
        Console.out("| workload | ledger: median (min–max) | C baseline | ratio | goal | met |")
        Console.out("|---|---|---|---|---|---|")
        rows.forEach(Console.out)
    }

    static func format(_ value: Double, _ digits: Int = 0) -> String {
        if digits == 0 { return String(Int(value.rounded())) }
        let scale = (0..<digits).reduce(1.0) { value, _ in value * 10 }
        return String((value * scale).rounded() / scale)
    }

    /// "median (min–max)".
    static func spread(_ stats: Stats, _ digits: Int = 0) -> String {
        "\(format(stats.median, digits)) (\(format(stats.min, digits))–\(format(stats.max, digits)))"
    }

    static func ratio(_ value: Double, _ base: Double) -> String { format(value / base, 2) + "x" }
}
