/* test_search.c - the search tokenizer and the index writer, read back by a
 * small reader of the format described at the top of src/search.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "hg_search.h"

/* ---- tokenizer ----------------------------------------------------------- */
typedef struct {
  char *terms[256];
  char *exacts[256];
  size_t n;
} toks;

static void collect(void *ctx, const hg_search_token *t) {
  toks *c = ctx;
  if (c->n == 256) return;
  c->terms[c->n] = hg_xstrndup(t->term, t->term_len);
  c->exacts[c->n] = t->exact ? hg_xstrndup(t->exact, t->exact_len) : NULL;
  c->n++;
}

static void toks_free(toks *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->terms[i]);
    free(c->exacts[i]);
  }
  c->n = 0;
}

static void tokenize(const char *lang, const char *text, toks *out) {
  hg_error *err = NULL;
  hg_search_tokenizer *tk = hg_search_tokenizer_new(lang, &err);
  assert_non_null(tk);
  memset(out, 0, sizeof *out);
  hg_search_tokenize(tk, text, strlen(text), collect, out);
  hg_search_tokenizer_free(tk);
}

static bool has(const toks *c, const char *term) {
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->terms[i], term) == 0) return true;
  return false;
}

static void test_thai_sentence(void **state) {
  (void)state;
  toks t;
  /* "How can I track my order?" - no spaces between words */
  tokenize("th", "ฉันจะติดตามคำสั่งซื้อของฉันได้อย่างไร", &t);
  assert_true(t.n >= 6);
  assert_true(has(&t, "ฉัน"));
  assert_true(has(&t, "ติดตาม"));
  assert_true(has(&t, "ได้"));
  toks_free(&t);
}

static void test_thai_tone_marks_kept(void **state) {
  (void)state;
  toks t;
  tokenize("th", "ไม่ ไม้", &t); /* "not", "wood": differ only in the tone mark */
  assert_int_equal(t.n, 2);
  assert_string_equal(t.terms[0], "ไม่");
  assert_string_equal(t.terms[1], "ไม้");
  assert_null(t.exacts[0]);
  toks_free(&t);
}

