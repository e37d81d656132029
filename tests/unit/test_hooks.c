/* test_hooks.c - unit tests for src/hooks.c: every hook point (on_config,
 * on_article, shortcodes, on_html, on_page, on_build_end), every helper of
 * the helpgen module, the settings under `hooks:`, the sandbox, the budgets
 * and every error with its exact message, exit code and the previous site
 * left intact; determinism across thread counts.
 * Most tests build a small site in /tmp with hg_build, as `helpgen build`
 * does, and look at the output and the messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hg_build.h"
#include "hg_hooks.h"
#include "helpers.h"

typedef struct {
  char *dir;  /* temp root */
  char *site; /* dir/site */
  char *out;  /* dir/out */
  char *log;  /* messages of the last build */
  int code;   /* its exit code */
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  f->site = hg_path_join(f->dir, "site");
  f->out = hg_path_join(f->dir, "out");
  put_file(f->site, "helpgen.yaml", "title: T\nbase_url: https://help.example.com/\n");
  put_file(f->site, "content/guide/_index.md", "---\ntitle: Guide\n---\n");
  put_file(f->site, "content/guide/a.md", "---\ntitle: Alpha\ntags: [one]\n---\nBody of alpha.\n");
  put_file(f->site, "content/guide/b.md", "---\ntitle: Beta\n---\nBody of beta. See [alpha](a.md).\n");
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  free(f->log);
  free(f->site);
  free(f->out);
  tmp_remove(f->dir);
  free(f);
  return 0;
}

static int group_setup(void **state) {
  (void)state;
  char *themes = realpath("themes", NULL);
  if (!themes) fail_msg("run from the repository root (themes/ not found)");
  setenv("HELPGEN_THEMES", themes, 1);
  free(themes);
  hg_md_init();
  return 0;
}

static int build_n(fixture *f, int threads) {
  free(f->log);
  size_t len = 0;
  f->log = NULL;
  FILE *log = open_memstream(&f->log, &len);
  hg_build_opts o = {.site_dir = f->site, .out_dir = f->out, .threads = threads,
                     .quiet = true, .log = log};
  hg_build_stats st;
  f->code = hg_build(&o, &st);
  fclose(log);
  return f->code;
}

static int build(fixture *f) {
  return build_n(f, 2);
}

/* Builds and fails the test unless the build succeeded without messages. */
static void build_clean(fixture *f) {
  if (build(f) != 0 || *f->log) fail_msg("build failed (%d):\n%s", f->code, f->log);
}

static void hook(fixture *f, const char *name, const char *lua) {
  char *rel = hg_strdup_printf("hooks/%s", name);
  put_file(f->site, rel, lua);
  free(rel);
}

static char *out(fixture *f, const char *rel) {
  char *s = get_file(f->out, rel);
  if (!s) fail_msg("%s was not written; log:\n%s", rel, f->log);
  return s;
}

/* `pat` with every '@' replaced by the site folder. */
static char *at_site(const fixture *f, const char *pat) {
  hg_buf b = HG_BUF_INIT;
  for (const char *p = pat; *p; p++) {
    if (*p == '@') hg_buf_puts(&b, f->site);
    else hg_buf_putc(&b, *p);
  }
  return hg_buf_steal(&b);
}

static void assert_log(fixture *f, const char *pat) {
  char *want = at_site(f, pat);
  assert_contains(f->log, want);
  free(want);
}

static void assert_page(fixture *f, const char *rel, const char *needle) {
  char *s = out(f, rel);
  assert_contains(s, needle);
  free(s);
}

/* The build must fail with exit code 1 and `pat` among the messages, and
 * leave the previous site as it was. */
static void assert_fails(fixture *f, const char *pat) {
  char *before = get_file(f->out, "guide/a/index.html");
  if (!before) fail_msg("no previous site to keep");
  if (build(f) != 1) fail_msg("exit code %d, want 1; log:\n%s", f->code, f->log);
  assert_log(f, pat);
  char *after = get_file(f->out, "guide/a/index.html");
  assert_non_null(after);
  assert_string_equal(before, after);
  assert_true(path_exists(f->out, HG_OUTPUT_MARKER));
  free(before);
  free(after);
}

/* ---- loading ---------------------------------------------------------------- */

static void test_no_hooks(void **state) {
  fixture *f = *state;
  hg_diags d = {0};
  hg_error *err = NULL;
  hg_config *cfg = hg_config_load(f->site, &d, &err);
  assert_non_null(cfg);
  assert_null(hg_hooks_load(cfg, 2, &d, &err));
  assert_null(err);
  assert_int_equal(d.len, 0);
  /* every call accepts NULL hooks */
  assert_true(hg_hooks_on_config(NULL, cfg, &d));
  assert_false(hg_hooks_has_on_article(NULL));
  hg_hooks_free(NULL);
  hg_config_free(cfg);
  hg_diags_free(&d);
  /* a shortcode without hooks is left as text */
  put_file(f->site, "content/guide/c.md", "---\ntitle: C\n---\nSee {{< version >}}.\n");
  build_clean(f);
  assert_page(f, "guide/c/index.html", "See {{&lt; version &gt;}}.");
}

