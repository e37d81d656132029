/* hg_seo.h - the files a site gives search engines, feed readers, hosts and
 * language models, written after the pages:
 *   sitemap.xml          every page with its lastmod (needs base_url)
 *   robots.txt           allows everything but search/, names the sitemap
 *   feed.xml, CAT/feed.xml  Atom feeds of recently updated articles, for the
 *                        site and each category (need base_url)
 *   llms.txt, …/index.md an index for language models and a Markdown copy
 *                        of every article beside its page (`llms: true`)
 *   aliases              for every `aliases:` entry of an article: a
 *                        meta-refresh page with a canonical link at the old
 *                        URL, plus `_redirects` (Netlify / Cloudflare Pages)
 *                        and `redirects.nginx.conf` (an nginx map)
 * It also reads the helpgen.yaml settings the theme needs for these
 * features (`llms`, `feedback`).
 *
 * An alias is a path relative to the site root (the path of base_url), as in
 * Hugo: `/hc/old-page/` is served at BASE_PATH/hc/old-page/. A full URL that
 * starts with base_url is accepted too.
 *
 * Ownership: everything passed in is borrowed; hg_seo_settings points into
 * cfg->root. */
#ifndef HG_SEO_H
#define HG_SEO_H

#include "hg_markdown.h"
#include "hg_output.h"
#include "hg_site.h"

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

/* Checks every published article's aliases before anything is written: an
 * alias that is not a path on this site, that is the URL of a page (another
 * article, a folder, the article itself), one of helpgen's own files or a
 * copied file, a duplicate alias, and redirect loops (article A's alias is
 * B's URL while B's alias is A's URL, or longer chains) are errors at the
 * alias's path:line:col. A top-level page whose URL is a generated file's
 * name (`slug: _redirects`) is an error too. Returns false if it added an
 * error. */
bool hg_seo_check(const hg_site *site, hg_diags *diags);

/* Writes every file listed at the top through hg_output_write. `md` is
 * parallel to site->arts (its html goes into the feeds). Aliases that
 * hg_seo_check rejected are skipped. A file of the same name that the site
 * itself provides (content/robots.txt, content/CAT/feed.xml...) wins over
 * the generated one (a warning, except for robots.txt). More redirect rules
 * than Cloudflare Pages accepts is a warning. Returns false if it added an
 * error (a file could not be written). */
bool hg_seo_write(const hg_site *site, const hg_md_result *md, const hg_seo_settings *set,
                  hg_output *out, int threads, hg_diags *diags);

/* The Atom feed of folder `node` (0: the site, or a category) relative to
 * the site root ("feed.xml", "orders/feed.xml"), or NULL when there is none
 * (no base_url, or `node` is a section). Caller frees. */
char *hg_seo_feed_file(const hg_site *site, size_t node);

#endif
