/* test_markdown.c - unit tests for src/markdown.c (rendering and the binary
 * records of its results), plus the runner for the golden cases in
 * tests/cases (NAME.md -> NAME.html [+ NAME.diag]). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hg_markdown.h"
#include "hg_dialect.h"
#include "helpers.h"

/* ---- helpers --------------------------------------------------------------- */

typedef struct {
  hg_md_result r;
  hg_diags d;
  bool ok;
} rendered;

static void render_opts(rendered *x, const char *md, const hg_md_opts *o) {
  memset(x, 0, sizeof *x);
  x->ok = hg_md_render(md, strlen(md), o, &x->r, &x->d);
  assert_non_null(x->r.html);
  assert_non_null(x->r.text);
}

static void render(rendered *x, const char *md) {
  hg_md_opts o = {.path = "t.md"};
  render_opts(x, md, &o);
}

static void done(rendered *x) {
  hg_md_result_free(&x->r);
  hg_diags_free(&x->d);
}

static size_t count_of(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
  return n;
}

/* Formatted diagnostic i ("path:line:col: warning: msg"), static buffer. */
static const char *diag(const rendered *x, size_t i) {
  static char buf[1024];
  assert_true(i < x->d.len);
  char *s = hg_diag_format(&x->d.items[i]);
  snprintf(buf, sizeof buf, "%s", s);
  free(s);
  return buf;
}

/* ---- basics ------------------------------------------------------------------ */

static void test_basic_and_empty(void **state) {
  (void)state;
  rendered x;
  render(&x, "Hello *world*\n");
  assert_string_equal(x.r.html, "<p>Hello <em>world</em></p>\n");
  assert_string_equal(x.r.text, "Hello world");
  assert_int_equal(x.r.words, 2);
  assert_null(x.r.first_h1);
  assert_int_equal(x.r.ntoc, 0);
  assert_int_equal(x.r.nfaq, 0);
  assert_int_equal(x.d.len, 0);
  assert_true(x.ok);
  done(&x);

  render(&x, "");
  assert_string_equal(x.r.html, "");
  assert_string_equal(x.r.text, "");
  assert_int_equal(x.r.words, 0);
  done(&x);

  /* NULL text with length 0 and NULL opts/diags are tolerated */
  hg_md_result r;
  assert_true(hg_md_render(NULL, 0, NULL, &r, NULL));
  assert_string_equal(r.html, "");
  hg_md_result_free(&r);
  assert_null(r.html);
  hg_md_result_free(&r); /* idempotent */
}

static void test_no_smart_punctuation(void **state) {
  (void)state;
  rendered x;
  render(&x, "\"quoted\" 'single' -- dash --- em...\n");
  assert_string_equal(x.r.html,
                      "<p>&quot;quoted&quot; 'single' -- dash --- em...</p>\n");
  done(&x);
}

static void test_gfm_extensions(void **state) {
  (void)state;
  rendered x;
  render(&x, "~~gone~~ and https://example.com\n\n- [ ] todo\n- [x] done\n");
  assert_contains(x.r.html, "<del>gone</del>");
  assert_contains(x.r.html, "<a href=\"https://example.com\">https://example.com</a>");
  assert_contains(x.r.html, "<li><input type=\"checkbox\" disabled=\"\" /> todo</li>");
  assert_contains(x.r.html,
                  "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>");
  done(&x);
}

static void test_footnotes(void **state) {
  (void)state;
  rendered x;
  render(&x, "Fact[^a].\n\n[^a]: Source.\n");
  assert_contains(x.r.html, "<sup class=\"footnote-ref\"><a href=\"#fn-a\" id=\"fnref-a\"");
  assert_contains(x.r.html, "<section class=\"footnotes\" data-footnotes>");
  assert_contains(x.r.html, "<li id=\"fn-a\">");
  assert_contains(x.r.text, "Source.");
  done(&x);
}

/* ---- raw HTML and XSS -------------------------------------------------------- */

static void test_xss_raw_html_dropped(void **state) {
  (void)state;
  rendered x;
  hg_md_opts o = {.path = "a.md", .line_offset = 4};
  render_opts(&x, "Intro.\n\n<script>alert(1)</script>\n\nSee <img src=x onerror=alert(1)> "
                  "and <b onmouseover=alert(2)>b</b>.\n",
              &o);
  assert_lacks(x.r.html, "<script");
  assert_lacks(x.r.html, "onerror");
  assert_lacks(x.r.html, "onmouseover");
  assert_lacks(x.r.html, "<img");
  assert_contains(x.r.html, "<!-- raw HTML omitted -->");
  /* one warning for the whole file, at the first occurrence (line 3 + 4) */
  assert_int_equal(x.d.len, 1);
  assert_string_equal(diag(&x, 0), "a.md:7:1: warning: raw HTML omitted (set "
                                   "markdown.unsafe: true in helpgen.yaml to allow it)");
  assert_true(x.ok); /* warnings only */
  done(&x);

  /* inline-only raw HTML: the warning points at its column */
  render_opts(&x, "x\n\nab <img src=x onerror=alert(1)>\n", &o);
  assert_int_equal(x.d.len, 1);
  assert_int_equal(x.d.items[0].line, 7);
  assert_int_equal(x.d.items[0].col, 4);
  assert_lacks(x.r.html, "onerror");
  done(&x);
}

static void test_html_comments_silent(void **state) {
  (void)state;
  rendered x;
  render(&x, "<!-- note to editors -->\n\nText <!-- x --> here.\n");
  assert_int_equal(x.d.len, 0);
  assert_lacks(x.r.html, "note to editors");
  assert_string_equal(x.r.html, "<p>Text  here.</p>\n");
  done(&x);
}

