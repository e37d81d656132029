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

#include "hg_util.h"

#define HG_CACHE_DIR ".helpgen-cache"

typedef struct hg_cache hg_cache;

/* What the last successful build reported. */
typedef struct {
  char *report;   /* its warnings, as printed */
  char *notes;    /* its missing-translation lines, as printed */
  size_t pages, articles, warnings;
} hg_cache_result;

/* Snapshots the inputs of a build of site_dir into out_dir. `themes_root`
 * (the built-in themes folder, may be NULL) is walked too; `opts_key`
 * names the options that change output (e.g. "drafts=1 pseudo=0").
 * Returns a new cache (never NULL); free it with hg_cache_free. */
hg_cache *hg_cache_open(const char *site_dir, const char *out_dir, const char *themes_root,
                        const char *opts_key);
void hg_cache_free(hg_cache *c);

/* Hex digest of all inputs (16 characters), owned by c. */
const char *hg_cache_inputs(const hg_cache *c);

/* true if the last successful build into out_dir had these same inputs
 * and OUT still holds what it wrote; *r then holds its report (owned by c).
 * A result is only ever stored for a successful build. */
bool hg_cache_fresh(hg_cache *c, hg_cache_result *r);

/* Records a successful build: the input snapshot, what it reported and
 * the files now in out_dir. Silently does nothing when the cache folder
 * cannot be written. */
void hg_cache_save(hg_cache *c, const hg_cache_result *r);

#endif
