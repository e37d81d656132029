/* check.c - `helpgen check`: content rules over the site model, and the
 * reports (text, JSON, JUnit XML) that writers and CI systems read.
 *
 * How it works: the site is read by the build's own stages (config, theme,
 * content, site), so check and build agree on what exists. Every article
 * and folder intro is rendered with hg_md_render (for its heading ids and
 * the build's Markdown warnings) and walked once more with cmark-gfm for its
 * links with their "#fragment"s, which hg_md_render's resolver never sees.
 * Links are resolved with hg_site_resolve, like the build does. */
#include "hg_check.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hg_config.h"
#include "hg_content.h"
#include "hg_markdown.h"
#include "hg_seo.h"
#include "hg_site.h"
#include "hg_theme.h"

const hg_check_rule hg_check_rules[] = {
    {"broken-link", HG_ERR, "a link to an article, folder or file that does not exist"},
    {"broken-anchor", HG_ERR, "a #fragment that matches no heading id of the linked article"},
    {"draft-link", HG_WARN, "a link to a draft, which is not published"},
    {"missing-image", HG_ERR, "an image whose file does not exist"},
    {"oversized-image", HG_WARN, "an image file larger than the limit (500 kB unless configured)"},
    {"orphan", HG_WARN, "an article that no other article or folder intro links to and that is not promoted"},
    {"duplicate-title", HG_WARN, "two articles in one folder with the same title"},
    {"duplicate-slug", HG_ERR, "two pages in one folder with the same URL"},
    {"missing-description", HG_WARN, "an article without a description"},
    {"review-overdue", HG_WARN, "a review_by date that has passed"},
    {"missing-translation", HG_WARN, "an article missing in one of the configured languages"},
    {"alias-collision", HG_ERR, "an alias claimed by two articles, equal to the URL of a real page or a generated file, or a redirect loop"},
    {"config", -1, "what the build reports about helpgen.yaml"},
    {"theme", -1, "what the build reports about the theme"},
    {"content", -1, "what the build reports about files and front matter"},
    {"site", -1, "what the build reports about URLs (reserved names, folder clashes)"},
    {"markdown", -1, "what the build reports about Markdown (raw HTML, template variables)"},
    {NULL, 0, NULL}};

#define DEFAULT_MAX_IMAGE_KB 500

/* ---- findings -------------------------------------------------------------- */

static void vadd(hg_check_report *r, const char *rule, hg_severity sev, const char *path,
                 int line, int col, const char *fmt, va_list ap) {
  if (r->len == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 32;
    r->items = hg_xrealloc(r->items, r->cap * sizeof *r->items);
  }
  hg_finding *f = &r->items[r->len++];
  f->rule = rule;
  f->sev = sev;
  f->path = path ? hg_xstrdup(path) : NULL;
  f->line = line;
  f->col = col;
  hg_buf b = HG_BUF_INIT;
  hg_buf_vprintf(&b, fmt, ap);
  f->msg = hg_buf_steal(&b);
}

