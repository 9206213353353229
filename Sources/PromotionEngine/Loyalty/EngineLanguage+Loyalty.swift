import Foundation
import Talang

extension EngineLanguage {
    /// The functions that read or move a holder's points: a lineup without them needs no loyalty standings
    /// (`loyaltyPointsFor` only counts).
    public static let loyaltyFunctions: Set<String> = Set([
        "addLoyaltyPoints", "deductLoyaltyPoints", "redeemLoyaltyPoints", "loyaltyPoints", "loyaltyTier",
        "changeLoyaltyTierLevel",
    ]).union(loyaltyExpiryFunctions)

    /// Loyalty functions: earning, spending and reading points of the session's profile.
    static func registerLoyalty(in environment: inout Environment) {
        environment.register(
            "addLoyaltyPoints", Signature([.value(.decimal), .value(.decimal)], returns: .null),
            Signature([.value(.decimal), .value(.decimal), .value(.string)], returns: .null),
            description: "Adds points (kept to 2 decimals) to the session profile's balance in a loyalty program "
                + "(id; optional subledger). Tentative while the session is open, recorded when it closes; pending "
                + "and expiring as the program's defaultPending and defaultValidity say.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).addLoyaltyPoints(
                programId: try loyaltyProgramId(arguments), points: try arguments.decimal(1),
                subledgerId: arguments.count > 2 ? try arguments.string(2) : ""
            )
            return .null
        }
        environment.register(
            "deductLoyaltyPoints", Signature([.value(.decimal), .value(.decimal)], returns: .null),
            description: "Spends active points of the session's profile in a loyalty program (id, points) when the "
                + "session closes; the rule does not apply when the profile has fewer.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).deductLoyaltyPoints(programId: try loyaltyProgramId(arguments), points: try arguments.decimal(1))
            return .null
        }
        environment.register(
            "redeemLoyaltyPoints", Signature([.value(.decimal), .value(.decimal), .value(.decimal)], returns: .null),
            description: "Spends points for a discount on the session (program id, points, discount value): a "
                + "setDiscount named \"Loyalty points\" and a deductLoyaltyPoints. The rule does not apply when the "
                + "profile has fewer active points; a discount capped by the cart spends points in proportion.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).redeemLoyaltyPoints(
                programId: try loyaltyProgramId(arguments), points: try arguments.decimal(1), value: try arguments.decimal(2)
            )
            return .null
        }
        environment.register(
            "loyaltyPoints", Signature([.value(.decimal)], returns: .decimal),
            Signature([.value(.decimal), .value(.string)], returns: .decimal),
            description: "The session profile's active points in a loyalty program (id; optional subledger), "
                + "less what this evaluation already spends; 0 without a profile.",
            category: "Promotions"
        ) { arguments in
            .decimal(try scope(arguments).loyaltyPoints(
                programId: try loyaltyProgramId(arguments), subledgerId: arguments.count > 1 ? try arguments.string(1) : ""
            ))
        }
        environment.register(
            "loyaltyTier", Signature([.value(.decimal)], returns: .string),
            description: "The name of the session profile's (or card's) tier in a loyalty program's main ledger, "
                + "\"\" if none: the stored tier, moved up when the active points reach a higher tier and "
                + "reevaluated on its expiry as the program's tier policies say.",
            category: "Promotions"
        ) { arguments in .string(try scope(arguments).loyaltyTier(programId: try loyaltyProgramId(arguments))) }
        registerLoyaltyTiers(in: &environment)
        environment.register(
            "loyaltyPointsFor", Signature([.value(.decimal), .value(.decimal), .value(.decimal), .value(.string)],
                                          returns: .decimal),
            description: "Points earned on an amount: points for every `per` of it, the count of `per`s rounded "
                + "down, up, nearest or exact (proportional), e.g. (Session.Total, 10, 1, \"down\") gives 9 for 95.50.",
            category: "Promotions"
        ) { arguments in
            let word = try arguments.string(3)
            guard let rounding = LoyaltyPoints.Rounding(rawValue: word) else {
                throw EffectError("loyaltyPointsFor: rounding must be down, up, nearest or exact, not \(word)")
            }
            return .decimal(LoyaltyPoints.earned(
                amount: try arguments.decimal(0), per: try arguments.decimal(1), points: try arguments.decimal(2),
                rounding: rounding
            ))
        }
    }

    /// The program id, the first argument of every loyalty function.
    static func loyaltyProgramId(_ arguments: Arguments) throws -> Int64 {
        NSDecimalNumber(decimal: try arguments.decimal(0)).int64Value
    }
}
