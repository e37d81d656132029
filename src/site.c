/* site.c - stage 3: URLs, order, promoted articles, previous/next. */
#include "hg_site.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Top-level names the build itself writes. */
static const char *const reserved[] = {"assets", "search", "404", "flows", NULL};

typedef struct {
  const hg_content *c;
  const hg_site *s;
} sort_ctx;

static sort_ctx g_sort; /* qsort has no context argument in C11 */

static int by_weight_title(long wa, const char *ta, long wb, const char *tb) {
  if (wa != wb) return wa < wb ? -1 : 1;
  return strcmp(ta, tb);
}

static int cmp_nodes(const void *x, const void *y) {
  const hg_folder *a = &g_sort.c->folders[*(const size_t *)x];
  const hg_folder *b = &g_sort.c->folders[*(const size_t *)y];
  int r = by_weight_title(a->weight, a->title, b->weight, b->title);
  return r ? r : strcmp(a->rel_dir, b->rel_dir);
}

static int cmp_arts(const void *x, const void *y) {
  const hg_article *a = &g_sort.c->articles[*(const size_t *)x];
  const hg_article *b = &g_sort.c->articles[*(const size_t *)y];
  int r = by_weight_title(a->weight, a->title, b->weight, b->title);
  return r ? r : strcmp(a->rel_path, b->rel_path);
}

char *hg_site_page_file(const char *url_dir) {
  return *url_dir ? hg_strdup_printf("%s/index.html", url_dir)
                  : hg_xstrdup("index.html");
}

static bool is_reserved(const hg_site_opts *o, const char *slug) {
  for (size_t i = 0; reserved[i]; i++)
    if (!strcmp(reserved[i], slug)) return true;
  for (size_t i = 0; o && i < o->nreserved; i++)
    if (!strcasecmp(o->reserved[i], slug)) return true;
  return false;
}

/* Adds node `n`'s articles (content indices in `list`) to site order, then
 * recurses into its children. */
static void order_node(hg_site *s, size_t n, size_t **lists, size_t *counts) {
  hg_site_node *node = &s->nodes[n];
  size_t *list = lists[n];
  size_t cnt = counts[n];
  g_sort.c = s->content;
  if (cnt > 1) qsort(list, cnt, sizeof *list, cmp_arts);
  node->arts = hg_xcalloc(cnt, sizeof *node->arts);
  node->narts = cnt;
  for (size_t i = 0; i < cnt; i++) {
    size_t idx = s->narts++;
    hg_site_article *sa = &s->arts[idx];
    sa->article = list[i];
    const hg_article *a = &s->content->articles[list[i]];
    sa->url_dir = *node->url_dir ? hg_strdup_printf("%s/%s", node->url_dir, a->slug)
                                 : hg_xstrdup(a->slug);
    sa->prev = i > 0 ? (long)idx - 1 : -1;
    sa->next = i + 1 < cnt ? (long)idx + 1 : -1;
    node->arts[i] = idx;
    hg_strmap_put(&s->by_path, a->rel_path, (long)idx);
  }
  if (node->nchildren > 1)
    qsort(node->children, node->nchildren, sizeof(size_t), cmp_nodes);
  for (size_t i = 0; i < node->nchildren; i++)
    order_node(s, node->children[i], lists, counts);
}

static size_t count_total(hg_site *s, size_t n) {
  hg_site_node *node = &s->nodes[n];
  node->total = node->narts;
  for (size_t i = 0; i < node->nchildren; i++)
    node->total += count_total(s, node->children[i]);
  return node->total;
}

static int cmp_promoted(const void *x, const void *y) {
  const hg_site *s = g_sort.s;
  const hg_article *a = &s->content->articles[s->arts[*(const size_t *)x].article];
  const hg_article *b = &s->content->articles[s->arts[*(const size_t *)y].article];
  int r = by_weight_title(a->weight, a->title, b->weight, b->title);
  return r ? r : (*(const size_t *)x < *(const size_t *)y ? -1 : 1);
}

