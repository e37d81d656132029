/* test_template.c - unit tests for src/template.cc through hg_template.h:
 * registration checks and their messages, autoescaping, sections,
 * includes and template-globals, and the frozen cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hg_template.h"
#include "helpers.h"

#define AE "{{%AUTOESCAPE context=\"HTML\"}}"

typedef struct {
  hg_tpl *t;
  hg_dict *d;
  hg_error *err;
  hg_buf out;
  char *dir, *cwd; /* test_frozen_never_reads_disk: a temp folder made the cwd */
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->t = hg_tpl_new();
  f->d = hg_dict_new("test");
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  if (f->cwd) assert_int_equal(chdir(f->cwd), 0);
  free(f->cwd);
  tmp_remove(f->dir);
  hg_dict_free(f->d);
  hg_tpl_free(f->t);
  hg_error_free(f->err);
  hg_buf_free(&f->out);
  free(f);
  return 0;
}

static void add_ok(fixture *f, const char *name, const char *text) {
  char *path = hg_strdup_printf("themes/test/%s", name);
  if (!hg_tpl_add(f->t, name, path, text, strlen(text), &f->err))
    fail_msg("hg_tpl_add(%s): %s", name, f->err ? f->err->msg : "?");
  free(path);
}

/* Registration that must fail; returns the message. */
static const char *add_fail(fixture *f, const char *name, const char *text) {
  hg_error_free(f->err);
  f->err = NULL;
  char *path = hg_strdup_printf("themes/test/%s", name);
  bool ok = hg_tpl_add(f->t, name, path, text, strlen(text), &f->err);
  free(path);
  if (ok) fail_msg("'%s' was accepted:\n%s", name, text);
  assert_non_null(f->err);
  assert_int_equal(f->err->code, 2);
  return f->err->msg;
}

static const char *expand(fixture *f, const char *name) {
  hg_buf_clear(&f->out);
  if (!hg_tpl_expand(f->t, name, f->d, &f->out, &f->err))
    fail_msg("expand %s: %s", name, f->err ? f->err->msg : "?");
  return hg_buf_cstr(&f->out);
}

/* ---- registration --------------------------------------------------------- */
static void test_requires_autoescape(void **state) {
  fixture *f = *state;
  assert_string_equal(add_fail(f, "page.tpl", "<p>{{X}}</p>\n"),
                      "themes/test/page.tpl:1:1: template: must start with {{%AUTOESCAPE "
                      "context=\"HTML\"}} (every template and partial escapes by default)");
  assert_contains(add_fail(f, "late.tpl", "<p>hi</p>\n" AE "\n"), "themes/test/late.tpl:1:1:");
  assert_contains(add_fail(f, "empty.tpl", ""), "themes/test/empty.tpl:1:1:");
  assert_false(hg_tpl_has(f->t, "page.tpl"));
  /* blank lines before it are fine */
  add_ok(f, "ok.tpl", "\n  " AE "\n<p>{{X}}</p>\n");
  assert_true(hg_tpl_has(f->t, "ok.tpl"));
}

static void test_unbalanced_sections(void **state) {
  fixture *f = *state;
  assert_string_equal(add_fail(f, "list.tpl", AE "\n<ul>\n{{#ITEMS}}\n<li>{{NAME}}</li>\n</ul>\n"),
                      "themes/test/list.tpl:3: template: {{#ITEMS}} is never closed (add "
                      "{{/ITEMS}})");
  assert_string_equal(add_fail(f, "cross.tpl", AE "\n{{#A}}\n  {{#B}}x{{/A}}{{/B}}\n"),
                      "themes/test/cross.tpl:3:10: template: {{/A}} found, but {{#B}} (line 3) "
                      "is still open");
  assert_string_equal(add_fail(f, "stray.tpl", AE "\nok\n\nx {{/GONE}}\n"),
                      "themes/test/stray.tpl:4:3: template: {{/GONE}} closes a section that was "
                      "never opened");
  assert_string_equal(add_fail(f, "open.tpl", AE "\n<p>{{NAME</p>\n"),
                      "themes/test/open.tpl:2:4: template: '{{' is never closed by '}}'");
  /* line numbers stay right after a multi-line comment */
  assert_contains(add_fail(f, "comment.tpl", AE "\n{{! a\nlong\ncomment }}\n{{#S}}\n"),
                  "themes/test/comment.tpl:5: template: {{#S}} is never closed");
  assert_false(hg_tpl_has(f->t, "list.tpl"));
}