static void test_settings(void **state) {
  fixture *f = *state;
  hook(f, "b.lua", "function on_html(a, html) return html .. '<p>b</p>' end\n");
  hook(f, "a.lua", "function on_html(a, html) return html .. '<p>a</p>' end\n");
  hook(f, "lib/skip.lua", "error('files in sub-folders are not hook files')\n");
  /* every .lua file in hooks/, in name order */
  build_clean(f);
  assert_page(f, "guide/a/index.html", "<p>a</p><p>b</p>");
  /* or the listed ones, in the listed order */
  put_file(f->site, "helpgen.yaml", "title: T\nhooks:\n  files: [hooks/b.lua, a.lua]\n");
  build_clean(f);
  assert_page(f, "guide/a/index.html", "<p>b</p><p>a</p>");
  put_file(f->site, "helpgen.yaml", "title: T\nhooks: [b.lua]\n");
  build_clean(f);
  assert_page(f, "guide/a/index.html", "<p>b</p>\n");
  /* a listed file that is missing is a configuration error */
  put_file(f->site, "helpgen.yaml", "title: T\nhooks:\n  files: [a.lua, c.lua]\n");
  assert_int_equal(build(f), 2);
  assert_log(f, "@/helpgen.yaml:3:18: hooks: 'c.lua' not found (looked for @/hooks/c.lua)");
  put_file(f->site, "helpgen.yaml", "title: T\nhooks:\n  files: [../x.lua]\n");
  assert_int_equal(build(f), 2);
  assert_log(f, "@/helpgen.yaml:3:11: hooks: '../x.lua' should name a .lua file in the site's "
                "hooks/ folder");
  /* wrong settings are warnings */
  put_file(f->site, "helpgen.yaml",
           "title: T\nhooks:\n  limits:\n    instructions: lots\n    memory_mb: 0\n    cpu: 1\n"
           "  allow_unsafe: maybe\n  extra: 1\n");
  assert_int_equal(build(f), 0);
  assert_log(f, "@/helpgen.yaml:4:19: warning: 'hooks.limits.instructions' should be a whole "
                "number from 1000 to 1000000000000, found 'lots' (using 100000000)");
  assert_log(f, "@/helpgen.yaml:5:16: warning: 'hooks.limits.memory_mb' should be a whole number "
                "from 1 to 65536, found '0' (using 64)");
  assert_log(f, "@/helpgen.yaml:6: warning: unknown key 'hooks.limits.cpu'");
  assert_log(f, "@/helpgen.yaml:7:17: warning: 'hooks.allow_unsafe' should be true or false "
                "(the sandbox stays on)");
  assert_log(f, "@/helpgen.yaml:8: warning: unknown key 'hooks.extra'");
}

/* ---- hook points -------------------------------------------------------------- */

static void test_on_config(void **state) {
  fixture *f = *state;
  put_file(f->site, "helpgen.yaml", "title: T\nparams:\n  product: Widget\n");
  hook(f, "c.lua",
       "function on_config(c)\n"
       "  c.title = c.title .. ' for ' .. c.params.product\n"
       "  c.base_url = 'https://docs.example.org/help'\n"
       "  c.contact.email = 'help@example.org'\n"
       "end\n"
       "function on_html(a, html)\n"
       "  return html .. '<p>' .. helpgen.config.title .. ' ' .. helpgen.config.base_url .. '</p>'\n"
       "end\n");
  build_clean(f);
  assert_page(f, "index.html", "<title>T for Widget</title>");
  assert_page(f, "guide/a/index.html", "<p>T for Widget https://docs.example.org/help/</p>");
  assert_page(f, "guide/a/index.html", "href=\"https://docs.example.org/help/guide/a/\"");
  assert_page(f, "guide/a/index.html", "mailto:help@example.org");
  /* returning a table works too */
  hook(f, "c.lua", "function on_config(c) return { title = 'New', language = 'de' } end\n");
  build_clean(f);
  assert_page(f, "index.html", "<title>New</title>");
  assert_page(f, "index.html", "<html lang=\"de\"");
  hook(f, "c.lua", "function on_config(c) c.base_url = 'ftp://x' end\n");
  assert_fails(f, "@/hooks/c.lua: error: on_config: base_url must be an absolute http(s) URL "
                  "such as https://example.com/help/, found 'ftp://x' (in on_config)");
  hook(f, "c.lua", "function on_config(c) c.title = {} end\n");
  assert_fails(f, "@/hooks/c.lua: error: on_config: config.title should be a string, found a "
                  "table (in on_config)");
}

