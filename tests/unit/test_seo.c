/* test_seo.c - unit tests for src/seo.c: settings, sitemap.xml, robots.txt,
 * Atom feeds, llms.txt and the Markdown copies, alias redirects (pages,
 * _redirects, nginx map) and every alias error with its exact message. The
 * sites are real folders loaded through hg_config_load, hg_content_load,
 * hg_site_build and hg_md_render; the XML files are parsed back by a small
 * well-formedness checker (and by xmllint when it is installed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hg_flows.h"
#include "hg_seo.h"
#include "helpers.h"

typedef struct {
  char *dir, *out;
  hg_config *cfg;
  hg_content *c;
  hg_site *s;
  hg_md_result *md;
  hg_seo_settings set;
  hg_diags d;
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  f->out = hg_path_join(f->dir, "out");
  *state = f;
  return 0;
}

static void unload(fixture *f) {
  for (size_t i = 0; f->md && f->s && i < f->s->narts; i++) hg_md_result_free(&f->md[i]);
  free(f->md);
  hg_site_free(f->s);
  hg_content_free(f->c);
  hg_config_free(f->cfg);
  hg_diags_free(&f->d);
  f->md = NULL;
  f->s = NULL;
  f->c = NULL;
  f->cfg = NULL;
}

/* Starts over in a new empty site folder. */
static void reset(fixture *f) {
  unload(f);
  tmp_remove(f->dir);
  f->dir = tmp_new();
  free(f->out);
  f->out = hg_path_join(f->dir, "out");
}

static int teardown(void **state) {
  fixture *f = *state;
  unload(f);
  free(f->out);
  tmp_remove(f->dir);
  free(f);
  return 0;
}

/* Loads the site (loading must be clean but for config warnings about keys
 * this config.c does not know yet), renders the Markdown, reads the
 * settings and runs hg_seo_check into f->d. */
static void load(fixture *f) {
  hg_diags pre = {0};
  hg_error *err = NULL;
  f->cfg = hg_config_load(f->dir, &pre, &err);
  assert_non_null(f->cfg);
  hg_diags_free(&pre);
  f->c = hg_content_load(f->cfg, NULL, &pre, &err);
  assert_non_null(f->c);
  if (hg_diags_count(&pre, HG_ERR)) fail_msg("content errors:\n%s", diags_text(&pre));
  hg_diags_free(&pre);
  hg_site_opts so = {0};
  f->s = hg_site_build(f->cfg, f->c, &so, &pre);
  if (pre.len) fail_msg("site diagnostics:\n%s", diags_text(&pre));
  f->md = hg_xcalloc(f->s->narts ? f->s->narts : 1, sizeof *f->md);
  for (size_t i = 0; i < f->s->narts; i++) {
    const hg_article *a = &f->c->articles[f->s->arts[i].article];
    hg_md_opts o = {.path = a->path, .line_offset = a->body_line, .title = a->title};
    hg_md_render(a->body, a->body_len, &o, &f->md[i], &pre);
  }
  hg_diags_free(&pre);
  hg_seo_settings_read(f->cfg, &f->set, &f->d);
  hg_seo_lang one = {f->s, NULL, NULL, NULL};
  hg_seo_check(&one, 1, &f->d);
}

/* Writes the SEO files into f->out (the check must have passed). */
static void write_all(fixture *f) {
  if (hg_diags_count(&f->d, HG_ERR)) fail_msg("errors before writing:\n%s", diags_text(&f->d));
  hg_error *err = NULL;
  hg_output *o = hg_output_begin(f->out, f->dir, &err);
  if (!o) fail_msg("hg_output_begin: %s", err ? err->msg : "?");
  hg_seo_lang one = {f->s, f->md, NULL, NULL};
  assert_true(hg_seo_write(&one, 1, &f->set, o, 3, &f->d));
  assert_true(hg_output_commit(o, &err));
}

static char *out_file(const fixture *f, const char *rel) {
  char *s = get_file(f->out, rel);
  if (!s) fail_msg("%s was not written", rel);
  return s;
}

static size_t count_of(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
  return n;
}

/* ---- a small XML well-formedness checker -------------------------------- */
/* Returns NULL when `x` is well-formed (one root element, balanced tags,
 * quoted attributes, known entities, no stray '<' or '&'), else a reason. */
static const char *xml_check(const char *x) {
  char stack[32][64];
  int depth = 0, roots = 0;
  const char *p = x;
  if (hg_str_has_prefix(p, "<?xml")) {
    p = strstr(p, "?>");
    if (!p) return "unterminated XML declaration";
    p += 2;
  }
  while (*p) {
    if (*p == '&') {
      const char *e = strchr(p, ';');
      if (!e || e - p > 10) return "'&' that starts no entity";
      bool ok = !strncmp(p, "&amp;", 5) || !strncmp(p, "&lt;", 4) || !strncmp(p, "&gt;", 4) ||
                !strncmp(p, "&quot;", 6) || !strncmp(p, "&apos;", 6) || p[1] == '#';
      if (!ok) return "unknown entity";
      p = e + 1;
    } else if (*p == '<') {
      bool close = p[1] == '/';
      const char *n = p + 1 + close;
      size_t nl = strcspn(n, " \t\n/>");
      if (!nl || nl >= 64) return "bad tag name";
      const char *q = n + nl;
      while (*q && *q != '>' && !(q[0] == '/' && q[1] == '>')) {
        if (*q == '=') {
          q++;
          if (*q != '"' && *q != '\'') return "unquoted attribute value";
          const char *end = strchr(q + 1, *q);
          if (!end) return "unterminated attribute value";
          for (const char *v = q + 1; v < end; v++)
            if (*v == '<') return "'<' in an attribute value";
          q = end + 1;
        } else {
          q++;
        }
      }
      if (!*q) return "unterminated tag";
      bool empty = *q == '/';
      if (close) {
        if (!depth || strlen(stack[depth - 1]) != nl || strncmp(stack[depth - 1], n, nl))
          return "mismatched closing tag";
        depth--;
      } else if (!empty) {
        if (depth == 0 && roots++) return "more than one root element";
        if (depth == 32) return "nested too deep";
        memcpy(stack[depth], n, nl);
        stack[depth++][nl] = '\0';
      } else if (depth == 0 && roots++) {
        return "more than one root element";
      }
      p = q + (empty ? 2 : 1);
    } else {
      if (depth == 0 && *p != '\n' && *p != ' ') return "text outside the root element";
      p++;
    }
  }
  if (depth) return "unclosed element";
  return roots == 1 ? NULL : "no root element";
}

