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
#include <stdatomic.h>

#include "Clibgit2Startup.h"

/*
 * Declared here rather than taken from <mbedtls/x509_crt.h>, so the build needs no mbedTLS
 * headers where libgit2 uses OpenSSL: the prototype is mbedTLS 2.x's and 3.x's
 * (`int mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path)`), the chain
 * is never touched, and the error is MBEDTLS_ERR_X509_FILE_IO_ERROR of x509.h.
 */
struct mbedtls_x509_crt;
enum { mbedtls_error_x509_file_io = -0x2900 };

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);

static atomic_int refused_loads;

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path) {
  (void)chain;
  (void)path;
  atomic_fetch_add(&refused_loads, 1);
  return mbedtls_error_x509_file_io;
}

int gitkit_ca_bundle_loads_refused(void) { return atomic_load(&refused_loads); }
