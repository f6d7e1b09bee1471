/*
 * Why this file exists: <malloc.h> is not part of Swift's Glibc module, so the one allocator
 * setting the command makes (GovernCLI's AllocatorThresholds) is made here.
 */
#include "CAllocator.h"

#include <stdlib.h> /* defines __GLIBC__ where the C library is glibc */

#if defined(__GLIBC__)
#include <malloc.h>

int git_govern_fix_mmap_threshold(void) {
  /* Setting the threshold at all stops glibc from raising it (and the trim threshold with it)
   * after each large free. 2 MiB rather than glibc's starting 128 KiB: below that, the audit
   * report's writer, which grows buffers of a few hundred KiB by copying, paid a fresh mapping
   * for each (rendering 0.25 -> 0.7 s on the benchmark's report). */
  return mallopt(M_MMAP_THRESHOLD, 2 * 1024 * 1024);
}
#else
int git_govern_fix_mmap_threshold(void) { return 0; }
#endif
