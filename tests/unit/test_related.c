/* test_related.c - unit tests for src/related.c: related articles (what
 * counts as related, order, padding, determinism across thread counts) and
 * the popular list from helpgen.yaml. Sites are real folders loaded through
 * hg_config_load, hg_content_load, hg_site_build and hg_md_render. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hg_related.h"
#include "helpers.h"

typedef struct {
  char *dir;
  hg_config *cfg;
  hg_content *c;
  hg_site *s;
  hg_md_result *md;
  hg_diags d;
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  for (size_t i = 0; f->md && i < f->s->narts; i++) hg_md_result_free(&f->md[i]);
  free(f->md);
  hg_site_free(f->s);
  hg_content_free(f->c);
  hg_config_free(f->cfg);
  hg_diags_free(&f->d);
  tmp_remove(f->dir);
  free(f);
  return 0;
}

static void load(fixture *f, bool drafts) {
  hg_diags pre = {0};
  hg_error *err = NULL;
  f->cfg = hg_config_load(f->dir, &pre, &err);
  assert_non_null(f->cfg);
  f->c = hg_content_load(f->cfg, NULL, &pre, &err);
  assert_non_null(f->c);
  hg_site_opts so = {.drafts = drafts};
  f->s = hg_site_build(f->cfg, f->c, &so, &pre);
  if (hg_diags_count(&pre, HG_ERR)) fail_msg("errors while loading:\n%s", diags_text(&pre));
  hg_diags_free(&pre);
  f->md = hg_xcalloc(f->s->narts ? f->s->narts : 1, sizeof *f->md);
  for (size_t i = 0; i < f->s->narts; i++) {
    const hg_article *a = &f->c->articles[f->s->arts[i].article];
    hg_md_opts o = {.path = a->path, .line_offset = a->body_line, .title = a->title};
    hg_md_render(a->body, a->body_len, &o, &f->md[i], &pre);
  }
  hg_diags_free(&pre);
}

/* site->arts index of the article at content-relative `rel`. */
static size_t art(const fixture *f, const char *rel) {
  long i = hg_strmap_get(&f->s->by_path, rel, -1);
  if (i < 0) fail_msg("no article %s", rel);
  return (size_t)i;
}

static const char *title_of(const fixture *f, size_t i) {
  return i == HG_RELATED_NONE ? "(none)" : f->c->articles[f->s->arts[i].article].title;
}

static void write_shop(const char *dir) {
  put_file(dir, "content/returns/start.md",
           "---\ntitle: Start a return\ntags: [returns, refunds]\nkeywords: [send back]\n---\n"
           "## Print a return label\n\n## Drop off the package\n");
  put_file(dir, "content/returns/refund-time.md",
           "---\ntitle: When will I get my refund?\ntags: [refunds]\n---\n"
           "## Refund times by payment method\n");
  put_file(dir, "content/returns/exchange.md",
           "---\ntitle: Exchange an item\ntags: [returns, exchanges]\n---\n"
           "## Return label for an exchange\n");
  put_file(dir, "content/orders/track.md",
           "---\ntitle: Track your package\ntags: [tracking]\nkeywords: [where is my order]\n---\n"
           "## Tracking number\n");
  put_file(dir, "content/orders/late.md",
           "---\ntitle: My package is late\ntags: [tracking, delivery]\n---\n"
           "## Check the tracking page\n");
  put_file(dir, "content/account/password.md",
           "---\ntitle: Reset your password\ntags: [sign-in]\n---\nNothing shared here.\n");
  put_file(dir, "content/account/stop.md",
           "---\ntitle: How can you and your\n---\nOnly stopwords in the title.\n");
}

