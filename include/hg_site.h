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

struct hg_site_langs;

typedef struct {
  const hg_config *cfg;
  const hg_content *content;
  const char *lang;      /* the language code of this tree ("en") */
  char *prefix;          /* URL folder of the language: "" for the default
                            language, "cs" for the others */
  char *content_sub;     /* "" or "cs/": the tree's folder under content/ */
  const struct hg_site_langs *langs; /* all languages, or NULL (one) */
  size_t lang_index;     /* this site's index in langs (0: the default) */
  hg_site_node *nodes;   /* parallel to content->folders */
  size_t nnodes;
  hg_site_article *arts; /* published articles, in site order (depth-first) */
  size_t narts;
  size_t *promoted;      /* site->arts indices */
  size_t npromoted;
  size_t ndrafts;        /* drafts left out */
  hg_strmap by_path;     /* content-relative path -> arts index, or
                            HG_SITE_DRAFT, HG_SITE_FAILED */
  hg_strmap by_dir;      /* content-relative folder -> node index */
  hg_strmap by_url;      /* url_dir -> arts index (root-absolute links) */
  hg_strmap node_by_url; /* url_dir -> node index */
} hg_site;

/* by_path values of files that exist but have no page: a draft left out,
 * an article whose own errors were reported (links to it are not errors
 * again: one mistake, one message). */
#define HG_SITE_DRAFT (-2)
#define HG_SITE_FAILED (-3)

typedef struct {
  bool drafts; /* publish drafts too */
  const char *lang;      /* language code (default: cfg->language) */
  const char *prefix;    /* URL folder of every page ("cs"); NULL: site root */
  const char *lang_dir;  /* the tree's folder under content/ ("cs"), for messages */
  /* Further top-level names that are reserved (the other languages' URL
   * folders, in the default language's tree); compared ignoring case. */
  const char *const *reserved;
  size_t nreserved;
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
 * is a warning. A root-absolute target that names no file ("/orders/track/",
 * "/help/orders/index.html" with base_url's path "/help/") is looked up
 * among the site's page URLs, so links written for the published site
 * resolve like relative ones. Returns NULL to keep the target as written. */
char *hg_site_resolve(const hg_site *s, long art, const char *from_dir,
                      const char *page_dir, const char *target, bool image,
                      const char *path, int line, int col, hg_diags *diags);

/* ---- languages ------------------------------------------------------------
 * Pairs the articles (and folders) of several language trees: translations
 * share a front matter `translation_key` (one may also name the other's
 * relative path, "orders/track.md"), else the same path relative to their
 * language folder. Folders pair by the `translation_key` of their _index.md,
 * else by path; the language roots pair with each other. */
typedef struct hg_site_langs {
  hg_site **sites;       /* borrowed; sites[0] is the default language */
  size_t n;
  size_t ngroups;        /* article groups */
  long *slots;           /* ngroups * n: the group's site->arts index per
                            language, or -1 */
  size_t **group;        /* [lang][arts index] -> group */
  size_t nfgroups;       /* folder groups, the same for nodes */
  long *fslots;
  size_t **fgroup;
} hg_site_langs;

/* Pairs the sites' articles and folders; sets every site's langs and
 * lang_index. A translation_key used twice in one language is a warning
 * (the second article stays unpaired). */
hg_site_langs *hg_site_langs_new(hg_site **sites, size_t n, hg_diags *diags);
void hg_site_langs_free(hg_site_langs *l);
/* The site->arts index of article `art` of s in language `to` (an index
 * into s->langs), or -1; `art` itself when to is s's own language, and -1
 * for every other language when s has no langs. */
long hg_site_translation(const hg_site *s, size_t art, size_t to);
/* The same for folder node `node`. */
long hg_site_node_translation(const hg_site *s, size_t node, size_t to);

#endif
