/* hg_util.h - memory, the one growable buffer, errors and diagnostics, small
 * file and string helpers shared by every pipeline stage.
 *
 * Ownership: every function that returns a `char *` returns a new string the
 * caller frees with free(). Allocation failure aborts the program through
 * hg_xmalloc, so callers never check for NULL from these. */
#ifndef HG_UTIL_H
#define HG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HG_VERSION "0.1.0"

/* ---- memory ------------------------------------------------------------ */
void *hg_xmalloc(size_t size);
void *hg_xcalloc(size_t n, size_t size);
void *hg_xrealloc(void *p, size_t size);
char *hg_xstrdup(const char *s);
char *hg_xstrndup(const char *s, size_t n);
char *hg_strdup_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* ---- growable buffer ----------------------------------------------------
 * Always NUL-terminated once anything was appended (data may be NULL while
 * empty: use hg_buf_cstr for a never-NULL view). */
typedef struct {
  char *data;
  size_t len;
  size_t cap;
} hg_buf;

#define HG_BUF_INIT {NULL, 0, 0}
void hg_buf_grow(hg_buf *b, size_t extra);
void hg_buf_append(hg_buf *b, const char *s, size_t n);
void hg_buf_puts(hg_buf *b, const char *s);
void hg_buf_putc(hg_buf *b, char c);
void hg_buf_printf(hg_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hg_buf_vprintf(hg_buf *b, const char *fmt, va_list ap);
/* Appends s with & < > " ' replaced by HTML entities. */
void hg_buf_put_html(hg_buf *b, const char *s, size_t n);
const char *hg_buf_cstr(const hg_buf *b);
void hg_buf_clear(hg_buf *b);             /* len = 0, keeps memory */
char *hg_buf_steal(hg_buf *b);            /* returns data (never NULL), resets b */
void hg_buf_free(hg_buf *b);

/* ---- errors --------------------------------------------------------------
 * An hg_error carries one formatted message "path:line:col: text" (the
 * location part is left out where unknown). Fallible functions take a
 * trailing `hg_error **err`; on failure they set *err (if err is not NULL)
 * and return false/NULL/-1. The caller frees with hg_error_free. */
typedef struct {
  char *msg;  /* "path:line:col: text" */
  int code;   /* exit code class: 1 content error, 2 usage/config error */
  char *path; /* the parts of msg: path (may be NULL), line, col (0: unknown) */
  int line, col;
  char *text;
} hg_error;

hg_error *hg_error_new(int code, const char *path, int line, int col,
                       const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void hg_error_set(hg_error **err, int code, const char *path, int line, int col,
                  const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void hg_error_free(hg_error *e);
/* "path:line:col: error: text", like a printed diagnostic. Caller frees. */
char *hg_error_format(const hg_error *e);

/* ---- diagnostics ---------------------------------------------------------
 * Warnings and errors gathered during a build, printed in a stable order. */
typedef enum { HG_WARN = 0, HG_ERR = 1 } hg_severity;
typedef struct {
  hg_severity sev;
  char *path; /* may be NULL */
  int line, col;
  char *msg;
} hg_diag;

typedef struct {
  hg_diag *items;
  size_t len, cap;
} hg_diags;

void hg_diags_add(hg_diags *d, hg_severity sev, const char *path, int line,
                  int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void hg_diags_vadd(hg_diags *d, hg_severity sev, const char *path, int line,
                   int col, const char *fmt, va_list ap);
/* Adds an hg_error as a diagnostic, keeping its location. */
void hg_diags_add_error(hg_diags *d, hg_severity sev, const hg_error *e);
/* Moves every item of src to the end of dst; src is left empty. */
void hg_diags_move(hg_diags *dst, hg_diags *src);
size_t hg_diags_count(const hg_diags *d, hg_severity sev);
/* Formats one diagnostic as "path:line:col: warning: msg". Caller frees. */
char *hg_diag_format(const hg_diag *d);
void hg_diags_free(hg_diags *d);

/* ---- binary records for the build cache ----------------------------------
 * Writers append to an hg_buf: integers as unsigned LEB128 varints (signed
 * ones zigzag-encoded first), strings and byte runs length-prefixed.
 * hg_buf_put_str keeps NULL apart from "" (it stores length + 1, 0 for
 * NULL, then the string with its NUL, so that it can be read in place);
 * hg_buf_put_mem stores the length itself (p may be NULL when n is 0).
 *
 * Readers take bytes from an hg_reader over [p, end) and never look past
 * end: a read that would overrun, or a malformed varint (over 10 bytes, or
 * over 64 bits), sets `bad` and returns 0/NULL; once bad, every later read
 * returns 0/NULL without consuming anything, so a caller may read a whole
 * record and check `bad` once at the end. */
void hg_buf_put_uvar(hg_buf *b, uint64_t v);              /* LEB128 */
void hg_buf_put_svar(hg_buf *b, int64_t v);               /* zigzag */
void hg_buf_put_str(hg_buf *b, const char *s);            /* NULL and "" distinct */
void hg_buf_put_mem(hg_buf *b, const void *p, size_t n);  /* length-prefixed bytes */
typedef struct {
  const char *p, *end;
  bool bad; /* sticky, set on any overrun/malformed */
} hg_reader;
uint64_t hg_read_uvar(hg_reader *r);
int64_t hg_read_svar(hg_reader *r);
/* A new string the caller frees (NULL for a stored NULL or when bad). A
 * stored string is taken as is: it ends at its first NUL, if it has one. */
char *hg_read_str(hg_reader *r);
/* The same string in place: a pointer into the reader's bytes (valid as
 * long as they are), NULL for a stored NULL or when bad. */
const char *hg_read_cstr(hg_reader *r);
/* A new buffer of *len bytes plus a NUL after them, the caller frees (NULL,
 * *len 0, when bad). */
char *hg_read_mem(hg_reader *r, size_t *len);
/* Every diagnostic of d (severity, path, line, col, message). */
void hg_diags_save(const hg_diags *d, hg_buf *b);
/* Appends the saved diagnostics to d. Returns false when r is or goes bad
 * (a stored NULL message counts as bad); d is then as it was before. */
bool hg_diags_restore(hg_reader *r, hg_diags *d);

/* ---- files and paths ----------------------------------------------------- */
/* Reads a whole file. Returns NULL and sets err (naming path) on failure. */
char *hg_read_file(const char *path, size_t *len, hg_error **err);
/* Writes data to path, creating parent folders. */
bool hg_write_file(const char *path, const char *data, size_t len,
                   hg_error **err);
bool hg_mkdir_p(const char *path, hg_error **err);
bool hg_copy_file(const char *src, const char *dst, hg_error **err);
/* Removes a file or a folder tree; returns false if anything stayed. */
bool hg_rm_rf(const char *path);
bool hg_is_dir(const char *path);
/* Appends to *out (growing it; *n counts) the paths, relative to root, of
 * the files below root, skipping names that start with '.'. Order is the
 * file system's: sort the result. The strings are the caller's. */
void hg_list_files(const char *root, char ***out, size_t *n);
bool hg_is_file(const char *path);
char *hg_path_join(const char *a, const char *b);
char *hg_path_dirname(const char *path);
const char *hg_path_basename(const char *path);
/* Resolves "." and ".." in a relative '/'-separated path. Returns NULL if
 * the path climbs above its start. */
char *hg_path_normalize(const char *path);
/* Relative URL from a page at folder `from_dir` to `to` (both relative to
 * the site root, '/'-separated, folders without trailing slash, "" = root).
 * e.g. from "a/b", to "c/index.html" -> "../../c/index.html". */
char *hg_rel_url(const char *from_dir, const char *to);

/* ---- strings ------------------------------------------------------------- */
bool hg_str_has_prefix(const char *s, const char *prefix);
bool hg_str_has_suffix(const char *s, const char *suffix);
/* Checks UTF-8 validity; on failure *bad_offset is the first bad byte. */
bool hg_utf8_valid(const char *s, size_t len, size_t *bad_offset);
/* Appends s escaped for XML text and attributes (& < > " ' and tab, LF,
 * CR as character references); characters XML 1.0 forbids (C0 controls,
 * DEL, U+FFFE, U+FFFF) become U+FFFD. */
void hg_buf_put_xml(hg_buf *b, const char *s);
/* Does the URL name a scheme ("https:", "mailto:") or start with "//"? */
bool hg_url_has_scheme(const char *u);
/* %XX decoded ("%00" stays encoded). Caller frees. */
char *hg_percent_decode(const char *s, size_t n);
/* Unicode-aware slug: lowercase, letters/digits/marks of any script kept,
 * every other run of characters becomes one '-'; trimmed of '-'.
 * Returns "" (a new empty string) when nothing is left. */
char *hg_slugify(const char *s);
/* Appends s as a JSON string the way jansson's json_dumps writes it
 * (escaping only '"', '\\' and control characters). Returns false, writing
 * nothing, when s is NULL or not UTF-8 (jansson's json_string refuses it). */
bool hg_buf_put_json(hg_buf *b, const char *s);
/* Appends hg_slugify(s) to out (which is NUL-terminated afterwards); ASCII
 * characters are done without ICU, so mostly-ASCII text is quicker. */
void hg_slugify_to(hg_buf *out, const char *s);
/* Hex string of a 64-bit content hash (xxHash XXH3), 16 chars + NUL. */
void hg_hash_hex(const void *data, size_t len, char out[17]);
uint64_t hg_hash64(const void *data, size_t len);

/* ---- string map ----------------------------------------------------------
 * Open-addressing hash map from strings (copied) to long values. */
typedef struct {
  char **keys;
  long *vals;
  size_t cap, len;
} hg_strmap;

void hg_strmap_put(hg_strmap *m, const char *key, long val); /* replaces */
/* Returns the value, or `missing` when the key is absent. */
long hg_strmap_get(const hg_strmap *m, const char *key, long missing);
void hg_strmap_free(hg_strmap *m);

/* ---- threads -------------------------------------------------------------
 * Runs fn(ctx, i, worker) for i in [0, n) on `threads` threads (worker is
 * 0..threads-1). Items are handed out in order; results must be written to
 * per-item slots so the output does not depend on the thread count. */
typedef void (*hg_task_fn)(void *ctx, size_t i, int worker);
void hg_parallel_for(size_t n, int threads, hg_task_fn fn, void *ctx);
/* HELPGEN_THREADS from the environment, else the number of online CPUs. */
int hg_default_threads(void);

#ifdef __cplusplus
}
#endif

#endif
