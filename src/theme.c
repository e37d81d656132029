/* theme.c - theme lookup, template loading, asset fingerprints. */
#include "hg_theme.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hg_value.h"

#ifndef HG_PREFIX
#define HG_PREFIX "/usr/local"
#endif

const char *const hg_theme_required[] = {
    "home.tpl", "category.tpl", "section.tpl", "article.tpl",
    "faq.tpl",  "404.tpl",      "search.tpl",  NULL};

/* The first existing folder of on-disk themes (see the header). */
static char *disk_root(hg_buf *tried, const char *name) {
  const char *env = getenv("HELPGEN_THEMES");
  if (env && *env) return hg_xstrdup(env);
  char *cands[3] = {NULL, NULL, hg_xstrdup(HG_PREFIX "/share/helpgen/themes")};
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *dir = hg_path_dirname(exe);
    cands[0] = hg_path_join(dir, "themes");
    cands[1] = hg_path_join(dir, "../share/helpgen/themes");
    free(dir);
  }
  char *found = NULL;
  for (int i = 0; i < 3; i++) {
    if (!cands[i]) continue;
    if (tried) {
      char *d = hg_path_join(cands[i], name);
      char *norm = hg_path_normalize(d);
      hg_buf_printf(tried, "  - %s%s/\n", norm && d[0] == '/' ? "/" : "", norm ? norm : d);
      free(norm);
      free(d);
      char *sub = hg_path_join(cands[i], name);
      if (hg_is_dir(sub)) found = found ? found : hg_xstrdup(cands[i]);
      free(sub);
    } else if (!found && hg_is_dir(cands[i])) {
      found = hg_xstrdup(cands[i]);
    }
    free(cands[i]);
  }
  return found;
}

char *hg_theme_builtin_root(void) { return disk_root(NULL, NULL); }

static int cmp_file(const void *key, const void *elem) {
  return strcmp(key, ((const hg_theme_file *)elem)->path);
}

const hg_theme_file *hg_theme_embedded_get(const char *path) {
  if (!hg_str_has_prefix(path, HG_THEME_BUILTIN)) return NULL;
  return bsearch(path + strlen(HG_THEME_BUILTIN), hg_theme_embedded, hg_theme_nembedded,
                 sizeof *hg_theme_embedded, cmp_file);
}

/* Whether a compiled-in theme `name` exists (any file under "name/"). */
static bool embedded_has(const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < hg_theme_nembedded; i++)
    if (!strncmp(hg_theme_embedded[i].path, name, n) && hg_theme_embedded[i].path[n] == '/')
      return true;
  return false;
}

char *hg_theme_builtin_dir(const char *name, hg_buf *tried) {
  const char *env = getenv("HELPGEN_THEMES");
  if (env && *env) {
    char *d = hg_path_join(env, name);
    if (tried) hg_buf_printf(tried, "  - %s/ ($HELPGEN_THEMES)\n", d);
    if (hg_is_dir(d)) return d;
    free(d);
  }
  if (tried) hg_buf_printf(tried, "  - the themes built into helpgen (%s)\n", "default");
  if (embedded_has(name)) return hg_strdup_printf(HG_THEME_BUILTIN "%s", name);
  if (env && *env) return NULL;
  char *root = disk_root(tried, name);
  if (!root) return NULL;
  char *d = hg_path_join(root, name);
  free(root);
  if (hg_is_dir(d)) return d;
  free(d);
  return NULL;
}

bool hg_theme_is_file(const char *path) {
  if (hg_str_has_prefix(path, HG_THEME_BUILTIN)) return hg_theme_embedded_get(path) != NULL;
  return hg_is_file(path);
}

char *hg_theme_read(const char *path, size_t *len, hg_error **err) {
  if (!hg_str_has_prefix(path, HG_THEME_BUILTIN)) return hg_read_file(path, len, err);
  const hg_theme_file *f = hg_theme_embedded_get(path);
  if (!f) {
    hg_error_set(err, 1, path, 0, 0, "no such file in the built-in themes");
    return NULL;
  }
  if (len) *len = f->len;
  char *copy = hg_xmalloc(f->len + 1);
  memcpy(copy, f->data, f->len + 1);
  return copy;
}

