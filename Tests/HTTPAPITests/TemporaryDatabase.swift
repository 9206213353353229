import Foundation

func temporaryDatabasePath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("sconto-test-\(UUID().uuidString).sqlite").path
}
