import Foundation
import Hummingbird

/// Sconto's own OpenAPI 3.1 document (`GET /openapi.json`): every endpoint it serves, named by the
/// Talon.One operation it implements, so an integrator can map each one to the SDK method that calls it.
///
/// Request and response bodies are Talon.One's models, documented in the SDKs (`docs/<Model>.md`); the
/// document names the operation and its parameters and describes the error shape Sconto owns. It is
/// rendered from the live route table, so a route registered without an entry here shows up as
/// `undocumented` and the test that reads the document fails.
enum OpenAPIDocument {
    enum Access { case open, management, integration }

    struct Operation {
        let method: HTTPRequest.Method
        let path: String
        let operationId: String
        let summary: String
        let tag: String
        let access: Access

        init(_ method: HTTPRequest.Method, _ path: String, _ operationId: String, _ summary: String, _ tag: String,
             _ access: Access) {
            (self.method, self.path, self.operationId, self.summary, self.tag, self.access) =
                (method, path, operationId, summary, tag, access)
        }
    }

    static let operations: [Operation] = [
        .init(.get, "/healthz", "getHealth", "Health check: 200 once the database answers", "System", .open),
        .init(.get, "/metrics", "getMetrics", "Prometheus metrics: requests and latency per route, engine time per evaluation", "System", .open),
        .init(.get, "/v1/applications", "getApplications", "List Applications", "Applications", .management),
        .init(.post, "/v1/applications", "createApplication", "Create Application", "Applications", .management),
        .init(.delete, "/v1/applications/:applicationId", "deleteApplication", "Delete Application", "Applications", .management),
        .init(.get, "/v1/applications/:applicationId", "getApplication", "Get Application", "Applications", .management),
        .init(.put, "/v1/applications/:applicationId", "updateApplication", "Update Application", "Applications", .management),
        .init(.get, "/v1/applications/:applicationId/access_logs/no_total", "getAccessLogsWithoutTotalCount", "Get access logs for Application", "Logs", .management),
        .init(.get, "/v1/applications/:applicationId/api_keys", "getApiKeys", "List Integration API keys of an Application (secrets omitted)", "Applications", .management),
        .init(.post, "/v1/applications/:applicationId/api_keys", "createApiKey", "Create Integration API key (the secret is shown once)", "Applications", .management),
        .init(.delete, "/v1/applications/:applicationId/api_keys/:apiKeyId", "deleteApiKey", "Revoke Integration API key", "Applications", .management),
        .init(.get, "/v1/applications/:applicationId/campaign_set", "getCampaignSet", "Get the campaign evaluation tree (every campaign stacks until one is saved)", "Campaigns", .management),
        .init(.put, "/v1/applications/:applicationId/campaign_set", "updateCampaignSet", "Replace the campaign evaluation tree: stackable, listOrder, lowestDiscount and highestDiscount groups", "Campaigns", .management),
        .init(.get, "/v1/applications/:applicationId/campaigns", "getCampaigns", "List campaigns", "Campaigns", .management),
        .init(.post, "/v1/applications/:applicationId/campaigns", "createCampaign", "Create campaign", "Campaigns", .management),
        .init(.delete, "/v1/applications/:applicationId/campaigns/:campaignId", "deleteCampaign", "Delete campaign", "Campaigns", .management),
        .init(.get, "/v1/applications/:applicationId/campaigns/:campaignId", "getCampaign", "Get campaign", "Campaigns", .management),
        .init(.put, "/v1/applications/:applicationId/campaigns/:campaignId", "updateCampaign", "Update campaign", "Campaigns", .management),
        .init(.get, "/v1/applications/:applicationId/campaigns/:campaignId/analytics", "getCampaignAnalytics", "Get analytics of campaigns", "Campaigns", .management),
        .init(.post, "/v1/applications/:applicationId/campaigns/:campaignId/copy", "copyCampaignToApplications", "Copy the campaign into the specified Application", "Campaigns", .management),
        .init(.delete, "/v1/applications/:applicationId/campaigns/:campaignId/coupons", "deleteCoupons", "Delete coupons", "Coupons", .management),
        .init(.post, "/v1/applications/:applicationId/campaigns/:campaignId/coupons", "createCoupons", "Create coupons", "Coupons", .management),
        .init(.put, "/v1/applications/:applicationId/campaigns/:campaignId/coupons", "updateCouponBatch", "Update coupons", "Coupons", .management),
        .init(.delete, "/v1/applications/:applicationId/campaigns/:campaignId/coupons/:couponId", "deleteCoupon", "Delete coupon", "Coupons", .management),
        .init(.put, "/v1/applications/:applicationId/campaigns/:campaignId/coupons/:couponId", "updateCoupon", "Update coupon", "Coupons", .management),
        .init(.get, "/v1/applications/:applicationId/campaigns/:campaignId/coupons/no_total", "getCouponsWithoutTotalCount", "List coupons", "Coupons", .management),
        .init(.post, "/v1/applications/:applicationId/campaigns/:campaignId/coupons_async", "createCouponsAsync", "Create coupons asynchronously", "Coupons", .management),
        .init(.get, "/v1/applications/:applicationId/campaigns/:campaignId/coupons_async/:batchId", "getCouponCreationJob", "Progress of an asynchronous coupon creation job", "Coupons", .management),
        .init(.post, "/v1/applications/:applicationId/campaigns/:campaignId/import_coupons", "importCoupons", "Import coupons", "Coupons", .management),
        .init(.get, "/v1/applications/:applicationId/campaigns/:campaignId/rulesets", "getRulesets", "List campaign rulesets", "Campaigns", .management),
        .init(.post, "/v1/applications/:applicationId/campaigns/:campaignId/rulesets", "createRuleset", "Create ruleset (checked by Talang; activate switches the campaign to it)", "Campaigns", .management),
        .init(.get, "/v1/applications/:applicationId/campaigns/:campaignId/rulesets/:rulesetId", "getRuleset", "Get ruleset", "Campaigns", .management),
        .init(.get, "/v1/applications/:applicationId/customers", "getApplicationCustomers", "List application's customers", "Customer data", .management),
        .init(.get, "/v1/applications/:applicationId/customers/:customerId", "getApplicationCustomer", "Get application's customer", "Customer data", .management),
        .init(.get, "/v1/applications/:applicationId/events/no_total", "getApplicationEventsWithoutTotalCount", "List Applications events", "Customer data", .management),
        .init(.get, "/v1/applications/:applicationId/export_coupons", "exportCoupons", "Export coupons", "Coupons", .management),
        .init(.get, "/v1/applications/:applicationId/sessions", "getApplicationSessions", "List Application sessions", "Customer data", .management),
        .init(.get, "/v1/applications/:applicationId/sessions/:sessionId", "getApplicationSession", "Get Application session", "Customer data", .management),
        .init(.get, "/v1/additional_costs", "getAdditionalCosts", "List additional costs", "Additional costs", .management),
        .init(.post, "/v1/additional_costs", "createAdditionalCost", "Create additional cost", "Additional costs", .management),
        .init(.get, "/v1/additional_costs/:additionalCostId", "getAdditionalCost", "Get additional cost", "Additional costs", .management),
        .init(.put, "/v1/additional_costs/:additionalCostId", "updateAdditionalCost", "Update additional cost", "Additional costs", .management),
        .init(.get, "/v1/attributes", "getAttributes", "List custom attributes", "Attributes", .management),
        .init(.post, "/v1/attributes", "createAttribute", "Create custom attribute", "Attributes", .management),
        .init(.get, "/v1/attributes/:attributeId", "getAttribute", "Get custom attribute", "Attributes", .management),
        .init(.put, "/v1/attributes/:attributeId", "updateAttribute", "Update custom attribute", "Attributes", .management),
        .init(.get, "/v1/campaign_groups", "getCampaignGroups", "List campaign access groups", "Campaign access groups", .management),
        .init(.post, "/v1/campaign_groups", "createCampaignGroup", "Create campaign access group", "Campaign access groups", .management),
        .init(.delete, "/v1/campaign_groups/:campaignGroupId", "deleteCampaignGroup", "Delete campaign access group", "Campaign access groups", .management),
        .init(.get, "/v1/campaign_groups/:campaignGroupId", "getCampaignGroup", "Get campaign access group", "Campaign access groups", .management),
        .init(.put, "/v1/campaign_groups/:campaignGroupId", "updateCampaignGroup", "Update campaign access group", "Campaign access groups", .management),
        .init(.get, "/v1/campaign_templates", "getCampaignTemplates", "List campaign templates", "Campaign templates", .management),
        .init(.post, "/v1/campaign_templates", "createCampaignTemplate", "Create campaign template (Sconto extension: with its rules and parameters)", "Campaign templates", .management),
        .init(.post, "/v1/applications/:applicationId/create_campaign_from_template", "createCampaignFromTemplate", "Create campaign from campaign template", "Campaigns", .management),
        .init(.delete, "/v1/customer_data/:integrationId", "deleteCustomerData", "Delete customer's personal data", "Customer profiles", .integration),
        .init(.get, "/v1/integration/campaigns", "integrationGetAllCampaigns", "List all running campaigns", "Campaigns", .integration),
        .init(.get, "/v1/management_keys", "listAllManagementKeys", "List management keys", "Management keys", .management),
        .init(.post, "/v1/management_keys", "createManagementKey", "Create management key (the key is shown once)", "Management keys", .management),
        .init(.delete, "/v1/management_keys/:keyId", "deleteManagementKey", "Delete management key", "Management keys", .management),
        .init(.get, "/v1/management_keys/:keyId", "getManagementKey", "Get management key", "Management keys", .management),
        .init(.post, "/v1/password_changes", "changePassword", "Change the logged-in user's password (Sconto's own; ends the user's other logins)", "Sessions", .management),
        .init(.delete, "/v1/sessions", "destroySession", "Destroy session", "Sessions", .management),
        .init(.post, "/v1/sessions", "createSession", "Create session", "Sessions", .open),
        .init(.put, "/v2/customer_profiles", "updateCustomerProfilesV2", "Update multiple customer profiles", "Customer profiles", .integration),
        .init(.put, "/v2/customer_profiles/:integrationId", "updateCustomerProfileV2", "Update customer profile", "Customer profiles", .integration),
        .init(.get, "/v2/customer_sessions/:customerSessionId", "getCustomerSession", "Get customer session", "Customer sessions", .integration),
        .init(.put, "/v2/customer_sessions/:customerSessionId", "updateCustomerSessionV2", "Update customer session", "Customer sessions", .integration),
        .init(.put, "/v2/customer_sessions/:customerSessionId/reopen", "reopenCustomerSession", "Reopen customer session", "Customer sessions", .integration),
        .init(.post, "/v2/customer_sessions/:customerSessionId/returns", "returnCartItems", "Return cart items", "Customer sessions", .integration),
        .init(.post, "/v2/events", "trackEventV2", "Track event", "Events", .integration),
        .init(.get, "/openapi.json", "getOpenAPIDocument", "This document", "System", .open),
    ]