static void test_on_article(void **state) {
  fixture *f = *state;
  put_file(f->site, "content/guide/secret.md",
           "---\ntitle: Secret\ninternal: true\n---\nInternal.\n");
  put_file(f->site, "content/guide/c.md",
           "---\ntitle: Gamma\ndate: 2026-01-02\n---\nSee [the secret](secret.md).\n");
  hook(f, "a.lua",
       "function on_article(a)\n"
       "  if a.meta.internal then return false end\n"
       "  assert(a.path:match('^content/guide/'), a.path)\n"
       "  assert(a.lang == 'en' and a.category == 'guide' and a.section == '')\n"
       "  assert(a.category_title == 'Guide')\n"
       "  if a.title == 'Alpha' then\n"
       "    a.meta.title = 'Alpha (changed)'\n"
       "    a.meta.tags = {'one', 'two'}\n"
       "    a.meta.custom = 42\n"
       "    a.markdown = a.markdown .. '\\nAdded by a hook.\\n'\n"
       "  end\n"
       "end\n");
  build(f);
  assert_int_equal(f->code, 0);
  assert_false(path_exists(f->out, "guide/secret"));
  assert_page(f, "guide/a/index.html", "<h1>Alpha (changed)</h1>");
  assert_page(f, "guide/a/index.html", "<li>two</li>");
  assert_page(f, "guide/a/index.html", "<p>Added by a hook.</p>");
  /* a link to a dropped article warns, once */
  assert_log(f, "@/content/guide/c.md:5:5: warning: link to 'secret.md', an article a hook left "
                "out (on_article returned false)");
  char *first = strstr(f->log, "warning"), *again = first ? strstr(first + 1, "warning") : NULL;
  assert_null(again);
  /* meta must stay a map of plain values */
  hook(f, "a.lua", "function on_article(a) a.meta.f = print end\n");
  assert_fails(f, "@/hooks/a.lua: error: on_article: article.meta.f: cannot keep a function (only "
                  "strings, numbers, booleans and tables)");
  hook(f, "a.lua", "function on_article(a) a.markdown = nil end\n");
  assert_fails(f, "@/hooks/a.lua: error: on_article: article.markdown should be a string, found a "
                  "nil (while processing @/content/guide/a.md)");
  /* front matter a hook makes invalid is reported like any other */
  hook(f, "a.lua", "function on_article(a) a.meta.slug = 'x/y' end\n");
  assert_fails(f, "@/content/guide/a.md: error: front matter: slug 'x/y' must not contain '/'");
}

/* The front matter round trip keeps key order, types and lines. */
static void test_meta_round_trip(void **state) {
  fixture *f = *state;
  hook(f, "a.lua",
       "function on_article(a)\n"
       "  a.meta.weight = a.meta.weight + 1\n"
       "  a.meta.new_b, a.meta.new_a = true, 1.5\n"
       "  a.meta.list[#a.meta.list + 1] = 'z'\n"
       "end\n");
  hg_diags d = {0};
  hg_error *err = NULL;
  hg_config *cfg = hg_config_load(f->site, &d, &err);
  hg_hooks *h = hg_hooks_load(cfg, 1, &d, &err);
  assert_non_null(h);
  assert_true(hg_hooks_has_on_article(h));
  hg_article a = {0};
  a.path = hg_xstrdup("content/x.md");
  a.rel_path = hg_xstrdup("x.md");
  char text[] = "---\ntitle: X\nweight: 3\ndate: 2026-01-02\nlist: [a]\n---\nBody\n";
  assert_true(hg_article_parse(&a, text, strlen(text), &d));
  hg_content c = {.folders = &(hg_folder){.rel_dir = "", .title = "", .parent = -1},
                  .nfolders = 1, .articles = &a, .narticles = 1};
  assert_int_equal(hg_hooks_on_article(h, 0, &a, &c, &d), HG_HOOK_KEEP);
  assert_int_equal(d.len, 0);
  assert_int_equal(a.weight, 4);
  const hg_value *m = a.meta;
  assert_int_equal(m->len, 6);
  const char *keys[] = {"title", "weight", "date", "list", "new_a", "new_b"};
  for (size_t i = 0; i < 6; i++) assert_string_equal(m->keys[i], keys[i]);
  assert_int_equal(m->items[1]->type, HG_V_INT);
  assert_int_equal(m->items[1]->line, 3);
  assert_int_equal(m->items[2]->type, HG_V_DATE);
  assert_int_equal(m->items[3]->type, HG_V_LIST);
  assert_int_equal(m->items[3]->len, 2);
  assert_int_equal(m->items[4]->type, HG_V_FLOAT);
  assert_string_equal(m->items[4]->str, "1.5");
  assert_int_equal(m->items[5]->type, HG_V_BOOL);
  hg_article_clear(&a);
  hg_hooks_free(h);
  hg_config_free(cfg);
  hg_diags_free(&d);
}