static void test_ctemplate_syntax_error_names_file(void **state) {
  fixture *f = *state;
  assert_string_equal(add_fail(f, "bad.tpl", AE "\n<p>{{X:no_such_modifier}}</p>\n"),
                      "themes/test/bad.tpl: template: Unknown modifier for variable X: "
                      "'no_such_modifier'");
  assert_string_equal(add_fail(f, "bad2.tpl", AE "\n<p>{{BAD-NAME}}</p>\n"),
                      "themes/test/bad2.tpl: template: Illegal name in template 'BAD-NAME'");
  assert_string_equal(add_fail(f, "bad3.tpl", AE "<a href={{U}}>x</a>\n"),
                      "themes/test/bad3.tpl: template: Auto-Escape: Value of URL attribute "
                      "\"href\" must be enclosed in quotes.");
  assert_false(hg_tpl_has(f->t, "bad.tpl"));
}

static void test_register_twice(void **state) {
  fixture *f = *state;
  add_ok(f, "a.tpl", AE "one");
  assert_contains(add_fail(f, "a.tpl", AE "two"), "themes/test/a.tpl: template: ");
  hg_tpl_freeze(f->t);
  assert_string_equal(expand(f, "a.tpl"), "one");
}

static void test_has(void **state) {
  fixture *f = *state;
  add_ok(f, "partials/head.tpl", AE "h");
  assert_true(hg_tpl_has(f->t, "partials/head.tpl"));
  assert_false(hg_tpl_has(f->t, "head.tpl"));
  assert_false(hg_tpl_has(f->t, "partials/head"));
  assert_false(hg_tpl_has(f->t, "s/head.tpl"));
  assert_false(hg_tpl_has(f->t, ""));
}

/* Text given without a trailing NUL must not be read past its length. */
static void test_exact_length_buffers(void **state) {
  fixture *f = *state;
  static const char *const texts[] = {AE "{{#A}}x{{/A}}", AE "{{#A}}x", "{{%AUTO", AE "{{X"};
  static const bool good[] = {true, false, false, false};
  for (size_t i = 0; i < 4; i++) {
    size_t n = strlen(texts[i]);
    char *exact = hg_xmalloc(n);
    memcpy(exact, texts[i], n);
    char name[16];
    snprintf(name, sizeof name, "x%zu.tpl", i);
    hg_error *err = NULL;
    bool ok = hg_tpl_add(f->t, name, name, exact, n, &err);
    if (ok != good[i]) fail_msg("case %zu: %s", i, err ? err->msg : "accepted");
    hg_error_free(err);
    free(exact);
  }
  /* an empty tag is for ctemplate to judge, not a crash in our check */
  hg_error *e0 = NULL;
  if (!hg_tpl_add(f->t, "e.tpl", "e.tpl", AE "{{}}", strlen(AE "{{}}"), &e0))
    assert_true(hg_str_has_prefix(e0->msg, "e.tpl: template: "));
  hg_error_free(e0);
  /* and a prefix of a longer text is only that prefix */
  const char *text = AE "{{#A}}x{{/A}} and more";
  hg_error *err = NULL;
  assert_false(hg_tpl_add(f->t, "p.tpl", "p.tpl", text, strlen(AE "{{#A}}x"), &err));
  assert_contains(err->msg, "{{#A}} is never closed");
  hg_error_free(err);
}

