/* helpers.h - small helpers shared by the cmocka unit tests: temporary
 * folders under /tmp, writing and reading files there, and looking through
 * diagnostics. Include after <cmocka.h>. Everything is static inline so a
 * test file that uses only some of them still builds with -Werror. */
#ifndef HG_TEST_HELPERS_H
#define HG_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hg_markdown.h"
#include "hg_util.h"

/* A reader over a copy of the first n bytes of data in a block of exactly n
 * bytes, so that the address sanitizer sees any read past the end. The
 * caller frees *copy. */
static inline hg_reader reader_of(const char *data, size_t n, char **copy) {
  *copy = hg_xmalloc(n ? n : 1);
  if (n) memcpy(*copy, data, n);
  return (hg_reader){*copy, *copy + n, false};
}

/* Two strings that may be NULL are the same. */
static inline void assert_same_str(const char *a, const char *b) {
  if (!a || !b) assert_true(a == b);
  else assert_string_equal(a, b);
}

/* Two Markdown results hold the same values. */
static inline void assert_same_md_result(const hg_md_result *a, const hg_md_result *b) {
  assert_same_str(a->html, b->html);
  assert_same_str(a->text, b->text);
  assert_same_str(a->first_h1, b->first_h1);
  assert_int_equal(a->ntoc, b->ntoc);
  for (size_t i = 0; i < a->ntoc; i++) {
    assert_int_equal(a->toc[i].level, b->toc[i].level);
    assert_string_equal(a->toc[i].id, b->toc[i].id);
    assert_string_equal(a->toc[i].text, b->toc[i].text);
  }
  assert_int_equal(a->nfaq, b->nfaq);
  for (size_t i = 0; i < a->nfaq; i++) {
    assert_string_equal(a->faq[i].id, b->faq[i].id);
    assert_string_equal(a->faq[i].question, b->faq[i].question);
    assert_string_equal(a->faq[i].answer_html, b->faq[i].answer_html);
    assert_string_equal(a->faq[i].answer_text, b->faq[i].answer_text);
  }
  assert_int_equal(a->words, b->words);
}

/* A new empty folder /tmp/hg-unit-XXXXXX. Free with tmp_remove. */
static inline char *tmp_new(void) {
  char *d = hg_xstrdup("/tmp/hg-unit-XXXXXX");
  if (!mkdtemp(d)) fail_msg("mkdtemp failed");
  return d;
}

/* Removes the folder tree and frees the name. */
static inline void tmp_remove(char *dir) {
  if (!dir) return;
  assert_true(hg_rm_rf(dir));
  free(dir);
}

/* Writes `text` to dir/rel, creating folders; fails the test on error. */
static inline void put_file(const char *dir, const char *rel, const char *text) {
  char *p = hg_path_join(dir, rel);
  hg_error *err = NULL;
  if (!hg_write_file(p, text, strlen(text), &err))
    fail_msg("cannot write %s: %s", p, err ? err->msg : "?");
  free(p);
}

/* Contents of dir/rel (caller frees), or NULL when it cannot be read. */
static inline char *get_file(const char *dir, const char *rel) {
  char *p = hg_path_join(dir, rel);
  char *s = hg_read_file(p, NULL, NULL);
  free(p);
  return s;
}

static inline bool path_exists(const char *dir, const char *rel) {
  char *p = hg_path_join(dir, rel);
  bool r = hg_is_file(p) || hg_is_dir(p);
  free(p);
  return r;
}

static inline void assert_contains(const char *hay, const char *needle) {
  if (!hay || !strstr(hay, needle))
    fail_msg("expected to find\n  %s\nin\n%s", needle, hay ? hay : "(null)");
}

static inline void assert_lacks(const char *hay, const char *needle) {
  if (hay && strstr(hay, needle)) fail_msg("did not expect\n  %s\nin\n%s", needle, hay);
}

/* All diagnostics formatted one per line (caller frees), for messages. */
static inline char *diags_text(const hg_diags *d) {
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < d->len; i++) {
    char *s = hg_diag_format(&d->items[i]);
    hg_buf_puts(&b, s);
    hg_buf_putc(&b, '\n');
    free(s);
  }
  return hg_buf_steal(&b);
}

/* Index of the first diagnostic of severity `sev` whose formatted text
 * ("path:line:col: warning: msg") contains `needle`, or -1. */
static inline long diag_find(const hg_diags *d, hg_severity sev, const char *needle) {
  for (size_t i = 0; i < d->len; i++) {
    if (d->items[i].sev != sev) continue;
    char *s = hg_diag_format(&d->items[i]);
    bool hit = strstr(s, needle) != NULL;
    free(s);
    if (hit) return (long)i;
  }
  return -1;
}

/* Fails unless a diagnostic of severity `sev` contains `needle`. */
static inline void assert_diag(const hg_diags *d, hg_severity sev, const char *needle) {
  if (diag_find(d, sev, needle) >= 0) return;
  char *all = diags_text(d);
  fail_msg("expected a%s containing\n  %s\namong\n%s",
           sev == HG_ERR ? "n error" : " warning", needle, all);
}

/* Fails unless diagnostics hold exactly `nerr` errors and `nwarn` warnings. */
static inline void assert_diag_counts(const hg_diags *d, size_t nerr, size_t nwarn) {
  if (hg_diags_count(d, HG_ERR) == nerr && hg_diags_count(d, HG_WARN) == nwarn) return;
  char *all = diags_text(d);
  fail_msg("expected %zu error(s) and %zu warning(s), got\n%s", nerr, nwarn, all);
}

/* The formatted diagnostic i, into a static buffer. */
static inline const char *diag_at(const hg_diags *d, size_t i) {
  static char buf[2048];
  assert_true(i < d->len);
  char *s = hg_diag_format(&d->items[i]);
  snprintf(buf, sizeof buf, "%s", s);
  free(s);
  return buf;
}

#endif
