/* rename_shim.c - an LD_PRELOAD shim for tests/e2e/safety.sh: logs every
 * rename/renameat2 helpgen makes (to $HG_SHIM_LOG, one line each:
 * "renameat2 FLAGS FROM TO RESULT" or "rename FROM TO RESULT") and, with
 * HG_SHIM_NO_EXCHANGE=1, makes renameat2(..., RENAME_EXCHANGE) fail with
 * EINVAL, as on a file system without the exchange (so that output.c's
 * fallback runs). Build: cc -shared -fPIC -o rename_shim.so rename_shim.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void note(const char *fmt, const char *a, const char *b, unsigned flags, int rc) {
  const char *path = getenv("HG_SHIM_LOG");
  if (!path) return;
  FILE *f = fopen(path, "a");
  if (!f) return;
  fprintf(f, fmt, flags, a, b, rc);
  fclose(f);
}

int renameat2(int olddirfd, const char *from, int newdirfd, const char *to, unsigned int flags) {
  static int (*real)(int, const char *, int, const char *, unsigned int);
  if (!real) real = (int (*)(int, const char *, int, const char *, unsigned int))dlsym(RTLD_NEXT, "renameat2");
  const char *no = getenv("HG_SHIM_NO_EXCHANGE");
  int rc;
  if ((flags & RENAME_EXCHANGE) && no && !strcmp(no, "1")) {
    errno = EINVAL;
    rc = -1;
  } else {
    rc = real(olddirfd, from, newdirfd, to, flags);
  }
  int saved = errno;
  note("renameat2 %u %s %s %d\n", from, to, flags, rc);
  errno = saved;
  return rc;
}

int rename(const char *from, const char *to) {
  static int (*real)(const char *, const char *);
  if (!real) real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  int rc = real(from, to);
  int saved = errno;
  note("rename %u %s %s %d\n", from, to, 0, rc);
  errno = saved;
  return rc;
}
