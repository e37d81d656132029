/* serve.c - `helpgen serve`: preview server with rebuild-on-change and live
 * reload.
 *
 * Threads: the main thread builds and watches (inotify, debounced); the
 * HTTP server (libmicrohttpd: a small pool of threads, each with its own
 * epoll set, so the number of open connections costs no threads) reads the
 * served folder, which a build only ever replaces by an atomic rename, so a
 * request sees either the old or the new site, never half of one. Files
 * are read whole into memory before they are sent, so a later build that
 * rewrites the old folder in place cannot change a response under way.
 *
 * Nothing blocks a pool thread: a Server-Sent Events stream with nothing
 * to say, and a request that comes before the first build has finished,
 * are suspended (MHD_suspend_connection) and put on the waiting list; the
 * waker thread resumes them when a build finishes, when a stream's ping is
 * due, or when the server stops. Clients that have not sent a whole
 * request are dropped after IDLE_SECONDS of silence; there are enough
 * connection slots (CONN_MAX, within the open-file limit) that idle ones
 * cannot lock others out. The build state (generation, last error, base
 * path) and the waiting list are shared under one mutex. */
#include "hg_serve.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hg_util.h"

const char *hg_serve_mime(const char *name) {
  static const struct {
    const char *ext, *type;
  } types[] = {
      {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".json", "application/json"},
      {".map", "application/json"},          {".xml", "application/xml"},
      {".txt", "text/plain; charset=utf-8"}, {".md", "text/markdown; charset=utf-8"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".jpg", "image/jpeg"},                {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},                 {".webp", "image/webp"},
      {".avif", "image/avif"},               {".ico", "image/x-icon"},
      {".pdf", "application/pdf"},           {".woff", "font/woff"},
      {".woff2", "font/woff2"},              {".gz", "application/gzip"},
      {".wasm", "application/wasm"},         {".mp4", "video/mp4"},
      {".webm", "video/webm"},               {".zip", "application/zip"},
      {".webmanifest", "application/manifest+json"}, {".atom", "application/atom+xml"},
  };
  const char *base = hg_path_basename(name);
  const char *dot = strrchr(base, '.');
  if (dot)
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
      if (!strcasecmp(dot, types[i].ext)) return types[i].type;
  return "application/octet-stream";
}

char *hg_serve_rel_path(const char *base, const char *url) {
  size_t bl = strlen(base);
  if (strncmp(url, base, bl) != 0) return NULL;
  const char *p = url + bl;
  if (strchr(p, '\\')) return NULL;
  for (const char *seg = p; *seg;) {
    size_t n = strcspn(seg, "/");
    if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')) return NULL;
    seg += n;
    if (*seg == '/') seg++;
  }
  return hg_xstrdup(p);
}

#ifndef HG_HAVE_MHD

int hg_serve(const hg_serve_opts *opts) {
  fprintf(opts->log ? opts->log : stderr,
          "helpgen serve: this helpgen was built without libmicrohttpd (install "
          "libmicrohttpd-dev and rebuild with -DHG_HAVE_MHD)\n");
  return 2;
}

#else

#include <arpa/inet.h>
#include <dirent.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hg_build.h"
#include "hg_config.h"
#include "hg_theme.h"

#define EVENTS_PATH "__helpgen/events"
#define SCRIPT_PATH "__helpgen/live.js"
#define DEBOUNCE_MS 150   /* quiet time after the last change */
#define MAX_DELAY_MS 1500 /* rebuild at the latest this long after the first */
#define PING_SECONDS 15   /* SSE comment to keep proxies and timeouts away */
#define IDLE_SECONDS 10   /* a connection silent this long (no whole request yet, or an
                             idle keep-alive) is closed; event streams get 4 pings' time */
#define POOL_THREADS 4    /* HTTP threads; requests are short, nothing blocks them */
#define CONN_MAX 4096     /* connection slots (fewer if the open-file limit is lower) */

/* The live-reload client. Messages are shown with textContent (never as
 * HTML); the overlay disappears when a build succeeds again. */
