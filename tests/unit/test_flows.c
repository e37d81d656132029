/* test_flows.c - unit tests for src/flows.c: every error and warning of a
 * flow file with its exact text and place, links from articles to flows,
 * the home page listing and the set of pages a flow renders (with the
 * built-in theme's flow.tpl). The site is a small one written under /tmp;
 * the tests run inside it so that messages read "flows/x.yaml:L:C: ...". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hg_flows.h"
#include "hg_render.h"
#include "hg_theme.h"
#include "helpers.h"

static const char *const site_files[][2] = {
    {"helpgen.yaml", "title: Shop help\n"
                     "contact:\n"
                     "  email: help@example.com\n"},
    {"content/orders/_index.md", "---\ntitle: Orders\n---\n"},
    {"content/orders/track.md", "---\ntitle: Track your order\ndescription: Where it is.\n---\nBody.\n"},
    {"content/orders/draft.md", "---\ntitle: Not yet\ndraft: true\n---\nBody.\n"},
};

typedef struct {
  char *dir;
  char cwd[PATH_MAX];
  hg_config *cfg;
  hg_content *content;
  hg_site *site;
} fixture;

static int setup(void **state) {
  fixture *fx = hg_xcalloc(1, sizeof *fx);
  *state = fx;
  if (!getcwd(fx->cwd, sizeof fx->cwd)) fail_msg("getcwd");
  /* the built-in theme of this source tree (the tests run from its root) */
  char themes[PATH_MAX];
  if (!realpath("themes", themes)) fail_msg("run the unit tests from the repository root");
  setenv("HELPGEN_THEMES", themes, 1);
  fx->dir = tmp_new();
  for (size_t i = 0; i < sizeof site_files / sizeof site_files[0]; i++)
    put_file(fx->dir, site_files[i][0], site_files[i][1]);
  if (chdir(fx->dir)) fail_msg("chdir");
  hg_md_init();
  hg_diags d = {0};
  hg_error *err = NULL;
  fx->cfg = hg_config_load(".", &d, &err);
  assert_non_null(fx->cfg);
  fx->content = hg_content_load(fx->cfg, NULL, &d, &err);
  assert_non_null(fx->content);
  fx->site = hg_site_build(fx->cfg, fx->content, NULL, &d);
  assert_diag_counts(&d, 0, 0);
  hg_diags_free(&d);
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  if (chdir(fx->cwd)) fail_msg("chdir back");
  unsetenv("HELPGEN_THEMES");
  hg_site_free(fx->site);
  hg_content_free(fx->content);
  hg_config_free(fx->cfg);
  tmp_remove(fx->dir);
  free(fx);
  return 0;
}

static hg_flows *flows_new(const fixture *fx) {
  hg_flows *f = hg_xcalloc(1, sizeof *f);
  f->site = fx->site;
  return f;
}

/* Checks one flow file and compares all its diagnostics, formatted and
 * joined by '\n', with `want` ("" for none). Returns how many flows stayed. */
static size_t expect(const fixture *fx, const char *text, const char *want) {
  hg_flows *f = flows_new(fx);
  hg_diags d = {0};
  hg_flows_add(f, "flows/t.yaml", "t.yaml", text, strlen(text), &d);
  hg_flows_check(f, &d);
  char *got = diags_text(&d);
  size_t n = strlen(got);
  if (n && got[n - 1] == '\n') got[n - 1] = '\0';
  if (strcmp(got, want)) fail_msg("want\n%s\ngot\n%s", want, got);
  free(got);
  hg_diags_free(&d);
  size_t kept = f->n;
  hg_flows_free(f);
  return kept;
}

#define GOOD_TAIL                                                                             \
  "  done:\n"                                                                                 \
  "    question: Did that help?\n"                                                            \
  "    options:\n"                                                                            \
  "      - label: \"Yes\"\n"                                                                  \
  "        answer: Great!\n"                                                                  \
  "      - label: \"No\"\n"                                                                   \
  "        contact: true\n"

static void test_valid_flow(void **state) {
  const char *text = "title: Track\n"
                     "start: start\n"
                     "steps:\n"
                     "  start:\n"
                     "    question: Where is it?\n"
                     "    options:\n"
                     "      - label: Read about it\n"
                     "        article: orders/track.md\n"
                     "      - label: Ask more\n"
                     "        next: done\n" GOOD_TAIL;
  assert_int_equal(expect(*state, text, ""), 1);
}

