import Foundation
import Testing

@testable import Talang

/// docs/talang.md is generated from the function declarations; this fails when it is stale.
/// Regenerate with `sconto talang docs --output docs/talang.md` (or run the tests with TALANG_UPDATE_DOCS=1).
@Suite struct DocumentationTests {
    static var documentationFile: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/talang.md")
    }

    @Test func referenceIsUpToDate() throws {
        let generated = Documentation.markdown()
        if ProcessInfo.processInfo.environment["TALANG_UPDATE_DOCS"] == "1" {
            try generated.write(to: Self.documentationFile, atomically: true, encoding: .utf8)
        }
        let committed = try? String(contentsOf: Self.documentationFile, encoding: .utf8)
        #expect(
            committed == generated,
            "docs/talang.md is out of date: run `sconto talang docs --output docs/talang.md`")
    }

    @Test func everyFunctionIsDocumented() {
        let markdown = Documentation.markdown()
        for definition in Environment.core.allDefinitions {
            #expect(markdown.contains("### `\(definition.name)\(definition.signature)`"), "\(definition.name)")
        }
    }

    @Test func hostFunctionsAndBindingsAreDocumentedToo() {
        var environment = Environment.core
        environment.register(
            "couponValid", Signature([], returns: .boolean), description: "Whether the coupon is valid."
        ) { _ in true }
        environment.bind("Session", .object(["Total": .decimal]), description: "The customer session.")
        let markdown = Documentation.markdown(for: environment)
        #expect(markdown.contains("## Host"))
        #expect(markdown.contains("### `couponValid() -> boolean`"))
        #expect(markdown.contains("| `Session` | `{Total: decimal}` | The customer session. |"))
    }
}
