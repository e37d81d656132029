/* seo.c - sitemap, robots.txt, Atom feeds, llms.txt + Markdown copies, and
 * redirects for aliases (meta-refresh pages, _redirects, nginx map). */
#include "hg_seo.h"

#include "hg_flows.h"

#include <stdlib.h>
#include <string.h>

/* Files the build writes at the site root besides pages (an alias or a page
 * may not take their place)... */
static const char *const root_files[] = {"sitemap.xml", "robots.txt", "_redirects",
                                         "redirects.nginx.conf", NULL};
/* ...and in the URL folder of every language (at the root for the default
 * one); search/ and assets/ are reserved folders. */
static const char *const lang_files[] = {"feed.xml", "llms.txt", "404.html", NULL};

/* ---- settings ----------------------------------------------------------- */
static bool is_http_url(const char *s) {
  return (hg_str_has_prefix(s, "https://") && s[8]) || (hg_str_has_prefix(s, "http://") && s[7]);
}

void hg_seo_settings_read(const hg_config *cfg, hg_seo_settings *out, hg_diags *diags) {
  memset(out, 0, sizeof *out);
  const char *cp = cfg->config_path ? cfg->config_path : "helpgen.yaml";
  const hg_value *v = hg_value_get(cfg->root, "llms");
  if (v && v->type != HG_V_NULL) {
    if (v->type == HG_V_BOOL) out->llms = v->b;
    else
      hg_diags_add(diags, HG_WARN, cp, v->line, v->col,
                   "'llms' should be true or false, found '%s'",
                   v->str ? v->str : hg_value_type_name(v->type));
  }
  const hg_value *fb = hg_value_get(cfg->root, "feedback");
  if (!fb || fb->type == HG_V_NULL) return;
  if (fb->type != HG_V_MAP) {
    hg_diags_add(diags, HG_WARN, cp, fb->line, fb->col,
                 "'feedback' should be a mapping with 'endpoint' and/or 'mailto', found a "
                 "%s (feedback is off)", hg_value_type_name(fb->type));
    return;
  }
  for (size_t i = 0; i < fb->len; i++) {
    const char *key = fb->keys[i];
    const hg_value *it = fb->items[i];
    const char *s = hg_value_str(it);
    bool endpoint = !strcmp(key, "endpoint"), mailto = !strcmp(key, "mailto");
    if (!endpoint && !mailto) {
      hg_diags_add(diags, HG_WARN, cp, fb->key_lines[i], 0,
                   "unknown key 'feedback.%s' (ignored; use 'endpoint' or 'mailto')", key);
      continue;
    }
    if (it->type == HG_V_NULL) continue;
    if (endpoint) {
      if (s && is_http_url(s)) out->feedback_endpoint = s;
      else
        hg_diags_add(diags, HG_WARN, cp, it->line, it->col,
                     "'feedback.endpoint' should be an http(s) URL such as "
                     "https://example.com/feedback (ignored)");
    } else {
      if (s && hg_str_has_prefix(s, "mailto:")) s += strlen("mailto:");
      bool ok = s && strchr(s, '@') && !strpbrk(s, " \t\r\n<>\"?&");
      if (ok) out->feedback_mailto = s;
      else
        hg_diags_add(diags, HG_WARN, cp, it->line, it->col,
                     "'feedback.mailto' should be an email address such as "
                     "support@example.com (ignored)");
    }
  }
}

/* ---- small helpers ------------------------------------------------------ */

/* Appends a URL path with every byte but unreserved characters and '/'
 * percent-encoded (UTF-8 slugs become %C3%BA...). */
static void url_put_path(hg_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
      hg_buf_putc(b, (char)c);
    else {
      hg_buf_putc(b, '%');
      hg_buf_putc(b, hex[c >> 4]);
      hg_buf_putc(b, hex[c & 15]);
    }
  }
}

/* Absolute URL of the page in url_dir (canonical form: a trailing '/'). */
static char *abs_url(const hg_site *s, const char *url_dir) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, s->cfg->base_url);
  if (*url_dir) {
    url_put_path(&b, url_dir);
    hg_buf_putc(&b, '/');
  }
  return hg_buf_steal(&b);
}

/* "YYYY-MM-DD" of an article's updated (else date) date, or false. */
static bool art_day(const hg_article *a, char out[11]) {
  const char *d = a->updated ? a->updated : a->date;
  if (!d || strlen(d) < 10) return false;
  for (int i = 0; i < 10; i++) {
    bool dash = i == 4 || i == 7;
    if (dash ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return false;
  }
  memcpy(out, d, 10);
  out[10] = '\0';
  return true;
}

static bool write_file(hg_output *out, const char *rel, const hg_buf *b, hg_diags *diags) {
  hg_error *err = NULL;
  if (hg_output_write(out, rel, b->data ? b->data : "", b->len, &err)) return true;
  hg_diags_add(diags, HG_ERR, NULL, 0, 0, "%s (while writing %s)", err ? err->msg : "?", rel);
  hg_error_free(err);
  return false;
}

/* Whether the site's folder `node` holds a file `name` that is copied to
 * the output (it then replaces a generated file of that name). */
static bool site_file(const hg_site *s, size_t node, const char *name) {
  const hg_folder *f = &s->content->folders[node];
  for (size_t i = 0; i < f->nassets; i++)
    if (!strcmp(f->assets[i], name)) return true;
  return false;
}

static void warn_replaced(const hg_site *s, size_t node, const char *name, hg_diags *diags) {
  const hg_folder *f = &s->content->folders[node];
  hg_diags_add(diags, HG_WARN, NULL, 0, 0,
               "content/%s%s%s replaces the %s helpgen would write there", f->rel_dir,
               *f->rel_dir ? "/" : "", name, name);
}

/* `name` in the URL folder of the language of s ("cs/404.html"). Caller
 * frees. */
static char *lang_file(const hg_site *s, const char *name) {
  return *s->prefix ? hg_strdup_printf("%s/%s", s->prefix, name) : hg_xstrdup(name);
}

/* The category (depth-1 folder) an article is in, or 0 at the top. */
static size_t category_of(const hg_site *s, size_t art) {
  const hg_content *c = s->content;
  long f = (long)c->articles[s->arts[art].article].folder;
  while (f > 0 && c->folders[f].parent > 0) f = c->folders[f].parent;
  return f > 0 ? (size_t)f : 0;
}

char *hg_seo_feed_file(const hg_site *site, size_t node) {
  if (!*site->cfg->base_url || node >= site->nnodes) return NULL;
  if (node == 0) return lang_file(site, "feed.xml");
  if (site->content->folders[node].depth != 1) return NULL;
  return hg_strdup_printf("%s/feed.xml", site->nodes[node].url_dir);
}

/* ---- aliases ------------------------------------------------------------ */
/* Articles and folders of every language share one numbering: language l's
 * article i is article aoff[l] + i, its folder n is folder foff[l] + n. */
typedef struct {
  size_t lang;       /* index into the languages */
  size_t art;        /* site->arts index in that language */
  size_t g;          /* the article's number across languages */
  const char *alias; /* as written */
  char *path;        /* site-relative, decoded: "old/page/" or "old/page.html" */
  char *file;        /* output file: "old/page/index.html" */
  int line, col;
  bool bad;          /* rejected (an error was reported) */
} alias_t;

typedef struct {
  const hg_seo_lang *langs;
  size_t nl;
  size_t *aoff, *foff; /* nl + 1 each */
  alias_t *v;
  size_t n;
} alias_list;

static void aliases_free(alias_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].path);
    free(l->v[i].file);
  }
  free(l->v);
  free(l->aoff);
  free(l->foff);
}