static void test_next_unknown(void **state) {
  const char *text = "title: Track\n"
                     "start: start\n"
                     "steps:\n"
                     "  start:\n"
                     "    question: Where is it?\n"
                     "    options:\n"
                     "      - label: Go\n"
                     "        next: nowhere\n"
                     "      - label: Ask\n"
                     "        next: done\n" GOOD_TAIL;
  assert_int_equal(expect(*state, text,
                          "flows/t.yaml:8:15: error: option 'Go': next: no step named 'nowhere' "
                          "in this flow (the steps are: start, done)"),
                   0);
}

static void test_option_without_target(void **state) {
  const char *text = "title: Track\n"
                     "start: start\n"
                     "steps:\n"
                     "  start:\n"
                     "    question: Where is it?\n"
                     "    options:\n"
                     "      - label: Go\n";
  assert_int_equal(expect(*state, text,
                          "flows/t.yaml:7:9: error: option 'Go' leads nowhere: give it one of "
                          "next, answer, article or contact"),
                   0);
}

static void test_option_with_two_targets(void **state) {
  const char *text = "title: Track\n"
                     "start: start\n"
                     "steps:\n"
                     "  start:\n"
                     "    question: Where is it?\n"
                     "    options:\n"
                     "      - label: Go\n"
                     "        next: start\n"
                     "        answer: Here.\n";
  assert_int_equal(expect(*state, text,
                          "flows/t.yaml:9:17: error: option 'Go' has both next and answer: give "
                          "it only one of next, answer, article or contact"),
                   0);
}

static void test_article_missing_and_draft(void **state) {
  const char *text = "title: Track\n"
                     "start: start\n"
                     "steps:\n"
                     "  start:\n"
                     "    question: Where is it?\n"
                     "    options:\n"
                     "      - label: Read\n"
                     "        article: orders/nope.md\n"
                     "      - label: Draft\n"
                     "        article: orders/draft.md\n"
                     "      - label: Up\n"
                     "        article: ../secret.md\n";
  assert_int_equal(
      expect(*state, text,
             "flows/t.yaml:8:18: error: option 'Read': article 'orders/nope.md' not found (no "
             "file content/orders/nope.md; the path is relative to content/)\n"
             "flows/t.yaml:10:18: error: option 'Draft': article 'orders/draft.md' is a draft, "
             "which is not published\n"
             "flows/t.yaml:12:18: error: option 'Up': article '../secret.md' leads outside "
             "content/"),
      0);
}

static void test_cycle(void **state) {
  const char *text = "title: Loop\n"
                     "start: start\n"
                     "steps:\n"
                     "  start:\n"
                     "    question: One?\n"
                     "    options:\n"
                     "      - label: On\n"
                     "        next: again\n"
                     "  again:\n"
                     "    question: Two?\n"
                     "    options:\n"
                     "      - label: Back\n"
                     "        next: start\n"
                     "      - label: Self\n"
                     "        next: again\n";
  assert_int_equal(
      expect(*state, text,
             "flows/t.yaml:13:15: error: option 'Back': next: 'start' makes a cycle (start → "
             "again → start); a flow must always move forward (every step has a \"start over\" "
             "link)\n"
             "flows/t.yaml:15:15: error: option 'Self': next: 'again' makes a cycle (again → "
             "again); a flow must always move forward (every step has a \"start over\" link)"),
      0);
}

static void test_unreachable_is_a_warning(void **state) {
  const char *text = "title: Track\n"
                     "start: done\n"
                     "steps:\n"
                     "  lost:\n"
                     "    question: Anyone?\n"
                     "    options:\n"
                     "      - label: Go\n"
                     "        next: done\n" GOOD_TAIL;
  assert_int_equal(expect(*state, text,
                          "flows/t.yaml:4:3: warning: step 'lost' is never reached from the "
                          "start step 'done' (no option leads to it)"),
                   1);
}

