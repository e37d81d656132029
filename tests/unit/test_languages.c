/* test_languages.c - many languages across modules: `languages:` in
 * src/config.c, content/<code>/ in src/content.c, URL prefixes, reserved
 * language folders and translation pairing in src/site.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hg_config.h"
#include "hg_content.h"
#include "hg_site.h"
#include "helpers.h"

typedef struct {
  char *dir;
  hg_config *cfg;
  hg_diags diags;
  hg_error *err;
  hg_content *content[4];
  hg_site *site[4];
  size_t n;
  hg_site_langs *langs;
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  *state = f;
  return 0;
}

static void unload(fixture *f) {
  hg_site_langs_free(f->langs);
  f->langs = NULL;
  for (size_t i = 0; i < f->n; i++) {
    hg_site_free(f->site[i]);
    hg_content_free(f->content[i]);
    f->site[i] = NULL;
    f->content[i] = NULL;
  }
  f->n = 0;
  hg_config_free(f->cfg);
  f->cfg = NULL;
  hg_diags_free(&f->diags);
  hg_error_free(f->err);
  f->err = NULL;
}

static int teardown(void **state) {
  fixture *f = *state;
  unload(f);
  tmp_remove(f->dir);
  free(f);
  return 0;
}

static hg_config *load(fixture *f, const char *yaml) {
  unload(f);
  put_file(f->dir, "helpgen.yaml", yaml);
  f->cfg = hg_config_load(f->dir, &f->diags, &f->err);
  return f->cfg;
}

/* ---- config ----------------------------------------------------------------- */
static void test_config_languages(void **state) {
  fixture *f = *state;
  hg_config *c = load(f, "title: T\n"
                         "languages:\n"
                         "  - code: en\n"
                         "  - code: cs\n"
                         "    name: Čeština\n"
                         "  - {code: ar}\n"
                         "  - code: th\n"
                         "    direction: rtl\n"
                         "  - pt-BR\n");
  if (!c) fail_msg("%s", f->err->msg);
  assert_int_equal(c->nlanguages, 5);
  assert_string_equal(c->language, "en");
  assert_string_equal(c->languages[0].code, "en");
  assert_null(c->languages[0].name);
  assert_false(c->languages[0].rtl);
  assert_string_equal(c->languages[1].name, "Čeština");
  assert_true(c->languages[2].rtl); /* from the code */
  assert_true(c->languages[3].rtl); /* as configured */
  assert_string_equal(c->languages[4].code, "pt-BR");
  assert_int_equal(c->languages[1].line, 4);
  assert_int_equal(f->diags.len, 0);
}

static void test_config_without_languages(void **state) {
  fixture *f = *state;
  hg_config *c = load(f, "title: T\nlanguage: de\n");
  assert_non_null(c);
  assert_int_equal(c->nlanguages, 0);
  assert_null(c->languages);
  assert_string_equal(c->language, "de");
}

static void expect_error(fixture *f, const char *yaml, const char *want) {
  if (load(f, yaml)) fail_msg("expected an error for:\n%s", yaml);
  assert_int_equal(f->err->code, 2);
  if (!strstr(f->err->msg, want)) fail_msg("got '%s', want '%s'", f->err->msg, want);
}

static void test_config_language_errors(void **state) {
  fixture *f = *state;
  expect_error(f, "languages:\n  - code: en\n  - code: klingon\n",
               "helpgen.yaml:3:11: language 'klingon' is not a language code");
  expect_error(f, "languages:\n  - code: en\n  - code: c_s\n", "helpgen.yaml:3:11:");
  expect_error(f, "languages:\n  - code: en\n  - code: EN\n", "listed twice (line 2)");
  expect_error(f, "languages:\n  - name: English\n", "helpgen.yaml:2:5: language entry without 'code:'");
  expect_error(f, "languages:\n  - code: he\n    direction: up\n",
               "helpgen.yaml:3:16: languages: direction should be 'ltr' or 'rtl'");
  expect_error(f, "languages: en\n", "helpgen.yaml:1:12: 'languages' should be a list");
  expect_error(f, "languages: []\n", "'languages' should be a list");
  expect_error(f, "languages:\n  - [en]\n", "a 'languages' entry should be a map");
}

