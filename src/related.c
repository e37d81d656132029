/* related.c - related articles (TF-IDF over an inverted index) and the
 * popular list. */
#include "hg_related.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Term weights per source (a term's weight in an article is the sum). */
#define W_TAG 3.0f      /* a whole tag ("order changes") */
#define W_PHRASE 3.0f   /* a whole keyword phrase */
#define W_TITLE 2.0f    /* a word of the title */
#define W_WORD 1.0f     /* a word of a tag, keyword or heading */
#define W_DESC 0.5f     /* a word of the description */
/* Scores below this are noise (one weak word in common). */
#define MIN_SCORE 0.02
/* Terms in more articles than this stay out of the inverted index. */
#define MAX_DF_FLOOR 100

typedef struct {
  uint32_t term;
  float w;
} tw;

typedef struct {
  tw *v;
  size_t n, cap;
} vec;

typedef struct {
  uint32_t art;
  float w; /* weight * idf */
} posting;

typedef struct {
  size_t off;   /* into raw_list.text */
  uint32_t len;
  float w;
  uint64_t hash; /* of the term, made on the worker thread */
} raw_term;

typedef struct {
  hg_buf text; /* the terms, each NUL-terminated */
  raw_term *v;
  size_t n, cap;
  hg_buf slug; /* scratch */
} raw_list; /* an article's terms before they get ids */

static const char *const stopwords[] = {
    "the",  "and",   "for",  "how",  "you",  "your", "with", "what", "can",  "are",
    "from", "this",  "that", "doe",  "not",  "when", "why",  "about", "into", "our",
    "use",  "using", "get",  "all",  "any",  "has",  "have", "was",  "will", "its",
    "more", "than",  "then", "there", "they", "them", "their", "which", "who", "also",
    "out",  "but",   "one",  "been", "being", "were", "some", "each", "other", NULL};

static bool is_stopword(const char *w, size_t len) {
  if (len < 3 || len > 5) return false; /* the lengths of the list */
  for (size_t i = 0; stopwords[i]; i++)
    if (stopwords[i][0] == w[0] && !strcmp(stopwords[i], w)) return true;
  return false;
}

static void raw_add(raw_list *l, char prefix, const char *term, size_t len, float w) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 32;
    l->v = hg_xrealloc(l->v, l->cap * sizeof *l->v);
  }
  raw_term *r = &l->v[l->n++];
  r->off = l->text.len;
  r->w = w;
  if (prefix) hg_buf_putc(&l->text, prefix);
  hg_buf_append(&l->text, term, len);
  hg_buf_putc(&l->text, '\0');
  r->len = (uint32_t)(l->text.len - 1 - r->off);
  r->hash = hg_hash64(l->text.data + r->off, r->len);
}

/* Term ids in order of first appearance; open addressing over the hashes
 * the workers made. */
typedef struct {
  hg_buf keys;    /* the terms, NUL-terminated */
  size_t *off;    /* per id */
  uint64_t *hash; /* per id */
  size_t n, cap;
  uint32_t *slot; /* id + 1, 0 = empty */
  size_t nslot;
} term_ids;

static void ids_rehash(term_ids *t, size_t nslot) {
  free(t->slot);
  t->slot = hg_xcalloc(nslot, sizeof *t->slot);
  t->nslot = nslot;
  for (size_t id = 0; id < t->n; id++) {
    size_t i = t->hash[id] & (nslot - 1);
    while (t->slot[i]) i = (i + 1) & (nslot - 1);
    t->slot[i] = (uint32_t)id + 1;
  }
}

static uint32_t ids_get(term_ids *t, const char *s, size_t len, uint64_t h) {
  if ((t->n + 1) * 2 > t->nslot) ids_rehash(t, t->nslot ? t->nslot * 2 : 1024);
  size_t mask = t->nslot - 1, i = h & mask;
  for (; t->slot[i]; i = (i + 1) & mask) {
    uint32_t id = t->slot[i] - 1;
    const char *k = t->keys.data + t->off[id];
    if (t->hash[id] == h && memcmp(k, s, len) == 0 && k[len] == '\0') return id;
  }
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 1024;
    t->off = hg_xrealloc(t->off, t->cap * sizeof *t->off);
    t->hash = hg_xrealloc(t->hash, t->cap * sizeof *t->hash);
  }
  t->off[t->n] = t->keys.len;
  t->hash[t->n] = h;
  hg_buf_append(&t->keys, s, len);
  hg_buf_putc(&t->keys, '\0');
  t->slot[i] = (uint32_t)++t->n;
  return (uint32_t)(t->n - 1);
}

