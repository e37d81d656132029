/* output.c - the double-buffered build folder, safe writes, atomic swap. */
#include "hg_output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <brotli/encode.h>
#include <zlib.h>

struct hg_output {
  char *out;      /* OUT as given (no trailing slash) */
  char *tmp;      /* the build folder beside it */
  int lock_fd;
  bool fresh;     /* the build folder was created by this build */
  int threads;    /* for removing what the previous site left */
  pthread_mutex_t mu;
  hg_strmap written; /* rel path -> index in files */
  hg_output_file *files; /* every path written, kept or forgotten */
  bool *live;            /* parallel to files: in this build's site */
  size_t nfiles, capfiles;
  bool incremental;  /* hg_output_sync ran: OUT's files count as written */
};

/* Puts rel into the build's file list (mu held). */
static void add_file(hg_output *o, const char *rel, uint64_t hash, bool touched) {
  long i = hg_strmap_get(&o->written, rel, -1);
  if (i < 0) {
    if (o->nfiles == o->capfiles) {
      o->capfiles = o->capfiles ? o->capfiles * 2 : 1024;
      o->files = hg_xrealloc(o->files, o->capfiles * sizeof *o->files);
      o->live = hg_xrealloc(o->live, o->capfiles * sizeof *o->live);
    }
    i = (long)o->nfiles++;
    o->files[i] = (hg_output_file){hg_xstrdup(rel), hash, touched};
    hg_strmap_put(&o->written, rel, i);
  } else {
    o->files[i].hash = hash;
    o->files[i].touched |= touched;
  }
  o->live[i] = true;
}

static bool is_written(const hg_output *o, const char *rel) {
  long i = hg_strmap_get(&o->written, rel, -1);
  return i >= 0 && o->live[i];
}

static char *abs_path(const char *p) {
  char *r = realpath(p, NULL);
  return r ? r : hg_xstrdup(p);
}

static bool is_inside(const char *inner, const char *outer) {
  size_t n = strlen(outer);
  return !strcmp(inner, outer) ||
         (!strncmp(inner, outer, n) && (inner[n] == '/' || !strcmp(outer, "/")));
}

static bool dir_empty(const char *path) {
  DIR *d = opendir(path);
  if (!d) return false;
  struct dirent *e;
  bool empty = true;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      empty = false;
      break;
    }
  closedir(d);
  return empty;
}

static bool has_marker(const char *dir) {
  char *m = hg_path_join(dir, HG_OUTPUT_MARKER);
  bool r = hg_is_dir(dir) && hg_is_file(m);
  free(m);
  return r;
}

static void output_free(hg_output *o) {
  if (o->lock_fd >= 0) close(o->lock_fd); /* releases the lock */
  pthread_mutex_destroy(&o->mu);
  hg_strmap_free(&o->written);
  hg_output_files_free(o->files, o->nfiles);
  free(o->live);
  free(o->out);
  free(o->tmp);
  free(o);
}