static void test_xss_dangerous_urls(void **state) {
  (void)state;
  static const char *const bad[] = {
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](< javascript:alert(1)>)",
      "[x](<java\tscript:alert(1)>)",
      "[x](&#106;avascript:alert(1))",
      "[x](vbscript:msgbox(1))",
      "[x](VBScript:msgbox(1))",
      "[x](file:///etc/passwd)",
      "[x](data:text/html;base64,PHNjcmlwdD4=)",
      "<javascript:alert(1)>",
      "![x](javascript:alert(1))",
      "![x](data:image/svg+xml;base64,PHN2Zz4=)",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    rendered x;
    render(&x, bad[i]);
    if (strstr(x.r.html, "script:") && !strstr(x.r.html, ">javascript:alert(1)<"))
      fail_msg("dangerous URL survived for %s:\n%s", bad[i], x.r.html);
    assert_lacks(x.r.html, "href=\"javascript");
    assert_lacks(x.r.html, "href=\"JaVaScRiPt");
    assert_lacks(x.r.html, "src=\"javascript");
    assert_lacks(x.r.html, "vbscript:");
    assert_lacks(x.r.html, "VBScript:");
    assert_lacks(x.r.html, "file:");
    assert_lacks(x.r.html, "data:");
    if (!strstr(x.r.html, "href=\"\"") && !strstr(x.r.html, "src=\"\""))
      fail_msg("expected an emptied URL for %s:\n%s", bad[i], x.r.html);
    done(&x);
  }

  rendered x;
  render(&x, "![p](data:image/png;base64,iVBORw0KGgo=) [ok](https://e.com/?a=1&b=2)\n");
  assert_contains(x.r.html, "src=\"data:image/png;base64,iVBORw0KGgo=\"");
  assert_contains(x.r.html, "href=\"https://e.com/?a=1&amp;b=2\"");
  done(&x);
}

static void test_unsafe_keeps_html(void **state) {
  (void)state;
  rendered x;
  hg_md_opts o = {.path = "a.md", .unsafe = true};
  render_opts(&x, "<div class=\"x\">raw</div>\n\nInline <kbd>K</kbd>.\n\n[j](javascript:go())\n",
              &o);
  assert_contains(x.r.html, "<div class=\"x\">raw</div>");
  assert_contains(x.r.html, "<kbd>K</kbd>");
  assert_contains(x.r.html, "href=\"javascript:go()\""); /* as cmark's unsafe mode */
  assert_int_equal(x.d.len, 0);
  done(&x);

  /* raw HTML inside headings and FAQ questions that get rebuilt (regression:
   * its text used to point into the freed heading; ASan/valgrind catch it) */
  o.faq = true;
  render_opts(&x, "## Press <kbd>Ctrl</kbd>+<kbd>S</kbd>\n\nSaved.\n\n"
                  "### Use <em>raw</em> tags\n\n> [!NOTE]\n> <span>x</span>\n",
              &o);
  assert_contains(x.r.html, "<summary><h2 class=\"faq-q\">Press <kbd>Ctrl</kbd>+<kbd>S</kbd>"
                            "</h2></summary>");
  assert_contains(x.r.html, "<h3 id=\"use-raw-tags\">Use <em>raw</em> tags</h3>");
  assert_contains(x.r.html, "<p><span>x</span></p>");
  assert_string_equal(x.r.faq[0].id, "press-ctrl-s");
  done(&x);
}

/* ---- headings, ids, toc, title -------------------------------------------------- */

static void test_heading_ids_unique(void **state) {
  (void)state;
  rendered x;
  render(&x, "# Top\n\n## Install\n\n## Install\n\n## Install-1\n\n## Install\n\n"
             "### ???\n\n#### ???\n\n###### Section\n\n## A *b* `c`\n");
  assert_contains(x.r.html, "<h1 id=\"top\">Top</h1>\n");
  assert_contains(x.r.html, "<h2 id=\"install\">Install</h2>\n");
  assert_contains(x.r.html, "<h2 id=\"install-1\">Install</h2>\n");
  /* the explicit "Install-1" heading cannot take the used id */
  assert_contains(x.r.html, "<h2 id=\"install-1-1\">Install-1</h2>\n");
  assert_contains(x.r.html, "<h2 id=\"install-2\">Install</h2>\n");
  assert_contains(x.r.html, "<h3 id=\"section\">?\?\?</h3>\n");
  assert_contains(x.r.html, "<h4 id=\"section-1\">?\?\?</h4>\n");
  assert_contains(x.r.html, "<h6 id=\"section-2\">Section</h6>\n");
  assert_contains(x.r.html, "<h2 id=\"a-b-c\">A <em>b</em> <code>c</code></h2>\n");

  assert_int_equal(x.r.ntoc, 6);
  assert_int_equal(x.r.toc[0].level, 2);
  assert_string_equal(x.r.toc[0].id, "install");
  assert_string_equal(x.r.toc[1].id, "install-1");
  assert_string_equal(x.r.toc[2].id, "install-1-1");
  assert_string_equal(x.r.toc[2].text, "Install-1");
  assert_string_equal(x.r.toc[3].id, "install-2");
  assert_int_equal(x.r.toc[4].level, 3);
  assert_string_equal(x.r.toc[4].id, "section");
  assert_string_equal(x.r.toc[5].text, "A b c");
  assert_string_equal(x.r.first_h1, "Top");
  done(&x);
}

static void test_heading_ids_unicode(void **state) {
  (void)state;
  rendered x;
  render(&x, "## Účet a platby\n\n## การชำระเงิน\n\n## お支払い方法\n\n### Účet a platby\n");
  assert_contains(x.r.html, "<h2 id=\"účet-a-platby\">Účet a platby</h2>");
  assert_contains(x.r.html, "<h2 id=\"การชำระเงิน\">การชำระเงิน</h2>");
  assert_contains(x.r.html, "<h2 id=\"お支払い方法\">お支払い方法</h2>");
  assert_contains(x.r.html, "<h3 id=\"účet-a-platby-1\">");
  assert_int_equal(x.r.ntoc, 4);
  assert_string_equal(x.r.toc[1].text, "การชำระเงิน");
  assert_string_equal(x.r.toc[3].id, "účet-a-platby-1");
  done(&x);
}