static const char live_js[] =
    "/* helpgen serve: live reload (only in serve mode) */\n"
    "(function () {\n"
    "  'use strict';\n"
    "  if (!window.EventSource || !document.currentScript) return;\n"
    "  var url = document.currentScript.src.replace(/live\\.js(\\?.*)?$/, 'events');\n"
    "  var box = null, first = null;\n"
    "  function hide() { if (box) { box.remove(); box = null; } }\n"
    "  function show(text) {\n"
    "    hide();\n"
    "    box = document.createElement('div');\n"
    "    box.id = 'helpgen-build-error';\n"
    "    box.setAttribute('role', 'alert');\n"
    "    box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;'\n"
    "      + 'z-index:2147483647;margin:0;padding:1em 1.25em;background:#3b0d0d;color:#fff;'\n"
    "      + 'font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 -4px 16px #0006';\n"
    "    var h = document.createElement('strong');\n"
    "    h.style.cssText = 'color:inherit;font:inherit;font-weight:bold';\n"
    "    h.textContent = 'helpgen: the build failed; this is the last good version of the page';\n"
    "    var pre = document.createElement('pre');\n"
    "    pre.style.cssText = 'white-space:pre-wrap;margin:.5em 0 0;padding:0;border:0;'\n"
    "      + 'background:none;color:inherit;font:inherit;max-width:none';\n"
    "    pre.textContent = text;\n"
    "    box.appendChild(h); box.appendChild(pre);\n"
    "    document.body.appendChild(box);\n"
    "  }\n"
    "  var es = new EventSource(url);\n"
    "  es.addEventListener('hello', function (e) {\n"
    "    var d = JSON.parse(e.data);\n"
    "    if (first === null) first = d.generation;\n"
    "    else if (d.generation !== first) { location.reload(); return; }\n"
    "    if (d.error) show(d.error); else hide();\n"
    "  });\n"
    "  es.addEventListener('reload', function () { location.reload(); });\n"
    "  es.addEventListener('build-error', function (e) { show(JSON.parse(e.data).error); });\n"
    "})();\n";

/* A suspended connection, resumed when s->events != seen, at `due` (if
 * not 0, monotonic seconds), or when the server stops. */
typedef struct waiter {
  struct MHD_Connection *conn;
  unsigned long seen;
  double due;
  bool owned; /* a request waiting for the first build: freed when resumed */
  bool queued;
  struct waiter *next;
} waiter;

typedef struct {
  struct MHD_Daemon *daemon;
  char *root;            /* the served folder (OUT) */
  pthread_mutex_t mu;    /* guards everything below */
  pthread_cond_t cv;
  char *base;            /* "/" or "/help/" (from base_url) */
  unsigned long gen;     /* successful builds so far */
  unsigned long events;  /* builds finished so far (good or failed) */
  char *error;           /* messages of the last build when it failed */
  bool stopping;
  char *mhd_msg;         /* last message of the HTTP library */
  waiter *waiting;       /* suspended connections */
  pthread_t waker;
  bool waker_running;
} server;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Suspends w->conn until the waker resumes it. Called with s->mu held, from
 * the access handler or a content reader (the only places the library
 * allows it); holding the mutex means the waker cannot resume a connection
 * before it is suspended. */
static void suspend_until(server *s, waiter *w) {
  w->queued = true;
  w->next = s->waiting;
  s->waiting = w;
  MHD_suspend_connection(w->conn);
  pthread_cond_broadcast(&s->cv);
}

/* Resumes every waiter whose condition holds (all when stopping); returns
 * the earliest `due` of those left (0: none). Called with s->mu held. */
static double wake_due(server *s) {
  double t = now(), next = 0;
  for (waiter **pp = &s->waiting; *pp;) {
    waiter *w = *pp;
    if (s->stopping || s->events != w->seen || (w->due > 0 && t >= w->due)) {
      *pp = w->next;
      w->queued = false;
      MHD_resume_connection(w->conn);
      if (w->owned) free(w);
      continue;
    }
    if (w->due > 0 && (next == 0 || w->due < next)) next = w->due;
    pp = &w->next;
  }
  return next;
}

