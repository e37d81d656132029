/* hg_serve.h - `helpgen serve`: builds the site into a private folder,
 * serves it over HTTP (libmicrohttpd) at its base_url sub-path, watches the
 * site with inotify and rebuilds after every change. Served HTML pages get
 * a small script that listens to Server-Sent Events at
 * BASE/__helpgen/events: a rebuild reloads them, a failed build shows its
 * messages in an overlay while the last good site keeps being served.
 *
 * Only for previewing: the server is made for one writer on loopback. */
#ifndef HG_SERVE_H
#define HG_SERVE_H

#include <signal.h>
#include <stdio.h>

#include "hg_util.h"

typedef struct {
  const char *site_dir;  /* default "." */
  const char *bind;      /* IPv4 or IPv6 address; default "127.0.0.1" */
  int port;              /* default 1313 when < 0; 0: any free port */
  const char *out_dir;   /* NULL: a new folder under $TMPDIR (or /tmp),
                            removed when the server stops */
  bool drafts;           /* publish drafts too */
  int threads;           /* build threads; 0: hg_default_threads() */
  volatile sig_atomic_t *interrupted; /* set by SIGINT/SIGTERM: stop */
  FILE *log;             /* build messages and status lines (stderr) */
} hg_serve_opts;

/* Runs until *interrupted. Returns 0 after a clean stop, 2 when the site
 * folder is missing or the address cannot be listened on, or when this
 * helpgen was built without libmicrohttpd. */
int hg_serve(const hg_serve_opts *opts);

/* The content type served for a file name ("text/html; charset=utf-8",
 * "application/octet-stream" for unknown extensions). Static string. */
const char *hg_serve_mime(const char *name);

/* Maps a request path (percent-decoded, as the HTTP library gives it) to a
 * file path relative to the served folder, for a site at `base` ("/" or
 * "/help/"). Returns NULL when the path is outside the base or tries to
 * climb out of it (a ".." or "." segment, a backslash, a NUL); "" for the
 * base itself. Caller frees. */
char *hg_serve_rel_path(const char *base, const char *url);

#endif
