import Foundation
import Testing
@testable import PromotionEngine

/// Catalog syncs planned against stored items, filters, cart items completed from a catalog, and the best prior
/// price over a look-back window.
@Suite struct CatalogEngineTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func item(_ sku: String, _ price: Decimal?, _ attributes: [String: JSONValue] = [:], id: Int64 = 1) -> CatalogItem {
        CatalogItem(id: id, catalogId: 1, sku: sku, price: price, attributes: attributes, version: 1, created: now)
    }

    @Test func filtersCompareNumbersByValueAndListsByMembership() {
        let shoe = item("S", 10, ["size": .number(46), "color": .string("blue")])
        #expect(CatalogFilter(attribute: "size", op: .greater, value: .string("45")).matches(shoe))
        #expect(!CatalogFilter(attribute: "size", op: .less, value: .number(46)).matches(shoe))
        #expect(CatalogFilter(attribute: "size", op: .lessOrEqual, value: .number(46)).matches(shoe))
        #expect(CatalogFilter(attribute: "size", op: .equal, value: .string("46")).matches(shoe))
        #expect(CatalogFilter(attribute: "color", op: .oneOf, value: .string("red, blue")).matches(shoe))
        #expect(!CatalogFilter(attribute: "color", op: .greater, value: .string("a")).matches(shoe))
        #expect(!CatalogFilter(attribute: "weight", op: .equal, value: .number(1)).matches(shoe))
    }

    @Test func planKeepsPricesNotSentAndRecordsOnlyNewOnes() throws {
        let existing = [item("A", 10, ["color": .string("blue")], id: 7)]
        let changes = try CatalogSync.plan([
            .patch(CatalogItemChange(sku: "A", attributes: ["size": .number(40)]), createIfNotExists: false),
        ], existing: existing, catalogId: 1, version: 3, now: now)
        #expect(changes.saved.map(\.id) == [7])
        #expect(changes.saved[0].price == 10 && changes.saved[0].version == 3)
        #expect(changes.saved[0].attributes == ["color": .string("blue"), "size": .number(40)])
        #expect(changes.prices.isEmpty)
        let added = try CatalogSync.plan([.add(CatalogItemChange(sku: "B", price: 5), replaceIfExists: false)],
                                         existing: [], catalogId: 1, version: 2, now: now)
        #expect(added.saved.map(\.id) == [0] && added.prices == [.init(sku: "B", price: 5)])
        #expect(throws: ValidationIssue(pointer: "/actions/0/payload/sku",
                                        message: "no item with SKU Z in this catalog")) {
            try CatalogSync.plan([.remove(sku: "Z")], existing: existing, catalogId: 1, version: 2, now: now)
        }
    }

    @Test func requestFaultsAreNamedBeforeAnyItemIsRead() {
        let issues = CatalogSync.validate([
            .add(CatalogItemChange(sku: "A"), replaceIfExists: false),
            .add(CatalogItemChange(sku: "A", price: -1), replaceIfExists: false),
            .remove(sku: "B"),
        ])
        #expect(issues.map(\.pointer) == ["/actions/1/payload/sku", "/actions/1/payload/price", "/actions/2/type"])
        #expect(CatalogSync.validate([]).map(\.pointer) == ["/actions"])
    }

    @Test func cartItemsTakeTheCatalogsPriceAndAttributesUnderTheSentOnes() {
        var sent = CartItem(sku: "A", quantity: 2, price: nil)
        sent.attributes = ["color": .string("red")]
        let completed = [sent, CartItem(sku: "B", quantity: 1, price: 3)].completed(by: [
            item("A", 10, ["color": .string("blue"), "size": .number(40)]), item("A", 99),
        ])
        #expect(completed[0].price == 10)
        #expect(completed[0].attributes == ["color": .string("red"), "size": .number(40)])
        #expect(completed[1] == CartItem(sku: "B", quantity: 1, price: 3))
    }

    @Test func bestPriorPriceLooksBackFromTheEndOrFromTheCurrentPrice() {
        let day: TimeInterval = 86_400
        func seen(_ price: Decimal, daysAgo: Double, id: Int64) -> PriceObservation {
            PriceObservation(id: id, sku: "TV", price: price, observedAt: now.addingTimeInterval(-daysAgo * day))
        }
        // 50 long ago (still the price 30 days ago), then 100, 90, and the current 60.
        let history = [seen(50, daysAgo: 40, id: 1), seen(100, daysAgo: 20, id: 2), seen(90, daysAgo: 10, id: 3),
                       seen(60, daysAgo: 1, id: 4)]
        #expect(BestPriorPrice.lowest(history, end: now, days: 30, windowEnd: .strict)?.id == 1)
        #expect(BestPriorPrice.lowest(history, end: now, days: 15, windowEnd: .strict)?.id == 4)
        #expect(BestPriorPrice.lowest(history, end: now, days: 15, windowEnd: .price)?.id == 3)
        #expect(BestPriorPrice.lowest(history, end: now.addingTimeInterval(-50 * day), days: 30, windowEnd: .strict) == nil)
    }
}