static void *waker_main(void *arg) {
  server *s = arg;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    double next = wake_due(s);
    if (s->stopping) break;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    double wait = next > 0 ? next - now() : 1.0;
    if (wait > 1.0) wait = 1.0;
    if (wait < 0.001) wait = 0.001;
    until.tv_sec += (time_t)wait;
    until.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&s->cv, &s->mu, &until);
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

/* ---- responses ------------------------------------------------------------------ */

static char *base_copy(server *s) {
  pthread_mutex_lock(&s->mu);
  char *b = hg_xstrdup(s->base);
  pthread_mutex_unlock(&s->mu);
  return b;
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, char *data,
                                size_t len, const char *type) {
  struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text) {
  return send_buf(c, status, hg_xstrdup(text), strlen(text), "text/plain; charset=utf-8");
}

/* Percent-encodes a decoded URL path for a Location header. */
static char *encode_path(const char *p) {
  static const char keep[] = "-._~/!$&'()*+,;=:@";
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "");
  for (const unsigned char *q = (const unsigned char *)p; *q; q++) {
    if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
        strchr(keep, *q))
      hg_buf_putc(&b, (char)*q);
    else
      hg_buf_printf(&b, "%%%02X", *q);
  }
  return hg_buf_steal(&b);
}

static enum MHD_Result redirect(struct MHD_Connection *c, const char *to) {
  char *loc = encode_path(to);
  struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_FOUND, r);
  MHD_destroy_response(r);
  free(loc);
  return ret;
}

/* Puts the live-reload script before </body> (or at the end). Takes html. */
static char *inject(char *html, size_t *len, const char *base) {
  hg_buf b = HG_BUF_INIT;
  const char *at = NULL;
  for (const char *p = html; (p = strcasestr(p, "</body")); p++) at = p;
  size_t pos = at ? (size_t)(at - html) : *len;
  hg_buf_append(&b, html, pos);
  hg_buf_puts(&b, "<script src=\"");
  hg_buf_put_html(&b, base, strlen(base));
  hg_buf_puts(&b, SCRIPT_PATH "\"></script>\n");
  hg_buf_append(&b, html + pos, *len - pos);
  free(html);
  *len = b.len;
  return hg_buf_steal(&b);
}

/* Reads root/rel whole if it is a regular file inside root (no symlink
 * leads out). */
static char *read_inside(const char *root, const char *rel, size_t *len) {
  char *full = hg_path_join(root, rel);
  char *real = realpath(full, NULL);
  free(full);
  if (!real) return NULL;
  size_t rl = strlen(root);
  char *data = NULL;
  if (!strncmp(real, root, rl) && real[rl] == '/' && hg_is_file(real))
    data = hg_read_file(real, len, NULL);
  free(real);
  return data;
}

static enum MHD_Result send_file(struct MHD_Connection *c, unsigned status, const char *rel,
                                 char *data, size_t len, const char *base) {
  const char *type = hg_serve_mime(rel);
  if (hg_str_has_prefix(type, "text/html")) data = inject(data, &len, base);
  return send_buf(c, status, data, len, type);
}

/* The site's 404 page for a miss at `rel` (relative to the base path, or
 * NULL): a language's own (cs/404.html for anything under cs/), else the
 * default language's 404.html. */
static char *read_404(const char *root, const char *rel, size_t *len) {
  size_t seg = rel ? strcspn(rel, "/") : 0;
  if (seg && rel[seg] == '/') {
    char *own = hg_strdup_printf("%.*s/404.html", (int)seg, rel);
    char *data = read_inside(root, own, len);
    free(own);
    if (data) return data;
  }
  return read_inside(root, "404.html", len);
}

