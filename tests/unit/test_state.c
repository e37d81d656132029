/* test_state.c - unit tests for src/state.c: an incremental build's state
 * saved and restored (content of a real site, Markdown results with TOC and
 * FAQ items, messages, related lists), batches applied in order over the
 * base, results read in place, and damaged or cut input refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hg_config.h"
#include "hg_related.h"
#include "hg_state.h"
#include "helpers.h"

#define NARTS 3
#define NNODES 2
#define K 2

typedef struct {
  hg_config *cfg;
  hg_content *content;
  hg_diags content_diags;
  hg_md_result md[NARTS], intros[NNODES];
  hg_diags md_diags[NARTS], intro_diags[NNODES];
  size_t related[NARTS * K];
  hg_diags checks;
  hg_buf base;
} fixture;

static void render(hg_md_result *r, const char *md, bool faq, hg_diags *d) {
  hg_md_opts o = {.path = "x.md", .faq = faq, .title = "T"};
  hg_md_render(md, strlen(md), &o, r, d);
}

static int setup(void **state) {
  if (!hg_is_dir("examples/store/content")) fail_msg("run the unit tests from the repository root");
  hg_md_init();
  fixture *f = hg_xcalloc(1, sizeof *f);
  hg_diags cd = {0};
  f->cfg = hg_config_load("examples/store", &cd, NULL);
  hg_diags_free(&cd);
  hg_content_opts co = {.threads = 1, .lang_dir = "en"};
  f->content = hg_content_load(f->cfg, &co, &f->content_diags, NULL);
  assert_non_null(f->content);
  hg_diags_add(&f->content_diags, HG_WARN, "content/en/a.md", 3, 1, "a warning to keep");
  render(&f->md[0], "Intro.\n\n## First\n\ntext\n\n### Sub\n\nmore čeština\n", false, &f->md_diags[0]);
  render(&f->md[1], "## Question one?\n\nAnswer *one*.\n\n## Question two?\n\nTwo.\n", true,
         &f->md_diags[1]);
  render(&f->md[2], "<div>raw</div>\n\nText[^1].\n\n[^1]: A note.\n", false, &f->md_diags[2]);
  assert_true(f->md_diags[2].len > 0); /* raw HTML omitted */
  render(&f->intros[0], "The intro.\n", false, &f->intro_diags[0]);
  /* intros[1] stays all NULL: a folder without _index.md */
  hg_diags_add(&f->checks, HG_WARN, "content/en/a.md", 2, 3, "alias 'x' is taken twice");
  size_t rel[NARTS * K] = {1, 2, 0, HG_RELATED_NONE, 0, 1};
  memcpy(f->related, rel, sizeof rel);
  hg_state_view v = {"en", f->content, &f->content_diags, f->md, f->md_diags, NARTS,
                     f->intros, f->intro_diags, NNODES, f->related, K};
  hg_state_save("examples/store", &v, 1, &f->checks, &f->base, NULL, NULL);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  for (size_t i = 0; i < NARTS; i++) {
    hg_md_result_free(&f->md[i]);
    hg_diags_free(&f->md_diags[i]);
  }
  for (size_t i = 0; i < NNODES; i++) {
    hg_md_result_free(&f->intros[i]);
    hg_diags_free(&f->intro_diags[i]);
  }
  hg_content_free(f->content);
  hg_diags_free(&f->content_diags);
  hg_config_free(f->cfg);
  hg_diags_free(&f->checks);
  hg_buf_free(&f->base);
  free(f);
  return 0;
}

static void test_round_trip(void **state) {
  fixture *f = *state;
  hg_state *s = hg_state_restore(f->base.data, f->base.len, NULL, 0);
  assert_non_null(s);
  assert_string_equal(s->site_dir, "examples/store");
  assert_int_equal(s->checks.len, 1);
  assert_string_equal(s->checks.items[0].msg, "alias 'x' is taken twice");
  assert_int_equal(s->nl, 1);
  hg_state_lang *l = &s->langs[0];
  assert_string_equal(l->code, "en");
  assert_int_equal(l->narts, NARTS);
  assert_int_equal(l->nnodes, NNODES);
  for (size_t i = 0; i < NARTS; i++) {
    assert_same_md_result(&l->md[i], &f->md[i]);
    assert_int_equal(l->md_diags[i].len, f->md_diags[i].len);
  }
  assert_same_md_result(&l->intros[0], &f->intros[0]);
  assert_null(l->intros[1].html);
  assert_int_equal(l->k, K);
  assert_memory_equal(l->related, f->related, sizeof f->related);
  assert_int_equal(l->content_diags.len, f->content_diags.len);
  char *a = diags_text(&l->content_diags), *b = diags_text(&f->content_diags);
  assert_string_equal(a, b);
  free(a);
  free(b);
  assert_int_equal(l->content->narticles, f->content->narticles);
  /* saved again, the same bytes */
  hg_state_view v = {l->code, l->content, &l->content_diags, l->md, l->md_diags, l->narts,
                     l->intros, l->intro_diags, l->nnodes, l->related, l->k};
  hg_buf again = HG_BUF_INIT;
  hg_state_save(s->site_dir, &v, 1, &s->checks, &again, NULL, NULL);
  assert_int_equal(again.len, f->base.len);
  assert_memory_equal(again.data, f->base.data, again.len);
  hg_buf_free(&again);
  /* results point into the bytes they came from (no 40 MB copy) */
  assert_true(l->md[0].html >= f->base.data && l->md[0].html < f->base.data + f->base.len);
  hg_state_free(s);
}

