import Foundation

/// The props of `setLoyaltyPointsExpiryDate` and `extendLoyaltyPointsExpiryDate`: the holder's active and pending
/// points in one program's (sub)ledger get a new expiry date when the session closes. Which lots changed is
/// known only then: an open session's effect lists none.
public struct LoyaltyExpiryChange: Sendable, Hashable {
    public enum Change: Sendable, Hashable {
        /// Every active and pending lot, unlimited ones too, expires at this date.
        case set(Date)
        /// Every active and pending lot that has an expiry date expires this much later (a duration word such
        /// as `12h`, `30D`, `1M_U`, counted in the program's time zone; `immediate`: no later).
        case extend(String)
    }

    public var programId: Int64
    public var subledgerId: String
    public var change: Change
    /// Whose points: the session's profile, or the card of a card-based program (not part of the props).
    public var recipientIntegrationId: String
    public var cardIdentifier: String?
    /// The lots the close changed, in ledger order (empty while the session is open).
    public var affectedTransactions: [LoyaltyExpiryDateChange] = []

    public init(programId: Int64, subledgerId: String, change: Change, recipientIntegrationId: String,
                cardIdentifier: String? = nil)
    {
        (self.programId, self.subledgerId, self.change) = (programId, subledgerId, change)
        (self.recipientIntegrationId, self.cardIdentifier) = (recipientIntegrationId, cardIdentifier)
    }

    public var type: EffectType {
        if case .set = change { .setLoyaltyPointsExpiryDate } else { .extendLoyaltyPointsExpiryDate }
    }

    /// The spec's props. `extendLoyaltyPointsExpiryDate` requires a `previousExpirationDate` it does not
    /// describe: the earliest previous expiry of the changed lots (null when none changed, as in an open session).
    var props: [String: JSONValue] {
        var props: [String: JSONValue] = [
            "programId": .number(Decimal(programId)), "subLedgerId": .string(subledgerId),
            "affectedTransactions": .array(affectedTransactions.map(\.document)),
        ]
        switch change {
        case .set(let date):
            props["newExpiryDate"] = .string(LoyaltyPointsChange.text(date))
        case .extend(let duration):
            props["extensionDuration"] = .string(duration)
            let earliest = affectedTransactions.compactMap(\.previousExpiryDate).min()
            props["previousExpirationDate"] = earliest.map { JSONValue.string(LoyaltyPointsChange.text($0)) } ?? JSONValue.null
        }
        return props
    }

    init(props: [String: JSONValue], type: EffectType) throws {
        func string(_ key: String) -> String? { if case .string(let text)? = props[key] { text } else { nil } }
        guard case .number(let programId)? = props["programId"] else {
            throw EffectDocumentError(message: "\(type.rawValue) effect: props.programId is required")
        }
        let change: Change
        if type == .setLoyaltyPointsExpiryDate {
            guard let date = string("newExpiryDate").flatMap(LoyaltyPointsChange.date) else {
                throw EffectDocumentError(message: "\(type.rawValue) effect: props.newExpiryDate is required")
            }
            change = .set(date)
        } else {
            change = .extend(string("extensionDuration") ?? "immediate")
        }
        self.init(programId: NSDecimalNumber(decimal: programId).int64Value, subledgerId: string("subLedgerId") ?? "",
                  change: change, recipientIntegrationId: "")
        if case .array(let items)? = props["affectedTransactions"] {
            affectedTransactions = items.compactMap(LoyaltyExpiryDateChange.init(document:))
        }
    }

    /// Whether `text` is a duration `extendLoyaltyPointsExpiryDate` takes.
    public static func isExtension(_ text: String) -> Bool { text == "immediate" || LoyaltyDuration(text) != nil }
}

/// One lot whose expiry date a close changed (the spec's `LoyaltyLedgerEntryExpiryDateChange`).
public struct LoyaltyExpiryDateChange: Sendable, Hashable {
    public var transactionUUID: String
    /// nil: the lot did not expire before.
    public var previousExpiryDate: Date?
    public var newExpiryDate: Date

    public init(transactionUUID: String, previousExpiryDate: Date?, newExpiryDate: Date) {
        (self.transactionUUID, self.previousExpiryDate, self.newExpiryDate) =
            (transactionUUID, previousExpiryDate, newExpiryDate)
    }

    var document: JSONValue {
        var fields: [String: JSONValue] = [
            "transactionUUID": .string(transactionUUID), "newExpiryDate": .string(LoyaltyPointsChange.text(newExpiryDate)),
        ]
        if let previousExpiryDate { fields["previousExpiryDate"] = .string(LoyaltyPointsChange.text(previousExpiryDate)) }
        return .object(fields)
    }

    init?(document: JSONValue) {
        guard case .object(let fields) = document, case .string(let uuid)? = fields["transactionUUID"],
              case .string(let new)? = fields["newExpiryDate"], let newDate = LoyaltyPointsChange.date(new)
        else { return nil }
        var previous: Date?
        if case .string(let text)? = fields["previousExpiryDate"] { previous = LoyaltyPointsChange.date(text) }
        self.init(transactionUUID: uuid, previousExpiryDate: previous, newExpiryDate: newDate)
    }
}
