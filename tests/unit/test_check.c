/* test_check.c - unit tests for src/check.c (`helpgen check`): every rule on
 * a small real site (found and not found), the fatal cases, exit codes, and
 * the text, JSON and JUnit reports (escaping included). Runs from the
 * repository root (make unit), whose themes/ is the built-in theme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hg_check.h"
#include "hg_markdown.h"
#include "helpers.h"

typedef struct {
  char *dir;
  hg_check_report r;
  bool ran;
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  if (f->ran) hg_check_report_free(&f->r);
  tmp_remove(f->dir);
  free(f);
  return 0;
}

static int group_setup(void **state) {
  (void)state;
  char *themes = realpath("themes", NULL);
  if (!themes) fail_msg("run from the repository root (themes/ not found)");
  setenv("HELPGEN_THEMES", themes, 1);
  free(themes);
  hg_md_init();
  return 0;
}

/* A clean two-article site: every rule passes on it. */
static void write_clean(const char *dir) {
  put_file(dir, "helpgen.yaml", "title: T\n");
  put_file(dir, "content/orders/_index.md", "---\ntitle: Orders\ndescription: D\n---\n");
  put_file(dir, "content/orders/track.md",
           "---\ntitle: Track\ndescription: D\n---\n\nSee [returns](../returns/start.md#fees).\n\n"
           "## Where is it\n\nText and [up](#where-is-it).\n");
  put_file(dir, "content/returns/start.md",
           "---\ntitle: Start\ndescription: D\n---\n\n## Fees\n\n"
           "Back to [tracking](/orders/track.md) and ![pic](pic.png).\n");
  put_file(dir, "content/returns/pic.png", "PNG");
}

static hg_check_report *run_opts(fixture *f, const hg_check_opts *o) {
  if (f->ran) hg_check_report_free(&f->r);
  hg_error *err = NULL;
  hg_check_opts opts = *o;
  opts.site_dir = f->dir;
  opts.threads = 2;
  if (!opts.today) opts.today = "2026-01-15";
  if (!hg_check_run(&opts, &f->r, &err)) fail_msg("check failed: %s", err ? err->msg : "?");
  f->ran = true;
  return &f->r;
}

static hg_check_report *run(fixture *f) {
  hg_check_opts o = {0};
  return run_opts(f, &o);
}

static char *report_text(const hg_check_report *r) { return hg_check_format_text(r, false); }

/* Number of findings of `rule` whose text line contains `needle` (NULL: any). */
static size_t count(const hg_check_report *r, const char *rule, const char *needle) {
  size_t n = 0;
  for (size_t i = 0; i < r->len; i++) {
    if (strcmp(r->items[i].rule, rule)) continue;
    hg_check_report one = {.items = &r->items[i], .len = 1};
    char *line = report_text(&one);
    n += !needle || strstr(line, needle);
    free(line);
  }
  return n;
}

static void expect(const hg_check_report *r, const char *rule, const char *needle) {
  if (count(r, rule, needle)) return;
  char *all = report_text(r);
  fail_msg("expected a [%s] finding containing\n  %s\namong\n%s", rule, needle, all);
}

static void expect_none(const hg_check_report *r) {
  if (!r->len) return;
  char *all = report_text(r);
  fail_msg("expected no findings, got\n%s", all);
}

/* ---- rules ----------------------------------------------------------------- */

static void test_clean_site(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  hg_check_report *r = run(f);
  expect_none(r);
  assert_int_equal(r->articles, 2);
  assert_false(r->fatal);
  assert_int_equal(hg_check_exit_code(r, true), 0);
  assert_string_equal(r->today, "2026-01-15");
}

static void test_broken_link_and_anchor(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "content/orders/track.md",
           "---\ntitle: Track\ndescription: D\n---\n\nSee [returns](../returns/start.md#fees).\n\n"
           "## Where is it\n\n[a](nope.md) [b](../returns/start.md#nofees) [c](#where-is-it)\n"
           "[d](#nowhere) [e](guide.pdf) [f](../../up.md) [g](../returns/)\n");
  hg_check_report *r = run(f);
  /* the same position as the build reports: file line, character column */
  expect(r, "broken-link", "content/orders/track.md:10:1: error: link to missing article 'nope.md'");
  expect(r, "broken-anchor", "track.md:10:14: error: link to '../returns/start.md#nofees': ");
  expect(r, "broken-anchor", "track.md:11:1: error: link to '#nowhere': this page has no heading");
  expect(r, "broken-link", "track.md:11:15: error: link to 'guide.pdf' not found (no article, folder or file content/orders/guide.pdf)");
  expect(r, "broken-link", "track.md:11:30: error: link to '../../up.md' leads outside content/");
  assert_int_equal(count(r, "broken-link", NULL), 3);
  assert_int_equal(count(r, "broken-anchor", NULL), 2);
  assert_int_equal(r->errors, 5);
  assert_int_equal(r->warnings, 0);
  assert_int_equal(hg_check_exit_code(r, false), 1);
}