hg_site *hg_site_build(const hg_config *cfg, const hg_content *content,
                       const hg_site_opts *opts, hg_diags *diags) {
  hg_site *s = hg_xcalloc(1, sizeof *s);
  s->cfg = cfg;
  s->content = content;
  s->lang = opts && opts->lang ? opts->lang : cfg->language;
  s->prefix = hg_xstrdup(opts && opts->prefix ? opts->prefix : "");
  s->content_sub = opts && opts->lang_dir ? hg_strdup_printf("%s/", opts->lang_dir)
                                          : hg_xstrdup("");
  s->nnodes = content->nfolders;
  s->nodes = hg_xcalloc(s->nnodes, sizeof *s->nodes);

  /* folders: URLs (parents come before children in content order) */
  hg_strmap urls = {0}; /* url_dir -> 1 (folder) */
  for (size_t i = 0; i < s->nnodes; i++) {
    const hg_folder *f = &content->folders[i];
    hg_site_node *n = &s->nodes[i];
    n->folder = i;
    hg_strmap_put(&s->by_dir, f->rel_dir, (long)i);
    if (f->parent < 0) {
      n->url_dir = hg_xstrdup(s->prefix);
      hg_strmap_put(&s->node_by_url, n->url_dir, (long)i);
      continue;
    }
    hg_site_node *p = &s->nodes[f->parent];
    n->url_dir = *p->url_dir ? hg_strdup_printf("%s/%s", p->url_dir, f->slug)
                             : hg_xstrdup(f->slug);
    if (f->depth == 1 && is_reserved(opts, f->slug))
      hg_diags_add(diags, HG_ERR, f->path, 0, 0,
                   "the folder name '%s' is reserved for helpgen's own files "
                   "(rename the folder or give it another slug in _index.md)", f->slug);
    if (hg_strmap_get(&urls, n->url_dir, 0))
      hg_diags_add(diags, HG_ERR, f->path, 0, 0,
                   "two folders have the URL '%s/' (rename one)", n->url_dir);
    hg_strmap_put(&urls, n->url_dir, 1);
    hg_strmap_put(&s->node_by_url, n->url_dir, (long)i);
    p->children = hg_xrealloc(p->children, (p->nchildren + 1) * sizeof(size_t));
    p->children[p->nchildren++] = i;
  }

  /* articles: group by folder, leaving drafts out */
  size_t **lists = hg_xcalloc(s->nnodes, sizeof *lists);
  size_t *counts = hg_xcalloc(s->nnodes, sizeof *counts);
  size_t published = 0;
  for (size_t i = 0; i < content->narticles; i++) {
    const hg_article *a = &content->articles[i];
    if (a->failed) {
      hg_strmap_put(&s->by_path, a->rel_path, HG_SITE_FAILED);
      continue;
    }
    if (a->draft && !(opts && opts->drafts)) {
      s->ndrafts++;
      hg_strmap_put(&s->by_path, a->rel_path, HG_SITE_DRAFT);
      continue;
    }
    lists[a->folder] = hg_xrealloc(lists[a->folder],
                                   (counts[a->folder] + 1) * sizeof(size_t));
    lists[a->folder][counts[a->folder]++] = i;
    published++;
  }
  s->arts = hg_xcalloc(published, sizeof *s->arts);
  order_node(s, 0, lists, counts);
  count_total(s, 0);
  for (size_t i = 0; i < s->nnodes; i++) free(lists[i]);
  free(lists);
  free(counts);

  /* article URLs must be unique (against folders and each other) */
  for (size_t i = 0; i < s->narts; i++) {
    hg_site_article *sa = &s->arts[i];
    const hg_article *a = &content->articles[sa->article];
    long prev = hg_strmap_get(&urls, sa->url_dir, 0);
    if (prev) {
      const char *other =
          prev == 1 ? "a folder" : content->articles[s->arts[prev - 2].article].path;
      hg_value *sv = hg_value_get(a->meta, "slug");
      hg_diags_add(diags, HG_ERR, a->path, sv ? sv->line : 0, sv ? sv->col : 0,
                   "duplicate slug '%s': %s has the same URL '%s/' (set a "
                   "different 'slug:' in one of them)", a->slug, other, sa->url_dir);
      continue;
    }
    if (content->folders[a->folder].depth == 0 && is_reserved(opts, a->slug))
      hg_diags_add(diags, HG_ERR, a->path, 0, 0,
                   "the slug '%s' is reserved for helpgen's own files (set another "
                   "'slug:')", a->slug);
    hg_strmap_put(&urls, sa->url_dir, (long)i + 2);
    hg_strmap_put(&s->by_url, sa->url_dir, (long)i);
  }
  hg_strmap_free(&urls);

  /* promoted articles */
  for (size_t i = 0; i < s->narts; i++)
    if (content->articles[s->arts[i].article].promoted) s->npromoted++;
  s->promoted = hg_xcalloc(s->npromoted, sizeof *s->promoted);
  s->npromoted = 0;
  for (size_t i = 0; i < s->narts; i++)
    if (content->articles[s->arts[i].article].promoted) s->promoted[s->npromoted++] = i;
  g_sort.s = s;
  if (s->npromoted > 1) qsort(s->promoted, s->npromoted, sizeof(size_t), cmp_promoted);
  return s;
}

