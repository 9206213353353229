import Foundation
import Hummingbird
import PromotionEngine
import Storage

/// `/v1/applications/{applicationId}/campaign_set`: the campaign evaluation tree (Talon.One's
/// `CampaignSet`), which decides how the application's campaigns combine: stackable, first that
/// triggers (`listOrder`, exclusive), lowest or highest discount, in nested groups.
///
/// Talon.One edits the tree in its Campaign Manager; its public spec has no endpoint for it, so this
/// route is Sconto's, in the SDK's `CampaignSet` / `NewCampaignSet` shapes.
struct CampaignSetRoutes {
    let store: any Store
    let configuration: APIConfiguration

    /// Deeper trees are refused: nobody needs them, and evaluation recurses per level.
    static let maximumDepth = 8

    func register(on routes: RouteRegistrar) {
        let path = "/v1/applications/:applicationId/campaign_set"
        routes.on(.get, path) { _, context in
            let application = try await application(context)
            if let saved = try await store.campaignSet(applicationId: application.id) {
                return try WireCoding.response(CampaignSetBody(saved))
            }
            // Nothing saved yet: every campaign stacks, in creation order (version 1, the implicit tree).
            let tree = EvaluationGroup(id: 1, name: "root", mode: .stackable,
                                       elements: try await campaignIds(application.id).map { .campaign($0) })
            return try WireCoding.response(CampaignSetBody(CampaignSet(
                applicationId: application.id, version: 1, tree: tree, updatedBy: nil, updated: application.created
            )))
        }
        routes.on(.put, path) { request, context in
            let application = try await application(context)
            let body = try await request.decodeJSON(JSONValue.self, limit: configuration.maxBodySize)
            guard case .object(let fields) = body else {
                throw ValidationIssue(pointer: "", message: "must be a NewCampaignSet object")
            }
            if let given = fields["applicationId"], given != .number(Decimal(application.id)) {
                throw ValidationIssue(pointer: "/applicationId", message: "must be \(application.id), the application of the path")
            }
            guard let set = fields["set"] else { throw ValidationIssue(pointer: "/set", message: "required field is missing") }
            var reader = TreeReader(campaignIds: Set(try await campaignIds(application.id)))
            let tree = try reader.group(set, pointer: "/set", depth: 1)
            let user = try await store.user(id: context.managementCaller().userId)
            let saved = try await store.saveCampaignSet(
                applicationId: application.id, tree: tree, updatedBy: user?.name, now: Date().storagePrecision
            )
            return try WireCoding.response(CampaignSetBody(saved))
        }
    }

    /// The application's campaign ids in creation order.
    private func campaignIds(_ applicationId: Int64) async throws -> [Int64] {
        try await allPages { request in
            let page = try await store.campaigns(applicationId: applicationId, filter: CampaignFilter(), page: request)
            return (page.items, request.skip + page.items.count < page.totalCount)
        }.map(\.id).sorted()
    }

    private func application(_ context: SContoRequestContext) async throws -> PromotionEngine.Application {
        try await store.application(id: context.id("applicationId"), accountId: context.managementCaller().accountId)
    }

    /// Reads a `CampaignSetBranchNode` tree, naming the first node at fault by its pointer.
    struct TreeReader {
        let campaignIds: Set<Int64>
        var placed: Set<Int64> = []
        var nextGroupId: Int64 = 1

