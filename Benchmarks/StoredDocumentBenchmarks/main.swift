// Stored-document codec benchmark: `swift run -c release StoredDocumentBenchmarks`.
//
// What a session update does to the stored session and profile besides the engine: read the session's stored
// text, read the profile's attributes and sales total, write the session's text back. Foundation's
// `JSONDecoder`/`JSONEncoder`/`Decimal(string:)` (the path before issue 17's codec) against the direct codec
// (`SessionDocument.storedText`, `SessionDocument(storedText:)`, `StoredAttributes`, `DecimalText`), on the
// bench's session: 5 cart items, a coupon, a profile, one session attribute. Best batch's mean, ns per operation.
import Foundation
import PromotionEngine
import Storage

let now = Date()
let cart = (1...5).map { i in
    CartItem(name: "item \(i)", sku: "sku-3-\(i)", quantity: 1 + i % 3, price: Decimal(500 + i * 1_733) / 100,
             category: "cat-3")
}
let session = CustomerSession(integrationId: "s1", applicationId: 1, profileId: "p-1", couponCodes: ["B-1"],
                              cartItems: cart, attributes: ["ShippingMethod": .string("truck")], created: now,
                              updated: now)
let document = SessionDocument(session)
let sessionText = try StoredJSON.encode(document)
let profileAttributes: [String: JSONValue] = [
    "Name": .string("Ada Lovelace"), "City": .string("Zürich"), "LoyaltyTier": .string("gold"), "Orders": .number(12),
]
let profileText = try StoredJSON.encode(profileAttributes)
let salesText = "1234.56"
let profileRead = try StoredAttributes.read(profileText)
precondition(document.storedText == sessionText && profileRead == profileAttributes)

func items(_ document: SessionDocument) -> Int {
    document.session(id: 1, integrationId: "s1", applicationId: 1, state: "open", updateCount: 0, created: now,
                     updated: now).cartItems.count
}

/// The best of 7 batches' mean, in nanoseconds per call of `body`.
func measure(_ body: () throws -> Int) rethrows -> Double {
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<7 {
        var sink = 0
        let started = clock.now
        for _ in 0..<20_000 { sink &+= try body() }
        let elapsed = clock.now - started
        precondition(sink != 0)
        let (seconds, attoseconds) = elapsed.components
        best = min(best, (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / 20_000)
    }
    return best
}

let cases: [(String, () throws -> Int, () throws -> Int)] = [
    ("session encode", { try StoredJSON.encode(SessionDocument(session)).utf8.count },
     { SessionDocument(session).storedText.utf8.count }),
    ("session decode", { items(try StoredJSON.decode(SessionDocument.self, from: sessionText)) },
     { items(try SessionDocument(storedText: sessionText)) }),
    ("profile attributes decode", { try StoredJSON.decode([String: JSONValue].self, from: profileText).count },
     { try StoredAttributes.read(profileText).count }),
    ("profile attributes encode", { try StoredJSON.encode(profileAttributes).utf8.count },
     { StoredAttributes.text(profileAttributes).utf8.count }),
    ("sales total decode", { Decimal(string: salesText)!.isZero ? 0 : 1 }, { DecimalText.read(salesText)!.isZero ? 0 : 1 }),
]
print("case                          Foundation ns/op   direct ns/op   ratio")
var foundationTotal = 0.0, directTotal = 0.0
for (name, foundation, direct) in cases {
    let (old, new) = (try measure(foundation), try measure(direct))
    (foundationTotal, directTotal) = (foundationTotal + old, directTotal + new)
    print(name.padding(toLength: 30, withPad: " ", startingAt: 0), String(format: "%16.0f %14.0f %7.1fx", old, new, old / new))
}
print("per session update".padding(toLength: 30, withPad: " ", startingAt: 0),
      String(format: "%16.0f %14.0f %7.1fx", foundationTotal, directTotal, foundationTotal / directTotal))
