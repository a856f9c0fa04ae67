import ArgumentParser
import Foundation
import NIOPosix
import TLSHandshake
import TLSNIO
import TLSSockets
import TLSRecord
import X509

/// Shared plumbing of the TLS commands: stderr lines and human error messages (no stack traces).
enum CommandLineTool {
    /// Writes one line to stderr.
    static func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Runs `body`; on failure prints its message and exits with status 1.
    static func attempt<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ValidationError {
            throw error
        } catch {
            log("dicomtls: \(explain(error))")
            throw ExitCode.failure
        }
    }

    /// A one-line explanation of any error from the TLS stack, naming the alert if there was one.
    static func explain(_ error: any Error) -> String {
        switch error {
        case let e as TLSStreamError: return e.description  // names the alert and who sent it
        case let e as TLSChannelError: return e.description  // the same, from the NIO adapter
        case let e as NIOConnectionError:
            return "cannot connect to \(e.host):\(e.port): "
                + (e.connectionErrors.first.map { "\($0.error)" } ?? (e.dnsAAAAError ?? e.dnsAError).map { "\($0)" } ?? "no address")
        case let e as TLSError: return e.description
        case let e as SocketError: return e.message
        default: return String(describing: error)
        }
    }
}
