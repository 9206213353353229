import Foundation
import PromotionEngine
import Testing

/// docs/rules.md is generated from the engine's declarations; this fails when it is stale.
/// Regenerate with `sconto talang docs --rules --output docs/rules.md` (or run the tests with TALANG_UPDATE_DOCS=1).
@Suite struct RulesDocumentationTests {
    @Test func rulesReferenceIsUpToDate() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/rules.md")
        let generated = EngineLanguage.referenceMarkdown()
        if ProcessInfo.processInfo.environment["TALANG_UPDATE_DOCS"] == "1" {
            try generated.write(to: file, atomically: true, encoding: .utf8)
        }
        let committed = try? String(contentsOf: file, encoding: .utf8)
        #expect(committed == generated,
                "docs/rules.md is out of date: run `sconto talang docs --rules --output docs/rules.md`")
        for name in ["couponValid", "setDiscount", "createCoupon", "customEffect"] {
            #expect(generated.contains("### `\(name)"), "\(name) is not documented")
        }
        #expect(generated.contains("| `Session` |"))
    }
}
