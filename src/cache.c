/* cache.c - input snapshots and the record of the last good build, so an
 * unchanged site is not built again (see hg_cache.h). */
#include "hg_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hg_output.h"

#define FORMAT "helpgen-cache 1"
#define MAX_DEPTH 64
/* Records of builds into this many output folders are kept (the most
 * recently written ones); tests and previews build into many. */
#define MAX_RECORDS 16
/* A file changed within this many seconds of a snapshot may change again
 * without its mtime moving (coarse timestamps): it is read again next time. */
#define RACY_NS 2000000000LL

typedef struct {
  char *path;       /* "s:content/a.md" (site) or "t:default/x.tpl" (themes) */
  uint64_t size, mtime_ns, ino;
  uint64_t hash;
  bool racy;
} file_ent;

typedef struct {
  file_ent *items;
  size_t len, cap;
} file_list;

struct hg_cache {
  char *dir;        /* SITE/.helpgen-cache */
  char *state_path; /* dir/build-<hash of OUT> */
  char *out_abs;
  file_list files;
  int64_t snap_ns;  /* wall clock when the snapshot began */
  char inputs[17];
  hg_cache_result res;
};

static int64_t stat_mtime_ns(const struct stat *st) {
  return (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

static void list_add(file_list *l, file_ent e) {
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 256;
    l->items = hg_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->len++] = e;
}

static void list_free(file_list *l) {
  for (size_t i = 0; i < l->len; i++) free(l->items[i].path);
  free(l->items);
  memset(l, 0, sizeof *l);
}

/* OUT may not exist yet: its absolute path all the same. */
static char *absolute(const char *p) {
  char *r = realpath(p, NULL);
  if (r) return r;
  if (p[0] == '/') return hg_xstrdup(p);
  char *cwd = getcwd(NULL, 0);
  char *j = hg_path_join(cwd ? cwd : ".", p);
  free(cwd);
  return j;
}

/* Parses a lowercase hex number ending in ' ' at *p; moves *p past the ' '. */
static bool hex_field(char **p, uint64_t *out) {
  uint64_t v = 0;
  char *s = *p;
  int digits = 0;
  for (; *s != ' '; s++, digits++) {
    int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
    if (d < 0 || digits == 16) return false;
    v = v << 4 | (uint64_t)d;
  }
  if (!digits) return false;
  *out = v;
  *p = s + 1;
  return true;
}

/* ---- the previous snapshot ----------------------------------------------- */
typedef struct {
  file_list files;
  hg_strmap index; /* path -> position in files */
} prev_files;

/* Reads the snapshot hg_cache_save wrote ("SIZE MTIME INODE HASH R PATH\n"
 * a file, in hex, R 'r' for racy or '-'); stops at the first bad line. */
static void prev_load(prev_files *p, const char *path) {
  memset(p, 0, sizeof *p);
  char *text = hg_read_file(path, NULL, NULL);
  if (!text || !hg_str_has_prefix(text, FORMAT "\n")) {
    free(text);
    return;
  }
  for (char *q = text + strlen(FORMAT "\n"); *q;) {
    char *nl = strchr(q, '\n');
    file_ent e = {0};
    if (!nl || !hex_field(&q, &e.size) || !hex_field(&q, &e.mtime_ns) ||
        !hex_field(&q, &e.ino) || !hex_field(&q, &e.hash) || q + 2 >= nl || q[1] != ' ')
      break;
    e.racy = q[0] != '-';
    e.path = hg_xstrndup(q + 2, (size_t)(nl - q - 2));
    hg_strmap_put(&p->index, e.path, (long)p->files.len);
    list_add(&p->files, e);
    q = nl + 1;
  }
  free(text);
}

static void prev_free(prev_files *p) {
  list_free(&p->files);
  hg_strmap_free(&p->index);
}

/* ---- the walk ------------------------------------------------------------ */
static bool hash_file(const char *path, uint64_t *out) {
  size_t len;
  char *data = hg_read_file(path, &len, NULL);
  if (!data) return false;
  *out = hg_hash64(data, len);
  free(data);
  return true;
}

typedef struct {
  char *abs, *rel; /* a folder at the top, walked on a thread of its own */
} walk_task;

typedef struct {
  const hg_cache *c;
  const prev_files *prev;
  file_list *out;           /* the files found */
  walk_task *tasks;         /* non-NULL: folders at depth 0 go here */
  size_t ntasks;
  dev_t dev[MAX_DEPTH + 1]; /* the folders being walked, outermost first: */
  ino_t ino[MAX_DEPTH + 1]; /* a symbolic link back to one is not followed */
} walk_ctx;

static void walk(walk_ctx *w, const char *abs, const char *rel, int depth) {
  struct stat self;
  if (depth > MAX_DEPTH || stat(abs, &self) != 0) return;
  for (int i = 0; i < depth; i++)
    if (w->dev[i] == self.st_dev && w->ino[i] == self.st_ino) return;
  w->dev[depth] = self.st_dev;
  w->ino[depth] = self.st_ino;
  DIR *d = opendir(abs);
  if (!d) return;
  struct dirent *e;
  size_t cap = 0;
  while ((e = readdir(d))) {
    const char *name = e->d_name;
    if (w->tasks && w->ntasks == cap) {
      cap = cap ? cap * 2 : 16;
      w->tasks = hg_xrealloc(w->tasks, cap * sizeof *w->tasks);
    }
    if (name[0] == '.' || !strcmp(name, "node_modules")) continue;
    char *full = hg_path_join(abs, name);
    char *r = hg_strdup_printf("%s%s%s", rel, rel[strlen(rel) - 1] == ':' ? "" : "/", name);
    struct stat st;
    if (fstatat(dirfd(d), name, &st, 0) != 0) { /* follows links, as stat */
      /* vanished, or a dangling link: nothing a build reads */
    } else if (S_ISDIR(st.st_mode)) {
      char *marker = hg_path_join(full, HG_OUTPUT_MARKER);
      bool output = hg_is_file(marker) || !strcmp(full, w->c->out_abs);
      free(marker);
      if (!output && w->tasks && depth == 0) { /* walked later, on a thread */
        w->tasks[w->ntasks++] = (walk_task){full, r};
        full = r = NULL;
      } else if (!output) {
        walk(w, full, r, depth + 1);
      }
    } else if (S_ISREG(st.st_mode) && !strchr(r, '\n')) {
      file_ent f = {r, (uint64_t)st.st_size, (uint64_t)stat_mtime_ns(&st), (uint64_t)st.st_ino,
                    0, false};
      long at = hg_strmap_get(&w->prev->index, r, -1);
      const file_ent *p = at >= 0 ? &w->prev->files.items[at] : NULL;
      bool known = p && !p->racy && p->size == f.size && p->mtime_ns == f.mtime_ns &&
                   p->ino == f.ino;
      if (known) f.hash = p->hash;
      if (known || hash_file(full, &f.hash)) {
        f.racy = (int64_t)f.mtime_ns >= w->c->snap_ns - RACY_NS;
        list_add(w->out, f);
        r = NULL; /* owned by the list */
      }
    }
    free(r);
    free(full);
  }
  closedir(d);
}

typedef struct {
  const hg_cache *c;
  const prev_files *prev;
  walk_ctx top;     /* its folder stack is the root's */
  file_list *lists; /* one per task */
} par_walk;

static void walk_task_run(void *ctx, size_t i, int worker) {
  par_walk *p = ctx;
  walk_ctx w = p->top;
  w.out = &p->lists[i];
  w.tasks = NULL;
  walk(&w, p->top.tasks[i].abs, p->top.tasks[i].rel, 1);
}

/* walk(), with every folder at the top of root on the next free thread:
 * the stat calls of a big site are most of a no-change build. */
static void walk_root(const hg_cache *c, const prev_files *prev, const char *root,
                      const char *rel, file_list *out) {
  par_walk p = {c, prev, {.c = c, .prev = prev, .out = out}, NULL};
  p.top.tasks = hg_xmalloc(sizeof *p.top.tasks); /* non-NULL: collect */
  walk(&p.top, root, rel, 0);
  p.lists = hg_xcalloc(p.top.ntasks ? p.top.ntasks : 1, sizeof *p.lists);
  hg_parallel_for(p.top.ntasks, hg_default_threads(), walk_task_run, &p);
  for (size_t i = 0; i < p.top.ntasks; i++) {
    for (size_t k = 0; k < p.lists[i].len; k++) list_add(out, p.lists[i].items[k]);
    free(p.lists[i].items);
    free(p.top.tasks[i].abs);
    free(p.top.tasks[i].rel);
  }
  free(p.lists);
  free(p.top.tasks);
}

static int cmp_ent(const void *a, const void *b) {
  return strcmp(((const file_ent *)a)->path, ((const file_ent *)b)->path);
}

static int64_t wall_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

hg_cache *hg_cache_open(const char *site_dir, const char *out_dir, const char *themes_root,
                        const char *opts_key) {
  hg_cache *c = hg_xcalloc(1, sizeof *c);
  c->snap_ns = wall_ns();
  c->dir = hg_path_join(site_dir, HG_CACHE_DIR);
  c->out_abs = absolute(out_dir);
  char hex[17];
  hg_hash_hex(c->out_abs, strlen(c->out_abs), hex);
  char *name = hg_strdup_printf("build-%s", hex);
  c->state_path = hg_path_join(c->dir, name);
  free(name);

  prev_files prev;
  char *fp = hg_path_join(c->dir, "files");
  prev_load(&prev, fp);
  free(fp);
  walk_root(c, &prev, site_dir, "s:", &c->files);
  char *troot = themes_root ? absolute(themes_root) : NULL;
  if (troot) walk_root(c, &prev, troot, "t:", &c->files);
  prev_free(&prev);
  qsort(c->files.items, c->files.len, sizeof *c->files.items, cmp_ent);

  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b, "helpgen %s\nopts %s\nthemes %s\n", HG_VERSION, opts_key,
                troot ? troot : "-");
  struct stat st; /* a rebuilt helpgen may write different pages */
  if (stat("/proc/self/exe", &st) == 0)
    hg_buf_printf(&b, "exe %" PRIu64 " %" PRId64 " %" PRIu64 "\n", (uint64_t)st.st_size,
                  stat_mtime_ns(&st), (uint64_t)st.st_ino);
  for (size_t i = 0; i < c->files.len; i++)
    hg_buf_printf(&b, "%s %016" PRIx64 "\n", c->files.items[i].path, c->files.items[i].hash);
  hg_hash_hex(b.data, b.len, c->inputs);
  hg_buf_free(&b);
  free(troot);
  return c;
}

