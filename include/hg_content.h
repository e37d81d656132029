/* hg_content.h - stage 2: walk SITE/content/, read every article's front
 * matter into typed fields (and the full hg_value map), and every folder's
 * _index.md. A top-level folder is a category, a folder inside it a section
 * (sections may nest); files that are not Markdown are assets.
 *
 * Ownership: hg_content_load returns a tree freed with hg_content_free. */
#ifndef HG_CONTENT_H
#define HG_CONTENT_H

#include "hg_config.h"
#include "hg_value.h"

/* An article file larger than this is an error (README: Limits). */
#define HG_MAX_ARTICLE_BYTES ((size_t)16 << 20) /* 16 MiB */

typedef struct {
  char *path;        /* file path for messages ("site/content/a/b.md") */
  char *rel_path;    /* relative to content/: "a/b.md" */
  size_t folder;     /* index into hg_content.folders */
  hg_value *meta;    /* the front matter map, or NULL */
  char *body;        /* Markdown after the front matter (LF line endings) */
  size_t body_len;
  int body_line;     /* lines before the body: add to body line numbers */
  char *title;
  int title_line;    /* where the title came from (0: the file name) */
  char *description; /* "" when absent */
  char *slug;
  long weight;       /* 0 when absent */
  char **tags;
  size_t ntags;
  char **keywords;
  size_t nkeywords;
  char **aliases;    /* as written: old URLs (hg_alias_is_url) and other
                        names of the article (Obsidian's aliases) */
  size_t naliases;
  bool promoted, draft, faq;
  char *date, *updated, *review_by; /* "YYYY-MM-DD" or NULL */
  char *translation_key; /* front matter translation_key, or NULL */
  bool failed;       /* an error was reported for this file */
  size_t ndiags;     /* messages hg_content_load reported for this file */
} hg_article;

typedef struct {
  char *rel_dir;     /* relative to content/: "" (root), "orders/tracking" */
  char *path;        /* folder path for messages */
  long parent;       /* index of the parent folder, -1 for the root */
  int depth;         /* 0 root, 1 category, 2+ section */
  char *slug;        /* URL segment ("" for the root) */
  char *title;
  char *description;
  char *icon;        /* may be NULL */
  long weight;
  char *index_path;  /* path of _index.md for messages, or NULL */
  char *intro;       /* body of _index.md (Markdown), or NULL */
  size_t intro_len;
  int intro_line;
  hg_value *meta;    /* front matter of _index.md, or NULL */
  char **assets;     /* file names of non-Markdown files in this folder */
  size_t nassets;
} hg_folder;

typedef struct {
  char *content_dir;
  hg_folder *folders;   /* folders[0] is the root; parents precede children */
  size_t nfolders;
  hg_article *articles; /* in walk order (folders, then names, sorted) */
  size_t narticles;
} hg_content;

typedef struct {
  int threads;
  size_t max_file_size; /* bytes; larger articles are an error (0:
                           HG_MAX_ARTICLE_BYTES) */
  const char *lang_dir; /* a language's folder under content/ ("cs"): read
                           SITE/content/<lang_dir>/ as the tree; NULL: content/ */
} hg_content_opts;

/* Reads everything under SITE/content (or SITE/content/<lang_dir>). Per-file problems go to diags (as
 * errors or warnings, the build goes on to report them all); returns NULL
 * with err only when content/ itself cannot be read. */
hg_content *hg_content_load(const hg_config *cfg, const hg_content_opts *opts,
                            hg_diags *diags, hg_error **err);
void hg_content_free(hg_content *c);

/* true if an `aliases:` entry is an old URL to redirect ("/old/page/",
 * "https://…", "old/page.html"); false for another name of the article
 * (words with spaces, a '?' or '#': "Getting started", "What is New?/FAQ",
 * as Obsidian writes them), which wikilinks resolve but nothing redirects. */
bool hg_alias_is_url(const char *alias);
/* Frees every article's Markdown body (body becomes NULL, body_len 0), for
 * a build that needs no more of it after the Markdown stage. */
void hg_content_drop_bodies(hg_content *c);

/* ---- binary records for the build cache (see hg_reader in hg_util.h) ----
 * Everything in c but article bodies (body NULL, body_len 0 on restore;
 * body_line kept); folders complete (intro text, meta, assets). */
void hg_content_save(const hg_content *c, hg_buf *b);
/* A new tree the caller frees with hg_content_free, or NULL (r->bad set)
 * when the input is bad: besides malformed bytes, a tree hg_content_load
 * could not have made (no root folder, a parent that does not come before
 * its child, a depth that is not the parent's + 1, an article's folder out
 * of range, a NULL where a name or title belongs), so later stages can
 * index with what they find. */
hg_content *hg_content_restore(hg_reader *r);
/* One article without its body, to compare two parses of a file byte for
 * byte: every field but body and body_len (ndiags included, so set it on a
 * fresh parse before comparing). */
void hg_article_save(const hg_article *a, hg_buf *b);
/* Fills a (zeroed first) from hg_article_save's record; the strings are
 * a's, freed by hg_article_clear. Returns false when bad (a NULL path or
 * rel_path, a NULL title, description or slug in an article that did not
 * fail, a NULL in a list), leaving a zeroed. The folder index is not
 * checked here (hg_content_restore does). */
bool hg_article_restore(hg_reader *r, hg_article *a);

/* Splits front matter from one file's text (exposed for tests and fuzzing).
 * Normalizes BOM/CRLF in place, validates UTF-8, parses YAML. Fills `a`
 * (path must be set by the caller; body points into a new copy). Returns
 * false if an error was added to diags. */
/* `text` must have room for a NUL at text[len] (hg_read_file gives that). */
bool hg_article_parse(hg_article *a, char *text, size_t len, hg_diags *diags);
void hg_article_clear(hg_article *a);
/* (Re)derives title, slug, tags... from a->meta and a->body (after a hook
 * changed them). Returns false if an error was added to diags. */
bool hg_article_apply_meta(hg_article *a, hg_diags *diags);

#endif
