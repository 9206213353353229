import Foundation
import Testing

@testable import Talang

/// Runs the implementation-neutral vectors in `Vectors/*.json` (format in `Vectors/README.md`).
@Suite struct VectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let file: String
        let name: String
        let case_: TalangValue
        var testDescription: String { "\(file): \(name)" }
    }

    static let vectors: [Vector] = {
        guard let directory = Bundle.module.url(forResource: "Vectors", withExtension: nil),
            let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else { return [] }
        return files.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            .flatMap { url -> [Vector] in
                guard let text = try? String(contentsOf: url, encoding: .utf8),
                    let file = try? TalangValue(jsonText: text), case .list(let cases)? = file.mapValue?["vectors"]
                else { return [Vector(file: url.lastPathComponent, name: "unreadable file", case_: .null)] }
                return cases.map {
                    Vector(file: url.lastPathComponent, name: $0.mapValue?["name"]?.stringValue ?? "?", case_: $0)
                }
            }
    }()

    @Test func vectorsAreThere() {
        #expect(Self.vectors.count >= 100)
    }

    @Test(arguments: vectors)
    func vector(_ vector: Vector) throws {
        let fields = try #require(vector.case_.mapValue, "unreadable vector")
        let expressionValue = try #require(fields["expression"])
        var environment = Environment.core
        var bindings: [String: TalangValue] = [:]
        for (name, value) in fields["bindings"]?.mapValue ?? [:] {
            bindings[name] = value.readingTimes
            environment.bind(name, .inferred(from: bindings[name] ?? .null))
        }
        let now = fields["now"]?.stringValue.flatMap(TalangTime.init(rfc3339:)) ?? Eval.fixedNow

        let outcome: Result<TalangValue, TalangError> = Result { () throws(TalangError) in
            let expression: TalangExpression
            if case .string(let text) = expressionValue, text.hasPrefix("(") {
                expression = try Talang.parse(text: text)
            } else {
                expression = try Talang.expression(from: expressionValue)
            }
            return try Talang.compile(expression, in: environment).evaluate(bindings: bindings, now: now)
        }

        switch (outcome, fields["result"], fields["error"]?.mapValue) {
        case (.success(let value), let expected?, nil):
            // Through JSON, so times compare as their RFC 3339 text and numbers by value.
            #expect(try TalangValue(jsonText: value.jsonText) == expected, "got \(value.jsonText)")
        case (.failure(let error), nil, let expected?):
            #expect(error.stage.rawValue == expected["stage"]?.stringValue, "\(error)")
            if let pointers = expected["pointers"]?.listValue {
                #expect(error.diagnostics.map { TalangValue.string($0.pointer) } == pointers, "\(error)")
            }
        case (.success(let value), _, _):
            Issue.record("expected an error, got \(value.jsonText)")
        case (.failure(let error), _, _):
            Issue.record("unexpected \(error)")
        }
    }
}
