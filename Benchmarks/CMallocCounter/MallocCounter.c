#include "CMallocCounter.h"
#include <stddef.h>

#if defined(__linux__) && defined(__GLIBC__)
#include <errno.h>
#include <stdatomic.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static _Atomic uint64_t allocations = 0;
// Initial-exec TLS: a fixed offset from the thread pointer, so counting never calls
// __tls_get_addr (which could itself allocate) from inside malloc.
static __thread __attribute__((tls_model("initial-exec"))) uint64_t threadAllocations = 0;

static inline void count(void) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    threadAllocations += 1;
}

void *malloc(size_t n) { count(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { count(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { count(); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t alignment, size_t n) { count(); return __libc_memalign(alignment, n); }
void *aligned_alloc(size_t alignment, size_t n) { count(); return __libc_memalign(alignment, n); }
int posix_memalign(void **out, size_t alignment, size_t n) {
    count();
    void *p = __libc_memalign(alignment, n);
    if (p == NULL && n != 0) return ENOMEM;
    *out = p;
    return 0;
}

uint64_t mallocCounterAllocations(void) { return atomic_load_explicit(&allocations, memory_order_relaxed); }
uint64_t mallocCounterThreadAllocations(void) { return threadAllocations; }
int mallocCounterIsActive(void) { return 1; }
#else
uint64_t mallocCounterAllocations(void) { return 0; }
uint64_t mallocCounterThreadAllocations(void) { return 0; }
int mallocCounterIsActive(void) { return 0; }
#endif
