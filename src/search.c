/* search.c - stage 6 of the pipeline: the client-side search index of one
 * language, as small gzip files under search/<lang>/ read by
 * themes/default/assets/search.js.
 *
 * Files (every one gzip-compressed, names content-hashed, extension .bin so
 * that no host adds a Content-Encoding of its own):
 *
 *   manifest.<h>.bin  JSON, a few kB, nothing per document:
 *     {"v":2, "lang":"en", "docs":N, "smax":2.2, "qbits":4,
 *      "terms":{"keys":[k0,k1,...], "files":[h0,h1,...]},  term shard i holds
 *          the terms t with keys[i] <= t < keys[i+1] (UTF-8 byte order);
 *          file t.<h>.bin
 *      "vocab":{"keys":[[c,len],...], "files":[...]},  typo vocabulary chunk i
 *          starts at first code point c / length len; file v.<h>.bin
 *      "store":{"group":G, "count":C, "hash":h},  doc d is in group d/G,
 *          file d<group>.<h>.bin
 *      "facets":h or null (file f.<h>.bin), "categories":[[title,first,count]],
 *      "promoted":[doc ids], "synonyms":[[[term,...],[term,...]],...]}
 *   t.<h>.bin  term shard, binary, every integer an unsigned LEB128 varint:
 *     nterms, then per term (sorted by UTF-8 bytes): shared-prefix length,
 *     suffix length, suffix bytes, df, block length, block =
 *       n, [if n < df: tail score level byte, set kind byte, the df
 *          documents as doc id gaps (kind 0) or a bitmap of ceil(docs/8)
 *          bytes (kind 1)],
 *       n x (doc id gap << (qbits + 1) | in-title bit << qbits | score
 *          level): all postings, or when n < df the n best ones (title
 *          matches first, then by score; the others score the tail level),
 *       nvariants, nvariants x (form length, form bytes, count, doc id gaps)
 *     A score level k (0 to 2^qbits - 1, qbits = 4) stands for the BM25F
 *     saturated field-weighted term frequency smax * ((k + 0.5) / 2^qbits)^1.5;
 *     the reader computes idf from df.
 *     Variants are the unfolded (lowercase, NFC) spellings seen for a folded
 *     term with the documents that contain them ("účet" under "ucet").
 *   v.<h>.bin  typo vocabulary: terms of 4+ code points starting with a
 *     letter, sorted by (first code point, length in code points, bytes):
 *     nterms, then per term shared-prefix length, suffix length, suffix, df.
 *   d<g>.<h>.bin  JSON [[url, title, breadcrumb, description, text], ...]
 *     for the documents of group g; text is the start of the body.
 *   f.<h>.bin  JSON {"tags":[[tag,[doc id gaps]],...]} (results page filter).
 *
 * Documents are numbered in category order (first appearance), so a category
 * is a range of ids. */
#include "hg_search.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <zlib.h>

enum { F_TITLE, F_HEADINGS, F_KEYWORDS, F_DESC, F_BODY, NF };
static const double field_weight[NF] = {10.0, 3.0, 5.0, 2.0, 1.0};
static const double field_b[NF] = {0.5, 0.5, 0.3, 0.5, 0.75};
#define K1 1.2
#define SMAX (K1 + 1.0)

#define DEFAULT_SHARD_BYTES (8 * 1024)
#define DEFAULT_GROUP_BYTES (6 * 1024)
#define VOCAB_BYTES (12 * 1024)
#define TEXT_BYTES 600
#define DEFAULT_TOP 1000
#define HASH_LEN 12

/* ---- string dictionary: arena + open addressing ------------------------- */
typedef struct {
  hg_buf arena; /* strings, each NUL-terminated */
  uint32_t *off, *len;
  size_t n, idcap;
  uint32_t *slot; /* id + 1, 0 = empty */
  size_t nslot;
} dict;

static const char *dict_str(const dict *d, uint32_t id) {
  return d->arena.data + d->off[id];
}

static void dict_rehash(dict *d, size_t nslot) {
  free(d->slot);
  d->slot = hg_xcalloc(nslot, sizeof *d->slot);
  d->nslot = nslot;
  for (uint32_t id = 0; id < d->n; id++) {
    size_t i = hg_hash64(dict_str(d, id), d->len[id]) & (nslot - 1);
    while (d->slot[i]) i = (i + 1) & (nslot - 1);
    d->slot[i] = id + 1;
  }
}

static uint32_t dict_intern(dict *d, const char *s, size_t len, bool *added) {
  if ((d->n + 1) * 2 > d->nslot) dict_rehash(d, d->nslot ? d->nslot * 2 : 64);
  size_t mask = d->nslot - 1, i = hg_hash64(s, len) & mask;
  for (; d->slot[i]; i = (i + 1) & mask) {
    uint32_t id = d->slot[i] - 1;
    if (d->len[id] == len && memcmp(dict_str(d, id), s, len) == 0) {
      if (added) *added = false;
      return id;
    }
  }
  if (d->n == d->idcap) {
    d->idcap = d->idcap ? d->idcap * 2 : 64;
    d->off = hg_xrealloc(d->off, d->idcap * sizeof *d->off);
    d->len = hg_xrealloc(d->len, d->idcap * sizeof *d->len);
  }
  uint32_t id = (uint32_t)d->n++;
  d->off[id] = (uint32_t)d->arena.len;
  d->len[id] = (uint32_t)len;
  hg_buf_append(&d->arena, s, len);
  hg_buf_putc(&d->arena, '\0');
  d->slot[i] = id + 1;
  if (added) *added = true;
  return id;
}

