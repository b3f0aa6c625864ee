/// One measured workload (W1, W2, ...): it runs itself beside its baseline and adds its rows to the
/// run's table. A new workload is one file with a type like this, listed in `BenchRun.workloads`.
protocol Workload: Sendable {
    /// The names `--only` selects it by ("W7" also selects W8, which measures the same program).
    var names: Set<String> { get }
    func run(_ bench: BenchRun)
}

extension Workload {
    func isSelected(by selection: Set<String>?) -> Bool {
        guard let selection else { return true }
        return !names.isDisjoint(with: selection)
    }
}
