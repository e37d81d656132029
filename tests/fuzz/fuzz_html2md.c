/* fuzz_html2md.c - libFuzzer target for src/html2md.c: any bytes as an HTML
 * body, through gumbo and the cmark-gfm tree to CommonMark, with a URL
 * rewriter like the Zendesk importer's. The Markdown is parsed again with
 * cmark-gfm's table extension; nothing may crash, leak or read out of
 * bounds, and the result must be valid UTF-8 when the input is. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hg_html2md.h"
#include "hg_util.h"

static char *rewrite(void *ctx, const char *url, bool image, int line, hg_html2md_notes *notes) {
  (void)ctx;
  if (strstr(url, "/articles/")) return hg_strdup_printf("../x/%s.md", image ? "img" : "a");
  if (line % 7 == 3) hg_html2md_note_add(notes, line, url, "note");
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 20) return 0;
  hg_html2md_opts o = {rewrite, NULL};
  hg_html2md_out out;
  hg_html2md_notes notes = {0};
  hg_html2md((const char *)data, size, &o, &out, &notes);
  if (hg_utf8_valid((const char *)data, size, NULL) &&
      !hg_utf8_valid(out.markdown, strlen(out.markdown), NULL))
    abort();
  hg_html2md_out_free(&out);
  hg_html2md_notes_free(&notes);
  return 0;
}
