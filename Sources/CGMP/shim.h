// GMP for the X509 module's bignums (the only Swift module that imports it).
#ifndef DICOMTLS_CGMP_SHIM_H
#define DICOMTLS_CGMP_SHIM_H
#include <gmp.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <malloc.h>
#elif defined(__APPLE__)
#include <malloc/malloc.h>
#endif

// GMP's size-query and sign macros are not imported into Swift; these inline
// functions expose them under stable names.
static inline int cgmp_sgn(const mpz_t z) { return mpz_sgn(z); }
static inline int cgmp_odd_p(const mpz_t z) { return mpz_odd_p(z); }
static inline int cgmp_cmp_ui(const mpz_t z, unsigned long v) { return mpz_cmp_ui(z, v); }

// A wiping allocator: every block GMP frees or moves is overwritten with zeros first,
// so intermediate values of private-key operations (CRT halves, blinded values, scratch
// limbs) do not linger in freed heap memory. Installed once, before the first mpz_init.
static inline void cgmp_wipe(void *p, size_t n) {
    volatile unsigned char *v = (volatile unsigned char *)p;
    for (size_t i = 0; i < n; i++) v[i] = 0;
}

static inline size_t cgmp_block_size(void *p, size_t claimed) {
#if defined(__linux__)
    (void)claimed;
    return malloc_usable_size(p);
#elif defined(__APPLE__)
    (void)claimed;
    return malloc_size(p);
#else
    return claimed;
#endif
}

static void *cgmp_alloc(size_t n) {
    void *p = malloc(n);
    if (p == NULL) abort();  // GMP's own allocator aborts on exhaustion too.
    return p;
}

static void *cgmp_realloc(void *old, size_t old_size, size_t new_size) {
    void *p = cgmp_alloc(new_size);
    size_t keep = old_size < new_size ? old_size : new_size;
    memcpy(p, old, keep);
    cgmp_wipe(old, cgmp_block_size(old, old_size));
    free(old);
    return p;
}

static void cgmp_free(void *p, size_t size) {
    cgmp_wipe(p, cgmp_block_size(p, size));
    free(p);
}

static inline void cgmp_install_wiping_allocator(void) {
    mp_set_memory_functions(cgmp_alloc, cgmp_realloc, cgmp_free);
}

#endif