static void test_anchor_unicode_and_faq(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "content/orders/track.md",
           "---\ntitle: Track\ndescription: D\n---\n\n[a](../returns/faq.md#účet-a-platby) "
           "[b](../returns/faq.md#%C3%BA%C4%8Det-a-platby) [c](../returns/start.md#fees)\n");
  put_file(f->dir, "content/returns/faq.md",
           "---\ntitle: FAQ\ndescription: D\ntype: faq\n---\n\n## Účet a platby\n\nYes.\n\n"
           "[back](../orders/track.md)\n");
  hg_check_report *r = run(f);
  expect_none(r);
}

static void test_draft_and_images(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "content/returns/draft.md", "---\ntitle: Dr\ndescription: D\ndraft: true\n---\n");
  put_file(f->dir, "content/returns/big.png", "");
  char *big = hg_path_join(f->dir, "content/returns/big.png");
  FILE *fp = fopen(big, "wb");
  for (int i = 0; i < 3000; i++) fputc('x', fp);
  fclose(fp);
  free(big);
  put_file(f->dir, "content/returns/start.md",
           "---\ntitle: Start\ndescription: D\n---\n\n## Fees\n\n[t](/orders/track.md) "
           "[d](draft.md) ![m](missing.png)\n![b](big.png) ![s](pic.png) ![remote](https://x.test/a.png)\n");
  hg_check_opts o = {.max_image_kb = 2};
  hg_check_report *r = run_opts(f, &o);
  expect(r, "draft-link", "start.md:8:23: warning: link to 'draft.md', a draft that is not published");
  expect(r, "missing-image", "start.md:8:37: error: image 'missing.png' not found");
  expect(r, "oversized-image", "start.md:9:1: warning: image 'big.png' is 3 kB, over the limit of 2 kB");
  assert_int_equal(r->len, 3);
  /* the limit from helpgen.yaml; the option wins over it */
  put_file(f->dir, "helpgen.yaml", "title: T\ncheck:\n  max_image_kb: 4\n");
  hg_check_opts none = {0};
  r = run_opts(f, &none);
  assert_int_equal(count(r, "oversized-image", NULL), 0);
  put_file(f->dir, "helpgen.yaml", "title: T\ncheck:\n  max_image_kb: 1\n");
  r = run_opts(f, &none);
  expect(r, "oversized-image", "over the limit of 1 kB");
  r = run_opts(f, &o);
  expect(r, "oversized-image", "over the limit of 2 kB");
  put_file(f->dir, "helpgen.yaml", "title: T\ncheck:\n  max_image_kb: lots\n");
  r = run_opts(f, &none);
  expect(r, "config", "helpgen.yaml:3:17: warning: 'check.max_image_kb' should be a positive number");
  assert_int_equal(count(r, "oversized-image", NULL), 0); /* 500 kB: 3 kB is fine */
}

static void test_drafts_option(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "content/returns/draft.md", "---\ntitle: Dr\ndescription: D\ndraft: true\n---\n");
  put_file(f->dir, "content/returns/start.md",
           "---\ntitle: Start\ndescription: D\n---\n\n## Fees\n\n[t](/orders/track.md) [d](draft.md)\n");
  hg_check_opts o = {.drafts = true};
  hg_check_report *r = run_opts(f, &o);
  expect_none(r);
  assert_int_equal(r->articles, 3);
}

