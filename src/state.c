/* state.c - the incremental build's state: (de)serialized with the binary
 * records of hg_util.h (see hg_state.h). */
#include "hg_state.h"

#include <stdlib.h>
#include <string.h>

#include "hg_related.h"

#define MAGIC "helpgen-state 4"
enum { REC_END = 0, REC_MD = 1, REC_RELATED = 2 };
#define FLUSH_BYTES (1u << 20)

static size_t read_count(hg_reader *r);

static void put_related(hg_buf *b, const size_t *related, size_t narts, size_t k) {
  hg_buf_put_uvar(b, related ? k : 0);
  for (size_t i = 0; related && i < narts * k; i++)
    hg_buf_put_uvar(b, related[i] == HG_RELATED_NONE ? 0 : (uint64_t)related[i] + 1);
}

/* The base: MAGIC, site_dir, nl, then per language its code, its content
 * part (the content stage's messages and the content) and its Markdown
 * part (results and messages of articles and intros, related lists), then
 * a trailer: per language the offsets where its content part starts and
 * ends and where its Markdown part ends, and last the trailer's own offset
 * as 8 bytes (little-endian). The parts are read on two threads. */
typedef struct {
  hg_buf *b;
  void (*flush)(void *ctx, hg_buf *b);
  void *ctx;
  size_t flushed; /* bytes handed to flush so far */
} writer;

static size_t at(const writer *w) { return w->flushed + w->b->len; }

static void maybe_flush(writer *w, size_t over) {
  if (!w->flush || w->b->len <= over) return;
  w->flushed += w->b->len;
  w->flush(w->ctx, w->b);
}

void hg_state_save(const char *site_dir, const hg_state_view *langs, size_t nl,
                   const hg_diags *checks, hg_buf *b, void (*flush)(void *ctx, hg_buf *b),
                   void *ctx) {
  writer w = {b, flush, ctx, 0};
  size_t base = b->len; /* offsets count from where the base starts */
  size_t *offs = hg_xcalloc(nl * 3 + 1, sizeof *offs);
  hg_buf_put_str(b, MAGIC);
  hg_buf_put_str(b, site_dir);
  hg_buf_put_uvar(b, nl);
  hg_diags_save(checks, b);
  for (size_t l = 0; l < nl; l++) {
    const hg_state_view *v = &langs[l];
    hg_buf_put_str(b, v->code);
    offs[l * 3] = at(&w) - base;
    hg_diags_save(v->content_diags, b);
    hg_content_save(v->content, b);
    offs[l * 3 + 1] = at(&w) - base;
    maybe_flush(&w, 0);
    hg_buf_put_uvar(b, v->narts);
    for (size_t i = 0; i < v->narts; i++) {
      hg_md_result_save(&v->md[i], b);
      hg_diags_save(&v->md_diags[i], b);
      maybe_flush(&w, FLUSH_BYTES);
    }
    hg_buf_put_uvar(b, v->nnodes);
    for (size_t i = 0; i < v->nnodes; i++) {
      hg_md_result_save(&v->intros[i], b);
      hg_diags_save(&v->intro_diags[i], b);
    }
    put_related(b, v->related, v->narts, v->k);
    offs[l * 3 + 2] = at(&w) - base;
  }
  uint64_t trailer = at(&w) - base;
  for (size_t k = 0; k < nl * 3; k++) hg_buf_put_uvar(b, offs[k]);
  unsigned char le[8];
  for (int k = 0; k < 8; k++) le[k] = (unsigned char)(trailer >> (8 * k));
  hg_buf_append(b, (const char *)le, 8);
  free(offs);
}

void hg_state_put_md(hg_buf *b, size_t l, size_t i, const hg_md_result *r, const hg_diags *d) {
  hg_buf_put_uvar(b, REC_MD);
  hg_buf_put_uvar(b, l);
  hg_buf_put_uvar(b, i);
  hg_md_result_save(r, b);
  hg_diags_save(d, b);
}