hg_output *hg_output_begin(const char *out_dir, const char *site_dir,
                           hg_error **err) {
  size_t l = strlen(out_dir);
  char *out = hg_xstrdup(out_dir);
  while (l > 1 && out[l - 1] == '/') out[--l] = '\0';
  const char *base = hg_path_basename(out);
  if (!*out || !strcmp(out, "/") || !strcmp(base, ".") || !strcmp(base, "..")) {
    hg_error_set(err, 2, NULL, 0, 0, "refusing to use '%s' as the output folder "
                 "(name a folder of its own, e.g. -o public)", out_dir);
    free(out);
    return NULL;
  }
  char *parent = hg_path_dirname(out);
  if (!hg_mkdir_p(parent, err)) {
    if (err && *err) (*err)->code = 2;
    free(parent);
    free(out);
    return NULL;
  }
  char *aout = abs_path(out), *asite = abs_path(site_dir);
  bool bad = is_inside(asite, aout);
  free(aout);
  free(asite);
  if (bad) {
    hg_error_set(err, 2, NULL, 0, 0, "refusing to build into '%s': it holds the "
                 "site's own files (choose another -o)", out);
    free(parent);
    free(out);
    return NULL;
  }
  if (hg_is_file(out) || (hg_is_dir(out) && !dir_empty(out) && !has_marker(out))) {
    hg_error_set(err, 2, NULL, 0, 0,
                 "refusing to replace '%s': it is not empty and was not built by "
                 "helpgen (no %s file). Choose another -o or empty it first",
                 out, HG_OUTPUT_MARKER);
    free(parent);
    free(out);
    return NULL;
  }
  hg_output *o = hg_xcalloc(1, sizeof *o);
  pthread_mutex_init(&o->mu, NULL);
  o->out = out;
  o->tmp = hg_output_scratch_path(out);
  char *lock = hg_strdup_printf("%s/.%s.helpgen-lock", parent, base);
  free(parent);
  o->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  free(lock);
  if (o->lock_fd < 0) {
    hg_error_set(err, 2, NULL, 0, 0, "cannot write beside the output folder '%s': %s",
                 out, strerror(errno));
    output_free(o);
    return NULL;
  }
  if (flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    hg_error_set(err, 2, NULL, 0, 0, "another helpgen build is writing '%s'; wait "
                 "for it to finish", out);
    output_free(o);
    return NULL;
  }
  if (hg_is_dir(o->tmp) && !has_marker(o->tmp)) hg_rm_rf(o->tmp); /* a killed first build */
  if (!hg_is_dir(o->tmp)) {
    o->fresh = true;
    if (mkdir(o->tmp, 0755) != 0) {
      hg_error_set(err, 2, NULL, 0, 0, "cannot write the output folder '%s': %s",
                   out, strerror(errno));
      output_free(o);
      return NULL;
    }
  }
  chmod(o->tmp, 0755); /* the published folder is world-readable */
  if (!hg_output_write(o, HG_OUTPUT_MARKER, "helpgen " HG_VERSION "\n",
                       strlen("helpgen " HG_VERSION "\n"), err)) {
    if (err && *err) (*err)->code = 2;
    hg_output_abort(o);
    return NULL;
  }
  return o;
}

const char *hg_output_tmp(const hg_output *o) { return o->tmp; }

char *hg_output_scratch_path(const char *out_dir) {
  char *out = hg_xstrdup(out_dir);
  size_t l = strlen(out);
  while (l > 1 && out[l - 1] == '/') out[--l] = '\0';
  char *parent = hg_path_dirname(out);
  char *r = hg_strdup_printf("%s/.%s.helpgen-next", parent, hg_path_basename(out));
  free(parent);
  free(out);
  return r;
}

bool hg_output_rel_ok(const char *rel) {
  if (!*rel || rel[0] == '/' || strchr(rel, '\\')) return false;
  for (const char *p = rel; *p;) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.'))
      return false;
    p += n + (e ? 1 : 0);
  }
  return true;
}

/* Removes files of the previous site that stand where `rel` needs a folder. */
static void clear_parents(const hg_output *o, const char *rel) {
  char *p = hg_path_join(o->tmp, rel);
  for (char *s = p + strlen(o->tmp) + 1; (s = strchr(s, '/')) != NULL; s++) {
    *s = '\0';
    if (!hg_is_dir(p)) unlink(p);
    *s = '/';
  }
  free(p);
}

/* What is at p now: SAME (a file with exactly these bytes), DIFFERENT (a
 * file with others, or nothing) or FOLDER. Reading and comparing is much
 * cheaper than truncating and rewriting an unchanged page, and most pages
 * of a rebuild are unchanged. */
enum { DIFFERENT, SAME, FOLDER };

static int existing(const char *p, const char *data, size_t len) {
  int fd = open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return DIFFERENT;
  struct stat st;
  int r = DIFFERENT;
  if (fstat(fd, &st) != 0) {
    r = DIFFERENT;
  } else if (S_ISDIR(st.st_mode)) {
    r = FOLDER;
  } else if (S_ISREG(st.st_mode) && (size_t)st.st_size == len) {
    char buf[16384];
    size_t off = 0;
    r = SAME;
    while (off < len) {
      size_t want = len - off < sizeof buf ? len - off : sizeof buf;
      ssize_t n = read(fd, buf, want);
      if (n <= 0 || memcmp(buf, data + off, (size_t)n) != 0) {
        r = DIFFERENT;
        break;
      }
      off += (size_t)n;
    }
  }
  close(fd);
  return r;
}

bool hg_output_write(hg_output *o, const char *rel, const char *data, size_t len,
                     hg_error **err) {
  if (!hg_output_rel_ok(rel)) {
    hg_error_set(err, 1, NULL, 0, 0, "refusing to write '%s': not a path inside the "
                 "output folder", rel);
    return false;
  }
  char *p = hg_path_join(o->tmp, rel);
  int now = existing(p, data, len);
  if (now == FOLDER) hg_rm_rf(p); /* a folder of the previous site is in the way */
  bool ok = now == SAME || hg_write_file(p, data, len, NULL);
  if (!ok) { /* or a file of it where this path needs a folder */
    clear_parents(o, rel);
    ok = hg_write_file(p, data, len, err);
  }
  free(p);
  if (ok) {
    uint64_t h = hg_hash64(data, len);
    pthread_mutex_lock(&o->mu);
    add_file(o, rel, h, now != SAME);
    pthread_mutex_unlock(&o->mu);
  }
  return ok;
}