/* Checks out/rel with xml_check, and with xmllint when it is installed. */
static void assert_xml(const fixture *f, const char *rel) {
  char *x = out_file(f, rel);
  const char *why = xml_check(x);
  if (why) fail_msg("%s is not well-formed XML: %s\n%s", rel, why, x);
  free(x);
  if (system("command -v xmllint >/dev/null 2>&1") == 0) {
    char *cmd = hg_strdup_printf("xmllint --noout '%s/%s'", f->out, rel);
    int rc = system(cmd);
    free(cmd);
    if (rc != 0) fail_msg("xmllint rejects %s", rel);
  }
}

static void test_xml_checker(void **state) {
  (void)state;
  assert_null(xml_check("<?xml version=\"1.0\"?>\n<a x=\"1\"><b/>t &amp; u</a>\n"));
  assert_non_null(xml_check("<a><b></a></b>"));
  assert_non_null(xml_check("<a>x & y</a>"));
  assert_non_null(xml_check("<a x=1></a>"));
  assert_non_null(xml_check("<a></a><b></b>"));
  assert_non_null(xml_check("<a>"));
}

/* ---- settings ------------------------------------------------------------ */
static void test_settings_defaults(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\n---\n");
  load(f);
  assert_false(f->set.llms);
  assert_null(f->set.feedback_endpoint);
  assert_null(f->set.feedback_mailto);
  assert_diag_counts(&f->d, 0, 0);
}

static void test_settings_values(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml",
           "title: T\nllms: true\nfeedback:\n  endpoint: https://fb.example.com/v\n"
           "  mailto: mailto:help@example.com\n");
  put_file(f->dir, "content/a.md", "---\ntitle: A\n---\n");
  load(f);
  assert_true(f->set.llms);
  assert_string_equal(f->set.feedback_endpoint, "https://fb.example.com/v");
  assert_string_equal(f->set.feedback_mailto, "help@example.com");
  assert_diag_counts(&f->d, 0, 0);
}

static void test_settings_bad_values(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml",
           "title: T\nllms: sometimes\nfeedback:\n  endpoint: ftp://fb.example.com/\n"
           "  mailto: nobody\n  sms: 123\n");
  put_file(f->dir, "content/a.md", "---\ntitle: A\n---\n");
  load(f);
  assert_false(f->set.llms);
  assert_null(f->set.feedback_endpoint);
  assert_null(f->set.feedback_mailto);
  assert_diag(&f->d, HG_WARN, "helpgen.yaml:2:7: warning: 'llms' should be true or false, found 'sometimes'");
  assert_diag(&f->d, HG_WARN, "helpgen.yaml:4:13: warning: 'feedback.endpoint' should be an http(s) URL");
  assert_diag(&f->d, HG_WARN, "helpgen.yaml:5:11: warning: 'feedback.mailto' should be an email address");
  assert_diag(&f->d, HG_WARN, "helpgen.yaml:6: warning: unknown key 'feedback.sms'");
  assert_diag_counts(&f->d, 0, 4);
}

static void test_settings_feedback_not_a_map(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "title: T\nfeedback: https://fb.example.com/\n");
  put_file(f->dir, "content/a.md", "---\ntitle: A\n---\n");
  load(f);
  assert_null(f->set.feedback_endpoint);
  assert_diag(&f->d, HG_WARN,
              "helpgen.yaml:2:11: warning: 'feedback' should be a mapping with 'endpoint' "
              "and/or 'mailto', found a string (feedback is off)");
}

/* ---- sitemap, robots, feeds ---------------------------------------------- */
static void write_dated_site(const char *dir, const char *base_url) {
  char *cfg = hg_strdup_printf("title: Help & Co\ndescription: All <answers>\n%s%s\n",
                               base_url ? "base_url: " : "", base_url ? base_url : "");
  put_file(dir, "helpgen.yaml", cfg);
  free(cfg);
  put_file(dir, "content/top.md", "---\ntitle: Top\ndate: 2026-01-05\n---\nAt the top.\n");
  put_file(dir, "content/orders/_index.md", "---\ntitle: Orders\ndescription: About orders\n---\n");
  put_file(dir, "content/orders/track.md",
           "---\ntitle: Track & trace <now>\ndescription: Where is it?\ntags: [tracking]\n"
           "date: 2026-02-01\nupdated: 2026-03-09\n---\nSee [returns](../returns/start.md).\n");
  put_file(dir, "content/orders/cards/_index.md", "---\ntitle: Cards\n---\n");
  put_file(dir, "content/orders/cards/visa.md", "---\ntitle: Visa\nupdated: 2026-04-01\n---\nVisa.\n");
  put_file(dir, "content/returns/start.md", "---\ntitle: Start a return\n---\nNo date.\n");
  put_file(dir, "content/účty/přehled.md", "---\ntitle: Přehled\ndate: 2025-12-24\n---\nČeský.\n");
}

