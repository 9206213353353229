import Foundation
import Hummingbird
import Storage

/// Checks shared by the account-level entities that name their applications (giveaway pools, catalogs).
enum AccountEntityChecks {
    /// A name of 1 to 1000 characters, not blank; 400 at `/name`.
    static func name(_ name: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 1000 else {
            throw APIError.badRequest(pointer: "/name", "must be 1 to 1000 characters")
        }
    }

    /// Every id names an application of the account; the first that does not is a 400 at its index.
    static func applications(_ ids: [Int64], accountId: Int64, store: any Store) async throws {
        for (index, id) in ids.enumerated() {
            guard (try? await store.application(id: id, accountId: accountId)) != nil else {
                throw APIError.badRequest(pointer: "/subscribedApplicationsIds/\(index)",
                                          "application \(id) does not exist in this account")
            }
        }
    }
}
