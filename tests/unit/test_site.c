/* test_site.c - unit tests for src/site.c: URLs, order, prev/next, promoted
 * articles, drafts, duplicate and reserved URLs, and link resolution. The
 * sites are real folders loaded through hg_config_load and hg_content_load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hg_site.h"
#include "helpers.h"

typedef struct {
  char *dir;
  hg_config *cfg;
  hg_content *c;
  hg_site *s;
  hg_diags d;    /* from hg_site_build */
  hg_diags res;  /* from hg_site_resolve */
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  *state = f;
  return 0;
}

static void unload(fixture *f) {
  hg_site_free(f->s);
  hg_content_free(f->c);
  hg_config_free(f->cfg);
  hg_diags_free(&f->d);
  hg_diags_free(&f->res);
  f->s = NULL;
  f->c = NULL;
  f->cfg = NULL;
}

static int teardown(void **state) {
  fixture *f = *state;
  unload(f);
  tmp_remove(f->dir);
  free(f);
  return 0;
}

/* Loads config and content (which must be clean) and builds the site. */
static hg_site *build(fixture *f, bool drafts) {
  hg_diags pre = {0};
  hg_error *err = NULL;
  f->cfg = hg_config_load(f->dir, &pre, &err);
  assert_non_null(f->cfg);
  f->c = hg_content_load(f->cfg, NULL, &pre, &err);
  assert_non_null(f->c);
  if (pre.len) {
    char *all = diags_text(&pre);
    fail_msg("unexpected diagnostics while loading:\n%s", all);
  }
  hg_site_opts o = {.drafts = drafts};
  f->s = hg_site_build(f->cfg, f->c, &o, &f->d);
  assert_non_null(f->s);
  return f->s;
}

static void write_site(const char *dir) {
  put_file(dir, "content/_index.md", "---\ntitle: Home\n---\nWelcome\n");
  put_file(dir, "content/top.md", "---\ntitle: Top\nweight: 1\npromoted: true\n---\n");
  put_file(dir, "content/logo.png", "PNG");
  put_file(dir, "content/billing/_index.md", "---\ntitle: Billing\nslug: payments\nweight: 1\n---\n");
  put_file(dir, "content/billing/refunds.md",
           "---\ntitle: Refunds\nweight: 2\npromoted: true\n---\n");
  put_file(dir, "content/billing/pay.md", "---\ntitle: Pay\nweight: 2\n---\n");
  put_file(dir, "content/billing/about.md", "---\ntitle: Zebra\nweight: 1\n---\n");
  put_file(dir, "content/billing/draft.md", "---\ntitle: Draft\ndraft: true\n---\n");
  put_file(dir, "content/billing/diagram.png", "PNG");
  put_file(dir, "content/billing/cards/visa.md",
           "---\ntitle: Visa\nslug: visa-card\nweight: 1\npromoted: true\n---\n");
  put_file(dir, "content/orders/_index.md", "---\ntitle: Orders\n---\n");
  put_file(dir, "content/orders/track.md", "---\ntitle: Track\n---\n");
  put_file(dir, "content/Accounts & Login/login.md", "---\ntitle: Login\n---\n");
}

/* The site->arts index of the article at content path `rel`. */
static long art(const hg_site *s, const char *rel) {
  long i = hg_strmap_get(&s->by_path, rel, -1);
  if (i < 0) fail_msg("'%s' is not published", rel);
  return i;
}

static size_t node(const hg_site *s, const char *rel_dir) {
  long i = hg_strmap_get(&s->by_dir, rel_dir, -1);
  if (i < 0) fail_msg("no folder '%s'", rel_dir);
  return (size_t)i;
}

static const char *art_url(const hg_site *s, const char *rel) {
  return s->arts[art(s, rel)].url_dir;
}

static const char *art_title(const hg_site *s, size_t i) {
  return s->content->articles[s->arts[i].article].title;
}

/* ---- model -------------------------------------------------------------- */
static void test_urls(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  hg_site *s = build(f, false);
  assert_diag_counts(&f->d, 0, 0);
  assert_int_equal(s->nnodes, f->c->nfolders);
  assert_string_equal(s->nodes[0].url_dir, "");
  assert_string_equal(s->nodes[node(s, "billing")].url_dir, "payments");
  assert_string_equal(s->nodes[node(s, "billing/cards")].url_dir, "payments/cards");
  assert_string_equal(s->nodes[node(s, "Accounts & Login")].url_dir, "accounts-login");
  assert_string_equal(s->nodes[node(s, "orders")].url_dir, "orders");
  for (size_t i = 0; i < s->nnodes; i++) assert_int_equal(s->nodes[i].folder, i);

  assert_string_equal(art_url(s, "top.md"), "top");
  assert_string_equal(art_url(s, "billing/pay.md"), "payments/pay");
  assert_string_equal(art_url(s, "billing/cards/visa.md"), "payments/cards/visa-card");
  assert_string_equal(art_url(s, "Accounts & Login/login.md"), "accounts-login/login");
  assert_int_equal(s->narts, 7);
}

