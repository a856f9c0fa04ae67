#!/usr/bin/env python3
"""tlslite-ng echo server for the interop tests: TLS 1.0, RSA key exchange, SHA-1 and
3DES-EDE-CBC (default), AES-128-CBC or AES-256-CBC.

Usage: tlslite_server.py --port P --cert PEM --key PEM [--request-client-cert] [--connections N]
                         [--cipher 3des|aes128|aes256]

Prints READY once listening, then for each connection one line
  HANDSHAKE version=(3, 1) cipher=3des resumed=False client_cert=True|False
then echoes application data until the client's close_notify, answers it and prints CLOSED
(or ERROR <what>). Exits after N connections (default 1).
"""
import argparse
import socket
import sys

from tlslite.api import HandshakeSettings, SessionCache, TLSConnection, X509CertChain, parsePEMKey

import tlslite_fastcbc

tlslite_fastcbc.install()


def settings(cipher):
    s = HandshakeSettings()
    s.minVersion = (3, 1)
    s.maxVersion = (3, 1)
    s.cipherNames = [cipher]
    s.macNames = ["sha"]
    s.keyExchangeNames = ["rsa"]
    return s


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--request-client-cert", action="store_true")
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--cipher", default="3des", choices=["3des", "aes128", "aes256"])
    a = p.parse_args()
    chain = X509CertChain()
    chain.parsePemList(open(a.cert).read())
    key = parsePEMKey(open(a.key).read(), private=True)
    cache = SessionCache()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", a.port))
    listener.listen(8)
    print("READY", flush=True)
    for _ in range(a.connections):
        sock, _ = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c = TLSConnection(sock)
        try:
            c.handshakeServer(certChain=chain, privateKey=key, settings=settings(a.cipher), sessionCache=cache,
                              reqCert=a.request_client_cert)
            has_cert = c.session.clientCertChain is not None and c.session.clientCertChain.getNumCerts() > 0
            print("HANDSHAKE version=%s cipher=%s resumed=%s client_cert=%s"
                  % (c.version, c.getCipherName(), c.resumed, has_cert), flush=True)
            while True:
                data = c.read()
                if not data:
                    break
                c.write(data)
            c.close()
            print("CLOSED", flush=True)
        except Exception as e:  # report and go on to the next connection
            print("ERROR %s: %s" % (type(e).__name__, e), flush=True)
            sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