static void test_title_drop(void **state) {
  (void)state;
  rendered x;
  hg_md_opts o = {.path = "a.md", .title = "  Refund policy "};
  render_opts(&x, "# Refund *policy*\n\nBody.\n\n## Part\n", &o);
  assert_lacks(x.r.html, "<h1");
  assert_string_equal(x.r.html, "<p>Body.</p>\n<h2 id=\"part\">Part</h2>\n");
  assert_string_equal(x.r.first_h1, "Refund policy");
  assert_string_equal(x.r.text, "Body.\nPart");
  done(&x);

  /* a different title keeps the heading */
  o.title = "Refunds";
  render_opts(&x, "# Refund policy\n\nBody.\n", &o);
  assert_contains(x.r.html, "<h1 id=\"refund-policy\">Refund policy</h1>");
  assert_string_equal(x.r.first_h1, "Refund policy");
  done(&x);

  /* only when the h1 is the first block */
  o.title = "Refund policy";
  render_opts(&x, "Intro.\n\n# Refund policy\n", &o);
  assert_contains(x.r.html, "<h1 id=\"refund-policy\">Refund policy</h1>");
  assert_string_equal(x.r.first_h1, "Refund policy");
  done(&x);

  /* setext h1 counts too */
  render_opts(&x, "Refund policy\n=============\n\nText\n", &o);
  assert_string_equal(x.r.html, "<p>Text</p>\n");
  done(&x);
}

/* ---- callouts, tables, images ---------------------------------------------------- */

static void test_callouts_all_kinds(void **state) {
  (void)state;
  static const struct {
    const char *marker, *cls, *title;
  } kinds[] = {
      {"[!NOTE]", "callout-note", "Note"},
      {"[!TIP]", "callout-tip", "Tip"},
      {"[!IMPORTANT]", "callout-important", "Important"},
      {"[!WARNING]", "callout-warning", "Warning"},
      {"[!CAUTION]", "callout-caution", "Caution"},
      {"[!note]", "callout-note", "Note"},
      {"[!Warning]", "callout-warning", "Warning"},
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    char md[256], want[512];
    snprintf(md, sizeof md, "> %s\n> Body *text*.\n", kinds[i].marker);
    snprintf(want, sizeof want,
             "<aside class=\"callout %s\" role=\"note\">\n<p class=\"callout-title\">%s</p>\n"
             "<p>Body <em>text</em>.</p>\n</aside>\n",
             kinds[i].cls, kinds[i].title);
    rendered x;
    render(&x, md);
    assert_string_equal(x.r.html, want);
    assert_string_equal(x.r.text, "Body text.");
    done(&x);
  }
}

static void test_callout_variants(void **state) {
  (void)state;
  rendered x;
  /* text in the next paragraph */
  render(&x, "> [!TIP]\n>\n> Next paragraph.\n");
  assert_string_equal(x.r.html, "<aside class=\"callout callout-tip\" role=\"note\">\n"
                                "<p class=\"callout-title\">Tip</p>\n<p>Next paragraph.</p>\n"
                                "</aside>\n");
  done(&x);
  /* an unknown type is a note, with a warning */
  render(&x, "> [!FOO]\n> Body.\n");
  assert_string_equal(x.r.html, "<aside class=\"callout callout-note callout-foo\" role=\"note\">\n"
                                "<p class=\"callout-title\">Foo</p>\n<p>Body.</p>\n</aside>\n");
  assert_int_equal(x.d.len, 1);
  assert_contains(diag(&x, 0), "1:1: warning: unknown callout type 'foo', rendered as a note");
  done(&x);
  /* Obsidian: text after the marker is the title, markup kept */
  render(&x, "> [!NOTE] inline *text*\n> Body.\n");
  assert_string_equal(x.r.html, "<aside class=\"callout callout-note\" role=\"note\">\n"
                                "<p class=\"callout-title\">inline <em>text</em></p>\n"
                                "<p>Body.</p>\n</aside>\n");
  done(&x);
  /* with Obsidian off, GitHub's rule: the marker alone, a known type */
  hg_md_opts gh = {.dialects_off = HG_DIALECT_OBSIDIAN};
  render_opts(&x, "> [!NOTE] inline text\n", &gh);
  assert_contains(x.r.html, "<blockquote>");
  assert_lacks(x.r.html, "callout");
  done(&x);
  render_opts(&x, "> [!FOO]\n> Body.\n", &gh);
  assert_string_equal(x.r.html, "<blockquote>\n<p>[!FOO]\nBody.</p>\n</blockquote>\n");
  done(&x);
  /* a plain quote */
  render(&x, "> quote\n");
  assert_string_equal(x.r.html, "<blockquote>\n<p>quote</p>\n</blockquote>\n");
  done(&x);
  /* headings inside callouts still get ids */
  render(&x, "> [!NOTE]\n> ## Inside\n");
  assert_contains(x.r.html, "<h2 id=\"inside\">Inside</h2>");
  assert_contains(x.r.html, "callout-note");
  done(&x);
}

static void test_table_wrap_and_lazy_images(void **state) {
  (void)state;
  rendered x;
  render(&x, "| a | b |\n|---|---|\n| ![i](x.png) | 2 |\n\n![Alt *t*](p%20q.png \"T&\")\n");
  assert_contains(x.r.html, "<div class=\"table-wrap\">\n<table>\n");
  assert_contains(x.r.html, "</table>\n</div>\n");
  /* the page's first image loads at once, the rest lazily */
  assert_contains(x.r.html, "<td><img src=\"x.png\" alt=\"i\" /></td>");
  assert_contains(x.r.html, "<img src=\"p%20q.png\" alt=\"Alt t\" title=\"T&amp;\" "
                            "loading=\"lazy\" decoding=\"async\" />");
  assert_int_equal(count_of(x.r.html, "loading=\"lazy\""), 1);
  assert_contains(x.r.text, "Alt t");
  done(&x);
}

