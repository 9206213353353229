import Foundation
@testable import HTTPAPI
import HummingbirdTesting
import Testing

/// `/openapi.json` carries real schemas: what a client generator needs to produce a working client.
@Suite struct OpenAPIContractTests {
    let routes = RouterTests()

    func servedDocument() async throws -> [String: Any] {
        try await routes.makeApp().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                return try routes.json(response.body)
            }
        }
    }

    /// A schema that says something: not absent, not `{}` and not the old `{"type": "object"}` placeholder.
    func isReal(_ schema: Any?) -> Bool {
        guard let schema = schema as? [String: Any], !schema.isEmpty else { return false }
        if schema["type"] as? String == "object" {
            return schema["properties"] != nil || schema["additionalProperties"] != nil || schema["allOf"] != nil
        }
        return true
    }

    @Test func everyServedOperationHasRealRequestAndResponseSchemas() async throws {
        let document = try await servedDocument()
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        // Talon.One's reopenCustomerSession takes no body; every other POST and PUT does.
        let bodiless: Set<String> = ["reopenCustomerSession"]
        var checked = 0
        for (path, operations) in paths {
            for (method, operation) in operations {
                let name = "\(method.uppercased()) \(path)"
                let responses = try #require(operation["responses"] as? [String: [String: Any]], "\(name)")
                let successes = responses.filter { $0.key.hasPrefix("2") }
                #expect(!successes.isEmpty, "\(name) documents no success status")
                for (status, response) in successes where status != "204" {
                    let content = response["content"] as? [String: [String: Any]]
                    #expect(content?.values.contains { isReal($0["schema"]) } == true, "\(name) \(status) has no real schema")
                }
                let error = (responses["default"]?["content"] as? [String: [String: Any]])?["application/json"]?["schema"]
                #expect((error as? [String: String])?["$ref"] == "#/components/schemas/ErrorResponseWithStatus", "\(name)")
                if ["post", "put"].contains(method), !bodiless.contains(operation["operationId"] as? String ?? "") {
                    let body = (operation["requestBody"] as? [String: Any])?["content"] as? [String: [String: Any]]
                    #expect(body?.values.contains { isReal($0["schema"]) } == true, "\(name) has no real request schema")
                }
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                let pathNames = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
                let declared = parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                #expect(declared.sorted() == pathNames.sorted(), "\(name) declares path parameters \(declared)")
                #expect(parameters.allSatisfy { isReal($0["schema"]) }, "\(name) has a parameter without a schema")
                checked += 1
            }
        }
        #expect(checked == OpenAPIDocument.operations.count)
    }

    @Test func talonOneOperationsCarryTalonOneSchemas() async throws {
        let document = try await servedDocument()
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        func resolved(_ schema: Any?) -> [String: Any] {
            guard let schema = schema as? [String: Any] else { return [:] }
            guard let reference = schema["$ref"] as? String else { return schema }
            return schemas[String(reference.dropFirst("#/components/schemas/".count))] ?? [:]
        }
        func jsonSchema(_ container: Any?) -> [String: Any] {
            resolved(((container as? [String: Any])?["content"] as? [String: [String: Any]])?["application/json"]?["schema"])
        }
        let update = try #require(paths["/v2/customer_sessions/{customerSessionId}"]?["put"])
        #expect(jsonSchema(update["requestBody"])["required"] as? [String] == ["customerSession"])
        // Talon.One composes IntegrationStateV2 from parts.
        let parts = (jsonSchema((update["responses"] as? [String: Any])?["200"])["allOf"] as? [Any] ?? []).map(resolved)
        let properties = Set(parts.flatMap { ($0["properties"] as? [String: Any] ?? [:]).keys })
        #expect(properties.isSuperset(of: ["effects", "customerSession", "customerProfile", "triggeredCampaigns"]))
        let queries = (update["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "query" }
        #expect(queries.contains { $0["name"] as? String == "dry" })
        // An SDK model named once and shared: the campaign Sconto's createCampaign answers is Talon.One's getCampaign's.
        let created = try #require(paths["/v1/applications/{applicationId}/campaigns"]?["post"]?["responses"] as? [String: Any])
        let fetched = try #require(paths["/v1/applications/{applicationId}/campaigns/{campaignId}"]?["get"]?["responses"] as? [String: Any])
        #expect(jsonSchema(created["201"])["allOf"] != nil)
        #expect(NSDictionary(dictionary: jsonSchema(created["201"])) == NSDictionary(dictionary: jsonSchema(fetched["200"])))
    }

    @Test func everyReferenceResolves() async throws {
        let document = try await servedDocument()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(!references.isEmpty)
        for reference in Set(references) {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            #expect(reference.hasPrefix("#/components/schemas/") && schemas[name] != nil, "\(reference) does not resolve")
        }
    }
}
