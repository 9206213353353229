import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Talon.One's coupon CSV, for the API's routes and the Campaign Manager alike.
public enum CouponFiles {
    /// The coupons of a CSV file; a bad row throws a 400 `APIError` naming its line and column.
    public static func coupons(fromCSV text: String, campaignId: Int64) throws -> [Coupon] {
        try CouponFileRoutes.coupons(fromCSV: text, campaignId: campaignId)
    }

    /// The coupons the filter names as CSV, streamed a page at a time: memory stays flat however many there are.
    public static func export(store: any Store, applicationId: Int64, filter: CouponFilter) -> ResponseBody {
        ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSV.line(CouponFileRoutes.exportColumns)))
            try await store.forEachCouponPage(applicationId: applicationId, filter: filter) { page in
                var chunk = ""
                for coupon in page { chunk += CSV.line(try CouponFileRoutes.row(coupon, applicationId: applicationId)) }
                try await writer.write(ByteBuffer(string: chunk))
            }
            try await writer.finish(nil)
        }
    }
}

/// Coupons in and out as CSV: `POST …/campaigns/{id}/import_coupons` and `GET /v1/applications/{id}/export_coupons`.
struct CouponFileRoutes {
    let store: any Store
    let configuration: APIConfiguration
    let target: @Sendable (SContoRequestContext) async throws -> (PromotionEngine.Application, Campaign)

    /// The SDK's `Import`.
    struct ImportBody: Encodable, Sendable {
        var id: Int64
        var created: Date
        var accountId: Int64
        var userId: Int64
        var entity = "Coupon"
        var amount: Int
    }

    static let exportColumns = [
        "id", "created", "campaignid", "value", "expirydate", "startdate", "attributes", "applicationid",
        "recipientintegrationid", "batchid", "limitval", "usagecounter", "discountlimit", "discountcounter",
    ]

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "/v1/applications/:applicationId/campaigns/:campaignId/import_coupons") { request, context in
            let (application, campaign) = try await target(context)
            let (accountId, userId) = try context.managementCaller()
            let csv = try await Self.upload(request, configuration: configuration)
            let coupons = try Self.coupons(fromCSV: csv, campaignId: campaign.id)
            let skipDuplicates = try bool(request.uri.queryParameters.get("skipDuplicates"), name: "skipDuplicates",
                                          default: false)
            // One transaction: a duplicate code fails the whole import unless skipDuplicates is set.
            let inserted = try await store.insertCoupons(
                coupons, applicationId: application.id,
                normalizedValues: coupons.map { application.normalizedCouponCode($0.value) }, skipExisting: skipDuplicates
            )
            return try WireCoding.response(ImportBody(
                id: inserted.first?.id ?? 0, created: Date().storagePrecision, accountId: accountId, userId: userId,
                amount: inserted.count
            ))
        }
        routes.on(.get, "/v1/applications/:applicationId/export_coupons") { request, context in
            let application = try await store.application(
                id: context.id("applicationId"), accountId: context.managementCaller().accountId
            )
            let campaignId = request.uri.queryParameters.get("campaignId").flatMap { Int64($0) }
            var filter = CouponFilter(campaignId: campaignId)
            filter.batchId = request.uri.queryParameters.get("batchId")
            filter.value = request.uri.queryParameters.get("value")
            let body = CouponFiles.export(store: store, applicationId: application.id, filter: filter)
            return Response(status: .ok, headers: [.contentType: "text/csv"], body: body)
        }
    }

    /// The CSV of a multipart upload (`upFile`), or the body itself when sent as `text/csv`.
    static func upload(_ request: Request, configuration: APIConfiguration) async throws -> String {
        let buffer = try await request.body.collect(upTo: configuration.maxBodySize * BodySizeLimitMiddleware.importFactor)
        let data = Data(buffer: buffer)
        let contentType = request.headers[.contentType] ?? ""
        if contentType.hasPrefix("multipart/form-data") {
            guard let file = Multipart.file(named: "upFile", in: data, contentType: contentType) else {
                throw APIError.badRequest(pointer: "/upFile", "the multipart body has no upFile part")
            }
            return String(decoding: file, as: UTF8.self)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads Talon.One's coupon CSV; a bad row answers 400 naming its line and column.
    static func coupons(fromCSV text: String, campaignId: Int64) throws -> [Coupon] {
        let upload = try CSV.Upload(text, required: "value")
        let valueIndex = upload.columns.firstIndex(of: "value") ?? 0
        let now = Date().storagePrecision
        let batchId = UUID().uuidString.lowercased()
        return try upload.rows.map { row in
            func field(_ name: String) -> String? { upload.field(name, in: row) }
            func fail(_ column: String, _ message: String) -> APIError {
                APIError.badRequest(pointer: "/upFile", "line \(row.line), \(column): \(message)")
            }
            guard valueIndex < row.fields.count, row.fields[valueIndex].count >= 3 else {
                throw fail("value", "a code of at least 3 characters is required")
            }
            var coupon = Coupon(id: 0, campaignId: campaignId, value: row.fields[valueIndex], usageLimit: 1, created: now)
            coupon.batchId = batchId
            if let text = field("limitval") {
                guard let limit = Int(text), (0...999_999).contains(limit) else { throw fail("limitval", "must be 0 to 999999") }
                coupon.usageLimit = limit
            }
            if let text = field("expirydate") {
                guard let date = RFC3339.parse(text) else { throw fail("expirydate", "must be an RFC 3339 date-time") }
                coupon.expiryDate = date
            }
            if let text = field("startdate") {
                guard let date = RFC3339.parse(text) else { throw fail("startdate", "must be an RFC 3339 date-time") }
                coupon.startDate = date
            }
            coupon.recipientIntegrationId = field("recipientintegrationid")
            if let text = field("discountlimit") {
                guard let limit = Decimal(string: text), limit >= 0 else { throw fail("discountlimit", "must be a non-negative number") }
                coupon.discountLimit = limit
            }
            if let text = field("attributes") {
                guard let attributes = try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8)) else {
                    throw fail("attributes", "must be a JSON object")
                }
                coupon.attributes = attributes
            }
            return coupon
        }
    }

    static func row(_ coupon: Coupon, applicationId: Int64) throws -> [String] {
        // Most coupons have no attributes: skip the encoder for them (exports run to millions of rows).
        let attributes = (coupon.attributes ?? [:]).isEmpty
            ? "{}" : String(decoding: try JSONEncoder().encode(coupon.attributes ?? [:]), as: UTF8.self)
        return [
            "\(coupon.id)", RFC3339.format(coupon.created), "\(coupon.campaignId)", coupon.value,
            coupon.expiryDate.map(RFC3339.format) ?? "", coupon.startDate.map(RFC3339.format) ?? "", attributes,
            "\(applicationId)", coupon.recipientIntegrationId ?? "", coupon.batchId ?? "", "\(coupon.usageLimit)",
            "\(coupon.usageCounter)", coupon.discountLimit.map { "\($0)" } ?? "", "\(coupon.discountCounter ?? 0)",
        ]
    }
}