static enum MHD_Result not_found(server *s, struct MHD_Connection *c, const char *base,
                                 const char *rel) {
  size_t len;
  char *data = read_404(s->root, rel, &len);
  if (data) return send_file(c, MHD_HTTP_NOT_FOUND, "404.html", data, len, base);
  pthread_mutex_lock(&s->mu);
  bool built = s->gen > 0;
  pthread_mutex_unlock(&s->mu);
  if (built) return send_text(c, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
  /* nothing built yet: a page that shows the error and reloads when fixed */
  static const char page[] =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>helpgen serve"
      "</title></head><body><h1>The site has not been built yet</h1><p>helpgen shows the "
      "build messages below and reloads this page when a build succeeds.</p></body></html>";
  size_t n = sizeof page - 1;
  return send_file(c, MHD_HTTP_SERVICE_UNAVAILABLE, "x.html", hg_xstrdup(page), n, base);
}

/* ---- Server-Sent Events -------------------------------------------------------- */

typedef struct {
  server *s;
  waiter w;    /* w.seen: the builds this stream has been told about */
  bool greeted;
  hg_buf out;  /* bytes not yet handed to the library */
  size_t sent;
} sse_client;

static void sse_event(hg_buf *b, const char *name, json_t *data) {
  char *j = json_dumps(data, JSON_COMPACT);
  hg_buf_printf(b, "event: %s\ndata: %s\n\n", name, j);
  free(j);
  json_decref(data);
}

/* Formats what to send next: the greeting, a build's event or a ping.
 * Returns false when there is nothing yet (the caller suspends the stream).
 * Called with s->mu held. */
static bool sse_next(sse_client *c) {
  server *s = c->s;
  if (!c->greeted) {
    c->greeted = true;
    c->w.seen = s->events;
    c->w.due = now() + PING_SECONDS;
    hg_buf_puts(&c->out, "retry: 1000\n");
    sse_event(&c->out, "hello", json_pack("{s:I, s:s?}", "generation", (json_int_t)s->gen,
                                          "error", s->error));
    return true;
  }
  if (s->events != c->w.seen) {
    c->w.seen = s->events;
    c->w.due = now() + PING_SECONDS;
    if (s->error)
      sse_event(&c->out, "build-error", json_pack("{s:s}", "error", s->error));
    else
      sse_event(&c->out, "reload", json_pack("{s:I}", "generation", (json_int_t)s->gen));
    return true;
  }
  if (now() >= c->w.due) {
    c->w.due = now() + PING_SECONDS;
    hg_buf_puts(&c->out, ": ping\n\n");
    return true;
  }
  return false;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  sse_client *c = cls;
  if (c->sent == c->out.len) {
    hg_buf_clear(&c->out);
    c->sent = 0;
    server *s = c->s;
    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
      pthread_mutex_unlock(&s->mu);
      return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (!sse_next(c)) {
      if (!c->w.queued) suspend_until(s, &c->w);
      pthread_mutex_unlock(&s->mu);
      return 0; /* called again once resumed */
    }
    pthread_mutex_unlock(&s->mu);
  }
  size_t n = c->out.len - c->sent;
  if (n > max) n = max;
  memcpy(buf, c->out.data + c->sent, n);
  c->sent += n;
  return (ssize_t)n;
}

static void sse_free(void *cls) {
  sse_client *c = cls;
  server *s = c->s;
  pthread_mutex_lock(&s->mu); /* never queued here (a suspended stream is not closed); */
  for (waiter **pp = &s->waiting; *pp; pp = &(*pp)->next) /* but be sure */
    if (*pp == &c->w) {
      *pp = c->w.next;
      break;
    }
  pthread_mutex_unlock(&s->mu);
  hg_buf_free(&c->out);
  free(c);
}

static enum MHD_Result send_events(server *s, struct MHD_Connection *c) {
  sse_client *cl = hg_xcalloc(1, sizeof *cl);
  cl->s = s;
  cl->w.conn = c;
  struct MHD_Response *r =
      MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, sse_read, cl, sse_free);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
  MHD_destroy_response(r);
  /* a stream is quiet between pings: not the idle timeout of the others */
  MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)(PING_SECONDS * 4));
  return ret;
}

/* ---- requests ------------------------------------------------------------------ */

/* What *req holds: set by uri_seen before the headers are read, then
 * marked once the handler has seen the request. */
static char req_ok, req_nul, req_ok_seen, req_nul_seen;