static void test_related_basic(void **state) {
  fixture *f = *state;
  write_shop(f->dir);
  load(f, false);
  size_t k = 3;
  size_t *r = hg_related_compute(f->s, f->md, k, 2);
  assert_non_null(r);
  size_t start = art(f, "returns/start.md");
  size_t *row = &r[start * k];
  /* the two other returns articles first (either order), then weaker ones
   * ("package" in a heading), never the unrelated account articles */
  assert_true(row[0] == art(f, "returns/exchange.md") || row[0] == art(f, "returns/refund-time.md"));
  assert_true(row[1] == art(f, "returns/exchange.md") || row[1] == art(f, "returns/refund-time.md"));
  assert_true(row[0] != row[1]);
  assert_true(row[2] != art(f, "account/password.md") && row[2] != art(f, "account/stop.md"));
  size_t track = art(f, "orders/track.md");
  assert_string_equal(title_of(f, r[track * k]), "My package is late");
  /* nothing in common, or only stopwords: no related articles */
  size_t pw = art(f, "account/password.md"), stop = art(f, "account/stop.md");
  for (size_t j = 0; j < k; j++) {
    assert_int_equal(r[pw * k + j], HG_RELATED_NONE);
    assert_int_equal(r[stop * k + j], HG_RELATED_NONE);
  }
  /* never itself */
  for (size_t i = 0; i < f->s->narts; i++)
    for (size_t j = 0; j < k; j++) assert_true(r[i * k + j] != i);
  free(r);
}

static void test_related_headings_count(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: Alpha\n---\n## Warranty claims\n");
  put_file(f->dir, "content/b.md", "---\ntitle: Beta\n---\n## Warranty claims abroad\n");
  put_file(f->dir, "content/c.md", "---\ntitle: Gamma\n---\nwarranty claims in the body only\n");
  load(f, false);
  size_t *r = hg_related_compute(f->s, f->md, 2, 1);
  size_t a = art(f, "a.md");
  assert_string_equal(title_of(f, r[a * 2]), "Beta");
  assert_int_equal(r[a * 2 + 1], HG_RELATED_NONE); /* body text is not used */
  free(r);
  /* without Markdown results only front matter counts */
  r = hg_related_compute(f->s, NULL, 2, 1);
  assert_int_equal(r[a * 2], HG_RELATED_NONE);
  free(r);
}

static void test_related_ties_and_unicode(void **state) {
  fixture *f = *state;
  /* b and c are equally close to a: the earlier in site order wins */
  put_file(f->dir, "content/a.md", "---\ntitle: Účet\ntags: [Platby]\n---\n");
  put_file(f->dir, "content/b.md", "---\ntitle: B\ntags: [platby]\n---\n");
  put_file(f->dir, "content/c.md", "---\ntitle: C\ntags: [PLATBY]\n---\n");
  load(f, false);
  size_t *r = hg_related_compute(f->s, f->md, 5, 3);
  size_t a = art(f, "a.md");
  assert_string_equal(title_of(f, r[a * 5]), "B");
  assert_string_equal(title_of(f, r[a * 5 + 1]), "C");
  assert_int_equal(r[a * 5 + 2], HG_RELATED_NONE);
  free(r);
}

static void test_related_empty(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/_index.md", "---\ntitle: Home\n---\n");
  load(f, false);
  assert_null(hg_related_compute(f->s, f->md, 5, 2));
}

static void test_related_k_zero(void **state) {
  fixture *f = *state;
  write_shop(f->dir);
  load(f, false);
  assert_null(hg_related_compute(f->s, f->md, 0, 2));
}

/* 600 articles in 12 folders with overlapping tags and headings: the result
 * is the same for 1, 2 and 7 threads. */
static void test_related_deterministic(void **state) {
  fixture *f = *state;
  static const char *const words[] = {"refund", "label", "courier", "invoice", "voucher",
                                      "password", "parcel", "customs", "warranty", "size"};
  for (int i = 0; i < 600; i++) {
    char rel[64];
    snprintf(rel, sizeof rel, "content/c%02d/a%03d.md", i % 12, i);
    char *text = hg_strdup_printf(
        "---\ntitle: %s %s %d\ntags: [%s, %s]\n---\n## About %s\n\n## More on %s\n",
        words[i % 10], words[(i / 10) % 10], i, words[(i * 7) % 10], words[(i / 3) % 10],
        words[(i + 3) % 10], words[(i * 3) % 10]);
    put_file(f->dir, rel, text);
    free(text);
  }
  load(f, false);
  size_t n = f->s->narts * 5;
  size_t *r1 = hg_related_compute(f->s, f->md, 5, 1);
  size_t *r2 = hg_related_compute(f->s, f->md, 5, 2);
  size_t *r7 = hg_related_compute(f->s, f->md, 5, 7);
  assert_memory_equal(r1, r2, n * sizeof *r1);
  assert_memory_equal(r1, r7, n * sizeof *r1);
  size_t filled = 0;
  for (size_t i = 0; i < n; i++) filled += r1[i] != HG_RELATED_NONE;
  assert_true(filled > n / 2);
  free(r1);
  free(r2);
  free(r7);
}

