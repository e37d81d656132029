/* content.c - stage 2: the content/ folder into folders and articles with
 * typed front matter; the result to and from a binary record for the build
 * cache. */
#include "hg_content.h"
#include "hg_markdown.h"
#include "hg_walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_MAX_FILE HG_MAX_ARTICLE_BYTES /* a help article is rarely over 100 kB */
#define WALK_DEPTH HG_WALK_MAX_DEPTH /* folders deeper than this are an error */

static char *display_path(const char *p) {
  while (p[0] == '.' && p[1] == '/') p += 2;
  return hg_xstrdup(p);
}

/* Length of a file name without its .md or .markdown extension. */
static size_t stem_len(const char *base) {
  size_t l = strlen(base);
  if (l > 3 && hg_str_has_suffix(base, ".md")) return l - 3;
  if (l > 9 && hg_str_has_suffix(base, ".markdown")) return l - 9;
  return l;
}

/* ---- front matter fields ------------------------------------------------ */
typedef struct {
  const char *path;
  hg_diags *d;
  bool failed;
} fm_ctx;

static void fm_error(fm_ctx *c, const hg_value *v, const char *fmt, const char *a,
                     const char *b) {
  hg_diags_add(c->d, HG_ERR, c->path, v ? v->line : 0, v ? v->col : 0, fmt, a, b);
  c->failed = true;
}

static char *fm_string(fm_ctx *c, const hg_value *meta, const char *key) {
  hg_value *v = hg_value_get(meta, key);
  if (!v || v->type == HG_V_NULL) return NULL;
  const char *s = hg_value_str(v);
  if (!s) {
    fm_error(c, v, "front matter: '%s' should be a string, found a %s", key,
             hg_value_type_name(v->type));
    return NULL;
  }
  return hg_xstrdup(s);
}

static long fm_int(fm_ctx *c, const hg_value *meta, const char *key) {
  hg_value *v = hg_value_get(meta, key);
  if (!v || v->type == HG_V_NULL) return 0;
  if (v->type != HG_V_INT) {
    hg_diags_add(c->d, HG_WARN, c->path, v->line, v->col,
                 "front matter: '%s' should be a whole number, found '%s' (using 0)",
                 key, v->str ? v->str : hg_value_type_name(v->type));
    return 0;
  }
  return (long)v->i;
}

static bool fm_bool(fm_ctx *c, const hg_value *meta, const char *key) {
  hg_value *v = hg_value_get(meta, key);
  if (!v || v->type == HG_V_NULL) return false;
  if (v->type != HG_V_BOOL) {
    hg_diags_add(c->d, HG_WARN, c->path, v->line, v->col,
                 "front matter: '%s' should be true or false, found '%s'", key,
                 v->str ? v->str : hg_value_type_name(v->type));
    return false;
  }
  return v->b;
}

static bool valid_date(const char *s) {
  int y, m, d;
  char tail;
  if (strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3)
    return false;
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= mdays[m - 1] &&
         !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0));
}

static char *fm_date(fm_ctx *c, const hg_value *meta, const char *key) {
  hg_value *v = hg_value_get(meta, key);
  if (!v || v->type == HG_V_NULL) return NULL;
  const char *s = hg_value_str(v);
  if (!s || !valid_date(s)) {
    hg_diags_add(c->d, HG_WARN, c->path, v->line, v->col,
                 "front matter: '%s' should be a date like 2026-03-31, found '%s' "
                 "(ignored)", key, s ? s : hg_value_type_name(v->type));
    return NULL;
  }
  return hg_xstrndup(s, 10);
}