bool hg_output_copy(hg_output *o, const char *rel, const char *src, hg_error **err) {
  size_t len;
  char *data = hg_read_file(src, &len, err);
  if (!data) return false;
  bool ok = hg_output_write(o, rel, data, len, err);
  free(data);
  return ok;
}

/* Removes what this build did not write from folder `rel` of the build
 * folder. Returns true if the folder is left empty. */
static bool prune(hg_output *o, const char *rel);

/* Prunes entry `r` (relative to the build folder); true if it is kept. */
static bool prune_entry(hg_output *o, const char *r, bool isdir) {
  char *full = hg_path_join(o->tmp, r);
  bool kept = false;
  if (isdir) {
    if (prune(o, r)) rmdir(full);
    else kept = true;
  } else if (is_written(o, r)) {
    kept = true;
  } else {
    unlink(full);
  }
  free(full);
  return kept;
}

static bool prune(hg_output *o, const char *rel) {
  char *dir = *rel ? hg_path_join(o->tmp, rel) : hg_xstrdup(o->tmp);
  DIR *d = opendir(dir);
  if (!d) {
    free(dir);
    return false;
  }
  bool empty = true;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *r = *rel ? hg_path_join(rel, e->d_name) : hg_xstrdup(e->d_name);
    bool isdir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) {
      char *full = hg_path_join(o->tmp, r);
      isdir = hg_is_dir(full);
      free(full);
    }
    if (prune_entry(o, r, isdir)) empty = false;
    free(r);
  }
  closedir(d);
  free(dir);
  return empty;
}

typedef struct {
  hg_output *o;
  char **names; /* entries at the top of the build folder */
} prune_job;

static void prune_top(void *ctx, size_t i, int worker) {
  prune_job *j = ctx;
  char *full = hg_path_join(j->o->tmp, j->names[i]);
  bool isdir = hg_is_dir(full);
  free(full);
  prune_entry(j->o, j->names[i], isdir);
}

/* prune(o, "") with each top-level folder on a thread of its own: it is
 * mostly system calls, one folder per page. */
static void prune_all(hg_output *o) {
  if (o->fresh) return; /* every file in it was written by this build */
  DIR *d = o->threads > 1 ? opendir(o->tmp) : NULL;
  if (!d) {
    prune(o, "");
    return;
  }
  prune_job j = {o, NULL};
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    j.names = hg_xrealloc(j.names, (n + 1) * sizeof *j.names);
    j.names[n++] = hg_xstrdup(e->d_name);
  }
  closedir(d);
  hg_parallel_for(n, o->threads, prune_top, &j);
  for (size_t i = 0; i < n; i++) free(j.names[i]);
  free(j.names);
}

void hg_output_set_threads(hg_output *o, int threads) { o->threads = threads; }

/* Removes the file at rel and the folders it leaves empty. */
static void remove_file(const hg_output *o, const char *rel) {
  char *p = hg_path_join(o->tmp, rel);
  if (unlink(p) == 0)
    for (char *s = strrchr(p, '/'); s && s > p + strlen(o->tmp); s = strrchr(p, '/')) {
      *s = '\0';
      if (rmdir(p) != 0) break;
    }
  free(p);
}

bool hg_output_commit(hg_output *o, hg_error **err) {
  bool ok = true;
  if (o->incremental) { /* only what hg_output_forget dropped can be stale */
    for (size_t i = 0; i < o->nfiles; i++)
      if (!o->live[i]) remove_file(o, o->files[i].rel);
  } else {
    prune_all(o);
  }
  if (hg_is_dir(o->out)) {
    if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->out, RENAME_EXCHANGE) != 0) {
      /* no exchange on this file system: move the old one aside first */
      char *old = hg_strdup_printf("%s.old", o->tmp);
      hg_rm_rf(old);
      if (rename(o->out, old) != 0 || rename(o->tmp, o->out) != 0) {
        hg_error_set(err, 2, NULL, 0, 0, "cannot replace '%s': %s", o->out,
                     strerror(errno));
        if (!hg_is_dir(o->out)) rename(old, o->out);
        ok = false;
      } else {
        rename(old, o->tmp); /* the previous site: next build's scratch */
      }
      free(old);
    }
  } else if (rename(o->tmp, o->out) != 0) {
    hg_error_set(err, 2, NULL, 0, 0, "cannot create '%s': %s", o->out, strerror(errno));
    ok = false;
  }
  output_free(o);
  return ok;
}