void hg_site_free(hg_site *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nnodes; i++) {
    free(s->nodes[i].url_dir);
    free(s->nodes[i].children);
    free(s->nodes[i].arts);
  }
  free(s->nodes);
  for (size_t i = 0; i < s->narts; i++) free(s->arts[i].url_dir);
  free(s->arts);
  free(s->promoted);
  free(s->prefix);
  free(s->content_sub);
  hg_strmap_free(&s->by_path);
  hg_strmap_free(&s->by_dir);
  hg_strmap_free(&s->by_url);
  hg_strmap_free(&s->node_by_url);
  free(s);
}

char *hg_site_root_prefix(const char *url_dir) {
  if (!*url_dir) return hg_xstrdup("./");
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "../");
  for (const char *p = url_dir; *p; p++)
    if (*p == '/') hg_buf_puts(&b, "../");
  return hg_buf_steal(&b);
}

char *hg_site_link(const hg_site *s, const char *root, const char *url_dir) {
  if (!*url_dir)
    return s->cfg->pretty_links ? hg_xstrdup(root)
                                : hg_strdup_printf("%sindex.html", root);
  return hg_strdup_printf("%s%s/%s", root, url_dir,
                          s->cfg->pretty_links ? "" : "index.html");
}

/* A root-absolute target as a page URL of this site: base_url's path (or
 * "/") and a trailing "index.html" or "/" taken off, then looked up among
 * article and folder URLs. The link to it from `root`, or NULL. */
static char *resolve_url(const hg_site *s, const char *root, const char *target) {
  if (target[0] != '/') return NULL;
  const char *bp = s->cfg->base_path && *s->cfg->base_path ? s->cfg->base_path : "/";
  const char *t = hg_str_has_prefix(target, bp) ? target + strlen(bp) : target + 1;
  size_t n = strcspn(t, "?#");
  char *key = hg_xstrndup(t, n);
  if (hg_str_has_suffix(key, "index.html")) key[strlen(key) - strlen("index.html")] = '\0';
  else if (hg_str_has_suffix(key, "index.htm")) key[strlen(key) - strlen("index.htm")] = '\0';
  size_t len = strlen(key);
  while (len > 0 && key[len - 1] == '/') key[--len] = '\0';
  char *out = NULL;
  long a = hg_strmap_get(&s->by_url, key, -1);
  if (a >= 0) {
    out = hg_site_link(s, root, s->arts[a].url_dir);
  } else {
    long nd = hg_strmap_get(&s->node_by_url, key, -1);
    if (nd >= 0) out = hg_site_link(s, root, s->nodes[nd].url_dir);
  }
  free(key);
  return out;
}