/* A list of strings; a scalar is split on commas ("a, b" or "a"). */
static char **fm_list(fm_ctx *c, const hg_value *meta, const char *key, size_t *n) {
  *n = 0;
  hg_value *v = hg_value_get(meta, key);
  if (!v || v->type == HG_V_NULL) return NULL;
  char **out = NULL;
  if (v->type == HG_V_LIST) {
    out = hg_xcalloc(v->len, sizeof *out);
    for (size_t i = 0; i < v->len; i++) {
      const char *s = hg_value_str(v->items[i]);
      if (!s) {
        hg_diags_add(c->d, HG_WARN, c->path, v->items[i]->line, v->items[i]->col,
                     "front matter: items of '%s' should be strings (one skipped)", key);
        continue;
      }
      out[(*n)++] = hg_xstrdup(s);
    }
    return out;
  }
  const char *s = hg_value_str(v);
  if (!s) {
    hg_diags_add(c->d, HG_WARN, c->path, v->line, v->col,
                 "front matter: '%s' should be a list, found a %s (ignored)", key,
                 hg_value_type_name(v->type));
    return NULL;
  }
  size_t cap = 1;
  for (const char *p = s; *p; p++) cap += *p == ',';
  out = hg_xcalloc(cap, sizeof *out);
  const char *p = s;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    while (l && (*p == ' ' || *p == '\t')) p++, l--;
    while (l && (p[l - 1] == ' ' || p[l - 1] == '\t')) l--;
    if (l) out[(*n)++] = hg_xstrndup(p, l);
    p = e ? e + 1 : p + strlen(p);
  }
  return out;
}

static void free_list(char **l, size_t n) {
  for (size_t i = 0; i < n; i++) free(l[i]);
  free(l);
}

/* ---- splitting a file --------------------------------------------------- */
static int line_of(const char *text, size_t off) {
  int line = 1;
  for (size_t i = 0; i < off; i++) line += text[i] == '\n';
  return line;
}

/* Normalizes the text in place: drops a BOM, turns CRLF (and lone CR) into
 * LF. Returns the new length; *had_crlf tells whether anything changed. */