/* The language of article (or folder) number g, given the offsets. */
static size_t lang_of(const size_t *off, size_t nl, size_t g) {
  size_t l = 0;
  while (l + 1 < nl && g >= off[l + 1]) l++;
  return l;
}

static const char *art_path(const hg_site *s, size_t art) {
  return s->content->articles[s->arts[art].article].path;
}

/* The file of article number g. */
static const char *g_path(const alias_list *l, size_t g) {
  size_t k = lang_of(l->aoff, l->nl, g);
  return art_path(l->langs[k].site, g - l->aoff[k]);
}

/* Where alias j of article a was written (list item, or the whole value). */
static void alias_pos(const hg_article *a, size_t j, int *line, int *col) {
  const hg_value *v = hg_value_get(a->meta, "aliases");
  *line = v ? v->line : 0;
  *col = v ? v->col : 0;
  if (!v || v->type != HG_V_LIST) return;
  for (size_t i = 0, k = 0; i < v->len; i++) {
    if (!hg_value_str(v->items[i])) continue;
    if (k++ == j) {
      *line = v->items[i]->line;
      *col = v->items[i]->col;
      return;
    }
  }
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Normalizes an alias to a decoded site-relative path ("old/page/" for a
 * folder, "old/page.html" for a file). NULL with *why on failure. */
static char *alias_norm(const hg_config *cfg, const char *alias, const char **why) {
  const char *p = alias;
  while (*p == ' ' || *p == '\t') p++;
  if (hg_str_has_prefix(p, "http://") || hg_str_has_prefix(p, "https://") ||
      hg_str_has_prefix(p, "//")) {
    size_t bl = strlen(cfg->base_url);
    if (bl && hg_str_has_prefix(p, cfg->base_url)) p += bl;
    else if (bl && strlen(p) == bl - 1 && !strncmp(p, cfg->base_url, bl - 1)) p += bl - 1;
    else {
      *why = "is not a path on this site (write the old path, such as /hc/old-page/)";
      return NULL;
    }
  }
  if (strpbrk(p, "?#")) {
    *why = "has a ?query or #fragment, which a static host cannot redirect";
    return NULL;
  }
  hg_buf b = HG_BUF_INIT;
  while (*p == '/') p++;
  for (; *p; p++) {
    char c = *p;
    if (c == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
      c = (char)(hexval(p[1]) * 16 + hexval(p[2]));
      p += 2;
      if (c == '/' || c == '\0') {
        *why = "has an encoded '/' (%2F), which no file name can hold";
        hg_buf_free(&b);
        return NULL;
      }
    } else if (c == '/' && b.len && b.data[b.len - 1] == '/') {
      continue; /* "a//b" */
    }
    if ((unsigned char)c < 0x20 || c == 0x7f || c == '\\') {
      *why = "has a control character or a backslash";
      hg_buf_free(&b);
      return NULL;
    }
    hg_buf_putc(&b, c);
  }
  char *path = hg_buf_steal(&b);
  /* trailing blanks, '.' and '..' segments */
  size_t l = strlen(path);
  while (l && (path[l - 1] == ' ' || path[l - 1] == '\t')) path[--l] = '\0';
  for (const char *seg = path; *seg;) {
    const char *e = strchr(seg, '/');
    size_t sl = e ? (size_t)(e - seg) : strlen(seg);
    if ((sl == 1 && seg[0] == '.') || (sl == 2 && seg[0] == '.' && seg[1] == '.')) {
      *why = "has '.' or '..' segments (write the path as the browser shows it)";
      free(path);
      return NULL;
    }
    seg += sl + (e ? 1 : 0);
  }
  if (!hg_utf8_valid(path, l, NULL)) {
    *why = "is not valid UTF-8 once its %-escapes are decoded";
    free(path);
    return NULL;
  }
  /* "x/index.html" is the folder "x/"; "x" is the folder "x/" */
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  if (!strcmp(base, "index.html")) {
    path[base - path] = '\0';
  } else if (*base && !hg_str_has_suffix(base, ".html") && !hg_str_has_suffix(base, ".htm")) {
    char *t = hg_strdup_printf("%s/", path);
    free(path);
    path = t;
  }
  return path;
}

static char *alias_file(const char *path) {
  if (!*path || hg_str_has_suffix(path, "/")) return hg_strdup_printf("%sindex.html", path);
  return hg_xstrdup(path);
}

/* Owners of output files, for collision messages. */
enum { OWN_FILE = -1, OWN_ASSET = -2, OWN_NONE = -3, OWN_FLOW = -4, OWN_FOLDER0 = -10 };

typedef struct {
  hg_strmap files; /* output file -> article number, OWN_FILE, OWN_ASSET,
                      OWN_FLOW, OWN_FOLDER0 - folder number */
  hg_strmap dirs;  /* output folders -> 1 */
} outputs;

static void add_dirs(outputs *o, const char *file) {
  char *d = hg_xstrdup(file);
  for (char *q = strrchr(d, '/'); q; q = strrchr(d, '/')) {
    *q = '\0';
    if (hg_strmap_get(&o->dirs, d, 0)) break;
    hg_strmap_put(&o->dirs, d, 1);
  }
  free(d);
}

static void outputs_build(outputs *o, const alias_list *l) {
  memset(o, 0, sizeof *o);
  for (size_t i = 0; root_files[i]; i++) hg_strmap_put(&o->files, root_files[i], OWN_FILE);
  for (size_t k = 0; k < l->nl; k++) {
    const hg_site *s = l->langs[k].site;
    for (size_t i = 0; lang_files[i]; i++) {
      char *f = lang_file(s, lang_files[i]);
      hg_strmap_put(&o->files, f, OWN_FILE);
      free(f);
    }
    char *sf = lang_file(s, "search/index.html");
    hg_strmap_put(&o->files, sf, OWN_FILE);
    free(sf);
    for (size_t n = 0; n < s->nnodes; n++) {
      char *f = hg_site_page_file(s->nodes[n].url_dir);
      hg_strmap_put(&o->files, f, OWN_FOLDER0 - (long)(l->foff[k] + n));
      add_dirs(o, f);
      free(f);
      char *feed = hg_seo_feed_file(s, n);
      if (feed) hg_strmap_put(&o->files, feed, OWN_FILE);
      free(feed);
      const hg_folder *fo = &s->content->folders[n];
      for (size_t a = 0; a < fo->nassets; a++) {
        char *af = *s->nodes[n].url_dir
                       ? hg_strdup_printf("%s/%s", s->nodes[n].url_dir, fo->assets[a])
                       : hg_xstrdup(fo->assets[a]);
        hg_strmap_put(&o->files, af, OWN_ASSET);
        add_dirs(o, af);
        free(af);
      }
    }
    for (size_t i = 0; i < s->narts; i++) {
      char *f = hg_site_page_file(s->arts[i].url_dir);
      hg_strmap_put(&o->files, f, (long)(l->aoff[k] + i));
      add_dirs(o, f);
      free(f);
      f = hg_strdup_printf("%s/index.md", s->arts[i].url_dir);
      hg_strmap_put(&o->files, f, OWN_FILE);
      free(f);
    }
    size_t nf = 0;
    char **dirs = hg_flows_page_dirs(l->langs[k].flows, &nf);
    for (size_t i = 0; i < nf; i++) {
      char *f = hg_site_page_file(dirs[i]);
      hg_strmap_put(&o->files, f, OWN_FLOW);
      add_dirs(o, f);
      free(f);
      free(dirs[i]);
    }
    free(dirs);
  }
}

static void outputs_free(outputs *o) {
  hg_strmap_free(&o->files);
  hg_strmap_free(&o->dirs);
}

/* Whether output file `file` is inside a folder that belongs to the build:
 * assets/ at the root, and the search/ folder of every language. */
static bool in_reserved_dir(const alias_list *l, const char *file) {
  if (hg_str_has_prefix(file, "assets/")) return true;
  for (size_t k = 0; k < l->nl; k++) {
    char *d = lang_file(l->langs[k].site, "search/");
    bool in = hg_str_has_prefix(file, d);
    free(d);
    if (in) return true;
  }
  return false;
}

/* Appends ", whose alias 'x' (path:line) is the URL of ..." for a chain of
 * aliases from article `from` back to article `to` (article numbers), or
 * returns false when there is none. `edge[i]` is the article alias i is the
 * URL of, or -1. */
static bool find_loop(const alias_list *l, const long *edge, size_t from, size_t to,
                      bool *visited, hg_buf *msg) {
  if (visited[from]) return false;
  visited[from] = true;
  for (size_t i = 0; i < l->n; i++) {
    if (l->v[i].g != from || edge[i] < 0 || (size_t)edge[i] == from) continue;
    size_t next = (size_t)edge[i];
    hg_buf part = HG_BUF_INIT;
    hg_buf_printf(&part, ", whose alias '%s' (%s:%d) is the URL of %s", l->v[i].alias,
                  g_path(l, from), l->v[i].line, next == to ? "this article" : g_path(l, next));
    if (next == to || find_loop(l, edge, next, to, visited, &part)) {
      hg_buf_append(msg, part.data, part.len);
      hg_buf_free(&part);
      return true;
    }
    hg_buf_free(&part);
  }
  return false;
}

/* Collects the aliases of every published article of every language,
 * reports every problem to diags and marks those aliases bad. */
static void aliases_collect(const hg_seo_lang *langs, size_t nl, alias_list *l,
                            hg_diags *out_diags) {
  memset(l, 0, sizeof *l);
  l->langs = langs;
  l->nl = nl;
  l->aoff = hg_xcalloc(nl + 1, sizeof *l->aoff);
  l->foff = hg_xcalloc(nl + 1, sizeof *l->foff);
  size_t total = 0;
  for (size_t k = 0; k < nl; k++) {
    const hg_site *s = langs[k].site;
    l->aoff[k + 1] = l->aoff[k] + s->narts;
    l->foff[k + 1] = l->foff[k] + s->nnodes;
    for (size_t i = 0; i < s->narts; i++) total += s->content->articles[s->arts[i].article].naliases;
  }
  size_t narts = l->aoff[nl];
  l->v = hg_xcalloc(total ? total : 1, sizeof *l->v);
  /* one slot per alias, so the messages come out in file and line order */
  hg_diags *slot = hg_xcalloc(total ? total : 1, sizeof *slot);
  for (size_t k = 0; k < nl; k++) {
    const hg_site *s = langs[k].site;
    for (size_t i = 0; i < s->narts; i++) {
      const hg_article *a = &s->content->articles[s->arts[i].article];
      for (size_t j = 0; j < a->naliases; j++) {
        if (!hg_alias_is_url(a->aliases[j])) continue; /* another name of the article */
        alias_t *al = &l->v[l->n++];
        al->lang = k;
        al->art = i;
        al->g = l->aoff[k] + i;
        al->alias = a->aliases[j];
        alias_pos(a, j, &al->line, &al->col);
        const char *why = NULL;
        al->path = alias_norm(s->cfg, al->alias, &why);
        if (!al->path) {
          al->bad = true;
          hg_diags_add(&slot[l->n - 1], HG_ERR, a->path, al->line, al->col, "alias '%s' %s",
                       al->alias, why);
          continue;
        }
        al->file = alias_file(al->path);
      }
    }
  }
  outputs o;
  outputs_build(&o, l);
  long *edge = hg_xcalloc(l->n ? l->n : 1, sizeof *edge);
  hg_strmap seen = {0}; /* alias file -> index + 1 */
  for (size_t i = 0; i < l->n; i++) {
    alias_t *al = &l->v[i];
    edge[i] = -1;
    if (al->bad) continue;
    const char *ap = g_path(l, al->g);
    long own = hg_strmap_get(&o.files, al->file, OWN_NONE);
    bool reserved_dir = in_reserved_dir(l, al->file);
    /* else a parent folder of the alias that is a file ("sitemap.xml" for
     * "/sitemap.xml/"), or the alias file that is a folder */
    char *hit = hg_xstrdup(al->file);
    long parent = OWN_NONE;
    for (char *q = strrchr(hit, '/'); own == OWN_NONE && q && parent == OWN_NONE;
         q = strrchr(hit, '/')) {
      *q = '\0';
      parent = hg_strmap_get(&o.files, hit, OWN_NONE);
    }
    if (parent == OWN_NONE) strcpy(hit, al->file);
    bool folder = own == OWN_NONE && hg_strmap_get(&o.dirs, al->file, 0);
    al->bad = true;
    if (own >= 0) {
      edge[i] = own;
      if ((size_t)own == al->g)
        hg_diags_add(&slot[i], HG_ERR, ap, al->line, al->col,
                     "alias '%s' is this article's own URL (a redirect to itself would loop; "
                     "remove the alias)", al->alias);
    } else if (own <= OWN_FOLDER0) {
      size_t fg = (size_t)(OWN_FOLDER0 - own), k = lang_of(l->foff, nl, fg);
      const hg_folder *f = &langs[k].site->content->folders[fg - l->foff[k]];
      char *what = f->parent >= 0 ? hg_xstrdup(f->path)
                   : k == 0       ? hg_xstrdup("content/ (the home page)")
                                  : hg_strdup_printf("%s (the %s home page)", f->path,
                                                     langs[k].site->lang);
      hg_diags_add(&slot[i], HG_ERR, ap, al->line, al->col,
                   "alias '%s' is the URL of the folder %s (remove the alias or rename the "
                   "folder)", al->alias, what);
      free(what);
    } else if (own == OWN_FLOW) {
      hg_diags_add(&slot[i], HG_ERR, ap, al->line, al->col,
                   "alias '%s' is the URL of a page of a flow (%s; remove the alias or give "
                   "the flow another slug)", al->alias, al->file);
    } else if (reserved_dir || own == OWN_FILE || parent == OWN_FILE) {
      hg_diags_add(&slot[i], HG_ERR, ap, al->line, al->col,
                   "alias '%s' would replace helpgen's own %s", al->alias,
                   reserved_dir ? "files (assets/ and search/ are reserved)" : hit);
    } else if (own == OWN_ASSET || parent != OWN_NONE || folder) {
      hg_diags_add(&slot[i], HG_ERR, ap, al->line, al->col,
                   "alias '%s' collides with %s, a file or folder copied from content/",
                   al->alias, hit);
    } else if (hg_strmap_get(&seen, al->file, 0)) {
      const alias_t *first = &l->v[hg_strmap_get(&seen, al->file, 0) - 1];
      hg_diags_add(&slot[i], HG_ERR, ap, al->line, al->col,
                   "duplicate alias '%s': %s:%d has it too (an old URL can lead to one "
                   "article only)", al->alias, g_path(l, first->g), first->line);
    } else {
      al->bad = false;
      hg_strmap_put(&seen, al->file, (long)i + 1);
    }
    free(hit);
  }
  /* aliases that are the URL of another article: a loop when that article's
   * aliases lead back here, else a collision */
  bool *visited = hg_xcalloc(narts ? narts : 1, sizeof *visited);
  for (size_t i = 0; i < l->n; i++) {
    alias_t *al = &l->v[i];
    if (edge[i] < 0 || (size_t)edge[i] == al->g) continue;
    const char *ap = g_path(l, al->g);
    const char *target = g_path(l, (size_t)edge[i]);
    hg_buf rest = HG_BUF_INIT;
    memset(visited, 0, narts * sizeof *visited);
    if (find_loop(l, edge, (size_t)edge[i], al->g, visited, &rest))
      hg_diags_add(&slot[i], HG_ERR, ap, al->line, al->col,
                   "redirect loop: alias '%s' is the URL of %s%s (an alias cannot be the URL "
                   "of a published article)", al->alias, target, hg_buf_cstr(&rest));
    else
      hg_diags_add(&slot[i], HG_ERR, ap, al->line, al->col,
                   "alias '%s' is the URL of %s (a redirect would hide that article; remove "
                   "the alias)", al->alias, target);
    hg_buf_free(&rest);
  }
  for (size_t i = 0; i < l->n; i++) hg_diags_move(out_diags, &slot[i]);
  free(slot);
  hg_strmap_free(&seen);
  free(visited);
  free(edge);
  outputs_free(&o);
}

bool hg_seo_check(const hg_seo_lang *langs, size_t n, hg_diags *diags) {
  size_t before = hg_diags_count(diags, HG_ERR);
  alias_list l;
  aliases_collect(langs, n, &l, diags);
  aliases_free(&l);
  /* a top-level page named like a generated file (slugs keep '_':
   * "_redirects"): the root files in the default language, a language's own
   * files in every language */
  for (size_t k = 0; k < n; k++) {
    const hg_site *s = langs[k].site;
    for (size_t set = 0; set < 2; set++) {
      const char *const *names = set ? lang_files : root_files;
      if (!set && k) continue;
      for (size_t i = 0; names[i]; i++) {
        char *own = lang_file(s, names[i]);
        for (size_t c = 0; c < s->nodes[0].nchildren; c++) {
          size_t nd = s->nodes[0].children[c];
          if (!strcmp(s->nodes[nd].url_dir, own))
            hg_diags_add(diags, HG_ERR, s->content->folders[nd].path, 0, 0,
                         "the folder URL '%s/' collides with helpgen's own %s (rename the "
                         "folder or give it another slug in _index.md)", own, own);
        }
        for (size_t a = 0; a < s->nodes[0].narts; a++)
          if (!strcmp(s->arts[s->nodes[0].arts[a]].url_dir, own))
            hg_diags_add(diags, HG_ERR, art_path(s, s->nodes[0].arts[a]), 0, 0,
                         "the URL '%s/' collides with helpgen's own %s (set another 'slug:')",
                         own, own);
        free(own);
      }
    }
  }
  return hg_diags_count(diags, HG_ERR) == before;
}

/* ---- redirects ---------------------------------------------------------- */
/* The link to article `art` from a page in folder `dir` (relative). */
static char *link_from(const hg_site *s, const char *dir, size_t art) {
  const char *u = s->arts[art].url_dir;
  char *to = s->cfg->pretty_links ? hg_strdup_printf("%s/", u) : hg_site_page_file(u);
  char *r = hg_rel_url(dir, to);
  free(to);
  return r;
}

/* Whether the language of s is written right to left. */
static bool lang_rtl(const hg_site *s) {
  const hg_config *cfg = s->cfg;
  return s->langs && s->lang_index < cfg->nlanguages && cfg->languages[s->lang_index].rtl;
}

static bool write_alias_page(const alias_list *l, const alias_t *al, hg_output *out,
                             hg_diags *diags) {
  const hg_site *s = l->langs[al->lang].site;
  const hg_article *a = &s->content->articles[s->arts[al->art].article];
  char *dir = hg_path_dirname(al->file);
  if (!strcmp(dir, ".")) dir[0] = '\0';
  char *rel = link_from(s, dir, al->art);
  char *canon = *s->cfg->base_url ? abs_url(s, s->arts[al->art].url_dir) : hg_xstrdup(rel);
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "<!doctype html>\n<html lang=\"");
  hg_buf_put_html(&b, s->lang, strlen(s->lang));
  if (lang_rtl(s)) hg_buf_puts(&b, "\" dir=\"rtl");
  hg_buf_puts(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  hg_buf_put_html(&b, a->title, strlen(a->title));
  hg_buf_puts(&b, "</title>\n<link rel=\"canonical\" href=\"");
  hg_buf_put_html(&b, canon, strlen(canon));
  hg_buf_puts(&b, "\">\n<meta name=\"robots\" content=\"noindex\">\n"
                  "<meta http-equiv=\"refresh\" content=\"0; url=");
  hg_buf_put_html(&b, rel, strlen(rel));
  hg_buf_puts(&b, "\">\n</head>\n<body>\n<p><a href=\"");
  hg_buf_put_html(&b, rel, strlen(rel));
  hg_buf_puts(&b, "\">");
  hg_buf_put_html(&b, a->title, strlen(a->title));
  hg_buf_puts(&b, "</a></p>\n</body>\n</html>\n");
  bool ok = write_file(out, al->file, &b, diags);
  hg_buf_free(&b);
  free(canon);
  free(rel);
  free(dir);
  return ok;
}

/* nginx: a double-quoted string ('"' and '\' escaped). */
static void nginx_put(hg_buf *b, const char *s) {
  hg_buf_putc(b, '"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') hg_buf_putc(b, '\\');
    hg_buf_putc(b, *s);
  }
  hg_buf_putc(b, '"');
}

