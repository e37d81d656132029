/* main.c - the helpgen command line: build, serve, new, check, help. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hg_build.h"
#include "hg_check.h"
#include "hg_config.h"
#include "hg_import.h"
#include "hg_markdown.h"
#include "hg_scaffold.h"
#include "hg_serve.h"
#include "hg_term.h"
#include "hg_theme.h"
#include "hg_walk.h"

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static volatile sig_atomic_t g_interrupted;

static void on_signal(int sig) {
  (void)sig;
  g_interrupted = 1;
}

/* SIGINT and SIGTERM set g_interrupted (no SA_RESTART: a blocking poll
 * returns at once). */
static void catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  hg_walk_set_interrupt(&g_interrupted); /* every walk stops at the flag */
}

static const char usage[] =
    "helpgen " HG_VERSION " - a static help-center generator\n"
    "\n"
    "Usage:\n"
    "  helpgen build [SITE] [-o OUT] [--strict] [--quiet] [--drafts] [--pseudo] [--threads N]\n"
    "  helpgen serve [SITE] [--port N] [--bind ADDR] [-o OUT] [--drafts]\n"
    "  helpgen init [DIR] [--title T] [--lang L] [--ci github|gitlab]\n"
    "  helpgen new article|faq|category|flow PATH [--title T] [--lang L] [--site SITE]\n"
    "  helpgen check [SITE] [--format text|json|junit] [-o FILE] [--today YYYY-MM-DD] [--strict]\n"
    "  helpgen import KIND SOURCE [-o SITE] [--lang L] [--raw-html] [--format text|json]\n"
    "  helpgen theme list [SITE] | helpgen theme export DIR [--force]\n"
    "  helpgen help [COMMAND]\n"
    "  helpgen --help | --version\n"
    "\n"
    "Commands:\n"
    "  build   turn SITE/content/ (Markdown articles) into a help center in OUT\n"
    "  serve   preview the site on http://127.0.0.1:1313/, rebuilt and reloaded on every change\n"
    "  init    create a new help center that builds and passes check at once\n"
    "  new     create an article, FAQ page, category or flow from a template\n"
    "  check   report broken links, orphans, overdue reviews... (text, JSON or JUnit)\n"
    "  import  turn a Zendesk export or a Jekyll, Obsidian, Docusaurus or MkDocs tree into a site\n"
    "  theme   list the theme's files, or write the built-in theme out to customise it\n"
    "  help    show help for a command\n"
    "\n"
    "Colours are used on a terminal only, never when NO_COLOR is set.\n"
    "Exit codes: 0 success, 1 content errors, 2 usage or configuration errors.\n";

static const char usage_build[] =
    "Usage: helpgen build [SITE] [-o OUT] [--strict] [--quiet] [--drafts] [--pseudo]\n"
    "                     [--threads N] [--no-cache] [--precompress]\n"
    "\n"
    "Builds the help center in SITE (default: the current folder), which holds\n"
    "helpgen.yaml and content/, into OUT (default: SITE/public).\n"
    "The site is built in a temporary folder beside OUT that replaces OUT only\n"
    "when everything succeeded: a failed build leaves the previous site intact.\n"
    "On a terminal, a build that takes more than a second shows a progress line.\n"
    "When no input changed since the last build into OUT (files under SITE, the\n"
    "theme, helpgen itself, --drafts/--pseudo) and OUT is as that build left it,\n"
    "nothing is built again: its warnings are printed again and OUT stays as it is\n"
    "(the record is kept in SITE/.helpgen-cache/, safe to delete).\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT   output folder (replaced only if empty or built by helpgen)\n"
    "  --strict           treat warnings as errors (for CI)\n"
    "  -q, --quiet        no progress line and no summary (warnings and errors are\n"
    "                     still printed)\n"
    "  --drafts           publish articles with draft: true\n"
    "  --pseudo           theme strings in a pseudo-locale ([Śéáŕçĥ~~]), so untranslated\n"
    "                     theme text stands out\n"
    "  --threads N        worker threads (default: all cores, or $HELPGEN_THREADS)\n"
    "  --no-cache         build even when nothing changed (and do not record\n"
    "                     this build in SITE/.helpgen-cache/)\n"
    "  --precompress      also write FILE.gz and FILE.br beside every text file (html,\n"
    "                     css, js, json, xml, svg, txt) for gzip_static/brotli_static\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit codes: 0 built, 1 content errors (or warnings with --strict),\n"
    "2 usage, configuration or theme errors, 130 interrupted.\n";