/* Sees the raw request line's path before the library decodes it: a
 * percent-encoded NUL would cut the decoded path short ("/index.html%00.css"
 * would be "/index.html"), so such a request is refused. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *c) {
  (void)cls;
  (void)c;
  size_t n = strcspn(uri, "?#");
  for (size_t i = 0; i + 2 < n; i++)
    if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0') return &req_nul;
  return &req_ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req) {
  (void)version;
  (void)upload;
  server *s = cls;
  if (*req == NULL || *req == &req_ok || *req == &req_nul) {
    /* first call for this request: headers only */
    *req = *req == &req_nul ? &req_nul_seen : &req_ok_seen;
    return MHD_YES;
  }
  if (*upload_size) return MHD_NO;
  pthread_mutex_lock(&s->mu);
  if (!s->events && !s->stopping) {
    /* the first build is running: answer when it has finished */
    waiter *w = hg_xcalloc(1, sizeof *w);
    w->conn = c;
    w->owned = true;
    suspend_until(s, w);
    pthread_mutex_unlock(&s->mu);
    return MHD_YES;
  }
  pthread_mutex_unlock(&s->mu);
  if (*req == &req_nul_seen) {
    char *b = base_copy(s);
    enum MHD_Result r = not_found(s, c, b, NULL);
    free(b);
    return r;
  }
  if (strcmp(method, "GET") && strcmp(method, "HEAD"))
    return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
  char *base = base_copy(s);
  enum MHD_Result ret;
  char *rel = hg_serve_rel_path(base, url);
  size_t bl = strlen(base);
  if (!rel && bl > 1 && !strncmp(url, base, bl - 1) && !url[bl - 1]) {
    ret = redirect(c, base); /* "/help" -> "/help/" */
  } else if (!rel && !strcmp(url, "/")) {
    ret = redirect(c, base);
  } else if (!rel) {
    ret = not_found(s, c, base, NULL);
  } else if (!strcmp(rel, EVENTS_PATH)) {
    ret = send_events(s, c);
  } else if (!strcmp(rel, SCRIPT_PATH)) {
    ret = send_buf(c, MHD_HTTP_OK, hg_xstrdup(live_js), sizeof live_js - 1,
                   "text/javascript; charset=utf-8");
  } else {
    char *full = hg_path_join(s->root, rel);
    bool dir = !*rel || hg_str_has_suffix(rel, "/") || hg_is_dir(full);
    free(full);
    if (dir && *rel && !hg_str_has_suffix(rel, "/")) {
      char *to = hg_strdup_printf("%s/", url);
      ret = redirect(c, to);
      free(to);
    } else {
      char *file = dir ? hg_strdup_printf("%sindex.html", rel) : hg_xstrdup(rel);
      size_t len;
      char *data = read_inside(s->root, file, &len);
      ret = data ? send_file(c, MHD_HTTP_OK, file, data, len, base) : not_found(s, c, base, rel);
      free(file);
    }
  }
  free(rel);
  free(base);
  return ret;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
  server *s = cls;
  hg_buf b = HG_BUF_INIT;
  hg_buf_vprintf(&b, fmt, ap);
  while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r')) b.data[--b.len] = 0;
  pthread_mutex_lock(&s->mu);
  free(s->mhd_msg);
  s->mhd_msg = hg_buf_steal(&b);
  pthread_mutex_unlock(&s->mu);
}

/* Connection slots: CONN_MAX, within the open-file limit (raised to its
 * hard limit if need be) less room for the build's own files. */
static unsigned conn_limit(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 256;
  rlim_t want = CONN_MAX + 512;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
    rlim_t cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
    struct rlimit nl = {cur, rl.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &nl) == 0) rl.rlim_cur = cur;
  }
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want) return CONN_MAX;
  return rl.rlim_cur > 512 ? (unsigned)(rl.rlim_cur - 512) : (unsigned)rl.rlim_cur / 2;
}

