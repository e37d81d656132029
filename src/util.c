/* util.c - memory, the growable buffer, errors, diagnostics, files, paths
 * and string helpers shared by every stage. */
#include "hg_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ---- memory ------------------------------------------------------------ */
static void oom(void) {
  fputs("helpgen: out of memory\n", stderr);
  abort();
}

void *hg_xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (!p) oom();
  return p;
}

void *hg_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom();
  return p;
}

void *hg_xrealloc(void *p, size_t size) {
  void *q = realloc(p, size ? size : 1);
  if (!q) oom();
  return q;
}

char *hg_xstrdup(const char *s) { return hg_xstrndup(s, strlen(s)); }

char *hg_xstrndup(const char *s, size_t n) {
  char *p = hg_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *hg_strdup_printf(const char *fmt, ...) {
  hg_buf b = HG_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  hg_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return hg_buf_steal(&b);
}

/* ---- buffer ------------------------------------------------------------ */
void hg_buf_grow(hg_buf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap += cap / 2 + 64;
  b->data = hg_xrealloc(b->data, cap);
  b->cap = cap;
}

void hg_buf_append(hg_buf *b, const char *s, size_t n) {
  hg_buf_grow(b, n);
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void hg_buf_puts(hg_buf *b, const char *s) { hg_buf_append(b, s, strlen(s)); }

void hg_buf_putc(hg_buf *b, char c) { hg_buf_append(b, &c, 1); }

void hg_buf_vprintf(hg_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return;
  hg_buf_grow(b, (size_t)n);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void hg_buf_printf(hg_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hg_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void hg_buf_put_html(hg_buf *b, const char *s, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep = NULL;
    switch (s[i]) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: continue;
    }
    hg_buf_append(b, s + start, i - start);
    hg_buf_puts(b, rep);
    start = i + 1;
  }
  hg_buf_append(b, s + start, n - start);
}

const char *hg_buf_cstr(const hg_buf *b) { return b->data ? b->data : ""; }

void hg_buf_clear(hg_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

char *hg_buf_steal(hg_buf *b) {
  char *d = b->data ? b->data : hg_xstrdup("");
  b->data = NULL;
  b->len = b->cap = 0;
  return d;
}

void hg_buf_free(hg_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* ---- errors ------------------------------------------------------------ */
static void put_location(hg_buf *b, const char *path, int line, int col) {
  if (!path) return;
  hg_buf_puts(b, path);
  if (line > 0) {
    hg_buf_printf(b, ":%d", line);
    if (col > 0) hg_buf_printf(b, ":%d", col);
  }
  hg_buf_puts(b, ": ");
}

static hg_error *error_vnew(int code, const char *path, int line, int col,
                            const char *fmt, va_list ap) {
  hg_buf t = HG_BUF_INIT, b = HG_BUF_INIT;
  hg_buf_vprintf(&t, fmt, ap);
  put_location(&b, path, line, col);
  hg_buf_puts(&b, hg_buf_cstr(&t));
  hg_error *e = hg_xmalloc(sizeof *e);
  e->msg = hg_buf_steal(&b);
  e->text = hg_buf_steal(&t);
  e->code = code;
  e->path = path ? hg_xstrdup(path) : NULL;
  e->line = path ? line : 0;
  e->col = path && line > 0 ? col : 0;
  return e;
}

hg_error *hg_error_new(int code, const char *path, int line, int col,
                       const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hg_error *e = error_vnew(code, path, line, col, fmt, ap);
  va_end(ap);
  return e;
}

void hg_error_set(hg_error **err, int code, const char *path, int line, int col,
                  const char *fmt, ...) {
  if (!err) return;
  va_list ap;
  va_start(ap, fmt);
  hg_error *e = error_vnew(code, path, line, col, fmt, ap);
  va_end(ap);
  if (*err) hg_error_free(*err);
  *err = e;
}

void hg_error_free(hg_error *e) {
  if (!e) return;
  free(e->msg);
  free(e->text);
  free(e->path);
  free(e);
}

char *hg_error_format(const hg_error *e) {
  hg_diag d = {HG_ERR, e->path, e->line, e->col, e->text};
  return hg_diag_format(&d);
}

/* ---- diagnostics ------------------------------------------------------- */
/* A new last item of d, for the caller to fill. */
static hg_diag *diags_push(hg_diags *d) {
  if (d->len == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 8;
    d->items = hg_xrealloc(d->items, d->cap * sizeof *d->items);
  }
  return &d->items[d->len++];
}

void hg_diags_vadd(hg_diags *d, hg_severity sev, const char *path, int line,
                   int col, const char *fmt, va_list ap) {
  hg_diag *g = diags_push(d);
  g->sev = sev;
  g->path = path ? hg_xstrdup(path) : NULL;
  g->line = line;
  g->col = col;
  hg_buf b = HG_BUF_INIT;
  hg_buf_vprintf(&b, fmt, ap);
  g->msg = hg_buf_steal(&b);
}

void hg_diags_add(hg_diags *d, hg_severity sev, const char *path, int line,
                  int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hg_diags_vadd(d, sev, path, line, col, fmt, ap);
  va_end(ap);
}

void hg_diags_add_error(hg_diags *d, hg_severity sev, const hg_error *e) {
  hg_diags_add(d, sev, e->path, e->line, e->col, "%s", e->text);
}

void hg_diags_move(hg_diags *dst, hg_diags *src) {
  for (size_t i = 0; i < src->len; i++) *diags_push(dst) = src->items[i];
  free(src->items);
  src->items = NULL;
  src->len = src->cap = 0;
}

size_t hg_diags_count(const hg_diags *d, hg_severity sev) {
  size_t n = 0;
  for (size_t i = 0; i < d->len; i++)
    if (d->items[i].sev == sev) n++;
  return n;
}

char *hg_diag_format(const hg_diag *d) {
  hg_buf b = HG_BUF_INIT;
  put_location(&b, d->path, d->line, d->col);
  hg_buf_puts(&b, d->sev == HG_ERR ? "error: " : "warning: ");
  hg_buf_puts(&b, d->msg);
  return hg_buf_steal(&b);
}

void hg_diags_free(hg_diags *d) {
  for (size_t i = 0; i < d->len; i++) {
    free(d->items[i].path);
    free(d->items[i].msg);
  }
  free(d->items);
  d->items = NULL;
  d->len = d->cap = 0;
}

/* ---- binary records ---------------------------------------------------- */
/* Writes v as LEB128 at the end of b (room for 10 bytes must be there). */
static void put_uvar_raw(hg_buf *b, uint64_t v) {
  unsigned char *p = (unsigned char *)b->data + b->len, *start = p;
  while (v >= 0x80) {
    *p++ = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  *p++ = (unsigned char)v;
  b->len += (size_t)(p - start);
}

void hg_buf_put_uvar(hg_buf *b, uint64_t v) {
  hg_buf_grow(b, 10);
  put_uvar_raw(b, v);
  b->data[b->len] = '\0';
}

void hg_buf_put_svar(hg_buf *b, int64_t v) {
  hg_buf_put_uvar(b, ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0));
}

void hg_buf_put_mem(hg_buf *b, const void *p, size_t n) {
  hg_buf_grow(b, n + 10);
  put_uvar_raw(b, n);
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void hg_buf_put_str(hg_buf *b, const char *s) {
  if (!s) {
    hg_buf_put_uvar(b, 0);
    return;
  }
  size_t n = strlen(s);
  hg_buf_grow(b, n + 11);
  put_uvar_raw(b, (uint64_t)n + 1);
  memcpy(b->data + b->len, s, n + 1); /* with its NUL: see hg_read_cstr */
  b->len += n + 1;
  b->data[b->len] = '\0';
}

uint64_t hg_read_uvar(hg_reader *r) {
  if (r->bad) return 0;
  const unsigned char *p = (const unsigned char *)r->p, *end = (const unsigned char *)r->end;
  if (p < end && *p < 0x80) { /* most numbers are small */
    r->p++;
    return *p;
  }
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64 && p < end; shift += 7) {
    unsigned char c = *p++;
    if (shift == 63 && c > 1) break; /* would not fit in 64 bits */
    v |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) {
      r->p = (const char *)p;
      return v;
    }
  }
  r->bad = true;
  return 0;
}

int64_t hg_read_svar(hg_reader *r) {
  uint64_t u = hg_read_uvar(r);
  return u & 1 ? -(int64_t)(u >> 1) - 1 : (int64_t)(u >> 1);
}

/* n bytes from r (NULL and bad if fewer are left), moved past. */
static const char *read_bytes(hg_reader *r, uint64_t n) {
  if (r->bad || n > (uint64_t)(r->end - r->p)) {
    r->bad = true;
    return NULL;
  }
  const char *p = r->p;
  r->p += n;
  return p;
}

char *hg_read_mem(hg_reader *r, size_t *len) {
  uint64_t n = hg_read_uvar(r);
  const char *p = read_bytes(r, n);
  *len = p ? (size_t)n : 0;
  return p ? hg_xstrndup(p, (size_t)n) : NULL;
}

const char *hg_read_cstr(hg_reader *r) {
  uint64_t n = hg_read_uvar(r);
  if (n == 0) return NULL; /* a stored NULL, or bad */
  const char *p = read_bytes(r, n);
  if (p && p[n - 1] != '\0') { /* not a string hg_buf_put_str wrote */
    r->bad = true;
    return NULL;
  }
  return p;
}

char *hg_read_str(hg_reader *r) {
  const char *p = hg_read_cstr(r);
  if (!p) return NULL;
  size_t n = (size_t)(r->p - p); /* with its NUL: no strlen */
  char *s = hg_xmalloc(n);
  memcpy(s, p, n);
  s[n - 1] = '\0'; /* the stored string ends at its first NUL, as documented */
  return s;
}

/* An int (bad when the stored number does not fit). */
static int read_int(hg_reader *r) {
  int64_t v = hg_read_svar(r);
  if (v < INT_MIN || v > INT_MAX) r->bad = true;
  return r->bad ? 0 : (int)v;
}

void hg_diags_save(const hg_diags *d, hg_buf *b) {
  hg_buf_put_uvar(b, d->len);
  for (size_t i = 0; i < d->len; i++) {
    const hg_diag *g = &d->items[i];
    hg_buf_put_uvar(b, (uint64_t)g->sev);
    hg_buf_put_str(b, g->path);
    hg_buf_put_svar(b, g->line);
    hg_buf_put_svar(b, g->col);
    hg_buf_put_str(b, g->msg);
  }
}

bool hg_diags_restore(hg_reader *r, hg_diags *d) {
  size_t had = d->len;
  uint64_t n = hg_read_uvar(r);
  if (n > (uint64_t)(r->end - r->p) / 5) r->bad = true; /* 5 bytes at least each */
  for (uint64_t i = 0; i < n && !r->bad; i++) {
    uint64_t sev = hg_read_uvar(r);
    char *path = hg_read_str(r);
    int line = read_int(r), col = read_int(r);
    char *msg = hg_read_str(r);
    if (!msg || sev > HG_ERR) r->bad = true;
    if (r->bad) {
      free(path);
      free(msg);
      break;
    }
    *diags_push(d) = (hg_diag){(hg_severity)sev, path, line, col, msg};
  }
  if (!r->bad) return true;
  for (size_t i = had; i < d->len; i++) {
    free(d->items[i].path);
    free(d->items[i].msg);
  }
  d->len = had;
  return false;
}

/* ---- files ------------------------------------------------------------- */
char *hg_read_file(const char *path, size_t *len, hg_error **err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    hg_error_set(err, 1, path, 0, 0, "cannot read: %s", strerror(errno));
    return NULL;
  }
  /* read straight into a buffer of the file's size (one more byte shows
   * whether it grew); pipes and /proc files report 0 and grow as needed */
  struct stat st;
  size_t cap = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
                   ? (size_t)st.st_size + 1 : 65536;
  char *data = hg_xmalloc(cap + 1);
  size_t used = 0;
  for (;;) {
    if (used == cap) {
      cap *= 2;
      data = hg_xrealloc(data, cap + 1);
    }
    ssize_t n = read(fd, data + used, cap - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      free(data);
      hg_error_set(err, 1, path, 0, 0, "read error: %s", strerror(e));
      return NULL;
    }
    if (n == 0) break;
    used += (size_t)n;
  }
  close(fd);
  data[used] = '\0';
  if (len) *len = used;
  return data;
}

bool hg_mkdir_p(const char *path, hg_error **err) {
  char *p = hg_xstrdup(path);
  size_t n = strlen(p);
  for (size_t i = 1; i <= n; i++) {
    if (p[i] != '/' && p[i] != '\0') continue;
    char c = p[i];
    p[i] = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      hg_error_set(err, 1, p, 0, 0, "cannot create folder: %s", strerror(errno));
      free(p);
      return false;
    }
    p[i] = c;
  }
  free(p);
  if (!hg_is_dir(path)) {
    hg_error_set(err, 1, path, 0, 0, "cannot create folder: a file is in the way");
    return false;
  }
  return true;
}

bool hg_write_file(const char *path, const char *data, size_t len,
                   hg_error **err) {
  FILE *f = fopen(path, "wb");
  if (!f && errno == ENOENT) { /* create the folders only when needed */
    char *dir = hg_path_dirname(path);
    bool ok = hg_mkdir_p(dir, err);
    free(dir);
    if (!ok) return false;
    f = fopen(path, "wb");
  }
  if (!f) {
    hg_error_set(err, 1, path, 0, 0, "cannot write: %s", strerror(errno));
    return false;
  }
  size_t w = len ? fwrite(data, 1, len, f) : 0;
  int c = fclose(f);
  if (w != len || c != 0) {
    hg_error_set(err, 1, path, 0, 0, "cannot write: %s", strerror(errno));
    return false;
  }
  return true;
}

bool hg_copy_file(const char *src, const char *dst, hg_error **err) {
  size_t len;
  char *data = hg_read_file(src, &len, err);
  if (!data) return false;
  bool ok = hg_write_file(dst, data, len, err);
  free(data);
  return ok;
}

bool hg_rm_rf(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return errno == ENOENT;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    if (!d) return false;
    struct dirent *e;
    bool ok = true;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char *child = hg_path_join(path, e->d_name);
      ok = hg_rm_rf(child) && ok;
      free(child);
    }
    closedir(d);
    return rmdir(path) == 0 && ok;
  }
  return unlink(path) == 0;
}

