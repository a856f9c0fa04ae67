#!/usr/bin/env python3
"""Writes a throwaway test PKI for the interop tests into a directory.

Usage: make_pki.py DIR

Files (PEM; keys are unencrypted PKCS#1 unless noted):
  ca.pem ca.key                 trusted root "Interop Test CA"
  server.pem server.key         CN=localhost, SAN localhost + 127.0.0.1, signed by the CA
  client.pem client.key         CN=Interop Test Client, signed by the CA
  other-ca.pem                  an unrelated root nobody trusts
  untrusted.pem untrusted.key   CN=localhost signed by other-ca (unknown_ca)
  expired.pem expired.key       CN=localhost signed by the CA, expired a year ago (certificate_expired)
  server-des3.key               server.key as PKCS#8 PBES2 + DES-EDE3-CBC, password in password.txt
"""
import datetime
import ipaddress
import os
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)


def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DicomTLS Interop"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def cert(subject_key, subject, issuer_key, issuer, *, ca=False, server=False, client=False,
         not_before=None, not_after=None, serial=None):
    b = (x509.CertificateBuilder()
         .subject_name(subject).issuer_name(issuer)
         .public_key(subject_key.public_key())
         .serial_number(serial or x509.random_serial_number())
         .not_valid_before(not_before or NOW - datetime.timedelta(days=1))
         .not_valid_after(not_after or NOW + datetime.timedelta(days=30))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        b = b.add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                          key_encipherment=False, data_encipherment=False,
                                          key_agreement=False, key_cert_sign=True, crl_sign=True,
                                          encipher_only=False, decipher_only=False), critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                          key_encipherment=True, data_encipherment=False,
                                          key_agreement=False, key_cert_sign=False, crl_sign=False,
                                          encipher_only=False, decipher_only=False), critical=True)
        usages = ([ExtendedKeyUsageOID.SERVER_AUTH] if server else []) + \
                 ([ExtendedKeyUsageOID.CLIENT_AUTH] if client else [])
        b = b.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    if server:
        b = b.add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


def write(directory, filename, data):
    with open(os.path.join(directory, filename), "wb") as f:
        f.write(data)


def pem_cert(c):
    return c.public_bytes(serialization.Encoding.PEM)


def pem_key(k):
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                           serialization.NoEncryption())


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    ca_key, other_key, server_key, client_key, untrusted_key, expired_key = (key() for _ in range(6))
    ca_name, other_name = name("Interop Test CA"), name("Untrusted Other CA")
    ca = cert(ca_key, ca_name, ca_key, ca_name, ca=True)
    other = cert(other_key, other_name, other_key, other_name, ca=True)
    server = cert(server_key, name("localhost"), ca_key, ca_name, server=True)
    client = cert(client_key, name("Interop Test Client"), ca_key, ca_name, client=True)
    untrusted = cert(untrusted_key, name("localhost"), other_key, other_name, server=True, client=True)
    expired = cert(expired_key, name("localhost"), ca_key, ca_name, server=True, client=True,
                   not_before=NOW - datetime.timedelta(days=400), not_after=NOW - datetime.timedelta(days=365))
    for stem, c, k in [("ca", ca, ca_key), ("server", server, server_key), ("client", client, client_key),
                       ("untrusted", untrusted, untrusted_key), ("expired", expired, expired_key)]:
        write(d, stem + ".pem", pem_cert(c))
        write(d, stem + ".key", pem_key(k))
    write(d, "other-ca.pem", pem_cert(other))
    write(d, "password.txt", b"interop-secret\n")
    subprocess.run(["openssl", "pkcs8", "-topk8", "-v2", "des3", "-v2prf", "hmacWithSHA1",
                    "-in", os.path.join(d, "server.key"), "-out", os.path.join(d, "server-des3.key"),
                    "-passout", "pass:interop-secret"], check=True)
    print("PKI written to", d)


if __name__ == "__main__":
    main()