static void test_order(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  hg_site *s = build(f, false);
  /* folders: weight, then title (Accounts & Login, Orders: 0; Billing: 1) */
  const hg_site_node *root = &s->nodes[0];
  assert_int_equal(root->nchildren, 3);
  assert_int_equal(root->children[0], node(s, "Accounts & Login"));
  assert_int_equal(root->children[1], node(s, "orders"));
  assert_int_equal(root->children[2], node(s, "billing"));
  /* articles: weight, then title; site order is depth-first in that order */
  static const char *const titles[] = {"Top", "Login", "Track", "Zebra", "Pay", "Refunds", "Visa"};
  for (size_t i = 0; i < 7; i++) assert_string_equal(art_title(s, i), titles[i]);
  const hg_site_node *billing = &s->nodes[node(s, "billing")];
  assert_int_equal(billing->narts, 3);
  assert_string_equal(art_title(s, billing->arts[0]), "Zebra");
  assert_string_equal(art_title(s, billing->arts[2]), "Refunds");
  /* totals count published articles below, drafts left out */
  assert_int_equal(billing->total, 4);
  assert_int_equal(root->total, 7);
  assert_int_equal(s->nodes[node(s, "orders")].total, 1);
}

static void test_order_ties(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/b.md", "---\ntitle: Same\n---\n");
  put_file(f->dir, "content/a.md", "---\ntitle: Same\n---\n");
  put_file(f->dir, "content/c.md", "---\ntitle: Apple\nweight: -1\n---\n");
  hg_site *s = build(f, false);
  assert_string_equal(s->content->articles[s->arts[0].article].rel_path, "c.md");
  assert_string_equal(s->content->articles[s->arts[1].article].rel_path, "a.md");
  assert_string_equal(s->content->articles[s->arts[2].article].rel_path, "b.md");
}

static void test_prev_next(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  hg_site *s = build(f, false);
  long zebra = art(s, "billing/about.md"), pay = art(s, "billing/pay.md"),
       refunds = art(s, "billing/refunds.md");
  assert_int_equal(s->arts[zebra].prev, -1);
  assert_int_equal(s->arts[zebra].next, pay);
  assert_int_equal(s->arts[pay].prev, zebra);
  assert_int_equal(s->arts[pay].next, refunds);
  assert_int_equal(s->arts[refunds].prev, pay);
  assert_int_equal(s->arts[refunds].next, -1); /* not into the cards section */
  /* alone in their folder: no neighbours, even though the site order has them */
  static const char *const alone[] = {"top.md", "orders/track.md", "Accounts & Login/login.md",
                                      "billing/cards/visa.md"};
  for (size_t i = 0; i < 4; i++) {
    long a = art(s, alone[i]);
    assert_int_equal(s->arts[a].prev, -1);
    assert_int_equal(s->arts[a].next, -1);
  }
}

static void test_promoted(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  hg_site *s = build(f, false);
  assert_int_equal(s->npromoted, 3);
  assert_string_equal(art_title(s, s->promoted[0]), "Top");   /* weight 1 */
  assert_string_equal(art_title(s, s->promoted[1]), "Visa");  /* weight 1 */
  assert_string_equal(art_title(s, s->promoted[2]), "Refunds"); /* weight 2 */
}

static void test_drafts(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  hg_site *s = build(f, false);
  assert_int_equal(s->ndrafts, 1);
  assert_int_equal(s->narts, 7);
  assert_int_equal(hg_strmap_get(&s->by_path, "billing/draft.md", -1), -2);
  for (size_t i = 0; i < s->narts; i++) assert_string_not_equal(art_title(s, i), "Draft");
  unload(f);

  s = build(f, true);
  assert_int_equal(s->ndrafts, 0);
  assert_int_equal(s->narts, 8);
  assert_string_equal(art_url(s, "billing/draft.md"), "payments/draft");
  assert_int_equal(s->nodes[node(s, "billing")].narts, 4);
}

