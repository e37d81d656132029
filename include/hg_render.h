/* hg_render.h - stage 6: expands the theme's templates for every page
 * (home, categories, sections, articles, FAQ pages, search, 404) and
 * writes them, the theme's assets, the logo and the files beside articles
 * into the output folder.
 *
 * Ownership: everything in hg_render_input is borrowed. */
#ifndef HG_RENDER_H
#define HG_RENDER_H

#include <signal.h>

#include "hg_hooks.h"
#include "hg_markdown.h"
#include "hg_output.h"
#include "hg_seo.h"
#include "hg_site.h"
#include "hg_theme.h"

typedef struct {
  const hg_config *cfg;
  const hg_site *site;
  const hg_theme *theme;
  const hg_md_result *arts;   /* parallel to site->arts */
  const hg_md_result *intros; /* parallel to site->nodes; html NULL if none */
  const char *search_index;   /* manifest path relative to the site root, or NULL */
  hg_output *out;
  int threads;
  const size_t *related;      /* hg_related_compute: nrelated per article, or NULL */
  size_t nrelated;
  const size_t *popular;      /* hg_related_popular: site->arts indices */
  size_t npopular;
  const hg_seo_settings *seo; /* feedback and llms settings; may be NULL */
  hg_hooks *hooks;            /* on_page runs before each page; may be NULL */
  const struct hg_i18n *i18n; /* theme strings and dates of site->lang; NULL:
                                 loaded from the theme for site->lang */
  const struct hg_flows *flows; /* listed on the home page; may be NULL */
  volatile sig_atomic_t *interrupted; /* set by SIGINT/SIGTERM: the pages
                              not begun yet are skipped (the build then
                              stops); may be NULL */
  const bool *only;           /* parallel to site->arts: render only these
                                 article pages (no other page, no assets:
                                 an incremental build); NULL: everything */
} hg_render_input;

/* Renders and writes every page of one language tree (site->prefix: its
 * URL folder, where its own 404.html goes too). With site->langs every page
 * gets a language switcher and hreflang alternates. Returns false if an
 * error went to diags. */
bool hg_render_site(const hg_render_input *in, hg_diags *diags);
/* Renders and writes every page of in->flows (the flows stage's pages)
 * with the theme's flow.tpl. Call after hg_render_site. Returns false if an
 * error went to diags. */
bool hg_render_flows(const hg_render_input *in, hg_diags *diags);

/* Number of pages hg_render_site writes. */
size_t hg_render_page_count(const hg_site *site);
/* "2026-03-01" -> "March 1, 2026" (English; pages use hg_i18n_date in
 * their language). Caller frees. */
char *hg_render_date(const char *iso, const char *lang);

#endif
