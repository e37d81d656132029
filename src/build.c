/* build.c - the pipeline driver behind `helpgen build`. */
#include "hg_build.h"

#include "hg_cache.h"

#include <dirent.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hg_config.h"
#include "hg_content.h"
#include "hg_flows.h"
#include "hg_hooks.h"
#include "hg_i18n.h"
#include "hg_images.h"
#include "hg_markdown.h"
#include "hg_output.h"
#include "hg_related.h"
#include "hg_render.h"
#include "hg_search.h"
#include "hg_seo.h"
#include "hg_site.h"
#include "hg_state.h"
#include "hg_theme.h"
#include "hg_walk.h"

typedef struct {
  const hg_site *site;
  hg_md_result *arts;
  hg_md_result *intros;
  hg_diags *diags; /* narts + nnodes slots */
  hg_hooks *hooks;
  const hg_strmap *dropped; /* content paths of articles a hook left out */
  const hg_flows *flows;
  hg_images *images;
  volatile sig_atomic_t *interrupted; /* set by a signal: skip what is left */
} md_job;

typedef struct {
  const hg_site *site;
  long art;
  const char *from_dir;
  const char *page_dir;
  const char *path;
  const hg_strmap *dropped;
  const hg_flows *flows;
  hg_images *images;
} resolve_ctx;

/* Is `target` (a link in folder from_dir) an article a hook dropped? */
static bool links_dropped(const resolve_ctx *r, const char *target) {
  if (!r->dropped->len || !hg_str_has_suffix(target, ".md")) return false;
  char *joined = target[0] == '/' ? hg_xstrdup(target + 1) : hg_path_join(r->from_dir, target);
  char *rel = hg_path_normalize(joined);
  bool hit = rel && hg_strmap_get(r->dropped, rel, 0);
  free(joined);
  free(rel);
  return hit;
}

static char *resolve(void *ctx, const char *target, int kind, int line, int col,
                     hg_diags *diags) {
  resolve_ctx *r = ctx;
  if (kind == HG_LINK_LINK) { /* [Track my order](../../flows/track-order.yaml) */
    bool handled;
    char *u = hg_flows_resolve(r->flows, r->from_dir, r->page_dir, target, r->path, line, col,
                               diags, &handled);
    if (handled) return u;
  }
  if (kind == HG_LINK_LINK && links_dropped(r, target)) {
    hg_diags_add(diags, HG_WARN, r->path, line, col,
                 "link to '%s', an article a hook left out (on_article returned false)", target);
    return NULL;
  }
  return hg_site_resolve(r->site, r->art, r->from_dir, r->page_dir, target,
                         kind == HG_LINK_IMAGE, r->path, line, col, diags);
}

/* An image's width, height and variants: its file in the tree's content
 * folder, as hg_site_resolve finds it. */
static void image_attrs(void *ctx, const char *target, hg_buf *attrs) {
  resolve_ctx *r = ctx;
  char *joined = target[0] == '/' ? hg_xstrdup(target + 1) : hg_path_join(r->from_dir, target);
  char *rel = hg_path_normalize(joined);
  free(joined);
  if (rel) {
    char *src = hg_strdup_printf("%s/content/%s%s", r->site->cfg->site_dir,
                                 r->site->content_sub, rel);
    char *root = hg_site_root_prefix(r->page_dir);
    hg_images_attrs(r->images, src, root, attrs);
    free(root);
    free(src);
  }
  free(rel);
}

/* Markdown to HTML with the hooks around it: shortcodes before, their HTML
 * and on_html after. */
static void render_doc(const md_job *j, int worker, const hg_hooks_doc *doc, const char *md,
                       size_t len, const hg_md_opts *o, hg_md_result *out, hg_diags *diags) {
  hg_hooks_html *html = NULL;
  size_t n = 0;
  char *expanded = hg_hooks_shortcodes(j->hooks, worker, doc, md, len, &n, &html, diags);
  hg_md_render(expanded ? expanded : md, expanded ? n : len, o, out, diags);
  free(expanded);
  hg_hooks_html_apply(html, out);
  hg_hooks_on_html(j->hooks, worker, doc, out, diags);
}

static void md_one(void *ctx, size_t i, int worker) {
  md_job *j = ctx;
  if (j->interrupted && *j->interrupted) return; /* the build stops */
  const hg_site *s = j->site;
  const hg_content *c = s->content;
  bool unsafe = s->cfg->markdown_unsafe;
  if (i < s->narts) {
    const hg_article *a = &c->articles[s->arts[i].article];
    resolve_ctx rc = {s, (long)i, c->folders[a->folder].rel_dir, s->arts[i].url_dir, a->path,
                      j->dropped, j->flows, j->images};
    hg_md_opts o = {.path = a->path, .line_offset = a->body_line, .unsafe = unsafe,
                    .faq = a->faq, .title = a->title, .resolve = resolve,
                    .resolve_ctx = &rc, .image_attrs = j->images ? image_attrs : NULL,
                    .image_ctx = &rc, .names = s->names,
                    .dialects_off = s->cfg->markdown_dialects_off};
    hg_hooks_doc doc = {(long)i, -1};
    render_doc(j, worker, &doc, a->body, a->body_len, &o, &j->arts[i], &j->diags[i]);
  } else {
    size_t n = i - s->narts;
    const hg_folder *f = &c->folders[n];
    if (!f->intro) return;
    resolve_ctx rc = {s, -1, f->rel_dir, s->nodes[n].url_dir, f->index_path, j->dropped,
                      j->flows, j->images};
    hg_md_opts o = {.path = f->index_path, .line_offset = f->intro_line,
                    .unsafe = unsafe, .title = f->title, .resolve = resolve,
                    .resolve_ctx = &rc, .image_attrs = j->images ? image_attrs : NULL,
                    .image_ctx = &rc, .names = s->names,
                    .dialects_off = s->cfg->markdown_dialects_off};
    hg_hooks_doc doc = {-1, (long)n};
    render_doc(j, worker, &doc, f->intro, f->intro_len, &o, &j->intros[n], &j->diags[i]);
  }
}

/* ---- on_article, in parallel ---------------------------------------------- */
typedef struct {
  hg_hooks *hooks;
  hg_content *content;
  hg_diags *diags;      /* one per article */
  hg_hook_result *res;  /* one per article */
} article_job;

