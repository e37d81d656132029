/* test_scaffold.c - unit tests for src/scaffold.c (`helpgen new`): the
 * placeholder filler, YAML quoting, titles from names, the four kinds with
 * the built-in templates, site and language overrides, never overwriting,
 * and refused paths. Runs from the repository root (make unit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hg_content.h"
#include "hg_scaffold.h"
#include "hg_value.h"
#include "helpers.h"

static int setup(void **state) {
  *state = tmp_new();
  return 0;
}

static int teardown(void **state) {
  tmp_remove(*state);
  return 0;
}

static int group_setup(void **state) {
  (void)state;
  char *themes = realpath("themes", NULL);
  if (!themes) fail_msg("run from the repository root (themes/ not found)");
  setenv("HELPGEN_THEMES", themes, 1);
  free(themes);
  return 0;
}

/* Creates with `o` (site_dir set to dir); fails the test on error. Returns
 * the created file's text. */
static char *create(const char *dir, hg_new_opts o, const char *want_rel) {
  o.site_dir = dir;
  if (!o.date) o.date = "2026-02-03";
  hg_error *err = NULL;
  char *file = hg_scaffold_new(&o, &err);
  if (!file) fail_msg("new failed: %s", err ? err->msg : "?");
  char *want = hg_path_join(dir, want_rel);
  assert_string_equal(file, want);
  free(want);
  char *text = hg_read_file(file, NULL, NULL);
  assert_non_null(text);
  free(file);
  return text;
}

/* Expects hg_scaffold_new to fail with `code` and a message containing
 * `needle`. */
static void refused(const char *dir, hg_new_opts o, int code, const char *needle) {
  o.site_dir = dir;
  hg_error *err = NULL;
  char *file = hg_scaffold_new(&o, &err);
  if (file) fail_msg("expected a refusal, created %s", file);
  assert_non_null(err);
  assert_int_equal(err->code, code);
  assert_contains(err->msg, needle);
  hg_error_free(err);
}

/* The front matter of `text` parsed as the build does (must be clean). */
static void parse_article(const char *text, hg_article *a) {
  memset(a, 0, sizeof *a);
  a->path = hg_xstrdup("content/new.md");
  a->rel_path = hg_xstrdup("new.md");
  char *copy = hg_xstrdup(text);
  hg_diags d = {0};
  bool ok = hg_article_parse(a, copy, strlen(copy), &d);
  if (!ok || d.len) fail_msg("the created file does not parse cleanly:\n%s", diags_text(&d));
  free(copy);
  hg_diags_free(&d);
}

/* ---- pure helpers ------------------------------------------------------------- */

static void test_fill(void **state) {
  (void)state;
  const char *vars[] = {"TITLE", "Hi {{TITLE}}", "LANG", "", "EMPTY", NULL, NULL};
  char *s = hg_scaffold_fill("a: {{TITLE}}\nlang: {{LANG}}\nkeep {{root_url}} {{NOPE}} {{}} {{TITLE\n"
                             "x {{EMPTY}} y\nlast {{TITLE}}{{TITLE}}",
                             vars);
  /* values are not expanded again; lines with an empty value are dropped */
  assert_string_equal(s, "a: Hi {{TITLE}}\nkeep {{root_url}} {{NOPE}} {{}} {{TITLE\n"
                         "last Hi {{TITLE}}Hi {{TITLE}}");
  free(s);
  const char *none[] = {NULL};
  s = hg_scaffold_fill("", none);
  assert_string_equal(s, "");
  free(s);
  s = hg_scaffold_fill("\n\n{{X}}\n", none);
  assert_string_equal(s, "\n\n{{X}}\n");
  free(s);
}

static void test_yaml_quote(void **state) {
  (void)state;
  char *q = hg_scaffold_yaml_quote("Say \"hi\": C:\\dir\n\tnext\x01");
  assert_string_equal(q, "\"Say \\\"hi\\\": C:\\\\dir\\n\\tnext\\x01\"");
  /* and YAML reads it back as the same string */
  hg_error *err = NULL;
  char *doc = hg_strdup_printf("t: %s\n", q);
  hg_value *v = hg_yaml_parse(doc, strlen(doc), "t.yaml", 0, &err);
  assert_non_null(v);
  assert_string_equal(hg_value_str(hg_value_get(v, "t")), "Say \"hi\": C:\\dir\n\tnext\x01");
  hg_value_free(v);
  free(doc);
  free(q);
}

