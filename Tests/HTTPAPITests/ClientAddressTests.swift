@testable import HTTPAPI
import Storage
import Testing

@Suite struct ClientAddressTests {
    let proxies = ["10.0.0.0/8", "fd00::/8"].compactMap(IPBlock.init)

    @Test func blocksParseIPv4AndIPv6AndRefuseTheRest() {
        #expect(IPBlock("192.0.2.0/24") != nil && IPBlock("2001:db8::/32") != nil && IPBlock("192.0.2.1") != nil)
        for bad in ["192.0.2.0/33", "2001:db8::/129", "192.0.2.0/", "192.0.2.0/-1", "192.0.2.0/+8", "example.com", ""] {
            #expect(IPBlock(bad) == nil, "\(bad)")
        }
    }

    @Test func membershipFollowsThePrefix() throws {
        let block = try #require(IPBlock("192.0.2.128/25"))
        #expect(block.contains(try #require(IPAddress("192.0.2.200"))))
        #expect(!block.contains(try #require(IPAddress("192.0.2.127"))))
        // A dual-stack listener reports IPv4 peers as IPv4-mapped IPv6 addresses.
        #expect(block.contains(try #require(IPAddress("::ffff:192.0.2.130"))))
        let v6 = try #require(IPBlock("2001:db8:8000::/33"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db8:7fff::1"))))
        #expect(!v6.contains(try #require(IPAddress("192.0.2.1"))))
        #expect(try #require(IPBlock("0.0.0.0/0")).contains(try #require(IPAddress("198.51.100.1"))))
    }

    @Test func theClientIsTheRightmostAddressNoTrustedProxyWrote() {
        func client(_ peer: String, _ header: [String]) -> String {
            ClientAddressMiddleware.client(peer: peer, forwardedFor: header, trustedProxies: proxies)
        }
        #expect(client("198.51.100.7", ["203.0.113.9"]) == "198.51.100.7", "an untrusted peer's header is ignored")
        #expect(client("10.0.0.2", ["203.0.113.9"]) == "203.0.113.9")
        #expect(client("10.0.0.2", ["1.2.3.4, 203.0.113.9", "10.0.0.1"]) == "203.0.113.9", "spoofed hops left of it")
        #expect(client("fd00::2", ["2001:db8::1"]) == "2001:db8::1")
        #expect(client("10.0.0.2", []) == "10.0.0.2")
        #expect(client("10.0.0.2", ["10.0.0.3"]) == "10.0.0.3", "only proxies: the farthest one")
        #expect(client("10.0.0.2", ["garbage"]) == "garbage", "unparseable: the client, which no block admits")
    }
}
