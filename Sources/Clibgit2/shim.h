#include <git2.h>
#include <git2/sys/commit.h>
#include <git2/sys/repository.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option used. */

static inline int gitkit_set_strict_hash_verification(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

static inline int gitkit_set_cache_max_size(size_t bytes) {
  return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}

static inline int gitkit_set_cache_object_limit(git_object_t type, size_t bytes) {
  return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, bytes);
}

#include <git2/sys/odb_backend.h>

/* The loose and pack backends of one objects directory, added as git_odb_open adds them
   (same priorities: packs first), but without the commit-graph file git_odb_open also loads
   and checksums in full on the first walk. On failure the backend not yet owned is freed. */
static inline int gitkit_odb_add_objects_directory(git_odb *odb, const char *dir, int as_alternate) {
  git_odb_backend *loose = NULL, *packed = NULL;
  int error = git_odb_backend_loose(&loose, dir, -1, 0, 0, 0);
  if (error < 0) return error;
  error = as_alternate ? git_odb_add_alternate(odb, loose, 1) : git_odb_add_backend(odb, loose, 1);
  if (error < 0) { loose->free(loose); return error; }
  error = git_odb_backend_pack(&packed, dir);
  if (error < 0) return error;
  error = as_alternate ? git_odb_add_alternate(odb, packed, 2) : git_odb_add_backend(odb, packed, 2);
  if (error < 0) { packed->free(packed); return error; }
  return 0;
}
