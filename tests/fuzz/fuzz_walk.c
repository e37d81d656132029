/* fuzz_walk.c - libFuzzer target for the walker (src/walk.c) over trees the
 * input describes: each pair of bytes makes a folder, a file or a symbolic
 * link (to ".", "..", a sibling made before, the site, a folder or file
 * outside the site, /etc/passwd, nothing) in a folder made so far.
 * Nothing is ever made through a link (links are leaves, files are
 * created with O_EXCL | O_NOFOLLOW): a link to /etc/passwd or to "../.."
 * is only ever looked at, never written through. The tree is walked as the content walk does (and quietly, and as
 * hg_walk_files), with and without follow_outside. Whatever the tree:
 *   - the walk ends, with a bounded number of entries (no loop is walked);
 *   - without follow_outside no entry resolves outside the site folder;
 *   - no folder is entered twice (same device and inode);
 *   - a duplicate is a link, to a file.
 * tests/fuzz/run.sh builds and runs it. */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hg_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NODES 48
#define MAX_ENTRIES 200000 /* far more than any finite walk of 48 nodes makes */

static char *g_base;      /* a temporary folder kept for the whole run */
static char *g_site_real; /* realpath of g_base/site */

typedef struct {
  bool follow;
  size_t entries;
  struct {
    dev_t dev;
    ino_t ino;
  } dirs[MAX_ENTRIES > 4096 ? 4096 : MAX_ENTRIES];
  size_t ndirs;
} check_ctx;

static bool under(const char *real, const char *dir) {
  size_t l = strlen(dir);
  return !strncmp(real, dir, l) && (real[l] == '/' || real[l] == '\0');
}

static int check_entry(void *ctx, const hg_walk_entry *e) {
  check_ctx *c = ctx;
  if (++c->entries > MAX_ENTRIES) abort(); /* a loop was walked */
  char *real = realpath(e->path, NULL);
  if (!real) return HG_WALK_GO; /* changed under us: cannot happen here */
  if (!c->follow && !under(real, g_site_real)) abort(); /* left the site */
  free(real);
  if (e->duplicate && (!e->via_link || e->kind != HG_WALK_FILE)) abort();
  if (e->kind == HG_WALK_DIR) {
    struct stat st;
    if (stat(e->path, &st) != 0) return HG_WALK_SKIP;
    for (size_t i = 0; i < c->ndirs; i++)
      if (c->dirs[i].dev == st.st_dev && c->dirs[i].ino == st.st_ino) abort(); /* twice */
    if (c->ndirs == sizeof c->dirs / sizeof c->dirs[0]) abort();
    c->dirs[c->ndirs].dev = st.st_dev;
    c->dirs[c->ndirs++].ino = st.st_ino;
  }
  return HG_WALK_GO;
}

static void rm_tree(const char *path) {
  hg_rm_rf(path); /* lstat: a link is removed, never followed */
}

static void remove_base(void) {
  if (g_base) hg_rm_rf(g_base);
}

/* A new file (never through a link, never over one). */
static bool new_file(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = write(fd, "# t\n", 4) == 4;
  close(fd);
  return ok;
}

static void setup_once(void) {
  if (g_base) return;
  const char *shm = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  char *t = hg_strdup_printf("%s/hg-fuzz-walk-XXXXXX", shm);
  if (!mkdtemp(t)) abort();
  g_base = t;
  char *site = hg_path_join(g_base, "site");
  mkdir(site, 0755);
  g_site_real = realpath(site, NULL);
  free(site);
  atexit(remove_base);
}

static const char *const names[] = {"a", "b", "_c", ".d", "x.md", "y.png", "z.markdown", "_index.md"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup_once();
  char *content = hg_path_join(g_base, "site/content");
  char *outside = hg_path_join(g_base, "outside");
  rm_tree(content);
  rm_tree(outside);
  mkdir(content, 0755);
  mkdir(outside, 0755);
  char *of = hg_path_join(outside, "o.md");
  new_file(of);
  /* nodes: relative paths below content/ ("" is content/ itself); isdir
   * only for folders made here (a link is never a parent) */
  char *nodes[MAX_NODES + 1];
  bool isdir[MAX_NODES + 1];
  size_t n = 0;
  nodes[n] = hg_xstrdup("");
  isdir[n++] = true;
  bool follow = size && (data[0] & 1);
  for (size_t i = 1; i + 1 < size && n <= MAX_NODES; i += 2) {
    uint8_t op = data[i], arg = data[i + 1];
    size_t parent = arg % n;
    if (!isdir[parent]) parent = 0;
    const char *name = names[(op >> 2) % (sizeof names / sizeof *names)];
    char *rel = *nodes[parent] ? hg_path_join(nodes[parent], name) : hg_xstrdup(name);
    char *full = hg_path_join(content, rel);
    bool ok = false, dir = false;
    switch (op & 3) {
    case 0: ok = mkdir(full, 0755) == 0; dir = true; break;
    case 1: ok = new_file(full); break;
    default: {
      char target[PATH_MAX];
      switch ((arg >> 4) % 9) {
      case 0: snprintf(target, sizeof target, "."); break;
      case 1: snprintf(target, sizeof target, ".."); break;
      case 2: snprintf(target, sizeof target, "../.."); break;
      case 3: snprintf(target, sizeof target, "%s", outside); break;
      case 4: snprintf(target, sizeof target, "%s", of); break;
      case 5: snprintf(target, sizeof target, "/etc/passwd"); break;
      case 6: snprintf(target, sizeof target, "nowhere"); break;
      case 7: snprintf(target, sizeof target, "%s/site", g_base); break;
      default: snprintf(target, sizeof target, "%s/%s", content, nodes[op % n]); break;
      }
      ok = symlink(target, full) == 0;
    }
    }
    free(full);
    if (ok) {
      nodes[n] = rel;
      isdir[n++] = dir;
    } else {
      free(rel);
    }
  }
  for (int mode = 0; mode < 3; mode++) {
    check_ctx *c = calloc(1, sizeof *c);
    c->follow = follow;
    hg_diags d = {0};
    char *site = hg_path_join(g_base, "site");
    hg_walk_opts o = {.fence = site, .fence_name = "the site folder", .follow_outside = follow,
                      .skip_underscore = mode == 0, .files_first = mode == 0,
                      .need_stat = mode == 1, .diags = mode == 1 ? NULL : &d,
                      .fn = check_entry, .ctx = c};
    hg_error *err = NULL;
    hg_walk(content, &o, &err);
    hg_error_free(err);
    if (mode == 2) {
      char **files = NULL;
      size_t nf = 0;
      hg_walk_files(content, site, NULL, follow, &files, &nf, &d, NULL);
      for (size_t k = 0; k < nf; k++) {
        if (nf > MAX_ENTRIES) abort();
        char *p = hg_path_join(content, files[k]);
        char *real = realpath(p, NULL);
        if (real && !follow && !under(real, g_site_real)) abort();
        free(real);
        free(p);
        free(files[k]);
      }
      free(files);
    }
    for (size_t k = 0; k < d.len; k++)
      if (!d.items[k].path || !d.items[k].msg) abort();
    hg_diags_free(&d);
    free(site);
    free(c);
  }
  for (size_t k = 0; k < n; k++) free(nodes[k]);
  free(of);
  free(content);
  free(outside);
  return 0;
}