void hg_cache_free(hg_cache *c) {
  if (!c) return;
  list_free(&c->files);
  free(c->res.report);
  free(c->res.notes);
  free(c->dir);
  free(c->state_path);
  free(c->out_abs);
  free(c);
}

const char *hg_cache_inputs(const hg_cache *c) { return c->inputs; }

/* ---- the last good build ------------------------------------------------- */
typedef struct {
  char *rel; /* NUL-terminated inside the state file's text */
  uint64_t size, mtime, ino;
} out_file;

typedef struct {
  int dirfd; /* OUT */
  const out_file *files;
  size_t n;
  _Atomic bool changed;
} out_check;

/* Each of 8 slices of the list on the next free thread: stat calls are
 * most of the no-change path, and they run in parallel. */
static void check_slice(void *ctx, size_t i, int worker) {
  out_check *k = ctx;
  size_t from = k->n * i / 8, to = k->n * (i + 1) / 8;
  for (size_t j = from; j < to && !k->changed; j++) {
    const out_file *f = &k->files[j];
    struct stat st;
    if (fstatat(k->dirfd, f->rel, &st, 0) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size != f->size || (uint64_t)stat_mtime_ns(&st) != f->mtime ||
        (uint64_t)st.st_ino != f->ino)
      k->changed = true;
  }
}