static const char usage_serve[] =
    "Usage: helpgen serve [SITE] [--port N] [--bind ADDR] [-o OUT] [--drafts] [--threads N]\n"
    "\n"
    "Builds SITE and serves it on http://127.0.0.1:1313/ (at the path of base_url,\n"
    "e.g. /help/). Every change to content/, themes/, hooks/, flows/, data/ or\n"
    "helpgen.yaml rebuilds the site, and open pages reload themselves. When a build\n"
    "fails, its messages appear in the terminal and over the page in the browser,\n"
    "and the last good site is still served. Ctrl+C stops the server.\n"
    "\n"
    "The site is built into a new folder under $TMPDIR (or /tmp), removed when the\n"
    "server stops; SITE/public is not touched. Pages get a small live-reload script\n"
    "(BASE/__helpgen/live.js) that a normal build never contains.\n"
    "\n"
    "Options:\n"
    "  --port N           TCP port (default 1313; 0 picks a free one)\n"
    "  --bind ADDR        address to listen on (default 127.0.0.1; the server is for\n"
    "                     previewing: do not expose it to a network)\n"
    "  -o, --output OUT   build into OUT instead of a temporary folder (kept)\n"
    "  --drafts           publish articles with draft: true\n"
    "  --threads N        build threads (default: all cores)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit codes: 0 stopped, 2 usage error or the port cannot be used.\n";

static const char usage_init[] =
    "Usage: helpgen init [DIR] [--title T] [--lang L] [--ci github|gitlab]\n"
    "\n"
    "Creates a help center in DIR (default: the current folder), which must be new\n"
    "or empty (a .git folder in it is fine): helpgen.yaml with every setting and\n"
    "its default, commented; a category with a section, an article and an FAQ\n"
    "page; a flow; a .gitignore for public/ and .helpgen-cache/. It builds and\n"
    "passes helpgen check --strict as it is. Then:\n"
    "  cd DIR && helpgen serve      preview it, rebuilt on every change\n"
    "\n"
    "Options:\n"
    "  --title T          the site's title (default: from the folder name)\n"
    "  --lang L           the language of the content (default en); without built-in\n"
    "                     theme strings for L, themes/default/i18n/L.yaml is written\n"
    "                     from the English one, to translate\n"
    "  --ci github        also .github/workflows/helpgen.yml: check, build, GitHub Pages\n"
    "  --ci gitlab        also .gitlab-ci.yml: check, build, GitLab Pages\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit codes: 0 created, 1 DIR is not empty or a file cannot be written, 2 usage\n"
    "errors.\n";

static const char usage_new[] =
    "Usage: helpgen new article|faq|category|flow PATH [--title T] [--lang L] [--site SITE]\n"
    "\n"
    "Creates a file from the theme's scaffold template, with title, date and slug\n"
    "filled in. It never overwrites a file.\n"
    "  article   content/PATH.md                e.g. helpgen new article orders/track-order\n"
    "  faq       content/PATH.md (type: faq)    e.g. helpgen new faq shipping/shipping-faq\n"
    "  category  content/PATH/_index.md         e.g. helpgen new category orders\n"
    "            (a folder inside a category is a section: orders/tracking)\n"
    "  flow      flows/PATH.yaml                e.g. helpgen new flow track-my-order\n"
    "PATH is relative to content/ (flows/ for a flow); a leading content/ is accepted.\n"
    "An article or FAQ page starts as a draft (draft: true): not published, and not\n"
    "checked by helpgen check, until you fill it in and delete that line.\n"
    "Templates: themes/default/scaffold/{article,faq,category}.md and flow.yaml; put\n"
    "your own under SITE/themes/default/scaffold/ (with --lang L, KIND.L.md wins).\n"
    "\n"
    "Options:\n"
    "  --title T          title (default: from the name, 'track-order' -> 'Track order')\n"
    "  --lang L           language code written as lang: L\n"
    "  --site SITE        the site folder (default: the current folder)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit codes: 0 created, 1 the file exists, 2 usage errors.\n";

static const char usage_theme[] =
    "Usage: helpgen theme list [SITE]\n"
    "       helpgen theme export DIR [--force]\n"
    "\n"
    "The default theme is built into helpgen. A site changes any of its files by\n"
    "putting a file with the same path under SITE/themes/default/ (a template,\n"
    "assets/style.css, i18n/fr.yaml, scaffold/article.md...); the files it does\n"
    "not have still come from the built-in theme.\n"
    "\n"
    "  list     every file of SITE's theme (default: the current folder), with\n"
    "           its size and where it comes from: built-in or the site's own\n"
    "  export   write the built-in theme's files into DIR, e.g.\n"
    "             helpgen theme export themes/default\n"
    "           then keep only the files you change, so the others follow new\n"
    "           versions of helpgen\n"
    "\n"
    "Options:\n"
    "  --force            export over files that exist in DIR\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit codes: 0 done, 1 a file exists or cannot be written, 2 usage errors.\n";

