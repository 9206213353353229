import PromotionEngine

extension WebhookAddressPolicy {
    /// What is wrong with saving `settings` (the Management API and the Campaign Manager both ask here): its own
    /// checks, then the SSRF guard on its URL.
    public func issues(saving settings: WebhookSettings) -> [ValidationIssue] {
        var issues = settings.validate()
        if issues.isEmpty, let refusal = refusal(for: settings.url) {
            issues.append(.init(pointer: "/url", message: "refused: \(refusal)"))
        }
        return issues
    }
}