static void test_sitemap(void **state) {
  fixture *f = *state;
  write_dated_site(f->dir, "https://help.example.com/");
  load(f);
  write_all(f);
  assert_xml(f, "sitemap.xml");
  char *x = out_file(f, "sitemap.xml");
  assert_contains(x, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
  assert_contains(x, "<url><loc>https://help.example.com/</loc><lastmod>2026-04-01</lastmod></url>");
  assert_contains(x, "<url><loc>https://help.example.com/orders/</loc><lastmod>2026-04-01</lastmod></url>");
  assert_contains(x, "<url><loc>https://help.example.com/orders/cards/</loc><lastmod>2026-04-01</lastmod></url>");
  assert_contains(x, "<url><loc>https://help.example.com/orders/track/</loc><lastmod>2026-03-09</lastmod></url>");
  assert_contains(x, "<url><loc>https://help.example.com/returns/start/</loc></url>");
  assert_contains(x, "<url><loc>https://help.example.com/returns/</loc></url>");
  /* Unicode slugs are percent-encoded */
  assert_contains(x, "<loc>https://help.example.com/%C3%BA%C4%8Dty/p%C5%99ehled/</loc><lastmod>2025-12-24</lastmod>");
  assert_int_equal(count_of(x, "<url>"), 1 + 4 + 5); /* home, 4 folders, 5 articles */
  assert_lacks(x, "search/");
  free(x);
  x = out_file(f, "robots.txt");
  assert_string_equal(x, "# Written by helpgen. Crawlers read robots.txt only at the root of a host.\n"
                         "User-agent: *\nDisallow: /search/\n\n"
                         "Sitemap: https://help.example.com/sitemap.xml\n");
  free(x);
}

static void test_no_base_url(void **state) {
  fixture *f = *state;
  write_dated_site(f->dir, NULL);
  load(f);
  write_all(f);
  assert_false(path_exists(f->out, "sitemap.xml"));
  assert_false(path_exists(f->out, "feed.xml"));
  assert_false(path_exists(f->out, "orders/feed.xml"));
  assert_null(hg_seo_feed_file(f->s, 0));
  char *x = out_file(f, "robots.txt");
  assert_lacks(x, "Sitemap:");
  assert_contains(x, "Disallow: /search/\n");
  free(x);
  assert_diag_counts(&f->d, 0, 0);
}

static void test_robots_sub_path(void **state) {
  fixture *f = *state;
  write_dated_site(f->dir, "https://example.com/help/");
  load(f);
  write_all(f);
  char *x = out_file(f, "robots.txt");
  assert_contains(x, "Disallow: /help/search/\n\nSitemap: https://example.com/help/sitemap.xml\n");
  free(x);
}

static void test_feeds(void **state) {
  fixture *f = *state;
  write_dated_site(f->dir, "https://help.example.com/");
  load(f);
  char *ff = hg_seo_feed_file(f->s, 0);
  assert_string_equal(ff, "feed.xml");
  free(ff);
  long orders = hg_strmap_get(&f->s->by_dir, "orders", -1), cards = hg_strmap_get(&f->s->by_dir, "orders/cards", -1);
  ff = hg_seo_feed_file(f->s, (size_t)orders);
  assert_string_equal(ff, "orders/feed.xml");
  free(ff);
  assert_null(hg_seo_feed_file(f->s, (size_t)cards)); /* sections have none */
  write_all(f);
  assert_xml(f, "feed.xml");
  assert_xml(f, "orders/feed.xml");
  assert_xml(f, "returns/feed.xml");
  char *x = out_file(f, "feed.xml");
  assert_contains(x, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">");
  assert_contains(x, "<title>Help &amp; Co</title>\n<subtitle>All &lt;answers&gt;</subtitle>\n"
                     "<id>https://help.example.com/</id>\n"
                     "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://help.example.com/feed.xml\"/>\n"
                     "<link rel=\"alternate\" type=\"text/html\" href=\"https://help.example.com/\"/>\n"
                     "<updated>2026-04-01T00:00:00Z</updated>\n");
  /* newest first; the undated article is left out */
  const char *visa = strstr(x, "<title>Visa</title>"), *track = strstr(x, "<title>Track &amp; trace &lt;now&gt;</title>");
  const char *top = strstr(x, "<title>Top</title>"), *cz = strstr(x, "<title>Přehled</title>");
  assert_true(visa && track && top && cz && visa < track && track < top && top < cz);
  assert_lacks(x, "Start a return");
  assert_contains(x, "<id>https://help.example.com/orders/track/</id>\n"
                     "<link rel=\"alternate\" type=\"text/html\" href=\"https://help.example.com/orders/track/\"/>\n"
                     "<published>2026-02-01T00:00:00Z</published>\n<updated>2026-03-09T00:00:00Z</updated>\n"
                     "<category term=\"tracking\"/>\n<summary>Where is it?</summary>\n"
                     "<content type=\"html\" xml:base=\"https://help.example.com/orders/track/\">&lt;p&gt;");
  assert_int_equal(count_of(x, "<entry>"), 4);
  free(x);
  x = out_file(f, "orders/feed.xml");
  assert_contains(x, "<title>Orders – Help &amp; Co</title>\n<subtitle>About orders</subtitle>\n"
                     "<id>https://help.example.com/orders/</id>\n"
                     "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://help.example.com/orders/feed.xml\"/>");
  assert_int_equal(count_of(x, "<entry>"), 2); /* track and cards/visa */
  assert_lacks(x, "<title>Top</title>");
  free(x);
  /* no dated article: a valid, empty feed, updated when the site last was */
  x = out_file(f, "returns/feed.xml");
  assert_contains(x, "<updated>2026-04-01T00:00:00Z</updated>");
  assert_int_equal(count_of(x, "<entry>"), 0);
  free(x);
}

static void test_feed_entry_limit(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "title: T\nbase_url: https://h.example.com/\n");
  for (int i = 1; i <= HG_SEO_FEED_ENTRIES + 5; i++) {
    char rel[64], text[128];
    snprintf(rel, sizeof rel, "content/c/a%02d.md", i);
    snprintf(text, sizeof text, "---\ntitle: A%02d\nupdated: 2026-01-%02d\n---\nx\n", i, i);
    put_file(f->dir, rel, text);
  }
  load(f);
  write_all(f);
  char *x = out_file(f, "feed.xml");
  assert_int_equal(count_of(x, "<entry>"), HG_SEO_FEED_ENTRIES);
  assert_contains(x, "<title>A25</title>");
  assert_lacks(x, "<title>A05</title>");
  free(x);
}

static void test_site_files_win(void **state) {
  fixture *f = *state;
  write_dated_site(f->dir, "https://help.example.com/");
  put_file(f->dir, "content/robots.txt", "User-agent: *\nDisallow: /private/\n");
  put_file(f->dir, "content/orders/feed.xml", "<feed/>\n");
  load(f);
  /* the rendering stage copies these; here only the generated ones are written */
  write_all(f);
  assert_false(path_exists(f->out, "robots.txt"));
  assert_false(path_exists(f->out, "orders/feed.xml"));
  assert_true(path_exists(f->out, "feed.xml"));
  assert_diag(&f->d, HG_WARN, "content/orders/feed.xml replaces the feed.xml helpgen would write there");
  assert_diag_counts(&f->d, 0, 1);
}

