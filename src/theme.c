/* theme.c - theme lookup, template loading, asset fingerprints. */
#include "hg_theme.h"
#include "hg_walk.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
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

/* icons/NAME.svg: its markup from "<svg" to the end, newlines as spaces
 * (an XML declaration or comment before it is dropped). Files are read in
 * name order, so the names stay sorted. */
static bool add_icon(hg_theme *t, const char *file, const char *src, hg_error **err) {
  size_t len;
  char *data = hg_theme_read(src, &len, err);
  if (!data) return false;
  const char *svg = strstr(data, "<svg");
  const char *end = svg ? strstr(svg, "</svg>") : NULL;
  if (!svg || !end) {
    hg_error_set(err, 2, src, 1, 1, "an icon must be an SVG file (<svg ...>...</svg>)");
    free(data);
    return false;
  }
  char *markup = hg_xstrndup(svg, (size_t)(end + 6 - svg));
  for (char *q = markup; *q; q++)
    if (*q == '\n' || *q == '\r' || *q == '\t') *q = ' ';
  free(data);
  t->icon_names = hg_xrealloc(t->icon_names, (t->nicons + 1) * sizeof *t->icon_names);
  t->icon_svgs = hg_xrealloc(t->icon_svgs, (t->nicons + 1) * sizeof *t->icon_svgs);
  t->icon_names[t->nicons] = hg_xstrndup(file, strlen(file) - 4);
  t->icon_svgs[t->nicons++] = markup;
  return true;
}

