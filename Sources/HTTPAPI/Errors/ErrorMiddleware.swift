import Foundation
import Hummingbird
import Logging
import NIOCore
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
        if let error = error as? HTTPError, error.status == .notFound {
            let allowed = routes.methods(for: request.uri.path)
            if !allowed.isEmpty {
                return APIError(
                    .methodNotAllowed,
                    "method \(request.method) is not allowed on \(request.uri.path); allowed: "
                        + allowed.map(\.rawValue).joined(separator: ", ")
                )
            }
            return APIError(.notFound, "no such endpoint: \(request.method) \(request.uri.path)")
        }
        return APIError(mapping: error, logger: context.logger)
    }
}

extension APIError {
    /// The client-facing form of any error a handler throws. Unexpected errors are logged and become a
    /// bare 500, so internals never leak.
    init(mapping error: any Error, logger: Logger) {
        switch error {
        case let error as APIError:
            self = error
        case let failure as ValidationFailure:
            self = .validation(failure.issues)
        case let issue as ValidationIssue:
            self = .validation([issue])
        case let error as StoreError:
            switch error {
            case .notFound(let entity): self = .notFound(entity)
            case .conflict(let what): self = APIError(.conflict, what)
            case .unsupportedSort(let field): self = .badParameter("sort", "cannot sort by '\(field)'")
            case .sessionChanged, .couponLimitReached, .campaignLimitReached, .referralLimitReached:
                // Retried by the session service; reaching here means the retries ran out.
                self = APIError(.conflict, "Too many requests are updating this profile/session at the same time")
            }
        case let error as DecodingError:
            self = APIError(decoding: error)
        case is NIOTooManyBytesError:
            self = APIError(.contentTooLarge, "request body is too large")
        case let error as HTTPError:
            self = APIError(error.status, error.body ?? error.status.reasonPhrase)
        default:
            logger.error("unexpected error: \(String(reflecting: error))")
            self = APIError(.internalServerError, "internal error")
        }
    }
}
