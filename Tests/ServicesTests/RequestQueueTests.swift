import Services
import Testing

@Suite struct RequestQueueTests {
    @Test func oneRunsTwoWaitTheFourthIsRefused() async throws {
        let queue = RequestQueue(maximumWaiting: 2)
        let (gate, open) = AsyncStream<Void>.makeStream()
        // The first request holds the line until the gate opens.
        let first = Task { try await queue.run(key: "s") { for await _ in gate { break }; return 1 } }
        while await queue.activeKeys == 0 { await Task.yield() }
        let waiting = (2...3).map { n in Task { try await queue.run(key: "s") { n } } }
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: RequestQueue.Busy.self) { try await queue.run(key: "s") { 4 } }
        // Another key is not affected.
        #expect(try await queue.run(key: "other") { 5 } == 5)
        open.yield()
        #expect(try await first.value == 1)
        #expect(try await waiting[0].value == 2)
        #expect(try await waiting[1].value == 3)
        #expect(await queue.activeKeys == 0)
    }
}
