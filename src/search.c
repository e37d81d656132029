/* search.c - stage 6 of the pipeline: the client-side search index of one
 * language, as small gzip files under search/<lang>/ read by
 * themes/default/assets/search.js.
 *
 * Files (every one gzip-compressed, extension .bin so that no host adds a
 * Content-Encoding of its own; all names but the manifest's content-hashed):
 *
 *   manifest.bin  JSON, a few kB, nothing per document. Its name is stable,
 *     so a page does not change when only the index does (an edit rewrites
 *     that article's page, not all of them); search.js revalidates it on
 *     every load and fetches it again when a file it names is gone:
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

/* For the words of a page, a few bytes each: 8 bytes a step, inlined. */
static inline uint64_t dict_hash(const char *s, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, v;
  for (; n >= 8; s += 8, n -= 8) {
    memcpy(&v, s, 8);
    h = (h ^ v) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
  }
  v = 0;
  memcpy(&v, s, n);
  h = (h ^ v) * 0x94d049bb133111ebULL;
  return h ^ (h >> 29);
}

static void dict_rehash(dict *d, size_t nslot) {
  free(d->slot);
  d->slot = hg_xcalloc(nslot, sizeof *d->slot);
  d->nslot = nslot;
  for (uint32_t id = 0; id < d->n; id++) {
    size_t i = dict_hash(dict_str(d, id), d->len[id]) & (nslot - 1);
    while (d->slot[i]) i = (i + 1) & (nslot - 1);
    d->slot[i] = id + 1;
  }
}

static uint32_t dict_intern(dict *d, const char *s, size_t len, bool *added) {
  if ((d->n + 1) * 2 > d->nslot) dict_rehash(d, d->nslot ? d->nslot * 2 : 64);
  size_t mask = d->nslot - 1, i = dict_hash(s, len) & mask;
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

/* ---- per-document tokenization (parallel) --------------------------------
 * Every worker thread interns the words it sees in its own dictionaries
 * (kept from document to document); a document keeps only the worker's ids
 * of its distinct terms, which become global ids once all are tokenized. */
typedef struct {
  uint32_t *ids;  /* distinct terms: the worker's ids, then global ids */
  uint32_t nterms;
  uint16_t *tf;   /* nterms x NF */
  uint32_t *exacts; /* distinct exact forms: the worker's ids, then global */
  uint32_t nexacts;
  uint32_t dl[NF];
  int worker;
  uint64_t store_hash; /* of its JSON array in the document store */
  size_t store_len;
} doc_terms;

typedef struct {
  hg_search_tokenizer *tk;
  dict terms, exacts;     /* every word the worker saw */
  uint32_t *exact_term;   /* term id of each exact form */
  uint32_t *slot;         /* term id -> 1 + index in the document's list */
  uint8_t *eseen;         /* exact id -> in the document already */
  size_t tcap, ecap;      /* of exact_term/eseen and slot */
  uint32_t *ids;          /* the document's distinct terms */
  uint16_t *tf;           /* their frequencies, NF each */
  size_t nids, idcap;
  uint32_t *eids;         /* the document's distinct exact forms */
  size_t neids, eidcap;
  int field;
  uint32_t dl[NF];
  hg_buf json; /* scratch */
} worker;

typedef struct {
  const hg_search_doc *docs;
  const size_t *order; /* new id -> input index */
  doc_terms *out;
  worker *workers;
} tok_job;

static void on_token(void *ctx, const hg_search_token *t) {
  worker *w = ctx;
  uint32_t id = dict_intern(&w->terms, t->term, t->term_len, NULL);
  if (id >= w->tcap) {
    size_t ncap = w->tcap ? w->tcap * 2 : 1024;
    while (ncap <= id) ncap *= 2;
    w->slot = hg_xrealloc(w->slot, ncap * sizeof *w->slot);
    memset(w->slot + w->tcap, 0, (ncap - w->tcap) * sizeof *w->slot);
    w->tcap = ncap;
  }
  uint32_t k = w->slot[id];
  if (!k) {
    if (w->nids == w->idcap) {
      w->idcap = w->idcap ? w->idcap * 2 : 256;
      w->ids = hg_xrealloc(w->ids, w->idcap * sizeof *w->ids);
      w->tf = hg_xrealloc(w->tf, w->idcap * NF * sizeof *w->tf);
    }
    w->ids[w->nids] = id;
    memset(w->tf + w->nids * NF, 0, NF * sizeof *w->tf);
    k = w->slot[id] = (uint32_t)++w->nids;
  }
  uint16_t *c = &w->tf[(size_t)(k - 1) * NF + w->field];
  if (*c < UINT16_MAX) (*c)++;
  w->dl[w->field]++;
  if (t->exact) {
    bool added;
    uint32_t e = dict_intern(&w->exacts, t->exact, t->exact_len, &added);
    if (e >= w->ecap) {
      size_t ncap = w->ecap ? w->ecap * 2 : 256;
      while (ncap <= e) ncap *= 2;
      w->exact_term = hg_xrealloc(w->exact_term, ncap * sizeof *w->exact_term);
      w->eseen = hg_xrealloc(w->eseen, ncap);
      memset(w->eseen + w->ecap, 0, ncap - w->ecap);
      w->ecap = ncap;
    }
    if (added) w->exact_term[e] = id;
    if (!w->eseen[e]) {
      w->eseen[e] = 1;
      if (w->neids == w->eidcap) {
        w->eidcap = w->eidcap ? w->eidcap * 2 : 64;
        w->eids = hg_xrealloc(w->eids, w->eidcap * sizeof *w->eids);
      }
      w->eids[w->neids++] = e;
    }
  }
}

static void tok_field(worker *w, int field, const char *s) {
  if (!s || !*s) return;
  w->field = field;
  hg_search_tokenize(w->tk, s, strlen(s), on_token, w);
}

/* The start of the body for excerpts: whitespace collapsed, cut at a word
 * boundary near TEXT_BYTES, into out (TEXT_BYTES + 65 bytes). */
static void excerpt_text(const char *s, char *out) {
  size_t len = 0;
  bool space = false;
  for (; s && *s && len < TEXT_BYTES + 64; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      space = len > 0;
      continue;
    }
    if (space) {
      if (len >= TEXT_BYTES) break;
      out[len++] = ' ';
      space = false;
    }
    out[len++] = (char)c;
  }
  /* never end inside a UTF-8 sequence */
  size_t n = len;
  if (n && ((unsigned char)out[n - 1] & 0x80)) {
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)out[i] & 0xc0) == 0x80) i--;
    unsigned char lead = (unsigned char)out[i];
    size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (n - i < need) n = i;
  }
  out[n] = '\0';
}

