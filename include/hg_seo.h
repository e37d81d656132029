/* hg_seo.h - the files a site gives search engines, feed readers, hosts and
 * language models, written after the pages, for every language of the site
 * (PREFIX below is "" for the default language and "cs/" for the others):
 *   sitemap.xml          every page of every language (folders, articles,
 *                        flow pages) with its lastmod and hreflang
 *                        alternates (needs base_url)
 *   robots.txt           allows everything but the search pages, names the
 *                        sitemap
 *   PREFIX feed.xml, PREFIX CAT/feed.xml
 *                        Atom feeds of recently updated articles, for each
 *                        language and each of its categories (need base_url).
 *                        Articles without a date are left out (a feed entry
 *                        needs a true date); a feed without entries takes
 *                        the newest date of the whole site as its <updated>
 *                        (1970-01-01 only when no article has a date)
 *   PREFIX llms.txt, …/index.md
 *                        an index for language models and a Markdown copy
 *                        of every article beside its page (`llms: true`);
 *                        the root llms.txt also lists the other languages'
 *   aliases              for every `aliases:` entry of an article of any
 *                        language: a meta-refresh page with a canonical link
 *                        at the old URL, plus `_redirects` (Netlify /
 *                        Cloudflare Pages) and `redirects.nginx.conf` (an
 *                        nginx map); with several languages `_redirects` ends
 *                        with a rule sending every missing page under cs/ to cs/404.html (status
 *                        404) for each other language
 * It also reads the helpgen.yaml settings the theme needs for these
 * features (`llms`, `feedback`).
 *
 * An alias is a path relative to the site root (the path of base_url), as in
 * Hugo, in every language: `/hc/old-page/` is served at BASE_PATH/hc/old-page/
 * (a Czech article's old URL under cs/ is written `/cs/old-page/`). A full URL
 * that starts with base_url is accepted too.
 *
 * Ownership: everything passed in is borrowed; hg_seo_settings points into
 * cfg->root. */
#ifndef HG_SEO_H
#define HG_SEO_H

#include "hg_markdown.h"
#include "hg_output.h"
#include "hg_site.h"

struct hg_flows;

#define HG_SEO_FEED_ENTRIES 20     /* entries per Atom feed */
#define HG_SEO_CLOUDFLARE_MAX 2000 /* static rules Cloudflare Pages accepts */
#define HG_SEO_SITEMAP_MAX 50000   /* URLs per sitemap file (the protocol's limit) */

typedef struct {
  bool llms;                     /* llms: true -> llms.txt and index.md copies */
  const char *feedback_endpoint; /* feedback.endpoint: an http(s) URL, or NULL */
  const char *feedback_mailto;   /* feedback.mailto: an address (no "mailto:"), or NULL */
} hg_seo_settings;

/* Reads `llms` (default false) and `feedback: {endpoint, mailto}` (off when
 * absent) from cfg->root. Values that cannot be used are warnings with
 * helpgen.yaml:LINE:COL and are left off. */
void hg_seo_settings_read(const hg_config *cfg, hg_seo_settings *out, hg_diags *diags);

/* One language of the site. langs[0] is the default language; with
 * `languages:` the sites are the ones of site->langs, in that order. */
typedef struct {
  const hg_site *site;
  const hg_md_result *md;       /* parallel to site->arts (its html goes into
                                   the feeds); may be NULL */
  const struct hg_flows *flows; /* the language's flows (their pages go into
                                   the sitemap, aliases may not take their
                                   URLs); may be NULL */
  const bool *copies;           /* parallel to site->arts: write only these
                                   articles' Markdown copies (llms), the
                                   others are as the last build left them;
                                   NULL: all. Set (an incremental build,
                                   which changed article bodies only), only
                                   feeds and those copies are written: the
                                   sitemap, robots.txt, llms.txt, alias pages
                                   and _redirects are made of the site model
                                   and front matter, which did not change */
} hg_seo_lang;

/* Checks every published article's aliases, in every language, before
 * anything is written: an alias that is not a path on this site, that is
 * the URL of a page (another article in any language, a folder, a flow
 * page, the article itself), one of helpgen's own files (a language's
 * 404.html, feed.xml, llms.txt, search/...) or a copied file, a duplicate
 * alias, and redirect loops (article A's alias is B's URL while B's alias is
 * A's URL, or longer chains, across languages too) are errors at the
 * alias's path:line:col. A top-level page whose URL is a generated file's
 * name (`slug: _redirects`, cs/feed.xml) is an error too. Returns false if
 * it added an error. */
bool hg_seo_check(const hg_seo_lang *langs, size_t n, hg_diags *diags);

/* Writes every file listed at the top through hg_output_write. Aliases that
 * hg_seo_check rejected are skipped. A file of the same name that the site
 * itself provides (content/robots.txt, content/CAT/feed.xml...) wins over
 * the generated one (a warning, except for robots.txt). More redirect rules
 * than Cloudflare Pages accepts is a warning. Returns false if it added an
 * error (a file could not be written). */
bool hg_seo_write(const hg_seo_lang *langs, size_t n, const hg_seo_settings *set,
                  hg_output *out, int threads, hg_diags *diags);

/* The Atom feed of folder `node` (0: the language's home, or a category)
 * relative to the site root ("feed.xml", "orders/feed.xml", "cs/feed.xml",
 * "cs/objednávky/feed.xml"), or NULL when there is none
 * (no base_url, or `node` is a section). Caller frees. */
char *hg_seo_feed_file(const hg_site *site, size_t node);

#endif
