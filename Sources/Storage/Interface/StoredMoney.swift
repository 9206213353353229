import Foundation

/// Money as every backend stores its counters: whole units of 10⁻⁴, in a 64-bit integer column the database can
/// add to and compare in one statement (`discount_units + ? <= ?`), exactly.
///
/// One fixed scale rather than each currency's minor unit: rows are read without knowing the application's
/// currency (listings, other nodes), and a currency change never reinterprets stored counters. Four digits hold
/// every ISO 4217 minor unit, and discounts are rounded to their currency before they are counted.
public enum StoredMoney {
    public static let scale: Int16 = 4
    private static let factor = Decimal(sign: .plus, exponent: Int(scale), significand: 1)

    /// A counted amount (already rounded to its currency); digits past the scale round half away from zero.
    /// Amounts past ±922 trillion saturate.
    public static func units(_ value: Decimal) -> Int64 {
        integer(value, rounding: .plain)
    }

    /// A limit: rounded down, so `used + delta <= limit` on units decides exactly what it decides on decimals
    /// (used and delta are whole units).
    public static func limitUnits(_ limit: Decimal) -> Int64 {
        integer(limit, rounding: .down)
    }

    public static func decimal(_ units: Int64) -> Decimal {
        Decimal(sign: units < 0 ? .minus : .plus, exponent: -Int(scale), significand: Decimal(units.magnitude))
    }

    private static func integer(_ value: Decimal, rounding: NSDecimalNumber.RoundingMode) -> Int64 {
        var scaled = value * factor
        var whole = Decimal()
        NSDecimalRound(&whole, &scaled, 0, rounding)
        return Int64("\(whole)") ?? (whole < 0 ? .min : .max)
    }
}
