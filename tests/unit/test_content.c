/* test_content.c - unit tests for src/content.c: one article's front matter
 * (hg_article_parse), the walk over a content/ folder (hg_content_load) and
 * the binary records of both for the build cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hg_content.h"
#include "helpers.h"

/* ---- hg_article_parse ---------------------------------------------------- */
typedef struct {
  hg_article a;
  hg_diags d;
  bool ok;
} parsed;

/* Parses `len` bytes of text as the file content/REL. */
static void parse_n(parsed *p, const char *rel, const char *text, size_t len) {
  memset(p, 0, sizeof *p);
  p->a.path = hg_strdup_printf("content/%s", rel);
  p->a.rel_path = hg_xstrdup(rel);
  char *copy = hg_xmalloc(len + 1);
  memcpy(copy, text, len);
  copy[len] = '\0';
  p->ok = hg_article_parse(&p->a, copy, len, &p->d);
  free(copy);
}

static void parse(parsed *p, const char *rel, const char *text) {
  parse_n(p, rel, text, strlen(text));
}

static void done(parsed *p) {
  hg_article_clear(&p->a);
  hg_diags_free(&p->d);
}

static void test_plain_front_matter(void **state) {
  (void)state;
  parsed p;
  parse(&p, "billing/refunds.md",
        "---\n"
        "title: Get a refund\n"
        "description: How refunds work\n"
        "weight: 3\n"
        "promoted: true\n"
        "draft: false\n"
        "type: article\n"
        "custom: kept\n"
        "---\n"
        "Body line 1\n"
        "Body line 2\n");
  assert_true(p.ok);
  assert_false(p.a.failed);
  assert_diag_counts(&p.d, 0, 0);
  assert_string_equal(p.a.title, "Get a refund");
  assert_int_equal(p.a.title_line, 2);
  assert_string_equal(p.a.description, "How refunds work");
  assert_string_equal(p.a.slug, "refunds");
  assert_int_equal(p.a.weight, 3);
  assert_true(p.a.promoted);
  assert_false(p.a.draft);
  assert_false(p.a.faq);
  assert_string_equal(p.a.body, "Body line 1\nBody line 2\n");
  assert_int_equal(p.a.body_len, strlen(p.a.body));
  assert_int_equal(p.a.body_line, 9);
  assert_non_null(p.a.meta);
  assert_string_equal(hg_value_get(p.a.meta, "custom")->str, "kept");
  assert_int_equal(hg_value_get(p.a.meta, "custom")->line, 8); /* file lines */
  assert_null(p.a.date);
  assert_int_equal(p.a.ntags, 0);
  done(&p);

  /* "..." closes front matter as well, and trailing spaces are fine */
  parse(&p, "a.md", "---  \ntitle: Dots\n...\nBody");
  assert_true(p.ok);
  assert_string_equal(p.a.title, "Dots");
  assert_string_equal(p.a.body, "Body");
  assert_int_equal(p.a.body_line, 3);
  done(&p);
}

static void test_bom(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "\xEF\xBB\xBF---\ntitle: With BOM\n---\nBody\n");
  assert_true(p.ok);
  assert_diag_counts(&p.d, 0, 0);
  assert_string_equal(p.a.title, "With BOM");
  assert_string_equal(p.a.body, "Body\n");
  done(&p);
}

static void test_crlf_warns(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "---\r\ntitle: Windows\r\n---\r\nLine 1\r\nLine 2\rLine 3\r\n");
  assert_true(p.ok);
  assert_diag_counts(&p.d, 0, 1);
  assert_string_equal(diag_at(&p.d, 0),
                      "content/a.md:1: warning: CRLF line endings (read as LF; save the "
                      "file with LF endings)");
  assert_string_equal(p.a.title, "Windows");
  assert_string_equal(p.a.body, "Line 1\nLine 2\nLine 3\n");
  assert_int_equal(p.a.body_line, 3);
  done(&p);
}

static void test_double_dash_opener_warns(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "--\ntitle: Two dashes\n---\nBody\n");
  assert_true(p.ok);
  assert_diag_counts(&p.d, 0, 1);
  assert_string_equal(diag_at(&p.d, 0),
                      "content/a.md:1:1: warning: front matter should open with '---', found "
                      "'--' (read as front matter; fix the first line)");
  assert_string_equal(p.a.title, "Two dashes");
  assert_string_equal(p.a.body, "Body\n");
  done(&p);
  /* "--" with no closing line is just text */
  parse(&p, "a.md", "--\n# Heading\n");
  assert_true(p.ok);
  assert_diag_counts(&p.d, 0, 0);
  assert_null(p.a.meta);
  assert_string_equal(p.a.title, "Heading");
  done(&p);
}

static void test_no_front_matter(void **state) {
  (void)state;
  parsed p;
  parse(&p, "guide.md", "# Getting started\n\nSome text.\n");
  assert_true(p.ok);
  assert_diag_counts(&p.d, 0, 0);
  assert_null(p.a.meta);
  assert_string_equal(p.a.title, "Getting started");
  assert_true(p.a.title_line > 0);
  assert_string_equal(p.a.body, "# Getting started\n\nSome text.\n");
  assert_int_equal(p.a.body_line, 0);
  assert_string_equal(p.a.slug, "guide");
  assert_string_equal(p.a.description, "");
  done(&p);
  /* a horizontal rule is not a front matter fence */
  parse(&p, "hr.md", "----\ntitle: no\n----\n");
  assert_null(p.a.meta);
  assert_diag(&p.d, HG_WARN, "no title");
  done(&p);
}

static void test_unclosed_front_matter(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "---\ntitle: Open\n\nBody without a closing fence\n");
  assert_false(p.ok);
  assert_true(p.a.failed);
  assert_diag_counts(&p.d, 1, 0);
  assert_string_equal(diag_at(&p.d, 0),
                      "content/a.md:1:1: error: front matter opened here is never closed (add "
                      "a line with --- after the last key)");
  done(&p);
  parse(&p, "a.md", "---");
  assert_false(p.ok);
  assert_diag(&p.d, HG_ERR, "content/a.md:1:1: error: front matter opened here is never closed");
  done(&p);
}