static void list_below(const char *root, const char *sub, char ***out, size_t *n) {
  char *dir = *sub ? hg_path_join(root, sub) : hg_xstrdup(root);
  DIR *d = opendir(dir);
  free(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *rel = *sub ? hg_path_join(sub, e->d_name) : hg_xstrdup(e->d_name);
    bool isdir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) { /* ask (and follow links) */
      char *full = hg_path_join(root, rel);
      isdir = hg_is_dir(full);
      free(full);
    }
    if (isdir) {
      list_below(root, rel, out, n);
      free(rel);
    } else {
      *out = hg_xrealloc(*out, (*n + 1) * sizeof **out);
      (*out)[(*n)++] = rel;
    }
  }
  closedir(d);
}

void hg_list_files(const char *root, char ***out, size_t *n) {
  list_below(root, "", out, n);
}

bool hg_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool hg_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *hg_path_join(const char *a, const char *b) {
  if (!a || !*a) return hg_xstrdup(b);
  if (!b || !*b) return hg_xstrdup(a);
  size_t la = strlen(a);
  return hg_strdup_printf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *hg_path_dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return hg_xstrdup(".");
  if (slash == path) return hg_xstrdup("/");
  return hg_xstrndup(path, (size_t)(slash - path));
}

const char *hg_path_basename(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

char *hg_path_normalize(const char *path) {
  /* Split on '/', drop "" and ".", pop on "..". */
  size_t n = strlen(path);
  char **parts = hg_xmalloc((n / 2 + 2) * sizeof *parts);
  size_t np = 0;
  const char *p = path;
  while (*p) {
    const char *e = strchr(p, '/');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l == 0 || (l == 1 && p[0] == '.')) {
      /* skip */
    } else if (l == 2 && p[0] == '.' && p[1] == '.') {
      if (np == 0) {
        for (size_t i = 0; i < np; i++) free(parts[i]);
        free(parts);
        return NULL;
      }
      free(parts[--np]);
    } else {
      parts[np++] = hg_xstrndup(p, l);
    }
    p += l;
    if (*p == '/') p++;
  }
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < np; i++) {
    if (i) hg_buf_putc(&b, '/');
    hg_buf_puts(&b, parts[i]);
    free(parts[i]);
  }
  free(parts);
  return hg_buf_steal(&b);
}

