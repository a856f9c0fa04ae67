#!/usr/bin/env python3
"""tlslite-ng client for the interop tests: TLS 1.0, RSA key exchange, SHA-1 and 3DES-EDE-CBC
(default), AES-128-CBC or AES-256-CBC.

Usage: tlslite_client.py --port P --send FILE --received FILE [--expect-cert PEM] [--cert PEM --key PEM]
                         [--cipher 3des|aes128|aes256] [--resume] [--alpn NAME]

Connects to 127.0.0.1:P, sends FILE in 16 KiB chunks, reading the echo of each chunk back,
writes what came back to the --received file, sends close_notify and waits for the
server's, and prints HANDSHAKE ..., then DONE <bytes> (or ERROR <what>, exit status 1).
With --expect-cert the server's leaf certificate must equal that PEM's (tlslite-ng does
no path validation of its own). With --resume a first connection only handshakes and
closes (printing its HANDSHAKE line); the data then moves on a second connection that
resumes that session.
"""
import argparse
import socket
import sys

from tlslite.api import HandshakeSettings, TLSConnection, X509, X509CertChain, parsePEMKey

import tlslite_fastcbc

tlslite_fastcbc.install()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--send", required=True)
    p.add_argument("--received", required=True)
    p.add_argument("--expect-cert")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--cipher", default="3des", choices=["3des", "aes128", "aes256"])
    p.add_argument("--resume", action="store_true")
    p.add_argument("--alpn", action="append", help="offer this ALPN protocol name (repeatable)")
    a = p.parse_args()
    s = HandshakeSettings()
    s.minVersion = (3, 1)
    s.maxVersion = (3, 1)
    s.cipherNames = [a.cipher]
    s.macNames = ["sha"]
    s.keyExchangeNames = ["rsa"]
    chain = key = None
    if a.cert:
        chain = X509CertChain()
        chain.parsePemList(open(a.cert).read())
        key = parsePEMKey(open(a.key).read(), private=True)
    payload = open(a.send, "rb").read()

    alpn = [n.encode() for n in a.alpn] if a.alpn else None

    def connect(session=None):
        sock = socket.create_connection(("127.0.0.1", a.port), timeout=60)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = TLSConnection(sock)
        conn.handshakeClientCert(certChain=chain, privateKey=key, settings=s, serverName="localhost", session=session,
                                 alpn=alpn)
        return conn

    try:
        session = None
        if a.resume:
            first = connect()
            print("HANDSHAKE version=%s cipher=%s resumed=%s" % (first.version, first.getCipherName(), first.resumed),
                  flush=True)
            session = first.session
            first.close()
        c = connect(session)
        if a.expect_cert:
            want = X509()
            want.parse(open(a.expect_cert).read())
            got = c.session.serverCertChain.x509List[0]
            if bytes(got.writeBytes()) != bytes(want.writeBytes()):
                raise ValueError("the server's certificate is not the expected one")
        proto = c.session.appProto.decode() if c.session.appProto else "none"
        print("HANDSHAKE version=%s cipher=%s resumed=%s alpn=%s" % (c.version, c.getCipherName(), c.resumed, proto),
              flush=True)
        received = bytearray()
        for off in range(0, len(payload), 16384):
            chunk = payload[off:off + 16384]
            c.write(chunk)
            want_total = off + len(chunk)
            while len(received) < want_total:
                data = c.read()
                if not data:
                    raise ValueError("the server closed before echoing everything")
                received += data
        open(a.received, "wb").write(bytes(received))
        c.close()
        print("DONE %d" % len(received), flush=True)
        return 0
    except Exception as e:
        print("ERROR %s: %s" % (type(e).__name__, e), flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