static void dict_reset(dict *d) {
  hg_buf_clear(&d->arena);
  d->n = 0;
  if (d->slot) memset(d->slot, 0, d->nslot * sizeof *d->slot);
}

static void dict_free(dict *d) {
  hg_buf_free(&d->arena);
  free(d->off);
  free(d->len);
  free(d->slot);
  memset(d, 0, sizeof *d);
}

/* ---- small encoders ------------------------------------------------------ */
static void put_varint(hg_buf *b, uint64_t v) {
  char tmp[10];
  size_t n = 0;
  do {
    unsigned char c = v & 0x7f;
    v >>= 7;
    tmp[n++] = (char)(v ? c | 0x80 : c);
  } while (v);
  hg_buf_append(b, tmp, n);
}

static void put_bytes(hg_buf *b, const char *s, size_t n) {
  put_varint(b, n);
  hg_buf_append(b, s, n);
}

static size_t common_prefix(const char *a, size_t alen, const char *b,
                            size_t blen) {
  size_t i = 0;
  while (i < alen && i < blen && a[i] == b[i]) i++;
  return i;
}

/* A term front-coded against the previous one: the length of the prefix
 * they share (kept on a UTF-8 character boundary), then the rest. */
static void put_front_coded(hg_buf *b, const char *prev, size_t prev_len, const char *s,
                            size_t slen) {
  size_t shared = common_prefix(prev, prev_len, s, slen);
  while (shared > 0 && shared < slen && ((unsigned char)s[shared] & 0xc0) == 0x80) shared--;
  put_varint(b, shared);
  put_bytes(b, s + shared, slen - shared);
}

/* gzip of data into out (replacing its contents); deterministic (mtime 0). */
static bool gzip(const void *data, size_t len, int level, hg_buf *out) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
      Z_OK)
    return false;
  hg_buf_clear(out);
  size_t bound = deflateBound(&z, (uLong)len) + 32;
  hg_buf_grow(out, bound);
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)len;
  z.next_out = (Bytef *)out->data;
  z.avail_out = (uInt)bound;
  int rc = deflate(&z, Z_FINISH);
  out->len = bound - z.avail_out;
  deflateEnd(&z);
  return rc == Z_STREAM_END;
}

/* ---- per-document tokenization (parallel) -------------------------------- */
typedef struct {
  char *terms;    /* unique folded terms, NUL-separated, in local id order */
  uint32_t nterms;
  uint16_t *tf;   /* nterms x NF */
  char *exacts;   /* unique exact forms, NUL-separated */
  uint32_t *exact_term; /* local term id of each exact form */
  uint32_t nexacts;
  uint32_t dl[NF];
  uint32_t *gid;  /* global term ids (main thread) */
  uint32_t *vid;  /* global variant ids (main thread) */
  char *store;    /* JSON array for the document store */
  size_t store_len;
} doc_terms;

typedef struct {
  hg_search_tokenizer *tk;
  dict terms, exacts;
  uint16_t *tf;
  size_t tfcap;
  uint32_t *exact_term;
  size_t excap;
  int field;
  uint32_t dl[NF];
} worker;

typedef struct {
  const hg_search_doc *docs;
  const size_t *order; /* new id -> input index */
  doc_terms *out;
  worker *workers;
} tok_job;

static void on_token(void *ctx, const hg_search_token *t) {
  worker *w = ctx;
  bool added;
  uint32_t id = dict_intern(&w->terms, t->term, t->term_len, &added);
  if (added) {
    if ((size_t)(id + 1) * NF > w->tfcap) {
      w->tfcap = w->tfcap ? w->tfcap * 2 : 64 * NF;
      w->tf = hg_xrealloc(w->tf, w->tfcap * sizeof *w->tf);
    }
    memset(w->tf + (size_t)id * NF, 0, NF * sizeof *w->tf);
  }
  uint16_t *c = &w->tf[(size_t)id * NF + w->field];
  if (*c < UINT16_MAX) (*c)++;
  w->dl[w->field]++;
  if (t->exact) {
    uint32_t e = dict_intern(&w->exacts, t->exact, t->exact_len, &added);
    if (added) {
      if (e >= w->excap) {
        w->excap = w->excap ? w->excap * 2 : 64;
        w->exact_term = hg_xrealloc(w->exact_term,
                                    w->excap * sizeof *w->exact_term);
      }
      w->exact_term[e] = id;
    }
  }
}

static void tok_field(worker *w, int field, const char *s) {
  if (!s || !*s) return;
  w->field = field;
  hg_search_tokenize(w->tk, s, strlen(s), on_token, w);
}

/* The start of the body for excerpts: whitespace collapsed, cut at a word
 * boundary near TEXT_BYTES. */
static char *excerpt_text(const char *s) {
  hg_buf b = HG_BUF_INIT;
  bool space = false;
  for (; s && *s && b.len < TEXT_BYTES + 64; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      space = b.len > 0;
      continue;
    }
    if (space) {
      if (b.len >= TEXT_BYTES) break;
      hg_buf_putc(&b, ' ');
      space = false;
    }
    hg_buf_putc(&b, (char)c);
  }
  /* never end inside a UTF-8 sequence */
  size_t n = b.len;
  if (n && ((unsigned char)b.data[n - 1] & 0x80)) {
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)b.data[i] & 0xc0) == 0x80) i--;
    unsigned char lead = (unsigned char)b.data[i];
    size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (n - i < need) n = i;
  }
  char *r = hg_xstrndup(hg_buf_cstr(&b), n);
  hg_buf_free(&b);
  return r;
}