/* One document of the store: [url, title, breadcrumb, description, text],
 * compact JSON as jansson writes it. */
static void put_store_json(hg_buf *b, const hg_search_doc *doc) {
  char text[TEXT_BYTES + 65];
  excerpt_text(doc->body, text);
  const char *v[5] = {doc->url, doc->title, doc->breadcrumb, doc->description, text};
  hg_buf_putc(b, '[');
  bool first = true;
  for (int k = 0; k < 5; k++) {
    size_t at = b->len;
    if (!first) hg_buf_putc(b, ',');
    if (hg_buf_put_json(b, v[k] ? v[k] : "")) first = false;
    else b->len = at;
  }
  hg_buf_putc(b, ']');
}

static void tok_doc(void *ctx, size_t i, int wi) {
  tok_job *job = ctx;
  worker *w = &job->workers[wi];
  const hg_search_doc *doc = &job->docs[job->order[i]];
  doc_terms *dt = &job->out[i];
  memset(w->dl, 0, sizeof w->dl);
  tok_field(w, F_TITLE, doc->title);
  tok_field(w, F_HEADINGS, doc->headings);
  tok_field(w, F_KEYWORDS, doc->keywords);
  tok_field(w, F_DESC, doc->description);
  tok_field(w, F_BODY, doc->body);
  dt->worker = wi;
  dt->nterms = (uint32_t)w->nids;
  dt->ids = hg_xmalloc(w->nids * sizeof *dt->ids + 1);
  if (w->nids) memcpy(dt->ids, w->ids, w->nids * sizeof *dt->ids);
  dt->tf = hg_xmalloc(w->nids * NF * sizeof *dt->tf + 1);
  if (w->nids) memcpy(dt->tf, w->tf, w->nids * NF * sizeof *dt->tf);
  dt->nexacts = (uint32_t)w->neids;
  dt->exacts = hg_xmalloc(w->neids * sizeof *dt->exacts + 1);
  if (w->neids) memcpy(dt->exacts, w->eids, w->neids * sizeof *dt->exacts);
  memcpy(dt->dl, w->dl, sizeof w->dl);
  for (size_t k = 0; k < w->nids; k++) w->slot[w->ids[k]] = 0;
  for (size_t k = 0; k < w->neids; k++) w->eseen[w->eids[k]] = 0;
  w->nids = w->neids = 0;

  /* the store's JSON is made again when it is written; only its length
   * and hash are needed before */
  hg_buf_clear(&w->json);
  put_store_json(&w->json, doc);
  dt->store_len = w->json.len;
  dt->store_hash = hg_hash64(w->json.data, w->json.len);
}

