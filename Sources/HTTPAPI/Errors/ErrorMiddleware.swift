import Foundation
import Hummingbird
import Logging
import PromotionEngine
import Storage

/// Maps every error to Talon.One's error shape in one place.
///
/// Known errors keep their status; an unexpected one is logged and answered 500 without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = SContoRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return try map(error, request: request, context: context).response(from: request, context: context)
        }
    }

    private func map(_ error: any Error, request: Request, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let failure as ValidationFailure:
            return .validation(failure.issues)
        case let issue as ValidationIssue:
            return .validation([issue])
        case let error as StoreError:
            switch error {
            case .notFound(let entity): return .notFound(entity)
            case .conflict(let what): return APIError(.conflict, what)
            case .unsupportedSort(let field): return .badParameter("sort", "cannot sort by '\(field)'")
            case .sessionChanged, .couponLimitReached:
                // Retried by the session service; reaching here means the retries ran out.
                return APIError(.conflict, "Too many requests are updating this profile/session at the same time")
            }
        case let error as DecodingError:
            return APIError(decoding: error)
        case let error as HTTPError where error.status == .notFound:
            let allowed = routes.methods(for: request.uri.path)
            if !allowed.isEmpty {
                return APIError(
                    .methodNotAllowed,
                    "method \(request.method) is not allowed on \(request.uri.path); allowed: "
                        + allowed.map(\.rawValue).joined(separator: ", ")
                )
            }
            return APIError(.notFound, "no such endpoint: \(request.method) \(request.uri.path)")
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase)
        default:
            context.logger.error("unexpected error: \(String(reflecting: error))")
            return APIError(.internalServerError, "internal error")
        }
    }
}
