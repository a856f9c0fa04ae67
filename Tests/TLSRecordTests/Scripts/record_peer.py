#!/usr/bin/env python3
"""An independent TLS 1.0 record protection (RFC 2246 §6.2.3) for the record tests.

Reads a JSON request on stdin and writes a JSON answer on stdout. Uses only the standard
library's hmac/hashlib and `cryptography` for DES/3DES-CBC and AES-CBC.

Request: {"mode": "seal" | "open", "cipher": "aes128" | "aes256" | "3des" | "des" | "null",
          "mac_secret": hex, "key": hex, "iv": hex, "version": "0301",
          "compression": "null" | "deflate" (RFC 3749: one zlib stream, Z_SYNC_FLUSH per record),
          "seal": [{"type": int, "data": hex, "extra_blocks": int}],   # mode seal
          "stream": hex}                                               # mode open
Answer:  seal -> {"stream": hex}; open -> {"records": [{"type": int, "data": hex}]}
         or {"error": text} when a record fails its MAC or padding check.
"""
import hashlib
import hmac
import json
import struct
import sys
import zlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

try:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # older cryptography
    from cryptography.hazmat.primitives.ciphers.algorithms import TripleDES


def block_cipher(name, key):
    if name in ("aes128", "aes256"):
        return algorithms.AES(key)
    if name == "3des":
        return TripleDES(key)
    if name == "des":
        return TripleDES(key * 3)  # single DES as EDE with K1 = K2 = K3
    return None


def mac(secret, seq, ctype, version, data):
    header = struct.pack(">QB", seq, ctype) + version + struct.pack(">H", len(data))
    return hmac.new(secret, header + data, hashlib.sha1).digest()


def seal(req):
    secret, key, iv = (bytes.fromhex(req[k]) for k in ("mac_secret", "key", "iv"))
    version = bytes.fromhex(req["version"])
    algo = block_cipher(req["cipher"], key)
    compressor = zlib.compressobj() if req.get("compression") == "deflate" else None
    out = b""
    for seq, rec in enumerate(req["seal"]):
        data = bytes.fromhex(rec["data"])
        if compressor is not None:
            data = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
        body = data + mac(secret, seq, rec["type"], version, data)
        if algo is not None:
            block = algo.block_size // 8
            pad = (block - (len(body) + 1) % block) % block + block * rec.get("extra_blocks", 0)
            body += bytes([pad]) * (pad + 1)
            enc = Cipher(algo, modes.CBC(iv)).encryptor()
            body = enc.update(body) + enc.finalize()
            iv = body[-block:]  # TLS 1.0 implicit IV
        out += struct.pack(">B", rec["type"]) + version + struct.pack(">H", len(body)) + body
    return {"stream": out.hex()}


def open_stream(req):
    secret, key, iv = (bytes.fromhex(req[k]) for k in ("mac_secret", "key", "iv"))
    algo = block_cipher(req["cipher"], key)
    stream = bytes.fromhex(req["stream"])
    decompressor = zlib.decompressobj() if req.get("compression") == "deflate" else None
    records, seq, pos = [], 0, 0
    while pos < len(stream):
        ctype, version, length = stream[pos], stream[pos + 1:pos + 3], struct.unpack(">H", stream[pos + 3:pos + 5])[0]
        body = stream[pos + 5:pos + 5 + length]
        pos += 5 + length
        if algo is not None:
            block = algo.block_size // 8
            if len(body) % block or len(body) < 21:
                return {"error": "bad length"}
            dec = Cipher(algo, modes.CBC(iv)).decryptor()
            iv = body[-block:]
            body = dec.update(body) + dec.finalize()
            pad = body[-1]
            if pad + 21 > len(body) or any(b != pad for b in body[-pad - 1:]):
                return {"error": "bad padding"}
            body = body[:-pad - 1]
        data, tag = body[:-20], body[-20:]
        if not hmac.compare_digest(tag, mac(secret, seq, ctype, version, data)):
            return {"error": "bad MAC at record %d" % seq}
        if decompressor is not None:
            data = decompressor.decompress(data)
        records.append({"type": ctype, "data": data.hex()})
        seq += 1
    return {"records": records}


if __name__ == "__main__":
    request = json.load(sys.stdin)
    json.dump(seal(request) if request["mode"] == "seal" else open_stream(request), sys.stdout)