static void article_one(void *ctx, size_t i, int worker) {
  article_job *j = ctx;
  j->res[i] = hg_hooks_on_article(j->hooks, worker, &j->content->articles[i], j->content,
                                  &j->diags[i]);
}

/* Runs on_article over every article. Dropped articles leave `content`
 * (their paths go to `dropped`); messages keep article order, and one equal
 * to an earlier message is left out (front matter a hook changed is derived
 * again, which repeats its warnings). */
static void run_article_hooks(hg_hooks *hooks, hg_content *c, int threads, hg_strmap *dropped,
                              hg_diags *diags) {
  size_t n = c->narticles;
  article_job j = {hooks, c, hg_xcalloc(n ? n : 1, sizeof(hg_diags)),
                   hg_xcalloc(n ? n : 1, sizeof(hg_hook_result))};
  hg_parallel_for(n, threads, article_one, &j);
  hg_strmap seen = {0};
  for (size_t i = 0; i < diags->len; i++) {
    char *f = hg_diag_format(&diags->items[i]);
    hg_strmap_put(&seen, f, 1);
    free(f);
  }
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < j.diags[i].len; k++) {
      const hg_diag *d = &j.diags[i].items[k];
      char *f = hg_diag_format(d);
      if (!hg_strmap_get(&seen, f, 0))
        hg_diags_add(diags, d->sev, d->path, d->line, d->col, "%s", d->msg);
      free(f);
    }
    hg_diags_free(&j.diags[i]);
    hg_article *a = &c->articles[i];
    if (j.res[i] == HG_HOOK_ERROR) a->failed = true;
    if (j.res[i] == HG_HOOK_DROP) {
      hg_strmap_put(dropped, a->rel_path, 1);
      hg_article_clear(a);
      continue;
    }
    if (w != i) c->articles[w] = *a;
    w++;
  }
  c->narticles = w;
  hg_strmap_free(&seen);
  free(j.diags);
  free(j.res);
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* HELPGEN_TIMING=1 prints how long each stage took (for benchmarks). */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident memory now and at its peak so far, in MB (Linux), for timing. */
static void memory_mb(long *rss, long *peak) {
  *rss = *peak = 0;
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return;
  char line[256];
  while (fgets(line, sizeof line, f)) {
    long kb;
    if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) *rss = kb / 1024;
    if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) *peak = kb / 1024;
  }
  fclose(f);
}

static void stage_done(FILE *log, const char *name, double *t) {
  static int enabled = -1;
  static double cpu_last;
  if (enabled < 0) enabled = getenv("HELPGEN_TIMING") != NULL;
  double n = now(), c = cpu_now();
  if (enabled) {
    long rss, peak;
    memory_mb(&rss, &peak);
    fprintf(log, "timing: %-8s %.3f s (cpu %.3f s) rss %ld MB, peak %ld MB\n", name, n - *t,
            c - cpu_last, rss, peak);
  }
  cpu_last = c;
  *t = n;
}

static char *format_diags(const hg_diags *d) {
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < d->len; i++) {
    char *s = hg_diag_format(&d->items[i]);
    hg_buf_puts(&b, s);
    hg_buf_putc(&b, '\n');
    free(s);
  }
  return hg_buf_steal(&b);
}

/* The no-change path: when the inputs are those of the last good build
 * into OUT and OUT is as it left it, say what that build said and stop.
 * Otherwise *cache holds the snapshot for hg_cache_save (none with
 * --no-cache, which neither reads nor writes the cache). */
static bool up_to_date(const hg_build_opts *o, const char *site_dir, const char *out_dir,
                       FILE *log, hg_build_stats *stats, hg_cache **cache) {
  if (o->no_cache) return false;
  char *themes = hg_theme_builtin_root();
  char key[64];
  snprintf(key, sizeof key, "drafts=%d pseudo=%d%s", (int)o->drafts, (int)o->pseudo,
           o->precompress ? " precompress=1" : "");
  *cache = hg_cache_open(site_dir, out_dir, themes, key);
  free(themes);
  hg_cache_result prev;
  if (!hg_cache_fresh(*cache, &prev) || (o->strict && prev.warnings)) return false;
  fputs(prev.report, log);
  if (!o->quiet || o->translations) fputs(prev.notes, log);
  stats->pages = prev.pages;
  stats->articles = prev.articles;
  stats->warnings = prev.warnings;
  stats->unchanged = true;
  if (!o->quiet)
    fprintf(log, "helpgen: %s is up to date (%zu pages; no input changed since the last build)\n",
            out_dir, stats->pages);
  return true;
}

static bool interrupted(const hg_build_opts *o) {
  return o->interrupted && *o->interrupted;
}

/* Joins strings with '\n' into a new string. */
static char *join_lines(char *const *items, size_t n, char *const *more, size_t m) {
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    hg_buf_puts(&b, items[i]);
    hg_buf_putc(&b, '\n');
  }
  for (size_t i = 0; i < m; i++) {
    hg_buf_puts(&b, more[i]);
    hg_buf_putc(&b, '\n');
  }
  return hg_buf_steal(&b);
}

/* Each index file, and (for sites that work from disk: links end in
 * index.html) its twin REL.js, a script that hands the same bytes to the
 * search code on file://, where fetch is refused:
 *   (self.__hgSearchFiles=self.__hgSearchFiles||{})[document.currentScript.src]="BASE64"; */
typedef struct {
  hg_output *out;
  bool twins;
} search_out;

static bool search_write(void *ctx, const char *rel, const char *data, size_t len,
                         hg_error **err) {
  search_out *so = ctx;
  if (!hg_output_write(so->out, rel, data, len, err)) return false;
  if (!so->twins) return true;
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  hg_buf b = HG_BUF_INIT;
  hg_buf_grow(&b, len / 3 * 4 + 128);
  hg_buf_puts(&b, "(self.__hgSearchFiles=self.__hgSearchFiles||{})[document.currentScript.src]=\"");
  const unsigned char *p = (const unsigned char *)data;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0) |
                 (i + 2 < len ? p[i + 2] : 0);
    char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], i + 1 < len ? b64[(v >> 6) & 63] : '=',
                 i + 2 < len ? b64[v & 63] : '='};
    hg_buf_append(&b, q, 4);
  }
  hg_buf_puts(&b, "\";\n");
  char *js = hg_strdup_printf("%s.js", rel);
  bool ok = hg_output_write(so->out, js, b.data, b.len, err);
  free(js);
  hg_buf_free(&b);
  return ok;
}