static void test_front_matter_list(void **state) {
  (void)state;
  parsed p;
  parse(&p, "billing/refunds.md", "---\n- title\n- other\n---\nBody\n");
  assert_false(p.ok);
  assert_true(p.a.failed);
  assert_diag_counts(&p.d, 1, 0);
  assert_string_equal(diag_at(&p.d, 0),
                      "content/billing/refunds.md:2:1: error: front matter: expected a map of "
                      "keys (title: ...), found a list");
  done(&p);
  parse(&p, "a.md", "---\njust words\n---\n");
  assert_false(p.ok);
  assert_diag(&p.d, HG_ERR, "content/a.md:2:1: error: front matter: expected a map of keys "
                            "(title: ...), found a string");
  done(&p);
}

static void test_malformed_yaml(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "---\ntitle: Fine\nbad: a: b\n---\nBody\n");
  assert_false(p.ok);
  assert_true(p.a.failed);
  assert_diag_counts(&p.d, 1, 0);
  /* the location is the diagnostic's own, so it prints like every other */
  const char *s = diag_at(&p.d, 0);
  assert_true(hg_str_has_prefix(s, "content/a.md:3:7: error: YAML syntax error: "));
  assert_string_equal(p.d.items[0].path, "content/a.md");
  assert_int_equal(p.d.items[0].line, 3);
  assert_int_equal(p.d.items[0].col, 7);
  done(&p);

  parse(&p, "a.md", "---\na: &x 1\nb: *x\n---\n");
  assert_false(p.ok);
  assert_diag(&p.d, HG_ERR, "content/a.md:3:4: error: YAML aliases");
  done(&p);
}

static void test_not_utf8(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "---\ntitle: Hi\n---\nok\nab\xFFz\n");
  assert_false(p.ok);
  assert_true(p.a.failed);
  assert_diag_counts(&p.d, 1, 0);
  assert_string_equal(diag_at(&p.d, 0),
                      "content/a.md:5:3: error: not valid UTF-8 (byte 0xFF); save the file "
                      "as UTF-8");
  done(&p);
  /* Latin-1 in front matter, on the first line */
  parse(&p, "a.md", "caf\xE9");
  assert_false(p.ok);
  assert_diag(&p.d, HG_ERR, "content/a.md:1:4: error: not valid UTF-8 (byte 0xE9)");
  done(&p);
}

static void test_empty_file(void **state) {
  (void)state;
  parsed p;
  parse(&p, "how-to_start.md", "");
  assert_true(p.ok);
  assert_false(p.a.failed);
  assert_diag(&p.d, HG_WARN, "content/how-to_start.md:1: warning: empty file (nothing to publish)");
  assert_string_equal(p.a.body, "");
  assert_int_equal(p.a.body_len, 0);
  done(&p);
  /* front matter alone is not an empty file */
  parse(&p, "a.md", "---\ntitle: Only meta\n---\n");
  assert_diag_counts(&p.d, 0, 0);
  done(&p);
}

static void test_title_fallbacks(void **state) {
  (void)state;
  parsed p;
  /* 1. the front matter title wins over the h1 */
  parse(&p, "a.md", "---\ntitle: From meta\n---\n# From h1\n");
  assert_string_equal(p.a.title, "From meta");
  done(&p);
  /* 2. the first h1 (not an h2, not inside code) */
  parse(&p, "a.md", "---\ndescription: d\n---\n```\n# not me\n```\n## Nor me\n# Yes *me*\n");
  assert_true(p.ok);
  assert_diag_counts(&p.d, 0, 0);
  assert_string_equal(p.a.title, "Yes me");
  assert_true(p.a.title_line > 0);
  done(&p);
  /* an empty title counts as none */
  parse(&p, "a.md", "---\ntitle: ''\n---\n# Heading\n");
  assert_string_equal(p.a.title, "Heading");
  done(&p);
  /* 3. the file name, with a warning */
  parse(&p, "billing/how-to_pay.md", "Just text, no heading.\n");
  assert_true(p.ok);
  assert_string_equal(p.a.title, "how to pay");
  assert_int_equal(p.a.title_line, 0);
  assert_diag_counts(&p.d, 0, 1);
  assert_string_equal(diag_at(&p.d, 0),
                      "content/billing/how-to_pay.md:1: warning: no title: using 'how to pay' "
                      "from the file name (add 'title:' to the front matter)");
  done(&p);
  /* a title that is not a scalar is an error */
  parse(&p, "a.md", "---\ntitle: [a, b]\n---\n");
  assert_false(p.ok);
  assert_diag(&p.d, HG_ERR, "content/a.md:2:8: error: front matter: 'title' should be a string, "
                            "found a list");
  done(&p);
  /* a number is a fine title */
  parse(&p, "a.md", "---\ntitle: 2026\n---\n");
  assert_string_equal(p.a.title, "2026");
  done(&p);
}

static void test_markdown_extension(void **state) {
  (void)state;
  parsed p;
  parse(&p, "guides/long-read.markdown", "No title here.\n");
  assert_true(p.ok);
  assert_string_equal(p.a.slug, "long-read");
  assert_string_equal(p.a.title, "long read");
  done(&p);
}