static bool start_daemon(server *s, const char *bind, int port, FILE *log) {
  struct sockaddr_in in4;
  struct sockaddr_in6 in6;
  struct sockaddr *sa;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
                   (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL
                                                                          : MHD_USE_POLL);
  memset(&in4, 0, sizeof in4);
  memset(&in6, 0, sizeof in6);
  if (inet_pton(AF_INET, bind, &in4.sin_addr) == 1) {
    in4.sin_family = AF_INET;
    in4.sin_port = htons((uint16_t)port);
    sa = (struct sockaddr *)&in4;
  } else if (inet_pton(AF_INET6, bind, &in6.sin6_addr) == 1) {
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons((uint16_t)port);
    sa = (struct sockaddr *)&in6;
    flags |= MHD_USE_IPv6;
  } else {
    fprintf(log, "helpgen serve: --bind '%s' is not an IPv4 or IPv6 address\n", bind);
    return false;
  }
  s->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, s,
                               MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
                               MHD_OPTION_URI_LOG_CALLBACK, uri_seen, s,
                               MHD_OPTION_SOCK_ADDR, sa,
                               MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS,
                               MHD_OPTION_CONNECTION_LIMIT, conn_limit(),
                               MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
                               MHD_OPTION_END);
  if (!s->daemon) {
    fprintf(log, "helpgen serve: cannot listen on %s port %d%s%s (another server on the "
            "port? try --port N)\n", bind, port, s->mhd_msg ? ": " : "",
            s->mhd_msg ? s->mhd_msg : "");
    return false;
  }
  return true;
}

/* ---- watching ------------------------------------------------------------------ */

#define WATCH_MASK (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
                    IN_DELETE_SELF | IN_MOVE_SELF)

/* Folders of the site that feed the build (watched with all subfolders). */
static const char *const watched_dirs[] = {"content", "themes", "hooks", "flows", "data", NULL};

typedef struct {
  int fd;
  char **paths; /* by watch descriptor; NULL when free */
  bool *deep;   /* watch new subfolders too */
  size_t cap;
} watcher;

static void watch_add(watcher *w, const char *dir, bool deep) {
  int wd = inotify_add_watch(w->fd, dir, WATCH_MASK | IN_ONLYDIR);
  if (wd < 0) return;
  if ((size_t)wd >= w->cap) {
    size_t cap = (size_t)wd * 2 + 16;
    w->paths = hg_xrealloc(w->paths, cap * sizeof *w->paths);
    w->deep = hg_xrealloc(w->deep, cap * sizeof *w->deep);
    memset(w->paths + w->cap, 0, (cap - w->cap) * sizeof *w->paths);
    memset(w->deep + w->cap, 0, (cap - w->cap) * sizeof *w->deep);
    w->cap = cap;
  }
  free(w->paths[wd]);
  w->paths[wd] = hg_xstrdup(dir);
  w->deep[wd] = deep;
}

static void watch_tree(watcher *w, const char *dir) {
  watch_add(w, dir, true);
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *sub = hg_path_join(dir, e->d_name);
    if (hg_is_dir(sub)) watch_tree(w, sub);
    free(sub);
  }
  closedir(d);
}

static bool is_watched_dir(const char *name) {
  for (size_t i = 0; watched_dirs[i]; i++)
    if (!strcmp(watched_dirs[i], name)) return true;
  return false;
}

/* Editor droppings that are not content. */
static bool ignored_name(const char *name) {
  return name[0] == '.' || hg_str_has_suffix(name, "~") || hg_str_has_suffix(name, ".swp") ||
         hg_str_has_suffix(name, ".swx") || hg_str_has_suffix(name, ".tmp") ||
         !strcmp(name, "4913");
}

/* Reads pending events; returns true if any should trigger a rebuild. */
static bool watch_read(watcher *w) {
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
  bool changed = false;
  for (;;) {
    ssize_t n = read(w->fd, buf, sizeof buf);
    if (n <= 0) break;
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *ev = (struct inotify_event *)p;
      p += sizeof *ev + ev->len;
      if (ev->wd < 0 || (size_t)ev->wd >= w->cap || !w->paths[ev->wd]) continue;
      if (ev->mask & IN_IGNORED) {
        free(w->paths[ev->wd]);
        w->paths[ev->wd] = NULL;
        continue;
      }
      const char *name = ev->len ? ev->name : "";
      bool deep = w->deep[ev->wd];
      if (*name && ignored_name(name)) continue;
      if (ev->mask & IN_ISDIR) {
        if (!deep && !is_watched_dir(name)) continue; /* site root: only our folders */
        if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
          char *sub = hg_path_join(w->paths[ev->wd], name);
          watch_tree(w, sub);
          free(sub);
        }
      }
      changed = true;
    }
  }
  return changed;
}