static void tok_doc(void *ctx, size_t i, int wi) {
  tok_job *job = ctx;
  worker *w = &job->workers[wi];
  const hg_search_doc *doc = &job->docs[job->order[i]];
  doc_terms *dt = &job->out[i];
  dict_reset(&w->terms);
  dict_reset(&w->exacts);
  memset(w->dl, 0, sizeof w->dl);
  tok_field(w, F_TITLE, doc->title);
  tok_field(w, F_HEADINGS, doc->headings);
  tok_field(w, F_KEYWORDS, doc->keywords);
  tok_field(w, F_DESC, doc->description);
  tok_field(w, F_BODY, doc->body);
  dt->nterms = (uint32_t)w->terms.n;
  dt->terms = hg_xmalloc(w->terms.arena.len + 1);
  memcpy(dt->terms, hg_buf_cstr(&w->terms.arena), w->terms.arena.len);
  dt->tf = hg_xmalloc(w->terms.n * NF * sizeof *dt->tf + 1);
  if (w->terms.n) memcpy(dt->tf, w->tf, w->terms.n * NF * sizeof *dt->tf);
  dt->nexacts = (uint32_t)w->exacts.n;
  dt->exacts = hg_xmalloc(w->exacts.arena.len + 1);
  memcpy(dt->exacts, hg_buf_cstr(&w->exacts.arena), w->exacts.arena.len);
  dt->exact_term = hg_xmalloc(w->exacts.n * sizeof *dt->exact_term + 1);
  if (w->exacts.n)
    memcpy(dt->exact_term, w->exact_term, w->exacts.n * sizeof *dt->exact_term);
  memcpy(dt->dl, w->dl, sizeof w->dl);

  char *text = excerpt_text(doc->body);
  json_t *a = json_array();
  json_array_append_new(a, json_string(doc->url ? doc->url : ""));
  json_array_append_new(a, json_string(doc->title ? doc->title : ""));
  json_array_append_new(a, json_string(doc->breadcrumb ? doc->breadcrumb : ""));
  json_array_append_new(a,
                        json_string(doc->description ? doc->description : ""));
  json_array_append_new(a, json_string(text));
  dt->store = json_dumps(a, JSON_COMPACT);
  if (!dt->store) dt->store = hg_xstrdup("[\"\",\"\",\"\",\"\",\"\"]");
  dt->store_len = strlen(dt->store);
  json_decref(a);
  free(text);
}

static void doc_terms_free(doc_terms *dt) {
  free(dt->terms);
  free(dt->tf);
  free(dt->exacts);
  free(dt->exact_term);
  free(dt->gid);
  free(dt->vid);
  free(dt->store);
}

/* ---- the index ----------------------------------------------------------- */
typedef struct {
  const hg_search_opts *opts;
  char *dir;      /* out_root/search/<lang> */
  size_t ndocs;
  dict terms;     /* global folded terms */
  uint32_t *df;
  uint32_t *post_off; /* terms.n + 1 */
  uint32_t *post_doc;
  uint8_t *post_q;
  uint8_t *post_t;    /* 1 when the term is in the title */
  dict variants;  /* exact forms */
  uint32_t *vterm, *vdf, *vpost_off, *vpost_doc;
  size_t top;     /* scores kept per term */
  hg_buf gz;
  json_t *manifest;
} index_state;

static int cmp_str(const char *a, size_t alen, const char *b, size_t blen) {
  int c = memcmp(a, b, alen < blen ? alen : blen);
  return c ? c : (alen > blen) - (alen < blen);
}

/* qsort contexts: thread-local so that two languages may build at once */
static __thread const dict *tl_sort_dict;

static int cmp_term_id(const void *pa, const void *pb) {
  uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
  const dict *d = tl_sort_dict;
  return cmp_str(dict_str(d, a), d->len[a], dict_str(d, b), d->len[b]);
}

/* Writes gzip(data) as <prefix><hash>.bin (or <prefix><fixed_hash>.bin when
 * fixed_hash is given); puts the hash into hash_out. */
static bool write_file_gz(const index_state *st, const char *prefix, const char *data,
                          size_t len, const char *fixed_hash,
                          char hash_out[HASH_LEN + 1], hg_buf *gz, hg_error **err);

static bool write_file(index_state *st, const char *prefix, const char *data,
                       size_t len, const char *fixed_hash,
                       char hash_out[HASH_LEN + 1], hg_error **err) {
  return write_file_gz(st, prefix, data, len, fixed_hash, hash_out, &st->gz, err);
}

/* write_file with the caller's compression buffer (for parallel writers). */
static bool write_file_gz(const index_state *st, const char *prefix, const char *data,
                          size_t len, const char *fixed_hash,
                          char hash_out[HASH_LEN + 1], hg_buf *gz, hg_error **err) {
  /* level 6 everywhere: level 9 made the 10,000-article index 0.02 % smaller
   * and cost CPU */
  if (!gzip(data, len, 6, gz)) {
    hg_error_set(err, 1, NULL, 0, 0, "search: zlib compression failed");
    return false;
  }
  char h[17];
  if (fixed_hash) {
    memcpy(h, fixed_hash, HASH_LEN);
  } else {
    hg_hash_hex(gz->data, gz->len, h);
  }
  h[HASH_LEN] = '\0';
  if (hash_out) memcpy(hash_out, h, HASH_LEN + 1);
  bool ok;
  if (st->opts->write) {
    char *rel = hg_strdup_printf("search/%s/%s%s.bin", st->opts->lang, prefix, h);
    ok = st->opts->write(st->opts->write_ctx, rel, gz->data, gz->len, err);
    free(rel);
  } else {
    char *name = hg_strdup_printf("%s/%s%s.bin", st->dir, prefix, h);
    ok = hg_write_file(name, gz->data, gz->len, err);
    free(name);
  }
  return ok;
}