/* _redirects and the nginx map: every good alias (in article order, language
 * after language), then, with several languages, a catch-all that answers a
 * missing page under a language's folder with its 404 page (after the
 * aliases: the first matching rule wins). */
static bool write_redirects(const alias_list *l, hg_output *out, hg_diags *diags) {
  const char *bp = l->langs[0].site->cfg->base_path;
  size_t rules = 0;
  hg_buf r = HG_BUF_INIT, n = HG_BUF_INIT;
  hg_buf_puts(&r, "# Redirects from the aliases of articles, written by helpgen\n"
                  "# (Netlify and Cloudflare Pages read this file at the site root).\n");
  hg_buf_puts(&n, "# Redirects from the aliases of articles, written by helpgen.\n"
                  "# Include this file inside http { }, then inside server { }:\n"
                  "#   if ($helpgen_redirect) { return 301 $helpgen_redirect; }\n"
                  "map $uri $helpgen_redirect {\n    default \"\";\n");
  bool ok = true;
  for (size_t i = 0; i < l->n; i++) {
    const alias_t *al = &l->v[i];
    if (al->bad) continue;
    hg_buf from = HG_BUF_INIT, to = HG_BUF_INIT;
    url_put_path(&from, bp);
    url_put_path(&from, al->path);
    url_put_path(&to, bp);
    url_put_path(&to, l->langs[al->lang].site->arts[al->art].url_dir);
    hg_buf_putc(&to, '/');
    hg_buf_printf(&r, "%s %s 301\n", from.data, to.data);
    rules++;
    /* nginx compares the decoded $uri: the folder form, without its slash,
     * and with index.html */
    char *raw = hg_strdup_printf("%s%s", bp, al->path);
    size_t rl = strlen(raw);
    const char *keys[3] = {raw, NULL, NULL};
    char *k1 = NULL, *k2 = NULL;
    if (rl > 1 && raw[rl - 1] == '/') {
      keys[1] = k1 = hg_xstrndup(raw, rl - 1);
      keys[2] = k2 = hg_strdup_printf("%sindex.html", raw);
    }
    for (size_t k = 0; k < 3 && keys[k]; k++) {
      hg_buf_puts(&n, "    ");
      nginx_put(&n, keys[k]);
      hg_buf_putc(&n, ' ');
      nginx_put(&n, to.data);
      hg_buf_puts(&n, ";\n");
    }
    free(raw);
    free(k1);
    free(k2);
    hg_buf_free(&from);
    hg_buf_free(&to);
  }
  hg_buf_puts(&n, "}\n");
  size_t aliases = rules;
  for (size_t k = 1; k < l->nl; k++) {
    hg_buf from = HG_BUF_INIT;
    url_put_path(&from, bp);
    url_put_path(&from, l->langs[k].site->prefix);
    if (k == 1)
      hg_buf_puts(&r, "# A missing page under a language's folder gets that language's 404 "
                      "page\n# (Cloudflare Pages finds the nearest 404.html by itself).\n");
    hg_buf_printf(&r, "%s/* %s/404.html 404\n", from.data, from.data);
    rules++;
    hg_buf_free(&from);
  }
  if (rules > HG_SEO_CLOUDFLARE_MAX)
    hg_diags_add(diags, HG_WARN, NULL, 0, 0,
                 "_redirects has %zu rules; Cloudflare Pages applies at most %d static "
                 "redirects (Netlify and the nginx map have no such limit; the meta-refresh "
                 "pages still work everywhere)", rules, HG_SEO_CLOUDFLARE_MAX);
  if (rules) ok &= write_file(out, "_redirects", &r, diags);
  if (aliases) ok &= write_file(out, "redirects.nginx.conf", &n, diags);
  hg_buf_free(&r);
  hg_buf_free(&n);
  return ok;
}

