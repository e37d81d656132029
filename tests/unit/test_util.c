/* test_util.c - unit tests for src/util.c: the buffer, errors, diagnostics,
 * binary records, paths, slugs, UTF-8 checks, the string map, the thread
 * pool and the file helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hg_util.h"
#include "helpers.h"

/* ---- buffer ------------------------------------------------------------- */
static void test_buf_basics(void **state) {
  (void)state;
  hg_buf b = HG_BUF_INIT;
  assert_string_equal(hg_buf_cstr(&b), "");
  hg_buf_puts(&b, "abc");
  hg_buf_putc(&b, '-');
  hg_buf_append(&b, "xyz123", 3);
  hg_buf_printf(&b, "[%d|%s]", 42, "q");
  assert_int_equal(b.len, 13);
  assert_string_equal(b.data, "abc-xyz[42|q]");
  assert_int_equal(strlen(b.data), b.len);

  size_t cap = b.cap;
  hg_buf_clear(&b);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.cap, cap);
  assert_string_equal(hg_buf_cstr(&b), "");
  hg_buf_puts(&b, "again");
  char *s = hg_buf_steal(&b);
  assert_string_equal(s, "again");
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.cap, 0);
  free(s);

  /* stealing an untouched buffer gives a real empty string */
  s = hg_buf_steal(&b);
  assert_non_null(s);
  assert_string_equal(s, "");
  free(s);
  hg_buf_free(&b);
}

static void test_buf_growth(void **state) {
  (void)state;
  hg_buf b = HG_BUF_INIT;
  for (int i = 0; i < 20000; i++) hg_buf_printf(&b, "%04d", i % 10000);
  assert_int_equal(b.len, 80000);
  assert_true(b.cap > b.len);
  assert_int_equal(b.data[b.len], '\0');
  assert_memory_equal(b.data, "0000000100020003", 16);
  assert_memory_equal(b.data + b.len - 8, "99989999", 8);
  /* an empty printf and a zero-length append still leave a C string */
  hg_buf e = HG_BUF_INIT;
  hg_buf_printf(&e, "%s", "");
  assert_non_null(e.data);
  assert_string_equal(e.data, "");
  hg_buf_append(&e, "zzz", 0);
  assert_int_equal(e.len, 0);
  hg_buf_free(&e);
  hg_buf_free(&b);
}