/* Does every file listed in `lines` ("SIZE MTIME INODE REL\n" in hex) still
 * have that stat in OUT? */
static bool out_unchanged(const hg_cache *c, char *lines, size_t nout) {
  out_file *files = hg_xcalloc(nout ? nout : 1, sizeof *files);
  size_t n = 0;
  bool ok = true;
  for (char *p = lines; ok && *p; n++) {
    char *nl = strchr(p, '\n');
    ok = nl && n < nout && hex_field(&p, &files[n].size) && hex_field(&p, &files[n].mtime) &&
         hex_field(&p, &files[n].ino) && p < nl && p[0] != '/';
    if (!ok) break;
    *nl = '\0';
    files[n].rel = p;
    p = nl + 1;
  }
  int fd = ok && n == nout ? open(c->out_abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  ok = fd >= 0;
  if (ok) {
    out_check k = {fd, files, n, false};
    hg_parallel_for(8, hg_default_threads(), check_slice, &k);
    ok = !k.changed;
    close(fd);
  }
  free(files);
  return ok;
}

bool hg_cache_fresh(hg_cache *c, hg_cache_result *r) {
  FILE *f = fopen(c->state_path, "r");
  if (!f) return false;
  bool ok = false;
  char *line = NULL, *report = NULL, *notes = NULL;
  size_t cap = 0, pages, articles, warnings, rlen, nlen, nout;
  char inputs[17];
  ssize_t n = getline(&line, &cap, f);
  if (n <= 0 || strcmp(line, FORMAT "\n")) goto done;
  if (fscanf(f, "inputs %16s\nstats %zu %zu %zu\nreport %zu", inputs, &pages, &articles,
             &warnings, &rlen) != 5 || fgetc(f) != '\n' || strcmp(inputs, c->inputs) ||
      rlen > ((size_t)1 << 30))
    goto done;
  report = hg_xmalloc(rlen + 1);
  if (fread(report, 1, rlen, f) != rlen) goto done;
  report[rlen] = '\0';
  if (fscanf(f, "\nnotes %zu", &nlen) != 1 || fgetc(f) != '\n' || nlen > ((size_t)1 << 30))
    goto done;
  notes = hg_xmalloc(nlen + 1);
  if (fread(notes, 1, nlen, f) != nlen) goto done;
  notes[nlen] = '\0';
  if (fscanf(f, "\nout %zu", &nout) != 1 || fgetc(f) != '\n' || nout == 0 ||
      nout > ((size_t)1 << 26))
    goto done;
  hg_buf rest = HG_BUF_INIT; /* the list of OUT's files, to the end */
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) hg_buf_append(&rest, chunk, got);
  bool same = rest.len && out_unchanged(c, rest.data, nout);
  hg_buf_free(&rest);
  if (!same) goto done;
  free(c->res.report);
  free(c->res.notes);
  c->res = (hg_cache_result){report, notes, pages, articles, warnings};
  report = notes = NULL;
  *r = c->res;
  ok = true;
done:
  free(report);
  free(notes);
  free(line);
  fclose(f);
  return ok;
}