void hg_state_put_related(hg_buf *b, size_t l, const size_t *related, size_t narts, size_t k) {
  hg_buf_put_uvar(b, REC_RELATED);
  hg_buf_put_uvar(b, l);
  hg_buf_put_uvar(b, narts);
  put_related(b, related, narts, k);
}

/* A count that cannot be more than the bytes left (every item takes one). */
static size_t read_count(hg_reader *r) {
  uint64_t n = hg_read_uvar(r);
  if (n > (uint64_t)(r->end - r->p)) r->bad = true;
  return r->bad ? 0 : (size_t)n;
}

static size_t *read_related(hg_reader *r, size_t narts, size_t *k) {
  *k = read_count(r);
  if (!*k || r->bad) return NULL;
  if (*k > 64 || narts * *k > (size_t)(r->end - r->p)) {
    r->bad = true;
    return NULL;
  }
  size_t *v = hg_xcalloc(narts * *k + 1, sizeof *v);
  for (size_t i = 0; i < narts * *k && !r->bad; i++) {
    uint64_t x = hg_read_uvar(r);
    if (x > narts) r->bad = true;
    v[i] = x == 0 ? HG_RELATED_NONE : (size_t)(x - 1);
  }
  return v;
}

/* The two parts of a language, each read by itself (on its own thread). */
static bool read_content(hg_reader *r, hg_state_lang *l) {
  if (!hg_diags_restore(r, &l->content_diags)) return false;
  l->content = hg_content_restore(r);
  return l->content && r->p == r->end;
}

static bool read_markdown(hg_reader *r, hg_state_lang *l) {
  l->narts = read_count(r);
  l->md = hg_xcalloc(l->narts + 1, sizeof *l->md);
  l->md_diags = hg_xcalloc(l->narts + 1, sizeof *l->md_diags);
  for (size_t i = 0; i < l->narts && !r->bad; i++)
    if (!hg_md_result_view(r, &l->md[i]) || !hg_diags_restore(r, &l->md_diags[i]))
      r->bad = true;
  l->nnodes = read_count(r);
  l->intros = hg_xcalloc(l->nnodes + 1, sizeof *l->intros);
  l->intro_diags = hg_xcalloc(l->nnodes + 1, sizeof *l->intro_diags);
  for (size_t i = 0; i < l->nnodes && !r->bad; i++)
    if (!hg_md_result_view(r, &l->intros[i]) || !hg_diags_restore(r, &l->intro_diags[i]))
      r->bad = true;
  l->related = read_related(r, l->narts, &l->k);
  return !r->bad && r->p == r->end;
}

typedef struct {
  const char *base;
  const uint64_t *offs; /* 3 per language */
  hg_state *s;
  bool *ok;             /* 2 per language */
} read_job;

static void read_part(void *ctx, size_t i, int worker) {
  (void)worker;
  read_job *j = ctx;
  size_t l = i / 2;
  const uint64_t *o = &j->offs[l * 3];
  hg_reader r = {j->base + (i % 2 ? o[1] : o[0]), j->base + (i % 2 ? o[2] : o[1]), false};
  j->ok[i] = i % 2 ? read_markdown(&r, &j->s->langs[l]) : read_content(&r, &j->s->langs[l]);
}

static bool apply_batches(hg_state *s, hg_reader *r) {
  while (r->p < r->end && !r->bad) {
    uint64_t tag = hg_read_uvar(r);
    if (tag == REC_END) continue;
    uint64_t l = hg_read_uvar(r);
    if (r->bad || l >= s->nl) return false;
    hg_state_lang *sl = &s->langs[l];
    if (tag == REC_MD) {
      uint64_t i = hg_read_uvar(r);
      hg_md_result m;
      hg_diags d = {0};
      if (r->bad || i >= sl->narts || !hg_md_result_view(r, &m)) return false;
      if (!hg_diags_restore(r, &d)) {
        hg_md_result_release(&m);
        hg_diags_free(&d);
        return false;
      }
      hg_md_result_release(&sl->md[i]);
      hg_diags_free(&sl->md_diags[i]);
      sl->md[i] = m;
      sl->md_diags[i] = d;
    } else if (tag == REC_RELATED) {
      uint64_t narts = hg_read_uvar(r);
      if (r->bad || narts != sl->narts) return false;
      size_t k;
      size_t *rel = read_related(r, sl->narts, &k);
      if (r->bad) {
        free(rel);
        return false;
      }
      free(sl->related);
      sl->related = rel;
      sl->k = k;
    } else {
      return false;
    }
  }
  return !r->bad;
}