/* ---- popular ------------------------------------------------------------ */
static void test_popular(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml",
           "title: T\npopular:\n  - orders/track.md\n  - returns/start\n  - /content/orders/late.md\n"
           "  - orders/nope.md\n  - returns/draft.md\n  - orders/track\n  - [x]\n");
  write_shop(f->dir);
  put_file(f->dir, "content/returns/draft.md", "---\ntitle: Draft\ndraft: true\n---\n");
  put_file(f->dir, "content/account/promo.md", "---\ntitle: Promo\npromoted: true\n---\n");
  put_file(f->dir, "content/orders/promo2.md", "---\ntitle: Promo 2\npromoted: true\nweight: -1\n---\n");
  put_file(f->dir, "content/returns/refund-time.md",
           "---\ntitle: When will I get my refund?\npromoted: true\n---\n");
  load(f, false);
  size_t n = 0;
  size_t *p = hg_related_popular(f->s, &f->d, &n);
  const char *want[] = {"Track your package", "Start a return", "My package is late",
                        "Promo 2", "Promo", "When will I get my refund?"};
  assert_int_equal(n, 6);
  for (size_t i = 0; i < n; i++) assert_string_equal(title_of(f, p[i]), want[i]);
  free(p);
  assert_diag(&f->d, HG_WARN,
              "helpgen.yaml:6:5: warning: popular: no article content/orders/nope.md (left out; "
              "paths are relative to content/)");
  assert_diag(&f->d, HG_WARN,
              "helpgen.yaml:7:5: warning: popular: 'returns/draft.md' is a draft (left out until "
              "it is published)");
  assert_diag(&f->d, HG_WARN,
              "helpgen.yaml:8:5: warning: popular: 'orders/track' is listed twice (the second is "
              "left out)");
  assert_diag(&f->d, HG_WARN, "helpgen.yaml:9:5: warning: 'popular' items should be article paths");
  assert_diag_counts(&f->d, 0, 4);
}

static void test_popular_not_a_list(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "title: T\npopular: orders/track.md\n");
  write_shop(f->dir);
  load(f, false);
  size_t n = 9;
  size_t *p = hg_related_popular(f->s, &f->d, &n);
  assert_int_equal(n, 0);
  free(p);
  assert_diag(&f->d, HG_WARN,
              "helpgen.yaml:2:10: warning: 'popular' should be a list of article paths such as "
              "orders/track-order.md, found a string (ignored)");
}

static void test_popular_absent_is_promoted(void **state) {
  fixture *f = *state;
  write_shop(f->dir);
  put_file(f->dir, "content/account/promo.md", "---\ntitle: Promo\npromoted: true\n---\n");
  load(f, false);
  size_t n = 0;
  size_t *p = hg_related_popular(f->s, &f->d, &n);
  assert_int_equal(n, 1);
  assert_string_equal(title_of(f, p[0]), "Promo");
  free(p);
  assert_diag_counts(&f->d, 0, 0);
}

int main(void) {
  hg_md_init();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_related_basic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_related_headings_count, setup, teardown),
      cmocka_unit_test_setup_teardown(test_related_ties_and_unicode, setup, teardown),
      cmocka_unit_test_setup_teardown(test_related_empty, setup, teardown),
      cmocka_unit_test_setup_teardown(test_related_k_zero, setup, teardown),
      cmocka_unit_test_setup_teardown(test_related_deterministic, setup, teardown),
      cmocka_unit_test_setup_teardown(test_popular, setup, teardown),
      cmocka_unit_test_setup_teardown(test_popular_not_a_list, setup, teardown),
      cmocka_unit_test_setup_teardown(test_popular_absent_is_promoted, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
