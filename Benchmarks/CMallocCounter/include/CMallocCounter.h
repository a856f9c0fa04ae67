// Counts heap allocations in this process, so the benchmark can report allocations
// per operation (the hot record path must show 0). Interposes malloc and friends by
// defining them in the executable and forwarding to glibc's __libc_* entry points.
#ifndef CMALLOCCOUNTER_H
#define CMALLOCCOUNTER_H
#include <stdint.h>

/// Number of allocation calls (malloc, calloc, realloc, posix_memalign, aligned_alloc,
/// memalign) since the process started. Always 0 where interposition is unavailable.
uint64_t mallocCounterAllocations(void);

/// The same count for the calling thread only: what a single-threaded measurement reads,
/// so that another thread's allocations (an event loop winding down, a logger) never
/// count against it. Always 0 where interposition is unavailable.
uint64_t mallocCounterThreadAllocations(void);

/// Whether allocations are being counted on this platform.
int mallocCounterIsActive(void);

#endif