static const char usage_check[] =
    "Usage: helpgen check [SITE] [--format text|json|junit] [-o FILE] [--today YYYY-MM-DD]\n"
    "                     [--strict] [--drafts] [--max-image-kb N] [--quiet]\n"
    "\n"
    "Reads SITE like a build does, writes nothing, and reports problems, each with\n"
    "path:line:col and a rule name:\n"
    "%s"
    "An orphan is an article that no other article and no folder intro (_index.md)\n"
    "links to, and that is not promoted: readers only reach it by browsing its\n"
    "section or by searching.\n"
    "\n"
    "Options:\n"
    "  --format F         text (default), json, or junit (JUnit XML for CI systems)\n"
    "  -o, --output FILE  write the report to FILE (the findings are still printed\n"
    "                     as text on stderr)\n"
    "  --today DATE       compare review_by dates with DATE instead of today\n"
    "  --strict           warnings fail too (exit code 1)\n"
    "  --drafts           check drafts like published articles\n"
    "  --max-image-kb N   size limit of images (default: check.max_image_kb in\n"
    "                     helpgen.yaml, else 500)\n"
    "  -q, --quiet        no summary line\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit codes: 0 no errors (no warnings either, with --strict), 1 errors (or\n"
    "warnings with --strict), 2 usage errors or a site that cannot be read.\n";

static const char usage_import[] =
    "Usage: helpgen import zendesk|jekyll|obsidian|docusaurus|mkdocs SOURCE [-o SITE]\n"
    "                     [--lang L] [--raw-html]\n"
    "                     [--format text|json]\n"
    "\n"
    "Writes a new helpgen site into SITE (default: the current folder), which must be\n"
    "missing or empty, from the export in SOURCE:\n"
    "  zendesk   the Help Center API's list responses: categories.json, sections.json,\n"
    "            articles.json (pages: articles-2.json...), optional\n"
    "            translations/<article id>.json and attachments/<id>/<name>\n"
    "  jekyll    a Jekyll site: pages, collections (_docs/, _posts/...) and files;\n"
    "            order/nav_order, redirect_from, permalink and redirect pages mapped\n"
    "  obsidian  a vault: notes with their folders, attachments (.obsidian/ read)\n"
    "  docusaurus  a site's current docs/ (_category_ files, MDX reported)\n"
    "  mkdocs    a site's docs_dir, in mkdocs.yml's nav order\n"
    "Each locale gets its own content/<lang>/ tree. SITE/import-report.txt lists\n"
    "every construct that could not be carried over as source:line: what; what to do.\n"
    "\n"
    "Options:\n"
    "  -o, --output SITE  the new site's folder\n"
    "  --lang L           zendesk: keep only the articles of locale L (e.g. en-us)\n"
    "  --raw-html         zendesk: keep embeds (iframe, video...) and forms as raw HTML, with\n"
    "                     markdown.unsafe: true in helpgen.yaml (they are reported either\n"
    "                     way; scripts are always dropped)\n"
    "  --format F         text (default) or json: also write SITE/import-report.json\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit codes: 0 imported, 1 the export cannot be read, 2 usage errors or SITE\n"
    "is not empty.\n";

static void print_check_usage(FILE *f) {
  hg_buf rules = HG_BUF_INIT;
  for (size_t i = 0; hg_check_rules[i].name; i++)
    hg_buf_printf(&rules, "  %-20s %s%s\n", hg_check_rules[i].name,
                  hg_check_rules[i].sev == HG_ERR    ? "error: "
                  : hg_check_rules[i].sev == HG_WARN ? "warning: "
                                                     : "",
                  hg_check_rules[i].about);
  fprintf(f, usage_check, hg_buf_cstr(&rules));
  hg_buf_free(&rules);
}

/* ---- shared option parsing ---------------------------------------------------- */

typedef struct {
  const char *cmd;
  int argc;
  char **argv;
  int i;
} args;

/* The value of option `a` (given as "--opt VALUE" or "--opt=VALUE"), or NULL
 * (with a message) when it is missing. */