/* ---- sitemap and robots.txt --------------------------------------------- */
typedef struct {
  char day[11]; /* "" when unknown */
} day_t;

/* <xhtml:link rel="alternate" hreflang="…" href="…"/> for every language
 * the page exists in (itself included) plus x-default (the default
 * language's page, else its home), when the site has several languages.
 * `art` >= 0: an article (site->arts index), else folder node `node`. */
static void put_alternates(hg_buf *b, const hg_site *s, long art, size_t node) {
  const hg_site_langs *l = s->langs;
  if (!l || l->n < 2) return;
  for (size_t k = 0; k <= l->n; k++) {
    size_t lang = k < l->n ? k : 0;
    const hg_site *o = l->sites[lang];
    long t = art >= 0 ? hg_site_translation(s, (size_t)art, lang)
                      : hg_site_node_translation(s, node, lang);
    const char *dir = t < 0 ? NULL : art >= 0 ? o->arts[t].url_dir : o->nodes[t].url_dir;
    if (!dir && k < l->n) continue;
    if (!dir) dir = o->nodes[0].url_dir;
    char *u = abs_url(s, dir);
    hg_buf_puts(b, "<xhtml:link rel=\"alternate\" hreflang=\"");
    hg_buf_put_xml(b, k < l->n ? o->lang : "x-default");
    hg_buf_puts(b, "\" href=\"");
    hg_buf_put_xml(b, u);
    hg_buf_puts(b, "\"/>");
    free(u);
  }
}

