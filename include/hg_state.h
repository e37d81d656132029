/* hg_state.h - what an incremental build takes over from the build before
 * it: per language tree, its content (front matter, without Markdown
 * bodies) and the messages reading it gave, its Markdown results with their
 * messages, and its related lists. The build cache stores it (a base saved
 * by a full build, then batches of changed results appended by incremental
 * builds); nothing in it is needed for a correct build.
 *
 * Ownership: hg_state_save borrows everything in its views; hg_state_restore
 * returns a new state that owns all of it (take pieces out by moving the
 * pointers and setting them to NULL), freed with hg_state_free, except the
 * strings of its Markdown results: they point into the bytes it was
 * restored from, which must outlive them (hg_md_result_view). Release a
 * restored result with hg_md_result_release, never hg_md_result_free. */
#ifndef HG_STATE_H
#define HG_STATE_H

#include "hg_content.h"
#include "hg_markdown.h"

/* One language tree of a finished build, for hg_state_save. */
typedef struct {
  const char *code;
  const hg_content *content;
  const hg_diags *content_diags; /* what hg_content_load reported */
  const hg_md_result *md;        /* parallel to site->arts */
  const hg_diags *md_diags;
  size_t narts;
  const hg_md_result *intros;    /* parallel to site->nodes */
  const hg_diags *intro_diags;
  size_t nnodes;
  const size_t *related;         /* narts * k, or NULL */
  size_t k;
} hg_state_view;

typedef struct {
  char *code;
  hg_content *content;
  hg_diags content_diags;
  hg_md_result *md;
  hg_diags *md_diags;
  size_t narts;
  hg_md_result *intros;
  hg_diags *intro_diags;
  size_t nnodes;
  size_t *related; /* narts * k, or NULL */
  size_t k;
} hg_state_lang;

typedef struct {
  char *site_dir; /* the site folder as the build was given it (messages
                     name files through it) */
  hg_state_lang *langs;
  size_t nl;
  hg_diags checks; /* what the alias check (hg_seo_check) reported */
} hg_state;

/* A new base, appended to b; when flush is not NULL it is called with b
 * whenever b holds a MB or so (it takes the bytes and clears b), so that
 * the state of a big site is never all in memory at once. */
void hg_state_save(const char *site_dir, const hg_state_view *langs, size_t nl,
                   const hg_diags *checks, hg_buf *b, void (*flush)(void *ctx, hg_buf *b),
                   void *ctx);
/* Batch records, appended to b (a batch is any number of them): article i's
 * Markdown result of language l, and language l's related lists. */
void hg_state_put_md(hg_buf *b, size_t l, size_t i, const hg_md_result *r, const hg_diags *d);
void hg_state_put_related(hg_buf *b, size_t l, const size_t *related, size_t narts, size_t k);
/* The base with the batches applied in order; NULL when either is corrupt. */
hg_state *hg_state_restore(const char *base, size_t len, const char *batches, size_t blen);
void hg_state_free(hg_state *s);


#endif
