#ifndef CALLOCATOR_H
#define CALLOCATOR_H

/* Fixes glibc's mmap threshold at 2 MiB (see allocator.c); returns 1 when set,
 * 0 where the C library has no such setting. */
int git_govern_fix_mmap_threshold(void);

#endif
