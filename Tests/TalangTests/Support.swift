import Foundation
import Testing

@testable import Talang

/// Shared helpers: evaluate text or JSON expressions against the core library.
enum Eval {
    static let fixedNow = TalangTime(rfc3339: "2026-11-24T12:00:00Z")

    static func run(
        _ source: String, bindings: [String: TalangValue] = [:], in environment: Environment = .core,
        context: Any? = nil
    ) throws(TalangError) -> TalangValue {
        let compiled = try Talang.compile(Talang.parse(source), in: environment)
        return try compiled.evaluate(bindings: bindings, context: context, now: fixedNow)
    }

    /// The result as JSON text, or "error: <stage>" — convenient for expectations.
    static func json(_ source: String, bindings: [String: TalangValue] = [:], in environment: Environment = .core)
        -> String
    {
        do {
            return try run(source, bindings: bindings, in: environment).jsonText
        } catch {
            return "error: \(error.stage)"
        }
    }

    static func diagnostics(_ source: String, in environment: Environment) -> [TalangDiagnostic] {
        do {
            return Talang.check(try Talang.parse(source), in: environment)
        } catch {
            return error.diagnostics
        }
    }
}