static void test_orphans(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "content/orders/alone.md",
           "---\ntitle: Alone\ndescription: D\n---\n\nI link to [myself](alone.md) only.\n");
  put_file(f->dir, "content/orders/top.md", "---\ntitle: Top\ndescription: D\npromoted: true\n---\n");
  put_file(f->dir, "content/orders/intro.md", "---\ntitle: Intro\ndescription: D\n---\n");
  put_file(f->dir, "content/orders/_index.md",
           "---\ntitle: Orders\ndescription: D\n---\nStart with [the intro](intro.md).\n");
  hg_check_report *r = run(f);
  expect(r, "orphan", "content/orders/alone.md:1: warning: no other article or folder intro links here");
  assert_int_equal(r->len, 1);
  assert_int_equal(hg_check_exit_code(r, false), 0);
  assert_int_equal(hg_check_exit_code(r, true), 1);
}

static void test_duplicates(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "content/returns/_index.md",
           "---\ntitle: Returns\n---\n[1](a.md) [2](b.md) [3](c.md) [4](d.md) [5](other/e.md)\n");
  put_file(f->dir, "content/returns/a.md", "---\ntitle: Same Title\ndescription: D\n---\n");
  put_file(f->dir, "content/returns/b.md", "---\ntitle: same title \ndescription: D\n---\n");
  put_file(f->dir, "content/returns/c.md", "---\ntitle: C\ndescription: D\nslug: a\n---\n");
  put_file(f->dir, "content/returns/d.md", "---\ntitle: D\ndescription: D\nslug: other\n---\n");
  put_file(f->dir, "content/returns/other/e.md", "---\ntitle: Same title\ndescription: D\n---\n");
  hg_check_report *r = run(f);
  expect(r, "duplicate-title", "returns/b.md:2: warning: duplicate title 'same title':");
  expect(r, "duplicate-slug", "returns/c.md:4:7: error: duplicate slug 'a':");
  expect(r, "duplicate-slug", "returns/d.md:4:7: error: duplicate slug 'other':");
  /* a title in another folder is fine; the site stage's copy is not repeated */
  assert_int_equal(count(r, "duplicate-title", NULL), 1);
  assert_int_equal(count(r, "duplicate-slug", NULL), 2);
  assert_int_equal(count(r, "site", NULL), 0);
}

static void test_description_and_review(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "content/returns/_index.md",
           "---\ntitle: R\n---\n[1](a.md) [2](b.md) [3](c.md)\n");
  put_file(f->dir, "content/returns/a.md", "---\ntitle: A\nreview_by: 2026-01-14\n---\n");
  put_file(f->dir, "content/returns/b.md", "---\ntitle: B\ndescription: D\nreview_by: 2026-01-15\n---\n");
  put_file(f->dir, "content/returns/c.md", "---\ntitle: C\ndescription: \"\"\n---\n");
  hg_check_report *r = run(f);
  expect(r, "missing-description", "returns/a.md:1: warning: no description");
  expect(r, "missing-description", "returns/c.md:1: warning: no description");
  expect(r, "review-overdue", "returns/a.md:3:12: warning: review_by 2026-01-14 has passed (today is 2026-01-15)");
  assert_int_equal(r->len, 3);
  hg_check_opts o = {.today = "2026-01-14"};
  r = run_opts(f, &o);
  assert_int_equal(count(r, "review-overdue", NULL), 0);
}

/* check reports alias problems with the build's own check (hg_seo_check),
 * so it finds what would fail the build, loops and own files included. */
static void test_aliases(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "helpgen.yaml", "title: T\nbase_url: https://example.com/\n");
  put_file(f->dir, "content/returns/_index.md", "---\ntitle: R\n---\n[1](a.md) [2](b.md)\n");
  put_file(f->dir, "content/returns/a.md",
           "---\ntitle: A\ndescription: D\naliases:\n  - /old/a/\n  - /sitemap.xml\n  - /orders/\n"
           "  - https://example.com/returns/start/index.html\n  - https://elsewhere.example/x/\n---\n");
  put_file(f->dir, "content/returns/b.md",
           "---\ntitle: B\ndescription: D\naliases: /old/a/index.html, /old/b/, /returns/c/\n---\n");
  put_file(f->dir, "content/returns/c.md",
           "---\ntitle: C\ndescription: D\naliases: [/returns/b/]\n---\n[a](a.md)\n");
  hg_check_report *r = run(f);
  expect(r, "alias-collision", "returns/a.md:6:5: error: alias '/sitemap.xml' would replace helpgen's own sitemap.xml");
  expect(r, "alias-collision", "returns/a.md:7:5: error: alias '/orders/' is the URL of the folder ");
  expect(r, "alias-collision", "returns/a.md:8:5: error: alias 'https://example.com/returns/start/index.html' is the URL of ");
  expect(r, "alias-collision", "returns/a.md:9:5: error: alias 'https://elsewhere.example/x/' is not a path on this site");
  expect(r, "alias-collision", "returns/b.md:4:10: error: duplicate alias '/old/a/index.html': ");
  expect(r, "alias-collision", "returns/b.md:4:10: error: redirect loop: alias '/returns/c/' is the URL of ");
  expect(r, "alias-collision", "returns/c.md:4:11: error: redirect loop: alias '/returns/b/' is the URL of ");
  /* /old/b/ is free */
  assert_int_equal(count(r, "alias-collision", NULL), 7);
}

