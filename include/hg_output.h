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
/* The build folder beside out_dir (".OUT.helpgen-next"); caller frees. */
char *hg_output_scratch_path(const char *out_dir);
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

/* ---- precompressed copies (build --precompress) ---------------------------
 * Writes REL.gz (zlib, level 9) and REL.br (libbrotlienc: quality 11 for
 * CSS and JS, 5 for pages) beside
 * every text file of the build so far (.html .css .js .mjs .json .xml .svg
 * .txt .webmanifest), for hosts that serve precompressed files (nginx
 * gzip_static / brotli_static). A file the build did not change keeps the
 * copies the build folder holds, when it holds both. Call it after
 * everything else is written. Returns false with err when a write fails. */
bool hg_output_precompress(hg_output *o, int threads, hg_error **err);
/* true if rel is one of the text files hg_output_precompress compresses. */
bool hg_output_is_text(const char *rel);

/* ---- incremental builds ---------------------------------------------------
 * A build that changes a few files of a big site need not produce the rest
 * again: hg_output_sync makes the build folder a copy of OUT (copying only
 * the files that differ from what it holds) and counts all of OUT's files
 * as written; the build then writes what changed. Everything under a folder
 * it produces anew (search/en) is first dropped with hg_output_forget;
 * dropped files it neither writes nor reuses are removed on commit. */
typedef struct {
  char *rel;      /* path in the site ("a/b/index.html") */
  uint64_t hash;  /* hg_hash64 of its bytes */
  bool touched;   /* this build created or changed the file in the build
                     folder; false: it is as the folder held it */
} hg_output_file;

/* The files of the build so far (written, synced or reused), sorted by
 * rel; *n gets the count. Free with hg_output_files_free. */
hg_output_file *hg_output_files(const hg_output *o, size_t *n);
void hg_output_files_free(hg_output_file *f, size_t n);
/* `out` lists OUT's files and `scratch` the build folder's (as a cache
 * recorded and verified them; both borrowed, both sorted by rel as
 * hg_output_files gives them). Fails (err) when the build
 * folder is new, or a file of OUT to copy cannot be read or is not what
 * `out` says (its hash). */
bool hg_output_sync(hg_output *o, const hg_output_file *out, size_t nout,
                    const hg_output_file *scratch, size_t nscratch, hg_error **err);
/* Drops every file under folder `prefix` ("search/en") from the build. */
void hg_output_forget(hg_output *o, const char *prefix);
/* After hg_output_sync: counts `rel`, a file the build would write with the
 * bytes the previous site had under that name (a content-hashed name), as
 * written, if the build folder has it. false (write it) otherwise. */
bool hg_output_reuse(hg_output *o, const char *rel);

#endif
