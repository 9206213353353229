import NIOSSL
import PostgresNIO

extension PostgresConnectionURL {
    /// postgres-nio's TLS setting for `sslmode` and `sslrootcert`.
    func clientTLS() throws -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch self.tls {
        case .disable: return .disable
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyAuthority: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let rootCertificatePath {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificatePath))
            } catch {
                throw Invalid(description: "sslrootcert \(rootCertificatePath) is not a readable PEM file: \(error)")
            }
        }
        return self.tls == .prefer ? .prefer(tls) : .require(tls)
    }
}