/* A <url>: article `art` (>= 0), folder `node` (art -1), or the flow page
 * `flow_dir` (art -2; flows are not paired across languages, so they have
 * no alternates). */
static void put_url(hg_buf *b, const hg_site *s, long art, size_t node, const char *flow_dir,
                    const char *day) {
  char *u = abs_url(s, art >= 0 ? s->arts[art].url_dir : art == -1 ? s->nodes[node].url_dir
                                                                    : flow_dir);
  hg_buf_puts(b, "<url><loc>");
  hg_buf_put_xml(b, u);
  hg_buf_puts(b, "</loc>");
  if (*day) hg_buf_printf(b, "<lastmod>%s</lastmod>", day);
  if (art >= -1) put_alternates(b, s, art, node);
  hg_buf_puts(b, "</url>\n");
  free(u);
}

static const char urlset_open[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
    "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";

/* One URL of the sitemap: a folder, an article or a flow page of one
 * language. */
typedef struct {
  const hg_site *site;
  long art;       /* >= 0 an article, -1 a folder, -2 a flow page */
  size_t node;
  char *flow_dir; /* a flow page's url_dir (owned) */
  day_t day;
} sitemap_entry;

/* The entries of one language's pages: folders (lastmod: the newest of the
 * articles below), then articles, then the pages of its flows (no date). */
static void sitemap_collect(const hg_seo_lang *lang, sitemap_entry **v, size_t *n) {
  const hg_site *s = lang->site;
  const hg_content *c = s->content;
  day_t *node_day = hg_xcalloc(s->nnodes, sizeof *node_day);
  day_t *days = hg_xcalloc(s->narts ? s->narts : 1, sizeof *days);
  for (size_t i = 0; i < s->narts; i++) {
    if (!art_day(&c->articles[s->arts[i].article], days[i].day)) days[i].day[0] = '\0';
    if (!days[i].day[0]) continue;
    for (long f = (long)c->articles[s->arts[i].article].folder; f >= 0; f = c->folders[f].parent)
      if (strcmp(days[i].day, node_day[f].day) > 0) strcpy(node_day[f].day, days[i].day);
  }
  size_t nf = 0;
  char **flows = hg_flows_page_dirs(lang->flows, &nf);
  *v = hg_xrealloc(*v, (*n + s->nnodes + s->narts + nf + 1) * sizeof **v);
  for (size_t k = 0; k < s->nnodes; k++)
    (*v)[(*n)++] = (sitemap_entry){s, -1, k, NULL, node_day[k]};
  for (size_t i = 0; i < s->narts; i++) (*v)[(*n)++] = (sitemap_entry){s, (long)i, 0, NULL, days[i]};
  for (size_t i = 0; i < nf; i++) (*v)[(*n)++] = (sitemap_entry){s, -2, 0, flows[i], {""}};
  free(flows);
  free(days);
  free(node_day);
}

static bool write_sitemap(const hg_seo_lang *langs, size_t nl, hg_output *out, hg_diags *diags) {
  const hg_site *s = langs[0].site;
  sitemap_entry *v = NULL;
  size_t total = 0;
  for (size_t l = 0; l < nl; l++) sitemap_collect(&langs[l], &v, &total);
  size_t nfiles = (total + HG_SEO_SITEMAP_MAX - 1) / HG_SEO_SITEMAP_MAX;
  char newest[11] = "";
  for (size_t k = 0; k < total; k++)
    if (v[k].art == -1 && v[k].node == 0 && strcmp(v[k].day.day, newest) > 0)
      strcpy(newest, v[k].day.day);
  bool ok = true;
  hg_buf b = HG_BUF_INIT;
  for (size_t part = 0; ok && part < nfiles; part++) {
    hg_buf_clear(&b);
    hg_buf_puts(&b, urlset_open);
    for (size_t k = part * HG_SEO_SITEMAP_MAX; k < total && k < (part + 1) * HG_SEO_SITEMAP_MAX; k++)
      put_url(&b, v[k].site, v[k].art, v[k].node, v[k].flow_dir, v[k].day.day);
    hg_buf_puts(&b, "</urlset>\n");
    char *name = nfiles == 1 ? hg_xstrdup("sitemap.xml") : hg_strdup_printf("sitemap-%zu.xml", part + 1);
    ok = write_file(out, name, &b, diags);
    free(name);
  }
  if (ok && nfiles > 1) {
    hg_buf_clear(&b);
    hg_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (size_t part = 0; part < nfiles; part++) {
      hg_buf_puts(&b, "<sitemap><loc>");
      hg_buf_put_xml(&b, s->cfg->base_url);
      hg_buf_printf(&b, "sitemap-%zu.xml</loc>", part + 1);
      if (newest[0]) hg_buf_printf(&b, "<lastmod>%s</lastmod>", newest);
      hg_buf_puts(&b, "</sitemap>\n");
    }
    hg_buf_puts(&b, "</sitemapindex>\n");
    ok = write_file(out, "sitemap.xml", &b, diags);
  }
  hg_buf_free(&b);
  for (size_t k = 0; k < total; k++) free(v[k].flow_dir);
  free(v);
  return ok;
}

/* robots.txt: the search pages of every language are not for crawlers. */
static bool write_robots(const hg_seo_lang *langs, size_t nl, bool sitemap, hg_output *out,
                         hg_diags *diags) {
  const hg_site *s = langs[0].site;
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "# Written by helpgen. Crawlers read robots.txt only at the root of a host.\n"
                  "User-agent: *\n");
  for (size_t l = 0; l < nl; l++) {
    char *dir = lang_file(langs[l].site, "search/");
    hg_buf_puts(&b, "Disallow: ");
    url_put_path(&b, s->cfg->base_path);
    url_put_path(&b, dir);
    hg_buf_putc(&b, '\n');
    free(dir);
  }
  if (sitemap) hg_buf_printf(&b, "\nSitemap: %ssitemap.xml\n", s->cfg->base_url);
  bool ok = write_file(out, "robots.txt", &b, diags);
  hg_buf_free(&b);
  return ok;
}

