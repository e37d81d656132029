/* test_config.c - unit tests for src/config.c: helpgen.yaml into hg_config,
 * defaults, every key, warnings and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hg_config.h"
#include "helpers.h"

typedef struct {
  char *dir;
  hg_config *cfg;
  hg_diags diags;
  hg_error *err;
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  hg_config_free(f->cfg);
  hg_diags_free(&f->diags);
  hg_error_free(f->err);
  tmp_remove(f->dir);
  free(f);
  return 0;
}

/* Writes helpgen.yaml (unless yaml is NULL) and loads the config. */
static hg_config *load(fixture *f, const char *yaml) {
  if (yaml) put_file(f->dir, "helpgen.yaml", yaml);
  hg_config_free(f->cfg);
  hg_diags_free(&f->diags);
  f->cfg = hg_config_load(f->dir, &f->diags, &f->err);
  return f->cfg;
}

static hg_config *load_ok(fixture *f, const char *yaml) {
  hg_config *c = load(f, yaml);
  if (!c) fail_msg("unexpected error: %s", f->err ? f->err->msg : "(none)");
  assert_null(f->err);
  return c;
}

/* Loads a config that must fail with code 2; returns the message. */
static const char *load_fail(fixture *f, const char *yaml) {
  if (load(f, yaml)) fail_msg("expected an error for:\n%s", yaml);
  assert_non_null(f->err);
  assert_int_equal(f->err->code, 2);
  return f->err->msg;
}

/* "DIR/helpgen.yaml" + suffix, in a static buffer. */
static const char *at(const fixture *f, const char *suffix) {
  static char buf[512];
  snprintf(buf, sizeof buf, "%s/helpgen.yaml%s", f->dir, suffix);
  return buf;
}

static void check_defaults(const hg_config *c, const char *dir) {
  assert_string_equal(c->site_dir, dir);
  assert_string_equal(c->title, hg_path_basename(dir)); /* titled after the folder */
  assert_string_equal(c->description, "");
  assert_string_equal(c->base_url, "");
  assert_string_equal(c->base_path, "/");
  assert_string_equal(c->language, "en");
  assert_null(c->logo);
  assert_string_equal(c->theme, "default");
  assert_null(c->footer);
  assert_string_equal(c->contact_label, "Contact support");
  assert_null(c->contact_email);
  assert_null(c->contact_url);
  assert_null(c->contact_phone);
  assert_false(c->markdown_unsafe);
  assert_false(c->pretty_links);
  assert_int_equal(c->nnav, 0);
}

static void test_defaults_without_file(void **state) {
  fixture *f = *state;
  hg_config *c = load_ok(f, NULL);
  check_defaults(c, f->dir);
  assert_null(c->config_path);
  assert_null(c->root);
  assert_int_equal(f->diags.len, 0);
}

static void test_defaults_empty_file(void **state) {
  fixture *f = *state;
  hg_config *c = load_ok(f, "# nothing set yet\n");
  check_defaults(c, f->dir);
  assert_string_equal(c->config_path, at(f, ""));
  assert_int_equal(f->diags.len, 0);
}

static void test_every_key(void **state) {
  fixture *f = *state;
  put_file(f->dir, "images/logo.svg", "<svg/>");
  hg_config *c = load_ok(f, "title: Acme Help\n"
                            "description: Answers for Acme customers\n"
                            "base_url: https://example.com/help\n"
                            "language: cs\n"
                            "logo: images/logo.svg\n"
                            "theme: acme\n"
                            "footer: \"© 2026 Acme\"\n"
                            "contact:\n"
                            "  email: help@example.com\n"
                            "  url: https://example.com/contact\n"
                            "  phone: +1 555 0100\n"
                            "  label: Talk to us\n"
                            "markdown:\n"
                            "  unsafe: true\n"
                            "links: pretty\n"
                            "nav:\n"
                            "  - title: Status\n"
                            "    url: https://status.example.com\n"
                            "  - {title: Blog, url: /blog/}\n"
                            "search: {}\n"
                            "hooks: hooks.lua\n"
                            "params:\n"
                            "  color: red\n");
  assert_int_equal(f->diags.len, 0);
  assert_string_equal(c->title, "Acme Help");
  assert_string_equal(c->description, "Answers for Acme customers");
  assert_string_equal(c->base_url, "https://example.com/help/");
  assert_string_equal(c->base_path, "/help/");
  assert_string_equal(c->language, "cs");
  assert_string_equal(c->logo, "images/logo.svg");
  assert_string_equal(c->theme, "acme");
  assert_string_equal(c->footer, "© 2026 Acme");
  assert_string_equal(c->contact_email, "help@example.com");
  assert_string_equal(c->contact_url, "https://example.com/contact");
  assert_string_equal(c->contact_phone, "+1 555 0100");
  assert_string_equal(c->contact_label, "Talk to us");
  assert_true(c->markdown_unsafe);
  assert_true(c->pretty_links);
  assert_int_equal(c->nnav, 2);
  assert_string_equal(c->nav[0].title, "Status");
  assert_string_equal(c->nav[0].url, "https://status.example.com");
  assert_string_equal(c->nav[1].title, "Blog");
  assert_string_equal(c->nav[1].url, "/blog/");
  /* the whole file stays available for hooks and themes */
  assert_non_null(c->root);
  assert_string_equal(hg_value_get(hg_value_get(c->root, "params"), "color")->str, "red");
}

