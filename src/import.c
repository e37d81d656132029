/* import.c - `helpgen import`: the output folder and the kinds (their shared report and helpers are in import_common.c). */
#include "hg_import.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