static void test_config_language_warnings(void **state) {
  fixture *f = *state;
  hg_config *c = load(f, "language: fr\nlanguages:\n  - code: de\n    nmae: Deutsch\n");
  assert_non_null(c);
  assert_string_equal(c->language, "de");
  assert_diag(&f->diags, HG_WARN, "helpgen.yaml:4: warning: unknown key 'languages.nmae'");
  assert_diag(&f->diags, HG_WARN, "helpgen.yaml:1:11: warning: 'language: fr' is ignored");
}

/* ---- content and site ------------------------------------------------------------ */
static void write_site(const char *dir) {
  put_file(dir, "helpgen.yaml", "languages:\n  - code: en\n  - code: cs\n  - code: th\n");
  put_file(dir, "content/en/orders/_index.md", "---\ntitle: Orders\n---\n");
  put_file(dir, "content/en/orders/track.md", "---\ntitle: Track\n---\nx\n");
  put_file(dir, "content/en/orders/cancel.md", "---\ntitle: Cancel\n---\nx\n");
  put_file(dir, "content/en/returns/start.md", "---\ntitle: Start\ntranslation_key: ret\n---\n");
  put_file(dir, "content/en/faq.md", "---\ntitle: FAQ\n---\n");
  /* Czech: a non-ASCII folder paired by its _index.md key, articles by key */
  put_file(dir, "content/cs/objednávky/_index.md",
           "---\ntitle: Objednávky\ntranslation_key: orders\n---\n");
  put_file(dir, "content/cs/objednávky/sledování.md",
           "---\ntitle: Sledování\ntranslation_key: orders/track.md\n---\n");
  put_file(dir, "content/cs/vrácení/začít.md", "---\ntitle: Začít\ntranslation_key: ret\n---\n");
  put_file(dir, "content/cs/faq.md", "---\ntitle: Dotazy\n---\n"); /* same path */
  /* Thai: same path, and a key used twice */
  put_file(dir, "content/th/orders/cancel.md", "---\ntitle: ยกเลิก\n---\n");
  put_file(dir, "content/th/a.md", "---\ntitle: A\ntranslation_key: ret\n---\n");
  put_file(dir, "content/th/b.md", "---\ntitle: B\ntranslation_key: ret\n---\n");
}

static void build_all(fixture *f) {
  f->cfg = hg_config_load(f->dir, &f->diags, &f->err);
  assert_non_null(f->cfg);
  f->n = f->cfg->nlanguages;
  const char *reserved[] = {"cs", "th"};
  for (size_t l = 0; l < f->n; l++) {
    const char *code = f->cfg->languages[l].code;
    hg_content_opts co = {.threads = 2, .lang_dir = code};
    f->content[l] = hg_content_load(f->cfg, &co, &f->diags, &f->err);
    assert_non_null(f->content[l]);
    hg_site_opts so = {.lang = code, .prefix = l ? code : NULL, .lang_dir = code,
                       .reserved = l ? NULL : reserved, .nreserved = l ? 0 : 2};
    f->site[l] = hg_site_build(f->cfg, f->content[l], &so, &f->diags);
  }
  f->langs = hg_site_langs_new(f->site, f->n, &f->diags);
}

static long art(const hg_site *s, const char *rel) {
  long a = hg_strmap_get(&s->by_path, rel, -1);
  if (a < 0) fail_msg("no article %s", rel);
  return a;
}

