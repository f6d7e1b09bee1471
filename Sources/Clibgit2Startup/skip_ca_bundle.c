/*
 * Why this file exists: Debian's libgit2 (1.5, built with mbedTLS) parses the whole system CA
 * bundle inside git_libgit2_init(), unconditionally. mbedTLS 2.28 decodes that PEM file with
 * constant-time base64, about 55 million instructions: 40 % of a `git govern check` run,
 * paid by every hook before it reads a single object.
 *
 * git-govern never opens a network connection through libgit2: fetch, push and clone go
 * through the `git` program (Ledger's Subprocess.git). So no certificate is ever needed here.
 *
 * An executable's own definition of a symbol takes precedence over a shared library's for
 * every caller in the process, libgit2.so included. This definition refuses to load any file.
 * That fails closed: if code in this process ever did open an HTTPS connection through
 * libgit2, it would have no trust anchors and certificate verification would reject every
 * server. On a libgit2 built with OpenSSL instead, this function is simply never called.
 */
#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>
#include <stdatomic.h>

#include "Clibgit2Startup.h"

static atomic_int refused_loads;

int mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path) {
  (void)chain;
  (void)path;
  atomic_fetch_add(&refused_loads, 1);
  return MBEDTLS_ERR_X509_FILE_IO_ERROR;
}

int gitkit_ca_bundle_loads_refused(void) { return atomic_load(&refused_loads); }