static void test_start_missing_or_unknown(void **state) {
  const char *steps = "steps:\n"
                      "  start:\n"
                      "    question: Where?\n"
                      "    options:\n"
                      "      - label: Here\n"
                      "        contact: true\n";
  char *text = hg_strdup_printf("title: T\n%s", steps);
  assert_int_equal(expect(*state, text,
                          "flows/t.yaml:1:1: error: the flow has no 'start' (the name of its "
                          "first step)"),
                   0);
  free(text);
  text = hg_strdup_printf("title: T\nstart: begin\n%s", steps);
  assert_int_equal(expect(*state, text,
                          "flows/t.yaml:2:8: error: start: no step named 'begin' (the steps "
                          "are: start)"),
                   0);
  free(text);
}

static void test_other_errors(void **state) {
  /* no title, a step without question, contact: false, a bad step name */
  const char *text = "start: start\n"
                     "steps:\n"
                     "  start:\n"
                     "    options:\n"
                     "      - label: Call\n"
                     "        contact: false\n"
                     "  Bad Name:\n"
                     "    question: Q?\n"
                     "    options:\n"
                     "      - label: A\n"
                     "        answer: A.\n";
  expect(*state, text,
         "flows/t.yaml:1:1: error: the flow has no 'title'\n"
         "flows/t.yaml:3:3: error: step 'start' has no 'question'\n"
         "flows/t.yaml:6:18: error: option 'Call': contact should be true (the option shows "
         "the contact block)\n"
         "flows/t.yaml:7:3: error: step name 'Bad Name' is part of its page's URL: use "
         "lowercase letters, digits and '-' (e.g. 'bad-name')\n"
         "flows/t.yaml:7:3: warning: step 'Bad Name' is never reached from the start step "
         "'start' (no option leads to it)");
  /* YAML syntax */
  const char *bad = "title: [oops\n";
  hg_flows *f = flows_new(*state);
  hg_diags d = {0};
  hg_flows_add(f, "flows/t.yaml", "t.yaml", bad, strlen(bad), &d);
  assert_int_equal(f->n, 0);
  assert_int_equal(d.len, 1);
  assert_true(hg_str_has_prefix(diag_at(&d, 0), "flows/t.yaml:2:1: error: "));
  hg_diags_free(&d);
  hg_flows_free(f);
}

static const char *const simple = "title: %s\n"
                                  "slug: %s\n"
                                  "start: start\n"
                                  "steps:\n"
                                  "  start:\n"
                                  "    question: Q?\n"
                                  "    options:\n"
                                  "      - label: A\n"
                                  "        answer: A.\n";

static void test_duplicate_slugs(void **state) {
  hg_flows *f = flows_new(*state);
  hg_diags d = {0};
  char *a = hg_strdup_printf(simple, "A", "same");
  char *b = hg_strdup_printf(simple, "B", "same");
  hg_flows_add(f, "flows/a.yaml", "a.yaml", a, strlen(a), &d);
  hg_flows_add(f, "flows/b.yaml", "b.yaml", b, strlen(b), &d);
  hg_flows_check(f, &d);
  assert_int_equal(d.len, 1);
  assert_string_equal(diag_at(&d, 0),
                      "flows/b.yaml:2:7: error: slug 'same' is already used by flows/a.yaml "
                      "(each flow needs its own slug: it is the flow's URL)");
  assert_int_equal(f->n, 1);
  assert_string_equal(f->flows[0].title, "A");
  free(a);
  free(b);
  hg_diags_free(&d);
  hg_flows_free(f);
}