static void test_title_and_kind(void **state) {
  (void)state;
  char *t = hg_scaffold_title_from_name("track-your_order");
  assert_string_equal(t, "Track your order");
  free(t);
  t = hg_scaffold_title_from_name("účet");
  assert_string_equal(t, "účet");
  free(t);
  hg_new_kind k;
  assert_true(hg_new_kind_parse("faq", &k));
  assert_int_equal(k, HG_NEW_FAQ);
  assert_true(hg_new_kind_parse("flow", &k));
  assert_int_equal(k, HG_NEW_FLOW);
  assert_false(hg_new_kind_parse("page", &k));
}

/* ---- the four kinds ------------------------------------------------------------ */

static void test_article(void **state) {
  char *dir = *state;
  hg_new_opts o = {.kind = HG_NEW_ARTICLE, .path = "orders/track-order"};
  char *text = create(dir, o, "content/orders/track-order.md");
  assert_true(hg_str_has_prefix(text, "---\ntitle: \"Track order\"\ndescription: \"\"\n"
                                      "date: 2026-02-03\nslug: track-order\ntags: []\n"));
  assert_lacks(text, "lang:");
  hg_article a;
  parse_article(text, &a);
  assert_string_equal(a.title, "Track order");
  assert_string_equal(a.slug, "track-order");
  assert_string_equal(a.date, "2026-02-03");
  assert_false(a.faq);
  hg_article_clear(&a);
  /* never overwrites, whatever the spelling of PATH */
  refused(dir, o, 1, "already exists: helpgen new never overwrites a file");
  o.path = "content/orders/track-order.md";
  refused(dir, o, 1, "content/orders/track-order.md already exists");
  char *again = get_file(dir, "content/orders/track-order.md");
  assert_string_equal(again, text);
  free(again);
  free(text);
}

static void test_article_title_and_lang(void **state) {
  char *dir = *state;
  hg_new_opts o = {.kind = HG_NEW_ARTICLE, .path = "content/Orders/Où est ma commande.md",
                   .title = "Où est \"ma\" commande: #1?", .lang = "fr"};
  char *text = create(dir, o, "content/Orders/Où est ma commande.md");
  assert_contains(text, "\nlang: fr\n");
  assert_contains(text, "\nslug: où-est-ma-commande\n");
  hg_article a;
  parse_article(text, &a);
  assert_string_equal(a.title, "Où est \"ma\" commande: #1?");
  hg_article_clear(&a);
  free(text);
}

static void test_faq(void **state) {
  char *dir = *state;
  hg_new_opts o = {.kind = HG_NEW_FAQ, .path = "shipping-faq.md"};
  char *text = create(dir, o, "content/shipping-faq.md");
  hg_article a;
  parse_article(text, &a);
  assert_true(a.faq);
  assert_string_equal(a.title, "Shipping faq");
  hg_article_clear(&a);
  assert_contains(text, "\n## First question?\n");
  free(text);
}

static void test_category(void **state) {
  char *dir = *state;
  hg_new_opts o = {.kind = HG_NEW_CATEGORY, .path = "billing/", .title = "Billing & payments"};
  char *text = create(dir, o, "content/billing/_index.md");
  assert_contains(text, "title: \"Billing & payments\"\n");
  assert_contains(text, "\nslug: billing\n");
  hg_article a;
  parse_article(text, &a);
  hg_article_clear(&a);
  refused(dir, o, 1, "content/billing/_index.md already exists");
  free(text);
  /* a folder that exists without _index.md gets one; a section is a nested category */
  put_file(dir, "content/orders/x.md", "---\ntitle: X\n---\n");
  hg_new_opts s = {.kind = HG_NEW_CATEGORY, .path = "orders"};
  free(create(dir, s, "content/orders/_index.md"));
  s.path = "orders/tracking";
  text = create(dir, s, "content/orders/tracking/_index.md");
  assert_contains(text, "title: \"Tracking\"\n");
  free(text);
  s.path = "orders/tracking.md";
  refused(dir, s, 2, "a category is a folder");
}

