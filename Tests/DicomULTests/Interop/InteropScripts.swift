import Foundation

/// Python peers for the pynetdicom interop tests, written to a temporary file at run time
/// (kept in Swift so the test target has no unhandled resource files).
enum InteropScripts {
    /// A pynetdicom storage SCP: `scp.py PORT OUTDIR AETITLE`; stores what it receives with
    /// `encoded_dataset()` (the received bytes, untouched) and prints "READY" when listening.
    static let scp = """
    import os, sys
    from pynetdicom import AE, evt, AllStoragePresentationContexts
    from pynetdicom.sop_class import Verification
    port, out, aet = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    def on_store(event):
        name = event.request.AffectedSOPInstanceUID + '.dcm'
        with open(os.path.join(out, name), 'wb') as f:
            f.write(event.encoded_dataset())
        return 0x0000
    ae = AE(ae_title=aet)
    ae.supported_contexts = AllStoragePresentationContexts
    ae.add_supported_context(Verification)
    ae.maximum_pdu_size = 16382
    ae.require_called_aet = True
    print('READY', flush=True)
    ae.start_server(('127.0.0.1', port), block=True, evt_handlers=[(evt.EVT_C_STORE, on_store)])
    """

    /// A pynetdicom SCU: `scu.py PORT CALLED FILE...` (CALLED `-`: pynetdicom's default); one association, C-ECHO, then a
    /// C-STORE per file. Exit 0 only if everything succeeded; a rejection prints its reason.
    static let scu = """
    import sys
    from pydicom import dcmread
    from pynetdicom import AE
    from pynetdicom.sop_class import Verification
    port, called, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    ae = AE(ae_title='PYSCU')
    ae.add_requested_context(Verification)
    datasets = [dcmread(f) for f in files]
    for ds in datasets:
        ae.add_requested_context(ds.SOPClassUID, ds.file_meta.TransferSyntaxUID)
    # called '-': pynetdicom's own default called AE title
    assoc = ae.associate('127.0.0.1', port) if called == '-' else ae.associate('127.0.0.1', port, ae_title=called)
    if not assoc.is_established:
        print('NOT ESTABLISHED rejected=%s' % assoc.is_rejected, flush=True)
        sys.exit(2)
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

    /// Writes a script to a temporary file and returns its path.
    static func write(_ text: String, name: String) throws -> String {
        let path = NSTemporaryDirectory() + "dicomul-\(name)-\(UUID().uuidString).py"
        // Strip the literal's common indentation already handled by Swift's multi-line strings.
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
