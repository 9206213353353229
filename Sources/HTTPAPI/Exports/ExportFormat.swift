import Foundation
import Hummingbird
import PromotionEngine

/// How exports write times: `dateFormat=ISO8601` (the default) is RFC 3339 with the application's UTC offset,
/// `dateFormat=excel` is `yyyy-MM-dd HH:mm:ss` in the application's time zone (spreadsheets read it as a time).
struct ExportDateFormat: Sendable {
    private let style: Date.ISO8601FormatStyle

    init(_ parameter: String?, application: PromotionEngine.Application) throws {
        let timeZone = TimeZone(identifier: application.settings.timezone) ?? .gmt
        switch parameter {
        case nil, "ISO8601":
            style = Date.ISO8601FormatStyle(timeZone: timeZone)
        case "excel":
            style = Date.ISO8601FormatStyle(dateTimeSeparator: .space, timeZone: timeZone)
                .year().month().day().time(includingFractionalSeconds: false)
        default:
            throw APIError.badParameter("dateFormat", "must be one of [excel, ISO8601]")
        }
    }

    func callAsFunction(_ date: Date) -> String { style.format(date) }
}

/// A CSV answer written while it is read: the header first, then each batch of rows as the store hands it over,
/// so memory holds one page however long the file gets. `text/csv`, not the spec's `application/csv`: the
/// official SDKs only read `text/*` as text (as for `export_coupons`).
enum CSVStream {
    typealias Rows = @Sendable (_ write: ([[String]]) async throws -> Void) async throws -> Void

    static func response(columns: [String], rows: @escaping Rows) -> Response {
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSV.line(columns)))
            try await rows { batch in
                guard !batch.isEmpty else { return }
                var chunk = ""
                for row in batch { chunk += CSV.line(row) }
                try await writer.write(ByteBuffer(string: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/csv"], body: body)
    }
}

extension Decimal {
    /// The exact decimal text (no binary floating point on the way).
    var exportText: String { "\(self)" }
}