/* ---- expansion ------------------------------------------------------------ */
static void test_autoescape(void **state) {
  fixture *f = *state;
  add_ok(f, "p.tpl", AE "<h1>{{T}}</h1>\n<div>{{BODY:none}}</div>\n"
                        "<a href=\"{{U}}\" title=\"{{T}}\">x</a>\n");
  hg_dict_set(f->d, "T", "<script>alert('x&y')</script>");
  hg_dict_set(f->d, "BODY", "<p>trusted <b>html</b></p>");
  hg_dict_set(f->d, "U", "javascript:alert(1)");
  hg_tpl_freeze(f->t);
  const char *s = expand(f, "p.tpl");
  assert_contains(s, "<h1>&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;</h1>");
  assert_contains(s, "<div><p>trusted <b>html</b></p></div>");
  assert_lacks(s, "<script>");
  assert_lacks(s, "javascript:");
  assert_contains(s, "title=\"&lt;script&gt;");
}

static void test_sections_and_values(void **state) {
  fixture *f = *state;
  add_ok(f, "s.tpl", AE "[{{#SHOWN}}shown {{V}}{{/SHOWN}}]"
                        "[{{#HIDDEN}}hidden{{/HIDDEN}}]"
                        "[{{#ROW}}{{N}}={{I}};{{/ROW}}]"
                        "[{{MISSING}}|{{EMPTY}}|{{NUM}}]");
  hg_dict_show(f->d, "SHOWN");
  hg_dict_set(f->d, "V", "v1");
  for (int i = 0; i < 3; i++) {
    hg_dict *r = hg_dict_add_section(f->d, "ROW");
    char n[8];
    snprintf(n, sizeof n, "r%c", (char)('0' + i));
    hg_dict_set(r, "N", n);
    hg_dict_set_int(r, "I", i * 10);
  }
  hg_dict_set(f->d, "EMPTY", NULL);
  hg_dict_set_int(f->d, "NUM", -42);
  hg_tpl_freeze(f->t);
  assert_string_equal(expand(f, "s.tpl"), "[shown v1][][r0=0;r1=10;r2=20;][||-42]");
}

static void test_strip_blank_lines(void **state) {
  fixture *f = *state;
  add_ok(f, "b.tpl", AE "\na\n\n\n   \nb\n");
  hg_tpl_freeze(f->t);
  assert_string_equal(expand(f, "b.tpl"), "a\nb\n");
}

static void test_includes_see_globals(void **state) {
  fixture *f = *state;
  add_ok(f, "main.tpl", AE "main:{{G}}/{{L}}|{{>INC}}|{{#GS}}gs{{/GS}}");
  add_ok(f, "partials/inc.tpl", AE "inc:{{G}}/{{L}}/{{OWN}}{{#GS}}+gs{{/GS}}{{#LS}}+ls{{/LS}}");
  hg_dict_set_global(f->d, "G", "<g>");
  hg_dict_set(f->d, "L", "local");
  hg_dict_show_global(f->d, "GS");
  hg_dict_show(f->d, "LS");
  hg_dict *inc = hg_dict_add_include(f->d, "INC", "partials/inc.tpl");
  hg_dict_set(inc, "OWN", "own");
  hg_tpl_freeze(f->t);
  /* the partial sees globals (escaped by its own AUTOESCAPE), not the
   * parent's plain values or sections */
  assert_string_equal(expand(f, "main.tpl"),
                      "main:&lt;g&gt;/local|inc:&lt;g&gt;//own+gs|gs");
}

static void test_include_repeated_and_missing(void **state) {
  fixture *f = *state;
  add_ok(f, "main.tpl", AE "[{{>ITEM}}]");
  add_ok(f, "item.tpl", AE "({{N}})");
  hg_tpl_freeze(f->t);
  assert_string_equal(expand(f, "main.tpl"), "[]"); /* nothing added: nothing included */
  hg_dict_set(hg_dict_add_include(f->d, "ITEM", "item.tpl"), "N", "&1");
  hg_dict_set(hg_dict_add_include(f->d, "ITEM", "item.tpl"), "N", "\"2");
  assert_string_equal(expand(f, "main.tpl"), "[(&amp;1)(&quot;2)]");
  hg_buf_clear(&f->out);
  assert_false(hg_tpl_expand(f->t, "nope.tpl", f->d, &f->out, &f->err));
  assert_string_equal(f->err->msg, "nope.tpl: template: expansion failed (missing template or "
                                   "include?)");
}