static void watch_free(watcher *w) {
  for (size_t i = 0; i < w->cap; i++) free(w->paths[i]);
  free(w->paths);
  free(w->deep);
  if (w->fd >= 0) close(w->fd);
}

static void watch_site(watcher *w, const char *site) {
  watch_add(w, site, false);
  for (size_t i = 0; watched_dirs[i]; i++) {
    char *d = hg_path_join(site, watched_dirs[i]);
    if (hg_is_dir(d)) watch_tree(w, d);
    free(d);
  }
  char *builtin = hg_theme_builtin_root();
  if (builtin) watch_tree(w, builtin);
  free(builtin);
}

/* ---- building ------------------------------------------------------------------- */

typedef struct {
  const hg_serve_opts *o;
  server *s;
  const char *out_dir;
  FILE *log;
} serve_ctx;

/* The base path of the site's URL, from its config ("/" if unreadable). */
static char *site_base(const char *site) {
  hg_diags d = {0};
  hg_config *cfg = hg_config_load(site, &d, NULL);
  char *base = hg_xstrdup(cfg && cfg->base_path && *cfg->base_path ? cfg->base_path : "/");
  hg_config_free(cfg);
  hg_diags_free(&d);
  return base;
}

/* Builds; returns false when interrupted. */
static bool rebuild(serve_ctx *x, bool first) {
  char *msgs = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&msgs, &len);
  hg_build_opts bo = {.site_dir = x->o->site_dir, .out_dir = x->out_dir, .quiet = true,
                      .drafts = x->o->drafts, .threads = x->o->threads,
                      .interrupted = x->o->interrupted, .log = mem};
  hg_build_stats st;
  int code = hg_build(&bo, &st);
  fclose(mem);
  if (len) fwrite(msgs, 1, len, x->log);
  if (code == 130) {
    free(msgs);
    return false;
  }
  char *base = code == 0 ? site_base(x->o->site_dir) : NULL;
  pthread_mutex_lock(&x->s->mu);
  free(x->s->error);
  x->s->error = NULL;
  if (code == 0) {
    x->s->gen++;
    free(x->s->base);
    x->s->base = base;
  } else {
    x->s->error = len ? hg_xstrdup(msgs) : hg_strdup_printf("the build failed (exit code %d)", code);
  }
  x->s->events++;
  pthread_cond_broadcast(&x->s->cv);
  pthread_mutex_unlock(&x->s->mu);
  if (code == 0)
    fprintf(x->log, "helpgen: %s %zu pages in %.2f s, %zu warning%s\n", first ? "built" : "rebuilt",
            st.pages, st.seconds, st.warnings, st.warnings == 1 ? "" : "s");
  else
    fprintf(x->log, "helpgen: the build failed; %s\n",
            first ? "fix the problem and save: the site will be built then"
                  : "still serving the last good site");
  fflush(x->log);
  free(msgs);
  return true;
}

static bool stop_requested(const hg_serve_opts *o) { return o->interrupted && *o->interrupted; }