static const char *opt_value(args *g, const char *name) {
  const char *a = g->argv[g->i];
  size_t n = strlen(name);
  if (!strncmp(a, name, n) && a[n] == '=') return a + n + 1;
  if (g->i + 1 >= g->argc) {
    fprintf(stderr, "helpgen %s: %s needs a value (see helpgen help %s)\n", g->cmd, name, g->cmd);
    return NULL;
  }
  return g->argv[++g->i];
}

static bool is_opt(const char *a, const char *name) {
  size_t n = strlen(name);
  return !strncmp(a, name, n) && (a[n] == '\0' || (a[n] == '=' && name[1] == '-'));
}

static bool parse_int(const char *cmd, const char *opt, const char *s, long min, long max,
                      long *out) {
  char *end;
  long v = s ? strtol(s, &end, 10) : 0;
  if (!s || !*s || *end || v < min || v > max) {
    fprintf(stderr, "helpgen %s: %s needs a number from %ld to %ld\n", cmd, opt, min, max);
    return false;
  }
  *out = v;
  return true;
}

static int unknown_option(const char *cmd, const char *a) {
  fprintf(stderr, "helpgen %s: unknown option '%s' (see helpgen help %s)\n", cmd, a, cmd);
  return 2;
}

/* ---- build ---------------------------------------------------------------------- */

/* Number of languages the site is built in (1 until `languages:` exists). */
static size_t site_languages(const char *site) {
  hg_diags d = {0};
  hg_config *cfg = hg_config_load(site, &d, NULL);
  const hg_value *l = cfg ? hg_value_get(cfg->root, "languages") : NULL;
  size_t n = l && (l->type == HG_V_LIST || l->type == HG_V_MAP) && l->len ? l->len : 1;
  hg_config_free(cfg);
  hg_diags_free(&d);
  return n;
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

static void print_summary(hg_term *t, const hg_build_opts *o, const hg_build_stats *st) {
  char *out = o->out_dir ? hg_xstrdup(o->out_dir)
                         : hg_path_join(o->site_dir ? o->site_dir : ".", "public");
  size_t langs = site_languages(o->site_dir ? o->site_dir : ".");
  char *warn = hg_strdup_printf("%zu warning%s", st->warnings, st->warnings == 1 ? "" : "s");
  char *painted = st->warnings ? hg_term_paint(t, "35", warn) : hg_xstrdup(warn);
  char *built = hg_term_paint(t, "1;32", "built");
  if (st->unchanged)
    fprintf(hg_term_file(t), "helpgen: %s is up to date: %zu page%s (%zu article%s, %zu language%s), "
            "nothing changed since the last build (checked in %.2f s), %s\n",
            out, st->pages, plural(st->pages), st->articles, plural(st->articles), langs,
            plural(langs), st->seconds, painted);
  else if (st->incremental)
    fprintf(hg_term_file(t), "helpgen: %s %zu page%s (%zu article%s, %zu language%s) into %s in %.2f s, "
            "%s; incremental: %zu changed article%s, %zu page%s rendered again\n",
            built, st->pages, plural(st->pages), st->articles, plural(st->articles), langs,
            plural(langs), out, st->seconds, painted,
            st->changed, st->changed == 1 ? "" : "s", st->rendered, st->rendered == 1 ? "" : "s");
  else
    fprintf(hg_term_file(t), "helpgen: %s %zu page%s (%zu article%s, %zu language%s) into %s in %.2f s, %s\n",
            built, st->pages, plural(st->pages), st->articles, plural(st->articles), langs,
            plural(langs), out, st->seconds, painted);
  free(built);
  free(painted);
  free(warn);
  free(out);
}

static int cmd_build(int argc, char **argv) {
  hg_build_opts o = {.interrupted = &g_interrupted};
  args g = {"build", argc, argv, 0};
  bool quiet = false;
  for (; g.i < argc; g.i++) {
    const char *a = argv[g.i];
    if (is_opt(a, "-o") || is_opt(a, "--output")) {
      if (!(o.out_dir = opt_value(&g, a[1] == '-' ? "--output" : "-o"))) return 2;
    } else if (!strcmp(a, "--strict")) {
      o.strict = true;
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      quiet = true;
    } else if (!strcmp(a, "--drafts")) {
      o.drafts = true;
    } else if (!strcmp(a, "--pseudo")) {
      o.pseudo = true;
    } else if (!strcmp(a, "--no-cache")) {
      o.no_cache = true;
    } else if (!strcmp(a, "--precompress")) {
      o.precompress = true;
    } else if (is_opt(a, "--threads")) {
      long n;
      if (!parse_int("build", "--threads", opt_value(&g, "--threads"), 1, 4096, &n)) return 2;
      o.threads = (int)n;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_build, stdout);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      return unknown_option("build", a);
    } else if (!o.site_dir) {
      o.site_dir = a;
    } else {
      fprintf(stderr, "helpgen build: unexpected argument '%s' (one SITE folder only)\n", a);
      return 2;
    }
  }
  catch_signals();
  hg_md_init();
  hg_term *t = hg_term_open(stderr, hg_term_color(stderr), !quiet && isatty(STDERR_FILENO));
  o.log = hg_term_file(t);
  o.quiet = true; /* the summary is printed here, with the language count */
  o.translations = !quiet;
  /* under valgrind every build frees all it made, so leaks show */
  const char *pre = getenv("LD_PRELOAD");
  o.exiting = !(pre && strstr(pre, "vgpreload"));
  hg_build_stats st;
  hg_term_progress_begin(t, "helpgen: building");
  int code = hg_build(&o, &st);
  hg_term_progress_end(t);
  if (code == 0 && !quiet) print_summary(t, &o, &st);
  hg_term_close(t);
  return code;
}