static void test_frozen_never_reads_disk(void **state) {
  fixture *f = *state;
  f->dir = tmp_new();
  f->cwd = getcwd(NULL, 0);
  put_file(f->dir, "disk.tpl", AE "FROM DISK");
  put_file(f->dir, "main.tpl", AE "FROM DISK TOO");
  assert_int_equal(chdir(f->dir), 0); /* where ctemplate would look */
  add_ok(f, "main.tpl", AE "main[{{>INC}}]");
  hg_tpl_freeze(f->t);
  hg_dict_add_include(f->d, "INC", "disk.tpl");
  hg_buf_clear(&f->out);
  /* ctemplate logs the include it will not load; keep the test output clean */
  fflush(stderr);
  int saved = dup(2), null = open("/dev/null", O_WRONLY);
  dup2(null, 2);
  hg_tpl_expand(f->t, "main.tpl", f->d, &f->out, NULL);
  dup2(saved, 2);
  close(saved);
  close(null);
  assert_lacks(hg_buf_cstr(&f->out), "FROM DISK");
  hg_buf_clear(&f->out);
  assert_false(hg_tpl_expand(f->t, "disk.tpl", f->d, &f->out, &f->err));
  assert_lacks(hg_buf_cstr(&f->out), "FROM DISK");
  assert_false(hg_tpl_has(f->t, "disk.tpl"));
  /* a file changed on disk after registration changes nothing */
  put_file(f->dir, "main.tpl", AE "CHANGED");
  hg_dict *d2 = hg_dict_new("d2");
  hg_buf_clear(&f->out);
  assert_true(hg_tpl_expand(f->t, "main.tpl", d2, &f->out, NULL));
  assert_string_equal(hg_buf_cstr(&f->out), "main[]");
  hg_dict_free(d2);
}

typedef struct {
  hg_tpl *t;
  char **out;
  atomic_int failures;
} par_expand;

static void expand_one(void *ctx, size_t i, int worker) {
  par_expand *p = ctx;
  hg_dict *d = hg_dict_new("page");
  char v[32];
  snprintf(v, sizeof v, "<%zu>", i);
  hg_dict_set(d, "V", v);
  for (size_t k = 0; k < i % 5; k++) hg_dict_add_section(d, "R");
  hg_dict_set_global(hg_dict_add_include(d, "INC", "inc.tpl"), "G", v);
  hg_buf b = HG_BUF_INIT;
  if (!hg_tpl_expand(p->t, "page.tpl", d, &b, NULL)) atomic_fetch_add(&p->failures, 1);
  p->out[i] = hg_buf_steal(&b);
  hg_dict_free(d);
}

static void test_parallel_expansion(void **state) {
  fixture *f = *state;
  add_ok(f, "page.tpl", AE "{{V}}:{{#R}}r{{/R}}:{{>INC}}");
  add_ok(f, "inc.tpl", AE "[{{G}}]");
  hg_tpl_freeze(f->t);
  const size_t n = 400;
  par_expand p = {.t = f->t, .out = hg_xcalloc(n, sizeof(char *))};
  atomic_init(&p.failures, 0);
  hg_parallel_for(n, 8, expand_one, &p);
  assert_int_equal(atomic_load(&p.failures), 0);
  for (size_t i = 0; i < n; i++) {
    char want[64];
    snprintf(want, sizeof want, "&lt;%zu&gt;:%.*s:[&lt;%zu&gt;]", i, (int)(i % 5), "rrrr", i);
    assert_string_equal(p.out[i], want);
    free(p.out[i]);
  }
  free(p.out);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_requires_autoescape),
      T(test_unbalanced_sections),
      T(test_ctemplate_syntax_error_names_file),
      T(test_register_twice),
      T(test_has),
      T(test_exact_length_buffers),
      T(test_autoescape),
      T(test_sections_and_values),
      T(test_strip_blank_lines),
      T(test_includes_see_globals),
      T(test_include_repeated_and_missing),
      T(test_frozen_never_reads_disk),
      T(test_parallel_expansion),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
