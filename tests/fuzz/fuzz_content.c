/* fuzz_content.c - libFuzzer target for the parsers of user content: the
 * bytes of one article file go through hg_article_parse (BOM/CRLF/UTF-8
 * checks, front matter split, YAML into a value tree, typed fields) and its
 * body through hg_md_render (cmark-gfm with extensions, heading ids, TOC,
 * callouts, FAQ items, local link rewriting), then every diagnostic is
 * formatted. Built and run by tests/fuzz/run.sh (make fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hg_content.h"
#include "hg_markdown.h"
#include "hg_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  hg_md_init();
  return 0;
}

/* Like the build's resolver: rewrites "x.md" to "../x/index.html", reports
 * targets starting with "missing" and keeps everything else. */
static char *resolve(void *ctx, const char *target, int kind, int line, int col,
                     hg_diags *diags) {
  (void)ctx;
  if (hg_str_has_prefix(target, "missing")) {
    hg_diags_add(diags, HG_ERR, "fuzz.md", line, col, "link to missing article '%s'", target);
    return NULL;
  }
  size_t n = strlen(target);
  if (kind == HG_LINK_LINK && n > 3 && hg_str_has_suffix(target, ".md"))
    return hg_strdup_printf("../%.*s/index.html", (int)(n - 3), target);
  return NULL;
}

static void render(const hg_article *a, bool unsafe, hg_diags *d) {
  hg_md_opts o = {0};
  o.path = a->path;
  o.line_offset = a->body_line;
  o.unsafe = unsafe;
  o.faq = a->faq;
  o.title = a->title;
  o.resolve = resolve;
  hg_md_result r;
  memset(&r, 0, sizeof r);
  hg_md_render(a->body ? a->body : "", a->body ? a->body_len : 0, &o, &r, d);
  /* touch every output so ASan sees reads of anything half-built */
  size_t sum = strlen(r.html) + strlen(r.text) + (r.first_h1 ? strlen(r.first_h1) : 0);
  for (size_t i = 0; i < r.ntoc; i++) sum += strlen(r.toc[i].id) + strlen(r.toc[i].text);
  for (size_t i = 0; i < r.nfaq; i++)
    sum += strlen(r.faq[i].id) + strlen(r.faq[i].question) + strlen(r.faq[i].answer_html) +
           strlen(r.faq[i].answer_text);
  if (sum == (size_t)-1) abort();
  hg_md_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20)) return 0;
  char *text = malloc(size + 1); /* hg_article_parse wants room for a NUL */
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';

  hg_article a;
  memset(&a, 0, sizeof a);
  a.path = hg_xstrdup("content/fuzz/fuzz.md");
  a.rel_path = hg_xstrdup("fuzz/fuzz.md");
  hg_diags d = {0};
  if (hg_article_parse(&a, text, size, &d)) {
    render(&a, false, &d);
    render(&a, true, &d);
    char *h1 = hg_md_first_h1(a.body ? a.body : "", a.body ? a.body_len : 0);
    free(h1);
  }
  for (size_t i = 0; i < d.len; i++) free(hg_diag_format(&d.items[i]));
  hg_diags_free(&d);
  hg_article_clear(&a);
  free(text);
  return 0;
}