static void add(hg_check_report *r, const char *rule, hg_severity sev, const char *path,
                int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static void add(hg_check_report *r, const char *rule, hg_severity sev, const char *path,
                int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vadd(r, rule, sev, path, line, col, fmt, ap);
  va_end(ap);
}

static void add_diags(hg_check_report *r, const char *rule, const hg_diags *d) {
  for (size_t i = 0; i < d->len; i++)
    add(r, rule, d->items[i].sev, d->items[i].path, d->items[i].line, d->items[i].col, "%s",
        d->items[i].msg);
}

static int rule_index(const char *rule) {
  for (int i = 0; hg_check_rules[i].name; i++)
    if (!strcmp(hg_check_rules[i].name, rule)) return i;
  return INT_MAX;
}

static int cmp_findings(const void *x, const void *y) {
  const hg_finding *a = x, *b = y;
  if (!a->path != !b->path) return a->path ? 1 : -1;
  int c = a->path ? strcmp(a->path, b->path) : 0;
  if (c) return c;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  if (a->col != b->col) return a->col < b->col ? -1 : 1;
  int ra = rule_index(a->rule), rb = rule_index(b->rule);
  if (ra != rb) return ra < rb ? -1 : 1;
  return strcmp(a->msg, b->msg);
}

void hg_check_report_free(hg_check_report *r) {
  for (size_t i = 0; i < r->len; i++) {
    free(r->items[i].path);
    free(r->items[i].msg);
  }
  free(r->items);
  r->items = NULL;
  r->len = r->cap = 0;
}

int hg_check_exit_code(const hg_check_report *r, bool strict) {
  if (r->fatal) return 2;
  return r->errors || (strict && r->warnings) ? 1 : 0;
}

bool hg_check_date_ok(const char *s) {
  static const char shape[] = "dddd-dd-dd";
  for (size_t i = 0; i < 10; i++)
    if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-') return false;
  if (s[10]) return false;
  int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* ---- pages: articles and folder intros --------------------------------------- */

typedef struct {
  char *path;  /* percent-decoded path part; "" for "#fragment" links */
  char *frag;  /* percent-decoded fragment, or NULL */
  bool image;
  int line, col;
} link_ref;

typedef struct {
  const char *path;     /* file name for messages */
  const char *body;
  size_t len;
  int line_offset;
  long art;             /* index into site->arts, or -1 for a folder intro */
  const char *from_dir; /* content folder of the file */
  const char *page_dir; /* URL folder of its page */
  const char *title;
  bool faq;
  hg_strmap ids;        /* heading (and other element) ids of the page */
  link_ref *links;
  size_t nlinks;
  hg_diags diags;       /* the Markdown stage's own warnings */
} page;

/* The extensions hg_md_render parses with, so links are found where it finds them. */
#define NEXT 4
static const char *const ext_names[NEXT] = {"table", "strikethrough", "autolink", "tasklist"};


/* File line and 1-based character column of cmark's (body line, byte
 * column), as the build reports positions. */
static void position(const page *p, const size_t *starts, size_t nstarts, cmark_node *n,
                     int *line, int *col) {
  for (; n && cmark_node_get_start_line(n) <= 0; n = cmark_node_parent(n)) {
  }
  int l = n ? cmark_node_get_start_line(n) : 1, k = n ? cmark_node_get_start_column(n) : 1;
  size_t start = (size_t)l - 1 < nstarts ? starts[l - 1] : p->len;
  size_t chars = 0;
  for (size_t i = start; i < start + (size_t)(k > 1 ? k - 1 : 0) && i < p->len && p->body[i] != '\n';
       i++)
    if (((unsigned char)p->body[i] & 0xC0) != 0x80) chars++;
  *line = l + p->line_offset;
  *col = (int)chars + 1;
}

static void collect_links(page *p, cmark_syntax_extension *const *exts) {
  size_t nstarts = 1, cap = 64;
  size_t *starts = hg_xmalloc(cap * sizeof *starts);
  starts[0] = 0;
  for (size_t i = 0; i < p->len; i++)
    if (p->body[i] == '\n') {
      if (nstarts == cap) starts = hg_xrealloc(starts, (cap *= 2) * sizeof *starts);
      starts[nstarts++] = i + 1;
    }
  cmark_parser *ps = cmark_parser_new(CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8);
  for (size_t i = 0; i < NEXT; i++)
    if (exts[i]) cmark_parser_attach_syntax_extension(ps, exts[i]);
  cmark_parser_feed(ps, p->body, p->len);
  cmark_node *doc = cmark_parser_finish(ps);
  cmark_parser_free(ps);
  size_t lcap = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE)) continue;
    const char *url = cmark_node_get_url(n);
    if (!url || !*url || hg_url_has_scheme(url) || strstr(url, "{{")) continue;
    size_t pathlen = strcspn(url, "?#");
    const char *hash = strchr(url + pathlen, '#');
    if (pathlen == 0 && !hash) continue; /* "?query" only */
    if (p->nlinks == lcap) {
      lcap = lcap ? lcap * 2 : 8;
      p->links = hg_xrealloc(p->links, lcap * sizeof *p->links);
    }
    link_ref *l = &p->links[p->nlinks++];
    l->path = hg_percent_decode(url, pathlen);
    l->frag = hash && hash[1] ? hg_percent_decode(hash + 1, strlen(hash + 1)) : NULL;
    l->image = t == CMARK_NODE_IMAGE;
    position(p, starts, nstarts, n, &l->line, &l->col);
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  free(starts);
}