/* With `languages:` aliases are checked against every language's URLs as
 * the build publishes them (the default language at the root). */
static void test_aliases_languages(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "title: T\nlanguages: [en, cs]\n");
  put_file(f->dir, "content/en/orders/track.md", "---\ntitle: Track\ndescription: D\n---\n");
  put_file(f->dir, "content/cs/orders/track.md",
           "---\ntitle: Sledování\ndescription: D\naliases:\n  - /orders/track/\n  - /cs/404.html\n"
           "  - /cs/stare/\n---\n");
  hg_check_report *r = run(f);
  expect(r, "alias-collision", "content/cs/orders/track.md:5:5: error: alias '/orders/track/' is the URL of ");
  expect(r, "alias-collision", "content/cs/orders/track.md:6:5: error: alias '/cs/404.html' would replace helpgen's own cs/404.html");
  assert_int_equal(count(r, "alias-collision", NULL), 2);
}

/* One finding per default-language article missing in another language,
 * at the article; a language folder that is missing altogether is one
 * finding; one language reports nothing. */
static void test_translations(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "title: T\nlanguages:\n  - code: en\n  - code: cs\n    name: Čeština\n");
  put_file(f->dir, "content/en/a.md", "---\ntitle: A\ndescription: D\n---\n[b](b.md)\n");
  put_file(f->dir, "content/en/b.md", "---\ntitle: B\ndescription: D\n---\n[a](a.md)\n");
  put_file(f->dir, "content/en/c.md", "---\ntitle: C\ntranslation_key: k\n---\n");
  put_file(f->dir, "content/cs/a.md", "---\ntitle: A\n---\n");
  put_file(f->dir, "content/cs/cé.md", "---\ntitle: C\ntranslation_key: k\n---\n");
  hg_check_report *r = run(f);
  assert_int_equal(count(r, "missing-translation", NULL), 1);
  expect(r, "missing-translation",
         "content/en/b.md:1: warning: no cs (Čeština) translation: add content/cs/b.md (or "
         "give the translation 'translation_key: b.md')");
  put_file(f->dir, "helpgen.yaml", "title: T\nlanguages: [en, cs, de]\n");
  r = run(f);
  expect(r, "missing-translation", "no folder for language 'de'");
  write_clean(f->dir);
  r = run(f);
  assert_int_equal(count(r, "missing-translation", NULL), 0);
}

static void test_pipeline_findings(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "helpgen.yaml", "title: T\ncolour: blue\n");
  put_file(f->dir, "content/search/x.md", "---\ntitle: X\ndescription: D\n---\n");
  put_file(f->dir, "content/returns/raw.md",
           "---\ntitle: Raw\ndescription: D\ntype: guide\n---\n<div>x</div> [t](start.md)\n");
  put_file(f->dir, "content/returns/start.md",
           "---\ntitle: Start\ndescription: D\n---\n\n## Fees\n\n[t](/orders/track.md) [r](raw.md) "
           "[x](../search/x.md)\n");
  hg_check_report *r = run(f);
  expect(r, "config", "helpgen.yaml:2: warning: unknown key 'colour'");
  expect(r, "content", "raw.md:4: warning: front matter: type should be");
  expect(r, "site", "content/search: error: the folder name 'search' is reserved");
  expect(r, "markdown", "raw.md:6:1: warning: raw HTML omitted");
}

/* One mistake, one message: an article whose front matter is broken is
 * reported once, and the links to it (a file that exists) are not
 * reported again as broken. */
static void test_no_follow_on_errors(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "content/returns/start.md", "---\ntitle: [Start\n---\n\n## Fees\n");
  hg_check_report *r = run(f);
  expect(r, "content", "content/returns/start.md:");
  assert_int_equal(count(r, "broken-link", NULL), 0);
  assert_int_equal(count(r, "broken-anchor", NULL), 0);
  assert_int_equal(r->errors, 1);
}