/* ---- FAQ ------------------------------------------------------------------------- */

static void test_faq(void **state) {
  (void)state;
  rendered x;
  hg_md_opts o = {.path = "faq.md", .faq = true};
  render_opts(&x,
              "Intro **text**.\n\n## How do I pay?\n\nBy card.\n\n### Details\n\nMore.\n\n"
              "## How do I pay?\n\nAgain.\n\n## Details\n\nA question with the h3's slug.\n\n"
              "# The end\n\nOutside.\n",
              &o);
  const char *want =
      "<p>Intro <strong>text</strong>.</p>\n"
      "<details class=\"faq-item\" id=\"how-do-i-pay\">\n"
      "<summary><h2 class=\"faq-q\">How do I pay?</h2></summary>\n"
      "<div class=\"faq-a\">\n<p>By card.</p>\n<h3 id=\"details\">Details</h3>\n<p>More.</p>\n"
      "</div>\n</details>\n"
      "<details class=\"faq-item\" id=\"how-do-i-pay-1\">\n"
      "<summary><h2 class=\"faq-q\">How do I pay?</h2></summary>\n"
      "<div class=\"faq-a\">\n<p>Again.</p>\n</div>\n</details>\n"
      "<details class=\"faq-item\" id=\"details-1\">\n"
      "<summary><h2 class=\"faq-q\">Details</h2></summary>\n"
      "<div class=\"faq-a\">\n<p>A question with the h3's slug.</p>\n</div>\n</details>\n"
      "<h1 id=\"the-end\">The end</h1>\n<p>Outside.</p>\n";
  assert_string_equal(x.r.html, want);
  assert_int_equal(x.r.nfaq, 3);
  assert_string_equal(x.r.faq[0].id, "how-do-i-pay");
  assert_string_equal(x.r.faq[0].question, "How do I pay?");
  assert_string_equal(x.r.faq[0].answer_html,
                      "<p>By card.</p>\n<h3 id=\"details\">Details</h3>\n<p>More.</p>\n");
  assert_string_equal(x.r.faq[0].answer_text, "By card.\nDetails\nMore.");
  assert_string_equal(x.r.faq[1].id, "how-do-i-pay-1");
  assert_string_equal(x.r.faq[1].answer_text, "Again.");
  assert_string_equal(x.r.faq[2].id, "details-1");
  /* the TOC lists the questions */
  assert_int_equal(x.r.ntoc, 3);
  assert_string_equal(x.r.toc[0].id, "how-do-i-pay");
  assert_string_equal(x.r.toc[0].text, "How do I pay?");
  assert_string_equal(x.r.toc[2].id, "details-1");
  assert_string_equal(x.r.first_h1, "The end");
  done(&x);

  /* no questions: a plain page */
  render_opts(&x, "Just text.\n", &o);
  assert_int_equal(x.r.nfaq, 0);
  assert_null(x.r.faq);
  assert_string_equal(x.r.html, "<p>Just text.</p>\n");
  done(&x);

  /* footnotes stay outside the last answer */
  render_opts(&x, "## Q?\n\nA[^1].\n\n[^1]: Note.\n", &o);
  assert_int_equal(x.r.nfaq, 1);
  assert_lacks(x.r.faq[0].answer_html, "footnotes");
  assert_contains(x.r.html, "</details>\n<section class=\"footnotes\"");
  done(&x);
}

/* ---- link resolving ------------------------------------------------------------------ */

typedef struct {
  char target[8][128];
  int kind[8], line[8], col[8];
  int n;
} calls;

static char *record_resolve(void *ctx, const char *target, int kind, int line, int col,
                            hg_diags *diags) {
  calls *c = ctx;
  if (c->n < 8) {
    snprintf(c->target[c->n], sizeof c->target[0], "%s", target);
    c->kind[c->n] = kind;
    c->line[c->n] = line;
    c->col[c->n] = col;
  }
  c->n++;
  if (strcmp(target, "keep.md") == 0) return NULL;
  if (strcmp(target, "missing.md") == 0) {
    hg_diags_add(diags, HG_ERR, "a.md", line, col, "link to missing article %s", target);
    return NULL;
  }
  return hg_strdup_printf("/R/%s", target);
}

static void test_resolver(void **state) {
  (void)state;
  calls c = {0};
  hg_md_opts o = {.path = "a.md", .line_offset = 5, .resolve = record_resolve, .resolve_ctx = &c};
  rendered x;
  render_opts(&x,
              "See [the guide](billing/caf%C3%A9%20menu.md?x=1#top) now.\n"
              "> ![img](/img/a.png)\n\n"
              "[ext](https://e.com/a.md) [m](mailto:a@b.c) [h](#sec) [p](//cdn/x.md) "
              "[k](keep.md#f)\n\n"
              "- Čeština [n](x.md)\n",
              &o);
  assert_int_equal(c.n, 4);
  assert_string_equal(c.target[0], "billing/café menu.md");
  assert_int_equal(c.kind[0], HG_LINK_LINK);
  assert_int_equal(c.line[0], 6);
  assert_int_equal(c.col[0], 5);
  assert_string_equal(c.target[1], "/img/a.png"); /* leading slash kept */
  assert_int_equal(c.kind[1], HG_LINK_IMAGE);
  assert_int_equal(c.line[1], 7);
  assert_int_equal(c.col[1], 3);
  assert_string_equal(c.target[2], "keep.md");
  assert_int_equal(c.line[2], 9);
  assert_string_equal(c.target[3], "x.md");
  assert_int_equal(c.line[3], 11);
  assert_int_equal(c.col[3], 11); /* characters, not bytes: "Č" is one column */

  assert_contains(x.r.html, "<a href=\"/R/billing/caf%C3%A9%20menu.md?x=1#top\">the guide</a>");
  assert_contains(x.r.html, "<img src=\"/R//img/a.png\" alt=\"img\" />");
  assert_contains(x.r.html, "href=\"https://e.com/a.md\"");
  assert_contains(x.r.html, "href=\"mailto:a@b.c\"");
  assert_contains(x.r.html, "href=\"#sec\"");
  assert_contains(x.r.html, "href=\"//cdn/x.md\"");
  assert_contains(x.r.html, "href=\"keep.md#f\""); /* NULL keeps the original */
  assert_contains(x.r.html, "href=\"/R/x.md\"");
  assert_true(x.ok);
  done(&x);

  /* an error from the resolver makes the render report failure */
  memset(&c, 0, sizeof c);
  render_opts(&x, "[gone](missing.md)\n", &o);
  assert_false(x.ok);
  assert_int_equal(hg_diags_count(&x.d, HG_ERR), 1);
  assert_string_equal(diag(&x, 0), "a.md:6:1: error: link to missing article missing.md");
  done(&x);
}

