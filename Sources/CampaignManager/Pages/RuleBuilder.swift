import Foundation
import PromotionEngine

/// The rule builder's fields and the Talang rule they stand for. This is the only place that turns
/// builder choices into Talang (each palette entry builds its part, see `Palette`); the browser asks the
/// server for the result (see `Assets.script`).
struct RuleBuilder: Sendable {
    /// What entries need beyond the form: the attribute registry (typed comparisons) and the time zone.
    struct Context: Sendable {
        var attributes: [AttributeDefinition] = []
        var timeZone = TimeZone(identifier: "UTC")!
    }

    /// The builder's start: the seed tutorial's rule, 20% off with a valid coupon.
    static let defaults = [
        "ruleTitle": "20% off with a valid coupon", "couponValid": "on", "sessionDiscount": "on",
        "discount": "percentage", "amount": "20", "notificationType": "Info",
    ]

    /// The form's values as typed; an entry's checkbox is on when its key is present.
    var values: [String: String]
    var context: Context

    init(context: Context = Context()) {
        values = Self.defaults
        self.context = context
    }

    init(form: FormData, context: Context = Context()) {
        values = form.values
        self.context = context
    }

    var title: String { value("ruleTitle") }

    func value(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    func isOn(_ entry: PaletteEntry) -> Bool { values[entry.key] != nil }

    /// The campaign features the chosen entries need.
    var features: [CampaignFeature] {
        Palette.all.filter(isOn).flatMap(\.features).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The rule, or the builder fields that cannot make one.
    func rule() -> Result<RuleDefinition, ValidationFailureList> {
        var input = PaletteInput(values: values, context: context, ruleName: title.isEmpty ? "discount" : title)
        let conditions = Palette.conditions.filter(isOn).map { $0.talang(&input) }
        let effects = Palette.effects.filter(isOn).map { $0.talang(&input) }
        if effects.isEmpty { input.fail("effects", "choose at least one effect") }
        guard input.issues.isEmpty else { return .failure(ValidationFailureList(issues: input.issues)) }
        return .success(RuleDefinition(
            title: title, condition: conditions.isEmpty ? TalangJSON.call("and", .bool(true)) : TalangJSON.all(conditions), effects: effects
        ))
    }

    /// A plain decimal number as typed (digits, optional sign and fraction), else nil.
    static func decimal(_ text: String) -> Decimal? {
        guard text.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// `YYYY-MM-DD HH:MM` (or the `T` a datetime-local field sends) in a time zone, as RFC 3339 at its offset.
    static func time(_ text: String, in zone: TimeZone) -> String? {
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = zone
        parser.dateFormat = "yyyy-MM-dd HH:mm"
        guard let date = parser.date(from: text.replacingOccurrences(of: "T", with: " ")) else { return nil }
        let printer = ISO8601DateFormatter()
        printer.timeZone = zone
        return printer.string(from: date)
    }

    /// `+01:00`, `-05:30`, `Z`.
    static func offsetText(seconds: Int) -> String {
        guard seconds != 0 else { return "Z" }
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + String(format: "%02d:%02d", minutes / 60, minutes % 60)
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