void hg_theme_list_files(const char *dir, char ***out, size_t *n) {
  if (!hg_str_has_prefix(dir, HG_THEME_BUILTIN)) {
    hg_list_files(dir, out, n);
    return;
  }
  const char *name = dir + strlen(HG_THEME_BUILTIN);
  size_t nl = strlen(name);
  for (size_t i = 0; i < hg_theme_nembedded; i++) {
    const char *p = hg_theme_embedded[i].path;
    if (strncmp(p, name, nl) || p[nl] != '/') continue;
    *out = hg_xrealloc(*out, (*n + 1) * sizeof **out);
    (*out)[(*n)++] = hg_xstrdup(p + nl + 1);
  }
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
    if (hg_theme_is_file(p)) return p;
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
  hg_buf tried = HG_BUF_INIT;
  t->builtin_dir = hg_theme_builtin_dir(cfg->theme, &tried);
  char *sd = hg_strdup_printf("%s/themes/%s", cfg->site_dir, cfg->theme);
  hg_buf_printf(&tried, "  - %s/ (the site's own)\n", sd);
  if (hg_is_dir(sd))
    t->site_dir = sd;
  else
    free(sd);
  if (!t->builtin_dir && !t->site_dir) {
    const hg_value *tv = cfg->root ? hg_value_get(cfg->root, "theme") : NULL;
    hg_error_set(err, 2, cfg->config_path, tv ? tv->line : 0, tv ? tv->col : 0,
                 "theme '%s' not found; looked in:\n%s"
                 "put the theme in the site's themes/%s/, or set theme: default",
                 cfg->theme, tried.data, cfg->theme);
    hg_buf_free(&tried);
    hg_theme_free(t);
    return NULL;
  }
  hg_buf_free(&tried);
  /* every file of both folders, site files replacing built-in ones */
  char **files = NULL;
  size_t n = 0;
  if (t->builtin_dir) hg_theme_list_files(t->builtin_dir, &files, &n);
  if (t->site_dir) hg_list_files(t->site_dir, &files, &n);
  if (n) qsort(files, n, sizeof *files, cmp_str);
  t->tpl = hg_tpl_new();
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++) {
    if (i > 0 && !strcmp(files[i], files[i - 1])) continue;
    char *src = pick(t, files[i]);
    if (!src) continue;
    char *shown = hg_str_has_prefix(src, "./") ? hg_xstrdup(src + 2) : hg_xstrdup(src);
    if (hg_str_has_suffix(files[i], ".tpl")) {
      size_t len;
      char *text = hg_theme_read(src, &len, err);
      ok = text && hg_tpl_add(t->tpl, files[i], shown, text, len, err);
      free(text);
    } else if (hg_str_has_prefix(files[i], "assets/")) {
      size_t len;
      char *data = hg_theme_read(src, &len, err);
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

long hg_theme_export(const char *name, const char *dir, bool force, hg_error **err) {
  hg_buf tried = HG_BUF_INIT;
  char *src = hg_theme_builtin_dir(name, &tried);
  if (!src) {
    hg_error_set(err, 2, NULL, 0, 0, "no built-in theme '%s'; looked in:\n%s", name,
                 tried.data ? tried.data : "");
    hg_buf_free(&tried);
    return -1;
  }
  hg_buf_free(&tried);
  char **files = NULL;
  size_t n = 0;
  hg_theme_list_files(src, &files, &n);
  if (n) qsort(files, n, sizeof *files, cmp_str);
  long written = 0;
  for (size_t i = 0; i < n && written >= 0 && !force; i++) {
    char *dst = hg_path_join(dir, files[i]);
    if (hg_is_file(dst)) {
      hg_error_set(err, 1, NULL, 0, 0,
                   "%s already exists: nothing written (export into an empty folder, or add "
                   "--force to replace the built-in theme's files there)", dst);
      written = -1;
    }
    free(dst);
  }
  for (size_t i = 0; i < n && written >= 0; i++) {
    char *from = hg_path_join(src, files[i]);
    char *dst = hg_path_join(dir, files[i]);
    size_t len;
    char *data = hg_theme_read(from, &len, err);
    if (data && hg_write_file(dst, data, len, err)) written++;
    else written = -1;
    free(data);
    free(from);
    free(dst);
  }
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
  free(src);
  return written;
}