/* ---- template variables ------------------------------------------------------------------ */

static void test_template_vars(void **state) {
  (void)state;
  rendered x;
  hg_md_opts o = {.path = "t.md", .line_offset = 2};
  render_opts(&x,
              "Intro.\n\nGo to {{root_url}}/billing, or {{ root_url }}.\n\n"
              "> Quote with {{user.name}} and `{{in_code}}`.\n\n"
              "Shortcodes {{< note >}} {{% tip %}} stay quiet. [l]({{root_url}}/x)\n",
              &o);
  assert_int_equal(x.d.len, 2);
  assert_string_equal(diag(&x, 0), "t.md:5:7: warning: unresolved template variable "
                                   "{{root_url}} (used 3 times; helpgen does not expand it)");
  assert_string_equal(diag(&x, 1), "t.md:7:14: warning: unresolved template variable "
                                   "{{user.name}} (used 1 time; helpgen does not expand it)");
  assert_contains(x.r.html, "{{root_url}}/billing");
  done(&x);

  /* columns count characters on lines with non-ASCII text */
  render(&x, "Příliš žluťoučký {{kůň}}\n");
  assert_int_equal(x.d.len, 1);
  assert_int_equal(x.d.items[0].line, 1);
  assert_int_equal(x.d.items[0].col, 18);
  done(&x);
}

/* ---- plain text and words ---------------------------------------------------------------- */

static void test_text_and_words(void **state) {
  (void)state;
  rendered x;
  render(&x, "## Head\n\nPara one\nline two.\n\n- item *a*\n- item b\n\n"
             "| c1 | c2 |\n|---|---|\n| d1 | d2 |\n\n```\ncode x\n```\n\n<div>raw block</div>\n\n"
             "Inline <b>kept</b> text.\n");
  assert_string_equal(x.r.text,
                      "Head\nPara one line two.\nitem a\nitem b\nc1\nc2\nd1\nd2\ncode x\n"
                      "Inline kept text.");
  assert_int_equal(x.r.words, 18);
  done(&x);

  render(&x, "日本語の文章です。\n"); /* 8 CJK characters + "。" */
  assert_int_equal(x.r.words, 4);
  done(&x);
  render(&x, "การชำระเงิน และ iPhone用\n"); /* 11 Thai cp -> 3, 3 -> 1, iPhone, 用 */
  assert_int_equal(x.r.words, 6);
  done(&x);
}

/* ---- first h1 scan -------------------------------------------------------------------------- */

