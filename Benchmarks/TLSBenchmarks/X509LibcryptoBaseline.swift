#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libcrypto's own X.509 parser and verifier, reached with `dlsym` (the library is already
/// loaded for the primitives), so the x509 cases get a ratio without widening the C shim.
/// Nil when a symbol is missing; the cases then run without a baseline.
struct LibcryptoX509 {
    typealias D2I = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, Int) -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias New = @convention(c) () -> OpaquePointer?
    typealias AddCert = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
    typealias CtxInit = @convention(c) (OpaquePointer?, OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
    typealias SetTime = @convention(c) (OpaquePointer?, UInt, Int) -> Void
    typealias Push = @convention(c) (OpaquePointer?, UnsafeRawPointer?) -> Int32
    typealias Verify = @convention(c) (OpaquePointer?) -> Int32

    let d2i: D2I, free: Free, storeNew: New, storeAdd: AddCert, storeFree: Free
    let ctxNew: New, ctxInit: CtxInit, ctxSetTime: SetTime, ctxFree: Free
    let stackNew: New, stackPush: Push, stackFree: Free, verify: Verify

    init?() {
        let handle = dlopen(nil, RTLD_NOW)
        func f<T>(_ name: String, _: T.Type) -> T? {
            guard let p = dlsym(handle, name) else { return nil }
            return unsafeBitCast(p, to: T.self)
        }
        guard let d2i = f("d2i_X509", D2I.self), let free = f("X509_free", Free.self),
            let storeNew = f("X509_STORE_new", New.self), let storeAdd = f("X509_STORE_add_cert", AddCert.self),
            let storeFree = f("X509_STORE_free", Free.self), let ctxNew = f("X509_STORE_CTX_new", New.self),
            let ctxInit = f("X509_STORE_CTX_init", CtxInit.self), let ctxSetTime = f("X509_STORE_CTX_set_time", SetTime.self),
            let ctxFree = f("X509_STORE_CTX_free", Free.self), let stackNew = f("OPENSSL_sk_new_null", New.self),
            let stackPush = f("OPENSSL_sk_push", Push.self), let stackFree = f("OPENSSL_sk_free", Free.self),
            let verify = f("X509_verify_cert", Verify.self)
        else { return nil }
        (self.d2i, self.free, self.storeNew, self.storeAdd, self.storeFree) = (d2i, free, storeNew, storeAdd, storeFree)
        (self.ctxNew, self.ctxInit, self.ctxSetTime, self.ctxFree) = (ctxNew, ctxInit, ctxSetTime, ctxFree)
        (self.stackNew, self.stackPush, self.stackFree, self.verify) = (stackNew, stackPush, stackFree, verify)
    }

    /// `d2i_X509`: parses DER into an `X509 *` (caller frees).
    func parse(_ der: [UInt8]) -> OpaquePointer? {
        der.withUnsafeBufferPointer { buffer in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i(nil, &p, buffer.count)
        }
    }

    /// Parses `chain` (leaf first) and verifies it against `store` at `time`, as the
    /// x509 case does: `X509_verify_cert` with the intermediates as untrusted certificates.
    func parseAndVerify(_ chain: [[UInt8]], store: OpaquePointer?, time: Int) -> Bool {
        let certs = chain.map(parse)
        defer { certs.forEach(free) }
        guard let leaf = certs.first ?? nil, let ctx = ctxNew(), let untrusted = stackNew() else { return false }
        defer {
            ctxFree(ctx)
            stackFree(untrusted)
        }
        for c in certs.dropFirst() { _ = stackPush(untrusted, UnsafeRawPointer(c)) }
        guard ctxInit(ctx, store, leaf, untrusted) == 1 else { return false }
        ctxSetTime(ctx, 0, time)
        return verify(ctx) == 1
    }
}