static size_t utf8_cp_len(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xc0) != 0x80) c++;
  return c;
}

static UChar32 first_cp(const char *s, size_t n) {
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(s, i, (int32_t)n, c);
  return c;
}

/* The 4-bit score level written for an 8-bit score q = sat / smax * 255:
 * level k stands for smax * ((k + 0.5) / 16)^1.5, finer at the low end. */
#define QBITS 4
static unsigned level(uint8_t q) {
  double k = (double)(1 << QBITS) * pow(q / 255.0, 1.0 / 1.5) - 0.5;
  long r = lround(k);
  long mx = (1 << QBITS) - 1;
  return (unsigned)(r < 0 ? 0 : r > mx ? mx : r);
}

/* A posting's low bits: the score level, and above it the title bit. */
static uint64_t posting(const index_state *st, uint32_t p, uint32_t gap) {
  return (uint64_t)gap << (QBITS + 1) | (uint64_t)st->post_t[p] << QBITS |
         level(st->post_q[p]);
}

static __thread const index_state *tl_top_state;
static int cmp_top(const void *pa, const void *pb) {
  uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
  const uint8_t *q = tl_top_state->post_q, *t = tl_top_state->post_t;
  if (t[a] != t[b]) return t[a] > t[b] ? -1 : 1;
  if (q[a] != q[b]) return q[a] > q[b] ? -1 : 1;
  return a < b ? -1 : a > b;
}
static int cmp_u32(const void *pa, const void *pb) {
  uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
  return a < b ? -1 : a > b;
}

/* A term's postings. A term in more than `top` documents keeps the scores of
 * its `top` best documents only; the others get one tail score, and the set
 * of all its documents is kept (gaps or a bitmap) so that matching every
 * query word stays exact. */
static void put_term_block(index_state *st, uint32_t t, const uint32_t *vids,
                           size_t nv, hg_buf *blk) {
  hg_buf_clear(blk);
  uint32_t a = st->post_off[t], b = st->post_off[t + 1], df = b - a;
  size_t top = st->top;
  uint32_t prev = 0;
  if (df <= top) {
    put_varint(blk, df);
    for (uint32_t p = a; p < b; p++) {
      put_varint(blk, posting(st, p, st->post_doc[p] - prev));
      prev = st->post_doc[p];
    }
  } else {
    uint32_t *idx = hg_xmalloc(df * sizeof *idx);
    for (uint32_t p = a; p < b; p++) idx[p - a] = p;
    tl_top_state = st;
    qsort(idx, df, sizeof *idx, cmp_top);
    uint8_t tail = st->post_q[idx[top]];
    qsort(idx, top, sizeof *idx, cmp_u32); /* the best, in document order */
    put_varint(blk, top);
    hg_buf_putc(blk, (char)level(tail));
    size_t bitmap = (st->ndocs + 7) / 8;
    if (bitmap < df) {
      hg_buf_putc(blk, 1);
      size_t at = blk->len;
      hg_buf_grow(blk, bitmap);
      memset(blk->data + at, 0, bitmap);
      for (uint32_t p = a; p < b; p++)
        blk->data[at + st->post_doc[p] / 8] |= (char)(1u << (st->post_doc[p] % 8));
      blk->len += bitmap;
    } else {
      hg_buf_putc(blk, 0);
      for (uint32_t p = a; p < b; p++) {
        put_varint(blk, st->post_doc[p] - prev);
        prev = st->post_doc[p];
      }
    }
    prev = 0;
    for (size_t k = 0; k < top; k++) {
      uint32_t p = idx[k];
      put_varint(blk, posting(st, p, st->post_doc[p] - prev));
      prev = st->post_doc[p];
    }
    free(idx);
  }
  put_varint(blk, nv);
  for (size_t k = 0; k < nv; k++) {
    uint32_t v = vids[k];
    put_bytes(blk, dict_str(&st->variants, v), st->variants.len[v]);
    uint32_t va = st->vpost_off[v], vb = st->vpost_off[v + 1];
    put_varint(blk, vb - va);
    prev = 0;
    for (uint32_t p = va; p < vb; p++) {
      put_varint(blk, st->vpost_doc[p] - prev);
      prev = st->vpost_doc[p];
    }
  }
}

static __thread const index_state *tl_variant_state;
static int cmp_variant(const void *pa, const void *pb) {
  uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
  const index_state *st = tl_variant_state;
  if (st->vterm[a] != st->vterm[b]) return st->vterm[a] < st->vterm[b] ? -1 : 1;
  const dict *d = &st->variants;
  return cmp_str(dict_str(d, a), d->len[a], dict_str(d, b), d->len[b]);
}