/* ---- llms.txt and Markdown copies ---------------------------------------- */
static void write_llms_site(const char *dir, const char *base_url, bool llms) {
  char *cfg = hg_strdup_printf("title: Help\ndescription: Answers.\n%s%s\nllms: %s\n",
                               base_url ? "base_url: " : "", base_url ? base_url : "",
                               llms ? "true" : "false");
  put_file(dir, "helpgen.yaml", cfg);
  free(cfg);
  put_file(dir, "content/top.md", "---\ntitle: Top [1]\n---\nTop.\n");
  put_file(dir, "content/orders/_index.md", "---\ntitle: Orders\n---\n");
  put_file(dir, "content/orders/pic.png", "PNG");
  put_file(dir, "content/orders/track.md",
           "---\ntitle: Track\ndescription: Where is it?\n---\n"
           "# Track\n\n"
           "See [returns](../returns/start.md#fees), [the orders page](_index.md), "
           "[home](https://example.com/a.md) and [here](#top).\n\n"
           "![pic](pic.png \"A picture\")\n\n"
           "`[not](a.md)` and ``[x](b.md)``\n\n"
           "```\n[code](start.md)\n```\n\n"
           "[ref]: ../returns/start.md\n"
           "[ext]: https://example.com/\n");
  put_file(dir, "content/returns/start.md", "---\ntitle: Start a return\n---\nStart.\n");
}

static void test_llms(void **state) {
  fixture *f = *state;
  write_llms_site(f->dir, "https://help.example.com/", true);
  load(f);
  write_all(f);
  char *x = out_file(f, "llms.txt");
  assert_string_equal(x,
                      "# Help\n\n> Answers.\n\n"
                      "Every article below links to a Markdown copy of its page; the HTML page is "
                      "the same address without \"index.md\".\n\n"
                      "## General\n\n- [Top \\[1\\]](https://help.example.com/top/index.md)\n\n"
                      "## Orders\n\n- [Track](https://help.example.com/orders/track/index.md): Where is it?\n\n"
                      "## Returns\n\n- [Start a return](https://help.example.com/returns/start/index.md)\n");
  free(x);
  x = out_file(f, "orders/track/index.md");
  assert_string_equal(x,
                      "# Track\n\n"
                      "> Where is it?\n\n"
                      "See [returns](../../returns/start/index.md#fees), [the orders page](../../orders/index.html), "
                      "[home](https://example.com/a.md) and [here](#top).\n\n"
                      "![pic](../../orders/pic.png \"A picture\")\n\n"
                      "`[not](a.md)` and ``[x](b.md)``\n\n"
                      "```\n[code](start.md)\n```\n\n"
                      "[ref]: ../../returns/start/index.md\n"
                      "[ext]: https://example.com/\n");
  free(x);
  x = out_file(f, "returns/start/index.md");
  assert_string_equal(x, "# Start a return\n\nStart.\n");
  free(x);
}

static void test_llms_relative_and_off(void **state) {
  fixture *f = *state;
  write_llms_site(f->dir, NULL, true);
  load(f);
  write_all(f);
  char *x = out_file(f, "llms.txt");
  assert_contains(x, "- [Track](orders/track/index.md): Where is it?\n");
  free(x);
  reset(f);
  write_llms_site(f->dir, NULL, false);
  load(f);
  write_all(f);
  assert_false(path_exists(f->out, "llms.txt"));
  assert_false(path_exists(f->out, "orders/track/index.md"));
}

/* ---- aliases: output ------------------------------------------------------ */
static void test_alias_outputs(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "title: T\nbase_url: https://example.com/help/\n");
  put_file(f->dir, "content/orders/track.md",
           "---\ntitle: Track <it>\naliases:\n  - /hc/articles/123-Track%20it\n"
           "  - old/track.html\n  - https://example.com/help/legacy/index.html\n---\nx\n");
  put_file(f->dir, "content/úvod.md", "---\ntitle: Úvod\naliases: /staré/, /x y/\n---\nx\n");
  load(f);
  assert_diag_counts(&f->d, 0, 0);
  write_all(f);
  char *x = out_file(f, "hc/articles/123-Track it/index.html");
  assert_string_equal(x,
                      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<title>Track &lt;it&gt;</title>\n"
                      "<link rel=\"canonical\" href=\"https://example.com/help/orders/track/\">\n"
                      "<meta name=\"robots\" content=\"noindex\">\n"
                      "<meta http-equiv=\"refresh\" content=\"0; url=../../../orders/track/index.html\">\n"
                      "</head>\n<body>\n<p><a href=\"../../../orders/track/index.html\">Track &lt;it&gt;</a></p>\n"
                      "</body>\n</html>\n");
  free(x);
  x = out_file(f, "old/track.html");
  assert_contains(x, "url=../orders/track/index.html\"");
  free(x);
  assert_true(path_exists(f->out, "legacy/index.html"));
  assert_true(path_exists(f->out, "staré/index.html"));
  assert_true(path_exists(f->out, "x y/index.html"));
  x = out_file(f, "_redirects");
  assert_string_equal(x,
                      "# Redirects from the aliases of articles, written by helpgen\n"
                      "# (Netlify and Cloudflare Pages read this file at the site root).\n"
                      "/help/star%C3%A9/ /help/%C3%BAvod/ 301\n"
                      "/help/x%20y/ /help/%C3%BAvod/ 301\n"
                      "/help/hc/articles/123-Track%20it/ /help/orders/track/ 301\n"
                      "/help/old/track.html /help/orders/track/ 301\n"
                      "/help/legacy/ /help/orders/track/ 301\n");
  free(x);
  x = out_file(f, "redirects.nginx.conf");
  assert_contains(x, "map $uri $helpgen_redirect {\n    default \"\";\n");
  assert_contains(x, "    \"/help/hc/articles/123-Track it/\" \"/help/orders/track/\";\n"
                     "    \"/help/hc/articles/123-Track it\" \"/help/orders/track/\";\n"
                     "    \"/help/hc/articles/123-Track it/index.html\" \"/help/orders/track/\";\n");
  assert_contains(x, "    \"/help/old/track.html\" \"/help/orders/track/\";\n");
  assert_contains(x, "    \"/help/staré/\" \"/help/%C3%BAvod/\";\n");
  assert_true(hg_str_has_suffix(x, "}\n"));
  free(x);
}

