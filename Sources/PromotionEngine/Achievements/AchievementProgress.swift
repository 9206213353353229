import Foundation

/// The props of `increaseAchievementProgress`, and what the commit needs to store them: the period the progress
/// goes to (not part of the props).
public struct AchievementProgress: Sendable, Hashable {
    public var achievementId: Int64
    public var achievementName: String
    /// Set once stored (a closed session); absent while the session is open.
    public var progressTrackerId: Int64?
    public var delta: Decimal
    /// The progress after this increase (tentative while the session is open).
    public var value: Decimal
    public var target: Decimal
    public var isJustCompleted: Bool
    public var profileIntegrationId: String = ""
    public var periodKey: String = ""
    public var startDate: Date?
    public var endDate: Date?

    public init(achievementId: Int64, achievementName: String, progressTrackerId: Int64? = nil, delta: Decimal,
                value: Decimal, target: Decimal, isJustCompleted: Bool)
    {
        (self.achievementId, self.achievementName, self.progressTrackerId) = (achievementId, achievementName, progressTrackerId)
        (self.delta, self.value, self.target, self.isJustCompleted) = (delta, value, target, isJustCompleted)
    }

    var props: [String: JSONValue] {
        var props: [String: JSONValue] = [
            "achievementId": .number(Decimal(achievementId)), "achievementName": .string(achievementName),
            "delta": .number(delta), "value": .number(value), "target": .number(target),
            "isJustCompleted": .bool(isJustCompleted),
        ]
        if let progressTrackerId { props["progressTrackerId"] = .number(Decimal(progressTrackerId)) }
        return props
    }
}

/// The props of `rollbackIncreasedAchievementProgress`: a cancelled close gives its progress back.
public struct AchievementRollback: Sendable, Hashable {
    public var achievementId: Int64
    public var achievementName: String
    public var progressTrackerId: Int64
    public var decreaseProgressBy: Decimal
    public var currentProgress: Decimal
    public var target: Decimal
    /// The achievement's campaign (the effect's origin).
    public var campaignId: Int64

    public init(achievementId: Int64, achievementName: String, progressTrackerId: Int64, decreaseProgressBy: Decimal,
                currentProgress: Decimal, target: Decimal, campaignId: Int64)
    {
        (self.achievementId, self.achievementName, self.progressTrackerId) = (achievementId, achievementName, progressTrackerId)
        (self.decreaseProgressBy, self.currentProgress, self.target, self.campaignId) =
            (decreaseProgressBy, currentProgress, target, campaignId)
    }

    var props: [String: JSONValue] {
        ["achievementId": .number(Decimal(achievementId)), "achievementName": .string(achievementName),
         "progressTrackerId": .number(Decimal(progressTrackerId)), "decreaseProgressBy": .number(decreaseProgressBy),
         "currentProgress": .number(currentProgress), "target": .number(target)]
    }

    public var effect: Effect {
        Effect(origin: EffectOrigin(campaignId: campaignId, rulesetId: 0, ruleIndex: 0, ruleName: ""),
               kind: .rollbackIncreasedAchievementProgress(self))
    }
}

extension Effect {
    /// The progress an `increaseAchievementProgress` effect asks for; nil for every other effect.
    public var achievementProgress: AchievementProgress? {
        if case .increaseAchievementProgress(let progress) = kind { progress } else { nil }
    }
}

extension RuleScope {
    /// The standing of the rule's campaign's achievement called `name`, with this evaluation's increases.
    private func achievementStanding(_ name: String, function: String) throws -> AchievementStanding {
        guard let standing = achievements[AchievementKey(campaignId: origin.campaignId, name: name)] else {
            throw EffectError("\(function): campaign \(origin.campaignId) has no achievement named \(name)")
        }
        return standing
    }

    /// `increaseAchievementProgress`: the session profile's progress grows by `delta` when the session closes
    /// (tentative until then). A completed or expired achievement takes no progress: no effect, not a failure.
    public func increaseAchievementProgress(name: String, delta: Decimal) throws {
        guard delta > 0 else { throw EffectError("increaseAchievementProgress: the progress must grow (delta > 0)") }
        guard let profileId = session.profileId, !profileId.isEmpty else {
            throw EffectError("increaseAchievementProgress: the session is anonymous; progress needs a customer profile")
        }
        var standing = try achievementStanding(name, function: "increaseAchievementProgress")
        guard standing.accepting else { return }
        let target = standing.achievement.target
        let value = standing.progress + delta
        var progress = AchievementProgress(
            achievementId: standing.achievement.id, achievementName: name, delta: delta, value: value, target: target,
            isJustCompleted: standing.progress < target && value >= target
        )
        (progress.profileIntegrationId, progress.periodKey) = (profileId, standing.periodKey)
        (progress.startDate, progress.endDate) = (standing.startDate, standing.endDate)
        standing.progress = value
        if value >= target {
            standing.accepting = false
            justCompletedAchievements.insert(standing.achievement.id)
        }
        achievements[AchievementKey(campaignId: origin.campaignId, name: name)] = standing
        pendingEffects.append(Effect(origin: origin, kind: .increaseAchievementProgress(progress)))
    }

    /// The profile's progress in the current period of the campaign's achievement, with this evaluation's increases.
    public func achievementProgress(name: String) throws -> Decimal {
        try achievementStanding(name, function: "achievementProgress").progress
    }

    /// True when an increase of this evaluation (an earlier rule) completes the campaign's achievement.
    public func achievementJustCompleted(name: String) throws -> Bool {
        justCompletedAchievements.contains(try achievementStanding(name, function: "achievementJustCompleted").achievement.id)
    }
}

/// Achievements are looked up by name within the rule's campaign (names are unique per campaign).
struct AchievementKey: Hashable {
    var campaignId: Int64
    var name: String
}
