/* walk.c - the one walker of every tree helpgen reads: links followed only
 * inside the fence, loops and dangling links reported, interruptible (see
 * hg_walk.h). */
#include "hg_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MAX_DEPTH 64
#define COUNT_LIMIT 1000000 /* entries a skipped folder's Markdown count looks at */

static volatile sig_atomic_t *g_flag;

void hg_walk_set_interrupt(volatile sig_atomic_t *flag) { g_flag = flag; }

bool hg_walk_interrupted(void) { return g_flag && *g_flag; }

/* ---- a set of (device, inode) pairs --------------------------------------- */
typedef struct {
  uint64_t dev, ino; /* ino 0: empty slot (no folder has inode 0 on Linux) */
} dev_ino;

typedef struct {
  dev_ino *slots;
  size_t cap, len; /* cap: a power of two */
} ino_set;

static size_t ino_hash(uint64_t dev, uint64_t ino) {
  uint64_t h = (ino ^ (dev << 32 | dev >> 32)) * 0x9E3779B97F4A7C15ull;
  return (size_t)(h ^ h >> 29);
}

static bool ino_set_has(const ino_set *s, uint64_t dev, uint64_t ino) {
  if (!s->cap) return false;
  for (size_t i = ino_hash(dev, ino) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    if (!s->slots[i].ino) return false;
    if (s->slots[i].dev == dev && s->slots[i].ino == ino) return true;
  }
}

static void ino_set_add(ino_set *s, uint64_t dev, uint64_t ino) {
  if (!ino || ino_set_has(s, dev, ino)) return;
  if ((s->len + 1) * 2 > s->cap) {
    ino_set n = {hg_xcalloc(s->cap ? s->cap * 2 : 64, sizeof(dev_ino)), s->cap ? s->cap * 2 : 64,
                 0};
    for (size_t i = 0; i < s->cap; i++)
      if (s->slots[i].ino) ino_set_add(&n, s->slots[i].dev, s->slots[i].ino);
    free(s->slots);
    *s = n;
  }
  size_t i = ino_hash(dev, ino) & (s->cap - 1);
  while (s->slots[i].ino) i = (i + 1) & (s->cap - 1);
  s->slots[i] = (dev_ino){dev, ino};
  s->len++;
}

/* ---- the walk --------------------------------------------------------------- */
typedef struct {
  const hg_walk_opts *o;
  char *fence_real;  /* realpath of the fence */
  char *walked_real; /* realpath of the folder walked anyway */
  const char *fence_shown;
  int max_depth;
  dev_ino *stack; /* the folders being walked, outermost first */
  ino_set seen;   /* every folder entered */
  bool stopped;   /* fn said HG_WALK_STOP */
  bool interrupted;
} walker;

static const char *shown(const char *p) {
  while (p[0] == '.' && p[1] == '/') p += 2;
  return p;
}

static bool under(const char *real, const char *dir) {
  size_t l = strlen(dir);
  if (l == 1 && dir[0] == '/') return real[0] == '/';
  return !strncmp(real, dir, l) && (real[l] == '/' || real[l] == '\0');
}

/* real, relative to the fence when inside it ("content/a"), for messages. */
static const char *in_fence(const walker *w, const char *real) {
  size_t l = strlen(w->fence_real);
  if (!strcmp(real, w->fence_real)) return shown(w->o->fence ? w->o->fence : real);
  return under(real, w->fence_real) && real[l] == '/' ? real + l + 1 : real;
}

static bool skipped_name(const hg_walk_opts *o, const char *name, bool dir) {
  if (name[0] == '.') return true;
  if (o->skip_underscore && name[0] == '_' && dir) return true;
  for (size_t i = 0; dir && o->skip_names && o->skip_names[i]; i++)
    if (!strcmp(name, o->skip_names[i])) return true;
  return false;
}

/* true if a walk from `walked` reaches rel (a '/'-separated path below it)
 * through names it lists: no part hidden, with skip_underscore no part
 * starting with '_' (the content walk skips such files too), no folder
 * part in skip_names. */
static bool walkable(const walker *w, const char *rel) {
  while (*rel) {
    const char *slash = strchr(rel, '/');
    size_t l = slash ? (size_t)(slash - rel) : strlen(rel);
    if (rel[0] == '.' || (w->o->skip_underscore && rel[0] == '_')) return false;
    for (size_t i = 0; slash && w->o->skip_names && w->o->skip_names[i]; i++)
      if (strlen(w->o->skip_names[i]) == l && !strncmp(rel, w->o->skip_names[i], l)) return false;
    if (!slash) break;
    rel = slash + 1;
  }
  return true;
}