static void test_slugs(void **state) {
  (void)state;
  parsed p;
  static const char *const bad[] = {"../x", "a/b", "..", "a\\\\b"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *text = hg_strdup_printf("---\ntitle: T\nslug: \"%s\"\n---\n", bad[i]);
    parse(&p, "a.md", text);
    assert_false(p.ok);
    assert_true(p.a.failed);
    assert_diag_counts(&p.d, 1, 0);
    assert_contains(diag_at(&p.d, 0), "content/a.md:3:7: error: front matter: slug '");
    assert_contains(diag_at(&p.d, 0), "' must not contain '/', '\\' or '..' (it names one URL "
                                      "segment)");
    free(text);
    done(&p);
  }
  parse(&p, "a.md", "---\ntitle: T\nslug: Hello World!\n---\n");
  assert_true(p.ok);
  assert_string_equal(p.a.slug, "hello-world");
  assert_diag_counts(&p.d, 0, 1);
  assert_string_equal(diag_at(&p.d, 0), "content/a.md:3:7: warning: front matter: slug 'Hello "
                                        "World!' is not URL-safe, using 'hello-world'");
  done(&p);
  parse(&p, "a.md", "---\ntitle: T\nslug: ok-slug\n---\n");
  assert_string_equal(p.a.slug, "ok-slug");
  assert_diag_counts(&p.d, 0, 0);
  done(&p);
  parse(&p, "a.md", "---\ntitle: T\nslug: \"!!!\"\n---\n");
  assert_false(p.ok);
  assert_diag(&p.d, HG_ERR, "slug '!!!' has no letters or digits");
  done(&p);
  /* from the file name, then the title, then "article" */
  parse(&p, "Track Your Order.md", "# X\n");
  assert_string_equal(p.a.slug, "track-your-order");
  done(&p);
  parse(&p, "🎉.md", "---\ntitle: Party Time\n---\n");
  assert_string_equal(p.a.slug, "party-time");
  done(&p);
  parse(&p, "🎉.md", "---\ntitle: 🎉🎉\n---\n");
  assert_string_equal(p.a.slug, "article");
  done(&p);
  parse(&p, "návod-čeština.md", "# X\n");
  assert_string_equal(p.a.slug, "návod-čeština");
  done(&p);
}

static void test_lists(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "---\n"
                    "title: T\n"
                    "tags: [billing, refunds]\n"
                    "keywords: \"money back,  return ,,refund\"\n"
                    "aliases: old-refunds\n"
                    "---\n");
  assert_true(p.ok);
  assert_diag_counts(&p.d, 0, 0);
  assert_int_equal(p.a.ntags, 2);
  assert_string_equal(p.a.tags[0], "billing");
  assert_string_equal(p.a.tags[1], "refunds");
  assert_int_equal(p.a.nkeywords, 3);
  assert_string_equal(p.a.keywords[0], "money back");
  assert_string_equal(p.a.keywords[1], "return");
  assert_string_equal(p.a.keywords[2], "refund");
  assert_int_equal(p.a.naliases, 1);
  assert_string_equal(p.a.aliases[0], "old-refunds");
  done(&p);

  parse(&p, "a.md", "---\ntitle: T\ntags:\n  - one\n  - {x: 1}\n  - 3\nkeywords: {a: b}\n---\n");
  assert_true(p.ok);
  assert_int_equal(p.a.ntags, 2);
  assert_string_equal(p.a.tags[0], "one");
  assert_string_equal(p.a.tags[1], "3");
  assert_int_equal(p.a.nkeywords, 0);
  assert_diag_counts(&p.d, 0, 2);
  assert_diag(&p.d, HG_WARN, "content/a.md:5:5: warning: front matter: items of 'tags' should be "
                             "strings (one skipped)");
  assert_diag(&p.d, HG_WARN, "content/a.md:7:11: warning: front matter: 'keywords' should be a "
                             "list, found a map (ignored)");
  done(&p);
}

static void test_dates(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "---\n"
                    "title: T\n"
                    "date: 2026-03-01\n"
                    "updated: \"2024-02-29\"\n"
                    "review_by: 2026-04-01T09:30:00Z\n"
                    "---\n");
  assert_true(p.ok);
  assert_diag_counts(&p.d, 0, 0);
  assert_string_equal(p.a.date, "2026-03-01");
  assert_string_equal(p.a.updated, "2024-02-29");
  assert_string_equal(p.a.review_by, "2026-04-01");
  done(&p);

  static const char *const bad[] = {"2026-02-30", "2023-02-29", "2026-13-01", "2026-00-10",
                                    "1900-01-01", "soon",       "2026",       "[2026]"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *text = hg_strdup_printf("---\ntitle: T\nupdated: %s\n---\n", bad[i]);
    parse(&p, "a.md", text);
    assert_true(p.ok); /* a bad date is a warning, the article still builds */
    assert_null(p.a.updated);
    assert_diag_counts(&p.d, 0, 1);
    assert_contains(diag_at(&p.d, 0), "content/a.md:3:10: warning: front matter: 'updated' "
                                      "should be a date like 2026-03-31, found '");
    free(text);
    done(&p);
  }
}

static void test_other_fields(void **state) {
  (void)state;
  parsed p;
  parse(&p, "a.md", "---\ntitle: T\nweight: heavy\ndraft: maybe\ntype: video\n---\n");
  assert_true(p.ok);
  assert_int_equal(p.a.weight, 0);
  assert_false(p.a.draft);
  assert_false(p.a.faq);
  assert_diag_counts(&p.d, 0, 3);
  assert_diag(&p.d, HG_WARN, "content/a.md:3:9: warning: front matter: 'weight' should be a whole "
                             "number, found 'heavy' (using 0)");
  assert_diag(&p.d, HG_WARN, "content/a.md:4:8: warning: front matter: 'draft' should be true or "
                             "false, found 'maybe'");
  assert_diag(&p.d, HG_WARN, "content/a.md:5: warning: front matter: type should be 'article' or "
                             "'faq', found 'video'");
  done(&p);
  parse(&p, "a.md", "---\ntitle: T\nweight: -4\ndraft: true\ntype: faq\n---\n");
  assert_int_equal(p.a.weight, -4);
  assert_true(p.a.draft);
  assert_true(p.a.faq);
  assert_diag_counts(&p.d, 0, 0);
  done(&p);
  parse(&p, "a.md", "---\ntitle: T\ndescription: [x]\n---\n");
  assert_false(p.ok);
  assert_diag(&p.d, HG_ERR, "content/a.md:3:14: error: front matter: 'description' should be a "
                            "string, found a list");
  done(&p);
}

/* ---- hg_content_load ------------------------------------------------------ */
typedef struct {
  char *dir;
  hg_config *cfg;
  hg_content *c;
  hg_diags d;
  hg_error *err;
} tree;

