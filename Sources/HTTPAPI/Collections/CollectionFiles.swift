import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// Collection names and item files, for the API's routes and the Campaign Manager alike.
public enum CollectionFiles {
    /// Why a collection name is refused (the spec's pattern: no control characters, no leading white space), or nil.
    public static func nameProblem(_ name: String) -> String? {
        guard let first = name.first, !first.isWhitespace, name.count <= 1000, !Identifier.hasControlCharacters(name)
        else { return "must be 1 to 1000 characters, not starting with a space" }
        return nil
    }

    /// The `item` column of an import; a bad file throws a 400 `APIError` naming its line.
    public static func items(fromCSV text: String) throws -> [String] {
        try CollectionRoutes.items(fromCSV: text)
    }

    /// The collection's items as CSV, streamed a page at a time.
    public static func export(store: any Store, collectionId: Int64) -> ResponseBody {
        ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSV.line(["item"])))
            var skip = 0
            while true {
                let (items, hasMore) = try await store.collectionItems(id: collectionId,
                                                                       page: PageRequest(pageSize: 10_000, skip: skip))
                try await writer.write(ByteBuffer(string: items.map { CSV.line([$0]) }.joined()))
                skip += items.count
                if !hasMore || items.isEmpty { break }
            }
            try await writer.finish(nil)
        }
    }
}
