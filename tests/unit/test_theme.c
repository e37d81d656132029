/* test_theme.c - unit tests for src/theme.c: the compiled-in theme table
 * (sorted, the same bytes as themes/ on disk), "<built-in>/" paths read,
 * tested and listed like files, where a theme is looked for (and the list of
 * places tried), loading the compiled-in theme with a site override, its
 * language files, and export. Runs from the repository root (make unit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hg_i18n.h"
#include "hg_theme.h"
#include "helpers.h"

static int setup(void **state) {
  unsetenv("HELPGEN_THEMES");
  *state = tmp_new();
  return 0;
}

static int teardown(void **state) {
  tmp_remove(*state);
  return 0;
}

static void table_is_sorted_and_matches_disk(void **state) {
  (void)state;
  assert_true(hg_theme_nembedded > 20);
  assert_null(hg_theme_embedded[hg_theme_nembedded].path);
  for (size_t i = 0; i < hg_theme_nembedded; i++) {
    const hg_theme_file *f = &hg_theme_embedded[i];
    if (i) assert_true(strcmp(hg_theme_embedded[i - 1].path, f->path) < 0);
    char *disk = hg_strdup_printf("themes/%s", f->path);
    size_t len = 0;
    char *data = hg_read_file(disk, &len, NULL);
    if (!data) fail_msg("%s is compiled in but not on disk (stale build?)", disk);
    assert_int_equal(len, f->len);
    assert_memory_equal(data, f->data, len);
    assert_int_equal(f->data[f->len], '\0');
    free(data);
    free(disk);
  }
  /* and every file on disk is compiled in */
  char **files = NULL;
  size_t n = 0;
  hg_list_files("themes/default", &files, &n);
  for (size_t i = 0; i < n; i++) {
    char *p = hg_strdup_printf(HG_THEME_BUILTIN "default/%s", files[i]);
    if (!hg_theme_embedded_get(p)) fail_msg("%s is not compiled in", p);
    free(p);
    free(files[i]);
  }
  free(files);
}

static void builtin_paths(void **state) {
  (void)state;
  assert_true(hg_theme_is_file("<built-in>/default/home.tpl"));
  assert_false(hg_theme_is_file("<built-in>/default/nope.tpl"));
  assert_false(hg_theme_is_file("<built-in>/default"));
  assert_null(hg_theme_embedded_get("default/home.tpl")); /* no prefix: a disk path */
  size_t len = 0;
  char *t = hg_theme_read("<built-in>/default/i18n/en.yaml", &len, NULL);
  assert_non_null(t);
  assert_int_equal(strlen(t), len);
  assert_non_null(strstr(t, "strings:"));
  free(t);
  hg_error *e = NULL;
  assert_null(hg_theme_read("<built-in>/default/missing.css", NULL, &e));
  assert_non_null(e);
  assert_string_equal(e->path, "<built-in>/default/missing.css");
  hg_error_free(e);
  /* ordinary paths still work */
  assert_true(hg_theme_is_file("themes/default/home.tpl"));
  char **files = NULL;
  size_t n = 0;
  hg_theme_list_files("<built-in>/default", &files, &n);
  assert_int_equal(n, hg_theme_nembedded);
  bool scaffold = false;
  for (size_t i = 0; i < n; i++) {
    if (!strcmp(files[i], "scaffold/article.md")) scaffold = true;
    free(files[i]);
  }
  free(files);
  assert_true(scaffold);
  n = 0;
  files = NULL;
  hg_theme_list_files("<built-in>/nosuch", &files, &n);
  assert_int_equal(n, 0);
  /* "<built-in>/def" is not a prefix of the default theme */
  hg_theme_list_files("<built-in>/def", &files, &n);
  assert_int_equal(n, 0);
}

