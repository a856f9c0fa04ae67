/// A UTC instant from a UTCTime or GeneralizedTime, to the second (RFC 5280 §4.1.2.5).
///
/// Only the strict DER profile of RFC 5280 is accepted: `YYMMDDHHMMSSZ` for UTCTime (years
/// 50–99 mean 19xx, 00–49 mean 20xx) and `YYYYMMDDHHMMSSZ` for GeneralizedTime, always with
/// seconds, always `Z`, never fractional seconds or offsets.
public struct ASN1Time: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Calendar fields (proleptic Gregorian, UTC).
    public let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    public let secondsSince1970: Int64

    /// A time from calendar fields; nil when they name no real instant.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (0...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        secondsSince1970 = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The time `seconds` after the Unix epoch (years 0–9999 only).
    public init?(secondsSince1970 seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let (y, m, d) = Self.civilFromDays(days)
        self.init(year: y, month: m, day: d, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    public static func < (lhs: ASN1Time, rhs: ASN1Time) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    /// ISO 8601, e.g. `2010-01-01T08:30:00Z`.
    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))Z"
    }

    /// Whether RFC 5280 §4.1.2.5 wants UTCTime (1950–2049) rather than GeneralizedTime.
    var fitsUTCTime: Bool { (1950...2049).contains(year) }

    /// The DER contents for UTCTime (two-digit year) or GeneralizedTime (four-digit).
    func encodedContent(utc: Bool) -> [UInt8] {
        func digits(_ v: Int, _ w: Int) -> [UInt8] {
            var out = [UInt8](repeating: UInt8(ascii: "0"), count: w)
            var v = v
            for i in stride(from: w - 1, through: 0, by: -1) {
                out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            return out
        }
        let y = utc ? digits(year % 100, 2) : digits(year, 4)
        return y + digits(month, 2) + digits(day, 2) + digits(hour, 2) + digits(minute, 2) + digits(second, 2)
            + [UInt8(ascii: "Z")]
    }

    // MARK: Calendar arithmetic (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        let y = Int(yoe + era * 400) + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }
}

extension ASN1Node {
    /// Decodes a UTCTime or GeneralizedTime (whichever this element is) strictly.
    public func time() throws(X509Error) -> ASN1Time {
        let utc: Bool
        switch identifier {
        case .utcTime: utc = true
        case .generalizedTime: utc = false
        default: throw error(.unexpectedTag, "expected UTCTime or GeneralizedTime, found \(identifier)")
        }
        let text = Array(content)
        let yearDigits = utc ? 2 : 4
        guard text.count == yearDigits + 11, text.last == UInt8(ascii: "Z"),
            text.dropLast().allSatisfy({ (0x30...0x39).contains($0) })
        else {
            let form = utc ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ"
            throw error(.invalidTime, "\(utc ? "UTCTime" : "GeneralizedTime") must be exactly \(form) in DER")
        }
        func number(_ at: Int, _ count: Int) -> Int {
            text[at..<(at + count)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        var year = number(0, yearDigits)
        if utc { year += year >= 50 ? 1900 : 2000 }  // RFC 5280 §4.1.2.5.1
        let p = yearDigits
        guard let time = ASN1Time(
            year: year, month: number(p, 2), day: number(p + 2, 2),
            hour: number(p + 4, 2), minute: number(p + 6, 2), second: number(p + 8, 2))
        else { throw error(.invalidTime, "time names no real date and time") }
        return time
    }
}