static void doc_terms_free(doc_terms *dt) {
  free(dt->ids);
  free(dt->tf);
  free(dt->exacts);
}

static void worker_free(worker *w) {
  hg_search_tokenizer_free(w->tk);
  dict_free(&w->terms);
  dict_free(&w->exacts);
  free(w->exact_term);
  free(w->slot);
  free(w->eseen);
  free(w->ids);
  free(w->tf);
  free(w->eids);
  hg_buf_free(&w->json);
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
  uint8_t level[256]; /* level() of every 8-bit score */
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

/* Writes data, compressed, as search/<lang>/<name> (a fixed name). */
static bool write_named(index_state *st, const char *name, const char *data, size_t len,
                        hg_error **err) {
  if (!gzip(data, len, 6, &st->gz)) {
    hg_error_set(err, 1, NULL, 0, 0, "search: zlib compression failed");
    return false;
  }
  bool ok;
  if (st->opts->write) {
    char *rel = hg_strdup_printf("search/%s/%s", st->opts->lang, name);
    ok = st->opts->write(st->opts->write_ctx, rel, st->gz.data, st->gz.len, err);
    free(rel);
  } else {
    char *path = hg_path_join(st->dir, name);
    ok = hg_write_file(path, st->gz.data, st->gz.len, err);
    free(path);
  }
  return ok;
}

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
         st->level[st->post_q[p]];
}

/* Rank of a posting among a term's postings: title matches first, then by
 * score (ties: the earlier document first). */
static unsigned rank_key(const index_state *st, uint32_t p) {
  return (unsigned)st->post_t[p] << 8 | st->post_q[p];
}

/* A term's postings. A term in more than `top` documents keeps the scores of
 * its `top` best documents only; the others get one tail score, and the set
 * of all its documents is kept (gaps or a bitmap) so that matching every
 * query word stays exact. */