/* Writes to path through a temporary file and a rename, so a reader never
 * sees half a file. */
static bool write_atomic(const char *path, const hg_buf *b) {
  char *tmp = hg_strdup_printf("%s.%ld.tmp", path, (long)getpid());
  bool ok = hg_write_file(tmp, hg_buf_cstr(b), b->len, NULL) && rename(tmp, path) == 0;
  if (!ok) unlink(tmp);
  free(tmp);
  return ok;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
  char *path;
  int64_t mtime;
} record;

static int cmp_record(const void *a, const void *b) {
  const record *x = a, *y = b;
  if (x->mtime != y->mtime) return x->mtime > y->mtime ? -1 : 1;
  return strcmp(x->path, y->path);
}

/* Removes all but the MAX_RECORDS newest build records. */
static void forget_old_records(const hg_cache *c) {
  DIR *d = opendir(c->dir);
  if (!d) return;
  record *rs = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!hg_str_has_prefix(e->d_name, "build-") || strchr(e->d_name, '.')) continue;
    char *p = hg_path_join(c->dir, e->d_name);
    struct stat st;
    if (stat(p, &st) != 0) {
      free(p);
      continue;
    }
    rs = hg_xrealloc(rs, (n + 1) * sizeof *rs);
    rs[n++] = (record){p, stat_mtime_ns(&st)};
  }
  closedir(d);
  if (n) qsort(rs, n, sizeof *rs, cmp_record);
  for (size_t i = 0; i < n; i++) {
    if (i >= MAX_RECORDS) unlink(rs[i].path);
    free(rs[i].path);
  }
  free(rs);
}