static void test_failed_articles_left_out(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/ok.md", "---\ntitle: Ok\n---\n");
  put_file(f->dir, "content/bad.md", "---\ntitle: [\n---\n");
  hg_diags pre = {0};
  hg_error *err = NULL;
  f->cfg = hg_config_load(f->dir, &pre, &err);
  f->c = hg_content_load(f->cfg, NULL, &pre, &err);
  assert_int_equal(hg_diags_count(&pre, HG_ERR), 1);
  hg_diags_free(&pre);
  f->s = hg_site_build(f->cfg, f->c, NULL, &f->d);
  assert_int_equal(f->s->narts, 1);
  assert_string_equal(art_title(f->s, 0), "Ok");
  assert_int_equal(hg_strmap_get(&f->s->by_path, "bad.md", -1), HG_SITE_FAILED);
  /* a link to it is not a second error: the file exists, its own error says what to fix */
  hg_diags res = {0};
  char *u = hg_site_resolve(f->s, 0, "", f->s->arts[0].url_dir, "bad.md", false, "content/ok.md",
                            4, 1, &res);
  assert_null(u);
  assert_int_equal(res.len, 0);
  u = hg_site_resolve(f->s, 0, "", f->s->arts[0].url_dir, "gone.md", false, "content/ok.md", 5,
                      1, &res);
  assert_null(u);
  assert_int_equal(hg_diags_count(&res, HG_ERR), 1);
  hg_diags_free(&res);
}

static void test_duplicate_slugs(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/billing/a.md", "---\ntitle: A\nslug: same\n---\n");
  put_file(f->dir, "content/billing/b.md", "---\ntitle: B\nslug: same\n---\n");
  put_file(f->dir, "content/orders/c.md", "---\ntitle: C\nslug: same\n---\n"); /* fine */
  hg_site *s = build(f, false);
  assert_diag_counts(&f->d, 1, 0);
  char *want = hg_strdup_printf("%s/content/billing/b.md:3:7: error: duplicate slug 'same': "
                                "%s/content/billing/a.md has the same URL 'billing/same/' (set "
                                "a different 'slug:' in one of them)",
                                f->dir, f->dir);
  assert_string_equal(diag_at(&f->d, 0), want);
  free(want);
  assert_string_equal(art_url(s, "orders/c.md"), "orders/same");
}

static void test_article_and_folder_same_url(void **state) {
  fixture *f = *state;
  /* without billing/_index.md, billing.md would be the folder's page (an
   * Obsidian folder note, test_content.c); with it, the two clash */
  put_file(f->dir, "content/billing.md", "---\ntitle: Billing page\n---\n");
  put_file(f->dir, "content/billing/_index.md", "---\ntitle: Billing\n---\n");
  put_file(f->dir, "content/billing/x.md", "---\ntitle: X\n---\n");
  build(f, false);
  assert_diag_counts(&f->d, 1, 0);
  assert_diag(&f->d, HG_ERR, "content/billing.md: error: duplicate slug 'billing': a folder has "
                             "the same URL 'billing/'");
}

static void test_folders_same_url(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/Billing/x.md", "---\ntitle: X\n---\n");
  put_file(f->dir, "content/billing/y.md", "---\ntitle: Y\n---\n");
  build(f, false);
  assert_diag_counts(&f->d, 1, 0);
  assert_diag(&f->d, HG_ERR, "content/billing: error: two folders have the URL 'billing/' "
                             "(rename one)");
}

static void test_reserved_names(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/assets/a.md", "---\ntitle: A\n---\n");
  put_file(f->dir, "content/find/_index.md", "---\nslug: search\n---\n");
  put_file(f->dir, "content/find/b.md", "---\ntitle: B\n---\n");
  put_file(f->dir, "content/nope.md", "---\ntitle: Not found\nslug: \"404\"\n---\n");
  /* deeper down the same names are fine */
  put_file(f->dir, "content/guides/assets/c.md", "---\ntitle: C\n---\n");
  put_file(f->dir, "content/guides/search.md", "---\ntitle: Search tips\n---\n");
  hg_site *s = build(f, false);
  assert_diag_counts(&f->d, 3, 0);
  assert_diag(&f->d, HG_ERR, "content/assets: error: the folder name 'assets' is reserved for "
                             "helpgen's own files");
  assert_diag(&f->d, HG_ERR, "content/find: error: the folder name 'search' is reserved");
  assert_diag(&f->d, HG_ERR, "content/nope.md: error: the slug '404' is reserved for helpgen's "
                             "own files (set another 'slug:')");
  assert_string_equal(art_url(s, "guides/assets/c.md"), "guides/assets/c");
  assert_string_equal(art_url(s, "guides/search.md"), "guides/search");
}