static bool write_shards(index_state *st, const uint32_t *sorted,
                         hg_error **err) {
  size_t limit = st->opts->shard_bytes ? st->opts->shard_bytes
                                       : DEFAULT_SHARD_BYTES;
  size_t nt = st->terms.n;
  /* variants grouped by term */
  size_t nv = st->variants.n;
  uint32_t *vs = hg_xmalloc(nv * sizeof *vs + 1);
  for (uint32_t v = 0; v < nv; v++) vs[v] = v;
  tl_variant_state = st;
  qsort(vs, nv, sizeof *vs, cmp_variant);
  uint32_t *vstart = hg_xcalloc(nt + 1, sizeof *vstart);
  for (size_t k = 0; k < nv; k++) vstart[st->vterm[vs[k]] + 1]++;
  for (size_t t = 0; t < nt; t++) vstart[t + 1] += vstart[t];

  json_t *keys = json_array(), *files = json_array();
  hg_buf body = HG_BUF_INIT, blk = HG_BUF_INIT, entry = HG_BUF_INIT,
         file = HG_BUF_INIT;
  size_t count = 0;
  const char *prev = "";
  size_t prev_len = 0;
  const char *last = ""; /* last term of the previous shard */
  size_t last_len = 0;
  bool ok = true;
  for (size_t k = 0; k <= nt && ok; k++) {
    uint32_t t = k < nt ? sorted[k] : 0;
    const char *s = k < nt ? dict_str(&st->terms, t) : NULL;
    size_t slen = k < nt ? st->terms.len[t] : 0;
    if (k < nt) {
      put_term_block(st, t, vs + vstart[t], vstart[t + 1] - vstart[t], &blk);
    }
    bool flush = k == nt ? count > 0
                         : count > 0 && body.len + blk.len + slen > limit;
    if (flush) {
      hg_buf_clear(&file);
      put_varint(&file, count);
      hg_buf_append(&file, body.data, body.len);
      char h[HASH_LEN + 1];
      ok = write_file(st, "t.", file.data, file.len, NULL, h, err);
      json_array_append_new(files, json_string(h));
      last = prev;
      last_len = prev_len;
      hg_buf_clear(&body);
      count = 0;
      prev = "";
      prev_len = 0;
    }
    if (k == nt) break;
    if (count == 0) {
      /* shortest key that is > the previous shard's last term and <= s */
      size_t kl = json_array_size(keys) == 0 ? 0 : 1;
      if (kl) {
        size_t cp = common_prefix(last, last_len, s, slen);
        kl = cp + 1;
        /* extend to a whole UTF-8 character */
        while (kl < slen && ((unsigned char)s[kl] & 0xc0) == 0x80) kl++;
      }
      json_array_append_new(keys, json_stringn(s, kl));
    }
    hg_buf_clear(&entry);
    put_front_coded(&entry, prev, prev_len, s, slen);
    put_varint(&entry, st->df[t]);
    put_bytes(&entry, blk.data, blk.len);
    hg_buf_append(&body, entry.data, entry.len);
    count++;
    prev = s;
    prev_len = slen;
  }
  json_t *o = json_object();
  json_object_set_new(o, "keys", keys);
  json_object_set_new(o, "files", files);
  json_object_set_new(st->manifest, "terms", o);
  hg_buf_free(&body);
  hg_buf_free(&blk);
  hg_buf_free(&entry);
  hg_buf_free(&file);
  free(vs);
  free(vstart);
  return ok;
}

typedef struct {
  uint32_t id;
  UChar32 c;
  uint32_t cps;
} vocab_item;

static __thread const dict *tl_vocab_dict;
static int cmp_vocab(const void *pa, const void *pb) {
  const vocab_item *a = pa, *b = pb;
  if (a->c != b->c) return a->c < b->c ? -1 : 1;
  if (a->cps != b->cps) return a->cps < b->cps ? -1 : 1;
  const dict *d = tl_vocab_dict;
  return cmp_str(dict_str(d, a->id), d->len[a->id], dict_str(d, b->id),
                 d->len[b->id]);
}

static bool write_vocab(index_state *st, hg_error **err) {
  size_t nt = st->terms.n, n = 0;
  vocab_item *items = hg_xmalloc(nt * sizeof *items + 1);
  for (uint32_t t = 0; t < nt; t++) {
    const char *s = dict_str(&st->terms, t);
    size_t len = st->terms.len[t];
    size_t cps = utf8_cp_len(s, len);
    UChar32 c = first_cp(s, len);
    if (cps < 4 || c < 0 || !u_isalpha(c)) continue;
    items[n++] = (vocab_item){t, c, (uint32_t)cps};
  }
  tl_vocab_dict = &st->terms;
  qsort(items, n, sizeof *items, cmp_vocab);
  json_t *keys = json_array(), *files = json_array();
  hg_buf body = HG_BUF_INIT, file = HG_BUF_INIT;
  size_t count = 0, prev_len = 0;
  const char *prev = "";
  bool ok = true;
  for (size_t k = 0; k <= n && ok; k++) {
    if (count && (k == n || body.len > VOCAB_BYTES)) {
      hg_buf_clear(&file);
      put_varint(&file, count);
      hg_buf_append(&file, body.data, body.len);
      char h[HASH_LEN + 1];
      ok = write_file(st, "v.", file.data, file.len, NULL, h, err);
      json_array_append_new(files, json_string(h));
      hg_buf_clear(&body);
      count = 0;
      prev = "";
      prev_len = 0;
    }
    if (k == n) break;
    uint32_t t = items[k].id;
    const char *s = dict_str(&st->terms, t);
    size_t slen = st->terms.len[t];
    if (count == 0) {
      char cb[5];
      int32_t ci = 0;
      UBool e = false;
      U8_APPEND(cb, ci, 4, items[k].c, e);
      (void)e;
      json_t *key = json_array();
      json_array_append_new(key, json_stringn(cb, (size_t)ci));
      json_array_append_new(key, json_integer(items[k].cps));
      json_array_append_new(keys, key);
    }
    put_front_coded(&body, prev, prev_len, s, slen);
    put_varint(&body, st->df[t]);
    count++;
    prev = s;
    prev_len = slen;
  }
  json_t *o = json_object();
  json_object_set_new(o, "keys", keys);
  json_object_set_new(o, "files", files);
  json_object_set_new(st->manifest, "vocab", o);
  hg_buf_free(&body);
  hg_buf_free(&file);
  free(items);
  return ok;
}