/* ---- serve ---------------------------------------------------------------------- */

static int cmd_serve(int argc, char **argv) {
  hg_serve_opts o = {.port = -1, .interrupted = &g_interrupted};
  args g = {"serve", argc, argv, 0};
  for (; g.i < argc; g.i++) {
    const char *a = argv[g.i];
    long n;
    if (is_opt(a, "--port") || is_opt(a, "-p")) {
      if (!parse_int("serve", "--port", opt_value(&g, a[1] == '-' ? "--port" : "-p"), 0, 65535, &n))
        return 2;
      o.port = (int)n;
    } else if (is_opt(a, "--bind")) {
      if (!(o.bind = opt_value(&g, "--bind"))) return 2;
    } else if (is_opt(a, "-o") || is_opt(a, "--output")) {
      if (!(o.out_dir = opt_value(&g, a[1] == '-' ? "--output" : "-o"))) return 2;
    } else if (!strcmp(a, "--drafts")) {
      o.drafts = true;
    } else if (is_opt(a, "--threads")) {
      if (!parse_int("serve", "--threads", opt_value(&g, "--threads"), 1, 4096, &n)) return 2;
      o.threads = (int)n;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_serve, stdout);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      return unknown_option("serve", a);
    } else if (!o.site_dir) {
      o.site_dir = a;
    } else {
      fprintf(stderr, "helpgen serve: unexpected argument '%s' (one SITE folder only)\n", a);
      return 2;
    }
  }
  catch_signals();
  signal(SIGPIPE, SIG_IGN);
  hg_md_init();
  hg_term *t = hg_term_open(stderr, hg_term_color(stderr), false);
  o.log = hg_term_file(t);
  int code = hg_serve(&o);
  hg_term_close(t);
  return code;
}

/* ---- init ----------------------------------------------------------------------- */

static int cmd_init(int argc, char **argv) {
  hg_init_opts o = {0};
  args g = {"init", argc, argv, 0};
  for (; g.i < argc; g.i++) {
    const char *a = argv[g.i];
    const char *ci;
    if (is_opt(a, "--title")) {
      if (!(o.title = opt_value(&g, "--title"))) return 2;
    } else if (is_opt(a, "--lang")) {
      if (!(o.lang = opt_value(&g, "--lang"))) return 2;
    } else if (is_opt(a, "--ci")) {
      if (!(ci = opt_value(&g, "--ci"))) return 2;
      if (!strcmp(ci, "github")) o.ci = HG_CI_GITHUB;
      else if (!strcmp(ci, "gitlab")) o.ci = HG_CI_GITLAB;
      else {
        fprintf(stderr, "helpgen init: --ci must be github or gitlab, not '%s'\n", ci);
        return 2;
      }
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_init, stdout);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      return unknown_option("init", a);
    } else if (!o.dir) {
      o.dir = a;
    } else {
      fprintf(stderr, "helpgen init: unexpected argument '%s' (one DIR only)\n", a);
      return 2;
    }
  }
  hg_error *err = NULL;
  long n = hg_scaffold_init(&o, &err);
  if (n < 0) {
    fprintf(stderr, "helpgen init: %s %s\n",
            hg_term_color(stderr) ? "\033[1;31merror:\033[0m" : "error:", err ? err->msg : "failed");
    int code = err ? err->code : 1;
    hg_error_free(err);
    return code;
  }
  const char *dir = o.dir ? o.dir : ".";
  printf("created a help center in %s (%ld files)\n", dir, n);
  if (strcmp(dir, ".")) printf("next: cd %s && helpgen serve\n", dir);
  else printf("next: helpgen serve\n");
  return 0;
}

