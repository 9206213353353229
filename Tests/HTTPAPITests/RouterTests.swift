import Foundation
@testable import HTTPAPI
import Hummingbird
import PromotionEngine
import HummingbirdTesting
import SQLiteStorage
import Storage
import Testing

/// In-process route tests: the real router and a real SQLite file, no socket.
@Suite struct RouterTests {
    func makeApp(maxBodySize: Int = 1 << 20) async throws -> some ApplicationProtocol {
        let store = try SQLiteStore(path: temporaryDatabasePath())
        _ = try await store.bootstrapAccount(
            adminEmail: "admin@test", adminName: "Admin", passwordHash: try PasswordHasher.hash("pw"), now: Date()
        )
        return Application(router: SContoAPI.makeRouter(store: store, configuration: .init(maxBodySize: maxBodySize)))
    }

    func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    func login(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/v1/sessions", method: .post, body: ByteBuffer(string: #"{"email":"admin@test","password":"pw"}"#)) { response in
            #expect(response.status == .created)
            return try #require(try json(response.body)["token"] as? String)
        }
    }

    @Test func healthAnswersOK() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["status"] as? String == "ok")
            }
        }
    }

    @Test func wrongPasswordIs401InTalonOneShape() async throws {
        try await makeApp().test(.router) { client in
            let body = ByteBuffer(string: #"{"email":"admin@test","password":"nope"}"#)
            try await client.execute(uri: "/v1/sessions", method: .post, body: body) { response in
                #expect(response.status == .unauthorized)
                let error = try json(response.body)
                #expect(error["StatusCode"] as? Int == 401)
                #expect(error["message"] is String)
            }
        }
    }

    @Test func missingFieldNamesIt() async throws {
        try await makeApp().test(.router) { client in
            let token = try await login(client)
            let body = ByteBuffer(string: #"{"timezone":"UTC","currency":"EUR"}"#)
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: [.authorization: "Bearer \(token)"], body: body
            ) { response in
                #expect(response.status == .badRequest)
                let error = try json(response.body)
                let first = try #require((error["errors"] as? [[String: Any]])?.first)
                #expect((first["source"] as? [String: Any])?["pointer"] as? String == "/name")
            }
        }
    }

    @Test func unknownTimeZoneIsRefused() async throws {
        try await makeApp().test(.router) { client in
            let token = try await login(client)
            let body = ByteBuffer(string: #"{"name":"x","timezone":"Mars/Base","currency":"EUR"}"#)
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: [.authorization: "Bearer \(token)"], body: body
            ) { response in
                #expect(response.status == .badRequest)
                let error = try json(response.body)
                #expect((error["message"] as? String)?.contains("/timezone") == true)
            }
        }
    }

    @Test func wrongMethodIs405AndUnknownPathIs404() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/v1/applications", method: .patch) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await makeApp(maxBodySize: 64).test(.router) { client in
            let body = ByteBuffer(string: #"{"email":"admin@test","password":""# + String(repeating: "x", count: 100) + "\"}")
            try await client.execute(uri: "/v1/sessions", method: .post, body: body) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test func integrationKeyAuthenticatesUntilRevoked() async throws {
        try await makeApp().test(.router) { client in
            let token = try await login(client)
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let appId = try await client.execute(
                uri: "/v1/applications", method: .post, headers: auth,
                body: ByteBuffer(string: #"{"name":"shop","timezone":"UTC","currency":"EUR"}"#)
            ) { try #require(try json($0.body)["id"] as? Int) }
            let (keyId, key) = try await client.execute(
                uri: "/v1/applications/\(appId)/api_keys", method: .post, headers: auth,
                body: ByteBuffer(string: #"{"title":"shop","expires":"2099-01-01T00:00:00Z"}"#)
            ) { response in
                let body = try json(response.body)
                return (try #require(body["id"] as? Int), try #require(body["key"] as? String))
            }
            // An integration key is not a management credential.
            try await client.execute(
                uri: "/v1/applications", method: .get, headers: [.authorization: "ApiKey-v1 \(key)"]
            ) { #expect($0.status == .unauthorized) }
            try await client.execute(
                uri: "/v1/applications/\(appId)/api_keys/\(keyId)", method: .delete, headers: auth
            ) { #expect($0.status == .noContent) }
            try await client.execute(
                uri: "/healthz", method: .get, headers: [.authorization: "ApiKey-v1 \(key)"]
            ) { #expect($0.status == .unauthorized) }
        }
    }
}

/// `GET /openapi.json` and `GET /metrics`.
@Suite struct DiscoveryTests {
    let routes = RouterTests()

    @Test func openAPIDocumentNamesEveryRegisteredRoute() async throws {
        try await routes.makeApp().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let document = try routes.json(response.body)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
                var documented = Set<String>()
                for (path, operations) in paths {
                    for (method, operation) in operations {
                        // A route registered without an entry in OpenAPIDocument.operations renders as "undocumented".
                        #expect(operation["operationId"] as? String != "undocumented", "\(method) \(path) has no entry")
                        #expect((operation["summary"] as? String)?.isEmpty == false, "\(method) \(path) has no summary")
                        documented.insert("\(method.uppercased()) \(path)")
                    }
                }
                // And no entry describes a route that is not served.
                for operation in OpenAPIDocument.operations {
                    let path = operation.path.split(separator: "/", omittingEmptySubsequences: false)
                        .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                    #expect(documented.contains("\(operation.method.rawValue) \(path)"), "\(operation.operationId) is not served")
                }
                let session = try #require(paths["/v2/customer_sessions/{customerSessionId}"]?["put"])
                #expect(session["operationId"] as? String == "updateCustomerSessionV2")
                let security = try #require(session["security"] as? [[String: [String]]])
                #expect(security.first?.keys.first == "api_key_v1")
            }
        }
    }

    @Test func metricsCountRequestsPerRouteAndStatus() async throws {
        try await routes.makeApp().test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/healthz", method: .get) { _ in } }
            try await client.execute(uri: "/v1/applications/7", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"sconto_http_requests_total{method="GET",route="/healthz",status="200"} 3"#), "\(text)")
                #expect(text.contains(#"route="/v1/applications/{applicationId}",status="401"} 1"#), "\(text)")
                #expect(text.contains("sconto_http_request_duration_seconds_bucket{"))
                #expect(text.contains("sconto_engine_evaluation_seconds_count"))
            }
        }
    }
}

@Suite struct WireCodingTests {
    @Test func sessionAnswersSpliceFastEffectsIntoTheEncodedBody() throws {
        let effect = Effect(origin: EffectOrigin(campaignId: 7, rulesetId: 1, ruleIndex: 0, ruleName: "r"),
                            kind: .setDiscount(.init(name: "10 off", value: 10, desiredValue: 10, scope: .sessionTotal)))
        var state = IntegrationStateBody(effects: [effect])
        state.customerSession = nil
        let raw = String(buffer: try WireCoding.integrationStateBuffer(state))
        #expect(raw.hasPrefix(#"{"effects":[{"campaignId":7,"effectType":"setDiscount""#))  // JSONText's order: the fast path
        let decoded = try JSONDecoder().decode([String: JSONValue].self, from: Data(raw.utf8))
        #expect(decoded["createdCoupons"] == .array([]))
        #expect(decoded["createdReferrals"] == .array([]))
        struct Body: Decodable { var effects: [Effect] }
        #expect(try JSONDecoder().decode(Body.self, from: Data(raw.utf8)).effects == [effect])
    }
}