/* Every id="..." in rendered HTML (headings, FAQ items, footnotes). */
static void collect_ids(hg_strmap *ids, const char *html) {
  for (const char *p = html; (p = strstr(p, " id=\"")); ) {
    p += 5;
    const char *e = strchr(p, '"');
    if (!e) break;
    hg_buf b = HG_BUF_INIT;
    hg_buf_puts(&b, "");
    for (const char *q = p; q < e; q++) {
      static const struct { const char *ent; char ch; } ents[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''},
          {"&#x27;", '\''}};
      size_t k = 0;
      for (; k < sizeof ents / sizeof *ents; k++)
        if (!strncmp(q, ents[k].ent, strlen(ents[k].ent))) break;
      if (k < sizeof ents / sizeof *ents) {
        hg_buf_putc(&b, ents[k].ch);
        q += strlen(ents[k].ent) - 1;
      } else {
        hg_buf_putc(&b, *q);
      }
    }
    hg_strmap_put(ids, hg_buf_cstr(&b), 1);
    hg_buf_free(&b);
    p = e;
  }
}

typedef struct {
  page *pages;
  bool unsafe;
  cmark_syntax_extension *exts[NEXT]; /* looked up before the threads start */
} scan_job;

static void scan_one(void *ctx, size_t i, int worker) {
  (void)worker;
  scan_job *j = ctx;
  page *p = &j->pages[i];
  if (!p->body) return;
  hg_md_opts o = {.path = p->path, .line_offset = p->line_offset, .unsafe = j->unsafe,
                  .faq = p->faq, .title = p->title};
  hg_md_result res;
  hg_md_render(p->body, p->len, &o, &res, &p->diags);
  collect_ids(&p->ids, res.html ? res.html : "");
  hg_md_result_free(&res);
  collect_links(p, j->exts);
}

static void pages_free(page *pages, size_t n) {
  for (size_t i = 0; pages && i < n; i++) {
    hg_strmap_free(&pages[i].ids);
    for (size_t k = 0; k < pages[i].nlinks; k++) {
      free(pages[i].links[k].path);
      free(pages[i].links[k].frag);
    }
    free(pages[i].links);
    hg_diags_free(&pages[i].diags);
  }
  free(pages);
}

/* ---- the rules -------------------------------------------------------------- */

typedef struct {
  const hg_config *cfg;
  const hg_content *c;
  const hg_site *s;
  page *pages; /* s->narts articles, then s->nnodes folder intros */
  bool *linked;
  long max_image_bytes;
  const char *today;
  hg_check_report *r;
  bool drafts;  /* drafts are checked as published articles */
} checker;

static const hg_article *art_of(const checker *k, size_t i) {
  return &k->c->articles[k->s->arts[i].article];
}

/* The content-relative file a local target points at, as hg_site_resolve
 * computes it, or NULL when it climbs out of content/. */
static char *target_rel(const char *from_dir, const char *target) {
  char *joined = target[0] == '/' ? hg_xstrdup(target + 1) : hg_path_join(from_dir, target);
  char *rel = hg_path_normalize(joined);
  free(joined);
  return rel;
}

static void check_anchor(checker *k, const page *p, const link_ref *l, long target,
                         const char *shown) {
  if (!l->frag || target < 0) return;
  if (hg_strmap_get(&k->pages[target].ids, l->frag, 0)) return;
  add(k->r, "broken-anchor", HG_ERR, p->path, l->line, l->col,
      "link to '%s#%s': %s has no heading with the id '%s'", shown, l->frag,
      target == p->art ? "this page" : k->pages[target].path, l->frag);
}

