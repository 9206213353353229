/// String enums that name their allowed values when decoding fails ("must be one of open, closed, …").
public protocol ClosedSetDecodable: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension ClosedSetDecodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be one of \(allowed), not '\(text)'")
        }
        self = value
    }
}