void hg_cache_save(hg_cache *c, const hg_cache_result *r) {
  if (!hg_is_dir(c->dir)) {
    if (mkdir(c->dir, 0755) != 0) return;
    /* backup and sync tools skip folders marked like this */
    char *tag = hg_path_join(c->dir, "CACHEDIR.TAG");
    static const char sig[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                              "# helpgen's build cache: safe to delete.\n";
    hg_write_file(tag, sig, strlen(sig), NULL);
    free(tag);
  }
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, FORMAT "\n");
  for (size_t i = 0; i < c->files.len; i++) {
    const file_ent *e = &c->files.items[i];
    hg_buf_printf(&b, "%" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %c %s\n", e->size,
                  e->mtime_ns, e->ino, e->hash, e->racy ? 'r' : '-', e->path);
  }
  char *fp = hg_path_join(c->dir, "files");
  bool ok = write_atomic(fp, &b);
  free(fp);
  hg_buf_free(&b);
  if (!ok) return;

  char **rels = NULL;
  size_t n = 0;
  hg_list_files(c->out_abs, &rels, &n); /* skips dot files: add the marker */
  rels = hg_xrealloc(rels, (n + 1) * sizeof *rels);
  rels[n++] = hg_xstrdup(HG_OUTPUT_MARKER);
  qsort(rels, n, sizeof *rels, cmp_str);
  hg_buf o = HG_BUF_INIT;
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    char *p = hg_path_join(c->out_abs, rels[i]);
    struct stat st;
    if (!strchr(rels[i], '\n') && stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
      hg_buf_printf(&o, "%" PRIx64 " %" PRIx64 " %" PRIx64 " %s\n", (uint64_t)st.st_size,
                    (uint64_t)stat_mtime_ns(&st), (uint64_t)st.st_ino, rels[i]);
      kept++;
    }
    free(p);
    free(rels[i]);
  }
  free(rels);
  hg_buf_printf(&b, FORMAT "\ninputs %s\nstats %zu %zu %zu\nreport %zu\n", c->inputs, r->pages,
                r->articles, r->warnings, strlen(r->report));
  hg_buf_puts(&b, r->report);
  hg_buf_printf(&b, "\nnotes %zu\n", strlen(r->notes));
  hg_buf_puts(&b, r->notes);
  hg_buf_printf(&b, "\nout %zu\n", kept);
  hg_buf_append(&b, hg_buf_cstr(&o), o.len);
  hg_buf_free(&o);
  write_atomic(c->state_path, &b);
  hg_buf_free(&b);
  forget_old_records(c);
}