static void test_fatal(void **state) {
  fixture *f = *state;
  write_clean(f->dir);
  put_file(f->dir, "helpgen.yaml", "title: [unclosed\n");
  hg_check_report *r = run(f);
  assert_true(r->fatal);
  expect(r, "config", "helpgen.yaml:");
  assert_int_equal(r->len, 1);
  assert_int_equal(hg_check_exit_code(r, false), 2);
  char *x = hg_check_format_junit(r, false);
  assert_contains(x, "<testcase classname=\"helpgen.check.orphan\" name=\"not run\"><skipped");
  assert_contains(x, "<testsuite name=\"config\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\">");
  free(x);

  put_file(f->dir, "helpgen.yaml", "title: T\n");
  put_file(f->dir, "themes/default/home.tpl", "no autoescape\n");
  r = run(f);
  assert_true(r->fatal);
  expect(r, "theme", "home.tpl");
  assert_int_equal(hg_check_exit_code(r, true), 2);
}

static void test_bad_options(void **state) {
  fixture *f = *state;
  hg_check_report r;
  hg_error *err = NULL;
  hg_check_opts o = {.site_dir = f->dir, .today = "2026-13-01"};
  assert_false(hg_check_run(&o, &r, &err));
  assert_int_equal(err->code, 2);
  assert_contains(err->msg, "--today '2026-13-01' is not a date");
  hg_error_free(err);
  err = NULL;
  char *missing = hg_path_join(f->dir, "nope");
  hg_check_opts m = {.site_dir = missing};
  assert_false(hg_check_run(&m, &r, &err));
  assert_contains(err->msg, "not found");
  hg_error_free(err);
  free(missing);
  assert_true(hg_check_date_ok("2026-01-31"));
  assert_false(hg_check_date_ok("2026-1-31"));
  assert_false(hg_check_date_ok("2026-01-32"));
  assert_false(hg_check_date_ok("2026-01-311"));
  assert_false(hg_check_date_ok("today"));
}

/* ---- reports ---------------------------------------------------------------- */

static hg_check_report sample(void) {
  static hg_finding items[3];
  items[0] = (hg_finding){"broken-link", HG_ERR, "c/a.md", 3, 7, "link to 'x.md'"};
  items[1] = (hg_finding){"orphan", HG_WARN, "c/b \"q\".md", 1, 0, "no <links> & \x01" "bell"};
  items[2] = (hg_finding){"config", HG_ERR, NULL, 0, 0, "helpgen.yaml:1:8: bad"};
  hg_check_report r = {.items = items, .len = 3, .articles = 2, .errors = 2, .warnings = 1,
                       .today = "2026-01-15"};
  return r;
}

static void test_text_report(void **state) {
  (void)state;
  hg_check_report r = sample();
  char *t = hg_check_format_text(&r, false);
  assert_string_equal(t, "c/a.md:3:7: error: link to 'x.md' [broken-link]\n"
                         "c/b \"q\".md:1: warning: no <links> & \x01" "bell [orphan]\n"
                         "error: helpgen.yaml:1:8: bad [config]\n");
  free(t);
  t = hg_check_format_text(&r, true);
  assert_contains(t, "c/a.md:3:7: \033[1;31merror:\033[0m link to 'x.md' \033[2m[broken-link]\033[0m\n");
  assert_contains(t, "\033[1;35mwarning:\033[0m");
  free(t);
  char *s = hg_check_summary(&r);
  assert_string_equal(s, "helpgen check: 2 articles, 2 errors, 1 warning");
  free(s);
}

