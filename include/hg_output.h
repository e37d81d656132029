/* hg_output.h - the last stage: every file of a build is written into a
 * temporary folder beside OUT, which replaces OUT only when the whole build
 * succeeded (an atomic rename exchange), so a failed or interrupted build
 * leaves the previous site untouched.
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

/* Checks OUT and creates the temporary folder. Errors have code 2. */
hg_output *hg_output_begin(const char *out_dir, const char *site_dir,
                           hg_error **err);
/* The temporary folder being filled. */
const char *hg_output_tmp(const hg_output *o);
/* Writes `rel` (a relative '/'-separated path without ".." segments) into
 * the temporary folder. */
bool hg_output_write(hg_output *o, const char *rel, const char *data, size_t len,
                     hg_error **err);
bool hg_output_copy(hg_output *o, const char *rel, const char *src, hg_error **err);
/* true if rel is a safe relative output path (no "..", not absolute, no '\\'). */
bool hg_output_rel_ok(const char *rel);
/* Puts the new site in place of OUT and frees o (also on failure). */
bool hg_output_commit(hg_output *o, hg_error **err);
/* Removes the temporary folder and frees o. */
void hg_output_abort(hg_output *o);

#endif
