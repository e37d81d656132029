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
#include <math.h>
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

/* ---- colours --------------------------------------------------------------------- */

static hg_rgb rgb(const char *hex) {
  hg_rgb c;
  if (!hg_color_parse(hex, &c)) fail_msg("bad colour %s", hex);
  return c;
}

static void color_parse_and_hex(void **state) {
  (void)state;
  hg_rgb c;
  assert_true(hg_color_parse("#AbC", &c));
  assert_int_equal(c.r, 0xaa);
  assert_int_equal(c.g, 0xbb);
  assert_int_equal(c.b, 0xcc);
  char hex[8];
  hg_color_hex(rgb("#0A58CA"), hex);
  assert_string_equal(hex, "#0a58ca");
  const char *bad[] = {"", "#", "abc", "#abcd", "#ggg", "#12345", "#1234567", "0a58ca", NULL};
  for (int i = 0; bad[i]; i++) assert_false(hg_color_parse(bad[i], &c));
  assert_false(hg_color_parse(NULL, &c));
}

static void contrast_maths(void **state) {
  (void)state;
  hg_rgb black = rgb("#000"), white = rgb("#fff");
  assert_true(hg_color_luminance(black) == 0.0);
  assert_true(fabs(hg_color_luminance(white) - 1.0) < 1e-9);
  assert_true(fabs(hg_color_contrast(black, white) - 21.0) < 1e-9);
  assert_true(fabs(hg_color_contrast(white, white) - 1.0) < 1e-9);
  /* symmetric */
  assert_true(hg_color_contrast(rgb("#0a58ca"), white) == hg_color_contrast(white, rgb("#0a58ca")));
  /* the well-known AA threshold greys on white: #767676 passes (4.54), #777777 fails (4.48) */
  assert_true(fabs(hg_color_contrast(rgb("#767676"), white) - 4.54) < 0.005);
  assert_true(fabs(hg_color_contrast(rgb("#777777"), white) - 4.48) < 0.005);
  /* sRGB luminance of pure green is its coefficient */
  assert_true(fabs(hg_color_luminance(rgb("#00ff00")) - 0.7152) < 1e-9);
  /* the theme's own pairs meet AA */
  assert_true(hg_color_contrast(rgb("#0a58ca"), white) >= 4.5);
  assert_true(hg_color_contrast(rgb("#78b4ff"), rgb("#0f1318")) >= 4.5);
}

static void nearest_shade(void **state) {
  (void)state;
  hg_rgb white = rgb("#ffffff");
  /* a passing colour is kept */
  hg_rgb c = hg_color_nearest_passing(rgb("#0a58ca"), &white, 1, 4.5);
  char hex[8];
  hg_color_hex(c, hex);
  assert_string_equal(hex, "#0a58ca");
  /* grey: the nearest passing grey is the threshold itself */
  c = hg_color_nearest_passing(rgb("#777777"), &white, 1, 4.5);
  hg_color_hex(c, hex);
  assert_string_equal(hex, "#767676");
  /* orange on the light backgrounds: darker, passes on both, about the same hue */
  hg_rgb light[2] = {rgb("#fff"), rgb("#f4f6f8")};
  hg_rgb o = rgb("#f5a623");
  c = hg_color_nearest_passing(o, light, 2, 4.5);
  assert_true(hg_color_contrast(c, light[0]) >= 4.5);
  assert_true(hg_color_contrast(c, light[1]) >= 4.5);
  assert_true(hg_color_luminance(c) < hg_color_luminance(o));
  assert_true(c.r > c.g && c.g > c.b); /* still orange */
  /* nearest: a slightly lighter shade of the same hue would fail */
  hg_rgb lighter = hg_color_mix(c, white, 0.97);
  assert_true(hg_color_contrast(lighter, light[1]) < 4.5);
  /* blue on a dark background: lighter */
  hg_rgb dark[2] = {rgb("#0f1318"), rgb("#181d24")};
  c = hg_color_nearest_passing(rgb("#0a58ca"), dark, 2, 4.5);
  assert_true(hg_color_contrast(c, dark[0]) >= 4.5 && hg_color_contrast(c, dark[1]) >= 4.5);
  assert_true(hg_color_luminance(c) > hg_color_luminance(rgb("#0a58ca")));
  assert_true(c.b > c.r); /* still blue */
  /* nothing passes 21:1 on mid grey: the better of black and white */
  hg_rgb grey = rgb("#808080");
  c = hg_color_nearest_passing(rgb("#f00"), &grey, 1, 21);
  assert_true((c.r == 0 && c.g == 0 && c.b == 0) || (c.r == 255 && c.g == 255 && c.b == 255));
}

static void mix(void **state) {
  (void)state;
  char hex[8];
  hg_color_hex(hg_color_mix(rgb("#ff0000"), rgb("#0000ff"), 0), hex);
  assert_string_equal(hex, "#0000ff");
  hg_color_hex(hg_color_mix(rgb("#ff0000"), rgb("#0000ff"), 1), hex);
  assert_string_equal(hex, "#ff0000");
  hg_color_hex(hg_color_mix(rgb("#ffffff"), rgb("#000000"), 0.5), hex);
  assert_string_equal(hex, "#808080");
}

