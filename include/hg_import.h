/* hg_import.h - `helpgen import KIND SOURCE`: a front end of its own beside
 * the build pipeline. An importer reads another help center's export and
 * writes a new helpgen site (helpgen.yaml, content/<lang>/...) plus
 * import-report.txt, which lists every construct it could not carry over as
 * `source-path:line: what; what to do`.
 *
 * Layers: import.c (the command: options, the output folder, which kind
 * runs) calls the kinds (import_zendesk.c, import_jekyll.c,
 * import_obsidian.c, import_docusaurus.c, import_mkdocs.c); they call what
 * they share in import_common.c (the report, YAML strings, the source walk,
 * heading anchors); nothing calls back up.
 *
 * Ownership: an hg_import_report owns its notes (hg_import_report_free);
 * the formatters return new strings the caller frees. */
#ifndef HG_IMPORT_H
#define HG_IMPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "hg_util.h"
#include "hg_value.h"

typedef struct {
  char *path; /* source file, as given on the command line ("export/articles.json") */
  int line;   /* 0: the whole file */
  char *what; /* what could not be carried over (or was changed) */
  char *todo; /* what to do about it */
} hg_import_note;

typedef struct {
  hg_import_note *v;
  size_t n, cap;
  size_t articles, folders, files, languages; /* what was written */
} hg_import_report;

typedef struct {
  const char *kind;    /* "zendesk", "jekyll", "obsidian", "docusaurus", "mkdocs" */
  const char *source;  /* the export folder */
  const char *out_dir; /* the new site (missing or empty); NULL: "." */
  const char *lang;    /* keep this locale only, or NULL */
  bool json;           /* also write import-report.json */
  bool raw_html;       /* keep embeds and forms as raw HTML (markdown.unsafe: true) */
  FILE *log;           /* the summary line (NULL: none) */
} hg_import_opts;

/* Runs an import: checks that the output folder is missing or empty,
 * writes the site into a new folder beside it and moves it in place when
 * everything was written. Returns the exit code (0 imported, 1 the source
 * cannot be read, 2 usage: unknown kind, output folder not empty) and prints
 * errors as "path:line: error: ..." on stderr. */
int hg_import_run(const hg_import_opts *o);

/* ---- for the kinds ---- */

/* Adds a note; what is printf-formatted, todo copied. */
void hg_import_note_add(hg_import_report *r, const char *path, int line, const char *todo,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void hg_import_report_free(hg_import_report *r);
/* One line per note, sorted by path and line; a summary first. */
char *hg_import_report_text(const hg_import_report *r);
/* {"summary": {...}, "notes": [{"path", "line", "what", "todo"}]} */
char *hg_import_report_json(const hg_import_report *r);

/* Appends s as a double-quoted YAML scalar (JSON escaping, which YAML
 * reads the same). */
void hg_import_put_yaml_str(hg_buf *b, const char *s);
/* Every key of the front matter m (a map, or NULL) that is not one of the
 * n names in `mapped`: a scalar as a "key: value" line (themes read it as
 * META_<KEY>), a list or map reported as dropped (note on path:line). */
void hg_import_put_other_keys(hg_buf *b, hg_import_report *r, const char *path, const hg_value *m,
                              const char *const *mapped, size_t n);

/* The zendesk kind (import_zendesk.c): reads o->source and writes the site
 * under `dir` (an empty folder). False with err when the export cannot be
 * read at all; problems with single items are notes. */
bool hg_import_zendesk(const hg_import_opts *o, const char *dir, hg_import_report *r,
                       hg_error **err);

/* The jekyll kind (import_jekyll.c): a Jekyll site's pages and collections
 * into one content/ tree. */
bool hg_import_tree(const hg_import_opts *o, const char *dir, hg_import_report *r,
                    hg_error **err);

/* The obsidian kind (import_obsidian.c): a vault's notes, folders and
 * attachments into one content/ tree. */
bool hg_import_obsidian(const hg_import_opts *o, const char *dir, hg_import_report *r,
                        hg_error **err);

/* ---- heading anchors of Markdown-tree kinds (import_common.c) ---- */

/* One new page: the caller fills the first fields; ids and real are
 * filled by hg_import_page_ids. Free with hg_import_page_clear (it frees
 * md, cid, ctext, real and ids; the const strings are borrowed). */
typedef struct {
  const char *src_path; /* the source file, for notes */
  const char *src_text; /* its text, for the notes' line numbers */
  const char *dst;      /* path under content/ */
  char *md;             /* the new file (front matter, then the body at `body`) */
  size_t body;
  char **cid, **ctext;  /* heading ids the source set ({ #id }) and their headings' text */
  size_t ncid;
  char **real;          /* the id helpgen gives each of those headings (or NULL) */
  hg_strmap ids;        /* the new page's heading ids -> 1 */
} hg_import_page;

/* Renders p's body as the Markdown stage does and collects its heading ids. */
void hg_import_page_ids(hg_import_page *p);
/* pages[i]'s file with its links to headings checked against the pages
 * (by_dst: dst -> index): a custom id becomes helpgen's id of that heading;
 * a heading that does not exist loses the link (same page) or the fragment
 * (another page), reported with its line. Returns a new string. */
char *hg_import_fix_anchors(hg_import_report *r, hg_import_page *pages, size_t i,
                            const hg_strmap *by_dst);
void hg_import_page_clear(hg_import_page *p);

/* The files below root (sorted, relative to root) through the build's
 * walker (hg_walk_files): names starting with '.' left out, symbolic links
 * followed only inside fence (loops, dangling links and links that leave
 * it are notes in r). False with err when root cannot be walked. */
bool hg_import_list_files(hg_import_report *r, const char *root, const char *fence, char ***out,
                          size_t *n, hg_error **err);

/* The docusaurus kind (import_docusaurus.c): the current docs/ of a
 * Docusaurus site into one content/ tree. */
bool hg_import_docusaurus(const hg_import_opts *o, const char *dir, hg_import_report *r,
                          hg_error **err);

/* The mkdocs kind (import_mkdocs.c): docs_dir of an MkDocs site, ordered by
 * mkdocs.yml's nav. */
bool hg_import_mkdocs(const hg_import_opts *o, const char *dir, hg_import_report *r,
                      hg_error **err);

#endif