char *hg_rel_url(const char *from_dir, const char *to) {
  /* Skip the folders both share (whole segments), climb out of the rest of
   * from_dir, then descend into the rest of to. */
  const char *f = from_dir, *t = to;
  for (;;) {
    const char *fe = strchr(f, '/'), *te = strchr(t, '/');
    size_t fl = fe ? (size_t)(fe - f) : strlen(f);
    if (!*f || !te || fl != (size_t)(te - t) || memcmp(f, t, fl) != 0) break;
    f += fl + (fe ? 1 : 0);
    t = te + 1;
  }
  hg_buf b = HG_BUF_INIT;
  if (*f) {
    hg_buf_puts(&b, "../");
    for (const char *q = f; *q; q++)
      if (*q == '/') hg_buf_puts(&b, "../");
  }
  hg_buf_puts(&b, t);
  if (b.len == 0) hg_buf_puts(&b, "./");
  return hg_buf_steal(&b);
}

/* ---- strings ----------------------------------------------------------- */
bool hg_str_has_prefix(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool hg_str_has_suffix(const char *s, const char *suffix) {
  size_t ls = strlen(s), lx = strlen(suffix);
  return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool hg_utf8_valid(const char *s, size_t len, size_t *bad_offset) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned char c = u[i];
    size_t n;
    uint32_t cp;
    if (c < 0x80) { i++; continue; }
    else if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else goto bad;
    for (size_t k = 1; k <= n; k++) {
      if (i + k >= len || (u[i + k] & 0xC0) != 0x80) goto bad;
      cp = (cp << 6) | (u[i + k] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      goto bad;
    i += n + 1;
  }
  return true;
bad:
  if (bad_offset) *bad_offset = i;
  return false;
}

void hg_buf_put_xml(hg_buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
    switch (*p) {
    case '&': hg_buf_puts(b, "&amp;"); break;
    case '<': hg_buf_puts(b, "&lt;"); break;
    case '>': hg_buf_puts(b, "&gt;"); break;
    case '"': hg_buf_puts(b, "&quot;"); break;
    case '\'': hg_buf_puts(b, "&apos;"); break;
    case '\t': hg_buf_puts(b, "&#9;"); break;
    case '\n': hg_buf_puts(b, "&#10;"); break;
    case '\r': hg_buf_puts(b, "&#13;"); break;
    default:
      if (*p < 0x20 || *p == 0x7f) {
        hg_buf_puts(b, "\xEF\xBF\xBD");
      } else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
        hg_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFE, U+FFFF */
        p += 2;
      } else {
        hg_buf_putc(b, (char)*p);
      }
    }
  }
}

static bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool ascii_digit(char c) { return c >= '0' && c <= '9'; }

bool hg_url_has_scheme(const char *u) {
  if (u[0] == '/' && u[1] == '/') return true;
  if (!ascii_alpha(u[0])) return false;
  size_t i = 1;
  while (ascii_alpha(u[i]) || ascii_digit(u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.') i++;
  return u[i] == ':';
}

static int hexval(char c) {
  if (ascii_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char *hg_percent_decode(const char *s, size_t n) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "");
  for (size_t i = 0; i < n; i++) {
    int h, l;
    if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
        (l = hexval(s[i + 2])) >= 0 && (h || l)) {
      hg_buf_putc(&b, (char)(h * 16 + l));
      i += 2;
    } else {
      hg_buf_putc(&b, s[i]);
    }
  }
  return hg_buf_steal(&b);
}

char *hg_slugify(const char *s) {
  hg_buf b = HG_BUF_INIT;
  hg_slugify_to(&b, s);
  return hg_buf_steal(&b);
}

void hg_slugify_to(hg_buf *out, const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  int32_t i = 0, len = (int32_t)strlen(s);
  size_t start = out->len;
  bool dash = false;
  hg_buf_append(out, "", 0);
  while (i < len) {
    UChar32 c = u[i];
    bool keep;
    if (c < 0x80) { /* ASCII: what ICU says for it, without asking */
      i++;
      keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_';
      if (c >= 'A' && c <= 'Z') c += 32;
    } else {
      U8_NEXT(s, i, len, c);
      if (c < 0) continue;
      int8_t t = u_charType(c);
      keep = u_isalnum(c) || t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
             t == U_ENCLOSING_MARK;
      c = u_tolower(c);
    }
    if (!keep) {
      dash = out->len > start;
      continue;
    }
    if (dash) hg_buf_putc(out, '-');
    dash = false;
    char tmp[4];
    int32_t k = 0;
    UBool err = 0;
    U8_APPEND(tmp, k, 4, c, err);
    if (!err) hg_buf_append(out, tmp, (size_t)k);
  }
}

bool hg_buf_put_json(hg_buf *b, const char *s) {
  if (!s) return false;
  size_t n = strlen(s), bad;
  if (!hg_utf8_valid(s, n, &bad)) return false;
  hg_buf_grow(b, n + 2);
  hg_buf_putc(b, '"');
  const char *run = s;
  for (const char *p = s;; p++) {
    unsigned char c = (unsigned char)*p;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    hg_buf_append(b, run, (size_t)(p - run));
    if (!c) break;
    switch (c) {
    case '"': hg_buf_puts(b, "\\\""); break;
    case '\\': hg_buf_puts(b, "\\\\"); break;
    case '\b': hg_buf_puts(b, "\\b"); break;
    case '\f': hg_buf_puts(b, "\\f"); break;
    case '\n': hg_buf_puts(b, "\\n"); break;
    case '\r': hg_buf_puts(b, "\\r"); break;
    case '\t': hg_buf_puts(b, "\\t"); break;
    default: hg_buf_printf(b, "\\u%04X", c);
    }
    run = p + 1;
  }
  hg_buf_putc(b, '"');
  return true;
}

uint64_t hg_hash64(const void *data, size_t len) {
  return XXH3_64bits(data, len);
}

void hg_hash_hex(const void *data, size_t len, char out[17]) {
  snprintf(out, 17, "%016llx", (unsigned long long)hg_hash64(data, len));
}

/* ---- threads ----------------------------------------------------------- */
#include <pthread.h>
#include <stdatomic.h>

typedef struct {
  atomic_size_t next;
  size_t n;
  hg_task_fn fn;
  void *ctx;
} pool_job;

typedef struct {
  pool_job *job;
  int worker;
} pool_arg;

static void *pool_main(void *p) {
  pool_arg *a = p;
  for (;;) {
    size_t i = atomic_fetch_add(&a->job->next, 1);
    if (i >= a->job->n) break;
    a->job->fn(a->job->ctx, i, a->worker);
  }
  return NULL;
}

void hg_parallel_for(size_t n, int threads, hg_task_fn fn, void *ctx) {
  if (threads < 1) threads = 1;
  if ((size_t)threads > n) threads = n ? (int)n : 1;
  pool_job job = {.n = n, .fn = fn, .ctx = ctx};
  atomic_init(&job.next, 0);
  pthread_t *tids = hg_xcalloc((size_t)threads, sizeof *tids);
  pool_arg *args = hg_xcalloc((size_t)threads, sizeof *args);
  int started = 0;
  for (int t = 1; t < threads; t++) {
    args[t].job = &job;
    args[t].worker = t;
    if (pthread_create(&tids[t], NULL, pool_main, &args[t]) != 0) break;
    started = t;
  }
  args[0].job = &job;
  args[0].worker = 0;
  pool_main(&args[0]);
  for (int t = 1; t <= started; t++) pthread_join(tids[t], NULL);
  free(tids);
  free(args);
}

int hg_default_threads(void) {
  const char *e = getenv("HELPGEN_THREADS");
  if (e && atoi(e) > 0) return atoi(e) > 64 ? 64 : atoi(e);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* ---- string map -------------------------------------------------------- */
static size_t strmap_slot(char *const *keys, size_t cap, const char *key) {
  size_t i = (size_t)hg_hash64(key, strlen(key)) & (cap - 1);
  while (keys[i] && strcmp(keys[i], key)) i = (i + 1) & (cap - 1);
  return i;
}

void hg_strmap_put(hg_strmap *m, const char *key, long val) {
  if ((m->len + 1) * 2 > m->cap) {
    size_t ncap = m->cap ? m->cap * 2 : 16;
    char **nk = hg_xcalloc(ncap, sizeof *nk);
    long *nv = hg_xcalloc(ncap, sizeof *nv);
    for (size_t i = 0; i < m->cap; i++) {
      if (!m->keys[i]) continue;
      size_t j = strmap_slot(nk, ncap, m->keys[i]);
      nk[j] = m->keys[i];
      nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
  }
  size_t i = strmap_slot(m->keys, m->cap, key);
  if (!m->keys[i]) {
    m->keys[i] = hg_xstrdup(key);
    m->len++;
  }
  m->vals[i] = val;
}

long hg_strmap_get(const hg_strmap *m, const char *key, long missing) {
  if (!m->cap) return missing;
  size_t i = strmap_slot(m->keys, m->cap, key);
  return m->keys[i] ? m->vals[i] : missing;
}

void hg_strmap_free(hg_strmap *m) {
  for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}