static void check_link(checker *k, const page *p, const link_ref *l) {
  if (!*l->path) { /* "#fragment": this page */
    if (p->art >= 0 && !l->image) check_anchor(k, p, l, p->art, "");
    return;
  }
  hg_diags d = {0};
  char *out = hg_site_resolve(k->s, p->art, p->from_dir, p->page_dir, l->path, l->image,
                              p->path, l->line, l->col, &d);
  char *rel = target_rel(p->from_dir, l->path);
  for (size_t i = 0; i < d.len; i++) {
    const char *rule = l->image ? "missing-image" : d.items[i].sev == HG_ERR ? "broken-link" : "draft-link";
    hg_severity sev = l->image ? HG_ERR : d.items[i].sev;
    add(k->r, rule, sev, d.items[i].path, d.items[i].line, d.items[i].col, "%s", d.items[i].msg);
  }
  if (!d.len && !out && rel && hg_strmap_get(&k->s->by_path, rel, -1) == HG_SITE_FAILED) {
    /* an article with errors of its own: those findings say what to fix */
  } else if (!d.len && !out) {
    if (!rel)
      add(k->r, l->image ? "missing-image" : "broken-link", HG_ERR, p->path, l->line, l->col,
          "%s '%s' leads outside content/", l->image ? "image" : "link to", l->path);
    else
      add(k->r, l->image ? "missing-image" : "broken-link", HG_ERR, p->path, l->line, l->col,
          "%s '%s' not found (no article, folder or file content/%s)",
          l->image ? "image" : "link to", l->path, rel);
  } else if (out && rel) {
    bool md = hg_str_has_suffix(rel, ".md") || hg_str_has_suffix(rel, ".markdown");
    if (md && strcmp(hg_path_basename(rel), "_index.md")) {
      long a = hg_strmap_get(&k->s->by_path, rel, -1);
      if (a >= 0 && a != p->art) k->linked[a] = true;
      if (!l->image) check_anchor(k, p, l, a, l->path);
    } else if (l->image) {
      char *file = hg_path_join(k->c->content_dir, rel);
      struct stat st;
      if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > k->max_image_bytes)
        add(k->r, "oversized-image", HG_WARN, p->path, l->line, l->col,
            "image '%s' is %lld kB, over the limit of %ld kB (resize or compress it)",
            l->path, ((long long)st.st_size + 999) / 1000, k->max_image_bytes / 1000);
      free(file);
    }
  }
  free(rel);
  free(out);
  hg_diags_free(&d);
}

/* Lowercased (ASCII), whitespace-trimmed title for comparisons. */
static char *fold_title(const char *t) {
  while (*t == ' ' || *t == '\t') t++;
  char *s = hg_xstrdup(t);
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
  for (char *q = s; *q; q++)
    if (*q >= 'A' && *q <= 'Z') *q = (char)(*q + 32);
  return s;
}

static void value_pos(const hg_value *meta, const char *key, int *line, int *col) {
  hg_value *v = hg_value_get(meta, key);
  *line = v ? v->line : 1;
  *col = v ? v->col : 0;
}

/* duplicate-slug and duplicate-title, folder by folder. Marks in dup_slug
 * both articles of a duplicate slug: the site stage reports the clash too,
 * and its copy is dropped. Of two articles, the one that sets `slug:` is
 * reported (its line is where the fix goes), else the later in site order. */
static void check_duplicates(checker *k, bool *dup_slug) {
  const hg_site *s = k->s;
  for (size_t n = 0; n < s->nnodes; n++) {
    const hg_site_node *node = &s->nodes[n];
    hg_strmap slugs = {0}, titles = {0};
    for (size_t i = 0; i < node->nchildren; i++)
      hg_strmap_put(&slugs, k->c->folders[node->children[i]].slug, -1 - (long)node->children[i]);
    for (size_t i = 0; i < node->narts; i++) {
      size_t ai = node->arts[i];
      const hg_article *a = art_of(k, ai);
      long prev = hg_strmap_get(&slugs, a->slug, LONG_MAX);
      if (prev != LONG_MAX) {
        size_t who = ai;
        const char *other = prev < 0 ? k->c->folders[-1 - prev].path : art_of(k, (size_t)prev)->path;
        if (prev >= 0) {
          dup_slug[prev] = true;
          if (!hg_value_get(a->meta, "slug") && hg_value_get(art_of(k, (size_t)prev)->meta, "slug")) {
            who = (size_t)prev;
            other = a->path;
          }
        }
        dup_slug[ai] = true;
        const hg_article *w = art_of(k, who);
        const hg_value *sv = hg_value_get(w->meta, "slug");
        add(k->r, "duplicate-slug", HG_ERR, w->path, sv ? sv->line : 1, sv ? sv->col : 0,
            "duplicate slug '%s': %s has the same URL '%s/' (set a different 'slug:' in one "
            "of them)", w->slug, other, s->arts[ai].url_dir);
      } else {
        hg_strmap_put(&slugs, a->slug, (long)ai);
      }
      char *t = fold_title(a->title);
      long tprev = hg_strmap_get(&titles, t, -1);
      if (tprev >= 0)
        add(k->r, "duplicate-title", HG_WARN, a->path, a->title_line > 0 ? a->title_line : 1, 0,
            "duplicate title '%s': %s in the same folder has it too (readers cannot tell "
            "them apart in lists and search results)", a->title, art_of(k, (size_t)tprev)->path);
      else
        hg_strmap_put(&titles, t, (long)ai);
      free(t);
    }
    hg_strmap_free(&slugs);
    hg_strmap_free(&titles);
  }
}