char *hg_site_resolve(const hg_site *s, long art, const char *from_dir,
                      const char *page_dir, const char *target, bool image,
                      const char *path, int line, int col, hg_diags *diags) {
  const hg_content *c = s->content;
  char *joined = target[0] == '/' ? hg_xstrdup(target + 1)
                                  : hg_path_join(from_dir, target);
  char *rel = hg_path_normalize(joined);
  free(joined);
  if (!rel) {
    if (hg_str_has_suffix(target, ".md"))
      hg_diags_add(diags, HG_ERR, path, line, col,
                   "link to '%s' leads outside content/", target);
    return NULL;
  }
  char *out = NULL;
  bool missing = false;
  char *root = hg_site_root_prefix(page_dir);
  bool is_md = hg_str_has_suffix(rel, ".md") || hg_str_has_suffix(rel, ".markdown");
  if (is_md && !strcmp(hg_path_basename(rel), "_index.md")) {
    char *dir = hg_path_dirname(rel);
    long n = hg_strmap_get(&s->by_dir, strcmp(dir, ".") ? dir : "", -1);
    free(dir);
    if (n >= 0) out = hg_site_link(s, root, s->nodes[n].url_dir);
    else missing = true;
  } else if (is_md) {
    long a = hg_strmap_get(&s->by_path, rel, -1);
    if (a >= 0) {
      out = hg_site_link(s, root, s->arts[a].url_dir);
    } else if (a == HG_SITE_DRAFT) {
      hg_diags_add(diags, HG_WARN, path, line, col,
                   "link to '%s', a draft that is not published", target);
    } else if (a == HG_SITE_FAILED) {
      /* the file exists; its own error says what to fix */
    } else {
      missing = true;
    }
  } else {
    long n = hg_strmap_get(&s->by_dir, rel, -1);
    if (n >= 0) {
      out = hg_site_link(s, root, s->nodes[n].url_dir);
    } else {
      char *dir = hg_path_dirname(rel);
      long f = hg_strmap_get(&s->by_dir, strcmp(dir, ".") ? dir : "", -1);
      free(dir);
      const char *base = hg_path_basename(rel);
      if (f >= 0)
        for (size_t i = 0; i < c->folders[f].nassets; i++)
          if (!strcmp(c->folders[f].assets[i], base)) {
            const char *d = s->nodes[f].url_dir;
            out = *d ? hg_strdup_printf("%s%s/%s", root, d, base)
                     : hg_strdup_printf("%s%s", root, base);
            break;
          }
      if (!out && !image) out = resolve_url(s, root, target);
      if (!out && image)
        hg_diags_add(diags, HG_WARN, path, line, col,
                     "image '%s' not found (expected at content/%s%s)", target,
                     s->content_sub, rel);
    }
  }
  if (missing)
    hg_diags_add(diags, HG_ERR, path, line, col,
                 "link to missing article '%s' (no file content/%s%s; fix the "
                 "path or remove the link)", target, s->content_sub, rel);
  (void)art;
  free(root);
  free(rel);
  return out;
}

/* ---- languages ------------------------------------------------------------ */
/* A pairing key: the path or translation_key without ".md", without a
 * leading "/" or "content/<lang>/"... kept simple: leading slashes only. */
static char *pair_key(const char *k) {
  while (*k == '/') k++;
  size_t n = strlen(k);
  if (n > 3 && hg_str_has_suffix(k, ".md")) n -= 3;
  else if (n > 9 && hg_str_has_suffix(k, ".markdown")) n -= 9;
  while (n > 0 && k[n - 1] == '/') n--;
  return hg_xstrndup(k, n);
}

typedef struct {
  hg_strmap keys;  /* key -> group */
  long *slots;     /* ngroups * nlangs */
  size_t ngroups, nlangs;
} pairing;

static size_t pairing_new_group(pairing *p) {
  p->slots = hg_xrealloc(p->slots, (p->ngroups + 1) * p->nlangs * sizeof *p->slots);
  for (size_t l = 0; l < p->nlangs; l++) p->slots[p->ngroups * p->nlangs + l] = -1;
  return p->ngroups++;
}

/* Puts item `idx` of language `lang` into the group of `key` (or `alt`,
 * a second key tried when `key` is unknown); a new group when the key is
 * unknown or its slot for this language is taken (*clash then names the
 * item already there). Registers both keys. */
static size_t pairing_add(pairing *p, const char *key, const char *alt, size_t lang, long idx,
                          long *clash) {
  long g = hg_strmap_get(&p->keys, key, -1);
  if (g < 0 && alt) g = hg_strmap_get(&p->keys, alt, -1);
  *clash = -1;
  if (g >= 0 && p->slots[(size_t)g * p->nlangs + lang] >= 0) {
    *clash = p->slots[(size_t)g * p->nlangs + lang];
    g = -1;
  }
  if (g < 0) {
    g = (long)pairing_new_group(p);
    if (*clash < 0 || hg_strmap_get(&p->keys, key, -1) < 0) hg_strmap_put(&p->keys, key, g);
  } else if (hg_strmap_get(&p->keys, key, -1) < 0) {
    hg_strmap_put(&p->keys, key, g);
  }
  if (alt && hg_strmap_get(&p->keys, alt, -1) < 0) hg_strmap_put(&p->keys, alt, g);
  p->slots[(size_t)g * p->nlangs + lang] = idx;
  return (size_t)g;
}

