import Foundation
import Talang

extension EngineLanguage {
    /// `changeLoyaltyTierLevel`: Talang has no tier function; named after the effect it gives.
    static func registerLoyaltyTiers(in environment: inout Environment) {
        environment.register(
            "changeLoyaltyTierLevel", Signature([.value(.decimal), .value(.string)], returns: .null),
            Signature([.value(.decimal), .value(.string), .value(.string)], returns: .null),
            description: "Moves the session profile (or card) to a tier of a loyalty program (id, tier name; optional "
                + "subledger) when the session closes: a changeLoyaltyTierLevel effect. The tier starts at the close "
                + "and expires as the program's tiersExpirationPolicy says; with basic tiers (no tiersExpireIn) the "
                + "tier follows the points again at their next change. The rule does not apply for an unknown tier.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).changeLoyaltyTierLevel(
                programId: try loyaltyProgramId(arguments), tierName: try arguments.string(1),
                subledgerId: arguments.count > 2 ? try arguments.string(2) : ""
            )
            return .null
        }
    }
}
