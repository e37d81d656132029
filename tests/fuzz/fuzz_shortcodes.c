/* fuzz_shortcodes.c - libFuzzer target for the hooks' parser of user input:
 * the bytes are an article body whose {{< shortcodes >}} are expanded by
 * hg_hooks_shortcodes (tags, quoted arguments, paired and nested
 * shortcodes, code spans and fences), rendered with hg_md_render, and the
 * HTML placeholders put back with hg_hooks_html_apply. The shortcodes are
 * real Lua functions (returning Markdown, HTML, their inner text, errors).
 * Build and run (the way tests/fuzz/run.sh builds fuzz_content.c):
 *   clang $CFLAGS -fsanitize=fuzzer,address,undefined tests/fuzz/fuzz_shortcodes.c libhg.a $LIBS
 *   ./fuzz_shortcodes -max_total_time=60 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hg_hooks.h"
#include "hg_markdown.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hg_config *cfg;
static hg_content *content;
static hg_site *site;
static hg_hooks *hooks;
static char site_dir[] = "/tmp/hg-fuzz-hooks-XXXXXX";

static void remove_site(void) {
  hg_rm_rf(site_dir);
}

static void put(const char *dir, const char *rel, const char *text) {
  char *p = hg_path_join(dir, rel);
  if (!hg_write_file(p, text, strlen(text), NULL)) abort();
  free(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  hg_md_init();
  char *tmpl = site_dir;
  if (!mkdtemp(tmpl)) abort();
  atexit(remove_site);
  put(tmpl, "helpgen.yaml",
      "title: F\nhooks:\n  limits:\n    instructions: 100000\n    memory_mb: 8\n");
  put(tmpl, "content/a.md", "---\ntitle: A\n---\nA\n");
  put(tmpl, "content/b.md", "---\ntitle: B\n---\nB\n");
  put(tmpl, "hooks/s.lua",
      "function shortcodes.v(args) return '4.2.1' end\n"
      "function shortcodes.h(args, inner) return helpgen.html('<b>' .. helpgen.escape(args[1] or '') .. '</b>') end\n"
      "function shortcodes.box(args, inner) return helpgen.html('<div>' .. helpgen.markdown(inner or '') .. '</div>') end\n"
      "function shortcodes.md(args, inner) return inner or '' end\n"
      "function shortcodes.link(args) return '[b](' .. (args.to or 'b.md') .. ')' end\n"
      "function shortcodes.err(args) error(args.msg or 'boom') end\n"
      "function shortcodes.nest(args) return '{{< v >}}' end\n");
  hg_diags d = {0};
  hg_error *err = NULL;
  cfg = hg_config_load(tmpl, &d, &err);
  hooks = cfg ? hg_hooks_load(cfg, 1, &d, &err) : NULL;
  hg_content_opts co = {.threads = 1};
  content = hooks ? hg_content_load(cfg, &co, &d, &err) : NULL;
  if (!content) {
    fprintf(stderr, "fuzz_shortcodes: setup failed: %s\n", err ? err->msg : "?");
    abort();
  }
  hg_site_opts so = {0};
  site = hg_site_build(cfg, content, &so, &d);
  hg_hooks_set_site(hooks, site);
  hg_diags_free(&d);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  hg_diags d = {0};
  hg_hooks_doc doc = {0, -1};
  hg_hooks_html *html = NULL;
  size_t n = 0;
  const char *md = (const char *)data;
  char *expanded = hg_hooks_shortcodes(hooks, 0, &doc, md, size, &n, &html, &d);
  hg_md_opts o = {.path = "content/a.md", .title = "A"};
  hg_md_result r = {0};
  hg_md_render(expanded ? expanded : md, expanded ? n : size, &o, &r, &d);
  hg_hooks_html_apply(html, &r);
  for (size_t i = 0; i < d.len; i++) free(hg_diag_format(&d.items[i]));
  hg_md_result_free(&r);
  free(expanded);
  hg_diags_free(&d);
  return 0;
}
