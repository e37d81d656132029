/* hg_hooks.h - Lua 5.4 hooks: the .lua files in a site's hooks/ folder customise every
 * stage of the build (on_config, on_article, shortcodes, on_html, on_page,
 * on_build_end) through a sandboxed `helpgen` module.
 *
 * Design: the same files are loaded into one independent Lua state per
 * worker thread (state 0 at load time, the others the first time their
 * worker calls a hook), so hooks run in parallel without locks. A call never
 * depends on which state runs it as long as hooks keep no state between
 * calls; `pairs` iterates in sorted key order and math.random is re-seeded
 * from the article's path before each call, so output is byte-identical for
 * any thread count. Every call runs under lua_pcall with a traceback, an
 * instruction budget (lua_sethook) and a memory cap (the state's allocator);
 * errors become diagnostics "hooks/x.lua:12: message (while processing
 * content/a/b.md)" of severity error (exit code 1).
 *
 * Ownership: hg_hooks_load returns hooks freed with hg_hooks_free. Every
 * pointer passed in is borrowed for the duration of the call, except the
 * site given to hg_hooks_set_site, which must outlive the hooks' use.
 * Thread-safety: calls that take a `worker` may run on several threads at
 * once with different workers (0 <= worker < nstates); the others run on
 * one thread while no worker call is running.
 * Every function accepts h == NULL (no hooks) and then does nothing. */
#ifndef HG_HOOKS_H
#define HG_HOOKS_H

#include "hg_config.h"
#include "hg_content.h"
#include "hg_markdown.h"
#include "hg_output.h"
#include "hg_site.h"
#include "hg_template.h"

typedef struct hg_hooks hg_hooks;

/* Limits when helpgen.yaml sets none (hooks.limits.instructions per call,
 * hooks.limits.memory_mb per Lua state). */
#define HG_HOOKS_DEFAULT_INSTRUCTIONS 100000000LL
#define HG_HOOKS_DEFAULT_MEMORY_MB 64

/* Loads the .lua files in SITE/hooks/ in name order, or the files listed under
 * `hooks:` (a list, or `hooks: {files: [...]}`) in helpgen.yaml, with
 * `hooks.limits` and `hooks.allow_unsafe`. Returns NULL without an error
 * when the site has no hooks. Lua errors while loading (syntax, runtime)
 * go to diags as errors and give NULL; a listed file that is missing or a
 * path outside hooks/ gives NULL with err (code 2). Wrong types in the
 * settings are warnings with helpgen.yaml:LINE. `nstates` is the number of
 * workers that will call hooks (>= 1). */
hg_hooks *hg_hooks_load(const hg_config *cfg, int nstates, hg_diags *diags,
                        hg_error **err);
void hg_hooks_free(hg_hooks *h);

/* on_config(config): the hook may change title, description, base_url,
 * language, logo, theme, footer, links, contact.*, markdown.unsafe, nav and
 * params; they are copied back into cfg (cfg->root follows). Afterwards
 * every state sees the final settings as `helpgen.config`. Returns false
 * if an error went to diags. */
bool hg_hooks_on_config(hg_hooks *h, hg_config *cfg, hg_diags *diags);

/* on_article(article) for one article (skipped when a->failed). A changed
 * article.meta / article.markdown is copied back into a->meta / a->body and
 * the typed fields re-derived with hg_article_apply_meta. */
typedef enum { HG_HOOK_KEEP = 0, HG_HOOK_DROP = 1, HG_HOOK_ERROR = 2 } hg_hook_result;
hg_hook_result hg_hooks_on_article(hg_hooks *h, int worker, hg_article *a,
                                   const hg_content *c, hg_diags *diags);
/* true when some hook file defines on_article (so the caller can skip the
 * pass). */
bool hg_hooks_has_on_article(const hg_hooks *h);
/* Do the hooks run outside the sandbox (hooks.allow_unsafe)? They may then
 * read the clock or files anywhere, so a build cannot be skipped. */
bool hg_hooks_unsafe(const hg_hooks *h);

/* The site model for url_for, shortcodes, on_html, on_page and
 * on_build_end; call once after hg_site_build. */
void hg_hooks_set_site(hg_hooks *h, const hg_site *s);

/* A document whose Markdown is being rendered: an article (art = index into
 * site->arts) or a folder intro (art = -1, node = folder index). */
typedef struct {
  long art;
  long node;
} hg_hooks_doc;

/* HTML that shortcodes returned with helpgen.html(): inserted after the
 * Markdown is rendered, in place of placeholder words (so the raw-HTML
 * filter, which only guards what authors type, does not apply to it). */
typedef struct hg_hooks_html hg_hooks_html;

/* Expands {{< name k="v" >}} and {{< name >}}inner{{< /name >}} outside
 * code by calling shortcodes.name(args, inner, article). Returns a new
 * Markdown text (caller frees; length in *out_len), or NULL when md holds
 * no shortcode (use md as it is). *html receives the pending HTML insertions
 * (or NULL) for hg_hooks_html_apply. Unknown shortcodes and Lua errors go
 * to diags with path:line. */
char *hg_hooks_shortcodes(hg_hooks *h, int worker, const hg_hooks_doc *doc,
                          const char *md, size_t len, size_t *out_len,
                          hg_hooks_html **html, hg_diags *diags);
/* Puts the HTML in place of its placeholders in r (html, plain text, table
 * of contents, FAQ items) and frees `html`. Accepts NULL. */
void hg_hooks_html_apply(hg_hooks_html *html, hg_md_result *r);

/* on_html(article, html) for an article: the returned string (if any)
 * replaces r->html. Returns false if an error went to diags. */
bool hg_hooks_on_html(hg_hooks *h, int worker, const hg_hooks_doc *doc,
                      hg_md_result *r, hg_diags *diags);

/* One page about to be expanded. */
typedef struct {
  const char *kind;       /* home, category, section, article, faq, search, 404 */
  const char *title;
  const char *url_dir;    /* "" for home and 404, "search", "orders/tracking"... */
  long art;               /* site->arts index for article and FAQ pages, else -1 */
  long node;              /* folder index for category and section pages, else -1 */
  const hg_md_result *md; /* the article's rendered body, or NULL */
} hg_hooks_page;

/* on_page(page): every key of the table it returns becomes a template value
 * HOOK_<KEY> (upper-cased, other characters '_') that every template and
 * partial sees, plus a section of the same name shown when the value is not
 * false/empty; a list of tables becomes a repeated section HOOK_<KEY> with
 * the tables' fields as <FIELD> values. Returns false if an error went to
 * diags. */
bool hg_hooks_on_page(hg_hooks *h, int worker, const hg_hooks_page *page, hg_dict *d,
                      hg_diags *diags);

/* on_build_end(site) with a read-only summary of the site (articles with
 * titles, URLs, categories, tags); helpgen.write(relpath, content) writes
 * extra files through hg_output_write. `md` is parallel to site->arts. */
bool hg_hooks_on_build_end(hg_hooks *h, const hg_md_result *md, hg_output *out,
                           hg_diags *diags);

#endif