static void ids_free(term_ids *t) {
  hg_buf_free(&t->keys);
  free(t->off);
  free(t->hash);
  free(t->slot);
}

/* hg_slugify(text) into l->slug. */
static void slug_of(raw_list *l, const char *text) {
  hg_buf_clear(&l->slug);
  hg_slugify_to(&l->slug, text);
}

/* Adds the words of `text` (slugified: lowercase, any script) with weight w.
 * A plural "s" is dropped from ASCII words of 4+ letters ("orders"). */
static void add_words(raw_list *l, const char *text, float w) {
  if (!text || !*text) return;
  slug_of(l, text);
  for (char *p = l->slug.data; *p;) {
    char *e = strchr(p, '-');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (e) *e = '\0';
    if (len > 3 && p[len - 1] == 's' && p[len - 2] != 's' && (unsigned char)p[len - 2] < 0x80)
      p[--len] = '\0';
    bool ascii = true;
    for (size_t i = 0; i < len; i++) ascii &= (unsigned char)p[i] < 0x80;
    if ((ascii ? len >= 3 : len >= 2) && !is_stopword(p, len)) raw_add(l, 0, p, len, w);
    p = e ? e + 1 : p + len;
  }
}

/* Adds a whole phrase (a tag or keyword) as one term, kept apart from words
 * by a prefix byte. */
static void add_phrase(raw_list *l, char kind, const char *text, float w) {
  slug_of(l, text);
  if (l->slug.len) raw_add(l, kind, l->slug.data, l->slug.len, w);
}

static void vec_add(vec *v, uint32_t term, float w) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 16;
    v->v = hg_xrealloc(v->v, v->cap * sizeof *v->v);
  }
  v->v[v->n].term = term;
  v->v[v->n].w = w;
  v->n++;
}

static int cmp_tw(const void *x, const void *y) {
  size_t a = ((const tw *)x)->term, b = ((const tw *)y)->term;
  return a < b ? -1 : a > b;
}

/* Sorts by term and sums the weights of repeated terms. */
static void vec_merge(vec *v) {
  if (v->n < 2) return;
  qsort(v->v, v->n, sizeof *v->v, cmp_tw);
  size_t o = 0;
  for (size_t i = 0; i < v->n; i++) {
    if (o && v->v[o - 1].term == v->v[i].term) v->v[o - 1].w += v->v[i].w;
    else v->v[o++] = v->v[i];
  }
  v->n = o;
}

typedef struct {
  const hg_site *site;
  size_t k;
  vec *vecs;          /* per article: (term, weight * idf), sorted by term */
  float *norm;        /* per article */
  posting **postings; /* per term, NULL when left out */
  size_t *npostings;
  double **acc;       /* per worker: score accumulator, one slot per article */
  size_t **touched;   /* per worker: articles with a nonzero accumulator */
  size_t *out;
} job;