static void report(const walker *w, hg_severity sev, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(const walker *w, hg_severity sev, const char *path, const char *fmt, ...) {
  if (!w->o->diags) return;
  va_list ap;
  va_start(ap, fmt);
  hg_diags_vadd(w->o->diags, sev, shown(path), 0, 0, fmt, ap);
  va_end(ap);
}

static bool check_interrupt(walker *w) {
  if (hg_walk_interrupted()) w->interrupted = true;
  return w->interrupted;
}

/* Markdown files below dir (links not followed), up to COUNT_LIMIT entries. */
static size_t count_md(walker *w, const char *dir, int depth, size_t *budget) {
  if (depth > w->max_depth || check_interrupt(w)) return 0;
  DIR *d = opendir(dir);
  if (!d) return 0;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && *budget) {
    (*budget)--;
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    unsigned char t = e->d_type;
    if (t == DT_UNKNOWN) {
      struct stat st;
      if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
    }
    if (t == DT_DIR) {
      char *sub = hg_path_join(dir, e->d_name);
      n += count_md(w, sub, depth + 1, budget);
      free(sub);
    } else if (hg_str_has_suffix(e->d_name, ".md") || hg_str_has_suffix(e->d_name, ".markdown")) {
      n++;
    }
  }
  closedir(d);
  return n;
}

static void report_skipped(walker *w, const char *path) {
  size_t budget = COUNT_LIMIT;
  size_t n = count_md(w, path, 0, &budget);
  if (!n) return;
  const char *name = hg_path_basename(path);
  report(w, HG_WARN, path,
         "folder not published (names starting with '%c' are skipped), but it holds %zu "
         "Markdown file%s: rename it to '%s' to publish %s, or move %s elsewhere",
         name[0], n, n == 1 ? "" : "s", name + strspn(name, "._"), n == 1 ? "it" : "them",
         n == 1 ? "it" : "them");
}

typedef enum { LINK_FOLLOW, LINK_SKIP, LINK_DUPLICATE } link_verdict;

/* A link at `path`: may it be followed? Fills *st with its target's stat;
 * reports what is wrong with it. */
static link_verdict judge_link(walker *w, const char *path, int depth, struct stat *st) {
  char *real = realpath(path, NULL);
  if (!real) {
    int e = errno;
    char target[PATH_MAX];
    ssize_t tl = readlink(path, target, sizeof target - 1);
    target[tl > 0 ? tl : 0] = '\0';
    if (e == ENOENT || e == ENOTDIR)
      report(w, HG_ERR, path,
             "dangling symbolic link: its target '%s' does not exist (remove the link, or "
             "restore the file or folder it points to)", target);
    else if (e == ELOOP)
      report(w, HG_ERR, path,
             "symbolic link loop: '%s' leads back to this link through other links "
             "(remove one of the links)", target);
    else
      report(w, HG_ERR, path, "cannot follow symbolic link to '%s': %s", target, strerror(e));
    return LINK_SKIP;
  }
  link_verdict v = LINK_FOLLOW;
  if (stat(real, st) != 0) {
    report(w, HG_ERR, path, "cannot follow symbolic link to '%s': %s", real, strerror(errno));
    v = LINK_SKIP;
  } else if (!under(real, w->fence_real) && !w->o->follow_outside) {
    if (w->o->outside) (*w->o->outside)++;
    report(w, HG_ERR, path,
           "symbolic link to '%s', outside %s: helpgen reads no file from outside it (copy "
           "the file in, or set 'site: {follow_outside_links: true}' in helpgen.yaml to "
           "allow such links)", real, w->fence_shown);
    v = LINK_SKIP;
  } else if (S_ISDIR(st->st_mode)) {
    bool loop = false;
    for (int i = 0; i < depth && !loop; i++)
      loop = w->stack[i].dev == (uint64_t)st->st_dev && w->stack[i].ino == (uint64_t)st->st_ino;
    if (!loop) { /* a folder above the walk's root, or above the link */
      char *dir = hg_path_dirname(path);
      char *here = realpath(dir, NULL);
      loop = here && under(here, real);
      free(here);
      free(dir);
    }
    if (loop) {
      report(w, HG_ERR, path,
             "symbolic link loop: it leads back to '%s', a folder that holds the link "
             "(remove the link, or point it at a folder outside its own path)",
             in_fence(w, real));
      v = LINK_SKIP;
    }
    if (v == LINK_FOLLOW && ((under(real, w->walked_real) &&
                              walkable(w, real + strlen(w->walked_real) + 1)) ||
                             ino_set_has(&w->seen, st->st_dev, st->st_ino)))
      v = LINK_SKIP; /* walked at its real path */
  } else if (S_ISREG(st->st_mode)) {
    if (strcmp(real, w->walked_real) && under(real, w->walked_real) &&
        walkable(w, real + strlen(w->walked_real) + 1))
      v = LINK_DUPLICATE; /* listed at its real path */
  } else {
    report(w, HG_WARN, path, "symbolic link to '%s', which is not a file or a folder (skipped)",
           real);
    v = LINK_SKIP;
  }
  free(real);
  return v;
}