static void test_flow(void **state) {
  char *dir = *state;
  hg_new_opts o = {.kind = HG_NEW_FLOW, .path = "track-my-order", .title = "Track my order"};
  char *text = create(dir, o, "flows/track-my-order.yaml");
  hg_error *err = NULL;
  hg_value *v = hg_yaml_parse(text, strlen(text), "flow.yaml", 0, &err);
  if (!v) fail_msg("flow is not YAML: %s", err->msg);
  assert_string_equal(hg_value_str(hg_value_get(v, "title")), "Track my order");
  assert_string_equal(hg_value_str(hg_value_get(v, "slug")), "track-my-order");
  const char *start = hg_value_str(hg_value_get(v, "start"));
  const hg_value *steps = hg_value_get(v, "steps");
  assert_non_null(start);
  assert_int_equal(steps->type, HG_V_MAP);
  /* every option leads somewhere: an existing step, an answer, an article or contact */
  for (size_t i = 0; i < steps->len; i++) {
    const hg_value *step = steps->items[i];
    assert_non_null(hg_value_str(hg_value_get(step, "question")));
    const hg_value *opts = hg_value_get(step, "options");
    assert_true(opts && opts->type == HG_V_LIST && opts->len >= 2);
    for (size_t k = 0; k < opts->len; k++) {
      const hg_value *op = opts->items[k];
      assert_non_null(hg_value_str(hg_value_get(op, "label")));
      const char *next = hg_value_str(hg_value_get(op, "next"));
      if (next) assert_non_null(hg_value_get(steps, next));
      else assert_true(hg_value_get(op, "answer") || hg_value_get(op, "article") ||
                       hg_value_bool(hg_value_get(op, "contact"), false));
    }
  }
  assert_non_null(hg_value_get(steps, start));
  hg_value_free(v);
  free(text);
  refused(dir, o, 1, "flows/track-my-order.yaml already exists");
  o.path = "flows/track-my-order.yml";
  free(create(dir, o, "flows/track-my-order.yml"));
}

/* ---- overrides and refusals ----------------------------------------------------- */

static void test_site_templates(void **state) {
  char *dir = *state;
  put_file(dir, "themes/default/scaffold/article.md",
           "---\ntitle: {{TITLE_YAML}}\nslug: {{SLUG}}\n---\nOurs: {{NAME}} {{DATE}}\n");
  put_file(dir, "themes/default/scaffold/article.cs.md",
           "---\ntitle: {{TITLE_YAML}}\nlang: {{LANG}}\n---\nNáš: {{TITLE}}\n");
  hg_new_opts o = {.kind = HG_NEW_ARTICLE, .path = "a/one"};
  char *text = create(dir, o, "content/a/one.md");
  assert_string_equal(text, "---\ntitle: \"One\"\nslug: one\n---\nOurs: one 2026-02-03\n");
  free(text);
  o.path = "a/two";
  o.lang = "cs";
  text = create(dir, o, "content/a/two.md");
  assert_string_equal(text, "---\ntitle: \"Two\"\nlang: cs\n---\nNáš: Two\n");
  free(text);
  /* a language without its own template uses the general one */
  o.path = "a/three";
  o.lang = "de";
  text = create(dir, o, "content/a/three.md");
  assert_contains(text, "Ours: three");
  free(text);
  /* a template that does not give valid front matter creates nothing */
  put_file(dir, "themes/default/scaffold/faq.md", "---\ntitle: [{{TITLE}}\n---\n");
  hg_new_opts f = {.kind = HG_NEW_FAQ, .path = "a/bad"};
  refused(dir, f, 2, "the scaffold template gives invalid front matter");
  assert_false(path_exists(dir, "content/a/bad.md"));
  /* a theme of the site's own falls back to the built-in default templates */
  put_file(dir, "helpgen.yaml", "theme: mine\n");
  hg_new_opts c = {.kind = HG_NEW_CATEGORY, .path = "b"};
  text = create(dir, c, "content/b/_index.md");
  assert_contains(text, "title: \"B\"");
  free(text);
}

static void test_refused(void **state) {
  char *dir = *state;
  hg_new_opts o = {.kind = HG_NEW_ARTICLE};
  const char *bad[] = {"../x", "/abs/x", "", "a/../../x", "a\\b", "."};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    o.path = bad[i];
    refused(dir, o, 2, "must be a relative path inside content/");
  }
  o.path = "a/_hidden";
  refused(dir, o, 2, "names starting with '.' or '_' are skipped");
  o.path = "a/---";
  refused(dir, o, 2, "has no letters or digits");
  o.path = "a/ok";
  o.lang = "en us";
  refused(dir, o, 2, "--lang 'en us' is not a language code");
  o.lang = NULL;
  o.date = "3 Feb";
  refused(dir, o, 2, "date '3 Feb' is not YYYY-MM-DD");
  o.date = NULL;
  char *missing = hg_path_join(dir, "nope");
  o.site_dir = missing;
  hg_error *err = NULL;
  assert_null(hg_scaffold_new(&o, &err));
  assert_int_equal(err->code, 2);
  assert_contains(err->msg, "site folder");
  hg_error_free(err);
  free(missing);
  assert_false(path_exists(dir, "content"));
  assert_false(path_exists(dir, "x"));
}