/* Document groups are independent: built and compressed in parallel. */
typedef struct {
  const index_state *st;
  const doc_terms *dts;
  size_t g;          /* documents per group */
  const char *hash;  /* one hash names every group file */
  hg_error **errs;   /* one slot per group */
} store_job;

static void store_one(void *ctx, size_t gi, int w) {
  (void)w;
  store_job *j = ctx;
  size_t n = j->st->ndocs;
  hg_buf b = HG_BUF_INIT, gz = HG_BUF_INIT;
  hg_buf_putc(&b, '[');
  for (size_t d = gi * j->g; d < n && d < (gi + 1) * j->g; d++) {
    if (d > gi * j->g) hg_buf_putc(&b, ',');
    hg_buf_append(&b, j->dts[d].store, j->dts[d].store_len);
  }
  hg_buf_putc(&b, ']');
  char prefix[32];
  snprintf(prefix, sizeof prefix, "d%zu.", gi);
  write_file_gz(j->st, prefix, b.data, b.len, j->hash, NULL, &gz, &j->errs[gi]);
  hg_buf_free(&b);
  hg_buf_free(&gz);
}

static bool write_store(index_state *st, doc_terms *dts, hg_error **err) {
  size_t n = st->ndocs, total = 0;
  for (size_t d = 0; d < n; d++) total += dts[d].store_len + 1;
  size_t target = st->opts->group_bytes ? st->opts->group_bytes
                                        : DEFAULT_GROUP_BYTES;
  size_t g = n ? (target * n) / (total ? total : 1) : 1;
  if (g < 1) g = 1;
  if (g > 256) g = 256;
  size_t ngroups = (n + g - 1) / g;
  /* one hash over all groups names every group file */
  uint64_t h = 0;
  for (size_t d = 0; d < n; d++)
    h = h * 1099511628211ULL ^ hg_hash64(dts[d].store, dts[d].store_len);
  char hash[17];
  hg_hash_hex(&h, sizeof h, hash);
  hash[HASH_LEN] = '\0';
  store_job job = {st, dts, g, hash, hg_xcalloc(ngroups, sizeof(hg_error *))};
  hg_parallel_for(ngroups, st->opts->threads > 0 ? st->opts->threads : hg_default_threads(),
                  store_one, &job);
  bool ok = true;
  for (size_t gi = 0; gi < ngroups; gi++) {
    if (job.errs[gi] && ok) {
      if (err) *err = job.errs[gi];
      else hg_error_free(job.errs[gi]);
      ok = false;
    } else {
      hg_error_free(job.errs[gi]);
    }
  }
  free(job.errs);
  json_t *o = json_object();
  json_object_set_new(o, "group", json_integer((json_int_t)g));
  json_object_set_new(o, "count", json_integer((json_int_t)ngroups));
  json_object_set_new(o, "hash", json_string(hash));
  json_object_set_new(st->manifest, "store", o);
  return ok;
}

static bool write_facets(index_state *st, const hg_search_doc *docs,
                         const size_t *order, hg_error **err) {
  dict tags = {0};
  size_t cap = 0;
  json_t **lists = NULL;
  uint32_t *prev = NULL;
  for (size_t d = 0; d < st->ndocs; d++) {
    const hg_search_doc *doc = &docs[order[d]];
    for (size_t k = 0; k < doc->ntags; k++) {
      const char *tag = doc->tags[k];
      if (!tag || !*tag) continue;
      bool added;
      uint32_t id = dict_intern(&tags, tag, strlen(tag), &added);
      if (added) {
        if (id >= cap) {
          cap = cap ? cap * 2 : 16;
          lists = hg_xrealloc(lists, cap * sizeof *lists);
          prev = hg_xrealloc(prev, cap * sizeof *prev);
        }
        lists[id] = json_array();
        prev[id] = 0;
      } else if (json_array_size(lists[id]) && prev[id] == d) {
        continue; /* tag repeated on one document */
      }
      json_array_append_new(lists[id], json_integer(d - prev[id]));
      prev[id] = (uint32_t)d;
    }
  }
  bool ok = true;
  if (tags.n == 0) {
    json_object_set_new(st->manifest, "facets", json_null());
  } else {
    uint32_t *ids = hg_xmalloc(tags.n * sizeof *ids);
    for (uint32_t i = 0; i < tags.n; i++) ids[i] = i;
    tl_sort_dict = &tags;
    qsort(ids, tags.n, sizeof *ids, cmp_term_id);
    json_t *arr = json_array();
    for (size_t i = 0; i < tags.n; i++) {
      json_t *e = json_array();
      json_array_append_new(e, json_string(dict_str(&tags, ids[i])));
      json_array_append(e, lists[ids[i]]);
      json_array_append_new(arr, e);
    }
    json_t *o = json_object();
    json_object_set_new(o, "tags", arr);
    char *s = json_dumps(o, JSON_COMPACT);
    char h[HASH_LEN + 1];
    ok = s && write_file(st, "f.", s, strlen(s), NULL, h, err);
    if (ok) json_object_set_new(st->manifest, "facets", json_string(h));
    free(s);
    json_decref(o);
    free(ids);
  }
  for (size_t i = 0; i < tags.n; i++) json_decref(lists[i]);
  free(lists);
  free(prev);
  dict_free(&tags);
  return ok;
}

