/// A checked expression compiled into closures: build once, cache, share across requests and
/// tasks (it is `Sendable`), evaluate per request with that request's bindings.
public struct CompiledExpression: Sendable {
    public let expression: TalangExpression
    /// The statically inferred type of the result (`any` where data is loosely typed).
    public let type: TalangType
    let run: Thunk
    let slotCount: Int
    let limits: Limits

    /// Evaluates with the given root bindings (`["Session": …]`).
    ///
    /// - Parameters:
    ///   - context: the host's per-evaluation object, handed to host functions (`Arguments.context(as:)`),
    ///     e.g. the engine's rule scope that collects effects.
    ///   - now: the time `days` measures from; the clock when nil.
    /// - Throws: `TalangError` (stage `.evaluation`) with the pointer of the failing node.
    public func evaluate(bindings: [String: TalangValue] = [:], context: Any? = nil, now: TalangTime? = nil)
        throws(TalangError) -> TalangValue
    {
        let evaluation = Evaluation(bindings: bindings, context: context, now: now, slotCount: slotCount, limits: limits)
        do {
            return try run(evaluation)
        } catch let error as TalangError {
            throw error
        } catch {
            throw TalangError(.evaluation, [TalangDiagnostic(pointer: "", message: "\(error)")], underlying: error)
        }
    }
}