/* init: every file, filled; a language without theme strings gets a copy
 * of the English ones; a non-empty folder is refused with nothing written. */
static void test_init(void **state) {
  char *dir = *state;
  char *site = hg_path_join(dir, "new-site");
  hg_init_opts o = {.dir = site, .title = "Acme: \"Help\"", .lang = "kw", .ci = HG_CI_GITLAB,
                    .date = "2026-02-03"};
  hg_error *err = NULL;
  long n = hg_scaffold_init(&o, &err);
  if (n < 0) fail_msg("init: %s", err ? err->msg : "?");
  assert_int_equal(n, 10); /* 8 site files, the CI file, kw.yaml */
  char *p = hg_path_join(site, "helpgen.yaml");
  char *y = hg_read_file(p, NULL, NULL);
  assert_non_null(strstr(y, "title: \"Acme: \\\"Help\\\"\""));
  assert_non_null(strstr(y, "language: kw"));
  assert_null(strstr(y, "{{"));
  hg_value *v = hg_yaml_parse(y, strlen(y), p, 0, &err);
  assert_null(err);
  assert_string_equal(hg_value_str(hg_value_get(v, "title")), "Acme: \"Help\"");
  hg_value_free(v);
  free(y);
  free(p);
  p = hg_path_join(site, "content/getting-started/basics/write-your-first-article.md");
  y = hg_read_file(p, NULL, NULL);
  assert_non_null(strstr(y, "date: 2026-02-03"));
  hg_article a;
  parse_article(y, &a);
  assert_false(a.draft);
  assert_true(*a.description);
  hg_article_clear(&a);
  free(y);
  free(p);
  p = hg_path_join(site, ".gitlab-ci.yml");
  assert_true(hg_is_file(p));
  free(p);
  p = hg_path_join(site, ".github");
  assert_false(hg_is_dir(p));
  free(p);
  p = hg_path_join(site, "themes/default/i18n/kw.yaml");
  y = hg_read_file(p, NULL, NULL);
  assert_non_null(y);
  assert_non_null(strstr(y, "name: \"kw\""));
  assert_non_null(strstr(y, "strings:"));
  free(y);
  free(p);
  /* again: refused, code 1 */
  assert_int_equal(hg_scaffold_init(&o, &err), -1);
  assert_int_equal(err->code, 1);
  assert_non_null(strstr(err->msg, "is not empty"));
  hg_error_free(err);
  err = NULL;
  hg_init_opts bad = {.dir = site, .lang = "e n"};
  assert_int_equal(hg_scaffold_init(&bad, &err), -1);
  assert_int_equal(err->code, 2);
  hg_error_free(err);
  free(site);
}

/* new article and FAQ page start as drafts: not published, not checked */
static void test_new_is_draft(void **state) {
  char *dir = *state;
  put_file(dir, "helpgen.yaml", "title: T\n");
  hg_article a;
  for (int k = 0; k < 2; k++) {
    hg_new_opts o = {.kind = k ? HG_NEW_FAQ : HG_NEW_ARTICLE, .path = k ? "b/q" : "b/a"};
    char *text = create(dir, o, k ? "content/b/q.md" : "content/b/a.md");
    parse_article(text, &a);
    assert_true(a.draft);
    hg_article_clear(&a);
    free(text);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fill),
      cmocka_unit_test(test_yaml_quote),
      cmocka_unit_test(test_title_and_kind),
      cmocka_unit_test_setup_teardown(test_article, setup, teardown),
      cmocka_unit_test_setup_teardown(test_article_title_and_lang, setup, teardown),
      cmocka_unit_test_setup_teardown(test_faq, setup, teardown),
      cmocka_unit_test_setup_teardown(test_category, setup, teardown),
      cmocka_unit_test_setup_teardown(test_flow, setup, teardown),
      cmocka_unit_test_setup_teardown(test_site_templates, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_init, setup, teardown),
      cmocka_unit_test_setup_teardown(test_new_is_draft, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, NULL);
}
