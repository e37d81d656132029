/* test_html2md.c - unit tests for src/html2md.c: HTML through gumbo into
 * CommonMark. Most checks parse the Markdown again with cmark-gfm and look
 * at the HTML it gives, so they test what a reader gets, not spacing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hg_html2md.h"
#include "hg_util.h"
#include "helpers.h"

/* Markdown -> HTML with the GFM table and strikethrough extensions. */
static char *md_html(const char *md) {
  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
  cmark_syntax_extension *t = cmark_find_syntax_extension("table");
  cmark_syntax_extension *s = cmark_find_syntax_extension("strikethrough");
  cmark_parser_attach_syntax_extension(p, t);
  cmark_parser_attach_syntax_extension(p, s);
  cmark_parser_feed(p, md, strlen(md));
  cmark_node *doc = cmark_parser_finish(p);
  char *h = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
  char *out = hg_xstrdup(h);
  cmark_get_default_mem_allocator()->free(h);
  cmark_node_free(doc);
  cmark_parser_free(p);
  return out;
}

typedef struct {
  char *md, *html, *summary;
  hg_html2md_notes notes;
} conv;

static void convert(conv *c, const char *html, const hg_html2md_opts *o) {
  memset(c, 0, sizeof *c);
  hg_html2md_out out;
  hg_html2md(html, strlen(html), o, &out, &c->notes);
  c->md = out.markdown;
  c->summary = out.summary;
  c->html = md_html(c->md);
}

static void conv_free(conv *c) {
  free(c->md);
  free(c->html);
  free(c->summary);
  hg_html2md_notes_free(&c->notes);
}

/* The note whose text holds `s`, or NULL. */
static const hg_html2md_note *note_with(const conv *c, const char *s) {
  for (size_t i = 0; i < c->notes.n; i++)
    if (strstr(c->notes.v[i].what, s)) return &c->notes.v[i];
  return NULL;
}

static void expect_html(const char *html, const char *want) {
  conv c;
  convert(&c, html, NULL);
  if (strcmp(c.html, want)) fprintf(stderr, "markdown:\n%s\nhtml:\n%s\n", c.md, c.html);
  assert_string_equal(c.html, want);
  conv_free(&c);
}

static void test_inline(void **state) {
  (void)state;
  expect_html("<p>a<b> b </b>c <i>d</i> <code>x &lt; y</code> <del>old</del></p>",
              "<p>a <strong>b</strong> c <em>d</em> <code>x &lt; y</code> <del>old</del></p>\n");
  /* Markdown syntax in text stays text */
  expect_html("<p>1. not a list, *not em*, [no link](x), &lt;b&gt;</p>",
              "<p>1. not a list, *not em*, [no link](x), &lt;b&gt;</p>\n");
  expect_html("<p>line one<br>line two</p>", "<p>line one<br />\nline two</p>\n");
  /* text outside any block, whitespace collapsed */
  expect_html("just   text\n\n here", "<p>just text here</p>\n");
}

static void test_headings_and_anchors(void **state) {
  (void)state;
  conv c;
  convert(&c,
          "<h2 id=\"h_01\">Before you start</h2><p><a href=\"#h_01\">up</a> "
          "<a href=\"#gone\">lost</a></p>\n<h2 id=\"h_02\">Before you start</h2>"
          "<p><a href=\"#h_02\">second</a></p>",
          NULL);
  assert_non_null(strstr(c.md, "[up](#before-you-start)"));
  assert_non_null(strstr(c.md, "[second](#before-you-start-1)"));
  assert_non_null(strstr(c.html, "lost"));
  assert_null(strstr(c.md, "#gone"));
  const hg_html2md_note *n = note_with(&c, "#gone");
  assert_non_null(n);
  assert_int_equal(n->line, 1);
  conv_free(&c);
}

static void test_lists(void **state) {
  (void)state;
  expect_html("<ul><li>One<ul><li>Nested <em>a</em></li><li>b</li></ul></li><li>Two</li></ul>",
              "<ul>\n<li>One\n<ul>\n<li>Nested <em>a</em></li>\n<li>b</li>\n</ul>\n</li>\n"
              "<li>Two</li>\n</ul>\n");
  expect_html("<ol start=\"3\"><li>three</li><li>four</li></ol>",
              "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n");
  /* two lists in a row: no "<!-- end list -->" raw HTML in between */
  conv c;
  convert(&c, "<ol><li>a</li></ol><pre>code</pre><ul><li>b</li></ul><ol><li>c</li></ol>", NULL);
  assert_null(strstr(c.md, "<!--"));
  if (!strstr(c.html, "<pre><code>code\n</code></pre>")) fprintf(stderr, "%s\n%s\n", c.md, c.html);
  assert_non_null(strstr(c.html, "<pre><code>code\n</code></pre>"));
  conv_free(&c);
}

