// zlib for RFC 3749 DEFLATE record compression (TLSRecord only).
#ifndef DICOMTLS_CZLIB_SHIM_H
#define DICOMTLS_CZLIB_SHIM_H
#include <zlib.h>
#endif
