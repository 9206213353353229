import Foundation
import PromotionEngine
import Storage

/// `GET /v1/applications/{id}/export_effects`: every effect the application's events carry, one CSV row each.
enum EffectExport {
    static let columns = [
        "created", "name", "applicationid", "campaignid", "rulesetid", "ruleindex", "sessionintegrationid",
        "profileintegrationid", "sessionid", "profileid", "eventid", "event_type", "total_revenue", "props",
        "couponid", "store_id", "store_integration_id",
    ]

    struct Filter: Sendable {
        var campaignId: Int64?
        var createdBefore: Date?
        var createdAfter: Date?
    }

    static func rows(store: any Store, applicationId: Int64, filter: Filter, dates: ExportDateFormat)
        -> CSVStream.Rows
    {
        { write in
            var events = EventFilter()
            events.createdBefore = filter.createdBefore
            events.createdAfter = filter.createdAfter
            events.withInternalIds = true
            try await store.forEachEventPage(applicationId: applicationId, filter: events) { page in
                var batch: [[String]] = []
                for event in page {
                    for effect in event.effects where filter.campaignId.map({ $0 == effect.campaignId }) ?? true {
                        batch.append(row(effect, of: event, dates: dates))
                    }
                }
                try await write(batch)
            }
        }
    }

    static func row(_ effect: Effect, of event: SessionEvent, dates: ExportDateFormat) -> [String] {
        var props = ""
        JSONText.write(.object(effect.kind.props), to: &props)
        var revenue = ""
        if case .number(let total)? = event.attributes["total"] { revenue = total.exportText }
        // Sconto has no store entities: the store columns stay empty.
        return [
            dates(event.created), effect.type.rawValue, "\(event.applicationId)", "\(effect.campaignId)",
            "\(effect.rulesetId)", "\(effect.ruleIndex)", event.sessionId ?? "", event.profileId ?? "",
            event.sessionInternalId.map { "\($0)" } ?? "", event.profileInternalId.map { "\($0)" } ?? "",
            "\(event.id)", event.type.rawValue, revenue, props, effect.triggeredByCoupon.map { "\($0)" } ?? "", "", "",
        ]
    }
}