static void on_syn_token(void *ctx, const hg_search_token *t) {
  json_array_append_new(ctx, json_stringn(t->term, t->term_len));
}

/* [[[word, ...], [word, ...]], ...]: folded words of each entry of each
 * group; entries without words and groups of fewer than two are dropped. */
static json_t *synonyms_json(const hg_search_opts *opts,
                             hg_search_tokenizer *tk) {
  json_t *groups = json_array();
  for (size_t g = 0; g < opts->nsynonyms; g++) {
    json_t *group = json_array();
    for (const char *const *e = opts->synonyms[g]; e && *e; e++) {
      json_t *words = json_array();
      hg_search_tokenize(tk, *e, strlen(*e), on_syn_token, words);
      if (json_array_size(words))
        json_array_append_new(group, words);
      else
        json_decref(words);
    }
    if (json_array_size(group) >= 2)
      json_array_append_new(groups, group);
    else
      json_decref(group);
  }
  return groups;
}

static bool valid_lang(const char *s) {
  if (!s || !*s || strlen(s) > 35) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
      return false;
  return true;
}

/* Numbers documents in category order (first appearance, stable). */
static size_t *category_order(const hg_search_doc *docs, size_t n,
                              json_t *cats_out) {
  dict cats = {0};
  uint32_t *cat = hg_xmalloc(n * sizeof *cat + 1);
  for (size_t i = 0; i < n; i++) {
    const char *c = docs[i].category ? docs[i].category : "";
    cat[i] = dict_intern(&cats, c, strlen(c), NULL);
  }
  size_t *count = hg_xcalloc(cats.n + 1, sizeof *count);
  for (size_t i = 0; i < n; i++) count[cat[i] + 1]++;
  for (size_t c = 0; c < cats.n; c++) {
    json_t *e = json_array();
    json_array_append_new(e, json_string(dict_str(&cats, (uint32_t)c)));
    json_array_append_new(e, json_integer((json_int_t)count[c]));
    json_array_append_new(e, json_integer((json_int_t)count[c + 1]));
    json_array_append_new(cats_out, e);
    count[c + 1] += count[c];
  }
  size_t *order = hg_xmalloc(n * sizeof *order + 1);
  for (size_t i = 0; i < n; i++) order[count[cat[i]]++] = i;
  free(count);
  free(cat);
  dict_free(&cats);
  return order;
}

static uint8_t quantize(const uint16_t *tf, const uint32_t *dl,
                        const double *avg) {
  double w = 0;
  for (int f = 0; f < NF; f++) {
    if (!tf[f]) continue;
    double norm = 1.0 - field_b[f] + field_b[f] * (avg[f] > 0 ? dl[f] / avg[f] : 1.0);
    w += field_weight[f] * tf[f] / norm;
  }
  double sat = w * (K1 + 1.0) / (w + K1);
  long q = (long)(sat / SMAX * 255.0 + 0.999);
  return (uint8_t)(q < 1 ? 1 : q > 255 ? 255 : q);
}

static void index_free(index_state *st) {
  free(st->dir);
  dict_free(&st->terms);
  free(st->df);
  free(st->post_off);
  free(st->post_doc);
  free(st->post_q);
  free(st->post_t);
  dict_free(&st->variants);
  free(st->vterm);
  free(st->vdf);
  free(st->vpost_off);
  free(st->vpost_doc);
  hg_buf_free(&st->gz);
  json_decref(st->manifest);
}