static void test_shortcodes(void **state) {
  fixture *f = *state;
  put_file(f->site, "data/product.yaml", "version: 4.2.1\n");
  hook(f, "s.lua",
       "local p = helpgen.read_data('product.yaml')\n"
       "function shortcodes.version(args) return p.version end\n"
       "function shortcodes.args(args, inner, article)\n"
       "  local t = {}\n"
       "  for k, v in pairs(args) do t[#t + 1] = k .. '=' .. v end\n"
       "  return table.concat(t, ';') .. '|' .. tostring(inner) .. '|' .. article.title\n"
       "end\n"
       "function shortcodes.box(args, inner)\n"
       "  return helpgen.html('<div class=\"box\">' .. helpgen.markdown(inner) .. '</div>')\n"
       "end\n"
       "function shortcodes.raw() return helpgen.html('<b>raw</b>') end\n");
  put_file(f->site, "content/guide/c.md",
           "---\ntitle: C\n---\n"
           "Version {{< version >}}, {{<version/>}}.\n\n"
           "{{< args \"pos one\" two k='v \\' q' n=3 >}}\n\n"
           "`{{< version >}}` stays in code.\n\n"
           "```\n{{< version >}}\n```\n\n"
           "{{< box >}}\nInside **{{< version >}}** {{< raw >}}\n{{< /box >}}\n\n"
           "Inline {{< raw >}} text.\n\n"
           "## Heading {{< raw >}}\n\n"
           "[missing](nope.md)\n\n## Other\n");
  build(f);
  assert_int_equal(f->code, 1); /* the missing link: line numbers survive the expansion */
  assert_log(f, "@/content/guide/c.md:22:1: error: link to missing article 'nope.md'");
  put_file(f->site, "content/guide/nope.md", "---\ntitle: Nope\n---\n");
  build_clean(f);
  const char *want[] = {
      "<p>Version 4.2.1, 4.2.1.</p>",
      "<p>1=pos one;2=two;k=v ' q;n=3|nil|C</p>",
      "<code>{{&lt; version &gt;}}</code> stays in code.",
      "<pre><code>{{&lt; version &gt;}}\n</code></pre>",
      "<div class=\"box\"><p>Inside <strong>4.2.1</strong> <b>raw</b></p>\n</div>",
      "<p>Inline <b>raw</b> text.</p>",
      "<h2 id=\"heading-raw\">Heading <b>raw</b></h2>",
  };
  char *page = out(f, "guide/c/index.html");
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) assert_contains(page, want[i]);
  assert_lacks(page, "hgsc");
  assert_contains(page, "<a href=\"#heading-raw\">Heading raw</a>"); /* table of contents */
  free(page);
}

static void test_shortcode_errors(void **state) {
  fixture *f = *state;
  build_clean(f);
  hook(f, "s.lua",
       "function shortcodes.ok() return 'ok' end\n"
       "function shortcodes.bad(args) local t = nil; return t.x end\n"
       "function shortcodes.tbl() return {} end\n");
  put_file(f->site, "content/guide/a.md", "---\ntitle: A\n---\nOne\n\n{{< nope x=1 >}}\n");
  assert_fails(f, "@/content/guide/a.md:6: error: unknown shortcode 'nope' (define shortcodes.nope "
                  "in a file under @/hooks/)");
  put_file(f->site, "content/guide/a.md", "---\ntitle: A\n---\n\n\n{{< bad >}}\n");
  assert_fails(f, "@/hooks/s.lua:2: error: attempt to index a nil value (local 't') (while "
                  "processing @/content/guide/a.md:6)");
  put_file(f->site, "content/guide/a.md", "---\ntitle: A\n---\n{{< ok x=\"1 >}}\n");
  assert_fails(f, "@/content/guide/a.md:4: error: unclosed shortcode (expected >}} after the "
                  "arguments; quote values with spaces)");
  put_file(f->site, "content/guide/a.md", "---\ntitle: A\n---\nText {{< /ok >}}\n");
  assert_fails(f, "@/content/guide/a.md:4: error: '{{< /ok >}}' without an opening '{{< ok >}}'");
  put_file(f->site, "content/guide/a.md", "---\ntitle: A\n---\n{{< tbl >}}\n");
  assert_fails(f, "@/hooks/s.lua: error: shortcode 'tbl' returned a table (return Markdown text, "
                  "or HTML wrapped in helpgen.html(...)) (while processing @/content/guide/a.md:4)");
  hook(f, "t.lua", "shortcodes.ok = function() end\n");
  assert_fails(f, "@/hooks/t.lua: error: shortcode 'ok' is already defined in @/hooks/s.lua");
}