/* ---- new ------------------------------------------------------------------------ */

static int cmd_new(int argc, char **argv) {
  hg_new_opts o = {0};
  args g = {"new", argc, argv, 0};
  const char *kind = NULL;
  for (; g.i < argc; g.i++) {
    const char *a = argv[g.i];
    if (is_opt(a, "--title")) {
      if (!(o.title = opt_value(&g, "--title"))) return 2;
    } else if (is_opt(a, "--lang")) {
      if (!(o.lang = opt_value(&g, "--lang"))) return 2;
    } else if (is_opt(a, "--site")) {
      if (!(o.site_dir = opt_value(&g, "--site"))) return 2;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_new, stdout);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      return unknown_option("new", a);
    } else if (!kind) {
      kind = a;
    } else if (!o.path) {
      o.path = a;
    } else {
      fprintf(stderr, "helpgen new: unexpected argument '%s' (one PATH only)\n", a);
      return 2;
    }
  }
  if (!kind || !o.path) {
    fputs(usage_new, stderr);
    return 2;
  }
  if (!hg_new_kind_parse(kind, &o.kind)) {
    fprintf(stderr, "helpgen new: unknown kind '%s' (article, faq, category or flow)\n", kind);
    return 2;
  }
  if (o.title && !*o.title) {
    fprintf(stderr, "helpgen new: --title must not be empty\n");
    return 2;
  }
  hg_error *err = NULL;
  char *file = hg_scaffold_new(&o, &err);
  if (!file) {
    fprintf(stderr, "helpgen new: %s %s\n",
            hg_term_color(stderr) ? "\033[1;31merror:\033[0m" : "error:", err ? err->msg : "failed");
    int code = err ? err->code : 1;
    hg_error_free(err);
    return code;
  }
  if (o.kind == HG_NEW_ARTICLE || o.kind == HG_NEW_FAQ)
    printf("created %s, a draft: helpgen serve --drafts shows it; delete its draft: true line "
           "to publish it\n", file);
  else
    printf("created %s\n", file);
  free(file);
  return 0;
}

/* ---- theme ---------------------------------------------------------------------- */

static int theme_list(const char *site) {
  hg_diags d = {0};
  hg_error *e = NULL;
  hg_config *cfg = hg_config_load(site, &d, &e);
  hg_diags_free(&d);
  if (!cfg) {
    fprintf(stderr, "helpgen theme: error: %s\n", e ? e->msg : "cannot read helpgen.yaml");
    hg_error_free(e);
    return 2;
  }
  char *builtin = hg_theme_builtin_dir(cfg->theme, NULL);
  char *own = hg_strdup_printf("%s/themes/%s", site, cfg->theme);
  char **files = NULL;
  size_t n = 0;
  if (builtin) hg_theme_list_files(builtin, &files, &n);
  if (hg_is_dir(own)) hg_list_files(own, &files, &n);
  if (!n) {
    fprintf(stderr, "helpgen theme: error: theme '%s' not found (see helpgen build)\n", cfg->theme);
    free(builtin);
    free(own);
    hg_config_free(cfg);
    return 2;
  }
  qsort(files, n, sizeof *files, cmp_cstr);
  for (size_t i = 0; i < n; i++) {
    if (i && !strcmp(files[i], files[i - 1])) continue;
    char *mine = hg_path_join(own, files[i]);
    char *base = builtin ? hg_path_join(builtin, files[i]) : NULL;
    bool site_has = hg_is_file(mine);
    char *path = site_has ? mine : base;
    size_t len = 0;
    const hg_theme_file *f = hg_theme_embedded_get(path);
    if (f) {
      len = f->len;
    } else {
      char *data = hg_read_file(path, &len, NULL);
      free(data);
    }
    const char *from = site_has ? (base && hg_theme_is_file(base) ? "site (overrides built-in)" : "site")
                                : (f ? "built-in" : base);
    printf("%-28s %7zu  %s\n", files[i], len, from);
    free(mine);
    free(base);
  }
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
  free(builtin);
  free(own);
  hg_config_free(cfg);
  return 0;
}