static size_t normalize_newlines(char *t, size_t len, bool *had_crlf) {
  size_t r = 0, w = 0;
  if (len >= 3 && (unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBB &&
      (unsigned char)t[2] == 0xBF)
    r = 3;
  *had_crlf = false;
  for (; r < len; r++) {
    if (t[r] == '\r') {
      *had_crlf = true;
      t[w++] = '\n';
      if (r + 1 < len && t[r + 1] == '\n') r++;
    } else {
      t[w++] = t[r];
    }
  }
  t[w] = '\0';
  return w;
}

/* Is the line at p (up to its '\n') made of exactly `n` dashes (n=0: 3 dots)
 * followed by optional spaces? */
static bool is_fence_line(const char *p, const char *end, const char *fence) {
  size_t n = strlen(fence);
  if ((size_t)(end - p) < n || memcmp(p, fence, n) != 0) return false;
  p += n;
  while (p < end && (*p == ' ' || *p == '\t')) p++;
  return p == end || *p == '\n';
}

bool hg_article_parse(hg_article *a, char *text, size_t len, hg_diags *diags) {
  bool crlf;
  size_t bad;
  if (!hg_utf8_valid(text, len, &bad)) {
    int line = line_of(text, bad);
    size_t ls = bad;
    while (ls > 0 && text[ls - 1] != '\n') ls--;
    hg_diags_add(diags, HG_ERR, a->path, line, (int)(bad - ls) + 1,
                 "not valid UTF-8 (byte 0x%02X); save the file as UTF-8",
                 (unsigned char)text[bad]);
    a->failed = true;
    return false;
  }
  len = normalize_newlines(text, len, &crlf);
  if (crlf)
    hg_diags_add(diags, HG_WARN, a->path, 1, 0,
                 "CRLF line endings (read as LF; save the file with LF endings)");
  const char *end = text + len;
  const char *body = text;
  int body_line = 0;
  a->meta = NULL;
  bool fence3 = is_fence_line(text, end, "---");
  bool fence2 = !fence3 && is_fence_line(text, end, "--");
  if (fence3 || fence2) {
    const char *fm = strchr(text, '\n');
    fm = fm ? fm + 1 : end;
    const char *p = fm, *close = NULL;
    while (p < end) {
      const char *nl = memchr(p, '\n', (size_t)(end - p));
      if (is_fence_line(p, end, "---") || is_fence_line(p, end, "...")) {
        close = p;
        break;
      }
      p = nl ? nl + 1 : end;
    }
    if (!close) {
      if (fence3) {
        hg_diags_add(diags, HG_ERR, a->path, 1, 1,
                     "front matter opened here is never closed (add a line with --- "
                     "after the last key)");
        a->failed = true;
        return false;
      }
    } else {
      if (fence2)
        hg_diags_add(diags, HG_WARN, a->path, 1, 1,
                     "front matter should open with '---', found '--' (read as "
                     "front matter; fix the first line)");
      hg_error *err = NULL;
      hg_value *v = hg_yaml_parse(fm, (size_t)(close - fm), a->path, 1, &err);
      if (err) {
        hg_diags_add_error(diags, HG_ERR, err);
        hg_error_free(err);
        a->failed = true;
        return false;
      }
      if (v && v->type != HG_V_MAP) {
        hg_diags_add(diags, HG_ERR, a->path, v->line, v->col,
                     "front matter: expected a map of keys (title: ...), found a %s",
                     hg_value_type_name(v->type));
        hg_value_free(v);
        a->failed = true;
        return false;
      }
      a->meta = v;
      const char *nl = memchr(close, '\n', (size_t)(end - close));
      body = nl ? nl + 1 : end;
      body_line = line_of(text, (size_t)(body - text)) - 1;
    }
  }
  a->body_len = (size_t)(end - body);
  a->body = hg_xstrndup(body, a->body_len);
  a->body_line = body_line;
  bool ok = hg_article_apply_meta(a, diags);
  if (a->body_len == 0 && !a->meta)
    hg_diags_add(diags, HG_WARN, a->path, 1, 0, "empty file (nothing to publish)");
  return ok;
}

/* Frees the fields derived from front matter, before they are derived again. */
static void clear_fields(hg_article *a) {
  free(a->title);
  free(a->description);
  free(a->slug);
  free_list(a->tags, a->ntags);
  free_list(a->keywords, a->nkeywords);
  free_list(a->aliases, a->naliases);
  free(a->date);
  free(a->updated);
  free(a->review_by);
  free(a->translation_key);
  a->title = a->description = a->slug = a->date = a->updated = a->review_by = NULL;
  a->translation_key = NULL;
  a->tags = a->keywords = a->aliases = NULL;
  a->ntags = a->nkeywords = a->naliases = 0;
  a->title_line = 0;
  a->weight = 0;
  a->promoted = a->draft = a->faq = false;
}

bool hg_article_apply_meta(hg_article *a, hg_diags *diags) {
  clear_fields(a);
  fm_ctx c = {a->path, diags, false};
  const hg_value *m = a->meta;
  a->title = fm_string(&c, m, "title");
  if (a->title) {
    a->title_line = hg_value_get(m, "title")->line;
    if (!*a->title) {
      free(a->title);
      a->title = NULL;
    }
  }
  if (!a->title) {
    char *h1 = hg_md_first_h1(a->body, a->body_len);
    if (h1 && *h1) {
      a->title = h1;
      a->title_line = a->body_line + 1;
    } else {
      free(h1);
      const char *base = hg_path_basename(a->rel_path);
      a->title = hg_xstrndup(base, stem_len(base));
      for (char *q = a->title; *q; q++)
        if (*q == '-' || *q == '_') *q = ' ';
      if (strcmp(base, "_index.md")) /* a folder's title is its name */
        hg_diags_add(diags, HG_WARN, a->path, 1, 0,
                     "no title: using '%s' from the file name (add 'title:' to the "
                     "front matter)", a->title);
    }
  }
  a->description = fm_string(&c, m, "description");
  if (!a->description) a->description = hg_xstrdup("");
  a->slug = fm_string(&c, m, "slug");
  if (a->slug) {
    hg_value *sv = hg_value_get(m, "slug");
    if (strchr(a->slug, '/') || strchr(a->slug, '\\') || strstr(a->slug, "..")) {
      fm_error(&c, sv, "front matter: slug '%s' must not contain '/', '\\' or '..'%s",
               a->slug, " (it names one URL segment)");
    } else {
      char *s = hg_slugify(a->slug);
      if (!*s) {
        fm_error(&c, sv, "front matter: slug '%s' has no letters or digits%s",
                 a->slug, "");
      } else if (strcmp(s, a->slug)) {
        hg_diags_add(diags, HG_WARN, a->path, sv->line, sv->col,
                     "front matter: slug '%s' is not URL-safe, using '%s'", a->slug, s);
      }
      free(a->slug);
      a->slug = s;
    }
  } else {
    const char *base = hg_path_basename(a->rel_path);
    char *stem = hg_xstrndup(base, stem_len(base));
    a->slug = hg_slugify(stem);
    free(stem);
    if (!*a->slug) {
      free(a->slug);
      a->slug = hg_slugify(a->title);
    }
    if (!*a->slug) {
      free(a->slug);
      a->slug = hg_xstrdup("article");
    }
  }
  a->weight = fm_int(&c, m, "weight");
  a->tags = fm_list(&c, m, "tags", &a->ntags);
  a->keywords = fm_list(&c, m, "keywords", &a->nkeywords);
  a->aliases = fm_list(&c, m, "aliases", &a->naliases);
  a->promoted = fm_bool(&c, m, "promoted");
  a->draft = fm_bool(&c, m, "draft");
  a->date = fm_date(&c, m, "date");
  a->updated = fm_date(&c, m, "updated");
  a->review_by = fm_date(&c, m, "review_by");
  a->translation_key = fm_string(&c, m, "translation_key");
  char *type = fm_string(&c, m, "type");
  if (type) {
    if (!strcmp(type, "faq"))
      a->faq = true;
    else if (strcmp(type, "article"))
      hg_diags_add(diags, HG_WARN, a->path, hg_value_get(m, "type")->line, 0,
                   "front matter: type should be 'article' or 'faq', found '%s'", type);
    free(type);
  }
  if (c.failed) a->failed = true;
  return !c.failed;
}

void hg_article_clear(hg_article *a) {
  free(a->path);
  free(a->rel_path);
  hg_value_free(a->meta);
  free(a->body);
  clear_fields(a);
  memset(a, 0, sizeof *a);
}

/* ---- walking ------------------------------------------------------------ */
typedef struct {
  hg_content *c;
  char **paths; /* full path of each article file */
  hg_diags *diags; /* one per article */
  size_t max_size;
} load_ctx;

static void load_one(void *p, size_t i, int worker) {
  (void)worker;
  load_ctx *lc = p;
  hg_article *a = &lc->c->articles[i];
  struct stat st;
  if (stat(lc->paths[i], &st) == 0 && (size_t)st.st_size > lc->max_size) {
    hg_diags_add(&lc->diags[i], HG_ERR, a->path, 0, 0,
                 "file is %zu MiB, over the %zu MiB limit for one article (split it)",
                 (size_t)st.st_size >> 20, lc->max_size >> 20);
    a->failed = true;
    return;
  }
  hg_error *err = NULL;
  size_t len;
  char *text = hg_read_file(lc->paths[i], &len, &err);
  if (!text) {
    hg_diags_add(&lc->diags[i], HG_ERR, a->path, err->line, err->col, "%s", err->text);
    hg_error_free(err);
    a->failed = true;
    return;
  }
  hg_article_parse(a, text, len, &lc->diags[i]);
  free(text);
}

typedef struct {
  hg_content *c;
  char **art_paths;
  size_t nart, cap_art;
  hg_diags *diags;
  size_t at[WALK_DEPTH + 1]; /* the folder being walked at each depth */
} walk_state;

static size_t add_folder(hg_content *c, const char *rel_dir, const char *path,
                         long parent, int depth) {
  c->folders = hg_xrealloc(c->folders, (c->nfolders + 1) * sizeof *c->folders);
  hg_folder *f = &c->folders[c->nfolders];
  memset(f, 0, sizeof *f);
  f->rel_dir = hg_xstrdup(rel_dir);
  f->path = display_path(path);
  f->parent = parent;
  f->depth = depth;
  const char *base = hg_path_basename(rel_dir);
  f->slug = hg_slugify(base);
  if (depth > 0 && !*f->slug) {
    free(f->slug);
    f->slug = hg_xstrdup("section");
  }
  f->title = hg_xstrdup(base);
  if (depth > 0 && *f->title) {
    for (char *q = f->title; *q; q++)
      if (*q == '-' || *q == '_') *q = ' ';
    if (f->title[0] >= 'a' && f->title[0] <= 'z') f->title[0] -= 32;
  }
  f->description = hg_xstrdup("");
  return c->nfolders++;
}

static void load_index(hg_folder *f, const char *path, hg_diags *d) {
  hg_error *err = NULL;
  size_t len;
  char *text = hg_read_file(path, &len, &err);
  if (!text) {
    char *shown = display_path(path);
    hg_diags_add(d, HG_ERR, shown, err->line, err->col, "%s", err->text);
    free(shown);
    hg_error_free(err);
    return;
  }
  hg_article a = {0};
  a.path = display_path(path);
  a.rel_path = hg_xstrdup("_index.md");
  if (hg_article_parse(&a, text, len, d) && a.meta) {
    fm_ctx c = {a.path, d, false};
    char *t = fm_string(&c, a.meta, "title");
    if (t) {
      free(f->title);
      f->title = t;
    }
    free(f->description);
    f->description = hg_xstrdup(a.description);
    f->icon = fm_string(&c, a.meta, "icon");
    f->weight = a.weight;
    if (hg_value_get(a.meta, "slug") && f->depth > 0) {
      free(f->slug);
      f->slug = hg_xstrdup(a.slug);
    }
  } else if (a.title && a.title_line > 0) {
    free(f->title);
    f->title = hg_xstrdup(a.title);
  }
  f->index_path = a.path;
  a.path = NULL;
  f->meta = a.meta;
  a.meta = NULL;
  if (a.body_len) {
    f->intro = a.body;
    f->intro_len = a.body_len;
    f->intro_line = a.body_line;
    a.body = NULL;
  }
  hg_article_clear(&a);
  free(text);
}

/* One entry of the content walk (hg_walk: files first, then folders, each
 * sorted; '_' folders skipped and reported). */
static int content_entry(void *ctx, const hg_walk_entry *e) {
  walk_state *w = ctx;
  if (e->kind == HG_WALK_DIR) {
    if (e->depth > WALK_DEPTH) return HG_WALK_SKIP;
    long parent = e->depth ? (long)w->at[e->depth - 1] : -1;
    w->at[e->depth] = add_folder(w->c, e->rel, e->path, parent, e->depth);
    return HG_WALK_GO;
  }
  size_t me = w->at[e->depth - 1];
  const char *name = e->name;
  if (!strcmp(name, "_index.md")) {
    load_index(&w->c->folders[me], e->path, w->diags);
  } else if (name[0] == '_') {
    /* other names starting with '_' are the writers' own (drafts of
     * partials, notes) */
  } else if (hg_str_has_suffix(name, ".md") || hg_str_has_suffix(name, ".markdown")) {
    if (e->duplicate) return HG_WALK_GO; /* a link to an article: one page, at its real path */
    if (w->nart == w->cap_art) {
      w->cap_art = w->cap_art ? w->cap_art * 2 : 64;
      w->art_paths = hg_xrealloc(w->art_paths, w->cap_art * sizeof(char *));
      w->c->articles = hg_xrealloc(w->c->articles, w->cap_art * sizeof(hg_article));
    }
    hg_article *a = &w->c->articles[w->nart];
    memset(a, 0, sizeof *a);
    a->path = display_path(e->path);
    a->rel_path = hg_xstrdup(e->rel);
    a->folder = me;
    w->art_paths[w->nart++] = hg_xstrdup(e->path);
  } else {
    hg_folder *f = &w->c->folders[me];
    f->assets = hg_xrealloc(f->assets, (f->nassets + 1) * sizeof(char *));
    f->assets[f->nassets++] = hg_xstrdup(name);
  }
  return HG_WALK_GO;
}

/* Obsidian's folder note: "Statuses.md" beside "Statuses/" (which has no
 * _index.md of its own) is that folder's page, not an article that takes
 * the folder's URL. Runs after the walk, before the bodies are read. */
static void folder_notes(walk_state *w) {
  hg_content *c = w->c;
  hg_strmap dirs = {0}; /* rel_dir -> folder index */
  for (size_t i = 1; i < c->nfolders; i++) hg_strmap_put(&dirs, c->folders[i].rel_dir, (long)i);
  size_t keep = 0;
  for (size_t k = 0; k < w->nart; k++) {
    hg_article *a = &c->articles[k];
    const char *dot = strrchr(a->rel_path, '.');
    char *dir = dot ? hg_xstrndup(a->rel_path, (size_t)(dot - a->rel_path)) : NULL;
    long f = dir ? hg_strmap_get(&dirs, dir, -1) : -1;
    free(dir);
    if (f >= 0 && !c->folders[f].index_path && c->folders[f].parent == (long)a->folder) {
      load_index(&c->folders[f], w->art_paths[k], w->diags);
      free(a->path);
      free(a->rel_path);
      free(w->art_paths[k]);
      continue;
    }
    c->articles[keep] = *a;
    w->art_paths[keep++] = w->art_paths[k];
  }
  w->nart = keep;
  hg_strmap_free(&dirs);
}

hg_content *hg_content_load(const hg_config *cfg, const hg_content_opts *opts,
                            hg_diags *diags, hg_error **err) {
  hg_content *c = hg_xcalloc(1, sizeof *c);
  c->content_dir = hg_path_join(cfg->site_dir, "content");
  if (opts && opts->lang_dir && hg_is_dir(c->content_dir)) {
    char *ld = hg_path_join(c->content_dir, opts->lang_dir);
    if (!hg_is_dir(ld)) {
      char *shown = display_path(ld);
      hg_error_set(err, 2, shown, 0, 0,
                   "no folder for language '%s' (with 'languages:' in helpgen.yaml each "
                   "language's articles live in content/<code>/; create it)", opts->lang_dir);
      free(shown);
      free(ld);
      hg_content_free(c);
      return NULL;
    }
    free(c->content_dir);
    c->content_dir = ld;
  }
  if (!hg_is_dir(c->content_dir)) {
    char *shown = display_path(c->content_dir);
    hg_error_set(err, 2, shown, 0, 0,
                 "no content folder: put your Markdown articles in %s/ (or give "
                 "the site folder: helpgen build SITE)", shown);
    free(shown);
    hg_content_free(c);
    return NULL;
  }
  walk_state w = {.c = c, .diags = diags};
  hg_walk_opts wo = {.fence = cfg->site_dir, .fence_name = "the site folder",
                     .follow_outside = cfg->follow_outside_links,
                     .skip_underscore = true, .files_first = true, .max_depth = WALK_DEPTH,
                     .diags = diags, .fn = content_entry, .ctx = &w};
  if (!hg_walk(c->content_dir, &wo, err)) {
    for (size_t i = 0; i < w.nart; i++) free(w.art_paths[i]);
    free(w.art_paths);
    c->narticles = w.nart;
    hg_content_free(c);
    return NULL;
  }
  folder_notes(&w);
  c->narticles = w.nart;
  load_ctx lc = {c, w.art_paths, hg_xcalloc(w.nart, sizeof(hg_diags)),
                 opts && opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE};
  hg_parallel_for(w.nart, opts && opts->threads ? opts->threads : 1, load_one, &lc);
  for (size_t i = 0; i < w.nart; i++) {
    c->articles[i].ndiags = lc.diags[i].len;
    hg_diags_move(diags, &lc.diags[i]);
    free(w.art_paths[i]);
  }
  free(lc.diags);
  free(w.art_paths);
  return c;
}

void hg_content_drop_bodies(hg_content *c) {
  for (size_t i = 0; i < c->narticles; i++) {
    free(c->articles[i].body);
    c->articles[i].body = NULL;
    c->articles[i].body_len = 0;
  }
}

void hg_content_free(hg_content *c) {
  if (!c) return;
  for (size_t i = 0; i < c->narticles; i++) hg_article_clear(&c->articles[i]);
  free(c->articles);
  for (size_t i = 0; i < c->nfolders; i++) {
    hg_folder *f = &c->folders[i];
    free(f->rel_dir);
    free(f->path);
    free(f->slug);
    free(f->title);
    free(f->description);
    free(f->icon);
    free(f->index_path);
    free(f->intro);
    hg_value_free(f->meta);
    free_list(f->assets, f->nassets);
  }
  free(c->folders);
  free(c->content_dir);
  free(c);
}

/* ---- binary records ------------------------------------------------------ */
enum { A_PROMOTED = 1, A_DRAFT = 2, A_FAQ = 4, A_FAILED = 8, A_ALL = 15 };

static void save_list(hg_buf *b, char *const *l, size_t n) {
  hg_buf_put_uvar(b, n);
  for (size_t i = 0; i < n; i++) hg_buf_put_str(b, l[i]);
}

/* A count of items of at least `min` bytes each (bad if they cannot fit). */
static size_t read_count(hg_reader *r, size_t min) {
  uint64_t n = hg_read_uvar(r);
  if (n > (uint64_t)(r->end - r->p) / min) r->bad = true;
  return r->bad ? 0 : (size_t)n;
}

static int read_int(hg_reader *r) {
  int64_t v = hg_read_svar(r);
  if (v < INT_MIN || v > INT_MAX) r->bad = true;
  return r->bad ? 0 : (int)v;
}

/* A list of non-NULL strings. *n is set before they are read, so that
 * free_list(l, *n) frees a list cut short (the slots not reached are NULL). */
static char **read_list(hg_reader *r, size_t *n) {
  *n = read_count(r, 1);
  if (!*n) return NULL;
  char **l = hg_xcalloc(*n, sizeof *l);
  for (size_t i = 0; i < *n && !r->bad; i++)
    if (!(l[i] = hg_read_str(r))) r->bad = true;
  return l;
}

void hg_article_save(const hg_article *a, hg_buf *b) {
  hg_buf_put_str(b, a->path);
  hg_buf_put_str(b, a->rel_path);
  hg_buf_put_uvar(b, a->folder);
  hg_value_save(a->meta, b);
  hg_buf_put_svar(b, a->body_line);
  hg_buf_put_str(b, a->title);
  hg_buf_put_svar(b, a->title_line);
  hg_buf_put_str(b, a->description);
  hg_buf_put_str(b, a->slug);
  hg_buf_put_svar(b, a->weight);
  save_list(b, a->tags, a->ntags);
  save_list(b, a->keywords, a->nkeywords);
  save_list(b, a->aliases, a->naliases);
  hg_buf_put_uvar(b, (a->promoted ? A_PROMOTED : 0) | (a->draft ? A_DRAFT : 0) |
                         (a->faq ? A_FAQ : 0) | (a->failed ? A_FAILED : 0));
  hg_buf_put_str(b, a->date);
  hg_buf_put_str(b, a->updated);
  hg_buf_put_str(b, a->review_by);
  hg_buf_put_str(b, a->translation_key);
  hg_buf_put_uvar(b, a->ndiags);
}

bool hg_article_restore(hg_reader *r, hg_article *a) {
  memset(a, 0, sizeof *a);
  a->path = hg_read_str(r);
  a->rel_path = hg_read_str(r);
  uint64_t folder = hg_read_uvar(r);
  a->folder = folder > SIZE_MAX ? SIZE_MAX : (size_t)folder;
  a->meta = hg_value_restore(r);
  a->body_line = read_int(r);
  a->title = hg_read_str(r);
  a->title_line = read_int(r);
  a->description = hg_read_str(r);
  a->slug = hg_read_str(r);
  a->weight = (long)hg_read_svar(r);
  a->tags = read_list(r, &a->ntags);
  a->keywords = read_list(r, &a->nkeywords);
  a->aliases = read_list(r, &a->naliases);
  uint64_t flags = hg_read_uvar(r);
  a->promoted = flags & A_PROMOTED;
  a->draft = flags & A_DRAFT;
  a->faq = flags & A_FAQ;
  a->failed = flags & A_FAILED;
  a->date = hg_read_str(r);
  a->updated = hg_read_str(r);
  a->review_by = hg_read_str(r);
  a->translation_key = hg_read_str(r);
  uint64_t ndiags = hg_read_uvar(r);
  a->ndiags = ndiags > SIZE_MAX ? SIZE_MAX : (size_t)ndiags;
  if (flags > A_ALL || !a->path || !a->rel_path ||
      (!a->failed && (!a->title || !a->description || !a->slug)))
    r->bad = true;
  if (r->bad) hg_article_clear(a);
  return !r->bad;
}

static void save_folder(const hg_folder *f, hg_buf *b) {
  hg_buf_put_str(b, f->rel_dir);
  hg_buf_put_str(b, f->path);
  hg_buf_put_svar(b, f->parent);
  hg_buf_put_svar(b, f->depth);
  hg_buf_put_str(b, f->slug);
  hg_buf_put_str(b, f->title);
  hg_buf_put_str(b, f->description);
  hg_buf_put_str(b, f->icon);
  hg_buf_put_svar(b, f->weight);
  hg_buf_put_str(b, f->index_path);
  hg_buf_put_uvar(b, f->intro != NULL);
  if (f->intro) hg_buf_put_mem(b, f->intro, f->intro_len);
  hg_buf_put_svar(b, f->intro_line);
  hg_value_save(f->meta, b);
  save_list(b, f->assets, f->nassets);
}

/* Fills folders[i] (zeroed) of c; r goes bad when the record is bad or
 * not a folder hg_content_load could make there. */
static void restore_folder(hg_reader *r, hg_content *c, size_t i) {
  hg_folder *f = &c->folders[i];
  f->rel_dir = hg_read_str(r);
  f->path = hg_read_str(r);
  int64_t parent = hg_read_svar(r);
  f->depth = read_int(r);
  f->slug = hg_read_str(r);
  f->title = hg_read_str(r);
  f->description = hg_read_str(r);
  f->icon = hg_read_str(r);
  f->weight = (long)hg_read_svar(r);
  f->index_path = hg_read_str(r);
  uint64_t has_intro = hg_read_uvar(r);
  if (has_intro == 1) f->intro = hg_read_mem(r, &f->intro_len);
  f->intro_line = read_int(r);
  f->meta = hg_value_restore(r);
  f->assets = read_list(r, &f->nassets);
  /* the root first, every other folder below one that comes before it */
  bool placed = i == 0 ? parent == -1 && f->depth == 0
                       : parent >= 0 && (uint64_t)parent < i &&
                             f->depth == c->folders[parent].depth + 1;
  f->parent = placed ? (long)parent : -1;
  if (has_intro > 1 || !placed || !f->rel_dir || !f->path || !f->slug || !f->title ||
      !f->description)
    r->bad = true;
}

void hg_content_save(const hg_content *c, hg_buf *b) {
  hg_buf_put_str(b, c->content_dir);
  hg_buf_put_uvar(b, c->nfolders);
  for (size_t i = 0; i < c->nfolders; i++) save_folder(&c->folders[i], b);
  hg_buf_put_uvar(b, c->narticles);
  for (size_t i = 0; i < c->narticles; i++) hg_article_save(&c->articles[i], b);
}

hg_content *hg_content_restore(hg_reader *r) {
  hg_content *c = hg_xcalloc(1, sizeof *c);
  c->content_dir = hg_read_str(r);
  if (!c->content_dir) r->bad = true;
  /* a folder takes 14 bytes at the least, an article 19 */
  size_t nf = read_count(r, 14);
  if (!nf) r->bad = true;
  if (!r->bad) {
    c->folders = hg_xcalloc(nf, sizeof *c->folders);
    c->nfolders = nf;
  }
  for (size_t i = 0; i < c->nfolders && !r->bad; i++) restore_folder(r, c, i);
  size_t na = read_count(r, 19);
  if (na && !r->bad) {
    c->articles = hg_xcalloc(na, sizeof *c->articles);
    c->narticles = na;
  }
  for (size_t i = 0; i < c->narticles && !r->bad; i++)
    if (hg_article_restore(r, &c->articles[i]) && c->articles[i].folder >= nf)
      r->bad = true;
  if (r->bad) {
    hg_content_free(c);
    return NULL;
  }
  return c;
}

bool hg_alias_is_url(const char *alias) {
  while (*alias == ' ' || *alias == '\t') alias++;
  if (*alias == '/' || hg_str_has_prefix(alias, "http://") || hg_str_has_prefix(alias, "https://"))
    return true;
  /* without the leading '/', "old/page.html" is still an old path (helpgen
   * has always read it so); words, a '?' or '#' make it a name */
  size_t n = strlen(alias);
  while (n && (alias[n - 1] == ' ' || alias[n - 1] == '\t')) n--;
  return n && !memchr(alias, ' ', n) && !memchr(alias, '\t', n) && !memchr(alias, '?', n) &&
         !memchr(alias, '#', n);
}