static void test_on_html(void **state) {
  fixture *f = *state;
  hook(f, "h.lua",
       "function on_html(a, html)\n"
       "  if a.title == 'Beta' then return nil end\n"
       "  return html:gsub('alpha', 'ALPHA') .. '<p>' .. a.url .. ' ' .. a.words .. '</p>'\n"
       "end\n");
  build_clean(f);
  assert_page(f, "guide/a/index.html", "<p>Body of ALPHA.</p>\n<p>guide/a/index.html 3</p>");
  assert_page(f, "guide/b/index.html", "<p>Body of beta. See <a href=\"../../guide/a/index.html\">");
  hook(f, "h.lua", "function on_html(a, html) return 1 == 1 end\n");
  assert_fails(f, "@/hooks/h.lua: error: on_html should return the HTML (a string) or nil, found "
                  "a boolean (while processing @/content/guide/a.md)");
}

static void test_on_page(void **state) {
  fixture *f = *state;
  put_file(f->site, "themes/default/article.tpl",
           "{{%AUTOESCAPE context=\"HTML\"}}\n"
           "<p>{{HOOK_KIND}} {{HOOK_WORDS}} [{{HOOK_URL}}] {{HOOK_TITLE_2}}</p>\n"
           "{{#HOOK_FLAG}}<p>flag</p>{{/HOOK_FLAG}}{{#HOOK_OFF}}<p>off</p>{{/HOOK_OFF}}\n"
           "<ul>{{#HOOK_RELATED}}<li>{{TITLE}}={{N}}</li>{{/HOOK_RELATED}}</ul>\n"
           "<ol>{{#HOOK_PLAIN}}<li>{{VALUE}}</li>{{/HOOK_PLAIN}}</ol>\n");
  put_file(f->site, "themes/default/category.tpl",
           "{{%AUTOESCAPE context=\"HTML\"}}\n<p>{{HOOK_KIND}} {{HOOK_FOLDER}}</p>\n");
  hook(f, "p.lua",
       "function on_page(p)\n"
       "  local v = { kind = p.kind }\n"
       "  if p.article then\n"
       "    v.words, v.url, v['title 2'] = p.article.words, helpgen.url_for('content/guide/b.md'), '<b>'\n"
       "    v.flag, v.off = true, false\n"
       "    v.related = { { title = 'x', n = 1 }, { title = 'y', n = 2 } }\n"
       "    v.plain = { 'p', 'q' }\n"
       "  elseif p.folder then v.folder = p.folder.title .. ' ' .. p.folder.url end\n"
       "  return v\n"
       "end\n");
  build_clean(f);
  assert_page(f, "guide/a/index.html", "<p>article 3 [../../guide/b/index.html] &lt;b&gt;</p>\n"
                                       "<p>flag</p>\n<ul><li>x=1</li><li>y=2</li></ul>\n"
                                       "<ol><li>p</li><li>q</li></ol>");
  assert_page(f, "guide/index.html", "<p>category Guide guide/index.html</p>");
  hook(f, "p.lua", "function on_page(p) return { f = print } end\n");
  assert_fails(f, "@/hooks/p.lua: error: on_page: value 'f' is a function (return strings, "
                  "numbers, booleans or lists of tables) (in on_page for the home page)");
}

static void test_on_build_end(void **state) {
  fixture *f = *state;
  hook(f, "e.lua",
       "function on_build_end(site)\n"
       "  local lines = { site.title }\n"
       "  for _, a in ipairs(site.articles) do\n"
       "    lines[#lines + 1] = a.path .. ' ' .. a.url .. ' ' .. a.title .. ' ' .. #a.tags\n"
       "  end\n"
       "  for _, c in ipairs(site.categories) do lines[#lines + 1] = c.title .. ' ' .. c.count end\n"
       "  helpgen.write('extra/list.txt', table.concat(lines, '\\n'))\n"
       "  helpgen.write('data.json', helpgen.json({ b = { 1, 2 }, a = 'x', e = {} }))\n"
       "end\n");
  build_clean(f);
  char *s = out(f, "extra/list.txt");
  assert_string_equal(s, "T\ncontent/guide/a.md guide/a/index.html Alpha 1\n"
                         "content/guide/b.md guide/b/index.html Beta 0\nGuide 2");
  free(s);
  s = out(f, "data.json");
  assert_string_equal(s, "{\"a\":\"x\",\"b\":[1,2],\"e\":[]}");
  free(s);
  hook(f, "e.lua", "function on_build_end(site) helpgen.write('../evil.txt', 'x') end\n");
  assert_fails(f, "@/hooks/e.lua:1: error: helpgen.write: '../evil.txt' is outside the output "
                  "folder (give a path relative to it, without '..') (in on_build_end)");
  assert_false(path_exists(f->dir, "evil.txt"));
  hook(f, "e.lua", "function on_build_end(site) helpgen.write('/tmp/evil.txt', 'x') end\n");
  assert_fails(f, "helpgen.write: '/tmp/evil.txt' is outside the output folder");
  hook(f, "e.lua", "function on_html(a, h) helpgen.write('x.txt', 'x') end\n");
  assert_fails(f, "@/hooks/e.lua:1: error: helpgen.write is only available in on_build_end");
}

