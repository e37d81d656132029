/* theme.c - theme lookup, template loading, asset fingerprints. */
#include "hg_theme.h"
#include "hg_walk.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef HG_PREFIX
#define HG_PREFIX "/usr/local"
#endif

const char *const hg_theme_required[] = {
    "home.tpl", "category.tpl", "section.tpl", "article.tpl",
    "faq.tpl",  "404.tpl",      "search.tpl",  NULL};

char *hg_theme_builtin_root(void) {
  const char *env = getenv("HELPGEN_THEMES");
  if (env && *env) return hg_xstrdup(env);
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *dir = hg_path_dirname(exe);
    char *a = hg_path_join(dir, "themes");
    char *b = hg_path_join(dir, "../share/helpgen/themes");
    free(dir);
    if (hg_is_dir(a)) {
      free(b);
      return a;
    }
    free(a);
    if (hg_is_dir(b)) return b;
    free(b);
  }
  if (hg_is_dir(HG_PREFIX "/share/helpgen/themes"))
    return hg_xstrdup(HG_PREFIX "/share/helpgen/themes");
  return NULL;
}


static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file for `rel`: the site's override if present, else the built-in. */
static char *pick(const hg_theme *t, const char *rel) {
  if (t->site_dir) {
    char *p = hg_path_join(t->site_dir, rel);
    if (hg_is_file(p)) return p;
    free(p);
  }
  if (t->builtin_dir) {
    char *p = hg_path_join(t->builtin_dir, rel);
    if (hg_is_file(p)) return p;
    free(p);
  }
  return NULL;
}

static char *asset_var(const char *name) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "ASSET_");
  for (const char *p = name; *p; p++)
    hg_buf_putc(&b, isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_');
  return hg_buf_steal(&b);
}

static char *fingerprint_name(const char *name, const char *data, size_t len) {
  const char *dot = strrchr(name, '.');
  const char *slash = strrchr(name, '/');
  bool hashed = dot && (!slash || dot > slash) &&
                (!strcmp(dot, ".css") || !strcmp(dot, ".js"));
  if (!hashed) return hg_strdup_printf("assets/%s", name);
  char hex[17];
  hg_hash_hex(data, len, hex);
  hex[10] = '\0';
  return hg_strdup_printf("assets/%.*s.%s%s", (int)(dot - name), name, hex, dot);
}

hg_theme *hg_theme_load(const hg_config *cfg, hg_error **err) {
  hg_theme *t = hg_xcalloc(1, sizeof *t);
  char *root = hg_theme_builtin_root();
  if (root) {
    char *d = hg_path_join(root, cfg->theme);
    if (hg_is_dir(d))
      t->builtin_dir = d;
    else
      free(d);
    free(root);
  }
  char *sd = hg_strdup_printf("%s/themes/%s", cfg->site_dir, cfg->theme);
  if (hg_is_dir(sd))
    t->site_dir = sd;
  else
    free(sd);
  if (!t->builtin_dir && !t->site_dir) {
    hg_error_set(err, 2, cfg->config_path, 0, 0,
                 "theme '%s' not found (looked in the built-in themes and in "
                 "%s/themes/%s/)", cfg->theme, cfg->site_dir, cfg->theme);
    hg_theme_free(t);
    return NULL;
  }
  /* every file of both folders, site files replacing built-in ones */
  char **files = NULL;
  size_t n = 0;
  /* links may not leave the theme's folder (a problem stops the build) */
  hg_diags links = {0};
  bool ok = true;
  for (int k = 0; k < 2 && ok; k++) {
    const char *dir = k ? t->site_dir : t->builtin_dir;
    if (dir) ok = hg_walk_files(dir, dir, "the theme folder", cfg->follow_outside_links, &files, &n, &links, err);
  }
  if (ok && hg_diags_count(&links, HG_ERR)) {
    for (size_t i = 0; i < links.len; i++)
      if (links.items[i].sev == HG_ERR) {
        const hg_diag *d = &links.items[i];
        hg_error_set(err, 2, d->path, d->line, d->col, "%s", d->msg);
        break;
      }
    ok = false;
  }
  hg_diags_free(&links);
  if (n) qsort(files, n, sizeof *files, cmp_str);
  t->tpl = hg_tpl_new();
  for (size_t i = 0; i < n && ok; i++) {
    if (i > 0 && !strcmp(files[i], files[i - 1])) continue;
    char *src = pick(t, files[i]);
    if (!src) continue;
    char *shown = hg_str_has_prefix(src, "./") ? hg_xstrdup(src + 2) : hg_xstrdup(src);
    if (hg_str_has_suffix(files[i], ".tpl")) {
      size_t len;
      char *text = hg_read_file(src, &len, err);
      ok = text && hg_tpl_add(t->tpl, files[i], shown, text, len, err);
      free(text);
    } else if (hg_str_has_prefix(files[i], "assets/")) {
      size_t len;
      char *data = hg_read_file(src, &len, err);
      if (!data) {
        ok = false;
      } else {
        t->assets = hg_xrealloc(t->assets, (t->nassets + 1) * sizeof *t->assets);
        hg_asset *a = &t->assets[t->nassets++];
        a->name = hg_xstrdup(files[i] + 7);
        a->src = hg_xstrdup(src);
        a->out_rel = fingerprint_name(a->name, data, len);
        a->var = asset_var(a->name);
        free(data);
      }
    }
    free(shown);
    free(src);
  }
  for (size_t i = 0; ok && hg_theme_required[i]; i++)
    if (!hg_tpl_has(t->tpl, hg_theme_required[i])) {
      hg_error_set(err, 2, NULL, 0, 0,
                   "theme '%s' has no template %s (looked in %s%s%s); add the file",
                   cfg->theme, hg_theme_required[i],
                   t->site_dir ? t->site_dir : "", t->site_dir && t->builtin_dir ? " and " : "",
                   t->builtin_dir ? t->builtin_dir : "");
      ok = false;
    }
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
  if (!ok) {
    if (err && *err) (*err)->code = 2;
    hg_theme_free(t);
    return NULL;
  }
  hg_tpl_freeze(t->tpl);
  return t;
}

void hg_theme_free(hg_theme *t) {
  if (!t) return;
  hg_tpl_free(t->tpl);
  for (size_t i = 0; i < t->nassets; i++) {
    free(t->assets[i].name);
    free(t->assets[i].src);
    free(t->assets[i].out_rel);
    free(t->assets[i].var);
  }
  free(t->assets);
  free(t->builtin_dir);
  free(t->site_dir);
  free(t);
}