/* ---- Atom feeds ---------------------------------------------------------- */
typedef struct {
  const day_t *day;
} feed_sort_ctx;

static feed_sort_ctx g_feed; /* qsort has no context argument in C11 */

static int cmp_newest(const void *x, const void *y) {
  size_t a = *(const size_t *)x, b = *(const size_t *)y;
  int r = strcmp(g_feed.day[b].day, g_feed.day[a].day);
  return r ? r : (a < b ? -1 : 1);
}

static void put_day(hg_buf *b, const char *tag, const char *day) {
  hg_buf_printf(b, "<%s>%sT00:00:00Z</%s>\n", tag, day, tag);
}

/* `arts` are the dated articles of the feed, newest first; `newest` is
 * the newest date of the whole site, the <updated> of a feed without
 * entries. */
static bool write_feed(const hg_site *s, const hg_md_result *md, size_t node,
                       const size_t *arts, size_t n, const day_t *days, const char *newest,
                       hg_output *out, hg_diags *diags) {
  const hg_config *cfg = s->cfg;
  const hg_folder *f = &s->content->folders[node];
  char *file = hg_seo_feed_file(s, node);
  char *page = abs_url(s, s->nodes[node].url_dir);
  hg_buf self = HG_BUF_INIT;
  hg_buf_puts(&self, cfg->base_url);
  url_put_path(&self, file);
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
  hg_buf_put_xml(&b, s->lang);
  hg_buf_puts(&b, "\">\n<title>");
  if (node) {
    hg_buf_put_xml(&b, f->title);
    hg_buf_puts(&b, " – ");
  }
  hg_buf_put_xml(&b, cfg->title);
  hg_buf_puts(&b, "</title>\n");
  const char *sub = node ? f->description : cfg->description;
  if (sub && *sub) {
    hg_buf_puts(&b, "<subtitle>");
    hg_buf_put_xml(&b, sub);
    hg_buf_puts(&b, "</subtitle>\n");
  }
  hg_buf_puts(&b, "<id>");
  hg_buf_put_xml(&b, page);
  hg_buf_puts(&b, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
  hg_buf_put_xml(&b, self.data);
  hg_buf_puts(&b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
  hg_buf_put_xml(&b, page);
  hg_buf_puts(&b, "\"/>\n");
  /* a feed without entries still needs an <updated>: when the site last
   * changed (the Unix epoch only when no article has a date) */
  put_day(&b, "updated", n ? days[arts[0]].day : *newest ? newest : "1970-01-01");
  hg_buf_puts(&b, "<author><name>");
  hg_buf_put_xml(&b, cfg->title);
  hg_buf_puts(&b, "</name></author>\n<generator version=\"" HG_VERSION "\">helpgen</generator>\n");
  for (size_t k = 0; k < n; k++) {
    size_t i = arts[k];
    const hg_article *a = &s->content->articles[s->arts[i].article];
    char *u = abs_url(s, s->arts[i].url_dir);
    hg_buf_puts(&b, "<entry>\n<title>");
    hg_buf_put_xml(&b, a->title);
    hg_buf_puts(&b, "</title>\n<id>");
    hg_buf_put_xml(&b, u);
    hg_buf_puts(&b, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    hg_buf_put_xml(&b, u);
    hg_buf_puts(&b, "\"/>\n");
    hg_article pub = {.date = a->date};
    char pday[11];
    if (art_day(&pub, pday) && strcmp(pday, days[i].day) <= 0)
      put_day(&b, "published", pday);
    put_day(&b, "updated", days[i].day);
    for (size_t t = 0; t < a->ntags; t++) {
      hg_buf_puts(&b, "<category term=\"");
      hg_buf_put_xml(&b, a->tags[t]);
      hg_buf_puts(&b, "\"/>\n");
    }
    if (*a->description) {
      hg_buf_puts(&b, "<summary>");
      hg_buf_put_xml(&b, a->description);
      hg_buf_puts(&b, "</summary>\n");
    }
    if (md && md[i].html && *md[i].html) {
      /* relative links in the HTML resolve against the article's page */
      hg_buf_puts(&b, "<content type=\"html\" xml:base=\"");
      hg_buf_put_xml(&b, u);
      hg_buf_puts(&b, "\">");
      hg_buf_put_xml(&b, md[i].html);
      hg_buf_puts(&b, "</content>\n");
    }
    hg_buf_puts(&b, "</entry>\n");
    free(u);
  }
  hg_buf_puts(&b, "</feed>\n");
  bool ok = write_file(out, file, &b, diags);
  hg_buf_free(&b);
  hg_buf_free(&self);
  free(page);
  free(file);
  return ok;
}

/* The feeds of one language: its home's and each category's. Articles
 * without a date are left out: an entry needs a true <updated>, and a made-up
 * one would show the article as new in feed readers. */
static bool write_feeds(const hg_site *s, const hg_md_result *md, const day_t *days,
                        const char *newest, hg_output *out, hg_diags *diags) {
  size_t *dated = hg_xcalloc(s->narts ? s->narts : 1, sizeof *dated), nd = 0;
  for (size_t i = 0; i < s->narts; i++)
    if (days[i].day[0]) dated[nd++] = i;
  g_feed.day = days;
  if (nd > 1) qsort(dated, nd, sizeof *dated, cmp_newest);
  size_t *cat = hg_xcalloc(s->narts ? s->narts : 1, sizeof *cat);
  for (size_t i = 0; i < s->narts; i++) cat[i] = category_of(s, i);
  size_t *pick = hg_xcalloc(HG_SEO_FEED_ENTRIES, sizeof *pick);
  bool ok = true;
  for (size_t node = 0; ok && node < s->nnodes; node++) {
    if (node && s->content->folders[node].depth != 1) continue;
    if (site_file(s, node, "feed.xml")) {
      warn_replaced(s, node, "feed.xml", diags);
      continue;
    }
    size_t np = 0;
    for (size_t k = 0; k < nd && np < HG_SEO_FEED_ENTRIES; k++)
      if (!node || cat[dated[k]] == node) pick[np++] = dated[k];
    ok = write_feed(s, md, node, pick, np, days, newest, out, diags);
  }
  free(pick);
  free(cat);
  free(dated);
  return ok;
}

/* ---- llms.txt and Markdown copies --------------------------------------- */
static bool has_scheme(const char *t) {
  const char *p = t;
  if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return false;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
         *p == '+' || *p == '-' || *p == '.')
    p++;
  return *p == ':';
}

/* The target of a link in the Markdown copy of article `art` (which lives
 * beside its page): links to articles lead to their Markdown copies, files
 * and folders to their output URLs. NULL to keep the target as written. */
static char *copy_target(const hg_site *s, size_t art, const char *t, size_t len) {
  char *target = hg_xstrndup(t, len);
  if (!*target || *target == '#' || hg_str_has_prefix(target, "//") || has_scheme(target) ||
      strstr(target, "{{")) {
    free(target);
    return NULL;
  }
  size_t cut = strcspn(target, "?#");
  char *suffix = hg_xstrdup(target + cut);
  target[cut] = '\0';
  /* percent-decode the path, as the Markdown stage does */
  hg_buf dec = HG_BUF_INIT;
  for (const char *p = target; *p; p++) {
    if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
      hg_buf_putc(&dec, (char)(hexval(p[1]) * 16 + hexval(p[2])));
      p += 2;
    } else {
      hg_buf_putc(&dec, *p);
    }
  }
  const hg_article *a = &s->content->articles[s->arts[art].article];
  hg_diags scratch = {0}; /* the Markdown stage reported these already */
  char *r = hg_site_resolve(s, (long)art, s->content->folders[a->folder].rel_dir,
                            s->arts[art].url_dir, hg_buf_cstr(&dec), false, a->path, 0, 0,
                            &scratch);
  hg_diags_free(&scratch);
  const char *path = hg_buf_cstr(&dec);
  bool to_article = r && (hg_str_has_suffix(path, ".md") || hg_str_has_suffix(path, ".markdown")) &&
                    strcmp(hg_path_basename(path), "_index.md");
  if (to_article) {
    size_t rl = strlen(r);
    if (hg_str_has_suffix(r, "index.html")) r[rl - strlen("index.html")] = '\0';
    char *t2 = hg_strdup_printf("%sindex.md", r);
    free(r);
    r = t2;
  }
  char *res = NULL;
  if (r) {
    hg_buf o = HG_BUF_INIT;
    bool angle = strpbrk(r, " ()<>") != NULL;
    if (angle) hg_buf_putc(&o, '<');
    hg_buf_puts(&o, r);
    hg_buf_puts(&o, suffix);
    if (angle) hg_buf_putc(&o, '>');
    res = hg_buf_steal(&o);
  }
  free(r);
  hg_buf_free(&dec);
  free(suffix);
  free(target);
  return res;
}

/* Copies one Markdown line outside code fences, rewriting the targets of
 * inline links and images "](target)" and skipping code spans. */
static void copy_inline(hg_buf *o, const hg_site *s, size_t art, const char *p, const char *end) {
  while (p < end) {
    if (*p == '\\' && p + 1 < end) {
      hg_buf_append(o, p, 2);
      p += 2;
    } else if (*p == '`') {
      const char *q = p;
      while (q < end && *q == '`') q++;
      size_t n = (size_t)(q - p);
      const char *close = q;
      for (;;) { /* the closing run of exactly n backticks */
        close = memchr(close, '`', (size_t)(end - close));
        if (!close) break;
        const char *ce = close;
        while (ce < end && *ce == '`') ce++;
        if ((size_t)(ce - close) == n) {
          close = ce;
          break;
        }
        close = ce;
      }
      const char *stop = close ? close : q;
      hg_buf_append(o, p, (size_t)(stop - p));
      p = stop;
    } else if (*p == ']' && p + 1 < end && p[1] == '(') {
      hg_buf_append(o, p, 2);
      p += 2;
      while (p < end && (*p == ' ' || *p == '\t')) hg_buf_putc(o, *p++);
      const char *t = p, *te;
      if (p < end && *p == '<') {
        te = memchr(p, '>', (size_t)(end - p));
        if (!te) continue;
        t = p + 1;
        p = te + 1;
      } else {
        int depth = 0;
        while (p < end && *p != ' ' && *p != '\t' && !(*p == ')' && depth == 0)) {
          if (*p == '\\' && p + 1 < end) p++;
          else if (*p == '(') depth++;
          else if (*p == ')') depth--;
          p++;
        }
        te = p;
      }
      char *r = copy_target(s, art, t, (size_t)(te - t));
      if (r) hg_buf_puts(o, r);
      else hg_buf_append(o, t[-1] == '<' ? t - 1 : t, (size_t)(p - (t[-1] == '<' ? t - 1 : t)));
      free(r);
    } else {
      hg_buf_putc(o, *p++);
    }
  }
}

/* The article's Markdown with its links rewritten for the copy beside the
 * page, from `from` (inside the body) on: fenced code is kept as is; inline
 * links, images and reference definitions ("[x]: target") are rewritten. */
static void copy_markdown(hg_buf *o, const hg_site *s, size_t art, const char *from) {
  const hg_article *a = &s->content->articles[s->arts[art].article];
  const char *p = from, *end = a->body + a->body_len;
  char fence = 0;
  size_t fence_len = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *q = p;
    while (q < le && q - p < 4 && *q == ' ') q++;
    size_t run = 0;
    while (q + run < le && (q[run] == '`' || q[run] == '~') && q[run] == q[0]) run++;
    bool in_code = fence != 0;
    if (q - p < 4 && run >= 3) {
      if (!fence) {
        fence = q[0];
        fence_len = run;
        in_code = true;
      } else if (q[0] == fence && run >= fence_len) {
        fence = 0;
        in_code = true;
      }
    }
    if (in_code) {
      hg_buf_append(o, p, (size_t)(le - p));
    } else if (q - p < 4 && *q == '[' && memchr(q, ']', (size_t)(le - q)) &&
               ((const char *)memchr(q, ']', (size_t)(le - q)))[1] == ':') {
      /* a reference definition: [label]: target "title" */
      const char *t = (const char *)memchr(q, ']', (size_t)(le - q)) + 2;
      hg_buf_append(o, p, (size_t)(t - p));
      while (t < le && (*t == ' ' || *t == '\t')) hg_buf_putc(o, *t++);
      bool angle = t < le && *t == '<';
      const char *ts = t + angle, *te = ts;
      while (te < le && (angle ? *te != '>' : (*te != ' ' && *te != '\t'))) te++;
      char *r = copy_target(s, art, ts, (size_t)(te - ts));
      if (r) {
        hg_buf_puts(o, r);
        if (angle && te < le) te++;
      } else {
        hg_buf_append(o, t, (size_t)(te - t));
      }
      free(r);
      hg_buf_append(o, te, (size_t)(le - te));
    } else {
      copy_inline(o, s, art, p, le);
    }
    if (nl) hg_buf_putc(o, '\n');
    p = nl ? nl + 1 : end;
  }
}

