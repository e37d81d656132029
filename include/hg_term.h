/* hg_term.h - the terminal side of the command line: colours (only on a
 * terminal, never with NO_COLOR), a progress line for builds that run
 * longer than a second, and a log stream that colours "error:" and
 * "warning:" and keeps the progress line out of the way of messages.
 *
 * Ownership: hg_term_open returns an object freed by hg_term_close (which
 * also closes the FILE * from hg_term_file, flushing it). */
#ifndef HG_TERM_H
#define HG_TERM_H

#include <stdio.h>

#include "hg_util.h"

/* true if `f` is a terminal, NO_COLOR is unset or empty and TERM is not
 * "dumb" (https://no-color.org). */
bool hg_term_color(FILE *f);

typedef struct hg_term hg_term;

/* A log that writes to `dest` (normally stderr) a line at a time.
 * `color`: colour "error:"/"warning:" after a message's location.
 * `progress`: allow the progress line (pass false for --quiet or when dest
 * is not a terminal). */
hg_term *hg_term_open(FILE *dest, bool color, bool progress);
/* The stream to hand to the build (hg_build_opts.log). */
FILE *hg_term_file(hg_term *t);
bool hg_term_has_color(const hg_term *t);

/* Starts the clock for "helpgen: building… 2.4 s": the line appears once
 * the work has run for a second ($HELPGEN_PROGRESS_AFTER_MS changes the
 * delay, for tests), is redrawn ten times a second, and is erased by
 * hg_term_progress_end and before every message. */
void hg_term_progress_begin(hg_term *t, const char *what);
/* Names the stage shown on the line ("markdown 1200/10000"); thread-safe,
 * and cheap enough to call per item. total 0: no count. */
void hg_term_progress_stage(hg_term *t, const char *stage, size_t done, size_t total);
void hg_term_progress_end(hg_term *t);

/* `text` wrapped in the SGR colour `sgr` ("1;31") when colours are on,
 * else a copy. Caller frees. */
char *hg_term_paint(const hg_term *t, const char *sgr, const char *text);

void hg_term_close(hg_term *t);

/* Colours "error:" and "warning:" in one formatted diagnostic line
 * ("path:1:2: error: ...") and appends it to b. Exposed for tests. */
void hg_term_put_colored(hg_buf *b, const char *line, size_t len);

#endif
