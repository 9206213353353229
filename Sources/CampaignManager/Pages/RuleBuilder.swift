import Foundation
import PromotionEngine

/// The rule builder's fields and the Talang rule they stand for. This is the only place that turns
/// builder choices into Talang; the browser asks the server for the result (see `Assets.script`).
struct RuleBuilder: Sendable {
    enum Discount: String, CaseIterable, Sendable {
        case percentage, fixed

        var label: String { self == .percentage ? "Percentage off the session total" : "Fixed amount off the session" }
    }

    var title = "20% off with a valid coupon"
    var requiresValidCoupon = true
    var minimumTotal = ""
    var discount = Discount.percentage
    var amount = "20"

    init() {}

    init(form: FormData) {
        title = form.text("ruleTitle")
        requiresValidCoupon = form.isChecked("couponValid")
        minimumTotal = form.text("minimumTotal")
        discount = Discount(rawValue: form.text("discount")) ?? .percentage
        amount = form.text("amount")
    }

    /// The campaign features the rule needs (a coupon condition needs the coupons feature).
    var features: [CampaignFeature] { requiresValidCoupon ? [.coupons] : [] }

    /// The rule, or the builder fields that cannot make one.
    func rule() -> Result<RuleDefinition, ValidationFailureList> {
        var issues: [ValidationIssue] = []
        let minimum = minimumTotal.isEmpty ? nil : Self.decimal(minimumTotal)
        if !minimumTotal.isEmpty && minimum == nil {
            issues.append(.init(pointer: "/builder/minimumTotal", message: "must be a number"))
        }
        let value = Self.decimal(amount)
        if value == nil || value! <= 0 {
            issues.append(.init(pointer: "/builder/amount", message: "must be a number above 0"))
        } else if discount == .percentage, value! > 100 {
            issues.append(.init(pointer: "/builder/amount", message: "must be at most 100 (percent)"))
        }
        guard issues.isEmpty, let value else { return .failure(ValidationFailureList(issues: issues)) }

        let sessionTotal = JSONValue.array([.string("."), .string("Session"), .string("Total")])
        var conditions: [JSONValue] = []
        if requiresValidCoupon { conditions.append(.array([.string("couponValid")])) }
        if let minimum { conditions.append(.array([.string(">"), sessionTotal, .number(minimum)])) }
        let condition: JSONValue = switch conditions.count {
        case 0: .bool(true)
        case 1: conditions[0]
        default: .array([.string("and")] + conditions)
        }
        let discountValue: JSONValue = switch discount {
        case .percentage: .array([.string("*"), sessionTotal, .array([.string("/"), .number(value), .number(100)])])
        case .fixed: .number(value)
        }
        let name = title.isEmpty ? "discount" : title
        return .success(RuleDefinition(
            title: title, condition: condition,
            effects: [.array([.string("setDiscount"), .string(name), discountValue])]
        ))
    }

    /// A plain decimal number as typed (digits, optional sign and fraction), else nil.
    static func decimal(_ text: String) -> Decimal? {
        guard text.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}

/// Issues collected from a form, as one error value.
struct ValidationFailureList: Error, Sendable {
    var issues: [ValidationIssue]
}

/// Talang rules as the JSON text shown beside the builder, and back.
enum RulesText {
    static func encode(_ rules: [RuleDefinition]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(rules)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The rules in `text`, or where the text does not parse as a list of rules (pointers under `/rules`).
    static func decode(_ text: String) -> Result<[RuleDefinition], ValidationFailureList> {
        do {
            return .success(try JSONDecoder().decode([RuleDefinition].self, from: Data(text.utf8)))
        } catch let DecodingError.keyNotFound(key, context) {
            return failure(context.codingPath + [key], "is required")
        } catch let DecodingError.typeMismatch(_, context) {
            return failure(context.codingPath, "has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            return failure(context.codingPath, "must not be null")
        } catch {
            return failure([], "is not valid JSON: a list of rules is expected")
        }
    }

    private static func failure(_ path: [any CodingKey], _ message: String) -> Result<[RuleDefinition], ValidationFailureList> {
        let pointer = "/rules" + path.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
        return .failure(ValidationFailureList(issues: [.init(pointer: pointer, message: message)]))
    }
}
