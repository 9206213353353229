import Foundation
import HTTPAPI
import Hummingbird

/// In front of every Campaign Manager page: no login cookie sends the browser to the login page; a POST
/// without the session's CSRF token is refused (403) before any handler runs. The logged-in user becomes
/// the request's principal, so pages act with the same account scoping as the Management API; a client
/// outside the account's IP allowlist is refused (403).
struct ManagerGuard: RouterMiddleware {
    typealias Context = SContoRequestContext
    let login: ManagerLogin
    let maxBodySize: Int
    let allowlist: IPAllowlist

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let token = request.cookies[ManagerLogin.sessionCookie]?.value,
              let user = try await login.user(token: token)
        else {
            return request.method == .get ? .redirect(to: "/login") : Pages.forbidden("Please log in again.")
        }
        guard try await allowlist.allows(accountId: user.accountId, address: context.clientAddress) else {
            return Pages.forbidden("Your address is not in this account's IP allowlist.")
        }
        var request = request
        if request.method == .post {
            let form = try await Pages.form(&request, limit: maxBodySize)
            guard ManagerLogin.matches(form["csrf"], user.csrfToken) else {
                return Pages.forbidden("This form has expired or did not come from this site. Reload the page and try again.")
            }
        }
        var context = context
        context.principal = .user(userId: user.userId, accountId: user.accountId, tokenHash: user.tokenHash)
        return try await next(request, context)
    }
}
