import Foundation

/// RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks.
enum CSV {
    struct Failure: Error { var line: Int; var message: String }

    /// Rows of fields, with the (1-based) line each row starts on.
    static func parse(_ text: String) throws -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": fields.append(field); field = ""
            case "\r": continue
            case "\n":
                fields.append(field)
                if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
                fields = []; field = ""; line += 1; rowLine = line
            default: field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw Failure(line: rowLine, message: "a quoted field is not closed") }
        fields.append(field)
        if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
        return rows
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func line(_ fields: [String]) -> String { fields.map(escape).joined(separator: ",") + "\n" }
}

/// The file part of a `multipart/form-data` body (Talon.One uploads CSV files as `upFile`).
enum Multipart {
    static func file(named name: String, in body: Data, contentType: String) -> Data? {
        guard let boundaryRange = contentType.range(of: "boundary=") else { return nil }
        let boundary = contentType[boundaryRange.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [Data] = []
        var searchStart = body.startIndex
        while let range = body.range(of: delimiter, in: searchStart..<body.endIndex) {
            if searchStart != body.startIndex { parts.append(body[searchStart..<range.lowerBound]) }
            searchStart = range.upperBound
        }
        for part in parts {
            guard let headerEnd = part.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let headers = String(decoding: part[part.startIndex..<headerEnd.lowerBound], as: UTF8.self)
            guard headers.contains("name=\"\(name)\"") else { continue }
            var content = part[headerEnd.upperBound..<part.endIndex]
            if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
            return Data(content)
        }
        return nil
    }
}

/// An imported CSV file: its header's column names (trimmed, lowercased) and its rows, each able to name
/// itself in a 400 (`/upFile`, line and column).
struct CSVImport {
    struct Row {
        let line: Int
        let fields: [String]
        let columns: [String]

        /// The trimmed value of a column; nil when absent or empty.
        func field(_ name: String) -> String? {
            guard let index = columns.firstIndex(of: name), index < fields.count else { return nil }
            let text = fields[index].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }

        func fail(_ column: String, _ message: String) -> APIError {
            APIError.badRequest(pointer: "/upFile", "line \(line), \(column): \(message)")
        }

        /// An optional RFC 3339 column at storage precision; a malformed one fails naming it.
        func date(_ name: String) throws -> Date? {
            guard let text = field(name) else { return nil }
            guard let date = RFC3339.parse(text) else { throw fail(name, "must be an RFC 3339 date-time") }
            return date.storagePrecision
        }
    }

    let columns: [String]
    let rows: [Row]

    /// Parses `text`; a malformed file, an empty one or a header without a `required` column answers 400.
    init(_ text: String, required: [String]) throws {
        let parsed: [(line: Int, fields: [String])]
        do { parsed = try CSV.parse(text) } catch let failure as CSV.Failure {
            throw APIError.badRequest(pointer: "/upFile", "line \(failure.line): \(failure.message)")
        }
        guard let header = parsed.first else { throw APIError.badRequest(pointer: "/upFile", "the file is empty") }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for name in required where !columns.contains(name) {
            throw APIError.badRequest(pointer: "/upFile", "line 1: the header needs a \(name) column")
        }
        self.columns = columns
        rows = parsed.dropFirst().map { Row(line: $0.line, fields: $0.fields, columns: columns) }
    }
}
