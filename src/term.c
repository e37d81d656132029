/* term.c - colours, the progress line and the colouring log stream. */
#include "hg_term.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SGR_ERROR "1;31"
#define SGR_WARNING "1;35"

struct hg_term {
  FILE *dest;
  FILE *file;       /* the cookie stream that writes through us */
  bool color, progress;
  hg_buf line;      /* partial line not yet written */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  pthread_t thread;
  bool running;     /* the progress thread exists */
  bool stop;
  bool shown;       /* the progress line is on the screen */
  char *what;
  char stage[96];
  struct timespec start;
  long delay_ms;
};

bool hg_term_color(FILE *f) {
  const char *nc = getenv("NO_COLOR");
  if (nc && *nc) return false;
  const char *term = getenv("TERM");
  if (term && !strcmp(term, "dumb")) return false;
  return isatty(fileno(f)) == 1;
}

static void put_sgr(hg_buf *b, const char *sgr, const char *s, size_t n) {
  hg_buf_printf(b, "\033[%sm", sgr);
  hg_buf_append(b, s, n);
  hg_buf_puts(b, "\033[0m");
}

void hg_term_put_colored(hg_buf *b, const char *line, size_t len) {
  static const struct {
    const char *word, *sgr;
  } kinds[] = {{"error:", SGR_ERROR}, {"warning:", SGR_WARNING}};
  for (size_t k = 0; k < 2; k++) {
    size_t wl = strlen(kinds[k].word);
    const char *at = NULL;
    if (len >= wl && !strncmp(line, kinds[k].word, wl)) {
      at = line;
    } else {
      char pat[16];
      snprintf(pat, sizeof pat, ": %s ", kinds[k].word);
      const char *p = memmem(line, len, pat, strlen(pat));
      if (p) at = p + 2;
    }
    if (!at) continue;
    hg_buf_append(b, line, (size_t)(at - line));
    put_sgr(b, kinds[k].sgr, at, wl);
    hg_buf_append(b, at + wl, len - (size_t)(at + wl - line));
    return;
  }
  hg_buf_append(b, line, len);
}

/* Erases the progress line. Called with mu held. */
static void erase(hg_term *t) {
  if (!t->shown) return;
  fputs("\r\033[K", t->dest);
  t->shown = false;
}

static void emit(hg_term *t, const char *s, size_t n) {
  hg_buf out = HG_BUF_INIT;
  if (t->color) hg_term_put_colored(&out, s, n);
  else hg_buf_append(&out, s, n);
  pthread_mutex_lock(&t->mu);
  erase(t);
  fwrite(out.data, 1, out.len, t->dest);
  fflush(t->dest);
  pthread_mutex_unlock(&t->mu);
  hg_buf_free(&out);
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t size) {
  hg_term *t = cookie;
  if (!size) return 0;
  hg_buf_append(&t->line, buf, size);
  char *nl;
  size_t done = 0;
  while ((nl = memchr(t->line.data + done, '\n', t->line.len - done))) {
    size_t n = (size_t)(nl - (t->line.data + done)) + 1;
    emit(t, t->line.data + done, n);
    done += n;
  }
  if (done) {
    memmove(t->line.data, t->line.data + done, t->line.len - done);
    t->line.len -= done;
    t->line.data[t->line.len] = '\0';
  }
  return (ssize_t)size;
}

static int cookie_close(void *cookie) {
  hg_term *t = cookie;
  if (t->line.len) emit(t, t->line.data, t->line.len);
  hg_buf_clear(&t->line);
  return 0;
}

hg_term *hg_term_open(FILE *dest, bool color, bool progress) {
  hg_term *t = hg_xcalloc(1, sizeof *t);
  t->dest = dest;
  t->color = color;
  t->progress = progress;
  pthread_mutex_init(&t->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&t->cv, &ca);
  pthread_condattr_destroy(&ca);
  cookie_io_functions_t io = {.write = cookie_write, .close = cookie_close};
  t->file = fopencookie(t, "w", io);
  if (!t->file) t->file = dest;
  else setvbuf(t->file, NULL, _IOLBF, 0);
  const char *d = getenv("HELPGEN_PROGRESS_AFTER_MS");
  t->delay_ms = d && *d ? atol(d) : 1000;
  return t;
}

FILE *hg_term_file(hg_term *t) { return t->file; }
bool hg_term_has_color(const hg_term *t) { return t->color; }

char *hg_term_paint(const hg_term *t, const char *sgr, const char *text) {
  if (!t || !t->color) return hg_xstrdup(text);
  return hg_strdup_printf("\033[%sm%s\033[0m", sgr, text);
}

static double since(const struct timespec *a) {
  struct timespec b;
  clock_gettime(CLOCK_MONOTONIC, &b);
  return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

/* Draws the progress line if it is due. Called with mu held. */
static void draw(hg_term *t) {
  double s = since(&t->start);
  if (s * 1000.0 < (double)t->delay_ms) return;
  fprintf(t->dest, "\r\033[K%s%s… %.1f s%s%s%s", t->color ? "\033[2m" : "", t->what, s,
          t->stage[0] ? " (" : "", t->stage, t->stage[0] ? ")" : "");
  if (t->color) fputs("\033[0m", t->dest);
  fflush(t->dest);
  t->shown = true;
}

static void *progress_main(void *arg) {
  hg_term *t = arg;
  pthread_mutex_lock(&t->mu);
  while (!t->stop) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += 100 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&t->cv, &t->mu, &until);
    if (!t->stop) draw(t);
  }
  erase(t);
  fflush(t->dest);
  pthread_mutex_unlock(&t->mu);
  return NULL;
}

void hg_term_progress_begin(hg_term *t, const char *what) {
  if (!t->progress || t->running) return;
  free(t->what);
  t->what = hg_xstrdup(what);
  t->stage[0] = '\0';
  t->stop = false;
  clock_gettime(CLOCK_MONOTONIC, &t->start);
  if (t->delay_ms <= 0) draw(t); /* the first frame at once (tests) */
  t->running = pthread_create(&t->thread, NULL, progress_main, t) == 0;
}

void hg_term_progress_stage(hg_term *t, const char *stage, size_t done, size_t total) {
  if (!t || !t->running) return;
  pthread_mutex_lock(&t->mu);
  if (total) snprintf(t->stage, sizeof t->stage, "%s %zu/%zu", stage, done, total);
  else snprintf(t->stage, sizeof t->stage, "%s", stage);
  pthread_mutex_unlock(&t->mu);
}

void hg_term_progress_end(hg_term *t) {
  if (!t->running) return;
  pthread_mutex_lock(&t->mu);
  t->stop = true;
  pthread_cond_signal(&t->cv);
  pthread_mutex_unlock(&t->mu);
  pthread_join(t->thread, NULL);
  t->running = false;
}

void hg_term_close(hg_term *t) {
  if (!t) return;
  hg_term_progress_end(t);
  if (t->file && t->file != t->dest) fclose(t->file);
  hg_buf_free(&t->line);
  free(t->what);
  pthread_cond_destroy(&t->cv);
  pthread_mutex_destroy(&t->mu);
  free(t);
}
