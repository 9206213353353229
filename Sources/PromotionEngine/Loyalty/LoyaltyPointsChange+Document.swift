import Foundation

// The props of the loyalty effects, as the spec names them per type (`AddLoyaltyPointsEffectProps`,
// `DeductLoyaltyPointsEffectProps`, `RollbackAddedLoyaltyPointsEffectProps`, `RollbackDeductedLoyaltyPointsEffectProps`).
extension LoyaltyPointsChange {
    public func props(for type: EffectType) -> [String: JSONValue] {
        var props: [String: JSONValue] = [
            "programId": .number(Decimal(programId)), "subLedgerId": .string(subledgerId), "value": .number(value),
            "transactionUUID": .string(transactionUUID),
        ]
        if let cardIdentifier { props["cardIdentifier"] = .string(cardIdentifier) }
        switch type {
        case .addLoyaltyPoints:
            props["name"] = .string(name)
            props["recipientIntegrationId"] = .string(recipientIntegrationId)
            if let startDate { props["startDate"] = .string(Self.text(startDate)) }
            if let expiryDate { props["expiryDate"] = .string(Self.text(expiryDate)) }
            if awaitsActivation { props["awaitsActivation"] = .bool(true) }
        case .deductLoyaltyPoints:
            props["name"] = .string(name)
            props["ruleTitle"] = .string(name)
        default:
            props["recipientIntegrationId"] = .string(recipientIntegrationId)
        }
        return props
    }

    init(props: [String: JSONValue], type: EffectType) throws {
        func string(_ key: String) -> String? { if case .string(let text)? = props[key] { text } else { nil } }
        func number(_ key: String) -> Decimal? { if case .number(let value)? = props[key] { value } else { nil } }
        guard let programId = number("programId"), let value = number("value") else {
            throw EffectDocumentError(message: "\(type.rawValue) effect: props.programId and props.value are required")
        }
        self.init(
            name: string("name") ?? "", programId: NSDecimalNumber(decimal: programId).int64Value,
            subledgerId: string("subLedgerId") ?? "", value: value,
            recipientIntegrationId: string("recipientIntegrationId") ?? "", cardIdentifier: string("cardIdentifier"),
            startDate: string("startDate").flatMap(Self.date), expiryDate: string("expiryDate").flatMap(Self.date),
            transactionUUID: string("transactionUUID") ?? ""
        )
        if case .bool(true)? = props["awaitsActivation"] { awaitsActivation = true }
    }

    static func text(_ date: Date) -> String { date.formatted(.iso8601) }
    static func date(_ text: String) -> Date? { try? Date.ISO8601FormatStyle().parse(text) }
}
