/* hg_html2md.h - HTML to CommonMark for importers: the HTML is parsed by
 * gumbo (the WHATWG HTML5 algorithm, as browsers parse it) and turned into a
 * cmark-gfm node tree that cmark's own CommonMark renderer writes out, so the
 * Markdown is always well formed (tables through the GFM table extension's
 * nodes). Constructs with no Markdown form are listed as notes, never dropped
 * silently.
 *
 * Ownership: hg_html2md fills an hg_html2md_out the caller frees with
 * hg_html2md_out_free; notes are appended to the caller's list, freed with
 * hg_html2md_notes_free. */
#ifndef HG_HTML2MD_H
#define HG_HTML2MD_H

#include <stdbool.h>
#include <stddef.h>

/* One construct the converter could not carry over. */
typedef struct {
  int line;   /* line in the HTML (1-based; 0: unknown) */
  char *what; /* "an <iframe> (https://www.youtube.com/embed/x)" */
  char *todo; /* "it became a link to its address; embed it again with a hook" */
} hg_html2md_note;

typedef struct {
  hg_html2md_note *v;
  size_t n, cap;
} hg_html2md_notes;

/* Called for every link href (image = false) and image src (image = true)
 * as written in the HTML. Returns a new string to use instead (the
 * converter frees it), or NULL to keep the URL. May add notes (with the
 * line given). */
typedef char *(*hg_html2md_url_fn)(void *ctx, const char *url, bool image, int line,
                                   hg_html2md_notes *notes);

typedef struct {
  hg_html2md_url_fn url; /* may be NULL */
  void *ctx;
  bool raw_html; /* keep embeds (iframe, video, audio, object, embed) and forms as
                    raw HTML, for a site with markdown.unsafe: true (still noted);
                    scripts and <style> are dropped either way */
} hg_html2md_opts;

typedef struct {
  char *markdown; /* CommonMark (GFM tables), "" for an empty body */
  char *summary;  /* plain text of the first paragraph, cut at a word before
                     about 160 bytes ("..." added), or "" */
} hg_html2md_out;

/* Converts `len` bytes of HTML (a body fragment or a whole document). Never
 * fails: bad HTML is parsed the way a browser would. Notes go to `notes`
 * (may be NULL), in document order. `opts` may be NULL. */
void hg_html2md(const char *html, size_t len, const hg_html2md_opts *opts,
                hg_html2md_out *out, hg_html2md_notes *notes);
void hg_html2md_out_free(hg_html2md_out *out);

/* Adds a note (what and todo are copied). */
void hg_html2md_note_add(hg_html2md_notes *notes, int line, const char *what, const char *todo);
void hg_html2md_notes_free(hg_html2md_notes *notes);

#endif
