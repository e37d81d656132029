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
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hg_output.h"
#include "hg_walk.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#define FORMAT "helpgen-cache 4"
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
  bool reread; /* not known from the last snapshot: read and hashed */
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
  char env[17];     /* digest of the helpgen binary, themes root and options */
  hg_cache_result res;
  bool untrusted;   /* the walk left links out of the site or was stopped:
                       no build is fresh or a base for an incremental one */
  struct prev_record *rec; /* the last good build into OUT, or NULL */
  hg_output_file *prev_out; /* rec's listings for hg_cache_previous */
  hg_output_file *prev_scratch;
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

/* ---- binary listings -------------------------------------------------------
 * The snapshot and the record's file listings (30,000 entries on a 10,000-
 * article site, read and written on every build) are binary: per entry
 * `nv` u64 numbers in host byte order (the cache never leaves the machine)
 * and a NUL-terminated path, read in place. */
static void put_entry(hg_buf *b, const uint64_t *v, size_t nv, const char *path) {
  hg_buf_append(b, (const char *)v, nv * sizeof *v);
  hg_buf_append(b, path, strlen(path) + 1);
}

/* Reads an entry at *p (before end); NULL when it does not fit or its path
 * is empty, absolute or has no NUL. */
static const char *get_entry(char **p, const char *end, uint64_t *v, size_t nv) {
  size_t need = nv * sizeof *v;
  if ((size_t)(end - *p) <= need) return NULL;
  memcpy(v, *p, need);
  char *path = *p + need, *nul = memchr(path, '\0', (size_t)(end - path));
  if (!nul || nul == path || path[0] == '/') return NULL;
  *p = nul + 1;
  return path;
}

/* ---- the previous snapshot ----------------------------------------------- */
typedef struct {
  char *text;       /* the snapshot; paths point into it */
  file_ent *items;  /* sorted by path, as written */
  size_t len;
} prev_files;

/* Reads the snapshot hg_cache_save wrote (FORMAT "\n", then an entry of
 * SIZE MTIME INODE HASH RACY and the path per file, sorted by path); stops
 * at the first bad or unsorted entry. */
static void prev_load(prev_files *p, const char *path) {
  memset(p, 0, sizeof *p);
  size_t len;
  char *text = hg_read_file(path, &len, NULL);
  if (!text || !hg_str_has_prefix(text, FORMAT "\n")) {
    free(text);
    return;
  }
  p->text = text;
  size_t cap = len / 48 + 1; /* entries are longer than that */
  p->items = hg_xmalloc(cap * sizeof *p->items);
  char *q = text + strlen(FORMAT "\n"), *end = text + len;
  while (q < end) { /* SIZE MTIME INODE HASH RACY, PATH */
    uint64_t v[5];
    const char *name = get_entry(&q, end, v, 5);
    if (!name || (p->len && strcmp(p->items[p->len - 1].path, name) >= 0)) break;
    if (p->len == cap) {
      cap *= 2;
      p->items = hg_xrealloc(p->items, cap * sizeof *p->items);
    }
    p->items[p->len++] = (file_ent){(char *)name, v[0], v[1], v[2], v[3], v[4] != 0, false};
  }
}