/* ---- helpers --------------------------------------------------------------------- */

static void test_helpers(void **state) {
  fixture *f = *state;
  put_file(f->site, "data/list.json", "{\"items\": [1, 2.5, \"three\"], \"ok\": true}");
  put_file(f->site, "data/sub/x.yml", "name: X\nwhen: 2026-01-02\n");
  put_file(f->site, "notes.txt", "first line\nsecond line\n");
  hook(f, "lib/util.lua", "local M = {}\nfunction M.twice(s) return s .. s end\nreturn M\n");
  hook(f, "h.lua",
       "local util = require('lib.util')\n"
       "local j = helpgen.read_data('list.json')\n"
       "local y = helpgen.read_data('sub/x.yml')\n"
       "assert(helpgen.read_data('list.json') == j) -- read once per state\n"
       "local file = io.open('notes.txt'):read('l')\n"
       "local n = 0\n"
       "for _ in io.lines('notes.txt') do n = n + 1 end\n"
       "function on_html(a, html)\n"
       "  if a.title ~= 'Alpha' then return nil end\n"
       "  helpgen.log.warn('careful')\n"
       "  local parts = {\n"
       "    helpgen.slugify('Účet a Platby!'), helpgen.escape('<a href=\"x\">&\\'</a>'),\n"
       "    helpgen.markdown('*hi* [b](b.md)'), j.items[2] .. j.items[3] .. tostring(j.ok),\n"
       "    y.name .. y.when, helpgen.url_for(a), helpgen.url_for('content/guide/b.md'),\n"
       "    helpgen.url_for('guide/b.md'), helpgen.url_for('content/guide'),\n"
       "    helpgen.url_for('content/'), tostring(helpgen.url_for('content/nope.md')),\n"
       "    util.twice('ab'), file, n, helpgen.version,\n"
       "  }\n"
       "  return html .. '<p>' .. table.concat(parts, '|') .. '</p>'\n"
       "end\n");
  assert_int_equal(build(f), 0);
  char *want = hg_strdup_printf(
      "<p>účet-a-platby|&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;|"
      "<p><em>hi</em> <a href=\"../../guide/b/index.html\">b</a></p>\n|2.5threetrue|"
      "X2026-01-02|../../guide/a/index.html|../../guide/b/index.html|../../guide/b/index.html|"
      "../../guide/index.html|../../index.html|nil|abab|first line|2|%s</p>", HG_VERSION);
  assert_page(f, "guide/a/index.html", want);
  free(want);
  assert_log(f, "@/content/guide/a.md: warning: careful (@/hooks/h.lua:10)");
  /* log.error fails the build but the hook goes on */
  hook(f, "h.lua", "function on_html(a, html) helpgen.log.error('no ' .. a.title) return html .. 'x' end\n");
  assert_fails(f, "@/content/guide/a.md: error: no Alpha (@/hooks/h.lua:1)");
  assert_log(f, "@/content/guide/b.md: error: no Beta (@/hooks/h.lua:1)");
  /* read_data problems */
  hook(f, "h.lua", "helpgen.read_data('nope.yaml')\n");
  assert_fails(f, "@/hooks/h.lua:1: error: helpgen.read_data: @/data/nope.yaml not found");
  hook(f, "h.lua", "helpgen.read_data('../helpgen.yaml')\n");
  assert_fails(f, "@/hooks/h.lua:1: error: helpgen.read_data: '../helpgen.yaml' is outside the "
                  "site's data/ folder");
  put_file(f->site, "data/bad.json", "{\"a\": }");
  hook(f, "h.lua", "helpgen.read_data('bad.json')\n");
  assert_fails(f, "@/hooks/h.lua:1: error: helpgen.read_data: @/data/bad.json:1:7: unexpected token");
  put_file(f->site, "data/bad.yaml", "a: [1\n");
  hook(f, "h.lua", "helpgen.read_data('bad.yaml')\n");
  assert_fails(f, "@/hooks/h.lua:1: error: helpgen.read_data: @/data/bad.yaml:");
  hook(f, "h.lua", "helpgen.read_data('x.csv')\n");
  assert_fails(f, "@/hooks/h.lua:1: error: helpgen.read_data: 'x.csv' should end in .yaml, .yml or "
                  ".json");
  /* url_for needs the site */
  hook(f, "h.lua", "function on_article(a) helpgen.url_for(a) end\n");
  assert_fails(f, "@/hooks/h.lua:1: error: helpgen.url_for: URLs are not known yet in on_article "
                  "(use it in shortcodes, on_html, on_page or on_build_end)");
  hook(f, "h.lua", "function on_build_end(s) helpgen.write('x', helpgen.json({ f = print })) end\n");
  assert_fails(f, "@/hooks/h.lua:1: error: helpgen.json: cannot encode a value JSON cannot hold "
                  "(a function or userdata)");
}

