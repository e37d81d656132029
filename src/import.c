/* import.c - `helpgen import`: the output folder, the report, the kinds. */
#include "hg_import.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the report ------------------------------------------------------------- */

void hg_import_note_add(hg_import_report *r, const char *path, int line, const char *todo,
                        const char *fmt, ...) {
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    r->v = hg_xrealloc(r->v, r->cap * sizeof *r->v);
  }
  hg_import_note *n = &r->v[r->n++];
  n->path = hg_xstrdup(path ? path : "");
  n->line = line;
  hg_buf b = HG_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  hg_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  n->what = hg_buf_steal(&b);
  n->todo = hg_xstrdup(todo ? todo : "");
}

void hg_import_report_free(hg_import_report *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->v[i].path);
    free(r->v[i].what);
    free(r->v[i].todo);
  }
  free(r->v);
  memset(r, 0, sizeof *r);
}

static int note_cmp(const void *x, const void *y) {
  const hg_import_note *a = x, *b = y;
  int c = strcmp(a->path, b->path);
  if (c) return c;
  return (a->line > b->line) - (a->line < b->line);
}

/* Sorted by path and line; a stable sort keeps a line's notes in order. */
static hg_import_note **sorted(const hg_import_report *r) {
  hg_import_note **v = hg_xcalloc(r->n ? r->n : 1, sizeof *v);
  for (size_t i = 0; i < r->n; i++) v[i] = &r->v[i];
  for (size_t i = 1; i < r->n; i++) /* insertion sort: stable, notes are few */
    for (size_t j = i; j > 0 && note_cmp(v[j - 1], v[j]) > 0; j--) {
      hg_import_note *t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return v;
}

char *hg_import_report_text(const hg_import_report *r) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b,
                "# helpgen import: %zu articles, %zu folders, %zu files, %zu language%s; "
                "%zu thing%s not carried over as they were (below, as source:line: what; "
                "what to do)\n",
                r->articles, r->folders, r->files, r->languages, r->languages == 1 ? "" : "s",
                r->n, r->n == 1 ? "" : "s");
  hg_import_note **v = sorted(r);
  for (size_t i = 0; i < r->n; i++) {
    if (v[i]->line) hg_buf_printf(&b, "%s:%d: %s", v[i]->path, v[i]->line, v[i]->what);
    else hg_buf_printf(&b, "%s: %s", v[i]->path, v[i]->what);
    if (*v[i]->todo) hg_buf_printf(&b, "; %s", v[i]->todo);
    hg_buf_putc(&b, '\n');
  }
  free(v);
  return hg_buf_steal(&b);
}

static void put_json(hg_buf *b, const char *s) {
  if (!hg_buf_put_json(b, s)) hg_buf_puts(b, "\"\"");
}

char *hg_import_report_json(const hg_import_report *r) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b,
                "{\"summary\": {\"articles\": %zu, \"folders\": %zu, \"files\": %zu, "
                "\"languages\": %zu, \"notes\": %zu},\n \"notes\": [",
                r->articles, r->folders, r->files, r->languages, r->n);
  hg_import_note **v = sorted(r);
  for (size_t i = 0; i < r->n; i++) {
    hg_buf_puts(&b, i ? ",\n  {\"path\": " : "\n  {\"path\": ");
    put_json(&b, v[i]->path);
    hg_buf_printf(&b, ", \"line\": %d, \"what\": ", v[i]->line);
    put_json(&b, v[i]->what);
    hg_buf_puts(&b, ", \"todo\": ");
    put_json(&b, v[i]->todo);
    hg_buf_putc(&b, '}');
  }
  free(v);
  hg_buf_puts(&b, r->n ? "\n ]}\n" : "]}\n");
  return hg_buf_steal(&b);
}

void hg_import_put_yaml_str(hg_buf *b, const char *s) {
  if (!hg_buf_put_json(b, s ? s : "")) hg_buf_puts(b, "\"\"");
}

/* ---- the output folder -------------------------------------------------------- */

/* 1: missing, 0: an empty folder, -1: not empty or not a folder. */
static int out_state(const char *dir) {
  struct stat st;
  if (stat(dir, &st) != 0) return errno == ENOENT ? 1 : -1;
  if (!S_ISDIR(st.st_mode)) return -1;
  DIR *d = opendir(dir);
  if (!d) return -1;
  struct dirent *e;
  int state = 0;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      state = -1;
      break;
    }
  closedir(d);
  return state;
}

/* Moves every entry of `from` into the (empty) folder `to`, then removes
 * `from`. */
