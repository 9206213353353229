import Foundation
import PromotionEngine
import Testing

@Suite struct JSONValueDepthTests {
    struct Body: Decodable { var attributes: [String: JSONValue] }

    static func nested(_ depth: Int, open: String = "[", close: String = "]") -> Data {
        Data(("{\"attributes\": {\"deep\": " + String(repeating: open, count: depth) + "1"
            + String(repeating: close, count: depth) + "}}").utf8)
    }

    @Test func fiveHundredLevelsAreRefusedByTheDecoderToo() throws {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let body = Self.nested(500, open: open, close: close)
            let started = ContinuousClock.now
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(Body.self, from: body) }
            let elapsed = ContinuousClock.now - started
            // The HTTP layer refuses such bodies before decoding (JSONDepth); this is the decoder's own guard.
            print("500-deep \(open) body refused by the decoder in \(elapsed)")
            #expect(elapsed < .milliseconds(500))
        }
    }

    @Test func theRefusalNamesTheDepth() {
        do {
            _ = try JSONDecoder().decode(Body.self, from: Self.nested(100))
            Issue.record("a 100-deep value must be refused")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("levels deep"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func everyKindDecodesInOnePass() throws {
        let text = #"{"attributes": {"s": "x", "n": 12.50, "b": true, "z": null, "o": {"k": [1, "2", false, null, {}]}}}"#
        let body = try JSONDecoder().decode(Body.self, from: Data(text.utf8))
        #expect(body.attributes["s"] == .string("x"))
        #expect(body.attributes["n"] == .number(Decimal(string: "12.50")!))
        #expect(body.attributes["b"] == .bool(true))
        #expect(body.attributes["z"] == .null)
        #expect(body.attributes["o"] == .object(["k": .array([.number(1), .string("2"), .bool(false), .null, .object([:])])]))
        let deepButAllowed = try JSONDecoder().decode(Body.self, from: Self.nested(50))
        #expect(deepButAllowed.attributes["deep"] != nil)
    }
}
