/* test_render.c - unit tests for src/render.c: hg_render_date, and a small
 * end-to-end render of a tiny site (config -> content -> site -> markdown
 * -> render -> output) with a minimal theme written by the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hg_render.h"
#include "helpers.h"

/* ---- hg_render_date ------------------------------------------------------- */
static void check_date(const char *iso, const char *want) {
  char *s = hg_render_date(iso, "en");
  assert_string_equal(s, want);
  free(s);
}

static void test_render_date(void **state) {
  (void)state;
  check_date("2026-03-01", "March 1, 2026");
  check_date("2024-12-31", "December 31, 2024");
  check_date("1999-01-09", "January 9, 1999");
  check_date("2026-03-01T10:30:00Z", "March 1, 2026");
  /* what it cannot read comes back as written */
  check_date("2026-13-01", "2026-13-01");
  check_date("2026-00-01", "2026-00-01");
  check_date("soon", "soon");
  check_date("", "");
  check_date(NULL, "");
}

/* ---- end to end ----------------------------------------------------------- */
#define AE "{{%AUTOESCAPE context=\"HTML\"}}\n"
#define HEAD                                                                          \
  "<!doctype html><html lang=\"{{LANG}}\"><head><title>{{PAGE_TITLE}}</title>"       \
  "<link rel=\"stylesheet\" href=\"{{ASSET_STYLE_CSS}}\">{{JSONLD:none}}</head><body>\n" \
  "<nav class=\"crumbs\">{{#BREADCRUMBS}}<a href=\"{{CRUMB_URL}}\">{{CRUMB_TITLE}}</a>/"  \
  "{{/BREADCRUMBS}}</nav>\n"
#define FOOT "{{>FOOTER}}</body></html>\n"

static const char *const theme_files[][2] = {
    {"home.tpl", AE HEAD "<h1>{{PAGE_TITLE}}</h1>{{#HAS_INTRO}}{{INTRO_HTML:none}}{{/HAS_INTRO}}\n"
                 "{{#CATEGORIES}}<a class=\"cat\" href=\"{{CAT_URL}}\">{{CAT_TITLE}} "
                 "({{CAT_COUNT}})</a>\n{{/CATEGORIES}}" FOOT},
    {"category.tpl", AE HEAD "<h1>{{NODE_TITLE}}</h1>\n"
                     "{{#CHILDREN}}<a class=\"sec\" href=\"{{SEC_URL}}\">{{SEC_TITLE}}</a>\n"
                     "{{/CHILDREN}}{{#HAS_ARTICLES}}{{#ARTICLES}}<a class=\"art\" "
                     "href=\"{{ART_URL}}\">{{ART_TITLE}}</a>\n{{/ARTICLES}}{{/HAS_ARTICLES}}" FOOT},
    {"section.tpl", AE HEAD "<h1>{{NODE_TITLE}}</h1>\n{{#HAS_ARTICLES}}{{#ARTICLES}}<a "
                    "class=\"art\" href=\"{{ART_URL}}\">{{ART_TITLE}}</a>\n{{/ARTICLES}}"
                    "{{/HAS_ARTICLES}}" FOOT},
    {"article.tpl", AE HEAD "<h1>{{ART_TITLE}}</h1>\n<main>{{CONTENT:none}}</main>\n"
                    "{{#HAS_PREV}}<a rel=\"prev\" href=\"{{PREV_URL}}\">{{PREV_TITLE}}</a>\n"
                    "{{/HAS_PREV}}{{#HAS_NEXT}}<a rel=\"next\" href=\"{{NEXT_URL}}\">"
                    "{{NEXT_TITLE}}</a>\n{{/HAS_NEXT}}{{#HAS_DATES}}{{#HAS_UPDATED}}<time "
                    "datetime=\"{{UPDATED_ISO}}\">{{UPDATED_TEXT}}</time>\n{{/HAS_UPDATED}}"
                    "{{/HAS_DATES}}<p class=\"meta\">{{META_AUDIENCE}}</p>\n" FOOT},
    {"faq.tpl", AE HEAD "<h1>{{ART_TITLE}}</h1>{{CONTENT:none}}" FOOT},
    {"404.tpl", AE HEAD "<h1>{{PAGE_TITLE}}</h1><a href=\"{{ROOT}}\">home</a>" FOOT},
    {"search.tpl", AE HEAD "<h1>{{PAGE_TITLE}}</h1>" FOOT},
    {"partials/footer.tpl", AE "<footer>{{SITE_TITLE}}|{{#NAV}}<a href=\"{{NAV_URL}}\">"
                            "{{NAV_TITLE}}</a>{{/NAV}}|{{HOME_URL}}</footer>\n"},
    {"assets/style.css", "body { color: #222; }\n"},
};