static const file_ent *prev_find(const prev_files *p, const char *path) {
  size_t lo = 0, hi = p->len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(p->items[mid].path, path);
    if (!c) return &p->items[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static void prev_free(prev_files *p) {
  free(p->items);
  free(p->text);
  memset(p, 0, sizeof *p);
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

#define SPLIT_DEPTH 1 /* folders found this deep are walked on threads */

typedef struct {
  char *abs, *rel; /* a folder walked on a thread of its own */
} walk_task;

typedef struct {
  const hg_cache *c;
  const prev_files *prev;
  const char *root;         /* the tree's root: links may not leave it */
  const char *prefix;       /* "s:" or "t:" and, in a task, its folder */
  file_list *out;           /* the files found */
  walk_task *tasks;         /* non-NULL: folders at SPLIT_DEPTH go here */
  size_t ntasks, taskcap;
  size_t outside;           /* links leading out of the root, not followed */
  bool interrupted;
} walk_ctx;

static const char *const skip_names[] = {"node_modules", NULL};

/* "s:" + rel or "s:content/orders" + "/" + rel, without printf: a site
 * has tens of thousands of files and this runs on every build */
static char *cache_rel(const char *prefix, const char *rel) {
  size_t pl = strlen(prefix), rl = strlen(rel);
  bool top = prefix[pl - 1] == ':';
  char *r = hg_xmalloc(pl + rl + 2);
  memcpy(r, prefix, pl);
  size_t at = pl;
  if (!top) r[at++] = '/';
  memcpy(r + at, rel, rl + 1);
  return r;
}

static int walk_entry(void *ctx, const hg_walk_entry *e) {
  walk_ctx *w = ctx;
  if (e->kind == HG_WALK_DIR) {
    if (e->depth == 0) return HG_WALK_GO;
    char *marker = hg_path_join(e->path, HG_OUTPUT_MARKER);
    bool output = hg_is_file(marker) || !strcmp(e->path, w->c->out_abs);
    free(marker);
    if (output) return HG_WALK_SKIP;
    if (w->tasks && e->depth == SPLIT_DEPTH + 1) { /* walked later, on a thread */
      if (w->ntasks == w->taskcap) {
        w->taskcap = w->taskcap ? w->taskcap * 2 : 16;
        w->tasks = hg_xrealloc(w->tasks, w->taskcap * sizeof *w->tasks);
      }
      w->tasks[w->ntasks++] = (walk_task){hg_xstrdup(e->path), cache_rel(w->prefix, e->rel)};
      return HG_WALK_SKIP;
    }
    return HG_WALK_GO;
  }
  if (e->duplicate || !S_ISREG(e->st->st_mode) || strchr(e->rel, '\n')) return HG_WALK_GO;
  const struct stat *st = e->st;
  char *r = cache_rel(w->prefix, e->rel);
  file_ent f = {r, (uint64_t)st->st_size, (uint64_t)stat_mtime_ns(st), (uint64_t)st->st_ino,
                0, false, false};
  const file_ent *p = prev_find(w->prev, r);
  bool known = p && !p->racy && p->size == f.size && p->mtime_ns == f.mtime_ns &&
               p->ino == f.ino;
  if (known) f.hash = p->hash;
  else f.reread = true;
  if (known || hash_file(e->path, &f.hash)) {
    f.racy = (int64_t)f.mtime_ns >= w->c->snap_ns - RACY_NS;
    list_add(w->out, f);
  } else {
    free(r);
  }
  return HG_WALK_GO;
}

/* One walk of `abs` (hg_walk: links stay inside w->root, quietly). */
static void walk(walk_ctx *w, const char *abs) {
  hg_walk_opts o = {.fence = w->root, .walked = w->root, .need_stat = true,
                    .skip_names = skip_names, .outside = &w->outside, .fn = walk_entry, .ctx = w};
  hg_error *err = NULL;
  if (!hg_walk(abs, &o, &err) && err && err->code == 130) w->interrupted = true;
  hg_error_free(err);
}

typedef struct {
  walk_ctx top;     /* the root's walk, with the tasks */
  walk_ctx *subs;   /* one per task */
  file_list *lists; /* one per task */
} par_walk;

static void walk_task_run(void *ctx, size_t i, int worker) {
  par_walk *p = ctx;
  walk_ctx *w = &p->subs[i];
  *w = p->top;
  w->out = &p->lists[i];
  w->tasks = NULL;
  w->ntasks = w->taskcap = 0;
  w->outside = 0;
  w->prefix = p->top.tasks[i].rel;
  walk(w, p->top.tasks[i].abs);
}

/* walk(), with every folder SPLIT_DEPTH + 1 levels down (content/orders)
 * on the next free thread: the stat calls of a big site are most of a
 * no-change build. Returns false when a link left the root or the walk
 * was interrupted: the snapshot then does not vouch for the inputs. */
static bool walk_root(const hg_cache *c, const prev_files *prev, const char *root,
                      const char *rel, file_list *out) {
  par_walk p = {{.c = c, .prev = prev, .root = root, .prefix = rel, .out = out}, NULL, NULL};
  p.top.tasks = hg_xmalloc(sizeof *p.top.tasks); /* non-NULL: collect */
  walk(&p.top, root);
  p.lists = hg_xcalloc(p.top.ntasks ? p.top.ntasks : 1, sizeof *p.lists);
  p.subs = hg_xcalloc(p.top.ntasks ? p.top.ntasks : 1, sizeof *p.subs);
  hg_parallel_for(p.top.ntasks, hg_default_threads(), walk_task_run, &p);
  bool trusted = !p.top.outside && !p.top.interrupted;
  for (size_t i = 0; i < p.top.ntasks; i++) {
    trusted = trusted && !p.subs[i].outside && !p.subs[i].interrupted;
    for (size_t k = 0; k < p.lists[i].len; k++) list_add(out, p.lists[i].items[k]);
    free(p.lists[i].items);
    free(p.top.tasks[i].abs);
    free(p.top.tasks[i].rel);
  }
  free(p.lists);
  free(p.subs);
  free(p.top.tasks);
  return trusted;
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
  /* a link out of the site (site.follow_outside_links) leads to files the
   * snapshot does not hold: such a site is built every time */
  c->untrusted = !walk_root(c, &prev, site_dir, "s:", &c->files);
  char *troot = themes_root ? absolute(themes_root) : NULL;
  if (troot && !walk_root(c, &prev, troot, "t:", &c->files)) c->untrusted = true;
  prev_free(&prev);
  qsort(c->files.items, c->files.len, sizeof *c->files.items, cmp_ent);

  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b, "helpgen %s\nopts %s\nthemes %s\n", HG_VERSION, opts_key,
                troot ? troot : "-");
  struct stat st; /* a rebuilt helpgen may write different pages */
  if (stat("/proc/self/exe", &st) == 0)
    hg_buf_printf(&b, "exe %" PRIu64 " %" PRId64 " %" PRIu64 "\n", (uint64_t)st.st_size,
                  stat_mtime_ns(&st), (uint64_t)st.st_ino);
  hg_hash_hex(b.data, b.len, c->env);
  for (size_t i = 0; i < c->files.len; i++)
    hg_buf_printf(&b, "%s %016" PRIx64 "\n", c->files.items[i].path, c->files.items[i].hash);
  hg_hash_hex(b.data, b.len, c->inputs);
  hg_buf_free(&b);
  free(troot);
  return c;
}

static void record_free(struct prev_record *r);

void hg_cache_free(hg_cache *c) {
  if (!c) return;
  record_free(c->rec);
  free(c->prev_out);
  free(c->prev_scratch);
  list_free(&c->files);
  free(c->res.report);
  free(c->res.notes);
  free(c->dir);
  free(c->state_path);
  free(c->out_abs);
  free(c);
}

const char *hg_cache_inputs(const hg_cache *c) { return c->inputs; }

const char *hg_cache_dir(const hg_cache *c) { return c->dir; }

/* ---- the last good build ------------------------------------------------- */
/* A record ("build-<hash of OUT>") is text lines, then binary listings:
 *   helpgen-cache 3
 *   inputs HEX16 / env HEX16 / stats PAGES ARTICLES WARNINGS
 *   report LEN\n<bytes>\nnotes LEN\n<bytes>\n
 *   state ID LOGLEN      (ID, the hash of the base, "-": no state)
 *   statefiles SIZE MTIME INODE SIZE MTIME INODE  (of the base and the log, hex)
 *   out N\n, then N entries SIZE MTIME INODE HASH, REL   OUT's files
 *   files N\n, then N entries HASH, PATH                 the build's inputs
 *   scratch N\n, the same as out for the build folder beside OUT (the site
 *   before); entries as put_entry writes them. */
typedef struct {
  char *rel; /* NUL-terminated inside the record's text */
  uint64_t size, mtime, ino, hash;
} out_file;

typedef struct {
  uint64_t hash;
  char *path;
} in_file;

struct prev_record {
  char *text;
  char inputs[17], env[17];
  size_t pages, articles, warnings;
  char *report, *notes;
  char state_id[17]; /* "" without state; the hash of the base */
  size_t loglen;     /* bytes of the log that go with this record */
  uint64_t state_stat[6]; /* size, mtime, inode of the base and the log
                             when written (the log's 0 without one) */
  in_file *files;
  size_t nfiles;
  out_file *out, *scratch;
  size_t nout, nscratch;
  char *rest, *end; /* the listings record_rest reads */
  bool rest_bad;
};

static void record_free(struct prev_record *r) {
  if (!r) return;
  free(r->text);
  free(r->report);
  free(r->notes);
  free(r->files);
  free(r->out);
  free(r->scratch);
  free(r);
}

/* Reads "<key> " at *p and a decimal count ending in '\n'. */
static bool count_line(char **p, const char *key, size_t *n) {
  size_t kl = strlen(key);
  if (strncmp(*p, key, kl) || (*p)[kl] != ' ') return false;
  char *end;
  unsigned long long v = strtoull(*p + kl + 1, &end, 10);
  if (end == *p + kl + 1 || *end != '\n' || v > ((size_t)1 << 30)) return false;
  *n = (size_t)v;
  *p = end + 1;
  return true;
}

/* "<key> LEN\n" and LEN bytes and '\n': a new string. */
static bool blob_line(char **p, const char *end, const char *key, char **out) {
  size_t len;
  if (!count_line(p, key, &len) || (size_t)(end - *p) < len + 1 || (*p)[len] != '\n')
    return false;
  *out = hg_xstrndup(*p, len);
  *p += len + 1;
  return true;
}

/* "WORD HEX16\n" */
static bool hex16_line(char **p, const char *key, char out[17]) {
  size_t kl = strlen(key);
  if (strncmp(*p, key, kl) || (*p)[kl] != ' ') return false;
  char *s = *p + kl + 1;
  for (int i = 0; i < 16; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  if (s[16] != '\n') return false;
  memcpy(out, s, 16);
  out[16] = '\0';
  *p = s + 17;
  return true;
}

/* The entry of sorted list v named rel, searching from *from on (callers
 * ask in sorted order, so a merge walk: *from moves on); else NULL. */
static const out_file *match(const out_file *v, size_t n, const char *rel, size_t *from) {
  size_t lo = *from, hi = n;
  while (lo < hi) { /* the first entry >= rel */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(v[mid].rel, rel) < 0) lo = mid + 1;
    else hi = mid;
  }
  *from = lo;
  return lo < n && !strcmp(v[lo].rel, rel) ? &v[lo] : NULL;
}

/* n entries of a listing (SIZE MTIME INODE HASH, REL), sorted by REL. */
static bool out_lines(char **p, const char *end, size_t n, out_file **out) {
  *out = hg_xcalloc(n ? n : 1, sizeof **out);
  for (size_t i = 0; i < n; i++) {
    out_file *f = &(*out)[i];
    uint64_t v[4];
    const char *rel = get_entry(p, end, v, 4);
    if (!rel) return false;
    *f = (out_file){(char *)rel, v[0], v[1], v[2], v[3]};
    if (i && strcmp((*out)[i - 1].rel, f->rel) >= 0) return false; /* sorted, no repeats */
  }
  return true;
}

static struct prev_record *record_load(const char *path) {
  size_t len;
  char *text = hg_read_file(path, &len, NULL);
  if (!text) return NULL;
  struct prev_record *r = hg_xcalloc(1, sizeof *r);
  r->text = text;
  char *p = text, *end = text + len;
  bool ok = hg_str_has_prefix(p, FORMAT "\n");
  if (ok) p += strlen(FORMAT "\n");
  ok = ok && hex16_line(&p, "inputs", r->inputs) && hex16_line(&p, "env", r->env) &&
       sscanf(p, "stats %zu %zu %zu\n", &r->pages, &r->articles, &r->warnings) == 3;
  if (ok) p = strchr(p, '\n') + 1;
  ok = ok && blob_line(&p, end, "report", &r->report) && blob_line(&p, end, "notes", &r->notes);
  if (ok && hg_str_has_prefix(p, "state - 0\n")) {
    p += strlen("state - 0\n");
  } else if (ok) { /* "state ID LOGLEN" */
    ok = !strncmp(p, "state ", 6) && strlen(p) > 23 && p[22] == ' ';
    if (ok) {
      memcpy(r->state_id, p + 6, 16);
      r->state_id[16] = '\0';
      char *e;
      r->loglen = strtoull(p + 23, &e, 10);
      ok = *e == '\n';
      p = e + 1;
    }
  }
  /* "statefiles SIZE MTIME INODE SIZE MTIME INODE": the base and the log as
   * they were written */
  ok = ok && !strncmp(p, "statefiles ", 11);
  if (ok) {
    p += 11;
    char *nl = strchr(p, '\n');
    if (nl) *nl = ' '; /* the last field ends at the line's end */
    for (int k = 0; ok && k < 6; k++) ok = nl && hex_field(&p, &r->state_stat[k]);
    ok = ok && p == nl + 1;
  }
  ok = ok && count_line(&p, "out", &r->nout) && r->nout > 0 &&
       out_lines(&p, end, r->nout, &r->out);
  if (!ok) {
    record_free(r);
    return NULL;
  }
  r->rest = p; /* what only an incremental build reads: record_rest */
  r->end = end;
  return r;
}

/* The input and scratch listings of the record. */
static bool record_rest(struct prev_record *r) {
  if (r->files || r->rest_bad) return !r->rest_bad;
  char *p = r->rest;
  bool ok = count_line(&p, "files", &r->nfiles);
  if (ok) r->files = hg_xcalloc(r->nfiles ? r->nfiles : 1, sizeof *r->files);
  for (size_t i = 0; ok && i < r->nfiles; i++) { /* HASH, PATH */
    const char *path = get_entry(&p, r->end, &r->files[i].hash, 1);
    ok = path != NULL;
    r->files[i].path = (char *)path;
  }
  ok = ok && count_line(&p, "scratch", &r->nscratch) &&
       out_lines(&p, r->end, r->nscratch, &r->scratch) && p == r->end;
  r->rest_bad = !ok;
  return ok;
}

typedef struct {
  int dirfd;
  const out_file *files;
  size_t n;
  _Atomic bool changed;
} out_check;

/* Each of 8 slices of the list on the next free thread: stat calls are
 * most of the no-change path, and they run in parallel. */
static void check_slice(void *ctx, size_t i, int worker) {
  (void)worker;
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

/* Does every listed file still have that stat in folder dir? */
static bool files_unchanged(const char *dir, const out_file *files, size_t n) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  out_check k = {fd, files, n, false};
  hg_parallel_for(8, hg_default_threads(), check_slice, &k);
  close(fd);
  return !k.changed;
}

/* Loads the record of the last good build into OUT (once). */
static struct prev_record *record(hg_cache *c) {
  if (!c->rec) c->rec = record_load(c->state_path);
  return c->rec;
}

static bool save_snapshot(const hg_cache *c);

bool hg_cache_fresh(hg_cache *c, hg_cache_result *r) {
  struct prev_record *rec = c->untrusted ? NULL : record(c);
  if (!rec || strcmp(rec->inputs, c->inputs) ||
      !files_unchanged(c->out_abs, rec->out, rec->nout)) /* OUT as recorded? */
    return false;
  /* files read again (touched, or too recent to trust last time) need not
   * be read by every later build that changes nothing */
  size_t reread = 0;
  for (size_t i = 0; i < c->files.len; i++) reread += c->files.items[i].reread;
  if (reread && hg_is_dir(c->dir)) save_snapshot(c);
  free(c->res.report);
  free(c->res.notes);
  c->res = (hg_cache_result){hg_xstrdup(rec->report), hg_xstrdup(rec->notes), rec->pages,
                             rec->articles, rec->warnings, NULL, 0, NULL, NULL, false};
  *r = c->res;
  return true;
}

/* Size, mtime and inode of a file. */
static bool file_stat(const char *path, uint64_t out[3]) {
  struct stat st;
  if (stat(path, &st) != 0) return false;
  out[0] = (uint64_t)st.st_size;
  out[1] = (uint64_t)stat_mtime_ns(&st);
  out[2] = (uint64_t)st.st_ino;
  return true;
}

/* The file mapped read-only and read ahead (the state is read whole; a
 * copy would cost as much again in page faults), or NULL. */
static char *map_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  char *m = NULL;
  if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
    void *v = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (v != MAP_FAILED) {
      m = v;
      *len = (size_t)st.st_size;
    }
  }
  if (fd >= 0) close(fd);
  return m;
}