static void test_alias_pretty_links_without_base_url(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "title: T\nlinks: pretty\n");
  put_file(f->dir, "content/a/b.md", "---\ntitle: B\naliases: [/old/]\n---\nx\n");
  load(f);
  write_all(f);
  char *x = out_file(f, "old/index.html");
  assert_contains(x, "<link rel=\"canonical\" href=\"../a/b/\">");
  assert_contains(x, "content=\"0; url=../a/b/\">");
  free(x);
}

static void test_no_aliases_no_redirect_files(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\n---\nx\n");
  load(f);
  write_all(f);
  assert_false(path_exists(f->out, "_redirects"));
  assert_false(path_exists(f->out, "redirects.nginx.conf"));
}

/* One article with n aliases. */
static void write_many_aliases(const char *dir, int n) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "---\ntitle: Many\naliases:\n");
  for (int i = 0; i < n; i++) hg_buf_printf(&b, "  - /old/%d/\n", i);
  hg_buf_puts(&b, "---\nx\n");
  put_file(dir, "content/many.md", b.data);
  hg_buf_free(&b);
}

static void test_cloudflare_limit(void **state) {
  fixture *f = *state;
  write_many_aliases(f->dir, HG_SEO_CLOUDFLARE_MAX + 1);
  load(f);
  write_all(f);
  assert_diag(&f->d, HG_WARN,
              "warning: _redirects has 2001 rules; Cloudflare Pages applies at most 2000 static "
              "redirects");
  assert_diag_counts(&f->d, 0, 1);
  char *x = out_file(f, "_redirects");
  assert_int_equal(count_of(x, " 301\n"), 2001);
  free(x);
  /* at the limit: no warning */
  reset(f);
  write_many_aliases(f->dir, HG_SEO_CLOUDFLARE_MAX);
  load(f);
  write_all(f);
  assert_diag_counts(&f->d, 0, 0);
}

/* ---- aliases: errors ------------------------------------------------------ */
static void test_alias_is_another_article(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\naliases:\n  - /new/\n  - /b/\n---\n");
  put_file(f->dir, "content/b.md", "---\ntitle: B\n---\n");
  load(f);
  assert_diag(&f->d, HG_ERR, "/content/a.md:5:5: error: alias '/b/' is the URL of ");
  assert_diag(&f->d, HG_ERR, "/content/b.md (a redirect would hide that article; remove the alias)");
  assert_diag_counts(&f->d, 1, 0);
}

static void test_alias_is_own_url(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/x/a.md", "---\ntitle: A\naliases: [x/a/index.html]\n---\n");
  load(f);
  assert_diag(&f->d, HG_ERR,
              "/content/x/a.md:3:11: error: alias 'x/a/index.html' is this article's own URL (a "
              "redirect to itself would loop; remove the alias)");
  assert_diag_counts(&f->d, 1, 0);
}

static void test_alias_loop(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\naliases: [/b/]\n---\n");
  put_file(f->dir, "content/b.md", "---\ntitle: B\naliases:\n- /a\n---\n");
  load(f);
  assert_diag_counts(&f->d, 2, 0);
  char *want = hg_strdup_printf(
      "%s/content/a.md:3:11: error: redirect loop: alias '/b/' is the URL of %s/content/b.md, "
      "whose alias '/a' (%s/content/b.md:4) is the URL of this article (an alias cannot be the "
      "URL of a published article)", f->dir, f->dir, f->dir);
  assert_string_equal(diag_at(&f->d, 0), want);
  free(want);
  assert_diag(&f->d, HG_ERR, "/content/b.md:4:3: error: redirect loop: alias '/a' is the URL of ");
}

static void test_alias_loop_of_three(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\naliases: [/b/]\n---\n");
  put_file(f->dir, "content/b.md", "---\ntitle: B\naliases: [/c/]\n---\n");
  put_file(f->dir, "content/c.md", "---\ntitle: C\naliases: [/a/]\n---\n");
  load(f);
  assert_diag_counts(&f->d, 3, 0);
  char *want = hg_strdup_printf(
      "%s/content/a.md:3:11: error: redirect loop: alias '/b/' is the URL of %s/content/b.md, "
      "whose alias '/c/' (%s/content/b.md:3) is the URL of %s/content/c.md, whose alias '/a/' "
      "(%s/content/c.md:3) is the URL of this article", f->dir, f->dir, f->dir, f->dir, f->dir);
  assert_diag(&f->d, HG_ERR, want);
  free(want);
}

static void test_alias_duplicate(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\naliases: [/old/]\n---\n");
  put_file(f->dir, "content/b.md", "---\ntitle: B\naliases: [/x/, old/index.html]\n---\n");
  put_file(f->dir, "content/c.md", "---\ntitle: C\naliases: [/c2/, /c2]\n---\n");
  load(f);
  char *want = hg_strdup_printf(
      "%s/content/b.md:3:16: error: duplicate alias 'old/index.html': %s/content/a.md:3 has it "
      "too (an old URL can lead to one article only)", f->dir, f->dir);
  assert_diag(&f->d, HG_ERR, want);
  free(want);
  assert_diag(&f->d, HG_ERR, "/content/c.md:3:17: error: duplicate alias '/c2': ");
  assert_diag_counts(&f->d, 2, 0);
}