/* Alias problems exactly as the build reports them (hg_seo_check, over
 * every language): an alias that is not a path on this site, that is the URL
 * of a page or of one of helpgen's own files, a duplicate, a redirect loop. */
static void check_aliases(checker *k, hg_site *const *sites, size_t n) {
  hg_diags d = {0};
  hg_seo_lang *langs = hg_xcalloc(n, sizeof *langs);
  for (size_t l = 0; l < n; l++) langs[l] = (hg_seo_lang){sites[l], NULL, NULL, NULL};
  hg_seo_check(langs, n, &d);
  add_diags(k->r, "alias-collision", &d);
  hg_diags_free(&d);
  free(langs);
}

/* With `languages:`, every published article of the default language that
 * has no translation in another configured language (pairs by relative
 * path or translation_key, as the build does). */
static void check_translations(checker *k, hg_site *const *sites, size_t n) {
  const hg_config *cfg = k->cfg;
  for (size_t l = 1; l < n; l++) {
    const hg_site *d = sites[0];
    const hg_language *lang = &cfg->languages[l];
    for (size_t i = 0; i < d->narts; i++) {
      if (hg_site_translation(d, i, l) >= 0) continue;
      const hg_article *a = &d->content->articles[d->arts[i].article];
      const char *key = a->translation_key ? a->translation_key : a->rel_path;
      add(k->r, "missing-translation", HG_WARN, a->path, 1, 0,
          "no %s%s%s%s translation: add content/%s/%s (or give the translation "
          "'translation_key: %s')", lang->code, lang->name ? " (" : "",
          lang->name ? lang->name : "", lang->name ? ")" : "", lang->code, a->rel_path, key);
    }
  }
}

/* The rules that need every language tree as the build reads it: aliases
 * (the URLs of all languages) and missing translations. Without
 * `languages:` the one tree is the checker's own. The language trees are
 * read here on their own; their other problems are reported by the other
 * rules. */
static void check_languages(checker *k) {
  const hg_config *cfg = k->cfg;
  size_t n = cfg->nlanguages;
  if (!n) {
    hg_site *one = (hg_site *)k->s;
    check_aliases(k, &one, 1);
    return;
  }
  hg_content **contents = hg_xcalloc(n, sizeof *contents);
  hg_site **sites = hg_xcalloc(n, sizeof *sites);
  const char **reserved = hg_xcalloc(n, sizeof *reserved);
  for (size_t l = 0; l < n; l++) reserved[l] = cfg->languages[l].code;
  hg_diags scratch = {0};
  bool ok = true;
  for (size_t l = 0; l < n && ok; l++) {
    hg_error *e = NULL;
    hg_content_opts co = {.threads = 1, .lang_dir = cfg->languages[l].code};
    contents[l] = hg_content_load(cfg, &co, &scratch, &e);
    if (!contents[l]) {
      add(k->r, "missing-translation", HG_WARN, NULL, 0, 0, "%s (no article is translated)",
          e ? e->msg : "cannot read the language folder");
      hg_error_free(e);
      ok = false;
      break;
    }
    hg_site_opts so = {.drafts = k->drafts, .lang = cfg->languages[l].code,
                       .prefix = l ? cfg->languages[l].code : NULL,
                       .lang_dir = cfg->languages[l].code,
                       .reserved = l ? NULL : reserved + 1, .nreserved = l ? 0 : n - 1};
    sites[l] = hg_site_build(cfg, contents[l], &so, &scratch);
  }
  hg_site_langs *langs = ok ? hg_site_langs_new(sites, n, &scratch) : NULL;
  if (langs) {
    check_aliases(k, sites, n);
    check_translations(k, sites, n);
  }
  hg_site_langs_free(langs);
  for (size_t l = 0; l < n; l++) {
    hg_site_free(sites[l]);
    hg_content_free(contents[l]);
  }
  free(reserved);
  free(sites);
  free(contents);
  hg_diags_free(&scratch);
}

static void check_articles(checker *k) {
  const hg_site *s = k->s;
  for (size_t i = 0; i < s->narts; i++) {
    const hg_article *a = art_of(k, i);
    if (!*a->description)
      add(k->r, "missing-description", HG_WARN, a->path, 1, 0,
          "no description: add 'description:' to the front matter (lists, search results "
          "and search engines show it)");
    if (a->review_by && strncmp(a->review_by, k->today, 10) < 0) {
      int line, col;
      value_pos(a->meta, "review_by", &line, &col);
      add(k->r, "review-overdue", HG_WARN, a->path, line, col,
          "review_by %.10s has passed (today is %s): review the article, then set a new date",
          a->review_by, k->today);
    }
    if (!k->linked[i] && !a->promoted)
      add(k->r, "orphan", HG_WARN, a->path, 1, 0,
          "no other article or folder intro links here and it is not promoted (link it "
          "from a related article, or set promoted: true)");
  }
}

