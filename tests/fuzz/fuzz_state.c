/* fuzz_state.c - libFuzzer target for what an incremental build reads back
 * from SITE/.helpgen-cache: the bytes are a state base and, after the first
 * "\n--batches--\n" if there is one, its log of batches (hg_state_restore,
 * which reads content trees, YAML values, messages and Markdown results in
 * place on two threads). Whatever is restored must be usable: every string
 * is walked, and saved again and restored it gives the same state.
 * tests/fuzz/run.sh builds and runs it with a seed made from a real state. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hg_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void walk_md(const hg_md_result *m) {
  if (m->html) sink += strlen(m->html);
  if (m->text) sink += strlen(m->text);
  for (size_t k = 0; k < m->ntoc; k++) sink += strlen(m->toc[k].id) + strlen(m->toc[k].text);
  for (size_t k = 0; k < m->nfaq; k++) sink += strlen(m->faq[k].answer_html);
}

static void save(const hg_state *s, hg_buf *b) {
  hg_state_view *v = calloc(s->nl, sizeof *v);
  for (size_t l = 0; l < s->nl; l++) {
    const hg_state_lang *x = &s->langs[l];
    v[l] = (hg_state_view){x->code, x->content, &x->content_diags, x->md, x->md_diags, x->narts,
                           x->intros, x->intro_diags, x->nnodes, x->related, x->k};
  }
  hg_state_save(s->site_dir, v, s->nl, &s->checks, b, NULL, NULL);
  free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char sep[] = "\n--batches--\n";
  const char *p = (const char *)data, *batches = NULL;
  size_t len = size, blen = 0;
  const char *cut = memmem(p, size, sep, sizeof sep - 1);
  if (cut) {
    len = (size_t)(cut - p);
    batches = cut + sizeof sep - 1;
    blen = size - len - (sizeof sep - 1);
  }
  char *base = malloc(len ? len : 1); /* exactly len bytes: overruns are caught */
  if (len) memcpy(base, p, len);
  hg_state *s = hg_state_restore(base, len, batches, blen);
  if (s) {
    for (size_t l = 0; l < s->nl; l++) {
      const hg_state_lang *x = &s->langs[l];
      for (size_t i = 0; i < x->narts; i++) walk_md(&x->md[i]);
      for (size_t i = 0; i < x->nnodes; i++) walk_md(&x->intros[i]);
      for (size_t i = 0; i < x->content->narticles; i++)
        sink += strlen(x->content->articles[i].path);
    }
    hg_buf a = HG_BUF_INIT, b = HG_BUF_INIT;
    save(s, &a);
    hg_state *t = hg_state_restore(a.data, a.len, NULL, 0);
    if (!t) abort(); /* what was read must read again */
    save(t, &b);
    if (a.len != b.len || memcmp(a.data, b.data, a.len)) abort();
    hg_state_free(t);
    hg_buf_free(&a);
    hg_buf_free(&b);
    hg_state_free(s);
  }
  free(base);
  return 0;
}