    /// Path parameters that are text (integration ids chosen by the shop); every other one is a positive integer id.
    private static let textParameters: Set<String> = ["customerSessionId", "integrationId", "batchId"]

    static func render(routes: [(method: HTTPRequest.Method, path: String)]) throws -> ByteBuffer {
        var known: [String: Operation] = [:]
        for operation in operations { known["\(operation.method.rawValue) \(operation.path)"] = operation }
        var paths: [String: [String: Any]] = [:]
        for route in routes {
            let operation = known["\(route.method.rawValue) \(route.path)"]
                ?? Operation(route.method, route.path, "undocumented", "", "Undocumented", .open)
            let segments = route.path.split(separator: "/", omittingEmptySubsequences: false)
            let names = segments.filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
            let openAPIPath = segments.map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            var entry: [String: Any] = [
                "operationId": operation.operationId, "summary": operation.summary, "tags": [operation.tag],
                "responses": [
                    "2XX": ["description": "Success: Talon.One's response model for \(operation.operationId)."],
                    "4XX": ["description": "Refused: the error names the field or parameter at fault.",
                            "content": ["application/json": ["schema": ["$ref": "#/components/schemas/ErrorResponseWithStatus"]]]],
                ],
                "security": security(operation.access),
            ]
            if !names.isEmpty {
                entry["parameters"] = names.map { name -> [String: Any] in
                    let schema: [String: Any] = textParameters.contains(name)
                        ? ["type": "string"] : ["type": "integer", "minimum": 1]
                    return ["name": name, "in": "path", "required": true, "schema": schema]
                }
            }
            if [.post, .put, .patch].contains(route.method) {
                entry["requestBody"] = ["description": "Talon.One's request model for \(operation.operationId).",
                                        "content": ["application/json": ["schema": ["type": "object"]]]]
            }
            paths[openAPIPath, default: [:]][route.method.rawValue.lowercased()] = entry
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "Sconto", "version": "1",
                     "description": "Self-hosted promotion engine, wire-compatible with Talon.One's Integration and Management APIs."],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "manager_auth": ["type": "http", "scheme": "bearer", "description": "Token from POST /v1/sessions."],
                    "management_key": ["type": "apiKey", "in": "header", "name": "Authorization",
                                       "description": "ManagementKey-v1 <key>"],
                    "api_key_v1": ["type": "apiKey", "in": "header", "name": "Authorization",
                                   "description": "ApiKey-v1 <Integration API key>"],
                ],
                "schemas": ["ErrorResponseWithStatus": errorSchema],
            ],
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
        return ByteBuffer(bytes: data)
    }

    private static func security(_ access: Access) -> [[String: [String]]] {
        switch access {
        case .open: []
        case .management: [["manager_auth": []], ["management_key": []]]
        case .integration: [["api_key_v1": []]]
        }
    }

    private static var errorSchema: [String: Any] { [
        "type": "object", "required": ["message", "StatusCode"],
        "properties": [
            "message": ["type": "string"],
            "StatusCode": ["type": "integer"],
            "errors": ["type": "array", "items": [
                "type": "object",
                "properties": [
                    "title": ["type": "string"], "details": ["type": "string"],
                    "source": ["type": "object", "properties": ["pointer": ["type": "string"], "parameter": ["type": "string"]]],
                ],
            ]],
        ],
    ] }
}
