/* hg_walk.h - the one walker of every tree helpgen reads (content/, the
 * themes, flows/, hooks/ and the build cache's input walk).
 *
 * It never leaves the fence it is given: a symbolic link is followed only
 * when its target resolves inside the fence folder (the site folder, or
 * the theme folder for theme files), unless follow_outside is set
 * (`site.follow_outside_links: true` in helpgen.yaml). It remembers the
 * (device, inode) of every folder it entered: a link back to a folder that
 * contains it is a loop, reported as an error even with follow_outside.
 * A link to a folder that is walked anyway at its real path (inside
 * `walked`, through names the walk enters) is skipped, and a link to such
 * a file is marked `duplicate`, so a page reachable twice is made once, at
 * its real path. A dangling link is reported as one.
 * Every entry checks the interrupt flag (hg_walk_set_interrupt): a walk
 * stopped by SIGINT/SIGTERM returns false with an error of code 130.
 *
 * Names starting with '.' are never entered or listed. With
 * skip_underscore, folders starting with '_' are not entered either, and
 * every skipped folder ('_' or '.') that holds Markdown is reported once
 * as a warning with its Markdown file count (nothing vanishes silently).
 *
 * Messages name the link's path ("content/a/loop: error: ...") and say
 * what to do. Thread-safe: walks share no state but the interrupt flag. */
#ifndef HG_WALK_H
#define HG_WALK_H

#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "hg_util.h"

typedef enum { HG_WALK_FILE, HG_WALK_DIR } hg_walk_kind;

typedef struct {
  hg_walk_kind kind;
  const char *path;      /* the root joined with rel ("site/content/a/b.md") */
  const char *rel;       /* relative to the root ("a/b.md"); "" for the root */
  const char *name;      /* the last part of rel ("" for the root) */
  int depth;             /* 0: the root, 1: its entries, ... */
  const struct stat *st; /* the target's stat (links followed); NULL unless
                            opts.need_stat, or the entry is a link */
  bool via_link;         /* the entry, or a folder above it, is a link */
  bool duplicate;        /* a link to a file that is listed anyway at its
                            real path (make a page there only) */
} hg_walk_entry;

/* What the callback returns. */
enum {
  HG_WALK_GO = 0,   /* go on (a folder: enter it) */
  HG_WALK_SKIP = 1, /* a folder: do not enter it */
  HG_WALK_STOP = 2  /* stop the whole walk: hg_walk returns false, no err */
};
typedef int (*hg_walk_fn)(void *ctx, const hg_walk_entry *e);

typedef struct {
  const char *fence;    /* links may lead inside this folder only (NULL: the
                           root) */
  const char *fence_name; /* it in messages: "the site folder" (NULL: "the
                             folder <fence>") */
  const char *walked;   /* the folder whose walkable paths are walked anyway
                           (by this walk or a sibling one): a link to one is
                           skipped as a duplicate (NULL: the root) */
  bool follow_outside;  /* follow links that leave the fence */
  bool skip_underscore; /* do not enter '_' folders; report skipped
                           folders that hold Markdown */
  bool files_first;     /* in each folder: its files, then its folders
                           (each sorted by name); else all sorted by name */
  bool need_stat;       /* every entry gets st */
  const char *const *skip_names; /* folder names never entered (NULL-
                                    terminated, may be NULL): node_modules */
  int max_depth;        /* deeper folders are an error (0: 64) */
  hg_diags *diags;      /* link problems and skipped-folder warnings; NULL:
                           quiet (a bad link is then just left out) */
  size_t *outside;      /* counts the links left out for leading outside
                           the fence (may be NULL) */
  hg_walk_fn fn;        /* called for the root (a DIR at depth 0), then for
                           each entry, a folder before what it holds */
  void *ctx;
} hg_walk_opts;

/* Walks root. Returns false with err when root cannot be read (code 2),
 * when it leads outside the fence (code 2), or when the walk was
 * interrupted (code 130); false without err when fn returned HG_WALK_STOP.
 * Problems below the root go to o->diags and the walk goes on. */
bool hg_walk(const char *root, const hg_walk_opts *o, hg_error **err);

/* The paths, relative to root, of the files below root (sorted), appended
 * to *out (*n counts; the strings are the caller's), with the link rules
 * above (no '_' skipping). Problems go to diags (NULL: quiet). Returns
 * false with err as hg_walk. */
bool hg_walk_files(const char *root, const char *fence, const char *fence_name,
                   bool follow_outside, char ***out, size_t *n, hg_diags *diags, hg_error **err);

/* The flag a signal handler sets (SIGINT, SIGTERM); NULL: none. Set once
 * at start-up, before any walk. */
void hg_walk_set_interrupt(volatile sig_atomic_t *flag);
/* true once the flag is set. */
bool hg_walk_interrupted(void);

#endif