const char *hg_theme_icon(const hg_theme *t, const char *name) {
  if (!t || !name) return NULL;
  size_t lo = 0, hi = t->nicons;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(name, t->icon_names[mid]);
    if (!c) return t->icon_svgs[mid];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
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
  /* links may not leave the theme's folder (a problem stops the build) */
  hg_diags links = {0};
  bool ok = true;
  for (int k = 0; k < 2 && ok; k++) {
    const char *dir = k ? t->site_dir : t->builtin_dir;
    if (!dir) continue;
    if (hg_str_has_prefix(dir, HG_THEME_BUILTIN)) /* compiled in */
      hg_theme_list_files(dir, &files, &n);
    else
      ok = hg_walk_files(dir, dir, "the theme folder", cfg->follow_outside_links, &files, &n,
                         &links, err);
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
      char *text = hg_theme_read(src, &len, err);
      ok = text && hg_tpl_add(t->tpl, files[i], shown, text, len, err);
      free(text);
    } else if (hg_str_has_prefix(files[i], "icons/") && hg_str_has_suffix(files[i], ".svg") &&
               !strchr(files[i] + 6, '/')) {
      ok = add_icon(t, files[i] + 6, src, err);
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
  free(t->brand_css);
  for (size_t i = 0; i < t->nicons; i++) {
    free(t->icon_names[i]);
    free(t->icon_svgs[i]);
  }
  free(t->icon_names);
  free(t->icon_svgs);
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

/* ---- colours -------------------------------------------------------------------- */

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool hg_color_parse(const char *s, hg_rgb *out) {
  size_t n = s ? strlen(s) : 0;
  if (n < 4 || s[0] != '#' || (n != 4 && n != 7)) return false;
  int v[6];
  for (int i = 0; i < 6; i++) {
    v[i] = hexval(n == 7 ? s[1 + i] : s[1 + i / 2]);
    if (v[i] < 0) return false;
  }
  out->r = (unsigned char)(v[0] * 16 + v[1]);
  out->g = (unsigned char)(v[2] * 16 + v[3]);
  out->b = (unsigned char)(v[4] * 16 + v[5]);
  return true;
}

void hg_color_hex(hg_rgb c, char out[8]) { snprintf(out, 8, "#%02x%02x%02x", c.r, c.g, c.b); }

static double linear(unsigned char v) {
  double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double hg_color_luminance(hg_rgb c) {
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double hg_color_contrast(hg_rgb a, hg_rgb b) {
  double la = hg_color_luminance(a), lb = hg_color_luminance(b);
  return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

hg_rgb hg_color_mix(hg_rgb a, hg_rgb b, double t) {
  hg_rgb m = {(unsigned char)lround(a.r * t + b.r * (1 - t)),
              (unsigned char)lround(a.g * t + b.g * (1 - t)),
              (unsigned char)lround(a.b * t + b.b * (1 - t))};
  return m;
}

typedef struct {
  double h, s, l; /* hue 0..6 (sixths of the circle), saturation and lightness 0..1 */
} hsl;

static hsl to_hsl(hg_rgb c) {
  double r = c.r / 255.0, g = c.g / 255.0, b = c.b / 255.0;
  double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
  hsl o = {0, 0, (mx + mn) / 2};
  if (d > 0) {
    o.s = o.l > 0.5 ? d / (2 - mx - mn) : d / (mx + mn);
    if (mx == r) o.h = fmod((g - b) / d + 6, 6);
    else if (mx == g) o.h = (b - r) / d + 2;
    else o.h = (r - g) / d + 4;
  }
  return o;
}

static unsigned char channel(double v) {
  long x = lround(v * 255);
  return (unsigned char)(x < 0 ? 0 : x > 255 ? 255 : x);
}

static hg_rgb from_hsl(hsl c) {
  double ch = (1 - fabs(2 * c.l - 1)) * c.s, x = ch * (1 - fabs(fmod(c.h, 2) - 1)), m = c.l - ch / 2;
  double r = 0, g = 0, b = 0;
  switch ((int)c.h % 6) {
  case 0: r = ch, g = x; break;
  case 1: r = x, g = ch; break;
  case 2: g = ch, b = x; break;
  case 3: g = x, b = ch; break;
  case 4: r = x, b = ch; break;
  default: r = ch, b = x; break;
  }
  hg_rgb o = {channel(r + m), channel(g + m), channel(b + m)};
  return o;
}

static bool passes(hg_rgb c, const hg_rgb *bg, size_t nbg, double min) {
  for (size_t i = 0; i < nbg; i++)
    if (hg_color_contrast(c, bg[i]) < min) return false;
  return true;
}

/* The lightness between from (failing) and to (passing) closest to from
 * that passes, by bisection; the result, rounded to 8 bits, passes. */
static bool search_shade(hsl c, double to, const hg_rgb *bg, size_t nbg, double min, hg_rgb *out) {
  hsl t = c;
  t.l = to;
  if (!passes(from_hsl(t), bg, nbg, min)) return false;
  double fail = c.l, pass = to;
  for (int i = 0; i < 40; i++) {
    t.l = (fail + pass) / 2;
    if (passes(from_hsl(t), bg, nbg, min)) pass = t.l;
    else fail = t.l;
  }
  t.l = pass;
  *out = from_hsl(t);
  return true;
}

hg_rgb hg_color_nearest_passing(hg_rgb c, const hg_rgb *bg, size_t nbg, double min) {
  if (passes(c, bg, nbg, min)) return c;
  hsl h = to_hsl(c);
  hg_rgb dark, light;
  bool d = search_shade(h, 0, bg, nbg, min, &dark), l = search_shade(h, 1, bg, nbg, min, &light);
  if (d && l) {
    hsl hd = to_hsl(dark), hl = to_hsl(light);
    return h.l - hd.l <= hl.l - h.l ? dark : light;
  }
  if (d) return dark;
  if (l) return light;
  hg_rgb black = {0, 0, 0}, white = {255, 255, 255};
  return passes(black, bg, nbg, 0) && hg_color_contrast(black, bg[0]) >= hg_color_contrast(white, bg[0])
             ? black
             : white;
}

/* ---- brand ---------------------------------------------------------------------- */

/* The colour of custom property `name` ("--bg") in css[from, to): the first
 * "name:" followed by a hex colour; false if none. */
static bool css_var(const char *css, size_t from, size_t to, const char *name, hg_rgb *out) {
  size_t nl = strlen(name);
  for (size_t i = from; i + nl < to; i++) {
    if (strncmp(css + i, name, nl) || css[i + nl] != ':') continue;
    const char *p = css + i + nl + 1;
    while (*p == ' ') p++;
    char hex[8] = "";
    size_t k = 0;
    while (k < 7 && (p[k] == '#' || hexval(p[k]) >= 0)) k++;
    if (k != 4 && k != 7) return false;
    memcpy(hex, p, k);
    return hg_color_parse(hex, out);
  }
  return false;
}

/* The light and dark backgrounds (--bg, --surface) of the theme's style.css;
 * *ndark is 0 when it has no dark scheme (or no readable colours). */
static void theme_backgrounds(const hg_theme *t, hg_rgb light[2], size_t *nlight, hg_rgb dark[2],
                              size_t *ndark) {
  *nlight = *ndark = 0;
  const char *src = NULL;
  for (size_t i = 0; i < t->nassets; i++)
    if (!strcmp(t->assets[i].name, "style.css")) src = t->assets[i].src;
  size_t len = 0;
  char *css = src ? hg_theme_read(src, &len, NULL) : NULL;
  if (!css) {
    light[(*nlight)++] = (hg_rgb){255, 255, 255};
    return;
  }
  const char *dm = strstr(css, "prefers-color-scheme: dark");
  if (!dm) dm = strstr(css, "prefers-color-scheme:dark");
  size_t split = dm ? (size_t)(dm - css) : len;
  const char *names[] = {"--bg", "--surface"};
  for (int k = 0; k < 2; k++) {
    if (css_var(css, 0, split, names[k], &light[*nlight])) (*nlight)++;
    if (dm && css_var(css, split, len, names[k], &dark[*ndark])) (*ndark)++;
  }
  if (!*nlight) light[(*nlight)++] = (hg_rgb){255, 255, 255};
  free(css);
}

/* Warns when c is under AA against bg, naming the worst background and the
 * nearest shade that passes. */
static void check_contrast(const hg_config *cfg, const char *key, hg_rgb c, const hg_rgb *bg,
                           size_t nbg, const char *scheme, hg_diags *diags) {
  size_t worst = 0;
  for (size_t i = 1; i < nbg; i++)
    if (hg_color_contrast(c, bg[i]) < hg_color_contrast(c, bg[worst])) worst = i;
  double ratio = hg_color_contrast(c, bg[worst]);
  if (ratio >= 4.5) return;
  char have[8], on[8], fix[8];
  hg_color_hex(c, have);
  hg_color_hex(bg[worst], on);
  hg_color_hex(hg_color_nearest_passing(c, bg, nbg, 4.5), fix);
  const hg_value *v = hg_value_get(hg_value_get(cfg->root, "brand"), key);
  hg_diags_add(diags, HG_WARN, cfg->config_path, v ? v->line : 0, v ? v->col : 0,
               "brand.%s %s has a contrast of %.2f:1 on the theme's %s background %s; WCAG AA "
               "needs 4.5:1 for links and text: the nearest shade that passes is \"%s\"",
               key, have, floor(ratio * 100) / 100, scheme, on, fix);
}

/* --accent, --on-accent (the better of the scheme's text and background
 * colours on the accent) and --soft (the accent faintly over the
 * background) for one scheme. */
static void scheme_css(hg_buf *b, hg_rgb accent, const hg_rgb *bg) {
  hg_rgb white = {255, 255, 255}, ink = {11, 19, 32};
  hg_rgb on = hg_color_contrast(white, accent) >= hg_color_contrast(ink, accent) ? white : ink;
  bool dark = hg_color_luminance(bg[0]) < 0.2;
  hg_rgb soft = hg_color_mix(accent, bg[0], dark ? 0.18 : 0.1);
  char a[8], o[8], s[8];
  hg_color_hex(accent, a);
  hg_color_hex(on, o);
  hg_color_hex(soft, s);
  hg_buf_printf(b, ":root{--accent:%s;--on-accent:%s;--soft:%s}", a, o, s);
}

void hg_theme_apply_brand(hg_theme *t, const hg_config *cfg, hg_diags *diags) {
  hg_rgb color, dark_color;
  if (!cfg->brand_color || !hg_color_parse(cfg->brand_color, &color)) return;
  hg_rgb light[2], dark[2];
  size_t nlight, ndark;
  theme_backgrounds(t, light, &nlight, dark, &ndark);
  check_contrast(cfg, "color", color, light, nlight, "light", diags);
  hg_buf b = HG_BUF_INIT;
  /* screen only: print keeps the theme's black links */
  hg_buf_puts(&b, "@media screen{");
  scheme_css(&b, color, light);
  hg_buf_puts(&b, "}");
  if (ndark) {
    if (cfg->brand_dark_color && hg_color_parse(cfg->brand_dark_color, &dark_color))
      check_contrast(cfg, "dark_color", dark_color, dark, ndark, "dark", diags);
    else
      dark_color = hg_color_nearest_passing(color, dark, ndark, 4.5);
    hg_buf_puts(&b, "@media screen and (prefers-color-scheme:dark){");
    scheme_css(&b, dark_color, dark);
    hg_buf_puts(&b, "}");
  }
  free(t->brand_css);
  t->brand_css = hg_buf_steal(&b);
}
