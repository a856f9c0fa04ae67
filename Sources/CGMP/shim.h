// GMP for the X509 module's bignums (the only Swift module that imports it).
#ifndef DICOMTLS_CGMP_SHIM_H
#define DICOMTLS_CGMP_SHIM_H
#include <gmp.h>
#endif