static int tree_setup(void **state) {
  tree *t = hg_xcalloc(1, sizeof *t);
  t->dir = tmp_new();
  *state = t;
  return 0;
}

static int tree_teardown(void **state) {
  tree *t = *state;
  hg_content_free(t->c);
  hg_config_free(t->cfg);
  hg_diags_free(&t->d);
  hg_error_free(t->err);
  tmp_remove(t->dir);
  free(t);
  return 0;
}

static hg_content *load_tree(tree *t, const hg_content_opts *opts) {
  hg_diags cd = {0};
  hg_error *err = NULL;
  t->cfg = hg_config_load(t->dir, &cd, &err);
  assert_non_null(t->cfg);
  hg_diags_free(&cd);
  t->c = hg_content_load(t->cfg, opts, &t->d, &t->err);
  return t->c;
}

static void write_sample_tree(const char *dir) {
  put_file(dir, "content/_index.md", "---\ntitle: Welcome\n---\nIntro text\n");
  put_file(dir, "content/top.md", "---\ntitle: Top article\n---\nBody\n");
  put_file(dir, "content/.hidden.md", "---\ntitle: Hidden\n---\n");
  put_file(dir, "content/.DS_Store", "junk");
  put_file(dir, "content/_notes.txt", "private");
  put_file(dir, "content/billing/_index.md",
           "---\ntitle: Billing & Payments\ndescription: Money matters\nicon: 💳\nweight: 2\n"
           "slug: pay\n---\n");
  put_file(dir, "content/billing/refunds.md", "---\ntitle: Refunds\n---\n");
  put_file(dir, "content/billing/pay.md", "# Pay an invoice\n");
  put_file(dir, "content/billing/invoice.pdf", "%PDF");
  put_file(dir, "content/billing/diagram.png", "PNG");
  put_file(dir, "content/billing/.secret", "x");
  put_file(dir, "content/billing/cards/_index.md", "---\ndescription: Card stuff\n---\n");
  put_file(dir, "content/billing/cards/visa.md", "---\ntitle: Visa\n---\n");
  put_file(dir, "content/orders-and_shipping/track.md", "---\ntitle: Track\n---\n");
  put_file(dir, "content/_drafts/x.md", "---\ntitle: X\n---\n");
  put_file(dir, "content/.git/y.md", "---\ntitle: Y\n---\n");
}

static void test_load_tree(void **state) {
  tree *t = *state;
  write_sample_tree(t->dir);
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  assert_null(t->err);
  /* skipped folders that hold Markdown are said, once each, with a count */
  assert_diag_counts(&t->d, 0, 2);
  assert_diag(&t->d, HG_WARN, "content/.git: warning: folder not published (names starting "
                              "with '.' are skipped), but it holds 1 Markdown file");
  assert_diag(&t->d, HG_WARN, "content/_drafts: warning: folder not published (names "
                              "starting with '_' are skipped), but it holds 1 Markdown file: "
                              "rename it to 'drafts'");

  assert_int_equal(c->nfolders, 4);
  const hg_folder *root = &c->folders[0], *billing = &c->folders[1], *cards = &c->folders[2],
                  *orders = &c->folders[3];
  assert_string_equal(root->rel_dir, "");
  assert_int_equal(root->parent, -1);
  assert_int_equal(root->depth, 0);
  assert_string_equal(root->slug, "");
  assert_string_equal(root->intro, "Intro text\n");
  assert_int_equal(root->intro_len, strlen("Intro text\n"));
  assert_int_equal(root->intro_line, 3);
  assert_non_null(root->index_path);
  assert_true(hg_str_has_suffix(root->index_path, "content/_index.md"));

  assert_string_equal(billing->rel_dir, "billing");
  assert_int_equal(billing->parent, 0);
  assert_int_equal(billing->depth, 1);
  assert_string_equal(billing->title, "Billing & Payments");
  assert_string_equal(billing->description, "Money matters");
  assert_string_equal(billing->icon, "💳");
  assert_int_equal(billing->weight, 2);
  assert_string_equal(billing->slug, "pay");
  assert_null(billing->intro);
  assert_int_equal(billing->nassets, 2); /* hidden file left out, sorted */
  assert_string_equal(billing->assets[0], "diagram.png");
  assert_string_equal(billing->assets[1], "invoice.pdf");

  assert_string_equal(cards->rel_dir, "billing/cards");
  assert_int_equal(cards->parent, 1);
  assert_int_equal(cards->depth, 2);
  assert_string_equal(cards->title, "Cards"); /* from the folder name */
  assert_string_equal(cards->description, "Card stuff");
  assert_string_equal(cards->slug, "cards");

  assert_string_equal(orders->rel_dir, "orders-and_shipping");
  assert_string_equal(orders->title, "Orders and shipping");
  assert_string_equal(orders->slug, "orders-and_shipping");
  assert_null(orders->index_path);
  assert_int_equal(orders->depth, 1);

  assert_int_equal(root->nassets, 0); /* .DS_Store hidden, _notes.txt private */

  assert_int_equal(c->narticles, 5);
  static const char *const rels[] = {"top.md", "billing/pay.md", "billing/refunds.md",
                                     "billing/cards/visa.md", "orders-and_shipping/track.md"};
  static const size_t folders[] = {0, 1, 1, 2, 3};
  for (size_t i = 0; i < 5; i++) {
    assert_string_equal(c->articles[i].rel_path, rels[i]);
    assert_int_equal(c->articles[i].folder, folders[i]);
    assert_true(hg_str_has_suffix(c->articles[i].path, rels[i]));
    assert_false(c->articles[i].failed);
  }
  assert_string_equal(c->articles[1].title, "Pay an invoice");
  assert_string_equal(c->articles[3].title, "Visa");
}

