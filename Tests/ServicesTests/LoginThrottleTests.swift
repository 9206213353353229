import Foundation
import Services
import Testing

@Suite struct LoginThrottleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func twentyFailuresInARowLockTheAccountAndEachFurtherOneDoublesTheWait() {
        let throttle = LoginThrottle()
        for attempt in 0..<20 {
            #expect(throttle.retryAfter(email: "A@x", address: "1.2.3.\(attempt)", now: now) == nil)
            throttle.recordFailure(email: "a@X", address: "1.2.3.\(attempt)", now: now)
        }
        #expect(throttle.retryAfter(email: "a@x", address: "9.9.9.9", now: now) == 60)
        let later = now.addingTimeInterval(61)
        #expect(throttle.retryAfter(email: "a@x", address: "9.9.9.9", now: later) == nil)
        throttle.recordFailure(email: "a@x", address: "9.9.9.9", now: later)
        #expect(throttle.retryAfter(email: "a@x", address: "9.9.9.9", now: later) == 120)
    }

    @Test func aCorrectPasswordClearsTheAccountButNotTheAddress() {
        let throttle = LoginThrottle(policy: .init(maxFailuresPerAccount: 3, maxFailuresPerAddress: 5))
        for _ in 0..<2 { throttle.recordFailure(email: "a@x", address: "1.1.1.1", now: now) }
        throttle.recordSuccess(email: "a@x")
        for _ in 0..<2 { throttle.recordFailure(email: "a@x", address: "1.1.1.1", now: now) }
        #expect(throttle.retryAfter(email: "a@x", address: "2.2.2.2", now: now) == nil)
        throttle.recordFailure(email: "b@x", address: "1.1.1.1", now: now)
        #expect(throttle.retryAfter(email: "c@x", address: "1.1.1.1", now: now) == 60)
        #expect(throttle.retryAfter(email: "c@x", address: "2.2.2.2", now: now) == nil)
    }

    @Test func oldFailuresAreForgotten() {
        let throttle = LoginThrottle(policy: .init(maxFailuresPerAccount: 2, memory: 3600))
        throttle.recordFailure(email: "a@x", address: "1.1.1.1", now: now)
        throttle.recordFailure(email: "a@x", address: "1.1.1.1", now: now.addingTimeInterval(7200))
        #expect(throttle.retryAfter(email: "a@x", address: "1.1.1.1", now: now.addingTimeInterval(7200)) == nil)
    }
}