static bool search_reuse(void *ctx, const char *rel) {
  search_out *so = ctx;
  if (!so->twins) return hg_output_reuse(so->out, rel);
  char *js = hg_strdup_printf("%s.js", rel);
  bool ok = hg_output_reuse(so->out, rel) && hg_output_reuse(so->out, js);
  free(js);
  return ok;
}

/* Builds the search index of one language; returns the manifest path
 * (relative to the site root) or NULL with an error in diags. cache_dir:
 * where the token cache goes (NULL: none). */
static char *build_search(const hg_config *cfg, const hg_site *s, const hg_md_result *md,
                          hg_output *out, int threads, const char *cache_dir, hg_diags *diags) {
  const hg_content *c = s->content;
  hg_search_doc *docs = hg_xcalloc(s->narts ? s->narts : 1, sizeof *docs);
  char **owned = hg_xcalloc(s->narts * 3 + c->nfolders + 1, sizeof *owned);
  size_t no = 0;
  /* "Orders › Tracking" and the category, once per folder */
  char **crumbs = owned;
  const char **cats = hg_xcalloc(c->nfolders + 1, sizeof *cats);
  for (size_t f = 0; f < c->nfolders; f++) {
    hg_buf b = HG_BUF_INIT;
    size_t chain[64], n = 0;
    for (long g = (long)f; g > 0 && n < 64; g = c->folders[g].parent) chain[n++] = (size_t)g;
    cats[f] = n ? c->folders[chain[n - 1]].title : "";
    while (n-- > 0) {
      hg_buf_puts(&b, c->folders[chain[n]].title);
      if (n) hg_buf_puts(&b, " › ");
    }
    owned[no++] = hg_buf_steal(&b);
  }
  hg_buf h = HG_BUF_INIT;
  for (size_t i = 0; i < s->narts; i++) {
    const hg_article *a = &c->articles[s->arts[i].article];
    hg_search_doc *d = &docs[i];
    char *url = hg_site_page_file(s->arts[i].url_dir);
    if (cfg->pretty_links) url[strlen(url) - strlen("index.html")] = '\0';
    d->url = owned[no++] = url;
    d->title = a->title;
    d->breadcrumb = crumbs[a->folder];
    d->category = cats[a->folder];
    hg_buf_clear(&h);
    for (size_t k = 0; k < md[i].ntoc; k++) {
      hg_buf_puts(&h, md[i].toc[k].text);
      hg_buf_putc(&h, '\n');
    }
    d->headings = owned[no++] = hg_xstrndup(hg_buf_cstr(&h), h.len);
    d->keywords = owned[no++] = join_lines(a->tags, a->ntags, a->keywords, a->nkeywords);
    d->description = a->description;
    d->body = md[i].text;
    d->tags = (const char *const *)a->tags;
    d->ntags = a->ntags;
    d->promoted = a->promoted;
  }
  hg_buf_free(&h);
  free(cats);
  /* search.synonyms: a list of groups, each a list of words or phrases */
  hg_value *syn = hg_value_get(hg_value_get(cfg->root, "search"), "synonyms");
  size_t ngroups = syn && syn->type == HG_V_LIST ? syn->len : 0;
  const char ***groups = hg_xcalloc(ngroups + 1, sizeof *groups);
  size_t ng = 0;
  for (size_t g = 0; g < ngroups; g++) {
    hg_value *grp = syn->items[g];
    if (grp->type != HG_V_LIST) {
      hg_diags_add(diags, HG_WARN, cfg->config_path, grp->line, grp->col,
                   "search.synonyms: each entry should be a list of equivalent words");
      continue;
    }
    const char **words = hg_xcalloc(grp->len + 1, sizeof *words);
    size_t nw = 0;
    for (size_t k = 0; k < grp->len; k++)
      if (hg_value_str(grp->items[k])) words[nw++] = hg_value_str(grp->items[k]);
    groups[ng++] = words;
  }
  char *tokens = cache_dir ? hg_strdup_printf("%s/search-%s.bin", cache_dir, s->lang) : NULL;
  if (tokens) hg_mkdir_p(cache_dir, NULL);
  search_out sout = {out, !cfg->pretty_links};
  hg_search_opts so = {.lang = s->lang, .out_root = hg_output_tmp(out),
                       .threads = threads,
                       .synonyms = (const char *const *const *)groups, .nsynonyms = ng,
                       .write = search_write, .write_ctx = &sout, .reuse = search_reuse,
                       .cache_path = tokens};
  hg_error *err = NULL;
  char *manifest = hg_search_build(docs, s->narts, &so, &err);
  free(tokens);
  for (size_t g = 0; g < ng; g++) free(groups[g]);
  free(groups);
  if (!manifest) {
    hg_diags_add(diags, HG_ERR, NULL, 0, 0, "search index: %s", err ? err->msg : "failed");
    hg_error_free(err);
  }
  for (size_t i = 0; i < no; i++) free(owned[i]);
  free(owned);
  free(docs);
  return manifest;
}

/* ---- languages ------------------------------------------------------------ */
/* One language tree and everything built from it. */
typedef struct {
  const char *code;
  hg_content *content;
  hg_site *site;
  hg_i18n *i18n;
  hg_md_result *md, *intros;
  size_t narts, nnodes;
  size_t *related, *popular, npopular;
  char *manifest;
  hg_strmap dropped; /* content paths of articles a hook left out */
  hg_flows *flows;
  hg_diags content_diags; /* what reading the content reported */
  hg_diags *md_diags;     /* narts + nnodes: what Markdown reported */
  /* incremental builds */
  char **changed;         /* content-relative paths of changed articles */
  size_t nchanged;
  bool *redo;             /* narts: articles whose Markdown was changed */
  bool *dirty;            /* narts: article pages to render again */
  bool toc_changed;       /* a changed article's headings changed */
  bool related_redone;    /* the related lists were computed again */
} lang_tree;