static void test_links_to_flows(void **state) {
  fixture *fx = *state;
  put_file(".", "flows/track.yaml", "title: Track\nstart: s\nsteps:\n  s:\n    question: Q?\n"
                                    "    options:\n      - label: A\n        answer: See "
                                    "[the article](orders/track.md) or [returns](other.yaml).\n");
  put_file(".", "flows/other.yaml", "title: Other\nslug: returns\nstart: s\nsteps:\n  s:\n"
                                    "    question: Q?\n    options:\n      - label: A\n"
                                    "        contact: true\n");
  hg_diags d = {0};
  hg_flows *f = hg_flows_load(fx->site, &d);
  assert_diag_counts(&d, 0, 0);
  assert_int_equal(f->n, 2);
  bool handled;
  char *u = hg_flows_resolve(f, "orders", "orders/track", "../../flows/track.yaml",
                             "content/orders/track.md", 3, 4, &d, &handled);
  assert_true(handled);
  assert_string_equal(u, "../../flows/track/index.html");
  free(u);
  u = hg_flows_resolve(f, "orders", "orders/track", "../../flows/gone.yaml",
                       "content/orders/track.md", 3, 4, &d, &handled);
  assert_true(handled);
  assert_null(u);
  assert_string_equal(diag_at(&d, 0),
                      "content/orders/track.md:3:4: error: link to missing flow "
                      "'../../flows/gone.yaml' (no file flows/gone.yaml; fix the path or remove "
                      "the link)");
  /* not a flow: left to hg_site_resolve */
  u = hg_flows_resolve(f, "orders", "orders/track", "data.yaml", "x.md", 1, 1, &d, &handled);
  assert_false(handled);
  assert_null(u);
  u = hg_flows_resolve(f, "orders", "orders/track", "other.md", "x.md", 1, 1, &d, &handled);
  assert_false(handled);
  hg_diags_free(&d);
  /* the home page listing */
  hg_dict *dict = hg_dict_new("home");
  hg_flows_fill_list(f, dict, "./");
  hg_tpl *t = hg_tpl_new();
  const char *tpl = "{{%AUTOESCAPE context=\"HTML\"}}{{#HAS_FLOWS}}{{#FLOWS}}[{{FLOW_TITLE}}|"
                    "{{FLOW_URL}}]{{/FLOWS}}{{/HAS_FLOWS}}";
  hg_error *err = NULL;
  assert_true(hg_tpl_add(t, "list.tpl", "list.tpl", tpl, strlen(tpl), &err));
  hg_tpl_freeze(t);
  hg_buf out = HG_BUF_INIT;
  assert_true(hg_tpl_expand(t, "list.tpl", dict, &out, &err));
  assert_string_equal(hg_buf_cstr(&out),
                      "[Other|./flows/returns/index.html][Track|./flows/track/index.html]");
  hg_buf_free(&out);
  hg_tpl_free(t);
  hg_dict_free(dict);
  hg_flows_free(f);
  hg_rm_rf("flows");
}

