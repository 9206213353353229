import Foundation
import Storage

/// The SSRF guard: a webhook may not call this host, its private networks or link-local addresses (cloud
/// metadata) unless the operator allows the host or its block (`--webhook-allow-hosts`). Checked when a webhook
/// is saved and again before every send, on the addresses the host resolves to then.
public struct WebhookAddressPolicy: Sendable {
    public var allowedHosts: Set<String>
    public var allowedBlocks: [IPBlock]

    public init(allowedHosts: Set<String> = [], allowedBlocks: [IPBlock] = []) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
        self.allowedBlocks = allowedBlocks
    }

    /// Parses a comma list of hosts and CIDR blocks (addresses are blocks of one).
    public init(parsing list: String) {
        var hosts = Set<String>()
        var blocks: [IPBlock] = []
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            if let block = IPBlock(item) { blocks.append(block) } else { hosts.insert(item.lowercased()) }
        }
        self.init(allowedHosts: hosts, allowedBlocks: blocks)
    }

    /// Why a request to `url` is refused, or nil when it may be sent.
    public func refusal(for url: String) -> String? {
        guard let host = URLComponents(string: url)?.host, !host.isEmpty else { return "the URL has no host" }
        if allowedHosts.contains(host.lowercased()) { return nil }
        let addresses = IPAddress.resolving(host)
        guard !addresses.isEmpty else { return "\(host) does not resolve" }
        for address in addresses where IPBlock.nonPublic.contains(address) && !allowedBlocks.contains(address) {
            return "\(host) resolves to \(address), a loopback, private or link-local address"
        }
        return nil
    }
}