static hg_output_file *to_output_files(const out_file *f, size_t n) {
  hg_output_file *v = hg_xcalloc(n ? n : 1, sizeof *v);
  for (size_t i = 0; i < n; i++) v[i] = (hg_output_file){f[i].rel, f[i].hash, false};
  return v;
}

bool hg_cache_previous(hg_cache *c, bool (*accept)(void *ctx, const char *path), void *ctx,
                       hg_cache_prev *p) {
  memset(p, 0, sizeof *p);
  struct prev_record *rec = c->untrusted ? NULL : record(c);
  if (!rec || !rec->state_id[0] || strcmp(rec->env, c->env) || !record_rest(rec) ||
      !rec->nscratch || rec->nfiles != c->files.len)
    return false;
  /* the inputs, both lists sorted by path: the same files, some changed */
  bool ok = true;
  for (size_t i = 0; ok && i < rec->nfiles; i++) {
    const file_ent *e = &c->files.items[i];
    ok = !strcmp(e->path, rec->files[i].path);
    if (!ok || e->hash == rec->files[i].hash) continue;
    ok = hg_str_has_prefix(e->path, "s:") && accept(ctx, e->path + 2); /* not a theme file */
    p->changed = hg_xrealloc(p->changed, (p->nchanged + 1) * sizeof *p->changed);
    p->changed[p->nchanged++] = e->path + 2;
  }
  /* The new site is the build folder beside OUT (the site before) plus
   * the files the last build changed, copied from OUT, plus this build's:
   * those must be as recorded. OUT's other files are not read; should one
   * have been edited by hand, the build folder it becomes fails this check
   * next time, which then is a full build. */
  char *scratch = hg_output_scratch_path(c->out_abs);
  ok = ok && files_unchanged(scratch, rec->scratch, rec->nscratch);
  free(scratch);
  if (ok) {
    out_file *delta = hg_xcalloc(rec->nout + 1, sizeof *delta);
    size_t nd = 0, from = 0;
    for (size_t i = 0; i < rec->nout; i++) {
      const out_file *k = match(rec->scratch, rec->nscratch, rec->out[i].rel, &from);
      if (!k || k->hash != rec->out[i].hash) delta[nd++] = rec->out[i];
    }
    ok = files_unchanged(c->out_abs, delta, nd);
    free(delta);
  }
  if (!ok) {
    hg_cache_prev_free(p);
    return false;
  }
  /* the state: a base a full build wrote, and what later builds appended */
  char *base = hg_strdup_printf("%s.state", c->state_path);
  char *logp = hg_strdup_printf("%s.log", c->state_path);
  char head[40];
  int hl = snprintf(head, sizeof head, "HGSTATE %s\n", rec->state_id);
  /* both are trusted as OUT's files are: by size, mtime and inode (the
   * base's hash, its id, is not computed again: 50 MB on 10,000 articles);
   * one written to behind helpgen's back costs a full build */
  uint64_t st[3];
  p->base = file_stat(base, st) && !memcmp(st, rec->state_stat, sizeof st)
                ? map_file(base, &p->base_len)
                : NULL;
  ok = p->base && p->base_len >= (size_t)hl && !memcmp(p->base, head, (size_t)hl);
  int ll = snprintf(head, sizeof head, "HGLOG %s\n", rec->state_id);
  if (ok && rec->loglen) {
    p->log = file_stat(logp, st) && !memcmp(st, rec->state_stat + 3, sizeof st)
                 ? map_file(logp, &p->log_len)
                 : NULL;
    ok = p->log && p->log_len == rec->loglen && rec->loglen >= (size_t)ll &&
         !memcmp(p->log, head, (size_t)ll);
  }
  free(base);
  free(logp);
  if (!ok) {
    hg_cache_prev_free(p);
    return false;
  }
  p->state = p->base + hl;
  p->state_len = p->base_len - (size_t)hl;
  if (p->log) {
    p->batches = p->log + ll;
    p->batches_len = rec->loglen - (size_t)ll;
  }
  free(c->prev_out);
  free(c->prev_scratch);
  c->prev_out = to_output_files(rec->out, rec->nout);
  c->prev_scratch = to_output_files(rec->scratch, rec->nscratch);
  p->out = c->prev_out;
  p->nout = rec->nout;
  p->scratch = c->prev_scratch;
  p->nscratch = rec->nscratch;
  return true;
}