/* The Markdown copy: "# Title", the description as a quote, the body (less
 * a leading "# Title" of its own, which the page drops too). */
static char *md_copy(const hg_site *s, size_t art, size_t *len) {
  const hg_article *a = &s->content->articles[s->arts[art].article];
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b, "# %s\n\n", a->title);
  if (*a->description) hg_buf_printf(&b, "> %s\n\n", a->description);
  const char *q = a->body;
  while (*q == '\n') q++;
  if (hg_str_has_prefix(q, "# ")) {
    const char *nl = strchr(q, '\n');
    char *h1 = hg_md_first_h1(q, nl ? (size_t)(nl - q) : strlen(q));
    if (h1 && !strcmp(h1, a->title)) {
      q = nl ? nl : q + strlen(q);
      while (*q == '\n') q++;
    } else {
      q = a->body;
    }
    free(h1);
  } else {
    q = a->body;
  }
  copy_markdown(&b, s, art, q);
  if (b.len && b.data[b.len - 1] != '\n') hg_buf_putc(&b, '\n');
  *len = b.len;
  return hg_buf_steal(&b);
}

typedef struct {
  const hg_site *site;
  hg_output *out;
  hg_diags *diags; /* one per article */
  const bool *only;
} copy_job;

static void copy_one(void *ctx, size_t i, int worker) {
  (void)worker;
  copy_job *j = ctx;
  if (j->only && !j->only[i]) return;
  size_t len;
  hg_buf b = HG_BUF_INIT;
  b.data = md_copy(j->site, i, &len);
  b.len = len;
  char *rel = hg_strdup_printf("%s/index.md", j->site->arts[i].url_dir);
  write_file(j->out, rel, &b, &j->diags[i]);
  free(rel);
  hg_buf_free(&b);
}

