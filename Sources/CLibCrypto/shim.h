// The only C surface of libcrypto that our Swift code sees: block ciphers and hashes.
// OpenSSL 3 marks the low-level DES_*, SHA1_*, SHA256_* and MD5_* functions deprecated;
// the API-compat level below keeps them available without warnings (DESIGN.md §1).
#ifndef DICOMTLS_CLIBCRYPTO_SHIM_H
#define DICOMTLS_CLIBCRYPTO_SHIM_H

#define OPENSSL_SUPPRESS_DEPRECATED 1
#define OPENSSL_API_COMPAT 0x10100000L

#include <openssl/crypto.h>
#include <openssl/des.h>
#include <openssl/evp.h>  // AES-CBC through EVP only, so AES-NI is used where the CPU has it
#include <openssl/md5.h>
#include <openssl/sha.h>

#if defined(__linux__)
#include <sys/random.h>  // getrandom(2), the CSPRNG behind SystemRandom
#endif

// HMAC_* is included only so the benchmark can measure libcrypto's own HMAC as the raw
// baseline; the stack's HMAC is Swift (CryptoPrimitives/HMAC).
#include <openssl/hmac.h>

// RC2 (RFC 2268) only for reading legacy PKCS#12 files (pbeWithSHAAnd40BitRC2-CBC, the
// certificate encryption of `openssl pkcs12 -export -legacy`, Windows and Java). The
// low-level RC2_* functions, like DES_*, need no legacy provider.
#include <openssl/rc2.h>

#endif
