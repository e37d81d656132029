/* hg_dialect.h - the Markdown dialects helpgen reads besides GFM, as pieces
 * the Markdown stage (markdown.c) puts together:
 *  - the callout types of GitHub, Obsidian, MkDocs-Material and
 *    Docusaurus/VuePress, with their aliases;
 *  - a line pass that turns the block syntaxes cmark does not know
 *    (MkDocs `!!! type "Title"` / `??? type` with indented bodies, content
 *    tabs `=== "Tab"`, Docusaurus `:::type Title` ... `:::`) into marker
 *    comments around their dedented bodies, and drops Obsidian
 *    `%% comments %%`; markdown.c wraps what lies between two markers in
 *    the cmark tree (never rewriting HTML);
 *  - media by file extension, YouTube/Vimeo URLs;
 *  - the name index wikilinks resolve against, built by the site model and
 *    handed to the renderer as data (the renderer never calls back into it).
 *
 * Thread-safety: everything here is pure or works on caller-owned values; a
 * finished hg_name_index is read-only and may be shared between threads. */
#ifndef HG_DIALECT_H
#define HG_DIALECT_H

#include "hg_util.h"

/* Dialects that can be switched off (markdown.dialects in helpgen.yaml). */
enum {
  HG_DIALECT_OBSIDIAN = 1u << 0,   /* callout titles/folds, wikilinks, embeds,
                                      %% comments %%, ==highlight== */
  HG_DIALECT_MKDOCS = 1u << 1,     /* !!! / ??? admonitions, === tabs */
  HG_DIALECT_DOCUSAURUS = 1u << 2, /* :::type blocks */
  HG_DIALECT_MEDIA = 1u << 3,      /* video/audio by extension, video embeds */
  HG_DIALECT_JEKYLL = 1u << 4,     /* warnings for Liquid tags, kramdown {: } */
};

/* ---- callout types ---------------------------------------------------------- */
typedef struct {
  const char *name;  /* as written, lower case: "tldr" */
  const char *kind;  /* the CSS kind: "abstract" (class callout-abstract) */
  const char *title; /* default title: "Tldr" */
} hg_callout_type;

/* The type named by s[0..n) (ASCII case ignored), or NULL when unknown. */
const hg_callout_type *hg_callout_type_find(const char *s, size_t n);

/* ---- block syntaxes --------------------------------------------------------- */
enum { HG_DBLOCK_CALLOUT, HG_DBLOCK_TAB };

typedef struct {
  int kind;        /* HG_DBLOCK_* */
  char *type;      /* callout type as written, lower case ("pied-piper") */
  char *title;     /* plain text; NULL: the type's default; "": no title */
  int fold;        /* 0 not foldable, 1 foldable and open, -1 foldable, closed */
  bool new_group;  /* tab: starts a tab set (else joins the previous tab's) */
  bool selected;   /* tab: ===+ */
  int out_line;    /* 1-based line of the opening marker in the output */
  int src_line;    /* 1-based line of the opener in the input */
  int src_col;     /* 1-based character column of the opener */
} hg_dblock;

typedef struct {
  char *text;       /* the rewritten Markdown */
  size_t len;
  int *line_map;    /* [output line - 1] -> 1-based input line */
  int *col_shift;   /* [output line - 1] -> characters removed at its start */
  size_t nlines;
  hg_dblock *blocks;
  size_t nblocks;
} hg_dialect_src;

/* Marker comments, each alone on its line: "<!--hg-dialect:N-->" opens
 * block N, "<!--hg-dialect:/N-->" closes it. */
#define HG_DIALECT_MARK "<!--hg-dialect:"

/* Rewrites md when it holds any of the block syntaxes (or %% comments) of
 * the dialects not in `off`; returns false, with out zeroed, when nothing
 * needs rewriting. Problems (a ::: block never closed) go to diags at
 * path:line:col, line_offset added to lines. Free out with
 * hg_dialect_src_free. */
bool hg_dialect_preprocess(const char *md, size_t len, unsigned off, const char *path,
                           int line_offset, hg_dialect_src *out, hg_diags *diags);
void hg_dialect_src_free(hg_dialect_src *s);

/* ---- media -------------------------------------------------------------------- */
enum { HG_MEDIA_NONE, HG_MEDIA_VIDEO, HG_MEDIA_AUDIO };
/* By the extension of the URL's path (query and fragment ignored). */
int hg_media_kind(const char *url);
/* A YouTube or Vimeo page or embed URL: appends to html a click-to-load
 * player (an iframe whose srcdoc holds a play link; nothing is fetched from
 * the video site before the reader clicks) and returns true. `label` is the
 * link text (may be NULL). */
bool hg_video_embed(const char *url, const char *label, hg_buf *html);

/* ---- the name index ------------------------------------------------------------- */
typedef struct {
  const char *rel_path; /* content-relative path "orders/Track order.md" */
  const char *path;     /* file path for messages */
  const char *body;     /* Markdown body (for embeds); may be NULL */
  size_t body_len;
  int body_line;
} hg_name_target;

enum { HG_NAME_FILE, HG_NAME_TITLE, HG_NAME_ALIAS };

typedef struct hg_name_index hg_name_index;

hg_name_index *hg_name_index_new(void);
/* Adds target t (copied, its strings borrowed: they must outlive the index)
 * under `name` with rank HG_NAME_*. Names compare ignoring ASCII case. The
 * same target under the same name and rank is kept once. */
void hg_name_index_add(hg_name_index *x, const char *name, int rank, const hg_name_target *t);
/* The targets of `name` at the best rank that has any (file name, then
 * title, then alias). Returns how many and sets *out to the first
 * (an array owned by the index), 0 when none. */
size_t hg_name_index_find(const hg_name_index *x, const char *name,
                          const hg_name_target **out);
void hg_name_index_free(hg_name_index *x);

#endif