hg_state *hg_state_restore(const char *base, size_t len, const char *batches, size_t blen) {
  if (len < 8) return NULL;
  uint64_t trailer = 0;
  for (int k = 7; k >= 0; k--) trailer = trailer << 8 | (unsigned char)base[len - 8 + (size_t)k];
  if (trailer > len - 8) return NULL;
  hg_reader r = {base, base + trailer, false};
  char *magic = hg_read_str(&r);
  bool ok = magic && !strcmp(magic, MAGIC);
  free(magic);
  if (!ok) return NULL;
  hg_state *s = hg_xcalloc(1, sizeof *s);
  s->site_dir = hg_read_str(&r);
  size_t nl = read_count(&r);
  ok = s->site_dir && !r.bad && nl > 0 && nl <= 1024 && hg_diags_restore(&r, &s->checks);
  uint64_t *offs = ok ? hg_xcalloc(nl * 3, sizeof *offs) : NULL;
  if (ok) {
    s->langs = hg_xcalloc(nl, sizeof *s->langs);
    s->nl = nl;
  }
  /* the codes, in order, then the trailer's offsets: each language's parts
   * lie after its code and before the next one's */
  hg_reader t = {base + trailer, base + len - 8, false};
  for (size_t k = 0; ok && k < nl * 3; k++) offs[k] = hg_read_uvar(&t);
  ok = ok && !t.bad && t.p == t.end;
  for (size_t l = 0; ok && l < nl; l++) {
    s->langs[l].code = hg_read_str(&r);
    const uint64_t *o = &offs[l * 3];
    ok = s->langs[l].code && !r.bad && o[0] == (uint64_t)(r.p - base) && o[0] <= o[1] &&
         o[1] <= o[2] && o[2] <= trailer;
    if (ok) r.p = base + o[2];
  }
  ok = ok && r.p == r.end;
  if (ok) {
    bool *parts = hg_xcalloc(nl * 2, sizeof *parts);
    read_job j = {base, offs, s, parts};
    hg_parallel_for(nl * 2, hg_default_threads(), read_part, &j);
    for (size_t i = 0; i < nl * 2; i++) ok = ok && parts[i];
    free(parts);
  }
  free(offs);
  if (ok && batches) {
    hg_reader b = {batches, batches + blen, false};
    ok = apply_batches(s, &b);
  }
  if (!ok) {
    hg_state_free(s);
    return NULL;
  }
  return s;
}

void hg_state_free(hg_state *s) {
  if (!s) return;
  for (size_t l = 0; l < s->nl; l++) {
    hg_state_lang *sl = &s->langs[l];
    free(sl->code);
    hg_content_free(sl->content);
    hg_diags_free(&sl->content_diags);
    for (size_t i = 0; sl->md && i < sl->narts; i++) hg_md_result_release(&sl->md[i]);
    for (size_t i = 0; sl->md_diags && i < sl->narts; i++) hg_diags_free(&sl->md_diags[i]);
    free(sl->md);
    free(sl->md_diags);
    for (size_t i = 0; sl->intros && i < sl->nnodes; i++) hg_md_result_release(&sl->intros[i]);
    for (size_t i = 0; sl->intro_diags && i < sl->nnodes; i++)
      hg_diags_free(&sl->intro_diags[i]);
    free(sl->intros);
    free(sl->intro_diags);
    free(sl->related);
  }
  free(s->langs);
  free(s->site_dir);
  hg_diags_free(&s->checks);
  free(s);
}