static void test_json_report(void **state) {
  (void)state;
  hg_check_report r = sample();
  char *j = hg_check_format_json(&r, true);
  json_error_t e;
  json_t *root = json_loads(j, 0, &e);
  if (!root) fail_msg("invalid JSON (%s):\n%s", e.text, j);
  assert_string_equal(json_string_value(json_object_get(root, "today")), "2026-01-15");
  assert_true(json_is_true(json_object_get(root, "strict")));
  json_t *sum = json_object_get(root, "summary");
  assert_int_equal(json_integer_value(json_object_get(sum, "errors")), 2);
  assert_int_equal(json_integer_value(json_object_get(sum, "warnings")), 1);
  assert_int_equal(json_integer_value(json_object_get(sum, "articles")), 2);
  assert_true(json_is_false(json_object_get(sum, "passed")));
  json_t *list = json_object_get(root, "findings");
  assert_int_equal(json_array_size(list), 3);
  json_t *b = json_array_get(list, 1);
  assert_string_equal(json_string_value(json_object_get(b, "path")), "c/b \"q\".md");
  assert_string_equal(json_string_value(json_object_get(b, "message")), "no <links> & \x01" "bell");
  assert_string_equal(json_string_value(json_object_get(b, "severity")), "warning");
  assert_string_equal(json_string_value(json_object_get(b, "rule")), "orphan");
  assert_int_equal(json_integer_value(json_object_get(b, "line")), 1);
  assert_int_equal(json_integer_value(json_object_get(b, "column")), 1); /* columns count from 1 */
  assert_true(json_is_null(json_object_get(json_array_get(list, 2), "path")));
  json_decref(root);
  free(j);
}

static void test_junit_report(void **state) {
  (void)state;
  hg_check_report r = sample();
  char *x = hg_check_format_junit(&r, false);
  size_t nrules = 0;
  while (hg_check_rules[nrules].name) nrules++;
  char *head = hg_strdup_printf("<testsuites name=\"helpgen check\" tests=\"%zu\" failures=\"2\" "
                                "errors=\"0\">", nrules);
  assert_contains(x, head);
  free(head);
  assert_contains(x, "<testcase classname=\"helpgen.check.broken-link\" name=\"c/a.md:3:7\" "
                     "file=\"c/a.md\" line=\"3\">\n      <failure type=\"error\" message=\"link to "
                     "&apos;x.md&apos;\">c/a.md:3:7: error: link to &apos;x.md&apos; [broken-link]"
                     "</failure>");
  /* a warning passes without --strict; XML-escaped, the control character replaced */
  assert_contains(x, "name=\"c/b &quot;q&quot;.md:1\" file=\"c/b &quot;q&quot;.md\" line=\"1\">\n"
                     "      <system-out>c/b &quot;q&quot;.md:1: warning: no &lt;links&gt; &amp; "
                     "\xEF\xBF\xBD" "bell [orphan]</system-out>");
  assert_contains(x, "<testcase classname=\"helpgen.check.config\" name=\"config\">");
  assert_contains(x, "<testcase classname=\"helpgen.check.draft-link\" name=\"no findings\"/>");
  assert_lacks(x, "\x01");
  free(x);
  x = hg_check_format_junit(&r, true);
  assert_contains(x, "failures=\"3\"");
  assert_contains(x, "<failure type=\"warning\" message=\"no &lt;links&gt; &amp; \xEF\xBF\xBD" "bell\">");
  free(x);
  hg_buf b = HG_BUF_INIT;
  hg_buf_put_xml(&b, "a\tb\nc\rd'\"<>&\x7f\xEF\xBF\xBF\xEF\xBF\xBD\xC3\xA9");
  assert_string_equal(hg_buf_cstr(&b), "a&#9;b&#10;c&#13;d&apos;&quot;&lt;&gt;&amp;\xEF\xBF\xBD"
                                       "\xEF\xBF\xBD\xEF\xBF\xBD\xC3\xA9");
  hg_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_clean_site, setup, teardown),
      cmocka_unit_test_setup_teardown(test_broken_link_and_anchor, setup, teardown),
      cmocka_unit_test_setup_teardown(test_anchor_unicode_and_faq, setup, teardown),
      cmocka_unit_test_setup_teardown(test_draft_and_images, setup, teardown),
      cmocka_unit_test_setup_teardown(test_drafts_option, setup, teardown),
      cmocka_unit_test_setup_teardown(test_orphans, setup, teardown),
      cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
      cmocka_unit_test_setup_teardown(test_description_and_review, setup, teardown),
      cmocka_unit_test_setup_teardown(test_aliases, setup, teardown),
      cmocka_unit_test_setup_teardown(test_aliases_languages, setup, teardown),
      cmocka_unit_test_setup_teardown(test_translations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_pipeline_findings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_follow_on_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fatal, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_options, setup, teardown),
      cmocka_unit_test(test_text_report),
      cmocka_unit_test(test_json_report),
      cmocka_unit_test(test_junit_report),
  };
  return cmocka_run_group_tests(tests, group_setup, NULL);
}
