/* hg_cache.h - the build cache in SITE/.helpgen-cache/: it lets a rebuild
 * whose inputs have not changed since the last successful build into the
 * same output folder finish without running the pipeline, leaving OUT
 * exactly as that build wrote it (which is what a clean build would write).
 *
 * The inputs of a build are every file under the site folder (except
 * names starting with '.', node_modules and folders holding a helpgen
 * output marker), every file under the built-in themes folder, the helpgen
 * binary itself and the build options that change output. Files are
 * identified by content (an XXH3 hash); like git's index, the cache keeps
 * each file's size, mtime and inode and re-reads only files whose stat
 * changed or whose mtime was too close to the last snapshot to be trusted.
 *
 * OUT is trusted only if every file the last build left there still has
 * the size, mtime and inode recorded after that build. Records of the 16
 * most recent output folders are kept.
 *
 * Nothing here is required for a correct build: an unreadable, corrupt or
 * unwritable cache only means a full build. Not thread-safe. */
#ifndef HG_CACHE_H
#define HG_CACHE_H

#include <stdint.h>

#include "hg_output.h"
#include "hg_util.h"

#define HG_CACHE_DIR ".helpgen-cache"

typedef struct hg_cache hg_cache;

/* Where hg_cache_save's state callback writes (the bytes go to the file as
 * they come, hashed on the way for a base's id: the state of a big site is
 * tens of MB). */
typedef struct hg_cache_sink hg_cache_sink;

/* What a successful build reported (and, for hg_cache_save, left behind). */
typedef struct {
  char *report;   /* its warnings, as printed */
  char *notes;    /* its missing-translation lines, as printed */
  size_t pages, articles, warnings;
  /* hg_cache_save only (all may be NULL/0): */
  const hg_output_file *files; /* OUT's files (hg_output_files before the
                                  commit); NULL: OUT is walked */
  size_t nfiles;
  /* writes the build's state for the next incremental build into the
   * sink (NULL: no state) */
  void (*state)(void *ctx, hg_cache_sink *sink);
  void *state_ctx;
  bool incremental;      /* state is a batch to append to the state of the
                            build hg_cache_previous described (the build
                            wrote on top of it), not a new base */
} hg_cache_result;

void hg_cache_sink_put(hg_cache_sink *s, const void *data, size_t len);

/* Snapshots the inputs of a build of site_dir into out_dir. `themes_root`
 * (the built-in themes folder, may be NULL) is walked too; `opts_key`
 * names the options that change output (e.g. "drafts=1 pseudo=0").
 * Returns a new cache (never NULL); free it with hg_cache_free. */
hg_cache *hg_cache_open(const char *site_dir, const char *out_dir, const char *themes_root,
                        const char *opts_key);
void hg_cache_free(hg_cache *c);

/* SITE/.helpgen-cache (it may not exist yet), owned by c: other caches of
 * the build (e.g. the search tokens) go there too. */
const char *hg_cache_dir(const hg_cache *c);

/* Hex digest of all inputs (16 characters), owned by c. */
const char *hg_cache_inputs(const hg_cache *c);

/* true if the last successful build into out_dir had these same inputs
 * and OUT still holds what it wrote; *r then holds its report (owned by c).
 * A result is only ever stored for a successful build. */
bool hg_cache_fresh(hg_cache *c, hg_cache_result *r);

/* What an incremental build starts from: the last successful build into
 * OUT, when OUT and the build folder beside it are as it left them and the
 * binary, built-in themes and options are the same. */
typedef struct {
  const char **changed;   /* input files whose content changed, relative to
                             the site folder ("content/a.md"); points into c */
  size_t nchanged;
  const hg_output_file *out, *scratch; /* OUT's and the build folder's files */
  size_t nout, nscratch;
  const char *state;      /* the state that build saved (a base) ... */
  size_t state_len;
  const char *batches;    /* ... and the batches appended to it since, in order */
  size_t batches_len;
  char *base, *log;       /* (the files they point into, mapped: they stay
                             valid until hg_cache_prev_free) */
  size_t base_len, log_len;
} hg_cache_prev;

/* Fills *p and returns true when an incremental build is possible: files
 * were only changed (none added or removed), accept(ctx, path) took every
 * changed one, and state was saved. Free with hg_cache_prev_free (p's
 * listings belong to c). */
bool hg_cache_previous(hg_cache *c, bool (*accept)(void *ctx, const char *path), void *ctx,
                       hg_cache_prev *p);
void hg_cache_prev_free(hg_cache_prev *p);

/* Records a successful build: the input snapshot, what it reported and
 * the files now in out_dir. Silently does nothing when the cache folder
 * cannot be written. */
void hg_cache_save(hg_cache *c, const hg_cache_result *r);

#endif