static void lang_tree_free(lang_tree *t) {
  /* an incremental build's results are the state's but those it redid */
  for (size_t i = 0; t->md && i < t->narts; i++)
    if (t->redo && !t->redo[i]) hg_md_result_release(&t->md[i]);
    else hg_md_result_free(&t->md[i]);
  for (size_t i = 0; t->intros && i < t->nnodes; i++)
    if (t->redo) hg_md_result_release(&t->intros[i]);
    else hg_md_result_free(&t->intros[i]);
  for (size_t i = 0; t->md_diags && i < t->narts + t->nnodes; i++)
    hg_diags_free(&t->md_diags[i]);
  free(t->md_diags);
  hg_diags_free(&t->content_diags);
  for (size_t i = 0; i < t->nchanged; i++) free(t->changed[i]);
  free(t->changed);
  free(t->redo);
  free(t->dirty);
  free(t->md);
  free(t->intros);
  free(t->related);
  free(t->popular);
  free(t->manifest);
  hg_strmap_free(&t->dropped);
  hg_flows_free(t->flows);
  hg_site_free(t->site);
  hg_content_free(t->content);
  hg_i18n_free(t->i18n);
}

typedef struct {
  const hg_config *cfg;
  char **names;
  size_t n;
} outside_langs;

/* A name of content/ that is neither a language folder nor skipped. */
static int outside_language(void *ctx, const hg_walk_entry *e) {
  outside_langs *o = ctx;
  if (e->depth == 0) return HG_WALK_GO;
  bool lang = e->name[0] == '_';
  for (size_t i = 0; i < o->cfg->nlanguages; i++)
    lang |= !strcmp(o->cfg->languages[i].code, e->name);
  if (!lang) {
    o->names = hg_xrealloc(o->names, (o->n + 1) * sizeof *o->names);
    o->names[o->n++] = hg_xstrdup(e->name);
  }
  return HG_WALK_SKIP; /* one level: the language walks read the rest */
}

/* With `languages:`, files and folders in content/ beside the language
 * folders are not published: say so. */
static void warn_outside_languages(const hg_config *cfg, hg_diags *diags) {
  char *dir = hg_path_join(cfg->site_dir, "content");
  outside_langs o = {cfg, NULL, 0};
  hg_walk_opts wo = {.fence = cfg->site_dir, .follow_outside = cfg->follow_outside_links,
                     .fn = outside_language, .ctx = &o};
  hg_error *err = NULL;
  if (hg_is_dir(dir)) hg_walk(dir, &wo, &err);
  hg_error_free(err);
  if (o.n) qsort(o.names, o.n, sizeof *o.names, cmp_names);
  for (size_t i = 0; i < o.n; i++) {
    char *path = hg_path_join(dir, o.names[i]);
    hg_diags_add(diags, HG_WARN, path, 0, 0,
                 "not in a language folder, so not published: with 'languages:' in "
                 "helpgen.yaml content lives in content/<code>/ (content/%s/...)",
                 cfg->languages[0].code);
    free(path);
    free(o.names[i]);
  }
  free(o.names);
  free(dir);
}

/* The popular list of language l: the default language's list through
 * translations, then l's own promoted articles. */
static size_t *popular_in(const lang_tree *t, size_t l, size_t *n) {
  const hg_site *s = t[l].site;
  size_t cap = t[0].npopular + s->npromoted;
  size_t *out = hg_xcalloc(cap ? cap : 1, sizeof *out);
  bool *seen = hg_xcalloc(s->narts ? s->narts : 1, sizeof *seen);
  *n = 0;
  for (size_t i = 0; i < t[0].npopular; i++) {
    long a = hg_site_translation(t[0].site, t[0].popular[i], l);
    if (a >= 0 && !seen[a]) {
      seen[a] = true;
      out[(*n)++] = (size_t)a;
    }
  }
  for (size_t i = 0; i < s->npromoted; i++)
    if (!seen[s->promoted[i]]) {
      seen[s->promoted[i]] = true;
      out[(*n)++] = s->promoted[i];
    }
  free(seen);
  return out;
}

#define MISSING_LISTED 5
#define RELATED_K 5 /* related articles per page */

/* "cs: 3 of 5 articles translated; missing: a.md, b.md" for every language
 * but the default one. */
static void print_translations(hg_buf *log, const lang_tree *t, size_t n) {
  const hg_site *d = t[0].site;
  for (size_t l = 1; l < n; l++) {
    size_t have = 0, missing = 0;
    hg_buf list = HG_BUF_INIT;
    for (size_t i = 0; i < d->narts; i++) {
      if (hg_site_translation(d, i, l) >= 0) {
        have++;
        continue;
      }
      if (missing++ < MISSING_LISTED) {
        if (missing > 1) hg_buf_puts(&list, ", ");
        hg_buf_puts(&list, d->content->articles[d->arts[i].article].rel_path);
      }
    }
    if (missing > MISSING_LISTED) hg_buf_printf(&list, " (+%zu more)", missing - MISSING_LISTED);
    hg_buf_printf(log, "helpgen: %s: %zu of %zu articles translated%s%s\n", t[l].code, have,
                  d->narts, missing ? "; missing: " : "", missing ? hg_buf_cstr(&list) : "");
    hg_buf_free(&list);
  }
}

/* ---- incremental builds ---------------------------------------------------
 * When the last build into OUT saved its state (hg_state.h) and since then
 * only articles' Markdown bodies changed (their front matter, every other
 * input, the binary and the options are the same), the site model is the
 * one that build had: the content and Markdown results of the other
 * articles are taken from the state, and only pages that show a changed
 * result are rendered again (the article's own page, pages whose related
 * list changed, the search index, feeds and Markdown copies). Anything else
 * is a full build. */
static void diags_append(hg_diags *dst, const hg_diags *src) {
  for (size_t i = 0; i < src->len; i++) {
    const hg_diag *d = &src->items[i];
    hg_diags_add(dst, d->sev, d->path, d->line, d->col, "%s", d->msg);
  }
}

/* Drops the messages after the first `mark`. */
static void diags_truncate(hg_diags *d, size_t mark) {
  for (size_t i = mark; i < d->len; i++) {
    free(d->items[i].path);
    free(d->items[i].msg);
  }
  if (mark < d->len) d->len = mark;
}

/* Reads one changed article again into *n; true when everything but its
 * body is as in *a (so the site model is unchanged) and it reported
 * nothing; else false with *n cleared. */