void hg_cache_prev_free(hg_cache_prev *p) {
  free(p->changed);
  if (p->base) munmap(p->base, p->base_len);
  if (p->log) munmap(p->log, p->log_len);
  memset(p, 0, sizeof *p);
}

/* Writes to path through a temporary file and a rename, so a reader never
 * sees half a file. */
static bool write_atomic(const char *path, const char *data, size_t len) {
  char *tmp = hg_strdup_printf("%s.%ld.tmp", path, (long)getpid());
  bool ok = hg_write_file(tmp, data, len, NULL) && rename(tmp, path) == 0;
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
} record_file;

static int cmp_record(const void *a, const void *b) {
  const record_file *x = a, *y = b;
  if (x->mtime != y->mtime) return x->mtime > y->mtime ? -1 : 1;
  return strcmp(x->path, y->path);
}

/* Removes all but the MAX_RECORDS newest build records (and their state). */
static void forget_old_records(const hg_cache *c) {
  DIR *d = opendir(c->dir);
  if (!d) return;
  record_file *rs = NULL;
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
    rs[n++] = (record_file){p, stat_mtime_ns(&st)};
  }
  closedir(d);
  if (n) qsort(rs, n, sizeof *rs, cmp_record);
  for (size_t i = 0; i < n; i++) {
    if (i >= MAX_RECORDS) {
      unlink(rs[i].path);
      for (int k = 0; k < 2; k++) {
        char *sp = hg_strdup_printf("%s.%s", rs[i].path, k ? "log" : "state");
        unlink(sp);
        free(sp);
      }
    }
    free(rs[i].path);
  }
  free(rs);
}