static void score_one(void *ctx, size_t a, int worker) {
  job *j = ctx;
  double *acc = j->acc[worker];
  size_t *touched = j->touched[worker], nt = 0;
  const vec *va = &j->vecs[a];
  for (size_t i = 0; i < va->n; i++) {
    size_t t = va->v[i].term;
    const posting *p = j->postings[t];
    if (!p) continue;
    float w = va->v[i].w;
    for (size_t q = 0; q < j->npostings[t]; q++) {
      size_t b = p[q].art;
      if (b == a) continue;
      if (acc[b] == 0) touched[nt++] = b;
      acc[b] += (double)w * p[q].w;
    }
  }
  size_t k = j->k;
  size_t *best = &j->out[a * k];
  double *bs = hg_xcalloc(k, sizeof *bs);
  size_t nb = 0;
  for (size_t i = 0; i < k; i++) best[i] = HG_RELATED_NONE;
  for (size_t i = 0; i < nt; i++) {
    size_t b = touched[i];
    double s = acc[b] / ((double)j->norm[a] * j->norm[b]);
    acc[b] = 0;
    if (s < MIN_SCORE) continue;
    /* insertion into the sorted top k: higher score first, then lower index */
    size_t pos = nb;
    while (pos > 0 && (bs[pos - 1] < s || (bs[pos - 1] == s && best[pos - 1] > b))) pos--;
    if (pos >= k) continue;
    size_t last = nb < k ? nb : k - 1;
    for (size_t m = last; m > pos; m--) {
      best[m] = best[m - 1];
      bs[m] = bs[m - 1];
    }
    best[pos] = b;
    bs[pos] = s;
    if (nb < k) nb++;
  }
  free(bs);
}

typedef struct {
  const hg_site *site;
  const hg_md_result *md;
  raw_list *raw;
} terms_job;

static void terms_one(void *ctx, size_t i, int worker) {
  (void)worker;
  terms_job *j = ctx;
  const hg_article *a = &j->site->content->articles[j->site->arts[i].article];
  raw_list *l = &j->raw[i];
  for (size_t t = 0; t < a->ntags; t++) {
    add_phrase(l, '\1', a->tags[t], W_TAG);
    add_words(l, a->tags[t], W_WORD);
  }
  for (size_t t = 0; t < a->nkeywords; t++) {
    add_phrase(l, '\2', a->keywords[t], W_PHRASE);
    add_words(l, a->keywords[t], W_WORD);
  }
  add_words(l, a->title, W_TITLE);
  add_words(l, a->description, W_DESC);
  for (size_t t = 0; j->md && t < j->md[i].ntoc; t++) add_words(l, j->md[i].toc[t].text, W_WORD);
}

size_t *hg_related_compute(const hg_site *site, const hg_md_result *md, size_t k,
                           int threads) {
  size_t n = site->narts;
  if (!k || !n) return NULL;
  if (threads < 1) threads = 1;
  /* terms of every article (in parallel), then ids in site order */
  terms_job tj = {site, md, hg_xcalloc(n, sizeof(raw_list))};
  hg_parallel_for(n, threads, terms_one, &tj);
  term_ids ids = {0};
  vec *vecs = hg_xcalloc(n, sizeof *vecs);
  for (size_t i = 0; i < n; i++) {
    raw_list *l = &tj.raw[i];
    for (size_t t = 0; t < l->n; t++) {
      const raw_term *r = &l->v[t];
      vec_add(&vecs[i], ids_get(&ids, l->text.data + r->off, r->len, r->hash), r->w);
    }
    free(l->v);
    hg_buf_free(&l->text);
    hg_buf_free(&l->slug);
    vec_merge(&vecs[i]);
  }
  free(tj.raw);
  size_t nterms = ids.n;
  ids_free(&ids);

  /* document frequencies, then weight * idf and the vector norms */
  size_t *df = hg_xcalloc(nterms ? nterms : 1, sizeof *df);
  for (size_t i = 0; i < n; i++)
    for (size_t t = 0; t < vecs[i].n; t++) df[vecs[i].v[t].term]++;
  float *norm = hg_xcalloc(n, sizeof *norm);
  for (size_t i = 0; i < n; i++) {
    double sq = 0;
    for (size_t t = 0; t < vecs[i].n; t++) {
      tw *e = &vecs[i].v[t];
      e->w *= (float)log(1.0 + (double)n / (double)df[e->term]);
      sq += (double)e->w * e->w;
    }
    norm[i] = sq > 0 ? (float)sqrt(sq) : 1.0f;
  }

  /* inverted index over the terms shared by 2..max_df articles */
  size_t max_df = n / 20 > MAX_DF_FLOOR ? n / 20 : MAX_DF_FLOOR;
  posting **postings = hg_xcalloc(nterms ? nterms : 1, sizeof *postings);
  size_t *np = hg_xcalloc(nterms ? nterms : 1, sizeof *np);
  for (size_t t = 0; t < nterms; t++)
    if (df[t] >= 2 && df[t] <= max_df) postings[t] = hg_xcalloc(df[t], sizeof **postings);
  for (size_t i = 0; i < n; i++)
    for (size_t t = 0; t < vecs[i].n; t++) {
      size_t term = vecs[i].v[t].term;
      if (postings[term]) postings[term][np[term]++] = (posting){(uint32_t)i, vecs[i].v[t].w};
    }

  job j = {site, k, vecs, norm, postings, np, hg_xcalloc((size_t)threads, sizeof(double *)),
           hg_xcalloc((size_t)threads, sizeof(size_t *)), hg_xcalloc(n * k, sizeof(size_t))};
  for (int w = 0; w < threads; w++) {
    j.acc[w] = hg_xcalloc(n, sizeof(double));
    j.touched[w] = hg_xcalloc(n, sizeof(size_t));
  }
  hg_parallel_for(n, threads, score_one, &j);

  for (int w = 0; w < threads; w++) {
    free(j.acc[w]);
    free(j.touched[w]);
  }
  free(j.acc);
  free(j.touched);
  for (size_t t = 0; t < nterms; t++) free(postings[t]);
  free(postings);
  free(np);
  free(norm);
  free(df);
  for (size_t i = 0; i < n; i++) free(vecs[i].v);
  free(vecs);
  return j.out;
}