static void test_load_same_with_threads(void **state) {
  tree *t = *state;
  for (int i = 0; i < 24; i++) {
    char rel[64], text[128];
    snprintf(rel, sizeof rel, "content/cat%d/art%02d.md", i % 3, i);
    snprintf(text, sizeof text, "---\nweight: w%d\n---\n# Article %d\n", i, i);
    put_file(t->dir, rel, text);
  }
  hg_content_opts one = {.threads = 1}, many = {.threads = 6};
  load_tree(t, &one);
  char *a = diags_text(&t->d);
  assert_int_equal(t->d.len, 24);
  hg_content_free(t->c);
  hg_config_free(t->cfg);
  hg_diags_free(&t->d);
  load_tree(t, &many);
  char *b = diags_text(&t->d);
  assert_string_equal(a, b); /* same diagnostics in the same order */
  assert_int_equal(t->c->narticles, 24);
  for (size_t i = 0; i < 24; i++) {
    char want[32];
    snprintf(want, sizeof want, "Article %zu",
             (i % 8) * 3 + i / 8); /* walk order: cat0 (0,3,6..), cat1, cat2 */
    assert_string_equal(t->c->articles[i].title, want);
  }
  free(a);
  free(b);
}

static void test_bad_files_reported_others_load(void **state) {
  tree *t = *state;
  put_file(t->dir, "content/good.md", "---\ntitle: Good\n---\n");
  put_file(t->dir, "content/latin1.md", "---\ntitle: Caf\xE9\n---\n");
  put_file(t->dir, "content/broken.md", "---\ntitle: [\n---\n");
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  assert_int_equal(c->narticles, 3);
  assert_true(c->articles[0].failed);  /* broken.md */
  assert_false(c->articles[1].failed); /* good.md */
  assert_true(c->articles[2].failed);  /* latin1.md */
  assert_diag_counts(&t->d, 2, 0);
  assert_diag(&t->d, HG_ERR, "content/broken.md:");
  assert_diag(&t->d, HG_ERR, "content/latin1.md:2:11: error: not valid UTF-8 (byte 0xE9)");
}

static void test_unreadable_article(void **state) {
  tree *t = *state;
  put_file(t->dir, "content/ok.md", "---\ntitle: Ok\n---\n");
  char *link = hg_path_join(t->dir, "content/dangling.md");
  assert_int_equal(symlink("nowhere.md", link), 0);
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  assert_int_equal(c->narticles, 1); /* the dangling link is no article */
  assert_false(c->articles[0].failed);
  assert_diag_counts(&t->d, 1, 0);
  char *want = hg_strdup_printf("%s: error: dangling symbolic link: its target 'nowhere.md' does "
                                "not exist (remove the link, or restore the file or folder it "
                                "points to)", link);
  assert_string_equal(diag_at(&t->d, 0), want);
  free(want);
  free(link);
}

static void make_sparse(const char *dir, const char *rel, off_t size) {
  char *p = hg_path_join(dir, rel);
  assert_true(hg_write_file(p, "# Big\n", 6, NULL));
  assert_int_equal(truncate(p, size), 0);
  free(p);
}

static void test_too_large_article(void **state) {
  tree *t = *state;
  put_file(t->dir, "content/small.md", "---\ntitle: Small\n---\n");
  make_sparse(t->dir, "content/huge.md", (off_t)50 << 20);
  hg_content_opts o = {.max_file_size = (size_t)10 << 20};
  hg_content *c = load_tree(t, &o);
  assert_non_null(c);
  assert_int_equal(c->narticles, 2);
  assert_true(c->articles[0].failed); /* huge.md */
  assert_false(c->articles[1].failed);
  assert_diag_counts(&t->d, 1, 0);
  char *want = hg_strdup_printf("%s/content/huge.md: error: file is 50 MiB, over the 10 MiB "
                                "limit for one article (split it)", t->dir);
  assert_string_equal(diag_at(&t->d, 0), want);
  free(want);
}

static void test_too_large_default_limit(void **state) {
  tree *t = *state;
  make_sparse(t->dir, "content/huge.md", (off_t)50 << 20); /* the 50 MB */
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  assert_true(c->articles[0].failed);
  assert_diag_counts(&t->d, 1, 0);
  assert_diag(&t->d, HG_ERR, "content/huge.md: error: file is 50 MiB, over the 16 MiB limit");
}

static void test_no_content_folder(void **state) {
  tree *t = *state;
  assert_null(load_tree(t, NULL));
  assert_non_null(t->err);
  assert_int_equal(t->err->code, 2);
  assert_contains(t->err->msg, "no content folder");
  assert_contains(t->err->msg, t->dir);
}

static void test_underscore_files_skipped(void **state) {
  tree *t = *state;
  put_file(t->dir, "content/a/_index.md", "---\ntitle: A\n---\n");
  put_file(t->dir, "content/a/_notes.md", "---\ntitle: Notes\n---\nfor writers only\n");
  put_file(t->dir, "content/a/_sketch.png", "not published");
  put_file(t->dir, "content/a/page.md", "---\ntitle: Page\n---\n");
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  assert_int_equal(c->narticles, 1);
  assert_string_equal(c->articles[0].rel_path, "a/page.md");
  assert_int_equal(c->folders[1].nassets, 0);
  assert_diag_counts(&t->d, 0, 0);
}

/* Obsidian's folder notes: "Statuses.md" beside "Statuses/" is the
 * folder's page (title, intro); with an _index.md of its own the folder
 * keeps that and the note stays an article. */