static void test_first_h1_scan(void **state) {
  (void)state;
  static const struct {
    const char *md, *want;
  } cases[] = {
      {"# Hello *world* ##\n", "Hello world"},
      {"intro\n\n  #  Spaced   title #####  \nmore", "Spaced title"},
      {"```\n# not this\n```\n# This one\n", "This one"},
      {"~~~~md\n# no\n~~~\n# still fenced\n~~~~\n# Yes\n", "Yes"},
      {"````\n```\n# inside\n````\n#\tTab\n", "Tab"},
      {"#hashtag\n    # indented code\n## h2 only\n", NULL},
      {"Setext\n======\n", NULL},
      {"#\n# \n# Real\r\n", "Real"},
      {"", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *got = hg_md_first_h1(cases[i].md, strlen(cases[i].md));
    if (!cases[i].want) {
      if (got) fail_msg("case %zu: expected NULL, got \"%s\"", i, got);
    } else {
      if (!got) fail_msg("case %zu: expected \"%s\", got NULL", i, cases[i].want);
      assert_string_equal(got, cases[i].want);
    }
    free(got);
  }
  assert_null(hg_md_first_h1(NULL, 0));
  /* bounded by len, not by NUL */
  assert_null(hg_md_first_h1("# Title", 0));
}

/* ---- robustness ------------------------------------------------------------------------------- */

static void test_hostile_inputs(void **state) {
  (void)state;
  size_t n = 200000;
  char *deep = malloc(n + 16);
  /* deeply nested block quotes */
  memset(deep, '>', n);
  memcpy(deep + n, " [!NOTE]\n", 10);
  rendered x;
  render(&x, deep);
  done(&x);
  /* nested lists */
  hg_buf b = HG_BUF_INIT;
  for (int i = 0; i < 1000; i++) {
    for (int k = 0; k < i * 2; k++) hg_buf_putc(&b, ' ');
    hg_buf_puts(&b, "- ![a](b.png) ## x\n");
  }
  render(&x, hg_buf_cstr(&b));
  done(&x);
  hg_buf_free(&b);
  /* brackets, emphasis, template braces and images in images */
  memset(deep, '[', n / 2);
  memset(deep + n / 2, '*', n / 2);
  deep[n] = 0;
  render(&x, deep);
  done(&x);
  for (size_t i = 0; i < n; i++) deep[i] = "{{}"[i % 3];
  render(&x, deep);
  done(&x);
  render(&x, "![![![in](a.png)](b.png)](c.png) [![x](y.png)](z.md)");
  assert_int_equal(count_of(x.r.html, "<img"), 2);
  assert_contains(x.r.html, "alt=\"in\"");
  done(&x);
  free(deep);

  /* invalid UTF-8 and NUL bytes (normally rejected earlier by the caller) */
  static const char bad[] = "## \xff\xfe h\xc3\n\n[x](\xe2\x82.md) {{\xf0\x9f}} \0 tail";
  hg_md_result r;
  hg_diags d = {0};
  hg_md_opts o = {.path = "bad.md"};
  hg_md_render(bad, sizeof bad - 1, &o, &r, &d);
  assert_non_null(r.html);
  hg_md_result_free(&r);
  hg_diags_free(&d);
  char *h1 = hg_md_first_h1(bad, sizeof bad - 1);
  free(h1);
}

static void test_large_input(void **state) {
  (void)state;
  /* ~6 MB: many equal headings (id suffixes), links, tables, variables */
  hg_buf b = HG_BUF_INIT;
  for (int i = 0; i < 40000; i++) {
    hg_buf_printf(&b, "## Same\n\nText [l](p%d.md) {{v%d}} ![i](x.png)\n\n| a |\n|---|\n| %d |\n\n",
                  i % 100, i % 50, i);
  }
  rendered x;
  calls c = {0};
  hg_md_opts o = {.path = "big.md", .resolve = record_resolve, .resolve_ctx = &c};
  render_opts(&x, hg_buf_cstr(&b), &o);
  assert_int_equal(x.r.ntoc, 40000);
  assert_string_equal(x.r.toc[39999].id, "same-39999");
  assert_int_equal(c.n, 80000);
  assert_int_equal(x.d.len, 50);
  assert_int_equal(count_of(x.r.html, "table-wrap"), 40000);
  done(&x);
  hg_buf_free(&b);
}

/* ---- threads -------------------------------------------------------------------------------- */

static const char thread_doc[] =
    "# T\n\n## Účet\n\n> [!NOTE]\n> n\n\n| a |\n|---|\n| ![i](x.png) |\n\n[l](a.md) {{v}}\n"
    "<b>x</b>\n\nF[^1]\n\n[^1]: f\n";

static void *thread_main(void *arg) {
  char **out = arg;
  for (int i = 0; i < 200; i++) {
    hg_md_result r;
    hg_diags d = {0};
    hg_md_opts o = {.path = "t.md", .faq = i % 2};
    hg_md_render(thread_doc, sizeof thread_doc - 1, &o, &r, &d);
    if (i == 0) *out = hg_xstrdup(r.html);
    hg_md_result_free(&r);
    hg_diags_free(&d);
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  pthread_t t[4];
  char *out[4] = {0};
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, thread_main, &out[i]), 0);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  for (int i = 1; i < 4; i++) assert_string_equal(out[0], out[i]);
  assert_contains(out[0], "callout-note");
  for (int i = 0; i < 4; i++) free(out[i]);
}

/* ---- golden cases ----------------------------------------------------------------------------- */

static char *case_resolve(void *ctx, const char *target, int kind, int line, int col,
                          hg_diags *diags) {
  (void)ctx, (void)kind, (void)line, (void)col, (void)diags;
  size_t n = strlen(target);
  if (n < 3 || strcmp(target + n - 3, ".md") != 0) return NULL;
  const char *t = target[0] == '/' ? target + 1 : target;
  return hg_strdup_printf("/docs/%.*s/", (int)(strlen(t) - 3), t);
}

/* The articles wikilinks in the cases resolve against (see tests/cases/README). */
static const char other_body[] = "Intro of the other note.\n\n## Section\n\nSection body.\n\n"
                                 "### Sub\n\nStill in it.\n\n## Later\n\nNot embedded.\n";
static const char loop_body[] = "Loop body.\n\n![[Loop]]\n";

static hg_name_index *case_names(void) {
  static const hg_name_target note = {"notes/Note.md", "notes/Note.md", NULL, 0, 0};
  static const hg_name_target refunds = {"billing/refunds.md", "billing/refunds.md", NULL, 0, 0};
  static const hg_name_target same_a = {"a/Same.md", "a/Same.md", NULL, 0, 0};
  static const hg_name_target same_b = {"b/Same.md", "b/Same.md", NULL, 0, 0};
  hg_name_target other = {"Other note.md", "Other note.md", other_body, sizeof other_body - 1, 3};
  hg_name_target loop = {"Loop.md", "Loop.md", loop_body, sizeof loop_body - 1, 0};
  hg_name_index *x = hg_name_index_new();
  hg_name_index_add(x, "Note", HG_NAME_FILE, &note);
  hg_name_index_add(x, "notes/Note", HG_NAME_FILE, &note);
  hg_name_index_add(x, "Refund policy", HG_NAME_TITLE, &refunds);
  hg_name_index_add(x, "Money back", HG_NAME_ALIAS, &refunds);
  hg_name_index_add(x, "Same", HG_NAME_FILE, &same_a);
  hg_name_index_add(x, "Same", HG_NAME_FILE, &same_b);
  hg_name_index_add(x, "Other note", HG_NAME_FILE, &other);
  hg_name_index_add(x, "Loop", HG_NAME_FILE, &loop);
  return x;
}