void hg_output_abort(hg_output *o) {
  if (!o) return;
  if (o->fresh) hg_rm_rf(o->tmp);
  output_free(o);
}

/* ---- precompressed copies --------------------------------------------------- */
bool hg_output_is_text(const char *rel) {
  static const char *const ext[] = {".html", ".css", ".js", ".mjs", ".json", ".xml",
                                    ".svg", ".txt", ".webmanifest"};
  for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
    if (hg_str_has_suffix(rel, ext[i])) return true;
  return false;
}

/* gzip (RFC 1952) of data at level 9; NULL when zlib fails. */
static char *gzip_of(const char *data, size_t len, size_t *out_len) {
  z_stream z = {0};
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
  size_t cap = deflateBound(&z, (uLong)len) + 32;
  char *out = hg_xmalloc(cap);
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)len;
  z.next_out = (Bytef *)out;
  z.avail_out = (uInt)cap;
  int rc = deflate(&z, Z_FINISH);
  *out_len = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    free(out);
    return NULL;
  }
  return out;
}

/* Brotli at quality 11 for CSS and JS (few, and loaded by every page) and 5
 * for the rest: on examples/store's pages 11 is 11 % smaller than 5 but
 * takes 7 times as long (about 0.5 MB/s), which on 10,000 pages is minutes. */
static char *brotli_of(const char *rel, const char *data, size_t len, size_t *out_len) {
  size_t cap = BrotliEncoderMaxCompressedSize(len);
  if (!cap) return NULL;
  char *out = hg_xmalloc(cap);
  *out_len = cap;
  bool asset = hg_str_has_suffix(rel, ".css") || hg_str_has_suffix(rel, ".js") ||
               hg_str_has_suffix(rel, ".mjs");
  if (!BrotliEncoderCompress(asset ? BROTLI_MAX_QUALITY : 5, BROTLI_DEFAULT_WINDOW,
                             BROTLI_MODE_TEXT, len,
                             (const uint8_t *)data, out_len, (uint8_t *)out)) {
    free(out);
    return NULL;
  }
  return out;
}

typedef struct {
  hg_output *o;
  hg_output_file *files; /* the text files, copied */
  hg_error **errs;       /* per file */
} pre_job;

/* Counts the build folder's rel as written when it is there (untouched
 * files keep their copies). */
static bool keep_copy(hg_output *o, const char *rel) {
  char *p = hg_path_join(o->tmp, rel);
  size_t len;
  char *data = hg_is_file(p) ? hg_read_file(p, &len, NULL) : NULL;
  free(p);
  if (!data) return false;
  uint64_t h = hg_hash64(data, len);
  free(data);
  pthread_mutex_lock(&o->mu);
  add_file(o, rel, h, false);
  pthread_mutex_unlock(&o->mu);
  return true;
}

static void pre_one(void *ctx, size_t i, int worker) {
  (void)worker;
  pre_job *j = ctx;
  const hg_output_file *f = &j->files[i];
  char *gz = hg_strdup_printf("%s.gz", f->rel), *br = hg_strdup_printf("%s.br", f->rel);
  if (!f->touched) {
    char *pg = hg_path_join(j->o->tmp, gz), *pb = hg_path_join(j->o->tmp, br);
    bool both = hg_is_file(pg) && hg_is_file(pb);
    free(pg);
    free(pb);
    if (both && keep_copy(j->o, gz) && keep_copy(j->o, br)) goto done;
  }
  char *p = hg_path_join(j->o->tmp, f->rel);
  size_t len = 0, zn = 0, bn = 0;
  char *data = hg_read_file(p, &len, &j->errs[i]);
  free(p);
  if (!data) goto done;
  char *z = gzip_of(data, len, &zn), *b = brotli_of(f->rel, data, len, &bn);
  if (!z || !b)
    hg_error_set(&j->errs[i], 1, f->rel, 0, 0, "cannot compress %s (%s failed)", f->rel,
                 z ? "brotli" : "zlib");
  else if (hg_output_write(j->o, gz, z, zn, &j->errs[i]))
    hg_output_write(j->o, br, b, bn, &j->errs[i]);
  free(z);
  free(b);
  free(data);
done:
  free(gz);
  free(br);
}

