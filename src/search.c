/* search.c - stage 6 of the pipeline: the client-side search index of one
 * language, as small gzip files under search/<lang>/ read by
 * themes/default/assets/search.js.
 *
 * Files (every one gzip-compressed, extension .bin so that no host adds a
 * Content-Encoding of its own):
 *
 *   manifest.bin  JSON, nothing per document but a name per store group.
 *     Its name is stable, so a page does not change when only the index
 *     does (an edit rewrites that article's page, not all of them);
 *     search.js revalidates it on every load and fetches it again when a
 *     file it names is gone:
 *     {"v":3, "lang":"en", "docs":N, "smax":2.2, "qbits":4,
 *      "terms":{"keys":[k0,k1,...], "files":[h0,h1,...]},  term shard i holds
 *          the terms t with keys[i] <= t < keys[i+1] (UTF-8 byte order);
 *          file t.<h>.bin
 *      "vocab":{"keys":[[c,len],...], "files":[...]},  typo vocabulary chunk i
 *          starts at first code point c / length len; file v.<h>.bin
 *      "store":{"group":G, "files":[h0,h1,...]},  doc d is in group g = d/G,
 *          file d<g>.<files[g]>.bin
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
 *     the reader computes idf from df. BM25F's field lengths are put on
 *     grids before it divides one by the other: a document's on 2^(k/4), the
 *     averages over all documents on 2^(k/32) (k the nearest integer). So a
 *     sentence more or less seldom changes the scores of the article's other
 *     words, and one edited article almost never those of the others.
 *     Variants are the unfolded (lowercase, NFC) spellings seen for a folded
 *     term with the documents that contain them ("účet" under "ucet").
 *     A term ending in 0x01 (HG_SEARCH_BIGRAM_MARK) is a character bigram of
 *     words written without spaces (hg_search.h); it counts in no field's
 *     length and is never in the typo vocabulary.
 *   v.<h>.bin  typo vocabulary: terms of 4+ code points starting with a
 *     letter, sorted by (first code point, length in code points, bytes):
 *     nterms, then per term shared-prefix length, suffix length, suffix, df.
 *   d<g>.<h>.bin  JSON [[url, title, breadcrumb, description, text], ...]
 *     for the documents of group g; text is the start of the body.
 *   f.<h>.bin  JSON {"tags":[[tag,[doc id gaps]],...]} (results page filter).
 *
 * Names: h is the first 12 hex digits of a salted XXH3 hash of the file's
 * uncompressed bytes (for a store group: of its documents' records), so it
 * is known before anything is compressed and a file whose bytes did not
 * change keeps its name: opts->reuse may then skip compressing it. Term
 * shards and vocabulary chunks are cut where their content says (after an
 * entry whose term hash falls under a threshold proportional to the entry's
 * size, once the file holds half the target size; before an entry that
 * would take it past twice the target), so an edit moves only the cuts
 * next to the terms it changed; the store group size G is put on the grid
 * round(2^(k/4)) for the same reason.
 *
 * Documents are numbered in category order (first appearance), so a category
 * is a range of ids.
 *
 * Token cache (opts->cache_path; not part of the site): what tokenizing
 * gave for every document of the last build, so that a rebuild tokenizes
 * only documents whose fields changed. Host byte order; every part padded
 * with zero bytes to a multiple of 4, so that a record's arrays are used
 * where they lie in the file as read:
 *   "hgtokc\r\n", u32 version, u32 key length, key (helpgen version,
 *   language, ICU and Unicode versions, fingerprints of the tokenizer and
 *   of the store records, the format constants: a cache written under any
 *   other is not used), u64 payload length, u64 XXH3 of the payload;
 *   payload: u32 nterms, u32 term bytes, u32 nexacts, u32 exact bytes,
 *     u32 ndocs, u32 0,
 *     u32 term offsets[nterms + 1], term bytes (the folded terms in use,
 *     sorted: a term's id is its rank), u32 exact offsets[nexacts + 1],
 *     exact bytes (sorted by term, then bytes), u32 term of each exact,
 *     u64 digest[ndocs], u64 record offsets[ndocs + 1] (from the first
 *     record), records in document order: u32 nterms, u32 nexacts, u32 ntf,
 *     u32 store length, u64 store hash, u32 field lengths[5], u32 term
 *     ids[nterms], u32 exact ids[nexacts], u16 frequencies[ntf] (one per
 *     mask bit, in order), u8 field masks[nterms] (bit f: the term is in
 *     field f).
 * The file depends on the documents only (a cold and a warm build write the
 * same bytes). It is replaced whole (see write_spare: the one before waits
 * beside it as <cache_path>.old, to be overwritten next time).
 * A document's digest is XXH3 over the lengths and hashes of the fields
 * tokenizing and the store read (url, title, breadcrumb, headings,
 * keywords, description, body; NULL and "" alike); category, tags and
 * promoted are read afresh every build. Every offset and id is checked
 * before use: a file that fails a check is ignored, a record that does is
 * tokenized again. */
#include "hg_search.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libstemmer.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/uversion.h>
#include <unistd.h>
#include <zlib.h>

enum { F_TITLE, F_HEADINGS, F_KEYWORDS, F_DESC, F_BODY, NF };
static const double field_weight[NF] = {10.0, 3.0, 5.0, 2.0, 1.0};
static const double field_b[NF] = {0.5, 0.5, 0.3, 0.5, 0.75};
#define K1 1.2
#define SMAX (K1 + 1.0)

#define FORMAT_VERSION 3 /* the manifest's "v" */
#define DEFAULT_SHARD_BYTES (8 * 1024)
#define DEFAULT_GROUP_BYTES (6 * 1024)
#define VOCAB_BYTES (12 * 1024)
#define TEXT_BYTES 600
#define DEFAULT_TOP 1000
#define HASH_LEN 12
/* mixed into every file name: a new format never reuses an old file */
#define NAME_SALT 0x68672d7365617233ULL

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

/* Room for n more strings of `bytes` bytes in all without growing. */
static void dict_reserve(dict *d, size_t n, size_t bytes) {
  size_t want = d->n + n;
  if (want > d->idcap) {
    d->idcap = want;
    d->off = hg_xrealloc(d->off, d->idcap * sizeof *d->off);
    d->len = hg_xrealloc(d->len, d->idcap * sizeof *d->len);
  }
  hg_buf_grow(&d->arena, bytes + n);
  size_t nslot = d->nslot ? d->nslot : 64;
  while ((want + 1) * 2 > nslot) nslot *= 2;
  if (nslot != d->nslot) dict_rehash(d, nslot);
}

static void dict_free(dict *d) {
  hg_buf_free(&d->arena);
  free(d->off);
  free(d->len);
  free(d->slot);
  memset(d, 0, sizeof *d);
}

/* ---- small encoders ------------------------------------------------------ */
/* Varint at p (10 bytes at most); returns the end. */
static char *varint_at(char *p, uint64_t v) {
  do {
    unsigned char c = v & 0x7f;
    v >>= 7;
    *p++ = (char)(v ? c | 0x80 : c);
  } while (v);
  return p;
}