typedef struct {
  const char *dir;
  out_file *files;
  size_t n;
  bool *fresh; /* stat these */
} stat_job;

static void stat_slice(void *ctx, size_t i, int worker) {
  (void)worker;
  stat_job *j = ctx;
  int fd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  size_t from = j->n * i / 8, to = j->n * (i + 1) / 8;
  for (size_t k = from; k < to; k++) {
    if (!j->fresh[k]) continue;
    struct stat st;
    out_file *f = &j->files[k];
    if (fd >= 0 && fstatat(fd, f->rel, &st, 0) == 0 && S_ISREG(st.st_mode)) {
      f->size = (uint64_t)st.st_size;
      f->mtime = (uint64_t)stat_mtime_ns(&st);
      f->ino = (uint64_t)st.st_ino;
    } else {
      f->rel = NULL; /* gone: left out */
    }
  }
  if (fd >= 0) close(fd);
}

/* OUT's files after the build: from the build's own list (files known
 * unchanged since the record's scratch listing keep their stat), else
 * by walking OUT. */
static out_file *out_listing(hg_cache *c, const hg_cache_result *r, size_t *n, char ***walked,
                             size_t *nwalked) {
  out_file *v;
  char **rels = NULL;
  size_t m = 0;
  if (r->files) {
    m = r->nfiles;
    v = hg_xcalloc(m + 1, sizeof *v);
    for (size_t i = 0; i < m; i++) v[i] = (out_file){r->files[i].rel, 0, 0, 0, r->files[i].hash};
  } else {
    hg_list_files(c->out_abs, &rels, &m); /* skips dot files: add the marker */
    rels = hg_xrealloc(rels, (m + 1) * sizeof *rels);
    rels[m++] = hg_xstrdup(HG_OUTPUT_MARKER);
    qsort(rels, m, sizeof *rels, cmp_str);
    v = hg_xcalloc(m + 1, sizeof *v);
    for (size_t i = 0; i < m; i++) v[i] = (out_file){rels[i], 0, 0, 0, 0};
  }
  bool *fresh = hg_xcalloc(m + 1, sizeof *fresh);
  /* the build folder's files as recorded (v and the listing are sorted) */
  const struct prev_record *rec = c->rec;
  bool reuse = r->files && rec && r->incremental;
  size_t from = 0;
  for (size_t i = 0; i < m; i++) {
    const out_file *k = reuse && !r->files[i].touched
                            ? match(rec->scratch, rec->nscratch, v[i].rel, &from)
                            : NULL;
    if (k && k->hash == v[i].hash) {
      v[i].size = k->size;
      v[i].mtime = k->mtime;
      v[i].ino = k->ino;
    } else {
      fresh[i] = true;
    }
  }
  stat_job j = {c->out_abs, v, m, fresh};
  hg_parallel_for(8, hg_default_threads(), stat_slice, &j);
  free(fresh);
  size_t w = 0;
  for (size_t i = 0; i < m; i++)
    if (v[i].rel && !strchr(v[i].rel, '\n')) v[w++] = v[i];
  *n = w;
  *walked = rels; /* the names v points to when OUT was walked */
  *nwalked = rels ? m : 0;
  return v;
}