bool hg_output_precompress(hg_output *o, int threads, hg_error **err) {
  pthread_mutex_lock(&o->mu);
  hg_output_file *v = hg_xcalloc(o->nfiles + 1, sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < o->nfiles; i++)
    if (o->live[i] && hg_output_is_text(o->files[i].rel)) {
      v[n] = o->files[i];
      v[n++].rel = hg_xstrdup(o->files[i].rel);
    }
  pthread_mutex_unlock(&o->mu);
  pre_job j = {o, v, hg_xcalloc(n + 1, sizeof(hg_error *))};
  hg_parallel_for(n, threads, pre_one, &j);
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (j.errs[i]) {
      if (ok && err) *err = j.errs[i];
      else hg_error_free(j.errs[i]);
      ok = false;
    }
    free(v[i].rel);
  }
  free(j.errs);
  free(v);
  return ok;
}

/* ---- incremental builds --------------------------------------------------- */
static int cmp_file(const void *a, const void *b) {
  return strcmp(((const hg_output_file *)a)->rel, ((const hg_output_file *)b)->rel);
}

hg_output_file *hg_output_files(const hg_output *o, size_t *n) {
  hg_output_file *v = hg_xcalloc(o->nfiles + 1, sizeof *v);
  *n = 0;
  for (size_t i = 0; i < o->nfiles; i++)
    if (o->live[i]) {
      v[*n] = o->files[i];
      v[*n].rel = hg_xstrdup(o->files[i].rel);
      (*n)++;
    }
  qsort(v, *n, sizeof *v, cmp_file);
  return v;
}

void hg_output_files_free(hg_output_file *f, size_t n) {
  for (size_t i = 0; f && i < n; i++) free(f[i].rel);
  free(f);
}

bool hg_output_sync(hg_output *o, const hg_output_file *out, size_t nout,
                    const hg_output_file *scratch, size_t nscratch, hg_error **err) {
  if (o->fresh) {
    hg_error_set(err, 1, NULL, 0, 0, "no build folder to update beside '%s'", o->out);
    return false;
  }
  /* both lists are sorted by rel: walk them side by side */
  bool ok = true;
  size_t k = 0;
  for (size_t i = 0; ok && i < nout; i++) {
    const hg_output_file *f = &out[i];
    if (!hg_output_rel_ok(f->rel) || (i && strcmp(out[i - 1].rel, f->rel) >= 0)) {
      ok = false;
      hg_error_set(err, 1, NULL, 0, 0, "bad or unsorted path '%s' in the output record", f->rel);
      break;
    }
    int c = 1;
    for (; k < nscratch && (c = strcmp(scratch[k].rel, f->rel)) < 0; k++)
      if (hg_output_rel_ok(scratch[k].rel)) remove_file(o, scratch[k].rel); /* not in OUT */
    if (k < nscratch && c == 0 && scratch[k++].hash == f->hash) {
      add_file(o, f->rel, f->hash, false); /* the same bytes are there already */
      continue;
    }
    char *src = hg_path_join(o->out, f->rel);
    size_t len;
    char *data = hg_read_file(src, &len, err);
    if (data && hg_hash64(data, len) != f->hash) {
      hg_error_set(err, 1, NULL, 0, 0, "'%s' changed while helpgen was building; build again",
                   src);
      free(data);
      data = NULL;
    }
    free(src);
    ok = data && hg_output_write(o, f->rel, data, len, err);
    free(data);
  }
  for (; ok && k < nscratch; k++)
    if (hg_output_rel_ok(scratch[k].rel)) remove_file(o, scratch[k].rel);
  o->incremental = ok;
  return ok;
}

void hg_output_forget(hg_output *o, const char *prefix) {
  size_t n = strlen(prefix);
  pthread_mutex_lock(&o->mu);
  for (size_t i = 0; i < o->nfiles; i++)
    if (!strncmp(o->files[i].rel, prefix, n) && o->files[i].rel[n] == '/') o->live[i] = false;
  pthread_mutex_unlock(&o->mu);
}

bool hg_output_reuse(hg_output *o, const char *rel) {
  if (!o->incremental) return false;
  pthread_mutex_lock(&o->mu);
  long i = hg_strmap_get(&o->written, rel, -1);
  bool r = i >= 0;
  if (r) o->live[i] = true;
  pthread_mutex_unlock(&o->mu);
  return r;
}