static void test_code_blocks(void **state) {
  (void)state;
  expect_html("<pre><code class=\"language-bash\">echo \"hi\" | cat\n```\nls *\n</code></pre>",
              "<pre><code class=\"language-bash\">echo &quot;hi&quot; | cat\n```\nls *\n"
              "</code></pre>\n");
  expect_html("<pre class=\"brush: js\">a<br>b</pre>",
              "<pre><code class=\"language-js\">a\nb\n</code></pre>\n");
}

static void test_tables(void **state) {
  (void)state;
  conv c;
  convert(&c,
          "<table><caption>Plans</caption><tr><th>Plan</th><th style=\"text-align:right\">"
          "Price | EUR</th></tr><tr><td>Basic</td><td><p>5</p><p>a month</p></td></tr>"
          "<tr><td colspan=\"2\">all</td></tr><tr><td>short</td></tr></table>",
          NULL);
  assert_non_null(strstr(c.html, "<p><strong>Plans</strong></p>"));
  assert_non_null(strstr(c.html, "<th>Plan</th>"));
  assert_non_null(strstr(c.html, "<th align=\"right\">Price | EUR</th>"));
  assert_non_null(strstr(c.html, "<td>Basic</td>"));
  assert_non_null(strstr(c.html, "<td align=\"right\">5 a month</td>"));
  assert_non_null(strstr(c.html, "<td>all</td>\n<td align=\"right\"></td>"));
  assert_non_null(strstr(c.html, "<td>short</td>\n<td align=\"right\"></td>"));
  const hg_html2md_note *n = note_with(&c, "spanning 2 columns");
  assert_non_null(n);
  assert_int_equal(n->line, 1);
  conv_free(&c);
  /* a list in a cell is flattened, and noted */
  convert(&c, "<table><tr><td>a</td></tr><tr><td><ul><li>x</li><li>y</li></ul></td></tr></table>",
          NULL);
  assert_non_null(strstr(c.html, "<td>x y</td>"));
  assert_non_null(note_with(&c, "<ul> inside a table cell"));
  conv_free(&c);
  /* a break in a cell (even inside bold) is a space: a GFM row is one line */
  convert(&c, "<table><tr><td>h</td></tr><tr><td>a<br>b <b>c<br>d</b></td></tr></table>", NULL);
  assert_non_null(strstr(c.html, "<td>a b <strong>c d</strong></td>"));
  conv_free(&c);
}

static char *rewrite(void *ctx, const char *url, bool image, int line, hg_html2md_notes *notes) {
  (void)ctx;
  if (image) return hg_strdup_printf("local-%d.png", line);
  if (!strcmp(url, "https://old/hc/en-us/articles/1")) return hg_xstrdup("../a/one.md");
  hg_html2md_note_add(notes, line, "kept", "nothing");
  return NULL;
}

static void test_links_and_images(void **state) {
  (void)state;
  hg_html2md_opts o = {rewrite, NULL, false};
  conv c;
  convert(&c,
          "<p><a href=\"https://old/hc/en-us/articles/1\" title=\"T\">one</a>\n"
          "<a href=\"https://else.example/\"> two </a></p>\n"
          "<p><img src=\"x.png\" alt=\"A cat &amp; a dog\"> <img alt=\"no src\"></p>\n"
          "<p><a href=\"javascript:alert(1)\">bad</a></p>",
          &o);
  assert_non_null(strstr(c.html, "<a href=\"../a/one.md\" title=\"T\">one</a> "
                                 "<a href=\"https://else.example/\">two</a>"));
  assert_non_null(strstr(c.html, "<img src=\"local-3.png\" alt=\"A cat &amp; a dog\" />"));
  assert_non_null(strstr(c.html, "<p>bad</p>"));
  assert_non_null(note_with(&c, "javascript:"));
  assert_non_null(note_with(&c, "without a src"));
  assert_non_null(note_with(&c, "kept"));
  conv_free(&c);
}

