/// Samples of one measurement: medians with min and max are what the table prints.
struct Stats {
    var samples: [Double]
    var median: Double {
        let sorted = samples.sorted()
        return sorted[sorted.count / 2]
    }
    var min: Double { samples.min() ?? 0 }
    var max: Double { samples.max() ?? 0 }

    func percentile(_ p: Double) -> Double {
        let sorted = samples.sorted()
        return sorted[Swift.min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
    }
}
