"""Gives tlslite-ng fast 3DES-CBC and AES-CBC from pycryptodome.

tlslite-ng accepts only the old `pycrypto` or M2Crypto as accelerators and refuses
pycryptodome, so by default it runs 3DES and AES in pure Python (3DES about 100 s per MiB),
far too slow for the 1 MiB interop transfers. This swaps only the block cipher primitives —
the same 3DES-EDE and AES in CBC mode with the chained IV kept across records — and leaves
tlslite-ng's protocol code (handshake, record layer, MAC and padding) untouched.
"""
from Crypto.Cipher import AES as PyCryptodomeAES
from Crypto.Cipher import DES3

import tlslite.recordlayer
from tlslite.utils.aes import AES
from tlslite.utils.tripledes import TripleDES


class PyCryptodomeTripleDES(TripleDES):
    def __init__(self, key, mode, IV):
        TripleDES.__init__(self, key, mode, IV, "pycryptodome")
        # A CBC object keeps its chaining value between calls, as TLS 1.0 requires.
        self._enc = DES3.new(bytes(key), DES3.MODE_CBC, iv=bytes(IV))
        self._dec = DES3.new(bytes(key), DES3.MODE_CBC, iv=bytes(IV))

    def encrypt(self, plaintext):
        TripleDES.encrypt(self, plaintext)
        return bytearray(self._enc.encrypt(bytes(plaintext)))

    def decrypt(self, ciphertext):
        TripleDES.decrypt(self, ciphertext)
        return bytearray(self._dec.decrypt(bytes(ciphertext)))


class PyCryptodomeAESCBC(AES):
    def __init__(self, key, mode, IV):
        AES.__init__(self, key, mode, IV, "pycryptodome")
        self._enc = PyCryptodomeAES.new(bytes(key), PyCryptodomeAES.MODE_CBC, iv=bytes(IV))
        self._dec = PyCryptodomeAES.new(bytes(key), PyCryptodomeAES.MODE_CBC, iv=bytes(IV))

    def encrypt(self, plaintext):
        AES.encrypt(self, plaintext)
        return bytearray(self._enc.encrypt(bytes(plaintext)))

    def decrypt(self, ciphertext):
        AES.decrypt(self, ciphertext)
        return bytearray(self._dec.decrypt(bytes(ciphertext)))


def create(key, IV, implList=None):
    return PyCryptodomeTripleDES(key, 2, IV)


def create_aes(key, IV, implList=None):
    return PyCryptodomeAESCBC(key, 2, IV)


def install():
    tlslite.recordlayer.createTripleDES = create
    tlslite.recordlayer.createAES = create_aes