/* brand.color through a real theme load: the CSS and the warning */
static void brand_css_and_warning(void **state) {
  char *dir = *state;
  put_file(dir, "helpgen.yaml", "title: T\nbrand:\n  color: \"#F5A623\"\n");
  hg_diags d = {0};
  hg_config *cfg = hg_config_load(dir, &d, NULL);
  assert_non_null(cfg);
  assert_int_equal(d.len, 0);
  assert_string_equal(cfg->brand_color, "#f5a623");
  hg_theme *t = hg_theme_load(cfg, NULL);
  assert_non_null(t);
  hg_theme_apply_brand(t, cfg, &d);
  assert_int_equal(d.len, 1);
  assert_int_equal(d.items[0].sev, HG_WARN);
  assert_int_equal(d.items[0].line, 3);
  assert_int_equal(d.items[0].col, 10);
  assert_non_null(strstr(d.items[0].msg, "light background #f4f6f8"));
  const char *q = strstr(d.items[0].msg, "passes is \"#");
  assert_non_null(q);
  char shade[8];
  memcpy(shade, q + 11, 7);
  shade[7] = '\0';
  hg_rgb fix = rgb(shade);
  assert_true(hg_color_contrast(fix, rgb("#f4f6f8")) >= 4.5);
  assert_non_null(strstr(t->brand_css, "@media screen{:root{--accent:#f5a623;--on-accent:#0b1320;"));
  assert_non_null(strstr(t->brand_css, "prefers-color-scheme:dark"));
  hg_theme_free(t);
  hg_config_free(cfg);
  hg_diags_free(&d);
  /* a dark blue passes in light mode; the dark scheme gets a lighter shade */
  put_file(dir, "helpgen.yaml", "title: T\nbrand: {color: \"#0a58ca\"}\n");
  cfg = hg_config_load(dir, &d, NULL);
  t = hg_theme_load(cfg, NULL);
  hg_theme_apply_brand(t, cfg, &d);
  assert_int_equal(d.len, 0);
  const char *dk = strstr(t->brand_css, "prefers-color-scheme:dark){:root{--accent:");
  assert_non_null(dk);
  char shade2[8];
  memcpy(shade2, dk + strlen("prefers-color-scheme:dark){:root{--accent:"), 7);
  shade2[7] = '\0';
  hg_rgb da = rgb(shade2);
  assert_true(hg_color_contrast(da, rgb("#0f1318")) >= 4.5);
  hg_theme_free(t);
  hg_config_free(cfg);
  hg_diags_free(&d);
  /* not a colour: a warning at its place, no CSS */
  put_file(dir, "helpgen.yaml", "title: T\nbrand:\n  color: blue\n  dark_color: \"#000\"\n  mascot: x\n");
  cfg = hg_config_load(dir, &d, NULL);
  assert_null(cfg->brand_color);
  assert_true(d.len >= 2);
  bool unknown = false, notcolor = false;
  for (size_t i = 0; i < d.len; i++) {
    if (strstr(d.items[i].msg, "brand.mascot")) unknown = true;
    if (strstr(d.items[i].msg, "brand.color 'blue' should be a colour")) notcolor = d.items[i].line == 3;
  }
  assert_true(unknown && notcolor);
  t = hg_theme_load(cfg, NULL);
  hg_theme_apply_brand(t, cfg, &d);
  assert_null(t->brand_css);
  hg_theme_free(t);
  hg_config_free(cfg);
  hg_diags_free(&d);
}

/* icons: the built-in set, a site's own icon and override, a broken file */
static void icons(void **state) {
  char *dir = *state;
  put_file(dir, "helpgen.yaml", "title: T\n");
  put_file(dir, "themes/default/icons/truck.svg", "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 1 1\">\n<path d=\"M0 0\"/></svg>\n");
  put_file(dir, "themes/default/icons/zebra.svg", "<svg><circle r=\"1\"/></svg>");
  hg_diags d = {0};
  hg_config *cfg = hg_config_load(dir, &d, NULL);
  hg_theme *t = hg_theme_load(cfg, NULL);
  assert_non_null(t);
  assert_true(t->nicons >= 17);
  for (size_t i = 1; i < t->nicons; i++) assert_true(strcmp(t->icon_names[i - 1], t->icon_names[i]) < 0);
  const char *box = hg_theme_icon(t, "box");
  assert_non_null(box);
  assert_true(hg_str_has_prefix(box, "<svg "));
  assert_non_null(strstr(box, "stroke=\"currentColor\""));
  assert_null(strchr(box, '\n'));
  assert_string_equal(hg_theme_icon(t, "truck"), "<svg viewBox=\"0 0 1 1\"> <path d=\"M0 0\"/></svg>");
  assert_string_equal(hg_theme_icon(t, "zebra"), "<svg><circle r=\"1\"/></svg>");
  assert_null(hg_theme_icon(t, "🚚"));
  assert_null(hg_theme_icon(t, "trucks"));
  assert_null(hg_theme_icon(t, ""));
  hg_theme_free(t);
  put_file(dir, "themes/default/icons/bad.svg", "not an svg");
  hg_error *e = NULL;
  assert_null(hg_theme_load(cfg, &e));
  assert_non_null(e);
  assert_non_null(strstr(e->path, "icons/bad.svg"));
  hg_error_free(e);
  hg_config_free(cfg);
  hg_diags_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(table_is_sorted_and_matches_disk, setup, teardown),
      cmocka_unit_test_setup_teardown(builtin_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(where_themes_come_from, setup, teardown),
      cmocka_unit_test_setup_teardown(load_with_override, setup, teardown),
      cmocka_unit_test_setup_teardown(export_then_refuse, setup, teardown),
      cmocka_unit_test(color_parse_and_hex),
      cmocka_unit_test(contrast_maths),
      cmocka_unit_test(nearest_shade),
      cmocka_unit_test(mix),
      cmocka_unit_test_setup_teardown(brand_css_and_warning, setup, teardown),
      cmocka_unit_test_setup_teardown(icons, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