static bool reread_article(const char *site_dir, const char *changed, const hg_article *a,
                           hg_article *n) {
  memset(n, 0, sizeof *n);
  char *file = hg_path_join(site_dir, changed);
  struct stat st;
  size_t len = 0;
  char *text = stat(file, &st) == 0 && (size_t)st.st_size <= HG_MAX_ARTICLE_BYTES ? hg_read_file(file, &len, NULL)
                                                                : NULL;
  free(file);
  if (!text) return false;
  n->path = hg_xstrdup(a->path);
  n->rel_path = hg_xstrdup(a->rel_path);
  n->folder = a->folder;
  hg_diags d = {0};
  hg_article_parse(n, text, len, &d);
  free(text);
  n->ndiags = d.len;
  hg_buf was = HG_BUF_INIT, now = HG_BUF_INIT;
  hg_article_save(a, &was);
  hg_article_save(n, &now);
  bool same = d.len == 0 && was.len == now.len && !memcmp(was.data, now.data, was.len);
  hg_buf_free(&was);
  hg_buf_free(&now);
  hg_diags_free(&d);
  if (!same) hg_article_clear(n);
  return same;
}

/* Only changes to articles (content/.../NAME.md) can be incremental. */
static bool is_article_path(void *ctx, const char *path) {
  (void)ctx;
  return hg_str_has_prefix(path, "content/") && hg_str_has_suffix(path, ".md") &&
         strcmp(hg_path_basename(path), "_index.md") != 0;
}

/* Takes every tree's content from the state and reads the changed articles
 * again; false (and nothing taken) when a full build is needed. */
static bool incremental_content(hg_state *st, const hg_cache_prev *prev, const char *site_dir,
                                const hg_config *cfg, lang_tree *tr, size_t nl) {
  if (!st || st->nl != nl || strcmp(st->site_dir, site_dir)) return false;
  for (size_t l = 0; l < nl; l++)
    if (strcmp(st->langs[l].code, tr[l].code)) return false;
  /* "content/[LANG/]a/b.md" -> tree, content-relative path */
  size_t *which = hg_xcalloc(prev->nchanged + 1, sizeof *which);
  const char **rel = hg_xcalloc(prev->nchanged + 1, sizeof *rel);
  bool ok = true;
  for (size_t i = 0; ok && i < prev->nchanged; i++) {
    const char *p = prev->changed[i];
    ok = is_article_path(NULL, p);
    if (!ok) break;
    p += strlen("content/");
    which[i] = 0;
    if (cfg->nlanguages) {
      const char *slash = strchr(p, '/');
      ok = false;
      for (size_t l = 0; slash && l < nl; l++)
        if (strlen(tr[l].code) == (size_t)(slash - p) && !strncmp(p, tr[l].code, (size_t)(slash - p))) {
          which[i] = l;
          ok = true;
        }
      if (!ok) break;
      p = slash + 1;
    }
    rel[i] = p;
  }
  hg_article **arts = hg_xcalloc(prev->nchanged + 1, sizeof *arts);
  for (size_t i = 0; ok && i < prev->nchanged; i++) {
    const hg_content *c = st->langs[which[i]].content;
    arts[i] = NULL;
    for (size_t k = 0; k < c->narticles && !arts[i]; k++)
      if (!strcmp(c->articles[k].rel_path, rel[i])) arts[i] = &c->articles[k];
    ok = arts[i] != NULL;
  }
  /* read into copies first: a failure leaves the state as it was */
  hg_article *fresh = hg_xcalloc(prev->nchanged + 1, sizeof *fresh);
  size_t nfresh = 0;
  for (; ok && nfresh < prev->nchanged; nfresh++)
    ok = reread_article(site_dir, prev->changed[nfresh], arts[nfresh], &fresh[nfresh]);
  if (ok) {
    for (size_t i = 0; i < prev->nchanged; i++) {
      hg_article_clear(arts[i]);
      *arts[i] = fresh[i];
      lang_tree *t = &tr[which[i]];
      t->changed = hg_xrealloc(t->changed, (t->nchanged + 1) * sizeof *t->changed);
      t->changed[t->nchanged++] = hg_xstrdup(rel[i]);
    }
    for (size_t l = 0; l < nl; l++) {
      tr[l].content = st->langs[l].content;
      st->langs[l].content = NULL;
      tr[l].content_diags = st->langs[l].content_diags;
      st->langs[l].content_diags = (hg_diags){0};
    }
  } else {
    for (size_t i = 0; i < nfresh; i++) hg_article_clear(&fresh[i]);
  }
  free(fresh);
  free(arts);
  free(rel);
  free(which);
  return ok;
}

/* Do the headings (all the related lists read of the Markdown) differ? */
static bool toc_differs(const hg_md_result *a, const hg_md_result *b) {
  if (a->ntoc != b->ntoc) return true;
  for (size_t k = 0; k < a->ntoc; k++)
    if (a->toc[k].level != b->toc[k].level || strcmp(a->toc[k].text, b->toc[k].text))
      return true;
  return false;
}

/* Markdown of an incremental build: the state's results, the changed
 * articles rendered again. */
static void incremental_markdown(lang_tree *t, hg_state_lang *sl, md_job *mj) {
  t->md = sl->md;
  t->intros = sl->intros;
  sl->md = sl->intros = NULL;
  for (size_t i = 0; i < t->narts; i++) t->md_diags[i] = sl->md_diags[i];
  for (size_t i = 0; i < t->nnodes; i++) t->md_diags[t->narts + i] = sl->intro_diags[i];
  free(sl->md_diags);
  free(sl->intro_diags);
  sl->md_diags = sl->intro_diags = NULL;
  mj->arts = t->md;
  mj->intros = t->intros;
  t->redo = hg_xcalloc(t->narts + 1, sizeof *t->redo);
  t->dirty = hg_xcalloc(t->narts + 1, sizeof *t->dirty);
  for (size_t c = 0; c < t->nchanged; c++) {
    long i = hg_strmap_get(&t->site->by_path, t->changed[c], -1);
    if (i < 0) continue; /* a draft */
    hg_md_result old = t->md[i];
    memset(&t->md[i], 0, sizeof t->md[i]);
    hg_diags_free(&t->md_diags[i]);
    md_one(mj, (size_t)i, 0);
    t->toc_changed |= toc_differs(&old, &t->md[i]);
    hg_md_result_release(&old);
    t->redo[i] = t->dirty[i] = true;
  }
}