static void test_fold(void **state) {
  (void)state;
  hg_search_tokenizer *tk = hg_search_tokenizer_new("cs", NULL);
  static const char *cases[][3] = {
      {"účet", "ucet", "účet"},     {"ÚČET", "ucet", "účet"},
      {"Øresund", "oresund", "øresund"}, {"Straße", "strasse", "straße"},
      {"Łódź", "lodz", "łódź"},     {"Đặt", "dat", "đặt"},
      {"ﬁle", "file", "ﬁle"},       {"Æble", "aeble", "æble"},
      {"Track", "track", NULL},     {"ไม่", "ไม่", NULL},
      {"ｶﾞ", "ガ", "ｶﾞ"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *exact = NULL;
    char *f = hg_search_fold(tk, cases[i][0], strlen(cases[i][0]), &exact);
    assert_string_equal(f, cases[i][1]);
    if (cases[i][2])
      assert_string_equal(exact, cases[i][2]);
    else
      assert_null(exact);
    free(f);
    free(exact);
  }
  hg_search_tokenizer_free(tk);
}

static void test_cjk_segmented(void **state) {
  (void)state;
  toks t;
  tokenize("ja", "注文の追跡方法を教えてください", &t);
  assert_true(has(&t, "注文"));
  assert_true(has(&t, "追跡"));
  assert_true(t.n >= 5);
  toks_free(&t);
  tokenize("zh", "如何跟踪我的订单", &t);
  assert_true(has(&t, "订单"));
  assert_true(t.n >= 3);
  toks_free(&t);
}

static void test_words_and_punctuation(void **state) {
  (void)state;
  toks t;
  tokenize("en", "Don't e-mail support@example.com (v2.1) -- 👍 ...", &t);
  const char *want[] = {"don't", "e", "mail", "support", "example", "com", "v2.1"};
  assert_int_equal(t.n, 7);
  for (size_t i = 0; i < 7; i++) assert_string_equal(t.terms[i], want[i]);
  toks_free(&t);
}

/* The ASCII fast path gives what ICU gives: random texts built from pieces
 * that exercise every rule it stands in for (apostrophes, '.', '_', digits,
 * white space next to marks, non-ASCII neighbours), both ways. */
typedef struct {
  hg_buf b;
} tokstr;

static void collect_str(void *ctx, const hg_search_token *t) {
  tokstr *c = ctx;
  hg_buf_printf(&c->b, "%s|%s|%zu|%zu\n", t->term, t->exact ? t->exact : "", t->start, t->end);
}

static void test_ascii_fast_path_matches_icu(void **state) {
  (void)state;
  static const char *const pieces[] = {
      "a", "Z", "q", "x", "1", "9", "0", "_", "'", "''", ".", ",", ";", ":", "-", "@",
      "/", "\"", "(", "!", "?", "#", "$", "%", "&", "+", " ", "  ", "\t", "\n", "\r\n",
      "\f", "\v", "é", "\xcc\x81" /* combining acute */, "’", "ß", "١", "ก", "注",
      "\xe2\x80\x8d" /* ZWJ */, "\xc2\xa0" /* NBSP */, "\xef\xbc\x8e", "Don't", "v2.1",
      "1.5", "3,000", "e-mail", "a.b", "_x_", "x'1", "1'x", "it's", "rock'n'roll", "\xff"};
  const size_t np = sizeof pieces / sizeof pieces[0];
  const char *langs[] = {"en", "th", "ja"};
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  for (size_t l = 0; l < 3; l++) {
    hg_search_tokenizer *fast = hg_search_tokenizer_new(langs[l], NULL);
    hg_search_tokenizer *icu = hg_search_tokenizer_new(langs[l], NULL);
    assert_non_null(fast);
    assert_non_null(icu);
    hg_search_tokenizer_set_icu_only(icu, true);
    for (int round = 0; round < 4000; round++) {
      hg_buf text = HG_BUF_INIT;
      seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
      size_t n = 1 + seed % 12;
      for (size_t k = 0; k < n; k++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        hg_buf_puts(&text, pieces[seed % np]);
      }
      tokstr a = {HG_BUF_INIT}, b = {HG_BUF_INIT};
      hg_search_tokenize(fast, text.data, text.len, collect_str, &a);
      hg_search_tokenize(icu, text.data, text.len, collect_str, &b);
      if (strcmp(hg_buf_cstr(&a.b), hg_buf_cstr(&b.b)) != 0)
        fail_msg("[%s] \"%s\": fast path\n%s\nICU\n%s", langs[l], text.data, hg_buf_cstr(&a.b),
                 hg_buf_cstr(&b.b));
      hg_buf_free(&a.b);
      hg_buf_free(&b.b);
      hg_buf_free(&text);
    }
    hg_search_tokenizer_free(fast);
    hg_search_tokenizer_free(icu);
  }
}

/* ---- index reader -------------------------------------------------------- */
static char *gunzip_file(const char *path, size_t *len) {
  gzFile f = gzopen(path, "rb");
  assert_non_null(f);
  hg_buf b = HG_BUF_INIT;
  char tmp[8192];
  int n;
  while ((n = gzread(f, tmp, sizeof tmp)) > 0) hg_buf_append(&b, tmp, (size_t)n);
  gzclose(f);
  *len = b.len;
  return hg_buf_steal(&b);
}

static json_t *read_json(const char *dir, const char *name) {
  char *path = hg_path_join(dir, name);
  size_t len;
  char *s = gunzip_file(path, &len);
  json_error_t je;
  json_t *j = json_loadb(s, len, 0, &je);
  assert_non_null(j);
  free(s);
  free(path);
  return j;
}

static uint64_t varint(const unsigned char **p) {
  uint64_t v = 0;
  int shift = 0;
  unsigned char c;
  do {
    c = *(*p)++;
    v |= (uint64_t)(c & 0x7f) << shift;
    shift += 7;
  } while (c & 0x80);
  return v;
}

typedef struct {
  char term[HG_SEARCH_MAX_TERM + 1];
  uint32_t df, npost;
  uint32_t nset; /* documents in the set of a truncated term */
  uint8_t tail;
  uint32_t docs[64];
  uint8_t q[64];
  uint32_t nvar;
  char var0[HG_SEARCH_MAX_TERM + 1];
  uint32_t var0_docs[64], var0_n;
} entry;

typedef struct {
  char *dir;
  json_t *manifest;
  size_t nshards, raw_max, ndocs;
  unsigned qbits;
} index_view;

static void open_index(index_view *v, const char *root, const char *rel) {
  char *path = hg_path_join(root, rel);
  v->dir = hg_path_dirname(path);
  v->manifest = read_json(v->dir, hg_path_basename(path));
  free(path);
  v->nshards = json_array_size(json_object_get(
      json_object_get(v->manifest, "terms"), "files"));
  v->raw_max = 0;
  v->ndocs = (size_t)json_integer_value(json_object_get(v->manifest, "docs"));
  v->qbits = (unsigned)json_integer_value(json_object_get(v->manifest, "qbits"));
  assert_true(v->qbits >= 1 && v->qbits <= 8);
}

static void close_index(index_view *v) {
  free(v->dir);
  json_decref(v->manifest);
}

/* Calls fn for every term entry of every shard, checking order and keys. */
static size_t walk_terms(index_view *v, void (*fn)(void *, const entry *),
                         void *ctx) {
  json_t *terms = json_object_get(v->manifest, "terms");
  json_t *keys = json_object_get(terms, "keys"), *files = json_object_get(terms, "files");
  char prev_all[HG_SEARCH_MAX_TERM + 1] = "";
  size_t total = 0;
  for (size_t i = 0; i < json_array_size(files); i++) {
    char *name = hg_strdup_printf("t.%s.bin", json_string_value(json_array_get(files, i)));
    char *path = hg_path_join(v->dir, name);
    size_t len;
    char *data = gunzip_file(path, &len);
    if (len > v->raw_max) v->raw_max = len;
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    uint64_t n = varint(&p);
    assert_true(n > 0);
    const char *key = json_string_value(json_array_get(keys, i));
    const char *next = i + 1 < json_array_size(keys)
                           ? json_string_value(json_array_get(keys, i + 1))
                           : NULL;
    char prev[HG_SEARCH_MAX_TERM + 1] = "";
    for (uint64_t k = 0; k < n; k++) {
      entry e;
      memset(&e, 0, sizeof e);
      size_t shared = varint(&p), sl = varint(&p);
      assert_true(shared + sl <= HG_SEARCH_MAX_TERM);
      memcpy(e.term, prev, shared);
      memcpy(e.term + shared, p, sl);
      e.term[shared + sl] = '\0';
      p += sl;
      /* sorted, and inside [key, next) */
      assert_true(strcmp(prev_all, e.term) < 0 || (total == 0 && k == 0));
      assert_true(strcmp(key, e.term) <= 0);
      if (next) assert_true(strcmp(e.term, next) < 0);
      e.df = (uint32_t)varint(&p);
      size_t blen = varint(&p);
      const unsigned char *bend = p + blen;
      e.npost = (uint32_t)varint(&p);
      if (e.npost < e.df) { /* scores of the best only; the set of all */
        e.tail = *p++;
        unsigned char kind = *p++;
        if (kind == 1) {
          for (size_t d = 0; d < v->ndocs; d++) e.nset += (p[d / 8] >> (d % 8)) & 1;
          p += (v->ndocs + 7) / 8;
        } else {
          assert_int_equal(kind, 0);
          for (uint32_t j = 0; j < e.df; j++) varint(&p);
          e.nset = e.df;
        }
        assert_int_equal(e.nset, e.df);
      }
      uint32_t d = 0;
      for (uint32_t j = 0; j < e.npost; j++) {
        uint64_t x = varint(&p);
        uint32_t gap = (uint32_t)(x >> (v->qbits + 1));
        assert_true(j == 0 || gap > 0);
        d += gap;
        uint8_t q = (uint8_t)(x & ((2u << v->qbits) - 1)); /* title bit, level */
        if (j < 64) {
          e.docs[j] = d;
          e.q[j] = q;
        }
      }
      e.nvar = (uint32_t)varint(&p);
      for (uint32_t j = 0; j < e.nvar; j++) {
        size_t fl = varint(&p);
        if (j == 0) memcpy(e.var0, p, fl);
        p += fl;
        uint32_t c = (uint32_t)varint(&p), vd = 0;
        for (uint32_t x = 0; x < c; x++) {
          vd += (uint32_t)varint(&p);
          if (j == 0 && x < 64) e.var0_docs[e.var0_n++] = vd;
        }
      }
      assert_ptr_equal(p, bend);
      strcpy(prev, e.term);
      strcpy(prev_all, e.term);
      fn(ctx, &e);
      total++;
    }
    assert_ptr_equal(p, end);
    free(data);
    free(path);
    free(name);
  }
  return total;
}

/* ---- index round trip ---------------------------------------------------- */
static char *tmpdir(void) {
  char tmpl[] = "/tmp/hg-search-test-XXXXXX";
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  return hg_xstrdup(d);
}

static const char *tags_a[] = {"billing", "refund"};
static const char *tags_b[] = {"billing"};

static const hg_search_doc small_docs[] = {
    {.url = "a/index.html", .title = "Refund an order", .category = "Orders",
     .breadcrumb = "Orders › Refunds", .body = "Refunds take three days.",
     .tags = tags_a, .ntags = 2},
    {.url = "b/index.html", .title = "Zrušení účtu", .category = "Account",
     .body = "Účet zrušíte v nastavení. Ucet bez diakritiky.", .promoted = true},
    {.url = "c/index.html", .title = "Invoices", .category = "Orders",
     .description = "Download a PDF invoice", .body = "Every order has an invoice.",
     .tags = tags_b, .ntags = 1},
};

typedef struct {
  const char *want;
  entry got;
  bool found;
} find_ctx;

static void find_term(void *ctx, const entry *e) {
  find_ctx *f = ctx;
  if (strcmp(e->term, f->want) == 0) {
    f->got = *e;
    f->found = true;
  }
}

static entry lookup(index_view *v, const char *term) {
  find_ctx f = {.want = term};
  walk_terms(v, find_term, &f);
  assert_true(f.found);
  return f.got;
}

static void test_round_trip(void **state) {
  (void)state;
  char *root = tmpdir();
  const char *syn_g[] = {"invoice", "receipt", NULL};
  const char *const *syn[] = {syn_g};
  hg_search_opts opts = {.lang = "cs", .out_root = root,
                         .synonyms = syn, .nsynonyms = 1};
  hg_error *err = NULL;
  char *rel = hg_search_build(small_docs, 3, &opts, &err);
  assert_non_null(rel);
  assert_true(hg_str_has_prefix(rel, "search/cs/manifest."));
  index_view v;
  open_index(&v, root, rel);
  json_t *m = v.manifest;
  assert_int_equal(json_integer_value(json_object_get(m, "docs")), 3);
  /* documents in category order: Orders (a, c), then Account (b) */
  json_t *cats = json_object_get(m, "categories");
  assert_int_equal(json_array_size(cats), 2);
  assert_string_equal(json_string_value(json_array_get(json_array_get(cats, 0), 0)), "Orders");
  assert_int_equal(json_integer_value(json_array_get(json_array_get(cats, 1), 1)), 2);
  assert_int_equal(json_integer_value(json_array_get(json_object_get(m, "promoted"), 0)), 2);
  json_t *sg = json_array_get(json_object_get(m, "synonyms"), 0);
  assert_string_equal(json_string_value(json_array_get(json_array_get(sg, 1), 0)), "receipt");

  entry e = lookup(&v, "order");
  assert_int_equal(e.df, 2);
  assert_int_equal(e.npost, 2);
  assert_int_equal(e.docs[0], 0);
  assert_int_equal(e.docs[1], 1); /* c is doc 1 after reordering */
  assert_true(e.q[0] > e.q[1]);   /* title match beats body match */
  e = lookup(&v, "ucet");         /* folded; the spelled form is a variant */
  assert_int_equal(e.df, 1);
  assert_int_equal(e.docs[0], 2);
  assert_int_equal(e.nvar, 1);
  assert_string_equal(e.var0, "účet");
  assert_int_equal(e.var0_docs[0], 2);

  /* document store: group files hold [url, title, breadcrumb, desc, text] */
  json_t *store = json_object_get(m, "store");
  char *g0 = hg_strdup_printf("d0.%s.bin", json_string_value(json_object_get(store, "hash")));
  json_t *rows = read_json(v.dir, g0);
  json_t *r1 = json_array_get(rows, 1);
  assert_string_equal(json_string_value(json_array_get(r1, 0)), "c/index.html");
  assert_string_equal(json_string_value(json_array_get(r1, 3)), "Download a PDF invoice");
  json_decref(rows);
  free(g0);

  /* facets: tag -> doc id gaps */
  char *fname = hg_strdup_printf("f.%s.bin", json_string_value(json_object_get(m, "facets")));
  json_t *f = read_json(v.dir, fname);
  json_t *billing = json_array_get(json_object_get(f, "tags"), 0);
  assert_string_equal(json_string_value(json_array_get(billing, 0)), "billing");
  assert_int_equal(json_array_size(json_array_get(billing, 1)), 2);
  json_decref(f);
  free(fname);

  close_index(&v);
  free(rel);
  hg_rm_rf(root);
  free(root);
}

/* Many documents and tiny shards: every term lands in exactly one shard,
 * inside its key range, and postings survive the trip. */
typedef struct {
  size_t terms;
  size_t postings;
  bool saw_word7;
} count_ctx;

static void count_terms(void *ctx, const entry *e) {
  count_ctx *c = ctx;
  c->terms++;
  c->postings += e->npost;
  assert_int_equal(e->df, e->npost);
  if (strcmp(e->term, "word7") == 0) {
    c->saw_word7 = true;
    /* word7 is in documents 7, 107, 207, ... */
    assert_int_equal(e->docs[0], 7);
    assert_int_equal(e->docs[1], 107);
  }
}

static void test_shard_boundaries(void **state) {
  (void)state;
  enum { N = 1000 };
  hg_search_doc *docs = hg_xcalloc(N, sizeof *docs);
  char **bodies = hg_xcalloc(N, sizeof *bodies);
  char **urls = hg_xcalloc(N, sizeof *urls);
  for (size_t i = 0; i < N; i++) {
    bodies[i] = hg_strdup_printf("word%zu common term%zu shared%zu", i % 100, i, i % 7);
    urls[i] = hg_strdup_printf("doc%zu/index.html", i);
    docs[i] = (hg_search_doc){.url = urls[i], .title = "Title", .body = bodies[i]};
  }
  char *root = tmpdir();
  hg_search_opts opts = {.lang = "en", .out_root = root, .shard_bytes = 2048,
                         .threads = 2};
  hg_error *err = NULL;
  char *rel = hg_search_build(docs, N, &opts, &err);
  assert_non_null(rel);
  index_view v;
  open_index(&v, root, rel);
  assert_true(v.nshards > 5);
  count_ctx c = {0};
  walk_terms(&v, count_terms, &c);
  /* word0-99, common, term0-999, shared0-6, title */
  assert_int_equal(c.terms, 100 + 1 + N + 7 + 1);
  assert_int_equal(c.postings, (size_t)N * 5);
  assert_true(c.saw_word7);
  /* a shard closes once it passes the limit: one entry (the "common" and
   * "title" postings, ~2 kB each) past 2048 bytes at most */
  assert_true(v.raw_max < 2048 + 2 * N * 3);
  /* the document store is split into groups */
  json_t *store = json_object_get(v.manifest, "store");
  assert_true(json_integer_value(json_object_get(store, "count")) > 1);
  close_index(&v);
  free(rel);
  hg_rm_rf(root);
  free(root);
  for (size_t i = 0; i < N; i++) {
    free(bodies[i]);
    free(urls[i]);
  }
  free(bodies);
  free(urls);
  free(docs);
}

/* A term in more documents than top_postings keeps the best scores and the
 * full document set. */
typedef struct {
  entry common, title;
} trunc_ctx;

static void find_trunc(void *ctx, const entry *e) {
  trunc_ctx *c = ctx;
  if (strcmp(e->term, "common") == 0) c->common = *e;
  if (strcmp(e->term, "special") == 0) c->title = *e;
}

static void test_truncated_postings(void **state) {
  (void)state;
  enum { N = 400 };
  hg_search_doc *docs = hg_xcalloc(N, sizeof *docs);
  char **bodies = hg_xcalloc(N, sizeof *bodies);
  for (size_t i = 0; i < N; i++) {
    /* "common" everywhere; "special" in every 3rd document (gap-coded set) */
    bodies[i] = hg_strdup_printf("common filler%zu%s", i, i % 3 ? "" : " special");
    docs[i] = (hg_search_doc){.url = "x", .body = bodies[i],
                              .title = i == 150 ? "common" : "other"};
  }
  char *root = tmpdir();
  hg_search_opts opts = {.lang = "en", .out_root = root, .top_postings = 10};
  char *rel = hg_search_build(docs, N, &opts, NULL);
  assert_non_null(rel);
  index_view v;
  open_index(&v, root, rel);
  trunc_ctx c;
  memset(&c, 0, sizeof c);
  walk_terms(&v, find_trunc, &c);
  assert_int_equal(c.common.df, N);
  assert_int_equal(c.common.npost, 10);   /* bitmap set */
  assert_int_equal(c.common.nset, N);
  bool has150 = false;                    /* the title match is among the best */
  for (int k = 0; k < 10; k++) {
    has150 |= c.common.docs[k] == 150;
    assert_true(c.common.q[k] >= c.common.tail);
  }
  assert_true(has150);
  assert_int_equal(c.title.df, (N + 2) / 3);
  assert_int_equal(c.title.npost, 10);    /* gap-coded set */
  assert_int_equal(c.title.nset, (N + 2) / 3);
  close_index(&v);
  free(rel);
  hg_rm_rf(root);
  free(root);
  for (size_t i = 0; i < N; i++) free(bodies[i]);
  free(bodies);
  free(docs);
}

static void test_empty_and_bad_lang(void **state) {
  (void)state;
  char *root = tmpdir();
  hg_search_opts opts = {.lang = "en", .out_root = root};
  hg_error *err = NULL;
  char *rel = hg_search_build(NULL, 0, &opts, &err);
  assert_non_null(rel);
  index_view v;
  open_index(&v, root, rel);
  assert_int_equal(v.nshards, 0);
  close_index(&v);
  free(rel);
  opts.lang = "../etc";
  assert_null(hg_search_build(small_docs, 3, &opts, &err));
  assert_non_null(err);
  assert_non_null(strstr(err->msg, "language"));
  hg_error_free(err);
  hg_rm_rf(root);
  free(root);
}

/* The same input gives byte-identical files (names are content hashes). */
static void test_deterministic(void **state) {
  (void)state;
  char *r1 = tmpdir(), *r2 = tmpdir();
  hg_search_opts o1 = {.lang = "en", .out_root = r1};
  hg_search_opts o2 = {.lang = "en", .out_root = r2, .threads = 1};
  char *a = hg_search_build(small_docs, 3, &o1, NULL);
  char *b = hg_search_build(small_docs, 3, &o2, NULL);
  assert_non_null(a);
  assert_string_equal(a, b);
  free(a);
  free(b);
  hg_rm_rf(r1);
  hg_rm_rf(r2);
  free(r1);
  free(r2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_thai_sentence),
      cmocka_unit_test(test_thai_tone_marks_kept),
      cmocka_unit_test(test_fold),
      cmocka_unit_test(test_cjk_segmented),
      cmocka_unit_test(test_words_and_punctuation),
      cmocka_unit_test(test_ascii_fast_path_matches_icu),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_shard_boundaries),
      cmocka_unit_test(test_truncated_postings),
      cmocka_unit_test(test_empty_and_bad_lang),
      cmocka_unit_test(test_deterministic),
  };
  return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
