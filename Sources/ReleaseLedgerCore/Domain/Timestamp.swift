/// A UTC instant with millisecond precision, written as RFC 3339 (`2026-11-29T19:08:57.123Z`).
///
/// The core never reads a clock: instants come in from a `Clock` the caller passes.
public struct Timestamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.millisecondsSinceEpoch < b.millisecondsSinceEpoch }

    public func adding(milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + milliseconds)
    }

    /// RFC 3339 in UTC with exactly three fractional digits.
    public var description: String {
        var out = JSONBytes(capacity: 24)
        write(into: &out)
        return out.string
    }

    /// Writes the RFC 3339 form without building intermediate strings (the hash chain does this per event).
    func write(into out: inout JSONBytes) {
        let ms = millisecondsSinceEpoch
        let days = floorDivide(ms, 86_400_000)
        let msOfDay = ms - days * 86_400_000
        let (year, month, day) = Timestamp.civil(fromDays: days)
        let hour = msOfDay / 3_600_000
        let minute = (msOfDay / 60_000) % 60
        let second = (msOfDay / 1000) % 60
        let millis = msOfDay % 1000
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            if rest >= divisor * 10 {
                out.integer(rest / (divisor * 10))
                rest %= divisor * 10
            }
            while divisor > 0 {
                out.bytes.append(UInt8(48 + (rest / divisor) % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        out.bytes.append(0x2D)
        digits(month, 2)
        out.bytes.append(0x2D)
        digits(day, 2)
        out.bytes.append(0x54)
        digits(hour, 2)
        out.bytes.append(0x3A)
        digits(minute, 2)
        out.bytes.append(0x3A)
        digits(second, 2)
        out.bytes.append(0x2E)
        digits(millis, 3)
        out.bytes.append(0x5A)
    }

    /// Parses RFC 3339 (`2026-11-29T19:08:57Z`, `...57.123456+02:00`); fractions beyond
    /// milliseconds are truncated. With `allowDateOnly`, `2026-11-29` means its midnight UTC.
    public init?(rfc3339 text: String, allowDateOnly: Bool = false) {
        var text = text
        guard let parsed = text.withUTF8({ Timestamp(rfc3339UTF8: $0, allowDateOnly: allowDateOnly) }) else {
            return nil
        }
        self = parsed
    }

    /// The same from UTF-8 bytes (a row's column as SQLite returned it).
    package init?(rfc3339UTF8 b: UnsafeBufferPointer<UInt8>, allowDateOnly: Bool = false) {
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var value: Int64 = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int64(b[i] - 48)
            }
            return value
        }
        guard b.count >= 10, let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2),
            b[7] == UInt8(ascii: "-"), let day = number(8, 2), (1...12).contains(month),
            day >= 1, day <= Timestamp.daysInMonth(year: year, month: month)
        else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        if b.count == 10 {
            guard allowDateOnly else { return nil }
            self.init(millisecondsSinceEpoch: days * 86_400_000)
            return
        }
        guard b.count >= 20, b[10] == UInt8(ascii: "T"), let hour = number(11, 2), b[13] == UInt8(ascii: ":"),
            let minute = number(14, 2), b[16] == UInt8(ascii: ":"), let second = number(17, 2),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 3 { millis = millis * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        guard i < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        if b[i] == UInt8(ascii: "Z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = number(i + 1, 2), b.count > i + 3, b[i + 3] == UInt8(ascii: ":"), let om = number(i + 4, 2),
                oh < 24, om < 60
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let ms = days * 86_400_000 + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis
        self.init(millisecondsSinceEpoch: ms)
    }

    // Howard Hinnant's days-from-civil and civil-from-days algorithms (proleptic Gregorian).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDivide(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