static long config_max_image_kb(const hg_config *cfg, hg_check_report *r) {
  const hg_value *v = hg_value_get(hg_value_get(cfg->root, "check"), "max_image_kb");
  if (!v) return DEFAULT_MAX_IMAGE_KB;
  if (v->type == HG_V_INT && v->i > 0 && v->i < LONG_MAX / 1000) return (long)v->i;
  add(r, "config", HG_WARN, cfg->config_path, v->line, v->col,
      "'check.max_image_kb' should be a positive number of kB (using %d)", DEFAULT_MAX_IMAGE_KB);
  return DEFAULT_MAX_IMAGE_KB;
}

static void today_local(char out[11]) {
  time_t t = time(NULL);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

static void fatal(hg_check_report *r, const char *rule, hg_error *err) {
  add(r, rule, HG_ERR, NULL, 0, 0, "%s", err ? err->msg : "failed");
  r->fatal = true;
  hg_error_free(err);
}

bool hg_check_run(const hg_check_opts *opts, hg_check_report *r, hg_error **err) {
  memset(r, 0, sizeof *r);
  const char *site_dir = opts->site_dir ? opts->site_dir : ".";
  if (opts->today && !hg_check_date_ok(opts->today)) {
    hg_error_set(err, 2, NULL, 0, 0, "--today '%s' is not a date YYYY-MM-DD", opts->today);
    return false;
  }
  if (!hg_is_dir(site_dir)) {
    hg_error_set(err, 2, NULL, 0, 0, "site folder '%s' not found", site_dir);
    return false;
  }
  if (opts->today) memcpy(r->today, opts->today, 11);
  else today_local(r->today);
  int threads = opts->threads > 0 ? opts->threads : hg_default_threads();
  hg_diags d = {0};
  hg_error *e = NULL;
  hg_theme *theme = NULL;
  hg_content *content = NULL;
  hg_site *site = NULL;
  page *pages = NULL;
  bool *linked = NULL, *dup_slug = NULL;
  size_t npages = 0;

  hg_config *cfg = hg_config_load(site_dir, &d, &e);
  add_diags(r, "config", &d);
  hg_diags_free(&d);
  if (!cfg) {
    fatal(r, "config", e);
    goto done;
  }
  long max_kb = opts->max_image_kb > 0 ? opts->max_image_kb : config_max_image_kb(cfg, r);
  theme = hg_theme_load(cfg, &e);
  if (!theme) {
    fatal(r, "theme", e);
    goto done;
  }
  hg_theme_apply_brand(theme, cfg, &d); /* brand colour contrast */
  add_diags(r, "config", &d);
  hg_diags_free(&d);
  hg_content_opts co = {.threads = threads};
  content = hg_content_load(cfg, &co, &d, &e);
  add_diags(r, "content", &d);
  hg_diags_free(&d);
  if (!content) {
    fatal(r, "content", e);
    goto done;
  }
  hg_site_opts so = {.drafts = opts->drafts};
  hg_diags site_diags = {0};
  site = hg_site_build(cfg, content, &so, &site_diags);
  r->articles = site->narts;

  npages = site->narts + site->nnodes;
  pages = hg_xcalloc(npages ? npages : 1, sizeof *pages);
  for (size_t i = 0; i < site->narts; i++) {
    const hg_article *a = &content->articles[site->arts[i].article];
    pages[i] = (page){.path = a->path, .body = a->body, .len = a->body_len,
                      .line_offset = a->body_line, .art = (long)i,
                      .from_dir = content->folders[a->folder].rel_dir,
                      .page_dir = site->arts[i].url_dir, .title = a->title, .faq = a->faq};
  }
  for (size_t n = 0; n < site->nnodes; n++) {
    const hg_folder *f = &content->folders[n];
    pages[site->narts + n] = (page){.path = f->index_path, .body = f->intro, .len = f->intro_len,
                                    .line_offset = f->intro_line, .art = -1,
                                    .from_dir = f->rel_dir, .page_dir = site->nodes[n].url_dir,
                                    .title = f->title};
  }
  scan_job job = {pages, cfg->markdown_unsafe, {NULL}};
  for (size_t i = 0; i < NEXT; i++) job.exts[i] = cmark_find_syntax_extension(ext_names[i]);
  hg_parallel_for(npages, threads, scan_one, &job);

  linked = hg_xcalloc(site->narts + 1, sizeof *linked);
  dup_slug = hg_xcalloc(site->narts + 1, sizeof *dup_slug);
  checker k = {cfg, content, site, pages, linked, max_kb * 1000, r->today, r, opts->drafts};
  for (size_t i = 0; i < npages; i++) {
    add_diags(r, "markdown", &pages[i].diags);
    for (size_t l = 0; l < pages[i].nlinks; l++) check_link(&k, &pages[i], &pages[i].links[l]);
  }
  check_duplicates(&k, dup_slug);
  /* the site stage's copy of a duplicate slug is dropped; the rest is kept */
  hg_strmap dup_paths = {0};
  for (size_t a = 0; a < site->narts; a++)
    if (dup_slug[a]) hg_strmap_put(&dup_paths, art_of(&k, a)->path, 1);
  for (size_t i = 0; i < site_diags.len; i++) {
    const hg_diag *sd = &site_diags.items[i];
    if (sd->sev == HG_ERR && sd->path && hg_strmap_get(&dup_paths, sd->path, 0)) continue;
    add(r, "site", sd->sev, sd->path, sd->line, sd->col, "%s", sd->msg);
  }
  hg_strmap_free(&dup_paths);
  hg_diags_free(&site_diags);
  check_articles(&k);
  check_languages(&k);

done:
  pages_free(pages, npages);
  free(linked);
  free(dup_slug);
  hg_site_free(site);
  hg_content_free(content);
  hg_theme_free(theme);
  hg_config_free(cfg);
  if (r->len > 1) qsort(r->items, r->len, sizeof *r->items, cmp_findings);
  for (size_t i = 0; i < r->len; i++) {
    if (r->items[i].sev == HG_ERR) r->errors++;
    else r->warnings++;
  }
  return true;
}

/* ---- reports ------------------------------------------------------------------ */

static void put_location(hg_buf *b, const hg_finding *f) {
  if (!f->path) return;
  hg_buf_puts(b, f->path);
  if (f->line > 0) {
    hg_buf_printf(b, ":%d", f->line);
    if (f->col > 0) hg_buf_printf(b, ":%d", f->col);
  }
  hg_buf_puts(b, ": ");
}

static void put_line(hg_buf *b, const hg_finding *f, bool color) {
  put_location(b, f);
  if (color)
    hg_buf_puts(b, f->sev == HG_ERR ? "\033[1;31merror:\033[0m " : "\033[1;35mwarning:\033[0m ");
  else
    hg_buf_puts(b, f->sev == HG_ERR ? "error: " : "warning: ");
  hg_buf_puts(b, f->msg);
  hg_buf_printf(b, color ? " \033[2m[%s]\033[0m" : " [%s]", f->rule);
}

char *hg_check_format_text(const hg_check_report *r, bool color) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "");
  for (size_t i = 0; i < r->len; i++) {
    put_line(&b, &r->items[i], color);
    hg_buf_putc(&b, '\n');
  }
  return hg_buf_steal(&b);
}

