/*
 * Why this file exists: <malloc.h> is not part of Swift's Glibc module, so the one allocator
 * setting the command makes (GovernCLI's AllocatorThresholds) is made here.
 */
#include "CAllocator.h"

#include <stdlib.h> /* defines __GLIBC__ where the C library is glibc */

#if defined(__GLIBC__)
#include <malloc.h>

int git_govern_fix_mmap_threshold(void) {
  /* glibc's starting threshold; setting it at all stops glibc from raising it (and the trim
   * threshold with it) after each large free. */
  return mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}
#else
int git_govern_fix_mmap_threshold(void) { return 0; }
#endif
