import Foundation
import Hummingbird
import Storage

extension Request {
    /// `pageSize` (1…1000, default 1000), `skip` (≥ 0) and `sort` from the query, as the Management API takes them.
    func pageRequest() throws -> PageRequest {
        let query = uri.queryParameters
        var page = PageRequest()
        if let text = query.get("pageSize") {
            guard let size = Int(text), (1...1000).contains(size) else {
                throw APIError.badParameter("pageSize", "must be an integer from 1 to 1000")
            }
            page.pageSize = size
        }
        if let text = query.get("skip") {
            guard let skip = Int(text), skip >= 0 else {
                throw APIError.badParameter("skip", "must be a non-negative integer")
            }
            page.skip = skip
        }
        if let sort = query.get("sort"), !sort.isEmpty {
            page.sort = SortField(parsing: sort)
        }
        return page
    }

    /// An optional RFC 3339 time from the query (a bare date means its midnight UTC); 400 naming it if malformed.
    func dateParameter(_ name: String) throws -> Date? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let date = RFC3339.parse(text.count == 10 ? text + "T00:00:00Z" : text) else {
            throw APIError.badParameter(name, "must be an RFC 3339 date-time")
        }
        return date
    }

    /// A required RFC 3339 time from the query.
    func requiredDateParameter(_ name: String) throws -> Date {
        guard let date = try dateParameter(name) else { throw APIError.badParameter(name, "is required") }
        return date
    }
}

/// `{"totalResultSize": N, "data": [...]}`, the Management API's listing shape.
struct Listing<Item: Encodable & Sendable>: Encodable, Sendable {
    var totalResultSize: Int
    var data: [Item]
}

/// `{"hasMore": bool, "data": [...]}`, the shape of the `no_total` listings.
struct ListingWithoutTotal<Item: Encodable & Sendable>: Encodable, Sendable {
    var hasMore: Bool
    var data: [Item]
}