static void put_out(hg_buf *b, const char *key, const out_file *f, size_t n) {
  hg_buf_printf(b, "%s %zu\n", key, n);
  for (size_t i = 0; i < n; i++) {
    uint64_t v[4] = {f[i].size, f[i].mtime, f[i].ino, f[i].hash};
    put_entry(b, v, 4, f[i].rel);
  }
}

struct hg_cache_sink {
  FILE *f;
  XXH3_state_t *h;
  size_t len;
  bool ok;
};

void hg_cache_sink_put(hg_cache_sink *s, const void *data, size_t len) {
  if (!s->ok || !len) return;
  s->ok = fwrite(data, 1, len, s->f) == len;
  XXH3_64bits_update(s->h, data, len);
  s->len += len;
}

static void sink_hex(hg_cache_sink *s, char out[17]) {
  snprintf(out, 17, "%016llx", (unsigned long long)XXH3_64bits_digest(s->h));
}

/* The state that goes with the record: a new base (its hash is its id,
 * written to a new file and renamed), or a batch appended to the log in
 * place (a build that stops half-way leaves a log whose stat the old
 * record does not match: a full build next). Returns the record's "state"
 * line values. */
static bool save_state(hg_cache *c, const hg_cache_result *r, char id[17], size_t *loglen) {
  char *base = hg_strdup_printf("%s.state", c->state_path);
  char *logp = hg_strdup_printf("%s.log", c->state_path);
  char *tmp = hg_strdup_printf("%s.%ld.tmp", base, (long)getpid());
  const struct prev_record *rec = c->rec;
  bool append = r->incremental && rec && rec->state_id[0];
  hg_cache_sink s = {NULL, XXH3_createState(), 0, true};
  XXH3_64bits_reset(s.h);
  char head[40];
  int hl;
  bool ok;
  if (append) { /* after the log's bytes so far (or its header) */
    memcpy(id, rec->state_id, 17);
    hl = snprintf(head, sizeof head, "HGLOG %s\n", id);
    int fd = open(logp, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    size_t at = rec->loglen ? rec->loglen : (size_t)hl;
    s.f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!s.f && fd >= 0) close(fd);
    s.ok = s.f && ftruncate(fd, (off_t)at) == 0 && fseeko(s.f, 0, SEEK_SET) == 0 &&
           (rec->loglen || fwrite(head, 1, (size_t)hl, s.f) == (size_t)hl) &&
           fseeko(s.f, (off_t)at, SEEK_SET) == 0;
    r->state(r->state_ctx, &s);
    *loglen = at + s.len;
    if (s.f) s.ok = fclose(s.f) == 0 && s.ok;
    ok = s.ok;
  } else { /* "HGSTATE <id>\n" and the state: the id is known at the end */
    memset(head, ' ', 25);
    s.f = fopen(tmp, "wb");
    s.ok = s.f && fwrite(head, 1, 25, s.f) == 25;
    r->state(r->state_ctx, &s);
    sink_hex(&s, id);
    hl = snprintf(head, sizeof head, "HGSTATE %s\n", id);
    s.ok = s.ok && hl == 25 && fseek(s.f, 0, SEEK_SET) == 0 && fwrite(head, 1, 25, s.f) == 25;
    *loglen = 0;
    unlink(logp);
    if (s.f) s.ok = fclose(s.f) == 0 && s.ok;
    ok = s.ok && rename(tmp, base) == 0;
    if (!ok) unlink(tmp);
  }
  XXH3_freeState(s.h);
  free(tmp);
  free(base);
  free(logp);
  return ok;
}

