enum LoginPage {
    static func render(csrf: String, email: String = "", failed: Bool = false) -> HTML {
        Layout.page(title: "Log in", user: nil) {
            tag("section", ["class": "card"]) {
                if failed { tag("p", ["class": "errors", "role": "alert"]) { "Wrong email or password." } }
                tag("form", ["class": "stack", "method": "post", "action": "/login"]) {
                    Layout.csrfField(csrf)
                    Layout.field("Email", name: "email", value: email, type: "email")
                    Layout.field("Password", name: "password", type: "password")
                    tag("button", ["type": "submit"]) { "Log in" }
                }
            }
        }
    }
}
