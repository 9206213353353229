import Foundation
import Talang

// Rules that move the expiry date of points the holder already has (and those the same close earns): the
// effect is tentative while the session is open; the close changes the lots in its transaction.
extension RuleScope {
    /// `setLoyaltyPointsExpiryDate` / `extendLoyaltyPointsExpiryDate` for the session's profile (or card).
    public func changeLoyaltyPointsExpiry(programId: Int64, change: LoyaltyExpiryChange.Change,
                                          subledgerId: String = "") throws
    {
        var function = EffectType.setLoyaltyPointsExpiryDate.rawValue
        if case .extend(let duration) = change {
            function = EffectType.extendLoyaltyPointsExpiryDate.rawValue
            guard LoyaltyExpiryChange.isExtension(duration) else {
                throw EffectError("\(function): \(duration) is not a duration such as 12h, 30D or 1M_U")
            }
        }
        let (_, profileId, card) = try loyaltyTarget(programId, function: function)
        pendingEffects.append(Effect(origin: origin, kind: .loyaltyPointsExpiry(LoyaltyExpiryChange(
            programId: programId, subledgerId: subledgerId, change: change, recipientIntegrationId: profileId,
            cardIdentifier: card
        ))))
    }
}

extension EngineLanguage {
    /// Names of the expiry functions, which read the holder's standing like the other loyalty functions.
    static let loyaltyExpiryFunctions: Set<String> = ["setLoyaltyPointsExpiryDate", "extendLoyaltyPointsExpiryDate"]

    static func registerLoyaltyExpiry(in environment: inout Environment) {
        environment.register(
            "setLoyaltyPointsExpiryDate", Signature([.value(.decimal), .value(.time)], returns: .null),
            Signature([.value(.decimal), .value(.time), .value(.string)], returns: .null),
            description: "Sets the expiry date of all the session profile's (or card's) active and pending points in "
                + "a loyalty program (id, date; optional subledger), unlimited ones too, those this close earns "
                + "included. Tentative while the session is open, applied when it closes.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).changeLoyaltyPointsExpiry(
                programId: try loyaltyProgramId(arguments), change: .set(try arguments.time(1).date),
                subledgerId: arguments.count > 2 ? try arguments.string(2) : ""
            )
            return .null
        }
        environment.register(
            "extendLoyaltyPointsExpiryDate", Signature([.value(.decimal), .value(.string)], returns: .null),
            Signature([.value(.decimal), .value(.string), .value(.string)], returns: .null),
            description: "Extends the expiry date of the session profile's (or card's) active and pending points "
                + "that have one in a loyalty program (id, duration such as \"30D\", \"12h\" or \"1M_U\" in the "
                + "program's time zone; optional subledger), those this close earns included. Tentative while the "
                + "session is open, applied when it closes.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).changeLoyaltyPointsExpiry(
                programId: try loyaltyProgramId(arguments), change: .extend(try arguments.string(1)),
                subledgerId: arguments.count > 2 ? try arguments.string(2) : ""
            )
            return .null
        }
    }
}