static void test_callouts(void **state) {
  (void)state;
  static const struct {
    const char *cls, *marker;
  } cases[] = {{"note", "[!NOTE]"},
               {"callout callout--tip", "[!TIP]"},
               {"alert alert-warning", "[!WARNING]"},
               {"admonition danger", "[!CAUTION]"},
               {"box-important", "[!IMPORTANT]"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *html = hg_strdup_printf("<div class=\"%s\"><p>Be <b>careful</b>.</p><p>Two.</p></div>",
                                  cases[i].cls);
    conv c;
    convert(&c, html, NULL);
    char *want = hg_strdup_printf("<blockquote>\n<p>%s\nBe <strong>careful</strong>.</p>\n"
                                  "<p>Two.</p>\n</blockquote>\n", cases[i].marker);
    assert_string_equal(c.html, want);
    free(want);
    free(html);
    conv_free(&c);
  }
  /* a class that names no callout is a plain container */
  expect_html("<div class=\"wrapper\"><p>Plain.</p></div>", "<p>Plain.</p>\n");
}

static void test_unconvertible(void **state) {
  (void)state;
  conv c;
  convert(&c,
          "<p>Intro.</p>\n<iframe src=\"https://www.youtube.com/embed/x\" title=\"Video\">"
          "</iframe>\n<script>track()</script>\n<p style=\"color: red; margin: 0\">Red</p>\n"
          "<form><input name=q></form>\n<my-widget>inside</my-widget>\n<style>p{}</style>",
          NULL);
  assert_non_null(strstr(c.html, "<a href=\"https://www.youtube.com/embed/x\">Video</a>"));
  assert_null(strstr(c.md, "track"));
  assert_non_null(strstr(c.html, "<p>Red</p>"));
  assert_non_null(strstr(c.html, "inside"));
  static const struct {
    const char *what;
    int line;
  } want[] = {{"<iframe>", 2}, {"<script>", 3}, {"'color: red'", 4}, {"<form>", 5},
              {"<my-widget>", 6}, {"<style>", 7}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const hg_html2md_note *n = note_with(&c, want[i].what);
    if (!n) fprintf(stderr, "no note about %s\n", want[i].what);
    assert_non_null(n);
    assert_int_equal(n->line, want[i].line);
    assert_true(*n->todo);
  }
  assert_null(note_with(&c, "margin"));
  conv_free(&c);
}

static void test_raw_html(void **state) {
  (void)state;
  hg_html2md_opts o = {NULL, NULL, true};
  conv c;
  convert(&c,
          "<p>Watch:</p><iframe src=\"https://v.example/x\" title=\"V\"></iframe>\n"
          "<form action=\"/pay\"><input name=q><button>Pay</button></form><script>x()</script>",
          &o);
  assert_non_null(strstr(c.md, "<iframe src=\"https://v.example/x\" title=\"V\"></iframe>"));
  assert_non_null(strstr(c.md, "<form action=\"/pay\"><input name=q><button>Pay</button></form>"));
  assert_null(strstr(c.md, "script"));
  assert_non_null(note_with(&c, "<iframe> https://v.example/x kept as raw HTML"));
  assert_non_null(note_with(&c, "<form> (a form) kept as raw HTML"));
  assert_non_null(note_with(&c, "<script> dropped"));
  conv_free(&c);
}

static void test_summary_and_robustness(void **state) {
  (void)state;
  conv c;
  convert(&c, "", NULL);
  assert_string_equal(c.md, "");
  assert_string_equal(c.summary, "");
  conv_free(&c);
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "<h1>T</h1><p>");
  for (int i = 0; i < 60; i++) hg_buf_puts(&b, "word ");
  hg_buf_puts(&b, "</p>");
  convert(&c, hg_buf_cstr(&b), NULL);
  assert_true(strlen(c.summary) <= 163);
  assert_true(hg_str_has_suffix(c.summary, "word..."));
  conv_free(&c);
  /* deep nesting, unclosed tags, stray cells: no crash, text kept */
  hg_buf_clear(&b);
  for (int i = 0; i < 5000; i++) hg_buf_puts(&b, "<div><b>");
  hg_buf_puts(&b, "deep<td>cell</li></table><p>after");
  convert(&c, hg_buf_cstr(&b), NULL);
  assert_non_null(note_with(&c, "nested over"));
  conv_free(&c);
  hg_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_inline),
      cmocka_unit_test(test_headings_and_anchors),
      cmocka_unit_test(test_lists),
      cmocka_unit_test(test_code_blocks),
      cmocka_unit_test(test_tables),
      cmocka_unit_test(test_links_and_images),
      cmocka_unit_test(test_callouts),
      cmocka_unit_test(test_unconvertible),
      cmocka_unit_test(test_raw_html),
      cmocka_unit_test(test_summary_and_robustness),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