typedef struct {
  char *name;
  unsigned char type; /* its d_type: DT_DIR, DT_REG, DT_LNK, DT_UNKNOWN... */
  bool dir;           /* a folder (through a link too) */
  bool late;          /* files_first and a folder: after the files */
} entry;

static int cmp_entry(const void *a, const void *b) {
  const entry *x = a, *y = b;
  if (x->late != y->late) return x->late ? 1 : -1;
  return strcmp(x->name, y->name);
}

static void walk_dir(walker *w, const char *path, const char *rel, int depth, bool via_link);

/* One entry of a folder: judged, given to fn, entered. */
static void visit(walker *w, DIR *d, const char *dir, const char *rel, const entry *en, int depth,
                  bool via_link) {
  const hg_walk_opts *o = w->o;
  char *path = hg_path_join(dir, en->name);
  char *r = *rel ? hg_path_join(rel, en->name) : hg_xstrdup(en->name);
  struct stat st;
  bool have_st = false, link = false, dup = false;
  unsigned char t = en->type;
  if (en->dir && skipped_name(o, en->name, true)) { /* not entered, links not followed */
    if (t == DT_DIR && o->skip_underscore && (en->name[0] == '_' || en->name[0] == '.'))
      report_skipped(w, path);
    goto done;
  }
  if (t == DT_UNKNOWN || (o->need_stat && t != DT_LNK)) {
    if (fstatat(dirfd(d), en->name, &st, AT_SYMLINK_NOFOLLOW) != 0) goto done; /* vanished */
    have_st = true;
    t = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG
                                                                                          : DT_FIFO;
  }
  if (t == DT_LNK) {
    link = true;
    link_verdict v = judge_link(w, path, depth, &st);
    if (v == LINK_SKIP) goto done;
    dup = v == LINK_DUPLICATE;
    have_st = true;
    t = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
  }
  if (t != DT_DIR && t != DT_REG) {
    report(w, HG_WARN, path, "not a file or a folder (a pipe, socket or device; skipped)");
    goto done;
  }
  hg_walk_entry e = {t == DT_DIR ? HG_WALK_DIR : HG_WALK_FILE, path, r, en->name, depth,
                     have_st ? &st : NULL, via_link || link, dup};
  int res = o->fn(o->ctx, &e);
  if (res == HG_WALK_STOP) w->stopped = true;
  else if (t == DT_DIR && res == HG_WALK_GO) walk_dir(w, path, r, depth, via_link || link);
done:
  free(path);
  free(r);
}

static void walk_dir(walker *w, const char *path, const char *rel, int depth, bool via_link) {
  if (depth >= w->max_depth) {
    report(w, HG_ERR, path,
           "folders nested more than %d deep: not read (flatten the tree, or look for a "
           "folder that holds itself through a link or a mount)", w->max_depth);
    return;
  }
  DIR *d = opendir(path);
  if (!d) {
    report(w, HG_ERR, path, "cannot read folder: %s", strerror(errno));
    return;
  }
  struct stat self;
  if (fstat(dirfd(d), &self) == 0) {
    for (int i = 0; i < depth; i++)
      if (w->stack[i].dev == (uint64_t)self.st_dev && w->stack[i].ino == (uint64_t)self.st_ino) {
        report(w, HG_ERR, path, "folder loop: this folder is also one that holds it (a bind "
               "mount?); not read again (remove the mount)");
        closedir(d);
        return;
      }
    if (depth > 0 && ino_set_has(&w->seen, self.st_dev, self.st_ino)) {
      closedir(d); /* a second way to a folder already walked */
      return;
    }
    w->stack[depth] = (dev_ino){self.st_dev, self.st_ino};
    ino_set_add(&w->seen, self.st_dev, self.st_ino);
  } else {
    w->stack[depth] = (dev_ino){0, 0};
  }
  entry *es = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    const char *name = de->d_name;
    if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) continue;
    bool dir = de->d_type == DT_DIR;
    if (de->d_type == DT_UNKNOWN || de->d_type == DT_LNK) { /* ask (following a link) */
      struct stat st;
      dir = fstatat(dirfd(d), name, &st, 0) == 0 && S_ISDIR(st.st_mode);
    }
    if (name[0] == '.' && !(dir && w->o->skip_underscore))
      continue; /* hidden: not listed (a hidden folder is counted) */
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      es = hg_xrealloc(es, cap * sizeof *es);
    }
    es[n++] = (entry){hg_xstrdup(name), de->d_type, dir, w->o->files_first && dir};
  }
  if (n) qsort(es, n, sizeof *es, cmp_entry);
  for (size_t i = 0; i < n && !w->stopped && !check_interrupt(w); i++)
    visit(w, d, path, rel, &es[i], depth + 1, via_link);
  for (size_t i = 0; i < n; i++) free(es[i].name);
  free(es);
  closedir(d);
}