static void put_term_block(const index_state *st, uint32_t t, const uint32_t *vids,
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
    /* the `top` best by rank_key, found by counting: every posting above
     * the threshold key, and the first `need` ones at it */
    uint32_t cnt[512] = {0};
    for (uint32_t p = a; p < b; p++) cnt[rank_key(st, p)]++;
    size_t need = top;
    unsigned thr = 511;
    while (cnt[thr] < need) need -= cnt[thr--];
    unsigned next = thr; /* the key of the first posting left out */
    if (cnt[thr] == need)
      do next--; while (cnt[next] == 0);
    uint8_t tail = (uint8_t)(next & 0xff);
    put_varint(blk, top);
    hg_buf_putc(blk, (char)st->level[tail]);
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
    prev = 0; /* the best, in document order */
    for (uint32_t p = a; p < b; p++) {
      unsigned k = rank_key(st, p);
      if (k < thr || (k == thr && need == 0)) continue;
      if (k == thr) need--;
      put_varint(blk, posting(st, p, st->post_doc[p] - prev));
      prev = st->post_doc[p];
    }
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

/* Term blocks are independent: built in parallel, one buffer per term. */
typedef struct {
  const index_state *st;
  const uint32_t *sorted, *vs, *vstart;
  hg_buf *blks;
} blocks_job;

static void block_one(void *ctx, size_t k, int w) {
  (void)w;
  blocks_job *j = ctx;
  uint32_t t = j->sorted[k];
  put_term_block(j->st, t, j->vs + j->vstart[t], j->vstart[t + 1] - j->vstart[t], &j->blks[k]);
}

/* Files compressed and written in parallel; names come back in order. */
typedef struct {
  const index_state *st;
  const char *prefix;
  hg_buf *files;
  char (*hashes)[HASH_LEN + 1];
  hg_error **errs;
} files_job;

static void file_one(void *ctx, size_t i, int w) {
  (void)w;
  files_job *j = ctx;
  hg_buf gz = HG_BUF_INIT;
  write_file_gz(j->st, j->prefix, j->files[i].data, j->files[i].len, NULL, j->hashes[i], &gz,
                &j->errs[i]);
  hg_buf_free(&gz);
}

/* Writes files[0..n) as <prefix><hash>.bin on the build's threads, appends
 * the hashes to `names` in order and frees the buffers. */
static bool write_files(const index_state *st, const char *prefix, hg_buf *files, size_t n,
                        json_t *names, hg_error **err) {
  files_job j = {st, prefix, files, hg_xcalloc(n + 1, sizeof *j.hashes),
                 hg_xcalloc(n + 1, sizeof *j.errs)};
  hg_parallel_for(n, st->opts->threads > 0 ? st->opts->threads : hg_default_threads(), file_one,
                  &j);
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (j.errs[i] && ok) {
      if (err) *err = j.errs[i];
      else hg_error_free(j.errs[i]);
      ok = false;
    } else {
      hg_error_free(j.errs[i]);
    }
    if (ok) json_array_append_new(names, json_string(j.hashes[i]));
    hg_buf_free(&files[i]);
  }
  free(j.hashes);
  free(j.errs);
  return ok;
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

  blocks_job bj = {st, sorted, vs, vstart, hg_xcalloc(nt + 1, sizeof(hg_buf))};
  hg_parallel_for(nt, st->opts->threads > 0 ? st->opts->threads : hg_default_threads(),
                  block_one, &bj);

  json_t *keys = json_array(), *files = json_array();
  hg_buf body = HG_BUF_INIT, entry = HG_BUF_INIT;
  hg_buf *shards = NULL;
  size_t nshards = 0, cap = 0;
  size_t count = 0;
  const char *prev = "";
  size_t prev_len = 0;
  const char *last = ""; /* last term of the previous shard */
  size_t last_len = 0;
  for (size_t k = 0; k <= nt; k++) {
    uint32_t t = k < nt ? sorted[k] : 0;
    const char *s = k < nt ? dict_str(&st->terms, t) : NULL;
    size_t slen = k < nt ? st->terms.len[t] : 0;
    const hg_buf *blk = &bj.blks[k];
    bool flush = k == nt ? count > 0
                         : count > 0 && body.len + blk->len + slen > limit;
    if (flush) {
      if (nshards == cap) {
        cap = cap ? cap * 2 : 64;
        shards = hg_xrealloc(shards, cap * sizeof *shards);
      }
      hg_buf *file = &shards[nshards++];
      *file = (hg_buf)HG_BUF_INIT;
      hg_buf_grow(file, body.len + 10);
      put_varint(file, count);
      hg_buf_append(file, body.data, body.len);
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
    put_bytes(&entry, blk->data, blk->len);
    hg_buf_append(&body, entry.data, entry.len);
    count++;
    prev = s;
    prev_len = slen;
  }
  for (size_t k = 0; k < nt; k++) hg_buf_free(&bj.blks[k]);
  free(bj.blks);
  bool ok = write_files(st, "t.", shards, nshards, files, err);
  free(shards);
  json_t *o = json_object();
  json_object_set_new(o, "keys", keys);
  json_object_set_new(o, "files", files);
  json_object_set_new(st->manifest, "terms", o);
  hg_buf_free(&body);
  hg_buf_free(&entry);
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
  const hg_search_doc *docs;
  const size_t *order;
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
    put_store_json(&b, &j->docs[j->order[d]]);
  }
  hg_buf_putc(&b, ']');
  char prefix[32];
  snprintf(prefix, sizeof prefix, "d%zu.", gi);
  write_file_gz(j->st, prefix, b.data, b.len, j->hash, NULL, &gz, &j->errs[gi]);
  hg_buf_free(&b);
  hg_buf_free(&gz);
}

