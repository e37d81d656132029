/* hg_markdown.h - stage 4 of the pipeline: one article's Markdown body to
 * HTML with cmark-gfm (tables, strikethrough, autolinks, task lists,
 * footnotes), Unicode-aware unique heading ids, a table of contents (h2/h3),
 * callouts (GitHub, Obsidian, MkDocs, Docusaurus), content tabs, Obsidian
 * wikilinks/embeds/highlights, media, FAQ accordions, local link rewriting through a
 * caller-supplied resolver, and raw HTML only when allowed.
 *
 * Thread-safety: hg_md_init() once before any thread starts; after that
 * hg_md_render may run on several threads at once (each with its own opts,
 * result and diags). */
#ifndef HG_MARKDOWN_H
#define HG_MARKDOWN_H

#include "hg_util.h"

typedef struct {
  int level;  /* 2 or 3 */
  char *id;   /* the heading's id attribute */
  char *text; /* plain text of the heading */
} hg_toc_entry;

typedef struct {
  char *id;          /* linkable id of the <details> element */
  char *question;    /* plain text */
  char *answer_html; /* rendered answer */
  char *answer_text; /* plain text of the answer (for JSON-LD, search) */
} hg_faq_item;

enum { HG_LINK_LINK = 0, HG_LINK_IMAGE = 1 };

/* Called for every local link or image target (no URL scheme, not starting
 * with '#' or '//'), with the path part percent-decoded and the "#fragment"
 * and "?query" split off (they are re-appended to whatever is returned).
 * `line`/`col` are positions in the article file (front matter counted;
 * col counts characters, 1-based). Targets containing "{{" are not passed
 * (they get the template-variable warning instead).
 * Returns a new malloc'd URL to use instead, or NULL to keep the original.
 * The resolver reports problems (missing article...) into `diags` itself. */
typedef char *(*hg_md_resolve_fn)(void *ctx, const char *target, int kind,
                                  int line, int col, hg_diags *diags);

typedef struct {
  const char *path;   /* file name used in messages */
  int line_offset;    /* lines before the body in the file (front matter) */
  bool unsafe;        /* keep raw HTML (site config markdown.unsafe). When
                         false, raw HTML becomes "<!-- raw HTML omitted -->"
                         (one warning per file; pure <!-- comments --> are
                         dropped without one) and javascript:, vbscript:,
                         file: and non-image data: URLs become "", as in
                         cmark's safe mode. */
  bool faq;           /* type: faq -> every ## becomes a <details> item */
  const char *title;  /* page title: a leading "# title" equal to it is
                         dropped (the theme prints the title). May be NULL. */
  hg_md_resolve_fn resolve; /* may be NULL */
  void *resolve_ctx;
  /* Called for every local image with the target the resolver gets (before
   * it); appends extra attributes for its <img> to attrs
   * (' width="640" height="480"'). May be NULL. The first image of the
   * document loads at once; the others get loading="lazy" decoding="async". */
  void (*image_attrs)(void *ctx, const char *target, hg_buf *attrs);
  void *image_ctx;
  unsigned dialects_off; /* HG_DIALECT_* bits (hg_dialect.h) switched off;
                            0: every dialect on */
  const struct hg_name_index *names; /* wikilink targets, or NULL (every
                            wikilink is then unresolved); borrowed */
  const struct hg_md_embed *embeds;  /* internal: the notes being embedded
                            (cycle check); NULL */
} hg_md_opts;

typedef struct {
  char *html;           /* the rendered body */
  char *text;           /* plain text of the body, blocks separated by '\n' */
  char *first_h1;       /* text of the first level-1 heading, or NULL */
  hg_toc_entry *toc;    /* h2/h3 in order */
  size_t ntoc;
  hg_faq_item *faq;     /* only when opts->faq */
  size_t nfaq;
  size_t words;         /* word count of text (reading time): runs between
                           spaces count 1; Han/kana ~1 per 2 characters,
                           Thai/Lao/Khmer/Myanmar ~1 per 4 code points */
} hg_md_result;

void hg_md_init(void);
/* Renders `len` bytes of Markdown. Warnings (raw HTML omitted, unresolved
 * {{template}} variables, ...) and errors go to `diags` with path:line:col.
 * Returns false only if an error was added to diags. `out` is always filled
 * and must be released with hg_md_result_free. */
bool hg_md_render(const char *md, size_t len, const hg_md_opts *opts,
                  hg_md_result *out, hg_diags *diags);
void hg_md_result_free(hg_md_result *r);
/* Appends every field of r to b as a binary record for the build cache
 * (see hg_reader in hg_util.h); html, text and first_h1 keep NULL apart
 * from "". */
void hg_md_result_save(const hg_md_result *r, hg_buf *b);
/* Fills out (zeroed first) from hg_md_result_save's record; release it with
 * hg_md_result_free. Returns false when bad (a NULL toc or FAQ string
 * counts as bad), with out left freed and zeroed. */
bool hg_md_result_restore(hg_reader *r, hg_md_result *out);
/* The same, read in place: out's strings point into the reader's bytes,
 * which must outlive it (an incremental build's 40 MB of results are not
 * copied); only its TOC and FAQ arrays are allocated. Release it with
 * hg_md_result_release, never hg_md_result_free. */
bool hg_md_result_view(hg_reader *r, hg_md_result *out);
void hg_md_result_release(hg_md_result *r);
/* Plain text of the first non-empty ATX "# heading" in md (skipping fenced
 * code), or NULL. Cheap: only that one line is parsed. */
char *hg_md_first_h1(const char *md, size_t len);

#endif