/* The stat snapshot of the inputs ("files"), which lets the next build
 * trust files whose stat did not change. */
static bool save_snapshot(const hg_cache *c) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_grow(&b, c->files.len * 112 + 64);
  hg_buf_puts(&b, FORMAT "\n");
  for (size_t i = 0; i < c->files.len; i++) {
    const file_ent *e = &c->files.items[i];
    uint64_t v[5] = {e->size, e->mtime_ns, e->ino, e->hash, e->racy};
    put_entry(&b, v, 5, e->path);
  }
  char *fp = hg_path_join(c->dir, "files");
  bool ok = write_atomic(fp, b.data, b.len);
  free(fp);
  hg_buf_free(&b);
  return ok;
}

void hg_cache_save(hg_cache *c, const hg_cache_result *r) {
  if (!hg_is_dir(c->dir) && mkdir(c->dir, 0755) != 0) return;
  /* backup and sync tools skip folders marked like this (the folder may
   * have been made by a stage that keeps its own cache there) */
  char *tag = hg_path_join(c->dir, "CACHEDIR.TAG");
  static const char sig[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                            "# helpgen's build cache: safe to delete.\n";
  if (!hg_is_file(tag)) hg_write_file(tag, sig, strlen(sig), NULL);
  free(tag);
  hg_buf b = HG_BUF_INIT;
  bool ok = save_snapshot(c);
  if (!ok) {
    hg_buf_free(&b);
    return;
  }
  char id[17] = "-";
  size_t loglen = 0;
  if (r->state && !save_state(c, r, id, &loglen)) {
    strcpy(id, "-");
    loglen = 0;
  }
  size_t nout, nwalked;
  char **walked;
  out_file *out = out_listing(c, r, &nout, &walked, &nwalked);
  /* about 80 bytes a line: grown once, not doubled and copied ten times */
  hg_buf_grow(&b, (nout * 2 + c->files.len) * 96 + strlen(r->report) + strlen(r->notes) + 4096);
  hg_buf_printf(&b, FORMAT "\ninputs %s\nenv %s\nstats %zu %zu %zu\nreport %zu\n", c->inputs,
                c->env, r->pages, r->articles, r->warnings, strlen(r->report));
  hg_buf_puts(&b, r->report);
  hg_buf_printf(&b, "\nnotes %zu\n", strlen(r->notes));
  hg_buf_puts(&b, r->notes);
  hg_buf_printf(&b, "\nstate %s %zu\nstatefiles", id, loglen);
  uint64_t st[6] = {0};
  for (int k = 0; k < 2 && strcmp(id, "-"); k++) {
    char *f = hg_strdup_printf("%s.%s", c->state_path, k ? "log" : "state");
    if (!k || loglen) file_stat(f, st + 3 * k);
    free(f);
  }
  for (int k = 0; k < 6; k++) hg_buf_printf(&b, " %" PRIx64, st[k]);
  hg_buf_putc(&b, '\n');
  put_out(&b, "out", out, nout);
  hg_buf_printf(&b, "files %zu\n", c->files.len);
  for (size_t i = 0; i < c->files.len; i++)
    put_entry(&b, &c->files.items[i].hash, 1, c->files.items[i].path);
  /* the folder OUT was is the next build's scratch copy, as recorded (the
   * next incremental build checks that it still is) */
  if (c->rec && r->files)
    put_out(&b, "scratch", c->rec->out, c->rec->nout);
  else
    hg_buf_puts(&b, "scratch 0\n");
  write_atomic(c->state_path, b.data, b.len);
  hg_buf_free(&b);
  free(out);
  for (size_t i = 0; i < nwalked; i++) free(walked[i]);
  free(walked);
  forget_old_records(c);
}
