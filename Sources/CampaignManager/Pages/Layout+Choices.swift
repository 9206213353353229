import PromotionEngine

extension Layout {
    /// One checkbox per application, named `application-{id}` (read back with `FormData.checkedApplications`);
    /// nothing when the account has no application yet.
    static func applicationChoices(_ applications: [Application], legend: String, draft: FormData) -> HTML {
        guard !applications.isEmpty else { return .joined([]) }
        return tag("fieldset") {
            tag("legend") { legend }
            for application in applications {
                tag("label") {
                    tag("input", ["type": "checkbox", "name": "application-\(application.id)",
                                  "checked": draft.isChecked("application-\(application.id)") ? "" : nil])
                    application.settings.name
                }
            }
        }
    }
}

extension FormData {
    /// The ids of `applications` whose `applicationChoices` box is checked: only the account's own are offered.
    func checkedApplications(_ applications: [Application]) -> [Int64] {
        applications.map(\.id).filter { isChecked("application-\($0)") }
    }
}
