#ifndef CLIBGIT2_STARTUP_H
#define CLIBGIT2_STARTUP_H

/* How many times libgit2 asked mbedTLS to load a CA bundle in this process, and was told no
   (see skip_ca_bundle.c). Read by GitKit's tests. */
int gitkit_ca_bundle_loads_refused(void);

#endif