static void where_themes_come_from(void **state) {
  char *dir = *state;
  char *d = hg_theme_builtin_dir("default", NULL);
  assert_string_equal(d, "<built-in>/default");
  free(d);
  hg_buf tried = HG_BUF_INIT;
  assert_null(hg_theme_builtin_dir("nosuch", &tried));
  assert_non_null(strstr(tried.data, "the themes built into helpgen"));
  assert_non_null(strstr(tried.data, "/share/helpgen/themes/nosuch/"));
  hg_buf_free(&tried);
  /* $HELPGEN_THEMES comes first, and alone: no fallback to other folders */
  put_file(dir, "themes/default/home.tpl", "x");
  char *root = hg_path_join(dir, "themes");
  setenv("HELPGEN_THEMES", root, 1);
  d = hg_theme_builtin_dir("default", NULL);
  char *want = hg_path_join(root, "default");
  assert_string_equal(d, want);
  free(want);
  free(d);
  hg_buf t2 = HG_BUF_INIT;
  assert_null(hg_theme_builtin_dir("other", &t2));
  assert_non_null(strstr(t2.data, "($HELPGEN_THEMES)"));
  assert_null(strstr(t2.data, "share/helpgen"));
  hg_buf_free(&t2);
  unsetenv("HELPGEN_THEMES");
  free(root);
}

static void load_with_override(void **state) {
  char *dir = *state;
  put_file(dir, "helpgen.yaml", "title: T\nlanguage: en\n");
  put_file(dir, "themes/default/partials/footer.tpl",
           "{{%AUTOESCAPE context=\"HTML\"}}\n<footer>mine</footer>\n");
  put_file(dir, "themes/default/assets/extra.css", "a{}\n");
  hg_diags d = {0};
  hg_config *cfg = hg_config_load(dir, &d, NULL);
  assert_non_null(cfg);
  hg_error *e = NULL;
  hg_theme *t = hg_theme_load(cfg, &e);
  if (!t) fail_msg("load: %s", e ? e->msg : "?");
  assert_string_equal(t->builtin_dir, "<built-in>/default");
  assert_true(hg_tpl_has(t->tpl, "article.tpl"));
  bool style = false, extra = false;
  for (size_t i = 0; i < t->nassets; i++) {
    if (!strcmp(t->assets[i].name, "style.css")) {
      style = true;
      assert_string_equal(t->assets[i].src, "<built-in>/default/assets/style.css");
    }
    if (!strcmp(t->assets[i].name, "extra.css")) {
      extra = true;
      assert_true(hg_str_has_prefix(t->assets[i].src, dir));
    }
  }
  assert_true(style && extra);
  hg_i18n *tr = hg_i18n_load(t->builtin_dir, t->site_dir, "cs", false, &d);
  assert_non_null(tr);
  assert_int_equal(d.len, 0); /* the Czech file was found compiled in */
  hg_i18n_free(tr);
  hg_theme_free(t);
  hg_config_free(cfg);
  hg_diags_free(&d);
}

static void export_then_refuse(void **state) {
  char *dir = *state;
  char *out = hg_path_join(dir, "exp");
  hg_error *e = NULL;
  long n = hg_theme_export("default", out, false, &e);
  assert_int_equal(n, (long)hg_theme_nembedded);
  char *f = hg_path_join(out, "assets/style.css");
  char *a = hg_read_file(f, NULL, NULL), *b = hg_read_file("themes/default/assets/style.css", NULL, NULL);
  assert_non_null(a);
  assert_string_equal(a, b);
  free(a);
  free(b);
  assert_int_equal(hg_theme_export("default", out, false, &e), -1);
  assert_non_null(e);
  assert_int_equal(e->code, 1);
  assert_non_null(strstr(e->msg, "--force"));
  hg_error_free(e);
  e = NULL;
  assert_int_equal(hg_theme_export("default", out, true, &e), (long)hg_theme_nembedded);
  assert_int_equal(hg_theme_export("nosuch", out, true, &e), -1);
  assert_int_equal(e->code, 2);
  hg_error_free(e);
  free(f);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(table_is_sorted_and_matches_disk, setup, teardown),
      cmocka_unit_test_setup_teardown(builtin_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(where_themes_come_from, setup, teardown),
      cmocka_unit_test_setup_teardown(load_with_override, setup, teardown),
      cmocka_unit_test_setup_teardown(export_then_refuse, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
