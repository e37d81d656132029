/* hg_site.h - stage 3: the site model. Gives every folder and published
 * article its URL, orders them (weight, then title), finds promoted
 * articles, previous/next inside a folder, and checks that URLs are unique.
 *
 * Ownership: the site borrows cfg and content (they must outlive it);
 * hg_site_free frees only what the site allocated. */
#ifndef HG_SITE_H
#define HG_SITE_H

#include "hg_config.h"
#include "hg_content.h"

typedef struct {
  size_t article;   /* index into content->articles */
  char *url_dir;    /* "orders/tracking/track-your-order" */
  long prev, next;  /* indices into site->arts inside the same folder, or -1 */
} hg_site_article;

typedef struct {
  size_t folder;      /* == index of this node (nodes parallel folders) */
  char *url_dir;      /* "" for the root, "orders", "orders/tracking" */
  size_t *children;   /* node indices, ordered */
  size_t nchildren;
  size_t *arts;       /* site->arts indices of articles directly here, ordered */
  size_t narts;
  size_t total;       /* published articles here and below */
} hg_site_node;

typedef struct {
  const hg_config *cfg;
  const hg_content *content;
  hg_site_node *nodes;   /* parallel to content->folders */
  size_t nnodes;
  hg_site_article *arts; /* published articles, in site order (depth-first) */
  size_t narts;
  size_t *promoted;      /* site->arts indices */
  size_t npromoted;
  size_t ndrafts;        /* drafts left out */
  hg_strmap by_path;     /* content-relative path -> arts index (-2: draft) */
  hg_strmap by_dir;      /* content-relative folder -> node index */
} hg_site;

typedef struct {
  bool drafts; /* publish drafts too */
} hg_site_opts;

/* Builds the model. Duplicate URLs and reserved names are errors in diags. */
hg_site *hg_site_build(const hg_config *cfg, const hg_content *content,
                       const hg_site_opts *opts, hg_diags *diags);
void hg_site_free(hg_site *s);

/* "orders/tracking/track-your-order" -> page file "…/index.html". */
char *hg_site_page_file(const char *url_dir);

/* The relative prefix from a page in url_dir to the site root: "./" for the
 * root, "../../" for "a/b". Caller frees. */
char *hg_site_root_prefix(const char *url_dir);
/* The link to the page at `url_dir` from a page whose root prefix is
 * `root`: root + "a/b/index.html" (or root + "a/b/" with pretty links). */
char *hg_site_link(const hg_site *s, const char *root, const char *url_dir);

/* Resolves a local link or image target found in article `art` (an index
 * into s->arts, or -1 with `from_dir` a content folder for _index.md
 * bodies) to a URL relative to that page, per hg_md_resolve_fn: links to
 * .md files become their page URLs (a missing one is an error in diags),
 * files beside articles become their copied output paths, a missing image
 * is a warning. Returns NULL to keep the target as written. */
char *hg_site_resolve(const hg_site *s, long art, const char *from_dir,
                      const char *page_dir, const char *target, bool image,
                      const char *path, int line, int col, hg_diags *diags);

#endif
