import Services
import Synchronization
import Testing

@Suite struct RequestQueueTests {
    @Test func oneRunsTwoWaitTheFourthIsRefused() async throws {
        let queue = RequestQueue(maximumWaiting: 2)
        let (gate, open) = AsyncStream<Void>.makeStream()
        // The first request holds the line until the gate opens.
        let first = Task { try await queue.run(key: "s") { for await _ in gate { break }; return 1 } }
        while queue.activeKeys == 0 { await Task.yield() }
        let waiting = (2...3).map { n in Task { try await queue.run(key: "s") { n } } }
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: RequestQueue.Busy.self) { try await queue.run(key: "s") { 4 } }
        // Another key is not affected.
        #expect(try await queue.run(key: "other") { 5 } == 5)
        open.yield()
        #expect(try await first.value == 1)
        #expect(try await waiting[0].value == 2)
        #expect(try await waiting[1].value == 3)
        #expect(queue.activeKeys == 0)
    }

    @Test func manyRequestsOnFewKeysNeverOverlapAndAllRun() async throws {
        let queue = RequestQueue(maximumWaiting: 1_000)
        let inside = Occupancy()
        let ran = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<400 {
                let key = "k\(n % 8)"
                group.addTask {
                    try await queue.run(key: key) {
                        inside.counts.withLock { $0[key, default: (0, 0)].now += 1; $0[key]!.most = max($0[key]!.most, $0[key]!.now) }
                        await Task.yield()
                        inside.counts.withLock { $0[key]!.now -= 1 }
                        return 1
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(ran == 400)
        #expect(inside.counts.withLock { $0.values.map(\.most) } == Array(repeating: 1, count: 8))
        #expect(queue.activeKeys == 0)
    }
}

/// Per key: how many bodies are inside now, and the most ever seen inside at once.
private final class Occupancy: Sendable {
    let counts = Mutex<[String: (now: Int, most: Int)]>([:])
}