static int cmd_theme(int argc, char **argv) {
  const char *sub = NULL, *arg = NULL;
  bool force = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_theme, stdout);
      return 0;
    } else if (!strcmp(a, "--force")) {
      force = true;
    } else if (a[0] == '-' && a[1]) {
      return unknown_option("theme", a);
    } else if (!sub) {
      sub = a;
    } else if (!arg) {
      arg = a;
    } else {
      fprintf(stderr, "helpgen theme: unexpected argument '%s'\n", a);
      return 2;
    }
  }
  if (sub && !strcmp(sub, "list") && !force) return theme_list(arg ? arg : ".");
  if (sub && !strcmp(sub, "export") && arg) {
    hg_error *err = NULL;
    long n = hg_theme_export("default", arg, force, &err);
    if (n < 0) {
      fprintf(stderr, "helpgen theme: error: %s\n", err ? err->msg : "export failed");
      int code = err ? err->code : 1;
      hg_error_free(err);
      return code;
    }
    printf("wrote %ld files of the built-in theme into %s\n"
           "keep only the ones you change (put them under SITE/themes/default/)\n", n, arg);
    return 0;
  }
  fputs(usage_theme, stderr);
  return 2;
}

/* ---- check ---------------------------------------------------------------------- */

static int cmd_check(int argc, char **argv) {
  hg_check_opts o = {0};
  args g = {"check", argc, argv, 0};
  const char *format = "text", *output = NULL;
  bool strict = false, quiet = false;
  for (; g.i < argc; g.i++) {
    const char *a = argv[g.i];
    long n;
    if (is_opt(a, "--format") || is_opt(a, "-f")) {
      if (!(format = opt_value(&g, a[1] == '-' ? "--format" : "-f"))) return 2;
    } else if (is_opt(a, "-o") || is_opt(a, "--output")) {
      if (!(output = opt_value(&g, a[1] == '-' ? "--output" : "-o"))) return 2;
    } else if (is_opt(a, "--today")) {
      if (!(o.today = opt_value(&g, "--today"))) return 2;
    } else if (!strcmp(a, "--strict")) {
      strict = true;
    } else if (!strcmp(a, "--drafts")) {
      o.drafts = true;
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      quiet = true;
    } else if (is_opt(a, "--max-image-kb")) {
      if (!parse_int("check", "--max-image-kb", opt_value(&g, "--max-image-kb"), 1, 1000000, &n))
        return 2;
      o.max_image_kb = n;
    } else if (is_opt(a, "--threads")) {
      if (!parse_int("check", "--threads", opt_value(&g, "--threads"), 1, 4096, &n)) return 2;
      o.threads = (int)n;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      print_check_usage(stdout);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      return unknown_option("check", a);
    } else if (!o.site_dir) {
      o.site_dir = a;
    } else {
      fprintf(stderr, "helpgen check: unexpected argument '%s' (one SITE folder only)\n", a);
      return 2;
    }
  }
  if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "junit")) {
    fprintf(stderr, "helpgen check: --format must be text, json or junit, not '%s'\n", format);
    return 2;
  }
  hg_md_init();
  hg_check_report r;
  hg_error *err = NULL;
  if (!hg_check_run(&o, &r, &err)) {
    fprintf(stderr, "helpgen check: %s\n", err ? err->msg : "failed");
    hg_error_free(err);
    return 2;
  }
  FILE *out = stdout;
  if (output && !(out = fopen(output, "w"))) {
    fprintf(stderr, "helpgen check: cannot write %s\n", output);
    hg_check_report_free(&r);
    return 2;
  }
  bool text = !strcmp(format, "text");
  char *report = text ? hg_check_format_text(&r, !output && hg_term_color(stdout))
                 : !strcmp(format, "json") ? hg_check_format_json(&r, strict)
                                           : hg_check_format_junit(&r, strict);
  fputs(report, out);
  free(report);
  bool write_ok = output ? fclose(out) == 0 : fflush(out) == 0;
  if (output) { /* the findings for people, beside the file for machines */
    char *lines = hg_check_format_text(&r, hg_term_color(stderr));
    fputs(lines, stderr);
    free(lines);
  }
  if (!quiet) {
    char *sum = hg_check_summary(&r);
    fprintf(stderr, "%s\n", sum);
    free(sum);
  }
  int code = hg_check_exit_code(&r, strict);
  hg_check_report_free(&r);
  if (!write_ok) {
    fprintf(stderr, "helpgen check: cannot write the report%s%s\n", output ? " to " : "",
            output ? output : "");
    return 2;
  }
  return code;
}

/* ---- import --------------------------------------------------------------------- */