/* The state the next incremental build starts from: a batch of what an
 * incremental build changed, or (after a full build, or when the batches
 * grew big) a new base, streamed to the cache. */
typedef struct {
  const char *site_dir;
  const lang_tree *tr;
  size_t nl;
  const hg_diags *checks;
  hg_buf batch; /* with an incremental build */
  bool is_batch;
} state_out;

static void batch_of(state_out *so, const hg_cache_prev *prev) {
  for (size_t l = 0; l < so->nl; l++) {
    const lang_tree *t = &so->tr[l];
    for (size_t i = 0; i < t->narts; i++)
      if (t->redo[i]) hg_state_put_md(&so->batch, l, i, &t->md[i], &t->md_diags[i]);
    if (t->related_redone) hg_state_put_related(&so->batch, l, t->related, t->narts, RELATED_K);
  }
  /* batches are read on every build: a big log is folded into a base */
  so->is_batch = prev->batches_len + so->batch.len < prev->state_len / 8 + 4096;
}

static void flush_state(void *ctx, hg_buf *b) {
  hg_cache_sink_put(ctx, b->data, b->len);
  hg_buf_clear(b);
}

static void write_state(void *ctx, hg_cache_sink *sink) {
  state_out *so = ctx;
  if (so->is_batch) {
    hg_cache_sink_put(sink, so->batch.data, so->batch.len);
    return;
  }
  hg_state_view *v = hg_xcalloc(so->nl, sizeof *v);
  for (size_t l = 0; l < so->nl; l++) {
    const lang_tree *t = &so->tr[l];
    v[l] = (hg_state_view){t->code, t->content, &t->content_diags, t->md, t->md_diags, t->narts,
                           t->intros, t->md_diags + t->narts, t->nnodes, t->related, RELATED_K};
  }
  hg_buf b = HG_BUF_INIT;
  hg_state_save(so->site_dir, v, so->nl, so->checks, &b, flush_state, sink);
  flush_state(sink, &b);
  hg_buf_free(&b);
  free(v);
}

/* What a build with opts->exiting leaves to the OS, reachable from here. */
static struct {
  lang_tree *tr;
  hg_state *state;
  hg_cache_prev prev;
} g_left;

