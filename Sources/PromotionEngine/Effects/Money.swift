import Foundation
import Talang

/// Money arithmetic: `Decimal` only, rounded explicitly to the currency's minor unit.
public enum Money {
    /// Digits after the decimal point for ISO 4217 currencies that do not use 2.
    static let minorUnits: [String: Int] = [
        "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0, "HUF": 2,
        "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
    ]

    public static func scale(for currency: String) -> Int { minorUnits[currency.uppercased()] ?? 2 }

    /// Rounds half away from zero ("commercial rounding") to the currency's minor unit.
    public static func round(_ value: Decimal, currency: String) -> Decimal {
        round(value, scale: scale(for: currency))
    }

    public static func round(_ value: Decimal, scale: Int) -> Decimal {
        DecimalMath.round(value, places: scale, mode: .plain)
    }
}
