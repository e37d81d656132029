/* hg_output.h - the last stage: every file of a build is written into a
 * build folder beside OUT (".OUT.helpgen-next"), which replaces OUT only
 * when the whole build succeeded (an atomic rename exchange), so a failed or
 * interrupted build leaves the previous site untouched.
 *
 * The build folder is double-buffered: after a swap it holds the previous
 * site, and the next build writes over it in place, then removes the files
 * it did not write. Rewriting files in existing folders is many times
 * faster than creating ten thousand new folders (ext4 scans recently freed
 * inodes on every mkdir), at the cost of a second copy of the site on disk.
 * Builds into one OUT are serialized with a lock file.
 *
 * Safety: OUT is only ever replaced when it is empty or holds the
 * `.helpgen-build` marker that every helpgen build writes, and never when
 * it is (or contains) the site folder.
 * Thread-safety: hg_output_write may run on several threads at once. */
#ifndef HG_OUTPUT_H
#define HG_OUTPUT_H

#include "hg_util.h"

#define HG_OUTPUT_MARKER ".helpgen-build"

typedef struct hg_output hg_output;

/* Checks OUT, takes the lock and prepares the build folder. Errors have
 * code 2. */
hg_output *hg_output_begin(const char *out_dir, const char *site_dir,
                           hg_error **err);
/* The build folder being filled. */
const char *hg_output_tmp(const hg_output *o);
/* Writes `rel` (a relative '/'-separated path without ".." segments) into
 * the temporary folder. */
bool hg_output_write(hg_output *o, const char *rel, const char *data, size_t len,
                     hg_error **err);
bool hg_output_copy(hg_output *o, const char *rel, const char *src, hg_error **err);
/* true if rel is a safe relative output path (no "..", not absolute, no '\\'). */
bool hg_output_rel_ok(const char *rel);
/* Threads hg_output_commit may use (default 1). */
void hg_output_set_threads(hg_output *o, int threads);
/* Removes what the previous site left in the build folder and this build
 * did not write, puts the new site in place of OUT and frees o (also on
 * failure). */
bool hg_output_commit(hg_output *o, hg_error **err);
/* Leaves OUT as it was and frees o. A build folder made by this build is
 * removed; a reused one stays as scratch for the next build. */
void hg_output_abort(hg_output *o);

#endif