char *hg_check_summary(const hg_check_report *r) {
  if (r->fatal) return hg_xstrdup("helpgen check: the site could not be read (see above)");
  return hg_strdup_printf("helpgen check: %zu article%s, %zu error%s, %zu warning%s",
                          r->articles, r->articles == 1 ? "" : "s", r->errors,
                          r->errors == 1 ? "" : "s", r->warnings, r->warnings == 1 ? "" : "s");
}

char *hg_check_format_json(const hg_check_report *r, bool strict) {
  json_t *root = json_object();
  json_object_set_new(root, "today", json_string(r->today));
  json_object_set_new(root, "strict", json_boolean(strict));
  json_t *sum = json_object();
  json_object_set_new(sum, "articles", json_integer((json_int_t)r->articles));
  json_object_set_new(sum, "errors", json_integer((json_int_t)r->errors));
  json_object_set_new(sum, "warnings", json_integer((json_int_t)r->warnings));
  json_object_set_new(sum, "passed", json_boolean(hg_check_exit_code(r, strict) == 0));
  json_object_set_new(root, "summary", sum);
  json_t *list = json_array();
  for (size_t i = 0; i < r->len; i++) {
    const hg_finding *f = &r->items[i];
    json_t *o = json_object();
    json_object_set_new(o, "path", f->path ? json_string(f->path) : json_null());
    json_object_set_new(o, "line", json_integer(f->line));
    /* columns count from 1: a finding about a whole line (or file) is at its start */
    json_object_set_new(o, "column", json_integer(f->line > 0 && f->col < 1 ? 1 : f->col));
    json_object_set_new(o, "severity", json_string(f->sev == HG_ERR ? "error" : "warning"));
    json_object_set_new(o, "rule", json_string(f->rule));
    json_object_set_new(o, "message", json_string(f->msg));
    json_array_append_new(list, o);
  }
  json_object_set_new(root, "findings", list);
  char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(root);
  char *out = hg_strdup_printf("%s\n", s ? s : "{}");
  free(s);
  return out;
}