static void test_buf_put_html(void **state) {
  (void)state;
  hg_buf b = HG_BUF_INIT;
  const char *in = "<a href=\"x\">Tom & Jerry's</a>";
  hg_buf_put_html(&b, in, strlen(in));
  assert_string_equal(b.data,
                      "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  hg_buf_clear(&b);
  /* only n bytes are read, and plain text passes through */
  hg_buf_put_html(&b, "plain<cut", 5);
  assert_string_equal(b.data, "plain");
  hg_buf_clear(&b);
  hg_buf_put_html(&b, "ž&", 3);
  assert_string_equal(b.data, "ž&amp;");
  hg_buf_free(&b);
}

static void test_strings_small(void **state) {
  (void)state;
  char *s = hg_strdup_printf("%s-%03d", "x", 7);
  assert_string_equal(s, "x-007");
  free(s);
  s = hg_xstrndup("abcdef", 3);
  assert_string_equal(s, "abc");
  free(s);
  assert_true(hg_str_has_prefix("content/a.md", "content/"));
  assert_false(hg_str_has_prefix("con", "content/"));
  assert_true(hg_str_has_prefix("x", ""));
  assert_true(hg_str_has_suffix("a.md", ".md"));
  assert_false(hg_str_has_suffix("md", ".md"));
  assert_false(hg_str_has_suffix("a.markdown", ".md"));
}

/* ---- errors and diagnostics --------------------------------------------- */
static void test_error_format(void **state) {
  (void)state;
  hg_error *e = hg_error_new(1, "content/a.md", 3, 7, "front matter: %s", "bad");
  assert_string_equal(e->msg, "content/a.md:3:7: front matter: bad");
  assert_int_equal(e->code, 1);
  hg_error_free(e);
  e = hg_error_new(2, "helpgen.yaml", 4, 0, "x");
  assert_string_equal(e->msg, "helpgen.yaml:4: x");
  assert_int_equal(e->code, 2);
  hg_error_free(e);
  e = hg_error_new(1, "f.md", 0, 9, "no line");
  assert_string_equal(e->msg, "f.md: no line");
  hg_error_free(e);
  e = hg_error_new(1, NULL, 5, 5, "bare %d", 1);
  assert_string_equal(e->msg, "bare 1");
  hg_error_free(e);
  hg_error_free(NULL);
}

static void test_error_set(void **state) {
  (void)state;
  hg_error_set(NULL, 1, "a", 1, 1, "ignored"); /* no crash, nothing to free */
  hg_error *err = NULL;
  hg_error_set(&err, 1, "a", 1, 1, "first");
  assert_non_null(err);
  hg_error_set(&err, 2, "b", 2, 0, "second"); /* replaces (valgrind: no leak) */
  assert_string_equal(err->msg, "b:2: second");
  assert_int_equal(err->code, 2);
  hg_error_free(err);
}

static void test_diags(void **state) {
  (void)state;
  hg_diags a = {0}, b = {0};
  hg_diags_add(&a, HG_WARN, "x.md", 2, 5, "w%d", 1);
  hg_diags_add(&a, HG_ERR, "y.md", 3, 0, "e%d", 1);
  for (int i = 0; i < 20; i++) hg_diags_add(&b, HG_ERR, NULL, 0, 0, "b%d", i);
  assert_int_equal(hg_diags_count(&a, HG_WARN), 1);
  assert_int_equal(hg_diags_count(&a, HG_ERR), 1);
  assert_string_equal(diag_at(&a, 0), "x.md:2:5: warning: w1");
  assert_string_equal(diag_at(&a, 1), "y.md:3: error: e1");
  assert_string_equal(diag_at(&b, 19), "error: b19");

  hg_diags_move(&a, &b);
  assert_int_equal(a.len, 22);
  assert_int_equal(b.len, 0);
  assert_null(b.items);
  assert_string_equal(diag_at(&a, 2), "error: b0");
  assert_string_equal(diag_at(&a, 21), "error: b19");
  assert_int_equal(hg_diags_count(&a, HG_ERR), 21);
  /* moving an empty list is harmless; b is still usable */
  hg_diags_move(&a, &b);
  assert_int_equal(a.len, 22);
  hg_diags_add(&b, HG_WARN, "z", 1, 1, "again");
  assert_int_equal(b.len, 1);
  hg_diags_free(&a);
  hg_diags_free(&b);
  assert_int_equal(a.len, 0);
  assert_null(a.items);
}

/* ---- binary records ----------------------------------------------------- */
static void test_varints(void **state) {
  (void)state;
  static const uint64_t u[] = {0, 1, 127, 128, 255, 16383, 16384, UINT32_MAX,
                               (uint64_t)1 << 63, UINT64_MAX - 1, UINT64_MAX};
  static const size_t ulen[] = {1, 1, 1, 2, 2, 2, 3, 5, 10, 10, 10};
  static const int64_t sv[] = {0, 1, -1, 63, -64, 64, -65, INT32_MIN, INT64_MAX, INT64_MIN};
  static const size_t svlen[] = {1, 1, 1, 1, 1, 2, 2, 5, 10, 10};
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < sizeof u / sizeof *u; i++) {
    size_t before = b.len;
    hg_buf_put_uvar(&b, u[i]);
    assert_int_equal(b.len - before, ulen[i]);
  }
  for (size_t i = 0; i < sizeof sv / sizeof *sv; i++) {
    size_t before = b.len;
    hg_buf_put_svar(&b, sv[i]);
    assert_int_equal(b.len - before, svlen[i]);
  }
  assert_int_equal(b.data[b.len], '\0'); /* still a C string */
  /* LEB128 bytes: low 7 bits first, the high bit says "more" */
  assert_memory_equal(b.data, "\x00\x01\x7f\x80\x01\xff\x01", 7);
  char *copy;
  hg_reader r = reader_of(b.data, b.len, &copy);
  for (size_t i = 0; i < sizeof u / sizeof *u; i++) assert_true(hg_read_uvar(&r) == u[i]);
  for (size_t i = 0; i < sizeof sv / sizeof *sv; i++) assert_true(hg_read_svar(&r) == sv[i]);
  assert_false(r.bad);
  assert_ptr_equal(r.p, r.end);
  assert_int_equal(hg_read_uvar(&r), 0); /* nothing left */
  assert_true(r.bad);
  free(copy);
  hg_buf_free(&b);

  /* malformed: 11 bytes, or a 10th byte over the 64th bit */
  static const char *const bad[] = {"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00",
                                    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02",
                                    "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", "\x80"};
  static const size_t badlen[] = {11, 10, 10, 1};
  for (size_t i = 0; i < 4; i++) {
    r = reader_of(bad[i], badlen[i], &copy);
    assert_int_equal(hg_read_uvar(&r), 0);
    assert_true(r.bad);
    free(copy);
  }
  r = reader_of("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10, &copy);
  assert_true(hg_read_uvar(&r) == UINT64_MAX);
  assert_false(r.bad);
  free(copy);
}

static void test_strings_and_mem(void **state) {
  (void)state;
  hg_buf b = HG_BUF_INIT;
  hg_buf_put_str(&b, NULL);
  hg_buf_put_str(&b, "");
  hg_buf_put_str(&b, "žluťoučký");
  hg_buf_put_mem(&b, "a\0b", 3);
  hg_buf_put_mem(&b, NULL, 0);
  assert_memory_equal(b.data, "\x00\x01", 2); /* NULL: 0, "": length + 1 */
  char *copy;
  hg_reader r = reader_of(b.data, b.len, &copy);
  assert_null(hg_read_str(&r));
  assert_false(r.bad); /* a stored NULL is not an error */
  char *s = hg_read_str(&r);
  assert_non_null(s);
  assert_string_equal(s, "");
  free(s);
  s = hg_read_str(&r);
  assert_string_equal(s, "žluťoučký");
  free(s);
  size_t n = 99;
  s = hg_read_mem(&r, &n);
  assert_int_equal(n, 3);
  assert_memory_equal(s, "a\0b", 4); /* with a NUL after */
  free(s);
  s = hg_read_mem(&r, &n);
  assert_int_equal(n, 0);
  assert_string_equal(s, "");
  free(s);
  assert_false(r.bad);
  assert_ptr_equal(r.p, r.end);
  /* in place: a pointer into the bytes; a string without its NUL is bad */
  hg_reader in = {b.data, b.data + b.len, false};
  assert_null(hg_read_cstr(&in));
  const char *e = hg_read_cstr(&in);
  assert_string_equal(e, "");
  assert_true(e > b.data && e < b.data + b.len);
  hg_reader cut = {"\x03" "ab" "c", NULL, false};
  cut.end = cut.p + 4;
  assert_null(hg_read_cstr(&cut));
  assert_true(cut.bad);
  free(copy);
  hg_buf_free(&b);

  /* a length past the end: bad, nothing allocated, and it stays bad */
  r = reader_of("\x06" "abc" "\x01", 5, &copy); /* 5 bytes wanted, 4 left */
  assert_null(hg_read_str(&r));
  assert_true(r.bad);
  assert_null(hg_read_str(&r));
  assert_null(hg_read_mem(&r, &n));
  assert_int_equal(n, 0);
  assert_int_equal(hg_read_svar(&r), 0);
  free(copy);
  r = reader_of("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10, &copy);
  assert_null(hg_read_str(&r)); /* a huge length is refused, not allocated */
  assert_true(r.bad);
  free(copy);
}

/* A record of every kind, and the reads that take it back. */
static void put_all(hg_buf *b, const hg_diags *d) {
  hg_buf_put_uvar(b, 300);
  hg_buf_put_svar(b, -70000);
  hg_buf_put_str(b, NULL);
  hg_buf_put_str(b, "text");
  hg_buf_put_mem(b, "\x01\x02", 2);
  hg_diags_save(d, b);
  hg_buf_put_uvar(b, UINT64_MAX);
}

static bool read_all(hg_reader *r, hg_diags *d) {
  bool ok = hg_read_uvar(r) == 300;
  ok = hg_read_svar(r) == -70000 && ok;
  char *s = hg_read_str(r);
  ok = !s && ok;
  free(s);
  s = hg_read_str(r);
  ok = s && !strcmp(s, "text") && ok;
  free(s);
  size_t n;
  s = hg_read_mem(r, &n);
  ok = s && n == 2 && ok;
  free(s);
  ok = hg_diags_restore(r, d) && ok;
  ok = hg_read_uvar(r) == UINT64_MAX && ok;
  return ok && !r->bad;
}

static void test_records_truncated(void **state) {
  (void)state;
  hg_diags d = {0};
  hg_diags_add(&d, HG_WARN, "a.md", 3, 7, "first");
  hg_diags_add(&d, HG_ERR, NULL, 0, 0, "second, no path");
  hg_buf b = HG_BUF_INIT;
  put_all(&b, &d);
  char *copy;
  for (size_t cut = 0; cut <= b.len; cut++) {
    hg_reader r = reader_of(b.data, cut, &copy);
    hg_diags got = {0};
    hg_diags_add(&got, HG_WARN, "kept.md", 1, 1, "already there");
    bool ok = read_all(&r, &got);
    if (cut == b.len) {
      assert_true(ok);
      assert_int_equal(got.len, 3);
    } else {
      if (ok || !r.bad) fail_msg("a record cut at %zu of %zu bytes was read", cut, b.len);
      assert_true(got.len == 1 || got.len == 3); /* left as it was, or all added */
    }
    assert_true(r.p <= r.end);
    assert_string_equal(diag_at(&got, 0), "kept.md:1:1: warning: already there");
    hg_diags_free(&got);
    free(copy);
  }
  hg_buf_free(&b);
  hg_diags_free(&d);
}

static void test_diags_round_trip(void **state) {
  (void)state;
  hg_diags d = {0}, got = {0};
  hg_diags_add(&d, HG_WARN, "content/a.md", 3, 7, "front matter: 'weight' ... ✓");
  hg_diags_add(&d, HG_ERR, NULL, 0, 0, "no path");
  hg_diags_add(&d, HG_ERR, "", -1, 2147483647, "%s", "");
  hg_buf b = HG_BUF_INIT;
  hg_diags_save(&d, &b);
  hg_diags_save(&d, &b); /* restore appends */
  hg_reader r = {b.data, b.data + b.len, false};
  assert_true(hg_diags_restore(&r, &got));
  assert_true(hg_diags_restore(&r, &got));
  assert_ptr_equal(r.p, r.end);
  assert_int_equal(got.len, 6);
  for (size_t i = 0; i < 6; i++) {
    const hg_diag *x = &d.items[i % 3], *y = &got.items[i];
    assert_int_equal(x->sev, y->sev);
    assert_int_equal(x->line, y->line);
    assert_int_equal(x->col, y->col);
    assert_string_equal(x->msg, y->msg);
    if (x->path) assert_string_equal(x->path, y->path);
    else assert_null(y->path);
  }
  hg_buf_free(&b);

  /* a severity that does not exist, a NULL message, a line over INT_MAX */
  static const char bad1[] = "\x01\x02\x00\x00\x00\x02m";
  static const char bad2[] = "\x01\x00\x00\x00\x00\x00";
  static const char bad3[] = "\x01\x00\x00\x80\x80\x80\x80\x10\x00\x02m";
  const struct { const char *p; size_t n; } bad[] = {{bad1, 7}, {bad2, 6}, {bad3, 11}};
  for (size_t i = 0; i < 3; i++) {
    char *copy;
    r = reader_of(bad[i].p, bad[i].n, &copy);
    assert_false(hg_diags_restore(&r, &got));
    assert_true(r.bad);
    assert_int_equal(got.len, 6);
    free(copy);
  }
  hg_diags_free(&d);
  hg_diags_free(&got);
}

/* ---- paths -------------------------------------------------------------- */
static void check_str(char *got, const char *want) {
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void test_path_join_dirname(void **state) {
  (void)state;
  check_str(hg_path_join("a", "b"), "a/b");
  check_str(hg_path_join("a/", "b"), "a/b");
  check_str(hg_path_join("", "b"), "b");
  check_str(hg_path_join(NULL, "b"), "b");
  check_str(hg_path_join("a", ""), "a");
  check_str(hg_path_dirname("a/b/c.md"), "a/b");
  check_str(hg_path_dirname("c.md"), ".");
  check_str(hg_path_dirname("/c.md"), "/");
  assert_string_equal(hg_path_basename("a/b/c.md"), "c.md");
  assert_string_equal(hg_path_basename("c.md"), "c.md");
  assert_string_equal(hg_path_basename("a/"), "");
}

static void test_path_normalize(void **state) {
  (void)state;
  check_str(hg_path_normalize("a/./b/../c"), "a/c");
  check_str(hg_path_normalize("a//b/"), "a/b");
  check_str(hg_path_normalize("./a"), "a");
  check_str(hg_path_normalize("a/.."), "");
  check_str(hg_path_normalize(""), "");
  check_str(hg_path_normalize("a/b/../../c/d.md"), "c/d.md");
  check_str(hg_path_normalize("..a/b.."), "..a/b..");
  assert_null(hg_path_normalize(".."));
  assert_null(hg_path_normalize("../a"));
  assert_null(hg_path_normalize("a/../../b"));
  assert_null(hg_path_normalize("a/b/../../.."));
}

static void test_rel_url(void **state) {
  (void)state;
  check_str(hg_rel_url("a/b", "c/index.html"), "../../c/index.html");
  check_str(hg_rel_url("", "c/index.html"), "c/index.html");
  check_str(hg_rel_url("a", "a/index.html"), "index.html");
  check_str(hg_rel_url("a/b", "a/c/x.png"), "../c/x.png");
  check_str(hg_rel_url("a/b", "a/b/x.png"), "x.png");
  check_str(hg_rel_url("a/b", "index.html"), "../../index.html");
  /* segments are compared whole: "a" is not a prefix of "ab" */
  check_str(hg_rel_url("ab", "a/x"), "../a/x");
  check_str(hg_rel_url("a", "ab/x"), "../ab/x");
  check_str(hg_rel_url("a/b", "a/b/"), "./");
  check_str(hg_rel_url("", ""), "./");
}

/* ---- slugs and UTF-8 ---------------------------------------------------- */
static void test_slugify(void **state) {
  (void)state;
  check_str(hg_slugify("Hello, World!"), "hello-world");
  check_str(hg_slugify("  --Track  your   order--  "), "track-your-order");
  check_str(hg_slugify("Step 2: Pay"), "step-2-pay");
  /* Czech keeps its letters, lower-cased */
  check_str(hg_slugify("Příliš ŽLUŤOUČKÝ kůň"), "příliš-žluťoučký-kůň");
  /* Thai: the vowel and tone marks (Mn) stay attached */
  check_str(hg_slugify("สวัสดี ครับ"), "สวัสดี-ครับ");
  /* Devanagari: virama (Mn) and vowel signs (Mc) are kept */
  check_str(hg_slugify("नमस्ते दुनिया"), "नमस्ते-दुनिया");
  /* Japanese: no spaces, nothing to drop; ideographic space splits */
  check_str(hg_slugify("注文を追跡する"), "注文を追跡する");
  check_str(hg_slugify("こんにちは　世界"), "こんにちは-世界");
  check_str(hg_slugify("「返品」について"), "返品-について");
  /* emoji are not letters */
  check_str(hg_slugify("🚀 Launch 🚀 day"), "launch-day");
  check_str(hg_slugify("👍🏽🎉"), "");
  check_str(hg_slugify(""), "");
  check_str(hg_slugify("!!!"), "");
  /* decomposed é (e + U+0301) keeps its combining accent */
  check_str(hg_slugify("Cafe\xCC\x81 Menu"), "cafe\xCC\x81-menu");
  /* invalid bytes never leak into the slug */
  char *s = hg_slugify("a\xff\xfe b\xC3");
  assert_true(hg_utf8_valid(s, strlen(s), NULL));
  assert_string_equal(s, "a-b");
  free(s);
}

typedef struct {
  const char *bytes;
  size_t len;
  bool ok;
  size_t bad;
} utf8_case;

static void test_utf8_valid(void **state) {
  (void)state;
  static const utf8_case cases[] = {
      {"plain ascii", 11, true, 0},
      {"\xC3\xA9", 2, true, 0},                 /* é */
      {"\xE2\x82\xAC", 3, true, 0},             /* € */
      {"\xF0\x9F\x9A\x80", 4, true, 0},         /* 🚀 */
      {"\xED\x9F\xBF", 3, true, 0},             /* U+D7FF, just below surrogates */
      {"\xEE\x80\x80", 3, true, 0},             /* U+E000, just above */
      {"\xF4\x8F\xBF\xBF", 4, true, 0},         /* U+10FFFF */
      {"\x00\x01", 2, true, 0},                 /* NUL is valid UTF-8 */
      {"ab\xC0\xAF", 4, false, 2},              /* overlong '/' */
      {"\xC1\xBF", 2, false, 0},                /* overlong 2-byte */
      {"x\xE0\x80\xAF", 4, false, 1},           /* overlong 3-byte */
      {"\xE0\x9F\xBF", 3, false, 0},            /* overlong: U+07FF in 3 bytes */
      {"\xF0\x80\x80\xAF", 4, false, 0},        /* overlong 4-byte */
      {"\xF0\x8F\xBF\xBF", 4, false, 0},        /* overlong: U+FFFF in 4 bytes */
      {"ok\xED\xA0\x80", 5, false, 2},          /* high surrogate D800 */
      {"\xED\xBF\xBF", 3, false, 0},            /* low surrogate DFFF */
      {"\xF4\x90\x80\x80", 4, false, 0},        /* above U+10FFFF */
      {"\xF5\x80\x80\x80", 4, false, 0},
      {"\xF8\x88\x80\x80\x80", 5, false, 0},    /* 5-byte form */
      {"abc\x80", 4, false, 3},                 /* lone continuation */
      {"\xC3(", 2, false, 0},                   /* bad continuation */
      {"abc\xE2\x82", 5, false, 3},             /* truncated at the end */
      {"\xC3\xA9", 1, false, 0},                /* truncated by len */
      {"\xFF", 1, false, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t bad = 999;
    bool ok = hg_utf8_valid(cases[i].bytes, cases[i].len, &bad);
    if (ok != cases[i].ok) fail_msg("case %zu: expected %s", i, cases[i].ok ? "valid" : "invalid");
    if (!ok && bad != cases[i].bad)
      fail_msg("case %zu: bad offset %zu, expected %zu", i, bad, cases[i].bad);
  }
  assert_false(hg_utf8_valid("\xC0\x80", 2, NULL)); /* NULL offset is allowed */
  assert_true(hg_utf8_valid("", 0, NULL));
}

static void test_hash(void **state) {
  (void)state;
  char a[17], b[17], c[17];
  hg_hash_hex("hello", 5, a);
  hg_hash_hex("hello", 5, b);
  hg_hash_hex("hellp", 5, c);
  assert_int_equal(strlen(a), 16);
  assert_int_equal(strspn(a, "0123456789abcdef"), 16);
  assert_string_equal(a, b);
  assert_string_not_equal(a, c);
  char d[17];
  snprintf(d, sizeof d, "%016llx", (unsigned long long)hg_hash64("hello", 5));
  assert_string_equal(a, d);
}

/* ---- string map --------------------------------------------------------- */
static void test_strmap(void **state) {
  (void)state;
  hg_strmap m = {0};
  assert_int_equal(hg_strmap_get(&m, "x", -7), -7); /* empty map */
  hg_strmap_put(&m, "a/b.md", 3);
  hg_strmap_put(&m, "", 9);
  assert_int_equal(hg_strmap_get(&m, "a/b.md", -1), 3);
  assert_int_equal(hg_strmap_get(&m, "", -1), 9);
  assert_int_equal(hg_strmap_get(&m, "a/b", -1), -1);
  hg_strmap_put(&m, "a/b.md", -2); /* replace */
  assert_int_equal(hg_strmap_get(&m, "a/b.md", -1), -2);
  assert_int_equal(m.len, 2);
  /* the key is copied */
  char key[16] = "temp";
  hg_strmap_put(&m, key, 5);
  strcpy(key, "gone");
  assert_int_equal(hg_strmap_get(&m, "temp", -1), 5);
  assert_int_equal(hg_strmap_get(&m, "gone", -1), -1);
  /* enough keys to rehash several times */
  char buf[32];
  for (long i = 0; i < 5000; i++) {
    snprintf(buf, sizeof buf, "k%ld", i);
    hg_strmap_put(&m, buf, i * 2);
  }
  assert_int_equal(m.len, 5003);
  for (long i = 0; i < 5000; i++) {
    snprintf(buf, sizeof buf, "k%ld", i);
    assert_int_equal(hg_strmap_get(&m, buf, -1), i * 2);
  }
  assert_int_equal(hg_strmap_get(&m, "k5000", -1), -1);
  assert_int_equal(hg_strmap_get(&m, "a/b.md", -1), -2);
  hg_strmap_free(&m);
  assert_int_equal(m.len, 0);
  assert_int_equal(hg_strmap_get(&m, "k1", -1), -1);
}

/* ---- threads ------------------------------------------------------------ */
typedef struct {
  size_t n;
  int threads;
  atomic_int *calls;     /* per item */
  unsigned long *result; /* per item */
  atomic_int bad_worker;
} par_ctx;

static void par_task(void *p, size_t i, int worker) {
  par_ctx *c = p;
  if (worker < 0 || worker >= c->threads) atomic_fetch_add(&c->bad_worker, 1);
  atomic_fetch_add(&c->calls[i], 1);
  unsigned long h = i + 1;
  for (int k = 0; k < 200; k++) h = h * 6364136223846793005UL + 1442695040888963407UL;
  c->result[i] = h;
}

static unsigned long *run_par(size_t n, int threads) {
  /* workers are numbered 0..threads-1, at least one, never more than n */
  int eff = threads < 1 ? 1 : (size_t)threads > n ? (int)n : threads;
  par_ctx c = {.n = n, .threads = eff};
  c.calls = hg_xcalloc(n, sizeof *c.calls);
  c.result = hg_xcalloc(n, sizeof *c.result);
  atomic_init(&c.bad_worker, 0);
  hg_parallel_for(n, threads, par_task, &c);
  for (size_t i = 0; i < n; i++)
    if (atomic_load(&c.calls[i]) != 1)
      fail_msg("item %zu ran %d times with %d threads", i, atomic_load(&c.calls[i]), threads);
  assert_int_equal(atomic_load(&c.bad_worker), 0);
  free(c.calls);
  return c.result;
}

static void test_parallel_for(void **state) {
  (void)state;
  const size_t n = 3001;
  unsigned long *one = run_par(n, 1);
  static const int counts[] = {2, 3, 8, 64};
  for (size_t t = 0; t < sizeof counts / sizeof counts[0]; t++) {
    unsigned long *many = run_par(n, counts[t]);
    assert_memory_equal(one, many, n * sizeof *one);
    free(many);
  }
  free(one);
  /* fewer items than threads, zero items, nonsense thread counts */
  free(run_par(3, 16));
  free(run_par(5, 0));
  free(run_par(5, -4));
  par_ctx c = {.n = 0, .threads = 4};
  atomic_init(&c.bad_worker, 0);
  hg_parallel_for(0, 4, par_task, &c); /* must not call the task */
}

static void test_default_threads(void **state) {
  (void)state;
  char *old = getenv("HELPGEN_THREADS") ? hg_xstrdup(getenv("HELPGEN_THREADS")) : NULL;
  setenv("HELPGEN_THREADS", "3", 1);
  assert_int_equal(hg_default_threads(), 3);
  setenv("HELPGEN_THREADS", "100000", 1);
  assert_int_equal(hg_default_threads(), 64);
  setenv("HELPGEN_THREADS", "zero", 1);
  int n = hg_default_threads();
  assert_true(n >= 1 && n <= 64);
  unsetenv("HELPGEN_THREADS");
  assert_int_equal(hg_default_threads(), n);
  if (old) setenv("HELPGEN_THREADS", old, 1);
  free(old);
}

/* ---- files -------------------------------------------------------------- */
static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* hg_list_files: files below, hidden names skipped, links to folders
 * followed (the file type from readdir is used when it is known). */
static void test_list_files(void **state) {
  (void)state;
  char *dir = tmp_new();
  put_file(dir, "a.md", "");
  put_file(dir, "sub/deeper/b.md", "");
  put_file(dir, ".hidden/c.md", "");
  put_file(dir, "sub/.d.md", "");
  put_file(dir, "other/e.png", "");
  char *link = hg_path_join(dir, "linked");
  char *target = hg_path_join(dir, "other");
  assert_int_equal(symlink(target, link), 0);
  char **names = NULL;
  size_t n = 0;
  hg_list_files(dir, &names, &n);
  qsort(names, n, sizeof *names, cmp_names);
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    hg_buf_printf(&b, "%s ", names[i]);
    free(names[i]);
  }
  free(names);
  assert_string_equal(hg_buf_cstr(&b), "a.md linked/e.png other/e.png sub/deeper/b.md ");
  hg_buf_free(&b);
  free(link);
  free(target);
  tmp_remove(dir);
}

static void test_files(void **state) {
  (void)state;
  char *dir = tmp_new();
  hg_error *err = NULL;
  char *p = hg_path_join(dir, "a/b/c/file.bin");
  const char data[] = "x\0y\nz";
  assert_true(hg_write_file(p, data, sizeof data, &err)); /* creates a/b/c */
  assert_null(err);
  assert_true(hg_is_file(p));
  assert_false(hg_is_dir(p));
  size_t len = 0;
  char *back = hg_read_file(p, &len, &err);
  assert_non_null(back);
  assert_int_equal(len, sizeof data);
  assert_memory_equal(back, data, sizeof data);
  assert_int_equal(back[len], '\0'); /* room for a NUL after the data */
  free(back);

  /* an empty file reads as "" */
  char *e = hg_path_join(dir, "empty");
  assert_true(hg_write_file(e, "", 0, &err));
  back = hg_read_file(e, &len, &err);
  assert_non_null(back);
  assert_int_equal(len, 0);
  assert_string_equal(back, "");
  free(back);

  /* bigger than any read buffer; a folder and a pipe-like /proc file */
  size_t big_len = 300000;
  char *big = hg_xmalloc(big_len);
  for (size_t i = 0; i < big_len; i++) big[i] = (char)('a' + i % 26);
  char *bp = hg_path_join(dir, "big.txt");
  assert_true(hg_write_file(bp, big, big_len, &err));
  back = hg_read_file(bp, &len, &err);
  assert_int_equal(len, big_len);
  assert_memory_equal(back, big, big_len);
  assert_int_equal(back[len], '\0');
  free(back);
  free(big);
  free(bp);
  assert_null(hg_read_file(dir, &len, &err));
  assert_non_null(err);
  assert_contains(err->msg, "read error");
  hg_error_free(err);
  err = NULL;
  back = hg_read_file("/proc/self/status", &len, &err); /* st_size 0 */
  assert_non_null(back);
  assert_true(len > 0 && strlen(back) == len);
  assert_contains(back, "Name:");
  free(back);

  char *q = hg_path_join(dir, "copy/of/file.bin");
  assert_true(hg_copy_file(p, q, &err));
  back = hg_read_file(q, &len, NULL);
  assert_int_equal(len, sizeof data);
  assert_memory_equal(back, data, sizeof data);
  free(back);

  /* reading a missing file names it */
  char *missing = hg_path_join(dir, "nope.md");
  assert_null(hg_read_file(missing, &len, &err));
  assert_non_null(err);
  assert_true(hg_str_has_prefix(err->msg, missing));
  assert_contains(err->msg, "cannot read");
  hg_error_free(err);
  err = NULL;
  assert_false(hg_copy_file(missing, q, &err));
  assert_non_null(err);
  hg_error_free(err);
  err = NULL;

  /* a file in the way of a folder */
  char *in_way = hg_path_join(dir, "empty/sub");
  assert_false(hg_mkdir_p(in_way, &err));
  assert_non_null(err);
  hg_error_free(err);
  err = NULL;
  char *under_file = hg_path_join(dir, "empty/sub/x.txt");
  assert_false(hg_write_file(under_file, "x", 1, &err));
  assert_non_null(err);
  hg_error_free(err);
  err = NULL;

  char *deep = hg_path_join(dir, "m/n/o/");
  assert_true(hg_mkdir_p(deep, &err));
  assert_true(hg_mkdir_p(deep, &err)); /* again: already there */
  assert_true(hg_is_dir(deep));

  /* rm -rf of a tree, then of something missing */
  char *a = hg_path_join(dir, "a");
  assert_true(hg_rm_rf(a));
  assert_false(hg_is_dir(a));
  assert_true(hg_rm_rf(a));
  assert_true(hg_is_dir(dir));
  assert_false(hg_is_file(dir));

  free(a);
  free(deep);
  free(under_file);
  free(in_way);
  free(missing);
  free(q);
  free(e);
  free(p);
  tmp_remove(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buf_basics),
      cmocka_unit_test(test_buf_growth),
      cmocka_unit_test(test_buf_put_html),
      cmocka_unit_test(test_strings_small),
      cmocka_unit_test(test_error_format),
      cmocka_unit_test(test_error_set),
      cmocka_unit_test(test_diags),
      cmocka_unit_test(test_varints),
      cmocka_unit_test(test_strings_and_mem),
      cmocka_unit_test(test_records_truncated),
      cmocka_unit_test(test_diags_round_trip),
      cmocka_unit_test(test_path_join_dirname),
      cmocka_unit_test(test_path_normalize),
      cmocka_unit_test(test_rel_url),
      cmocka_unit_test(test_slugify),
      cmocka_unit_test(test_utf8_valid),
      cmocka_unit_test(test_hash),
      cmocka_unit_test(test_strmap),
      cmocka_unit_test(test_parallel_for),
      cmocka_unit_test(test_default_threads),
      cmocka_unit_test(test_files),
      cmocka_unit_test(test_list_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
