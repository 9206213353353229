import PromotionEngine

/// Where the session service gets an application's runnable campaigns, compiled.
///
/// The implementation caches compiled programs per application and drops them when a campaign or
/// ruleset changes, so nothing is compiled on the request path.
public protocol CampaignCatalog: Sendable {
    func programs(applicationId: Int64) async throws -> [CampaignProgram]
}

/// A catalog with fixed programs (tests, and applications without campaigns).
public struct StaticCampaignCatalog: CampaignCatalog {
    let programsByApplication: [Int64: [CampaignProgram]]

    public init(_ programsByApplication: [Int64: [CampaignProgram]] = [:]) {
        self.programsByApplication = programsByApplication
    }

    public func programs(applicationId: Int64) async throws -> [CampaignProgram] {
        programsByApplication[applicationId] ?? []
    }
}
