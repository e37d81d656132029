/* test_i18n.c - src/i18n.c: the built-in language files, overrides, dates,
 * direction, pseudo-locale and error messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hg_i18n.h"
#include "helpers.h"

#define THEME "themes/default"

static const char *const builtin_langs[] = {"en", "cs", "th", "tl", "nb", "de", "fr",
                                            "es", "pt", "ar", "he", "ja", "zh", NULL};

static void test_builtin_files_complete(void **state) {
  (void)state;
  for (size_t i = 0; builtin_langs[i]; i++) {
    hg_diags d = {0};
    hg_i18n *t = hg_i18n_load(THEME, NULL, builtin_langs[i], false, &d);
    if (d.len) {
      char *m = hg_diag_format(&d.items[0]);
      fail_msg("%s: %s", builtin_langs[i], m);
    }
    for (size_t k = 0; hg_i18n_keys[k]; k++)
      assert_true(strlen(hg_i18n_get(t, hg_i18n_keys[k])) > 0);
    hg_i18n_free(t);
    hg_diags_free(&d);
  }
}

static void test_strings_and_dates(void **state) {
  (void)state;
  hg_diags d = {0};
  hg_i18n *cs = hg_i18n_load(THEME, NULL, "cs", false, &d);
  assert_string_equal(hg_i18n_get(cs, "search"), "Hledat");
  assert_string_equal(hg_i18n_name(cs), "Čeština");
  char *s = hg_i18n_date(cs, "2026-03-01");
  assert_string_equal(s, "1. března 2026");
  free(s);
  assert_false(hg_i18n_rtl(cs));
  hg_i18n_free(cs);
  hg_i18n *ja = hg_i18n_load(THEME, NULL, "ja", false, &d);
  s = hg_i18n_date(ja, "2026-09-02");
  assert_string_equal(s, "2026年9月2日");
  free(s);
  hg_i18n_free(ja);
  hg_i18n *en = hg_i18n_load(THEME, NULL, "en", false, &d);
  s = hg_i18n_date(en, "2026-12-31");
  assert_string_equal(s, "December 31, 2026");
  free(s);
  s = hg_i18n_date(en, "not a date");
  assert_string_equal(s, "not a date");
  free(s);
  assert_string_equal(hg_i18n_get(en, "no-such-key"), "no-such-key");
  hg_i18n_free(en);
  assert_int_equal(d.len, 0);
  hg_diags_free(&d);
}

static void test_rtl(void **state) {
  (void)state;
  hg_diags d = {0};
  hg_i18n *ar = hg_i18n_load(THEME, NULL, "ar", false, &d);
  assert_true(hg_i18n_rtl(ar));
  hg_i18n_free(ar);
  assert_true(hg_i18n_code_is_rtl("he"));
  assert_true(hg_i18n_code_is_rtl("fa-IR"));
  assert_false(hg_i18n_code_is_rtl("fr"));
  assert_false(hg_i18n_code_is_rtl("fy"));
  hg_diags_free(&d);
}

static void test_valid_codes(void **state) {
  (void)state;
  assert_true(hg_i18n_valid_code("en"));
  assert_true(hg_i18n_valid_code("pt-BR"));
  assert_true(hg_i18n_valid_code("zh-Hant"));
  assert_false(hg_i18n_valid_code("e"));
  assert_false(hg_i18n_valid_code("english"));
  assert_false(hg_i18n_valid_code("en_US"));
  assert_false(hg_i18n_valid_code("../x"));
  assert_false(hg_i18n_valid_code(""));
}

static void test_site_override_and_missing(void **state) {
  (void)state;
  char *dir = tmp_new();
  put_file(dir, "i18n/de.yaml", "strings:\n  search: Finden\n  custom_cta: Los geht's\n");
  hg_diags d = {0};
  hg_i18n *de = hg_i18n_load(THEME, dir, "de", false, &d);
  assert_int_equal(d.len, 0);
  assert_string_equal(hg_i18n_get(de, "search"), "Finden");
  assert_string_equal(hg_i18n_get(de, "home"), "Start");
  assert_string_equal(hg_i18n_get(de, "custom_cta"), "Los geht's");
  hg_i18n_free(de);

  /* a built-in-style file missing keys: path, line and the key names */
  char *theme = tmp_new();
  put_file(theme, "i18n/en.yaml",
           "name: English\ndirection: ltr\ndate_format: \"{day}\"\n"
           "months: [a, b, c, d, e, f, g, h, i, j, k, l]\nstrings:\n  search: Search\n");
  hg_i18n *bad = hg_i18n_load(theme, NULL, "en", false, &d);
  assert_int_equal(hg_diags_count(&d, HG_ERR), 1);
  char *m = hg_diag_format(&d.items[0]);
  if (!strstr(m, "i18n/en.yaml:5: error: missing 34 strings: search_placeholder, skip, home"))
    fail_msg("unexpected: %s", m);
  free(m);
  hg_i18n_free(bad);
  hg_diags_free(&d);

  /* an unknown language: English with a warning */
  hg_i18n *xx = hg_i18n_load(THEME, NULL, "xx", false, &d);
  assert_int_equal(hg_diags_count(&d, HG_WARN), 1);
  assert_string_equal(hg_i18n_get(xx, "search"), "Search");
  hg_i18n_free(xx);
  hg_diags_free(&d);
  tmp_remove(theme);
  tmp_remove(dir);
}

/* A language without a built-in file keeps its own direction and name, and
 * a theme without language files at all still gets English. */
static void test_fallbacks(void **state) {
  (void)state;
  hg_diags d = {0};
  hg_i18n *fa = hg_i18n_load(THEME, NULL, "fa", false, &d);
  assert_true(hg_i18n_rtl(fa));
  assert_string_equal(hg_i18n_name(fa), "fa");
  assert_string_equal(hg_i18n_get(fa, "home"), "Home");
  assert_int_equal(hg_diags_count(&d, HG_WARN), 1);
  hg_i18n_free(fa);
  hg_diags_free(&d);
  hg_i18n *none = hg_i18n_load(NULL, NULL, "en", false, &d);
  assert_string_equal(hg_i18n_get(none, "search_placeholder"), "Search for answers…");
  assert_string_equal(hg_i18n_get(none, "tell_us"), "Tell us what was missing");
  char *s = hg_i18n_date(none, "2026-03-01");
  assert_string_equal(s, "March 1, 2026");
  free(s);
  assert_int_equal(d.len, 0);
  hg_i18n_free(none);
  /* pseudo keeps the language's direction from its code */
  hg_i18n *ar = hg_i18n_load(THEME, NULL, "he", true, &d);
  assert_true(hg_i18n_rtl(ar));
  hg_i18n_free(ar);
  hg_diags_free(&d);
}

static void test_pseudo(void **state) {
  (void)state;
  hg_diags d = {0};
  hg_i18n *p = hg_i18n_load(THEME, NULL, "en", true, &d);
  const char *s = hg_i18n_get(p, "search");
  assert_string_equal(s, "[Séáŕçĥ~~]"); /* 5 letters: 2 extra */
  hg_i18n_free(p);
  hg_diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_files_complete),
      cmocka_unit_test(test_strings_and_dates),
      cmocka_unit_test(test_rtl),
      cmocka_unit_test(test_valid_codes),
      cmocka_unit_test(test_site_override_and_missing),
      cmocka_unit_test(test_fallbacks),
      cmocka_unit_test(test_pseudo),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