static const char *const site_files[][2] = {
    {"helpgen.yaml", "title: Acme <Help>\n"
                     "base_url: https://example.com/help/\n"
                     "nav:\n"
                     "  - {title: Status, url: \"https://status.example.com/\"}\n"
                     "theme: mini\n"},
    {"content/_index.md", "---\ntitle: Help home\n---\nWelcome **home**.\n"},
    {"content/billing/_index.md", "---\ntitle: Billing\n---\n"},
    {"content/billing/refunds.md", "---\n"
                                   "title: Refunds\n"
                                   "weight: 1\n"
                                   "updated: 2026-03-01\n"
                                   "audience: <admins>\n"
                                   "---\n"
                                   "See [paying](pay.md#how) and the ![diagram](diagram.png).\n"},
    {"content/billing/pay.md", "---\n"
                               "title: \"</script><script>alert(1)</script> Pay\"\n"
                               "description: \"Pay </script> now\"\n"
                               "weight: 2\n"
                               "---\n"
                               "Back to [refunds](refunds.md).\n"},
    {"content/billing/diagram.png", "PNG"},
    {"content/billing/cards/visa.md", "---\ntitle: Visa\n---\nUp: [billing](../_index.md).\n"},
};

typedef struct {
  const hg_site *site;
  long art;
  const char *from_dir, *page_dir, *path;
} resolve_ctx;

static char *resolve(void *ctx, const char *target, int kind, int line, int col,
                     hg_diags *diags) {
  resolve_ctx *r = ctx;
  return hg_site_resolve(r->site, r->art, r->from_dir, r->page_dir, target,
                         kind == HG_LINK_IMAGE, r->path, line, col, diags);
}

typedef struct {
  char *dir, *out;
  hg_diags d;
} e2e;

static int e2e_setup(void **state) {
  e2e *e = hg_xcalloc(1, sizeof *e);
  *state = e;
  e->dir = tmp_new();
  e->out = hg_path_join(e->dir, "public");
  for (size_t i = 0; i < sizeof site_files / sizeof site_files[0]; i++)
    put_file(e->dir, site_files[i][0], site_files[i][1]);
  char *theme = hg_path_join(e->dir, "builtin/mini");
  for (size_t i = 0; i < sizeof theme_files / sizeof theme_files[0]; i++)
    put_file(theme, theme_files[i][0], theme_files[i][1]);
  free(theme);
  char *root = hg_path_join(e->dir, "builtin");
  setenv("HELPGEN_THEMES", root, 1);
  free(root);
  hg_md_init();

  /* the pipeline, as hg_build runs it (without search) */
  hg_error *err = NULL;
  hg_config *cfg = hg_config_load(e->dir, &e->d, &err);
  assert_non_null(cfg);
  hg_theme *theme_obj = hg_theme_load(cfg, &err);
  if (!theme_obj) fail_msg("theme: %s", err->msg);
  hg_content *content = hg_content_load(cfg, NULL, &e->d, &err);
  assert_non_null(content);
  hg_site *site = hg_site_build(cfg, content, NULL, &e->d);
  if (e->d.len) {
    char *all = diags_text(&e->d);
    fail_msg("diagnostics before rendering:\n%s", all);
  }
  hg_md_result *md = hg_xcalloc(site->narts, sizeof *md);
  hg_md_result *intros = hg_xcalloc(site->nnodes, sizeof *intros);
  for (size_t i = 0; i < site->narts; i++) {
    const hg_article *a = &content->articles[site->arts[i].article];
    resolve_ctx rc = {site, (long)i, content->folders[a->folder].rel_dir, site->arts[i].url_dir,
                      a->path};
    hg_md_opts o = {.path = a->path, .line_offset = a->body_line, .title = a->title,
                    .resolve = resolve, .resolve_ctx = &rc};
    hg_md_render(a->body, a->body_len, &o, &md[i], &e->d);
  }
  for (size_t n = 0; n < site->nnodes; n++) {
    const hg_folder *f = &content->folders[n];
    if (!f->intro) continue;
    resolve_ctx rc = {site, -1, f->rel_dir, site->nodes[n].url_dir, f->index_path};
    hg_md_opts o = {.path = f->index_path, .line_offset = f->intro_line, .title = f->title,
                    .resolve = resolve, .resolve_ctx = &rc};
    hg_md_render(f->intro, f->intro_len, &o, &intros[n], &e->d);
  }
  hg_output *out = hg_output_begin(e->out, e->dir, &err);
  assert_non_null(out);
  hg_render_input in = {.cfg = cfg, .site = site, .theme = theme_obj, .arts = md,
                        .intros = intros, .out = out, .threads = 3};
  bool ok = hg_render_site(&in, &e->d);
  if (!ok) {
    char *all = diags_text(&e->d);
    fail_msg("render failed:\n%s", all);
  }
  assert_true(hg_output_commit(out, &err));
  assert_int_equal(hg_render_page_count(site), 3 + 2 + 3); /* home/search/404, folders, articles */

  for (size_t i = 0; i < site->narts; i++) hg_md_result_free(&md[i]);
  for (size_t n = 0; n < site->nnodes; n++) hg_md_result_free(&intros[n]);
  free(md);
  free(intros);
  hg_site_free(site);
  hg_content_free(content);
  hg_theme_free(theme_obj);
  hg_config_free(cfg);
  return 0;
}