static const char *folder_key(const hg_folder *f) {
  const char *k = hg_value_str(hg_value_get(f->meta, "translation_key"));
  return f->parent < 0 ? NULL : k;
}

hg_site_langs *hg_site_langs_new(hg_site **sites, size_t n, hg_diags *diags) {
  hg_site_langs *l = hg_xcalloc(1, sizeof *l);
  l->sites = sites;
  l->n = n;
  l->group = hg_xcalloc(n, sizeof *l->group);
  l->fgroup = hg_xcalloc(n, sizeof *l->fgroup);
  pairing pa = {.nlangs = n}, pf = {.nlangs = n};
  for (size_t i = 0; i < n; i++) {
    sites[i]->langs = l;
    sites[i]->lang_index = i;
    l->group[i] = hg_xcalloc(sites[i]->narts + 1, sizeof **l->group);
    l->fgroup[i] = hg_xcalloc(sites[i]->nnodes + 1, sizeof **l->fgroup);
  }
  /* articles and folders with a translation_key first, so that a keyless
   * translation at the same path finds their group */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < n; i++) {
      const hg_site *s = sites[i];
      const hg_content *c = s->content;
      for (size_t a = 0; a < s->narts; a++) {
        const hg_article *art = &c->articles[s->arts[a].article];
        if ((pass == 0) != (art->translation_key != NULL)) continue;
        char *path = pair_key(art->rel_path);
        char *alt = hg_strdup_printf("\x01%s", path);
        char *key = art->translation_key ? pair_key(art->translation_key) : NULL;
        long clash;
        l->group[i][a] = pairing_add(&pa, key ? key : path, alt, i, (long)a, &clash);
        if (clash >= 0 && key) {
          const hg_value *kv = hg_value_get(art->meta, "translation_key");
          hg_diags_add(diags, HG_WARN, art->path, kv ? kv->line : 0, kv ? kv->col : 0,
                       "translation_key '%s' is also used by %s (in the same language; "
                       "this article stays without translations)", art->translation_key,
                       c->articles[s->arts[clash].article].path);
        }
        free(path);
        free(alt);
        free(key);
      }
      for (size_t f = 0; f < s->nnodes; f++) {
        const hg_folder *fo = &c->folders[f];
        const char *k = folder_key(fo);
        if ((pass == 0) != (k != NULL)) continue;
        char *path = pair_key(fo->rel_dir);
        char *alt = hg_strdup_printf("\x01%s", path);
        char *key = k ? pair_key(k) : NULL;
        long clash;
        l->fgroup[i][f] = pairing_add(&pf, key ? key : path, alt, i, (long)f, &clash);
        if (clash >= 0 && key)
          hg_diags_add(diags, HG_WARN, fo->index_path, 0, 0,
                       "translation_key '%s' is also used by %s (in the same language)", k,
                       c->folders[clash].path);
        free(path);
        free(alt);
        free(key);
      }
    }
  }
  l->slots = pa.slots;
  l->ngroups = pa.ngroups;
  l->fslots = pf.slots;
  l->nfgroups = pf.ngroups;
  hg_strmap_free(&pa.keys);
  hg_strmap_free(&pf.keys);
  return l;
}

void hg_site_langs_free(hg_site_langs *l) {
  if (!l) return;
  for (size_t i = 0; i < l->n; i++) {
    free(l->group[i]);
    free(l->fgroup[i]);
  }
  free(l->group);
  free(l->fgroup);
  free(l->slots);
  free(l->fslots);
  free(l);
}

long hg_site_translation(const hg_site *s, size_t art, size_t to) {
  const hg_site_langs *l = s->langs;
  if (!l) return to == 0 ? (long)art : -1;
  if (to >= l->n || art >= s->narts) return -1;
  return l->slots[l->group[s->lang_index][art] * l->n + to];
}

long hg_site_node_translation(const hg_site *s, size_t node, size_t to) {
  const hg_site_langs *l = s->langs;
  if (!l) return to == 0 ? (long)node : -1;
  if (to >= l->n || node >= s->nnodes) return -1;
  return l->fslots[l->fgroup[s->lang_index][node] * l->n + to];
}