static void test_link_helpers(void **state) {
  fixture *f = *state;
  put_file(f->dir, "content/a.md", "# A\n");
  hg_site *s = build(f, false);
  char *p;
  p = hg_site_page_file("a/b");
  assert_string_equal(p, "a/b/index.html");
  free(p);
  p = hg_site_page_file("");
  assert_string_equal(p, "index.html");
  free(p);
  p = hg_site_root_prefix("");
  assert_string_equal(p, "./");
  free(p);
  p = hg_site_root_prefix("a");
  assert_string_equal(p, "../");
  free(p);
  p = hg_site_root_prefix("a/b/c");
  assert_string_equal(p, "../../../");
  free(p);
  p = hg_site_link(s, "../", "billing");
  assert_string_equal(p, "../billing/index.html");
  free(p);
  p = hg_site_link(s, "../../", "");
  assert_string_equal(p, "../../index.html");
  free(p);
  f->cfg->pretty_links = true;
  p = hg_site_link(s, "../", "billing");
  assert_string_equal(p, "../billing/");
  free(p);
  p = hg_site_link(s, "./", "");
  assert_string_equal(p, "./");
  free(p);
}

/* ---- link resolution ----------------------------------------------------- */
/* Resolves `target` as written in content/billing/pay.md at 7:3. */
static char *from_pay(fixture *f, const char *target, bool image) {
  long a = art(f->s, "billing/pay.md");
  return hg_site_resolve(f->s, a, "billing", f->s->arts[a].url_dir, target, image,
                         "content/billing/pay.md", 7, 3, &f->res);
}

static void expect(char *got, const char *want) {
  if (!want) {
    if (got) fail_msg("expected NULL, got '%s'", got);
    return;
  }
  if (!got) fail_msg("expected '%s', got NULL", want);
  assert_string_equal(got, want);
  free(got);
}

static void test_resolve_articles(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  build(f, false);
  expect(from_pay(f, "refunds.md", false), "../../payments/refunds/index.html");
  expect(from_pay(f, "./refunds.md", false), "../../payments/refunds/index.html");
  expect(from_pay(f, "../top.md", false), "../../top/index.html");
  expect(from_pay(f, "/top.md", false), "../../top/index.html"); /* from content/ */
  expect(from_pay(f, "cards/visa.md", false), "../../payments/cards/visa-card/index.html");
  expect(from_pay(f, "../orders/track.md", false), "../../orders/track/index.html");
  expect(from_pay(f, "../Accounts & Login/login.md", false),
         "../../accounts-login/login/index.html");
  /* _index.md and folders lead to the folder page */
  expect(from_pay(f, "_index.md", false), "../../payments/index.html");
  expect(from_pay(f, "cards/", false), "../../payments/cards/index.html");
  expect(from_pay(f, "../_index.md", false), "../../index.html");
  expect(from_pay(f, "../orders/_index.md", false), "../../orders/index.html");
  assert_int_equal(f->res.len, 0);

  /* from a page nested one level deeper */
  long v = art(f->s, "billing/cards/visa.md");
  char *u = hg_site_resolve(f->s, v, "billing/cards", f->s->arts[v].url_dir, "../pay.md", false,
                            "content/billing/cards/visa.md", 4, 1, &f->res);
  expect(u, "../../../payments/pay/index.html");
  /* from a folder's _index.md body (art -1): the page is the folder page */
  u = hg_site_resolve(f->s, -1, "billing", "payments", "pay.md", false,
                      "content/billing/_index.md", 5, 1, &f->res);
  expect(u, "../payments/pay/index.html");
  u = hg_site_resolve(f->s, -1, "", "", "billing/refunds.md", false, "content/_index.md", 5, 1,
                      &f->res);
  expect(u, "./payments/refunds/index.html");
  assert_int_equal(f->res.len, 0);
}

static void test_resolve_missing_and_drafts(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  build(f, false);
  expect(from_pay(f, "nope.md", false), NULL);
  assert_diag_counts(&f->res, 1, 0);
  assert_string_equal(diag_at(&f->res, 0),
                      "content/billing/pay.md:7:3: error: link to missing article 'nope.md' (no "
                      "file content/billing/nope.md; fix the path or remove the link)");
  hg_diags_free(&f->res);

  expect(from_pay(f, "../cards/visa.md", false), NULL); /* wrong folder */
  assert_diag(&f->res, HG_ERR, "link to missing article '../cards/visa.md' (no file "
                               "content/cards/visa.md;");
  hg_diags_free(&f->res);

  expect(from_pay(f, "nowhere/_index.md", false), NULL);
  assert_diag(&f->res, HG_ERR, "link to missing article 'nowhere/_index.md'");
  hg_diags_free(&f->res);

  expect(from_pay(f, "../../secret.md", false), NULL);
  assert_diag_counts(&f->res, 1, 0);
  assert_string_equal(diag_at(&f->res, 0), "content/billing/pay.md:7:3: error: link to "
                                           "'../../secret.md' leads outside content/");
  hg_diags_free(&f->res);

  expect(from_pay(f, "draft.md", false), NULL);
  assert_diag_counts(&f->res, 0, 1);
  assert_string_equal(diag_at(&f->res, 0), "content/billing/pay.md:7:3: warning: link to "
                                           "'draft.md', a draft that is not published");
  hg_diags_free(&f->res);
  unload(f);

  /* with --drafts the draft is a page like any other */
  build(f, true);
  expect(from_pay(f, "draft.md", false), "../../payments/draft/index.html");
  assert_int_equal(f->res.len, 0);
}