int hg_serve(const hg_serve_opts *opts) {
  hg_serve_opts oc = *opts; /* with the defaults filled in: the builds read it */
  const hg_serve_opts *o = &oc;
  if (!oc.site_dir) oc.site_dir = ".";
  FILE *log = o->log ? o->log : stderr;
  const char *site = o->site_dir;
  const char *bind = o->bind ? o->bind : "127.0.0.1";
  int port = o->port < 0 ? 1313 : o->port;
  if (!hg_is_dir(site)) {
    fprintf(log, "helpgen serve: site folder '%s' not found\n", site);
    return 2;
  }
  int code = 2;
  char *tmp = NULL, *out = NULL;
  server s;
  memset(&s, 0, sizeof s);
  pthread_mutex_init(&s.mu, NULL);
  pthread_cond_init(&s.cv, NULL);
  watcher w = {.fd = -1};

  if (o->out_dir) {
    out = hg_xstrdup(o->out_dir);
  } else {
    const char *t = getenv("TMPDIR");
    tmp = hg_strdup_printf("%s/helpgen-serve-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp)) {
      fprintf(log, "helpgen serve: cannot create a folder in %s: %s\n", t && *t ? t : "/tmp",
              strerror(errno));
      free(tmp);
      tmp = NULL;
      goto done;
    }
    out = hg_path_join(tmp, "site");
  }
  if (!hg_mkdir_p(out, NULL) || !(s.root = realpath(out, NULL))) {
    fprintf(log, "helpgen serve: cannot create the output folder %s\n", out);
    goto done;
  }
  s.base = site_base(site);
  w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w.fd < 0) {
    fprintf(log, "helpgen serve: cannot watch files: %s\n", strerror(errno));
    goto done;
  }
  watch_site(&w, site);
  if (!start_daemon(&s, bind, port, log)) goto done;
  if (pthread_create(&s.waker, NULL, waker_main, &s) != 0) {
    fprintf(log, "helpgen serve: cannot start a thread: %s\n", strerror(errno));
    goto done;
  }
  s.waker_running = true;
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s.daemon, MHD_DAEMON_INFO_BIND_PORT);
  int real_port = info ? info->port : port;

  /* the address first (a script started with --port 0 reads it from the
   * first line); requests that come during the first build are answered
   * when it has finished */
  char *base = base_copy(&s);
  bool v6 = strchr(bind, ':') != NULL;
  fprintf(log, "helpgen: serving %s at http://%s%s%s:%d%s (from %s; Ctrl+C to stop)\n", site,
          v6 ? "[" : "", bind, v6 ? "]" : "", real_port, base, out);
  free(base);
  fflush(log);
  serve_ctx x = {o, &s, out, log};
  code = 0;
  if (!rebuild(&x, true)) goto done;

  /* debounce: rebuild once changes pause for DEBOUNCE_MS, or MAX_DELAY_MS
   * after the first change of a burst at the latest */
  bool pending = false;
  double first = 0, due = 0;
  while (!stop_requested(o)) {
    int timeout = 250; /* also bounds how long a signal can go unnoticed */
    if (pending) {
      double ms = (due - now()) * 1000.0;
      timeout = ms <= 0 ? 0 : ms < timeout ? (int)ms + 1 : timeout;
    }
    struct pollfd pfd = {w.fd, POLLIN, 0};
    if (poll(&pfd, 1, timeout) > 0 && watch_read(&w)) {
      double t = now();
      if (!pending) first = t;
      pending = true;
      due = t + DEBOUNCE_MS / 1000.0;
      if (due > first + MAX_DELAY_MS / 1000.0) due = first + MAX_DELAY_MS / 1000.0;
    }
    if (pending && now() >= due) {
      pending = false;
      if (!rebuild(&x, false)) break;
    }
  }
  fprintf(log, "helpgen: stopping the server\n");

done:
  if (s.daemon) {
    pthread_mutex_lock(&s.mu);
    s.stopping = true;
    pthread_cond_broadcast(&s.cv);
    if (!s.waker_running) wake_due(&s); /* the library must not stop with a suspended connection */
    pthread_mutex_unlock(&s.mu);
    if (s.waker_running) pthread_join(s.waker, NULL); /* it resumes every waiter first */
    MHD_stop_daemon(s.daemon);
  }
  watch_free(&w);
  if (tmp && !hg_rm_rf(tmp)) fprintf(log, "helpgen serve: could not remove %s\n", tmp);
  free(tmp);
  free(out);
  free(s.root);
  free(s.base);
  free(s.error);
  free(s.mhd_msg);
  pthread_cond_destroy(&s.cv);
  pthread_mutex_destroy(&s.mu);
  return code;
}

#endif