int hg_build(const hg_build_opts *opts, hg_build_stats *stats) {
  double t0 = now();
  FILE *log = opts->log ? opts->log : stderr;
  const char *site_dir = opts->site_dir ? opts->site_dir : ".";
  int threads = opts->threads > 0 ? opts->threads : hg_default_threads();
  hg_diags diags = {0};
  hg_error *err = NULL;
  int code = 0;
  hg_config *cfg = NULL;
  hg_theme *theme = NULL;
  hg_output *out = NULL;
  hg_hooks *hooks = NULL;
  char *out_dir = NULL;
  hg_seo_settings seo = {0};
  lang_tree *tr = NULL;
  size_t nl = 0;
  hg_site **sites = NULL;
  hg_site_langs *langs = NULL;
  const char **reserved = NULL;
  hg_cache *cache = NULL;
  hg_seo_lang *seo_langs = NULL; /* one per language, for the SEO files */
  hg_cache_prev prev = {0};
  hg_state *state = NULL;       /* the last build's, for an incremental build */
  bool inc = false;             /* this build is incremental */
  hg_diags checks = {0};        /* what the alias check said (kept for the state) */
  bool mismatch = false;
  hg_output_file *files = NULL; /* the site being committed, for the cache */
  size_t nfiles = 0;
  hg_images *images = NULL;     /* image sizes and variants (hg_images.h) */
  memset(stats, 0, sizeof *stats);

  if (!hg_is_dir(site_dir)) {
    fprintf(log, "helpgen: site folder '%s' not found\n", site_dir);
    return 2;
  }
  out_dir = opts->out_dir ? hg_xstrdup(opts->out_dir) : hg_path_join(site_dir, "public");
  if (up_to_date(opts, site_dir, out_dir, log, stats, &cache)) {
    hg_cache_free(cache);
    free(out_dir);
    stats->seconds = now() - t0;
    return 0;
  }
  double ts = t0;
  stage_done(log, "inputs", &ts);
  cfg = hg_config_load(site_dir, &diags, &err);
  if (!cfg) goto fail;
  hg_seo_settings_read(cfg, &seo, &diags);
  hooks = hg_hooks_load(cfg, threads, &diags, &err);
  if (!hooks && err) goto fail;
  if (hg_diags_count(&diags, HG_ERR) || !hg_hooks_on_config(hooks, cfg, &diags)) {
    code = 1;
    goto report;
  }
  theme = hg_theme_load(cfg, &err);
  if (!theme) goto fail;
  hg_theme_apply_brand(theme, cfg, &diags);

  /* one tree per language: content/ itself, or content/<code>/ for each of
   * `languages:` (the default first, at the site root) */
  nl = cfg->nlanguages ? cfg->nlanguages : 1;
  tr = hg_xcalloc(nl, sizeof *tr);
  sites = hg_xcalloc(nl, sizeof *sites);
  reserved = hg_xcalloc(nl, sizeof *reserved);
  for (size_t l = 0; l < nl; l++) {
    tr[l].code = cfg->nlanguages ? cfg->languages[l].code : cfg->language;
    reserved[l] = tr[l].code;
  }
  size_t before = hg_diags_count(&diags, HG_ERR);
  for (size_t l = 0; l < nl; l++) {
    tr[l].i18n = hg_i18n_load(theme->builtin_dir, theme->site_dir, tr[l].code, opts->pseudo,
                              &diags);
    if (cfg->nlanguages && !cfg->languages[l].name)
      cfg->languages[l].name = hg_xstrdup(hg_i18n_name(tr[l].i18n));
  }
  if (hg_diags_count(&diags, HG_ERR) > before) { /* a broken language file */
    code = 2;
    goto report;
  }
  if (cfg->nlanguages) warn_outside_languages(cfg, &diags);
  /* no hooks (they can read anything) and only article bodies changed:
   * take the rest from the last build */
  if (cache && !hooks && hg_cache_previous(cache, is_article_path, NULL, &prev)) {
    stage_done(log, "previous", &ts);
    state = hg_state_restore(prev.state, prev.state_len, prev.batches, prev.batches_len);
    stage_done(log, "state", &ts);
    inc = incremental_content(state, &prev, site_dir, cfg, tr, nl);
    if (!inc) { /* its memory is better used by the full build */
      hg_state_free(state);
      hg_cache_prev_free(&prev);
      state = NULL;
    }
  }
  size_t mark = diags.len; /* a full build starts again from here */
again:
  for (size_t l = 0; !inc && l < nl; l++) {
    hg_content_opts co = {.threads = threads, .lang_dir = cfg->nlanguages ? tr[l].code : NULL};
    tr[l].content = hg_content_load(cfg, &co, &tr[l].content_diags, &err);
    if (!tr[l].content) goto fail;
  }
  for (size_t l = 0; l < nl; l++) diags_append(&diags, &tr[l].content_diags);
  stage_done(log, "content", &ts);
  if (interrupted(opts)) goto interrupted;
  if (hg_hooks_has_on_article(hooks)) {
    for (size_t l = 0; l < nl; l++)
      run_article_hooks(hooks, tr[l].content, threads, &tr[l].dropped, &diags);
    stage_done(log, "hooks", &ts);
  }
  for (size_t l = 0; l < nl; l++) {
    hg_site_opts so = {.drafts = opts->drafts, .lang = tr[l].code,
                       .prefix = l ? tr[l].code : NULL,
                       .lang_dir = cfg->nlanguages ? tr[l].code : NULL,
                       .reserved = l == 0 ? reserved + 1 : NULL, .nreserved = l == 0 ? nl - 1 : 0};
    sites[l] = tr[l].site = hg_site_build(cfg, tr[l].content, &so, &diags);
    tr[l].narts = tr[l].site->narts;
    tr[l].nnodes = tr[l].site->nnodes;
    /* the same content makes the same site: a state that disagrees was
     * not saved by the build it claims (a full build then) */
    mismatch |= inc && (state->langs[l].narts != tr[l].narts ||
                        state->langs[l].nnodes != tr[l].nnodes);
  }
  if (mismatch) {
    inc = mismatch = false;
    for (size_t l = 0; l < nl; l++) {
      lang_tree *t = &tr[l];
      hg_site_free(t->site);
      hg_content_free(t->content);
      hg_diags_free(&t->content_diags);
      for (size_t i = 0; i < t->nchanged; i++) free(t->changed[i]);
      free(t->changed);
      t->site = sites[l] = NULL;
      t->content = NULL;
      t->changed = NULL;
      t->nchanged = 0;
    }
    diags_truncate(&diags, mark);
    goto again;
  }
  if (cfg->nlanguages) langs = hg_site_langs_new(sites, nl, &diags);
  const hg_site *site = tr[0].site;
  /* flow errors stop the build before OUT is touched; flows come before
   * Markdown, which links to them */
  for (size_t l = 0; l < nl; l++) tr[l].flows = hg_flows_load(tr[l].site, &diags);
  /* alias errors (every language; aliases may not take flow URLs) too */
  seo_langs = hg_xcalloc(nl, sizeof *seo_langs); /* .md is set after Markdown */
  for (size_t l = 0; l < nl; l++) seo_langs[l] = (hg_seo_lang){tr[l].site, NULL, tr[l].flows, NULL};
  if (inc) { /* the same site model and front matter: the same messages */
    checks = state->checks;
    state->checks = (hg_diags){0};
  } else {
    hg_seo_check(seo_langs, nl, &checks);
  }
  diags_append(&diags, &checks);
  tr[0].popular = hg_related_popular(site, &diags, &tr[0].npopular);
  for (size_t l = 1; l < nl; l++) tr[l].popular = popular_in(tr, l, &tr[l].npopular);

  /* markdown, in parallel; diagnostics kept in article order */
  char *image_cache = hg_images_cache_dir(site_dir);
  images = hg_images_new(image_cache, HG_IMAGES_COLUMN);
  free(image_cache);
  for (size_t l = 0; l < nl; l++) {
    lang_tree *t = &tr[l];
    size_t narts = t->narts, nnodes = t->nnodes;
    hg_hooks_set_site(hooks, t->site);
    t->md_diags = hg_xcalloc(narts + nnodes + 1, sizeof(hg_diags));
    md_job mj = {t->site, NULL, NULL, t->md_diags, hooks, &t->dropped, t->flows, images,
                 opts->interrupted};
    if (inc) {
      incremental_markdown(t, &state->langs[l], &mj);
    } else {
      t->md = mj.arts = hg_xcalloc(narts ? narts : 1, sizeof *t->md);
      t->intros = mj.intros = hg_xcalloc(nnodes, sizeof *t->intros);
      hg_parallel_for(narts + nnodes, threads, md_one, &mj);
    }
    for (size_t i = 0; i < narts + nnodes; i++) diags_append(&diags, &t->md_diags[i]);
  }
  stage_done(log, "markdown", &ts);
  if (interrupted(opts)) goto interrupted;
  /* From here on only llms.txt's Markdown copies and hooks read article
   * Markdown: without them, give its memory back before the biggest stages. */
  if (!seo.llms && !hooks)
    for (size_t l = 0; l < nl; l++) hg_content_drop_bodies(tr[l].content);

  size_t nerr = hg_diags_count(&diags, HG_ERR), nwarn = hg_diags_count(&diags, HG_WARN);
  if (nerr || (opts->strict && nwarn)) {
    code = 1;
    goto report;
  }

  for (size_t l = 0; l < nl; l++) {
    lang_tree *t = &tr[l];
    hg_state_lang *sl = inc ? &state->langs[l] : NULL;
    if (sl && !t->toc_changed && (sl->related ? sl->k == RELATED_K : !t->narts)) {
      t->related = sl->related; /* nothing the lists are made of changed */
      sl->related = NULL;
      continue;
    }
    t->related = hg_related_compute(t->site, t->md, RELATED_K, threads);
    t->related_redone = inc;
    for (size_t i = 0; sl && i < t->narts; i++) /* pages whose list changed */
      t->dirty[i] |= !sl->related || sl->k != RELATED_K ||
                     memcmp(&sl->related[i * RELATED_K], &t->related[i * RELATED_K],
                            RELATED_K * sizeof *t->related) != 0;
  }
  stage_done(log, "related", &ts);

  out = hg_output_begin(out_dir, site_dir, &err);
  if (!out) goto fail;
  hg_output_set_threads(out, threads);
  /* the build folder holds the site before last: make it the last one */
  if (inc && !hg_output_sync(out, prev.out, prev.nout, prev.scratch, prev.nscratch, &err))
    goto fail;
  bool ok = hg_images_write(images, out, threads, &diags, &err);
  if (!ok) goto fail;
  stage_done(log, "images", &ts);
  for (size_t l = 0; ok && l < nl; l++) {
    if (inc) { /* search/<lang>/ is made anew */
      char *dir = hg_strdup_printf("search/%s", tr[l].site->lang);
      hg_output_forget(out, dir);
      free(dir);
    }
    tr[l].manifest = build_search(cfg, tr[l].site, tr[l].md, out, threads,
                                  cache ? hg_cache_dir(cache) : NULL, &diags);
    ok = tr[l].manifest != NULL;
  }
  stage_done(log, "search", &ts);
  if (interrupted(opts)) goto interrupted;
  for (size_t l = 0; ok && l < nl && !interrupted(opts); l++) {
    lang_tree *t = &tr[l];
    hg_hooks_set_site(hooks, t->site);
    hg_render_input ri = {cfg, t->site, theme, t->md, t->intros, t->manifest, out, threads,
                          .hooks = hooks, .related = t->related, .nrelated = RELATED_K,
                          .popular = t->popular, .npopular = t->npopular, .seo = &seo,
                          .i18n = t->i18n, .flows = t->flows, .only = inc ? t->dirty : NULL,
                          .interrupted = opts->interrupted};
    ok = hg_render_site(&ri, &diags) && (inc || hg_render_flows(&ri, &diags));
    stats->pages += hg_render_page_count(t->site) + hg_flows_page_count(t->flows);
    stats->articles += t->narts;
    stats->changed += t->nchanged;
    for (size_t i = 0; inc && i < t->narts; i++) stats->rendered += t->dirty[i];
  }
  hg_hooks_set_site(hooks, site);
  if (interrupted(opts)) goto interrupted;
  for (size_t l = 0; l < nl; l++) {
    seo_langs[l].md = tr[l].md;
    seo_langs[l].copies = inc ? tr[l].redo : NULL;
  }
  ok = ok && hg_seo_write(seo_langs, nl, &seo, out, threads, &diags);
  if (!ok || !hg_hooks_on_build_end(hooks, tr[0].md, out, &diags)) {
    hg_output_abort(out);
    out = NULL;
    code = 1;
    goto report;
  }
  stage_done(log, "render", &ts);
  if (interrupted(opts)) goto interrupted;
  if (opts->precompress) {
    if (!hg_output_precompress(out, threads, &err)) goto fail;
    stage_done(log, "precompress", &ts);
  }
  files = hg_output_files(out, &nfiles);
  if (!hg_output_commit(out, &err)) {
    out = NULL;
    goto fail;
  }
  out = NULL;
  stage_done(log, "output", &ts);
  goto report;

interrupted:
  fprintf(log, "helpgen: interrupted; the previous site is untouched\n");
  code = 130;
  goto report;
fail:
  if (interrupted(opts)) { /* a walk stopped at the signal */
    hg_error_free(err);
    err = NULL;
    goto interrupted;
  }
  if (err) {
    fprintf(log, "%s\n", err->msg);
    code = err->code ? err->code : 1;
    hg_error_free(err);
  } else {
    code = 1;
  }
report:
  hg_output_abort(out);
  char *said = format_diags(&diags);
  fputs(said, log);
  stats->warnings = hg_diags_count(&diags, HG_WARN);
  stats->errors = hg_diags_count(&diags, HG_ERR);
  stats->seconds = now() - t0;
  if (code == 1 && stats->errors == 0 && opts->strict && stats->warnings)
    fprintf(log, "helpgen: %zu warning%s and --strict: nothing was written\n",
            stats->warnings, stats->warnings == 1 ? "" : "s");
  else if (code != 0 && stats->errors)
    fprintf(log, "helpgen: %zu error%s: nothing was written (the previous site is untouched)\n",
            stats->errors, stats->errors == 1 ? "" : "s");
  hg_buf notes = HG_BUF_INIT;
  if (code == 0 && langs) print_translations(&notes, tr, nl);
  if (!opts->quiet || opts->translations) fputs(hg_buf_cstr(&notes), log);
  if (code == 0 && cache && !hg_hooks_unsafe(hooks)) {
    state_out so = {site_dir, tr, nl, &checks, HG_BUF_INIT, false};
    if (inc) batch_of(&so, &prev);
    hg_cache_result r = {said, (char *)hg_buf_cstr(&notes), stats->pages, stats->articles,
                         stats->warnings, files, nfiles, hooks ? NULL : write_state, &so,
                         so.is_batch};
    hg_cache_save(cache, &r);
    hg_buf_free(&so.batch);
    stage_done(log, "cache", &ts);
  }
  hg_output_files_free(files, nfiles);
  hg_buf_free(&notes);
  free(said);
  hg_cache_free(cache);
  stats->incremental = inc && code == 0;
  if (code == 0 && !opts->quiet)
    fprintf(log, "helpgen: built %zu page%s (%zu article%s) into %s in %.2f s, %zu warning%s%s\n",
            stats->pages, stats->pages == 1 ? "" : "s", stats->articles,
            stats->articles == 1 ? "" : "s", out_dir, stats->seconds, stats->warnings,
            stats->warnings == 1 ? "" : "s", inc ? " (incremental)" : "");
  hg_hooks_free(hooks);
  hg_site_langs_free(langs);
  if (opts->exiting) { /* left for the OS (see hg_build_opts), reachable */
    g_left.tr = tr;
    g_left.state = state;
    g_left.prev = prev;
  } else {
    for (size_t l = 0; tr && l < nl; l++) lang_tree_free(&tr[l]);
    free(tr);
    hg_state_free(state);
    hg_cache_prev_free(&prev); /* the state's results point into it */
  }
  hg_diags_free(&checks);
  free(seo_langs);
  free(sites);
  free(reserved);
  free(out_dir);
  hg_theme_free(theme);
  hg_images_free(images);
  hg_config_free(cfg);
  hg_diags_free(&diags);
  return code;
}