static void test_resolve_files_and_images(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  build(f, false);
  expect(from_pay(f, "diagram.png", true), "../../payments/diagram.png");
  expect(from_pay(f, "diagram.png", false), "../../payments/diagram.png");
  expect(from_pay(f, "../logo.png", true), "../../logo.png");
  expect(from_pay(f, "/logo.png", true), "../../logo.png");
  assert_int_equal(f->res.len, 0);

  expect(from_pay(f, "missing.png", true), NULL);
  assert_diag_counts(&f->res, 0, 1);
  assert_string_equal(diag_at(&f->res, 0), "content/billing/pay.md:7:3: warning: image "
                                           "'missing.png' not found (expected at "
                                           "content/billing/missing.png)");
  hg_diags_free(&f->res);
  /* a link (not an image) to some other file is left as written, quietly */
  expect(from_pay(f, "report.pdf", false), NULL);
  assert_int_equal(f->res.len, 0);
}

static void test_resolve_pretty_links(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  put_file(f->dir, "helpgen.yaml", "links: pretty\n");
  build(f, false);
  assert_true(f->cfg->pretty_links);
  expect(from_pay(f, "refunds.md", false), "../../payments/refunds/");
  expect(from_pay(f, "../_index.md", false), "../../");
  expect(from_pay(f, "cards/_index.md", false), "../../payments/cards/");
  expect(from_pay(f, "diagram.png", true), "../../payments/diagram.png");
  assert_int_equal(f->res.len, 0);
}

/* Links written for the published site ("/payments/refunds/") resolve to
 * the page with that URL, with or without base_url's path, "index.html"
 * or a trailing slash; an unknown URL is left as written, without a
 * finding (it may be a page of another tool on the same host). */
static void test_resolve_root_absolute_urls(void **state) {
  fixture *f = *state;
  write_site(f->dir);
  build(f, false);
  expect(from_pay(f, "/payments/refunds/", false), "../../payments/refunds/index.html");
  expect(from_pay(f, "/payments/refunds", false), "../../payments/refunds/index.html");
  expect(from_pay(f, "/payments/refunds/index.html", false), "../../payments/refunds/index.html");
  expect(from_pay(f, "/payments/refunds/?utm=x", false), "../../payments/refunds/index.html");
  expect(from_pay(f, "/payments/cards/visa-card/", false),
         "../../payments/cards/visa-card/index.html");
  expect(from_pay(f, "/payments/", false), "../../payments/index.html"); /* a folder page */
  expect(from_pay(f, "/", false), "../../index.html");
  expect(from_pay(f, "/billing/refunds/", false), NULL); /* a file path, not a URL */
  expect(from_pay(f, "/elsewhere/page/", false), NULL);
  assert_int_equal(f->res.len, 0);
  /* images are files, never pages */
  expect(from_pay(f, "/payments/refunds/", true), NULL);
  hg_diags_free(&f->res);
  /* with base_url https://example.com/help/ */
  free(f->cfg->base_path);
  f->cfg->base_path = hg_xstrdup("/help/");
  expect(from_pay(f, "/help/payments/refunds/", false), "../../payments/refunds/index.html");
  expect(from_pay(f, "/payments/refunds/", false), "../../payments/refunds/index.html");
  expect(from_pay(f, "/help/", false), "../../index.html");
  assert_int_equal(f->res.len, 0);
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_urls),
      T(test_order),
      T(test_order_ties),
      T(test_prev_next),
      T(test_promoted),
      T(test_drafts),
      T(test_failed_articles_left_out),
      T(test_duplicate_slugs),
      T(test_article_and_folder_same_url),
      T(test_folders_same_url),
      T(test_reserved_names),
      T(test_link_helpers),
      T(test_resolve_articles),
      T(test_resolve_missing_and_drafts),
      T(test_resolve_files_and_images),
      T(test_resolve_pretty_links),
      T(test_resolve_root_absolute_urls),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
