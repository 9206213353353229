import Foundation
import PromotionEngine
import Storage

/// `GET /v1/applications/{id}/export_customer_sessions`: one CSV row per session the filter names.
enum SessionExport {
    static let columns = [
        "id", "firstsession", "integrationid", "applicationid", "profileid", "profileintegrationid", "created",
        "state", "cartitems", "discounts", "total", "attributes", "closedat", "cancelledat", "referral",
        "identifiers", "additional_costs", "updated", "store_integration_id", "coupons",
    ]

    static func rows(store: any Store, applicationId: Int64, filter: SessionFilter, dates: ExportDateFormat)
        -> CSVStream.Rows
    {
        { write in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try await store.forEachSessionPage(applicationId: applicationId, filter: filter) { page in
                try await write(try page.map { try row($0, dates: dates, encoder: encoder) })
            }
        }
    }

    static func row(_ stored: StoredSession, dates: ExportDateFormat, encoder: JSONEncoder) throws -> [String] {
        let session = stored.session
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let discounts = stored.effects.reduce(into: [String: Decimal]()) { sums, effect in
            guard let value = effect.discountValue, let name = effect.kind.discountName else { return }
            sums[name, default: 0] += value
        }
        // Sconto keeps no separate close and cancel times: a closed or cancelled session's last update is the one
        // that moved it there (neither state takes further cart updates).
        let closedAt = session.state == .closed ? dates(session.updated) : ""
        let cancelledAt = session.state == .cancelled ? dates(session.updated) : ""
        return [
            "\(session.id)", "\(session.firstSession)", session.integrationId, "\(session.applicationId)",
            stored.profileInternalId.map { "\($0)" } ?? "", session.profileId ?? "", dates(session.created),
            session.state.rawValue, try json(session.cartItems), try json(discounts), session.total.exportText,
            try json(session.attributes), closedAt, cancelledAt, session.referralCode ?? "",
            try json(session.identifiers), try json(session.additionalCosts), dates(session.updated),
            session.storeIntegrationId ?? "", try json(session.couponCodes),
        ]
    }
}