static char *cases_dir(void) {
  const char *env = getenv("HG_CASES_DIR");
  if (env) return hg_xstrdup(env);
  if (hg_is_dir("tests/cases")) return hg_xstrdup("tests/cases");
  /* run from elsewhere: next to this source file */
  char *dir = hg_path_dirname(__FILE__);
  char *up = hg_path_dirname(dir);
  char *cases = hg_path_join(up, "cases");
  free(dir);
  free(up);
  return cases;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool update_cases(void) {
  const char *update = getenv("HG_UPDATE_CASES");
  return update && *update && strcmp(update, "0") != 0;
}

/* Compares got with the file at path; with HG_UPDATE_CASES=1 rewrites it
 * (and says so: an update run compares nothing). Returns false (after
 * printing both) on a mismatch. */
static bool check_golden(const char *path, const char *got, bool optional) {
  if (update_cases()) {
    if (optional && !*got) {
      if (remove(path) == 0) print_message("updated: removed %s\n", path);
      return true;
    }
    hg_error *err = NULL;
    if (!hg_write_file(path, got, strlen(got), &err)) fail_msg("%s", err->msg);
    print_message("updated: wrote %s\n", path);
    return true;
  }
  size_t len = 0;
  hg_error *err = NULL;
  char *want = hg_is_file(path) ? hg_read_file(path, &len, &err) : NULL;
  if (!want) {
    hg_error_free(err);
    if (optional && !*got) return true;
    print_error("%s: missing expected file; actual output:\n%s\n", path, got);
    return false;
  }
  bool same = strcmp(want, got) == 0;
  if (!same) print_error("%s differs\n--- expected\n%s--- actual\n%s---\n", path, want, got);
  free(want);
  return same;
}

static void test_cases(void **state) {
  (void)state;
  char *dir = cases_dir();
  DIR *d = opendir(dir);
  if (!d) fail_msg("cannot open cases folder %s", dir);
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!hg_str_has_suffix(e->d_name, ".md")) continue;
    names = hg_xrealloc(names, (n + 1) * sizeof *names);
    names[n++] = hg_xstrdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp_names);
  if (n < 10) fail_msg("expected at least 10 cases in %s, found %zu", dir, n);

  size_t failed = 0;
  hg_name_index *wiki = case_names();
  for (size_t i = 0; i < n; i++) {
    char *path = hg_path_join(dir, names[i]);
    size_t len = 0;
    hg_error *err = NULL;
    char *md = hg_read_file(path, &len, &err);
    if (!md) fail_msg("%s", err->msg);
    hg_md_opts o = {.path = names[i],
                    .faq = hg_str_has_prefix(names[i], "faq-"),
                    .unsafe = hg_str_has_prefix(names[i], "unsafe-"),
                    .resolve = case_resolve, .names = wiki};
    hg_md_result r;
    hg_diags diags = {0};
    hg_md_render(md, len, &o, &r, &diags);

    size_t stem = strlen(path) - 3;
    char *html_path = hg_strdup_printf("%.*s.html", (int)stem, path);
    char *diag_path = hg_strdup_printf("%.*s.diag", (int)stem, path);
    hg_buf dg = HG_BUF_INIT;
    for (size_t k = 0; k < diags.len; k++) {
      char *s = hg_diag_format(&diags.items[k]);
      hg_buf_printf(&dg, "%s\n", s);
      free(s);
    }
    if (!check_golden(html_path, r.html, false)) failed++;
    if (!check_golden(diag_path, hg_buf_cstr(&dg), true)) failed++;
    hg_buf_free(&dg);
    free(html_path);
    free(diag_path);
    hg_md_result_free(&r);
    hg_diags_free(&diags);
    free(md);
    free(path);
    free(names[i]);
  }
  free(names);
  free(dir);
  hg_name_index_free(wiki);
  if (failed) fail_msg("%zu golden file(s) differ", failed);
  if (update_cases()) {
    print_message("HG_UPDATE_CASES: the cases were rewritten, not compared; review the diff\n");
    skip(); /* reported as SKIPPED, never as a pass */
  }
}

/* hg_slugify_to (heading ids; ASCII without ICU, the rest with it) and
 * hg_slugify: letters, digits, marks and '_' of any script, lowercased;
 * runs of anything else one '-'; invalid bytes dropped. */