static void test_pages(void **state) {
  fixture *fx = *state;
  put_file(".", "flows/track-order.yaml",
           "title: Track my order\n"
           "description: Find your package.\n"
           "start: status\n"
           "steps:\n"
           "  status:\n"
           "    question: What does the order page say?\n"
           "    options:\n"
           "      - label: Shipped\n"
           "        next: shipped\n"
           "      - label: \"Delivered, but I don't have it\"\n"
           "        contact: true\n"
           "  shipped:\n"
           "    question: Is the date still ahead?\n"
           "    options:\n"
           "      - label: \"Yes\"\n"
           "        article: orders/track.md\n"
           "      - label: \"No\"\n"
           "        answer: |\n"
           "          Wait **two days**, then [read this](orders/track.md).\n");
  hg_diags d = {0};
  hg_flows *f = hg_flows_load(fx->site, &d);
  assert_diag_counts(&d, 0, 0);
  assert_int_equal(f->n, 1);
  assert_int_equal(hg_flows_page_count(f), 5);
  hg_error *err = NULL;
  hg_theme *theme = hg_theme_load(fx->cfg, &err);
  if (!theme) fail_msg("theme: %s", err->msg);
  hg_output *out = hg_output_begin("public", ".", &err);
  assert_non_null(out);
  hg_render_input in = {.cfg = fx->cfg, .site = fx->site, .theme = theme, .out = out,
                        .threads = 1, .flows = f};
  assert_true(hg_render_flows(&in, &d));
  assert_true(hg_output_commit(out, &err));
  assert_diag_counts(&d, 0, 0);

  static const char *const pages[] = {
      "flows/track-order/index.html",
      "flows/track-order/status-delivered-but-i-dont-have-it/index.html",
      "flows/track-order/shipped/index.html",
      "flows/track-order/shipped-yes/index.html",
      "flows/track-order/shipped-no/index.html",
  };
  for (size_t i = 0; i < 5; i++) assert_true(path_exists("public", pages[i]));
  /* hg_flows_page_dirs names exactly the pages written (for the sitemap) */
  size_t nd = 0;
  char **dirs = hg_flows_page_dirs(f, &nd);
  assert_int_equal(nd, 5);
  assert_string_equal(dirs[0], "flows/track-order"); /* the start page first */
  for (size_t i = 0; i < nd; i++) {
    char *file = hg_site_page_file(dirs[i]);
    bool listed = false;
    for (size_t k = 0; k < 5; k++) listed |= !strcmp(file, pages[k]);
    if (!listed) fail_msg("%s is not a page hg_render_flows wrote", file);
    free(file);
    free(dirs[i]);
  }
  free(dirs);
  dirs = hg_flows_page_dirs(NULL, &nd);
  assert_int_equal(nd, 0);
  free(dirs);

  char *start = get_file("public", pages[0]);
  assert_contains(start, "<h2 class=\"hg-flow-question\" tabindex=\"-1\">What does the order "
                         "page say?</h2>");
  assert_contains(start, "href=\"../../flows/track-order/shipped/index.html\" "
                         "data-hg-to=\"shipped\" data-hg-kind=\"next\">Shipped</a>");
  assert_contains(start, "data-hg-kind=\"contact\">Delivered, but I don&#39;t have it</a>");
  assert_contains(start, "<script type=\"application/json\" class=\"hg-flow-data\">");
  assert_contains(start, "assets/flows.");
  assert_lacks(start, "hg-flow-restart"); /* nothing to start over yet */
  free(start);

  char *step = get_file("public", pages[2]);
  assert_contains(step, "<a class=\"hg-flow-restart\" href=\"../../../flows/track-order/"
                        "index.html\" data-hg-to=\"\">Start over</a>");
  assert_contains(step, "<span class=\"hg-flow-trail-a\">Shipped</span>");
  assert_contains(step, "href=\"../../../flows/track-order/shipped-no/index.html\"");
  free(step);

  char *answer = get_file("public", pages[4]);
  assert_contains(answer, "Wait <strong>two days</strong>, then <a href=\"../../../orders/"
                          "track/index.html\">read this</a>.");
  assert_contains(answer, "Start over");
  free(answer);

  char *article = get_file("public", pages[3]);
  assert_contains(article, "<a class=\"hg-flow-article\" href=\"../../../orders/track/"
                           "index.html\"><span class=\"hg-flow-article-title\">Track your "
                           "order</span>");
  free(article);

  char *contact = get_file("public", pages[1]);
  assert_contains(contact, "id=\"hg-contact-title\"");
  assert_contains(contact, "help@example.com");
  free(contact);

  hg_theme_free(theme);
  hg_flows_free(f);
  hg_diags_free(&d);
  hg_rm_rf("flows");
  hg_rm_rf("public");
}

static void test_outcome_names(void **state) {
  hg_flows *f = flows_new(*state);
  hg_diags d = {0};
  const char *text = "title: T\nstart: s\nsteps:\n  s:\n    question: Q?\n    options:\n"
                     "      - label: Same\n        answer: One.\n"
                     "      - label: Same\n        answer: Two.\n"
                     "      - label: \"!!!\"\n        contact: true\n"
                     "      - label: I already sent it back but where is my refund please\n"
                     "        contact: true\n";
  hg_flows_add(f, "flows/t.yaml", "t.yaml", text, strlen(text), &d);
  hg_flows_check(f, &d);
  assert_int_equal(d.len, 0);
  const hg_flow_step *s = &f->flows[0].steps[0];
  assert_string_equal(s->options[0].name, "s-same");
  assert_string_equal(s->options[1].name, "s-same-2");
  assert_string_equal(s->options[2].name, "s-option-3");
  assert_string_equal(s->options[3].name, "s-i-already-sent-it-back-but-where-is-my");
  hg_flows_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_flow),
      cmocka_unit_test(test_next_unknown),
      cmocka_unit_test(test_option_without_target),
      cmocka_unit_test(test_option_with_two_targets),
      cmocka_unit_test(test_article_missing_and_draft),
      cmocka_unit_test(test_cycle),
      cmocka_unit_test(test_unreachable_is_a_warning),
      cmocka_unit_test(test_start_missing_or_unknown),
      cmocka_unit_test(test_other_errors),
      cmocka_unit_test(test_duplicate_slugs),
      cmocka_unit_test(test_links_to_flows),
      cmocka_unit_test(test_pages),
      cmocka_unit_test(test_outcome_names),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