static void test_folder_notes(void **state) {
  tree *t = *state;
  put_file(t->dir, "content/Guide/Statuses.md", "---\ntitle: All statuses\n---\nAbout them.\n");
  put_file(t->dir, "content/Guide/Statuses/Done.md", "---\ntitle: Done\n---\n");
  put_file(t->dir, "content/Guide/Zeta.md", "---\ntitle: Zeta\n---\n");
  put_file(t->dir, "content/Guide/Alpha/_index.md", "---\ntitle: Own index\n---\n");
  put_file(t->dir, "content/Guide/Alpha.md", "---\ntitle: Alpha note\n---\n");
  put_file(t->dir, "content/Guide/Beta.md", "---\ntitle: Beta\n---\n");
  put_file(t->dir, "content/Other/Beta/x.md", "---\ntitle: X\n---\n"); /* another parent */
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  assert_diag_counts(&t->d, 0, 0);
  bool statuses = false, alpha = false;
  for (size_t i = 0; i < c->nfolders; i++) {
    if (!strcmp(c->folders[i].rel_dir, "Guide/Statuses")) {
      statuses = true;
      assert_string_equal(c->folders[i].title, "All statuses");
      assert_string_equal(c->folders[i].intro, "About them.\n");
    }
    if (!strcmp(c->folders[i].rel_dir, "Guide/Alpha")) {
      alpha = true;
      assert_string_equal(c->folders[i].title, "Own index");
    }
  }
  assert_true(statuses && alpha);
  const char *want[] = {"Guide/Alpha.md", "Guide/Beta.md", "Guide/Zeta.md",
                        "Guide/Statuses/Done.md", "Other/Beta/x.md"};
  size_t found = 0;
  for (size_t i = 0; i < c->narticles; i++) {
    assert_string_not_equal(c->articles[i].rel_path, "Guide/Statuses.md");
    for (size_t k = 0; k < sizeof want / sizeof *want; k++)
      found += !strcmp(c->articles[i].rel_path, want[k]);
  }
  assert_int_equal(c->narticles, 5);
  assert_int_equal(found, 5);
}

static void test_index_without_title_no_warning(void **state) {
  tree *t = *state;
  put_file(t->dir, "content/faq-stuff/_index.md", "Just an intro, no heading.\n");
  put_file(t->dir, "content/faq-stuff/q.md", "---\ntitle: Q\n---\n");
  hg_content *c = load_tree(t, NULL);
  assert_diag_counts(&t->d, 0, 0);
  assert_string_equal(c->folders[1].title, "Faq stuff");
  assert_string_equal(c->folders[1].intro, "Just an intro, no heading.\n");
  assert_int_equal(c->folders[1].intro_line, 0);
}

static void test_index_errors_reported(void **state) {
  tree *t = *state;
  put_file(t->dir, "content/a/_index.md", "---\ntitle: [unclosed\n---\n");
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  assert_diag_counts(&t->d, 1, 0);
  assert_diag(&t->d, HG_ERR, "content/a/_index.md:3:1: error: YAML syntax error");
  assert_string_equal(c->folders[1].title, "A");
}

/* ---- binary records ------------------------------------------------------ */
/* The record of c, restored, must save to the same bytes; returns the copy. */
static hg_content *content_round_trip(const hg_content *c) {
  hg_buf b = HG_BUF_INIT, again = HG_BUF_INIT;
  hg_content_save(c, &b);
  char *copy;
  hg_reader r = reader_of(b.data, b.len, &copy);
  hg_content *c2 = hg_content_restore(&r);
  assert_non_null(c2);
  assert_false(r.bad);
  assert_ptr_equal(r.p, r.end);
  hg_content_save(c2, &again);
  assert_int_equal(again.len, b.len);
  assert_memory_equal(again.data, b.data, b.len);
  free(copy);
  hg_buf_free(&b);
  hg_buf_free(&again);
  return c2;
}

static void assert_same_list(char *const *a, size_t na, char *const *b, size_t nb) {
  assert_int_equal(na, nb);
  for (size_t i = 0; i < na; i++) assert_string_equal(a[i], b[i]);
}

/* Field by field, but for the body (which a record leaves out); meta trees
 * are compared by content_round_trip, byte for byte. */
static void assert_same_content(const hg_content *c, const hg_content *c2) {
  assert_string_equal(c->content_dir, c2->content_dir);
  assert_int_equal(c->nfolders, c2->nfolders);
  for (size_t i = 0; i < c->nfolders; i++) {
    const hg_folder *f = &c->folders[i], *g = &c2->folders[i];
    assert_string_equal(f->rel_dir, g->rel_dir);
    assert_string_equal(f->path, g->path);
    assert_int_equal(f->parent, g->parent);
    assert_int_equal(f->depth, g->depth);
    assert_string_equal(f->slug, g->slug);
    assert_string_equal(f->title, g->title);
    assert_string_equal(f->description, g->description);
    assert_same_str(f->icon, g->icon);
    assert_int_equal(f->weight, g->weight);
    assert_same_str(f->index_path, g->index_path);
    assert_int_equal(f->intro_len, g->intro_len);
    assert_int_equal(f->intro == NULL, g->intro == NULL);
    if (f->intro) assert_memory_equal(f->intro, g->intro, f->intro_len + 1);
    assert_int_equal(f->intro_line, g->intro_line);
    assert_int_equal(f->meta == NULL, g->meta == NULL);
    assert_same_list(f->assets, f->nassets, g->assets, g->nassets);
  }
  assert_int_equal(c->narticles, c2->narticles);
  for (size_t i = 0; i < c->narticles; i++) {
    const hg_article *a = &c->articles[i], *b = &c2->articles[i];
    assert_string_equal(a->path, b->path);
    assert_string_equal(a->rel_path, b->rel_path);
    assert_int_equal(a->folder, b->folder);
    assert_int_equal(a->meta == NULL, b->meta == NULL);
    assert_null(b->body);
    assert_int_equal(b->body_len, 0);
    assert_int_equal(a->body_line, b->body_line);
    assert_same_str(a->title, b->title);
    assert_int_equal(a->title_line, b->title_line);
    assert_same_str(a->description, b->description);
    assert_same_str(a->slug, b->slug);
    assert_int_equal(a->weight, b->weight);
    assert_same_list(a->tags, a->ntags, b->tags, b->ntags);
    assert_same_list(a->keywords, a->nkeywords, b->keywords, b->nkeywords);
    assert_same_list(a->aliases, a->naliases, b->aliases, b->naliases);
    assert_int_equal(a->promoted, b->promoted);
    assert_int_equal(a->draft, b->draft);
    assert_int_equal(a->faq, b->faq);
    assert_same_str(a->date, b->date);
    assert_same_str(a->updated, b->updated);
    assert_same_str(a->review_by, b->review_by);
    assert_same_str(a->translation_key, b->translation_key);
    assert_int_equal(a->failed, b->failed);
    assert_int_equal(a->ndiags, b->ndiags);
  }
}