static void test_slugify_to_matches_slugify(void **state) {
  (void)state;
  static const char *const cases[][2] = {
      {"", ""},
      {"Hello, World!", "hello-world"},
      {"  --Track_your order 2.0--  ", "track_your-order-2-0"},
      {"ÉLAN vital: Café über", "élan-vital-café-über"},
      {"Straße İstanbul ĞÜŞ", "straße-istanbul-ğüş"},
      {"a\xcc\x81" "b combining", "a\xcc\x81" "b-combining"},
      {"ติดตามคำสั่งซื้อ", "ติดตามคำสั่งซื้อ"},
      {"注文の追跡", "注文の追跡"},
      {"bad \xff\xfe bytes", "bad-bytes"},
      {"émoji 👍 here", "émoji-here"},
      {"UPPER lower 123_456", "upper-lower-123_456"},
      {"---", ""},
      {"x", "x"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *got = hg_slugify(cases[i][0]);
    assert_string_equal(got, cases[i][1]);
    free(got);
    hg_buf b = HG_BUF_INIT;
    hg_buf_puts(&b, "pre:");
    hg_slugify_to(&b, cases[i][0]);
    assert_string_equal(b.data + 4, cases[i][1]);
    hg_buf_free(&b);
  }
}

/* ---- binary records ---------------------------------------------------------- */
/* The record of r, restored (into *out) and saved again, gives the same
 * bytes; returns the record (caller frees). */
static char *result_round_trip(const hg_md_result *r, hg_md_result *out, size_t *len) {
  hg_buf b = HG_BUF_INIT, again = HG_BUF_INIT;
  hg_md_result_save(r, &b);
  char *copy;
  hg_reader rd = reader_of(b.data, b.len, &copy);
  assert_true(hg_md_result_restore(&rd, out));
  assert_false(rd.bad);
  assert_ptr_equal(rd.p, rd.end);
  assert_same_md_result(r, out);
  hg_md_result_save(out, &again);
  assert_int_equal(again.len, b.len);
  assert_memory_equal(again.data, b.data, b.len);
  free(copy);
  hg_buf_free(&again);
  *len = b.len;
  return hg_buf_steal(&b);
}

static const char record_doc[] = "# Objednávka ✓\n\n"
                                 "Intro with a note[^n] and ภาษาไทย text.\n\n"
                                 "## Jak zaplatit?\n\nKartou. **Hned**.\n\n"
                                 "### Podrobnosti\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                                 "## Jak zaplatit?\n\nZnovu.\n\n"
                                 "[^n]: Poznámka pod čarou.\n";

static void test_record_round_trip(void **state) {
  (void)state;
  for (int faq = 0; faq < 2; faq++) {
    rendered x;
    hg_md_opts o = {.path = "t.md", .faq = faq};
    render_opts(&x, record_doc, &o);
    assert_int_equal(x.r.nfaq, faq ? 2 : 0);
    assert_int_equal(x.r.ntoc, faq ? 2 : 3);
    assert_contains(x.r.html, "footnote");
    hg_md_result y;
    size_t len;
    free(result_round_trip(&x.r, &y, &len));
    assert_string_equal(y.first_h1, "Objednávka ✓");
    assert_string_equal(y.toc[0].id, x.r.toc[0].id);
    if (faq) assert_contains(y.faq[1].answer_html, "Znovu.");
    hg_md_result_free(&y);
    /* read in place: the same values, the strings inside the record */
    hg_buf rec = HG_BUF_INIT;
    hg_md_result_save(&x.r, &rec);
    hg_reader r = {rec.data, rec.data + rec.len, false};
    hg_md_result v;
    assert_true(hg_md_result_view(&r, &v));
    assert_string_equal(v.html, x.r.html);
    assert_string_equal(v.text, x.r.text);
    assert_true(v.html > rec.data && v.html < rec.data + rec.len);
    assert_int_equal(v.ntoc, x.r.ntoc);
    assert_string_equal(v.toc[v.ntoc - 1].text, x.r.toc[x.r.ntoc - 1].text);
    assert_int_equal(v.nfaq, x.r.nfaq);
    if (faq) assert_string_equal(v.faq[1].answer_text, x.r.faq[1].answer_text);
    hg_md_result_release(&v);
    r = (hg_reader){rec.data, rec.data + rec.len - 2, false}; /* cut: refused, nothing kept */
    assert_false(hg_md_result_view(&r, &v));
    assert_null(v.toc);
    hg_buf_free(&rec);
    done(&x);
  }

  /* NULL and "" stay apart; an empty result is a record too */
  hg_md_result e = {.text = "", .words = SIZE_MAX}, y;
  size_t len;
  free(result_round_trip(&e, &y, &len));
  assert_null(y.html);
  assert_non_null(y.text);
  assert_string_equal(y.text, "");
  assert_null(y.first_h1);
  assert_null(y.toc);
  assert_null(y.faq);
  hg_md_result_free(&y);
}

static void test_record_truncated(void **state) {
  (void)state;
  rendered x;
  hg_md_opts o = {.path = "t.md", .faq = true};
  render_opts(&x, record_doc, &o);
  hg_md_result y;
  size_t len;
  char *rec = result_round_trip(&x.r, &y, &len);
  hg_md_result_free(&y);
  hg_md_result zero;
  memset(&zero, 0, sizeof zero);
  for (size_t cut = 0; cut < len; cut++) {
    char *copy;
    hg_reader r = reader_of(rec, cut, &copy);
    memset(&y, 0x5a, sizeof y); /* restore must not read what was there */
    if (hg_md_result_restore(&r, &y) || !r.bad)
      fail_msg("a result cut at %zu of %zu bytes was read", cut, len);
    assert_memory_equal(&y, &zero, sizeof y);
    free(copy);
  }
  free(rec);
  done(&x);

  /* a NULL where the TOC or an FAQ item needs text, 10^6 entries in 4 bytes */
  static const struct {
    const char *bytes;
    size_t len;
  } bad[] = {{"\x00\x00\x00\x01\x04\x00\x01\x00", 8},
             {"\x00\x00\x00\x00\x01\x01\x01\x00\x01\x00", 10},
             {"\x00\x00\x00\xc0\x84\x3d\x00\x00\x00\x00", 10}};
  for (size_t i = 0; i < 3; i++) {
    char *copy;
    hg_reader r = reader_of(bad[i].bytes, bad[i].len, &copy);
    assert_false(hg_md_result_restore(&r, &y));
    assert_true(r.bad);
    assert_null(y.toc);
    free(copy);
  }
}

int main(void) {
  hg_md_init();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_basic_and_empty),
      cmocka_unit_test(test_slugify_to_matches_slugify),
      cmocka_unit_test(test_no_smart_punctuation),
      cmocka_unit_test(test_gfm_extensions),
      cmocka_unit_test(test_footnotes),
      cmocka_unit_test(test_xss_raw_html_dropped),
      cmocka_unit_test(test_html_comments_silent),
      cmocka_unit_test(test_xss_dangerous_urls),
      cmocka_unit_test(test_unsafe_keeps_html),
      cmocka_unit_test(test_heading_ids_unique),
      cmocka_unit_test(test_heading_ids_unicode),
      cmocka_unit_test(test_title_drop),
      cmocka_unit_test(test_callouts_all_kinds),
      cmocka_unit_test(test_callout_variants),
      cmocka_unit_test(test_table_wrap_and_lazy_images),
      cmocka_unit_test(test_faq),
      cmocka_unit_test(test_resolver),
      cmocka_unit_test(test_template_vars),
      cmocka_unit_test(test_text_and_words),
      cmocka_unit_test(test_first_h1_scan),
      cmocka_unit_test(test_hostile_inputs),
      cmocka_unit_test(test_large_input),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_cases),
      cmocka_unit_test(test_record_round_trip),
      cmocka_unit_test(test_record_truncated),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
