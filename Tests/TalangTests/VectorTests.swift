import Foundation
import Testing

@testable import Talang

/// Runs the implementation-neutral vectors in `Vectors/*.json` (format in `Vectors/README.md`).
@Suite struct VectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let file: String
        let name: String
        let case_: TalangValue
        /// The file declares deviations from the reference (`deviations`) and test helpers (`helpers`).
        let deviations: [String: TalangValue]
        let usesPanic: Bool
        var testDescription: String { "\(file): \(name)" }
    }

    static let files: [(name: String, content: TalangValue)] = {
        guard let directory = Bundle.module.url(forResource: "Vectors", withExtension: nil),
            let urls = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else { return [] }
        return urls.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            .map { url in
                let text = try? String(contentsOf: url, encoding: .utf8)
                return (url.lastPathComponent, text.flatMap { try? TalangValue(jsonText: $0) } ?? .null)
            }
    }()

    static let vectors: [Vector] = files.flatMap { file -> [Vector] in
        guard case .list(let cases)? = file.content.mapValue?["vectors"] else {
            return [Vector(file: file.name, name: "unreadable file", case_: .null, deviations: [:], usesPanic: false)]
        }
        let fields = file.content.mapValue ?? [:]
        return cases.map { vector in
            let name = vector.mapValue?["name"]?.stringValue
                ?? "\(vector.mapValue?["source"]?.stringValue ?? "?"): \(vector.mapValue?["text"]?.stringValue ?? "?")"
            return Vector(
                file: file.name, name: name, case_: vector, deviations: fields["deviations"]?.mapValue ?? [:],
                usesPanic: fields["helpers"]?.mapValue?["panic"] != nil)
        }
    }

    /// The reference test helpers' `panic`: takes anything, always fails.
    static let referenceHelpers: Environment = {
        var environment = Environment.core
        environment.register(
            "panic", Signature([], repeating: .any, returns: .any), description: "Always fails (reference test helper)."
        ) { _ in throw TalangFailure("panic") }
        return environment
    }()

    @Test func vectorsAreThere() {
        #expect(Self.vectors.count >= 400)
    }

    /// Every deviation a vector file names is explained, word for word, in docs/talang.md's
    /// "Deviations from the reference" section (generated from `Documentation.referenceDeviations`).
    @Test func deviationsAreDocumented() throws {
        let reference = try #require(Self.files.first { $0.name == "talang-reference.json" }?.content.mapValue)
        let listed = try #require(reference["deviations"]?.mapValue)
        let documented = Dictionary(uniqueKeysWithValues: Documentation.referenceDeviations.map { ($0.key, $0.reason) })
        #expect(listed.mapValues(\.stringValue) == documented.mapValues { Optional($0) })
        #expect(Documentation.markdown().contains("## Deviations from the reference"))
    }

    @Test(arguments: vectors)
    func vector(_ vector: Vector) throws {
        let fields = try #require(vector.case_.mapValue, "unreadable vector")
        if let deviation = fields["deviation"] {
            #expect(deviation.stringValue.flatMap { vector.deviations[$0] } != nil, "undeclared deviation \(deviation)")
            #expect(fields["reference"] != nil, "a deviation states the reference's result")
        }
        var environment = vector.usesPanic ? Self.referenceHelpers : Environment.core
        var bindings: [String: TalangValue] = [:]
        for (name, value) in fields["bindings"]?.mapValue ?? [:] {
            bindings[name] = value.readingTimes
            environment.bind(name, .inferred(from: bindings[name] ?? .null))
        }
        let now = fields["now"]?.stringValue.flatMap(TalangTime.init(rfc3339:)) ?? Eval.fixedNow

        // `text` is the reference's text form verbatim; `expression` JSON, or text when it starts with "(".
        let source = try #require(fields["text"] ?? fields["expression"], "a vector needs text or expression")
        let outcome: Result<TalangValue, TalangError> = Result { () throws(TalangError) in
            let expression: TalangExpression
            if case .string(let text) = source, fields["text"] != nil || text.hasPrefix("(") {
                expression = try Talang.parse(text: text)
            } else {
                expression = try Talang.expression(from: source)
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