bool hg_walk(const char *root, const hg_walk_opts *o, hg_error **err) {
  walker w = {.o = o, .max_depth = o->max_depth > 0 ? o->max_depth : DEFAULT_MAX_DEPTH};
  if (check_interrupt(&w)) {
    hg_error_set(err, 130, NULL, 0, 0, "interrupted");
    return false;
  }
  char *root_real = realpath(root, NULL);
  if (!root_real) {
    hg_error_set(err, 2, shown(root), 0, 0, "cannot read folder: %s", strerror(errno));
    return false;
  }
  w.fence_real = o->fence ? realpath(o->fence, NULL) : NULL;
  if (!w.fence_real) w.fence_real = hg_xstrdup(root_real);
  w.walked_real = o->walked ? realpath(o->walked, NULL) : NULL;
  if (!w.walked_real) w.walked_real = hg_xstrdup(root_real);
  char *fence_msg = o->fence_name ? hg_xstrdup(o->fence_name)
                                  : hg_strdup_printf("the folder %s", shown(o->fence ? o->fence : root));
  w.fence_shown = fence_msg;
  bool ok = true;
  struct stat st;
  if (!under(root_real, w.fence_real) && !o->follow_outside) {
    hg_error_set(err, 2, shown(root), 0, 0,
                 "leads to '%s', outside %s: helpgen reads no file from outside it (move the "
                 "folder in, or set 'site: {follow_outside_links: true}' in helpgen.yaml)",
                 root_real, w.fence_shown);
    ok = false;
  } else if (stat(root_real, &st) != 0 || !S_ISDIR(st.st_mode)) {
    hg_error_set(err, 2, shown(root), 0, 0, "not a folder");
    ok = false;
  } else {
    w.stack = hg_xcalloc((size_t)w.max_depth + 1, sizeof *w.stack);
    hg_walk_entry e = {HG_WALK_DIR, root, "", "", 0, o->need_stat ? &st : NULL, false, false};
    int res = o->fn(o->ctx, &e);
    if (res == HG_WALK_STOP) w.stopped = true;
    else if (res == HG_WALK_GO) walk_dir(&w, root, "", 0, false);
    if (w.interrupted || check_interrupt(&w)) {
      hg_error_set(err, 130, NULL, 0, 0, "interrupted");
      ok = false;
    } else if (w.stopped) {
      ok = false;
    }
  }
  free(w.stack);
  free(w.seen.slots);
  free(fence_msg);
  free(w.fence_real);
  free(w.walked_real);
  free(root_real);
  return ok;
}

typedef struct {
  char ***out;
  size_t *n;
} files_ctx;

static int add_file(void *ctx, const hg_walk_entry *e) {
  files_ctx *f = ctx;
  if (e->kind == HG_WALK_FILE) {
    *f->out = hg_xrealloc(*f->out, (*f->n + 1) * sizeof **f->out);
    (*f->out)[(*f->n)++] = hg_xstrdup(e->rel);
  }
  return HG_WALK_GO;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

bool hg_walk_files(const char *root, const char *fence, const char *fence_name,
                   bool follow_outside, char ***out, size_t *n, hg_diags *diags, hg_error **err) {
  size_t from = *n;
  files_ctx f = {out, n};
  hg_walk_opts o = {.fence = fence, .fence_name = fence_name, .follow_outside = follow_outside,
                    .diags = diags,
                    .fn = add_file, .ctx = &f};
  bool ok = hg_walk(root, &o, err);
  if (*n - from > 1) qsort(*out + from, *n - from, sizeof **out, cmp_str);
  return ok;
}
