import Foundation
import TrackerEngine

/// Short human forms for numbers and times, as a narrow terminal column wants them.
enum Format {
    /// 59s, 12m, 3h05m, 2d04h.
    static func duration(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" + (s % 3600 / 60 == 0 ? "" : pad2(s % 3600 / 60) + "m") }
        return "\(s / 86_400)d" + pad2(s % 86_400 / 3600) + "h"
    }

    /// `2026-11-30 21:00 UTC`.
    static func utc(_ time: TrackerTime) -> String {
        var seconds = time_t(time.seconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min))
    }

    /// 999, 1.2k, 34k, 1.2M: at most five characters.
    static func count(_ value: Int) -> String {
        let v = Double(value)
        if value < 1000 { return String(value) }
        if value < 10_000 { return decimal(v / 1000) + "k" }
        if value < 1_000_000 { return "\(value / 1000)k" }
        if value < 10_000_000 { return decimal(v / 1_000_000) + "M" }
        return "\(value / 1_000_000)M"
    }

    /// A rate with one decimal under 10, whole above.
    static func rate(_ value: Double) -> String {
        if value < 10 { return decimal(value) }
        return count(Int(value.rounded()))
    }

    /// 512B, 1.5K, 20M, 3.1G (binary units).
    static func bytes(_ value: UInt64) -> String {
        let units = ["B", "K", "M", "G", "T", "P"]
        var v = Double(value), unit = 0
        while v >= 1024, unit < units.count - 1 {
            v /= 1024
            unit += 1
        }
        return (unit == 0 || v >= 10 ? String(Int(v)) : decimal(v)) + units[unit]
    }

    private static func decimal(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func pad2(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