static bool move_entries(const char *from, const char *to, hg_error **err) {
  DIR *d = opendir(from);
  if (!d) {
    hg_error_set(err, 1, from, 0, 0, "cannot read folder: %s", strerror(errno));
    return false;
  }
  struct dirent *e;
  bool ok = true;
  while (ok && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *a = hg_path_join(from, e->d_name), *b = hg_path_join(to, e->d_name);
    if (rename(a, b) != 0) {
      hg_error_set(err, 1, b, 0, 0, "cannot move the imported site here: %s", strerror(errno));
      ok = false;
    }
    free(a);
    free(b);
  }
  closedir(d);
  if (ok) rmdir(from);
  return ok;
}

static bool write_str(const char *dir, const char *name, const char *text, hg_error **err) {
  char *p = hg_path_join(dir, name);
  bool ok = hg_write_file(p, text, strlen(text), err);
  free(p);
  return ok;
}

int hg_import_run(const hg_import_opts *o) {
  const char *out = o->out_dir ? o->out_dir : ".";
  bool jekyll = !strcmp(o->kind, "jekyll");
  bool (*tree_kind)(const hg_import_opts *, const char *, hg_import_report *, hg_error **) =
      jekyll                            ? hg_import_tree
      : !strcmp(o->kind, "obsidian")    ? hg_import_obsidian
      : !strcmp(o->kind, "docusaurus")  ? hg_import_docusaurus
      : !strcmp(o->kind, "mkdocs")      ? hg_import_mkdocs
                                        : NULL;
  if (strcmp(o->kind, "zendesk") && !tree_kind) {
    fprintf(stderr, "helpgen import: unknown kind '%s' (zendesk, jekyll, obsidian, docusaurus or mkdocs)\n", o->kind);
    return 2;
  }
  if (tree_kind && (o->lang || o->raw_html)) {
    fprintf(stderr, "helpgen import %s: --lang and --raw-html are for zendesk exports\n", o->kind);
    return 2;
  }
  if (!hg_is_dir(o->source)) {
    fprintf(stderr, "%s: error: no such folder (give the folder that holds the export)\n",
            o->source);
    return 1;
  }
  int st = out_state(out);
  if (st < 0) {
    fprintf(stderr,
            "%s: error: not an empty folder; helpgen import writes a new site and never "
            "into existing files (give -o a new or empty folder)\n", out);
    return 2;
  }
  hg_error *err = NULL;
  if (st == 1 && !hg_mkdir_p(out, &err)) {
    char *m = hg_error_format(err);
    fprintf(stderr, "%s\n", m);
    free(m);
    hg_error_free(err);
    return 2;
  }
  /* the site is written beside OUT first, so a failed import leaves OUT empty */
  char *parent = hg_path_dirname(out);
  char *tmpl = hg_strdup_printf("%s/.helpgen-import-XXXXXX", *parent ? parent : ".");
  free(parent);
  if (!mkdtemp(tmpl)) {
    fprintf(stderr, "%s: error: cannot create a folder beside it: %s\n", out, strerror(errno));
    free(tmpl);
    return 2;
  }
  hg_import_report r = {0};
  bool ok = tree_kind ? tree_kind(o, tmpl, &r, &err) : hg_import_zendesk(o, tmpl, &r, &err);
  if (ok) {
    char *text = hg_import_report_text(&r);
    ok = write_str(tmpl, "import-report.txt", text, &err);
    free(text);
  }
  if (ok && o->json) {
    char *json = hg_import_report_json(&r);
    ok = write_str(tmpl, "import-report.json", json, &err);
    free(json);
  }
  if (ok) ok = move_entries(tmpl, out, &err);
  if (!ok) {
    char *m = err ? hg_error_format(err) : hg_xstrdup("helpgen import: failed");
    fprintf(stderr, "%s\n", m);
    free(m);
    int code = err ? err->code : 1;
    hg_error_free(err);
    hg_rm_rf(tmpl);
    free(tmpl);
    hg_import_report_free(&r);
    return code;
  }
  if (o->log)
    fprintf(o->log,
            "helpgen: imported %zu article%s, %zu folder%s and %zu file%s in %zu language%s into "
            "%s; %zu note%s in %s/import-report.txt\n",
            r.articles, r.articles == 1 ? "" : "s", r.folders, r.folders == 1 ? "" : "s", r.files,
            r.files == 1 ? "" : "s", r.languages, r.languages == 1 ? "" : "s", out, r.n,
            r.n == 1 ? "" : "s", out);
  free(tmpl);
  hg_import_report_free(&r);
  return 0;
}
