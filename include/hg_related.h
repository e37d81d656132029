/* hg_related.h - articles to suggest: the related articles of every article
 * (computed at build time from shared tags, keywords and terms of titles,
 * headings and descriptions) and the site's "popular" list (helpgen.yaml
 * `popular:` in its order, then the articles marked `promoted: true`).
 *
 * Ownership: both functions return a new array the caller frees with free();
 * the site and the Markdown results are borrowed.
 * Thread-safety: hg_related_compute runs on `threads` threads itself; the
 * result does not depend on the thread count. */
#ifndef HG_RELATED_H
#define HG_RELATED_H

#include "hg_markdown.h"
#include "hg_site.h"

/* Pads a row of hg_related_compute when fewer than k articles are related. */
#define HG_RELATED_NONE ((size_t)-1)

/* The k most related articles of every article: row i (k entries from
 * result[i * k]) holds site->arts indices, best first, padded with
 * HG_RELATED_NONE. `md` is parallel to site->arts (its toc supplies the
 * headings; may be NULL). Scoring: cosine similarity of TF-IDF vectors of
 * whole tags and keyword phrases (strongest), title words, keyword words,
 * heading and description words; very common terms are left out of the
 * inverted index (they cost the most and say the least); ties go to the
 * article earlier in site order. Returns NULL when k is 0 or the site has no
 * articles. */
size_t *hg_related_compute(const hg_site *site, const hg_md_result *md, size_t k,
                           int threads);

/* The popular articles as site->arts indices: the content-relative paths of
 * helpgen.yaml `popular:` in their order ("orders/track.md"; ".md" may be
 * left out), then promoted articles not already listed (site->promoted
 * order). Entries that name no published article, drafts and repeats are
 * warnings with helpgen.yaml:LINE:COL and are left out. *n gets the count. */
size_t *hg_related_popular(const hg_site *site, hg_diags *diags, size_t *n);

#endif
