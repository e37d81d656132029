/* test_search.c - the search tokenizer and the index writer, read back by a
 * small reader of the format described at the top of src/search.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <pthread.h>
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

/* The words (bigrams are checked by test_vectors). */
static void collect(void *ctx, const hg_search_token *t) {
  toks *c = ctx;
  if (c->n == 256 || t->bigram) return;
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
      /* Arabic: harakat, tanween, shadda, sukun, superscript alef, tatweel
       * removed; alef variants, alef maqsura and teh marbuta folded */
      {"مُحَمَّدٌ", "محمد", "مُحَمَّدٌ"}, {"تلقائيًا", "تلقائيا", "تلقائيًا"},
      {"أحمد", "احمد", "أحمد"},     {"إلغاء", "الغاء", "إلغاء"},
      {"آمن", "امن", "آمن"},       {"ٱلله", "الله", "ٱلله"},
      {"مستشفى", "مستشفي", "مستشفى"}, {"مدرسة", "مدرسه", "مدرسة"},
      {"رحمٰن", "رحمن", "رحمٰن"},   {"جـــميل", "جميل", "جـــميل"},
      {"أَحمد", "احمد", "أَحمد"},    {"سؤال", "سؤال", NULL}, /* hamza on waw stays */
      /* Hebrew niqqud, dagesh, shin dot and cantillation removed */
      {"שָׁלוֹם", "שלום", "שָׁלוֹם"},  {"בְּרֵאשִׁ֖ית", "בראשית", "בְּרֵאשִׁ֖ית"},
      /* Thai tone marks stay: "not" and "wood" differ */
      {"ไม้", "ไม้", NULL},
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

/* The hand-written contract (tests/js/fixtures/golden-tokens.json, which
 * tests/js/tokenizer.test.mjs checks against search.js too). */
typedef struct {
  hg_buf words, bigrams; /* "term|exact\n" and "pair\n" */
  bool bad;              /* a bigram without its mark, or with an exact form */
} golden_ctx;

static void collect_golden(void *ctx, const hg_search_token *t) {
  golden_ctx *g = ctx;
  if (t->bigram) {
    g->bad |= t->term_len < 2 || t->term[t->term_len - 1] != HG_SEARCH_BIGRAM_MARK || t->exact;
    hg_buf_append(&g->bigrams, t->term, t->term_len - 1);
    hg_buf_putc(&g->bigrams, '\n');
  } else {
    g->bad |= memchr(t->term, HG_SEARCH_BIGRAM_MARK, t->term_len) != NULL;
    hg_buf_printf(&g->words, "%s|%s\n", t->term, t->exact ? t->exact : "");
  }
}

static void test_golden_tokens(void **state) {
  (void)state;
  json_error_t je;
  json_t *root = json_load_file("tests/js/fixtures/golden-tokens.json", 0, &je);
  if (!root) fail_msg("golden-tokens.json:%d:%d: %s", je.line, je.column, je.text);
  json_t *vectors = json_object_get(root, "vectors");
  assert_true(json_array_size(vectors) >= 15);
  size_t i;
  json_t *v;
  json_array_foreach(vectors, i, v) {
    const char *lang = json_string_value(json_object_get(v, "lang"));
    const char *text = json_string_value(json_object_get(v, "text"));
    assert_non_null(lang);
    assert_non_null(text);
    hg_buf want_w = HG_BUF_INIT, want_b = HG_BUF_INIT;
    size_t k;
    json_t *w;
    json_array_foreach(json_object_get(v, "words"), k, w) {
      if (json_is_array(w))
        hg_buf_printf(&want_w, "%s|%s\n", json_string_value(json_array_get(w, 0)),
                      json_string_value(json_array_get(w, 1)));
      else
        hg_buf_printf(&want_w, "%s|\n", json_string_value(w));
    }
    json_array_foreach(json_object_get(v, "bigrams"), k, w)
      hg_buf_printf(&want_b, "%s\n", json_string_value(w));
    for (int icu_only = 0; icu_only < 2; icu_only++) {
      hg_search_tokenizer *tk = hg_search_tokenizer_new(lang, NULL);
      assert_non_null(tk);
      hg_search_tokenizer_set_icu_only(tk, icu_only);
      golden_ctx g = {HG_BUF_INIT, HG_BUF_INIT, false};
      hg_search_tokenize(tk, text, strlen(text), collect_golden, &g);
      if (g.bad || strcmp(hg_buf_cstr(&g.words), hg_buf_cstr(&want_w)) != 0 ||
          strcmp(hg_buf_cstr(&g.bigrams), hg_buf_cstr(&want_b)) != 0)
        fail_msg("[%s] \"%s\"%s\nwords want\n%sgot\n%sbigrams want\n%sgot\n%s", lang, text,
                 g.bad ? " (a malformed bigram)" : "", hg_buf_cstr(&want_w),
                 hg_buf_cstr(&g.words), hg_buf_cstr(&want_b), hg_buf_cstr(&g.bigrams));
      hg_buf_free(&g.words);
      hg_buf_free(&g.bigrams);
      hg_search_tokenizer_free(tk);
    }
    hg_buf_free(&want_w);
    hg_buf_free(&want_b);
  }
  json_decref(root);
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
  char stem[HG_SEARCH_MAX_TERM + 1]; /* a term's stem ("" none) */
  bool stem_key;                     /* a stem key: group holds its terms */
  char group[8][HG_SEARCH_MAX_TERM + 1];
  uint32_t ngroup;
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
      size_t tl = strlen(e.term);
      if (tl && e.term[tl - 1] == HG_SEARCH_STEM_MARK) { /* a stem key */
        assert_int_equal(e.df, 0);
        e.stem_key = true;
        e.ngroup = (uint32_t)varint(&p);
        assert_true(e.ngroup >= 1);
        for (uint32_t j = 0; j < e.ngroup; j++) { /* front-coded against the stem */
          size_t sh = varint(&p), gl = varint(&p);
          assert_true(sh < tl && sh + gl <= HG_SEARCH_MAX_TERM);
          if (j < 8) {
            memcpy(e.group[j], e.term, sh);
            memcpy(e.group[j] + sh, p, gl);
            e.group[j][sh + gl] = '\0';
          }
          p += gl;
        }
        assert_ptr_equal(p, bend);
        strcpy(prev, e.term);
        strcpy(prev_all, e.term);
        fn(ctx, &e);
        total++;
        continue;
      }
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
      if (p < bend) { /* its stem, front-coded against the term */
        size_t sh = varint(&p), sl2 = varint(&p);
        assert_true(sh <= strlen(e.term) && sh + sl2 > 0 && sh + sl2 < HG_SEARCH_MAX_TERM);
        memcpy(e.stem, e.term, sh);
        memcpy(e.stem + sh, p, sl2);
        e.stem[sh + sl2] = '\0';
        p += sl2;
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
  assert_int_equal(json_integer_value(json_object_get(m, "v")), 3);
  char *g0 = hg_strdup_printf(
      "d0.%s.bin", json_string_value(json_array_get(json_object_get(store, "files"), 0)));
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

/* Stemming resolved at build time: stem keys list their group's terms,
 * each term names its stem; none for a language Snowball lacks (Czech) or
 * with no_stemming. */
typedef struct {
  bool stemmed; /* the index should have stems */
  size_t keys;
  bool saw_key, saw_term, saw_single;
} stem_ctx;

static void check_stems(void *ctx, const entry *e) {
  stem_ctx *c = ctx;
  if (e->stem_key) {
    c->keys++;
    if (strcmp(e->term, "invoic\x02") == 0) {
      c->saw_key = true;
      /* most documents first: invoice (3), then invoices and invoicing (1 each) */
      assert_int_equal(e->ngroup, 3);
      assert_string_equal(e->group[0], "invoice");
      assert_string_equal(e->group[1], "invoices");
      assert_string_equal(e->group[2], "invoicing");
    }
    /* "ships" alone, but its stem differs: a key of one */
    if (strcmp(e->term, "ship\x02") == 0) {
      c->saw_single = true;
      assert_int_equal(e->ngroup, 1);
      assert_string_equal(e->group[0], "ships");
    }
    assert_null(strstr(e->term, "download")); /* one term, its own stem: no key */
  } else if (strcmp(e->term, "invoices") == 0) {
    c->saw_term = true;
    assert_string_equal(e->stem, c->stemmed ? "invoic" : "");
  } else if (strcmp(e->term, "download") == 0) {
    assert_string_equal(e->stem, "");
  }
}

static void test_stemming(void **state) {
  (void)state;
  const hg_search_doc docs[] = {
      {.url = "a/index.html", .title = "Download an invoice", .body = "The invoice as PDF."},
      {.url = "b/index.html", .title = "Invoices and invoicing", .body = "Every invoice."},
      {.url = "c/index.html", .title = "How it ships", .body = "Parcels."},
  };
  for (int pass = 0; pass < 3; pass++) {
    char *root = tmpdir();
    hg_search_opts opts = {.lang = pass == 1 ? "cs" : "en", .out_root = root, .threads = 1,
                           .no_stemming = pass == 2};
    hg_error *err = NULL;
    char *rel = hg_search_build(docs, 3, &opts, &err);
    assert_non_null(rel);
    index_view v;
    open_index(&v, root, rel);
    json_t *name = json_object_get(v.manifest, "stemmer");
    stem_ctx c = {.stemmed = pass == 0};
    walk_terms(&v, check_stems, &c);
    if (pass == 0) {
      assert_string_equal(json_string_value(name), "en");
      assert_true(c.saw_key && c.saw_term && c.saw_single);
    } else {
      assert_true(json_is_null(name));
      assert_int_equal(c.keys, 0);
    }
    close_index(&v);
    free(rel);
    hg_rm_rf(root);
    free(root);
  }
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
  if (e->stem_key) return;
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
  assert_true(json_array_size(json_object_get(store, "files")) > 1);
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

/* ---- token cache and file reuse ------------------------------------------ */
/* An output folder in memory. */
typedef struct {
  hg_strmap index; /* rel -> 1 + slot */
  char **rels;
  hg_buf *bytes;
  size_t n, cap;
} mem_dir;

static void mem_put(mem_dir *m, const char *rel, const char *data, size_t len) {
  long at = hg_strmap_get(&m->index, rel, 0);
  if (!at) {
    if (m->n == m->cap) {
      m->cap = m->cap ? m->cap * 2 : 64;
      m->rels = hg_xrealloc(m->rels, m->cap * sizeof *m->rels);
      m->bytes = hg_xrealloc(m->bytes, m->cap * sizeof *m->bytes);
    }
    m->rels[m->n] = hg_xstrdup(rel);
    m->bytes[m->n] = (hg_buf)HG_BUF_INIT;
    at = (long)++m->n;
    hg_strmap_put(&m->index, rel, at);
  }
  hg_buf_clear(&m->bytes[at - 1]);
  hg_buf_append(&m->bytes[at - 1], data, len);
}

static const hg_buf *mem_get(const mem_dir *m, const char *rel) {
  long at = hg_strmap_get(&m->index, rel, 0);
  return at ? &m->bytes[at - 1] : NULL;
}

static void mem_free(mem_dir *m) {
  for (size_t i = 0; i < m->n; i++) {
    free(m->rels[i]);
    hg_buf_free(&m->bytes[i]);
  }
  free(m->rels);
  free(m->bytes);
  hg_strmap_free(&m->index);
  memset(m, 0, sizeof *m);
}

/* The same names with the same bytes. */
static void assert_same_dirs(const mem_dir *a, const mem_dir *b, const char *what) {
  for (size_t i = 0; i < a->n; i++) {
    const hg_buf *o = mem_get(b, a->rels[i]);
    if (!o) fail_msg("%s: %s only in the first build", what, a->rels[i]);
    if (o->len != a->bytes[i].len || memcmp(o->data, a->bytes[i].data, o->len) != 0)
      fail_msg("%s: %s differs", what, a->rels[i]);
  }
  for (size_t i = 0; i < b->n; i++)
    if (!mem_get(a, b->rels[i])) fail_msg("%s: %s only in the second build", what, b->rels[i]);
}

/* One build's output: write() keeps the bytes; reuse() answers from the
 * files of the build before (prev), as the output module answers from the
 * last build's output, and then counts the file as this build's. Both are
 * called from several threads. */
typedef struct {
  mem_dir files;
  const mem_dir *prev;
  size_t written, reused;
  size_t written_kind[128]; /* by the first letter of the file name */
  pthread_mutex_t mu;
} mem_out;

static bool mem_write(void *ctx, const char *rel, const char *data, size_t len, hg_error **err) {
  (void)err;
  mem_out *o = ctx;
  pthread_mutex_lock(&o->mu);
  assert_null(mem_get(&o->files, rel)); /* every file once */
  mem_put(&o->files, rel, data, len);
  o->written++;
  o->written_kind[hg_path_basename(rel)[0] & 127]++;
  pthread_mutex_unlock(&o->mu);
  return true;
}

static bool mem_reuse(void *ctx, const char *rel) {
  mem_out *o = ctx;
  pthread_mutex_lock(&o->mu);
  assert_false(hg_str_has_suffix(rel, "/manifest.bin")); /* not content-named */
  const hg_buf *b = o->prev ? mem_get(o->prev, rel) : NULL;
  if (b) {
    assert_null(mem_get(&o->files, rel));
    mem_put(&o->files, rel, b->data, b->len);
    o->reused++;
  }
  pthread_mutex_unlock(&o->mu);
  return b != NULL;
}

/* Builds docs in memory, with the token cache at `cache` (NULL: none) and
 * reusing the files of prev (NULL: none). Free with mem_out_free. */
static mem_out *build_mem(const hg_search_doc *docs, size_t n, const char *lang,
                          const char *cache, const mem_dir *prev) {
  mem_out *o = hg_xcalloc(1, sizeof *o);
  pthread_mutex_init(&o->mu, NULL);
  o->prev = prev;
  hg_search_opts opts = {.lang = lang, .out_root = "/nonexistent", .threads = 2,
                         .write = mem_write, .reuse = mem_reuse, .write_ctx = o,
                         .cache_path = cache};
  hg_error *err = NULL;
  char *rel = hg_search_build(docs, n, &opts, &err);
  if (!rel) fail_msg("build: %s", err ? err->msg : "?");
  free(rel);
  return o;
}

static void assert_same_files(const mem_out *a, const mem_out *b, const char *what) {
  assert_same_dirs(&a->files, &b->files, what);
}

static void mem_out_free(mem_out *o) {
  mem_free(&o->files);
  pthread_mutex_destroy(&o->mu);
  free(o);
}

/* Generated articles: English with a few accented words, Thai runs, tags,
 * categories; each body starts with a word of its own ("ticket<i>"). */
typedef struct {
  hg_search_doc *docs;
  size_t n, cap;
  char **owned;
  size_t nowned, owncap;
} corpus;

static const char *const corpus_words[] = {
    "order", "track", "parcel", "refund", "return", "invoice", "payment", "card", "account",
    "password", "reset", "shipping", "delivery", "courier", "customs", "duty", "address",
    "change", "cancel", "subscription", "coupon", "discount", "gift", "wrap", "store",
    "pickup", "locker", "label", "printer", "receipt", "warranty", "repair", "exchange",
    "size", "colour", "stock", "preorder", "backorder", "email", "notification", "phone",
    "browser", "cookie", "privacy", "export", "import", "team", "member", "role", "admin",
    "billing", "plan", "upgrade", "downgrade", "trial", "tax", "vat", "currency", "rate",
    "late", "damaged", "missing", "wrong", "item", "box", "weight", "international",
    "express", "standard", "weekend", "holiday", "support", "chat", "ticket", "answer",
    "the", "a", "an", "to", "of", "and", "or", "your", "you", "we", "is", "are", "can",
    "will", "with", "for", "in", "on", "after", "before", "within", "days", "hours",
    "café", "Zürich", "crème", "brûlée", "naïve", "účet", "zrušení", "objednávky", "Straße",
    "Øresund", "ติดตามพัสดุ", "คำสั่งซื้อ", "การชำระเงิน", "don't", "v2.1", "3,000", "e-mail"};
#define NWORDS (sizeof corpus_words / sizeof corpus_words[0])
static const char *const corpus_tags[] = {"billing", "shipping", "account", "returns",
                                          "privacy", "gifts", "b2b", "mobile", "účty"};
static const char *const corpus_cats[] = {"Orders", "Shipping", "Account", "Billing",
                                          "Objednávky"};

static uint64_t rnd(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static char *own(corpus *c, char *s) {
  if (c->nowned == c->owncap) {
    c->owncap = c->owncap ? c->owncap * 2 : 256;
    c->owned = hg_xrealloc(c->owned, c->owncap * sizeof *c->owned);
  }
  return c->owned[c->nowned++] = s;
}

/* Half the words from the list above, half made of syllables, rank r
 * about as often as 1/r (a few thousand distinct words in all). */
static void put_word(hg_buf *b, uint64_t *seed) {
  static const char *const syl[] = {"ka", "ro", "mi", "tel", "san", "vo", "ри", "bré",
                                    "lu", "dax", "ne", "pho", "กา", "qu", "zen", "ost"};
  if (rnd(seed) % 2) {
    hg_buf_puts(b, corpus_words[rnd(seed) % NWORDS]);
    return;
  }
  uint64_t r = (uint64_t)exp(log(5000.0) * (double)(rnd(seed) % 100000) / 100000.0);
  r = r * 2654435761u % 1000003;
  for (int k = 0; k < 2 + (int)(r % 3); k++) hg_buf_puts(b, syl[(r >> (4 * k)) % 16]);
}

static char *words(uint64_t *seed, size_t n, bool sentences) {
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    if (i) hg_buf_puts(&b, sentences && rnd(seed) % 9 == 0 ? ". " : " ");
    put_word(&b, seed);
  }
  if (sentences) hg_buf_putc(&b, '.');
  return hg_buf_steal(&b);
}

static void corpus_add(corpus *c, size_t i, uint64_t *seed) {
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 64;
    c->docs = hg_xrealloc(c->docs, c->cap * sizeof *c->docs);
  }
  hg_search_doc *d = &c->docs[c->n++];
  memset(d, 0, sizeof *d);
  d->url = own(c, hg_strdup_printf("a/%zu/index.html", i));
  char *t = words(seed, 3 + rnd(seed) % 4, false);
  d->title = own(c, hg_strdup_printf("%s %zu", t, i % 50));
  free(t);
  d->category = corpus_cats[rnd(seed) % 5];
  d->breadcrumb = own(c, hg_strdup_printf("%s › Topic %zu", d->category, i % 7));
  char *h1 = words(seed, 3, false), *h2 = words(seed, 4, false);
  d->headings = own(c, hg_strdup_printf("%s\n%s\n", h1, h2));
  free(h1);
  free(h2);
  d->keywords = own(c, words(seed, 2, false));
  d->description = own(c, words(seed, 10, true));
  char *body = words(seed, 40 + rnd(seed) % 200, true);
  d->body = own(c, hg_strdup_printf("ticket%zu %s", i, body));
  free(body);
  size_t nt = rnd(seed) % 4;
  const char **tags = hg_xcalloc(nt + 1, sizeof *tags);
  for (size_t k = 0; k < nt; k++) tags[k] = corpus_tags[rnd(seed) % 9];
  own(c, (char *)tags);
  d->tags = tags;
  d->ntags = nt;
  d->promoted = i % 37 == 0;
}

static void corpus_free(corpus *c) {
  for (size_t i = 0; i < c->nowned; i++) free(c->owned[i]);
  free(c->owned);
  free(c->docs);
}

static char *cache_bytes(const char *path, size_t *len) {
  char *s = hg_read_file(path, len, NULL);
  assert_non_null(s);
  return s;
}

/* A cache build (warm, reusing the build before) and a build without any
 * cache give the same files; the cache left behind is the one a cold build
 * of these documents writes (nothing of earlier builds stays in it). */
static mem_out *step(const corpus *c, const char *cache, mem_out *prev, const char *what,
                     const char *root) {
  mem_out *warm = build_mem(c->docs, c->n, "en", cache, &prev->files);
  mem_out *clean = build_mem(c->docs, c->n, "en", NULL, NULL);
  assert_same_files(warm, clean, what);
  char *cold_cache = hg_path_join(root, "cold.cache");
  unlink(cold_cache);
  mem_out *cold = build_mem(c->docs, c->n, "en", cold_cache, NULL);
  size_t la, lb;
  char *a = cache_bytes(cache, &la), *b = cache_bytes(cold_cache, &lb);
  if (la != lb || memcmp(a, b, la) != 0) fail_msg("%s: the cache differs from a cold one", what);
  free(a);
  free(b);
  free(cold_cache);
  mem_out_free(cold);
  mem_out_free(clean);
  mem_out_free(prev);
  return warm;
}

static void test_cache_byte_identity(void **state) {
  (void)state;
  corpus c = {0};
  uint64_t seed = 0x2545f4914f6cdd1dULL;
  for (size_t i = 0; i < 600; i++) corpus_add(&c, i, &seed);
  char *root = tmpdir(), *cache = hg_path_join(root, "sub/en.tokens");

  mem_out *a = build_mem(c.docs, c.n, "en", NULL, NULL);
  mem_out *b = build_mem(c.docs, c.n, "en", cache, NULL); /* cold: no file yet */
  assert_same_files(a, b, "cold");
  assert_true(hg_is_file(cache));
  size_t total = a->files.n;
  assert_true(total > 40);

  /* nothing changed: only the manifest is written, the cache stays */
  size_t l0, l1;
  char *c0 = cache_bytes(cache, &l0);
  mem_out *w = build_mem(c.docs, c.n, "en", cache, &b->files);
  assert_same_files(a, w, "unchanged");
  assert_int_equal(w->written, 1);
  char *c1 = cache_bytes(cache, &l1);
  assert_true(l0 == l1 && memcmp(c0, c1, l0) == 0);
  free(c0);
  free(c1);
  mem_out_free(b);

  /* one body edited (its own word "ticket17" gone: that term's df is 0) */
  c.docs[17].body = own(&c, hg_strdup_printf("%s Edited: the courier was late again.",
                                             c.docs[17].body + strlen("ticket17 ")));
  w = step(&c, cache, w, "body edit", root);
  if (w->written * 100 >= total * 15)
    fail_msg("body edit: %zu of %zu files compressed", w->written, total);
  assert_int_equal(w->reused + w->written, w->files.n);
  /* its store group, not the others; the tags did not change */
  assert_int_equal(w->written_kind['d'], 1);
  assert_int_equal(w->written_kind['f'], 0);
  assert_int_equal(w->written_kind['m'], 1);

  /* one title edited */
  c.docs[200].title = own(&c, hg_strdup_printf("%s café", c.docs[200].title));
  w = step(&c, cache, w, "title edit", root);
  if (w->written * 100 >= total * 15)
    fail_msg("title edit: %zu of %zu files compressed", w->written, total);

  /* a document added, one removed, then the order changed */
  corpus_add(&c, 600, &seed);
  w = step(&c, cache, w, "added", root);
  memmove(&c.docs[5], &c.docs[6], (c.n - 6) * sizeof *c.docs);
  c.n--;
  w = step(&c, cache, w, "removed", root);
  for (size_t i = 0; i < c.n / 2; i++) {
    hg_search_doc t = c.docs[i];
    c.docs[i] = c.docs[c.n - 1 - i];
    c.docs[c.n - 1 - i] = t;
  }
  w = step(&c, cache, w, "reordered", root);

  mem_out_free(a);
  mem_out_free(w);
  free(cache);
  hg_rm_rf(root);
  free(root);
  corpus_free(&c);
}

static bool fail_write(void *ctx, const char *rel, const char *data, size_t len,
                       hg_error **err) {
  (void)ctx;
  (void)data;
  (void)len;
  hg_error_set(err, 1, NULL, 0, 0, "%s: disk full", rel);
  return false;
}

/* The next token cache is made while the index files are written: a build
 * whose files cannot be written fails and leaves the cache it read in
 * place, and the build after it, from that cache, gives the files and the
 * cache of a build without one. */
static void test_cache_failed_build(void **state) {
  (void)state;
  corpus c = {0};
  uint64_t seed = 0x7f4a7c159e3779b9ULL;
  for (size_t i = 0; i < 150; i++) corpus_add(&c, i, &seed);
  char *root = tmpdir(), *cache = hg_path_join(root, "en.tokens");
  mem_out *w = build_mem(c.docs, c.n, "en", cache, NULL);
  size_t l0, l1;
  char *c0 = cache_bytes(cache, &l0);

  c.docs[3].body = own(&c, hg_strdup_printf("%s Rewritten after the outage.", c.docs[3].body));
  for (int k = 0; k < 2; k++) { /* the second time over the spare the first left */
    hg_search_opts opts = {.lang = "en", .out_root = "/nonexistent", .threads = 2,
                           .write = fail_write, .cache_path = cache};
    hg_error *err = NULL;
    char *rel = hg_search_build(c.docs, c.n, &opts, &err);
    assert_null(rel);
    assert_non_null(err);
    assert_non_null(strstr(err->msg, "disk full"));
    hg_error_free(err);
    char *c1 = cache_bytes(cache, &l1);
    assert_true(l0 == l1 && memcmp(c0, c1, l0) == 0);
    free(c1);
  }
  w = step(&c, cache, w, "after a failed build", root);

  free(c0);
  mem_out_free(w);
  free(cache);
  hg_rm_rf(root);
  free(root);
  corpus_free(&c);
}

static void put_bytes_file(const char *path, const char *data, size_t len) {
  hg_error *err = NULL;
  if (!hg_write_file(path, data, len, &err)) fail_msg("%s", err->msg);
}

/* Where the payload of a cache file starts (after magic, version, key
 * length, key padded to 4 bytes, payload length and checksum). */
static size_t payload_at(const char *data) {
  uint32_t kl;
  memcpy(&kl, data + 12, 4);
  return 16 + ((kl + 3) & ~3u) + 16;
}

/* Puts data at the cache path and builds with it: the files must be those
 * of a build without a cache. */
static void expect_unused(const corpus *c, const char *cache, const char *data, size_t len,
                          const mem_out *clean, const char *what) {
  put_bytes_file(cache, data, len);
  mem_out *o = build_mem(c->docs, c->n, "en", cache, NULL);
  assert_same_files(clean, o, what);
  mem_out_free(o);
}

/* Makes the checksum of a changed cache file fit again. */
static void reseal(char *data, size_t len, size_t at) {
  uint64_t sum = hg_hash64(data + at, len - at);
  memcpy(data + at - 8, &sum, 8);
}

/* A cache that is garbage, short, damaged, foreign or not a file is not
 * used (the files are those of a build without one) and the build does not
 * fail. */
static void test_cache_corrupt(void **state) {
  (void)state;
  corpus c = {0};
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < 120; i++) corpus_add(&c, i, &seed);
  char *root = tmpdir(), *cache = hg_path_join(root, "en.tokens");
  char *cs = hg_path_join(root, "cs.tokens");
  mem_out *clean = build_mem(c.docs, c.n, "en", NULL, NULL);
  mem_out_free(build_mem(c.docs, c.n, "en", cache, NULL));
  mem_out_free(build_mem(c.docs, c.n, "cs", cs, NULL));
  size_t len, cslen;
  char *valid = cache_bytes(cache, &len), *foreign = cache_bytes(cs, &cslen);
  size_t at = payload_at(valid);
  assert_true(at < len);

  /* garbage, and truncations at every part of the file */
  char *bad = hg_xmalloc(len + 4096);
  uint64_t r = 42;
  for (int k = 0; k < 4096; k++) bad[k] = (char)rnd(&r);
  expect_unused(&c, cache, bad, 4096, clean, "garbage");
  size_t cuts[] = {0, 7, 8, 15, at - 1, at, at + 10, len / 2, len - 4, len - 1};
  for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++)
    expect_unused(&c, cache, valid, cuts[k], clean, "truncated");
  /* one byte changed anywhere (the checksum, or the header's fields) */
  size_t flips[] = {0, 8, 12, 20, at - 16, at - 8, at, at + 3, at + 30, len / 2, len - 1};
  for (size_t k = 0; k < sizeof flips / sizeof flips[0]; k++) {
    memcpy(bad, valid, len);
    bad[flips[k]] ^= 0x5a;
    expect_unused(&c, cache, bad, len, clean, "damaged");
  }
  /* the checksum made to fit records whose last bytes (field masks) are
   * not possible: those documents are tokenized again */
  memcpy(bad, valid, len);
  memset(bad + len - 64, 0xff, 64);
  reseal(bad, len, at);
  expect_unused(&c, cache, bad, len, clean, "bad records");
  /* and offsets pointing anywhere: the file is not used */
  memcpy(bad, valid, len);
  memset(bad + at + 4, 0x7f, 4); /* the term bytes */
  reseal(bad, len, at);
  expect_unused(&c, cache, bad, len, clean, "bad offsets");
  /* another language's cache */
  expect_unused(&c, cache, foreign, cslen, clean, "foreign");
  /* a folder where the file should be: no cache, no error, left alone */
  assert_true(hg_rm_rf(cache));
  assert_true(hg_mkdir_p(cache, NULL));
  mem_out *o = build_mem(c.docs, c.n, "en", cache, NULL);
  assert_same_files(clean, o, "folder");
  assert_true(hg_is_dir(cache));
  mem_out_free(o);

  free(bad);
  free(valid);
  free(foreign);
  mem_out_free(clean);
  free(cache);
  free(cs);
  hg_rm_rf(root);
  free(root);
  corpus_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_thai_sentence),
      cmocka_unit_test(test_thai_tone_marks_kept),
      cmocka_unit_test(test_fold),
      cmocka_unit_test(test_cjk_segmented),
      cmocka_unit_test(test_words_and_punctuation),
      cmocka_unit_test(test_ascii_fast_path_matches_icu),
      cmocka_unit_test(test_golden_tokens),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_shard_boundaries),
      cmocka_unit_test(test_stemming),
      cmocka_unit_test(test_truncated_postings),
      cmocka_unit_test(test_empty_and_bad_lang),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_cache_byte_identity),
      cmocka_unit_test(test_cache_corrupt),
      cmocka_unit_test(test_cache_failed_build),
  };
  return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