static bool write_store(index_state *st, const doc_terms *dts, const hg_search_doc *docs,
                        const size_t *order, hg_error **err) {
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
    h = h * 1099511628211ULL ^ dts[d].store_hash;
  char hash[17];
  hg_hash_hex(&h, sizeof h, hash);
  hash[HASH_LEN] = '\0';
  store_job job = {st, docs, order, g, hash, hg_xcalloc(ngroups, sizeof(hg_error *))};
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
  for (unsigned q = 0; q < 256; q++) st.level[q] = (uint8_t)level((uint8_t)q);
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
  if (!ok) {
    for (int w = 0; w < nthreads; w++) worker_free(&workers[w]);
    free(workers);
    goto done;
  }

  /* 2. global term ids (each worker's words, then its ids in every
   * document it tokenized), document frequencies, field length averages */
  uint32_t **tmap = hg_xcalloc((size_t)nthreads, sizeof *tmap);
  uint32_t **vmap = hg_xcalloc((size_t)nthreads, sizeof *vmap);
  size_t vcap = 0;
  for (int w = 0; w < nthreads; w++) {
    worker *wk = &workers[w];
    tmap[w] = hg_xmalloc(wk->terms.n * sizeof **tmap + 1);
    for (uint32_t i = 0; i < wk->terms.n; i++)
      tmap[w][i] = dict_intern(&st.terms, dict_str(&wk->terms, i), wk->terms.len[i], NULL);
    vmap[w] = hg_xmalloc(wk->exacts.n * sizeof **vmap + 1);
    for (uint32_t i = 0; i < wk->exacts.n; i++) {
      uint32_t v = dict_intern(&st.variants, dict_str(&wk->exacts, i), wk->exacts.len[i], NULL);
      if (v >= vcap) {
        size_t ncap = vcap ? vcap * 2 : 256;
        st.vdf = hg_xrealloc(st.vdf, ncap * sizeof *st.vdf);
        st.vterm = hg_xrealloc(st.vterm, ncap * sizeof *st.vterm);
        memset(st.vdf + vcap, 0, (ncap - vcap) * sizeof *st.vdf);
        vcap = ncap;
      }
      st.vterm[v] = tmap[w][wk->exact_term[i]];
      vmap[w][i] = v;
    }
    worker_free(wk);
  }
  free(workers);
  st.df = hg_xcalloc(st.terms.n + 1, sizeof *st.df);
  double avg[NF] = {0};
  for (size_t d = 0; d < n; d++) {
    doc_terms *dt = &dts[d];
    for (int f = 0; f < NF; f++) avg[f] += dt->dl[f];
    for (uint32_t i = 0; i < dt->nterms; i++) {
      uint32_t g = dt->ids[i] = tmap[dt->worker][dt->ids[i]];
      st.df[g]++;
    }
    for (uint32_t i = 0; i < dt->nexacts; i++) {
      uint32_t v = dt->exacts[i] = vmap[dt->worker][dt->exacts[i]];
      st.vdf[v]++;
    }
  }
  for (int w = 0; w < nthreads; w++) {
    free(tmap[w]);
    free(vmap[w]);
  }
  free(tmap);
  free(vmap);
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
      uint32_t p = fill[dt->ids[i]]++;
      st.post_doc[p] = (uint32_t)d;
      st.post_q[p] = quantize(dt->tf + (size_t)i * NF, dt->dl, avg);
      st.post_t[p] = dt->tf[(size_t)i * NF + F_TITLE] > 0;
    }
  }
  memcpy(fill, st.vpost_off, nv * sizeof *fill);
  for (size_t d = 0; d < n; d++)
    for (uint32_t i = 0; i < dts[d].nexacts; i++)
      st.vpost_doc[fill[dts[d].exacts[i]]++] = (uint32_t)d;
  free(fill);

  /* 4. files */
  uint32_t *sorted = hg_xmalloc(nt * sizeof *sorted + 1);
  for (uint32_t t = 0; t < nt; t++) sorted[t] = t;
  tl_sort_dict = &st.terms;
  qsort(sorted, nt, sizeof *sorted, cmp_term_id);
  ok = (opts->write || hg_mkdir_p(st.dir, err)) && write_shards(&st, sorted, err) &&
       write_vocab(&st, err) && write_store(&st, dts, docs, order, err) &&
       write_facets(&st, docs, order, err);
  free(sorted);
  if (ok) {
    char *m = json_dumps(st.manifest, JSON_COMPACT);
    ok = m && write_named(&st, "manifest.bin", m, strlen(m), err);
    free(m);
    if (ok) result = hg_strdup_printf("search/%s/manifest.bin", opts->lang);
  }
done:
  for (size_t d = 0; d < n; d++) doc_terms_free(&dts[d]);
  free(dts);
  free(order);
  index_free(&st);
  return result;
}
