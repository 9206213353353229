import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An open-loop HTTP load generator (as wrk2 does it), on one event loop.
///
/// With a target rate, each connection has its own schedule: request `i` of connection `c` is due at
/// `start + (c + i·connections) / rate`. A request that could not be sent on time (the previous answer
/// was late) goes out as soon as the connection is free, and its latency counts from when it was due,
/// so a slow server cannot hide its queueing (no coordinated omission). Without a rate the generator is
/// closed-loop: every connection sends its next request when the previous answer arrives (saturation).
final class LoadGenerator {
    struct Configuration {
        /// The nodes to load; connection i goes to node i mod count (a load balancer's round robin).
        var nodes: [Node]
        var authorization: String
        var connections: Int
        var rate: Double?
        var warmup: TimeAmount
        var duration: TimeAmount
    }

    struct Node {
        var host: String
        var port: Int
    }

    struct Result {
        var requests: Int
        var seconds: Double
        var errors: Int
        var sorted: [UInt32]
        var unfinished: Int
        var timeline: [(start: Double, p50: Double, p99: Double, max: Double, count: Int)]
    }

    let configuration: Configuration
    var mix: RequestMix
    private var recorder: LatencyRecorder
    private var start = NIODeadline.now()
    private var recordFrom = NIODeadline.now()
    private var stopAt = NIODeadline.now()
    private var finished = 0
    private var unfinished = 0
    private var completion: EventLoopPromise<Void>?
    private var errorSamples: [String] = []

    init(configuration: Configuration, mix: RequestMix) {
        self.configuration = configuration
        self.mix = mix
        let seconds = Double(configuration.duration.nanoseconds) / 1e9
        recorder = LatencyRecorder(expected: Int((configuration.rate ?? 20_000) * seconds * 1.2))
    }

    /// Opens the connections on `loop`, runs warm-up plus the measured window, and reports.
    static func run(_ configuration: Configuration, mix: RequestMix, on loop: any EventLoop) async throws -> Result {
        // The generator lives on the loop: everything touching it runs there, so it needs no locks.
        let generator = try await loop.submit {
            NIOLoopBound(LoadGenerator(configuration: configuration, mix: mix), eventLoop: loop)
        }.get()
        let done = loop.makePromise(of: Void.self)
        try await loop.submit {
            let state = generator.value
            state.completion = done
            state.start = .now() + .milliseconds(200)  // time for the connections to open
            state.recordFrom = state.start + configuration.warmup
            state.stopAt = state.recordFrom + configuration.duration
        }.get()
        for index in 0..<configuration.connections {
            let node = configuration.nodes[index % configuration.nodes.count]
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: node.host, port: node.port).get()
            try await loop.submit {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(LoadConnection(generator: generator.value, index: index))
            }.get()
        }
        // A run that cannot drain its backlog (rate above capacity) is cut 10 s after the window.
        let deadline = loop.scheduleTask(in: .seconds(12) + configuration.warmup + configuration.duration) {
            generator.value.completion?.succeed()
        }
        try await done.futureResult.get()
        deadline.cancel()
        return try await loop.submit {
            let state = generator.value
            for sample in state.errorSamples { FileHandle.standardError.write(Data((sample + "\n").utf8)) }
            let sorted = state.recorder.microseconds.sorted()
            return Result(requests: sorted.count, seconds: Double(configuration.duration.nanoseconds) / 1e9,
                          errors: state.recorder.errors, sorted: sorted,
                          unfinished: configuration.connections - state.finished,
                          timeline: state.recorder.timeline())
        }.get()
    }

    // MARK: Called by the connections, on the loop.

    /// When connection `index` should send its `sequence`-th request; nil once the window is over.
    func due(connection index: Int, sequence: Int) -> NIODeadline? {
        guard let rate = configuration.rate else {
            let now = NIODeadline.now()
            return now < stopAt ? max(now, start) : nil
        }
        let offset = Double(index + sequence * configuration.connections) / rate
        let deadline = start + .nanoseconds(Int64(offset * 1e9))
        return deadline < stopAt ? deadline : nil
    }

    func answered(due: NIODeadline, status: UInt, body: String?) {
        guard due >= recordFrom else { return }
        if (200..<300).contains(status) {
            recorder.record(nanoseconds: (NIODeadline.now() - due).nanoseconds,
                            dueAfterNanoseconds: (due - recordFrom).nanoseconds)
        } else {
            recorder.recordError()
            if errorSamples.count < 5 { errorSamples.append("HTTP \(status): \(body ?? "")") }
        }
    }

    func failed(_ error: any Error) {
        recorder.recordError()
        if errorSamples.count < 5 { errorSamples.append("connection: \(error)") }
    }

    func connectionFinished() {
        finished += 1
        if finished == configuration.connections { completion?.succeed() }
    }
}

/// One keep-alive connection: one request in flight, sent when due.
final class LoadConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let generator: LoadGenerator
    private let index: Int
    private var sequence = 0
    private var inFlight: NIODeadline?
    private var status: UInt = 0
    private var errorBody: String?
    private var done = false

    init(generator: LoadGenerator, index: Int) {
        self.generator = generator
        self.index = index
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { sendWhenDue(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendWhenDue(context: context)
    }

    private func sendWhenDue(context: ChannelHandlerContext) {
        guard inFlight == nil, !done else { return }
        guard let due = generator.due(connection: index, sequence: sequence) else {
            finish(context: context)
            return
        }
        sequence += 1
        if due > .now() {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { self.send(due: due, context: bound.value) }
        } else {
            send(due: due, context: context)
        }
    }

    private func send(due: NIODeadline, context: ChannelHandlerContext) {
        guard !done else { return }
        inFlight = due
        let request = generator.mix.next(connection: index)
        var head = HTTPRequestHead(version: .http1_1, method: .PUT, uri: request.path)
        head.headers.add(name: "Host", value: generator.configuration.nodes[0].host)
        head.headers.add(name: "Authorization", value: generator.configuration.authorization)
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(request.body.readableBytes))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(request.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status.code
            errorBody = nil
        case .body(let buffer):
            if !(200..<300).contains(status) { errorBody = (errorBody ?? "") + String(buffer: buffer) }
        case .end:
            guard let due = inFlight else { return }
            inFlight = nil
            generator.answered(due: due, status: status, body: errorBody)
            sendWhenDue(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        generator.failed(error)
        finish(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done { generator.failed(ChannelError.ioOnClosedChannel) }
        finish(context: context)
    }

    private func finish(context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        generator.connectionFinished()
        context.close(promise: nil)
    }
}
