/* build.c - the pipeline driver behind `helpgen build`. */
#include "hg_build.h"

#include "hg_cache.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hg_config.h"
#include "hg_content.h"
#include "hg_flows.h"
#include "hg_hooks.h"
#include "hg_i18n.h"
#include "hg_markdown.h"
#include "hg_output.h"
#include "hg_related.h"
#include "hg_render.h"
#include "hg_search.h"
#include "hg_seo.h"
#include "hg_site.h"
#include "hg_theme.h"

typedef struct {
  const hg_site *site;
  hg_md_result *arts;
  hg_md_result *intros;
  hg_diags *diags; /* narts + nnodes slots */
  hg_hooks *hooks;
  const hg_strmap *dropped; /* content paths of articles a hook left out */
  const hg_flows *flows;
} md_job;

typedef struct {
  const hg_site *site;
  long art;
  const char *from_dir;
  const char *page_dir;
  const char *path;
  const hg_strmap *dropped;
  const hg_flows *flows;
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
  const hg_site *s = j->site;
  const hg_content *c = s->content;
  bool unsafe = s->cfg->markdown_unsafe;
  if (i < s->narts) {
    const hg_article *a = &c->articles[s->arts[i].article];
    resolve_ctx rc = {s, (long)i, c->folders[a->folder].rel_dir, s->arts[i].url_dir, a->path,
                      j->dropped, j->flows};
    hg_md_opts o = {.path = a->path, .line_offset = a->body_line, .unsafe = unsafe,
                    .faq = a->faq, .title = a->title, .resolve = resolve,
                    .resolve_ctx = &rc};
    hg_hooks_doc doc = {(long)i, -1};
    render_doc(j, worker, &doc, a->body, a->body_len, &o, &j->arts[i], &j->diags[i]);
  } else {
    size_t n = i - s->narts;
    const hg_folder *f = &c->folders[n];
    if (!f->intro) return;
    resolve_ctx rc = {s, -1, f->rel_dir, s->nodes[n].url_dir, f->index_path, j->dropped,
                      j->flows};
    hg_md_opts o = {.path = f->index_path, .line_offset = f->intro_line,
                    .unsafe = unsafe, .title = f->title, .resolve = resolve,
                    .resolve_ctx = &rc};
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
  snprintf(key, sizeof key, "drafts=%d pseudo=%d", (int)o->drafts, (int)o->pseudo);
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

static bool search_write(void *ctx, const char *rel, const char *data, size_t len,
                         hg_error **err) {
  return hg_output_write(ctx, rel, data, len, err);
}

/* Builds the search index for the site language; returns the manifest path
 * (relative to the site root) or NULL with an error in diags. */
static char *build_search(const hg_config *cfg, const hg_site *s, const hg_md_result *md,
                          hg_output *out, int threads, hg_diags *diags) {
  const hg_content *c = s->content;
  hg_search_doc *docs = hg_xcalloc(s->narts ? s->narts : 1, sizeof *docs);
  char **owned = hg_xcalloc(s->narts * 5 + 1, sizeof *owned);
  size_t no = 0;
  for (size_t i = 0; i < s->narts; i++) {
    const hg_article *a = &c->articles[s->arts[i].article];
    hg_search_doc *d = &docs[i];
    char *url = hg_site_page_file(s->arts[i].url_dir);
    if (cfg->pretty_links) url[strlen(url) - strlen("index.html")] = '\0';
    d->url = owned[no++] = url;
    d->title = a->title;
    d->breadcrumb = owned[no++] = hg_xstrdup("");
    {
      /* "Orders › Tracking" */
      hg_buf b = HG_BUF_INIT;
      size_t chain[64], n = 0;
      for (long f = (long)a->folder; f > 0 && n < 64; f = c->folders[f].parent) chain[n++] = (size_t)f;
      while (n-- > 0) {
        hg_buf_puts(&b, c->folders[chain[n]].title);
        if (n) hg_buf_puts(&b, " › ");
      }
      free(owned[no - 1]);
      d->breadcrumb = owned[no - 1] = hg_buf_steal(&b);
    }
    long top = (long)a->folder;
    while (top > 0 && c->folders[top].parent > 0) top = c->folders[top].parent;
    d->category = top > 0 ? c->folders[top].title : "";
    hg_buf h = HG_BUF_INIT;
    for (size_t k = 0; k < md[i].ntoc; k++) {
      hg_buf_puts(&h, md[i].toc[k].text);
      hg_buf_putc(&h, '\n');
    }
    d->headings = owned[no++] = hg_buf_steal(&h);
    d->keywords = owned[no++] = join_lines(a->tags, a->ntags, a->keywords, a->nkeywords);
    d->description = a->description;
    d->body = md[i].text;
    d->tags = (const char *const *)a->tags;
    d->ntags = a->ntags;
    d->promoted = a->promoted;
  }
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
  hg_search_opts so = {.lang = s->lang, .out_root = hg_output_tmp(out),
                       .threads = threads,
                       .synonyms = (const char *const *const *)groups, .nsynonyms = ng,
                       .write = search_write, .write_ctx = out};
  hg_error *err = NULL;
  char *manifest = hg_search_build(docs, s->narts, &so, &err);
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
} lang_tree;

static void lang_tree_free(lang_tree *t) {
  for (size_t i = 0; t->md && i < t->narts; i++) hg_md_result_free(&t->md[i]);
  for (size_t i = 0; t->intros && i < t->nnodes; i++) hg_md_result_free(&t->intros[i]);
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

/* With `languages:`, files and folders in content/ beside the language
 * folders are not published: say so. */
static void warn_outside_languages(const hg_config *cfg, hg_diags *diags) {
  char *dir = hg_path_join(cfg->site_dir, "content");
  DIR *d = opendir(dir);
  if (!d) {
    free(dir);
    return;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' || e->d_name[0] == '_') continue;
    bool lang = false;
    for (size_t i = 0; i < cfg->nlanguages; i++) lang |= !strcmp(cfg->languages[i].code, e->d_name);
    if (lang) continue;
    names = hg_xrealloc(names, (n + 1) * sizeof *names);
    names[n++] = hg_xstrdup(e->d_name);
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++) {
    char *path = hg_path_join(dir, names[i]);
    hg_diags_add(diags, HG_WARN, path, 0, 0,
                 "not in a language folder, so not published: with 'languages:' in "
                 "helpgen.yaml content lives in content/<code>/ (content/%s/...)",
                 cfg->languages[0].code);
    free(path);
    free(names[i]);
  }
  free(names);
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
  for (size_t l = 0; l < nl; l++) {
    hg_content_opts co = {.threads = threads, .lang_dir = cfg->nlanguages ? tr[l].code : NULL};
    tr[l].content = hg_content_load(cfg, &co, &diags, &err);
    if (!tr[l].content) goto fail;
  }
  stage_done(log, "content", &ts);
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
  }
  if (cfg->nlanguages) langs = hg_site_langs_new(sites, nl, &diags);
  const hg_site *site = tr[0].site;
  /* flow errors stop the build before OUT is touched; flows come before
   * Markdown, which links to them */
  for (size_t l = 0; l < nl; l++) tr[l].flows = hg_flows_load(tr[l].site, &diags);
  /* alias errors (every language; aliases may not take flow URLs) too */
  seo_langs = hg_xcalloc(nl, sizeof *seo_langs); /* .md is set after Markdown */
  for (size_t l = 0; l < nl; l++) seo_langs[l] = (hg_seo_lang){tr[l].site, NULL, tr[l].flows};
  hg_seo_check(seo_langs, nl, &diags);
  tr[0].popular = hg_related_popular(site, &diags, &tr[0].npopular);
  for (size_t l = 1; l < nl; l++) tr[l].popular = popular_in(tr, l, &tr[l].npopular);

  /* markdown, in parallel; diagnostics kept in article order */
  for (size_t l = 0; l < nl; l++) {
    lang_tree *t = &tr[l];
    size_t narts = t->narts, nnodes = t->nnodes;
    hg_hooks_set_site(hooks, t->site);
    t->md = hg_xcalloc(narts ? narts : 1, sizeof *t->md);
    t->intros = hg_xcalloc(nnodes, sizeof *t->intros);
    md_job mj = {t->site, t->md, t->intros, hg_xcalloc(narts + nnodes, sizeof(hg_diags)), hooks,
                 &t->dropped, t->flows};
    hg_parallel_for(narts + nnodes, threads, md_one, &mj);
    for (size_t i = 0; i < narts + nnodes; i++) hg_diags_move(&diags, &mj.diags[i]);
    free(mj.diags);
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

  for (size_t l = 0; l < nl; l++) tr[l].related = hg_related_compute(tr[l].site, tr[l].md, 5, threads);
  stage_done(log, "related", &ts);

  out = hg_output_begin(out_dir, site_dir, &err);
  if (!out) goto fail;
  hg_output_set_threads(out, threads);
  bool ok = true;
  for (size_t l = 0; ok && l < nl; l++) {
    tr[l].manifest = build_search(cfg, tr[l].site, tr[l].md, out, threads, &diags);
    ok = tr[l].manifest != NULL;
  }
  stage_done(log, "search", &ts);
  if (interrupted(opts)) goto interrupted;
  for (size_t l = 0; ok && l < nl; l++) {
    lang_tree *t = &tr[l];
    hg_hooks_set_site(hooks, t->site);
    hg_render_input ri = {cfg, t->site, theme, t->md, t->intros, t->manifest, out, threads,
                          .hooks = hooks, .related = t->related, .nrelated = 5,
                          .popular = t->popular, .npopular = t->npopular, .seo = &seo,
                          .i18n = t->i18n, .flows = t->flows};
    ok = hg_render_site(&ri, &diags) && hg_flows_render(t->flows, &ri, &diags);
    stats->pages += hg_render_page_count(t->site) + hg_flows_page_count(t->flows);
    stats->articles += t->narts;
  }
  hg_hooks_set_site(hooks, site);
  for (size_t l = 0; l < nl; l++) seo_langs[l].md = tr[l].md;
  ok = ok && hg_seo_write(seo_langs, nl, &seo, out, threads, &diags);
  if (!ok || !hg_hooks_on_build_end(hooks, tr[0].md, out, &diags)) {
    hg_output_abort(out);
    out = NULL;
    code = 1;
    goto report;
  }
  stage_done(log, "render", &ts);
  if (interrupted(opts)) goto interrupted;
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
    hg_cache_result r = {said, (char *)hg_buf_cstr(&notes), stats->pages, stats->articles,
                         stats->warnings};
    hg_cache_save(cache, &r);
  }
  hg_buf_free(&notes);
  free(said);
  hg_cache_free(cache);
  if (code == 0 && !opts->quiet)
    fprintf(log, "helpgen: built %zu pages (%zu articles) into %s in %.2f s, %zu warning%s\n",
            stats->pages, stats->articles, out_dir, stats->seconds, stats->warnings,
            stats->warnings == 1 ? "" : "s");
  hg_hooks_free(hooks);
  hg_site_langs_free(langs);
  for (size_t l = 0; tr && l < nl; l++) lang_tree_free(&tr[l]);
  free(tr);
  free(seo_langs);
  free(sites);
  free(reserved);
  free(out_dir);
  hg_theme_free(theme);
  hg_config_free(cfg);
  hg_diags_free(&diags);
  return code;
}
