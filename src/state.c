/* state.c - the incremental build's state: (de)serialized with the binary
 * records of hg_util.h (see hg_state.h). */
#include "hg_state.h"

#include <stdlib.h>
#include <string.h>

#include "hg_related.h"

#define MAGIC "helpgen-state 2"
enum { REC_END = 0, REC_MD = 1, REC_RELATED = 2 };
#define FLUSH_BYTES (1u << 20)

static size_t read_count(hg_reader *r);

static void put_related(hg_buf *b, const size_t *related, size_t narts, size_t k) {
  hg_buf_put_uvar(b, related ? k : 0);
  for (size_t i = 0; related && i < narts * k; i++)
    hg_buf_put_uvar(b, related[i] == HG_RELATED_NONE ? 0 : (uint64_t)related[i] + 1);
}

void hg_state_save(const char *site_dir, const hg_state_view *langs, size_t nl, hg_buf *b,
                   void (*flush)(void *ctx, hg_buf *b), void *ctx) {
  hg_buf_put_str(b, MAGIC);
  hg_buf_put_str(b, site_dir);
  hg_buf_put_uvar(b, nl);
  for (size_t l = 0; l < nl; l++) {
    const hg_state_view *v = &langs[l];
    hg_buf_put_str(b, v->code);
    hg_diags_save(v->content_diags, b);
    hg_content_save(v->content, b);
    if (flush) flush(ctx, b);
    hg_buf_put_uvar(b, v->narts);
    for (size_t i = 0; i < v->narts; i++) {
      hg_md_result_save(&v->md[i], b);
      hg_diags_save(&v->md_diags[i], b);
      if (flush && b->len > FLUSH_BYTES) flush(ctx, b);
    }
    hg_buf_put_uvar(b, v->nnodes);
    for (size_t i = 0; i < v->nnodes; i++) {
      hg_md_result_save(&v->intros[i], b);
      hg_diags_save(&v->intro_diags[i], b);
    }
    put_related(b, v->related, v->narts, v->k);
  }
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

static bool read_lang(hg_reader *r, hg_state_lang *l) {
  l->code = hg_read_str(r);
  if (!l->code || !hg_diags_restore(r, &l->content_diags)) return false;
  l->content = hg_content_restore(r);
  if (!l->content) return false;
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
  return !r->bad;
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
  hg_reader r = {base, base + len, false};
  char *magic = hg_read_str(&r);
  bool ok = magic && !strcmp(magic, MAGIC);
  free(magic);
  if (!ok) return NULL;
  hg_state *s = hg_xcalloc(1, sizeof *s);
  s->site_dir = hg_read_str(&r);
  size_t nl = read_count(&r);
  ok = s->site_dir && !r.bad && nl > 0;
  if (ok) {
    s->langs = hg_xcalloc(nl, sizeof *s->langs);
    s->nl = nl;
  }
  for (size_t l = 0; ok && l < nl; l++) ok = read_lang(&r, &s->langs[l]);
  ok = ok && r.p == r.end;
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
  free(s);
}
