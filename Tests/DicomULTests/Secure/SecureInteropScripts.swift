/// Python peers for DICOM over TLS with pynetdicom: Python's `ssl` (OpenSSL 3) limited to
/// TLS 1.0 and one of the TLS 1.0 suites it shares with us (PEERS.md): the OpenSSL cipher
/// string comes from the environment variable `DICOMTLS_CIPHERS` (default
/// `NULL-SHA:@SECLEVEL=0`; `AES128-SHA:@SECLEVEL=0` for the DICOM AES profile).
enum SecureInteropScripts {
    /// Shared context setup: `context(server, cert, key, ca)`, client certificates required.
    private static let context = """
    import os, ssl
    def context(server, cert, key, ca):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1
        ctx.set_ciphers(os.environ.get('DICOMTLS_CIPHERS', 'NULL-SHA:@SECLEVEL=0'))
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_cert_chain(cert, key)
        ctx.load_verify_locations(ca)
        return ctx

    """

    /// `scp.py PORT OUTDIR AETITLE CERT KEY CA`: a TLS storage SCP storing the received data
    /// sets untouched; prints READY when listening.
    static let scp = context + """
    import os, sys, warnings
    warnings.simplefilter('ignore')
    from pynetdicom import AE, evt, AllStoragePresentationContexts
    from pynetdicom.sop_class import Verification
    port, out, aet, cert, key, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
    def on_store(event):
        with open(os.path.join(out, event.request.AffectedSOPInstanceUID + '.dcm'), 'wb') as f:
            f.write(event.encoded_dataset())
        return 0x0000
    ae = AE(ae_title=aet)
    ae.supported_contexts = AllStoragePresentationContexts
    ae.add_supported_context(Verification)
    ae.require_called_aet = True
    print('READY', flush=True)
    ae.start_server(('127.0.0.1', port), block=True, ssl_context=context(True, cert, key, ca),
                    evt_handlers=[(evt.EVT_C_STORE, on_store)])
    """

    /// `scu.py PORT CALLED CERT KEY CA FILE...`: one TLS association, C-ECHO, a C-STORE per
    /// file; prints the negotiated cipher and OK; exit 0 only if everything succeeded.
    static let scu = context + """
    import sys, warnings
    warnings.simplefilter('ignore')
    from pydicom import dcmread
    from pynetdicom import AE
    from pynetdicom.sop_class import Verification
    port, called, cert, key, ca, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
    ae = AE(ae_title='PYSCU')
    ae.add_requested_context(Verification)
    datasets = [dcmread(f) for f in files]
    for ds in datasets:
        ae.add_requested_context(ds.SOPClassUID, ds.file_meta.TransferSyntaxUID)
    assoc = ae.associate('127.0.0.1', port, ae_title=called, tls_args=(context(False, cert, key, ca), 'localhost'))
    if not assoc.is_established:
        print('NOT ESTABLISHED rejected=%s' % assoc.is_rejected, flush=True)
        sys.exit(2)
    try:
        print('CIPHER', assoc.dul.socket.socket.cipher()[0], assoc.dul.socket.socket.version(), flush=True)
    except Exception as e:
        print('CIPHER unknown', e, flush=True)
    st = assoc.send_c_echo()
    if not st or st.Status != 0:
        print('ECHO FAILED', st, flush=True); assoc.abort(); sys.exit(3)
    for ds in datasets:
        st = assoc.send_c_store(ds)
        if not st or st.Status != 0:
            print('STORE FAILED', st, flush=True); assoc.abort(); sys.exit(4)
    assoc.release()
    print('OK', flush=True)
    """

    /// `hello.py PORT`: accepts connections until one sends a TLS record (port probes send
    /// nothing), reads that first record (a ClientHello), prints
    /// `HELLO record=RRRR client=CCCC suites=XXXX,YYYY,...` (hex), then closes.
    static let clientHelloSuites = """
    import socket, struct, sys
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(4); s.settimeout(30)
    print('READY', flush=True)
    data = b''
    while len(data) < 5:
        c, _ = s.accept(); c.settimeout(10)
        data = b''
        while len(data) < 5 or len(data) < 5 + struct.unpack('>H', data[3:5])[0]:
            d = c.recv(65536)
            if not d: break
            data += d
    body = data[5:]
    p = 4 + 2 + 32
    p += 1 + body[p]
    n = struct.unpack('>H', body[p:p + 2])[0]; p += 2
    suites = ['%04x' % struct.unpack('>H', body[p + i:p + i + 2])[0] for i in range(0, n, 2)]
    print('HELLO record=%s client=%s suites=%s' % (data[1:3].hex(), body[4:6].hex(), ','.join(suites)), flush=True)
    c.close()
    """

    /// An `OPENSSL_CONF` that pins OpenSSL clients (DCMTK) to exactly TLS 1.0 (PEERS.md).
    static let openSSLTLS10 = """
    openssl_conf = openssl_init
    [openssl_init]
    ssl_conf = ssl_sect
    [ssl_sect]
    system_default = system_default_sect
    [system_default_sect]
    MinProtocol = TLSv1
    MaxProtocol = TLSv1
    Protocol = -ALL, TLSv1
    CipherString = DEFAULT:@SECLEVEL=0

    """
}
