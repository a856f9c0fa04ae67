#!/usr/bin/env bash
# Rebuilds the committed seed corpora Fuzz/Corpus/<target>/ (small, deterministic where
# possible): records and messages from Vectors/tls-handshake (real OpenSSL/Go traffic),
# PKITS certificates, a traditional-encrypted PEM key made by openssl, and the outputs of
# our own encoders and engines (each target writes those when FUZZ_WRITE_SEEDS is set).
# Needs the fuzz binaries: run `bash Fuzz/run.sh 0` (or FUZZ_SKIP_BUILD=0) first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="$root/.build-fuzz/release"
corpus="$here/Corpus"
rm -rf "$corpus"
for t in FuzzRecordDeframer FuzzRecordOpener FuzzHandshakeDecoder FuzzServerEngine FuzzClientEngine \
         FuzzCertificate FuzzPathValidator FuzzPEMKey FuzzPDUDecoder FuzzULAcceptor; do
    FUZZ_WRITE_SEEDS="$corpus/$t" ASAN_OPTIONS=detect_leaks=0 "$bin/$t" >/dev/null 2>&1 || true
    mkdir -p "$corpus/$t"
done
python3 - "$root" "$corpus" <<'PY'
import json, sys, os, glob
root, corpus = sys.argv[1], sys.argv[2]
def put(t, name, data):
    with open(os.path.join(corpus, t, name), "wb") as f: f.write(data)
for v in ("tls10_rsa_3des_handshake", "tls10_rsa_rc4_clientcert_handshake"):
    d = json.load(open(f"{root}/Vectors/tls-handshake/{v}.json"))
    recs = d["records"]
    for side in ("client", "server"):
        stream = b"".join(bytes([r["content_type"]]) + bytes.fromhex(r["version"]) +
                          len(bytes.fromhex(r["fragment"])).to_bytes(2, "big") + bytes.fromhex(r["fragment"])
                          for r in recs if r["from"] == side)
        put("FuzzRecordDeframer", f"{v}-{side}", stream)
    for i, m in enumerate(d["handshake_messages"]):
        put("FuzzHandshakeDecoder", f"{v}-{i}", bytes.fromhex(m["bytes"]))
    if v == "tls10_rsa_3des_handshake":
        # The client's records after its ChangeCipherSpec are under the client_write keys
        # that FuzzRecordOpener uses (mode byte 0 = 3DES, no compression).
        after, enc = False, b""
        for r in recs:
            if r["from"] != "client": continue
            frag = bytes.fromhex(r["fragment"])
            if after: enc += bytes([r["content_type"], 3, 1]) + len(frag).to_bytes(2, "big") + frag
            if r["content_type"] == 20: after = True
        put("FuzzRecordOpener", "3des-client-records", b"\x00" + enc)
        put("FuzzRecordOpener", "roundtrip-deflate", b"\x83" + b"DICOM " * 40)
        put("FuzzRecordOpener", "roundtrip-null", b"\x82hello")
certs = sorted(glob.glob(f"{root}/Vectors/x509/pkits/certs/*.crt"))
keep = [c for c in certs if any(k in c for k in ("TrustAnchorRoot", "GoodCACert", "ValidCertificatePathTest1EE",
        "BadSignedCACert", "basicConstraintsCriticalcAFalseCACert", "keyUsageCriticalkeyCertSignFalseCACert",
        "InvalidEEnotAfterDateTest6EE", "pathLenConstraint0CACert", "NameOrderingCACert", "UTF8StringEncodedNamesTest9EE",
        "GeneralizedTimeCRLnextUpdateCACert", "ValidNameConstraintsTest1EE", "DSACACert", "ValidRFC822nameConstraintsTest21EE",
        "MissingbasicConstraintsCACert", "ValidGeneralizedTimenotBeforeDateTest4EE"))]
for c in keep: put("FuzzCertificate", os.path.basename(c), open(c, "rb").read())
# FuzzPathValidator: PKITS chains (leaf first, the anchor last and trusted: mode bit 1),
# 2-byte length prefixes; name constraints, pathLen and key usage sections.
tests = json.load(open(f"{root}/Vectors/x509/pkits/pkits_tests.json"))["tests"]
for t in tests:
    if t["test_number"] not in ("4.13.1", "4.13.12", "4.13.19", "4.13.27", "4.13.34", "4.6.14", "4.7.1", "4.4.19"): continue
    body = b""
    for name in reversed(t["chain_root_first"]):
        der = open(f"{root}/Vectors/x509/pkits/certs/{name}", "rb").read()
        body += len(der).to_bytes(2, "big") + der
    put("FuzzPathValidator", "pkits-" + t["test_number"], bytes([0x02 | (8 << 3), 0]) + body)
PY
# A traditional OpenSSL encrypted PEM key (Proc-Type: 4,ENCRYPTED, DEK-Info DES-EDE3-CBC and DES-CBC).
openssl genrsa -traditional -des3 -passout pass:fuzz-password -out "$corpus/FuzzPEMKey/traditional-3des.pem" 1024 2>/dev/null
openssl rsa -traditional -des -passin pass:fuzz-password -passout pass:fuzz-password \
    -in "$corpus/FuzzPEMKey/traditional-3des.pem" -out "$corpus/FuzzPEMKey/traditional-des.pem" 2>/dev/null
python3 -c "
import json,sys; d=json.load(open('$root/Vectors/tls-handshake/go_test_keys.json'))
open('$corpus/FuzzPEMKey/go-client-key.pem','w').write(d['client_private_key_pem']['pem'])
open('$corpus/FuzzPEMKey/go-client-cert.pem','w').write(d['client_certificate_pem']['pem'])"
du -sh "$corpus"; for d in "$corpus"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) files"; done
