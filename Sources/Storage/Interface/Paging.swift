/// Which slice of a listing to return, as the Management API's `pageSize`, `skip` and `sort` say.
public struct PageRequest: Sendable, Hashable {
    public var pageSize: Int
    public var skip: Int
    public var sort: SortField?

    public init(pageSize: Int = 1000, skip: Int = 0, sort: SortField? = nil) {
        self.pageSize = pageSize
        self.skip = skip
        self.sort = sort
    }
}

/// `name` sorts ascending, `-name` descending.
public struct SortField: Sendable, Hashable {
    public var field: String
    public var descending: Bool

    public init(field: String, descending: Bool) {
        self.field = field
        self.descending = descending
    }

    public init(parsing text: String) {
        if text.hasPrefix("-") {
            self.init(field: String(text.dropFirst()), descending: true)
        } else {
            self.init(field: text, descending: false)
        }
    }
}

/// One page of a listing, with the total count of matching rows.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var totalCount: Int

    public init(items: [Item], totalCount: Int) {
        self.items = items
        self.totalCount = totalCount
    }

    public var hasMore: Bool { totalCount > items.count }
}

/// Every item of a `no_total` listing, read a page of 1,000 at a time (exports and reports).
public func allPages<Item>(_ fetch: (PageRequest) async throws -> (items: [Item], hasMore: Bool)) async throws
    -> [Item]
{
    var items: [Item] = []
    while true {
        let (page, hasMore) = try await fetch(PageRequest(pageSize: 1000, skip: items.count))
        items += page
        if !hasMore || page.isEmpty { return items }
    }
}