static void test_alias_collisions(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/orders/_index.md", "---\ntitle: Orders\n---\n");
  put_file(f->dir, "content/orders/pic.png", "PNG");
  put_file(f->dir, "content/a.md",
           "---\ntitle: A\naliases:\n"
           "  - /orders/\n"           /* 4: a folder */
           "  - /\n"                  /* 5: the home page */
           "  - /sitemap.xml\n"       /* 6: helpgen's own file */
           "  - /assets/old/\n"       /* 7: reserved folder */
           "  - /search/\n"           /* 8: the search page */
           "  - /orders/pic.png\n"    /* 9: a copied file */
           "  - https://other.example.com/x/\n" /* 10 */
           "  - /old?id=3\n"          /* 11 */
           "  - /x/../y/\n"           /* 12 */
           "  - /a%2Fb/\n"            /* 13 */
           "  - /a/index.md\n"        /* 14: an llms copy */
           "---\n");
  load(f);
  const char *want[] = {
      "a.md:4:5: error: alias '/orders/' is the URL of the folder ",
      "a.md:5:5: error: alias '/' is the URL of the folder content/ (the home page) (remove",
      "a.md:6:5: error: alias '/sitemap.xml' would replace helpgen's own sitemap.xml",
      "a.md:7:5: error: alias '/assets/old/' would replace helpgen's own files (assets/ and "
      "search/ are reserved)",
      "a.md:8:5: error: alias '/search/' would replace helpgen's own files (assets/ and search/ "
      "are reserved)",
      "a.md:9:5: error: alias '/orders/pic.png' collides with orders/pic.png, a file or folder "
      "copied from content/",
      "a.md:10:5: error: alias 'https://other.example.com/x/' is not a path on this site (write "
      "the old path, such as /hc/old-page/)",
      "a.md:11:5: error: alias '/old?id=3' has a ?query or #fragment, which a static host cannot "
      "redirect",
      "a.md:12:5: error: alias '/x/../y/' has '.' or '..' segments",
      "a.md:13:5: error: alias '/a%2Fb/' has an encoded '/' (%2F), which no file name can hold",
      "a.md:14:5: error: alias '/a/index.md' would replace helpgen's own a/index.md",
      NULL};
  for (size_t i = 0; want[i]; i++) assert_diag(&f->d, HG_ERR, want[i]);
  assert_diag_counts(&f->d, 11, 0);
  for (size_t i = 0; want[i]; i++) /* in line order */
    assert_non_null(strstr(diag_at(&f->d, i), want[i]));
}

static void test_alias_comma_string_position(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\naliases: /ok/, /a/\n---\n");
  load(f);
  assert_diag(&f->d, HG_ERR, "/content/a.md:3:10: error: alias '/a/' is this article's own URL");
  assert_diag_counts(&f->d, 1, 0);
}

static void test_slug_collides_with_own_file(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\nslug: _redirects\n---\n");
  put_file(f->dir, "content/x/_index.md", "---\ntitle: X\nslug: _redirects\n---\n");
  put_file(f->dir, "content/x/b.md", "---\ntitle: B\n---\n");
  hg_diags pre = {0};
  hg_error *err = NULL;
  f->cfg = hg_config_load(f->dir, &pre, &err);
  f->c = hg_content_load(f->cfg, NULL, &pre, &err);
  hg_site_opts so = {0};
  f->s = hg_site_build(f->cfg, f->c, &so, &pre); /* the article and the folder share a URL too */
  hg_diags_free(&pre);
  hg_seo_lang one = {f->s, NULL, NULL, NULL};
  hg_seo_check(&one, 1, &f->d);
  assert_diag(&f->d, HG_ERR,
              "/content/a.md: error: the URL '_redirects/' collides with helpgen's own _redirects "
              "(set another 'slug:')");
  assert_diag(&f->d, HG_ERR,
              "/content/x: error: the folder URL '_redirects/' collides with helpgen's own "
              "_redirects (rename the folder or give it another slug in _index.md)");
}

static void test_drafts_aliases_ignored(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "---\ntitle: A\n---\n");
  put_file(f->dir, "content/d.md", "---\ntitle: D\ndraft: true\naliases: [/a/]\n---\n");
  load(f);
  assert_diag_counts(&f->d, 0, 0);
}

/* Obsidian's aliases are other names of a note, not old URLs: they are no
 * errors and write no redirects; a path beside them still redirects. */
static void test_alias_names_are_not_redirects(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md",
           "---\ntitle: A\naliases:\n  - Getting started\n  - What is New?/Breaking Changes\n"
           "  - '#tag note'\n  - /old/\n---\n");
  load(f);
  assert_diag_counts(&f->d, 0, 0);
  write_all(f);
  assert_diag_counts(&f->d, 0, 0);
  char *r = out_file(f, "_redirects");
  assert_non_null(strstr(r, "/old/ "));
  assert_null(strstr(r, "Getting"));
  assert_null(strstr(r, "Breaking"));
  free(r);
  assert_true(hg_alias_is_url("/x/"));
  assert_true(hg_alias_is_url("old/page.html"));
  assert_true(hg_alias_is_url("https://example.com/hc/1/"));
  assert_false(hg_alias_is_url("Getting started"));
  assert_false(hg_alias_is_url("FAQ?"));
  assert_false(hg_alias_is_url(""));
}

/* ---- several languages ---------------------------------------------------- */
#define NL 3
typedef struct {
  hg_config *cfg;
  hg_content *c[NL];
  hg_site *s[NL];
  hg_site_langs *langs;
  hg_md_result *md[NL];
  hg_flows *flows[NL];
  hg_seo_lang l[NL];
} multi;

