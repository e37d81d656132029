/* main.c - the helpgen command line. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hg_build.h"
#include "hg_markdown.h"

static volatile sig_atomic_t g_interrupted;

static void on_signal(int sig) {
  (void)sig;
  g_interrupted = 1;
}

static const char usage[] =
    "helpgen " HG_VERSION " - a static help-center generator\n"
    "\n"
    "Usage:\n"
    "  helpgen build [SITE] [-o OUT] [--strict] [--quiet] [--drafts] [--threads N]\n"
    "  helpgen help [COMMAND]\n"
    "  helpgen --help | --version\n"
    "\n"
    "Commands:\n"
    "  build   turn SITE/content/ (Markdown articles) into a help center in OUT\n"
    "  help    show help for a command\n"
    "\n"
    "Exit codes: 0 built, 1 content errors, 2 usage or configuration errors.\n";

static const char usage_build[] =
    "Usage: helpgen build [SITE] [-o OUT] [--strict] [--quiet] [--drafts] [--threads N]\n"
    "\n"
    "Builds the help center in SITE (default: the current folder), which holds\n"
    "helpgen.yaml and content/, into OUT (default: SITE/public).\n"
    "The site is built in a temporary folder beside OUT that replaces OUT only\n"
    "when everything succeeded: a failed build leaves the previous site intact.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT   output folder (replaced only if empty or built by helpgen)\n"
    "  --strict           treat warnings as errors (for CI)\n"
    "  --quiet            no summary line (warnings and errors are still printed)\n"
    "  --drafts           publish articles with draft: true\n"
    "  --threads N        worker threads (default: all cores, or $HELPGEN_THREADS)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit codes: 0 built, 1 content errors (or warnings with --strict),\n"
    "2 usage, configuration or theme errors.\n";

static int cmd_build(int argc, char **argv) {
  hg_build_opts o = {.log = stderr, .interrupted = &g_interrupted};
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "helpgen build: %s needs a folder\n", a);
        return 2;
      }
      o.out_dir = argv[++i];
    } else if (!strncmp(a, "--output=", 9)) {
      o.out_dir = a + 9;
    } else if (!strcmp(a, "--strict")) {
      o.strict = true;
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
      o.quiet = true;
    } else if (!strcmp(a, "--drafts")) {
      o.drafts = true;
    } else if (!strcmp(a, "--threads")) {
      if (i + 1 >= argc || atoi(argv[i + 1]) < 1) {
        fprintf(stderr, "helpgen build: --threads needs a number of 1 or more\n");
        return 2;
      }
      o.threads = atoi(argv[++i]);
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_build, stdout);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "helpgen build: unknown option '%s' (see helpgen help build)\n", a);
      return 2;
    } else if (!o.site_dir) {
      o.site_dir = a;
    } else {
      fprintf(stderr, "helpgen build: unexpected argument '%s' (one SITE folder only)\n", a);
      return 2;
    }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  hg_md_init();
  hg_build_stats st;
  return hg_build(&o, &st);
}

int main(int argc, char **argv) {
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
    if (argc > 2 && !strcmp(argv[2], "build")) {
      fputs(usage_build, stdout);
      return 0;
    }
    if (argc > 2) {
      fprintf(stderr, "helpgen help: unknown command '%s'\n", argv[2]);
      return 2;
    }
    fputs(usage, stdout);
    return 0;
  }
  if (!strcmp(cmd, "build")) return cmd_build(argc - 2, argv + 2);
  fprintf(stderr, "helpgen: unknown command '%s'\n\n%s", cmd, usage);
  return 2;
}