static void flush_into(void *ctx, hg_buf *b) {
  hg_buf_append(ctx, b->data, b->len);
  hg_buf_clear(b);
}

static void test_flushed_in_pieces(void **state) {
  fixture *f = *state;
  hg_state_view v = {"en", f->content, &f->content_diags, f->md, f->md_diags, NARTS,
                     f->intros, f->intro_diags, NNODES, f->related, K};
  hg_buf all = HG_BUF_INIT, b = HG_BUF_INIT;
  hg_state_save("examples/store", &v, 1, &f->checks, &b, flush_into, &all);
  flush_into(&all, &b);
  assert_int_equal(all.len, f->base.len);
  assert_memory_equal(all.data, f->base.data, all.len);
  hg_buf_free(&all);
  hg_buf_free(&b);
}

static void test_batches_in_order(void **state) {
  fixture *f = *state;
  hg_md_result m1, m2;
  hg_diags d1 = {0}, d2 = {0};
  render(&m1, "First change.\n", false, &d1);
  render(&m2, "Second change.\n\n## Heading\n", false, &d2);
  hg_diags_add(&d2, HG_WARN, "x.md", 1, 1, "new warning");
  size_t rel[NARTS * K] = {2, HG_RELATED_NONE, 0, 2, 1, 0};
  hg_buf batches = HG_BUF_INIT;
  hg_state_put_md(&batches, 0, 1, &m1, &d1);
  hg_state_put_related(&batches, 0, rel, NARTS, K);
  hg_state_put_md(&batches, 0, 1, &m2, &d2); /* a later batch wins */
  hg_state *s = hg_state_restore(f->base.data, f->base.len, batches.data, batches.len);
  assert_non_null(s);
  hg_state_lang *l = &s->langs[0];
  assert_same_md_result(&l->md[1], &m2);
  assert_int_equal(l->md_diags[1].len, 1);
  assert_string_equal(l->md_diags[1].items[0].msg, "new warning");
  assert_same_md_result(&l->md[0], &f->md[0]); /* the others as in the base */
  assert_memory_equal(l->related, rel, sizeof rel);
  hg_state_free(s);
  /* a batch for an article or language that does not exist: refused */
  hg_buf bad = HG_BUF_INIT;
  hg_state_put_md(&bad, 0, NARTS, &m1, &d1);
  assert_null(hg_state_restore(f->base.data, f->base.len, bad.data, bad.len));
  hg_buf_clear(&bad);
  hg_state_put_md(&bad, 1, 0, &m1, &d1);
  assert_null(hg_state_restore(f->base.data, f->base.len, bad.data, bad.len));
  hg_buf_clear(&bad);
  hg_state_put_related(&bad, 0, rel, NARTS - 1, K);
  assert_null(hg_state_restore(f->base.data, f->base.len, bad.data, bad.len));
  hg_buf_free(&bad);
  hg_buf_free(&batches);
  hg_md_result_free(&m1);
  hg_md_result_free(&m2);
  hg_diags_free(&d1);
  hg_diags_free(&d2);
}

/* Cut at every offset and with flipped bytes: refused or restored, never a
 * crash or a read past the end (ASan and valgrind run this too). */
static void test_damage_refused(void **state) {
  fixture *f = *state;
  for (size_t cut = 0; cut < f->base.len; cut += 1 + cut / 64) {
    char *copy = hg_xmalloc(cut + 1); /* exactly cut bytes: overruns are caught */
    memcpy(copy, f->base.data, cut);
    assert_null(hg_state_restore(copy, cut, NULL, 0));
    free(copy);
  }
  for (size_t at = 0; at < f->base.len; at += 1 + at / 32) {
    char *copy = hg_xmalloc(f->base.len);
    memcpy(copy, f->base.data, f->base.len);
    copy[at] ^= 0x5a;
    /* a changed string byte may still parse: what matters is no crash and
     * no read past the block (ASan and valgrind run this) */
    hg_state_free(hg_state_restore(copy, f->base.len, NULL, 0));
    free(copy);
  }
  assert_null(hg_state_restore("helpgen", 7, NULL, 0));
  assert_null(hg_state_restore("", 0, NULL, 0));
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_round_trip),
      T(test_flushed_in_pieces),
      T(test_batches_in_order),
      T(test_damage_refused),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
