import Foundation
import HummingbirdCore
import Logging
import NIOCore

/// First handler of every connection: enforces ``ConnectionLimits`` on the raw bytes.
///
/// It reads just enough HTTP/1.1 framing (end of headers, `Content-Length`, the last chunk) to know which
/// deadline applies: headers must arrive within `headerTimeout` of the request's first byte and the body
/// within `bodyTimeout` of the headers, so a client trickling bytes (slowloris) is cut off. Between
/// requests Hummingbird's idle timeout applies; while the server works on a response, none does.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum Phase {
        case between
        case head(deadline: NIODeadline, bytes: ByteBuffer)
        case body(deadline: NIODeadline, framing: BodyFraming)
        case refused
    }

    private let limits: ConnectionLimits
    private let count: ConnectionCount
    private let logger: Logger
    private var phase = Phase.between
    private var counted = false
    private var started = false
    private var timer: Scheduled<Void>?
    /// Headers beyond this size are refused by the HTTP decoder anyway; stop buffering them.
    private static let maxHeadBytes = 96 * 1024

    init(limits: ConnectionLimits, count: ConnectionCount, logger: Logger) {
        (self.limits, self.count, self.logger) = (limits, count, logger)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if counted { count.closed() }
        counted = false
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        counted = true
        guard count.opened(limit: limits.maxConnections) else {
            phase = .refused
            logger.warning("connection refused: \(limits.maxConnections) connections are open")
            context.writeAndFlush(NIOAny(Self.serviceUnavailable(context.channel.allocator)), promise: nil)
            context.close(promise: nil)
            return
        }
        // A fresh connection has the header timeout to send its first request.
        phase = .head(deadline: .now() + TimeAmount(limits.headerTimeout), bytes: context.channel.allocator.buffer(capacity: 0))
        arm(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .refused = phase { return }
        var buffer = unwrapInboundIn(data)
        let forward = buffer
        while buffer.readableBytes > 0 {
            if !advance(&buffer, context: context) {
                logger.notice("closing connection: request headers too large")
                context.close(promise: nil)
                return
            }
        }
        context.fireChannelRead(wrapInboundOut(forward))
    }

    /// Consumes bytes from `buffer` for the current phase; false when the headers grow past the limit.
    private func advance(_ buffer: inout ByteBuffer, context: ChannelHandlerContext) -> Bool {
        switch phase {
        case .refused:
            buffer.moveReaderIndex(to: buffer.writerIndex)
        case .between:
            phase = .head(deadline: .now() + TimeAmount(limits.headerTimeout), bytes: context.channel.allocator.buffer(capacity: 0))
            arm(context)
        case .head(let deadline, var bytes):
            let searchFrom = max(bytes.readerIndex, bytes.writerIndex - 3)
            bytes.writeImmutableBuffer(buffer)
            buffer.moveReaderIndex(to: buffer.writerIndex)
            guard let end = bytes.readableBytesView[searchFrom...].firstRange(of: [13, 10, 13, 10])?.upperBound else {
                if bytes.readableBytes > Self.maxHeadBytes { return false }
                phase = .head(deadline: deadline, bytes: bytes)
                return true
            }
            // Bytes after the headers belong to the body (or to a pipelined request): consume them next.
            let headLength = end - bytes.readerIndex
            let head = String(buffer: bytes.getSlice(at: bytes.readerIndex, length: headLength)!)
            buffer = bytes.getSlice(at: end, length: bytes.writerIndex - end)!
            let framing = BodyFraming(head: head)
            phase = framing.isComplete
                ? .between : .body(deadline: .now() + TimeAmount(limits.bodyTimeout), framing: framing)
            arm(context)
        case .body(let deadline, var framing):
            framing.consume(&buffer)
            phase = framing.isComplete ? .between : .body(deadline: deadline, framing: framing)
        }
        if case .between = phase, buffer.readableBytes == 0 { disarm() }
        return true
    }

    private var deadline: NIODeadline? {
        switch phase {
        case .head(let deadline, _), .body(let deadline, _): deadline
        case .between, .refused: nil
        }
    }

    /// Schedules one check at the current deadline; a later deadline reschedules when it fires.
    private func arm(_ context: ChannelHandlerContext) {
        guard timer == nil, let deadline else { return }
        let loopContext = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopContext.value
            handler.timer = nil
            guard let deadline = handler.deadline else { return }
            if deadline <= .now() {
                handler.logger.notice("closing connection: the client was too slow sending its request")
                context.close(promise: nil)
            } else {
                handler.arm(context)
            }
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }

    private static func serviceUnavailable(_ allocator: ByteBufferAllocator) -> ByteBuffer {
        let body = #"{"message":"too many open connections; retry shortly","errors":[],"StatusCode":503}"#
        return allocator.buffer(string: "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + "Retry-After: 1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }
}

/// Where a request body ends: after `Content-Length` bytes, or at the last chunk of a chunked body.
struct BodyFraming {
    private enum Kind { case length(remaining: Int), chunked(window: UInt64) }
    private var kind: Kind

    /// `\r\n0\r\n\r\n`: the zero-length last chunk (trailers are not expected).
    private static let lastChunk: UInt64 = 0x0D0A_300D_0A0D_0A
    private static let windowMask: UInt64 = 0xFF_FFFF_FFFF_FFFF

    init(head: String) {
        var length = 0
        var chunked = false
        for line in head.lowercased().split(separator: "\r\n") {
            if line.hasPrefix("content-length:") {
                length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
            } else if line.hasPrefix("transfer-encoding:"), line.contains("chunked") {
                chunked = true
            }
        }
        // The window starts as if a line ended just before the body, so an empty chunked body matches too.
        kind = chunked ? .chunked(window: 0x0D0A) : .length(remaining: max(0, length))
    }

    var isComplete: Bool {
        switch kind {
        case .length(let remaining): remaining == 0
        case .chunked(let window): window & Self.windowMask == Self.lastChunk
        }
    }

    mutating func consume(_ buffer: inout ByteBuffer) {
        switch kind {
        case .length(let remaining):
            let taken = min(remaining, buffer.readableBytes)
            buffer.moveReaderIndex(forwardBy: taken)
            kind = .length(remaining: remaining - taken)
        case .chunked(var window):
            while !isComplete, let byte = buffer.readInteger(as: UInt8.self) {
                window = (window << 8) | UInt64(byte)
                kind = .chunked(window: window)
            }
        }
    }
}