static const hg_article *article_at(const hg_content *c, const char *rel) {
  for (size_t i = 0; i < c->narticles; i++)
    if (!strcmp(c->articles[i].rel_path, rel)) return &c->articles[i];
  fail_msg("no article %s", rel);
  return NULL;
}

static void test_record_store(void **state) {
  (void)state;
  if (!hg_is_dir("examples/store/content")) fail_msg("run the unit tests from the repository root");
  hg_diags cd = {0};
  hg_config *cfg = hg_config_load("examples/store", &cd, NULL);
  assert_non_null(cfg);
  static const char *const langs[] = {"en", "cs", "th", "ar"};
  for (size_t l = 0; l <= 4; l++) {
    hg_content_opts o = {.threads = 2, .lang_dir = l < 4 ? langs[l] : NULL};
    hg_diags d = {0};
    hg_content *c = hg_content_load(cfg, &o, &d, NULL);
    assert_non_null(c);
    assert_true(c->narticles > 0);
    hg_content *c2 = content_round_trip(c);
    assert_same_content(c, c2);
    if (l == 0) { /* spot checks in English */
      const hg_article *a = article_at(c2, "orders/tracking/track-order.md");
      assert_string_equal(a->title, "Track your order");
      assert_int_equal(a->title_line, 2);
      assert_int_equal(a->weight, 10);
      assert_string_equal(a->tags[1], "delivery");
      assert_int_equal(a->nkeywords, 4);
      assert_true(a->promoted);
      assert_string_equal(a->review_by, "2027-03-01");
      assert_int_equal(a->body_line, 11);
      assert_int_equal(hg_value_get(a->meta, "keywords")->line, 6);
      assert_string_equal(c2->folders[a->folder].rel_dir, "orders/tracking");
      assert_string_equal(c2->folders[a->folder].assets[0], "order-page.svg");
      assert_true(hg_str_has_prefix(c2->folders[0].intro, "Welcome to the Northwind"));
      assert_string_equal(c2->folders[0].title, "How can we help?");
    }
    hg_content_free(c);
    hg_content_free(c2);
    hg_diags_free(&d);
  }
  hg_config_free(cfg);
  hg_diags_free(&cd);
}

static void test_record_keeps_ndiags(void **state) {
  tree *t = *state;
  put_file(t->dir, "content/_index.md", "---\nweight: x\n---\n"); /* not an article's */
  put_file(t->dir, "content/a.md", "---\nweight: heavy\n---\n# A\n");
  put_file(t->dir, "content/b.md", "# B\r\ntext\r\n");
  put_file(t->dir, "content/c.md", "---\ntitle: C\ndate: soon\ntags: {x: 1}\n---\n");
  put_file(t->dir, "content/d.md", "---\ntitle: D\n---\nfine\n");
  put_file(t->dir, "content/e.md", "---\ntitle: [\n---\n");
  put_file(t->dir, "content/f/g.md", "---\ntitle: G\ndraft: true\ntype: faq\n"
                                     "aliases: [old/g]\ntranslation_key: g\n---\n");
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  assert_int_equal(c->narticles, 6);
  static const size_t want[] = {1, 1, 2, 0, 1, 0};
  size_t sum = 0;
  for (size_t i = 0; i < 6; i++) {
    assert_int_equal(c->articles[i].ndiags, want[i]);
    sum += c->articles[i].ndiags;
  }
  assert_int_equal(sum + 1, t->d.len);
  assert_true(c->articles[4].failed);
  assert_null(c->articles[4].title);
  hg_content *c2 = content_round_trip(c);
  assert_same_content(c, c2);
  assert_int_equal(c2->articles[2].ndiags, 2);
  assert_true(c2->articles[4].failed);
  assert_true(c2->articles[5].draft && c2->articles[5].faq);
  assert_string_equal(c2->articles[5].translation_key, "g");
  assert_string_equal(c2->articles[5].aliases[0], "old/g");
  hg_content_free(c2);
}

/* The record of one parse of `text` as content/REL (caller frees). */
static char *article_record(const char *rel, const char *text, size_t *len) {
  parsed p;
  parse(&p, rel, text);
  hg_buf b = HG_BUF_INIT;
  hg_article_save(&p.a, &b);
  done(&p);
  *len = b.len;
  return hg_buf_steal(&b);
}

/* Are the records of two parses (as the same file) the same bytes? */
static bool same_record(const char *text1, const char *text2) {
  size_t n1, n2;
  char *r1 = article_record("a/page.md", text1, &n1);
  char *r2 = article_record("a/page.md", text2, &n2);
  bool same = n1 == n2 && memcmp(r1, r2, n1) == 0;
  free(r1);
  free(r2);
  return same;
}

