import Foundation
import PromotionEngine
import Testing

@Suite struct AchievementEngineTests {
    private let utc = TimeZone(identifier: "UTC")!
    private func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private func achievement(target: Decimal = 3, period: String? = nil,
                             recurrence: Achievement.RecurrencePolicy = .noRecurrence) -> Achievement {
        var achievement = Achievement(id: 5, campaignId: 30, applicationId: 1, name: "ThreeOrders", title: "Three",
                                      description: "", target: target, recurrencePolicy: recurrence, created: now)
        achievement.period = period
        return achievement
    }

    private func tracker(_ key: String, progress: Decimal, start: Date, end: Date? = nil,
                         completed: Date? = nil) -> AchievementTracker {
        AchievementTracker(id: 9, achievementId: 5, profileIntegrationId: "p1", periodKey: key, progress: progress,
                           target: 3, startDate: start, endDate: end, completionDate: completed)
    }

    @Test func userActionPeriodsStartWithTheFirstProgressAndRecurAsTheirPolicySays() {
        let now = date("2026-03-10T12:00:00Z")
        let fresh = AchievementStanding.of(achievement(period: "1W"), latest: nil, now: now, timeZone: utc)
        #expect((fresh.periodKey, fresh.progress, fresh.accepting) == ("u1", 0, true))
        #expect(fresh.endDate == date("2026-03-17T12:00:00Z"))

        let expired = tracker("u1", progress: 2, start: date("2026-03-01T00:00:00Z"), end: date("2026-03-08T00:00:00Z"))
        let recurring = AchievementStanding.of(achievement(period: "1W", recurrence: .onExpiration), latest: expired,
                                               now: now, timeZone: utc)
        #expect((recurring.periodKey, recurring.progress, recurring.accepting) == ("u2", 0, true))
        let once = AchievementStanding.of(achievement(period: "1W"), latest: expired, now: now, timeZone: utc)
        #expect((once.periodKey, once.accepting) == ("u1", false))
        #expect(once.currentStatus(at: now) == .expired)

        let completed = tracker("u1", progress: 3, start: date("2026-03-09T00:00:00Z"), completed: now)
        #expect(!AchievementStanding.of(achievement(), latest: completed, now: now, timeZone: utc).accepting)
        let again = AchievementStanding.of(achievement(recurrence: .onCompletion), latest: completed, now: now, timeZone: utc)
        #expect((again.periodKey, again.progress, again.accepting) == ("u2", 0, true))
    }

    @Test func fixedSchedulesCountInTheirCurrentPeriod() {
        var monthly = achievement(period: "1M", recurrence: .onExpiration)
        monthly.activationPolicy = .fixedSchedule
        monthly.fixedStartDate = date("2026-01-01T00:00:00Z")
        let standing = AchievementStanding.of(monthly, latest: nil, now: date("2026-03-15T08:00:00Z"), timeZone: utc)
        #expect((standing.periodKey, standing.startDate) == ("f2", date("2026-03-01T00:00:00Z")))
        #expect(standing.endDate == date("2026-03-31T23:59:59Z"))
        let before = AchievementStanding.of(monthly, latest: nil, now: date("2025-12-31T08:00:00Z"), timeZone: utc)
        #expect(!before.accepting)
        monthly.recurrencePolicy = .noRecurrence
        #expect(!AchievementStanding.of(monthly, latest: nil, now: date("2026-03-15T08:00:00Z"), timeZone: utc).accepting)
    }

    @Test func aRuleRewardsOnlyTheIncreaseThatCompletes() {
        let count = CompiledRule(title: "count", condition: { _ in true },
                                 effects: [{ try $0.increaseAchievementProgress(name: "ThreeOrders", delta: 1) }])
        let reward = CompiledRule(title: "reward", condition: { try $0.achievementJustCompleted(name: "ThreeOrders") },
                                  effects: [{ $0.setDiscount(name: "third", value: 5) }])
        let program = CampaignProgram(campaignId: 30, rulesetId: 300, name: "achievements", rules: [count, reward])
        func evaluate(progress: Decimal) -> EvaluationOutcome {
            var input = EvaluationInput(application: shop(), session: tutorialSession(codes: [], profileId: "p1"),
                                        profile: nil, campaigns: [program], coupons: [], now: now)
            var standing = AchievementStanding.of(achievement(), latest: nil, now: now, timeZone: utc)
            standing.progress = progress
            input.achievements = [standing]
            return RuleEngine.evaluate(input)
        }
        #expect(discountValues(evaluate(progress: 1)).isEmpty)
        let third = evaluate(progress: 2)
        #expect(discountValues(third) == [5])
        let increase = third.effects.compactMap(\.achievementProgress).first
        #expect(increase?.value == 3)
        #expect(increase?.isJustCompleted == true)
        #expect(increase?.progressTrackerId == nil)
    }
}