/* ---- errors, sandbox and budgets ------------------------------------------------- */

typedef struct {
  const char *lua;
  const char *message;
} error_case;

static void test_errors(void **state) {
  fixture *f = *state;
  put_file(f->site, "helpgen.yaml",
           "title: T\nhooks:\n  limits:\n    instructions: 1000000\n    memory_mb: 16\n");
  put_file(f->site, "secret.txt", "s");
  build_clean(f);
  static const error_case cases[] = {
      {"function on_article(a)\n  local x = nil\n  return x.y\nend\n",
       "@/hooks/h.lua:3: error: attempt to index a nil value (local 'x') (while processing "
       "@/content/guide/a.md)"},
      {"function on_article(a)\n  if a then\nend\n",
       "@/hooks/h.lua:4: error: 'end' expected (to close 'function' at line 1) near <eof>"},
      {"function on_article(a) while true do end end\n",
       "@/hooks/h.lua:1: error: instruction limit exceeded (1000000 instructions; an endless loop? "
       "raise hooks.limits.instructions in helpgen.yaml) (while processing @/content/guide/a.md)"},
      {"function on_article(a)\n  while true do pcall(function() while true do end end) end\nend\n",
       "@/hooks/h.lua:2: error: instruction limit exceeded (1000000 instructions"},
      {"function on_article(a)\n  local t = {}\n  while true do t[#t + 1] = ('x'):rep(65536) .. #t end\nend\n",
       "@/hooks/h.lua:3: error: memory limit exceeded (16 MB; raise hooks.limits.memory_mb in "
       "helpgen.yaml) (while processing @/content/guide/a.md)"},
      {"function on_article(a) local s = string.rep('x', 1 << 30) end\n",
       "@/hooks/h.lua:1: error: memory limit exceeded (16 MB"},
      {"local function f() error('boom') end\nfunction on_article(a) f() end\n",
       "@/hooks/h.lua:1: error: boom (while processing @/content/guide/a.md)\n  traceback:\n"
       "    hooks/h.lua:1: in "},
      {"function on_article(a) error({}) end\n",
       "@/hooks/h.lua:1: error: (error object is a table value) (while processing"},
      {"error('at load time', 0)\n", "@/hooks/h.lua:1: error: at load time\n"},
      {"function on_article(a) os.execute('true') end\n",
       "@/hooks/h.lua:1: error: os.execute is disabled in hooks (set hooks.allow_unsafe: true in "
       "helpgen.yaml to allow it) (while processing @/content/guide/a.md)"},
      {"function on_article(a) io.popen('ls') end\n",
       "@/hooks/h.lua:1: error: io.popen is disabled in hooks (set hooks.allow_unsafe: true in "
       "helpgen.yaml to allow it)"},
      {"os.exit(3)\n", "@/hooks/h.lua:1: error: os.exit is disabled in hooks"},
      {"os.getenv('HOME')\n", "@/hooks/h.lua:1: error: os.getenv is disabled in hooks"},
      {"os.remove('secret.txt')\n", "@/hooks/h.lua:1: error: os.remove is disabled in hooks"},
      {"io.write('x')\n", "@/hooks/h.lua:1: error: io.write is disabled in hooks"},
      {"require('../content')\n",
       "@/hooks/h.lua:1: error: require: '../content' is outside the site's hooks/ folder (hooks "
       "may only require modules from it; set hooks.allow_unsafe: true in helpgen.yaml to allow "
       "it)"},
      {"require('socket')\n",
       "@/hooks/h.lua:1: error: require: module 'socket' not found (hooks may only require "
       "modules from the site's hooks/ folder: looked for hooks/socket.lua and "
       "hooks/socket/init.lua)"},
      {"dofile('/etc/passwd')\n",
       "@/hooks/h.lua:1: error: dofile: '/etc/passwd' is outside the site's hooks/ folder (hooks "
       "may only load files from the site's hooks/ folder; set hooks.allow_unsafe: true in "
       "helpgen.yaml to allow it)"},
      {"loadfile('secret.txt')\n",
       "@/hooks/h.lua:1: error: loadfile: 'secret.txt' is outside the site's hooks/ folder"},
      {"io.open('secret.txt', 'w')\n",
       "@/hooks/h.lua:1: error: io.open: hooks may only read files (mode 'w' refused; set "
       "hooks.allow_unsafe: true in helpgen.yaml to allow it)"},
      {"io.open('/etc/passwd')\n",
       "@/hooks/h.lua:1: error: io.open: '/etc/passwd' is outside the site folder (hooks may only "
       "read files inside it; set hooks.allow_unsafe: true in helpgen.yaml to allow it)"},
      {"io.lines('../../../../../../etc/passwd')\n",
       "@/hooks/h.lua:1: error: io.lines: '../../../../../../etc/passwd' is outside the site folder"},
      {"load(string.dump and '' or '\\27Lua', 'x', 'b')\n",
       "@/hooks/h.lua:1: error: load: binary chunks are disabled in hooks"},
      {"assert(string.dump == nil and debug == nil and package == nil)\nerror('sandboxed', 0)\n",
       "@/hooks/h.lua:2: error: sandboxed"},
      {"on_html = 'not a function'\n",
       "@/hooks/h.lua: error: 'on_html' should be a function, found a string"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    hook(f, "h.lua", cases[i].lua);
    assert_fails(f, cases[i].message);
  }
  assert_true(path_exists(f->site, "secret.txt"));
}

static void test_unsafe(void **state) {
  fixture *f = *state;
  put_file(f->site, "helpgen.yaml", "title: T\nhooks:\n  allow_unsafe: true\n");
  hook(f, "lib.lua", "return { v = 'lib' }\n");
  hook(f, "u.lua",
       "local home = os.getenv('HOME')\n"
       "local lib = require('lib')\n"
       "function on_html(a, html) return html .. '<p>' .. type(home) .. lib.v .. type(debug) .. '</p>' end\n");
  build_clean(f);
  assert_page(f, "guide/a/index.html", "<p>stringlibtable</p>");
}

/* Tables a hook returns may carry metamethods and odd values; helpgen reads
 * them raw, so nothing runs outside the protected call. And a state that is
 * nearly full still gets its article tables. */
static void test_hostile_tables(void **state) {
  fixture *f = *state;
  put_file(f->site, "helpgen.yaml", "title: T\nhooks:\n  limits:\n    memory_mb: 4\n");
  hook(f, "x.lua",
       "local boom = { __index = function() error('index') end,\n"
       "               __pairs = function() error('pairs') end }\n"
       "local keep = {} -- most of the 4 MB\n"
       "for i = 1, 3000 do keep[i] = string.rep('x', 1000) .. i end\n"
       "function on_config(c) c.nav = { 'not a table', { title = 'T', url = 'https://x.org/' } }\n"
       "  return setmetatable({}, boom) end\n"
       "function on_article(a) a.meta = setmetatable({ title = a.title }, boom)\n"
       "  setmetatable(a, boom)\n"
       "  while collectgarbage('count') < 4093 do chain = { chain, 1 } end\n"
       "end\n"
       "function on_page(p) return setmetatable({ x = 'y', list = { setmetatable({ a = 1 }, boom) } }, boom) end\n");
  build_clean(f);
  assert_page(f, "guide/a/index.html", "https://x.org/");
}

/* The same output for any number of threads: pairs() in sorted order,
 * math.random seeded from the article. */
static void test_determinism(void **state) {
  fixture *f = *state;
  for (int i = 0; i < 30; i++) {
    char rel[64], text[128];
    snprintf(rel, sizeof rel, "content/guide/n%02d.md", i);
    snprintf(text, sizeof text, "---\ntitle: N%02d\n---\nText {{< r >}}.\n", i);
    put_file(f->site, rel, text);
  }
  hook(f, "d.lua",
       "local seen = 0\n"
       "local t = { zebra = 1, apple = 2, [3] = 'c', mango = 4, [1] = 'a', kiwi = 5 }\n"
       "function shortcodes.r() return tostring(math.random(1, 1000000)) end\n"
       "function on_html(a, html)\n"
       "  local keys = {}\n"
       "  for k in pairs(t) do keys[#keys + 1] = tostring(k) end\n"
       "  return html .. '<p>' .. table.concat(keys, ',') .. ' ' .. math.random(1, 1000000) .. '</p>'\n"
       "end\n");
  build_clean(f);
  assert_page(f, "guide/a/index.html", "<p>1,3,apple,kiwi,mango,zebra ");
  char *one = out(f, "guide/n07/index.html");
  for (int t = 1; t <= 4; t++) {
    assert_int_equal(build_n(f, t), 0);
    char *again = out(f, "guide/n07/index.html");
    assert_string_equal(one, again);
    free(again);
  }
  free(one);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_no_hooks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_on_config, setup, teardown),
      cmocka_unit_test_setup_teardown(test_on_article, setup, teardown),
      cmocka_unit_test_setup_teardown(test_meta_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shortcodes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_shortcode_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_on_html, setup, teardown),
      cmocka_unit_test_setup_teardown(test_on_page, setup, teardown),
      cmocka_unit_test_setup_teardown(test_on_build_end, setup, teardown),
      cmocka_unit_test_setup_teardown(test_helpers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unsafe, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hostile_tables, setup, teardown),
      cmocka_unit_test_setup_teardown(test_determinism, setup, teardown),
  };
  return cmocka_run_group_tests(tests, group_setup, NULL);
}