static void test_article_record_compares_front_matter(void **state) {
  (void)state;
  const char *base = "---\ntitle: T\ntags: [a, b]\nx: 1\n---\nBody one\n\nline three\n";
  assert_true(same_record(base, base));
  /* the body alone changed, as many lines: the same record */
  assert_true(same_record(base, "---\ntitle: T\ntags: [a, b]\nx: 1\n---\nOther\n\ntext\n"));
  /* front matter changed: a field, a key only the meta map has, a position */
  assert_false(same_record(base, "---\ntitle: U\ntags: [a, b]\nx: 1\n---\nBody one\n\nline three\n"));
  assert_false(same_record(base, "---\ntitle: T\ntags: [a, b]\nx: 2\n---\nBody one\n\nline three\n"));
  assert_false(same_record(base, "---\ntitle:  T\ntags: [a, b]\nx: 1\n---\nBody one\n\nline three\n"));
  assert_false(same_record(base, "---\n\ntitle: T\ntags: [a, b]\nx: 1\n---\nBody one\n\nline three\n"));
  /* no title in front matter: the body's first heading is the title */
  const char *h1 = "---\ndescription: d\n---\n# Old heading\n\ntext\n";
  assert_true(same_record(h1, "---\ndescription: d\n---\n# Old heading\n\nnew text\n"));
  assert_false(same_record(h1, "---\ndescription: d\n---\n# New heading\n\ntext\n"));

  /* restored, a record is the article but for its body */
  parsed p;
  parse(&p, "a/page.md", base);
  hg_buf b = HG_BUF_INIT, again = HG_BUF_INIT;
  hg_article_save(&p.a, &b);
  hg_reader r = {b.data, b.data + b.len, false};
  hg_article a;
  assert_true(hg_article_restore(&r, &a));
  assert_ptr_equal(r.p, r.end);
  assert_string_equal(a.title, "T");
  assert_string_equal(a.tags[1], "b");
  assert_int_equal(hg_value_get(a.meta, "x")->i, 1);
  assert_null(a.body);
  assert_int_equal(a.body_len, 0);
  assert_int_equal(a.body_line, 5);
  hg_article_save(&a, &again);
  assert_int_equal(again.len, b.len);
  assert_memory_equal(again.data, b.data, b.len);
  hg_article_clear(&a);
  done(&p);

  /* every cut is refused and leaves the article zeroed */
  hg_article zero;
  memset(&zero, 0, sizeof zero);
  for (size_t cut = 0; cut < b.len; cut++) {
    char *copy;
    r = reader_of(b.data, cut, &copy);
    memset(&a, 0x5a, sizeof a); /* restore must not read what was there */
    if (hg_article_restore(&r, &a) || !r.bad)
      fail_msg("an article cut at %zu of %zu bytes was read", cut, b.len);
    assert_memory_equal(&a, &zero, sizeof a);
    free(copy);
  }
  hg_buf_free(&b);
  hg_buf_free(&again);
}

static void test_record_truncated(void **state) {
  tree *t = *state;
  write_sample_tree(t->dir);
  put_file(t->dir, "content/billing/broken.md", "---\ntitle: [\n---\n");
  put_file(t->dir, "content/billing/cards/_index.md", "---\nicon: x\n---\nCards intro\n");
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  hg_buf b = HG_BUF_INIT;
  hg_content_save(c, &b);
  for (size_t cut = 0; cut < b.len; cut++) {
    char *copy;
    hg_reader r = reader_of(b.data, cut, &copy);
    hg_content *c2 = hg_content_restore(&r);
    if (c2 || !r.bad) fail_msg("content cut at %zu of %zu bytes was read", cut, b.len);
    assert_true(r.p <= r.end);
    free(copy);
  }
  hg_buf_free(&b);
}

/* Saves c and fails unless restoring the record is refused. */
static void assert_refused(const hg_content *c, const char *what) {
  hg_buf b = HG_BUF_INIT;
  hg_content_save(c, &b);
  hg_reader r = {b.data, b.data + b.len, false};
  hg_content *c2 = hg_content_restore(&r);
  if (c2 || !r.bad) fail_msg("a record with %s was read", what);
  hg_buf_free(&b);
}

static void test_record_refuses_bad_trees(void **state) {
  tree *t = *state;
  write_sample_tree(t->dir);
  hg_content *c = load_tree(t, NULL);
  assert_non_null(c);
  hg_content_free(content_round_trip(c)); /* as loaded: fine */
  hg_folder *cards = &c->folders[2];
  hg_article *a = &c->articles[1];

  a->folder = c->nfolders;
  assert_refused(c, "an article in a folder past the last");
  a->folder = 1;
  cards->parent = 2;
  assert_refused(c, "a folder its own parent");
  cards->parent = 3;
  assert_refused(c, "a parent after its child");
  cards->parent = -1;
  assert_refused(c, "a second root");
  cards->parent = 1;
  cards->depth = 1;
  assert_refused(c, "a depth not the parent's + 1");
  cards->depth = 2;
  c->folders[0].parent = 0;
  assert_refused(c, "a root with a parent");
  c->folders[0].parent = -1;
  char *keep = cards->title;
  cards->title = NULL;
  assert_refused(c, "a folder without a title");
  cards->title = keep;
  keep = a->slug;
  a->slug = NULL;
  assert_refused(c, "an article without a slug");
  a->failed = true; /* an article that failed may lack one */
  hg_content *c2 = content_round_trip(c);
  assert_null(c2->articles[1].slug);
  hg_content_free(c2);
  a->failed = false;
  a->slug = keep;
  keep = a->rel_path;
  a->rel_path = NULL;
  assert_refused(c, "an article without rel_path");
  a->rel_path = keep;
  hg_content_free(content_round_trip(c)); /* all put back */

  size_t nf = c->nfolders;
  c->nfolders = 0;
  assert_refused(c, "no root folder");
  c->nfolders = nf;
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, tree_setup, tree_teardown)
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain_front_matter),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_crlf_warns),
      cmocka_unit_test(test_double_dash_opener_warns),
      cmocka_unit_test(test_no_front_matter),
      cmocka_unit_test(test_unclosed_front_matter),
      cmocka_unit_test(test_front_matter_list),
      cmocka_unit_test(test_malformed_yaml),
      cmocka_unit_test(test_not_utf8),
      cmocka_unit_test(test_empty_file),
      cmocka_unit_test(test_title_fallbacks),
      cmocka_unit_test(test_markdown_extension),
      cmocka_unit_test(test_slugs),
      cmocka_unit_test(test_lists),
      cmocka_unit_test(test_dates),
      cmocka_unit_test(test_other_fields),
      T(test_load_tree),
      T(test_load_same_with_threads),
      T(test_bad_files_reported_others_load),
      T(test_unreadable_article),
      T(test_too_large_article),
      T(test_too_large_default_limit),
      T(test_no_content_folder),
      T(test_folder_notes),
      T(test_underscore_files_skipped),
      T(test_index_without_title_no_warning),
      T(test_index_errors_reported),
      cmocka_unit_test(test_record_store),
      T(test_record_keeps_ndiags),
      cmocka_unit_test(test_article_record_compares_front_matter),
      T(test_record_truncated),
      T(test_record_refuses_bad_trees),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