static int cmd_import(int argc, char **argv) {
  hg_import_opts o = {.log = stderr};
  args g = {"import", argc, argv, 0};
  const char *format = "text";
  for (; g.i < argc; g.i++) {
    const char *a = argv[g.i];
    if (is_opt(a, "-o") || is_opt(a, "--output")) {
      if (!(o.out_dir = opt_value(&g, a[1] == '-' ? "--output" : "-o"))) return 2;
    } else if (is_opt(a, "--lang")) {
      if (!(o.lang = opt_value(&g, "--lang"))) return 2;
    } else if (!strcmp(a, "--raw-html")) {
      o.raw_html = true;
    } else if (is_opt(a, "--format") || is_opt(a, "-f")) {
      if (!(format = opt_value(&g, a[1] == '-' ? "--format" : "-f"))) return 2;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_import, stdout);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      return unknown_option("import", a);
    } else if (!o.kind) {
      o.kind = a;
    } else if (!o.source) {
      o.source = a;
    } else {
      fprintf(stderr, "helpgen import: unexpected argument '%s' (one SOURCE folder only)\n", a);
      return 2;
    }
  }
  if (!o.kind || !o.source) {
    fputs(usage_import, stderr);
    return 2;
  }
  if (strcmp(format, "text") && strcmp(format, "json")) {
    fprintf(stderr, "helpgen import: --format must be text or json, not '%s'\n", format);
    return 2;
  }
  o.json = !strcmp(format, "json");
  return hg_import_run(&o);
}

/* ---- main ----------------------------------------------------------------------- */

/* glibc's malloc backs its heaps with transparent huge pages only when the
 * tunable is set before the process starts: a build touches 100+ MB of new
 * memory, and on virtual machines a page fault per 4 KB was up to a third
 * of an incremental build (the state of 10,000 articles restored in 0.10 s
 * against 0.03 s). So build and serve run themselves again with it, once
 * (not under valgrind or the sanitizers, whose allocators are their own;
 * HELPGEN_NO_REEXEC=1 turns it off, e.g. for a debugger). */
static void reexec_with_huge_pages(char **argv) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  (void)argv;
#else
  const char *t = getenv("GLIBC_TUNABLES"), *pre = getenv("LD_PRELOAD");
  if (getenv("HELPGEN_NO_REEXEC") || (t && strstr(t, "glibc.malloc.hugetlb")) ||
      (pre && strstr(pre, "vgpreload")))
    return;
  char *v = t && *t ? hg_strdup_printf("%s:glibc.malloc.hugetlb=1", t)
                    : hg_xstrdup("glibc.malloc.hugetlb=1");
  setenv("GLIBC_TUNABLES", v, 1);
  free(v);
  execv("/proc/self/exe", argv); /* returns only on failure: go on as we are */
#endif
}

int main(int argc, char **argv) {
  if (argc >= 2 && (!strcmp(argv[1], "build") || !strcmp(argv[1], "serve"))) {
    /* a signal while the process starts again is held (the blocked set
     * survives exec) until the handler is there: exit 130, never a bare 143 */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    reexec_with_huge_pages(argv);
    catch_signals();
    sigprocmask(SIG_UNBLOCK, &stop, NULL);
  }
  if (argc < 2) {
    fputs(usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    fputs(usage, stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("helpgen %s\n", HG_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "help")) {
    const char *what = argc > 2 ? argv[2] : NULL;
    if (!what) fputs(usage, stdout);
    else if (!strcmp(what, "build")) fputs(usage_build, stdout);
    else if (!strcmp(what, "serve")) fputs(usage_serve, stdout);
    else if (!strcmp(what, "new")) fputs(usage_new, stdout);
    else if (!strcmp(what, "init")) fputs(usage_init, stdout);
    else if (!strcmp(what, "check")) print_check_usage(stdout);
    else if (!strcmp(what, "import")) fputs(usage_import, stdout);
    else if (!strcmp(what, "theme")) fputs(usage_theme, stdout);
    else {
      fprintf(stderr, "helpgen help: unknown command '%s'\n", what);
      return 2;
    }
    return 0;
  }
  if (!strcmp(cmd, "build")) return cmd_build(argc - 2, argv + 2);
  if (!strcmp(cmd, "serve")) return cmd_serve(argc - 2, argv + 2);
  if (!strcmp(cmd, "new")) return cmd_new(argc - 2, argv + 2);
  if (!strcmp(cmd, "init")) return cmd_init(argc - 2, argv + 2);
  if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
  if (!strcmp(cmd, "import")) return cmd_import(argc - 2, argv + 2);
  if (!strcmp(cmd, "theme")) return cmd_theme(argc - 2, argv + 2);
  fprintf(stderr, "helpgen: unknown command '%s'\n\n%s", cmd, usage);
  return 2;
}