/* en, cs and ar (right to left) from content/<code>/, each with a flow. */
static void multi_load(fixture *f, multi *m) {
  memset(m, 0, sizeof *m);
  hg_diags pre = {0};
  hg_error *err = NULL;
  m->cfg = hg_config_load(f->dir, &pre, &err);
  assert_non_null(m->cfg);
  assert_int_equal(m->cfg->nlanguages, NL);
  const char *reserved[] = {"cs", "ar"};
  for (size_t l = 0; l < NL; l++) {
    const char *code = m->cfg->languages[l].code;
    hg_content_opts co = {.threads = 1, .lang_dir = code};
    m->c[l] = hg_content_load(m->cfg, &co, &pre, &err);
    assert_non_null(m->c[l]);
    hg_site_opts so = {.lang = code, .prefix = l ? code : NULL, .lang_dir = code,
                       .reserved = l ? NULL : reserved, .nreserved = l ? 0 : 2};
    m->s[l] = hg_site_build(m->cfg, m->c[l], &so, &pre);
  }
  m->langs = hg_site_langs_new(m->s, NL, &pre);
  if (hg_diags_count(&pre, HG_ERR)) fail_msg("load errors:\n%s", diags_text(&pre));
  for (size_t l = 0; l < NL; l++) {
    const hg_site *st = m->s[l];
    m->md[l] = hg_xcalloc(st->narts ? st->narts : 1, sizeof **m->md);
    for (size_t i = 0; i < st->narts; i++) {
      const hg_article *a = &m->c[l]->articles[st->arts[i].article];
      hg_md_opts o = {.path = a->path, .line_offset = a->body_line, .title = a->title};
      hg_md_render(a->body, a->body_len, &o, &m->md[l][i], &pre);
    }
    m->flows[l] = hg_flows_load(st, &pre);
    char *flow = hg_strdup_printf("title: Help\nslug: pomoc\nlang: %s\nstart: a\nsteps:\n"
                                  "  a:\n    question: Q?\n    options:\n      - label: Yes\n"
                                  "        contact: true\n", m->cfg->languages[l].code);
    hg_flows_add(m->flows[l], "flows/pomoc.yaml", "pomoc.yaml", flow, strlen(flow), &pre);
    free(flow);
    hg_flows_check(m->flows[l], &pre);
    m->l[l] = (hg_seo_lang){st, m->md[l], m->flows[l], NULL};
  }
  if (hg_diags_count(&pre, HG_ERR)) fail_msg("load errors:\n%s", diags_text(&pre));
  hg_diags_free(&pre);
  hg_seo_settings_read(m->cfg, &f->set, &f->d);
  hg_seo_check(m->l, NL, &f->d);
}

static void multi_write(fixture *f, multi *m) {
  if (hg_diags_count(&f->d, HG_ERR)) fail_msg("errors before writing:\n%s", diags_text(&f->d));
  hg_error *err = NULL;
  hg_output *o = hg_output_begin(f->out, f->dir, &err);
  if (!o) fail_msg("hg_output_begin: %s", err ? err->msg : "?");
  assert_true(hg_seo_write(m->l, NL, &f->set, o, 2, &f->d));
  assert_true(hg_output_commit(o, &err));
}

static void multi_free(multi *m) {
  for (size_t l = 0; l < NL; l++) {
    hg_flows_free(m->flows[l]);
    for (size_t i = 0; m->s[l] && i < m->s[l]->narts; i++) hg_md_result_free(&m->md[l][i]);
    free(m->md[l]);
  }
  hg_site_langs_free(m->langs);
  for (size_t l = 0; l < NL; l++) {
    hg_site_free(m->s[l]);
    hg_content_free(m->c[l]);
  }
  hg_config_free(m->cfg);
}

static void write_multi_site(const char *dir) {
  put_file(dir, "helpgen.yaml",
           "title: T\nbase_url: https://h.example.com/\nllms: true\nlanguages:\n"
           "  - {code: en, name: English}\n  - {code: cs, name: Čeština}\n"
           "  - {code: ar, name: العربية}\n");
  put_file(dir, "content/en/orders/_index.md", "---\ntitle: Orders\n---\n");
  put_file(dir, "content/en/orders/track.md",
           "---\ntitle: Track\nupdated: 2026-03-01\naliases: [/old/track/]\n---\nEn.\n");
  put_file(dir, "content/en/orders/undated.md", "---\ntitle: Undated\n---\nNo date.\n");
  put_file(dir, "content/cs/orders/_index.md", "---\ntitle: Objednávky\nslug: objednávky\n---\n");
  put_file(dir, "content/cs/orders/track.md",
           "---\ntitle: Sledování\nslug: sledování\nupdated: 2026-05-02\n"
           "aliases: [/cs/staré-sledování/]\n---\nČesky.\n");
  put_file(dir, "content/cs/vrácení/_index.md", "---\ntitle: Vrácení\n---\n");
  put_file(dir, "content/cs/vrácení/nedatováno.md", "---\ntitle: Bez data\n---\nx\n");
  put_file(dir, "content/ar/orders/track.md",
           "---\ntitle: تتبع الطلب\nupdated: 2026-02-01\naliases: [/ar/old/]\n---\nعربي.\n");
}

/* Aliases, feeds, llms.txt, the sitemap (with flow pages), robots.txt and
 * _redirects for every language, not only the default one. */
