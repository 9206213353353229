import Foundation
import PromotionEngine
import Testing

/// A webhook's templates filled with a rule's arguments: an argument never breaks out of the JSON payload or the URL.
@Suite struct WebhookTemplateTests {
    let webhook = Webhook(id: 1, accountId: 1, created: Date(), modified: Date(), settings: WebhookSettings(
        title: "Notify", url: "https://shop.example/orders/${$order}?tag=${$tags}",
        headers: ["Content-Type: application/json", "X-Order: ${$order}"],
        payload: #"{"order": "${$order}", "total": ${$total}, "vip": ${vip}, "tags": ${$tags}, "note": "tags ${$tags}"}"#,
        params: [
            .init(type: .string, title: "order"), .init(type: .number, title: "total"), .init(type: .boolean, title: "vip"),
            .init(type: .stringList, title: "tags"),
        ]
    ))

    @Test func argumentsAreEscapedForWhereTheyStand() throws {
        let request = webhook.request(arguments: [
            .string(#"a"b/c"#), .number(Decimal(string: "12.50")!), .bool(true), .array([.string("x y"), .string("z")]),
        ])
        #expect(request.method == "POST")
        #expect(request.url == #"https://shop.example/orders/a%22b%2Fc?tag=%5B%22x%20y%22%2C%22z%22%5D"#)
        #expect(request.headers == [["Content-Type", "application/json"], ["X-Order", #"a"b/c"#]])
        let body = try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any]
        #expect(body?["order"] as? String == #"a"b/c"#)
        #expect((body?["total"] as? NSNumber)?.decimalValue == Decimal(string: "12.5"))
        #expect(body?["vip"] as? Bool == true)
        #expect(body?["tags"] as? [String] == ["x y", "z"])
        #expect(body?["note"] as? String == #"tags ["x y","z"]"#)
    }

    @Test func settingsAreChecked() {
        var settings = webhook.settings
        settings.title = "1 bad"
        settings.url = "ftp://x"
        settings.headers = ["no colon"]
        #expect(Set(settings.validate().map(\.pointer)) == ["/title", "/url", "/headers/0"])
        #expect(webhook.settings.validate().isEmpty)
    }
}