        mutating func group(_ value: JSONValue, pointer: String, depth: Int) throws -> EvaluationGroup {
            guard depth <= CampaignSetRoutes.maximumDepth else {
                throw ValidationIssue(pointer: pointer, message: "groups nest at most \(CampaignSetRoutes.maximumDepth) deep")
            }
            guard case .object(let node) = value else {
                throw ValidationIssue(pointer: pointer, message: "must be a CampaignSetBranchNode object")
            }
            guard node["type"] == .string("SET") else {
                throw ValidationIssue(pointer: pointer + "/type", message: "must be SET for a group")
            }
            if let op = node["operator"], op != .string("ALL"), op != .string("FIRST") {
                throw ValidationIssue(pointer: pointer + "/operator", message: "must be ALL or FIRST")
            }
            guard case .string(let modeText)? = node["evaluationMode"], let mode = EvaluationGroup.Mode(rawValue: modeText)
            else {
                throw ValidationIssue(pointer: pointer + "/evaluationMode",
                                      message: "must be stackable, listOrder, lowestDiscount or highestDiscount")
            }
            if let scope = node["evaluationScope"], scope != .string("session") {
                throw ValidationIssue(pointer: pointer + "/evaluationScope",
                                      message: "must be session (per-item evaluation scope is not supported)")
            }
            var name = "group"
            if let given = node["name"] {
                guard case .string(let text) = given else { throw ValidationIssue(pointer: pointer + "/name", message: "must be a string") }
                name = text
            }
            var description: String?
            if let given = node["description"], given != .null {
                guard case .string(let text) = given else {
                    throw ValidationIssue(pointer: pointer + "/description", message: "must be a string")
                }
                description = text
            }
            guard case .array(let children)? = node["elements"] else {
                throw ValidationIssue(pointer: pointer + "/elements", message: "must be an array of nodes")
            }
            // Group ids are Sconto's to give: numbered in document order, the root is 1.
            let id = nextGroupId
            nextGroupId += 1
            var elements: [EvaluationGroup.Element] = []
            for (index, child) in children.enumerated() {
                let childPointer = pointer + "/elements/\(index)"
                if case .object(let fields) = child, fields["type"] == .string("CAMPAIGN") {
                    elements.append(.campaign(try campaign(fields, pointer: childPointer)))
                } else {
                    elements.append(.group(try group(child, pointer: childPointer, depth: depth + 1)))
                }
            }
            return EvaluationGroup(id: id, name: name, description: description, mode: mode, elements: elements)
        }

        private mutating func campaign(_ fields: [String: JSONValue], pointer: String) throws -> Int64 {
            guard case .number(let number)? = fields["campaignId"], let id = Int64(exactly: NSDecimalNumber(decimal: number).doubleValue),
                  Decimal(id) == number
            else {
                throw ValidationIssue(pointer: pointer + "/campaignId", message: "must be an integer campaign id")
            }
            guard campaignIds.contains(id) else {
                throw ValidationIssue(pointer: pointer + "/campaignId", message: "campaign \(id) is not a campaign of this application")
            }
            guard placed.insert(id).inserted else {
                throw ValidationIssue(pointer: pointer + "/campaignId", message: "campaign \(id) is placed twice")
            }
            return id
        }
    }
}

/// The SDK's `CampaignSet`.
struct CampaignSetBody: Encodable {
    var applicationId: Int64
    var id: Int64
    var version: Int
    var set: BranchBody
    var updatedBy: String?

    init(_ saved: CampaignSet) {
        applicationId = saved.applicationId
        id = saved.applicationId  // one tree per application
        version = saved.version
        set = BranchBody(saved.tree)
        updatedBy = saved.updatedBy
    }

    /// `CampaignSetBranchNode`.
    struct BranchBody: Encodable {
        var type = "SET"
        var name: String
        var `operator`: String
        var elements: [ElementBody]
        var groupId: Int64
        var locked = false
        var description: String?
        var evaluationMode: String
        var evaluationScope = "session"

        init(_ group: EvaluationGroup) {
            name = group.name
            `operator` = group.mode == .listOrder ? "FIRST" : "ALL"
            elements = group.elements.map(ElementBody.init)
            groupId = group.id
            description = group.description
            evaluationMode = group.mode.rawValue
        }
    }

    /// A `CampaignSetLeafNode` or a nested `CampaignSetBranchNode`.
    enum ElementBody: Encodable {
        case campaign(Int64)
        case group(BranchBody)

        init(_ element: EvaluationGroup.Element) {
            switch element {
            case .campaign(let id): self = .campaign(id)
            case .group(let group): self = .group(BranchBody(group))
            }
        }

        private enum Keys: String, CodingKey { case type, campaignId }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .campaign(let id):
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode("CAMPAIGN", forKey: .type)
                try container.encode(id, forKey: .campaignId)
            case .group(let branch):
                try branch.encode(to: encoder)
            }
        }
    }
}