/* The language's llms.txt (PREFIX/llms.txt) and the Markdown copies of its
 * articles. Links are absolute with base_url, else relative to the file's
 * folder. The default language's llms.txt, at the root, also links to the
 * other languages' files. */
static bool write_llms(const hg_seo_lang *langs, size_t nl, size_t lang, hg_output *out,
                       int threads, hg_diags *diags) {
  const hg_site *s = langs[lang].site;
  const hg_config *cfg = s->cfg;
  const hg_content *c = s->content;
  copy_job j = {s, out, hg_xcalloc(s->narts ? s->narts : 1, sizeof(hg_diags)),
                langs[lang].copies};
  hg_parallel_for(s->narts, threads, copy_one, &j);
  for (size_t i = 0; i < s->narts; i++) hg_diags_move(diags, &j.diags[i]);
  free(j.diags);
  if (site_file(s, 0, "llms.txt")) {
    warn_replaced(s, 0, "llms.txt", diags);
    return hg_diags_count(diags, HG_ERR) == 0;
  }
  if (langs[lang].copies) return hg_diags_count(diags, HG_ERR) == 0; /* titles: unchanged */
  /* relative links leave out the language's folder, where the file is */
  size_t cut = *cfg->base_url || !*s->prefix ? 0 : strlen(s->prefix) + 1;
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b, "# %s\n\n", cfg->title);
  if (cfg->description && *cfg->description) hg_buf_printf(&b, "> %s\n\n", cfg->description);
  hg_buf_puts(&b, "Every article below links to a Markdown copy of its page; the HTML page "
                  "is the same address without \"index.md\".\n");
  size_t last = (size_t)-1;
  for (size_t i = 0; i < s->narts; i++) {
    size_t cat = category_of(s, i);
    if (cat != last) {
      hg_buf_printf(&b, "\n## %s\n\n", cat ? c->folders[cat].title : "General");
      last = cat;
    }
    const hg_article *a = &c->articles[s->arts[i].article];
    hg_buf_puts(&b, "- [");
    for (const char *t = a->title; *t; t++) {
      if (*t == '[' || *t == ']' || *t == '\\') hg_buf_putc(&b, '\\');
      hg_buf_putc(&b, *t);
    }
    hg_buf_puts(&b, "](");
    hg_buf_puts(&b, cfg->base_url);
    url_put_path(&b, s->arts[i].url_dir + cut);
    hg_buf_puts(&b, "/index.md)");
    if (*a->description) hg_buf_printf(&b, ": %s", a->description);
    hg_buf_putc(&b, '\n');
  }
  if (lang == 0 && nl > 1) {
    hg_buf_puts(&b, "\n## Other languages\n\n");
    for (size_t k = 1; k < nl; k++) {
      const hg_site *o = langs[k].site;
      const char *name = o->lang_index < cfg->nlanguages && cfg->languages[o->lang_index].name
                             ? cfg->languages[o->lang_index].name
                             : o->lang;
      hg_buf_printf(&b, "- [%s](%s", name, cfg->base_url);
      url_put_path(&b, o->prefix);
      hg_buf_printf(&b, "/llms.txt): the same index in %s (%s)\n", name, o->lang);
    }
  }
  char *file = lang_file(s, "llms.txt");
  bool ok = write_file(out, file, &b, diags);
  free(file);
  hg_buf_free(&b);
  return ok;
}

/* ---- all of it ---------------------------------------------------------- */
bool hg_seo_write(const hg_seo_lang *langs, size_t nl, const hg_seo_settings *set,
                  hg_output *out, int threads, hg_diags *diags) {
  size_t before = hg_diags_count(diags, HG_ERR);
  const hg_site *s = langs[0].site;
  bool abs = *s->cfg->base_url != '\0';
  day_t **days = hg_xcalloc(nl, sizeof *days);
  char newest[11] = "";
  for (size_t l = 0; l < nl; l++) {
    const hg_site *ls = langs[l].site;
    days[l] = hg_xcalloc(ls->narts ? ls->narts : 1, sizeof **days);
    for (size_t i = 0; i < ls->narts; i++) {
      if (!art_day(&ls->content->articles[ls->arts[i].article], days[l][i].day))
        days[l][i].day[0] = '\0';
      if (strcmp(days[l][i].day, newest) > 0) strcpy(newest, days[l][i].day);
    }
  }

  /* an incremental build changed article bodies only: what is made of the
   * site model and front matter alone is as the last build left it */
  bool partial = langs[0].copies != NULL;
  bool sitemap = abs && !site_file(s, 0, "sitemap.xml");
  if (abs && !sitemap) warn_replaced(s, 0, "sitemap.xml", diags);
  if (sitemap && !partial) write_sitemap(langs, nl, out, diags);
  if (!site_file(s, 0, "robots.txt") && !partial) write_robots(langs, nl, abs, out, diags);
  for (size_t l = 0; abs && l < nl; l++)
    write_feeds(langs[l].site, langs[l].md, days[l], newest, out, diags);
  for (size_t l = 0; set && set->llms && l < nl; l++) write_llms(langs, nl, l, out, threads, diags);
  if (!partial) {
    alias_list al;
    hg_diags scratch = {0}; /* hg_seo_check reported these */
    aliases_collect(langs, nl, &al, &scratch);
    hg_diags_free(&scratch);
    for (size_t i = 0; i < al.n; i++)
      if (!al.v[i].bad) write_alias_page(&al, &al.v[i], out, diags);
    write_redirects(&al, out, diags);
    aliases_free(&al);
  }
  for (size_t l = 0; l < nl; l++) free(days[l]);
  free(days);
  return hg_diags_count(diags, HG_ERR) == before;
}