/* ---- popular ------------------------------------------------------------ */
size_t *hg_related_popular(const hg_site *site, hg_diags *diags, size_t *n) {
  const hg_config *cfg = site->cfg;
  const char *cp = cfg->config_path ? cfg->config_path : "helpgen.yaml";
  const hg_value *v = hg_value_get(cfg->root, "popular");
  size_t cap = site->npromoted + (v && v->type == HG_V_LIST ? v->len : 0);
  size_t *out = hg_xcalloc(cap ? cap : 1, sizeof *out);
  bool *seen = hg_xcalloc(site->narts ? site->narts : 1, sizeof *seen);
  *n = 0;
  if (v && v->type != HG_V_NULL && v->type != HG_V_LIST)
    hg_diags_add(diags, HG_WARN, cp, v->line, v->col,
                 "'popular' should be a list of article paths such as "
                 "orders/track-order.md, found a %s (ignored)",
                 hg_value_type_name(v->type));
  for (size_t i = 0; v && v->type == HG_V_LIST && i < v->len; i++) {
    const hg_value *it = v->items[i];
    const char *s = hg_value_str(it);
    if (!s || !*s) {
      hg_diags_add(diags, HG_WARN, cp, it->line, it->col,
                   "'popular' items should be article paths such as orders/track-order.md "
                   "(one skipped)");
      continue;
    }
    const char *p = s;
    while (*p == '/' || hg_str_has_prefix(p, "./")) p += *p == '/' ? 1 : 2;
    if (hg_str_has_prefix(p, "content/")) p += strlen("content/");
    bool md = hg_str_has_suffix(p, ".md") || hg_str_has_suffix(p, ".markdown");
    char *rel = md ? hg_xstrdup(p) : hg_strdup_printf("%s.md", p);
    long a = hg_strmap_get(&site->by_path, rel, -1);
    if (a == HG_SITE_DRAFT)
      hg_diags_add(diags, HG_WARN, cp, it->line, it->col,
                   "popular: '%s' is a draft (left out until it is published)", s);
    else if (a == HG_SITE_FAILED)
      ; /* left out: its own errors are reported */
    else if (a < 0)
      hg_diags_add(diags, HG_WARN, cp, it->line, it->col,
                   "popular: no article content/%s (left out; paths are relative to "
                   "content/)", rel);
    else if (seen[a])
      hg_diags_add(diags, HG_WARN, cp, it->line, it->col,
                   "popular: '%s' is listed twice (the second is left out)", s);
    else {
      seen[a] = true;
      out[(*n)++] = (size_t)a;
    }
    free(rel);
  }
  for (size_t i = 0; i < site->npromoted; i++)
    if (!seen[site->promoted[i]]) {
      seen[site->promoted[i]] = true;
      out[(*n)++] = site->promoted[i];
    }
  free(seen);
  return out;
}