static void test_languages_all_files(void **state) {
  fixture *f = *state;
  write_multi_site(f->dir);
  multi m;
  multi_load(f, &m);
  assert_diag_counts(&f->d, 0, 0);
  char *ff = hg_seo_feed_file(m.s[1], 0);
  assert_string_equal(ff, "cs/feed.xml");
  free(ff);
  multi_write(f, &m);
  /* a Czech alias and an Arabic (rtl) one, each page in its language */
  char *x = out_file(f, "cs/staré-sledování/index.html");
  assert_contains(x, "<html lang=\"cs\">");
  assert_contains(x, "href=\"https://h.example.com/cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/\"");
  assert_contains(x, "url=../objednávky/sledování/index.html\"");
  free(x);
  x = out_file(f, "ar/old/index.html");
  assert_contains(x, "<html lang=\"ar\" dir=\"rtl\">");
  free(x);
  assert_true(path_exists(f->out, "old/track/index.html"));
  /* aliases first, then one 404 rule per other language */
  x = out_file(f, "_redirects");
  assert_contains(x, "/old/track/ /orders/track/ 301\n"
                     "/cs/star%C3%A9-sledov%C3%A1n%C3%AD/ /cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/ 301\n"
                     "/ar/old/ /ar/orders/track/ 301\n");
  assert_true(hg_str_has_suffix(x, "/cs/* /cs/404.html 404\n/ar/* /ar/404.html 404\n"));
  free(x);
  x = out_file(f, "redirects.nginx.conf");
  assert_contains(x, "    \"/cs/staré-sledování/\" \"/cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/\";\n");
  assert_contains(x, "    \"/ar/old\" \"/ar/orders/track/\";\n");
  free(x);
  /* feeds per language and category, in the language; undated articles are
   * left out and an empty feed is dated by the site's newest article */
  assert_xml(f, "cs/feed.xml");
  assert_xml(f, "cs/objednávky/feed.xml");
  assert_xml(f, "ar/feed.xml");
  x = out_file(f, "cs/feed.xml");
  assert_contains(x, "xml:lang=\"cs\"");
  assert_contains(x, "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://h.example.com/cs/feed.xml\"/>");
  assert_contains(x, "<updated>2026-05-02T00:00:00Z</updated>");
  assert_contains(x, "<title>Sledování</title>");
  assert_lacks(x, "Bez data");
  free(x);
  x = out_file(f, "cs/vrácení/feed.xml");
  assert_int_equal(count_of(x, "<entry>"), 0);
  assert_contains(x, "<updated>2026-05-02T00:00:00Z</updated>");
  free(x);
  x = out_file(f, "feed.xml");
  assert_contains(x, "xml:lang=\"en\"");
  assert_lacks(x, "Sledování");
  assert_lacks(x, "Undated");
  free(x);
  /* llms.txt per language, the root one naming the others */
  x = out_file(f, "cs/llms.txt");
  assert_contains(x, "- [Sledování](https://h.example.com/cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/index.md)");
  assert_lacks(x, "Track");
  free(x);
  x = out_file(f, "llms.txt");
  assert_contains(x, "## Other languages\n\n"
                     "- [Čeština](https://h.example.com/cs/llms.txt): the same index in Čeština (cs)\n");
  assert_lacks(x, "Sledování");
  free(x);
  assert_true(path_exists(f->out, "cs/objednávky/sledování/index.md"));
  assert_true(path_exists(f->out, "ar/orders/track/index.md"));
  /* the sitemap has every language and the flow pages */
  assert_xml(f, "sitemap.xml");
  x = out_file(f, "sitemap.xml");
  assert_contains(x, "<url><loc>https://h.example.com/flows/pomoc/</loc></url>");
  assert_contains(x, "<url><loc>https://h.example.com/cs/flows/pomoc/</loc></url>");
  assert_contains(x, "<url><loc>https://h.example.com/ar/flows/pomoc/a-yes/</loc></url>");
  assert_contains(x, "<loc>https://h.example.com/cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/</loc>"
                     "<lastmod>2026-05-02</lastmod><xhtml:link rel=\"alternate\" hreflang=\"en\"");
  free(x);
  x = out_file(f, "robots.txt");
  assert_contains(x, "Disallow: /search/\nDisallow: /cs/search/\nDisallow: /ar/search/\n");
  free(x);
  multi_free(&m);
}

/* Alias errors across languages: another language's page, a language's own
 * files, a flow page, a duplicate, a loop through two languages. */
static void test_languages_alias_errors(void **state) {
  fixture *f = *state;
  write_multi_site(f->dir);
  put_file(f->dir, "content/en/orders/track.md",
           "---\ntitle: Track\naliases:\n  - /cs/objednávky/sledování/\n---\nEn.\n");
  put_file(f->dir, "content/cs/orders/track.md",
           "---\ntitle: Sledování\nslug: sledování\naliases:\n  - /orders/track/\n"
           "  - /cs/404.html\n  - /cs/feed.xml\n  - /cs/flows/pomoc/\n  - /ar/old/\n"
           "  - /cs/search/x/\n---\nČesky.\n");
  multi m;
  multi_load(f, &m);
  assert_diag(&f->d, HG_ERR,
              "/content/en/orders/track.md:4:5: error: redirect loop: alias "
              "'/cs/objednávky/sledování/' is the URL of ");
  assert_diag(&f->d, HG_ERR, "/content/cs/orders/track.md:5:5: error: redirect loop: alias '/orders/track/'");
  assert_diag(&f->d, HG_ERR,
              "/content/cs/orders/track.md:6:5: error: alias '/cs/404.html' would replace "
              "helpgen's own cs/404.html");
  assert_diag(&f->d, HG_ERR, "track.md:7:5: error: alias '/cs/feed.xml' would replace helpgen's own cs/feed.xml");
  assert_diag(&f->d, HG_ERR,
              "track.md:8:5: error: alias '/cs/flows/pomoc/' is the URL of a page of a flow "
              "(cs/flows/pomoc/index.html; remove the alias or give the flow another slug)");
  assert_diag(&f->d, HG_ERR, "/content/ar/orders/track.md:4:11: error: duplicate alias '/ar/old/'");
  assert_diag(&f->d, HG_ERR, "track.md:10:5: error: alias '/cs/search/x/' would replace helpgen's own files");
  assert_diag_counts(&f->d, 7, 0);
  multi_free(&m);
}

/* No article has a date: feeds are empty and dated 1970-01-01. */
static void test_feed_without_any_date(void **state) {
  fixture *f = *state;
  put_file(f->dir, "helpgen.yaml", "title: T\nbase_url: https://h.example.com/\n");
  put_file(f->dir, "content/a.md", "---\ntitle: A\n---\nx\n");
  load(f);
  write_all(f);
  char *x = out_file(f, "feed.xml");
  assert_contains(x, "<updated>1970-01-01T00:00:00Z</updated>");
  assert_int_equal(count_of(x, "<entry>"), 0);
  free(x);
}

int main(void) {
  hg_md_init();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_xml_checker),
      cmocka_unit_test_setup_teardown(test_settings_defaults, setup, teardown),
      cmocka_unit_test_setup_teardown(test_settings_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_settings_bad_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_settings_feedback_not_a_map, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sitemap, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_base_url, setup, teardown),
      cmocka_unit_test_setup_teardown(test_robots_sub_path, setup, teardown),
      cmocka_unit_test_setup_teardown(test_feeds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_feed_entry_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_site_files_win, setup, teardown),
      cmocka_unit_test_setup_teardown(test_llms, setup, teardown),
      cmocka_unit_test_setup_teardown(test_llms_relative_and_off, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_outputs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_pretty_links_without_base_url, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_aliases_no_redirect_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cloudflare_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_is_another_article, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_is_own_url, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_loop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_loop_of_three, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_duplicate, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_collisions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_comma_string_position, setup, teardown),
      cmocka_unit_test_setup_teardown(test_slug_collides_with_own_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_drafts_aliases_ignored, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alias_names_are_not_redirects, setup, teardown),
      cmocka_unit_test_setup_teardown(test_languages_all_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_languages_alias_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_feed_without_any_date, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
