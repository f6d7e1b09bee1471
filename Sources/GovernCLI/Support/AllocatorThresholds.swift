import CAllocator

/// How the process's allocator returns memory, set by the command alone (the libraries below
/// only allocate and free). glibc raises its mmap threshold to the size of each large block
/// freed, up to 32 MiB, and its trim threshold to twice that: once the audit has freed one big
/// table, every later buffer below that size comes from the heap, and the heap keeps up to
/// twice that much free memory instead of giving it back. A fixed threshold of 2 MiB (which
/// also stops the trim threshold's adjustment) keeps large buffers in mappings of their own,
/// returned when freed; glibc's starting 128 KiB made the report's writer, which grows
/// buffers of a few hundred KiB, pay a fresh mapping for each.
enum AllocatorThresholds {
  static func fix() { _ = git_govern_fix_mmap_threshold() }
}