static int e2e_teardown(void **state) {
  e2e *e = *state;
  unsetenv("HELPGEN_THEMES");
  hg_diags_free(&e->d);
  free(e->out);
  tmp_remove(e->dir);
  free(e);
  return 0;
}

static char *page(const e2e *e, const char *rel) {
  char *s = get_file(e->out, rel);
  if (!s) fail_msg("%s was not written", rel);
  return s;
}

static size_t count_of(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
  return n;
}

static void test_e2e_clean_build(void **state) {
  e2e *e = *state;
  assert_diag_counts(&e->d, 0, 0);
  static const char *const pages[] = {"index.html",
                                      "404.html",
                                      "search/index.html",
                                      "billing/index.html",
                                      "billing/cards/index.html",
                                      "billing/refunds/index.html",
                                      "billing/pay/index.html",
                                      "billing/cards/visa/index.html",
                                      "billing/diagram.png",
                                      HG_OUTPUT_MARKER};
  for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
    if (!path_exists(e->out, pages[i])) fail_msg("%s missing", pages[i]);
}

static void test_e2e_home(void **state) {
  e2e *e = *state;
  char *s = page(e, "index.html");
  assert_contains(s, "<title>Help home</title>"); /* from content/_index.md */
  assert_contains(s, "<p>Welcome <strong>home</strong>.</p>");
  assert_contains(s, "<a class=\"cat\" href=\"./billing/index.html\">Billing (3)</a>");
  assert_contains(s, "<nav class=\"crumbs\"></nav>"); /* none on home */
  assert_contains(s, "<footer>Acme &lt;Help&gt;|<a href=\"https://status.example.com/\">Status"
                     "</a>|./index.html</footer>");
  free(s);
}

static void test_e2e_breadcrumbs(void **state) {
  e2e *e = *state;
  char *s = page(e, "billing/cards/visa/index.html");
  assert_contains(s, "<nav class=\"crumbs\"><a href=\"../../../index.html\">Home</a>/"
                     "<a href=\"../../../billing/index.html\">Billing</a>/"
                     "<a href=\"../../../billing/cards/index.html\">Cards</a>/</nav>");
  assert_contains(s, "Up: <a href=\"../../../billing/index.html\">billing</a>.");
  free(s);
  s = page(e, "billing/cards/index.html"); /* a folder page: its ancestors only */
  assert_contains(s, "<nav class=\"crumbs\"><a href=\"../../index.html\">Home</a>/"
                     "<a href=\"../../billing/index.html\">Billing</a>/</nav>");
  assert_contains(s, "<a class=\"art\" href=\"../../billing/cards/visa/index.html\">Visa</a>");
  free(s);
}