static void put_varint(hg_buf *b, uint64_t v) {
  hg_buf_grow(b, 10);
  b->len = (size_t)(varint_at(b->data + b->len, v) - b->data);
  b->data[b->len] = '\0';
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

/* A compressor kept from file to file (one per thread): zlib's state is
 * half a megabyte, which a new deflateInit for each of a thousand small
 * files would allocate, fault in and unmap again. */
typedef struct {
  z_stream z;
  bool ready;
  hg_buf out;  /* the last file compressed */
  hg_buf json; /* scratch for the store's groups */
  char pad[64]; /* the next thread's not in a cache line of ours */
} gz_ctx;

/* gzip of data into g->out (replacing its contents); level 6 everywhere
 * (level 9 made the 10,000-article index 0.02 % smaller and cost CPU);
 * deterministic (mtime 0; a reset stream compresses as a new one). */
static bool gzip(gz_ctx *g, const void *data, size_t len) {
  if (!g->ready) {
    memset(&g->z, 0, sizeof g->z);
    if (deflateInit2(&g->z, 6, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return false;
    g->ready = true;
  } else if (deflateReset(&g->z) != Z_OK) {
    return false;
  }
  hg_buf_clear(&g->out);
  size_t bound = deflateBound(&g->z, (uLong)len) + 32;
  hg_buf_grow(&g->out, bound);
  g->z.next_in = (Bytef *)data;
  g->z.avail_in = (uInt)len;
  g->z.next_out = (Bytef *)g->out.data;
  g->z.avail_out = (uInt)bound;
  int rc = deflate(&g->z, Z_FINISH);
  g->out.len = bound - g->z.avail_out;
  return rc == Z_STREAM_END;
}

static void gz_free(gz_ctx *g) {
  if (g->ready) deflateEnd(&g->z);
  hg_buf_free(&g->out);
  hg_buf_free(&g->json);
}

/* ---- large arrays ----------------------------------------------------------
 * The arrays that grow with the corpus (postings, term blocks, the token
 * cache) are mapped with transparent huge pages where the system offers
 * them: on some virtual machines a 4 KiB page fault costs microseconds, and
 * megabytes of fresh memory cost more than the work done in them. A header
 * before the returned pointer holds the mapped length (0: from malloc).
 * Contents start zeroed. Free with big_free. */
#define BIG_MIN ((size_t)256 << 10)
#define HUGE_PAGE ((size_t)2 << 20)
#define BIG_HEAD ((size_t)16)

static void *big_calloc(size_t size) {
  if (size + BIG_HEAD >= BIG_MIN) {
    size_t len = (size + BIG_HEAD + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    char *m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m != MAP_FAILED) {
      /* keep the 2 MiB-aligned part */
      size_t head = (HUGE_PAGE - (uintptr_t)m % HUGE_PAGE) % HUGE_PAGE;
      if (head) munmap(m, head);
      munmap(m + head + len, HUGE_PAGE - head);
      m += head;
#ifdef MADV_HUGEPAGE
      madvise(m, len, MADV_HUGEPAGE);
#endif
      memcpy(m, &len, sizeof len);
      return m + BIG_HEAD;
    }
  }
  char *m = hg_xcalloc(1, size + BIG_HEAD);
  return m + BIG_HEAD;
}

static void big_free(void *p) {
  if (!p) return;
  char *m = (char *)p - BIG_HEAD;
  size_t len;
  memcpy(&len, m, sizeof len);
  if (len) munmap(m, len);
  else free(m);
}

/* hg_parallel_for over runs of `batch` consecutive items: what neighbouring
 * items write (a slot each, or bytes side by side) is written by one thread,
 * so no cache line goes back and forth between cores. */
typedef struct {
  hg_task_fn fn;
  void *ctx;
  size_t n, batch;
} batch_job;

static void batch_one(void *ctx, size_t b, int w) {
  batch_job *j = ctx;
  size_t end = (b + 1) * j->batch < j->n ? (b + 1) * j->batch : j->n;
  for (size_t i = b * j->batch; i < end; i++) j->fn(j->ctx, i, w);
}

static void parallel_batches(size_t n, size_t batch, int threads, hg_task_fn fn, void *ctx) {
  batch_job j = {fn, ctx, n, batch};
  hg_parallel_for((n + batch - 1) / batch, threads, batch_one, &j);
}

/* A job on a thread of its own beside the caller's: serial work (reading
 * the token cache, the facets, the next token cache) that would otherwise
 * leave the second core idle. Run inline when no thread can be made. */
typedef struct {
  void (*fn)(void *);
  void *arg;
  pthread_t tid;
  bool started;
} side_job;

static void *side_main(void *p) {
  side_job *j = p;
  j->fn(j->arg);
  return NULL;
}

static void side_start(side_job *j, void (*fn)(void *), void *arg) {
  j->fn = fn;
  j->arg = arg;
  j->started = pthread_create(&j->tid, NULL, side_main, j) == 0;
  if (!j->started) fn(arg);
}

static void side_join(side_job *j) {
  if (j->started) pthread_join(j->tid, NULL);
  j->started = false;
}

/* ---- per-document tokenization (parallel) --------------------------------
 * Every worker thread interns the words it sees in its own dictionaries
 * (kept from document to document); a document keeps only the worker's ids
 * of its distinct terms, which become global ids once all are tokenized.
 * A document found in the token cache gets global ids straight away. */
typedef struct {
  uint32_t *ids;  /* distinct terms: the worker's ids, then global ids */
  uint32_t nterms;
  uint8_t *mask;  /* of each term: bit f set when it is in field f */
  uint16_t *tf;   /* ntf: its frequency in each of those fields, in order */
  uint32_t ntf;
  uint32_t *exacts; /* distinct exact forms: the worker's ids, then global */
  uint32_t nexacts;
  uint32_t dl[NF];
  int worker;     /* -1: the ids are global ones */
  bool borrowed;  /* ids, mask, tf and exacts point into the token cache */
  uint64_t digest; /* of its fields (when there is a token cache) */
  uint64_t store_hash; /* of its JSON array in the document store */
  size_t store_len;
} doc_terms;

typedef struct {
  hg_search_tokenizer *tk; /* made on the worker's first document */
  hg_error *err;          /* making it failed */
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
  char pad[64]; /* the next worker's fields not in a cache line of ours */
} worker;

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
  if (!t->bigram) w->dl[w->field]++; /* a field's length counts its words */
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

/* The fields tokenizing and the store read, each as its length and hash;
 * NULL counts as "" (neither tells them apart). */
static uint64_t doc_digest(const hg_search_doc *d) {
  const char *f[7] = {d->url,      d->title,       d->breadcrumb, d->headings,
                      d->keywords, d->description, d->body};
  uint64_t parts[14];
  for (int k = 0; k < 7; k++) {
    size_t len = f[k] ? strlen(f[k]) : 0;
    parts[2 * k] = len;
    parts[2 * k + 1] = hg_hash64(len ? f[k] : "", len);
  }
  return hg_hash64(parts, sizeof parts);
}

static void doc_terms_free(doc_terms *dt) {
  if (dt->borrowed) return;
  free(dt->ids);
  free(dt->mask);
  free(dt->tf);
  free(dt->exacts);
}

static void worker_free(worker *w) {
  hg_search_tokenizer_free(w->tk);
  hg_error_free(w->err);
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

/* ---- token cache (format: the top comment) ------------------------------ */
#define CACHE_MAGIC "hgtokc\r\n"
#define CACHE_VERSION 2u /* one more whenever what a record means changes */
#define REC_FIXED (4 * 4 + 8 + 4 * NF)
#define PAD4(x) (((x) + 3) & ~(uint64_t)3)

typedef struct {
  char *data;      /* the file, or NULL: none, or not usable */
  size_t len;
  uint32_t nterms, nexacts, ndocs;
  const char *toff, *tarena, *eoff, *earena, *eterm; /* inside data */
  const char *digests, *recoff;
  char *recs;      /* 4-byte aligned: records are used in place */
  uint32_t *slot;  /* digest -> 1 + record, open addressing */
  size_t nslot;
  bool usable;     /* its ids are the global ids (see cache_seed) */
  const char *key; /* inside data: the key it was written under */
  uint32_t key_len;
} tok_cache;

static uint32_t rd32(const char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
static uint64_t rd64(const char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

/* A bounds-checked reader: after the first short read every take fails. */
typedef struct {
  const char *p, *end;
  bool ok;
} reader;

static const char *take(reader *r, uint64_t n) {
  if (!r->ok || (uint64_t)(r->end - r->p) < n) {
    r->ok = false;
    return NULL;
  }
  const char *s = r->p;
  r->p += n;
  return s;
}
static uint32_t take32(reader *r) {
  const char *s = take(r, 4);
  return s ? rd32(s) : 0;
}
static uint64_t take64(reader *r) {
  const char *s = take(r, 8);
  return s ? rd64(s) : 0;
}

/* An offset table of n + 1 entries into an arena of len bytes: starts at 0,
 * never decreases, ends at len; every string is non-empty UTF-8. When
 * sorted, every string is greater than the one before. */
static bool check_strings(const char *off, uint32_t n, const char *arena, uint32_t len,
                          bool sorted) {
  if (rd32(off) != 0 || rd32(off + 4 * (size_t)n) != len) return false;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t a = rd32(off + 4 * (size_t)i), b = rd32(off + 4 * (size_t)i + 4);
    if (b <= a || b > len || !hg_utf8_valid(arena + a, b - a, NULL)) return false;
    if (sorted && i > 0) {
      uint32_t pa = rd32(off + 4 * (size_t)i - 4);
      size_t pl = a - pa, l = b - a;
      int c = memcmp(arena + pa, arena + a, pl < l ? pl : l);
      if (c > 0 || (c == 0 && pl >= l)) return false;
    }
  }
  return true;
}

static uint64_t record_size(uint64_t nt, uint64_t ne, uint64_t ntf) {
  return PAD4(REC_FIXED + 4 * nt + 4 * ne + 2 * ntf + nt);
}

/* Checks everything but the key (which cache_load_finish compares: the
 * file is read and checked while the tokenizer that the key needs is made). */
static bool cache_parse(tok_cache *c) {
  reader r = {c->data, c->data + c->len, true};
  const char *magic = take(&r, 8);
  if (!magic || memcmp(magic, CACHE_MAGIC, 8) != 0 || take32(&r) != CACHE_VERSION) return false;
  c->key_len = take32(&r);
  c->key = take(&r, c->key_len);
  take(&r, PAD4(c->key_len) - c->key_len);
  if (!r.ok) return false;
  uint64_t plen = take64(&r), sum = take64(&r);
  if (!r.ok || plen != (uint64_t)(r.end - r.p) || hg_hash64(r.p, (size_t)plen) != sum)
    return false;
  c->nterms = take32(&r);
  uint32_t tlen = take32(&r);
  c->nexacts = take32(&r);
  uint32_t elen = take32(&r);
  c->ndocs = take32(&r);
  if (take32(&r) != 0) return false;
  c->toff = take(&r, 4 * ((uint64_t)c->nterms + 1));
  c->tarena = take(&r, PAD4(tlen));
  c->eoff = take(&r, 4 * ((uint64_t)c->nexacts + 1));
  c->earena = take(&r, PAD4(elen));
  c->eterm = take(&r, 4 * (uint64_t)c->nexacts);
  c->digests = take(&r, 8 * (uint64_t)c->ndocs);
  c->recoff = take(&r, 8 * ((uint64_t)c->ndocs + 1));
  if (!r.ok || c->ndocs >= UINT32_MAX / 2) return false;
  c->recs = c->data + (r.p - c->data);
  uint64_t rlen = (uint64_t)(r.end - r.p);
  if (((uintptr_t)c->recs & 3) != 0 ||
      !check_strings(c->toff, c->nterms, c->tarena, tlen, true) ||
      !check_strings(c->eoff, c->nexacts, c->earena, elen, false))
    return false;
  for (uint32_t i = 0; i < c->nexacts; i++)
    if (rd32(c->eterm + 4 * (size_t)i) >= c->nterms) return false;
  /* records: in order, each exactly as long as its counts say */
  if (rd64(c->recoff) != 0 || rd64(c->recoff + 8 * (size_t)c->ndocs) != rlen) return false;
  for (uint32_t i = 0; i < c->ndocs; i++) {
    uint64_t a = rd64(c->recoff + 8 * (size_t)i), b = rd64(c->recoff + 8 * (size_t)i + 8);
    if (b < a || b > rlen || b - a < REC_FIXED || a % 4 != 0) return false;
    const char *p = c->recs + a;
    if (record_size(rd32(p), rd32(p + 4), rd32(p + 8)) != b - a) return false;
  }
  c->nslot = 16;
  while (c->nslot < 2 * (size_t)c->ndocs) c->nslot *= 2;
  c->slot = hg_xcalloc(c->nslot, sizeof *c->slot);
  for (uint32_t i = 0; i < c->ndocs; i++) {
    uint64_t d = rd64(c->digests + 8 * (size_t)i);
    size_t s = (size_t)d & (c->nslot - 1);
    while (c->slot[s]) {
      if (rd64(c->digests + 8 * (size_t)(c->slot[s] - 1)) == d) break; /* a twin */
      s = (s + 1) & (c->nslot - 1);
    }
    if (!c->slot[s]) c->slot[s] = i + 1;
  }
  return true;
}

/* The whole file into a big_calloc buffer (a private copy: the file may
 * change under a reader; the checksum then fails). NULL on failure. */
static char *read_big(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat sb;
  char *data = NULL;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
      (uint64_t)sb.st_size < SIZE_MAX / 2) {
    size_t want = (size_t)sb.st_size, got = 0;
    data = big_calloc(want);
    while (got < want) {
      ssize_t r = read(fd, data + got, want - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += (size_t)r;
    }
    *len = got;
  }
  close(fd);
  return data;
}

static void cache_free(tok_cache *c) {
  big_free(c->data);
  free(c->slot);
  memset(c, 0, sizeof *c);
}

/* Reads path if it is a token cache; else leaves c without data (a file
 * that is missing, short or corrupt is no error: the documents are
 * tokenized). Runs beside the making of the tokenizer (load_main). */
static void cache_load(tok_cache *c, const char *path) {
  memset(c, 0, sizeof *c);
  c->data = read_big(path, &c->len);
  if (c->data && !cache_parse(c)) cache_free(c);
}

typedef struct {
  tok_cache *cache;
  const char *path;
} load_task;

static void load_main(void *ctx) {
  load_task *t = ctx;
  cache_load(t->cache, t->path);
}

/* Drops the cache unless it was written under `key` (a foreign one is no
 * error either). */
static void cache_load_finish(tok_cache *c, const char *key) {
  if (c->data && (c->key_len != strlen(key) || memcmp(c->key, key, c->key_len) != 0))
    cache_free(c);
}

static long cache_find(const tok_cache *c, uint64_t digest) {
  if (!c->usable) return -1;
  for (size_t s = (size_t)digest & (c->nslot - 1); c->slot[s]; s = (s + 1) & (c->nslot - 1))
    if (rd64(c->digests + 8 * (size_t)(c->slot[s] - 1)) == digest) return (long)c->slot[s] - 1;
  return -1;
}

/* Bits set in a field mask (< 32). */
static unsigned mask_bits(unsigned m) {
  return (unsigned)(0x4332322132212110ULL >> (4 * (m & 15)) & 15) + (m >> 4 & 1);
}

/* Points dt at the tokens of cached document i (its ids are global ones);
 * false, dt untouched, when the record does not hold together. */
static bool cache_restore(const tok_cache *c, uint32_t i, doc_terms *dt) {
  char *p = c->recs + rd64(c->recoff + 8 * (size_t)i);
  uint32_t nt = rd32(p), ne = rd32(p + 4), ntf = rd32(p + 8);
  uint32_t *ids = (uint32_t *)(void *)(p + REC_FIXED), *ex = ids + nt;
  uint16_t *tf = (uint16_t *)(void *)(ex + ne);
  uint8_t *mask = (uint8_t *)(tf + ntf);
  bool bad = false;
  for (uint32_t k = 0; k < nt; k++) bad |= ids[k] >= c->nterms;
  for (uint32_t k = 0; k < ne; k++) bad |= ex[k] >= c->nexacts;
  uint32_t bits = 0;
  for (uint32_t k = 0; k < nt; k++) {
    bad |= mask[k] == 0 || mask[k] >> NF;
    bits += mask_bits(mask[k]);
  }
  if (bad || bits != ntf) return false;
  dt->ids = ids;
  dt->nterms = nt;
  dt->mask = mask;
  dt->tf = tf;
  dt->ntf = ntf;
  dt->exacts = ex;
  dt->nexacts = ne;
  for (int f = 0; f < NF; f++) dt->dl[f] = rd32(p + 24 + 4 * f);
  dt->store_len = rd32(p + 12);
  dt->store_hash = rd64(p + 16);
  dt->worker = -1;
  dt->borrowed = true;
  return true;
}

static void on_probe_token(void *ctx, const hg_search_token *t) {
  hg_buf *b = ctx;
  hg_buf_printf(b, "%s|%s|%zu|%zu\n", t->term, t->exact ? t->exact : "", t->start, t->end);
}

/* What a cache must have been written under: the versions and a
 * fingerprint of everything that shapes a record: what the tokenizer makes
 * of a text and the folding of words in other scripts (folded on their
 * own: segmenting Thai or Japanese would load ICU's dictionaries, which
 * the ICU version stands for), what the store makes of an awkward
 * document. Caller frees. */
static char *cache_key(const char *lang, hg_search_tokenizer *tk) {
  static const char probe[] =
      "Don't e-mail support@example.com (v2.1, 3,000 items) -- rock'n'roll _x_ it’s "
      "Crème brûlée ÚČET Straße Øresund Łódź Đặt ﬁle Æble ı İstanbul إلغاء الطلب ١٢٣ "
      "Ελληνικά Русский текст 👍 x\xcc\x81y مُحَمَّدٌ أحمد مدرسة שָׁלוֹם";
  static const char *const words[] = {"ไม่", "ไม้", "ติดตาม", "注文", "ｶﾞ", "한국어", "ＡＢＣ１"};
  hg_buf b = HG_BUF_INIT;
  hg_search_tokenize(tk, probe, sizeof probe - 1, on_probe_token, &b);
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    char *exact = NULL, *f = hg_search_fold(tk, words[i], strlen(words[i]), &exact);
    hg_buf_printf(&b, "%s|%s\n", f ? f : "", exact ? exact : "");
    free(f);
    free(exact);
  }
  uint64_t tokens = hg_hash64(b.data, b.len);
  hg_buf body = HG_BUF_INIT;
  for (int i = 0; i < 40; i++) hg_buf_puts(&body, "Word \"quoted\"\t\\ čšž 注文\n");
  const hg_search_doc doc = {.url = "a/ü \"q\"/index.html", .title = "Tab\tand \x01 control",
                             .breadcrumb = "A › B", .description = "bad \xff UTF-8",
                             .body = body.data};
  hg_buf_clear(&b);
  put_store_json(&b, &doc);
  uint64_t store = hg_hash64(b.data, b.len);
  UVersionInfo v;
  char icu[U_MAX_VERSION_STRING_LENGTH], uni[U_MAX_VERSION_STRING_LENGTH];
  u_getVersion(v);
  u_versionToString(v, icu);
  u_getUnicodeVersion(v);
  u_versionToString(v, uni);
  char *key = hg_strdup_printf("helpgen %s\nlang %s\nicu %s\nunicode %s\ntokens %016llx\n"
                               "store %016llx\nfields %d max %d text %d\n",
                               HG_VERSION, lang, icu, uni, (unsigned long long)tokens,
                               (unsigned long long)store, NF, HG_SEARCH_MAX_TERM, TEXT_BYTES);
  hg_buf_free(&b);
  hg_buf_free(&body);
  return key;
}

typedef struct {
  const hg_search_doc *docs;
  const size_t *order; /* new id -> input index */
  doc_terms *out;
  worker *workers;
  const char *lang;
  const uint64_t *digests; /* by input index (NULL: no token cache) */
  const tok_cache *cache;
} tok_job;

/* The documents' digests, in input order: on a side thread while the
 * tokenizer is made and the token cache read (they need neither), and on
 * the caller's as soon as it has made them, taking runs of documents from
 * a shared counter so that neither waits for the other at the end. */
#define DIGEST_RUN 64
typedef struct {
  const hg_search_doc *docs;
  size_t n;
  uint64_t *out;
  atomic_size_t next;
} digest_task;

static void digest_main(void *ctx) {
  digest_task *t = ctx;
  for (;;) {
    size_t a = atomic_fetch_add(&t->next, DIGEST_RUN);
    if (a >= t->n) return;
    size_t b = a + DIGEST_RUN < t->n ? a + DIGEST_RUN : t->n;
    for (size_t i = a; i < b; i++) t->out[i] = doc_digest(&t->docs[i]);
  }
}

static void tok_doc(void *ctx, size_t i, int wi) {
  tok_job *job = ctx;
  worker *w = &job->workers[wi];
  const hg_search_doc *doc = &job->docs[job->order[i]];
  doc_terms *dt = &job->out[i];
  if (job->digests) {
    dt->digest = job->digests[job->order[i]];
    long r = cache_find(job->cache, dt->digest);
    if (r >= 0 && cache_restore(job->cache, (uint32_t)r, dt)) return;
  }
  if (!w->tk) {
    if (w->err) return;
    w->tk = hg_search_tokenizer_new(job->lang, &w->err);
    if (!w->tk) return;
  }
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
  dt->mask = hg_xmalloc(w->nids + 1);
  dt->tf = hg_xmalloc(w->nids * NF * sizeof *dt->tf + 1);
  uint32_t ntf = 0;
  for (size_t k = 0; k < w->nids; k++) {
    unsigned m = 0;
    for (int f = 0; f < NF; f++) {
      uint16_t v = w->tf[k * NF + f];
      if (!v) continue;
      m |= 1u << f;
      dt->tf[ntf++] = v;
    }
    dt->mask[k] = (uint8_t)m;
  }
  dt->ntf = ntf;
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

/* ---- the index ----------------------------------------------------------- */
/* One posting: a document and its rank key, in-title bit << 8 | 8-bit
 * score q = sat / smax * 255 (1 to 255). */
typedef struct {
  uint32_t doc;
  uint16_t key;
} post;

typedef struct {
  const hg_search_opts *opts;
  char *dir;      /* out_root/search/<lang> */
  size_t ndocs;
  int threads;
  dict terms;     /* global folded terms (some may be in no document: df 0) */
  uint32_t *df;
  uint32_t *post_off; /* terms.n + 1 */
  post *posts;        /* post_off[t] .. post_off[t + 1]: term t's */
  dict variants;  /* exact forms (vdf 0: in no document) */
  uint32_t *vterm, *vdf, *vpost_off, *vpost_doc;
  size_t vcap;    /* of vterm */
  uint32_t *live; /* the terms with df > 0, sorted by bytes */
  size_t nlive;
  /* stemming (see make_stems): stem keys, each the stem followed by
   * HG_SEARCH_STEM_MARK, sorted by bytes; key k's terms are
   * gterm[gstart[k] .. gstart[k + 1]); stem_of[t]: 1 + the key of term t,
   * 0 for none */
  dict stems;
  uint32_t *stem_sorted, *gstart, *gterm, *stem_of;
  size_t nkeys;
  char stemmer[32]; /* Snowball's name for it, "" for none */
  size_t top;     /* scores kept per term */
  uint8_t level[256]; /* level() of every 8-bit score */
  gz_ctx *gz;    /* one per thread (worker w of hg_parallel_for: gz[w]) */
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

static uint32_t variant_intern(index_state *st, const char *s, size_t len, uint32_t term) {
  uint32_t v = dict_intern(&st->variants, s, len, NULL);
  if (v >= st->vcap) {
    st->vcap = st->vcap ? st->vcap * 2 : 256;
    while (st->vcap <= v) st->vcap *= 2;
    st->vterm = hg_xrealloc(st->vterm, st->vcap * sizeof *st->vterm);
  }
  st->vterm[v] = term;
  return v;
}

/* File names: HASH_LEN hex digits of a salted hash. */
static void name_of_hash(uint64_t h, char out[HASH_LEN + 1]) {
  uint64_t x[2] = {NAME_SALT, h};
  char hex[17];
  hg_hash_hex(x, sizeof x, hex);
  memcpy(out, hex, HASH_LEN);
  out[HASH_LEN] = '\0';
}

static void name_of(const char *data, size_t len, char out[HASH_LEN + 1]) {
  name_of_hash(hg_hash64(data, len), out);
}

/* Is search/<lang>/<file> already in place (opts->reuse)? */
static bool reused(const index_state *st, const char *file) {
  if (!st->opts->reuse) return false;
  char *rel = hg_strdup_printf("search/%s/%s", st->opts->lang, file);
  bool r = st->opts->reuse(st->opts->write_ctx, rel);
  free(rel);
  return r;
}

/* Writes gzip(data) as search/<lang>/<file> through opts->write, or under
 * out_root; gz is the calling thread's compressor. */
static bool put_file(const index_state *st, const char *file, const char *data, size_t len,
                     gz_ctx *gz, hg_error **err) {
  if (!gzip(gz, data, len)) {
    hg_error_set(err, 1, NULL, 0, 0, "search: zlib compression failed");
    return false;
  }
  bool ok;
  if (st->opts->write) {
    char *rel = hg_strdup_printf("search/%s/%s", st->opts->lang, file);
    ok = st->opts->write(st->opts->write_ctx, rel, gz->out.data, gz->out.len, err);
    free(rel);
  } else {
    char *path = hg_path_join(st->dir, file);
    ok = hg_write_file(path, gz->out.data, gz->out.len, err);
    free(path);
  }
  return ok;
}

/* A content-named file <prefix><name>.bin (name from data); skipped when
 * opts->reuse has it. */
static bool write_file_gz(const index_state *st, const char *prefix, const char *data,
                          size_t len, char name[HASH_LEN + 1], gz_ctx *gz, hg_error **err) {
  name_of(data, len, name);
  char file[64];
  snprintf(file, sizeof file, "%s%s.bin", prefix, name);
  return reused(st, file) || put_file(st, file, data, len, gz, err);
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
  unsigned key = st->posts[p].key;
  return (uint64_t)gap << (QBITS + 1) | (uint64_t)(key >> 8) << QBITS | st->level[key & 255];
}

/* Rank of a posting among a term's postings: title matches first, then by
 * score (ties: the earlier document first). */
static unsigned rank_key(const index_state *st, uint32_t p) {
  return st->posts[p].key;
}

/* Bytes put_term_block may write for term t at most. */
static size_t block_bound(const index_state *st, uint32_t t, const uint32_t *vids, size_t nv) {
  size_t df = st->post_off[t + 1] - st->post_off[t];
  size_t b = 10 + 10 * (df <= st->top ? df : st->top) + 10;
  if (df > st->top) b += 2 + ((st->ndocs + 7) / 8 > 5 * df ? (st->ndocs + 7) / 8 : 5 * df);
  for (size_t k = 0; k < nv; k++)
    b += 20 + st->variants.len[vids[k]] +
         5 * (size_t)(st->vpost_off[vids[k] + 1] - st->vpost_off[vids[k]]);
  if (st->stem_of && st->stem_of[t]) b += 10 + st->stems.len[st->stem_of[t] - 1];
  return b;
}

/* A term's postings, at out (block_bound bytes); returns the end. A term in
 * more than `top` documents keeps the scores of its `top` best documents
 * only; the others get one tail score, and the set of all its documents is
 * kept (gaps or a bitmap) so that matching every query word stays exact. */
static char *put_term_block(const index_state *st, uint32_t t, const uint32_t *vids,
                            size_t nv, char *out) {
  uint32_t a = st->post_off[t], b = st->post_off[t + 1], df = b - a;
  size_t top = st->top;
  uint32_t prev = 0;
  if (df <= top) {
    out = varint_at(out, df);
    for (uint32_t p = a; p < b; p++) {
      out = varint_at(out, posting(st, p, st->posts[p].doc - prev));
      prev = st->posts[p].doc;
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
    out = varint_at(out, top);
    *out++ = (char)st->level[tail];
    size_t bitmap = (st->ndocs + 7) / 8;
    if (bitmap < df) {
      *out++ = 1;
      memset(out, 0, bitmap);
      for (uint32_t p = a; p < b; p++)
        out[st->posts[p].doc / 8] |= (char)(1u << (st->posts[p].doc % 8));
      out += bitmap;
    } else {
      *out++ = 0;
      for (uint32_t p = a; p < b; p++) {
        out = varint_at(out, st->posts[p].doc - prev);
        prev = st->posts[p].doc;
      }
    }
    prev = 0; /* the best, in document order */
    for (uint32_t p = a; p < b; p++) {
      unsigned k = rank_key(st, p);
      if (k < thr || (k == thr && need == 0)) continue;
      if (k == thr) need--;
      out = varint_at(out, posting(st, p, st->posts[p].doc - prev));
      prev = st->posts[p].doc;
    }
  }
  out = varint_at(out, nv);
  for (size_t k = 0; k < nv; k++) {
    uint32_t v = vids[k];
    out = varint_at(out, st->variants.len[v]);
    memcpy(out, dict_str(&st->variants, v), st->variants.len[v]);
    out += st->variants.len[v];
    uint32_t va = st->vpost_off[v], vb = st->vpost_off[v + 1];
    out = varint_at(out, vb - va);
    prev = 0;
    for (uint32_t p = va; p < vb; p++) {
      out = varint_at(out, st->vpost_doc[p] - prev);
      prev = st->vpost_doc[p];
    }
  }
  if (st->stem_of && st->stem_of[t]) { /* its stem, front-coded against the term */
    uint32_t k = st->stem_of[t] - 1;
    const char *stem = dict_str(&st->stems, k), *term = dict_str(&st->terms, t);
    size_t sl = st->stems.len[k] - 1, shared = common_prefix(term, st->terms.len[t], stem, sl);
    while (shared > 0 && shared < sl && ((unsigned char)stem[shared] & 0xc0) == 0x80) shared--;
    out = varint_at(out, shared);
    out = varint_at(out, sl - shared);
    memcpy(out, stem + shared, sl - shared);
    out += sl - shared;
  }
  return out;
}

/* Variants grouped by term, then by bytes (the term's id only groups them;
 * the order written depends on the strings alone). */
static __thread const index_state *tl_variant_state;
static int cmp_variant(const void *pa, const void *pb) {
  uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
  const index_state *st = tl_variant_state;
  if (st->vterm[a] != st->vterm[b]) return st->vterm[a] < st->vterm[b] ? -1 : 1;
  const dict *d = &st->variants;
  return cmp_str(dict_str(d, a), d->len[a], dict_str(d, b), d->len[b]);
}

/* Term blocks are independent: built in parallel, each appended to the
 * arena of the thread that built it. (One arena with room for every
 * block's bound put them ten times as far apart as their bytes, and
 * megabytes of fresh memory cost more in page faults than the encoding.) */
typedef struct {
  const index_state *st;
  const uint32_t *vs, *vstart;
  hg_buf *arena;     /* per thread */
  size_t *off, *len; /* per live term: in arena[by[k]] */
  uint32_t *by;
} blocks_job;

static void block_one(void *ctx, size_t k, int w) {
  blocks_job *j = ctx;
  uint32_t t = j->st->live[k];
  const uint32_t *vids = j->vs + j->vstart[t];
  size_t nv = j->vstart[t + 1] - j->vstart[t];
  hg_buf *a = &j->arena[w];
  hg_buf_grow(a, block_bound(j->st, t, vids, nv));
  char *end = put_term_block(j->st, t, vids, nv, a->data + a->len);
  j->off[k] = a->len;
  j->len[k] = (size_t)(end - (a->data + a->len));
  j->by[k] = (uint32_t)w;
  a->len += j->len[k];
}

static const char *block_at(const blocks_job *j, size_t k) {
  return j->arena[j->by[k]].data + j->off[k];
}

/* Keeps the first of errs[0..n) in *err and frees the others. */
static bool first_error(hg_error **errs, size_t n, hg_error **err) {
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (errs[i] && ok) {
      if (err) *err = errs[i];
      else hg_error_free(errs[i]);
      ok = false;
    } else {
      hg_error_free(errs[i]);
    }
  }
  return ok;
}

/* Content-named files of one kind (t., v.), cut one after the other: each
 * is named and its name asked about (opts->reuse) as soon as it is whole;
 * the others wait in `todo` to be compressed and written in parallel. */
typedef struct {
  const index_state *st;
  const char *prefix;
  json_t *names;      /* the manifest's list */
  hg_buf file;        /* scratch: count, then body */
  hg_buf *todo;       /* files to write, named in todo_names */
  char (*todo_names)[HASH_LEN + 1];
  size_t ntodo, cap;
  hg_error **errs;
} file_set;

static void file_set_close(file_set *fs, size_t count, hg_buf *body) {
  hg_buf_clear(&fs->file);
  hg_buf_grow(&fs->file, body->len + 10);
  put_varint(&fs->file, count);
  hg_buf_append(&fs->file, body->data, body->len);
  hg_buf_clear(body);
  char name[HASH_LEN + 1], file[64];
  name_of(fs->file.data, fs->file.len, name);
  json_array_append_new(fs->names, json_string(name));
  snprintf(file, sizeof file, "%s%s.bin", fs->prefix, name);
  if (reused(fs->st, file)) return;
  if (fs->ntodo == fs->cap) {
    fs->cap = fs->cap ? fs->cap * 2 : 16;
    fs->todo = hg_xrealloc(fs->todo, fs->cap * sizeof *fs->todo);
    fs->todo_names = hg_xrealloc(fs->todo_names, fs->cap * sizeof *fs->todo_names);
  }
  fs->todo[fs->ntodo] = fs->file;
  memcpy(fs->todo_names[fs->ntodo++], name, HASH_LEN + 1);
  fs->file = (hg_buf)HG_BUF_INIT;
}

static void file_one(void *ctx, size_t i, int w) {
  file_set *fs = ctx;
  char file[64];
  snprintf(file, sizeof file, "%s%s.bin", fs->prefix, fs->todo_names[i]);
  put_file(fs->st, file, fs->todo[i].data, fs->todo[i].len, &fs->st->gz[w], &fs->errs[i]);
}

/* Compresses and writes what is to be written; frees the set. */
static bool file_set_finish(file_set *fs, hg_error **err) {
  fs->errs = hg_xcalloc(fs->ntodo + 1, sizeof *fs->errs);
  hg_parallel_for(fs->ntodo, fs->st->threads, file_one, fs);
  bool ok = first_error(fs->errs, fs->ntodo, err);
  for (size_t i = 0; i < fs->ntodo; i++) hg_buf_free(&fs->todo[i]);
  free(fs->todo);
  free(fs->todo_names);
  free(fs->errs);
  hg_buf_free(&fs->file);
  return ok;
}

/* Content-defined cuts (see the top comment): a file of `target` bytes on
 * average, none under target / 2 unless it is the last, none over
 * 2 * target but for one entry larger than that. */
typedef struct {
  size_t min, span, max;
} cutter;

static cutter cutter_for(size_t target) {
  if (target < 2) target = 2;
  return (cutter){target / 2, target - target / 2, 2 * target};
}

/* Close the file after this entry? */
static bool cut_after(const cutter *c, size_t file_len, const char *term, size_t term_len,
                      size_t entry_len) {
  if (file_len < c->min) return false;
  if (entry_len >= c->span) return true;
  uint64_t h = dict_hash(term, term_len) >> 32;
  return h * c->span < (uint64_t)entry_len << 32;
}

/* ---- stemming ----------------------------------------------------------------
 * Where Snowball has a stemmer for the language (on unless opts->no_stemming),
 * every word term of 3+ code points starting with a letter is stemmed
 * (its folded form) at build time; the browser runs no stemmer. A stem that
 * two or more terms share, or that differs from its one term, becomes a stem
 * key: the entry "<stem>\x02" in the term shards, with df 0 and as block
 * the terms of its group (nterms, then each front-coded against the stem:
 * shared length, suffix length, suffix; the 32 with the most documents,
 * most first). The block of a term in a group of two or more ends with its
 * stem (after the variants), front-coded against the term alike. The browser looks a
 * query word up; its stem leads to the key and the group. A query word that
 * is no term tries its prefixes as stem keys (Snowball's stems mostly are
 * prefixes). */
#define MAX_STEM_GROUP 32

/* Snowball's stemmer for a language tag ("pt-BR" -> "pt", nb and nn ->
 * "no"), or NULL; name gets the code it was made with. */
static struct sb_stemmer *stemmer_for(const char *lang, char name[32]) {
  char base[16];
  size_t n = strcspn(lang, "-_");
  if (n == 0 || n >= sizeof base) return NULL;
  for (size_t i = 0; i < n; i++)
    base[i] = (char)(lang[i] >= 'A' && lang[i] <= 'Z' ? lang[i] + 32 : lang[i]);
  base[n] = '\0';
  if (!strcmp(base, "nb") || !strcmp(base, "nn")) strcpy(base, "no");
  if (!strcmp(base, "porter")) return NULL; /* a name, not a language */
  struct sb_stemmer *sb = sb_stemmer_new(base, "UTF_8");
  if (sb) snprintf(name, 32, "%s", base);
  return sb;
}

static __thread const index_state *tl_stem_state;
/* (stem key, term) pairs: by key, then the term's df (most first), bytes */
static int cmp_stem_pair(const void *pa, const void *pb) {
  const uint32_t *a = pa, *b = pb;
  const index_state *st = tl_stem_state;
  if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
  if (st->df[a[1]] != st->df[b[1]]) return st->df[a[1]] > st->df[b[1]] ? -1 : 1;
  return cmp_str(dict_str(&st->terms, a[1]), st->terms.len[a[1]], dict_str(&st->terms, b[1]),
                 st->terms.len[b[1]]);
}

static void make_stems(index_state *st) {
  st->stemmer[0] = '\0';
  struct sb_stemmer *sb = st->opts->no_stemming ? NULL : stemmer_for(st->opts->lang, st->stemmer);
  if (!sb) return;
  size_t nl = st->nlive, np = 0;
  uint32_t *pair = hg_xmalloc(2 * 4 * nl + 8), *cnt = NULL;
  uint8_t *differs = NULL;
  size_t cap = 0;
  hg_buf key = HG_BUF_INIT;
  for (size_t k = 0; k < nl; k++) {
    uint32_t t = st->live[k];
    const char *w = dict_str(&st->terms, t);
    size_t len = st->terms.len[t];
    UChar32 c = first_cp(w, len);
    if (w[len - 1] == HG_SEARCH_BIGRAM_MARK || c < 0 || !u_isalpha(c) || utf8_cp_len(w, len) < 3)
      continue;
    const sb_symbol *o = sb_stemmer_stem(sb, (const sb_symbol *)w, (int)len);
    int ol = o ? sb_stemmer_length(sb) : 0;
    if (ol <= 0 || ol >= HG_SEARCH_MAX_TERM || !hg_utf8_valid((const char *)o, (size_t)ol, NULL))
      continue;
    hg_buf_clear(&key);
    hg_buf_append(&key, (const char *)o, (size_t)ol);
    hg_buf_putc(&key, HG_SEARCH_STEM_MARK);
    uint32_t id = dict_intern(&st->stems, key.data, key.len, NULL);
    if (id >= cap) {
      size_t ncap = cap ? cap * 2 : 256;
      cnt = hg_xrealloc(cnt, ncap * sizeof *cnt);
      differs = hg_xrealloc(differs, ncap);
      memset(cnt + cap, 0, (ncap - cap) * sizeof *cnt);
      memset(differs + cap, 0, ncap - cap);
      cap = ncap;
    }
    cnt[id]++;
    differs[id] |= (size_t)ol != len || memcmp(o, w, len) != 0;
    pair[2 * np] = id;
    pair[2 * np + 1] = t;
    np++;
  }
  sb_stemmer_delete(sb);
  hg_buf_free(&key);
  size_t ns = st->stems.n;
  st->stem_of = hg_xcalloc(st->terms.n + 1, sizeof *st->stem_of);
  st->gstart = hg_xcalloc(ns + 2, sizeof *st->gstart);
  st->gterm = hg_xmalloc(np * sizeof *st->gterm + 4);
  st->stem_sorted = hg_xmalloc(ns * sizeof *st->stem_sorted + 4);
  tl_stem_state = st;
  qsort(pair, np, 2 * sizeof *pair, cmp_stem_pair);
  size_t ng = 0;
  for (size_t i = 0; i < np;) {
    uint32_t id = pair[2 * i];
    size_t e = i;
    while (e < np && pair[2 * e] == id) e++;
    bool keep = cnt[id] >= 2 || differs[id];
    for (size_t k = i; keep && k < e; k++) {
      if (cnt[id] >= 2) st->stem_of[pair[2 * k + 1]] = id + 1; /* one alone: no need */
      if (k - i < MAX_STEM_GROUP) st->gterm[ng++] = pair[2 * k + 1];
    }
    if (keep) st->stem_sorted[st->nkeys++] = id;
    st->gstart[id + 1] = (uint32_t)ng;
    i = e;
  }
  /* gstart[id + 1] is the end of group id; a group ends where the one before it did */
  for (size_t id = 0; id < ns; id++)
    if (st->gstart[id + 1] < st->gstart[id]) st->gstart[id + 1] = st->gstart[id];
  tl_sort_dict = &st->stems;
  qsort(st->stem_sorted, st->nkeys, sizeof *st->stem_sorted, cmp_term_id);
  free(pair);
  free(cnt);
  free(differs);
}

/* The block of stem key sk into b (replacing it): its group's terms, each
 * front-coded against the stem. */
static void put_stem_block(const index_state *st, uint32_t sk, hg_buf *b) {
  hg_buf_clear(b);
  uint32_t a = st->gstart[sk], e = st->gstart[sk + 1];
  put_varint(b, e - a);
  for (uint32_t k = a; k < e; k++)
    put_front_coded(b, dict_str(&st->stems, sk), st->stems.len[sk] - 1,
                    dict_str(&st->terms, st->gterm[k]), st->terms.len[st->gterm[k]]);
}

static bool write_shards(index_state *st, hg_error **err) {
  cutter cut = cutter_for(st->opts->shard_bytes ? st->opts->shard_bytes : DEFAULT_SHARD_BYTES);
  size_t nt = st->terms.n, nl = st->nlive;
  /* the variants of the documents, grouped by term */
  size_t nv = 0;
  uint32_t *vs = hg_xmalloc(st->variants.n * sizeof *vs + 1);
  for (uint32_t v = 0; v < st->variants.n; v++)
    if (st->vdf[v]) vs[nv++] = v;
  tl_variant_state = st;
  qsort(vs, nv, sizeof *vs, cmp_variant);
  uint32_t *vstart = hg_xcalloc(nt + 1, sizeof *vstart);
  for (size_t k = 0; k < nv; k++) vstart[st->vterm[vs[k]] + 1]++;
  for (size_t t = 0; t < nt; t++) vstart[t + 1] += vstart[t];

  blocks_job bj = {st, vs, vstart, hg_xcalloc((size_t)st->threads, sizeof *bj.arena),
                   hg_xmalloc((nl + 1) * sizeof *bj.off), hg_xmalloc((nl + 1) * sizeof *bj.len),
                   hg_xmalloc((nl + 1) * sizeof *bj.by)};
  parallel_batches(nl, 64, st->threads, block_one, &bj);

  json_t *keys = json_array();
  file_set fs = {.st = st, .prefix = "t.", .names = json_array()};
  hg_buf body = HG_BUF_INIT, entry = HG_BUF_INIT;
  size_t count = 0;
  const char *prev = "", *last = ""; /* last: last term of the previous shard */
  size_t prev_len = 0, last_len = 0;
  /* the terms and the stem keys, merged in byte order */
  hg_buf sblock = HG_BUF_INIT;
  size_t nall = nl + st->nkeys;
  for (size_t k = 0, j = 0, i = 0; i < nall; i++) {
    const char *s;
    size_t slen;
    bool stem = false;
    if (j < st->nkeys) {
      uint32_t sk = st->stem_sorted[j];
      const char *ks = dict_str(&st->stems, sk);
      size_t kl = st->stems.len[sk];
      if (k == nl || cmp_str(ks, kl, dict_str(&st->terms, st->live[k]),
                             st->terms.len[st->live[k]]) < 0) {
        stem = true;
        s = ks;
        slen = kl;
        put_stem_block(st, sk, &sblock);
        j++;
      }
    }
    uint32_t t = stem ? 0 : st->live[k];
    if (!stem) {
      s = dict_str(&st->terms, t);
      slen = st->terms.len[t];
    }
    for (;;) {
      hg_buf_clear(&entry);
      put_front_coded(&entry, prev, prev_len, s, slen);
      put_varint(&entry, stem ? 0 : st->df[t]);
      if (stem) put_bytes(&entry, sblock.data, sblock.len);
      else put_bytes(&entry, block_at(&bj, k), bj.len[k]);
      if (count == 0 || body.len + entry.len <= cut.max) break;
      file_set_close(&fs, count, &body);
      last = prev;
      last_len = prev_len;
      count = 0;
      prev = "";
      prev_len = 0;
    }
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
    hg_buf_append(&body, entry.data, entry.len);
    count++;
    prev = s;
    prev_len = slen;
    if (!stem) k++;
    if (i + 1 == nall || cut_after(&cut, body.len, s, slen, entry.len)) {
      file_set_close(&fs, count, &body);
      last = prev;
      last_len = prev_len;
      count = 0;
      prev = "";
      prev_len = 0;
    }
  }
  hg_buf_free(&sblock);
  for (int w = 0; w < st->threads; w++) hg_buf_free(&bj.arena[w]);
  free(bj.arena);
  free(bj.off);
  free(bj.len);
  free(bj.by);
  json_t *o = json_object();
  json_object_set_new(o, "keys", keys);
  json_object_set_new(o, "files", fs.names);
  json_object_set_new(st->manifest, "terms", o);
  hg_buf_free(&body);
  hg_buf_free(&entry);
  free(vs);
  free(vstart);
  return file_set_finish(&fs, err);
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
  size_t n = 0;
  vocab_item *items = hg_xmalloc(st->nlive * sizeof *items + 1);
  for (size_t k = 0; k < st->nlive; k++) {
    uint32_t t = st->live[k];
    const char *s = dict_str(&st->terms, t);
    size_t len = st->terms.len[t];
    size_t cps = utf8_cp_len(s, len);
    UChar32 c = first_cp(s, len);
    if (cps < 4 || c < 0 || !u_isalpha(c) || s[len - 1] == HG_SEARCH_BIGRAM_MARK) continue;
    items[n++] = (vocab_item){t, c, (uint32_t)cps};
  }
  tl_vocab_dict = &st->terms;
  qsort(items, n, sizeof *items, cmp_vocab);
  cutter cut = cutter_for(VOCAB_BYTES);
  json_t *keys = json_array();
  file_set fs = {.st = st, .prefix = "v.", .names = json_array()};
  hg_buf body = HG_BUF_INIT;
  size_t count = 0, prev_len = 0;
  const char *prev = "";
  for (size_t k = 0; k < n; k++) {
    uint32_t t = items[k].id;
    const char *s = dict_str(&st->terms, t);
    size_t slen = st->terms.len[t];
    if (count > 0 && body.len + slen + 12 > cut.max) {
      file_set_close(&fs, count, &body);
      count = 0;
      prev = "";
      prev_len = 0;
    }
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
    size_t at = body.len;
    put_front_coded(&body, prev, prev_len, s, slen);
    put_varint(&body, st->df[t]);
    count++;
    prev = s;
    prev_len = slen;
    if (k + 1 == n || cut_after(&cut, body.len, s, slen, body.len - at)) {
      file_set_close(&fs, count, &body);
      count = 0;
      prev = "";
      prev_len = 0;
    }
  }
  json_t *o = json_object();
  json_object_set_new(o, "keys", keys);
  json_object_set_new(o, "files", fs.names);
  json_object_set_new(st->manifest, "vocab", o);
  hg_buf_free(&body);
  free(items);
  return file_set_finish(&fs, err);
}

/* Document groups are independent: named from their documents' store
 * hashes, then (unless reused) built and compressed in parallel. */
typedef struct {
  const index_state *st;
  const hg_search_doc *docs;
  const size_t *order;
  const doc_terms *dts;
  size_t g;          /* documents per group */
  char (*names)[HASH_LEN + 1];
  hg_error **errs;   /* one slot per group */
} store_job;

static void store_one(void *ctx, size_t gi, int w) {
  store_job *j = ctx;
  size_t n = j->st->ndocs, a = gi * j->g, b = a + j->g < n ? a + j->g : n;
  uint64_t h[2 * 256];
  for (size_t d = a; d < b; d++) {
    h[2 * (d - a)] = j->dts[d].store_hash;
    h[2 * (d - a) + 1] = j->dts[d].store_len;
  }
  name_of_hash(hg_hash64(h, 2 * (b - a) * sizeof *h), j->names[gi]);
  char file[64];
  snprintf(file, sizeof file, "d%zu.%s.bin", gi, j->names[gi]);
  if (reused(j->st, file)) return;
  gz_ctx *gz = &j->st->gz[w];
  hg_buf *buf = &gz->json;
  hg_buf_clear(buf);
  hg_buf_putc(buf, '[');
  for (size_t d = a; d < b; d++) {
    if (d > a) hg_buf_putc(buf, ',');
    put_store_json(buf, &j->docs[j->order[d]]);
  }
  hg_buf_putc(buf, ']');
  put_file(j->st, file, buf->data, buf->len, gz, &j->errs[gi]);
}

/* Documents per store group: about group_bytes of JSON, on the grid
 * round(2^(k/4)) so that one edit does not change it, 1 to 256. */
static size_t group_size(size_t target, size_t total, size_t n) {
  if (!n || !total) return 1;
  double g = (double)target * (double)n / (double)total;
  if (g <= 1) return 1;
  long r = lround(exp2((double)lround(4.0 * log2(g)) / 4.0));
  return r < 1 ? 1 : r > 256 ? 256 : (size_t)r;
}

static bool write_store(index_state *st, const doc_terms *dts, const hg_search_doc *docs,
                        const size_t *order, hg_error **err) {
  size_t n = st->ndocs, total = 0;
  for (size_t d = 0; d < n; d++) total += dts[d].store_len + 1;
  size_t g = group_size(st->opts->group_bytes ? st->opts->group_bytes : DEFAULT_GROUP_BYTES,
                        total, n);
  size_t ngroups = (n + g - 1) / g;
  store_job job = {st, docs, order, dts, g, hg_xcalloc(ngroups + 1, sizeof *job.names),
                   hg_xcalloc(ngroups + 1, sizeof(hg_error *))};
  hg_parallel_for(ngroups, st->threads, store_one, &job);
  bool ok = first_error(job.errs, ngroups, err);
  json_t *names = json_array();
  for (size_t gi = 0; gi < ngroups; gi++) json_array_append_new(names, json_string(job.names[gi]));
  free(job.names);
  free(job.errs);
  json_t *o = json_object();
  json_object_set_new(o, "group", json_integer((json_int_t)g));
  json_object_set_new(o, "files", names);
  json_object_set_new(st->manifest, "store", o);
  return ok;
}

/* Appends v in decimal. */
static void put_uint(hg_buf *b, uint32_t v) {
  char tmp[10];
  size_t n = 0;
  do tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
  while (v /= 10);
  hg_buf_append(b, tmp + sizeof tmp - n, n);
}

/* The facets file's bytes, made on a side thread while the documents are
 * tokenized; `has` is false when no document has a tag (no file). */
typedef struct {
  const hg_search_doc *docs;
  const size_t *order;
  size_t ndocs;
  hg_buf json;
  bool has;
} facets_job;

/* {"tags":[[tag,[doc id gaps]],...]}, tags sorted by bytes; a tag that is
 * not UTF-8 is left out. */
static void facets_main(void *ctx) {
  facets_job *fj = ctx;
  const hg_search_doc *docs = fj->docs;
  const size_t *order = fj->order;
  size_t ndocs = fj->ndocs;
  /* every (document, tag) as a tag id, then the documents of each tag */
  size_t npairs = 0;
  for (size_t d = 0; d < ndocs; d++) npairs += docs[order[d]].ntags;
  dict tags = {0};
  uint32_t *pair = hg_xmalloc(npairs * sizeof *pair + 1), *cnt = NULL;
  size_t cap = 0, np = 0;
  for (size_t d = 0; d < ndocs; d++) {
    const hg_search_doc *doc = &docs[order[d]];
    for (size_t k = 0; k < doc->ntags; k++) {
      const char *tag = doc->tags[k];
      if (!tag || !*tag) continue;
      bool added;
      uint32_t id = dict_intern(&tags, tag, strlen(tag), &added);
      if (added && id >= cap) {
        size_t ncap = cap ? cap * 2 : 64;
        cnt = hg_xrealloc(cnt, (ncap + 1) * sizeof *cnt);
        memset(cnt + cap, 0, (ncap + 1 - cap) * sizeof *cnt);
        cap = ncap;
      }
      pair[np++] = id;
      cnt[id + 1]++;
    }
  }
  fj->has = tags.n != 0;
  if (fj->has) {
    for (size_t t = 0; t < tags.n; t++) cnt[t + 1] += cnt[t];
    uint32_t *docs_of = hg_xmalloc(np * sizeof *docs_of + 1), *fill = hg_xmalloc(tags.n * 4);
    memcpy(fill, cnt, tags.n * 4);
    np = 0;
    for (size_t d = 0; d < ndocs; d++) {
      const hg_search_doc *doc = &docs[order[d]];
      for (size_t k = 0; k < doc->ntags; k++) {
        if (!doc->tags[k] || !*doc->tags[k]) continue;
        uint32_t id = pair[np++];
        /* a tag repeated on one document counts once */
        if (fill[id] == cnt[id] || docs_of[fill[id] - 1] != d) docs_of[fill[id]++] = (uint32_t)d;
      }
    }
    uint32_t *ids = hg_xmalloc(tags.n * sizeof *ids);
    for (uint32_t i = 0; i < tags.n; i++) ids[i] = i;
    tl_sort_dict = &tags;
    qsort(ids, tags.n, sizeof *ids, cmp_term_id);
    hg_buf *b = &fj->json;
    hg_buf_puts(b, "{\"tags\":[");
    bool first = true;
    for (size_t i = 0; i < tags.n; i++) {
      uint32_t id = ids[i];
      size_t at = b->len;
      hg_buf_puts(b, first ? "[" : ",[");
      if (!hg_buf_put_json(b, dict_str(&tags, id))) {
        b->len = at;
        continue;
      }
      first = false;
      hg_buf_puts(b, ",[");
      for (uint32_t k = cnt[id], prev = 0; k < fill[id]; prev = docs_of[k++]) {
        if (k > cnt[id]) hg_buf_putc(b, ',');
        put_uint(b, docs_of[k] - prev);
      }
      hg_buf_puts(b, "]]");
    }
    hg_buf_puts(b, "]}");
    free(ids);
    free(docs_of);
    free(fill);
  }
  free(pair);
  free(cnt);
  dict_free(&tags);
}

static bool write_facets(index_state *st, const facets_job *fj, hg_error **err) {
  if (!fj->has) {
    json_object_set_new(st->manifest, "facets", json_null());
    return true;
  }
  char h[HASH_LEN + 1];
  if (!write_file_gz(st, "f.", fj->json.data, fj->json.len, h, &st->gz[0], err)) return false;
  json_object_set_new(st->manifest, "facets", json_string(h));
  return true;
}

static void on_syn_token(void *ctx, const hg_search_token *t) {
  if (t->bigram) return;
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
    /* neighbours mostly share a category, and often its string too */
    if (i > 0 && docs[i].category == docs[i - 1].category) {
      cat[i] = cat[i - 1];
      continue;
    }
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

/* BM25F's average field length on the grid 2^(k/32): a pure function of the
 * documents that one edit almost never moves. */
static double avg_on_grid(uint64_t sum, size_t n) {
  if (!n || !sum) return 0;
  return exp2((double)lround(32.0 * log2((double)sum / (double)n)) / 32.0);
}

/* A field's length on the grid 2^(k/4): a sentence more or less seldom
 * moves it, so the article's other words keep their scores (19 % steps
 * change a score far less than the 4-bit levels can show). */
static double len_on_grid(uint32_t len) {
  return len ? exp2((double)lround(4.0 * log2((double)len)) / 4.0) : 0;
}

/* ---- postings, in parallel ------------------------------------------------
 * The documents, in `nrun` runs, turn their tokenized ids into global ones
 * and count their terms; then each run fills its part of every term's
 * postings in place (in document order, with quantized scores): run c's
 * part of term t starts where the parts of runs 0..c-1 end. Runs write side
 * by side only where a term's postings pass from one run to the next, a
 * cache line per term at most; copying per-run arrays into place instead
 * cost two more passes over megabytes of fresh memory, whose page faults
 * are slow on some virtual machines. The same for variants. */
typedef struct {
  index_state *st;
  doc_terms *dts;
  uint32_t **tmap, **vmap; /* per worker: its ids -> global ids */
  size_t nrun;
  uint32_t **cnt, **vcnt;  /* per run: counts, then its next free posting */
  uint64_t (*dlsum)[NF];   /* per run */
  double avg[NF];
} post_job;

static void count_run(void *ctx, size_t c, int w) {
  (void)w;
  post_job *j = ctx;
  size_t a = j->st->ndocs * c / j->nrun, b = j->st->ndocs * (c + 1) / j->nrun;
  uint32_t *cnt = j->cnt[c], *vcnt = j->vcnt[c];
  uint64_t dl[NF] = {0};
  for (size_t d = a; d < b; d++) {
    doc_terms *dt = &j->dts[d];
    if (dt->worker >= 0) {
      const uint32_t *tm = j->tmap[dt->worker], *vm = j->vmap[dt->worker];
      for (uint32_t i = 0; i < dt->nterms; i++) dt->ids[i] = tm[dt->ids[i]];
      for (uint32_t i = 0; i < dt->nexacts; i++) dt->exacts[i] = vm[dt->exacts[i]];
      dt->worker = -1;
    }
    for (uint32_t i = 0; i < dt->nterms; i++) cnt[dt->ids[i]]++;
    for (uint32_t i = 0; i < dt->nexacts; i++) vcnt[dt->exacts[i]]++;
    for (int f = 0; f < NF; f++) dl[f] += dt->dl[f];
  }
  memcpy(j->dlsum[c], dl, sizeof dl);
}

static void fill_run(void *ctx, size_t c, int w) {
  (void)w;
  post_job *j = ctx;
  size_t a = j->st->ndocs * c / j->nrun, b = j->st->ndocs * (c + 1) / j->nrun;
  uint32_t *fill = j->cnt[c], *vfill = j->vcnt[c], *vdocs = j->st->vpost_doc;
  post *posts = j->st->posts;
  for (size_t d = a; d < b; d++) {
    const doc_terms *dt = &j->dts[d];
    double wn[NF]; /* field weight / length normalization */
    for (int f = 0; f < NF; f++) {
      double norm = 1.0 - field_b[f] +
                    field_b[f] * (j->avg[f] > 0 ? len_on_grid(dt->dl[f]) / j->avg[f] : 1.0);
      wn[f] = field_weight[f] / norm;
    }
    /* most words are in the body only, a few times: their scores are
     * worked out once per frequency (0: not yet) */
    uint8_t body_q[16] = {0};
    const uint16_t *tf = dt->tf;
    for (uint32_t i = 0; i < dt->nterms; i++) {
      unsigned m = dt->mask[i];
      uint8_t key;
      if (m == 1u << F_BODY && *tf < 16 && body_q[*tf]) {
        key = body_q[*tf++];
      } else {
        double x;
        unsigned body_tf = m == 1u << F_BODY ? *tf : 16;
        if (m == 1u << F_BODY) {
          x = *tf++ * wn[F_BODY];
        } else {
          x = 0;
          for (int f = 0; f < NF; f++)
            if (m >> f & 1) x += *tf++ * wn[f];
        }
        /* q = sat / smax * 255, sat = x (K1 + 1) / (x + K1), smax = K1 + 1 */
        long q = (long)(255.0 * x / (x + K1) + 0.999);
        key = (uint8_t)(q < 1 ? 1 : q > 255 ? 255 : q);
        if (body_tf < 16) body_q[body_tf] = key;
      }
      posts[fill[dt->ids[i]]++] =
          (post){(uint32_t)d, (uint16_t)((m & 1u << F_TITLE ? 256 : 0) | key)};
    }
    for (uint32_t i = 0; i < dt->nexacts; i++) vdocs[vfill[dt->exacts[i]]++] = (uint32_t)d;
  }
}

/* From the runs' counts of n ids: df and the offsets of the whole (n + 1);
 * each run's counts become the offsets where its part of each id's
 * postings starts. */
static void positions(uint32_t **cnt, size_t nrun, size_t n, uint32_t *df, uint32_t *off) {
  off[0] = 0;
  for (size_t t = 0; t < n; t++) {
    uint32_t at = off[t];
    for (size_t c = 0; c < nrun; c++) {
      uint32_t k = cnt[c][t];
      cnt[c][t] = at;
      at += k;
    }
    df[t] = at - off[t];
    off[t + 1] = at;
  }
}

static void index_free(index_state *st) {
  free(st->dir);
  dict_free(&st->terms);
  free(st->df);
  free(st->post_off);
  big_free(st->posts);
  dict_free(&st->variants);
  free(st->vterm);
  free(st->vdf);
  free(st->vpost_off);
  big_free(st->vpost_doc);
  free(st->live);
  dict_free(&st->stems);
  free(st->stem_sorted);
  free(st->gstart);
  free(st->gterm);
  free(st->stem_of);
  for (int w = 0; st->gz && w < st->threads; w++) gz_free(&st->gz[w]);
  free(st->gz);
  json_decref(st->manifest);
}

/* ---- token cache: into the build, and out of it ------------------------- */
/* Puts the cache's terms and exact forms into the (empty) global
 * dictionaries under their cache ids, so that a restored document's ids are
 * global ones as they stand; the cache's terms are sorted, so the first
 * c->nterms global ids are too. */
static void cache_seed(index_state *st, tok_cache *c) {
  bool ok = st->terms.n == 0 && st->variants.n == 0;
  dict_reserve(&st->terms, c->nterms, rd32(c->toff + 4 * (size_t)c->nterms));
  dict_reserve(&st->variants, c->nexacts, rd32(c->eoff + 4 * (size_t)c->nexacts));
  for (uint32_t i = 0; i < c->nterms && ok; i++) {
    uint32_t a = rd32(c->toff + 4 * (size_t)i), b = rd32(c->toff + 4 * (size_t)i + 4);
    ok = dict_intern(&st->terms, c->tarena + a, b - a, NULL) == i;
  }
  for (uint32_t i = 0; i < c->nexacts && ok; i++) {
    uint32_t a = rd32(c->eoff + 4 * (size_t)i), b = rd32(c->eoff + 4 * (size_t)i + 4);
    ok = variant_intern(st, c->earena + a, b - a, rd32(c->eterm + 4 * (size_t)i)) == i &&
         st->variants.n == (size_t)i + 1;
  }
  c->usable = ok;
}

/* Record sizes of the new cache, then the records, in parallel. */
typedef struct {
  const index_state *st;
  const doc_terms *dts;
  const uint32_t *trank, *vrank; /* global id -> cache id */
  uint64_t *recoff;              /* ndocs + 1 */
  char *recs;
} save_job;

static void size_one(void *ctx, size_t d, int w) {
  (void)w;
  save_job *j = ctx;
  const doc_terms *dt = &j->dts[d];
  j->recoff[d + 1] = record_size(dt->nterms, dt->nexacts, dt->ntf);
}

static char *put32(char *p, uint32_t v) {
  memcpy(p, &v, 4);
  return p + 4;
}

static char *put64(char *p, uint64_t v) {
  memcpy(p, &v, 8);
  return p + 8;
}

static void record_one(void *ctx, size_t d, int w) {
  (void)w;
  save_job *j = ctx;
  const doc_terms *dt = &j->dts[d];
  char *p = j->recs + j->recoff[d], *end = j->recs + j->recoff[d + 1];
  p = put32(p, dt->nterms);
  p = put32(p, dt->nexacts);
  p = put32(p, dt->ntf);
  p = put32(p, (uint32_t)dt->store_len);
  p = put64(p, dt->store_hash);
  for (int f = 0; f < NF; f++) p = put32(p, dt->dl[f]);
  for (uint32_t i = 0; i < dt->nterms; i++) p = put32(p, j->trank[dt->ids[i]]);
  for (uint32_t i = 0; i < dt->nexacts; i++) p = put32(p, j->vrank[dt->exacts[i]]);
  memcpy(p, dt->tf, 2 * (size_t)dt->ntf);
  p += 2 * (size_t)dt->ntf;
  memcpy(p, dt->mask, dt->nterms);
  p += dt->nterms;
  memset(p, 0, (size_t)(end - p));
}

typedef struct {
  const index_state *st;
  const uint32_t *trank;
} save_ctx;
static __thread save_ctx tl_save_ctx;

static int cmp_saved_variant(const void *pa, const void *pb) {
  uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
  const index_state *st = tl_save_ctx.st;
  uint32_t ta = tl_save_ctx.trank[st->vterm[a]], tb = tl_save_ctx.trank[st->vterm[b]];
  if (ta != tb) return ta < tb ? -1 : 1;
  const dict *d = &st->variants;
  return cmp_str(dict_str(d, a), d->len[a], dict_str(d, b), d->len[b]);
}

static bool write_all(int fd, const char *data, size_t len) {
  while (len) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    len -= (size_t)w;
  }
  return true;
}

/* Puts data at path (a file, or nothing yet) in two steps, so that the
 * writing may happen beside other work and the file change only once the
 * build has succeeded: write_spare writes path.old, swap_in makes it path.
 * The file path held before waits beside it as path.old for the next
 * time: it is overwritten in place (its pages are likely still in memory,
 * where a new file's would have to be found and zeroed) and trades places
 * with path (renameat2 RENAME_EXCHANGE). Where there is no path yet or the
 * exchange is not supported, path.old is renamed over it. A reader that
 * reads path while this runs gets either file whole; two builds writing at
 * once may leave a file whose checksum fails, which only means no cache. */
static bool write_spare(const char *path, const char *data, size_t len) {
  struct stat sb;
  if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) return false;
  char *spare = hg_strdup_printf("%s.old", path);
  int fd = open(spare, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0 && errno == ENOENT) {
    char *dir = hg_path_dirname(path);
    if (hg_mkdir_p(dir, NULL)) fd = open(spare, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    free(dir);
  }
  bool ok = fd >= 0 && write_all(fd, data, len) && ftruncate(fd, (off_t)len) == 0;
  if (fd >= 0 && close(fd) != 0) ok = false;
  if (!ok) unlink(spare);
  free(spare);
  return ok;
}

static void swap_in(const char *path) {
  char *spare = hg_strdup_printf("%s.old", path);
  if (renameat2(AT_FDCWD, spare, AT_FDCWD, path, RENAME_EXCHANGE) != 0 &&
      rename(spare, path) != 0)
    unlink(spare);
  free(spare);
}

/* The token cache of this build (its documents only; the terms and exact
 * forms they use), made and written as path.old on a side thread while the
 * index files are written, unless it is the file that was read; cache_save
 * puts it in place once they all are. A failure only costs the next build
 * its cache, so it is not reported. */
typedef struct {
  const char *path, *key;
  const index_state *st;
  const doc_terms *dts;
  const tok_cache *old; /* the cache that was read */
  bool written;         /* path.old holds it (write_spare) */
} save_task;

static void cache_build(void *ctx) {
  save_task *task = ctx;
  const char *key = task->key;
  const index_state *st = task->st;
  const doc_terms *dts = task->dts;
  size_t nt = st->terms.n, nv = st->variants.n, n = st->ndocs;
  uint32_t *trank = hg_xmalloc(4 * nt + 1), *vrank = hg_xmalloc(4 * nv + 1);
  memset(trank, 0xff, 4 * nt);
  uint64_t tlen = 0, elen = 0;
  for (size_t k = 0; k < st->nlive; k++) {
    trank[st->live[k]] = (uint32_t)k;
    tlen += st->terms.len[st->live[k]];
  }
  /* the exact forms in use, by (term, bytes): the file depends on the
   * documents only, whichever build wrote it */
  uint32_t ne = 0, *vlist = hg_xmalloc(4 * nv + 1);
  bool ok = true;
  for (uint32_t v = 0; v < nv; v++) {
    vrank[v] = UINT32_MAX;
    if (!st->vdf[v]) continue;
    vlist[ne++] = v;
    elen += st->variants.len[v];
    ok = ok && trank[st->vterm[v]] != UINT32_MAX;
  }
  tl_save_ctx = (save_ctx){st, trank};
  qsort(vlist, ne, sizeof *vlist, cmp_saved_variant);
  for (uint32_t k = 0; k < ne; k++) vrank[vlist[k]] = k;
  for (size_t d = 0; d < n && ok; d++) ok = dts[d].store_len < UINT32_MAX;
  if (!ok || tlen >= UINT32_MAX || elen >= UINT32_MAX) goto out;

  /* one thread: the other core writes the index files meanwhile */
  save_job j = {st, dts, trank, vrank, hg_xcalloc(n + 2, sizeof *j.recoff), NULL};
  parallel_batches(n, 256, 1, size_one, &j);
  for (size_t d = 0; d < n; d++) j.recoff[d + 1] += j.recoff[d];
  size_t kl = strlen(key);
  uint64_t head = 8 + 4 + 4 + PAD4(kl) + 8 + 8;
  uint64_t payload = 6 * 4 + 4 * ((uint64_t)st->nlive + 1) + PAD4(tlen) +
                     4 * ((uint64_t)ne + 1) + PAD4(elen) + 4 * (uint64_t)ne + 8 * (uint64_t)n +
                     8 * ((uint64_t)n + 1) + j.recoff[n];
  char *buf = big_calloc(head + payload), *p = buf;
  memcpy(p, CACHE_MAGIC, 8);
  p = put32(p + 8, CACHE_VERSION);
  p = put32(p, (uint32_t)kl);
  memcpy(p, key, kl);
  p = put64(p + PAD4(kl), payload);
  char *sum_at = p, *start = p + 8;
  p = put32(start, (uint32_t)st->nlive);
  p = put32(p, (uint32_t)tlen);
  p = put32(p, ne);
  p = put32(p, (uint32_t)elen);
  p = put32(p, (uint32_t)n);
  p = put32(p, 0);
  uint32_t off = 0;
  for (size_t k = 0; k <= st->nlive; k++) {
    p = put32(p, off);
    if (k < st->nlive) off += st->terms.len[st->live[k]];
  }
  for (size_t k = 0; k < st->nlive; k++) {
    uint32_t t = st->live[k];
    memcpy(p, dict_str(&st->terms, t), st->terms.len[t]);
    p += st->terms.len[t];
  }
  p += PAD4(tlen) - tlen;
  off = 0;
  p = put32(p, 0);
  for (uint32_t k = 0; k < ne; k++) p = put32(p, off += st->variants.len[vlist[k]]);
  for (uint32_t k = 0; k < ne; k++) {
    memcpy(p, dict_str(&st->variants, vlist[k]), st->variants.len[vlist[k]]);
    p += st->variants.len[vlist[k]];
  }
  p += PAD4(elen) - elen;
  for (uint32_t k = 0; k < ne; k++) p = put32(p, trank[st->vterm[vlist[k]]]);
  for (size_t d = 0; d < n; d++) p = put64(p, dts[d].digest);
  for (size_t d = 0; d <= n; d++) p = put64(p, j.recoff[d]);
  j.recs = p;
  parallel_batches(n, 64, 1, record_one, &j);
  put64(sum_at, hg_hash64(start, payload));
  size_t total = (size_t)(head + payload);
  const tok_cache *prev = task->old;
  if (!prev->data || prev->len != total || memcmp(prev->data, buf, total) != 0)
    task->written = write_spare(task->path, buf, total);
  big_free(buf);
  free(j.recoff);
out:
  free(trank);
  free(vrank);
  free(vlist);
}

/* Puts the cache cache_build wrote in place (the build succeeded). */
static void cache_save(const save_task *task) {
  if (task->written) swap_in(task->path);
}

/* The terms with df > 0 sorted by bytes into st->live: the first `nsorted`
 * ids are in order already (from the cache), the others are sorted and
 * merged in. */
static void sort_live(index_state *st, size_t nsorted) {
  size_t nt = st->terms.n, na = 0, nb = 0;
  uint32_t *a = hg_xmalloc(4 * nt + 1), *b = hg_xmalloc(4 * nt + 1);
  for (uint32_t t = 0; t < nt; t++) {
    if (!st->df[t]) continue;
    if (t < nsorted) a[na++] = t;
    else b[nb++] = t;
  }
  tl_sort_dict = &st->terms;
  qsort(b, nb, sizeof *b, cmp_term_id);
  st->live = hg_xmalloc(4 * (na + nb) + 1);
  size_t i = 0, k = 0, o = 0;
  while (i < na || k < nb)
    st->live[o++] = k == nb || (i < na && cmp_term_id(&a[i], &b[k]) < 0) ? a[i++] : b[k++];
  st->nlive = o;
  free(a);
  free(b);
}

/* Writes data, compressed, as search/<lang>/<name> (a fixed name). */
static bool write_named(index_state *st, const char *name, const char *data, size_t len,
                        hg_error **err) {
  return put_file(st, name, data, len, &st->gz[0], err);
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
  st.threads = opts->threads > 0 ? opts->threads : hg_default_threads();
  st.gz = hg_xcalloc((size_t)st.threads, sizeof *st.gz);
  char *result = NULL, *key = NULL;
  tok_cache cache = {0};
  /* side jobs: the token cache read and checked, and the documents'
   * digests, while the tokenizer that the cache's key needs is made; the
   * facets while the documents are tokenized; the next token cache while
   * the index files are written */
  side_job load_side = {0}, digest_side = {0}, facets_side = {0}, save_side = {0};
  load_task lt = {&cache, opts->cache_path};
  digest_task dg = {docs, n, NULL, 0};
  if (opts->cache_path) {
    dg.out = hg_xmalloc(n * sizeof *dg.out + 1);
    side_start(&load_side, load_main, &lt);
    side_start(&digest_side, digest_main, &dg);
  }
  st.dir = hg_strdup_printf("%s/search/%s", opts->out_root, opts->lang);
  st.manifest = json_object();
  json_object_set_new(st.manifest, "v", json_integer(FORMAT_VERSION));
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
  facets_job fj = {.docs = docs, .order = order, .ndocs = n, .json = HG_BUF_INIT};
  side_start(&facets_side, facets_main, &fj);

  /* 1. tokenize every document not in the token cache (in parallel; a
   * worker makes its tokenizer when it first needs one) */
  int nthreads = n < 64 ? 1 : st.threads;
  worker *workers = hg_xcalloc((size_t)nthreads, sizeof *workers);
  doc_terms *dts = big_calloc((n + 1) * sizeof *dts);
  workers[0].tk = hg_search_tokenizer_new(opts->lang, err);
  bool ok = workers[0].tk != NULL;
  size_t nsorted = 0;
  if (ok) {
    json_object_set_new(st.manifest, "synonyms", synonyms_json(opts, workers[0].tk));
    if (opts->cache_path) {
      key = cache_key(opts->lang, workers[0].tk);
      digest_main(&dg);
      side_join(&load_side);
      cache_load_finish(&cache, key);
      if (cache.data) {
        cache_seed(&st, &cache);
        nsorted = cache.usable ? cache.nterms : 0;
      }
    }
    side_join(&digest_side);
    tok_job job = {.docs = docs, .order = order, .out = dts, .workers = workers,
                   .lang = opts->lang, .digests = dg.out, .cache = &cache};
    parallel_batches(n, 16, nthreads, tok_doc, &job);
    for (int w = 0; w < nthreads && ok; w++) {
      if (!workers[w].err) continue;
      if (err) *err = workers[w].err;
      else hg_error_free(workers[w].err);
      workers[w].err = NULL;
      ok = false;
    }
  }
  if (!ok) {
    for (int w = 0; w < nthreads; w++) worker_free(&workers[w]);
    free(workers);
    goto done;
  }

  /* 2. global ids of each worker's words */
  uint32_t **tmap = hg_xcalloc((size_t)nthreads, sizeof *tmap);
  uint32_t **vmap = hg_xcalloc((size_t)nthreads, sizeof *vmap);
  for (int w = 0; w < nthreads; w++) {
    worker *wk = &workers[w];
    tmap[w] = hg_xmalloc(wk->terms.n * sizeof **tmap + 1);
    for (uint32_t i = 0; i < wk->terms.n; i++)
      tmap[w][i] = dict_intern(&st.terms, dict_str(&wk->terms, i), wk->terms.len[i], NULL);
    vmap[w] = hg_xmalloc(wk->exacts.n * sizeof **vmap + 1);
    for (uint32_t i = 0; i < wk->exacts.n; i++)
      vmap[w][i] = variant_intern(&st, dict_str(&wk->exacts, i), wk->exacts.len[i],
                                  tmap[w][wk->exact_term[i]]);
    worker_free(wk);
  }
  free(workers);

  /* 3. postings in document order, with quantized scores */
  size_t nt = st.terms.n, nv = st.variants.n, nrun = (size_t)nthreads;
  post_job pj = {.st = &st, .dts = dts, .tmap = tmap, .vmap = vmap, .nrun = nrun,
                 .cnt = hg_xcalloc(nrun, sizeof *pj.cnt),
                 .vcnt = hg_xcalloc(nrun, sizeof *pj.vcnt),
                 .dlsum = hg_xcalloc(nrun, sizeof *pj.dlsum)};
  for (size_t c = 0; c < nrun; c++) {
    pj.cnt[c] = big_calloc((nt + 1) * sizeof **pj.cnt);
    pj.vcnt[c] = big_calloc((nv + 1) * sizeof **pj.vcnt);
  }
  hg_parallel_for(nrun, (int)nrun, count_run, &pj);
  st.df = hg_xmalloc((nt + 1) * sizeof *st.df);
  st.post_off = hg_xmalloc((nt + 2) * sizeof *st.post_off);
  positions(pj.cnt, nrun, nt, st.df, st.post_off);
  st.vdf = hg_xmalloc((nv + 1) * sizeof *st.vdf);
  st.vpost_off = hg_xmalloc((nv + 2) * sizeof *st.vpost_off);
  positions(pj.vcnt, nrun, nv, st.vdf, st.vpost_off);
  for (int f = 0; f < NF; f++) {
    uint64_t sum = 0;
    for (size_t c = 0; c < nrun; c++) sum += pj.dlsum[c][f];
    pj.avg[f] = avg_on_grid(sum, n);
  }
  st.posts = big_calloc((size_t)st.post_off[nt] * sizeof *st.posts);
  st.vpost_doc = big_calloc((size_t)st.vpost_off[nv] * sizeof *st.vpost_doc);
  hg_parallel_for(nrun, (int)nrun, fill_run, &pj);
  for (size_t c = 0; c < nrun; c++) {
    big_free(pj.cnt[c]);
    big_free(pj.vcnt[c]);
  }
  free(pj.cnt);
  free(pj.vcnt);
  free(pj.dlsum);
  for (int w = 0; w < nthreads; w++) {
    free(tmap[w]);
    free(vmap[w]);
  }
  free(tmap);
  free(vmap);

  /* 4. files; then the token cache for the next build */
  sort_live(&st, nsorted);
  make_stems(&st);
  json_object_set_new(st.manifest, "stemmer", st.stemmer[0] ? json_string(st.stemmer) : json_null());
  save_task task = {.path = opts->cache_path, .key = key, .st = &st, .dts = dts, .old = &cache};
  if (opts->cache_path) side_start(&save_side, cache_build, &task);
  ok = (opts->write || hg_mkdir_p(st.dir, err)) && write_shards(&st, err) &&
       write_vocab(&st, err) && write_store(&st, dts, docs, order, err);
  side_join(&facets_side);
  ok = ok && write_facets(&st, &fj, err);
  if (ok) {
    char *m = json_dumps(st.manifest, JSON_COMPACT);
    ok = m && write_named(&st, "manifest.bin", m, strlen(m), err);
    free(m);
    if (ok) result = hg_strdup_printf("search/%s/manifest.bin", opts->lang);
  }
  side_join(&save_side);
  if (ok) cache_save(&task);
done:
  side_join(&load_side);
  side_join(&digest_side);
  free(dg.out);
  side_join(&facets_side);
  hg_buf_free(&fj.json);
  for (size_t d = 0; d < n; d++) doc_terms_free(&dts[d]);
  big_free(dts);
  free(order);
  free(key);
  cache_free(&cache);
  index_free(&st);
  return result;
}
