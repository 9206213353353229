import Foundation
import Talang

extension EngineLanguage {
    /// The functions that need the profile's achievement standings: a lineup without them reads none.
    public static let achievementFunctions: Set<String> = [
        "increaseAchievementProgress", "achievementProgress", "achievementJustCompleted",
    ]

    /// Achievements in rules. Talang's library has no achievement function: these are Sconto's, named after the
    /// effect they emit (`increaseAchievementProgress`) and the props a completion shows (`isJustCompleted`).
    static func registerAchievements(in environment: inout Environment) {
        environment.register(
            "increaseAchievementProgress", Signature([.value(.string), .value(.decimal)], returns: .null),
            description: "Adds progress (achievement name in the rule's campaign, delta > 0) to the session "
                + "profile's current period of the achievement: tentative while the session is open, stored when "
                + "it closes, given back when it is cancelled. A completed or expired achievement takes none.",
            category: "Promotions"
        ) { arguments in
            try scope(arguments).increaseAchievementProgress(name: try arguments.string(0), delta: try arguments.decimal(1))
            return .null
        }
        environment.register(
            "achievementProgress", Signature([.value(.string)], returns: .decimal),
            description: "The session profile's progress in the current period of the campaign's achievement "
                + "(by name), including what earlier rules of this evaluation added.",
            category: "Promotions"
        ) { arguments in
            .decimal(try scope(arguments).achievementProgress(name: try arguments.string(0)))
        }
        environment.register(
            "achievementJustCompleted", Signature([.value(.string)], returns: .boolean),
            description: "True when an earlier rule of this evaluation completed the campaign's achievement (by "
                + "name): its increaseAchievementProgress has isJustCompleted. Reward on the completing session "
                + "with a later rule.",
            category: "Promotions"
        ) { arguments in
            .boolean(try scope(arguments).achievementJustCompleted(name: try arguments.string(0)))
        }
    }
}