static void test_links_index_and_unsafe_false(void **state) {
  fixture *f = *state;
  hg_config *c = load_ok(f, "links: index\nmarkdown: {unsafe: false}\n");
  assert_false(c->pretty_links);
  assert_false(c->markdown_unsafe);
  assert_int_equal(f->diags.len, 0);
}

typedef struct {
  const char *in, *url, *path;
} url_case;

static void test_base_url_forms(void **state) {
  fixture *f = *state;
  static const url_case cases[] = {
      {"https://example.com", "https://example.com/", "/"},
      {"https://example.com/", "https://example.com/", "/"},
      {"http://example.org/a/b", "http://example.org/a/b/", "/a/b/"},
      {"https://docs.example.com/help/", "https://docs.example.com/help/", "/help/"},
      {"''", "", "/"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *yaml = hg_strdup_printf("base_url: %s\n", cases[i].in);
    hg_config *c = load_ok(f, yaml);
    assert_string_equal(c->base_url, cases[i].url);
    assert_string_equal(c->base_path, cases[i].path);
    free(yaml);
  }
}

static void test_base_url_invalid(void **state) {
  fixture *f = *state;
  static const char *const bad[] = {"example.com/help", "ftp://example.com/", "/help/",
                                    "https://", "https:///help"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *yaml = hg_strdup_printf("title: X\nbase_url: %s\n", bad[i]);
    const char *m = load_fail(f, yaml);
    char *want = hg_strdup_printf("%s base_url must be an absolute http(s) URL such as "
                                  "https://example.com/help/, found '%s'",
                                  at(f, ":2:11:"), bad[i]);
    assert_string_equal(m, want);
    free(want);
    free(yaml);
    hg_error_free(f->err);
    f->err = NULL;
  }
}

static void test_unknown_keys_warn(void **state) {
  fixture *f = *state;
  hg_config *c = load_ok(f, "title: X\n"
                            "colour: red\n"
                            "contact:\n"
                            "  emial: a@example.com\n"
                            "markdown:\n"
                            "  safe: true\n"
                            "nav:\n"
                            "  - title: A\n"
                            "    url: /a\n"
                            "    target: _blank\n");
  assert_string_equal(c->title, "X");
  assert_diag_counts(&f->diags, 0, 4);
  assert_string_equal(diag_at(&f->diags, 0),
                      at(f, ":2: warning: unknown key 'colour' (ignored; check its spelling)"));
  assert_diag(&f->diags, HG_WARN, at(f, ":4: warning: unknown key 'contact.emial'"));
  assert_diag(&f->diags, HG_WARN, at(f, ":6: warning: unknown key 'markdown.safe'"));
  assert_diag(&f->diags, HG_WARN, at(f, ":10: warning: unknown key 'nav.target'"));
  assert_null(c->contact_email);
  assert_int_equal(c->nnav, 1);
}

static void test_wrong_types_warn(void **state) {
  fixture *f = *state;
  hg_config *c = load_ok(f, "title: [a, b]\n"            /* 1 */
                            "description: {x: 1}\n"      /* 2 */
                            "markdown:\n"                /* 3 */
                            "  unsafe: \"yes\"\n"        /* 4 */
                            "links: ugly\n"              /* 5 */
                            "nav:\n"                     /* 6 */
                            "  - title: No URL\n"        /* 7 */
                            "  - just text\n"            /* 8 */
                            "  - title: Ok\n"            /* 9 */
                            "    url: /ok\n"             /* 10 */
                            "contact: help@example.com\n" /* 11 */
                            "language: 42\n");           /* 12 */
  assert_string_equal(c->title, hg_path_basename(f->dir)); /* ignored: the default */
  assert_string_equal(c->description, "");
  assert_false(c->markdown_unsafe);
  assert_false(c->pretty_links);
  assert_int_equal(c->nnav, 1);
  assert_string_equal(c->nav[0].title, "Ok");
  assert_null(c->contact_email);
  assert_string_equal(c->language, "42"); /* a number is a fine string */
  assert_diag_counts(&f->diags, 0, 7);
  assert_diag(&f->diags, HG_WARN,
              at(f, ":1:8: warning: 'title' should be a string, found a list (ignored)"));
  assert_diag(&f->diags, HG_WARN,
              at(f, ":2:14: warning: 'description' should be a string, found a map"));
  assert_diag(&f->diags, HG_WARN,
              at(f, ":4:11: warning: 'markdown.unsafe' should be true or false, found 'yes'"));
  assert_diag(&f->diags, HG_WARN, at(f, ":5:8: warning: 'links' should be 'index'"));
  assert_diag(&f->diags, HG_WARN,
              at(f, ":7:5: warning: a nav entry needs both 'title' and 'url' (ignored)"));
  assert_diag(&f->diags, HG_WARN, at(f, ":8:5: warning: a nav entry needs both"));
  assert_diag(&f->diags, HG_WARN, at(f, ":11:10: warning: 'contact' should be a map"));
}

static void test_section_not_a_map_warns(void **state) {
  fixture *f = *state;
  hg_config *c = load_ok(f, "markdown: true\nnav: Home\n");
  assert_false(c->markdown_unsafe);
  assert_int_equal(c->nnav, 0);
  assert_diag_counts(&f->diags, 0, 2);
  assert_diag(&f->diags, HG_WARN, at(f, ":1:11: warning: 'markdown' should be a map"));
  assert_diag(&f->diags, HG_WARN, at(f, ":2:6: warning: 'nav' should be a list"));
}

static void test_missing_logo_and_odd_urls(void **state) {
  fixture *f = *state;
  hg_config *c = load_ok(f, "logo: img/nope.png\n"
                            "nav:\n"
                            "  - {title: Mail, url: \"mailto:help@example.com\"}\n"
                            "  - {title: Docs, url: ../docs/}\n"
                            "contact:\n"
                            "  url: \"javascript:alert(1)\"\n");
  assert_null(c->logo);
  assert_null(c->contact_url);
  assert_int_equal(c->nnav, 2);
  assert_diag_counts(&f->diags, 0, 3);
  char *want = hg_strdup_printf("%s warning: logo 'img/nope.png' not found (looked for "
                                "%s/img/nope.png; the path is relative to the site folder)",
                                at(f, ":1:7:"), f->dir);
  assert_string_equal(diag_at(&f->diags, 0), want);
  free(want);
  assert_diag(&f->diags, HG_WARN, at(f, ":3:5: warning: nav url 'mailto:help@example.com' is "
                                        "not an http(s) URL"));
  assert_diag(&f->diags, HG_WARN, at(f, ":6:8: warning: contact.url should start with https://"));
}

static void test_top_level_not_a_map(void **state) {
  fixture *f = *state;
  const char *m = load_fail(f, "- title: A\n- title: B\n");
  char *want = hg_strdup_printf("%s helpgen.yaml must be a map of settings (key: value), "
                                "found a list", at(f, ":1:1:"));
  assert_string_equal(m, want);
  free(want);
  hg_error_free(f->err);
  f->err = NULL;
  m = load_fail(f, "just a title\n");
  assert_contains(m, "must be a map of settings (key: value), found a string");
}

static void test_yaml_syntax_error(void **state) {
  fixture *f = *state;
  const char *m = load_fail(f, "title: Acme\nbase_url: [oops\n");
  assert_true(hg_str_has_prefix(m, at(f, ":")));
  assert_contains(m, "YAML syntax error");
  hg_error_free(f->err);
  f->err = NULL;
  m = load_fail(f, "title: a: b\n");
  assert_true(hg_str_has_prefix(m, at(f, ":1:")));
  assert_contains(m, ": YAML syntax error: ");
}

static void test_not_utf8(void **state) {
  fixture *f = *state;
  const char *m = load_fail(f, "title: ok\ndescription: caf\xE9\n");
  assert_string_equal(m, at(f, ":2: not valid UTF-8 (save the file as UTF-8)"));
}

static void test_theme_must_be_a_name(void **state) {
  fixture *f = *state;
  const char *m = load_fail(f, "title: X\ntheme: ../evil\n");
  assert_string_equal(m, at(f, ":2:8: theme must be a folder name under themes/, found "
                               "'../evil'"));
  hg_error_free(f->err);
  f->err = NULL;
  m = load_fail(f, "theme: a/b\n");
  assert_contains(m, "found 'a/b'");
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_defaults_without_file),
      T(test_defaults_empty_file),
      T(test_every_key),
      T(test_links_index_and_unsafe_false),
      T(test_base_url_forms),
      T(test_base_url_invalid),
      T(test_unknown_keys_warn),
      T(test_wrong_types_warn),
      T(test_section_not_a_map_warns),
      T(test_missing_logo_and_odd_urls),
      T(test_top_level_not_a_map),
      T(test_yaml_syntax_error),
      T(test_not_utf8),
      T(test_theme_must_be_a_name),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