static void test_e2e_prev_next_and_links(void **state) {
  e2e *e = *state;
  char *s = page(e, "billing/refunds/index.html");
  assert_lacks(s, "rel=\"prev\"");
  assert_contains(s, "<a rel=\"next\" href=\"../../billing/pay/index.html\">&lt;/script&gt;"
                     "&lt;script&gt;alert(1)&lt;/script&gt; Pay</a>");
  assert_contains(s, "href=\"../../billing/pay/index.html#how\"");
  assert_contains(s, "src=\"../../billing/diagram.png\"");
  assert_contains(s, "<time datetime=\"2026-03-01\">March 1, 2026</time>");
  assert_contains(s, "<p class=\"meta\">&lt;admins&gt;</p>"); /* META_<KEY>, escaped */
  free(s);
  s = page(e, "billing/pay/index.html");
  assert_contains(s, "<a rel=\"prev\" href=\"../../billing/refunds/index.html\">Refunds</a>");
  assert_lacks(s, "rel=\"next\"");
  free(s);
  s = page(e, "billing/cards/visa/index.html");
  assert_lacks(s, "rel=\"prev\"");
  assert_lacks(s, "rel=\"next\"");
  free(s);
}

static void test_e2e_title_escaped(void **state) {
  e2e *e = *state;
  char *s = page(e, "billing/pay/index.html");
  assert_contains(s, "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; Pay</title>");
  assert_contains(s, "<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; Pay</h1>");
  assert_lacks(s, "<script>alert");
  /* the only script elements are the JSON-LD block, closed once */
  assert_int_equal(count_of(s, "<script"), 1);
  assert_int_equal(count_of(s, "</script>"), 1);
  free(s);
  s = page(e, "billing/index.html"); /* listed on the category page too */
  assert_contains(s, ">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; Pay</a>");
  assert_lacks(s, "<script>alert");
  free(s);
}

static void test_e2e_jsonld(void **state) {
  e2e *e = *state;
  char *s = page(e, "billing/pay/index.html");
  const char *open = "<script type=\"application/ld+json\">";
  const char *start = strstr(s, open);
  assert_non_null(start);
  start += strlen(open);
  const char *end = strstr(start, "</script>");
  assert_non_null(end);
  char *json = hg_xstrndup(start, (size_t)(end - start));
  /* the title's </script> and <script> cannot end or open an element */
  assert_lacks(json, "<");
  assert_lacks(json, ">");
  assert_contains(json, "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script"
                        "\\u003e Pay");
  assert_contains(json, "\"description\":\"Pay \\u003c/script\\u003e now\"");
  assert_contains(json, "\"@type\":\"BreadcrumbList\"");
  assert_contains(json, "\"item\":\"https://example.com/help/billing/\"");
  assert_contains(json, "\"headline\":");
  free(json);
  free(s);
  s = page(e, "index.html");
  assert_contains(s, "\"target\":\"https://example.com/help/search/?q={search_term_string}\"");
  assert_contains(s, "\"name\":\"Acme \\u003cHelp\\u003e\"");
  free(s);
}

static void test_e2e_assets_and_special_pages(void **state) {
  e2e *e = *state;
  char *s = page(e, "billing/pay/index.html");
  const char *href = strstr(s, "href=\"../../assets/style.");
  assert_non_null(href);
  char rel[64];
  const char *name = href + strlen("href=\"../../");
  size_t n = strcspn(name, "\"");
  assert_true(n < sizeof rel);
  memcpy(rel, name, n);
  rel[n] = '\0';
  assert_true(hg_str_has_suffix(rel, ".css"));
  assert_int_equal(strlen(rel), strlen("assets/style.0123456789.css"));
  char *css = page(e, rel);
  assert_string_equal(css, "body{color:#222}"); /* minified (hg_minify.h) */
  free(css);
  free(s);
  s = page(e, "404.html");
  assert_contains(s, "<a href=\"/help/\">home</a>"); /* the absolute base path */
  assert_contains(s, "href=\"/help/assets/style.");
  free(s);
  s = page(e, "search/index.html");
  assert_contains(s, "href=\"../assets/style.");
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_render_date),
  };
  const struct CMUnitTest site_tests[] = {
      cmocka_unit_test(test_e2e_clean_build),
      cmocka_unit_test(test_e2e_home),
      cmocka_unit_test(test_e2e_breadcrumbs),
      cmocka_unit_test(test_e2e_prev_next_and_links),
      cmocka_unit_test(test_e2e_title_escaped),
      cmocka_unit_test(test_e2e_jsonld),
      cmocka_unit_test(test_e2e_assets_and_special_pages),
  };
  int failed = cmocka_run_group_tests_name("render_date", tests, NULL, NULL);
  failed += cmocka_run_group_tests_name("render_site", site_tests, e2e_setup, e2e_teardown);
  return failed;
}