char *hg_search_build(const hg_search_doc *docs, size_t n,
                      const hg_search_opts *opts, hg_error **err) {
  if (!valid_lang(opts->lang)) {
    hg_error_set(err, 2, NULL, 0, 0, "search: '%s' is not a language tag",
                 opts->lang ? opts->lang : "");
    return NULL;
  }
  if (n >= UINT32_MAX / 2) {
    hg_error_set(err, 1, NULL, 0, 0, "search: too many documents");
    return NULL;
  }
  index_state st = {.opts = opts, .ndocs = n};
  st.top = opts->top_postings ? opts->top_postings
                              : (n / 16 > DEFAULT_TOP ? n / 16 : DEFAULT_TOP);
  char *result = NULL;
  st.dir = hg_strdup_printf("%s/search/%s", opts->out_root, opts->lang);
  st.manifest = json_object();
  json_object_set_new(st.manifest, "v", json_integer(2));
  json_object_set_new(st.manifest, "lang", json_string(opts->lang));
  json_object_set_new(st.manifest, "docs", json_integer((json_int_t)n));
  json_object_set_new(st.manifest, "smax", json_real(SMAX));
  json_object_set_new(st.manifest, "qbits", json_integer(QBITS));
  json_t *cats = json_array();
  size_t *order = category_order(docs, n, cats);
  json_object_set_new(st.manifest, "categories", cats);
  json_t *promoted = json_array();
  for (size_t d = 0; d < n; d++)
    if (docs[order[d]].promoted)
      json_array_append_new(promoted, json_integer((json_int_t)d));
  json_object_set_new(st.manifest, "promoted", promoted);

  /* 1. tokenize every document (in parallel) */
  int nthreads = opts->threads > 0 ? opts->threads : hg_default_threads();
  if (n < 64) nthreads = 1;
  worker *workers = hg_xcalloc((size_t)nthreads, sizeof *workers);
  doc_terms *dts = hg_xcalloc(n + 1, sizeof *dts);
  bool ok = true;
  for (int w = 0; w < nthreads && ok; w++) {
    workers[w].tk = hg_search_tokenizer_new(opts->lang, err);
    ok = workers[w].tk != NULL;
  }
  if (ok) {
    json_object_set_new(st.manifest, "synonyms",
                        synonyms_json(opts, workers[0].tk));
    tok_job job = {.docs = docs, .order = order, .out = dts,
                   .workers = workers};
    hg_parallel_for(n, nthreads, tok_doc, &job);
  }
  for (int w = 0; w < nthreads; w++) {
    hg_search_tokenizer_free(workers[w].tk);
    dict_free(&workers[w].terms);
    dict_free(&workers[w].exacts);
    free(workers[w].tf);
    free(workers[w].exact_term);
  }
  free(workers);
  if (!ok) goto done;

  /* 2. global term ids, document frequencies, field length averages */
  double avg[NF] = {0};
  size_t dfcap = 0, vcap = 0;
  for (size_t d = 0; d < n; d++) {
    doc_terms *dt = &dts[d];
    for (int f = 0; f < NF; f++) avg[f] += dt->dl[f];
    dt->gid = hg_xmalloc(dt->nterms * sizeof *dt->gid + 1);
    const char *s = dt->terms;
    for (uint32_t i = 0; i < dt->nterms; i++) {
      size_t len = strlen(s);
      uint32_t g = dict_intern(&st.terms, s, len, NULL);
      if (g >= dfcap) {
        size_t ncap = dfcap ? dfcap * 2 : 1024;
        st.df = hg_xrealloc(st.df, ncap * sizeof *st.df);
        memset(st.df + dfcap, 0, (ncap - dfcap) * sizeof *st.df);
        dfcap = ncap;
      }
      st.df[g]++;
      dt->gid[i] = g;
      s += len + 1;
    }
    dt->vid = hg_xmalloc(dt->nexacts * sizeof *dt->vid + 1);
    s = dt->exacts;
    for (uint32_t i = 0; i < dt->nexacts; i++) {
      size_t len = strlen(s);
      uint32_t v = dict_intern(&st.variants, s, len, NULL);
      if (v >= vcap) {
        size_t ncap = vcap ? vcap * 2 : 256;
        st.vdf = hg_xrealloc(st.vdf, ncap * sizeof *st.vdf);
        st.vterm = hg_xrealloc(st.vterm, ncap * sizeof *st.vterm);
        memset(st.vdf + vcap, 0, (ncap - vcap) * sizeof *st.vdf);
        vcap = ncap;
      }
      st.vdf[v]++;
      st.vterm[v] = dt->gid[dt->exact_term[i]];
      dt->vid[i] = v;
      s += len + 1;
    }
  }
  for (int f = 0; f < NF; f++) avg[f] = n ? avg[f] / (double)n : 0;

  /* 3. postings in document order, with quantized scores */
  size_t nt = st.terms.n, nv = st.variants.n;
  st.post_off = hg_xcalloc(nt + 2, sizeof *st.post_off);
  for (size_t t = 0; t < nt; t++) st.post_off[t + 1] = st.post_off[t] + st.df[t];
  st.post_doc = hg_xmalloc((size_t)st.post_off[nt] * sizeof *st.post_doc + 1);
  st.post_q = hg_xmalloc((size_t)st.post_off[nt] + 1);
  st.post_t = hg_xmalloc((size_t)st.post_off[nt] + 1);
  st.vpost_off = hg_xcalloc(nv + 2, sizeof *st.vpost_off);
  for (size_t v = 0; v < nv; v++)
    st.vpost_off[v + 1] = st.vpost_off[v] + st.vdf[v];
  st.vpost_doc = hg_xmalloc((size_t)st.vpost_off[nv] * sizeof *st.vpost_doc + 1);
  uint32_t *fill = hg_xmalloc((nt > nv ? nt : nv) * sizeof *fill + 1);
  memcpy(fill, st.post_off, nt * sizeof *fill);
  for (size_t d = 0; d < n; d++) {
    doc_terms *dt = &dts[d];
    for (uint32_t i = 0; i < dt->nterms; i++) {
      uint32_t p = fill[dt->gid[i]]++;
      st.post_doc[p] = (uint32_t)d;
      st.post_q[p] = quantize(dt->tf + (size_t)i * NF, dt->dl, avg);
      st.post_t[p] = dt->tf[(size_t)i * NF + F_TITLE] > 0;
    }
  }
  memcpy(fill, st.vpost_off, nv * sizeof *fill);
  for (size_t d = 0; d < n; d++)
    for (uint32_t i = 0; i < dts[d].nexacts; i++)
      st.vpost_doc[fill[dts[d].vid[i]]++] = (uint32_t)d;
  free(fill);

  /* 4. files */
  uint32_t *sorted = hg_xmalloc(nt * sizeof *sorted + 1);
  for (uint32_t t = 0; t < nt; t++) sorted[t] = t;
  tl_sort_dict = &st.terms;
  qsort(sorted, nt, sizeof *sorted, cmp_term_id);
  ok = (opts->write || hg_mkdir_p(st.dir, err)) && write_shards(&st, sorted, err) &&
       write_vocab(&st, err) && write_store(&st, dts, err) &&
       write_facets(&st, docs, order, err);
  free(sorted);
  if (ok) {
    char *m = json_dumps(st.manifest, JSON_COMPACT);
    char h[HASH_LEN + 1];
    ok = m && write_file(&st, "manifest.", m, strlen(m), NULL, h, err);
    free(m);
    if (ok) result = hg_strdup_printf("search/%s/manifest.%s.bin", opts->lang, h);
  }
done:
  for (size_t d = 0; d < n; d++) doc_terms_free(&dts[d]);
  free(dts);
  free(order);
  index_free(&st);
  return result;
}
