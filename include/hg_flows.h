/* hg_flows.h - self-service flows: SITE/flows/NAME.yaml, each a small decision
 * tree (title, slug, start, steps with a question and options), checked
 * against the site model and rendered as static pages with the theme's
 * flow.tpl: flows/SLUG/index.html for the start step and
 * flows/SLUG/NAME/index.html for every other step and every outcome (an
 * option's answer, article or contact block). Each page also carries the
 * whole flow as JSON for the step-by-step widget (assets/flows.js).
 *
 * File format (the one `helpgen new flow` writes):
 *   title: Track my order          required
 *   slug: track-order              default: the file name without .yaml
 *   description: ...               optional (home page listing, meta)
 *   weight: 10                     optional: order on the home page (lower
 *                                  first; then by file name)
 *   lang: cs                       optional: the flow belongs to that
 *                                  language's tree (default: the default
 *                                  language)
 *   start: where                   required: the first step
 *   steps:
 *     where:                       step names are URL segments
 *       question: Where is it?
 *       options:
 *         - label: Not shipped yet
 *           next: STEP             or exactly one of:
 *           answer: |              Markdown; links are relative to
 *                                  content/ like article:, and NAME.yaml
 *                                  names another flow
 *           article: PATH.md       relative to content/ (content/<lang>/)
 *           contact: true          the "Still need help?" block
 *
 * Errors (content errors, exit code 1) read
 *   flows/NAME.yaml:LINE:COL: error: ...
 * for a bad option, a `next:` to an unknown step, a missing article, a
 * cycle (a step that can lead back to itself), a missing or unknown
 * `start`, a duplicate slug; an unreachable step is a warning.
 *
 * Articles link to a flow with a relative link to its file:
 *   [Track my order](../../flows/track-order.yaml)
 * (hg_flows_resolve turns it into the flow's URL).
 *
 * Ownership: hg_flows_load returns a set freed with hg_flows_free; it
 * borrows the site (which must outlive it). */
#ifndef HG_FLOWS_H
#define HG_FLOWS_H

#include "hg_i18n.h"
#include "hg_site.h"
#include "hg_template.h"

typedef enum { HG_FLOW_NEXT, HG_FLOW_ANSWER, HG_FLOW_ARTICLE, HG_FLOW_CONTACT } hg_flow_kind;

typedef struct {
  char *label;
  hg_flow_kind kind;
  char *target;     /* NEXT: step name; ANSWER: Markdown; ARTICLE: path */
  long step;        /* NEXT: index into flow->steps */
  long art;         /* ARTICLE: site->arts index */
  char *name;       /* outcome page name (not NEXT): "where-not-shipped-yet" */
  int line, col;    /* the option */
  int tline, tcol;  /* its next/answer/article/contact value */
  int md_offset;    /* ANSWER: lines before the Markdown's first line */
} hg_flow_option;

typedef struct {
  char *name;
  char *question;
  hg_flow_option *options;
  size_t noptions;
  int line, col;
  bool reachable;
  long parent;      /* the step before this one on a shortest way from the
                       start, -1 for the start and unreachable steps */
  long parent_opt;  /* the option of `parent` that leads here */
} hg_flow_step;

typedef struct {
  char *path;        /* "flows/track-order.yaml" as shown in messages */
  char *file;        /* "track-order.yaml" relative to flows/ */
  char *title, *slug, *description;
  long long weight;
  char *url_dir;     /* "flows/track-order" ("cs/flows/..." in a language tree) */
  char *start_name;
  size_t start;      /* index into steps (after hg_flows_check) */
  int line_start, col_start; /* the start: value (1:1 when missing) */
  int line_slug, col_slug;   /* the slug: value (1:1 from the file name) */
  bool broken;       /* had an error: left out of the build */
  hg_flow_step *steps;
  size_t nsteps;
} hg_flow;

typedef struct hg_flows {
  const hg_site *site;
  hg_flow *flows;    /* by weight, then file name */
  size_t n;
  hg_strmap skipped; /* files left out: 1 broken, 2 another language */
} hg_flows;

/* Reads every .yaml and .yml file under flows/ of the site's folder whose `lang`
 * is the site's language (no `lang`: the default language), checks them
 * and renders their answers once to report Markdown problems. Errors and
 * warnings go to diags; returns the flows without the broken ones (never
 * NULL). Call after hg_site_build and hg_md_init. */
hg_flows *hg_flows_load(const hg_site *site, hg_diags *diags);
/* Same for a flow file's text, for tests: `path` as shown in messages,
 * `file` relative to flows/. Adds the flow to f (if it is usable). */
void hg_flows_add(hg_flows *f, const char *path, const char *file, const char *text,
                  size_t len, hg_diags *diags);
/* The checks across flows and steps (targets, cycles, reachability, slugs);
 * hg_flows_load runs it. Removes flows with errors. */
void hg_flows_check(hg_flows *f, hg_diags *diags);
void hg_flows_free(hg_flows *f);

/* Pages of all flows (what hg_flow_pages_new lists). */
size_t hg_flows_page_count(const hg_flows *f);
/* The url_dir of every flow page ("flows/track-order",
 * "flows/track-order/shipped"...), in the order hg_flow_pages_new lists
 * them: each flow's steps, each followed by its outcome pages. *n gets the
 * count (hg_flows_page_count). f may be NULL. Caller frees every string and
 * the array. */
char **hg_flows_page_dirs(const hg_flows *f, size_t *n);

/* The flow pages as data for the render stage, which expands flow.tpl for
 * each (flows compute, render renders: this module never calls the
 * renderer). hg_flow_pages_new takes the theme strings of the site's
 * language (t may be NULL: English) and computes each flow's widget JSON
 * once. Ownership: freed with hg_flow_pages_free; borrows f and t, which
 * must outlive it. */
typedef struct hg_flow_pages hg_flow_pages;
typedef struct {
  char *url_dir;           /* "flows/track-order/shipped" */
  char *title;             /* the page's <title> */
  const char *description; /* its meta description */
} hg_flow_page;
hg_flow_pages *hg_flow_pages_new(const hg_flows *f, const hg_i18n *t);
size_t hg_flow_pages_len(const hg_flow_pages *p);
const hg_flow_page *hg_flow_pages_get(const hg_flow_pages *p, size_t i);
/* Fills page i's own values (question, options, trail, answer, breadcrumbs,
 * FLOW_JSON) into d; links relative to `root`, the page's prefix to the
 * site root. Thread-safe for distinct d. */
void hg_flow_pages_fill(const hg_flow_pages *p, size_t i, hg_dict *d, const char *root);
void hg_flow_pages_free(hg_flow_pages *p);

/* For links in articles: `target` as written in the article (relative to
 * from_dir, a folder under content/ of the site's tree). If it names a file
 * under flows/ (".yaml"/".yml"), returns the flow's URL relative to the page
 * in page_dir, or NULL with an error in diags when there is no such flow;
 * *handled says whether the target was a flow link at all. */
char *hg_flows_resolve(const hg_flows *f, const char *from_dir, const char *page_dir,
                       const char *target, const char *path, int line, int col,
                       hg_diags *diags, bool *handled);

/* The home page listing: HAS_FLOWS { FLOWS { FLOW_TITLE, FLOW_URL,
 * FLOW_DESCRIPTION } } in d, links relative to `root` (the page's prefix to
 * the site root). Nothing when there are no flows. */
void hg_flows_fill_list(const hg_flows *f, hg_dict *d, const char *root);

#endif
