import Foundation

/// The mutable state of one evaluation: bindings, lambda parameters and `set` variables, the
/// host's context, and the remaining step budget.
///
/// Lives for one call of `CompiledExpression.evaluate` on one task; deliberately not `Sendable`.
public final class Evaluation {
    public let bindings: [String: TalangValue]
    /// The host's per-evaluation object (the engine's rule scope), for host functions' side effects.
    public let context: Any?
    let limits: Limits
    // Touched on every lambda call and step: exempt from dynamic exclusivity checks, which cost more
    // than the work itself. Safe: an evaluation runs on one task and never re-enters these accesses.
    @exclusivity(unchecked) var locals: [TalangValue?]
    @exclusivity(unchecked) var remainingSteps: Int
    private let fixedNow: TalangTime?
    private var clockNow: TalangTime?

    init(bindings: [String: TalangValue], context: Any?, now: TalangTime?, slotCount: Int, limits: Limits) {
        self.bindings = bindings
        self.context = context
        self.limits = limits
        self.fixedNow = now
        locals = slotCount == 0 ? [] : Array(repeating: nil, count: slotCount)
        remainingSteps = limits.maxSteps
    }

    /// The evaluation's current time: the one given to `evaluate`, else the clock, read once.
    public var now: TalangTime {
        if let fixedNow { return fixedNow }
        if let clockNow { return clockNow }
        let time = TalangTime(Date())
        clockNow = time
        return time
    }

    /// The host context as the type the host put there.
    public func context<Context>(as type: Context.Type) throws(TalangFailure) -> Context {
        guard let context = context as? Context else {
            throw TalangFailure("this function needs a \(Context.self) evaluation context")
        }
        return context
    }

    @inline(__always)
    func step() throws(TalangError) {
        remainingSteps &-= 1
        if remainingSteps < 0 {
            var error = TalangError(.evaluation, at: "", "the expression did more than \(limits.maxSteps) steps")
            error.isBudgetExhausted = true
            throw error
        }
    }
}

