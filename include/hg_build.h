/* hg_build.h - runs the whole pipeline for `helpgen build`:
 * config -> content -> site -> markdown -> search -> render -> output.
 * Each stage only reads what the stages before it produced. */
#ifndef HG_BUILD_H
#define HG_BUILD_H

#include <signal.h>
#include <stdio.h>

#include "hg_util.h"

typedef struct {
  const char *site_dir; /* default "." */
  const char *out_dir;  /* default SITE/public */
  bool strict;          /* warnings fail the build */
  bool quiet;           /* no summary line */
  bool drafts;          /* publish drafts */
  int threads;          /* 0: hg_default_threads() */
  bool pseudo;          /* theme strings from the pseudo-locale (--pseudo) */
  bool no_cache;        /* build even if nothing changed, without reading or
                           writing SITE/.helpgen-cache (--no-cache); see
                           hg_cache.h for when a build is skipped */
  bool exiting;         /* the process ends right after hg_build: the
                           language trees and the state are left to the OS
                           (freeing 10,000 articles' pieces one by one was
                           ~10 ms of an incremental build); they stay
                           reachable, so leak checkers see no leak */
  bool precompress;     /* .gz and .br beside every text file (--precompress) */
  bool translations;    /* print the missing-translation lines even when
                           quiet (main prints its own summary line) */
  volatile sig_atomic_t *interrupted; /* set by a signal handler; may be NULL */
  FILE *log;            /* where diagnostics and the summary go (stderr) */
} hg_build_opts;

typedef struct {
  size_t pages, articles, warnings, errors;
  double seconds;
  bool unchanged;       /* nothing changed: OUT was left as it was */
  bool incremental;     /* only article bodies changed: the rest came from
                           the last build (hg_build's comment on them) */
  size_t changed;       /* with incremental: the articles read again */
  size_t rendered;      /* with incremental: the pages rendered again */
} hg_build_stats;

/* Returns the exit code: 0 built, 1 content errors (or warnings with
 * strict), 2 usage, configuration or theme errors, 130 interrupted. OUT is
 * only replaced when the result is 0. */
int hg_build(const hg_build_opts *opts, hg_build_stats *stats);

#endif