static void test_language_trees_and_urls(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  build_all(f);
  const hg_site *en = f->site[0], *cs = f->site[1];
  assert_string_equal(en->nodes[0].url_dir, "");
  assert_string_equal(cs->nodes[0].url_dir, "cs");
  assert_string_equal(cs->lang, "cs");
  assert_string_equal(en->arts[art(en, "orders/track.md")].url_dir, "orders/track");
  assert_string_equal(cs->arts[art(cs, "objednávky/sledování.md")].url_dir,
                      "cs/objednávky/sledování");
  assert_string_equal(cs->arts[art(cs, "faq.md")].url_dir, "cs/faq");
  assert_string_equal(f->content[1]->articles[0].path + strlen(f->dir),
                      "/content/cs/faq.md");
  char *root = hg_site_root_prefix("cs/objednávky/sledování");
  assert_string_equal(root, "../../../");
  char *link = hg_site_link(cs, root, "cs/objednávky");
  assert_string_equal(link, "../../../cs/objednávky/index.html");
  free(link);
  free(root);
  /* a missing link names the language's folder */
  char *r = hg_site_resolve(cs, 0, "", "cs/faq", "nope.md", false, "x.md", 1, 1, &f->diags);
  assert_null(r);
  assert_diag(&f->diags, HG_ERR, "no file content/cs/nope.md");
}

static void test_pairing(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  build_all(f);
  const hg_site *en = f->site[0], *cs = f->site[1], *th = f->site[2];
  long track = art(en, "orders/track.md"), cancel = art(en, "orders/cancel.md");
  long start = art(en, "returns/start.md"), faq = art(en, "faq.md");
  /* key naming the default language's path */
  assert_int_equal(hg_site_translation(en, (size_t)track, 1), art(cs, "objednávky/sledování.md"));
  assert_int_equal(hg_site_translation(cs, (size_t)art(cs, "objednávky/sledování.md"), 0), track);
  /* shared key, same path */
  assert_int_equal(hg_site_translation(en, (size_t)start, 1), art(cs, "vrácení/začít.md"));
  assert_int_equal(hg_site_translation(en, (size_t)faq, 1), art(cs, "faq.md"));
  assert_int_equal(hg_site_translation(en, (size_t)cancel, 2), art(th, "orders/cancel.md"));
  assert_int_equal(hg_site_translation(en, (size_t)cancel, 1), -1);
  assert_int_equal(hg_site_translation(en, (size_t)track, 0), track);
  /* a key used twice in one language: the first (in site order) pairs */
  assert_int_equal(hg_site_translation(en, (size_t)start, 2), art(th, "a.md"));
  assert_int_equal(hg_site_translation(th, (size_t)art(th, "b.md"), 0), -1);
  assert_diag(&f->diags, HG_WARN, "translation_key 'ret' is also used by");
  /* folders: by the _index.md key, roots with roots */
  long orders = hg_strmap_get(&en->by_dir, "orders", -1);
  long objed = hg_strmap_get(&cs->by_dir, "objednávky", -1);
  assert_int_equal(hg_site_node_translation(en, (size_t)orders, 1), objed);
  assert_int_equal(hg_site_node_translation(cs, 0, 0), 0);
  assert_int_equal(hg_site_node_translation(en, (size_t)orders, 2),
                   hg_strmap_get(&th->by_dir, "orders", -1));
  /* between two non-default languages */
  assert_int_equal(hg_site_translation(th, (size_t)art(th, "a.md"), 1), art(cs, "vrácení/začít.md"));
}

static void test_reserved_language_folders(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  put_file(f->dir, "content/en/cs/_index.md", "---\ntitle: Czech stuff\n---\n");
  put_file(f->dir, "content/en/TH.md", "---\ntitle: Thai\n---\n");
  build_all(f);
  assert_diag(&f->diags, HG_ERR, "the folder name 'cs' is reserved");
  assert_diag(&f->diags, HG_ERR, "the slug 'th' is reserved");
}

static void test_missing_language_folder(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "languages: [en, de]\n");
  put_file(f->dir, "content/en/a.md", "# A\n");
  f->cfg = hg_config_load(f->dir, &f->diags, &f->err);
  assert_non_null(f->cfg);
  hg_content_opts co = {.lang_dir = "de"};
  assert_null(hg_content_load(f->cfg, &co, &f->diags, &f->err));
  assert_int_equal(f->err->code, 2);
  assert_contains(f->err->msg, "no folder for language 'de'");
  assert_contains(f->err->msg, "content/de: no folder");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_config_languages),
      T(test_config_without_languages),
      T(test_config_language_errors),
      T(test_config_language_warnings),
      T(test_language_trees_and_urls),
      T(test_pairing),
      T(test_reserved_language_folders),
      T(test_missing_language_folder),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