char *hg_check_format_junit(const hg_check_report *r, bool strict) {
  size_t nrules = 0;
  while (hg_check_rules[nrules].name) nrules++;
  size_t *cases = hg_xcalloc(nrules, sizeof *cases), *fails = hg_xcalloc(nrules, sizeof *fails);
  size_t total = 0, failures = 0;
  for (size_t i = 0; i < r->len; i++) {
    int k = rule_index(r->items[i].rule);
    if (k == INT_MAX) continue;
    cases[k]++;
    fails[k] += r->items[i].sev == HG_ERR || strict;
  }
  bool *none = hg_xcalloc(nrules, sizeof *none);
  for (size_t k = 0; k < nrules; k++) {
    none[k] = !cases[k];
    if (none[k]) cases[k] = 1; /* one passing (or skipped) case */
    total += cases[k];
    failures += fails[k];
  }
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  hg_buf_printf(&b, "<testsuites name=\"helpgen check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
                total, failures);
  for (size_t k = 0; k < nrules; k++) {
    const char *rule = hg_check_rules[k].name;
    hg_buf_printf(&b, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%d\">\n",
                  rule, cases[k], fails[k], r->fatal && none[k]);
    bool any = false;
    for (size_t i = 0; i < r->len; i++) {
      const hg_finding *f = &r->items[i];
      if (strcmp(f->rule, rule)) continue;
      any = true;
      hg_buf loc = HG_BUF_INIT, line = HG_BUF_INIT;
      hg_buf_puts(&loc, "");
      put_location(&loc, f);
      if (loc.len >= 2) loc.data[loc.len -= 2] = '\0'; /* drop ": " */
      put_line(&line, f, false);
      hg_buf_printf(&b, "    <testcase classname=\"helpgen.check.%s\" name=\"", rule);
      hg_buf_put_xml(&b, loc.len ? loc.data : rule);
      hg_buf_puts(&b, "\"");
      if (f->path) {
        hg_buf_puts(&b, " file=\"");
        hg_buf_put_xml(&b, f->path);
        hg_buf_printf(&b, "\" line=\"%d\"", f->line);
      }
      hg_buf_puts(&b, ">\n");
      if (f->sev == HG_ERR || strict) {
        hg_buf_printf(&b, "      <failure type=\"%s\" message=\"", f->sev == HG_ERR ? "error" : "warning");
        hg_buf_put_xml(&b, f->msg);
        hg_buf_puts(&b, "\">");
        hg_buf_put_xml(&b, line.data);
        hg_buf_puts(&b, "</failure>\n");
      } else {
        hg_buf_puts(&b, "      <system-out>");
        hg_buf_put_xml(&b, line.data);
        hg_buf_puts(&b, "</system-out>\n");
      }
      hg_buf_puts(&b, "    </testcase>\n");
      hg_buf_free(&loc);
      hg_buf_free(&line);
    }
    if (!any && r->fatal)
      hg_buf_printf(&b, "    <testcase classname=\"helpgen.check.%s\" name=\"not run\">"
                    "<skipped message=\"the site could not be read\"/></testcase>\n", rule);
    else if (!any)
      hg_buf_printf(&b, "    <testcase classname=\"helpgen.check.%s\" name=\"no findings\"/>\n", rule);
    hg_buf_puts(&b, "  </testsuite>\n");
  }
  hg_buf_puts(&b, "</testsuites>\n");
  free(cases);
  free(fails);
  free(none);
  return hg_buf_steal(&b);
}
