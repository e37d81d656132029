/* images.c - image sizes from file headers, resized WebP variants (libvips) kept in a cache. */
#include "hg_images.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vips/vips.h>

/* ---- header reader ---------------------------------------------------------- */

static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p) { return be16(p) << 16 | be16(p + 2); }
static uint32_t le16(const unsigned char *p) { return (uint32_t)p[1] << 8 | p[0]; }
static uint32_t le24(const unsigned char *p) { return le16(p) | (uint32_t)p[2] << 16; }

static bool set_size(uint32_t w, uint32_t h, int *ow, int *oh) {
  if (w == 0 || h == 0 || w > 1000000 || h > 1000000) return false;
  *ow = (int)w;
  *oh = (int)h;
  return true;
}

/* The EXIF orientation (1-8) in an APP1 segment's body, or 1. */
static int exif_orientation(const unsigned char *p, size_t n) {
  if (n < 14 || memcmp(p, "Exif\0\0", 6)) return 1;
  p += 6;
  n -= 6;
  bool le = p[0] == 'I' && p[1] == 'I';
  if (!le && !(p[0] == 'M' && p[1] == 'M')) return 1;
  uint32_t (*r16)(const unsigned char *) = le ? le16 : be16;
  uint32_t ifd = le ? le16(p + 4) | le16(p + 6) << 16 : be32(p + 4);
  if (ifd > n || n - ifd < 2) return 1;
  uint32_t count = r16(p + ifd);
  for (uint32_t i = 0; i < count; i++) {
    size_t at = ifd + 2 + (size_t)i * 12;
    if (at + 12 > n) break;
    if (r16(p + at) == 0x0112) {
      uint32_t v = r16(p + at + 8);
      return v >= 1 && v <= 8 ? (int)v : 1;
    }
  }
  return 1;
}

static bool jpeg_size(const unsigned char *p, size_t n, int *w, int *h) {
  size_t i = 2;
  int orient = 1;
  while (i + 4 <= n) {
    if (p[i] != 0xFF) return false;
    unsigned m = p[i + 1];
    if (m == 0xFF) { /* fill byte */
      i++;
      continue;
    }
    if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
      i += 2;
      continue;
    }
    if (m == 0xD9 || m == 0xDA) return false; /* image data before a frame header */
    size_t seg = be16(p + i + 2);
    if (seg < 2 || i + 2 + seg > n) return false;
    if (m == 0xE1) {
      int o = exif_orientation(p + i + 4, seg - 2);
      if (o != 1) orient = o;
    }
    bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof) {
      if (seg < 7) return false;
      uint32_t hh = be16(p + i + 5), ww = be16(p + i + 7);
      return orient >= 5 ? set_size(hh, ww, w, h) : set_size(ww, hh, w, h);
    }
    i += 2 + seg;
  }
  return false;
}

static bool webp_size(const unsigned char *p, size_t n, int *w, int *h) {
  if (n < 30) return false;
  if (!memcmp(p + 12, "VP8 ", 4)) {
    if (p[23] != 0x9d || p[24] != 0x01 || p[25] != 0x2a) return false;
    return set_size(le16(p + 26) & 0x3fff, le16(p + 28) & 0x3fff, w, h);
  }
  if (!memcmp(p + 12, "VP8L", 4)) {
    if (p[20] != 0x2f) return false;
    uint32_t b = (uint32_t)p[21] | (uint32_t)p[22] << 8 | (uint32_t)p[23] << 16 |
                 (uint32_t)p[24] << 24;
    return set_size((b & 0x3fff) + 1, ((b >> 14) & 0x3fff) + 1, w, h);
  }
  if (!memcmp(p + 12, "VP8X", 4)) return set_size(le24(p + 24) + 1, le24(p + 27) + 1, w, h);
  return false;
}

/* A length in CSS px ("640", "640px", "12.5"), or -1 (%, em, mm...: no
 * intrinsic size). */
static double svg_length(const char *v, size_t n) {
  char buf[64];
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, v, n);
  buf[n] = 0;
  char *end;
  double d = strtod(buf, &end);
  while (*end == ' ') end++;
  if (end == buf || d <= 0 || (*end && strcmp(end, "px"))) return -1;
  return d;
}

/* The value of attribute `name` in the tag text [s, e), or NULL. */
static const char *svg_attr(const char *s, const char *e, const char *name, size_t *len) {
  size_t nl = strlen(name);
  for (const char *p = s; p + nl < e; p++) {
    if (memcmp(p, name, nl) || (p > s && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n' &&
                                p[-1] != '\r'))
      continue;
    const char *q = p + nl;
    while (q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
    if (q >= e || *q != '=') continue;
    q++;
    while (q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
    if (q >= e || (*q != '"' && *q != '\'')) continue;
    const char *v = q + 1, *end = memchr(v, *q, (size_t)(e - v));
    if (!end) return NULL;
    *len = (size_t)(end - v);
    return v;
  }
  return NULL;
}

static bool svg_size(const char *d, size_t n, int *w, int *h) {
  const char *s = NULL;
  for (const char *p = d; p + 5 <= d + n; p++) {
    p = memchr(p, '<', (size_t)(d + n - p));
    if (!p || p + 5 > d + n) return false;
    if (!memcmp(p, "<svg", 4) && strchr(" \t\r\n>", p[4])) {
      s = p + 4;
      break;
    }
  }
  if (!s) return false;
  /* the tag ends at the first '>' outside quotes */
  const char *e = s;
  char q = 0;
  for (; e < d + n; e++) {
    if (q) q = *e == q ? 0 : q;
    else if (*e == '"' || *e == '\'') q = *e;
    else if (*e == '>') break;
  }
  if (e >= d + n) return false;
  size_t lw = 0, lh = 0, lv = 0;
  const char *aw = svg_attr(s, e, "width", &lw), *ah = svg_attr(s, e, "height", &lh);
  const char *av = svg_attr(s, e, "viewBox", &lv);
  double ww = aw ? svg_length(aw, lw) : -1, hh = ah ? svg_length(ah, lh) : -1;
  double vb[4] = {0, 0, -1, -1};
  if (av && lv < 128) {
    char buf[128];
    memcpy(buf, av, lv);
    buf[lv] = 0;
    char *p = buf;
    for (int i = 0; i < 4; i++) {
      while (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n') p++;
      char *end;
      vb[i] = strtod(p, &end);
      if (end == p) {
        vb[2] = vb[3] = -1;
        break;
      }
      p = end;
    }
  }
  bool has_vb = vb[2] > 0 && vb[3] > 0;
  if (ww < 0 && hh < 0 && has_vb) ww = vb[2], hh = vb[3];
  else if (ww < 0 && hh > 0 && has_vb) ww = hh * vb[2] / vb[3];
  else if (hh < 0 && ww > 0 && has_vb) hh = ww * vb[3] / vb[2];
  if (ww <= 0 || hh <= 0) return false;
  return set_size((uint32_t)(ww + 0.5), (uint32_t)(hh + 0.5), w, h);
}

hg_img_format hg_image_size(const char *data, size_t len, int *w, int *h) {
  const unsigned char *p = (const unsigned char *)data;
  if (len >= 24 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8) && !memcmp(p + 12, "IHDR", 4))
    return set_size(be32(p + 16), be32(p + 20), w, h) ? HG_IMG_PNG : HG_IMG_UNKNOWN;
  if (len >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
    return jpeg_size(p, len, w, h) ? HG_IMG_JPEG : HG_IMG_UNKNOWN;
  if (len >= 10 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6)))
    return set_size(le16(p + 6), le16(p + 8), w, h) ? HG_IMG_GIF : HG_IMG_UNKNOWN;
  if (len >= 16 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
    return webp_size(p, len, w, h) ? HG_IMG_WEBP : HG_IMG_UNKNOWN;
  /* SVG: text that has an <svg ...> tag early on (after <?xml?>, comments) */
  size_t look = len < 4096 ? len : 4096;
  if (look && memchr(data, '<', look) && svg_size(data, look, w, h)) return HG_IMG_SVG;
  return HG_IMG_UNKNOWN;
}

/* ---- the stage ---------------------------------------------------------------- */

static const int variant_widths[] = {480, 800, 1200, 1600};
#define NWIDTHS (sizeof variant_widths / sizeof *variant_widths)

typedef struct {
  int w, h;
  hg_img_format fmt;
  char hash[17];
  const char *src; /* an image's file (the map's key) */
} image;

typedef struct {
  char *rel;   /* assets/img/HASH-W.webp */
  char *src;   /* the source image */
  int width;
} variant;

struct hg_images {
  char *cache_dir;
  int column;
  pthread_mutex_t mu;
  hg_strmap by_src; /* src -> index in imgs */
  image *imgs;
  size_t nimgs, capimgs;
  hg_strmap by_rel; /* variant rel -> index in vars */
  variant *vars;
  size_t nvars, capvars;
  size_t made, cached;
};

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static bool vips_ok;

/* libvips' own warnings (a damaged file) become helpgen's warning with the
 * file's name, through fail-on below; not lines of their own on stderr. */
static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data) {
  (void)domain, (void)level, (void)msg, (void)data;
}

static void start_vips(void) {
  vips_ok = VIPS_INIT("helpgen") == 0;
  g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, quiet_log, NULL);
  if (vips_ok) {
    vips_concurrency_set(1); /* helpgen runs one variant per thread */
    vips_cache_set_max(0);
  }
}

hg_images *hg_images_new(const char *cache_dir, int column) {
  hg_images *im = hg_xcalloc(1, sizeof *im);
  im->cache_dir = cache_dir ? hg_xstrdup(cache_dir) : NULL;
  im->column = column > 0 ? column : HG_IMAGES_COLUMN;
  pthread_mutex_init(&im->mu, NULL);
  return im;
}

void hg_images_free(hg_images *im) {
  if (!im) return;
  for (size_t i = 0; i < im->nvars; i++) {
    free(im->vars[i].rel);
    free(im->vars[i].src);
  }
  free(im->vars);
  free(im->imgs);
  hg_strmap_free(&im->by_src);
  hg_strmap_free(&im->by_rel);
  pthread_mutex_destroy(&im->mu);
  free(im->cache_dir);
  free(im);
}

char *hg_images_cache_dir(const char *site_dir) {
  const char *env = getenv("HELPGEN_IMAGE_CACHE");
  if (env && *env) return hg_xstrdup(env);
  return hg_path_join(site_dir, HG_IMAGES_CACHE);
}

/* The image at src, read once (mu held while looking up; reading happens
 * outside it). Returns false when it is not an image we know. */
static bool lookup(hg_images *im, const char *src, image *out) {
  pthread_mutex_lock(&im->mu);
  long i = hg_strmap_get(&im->by_src, src, -1);
  if (i >= 0) *out = im->imgs[i];
  pthread_mutex_unlock(&im->mu);
  if (i >= 0) return out->fmt != HG_IMG_UNKNOWN;
  image img = {0};
  size_t len;
  char *data = hg_read_file(src, &len, NULL);
  if (data) img.fmt = hg_image_size(data, len, &img.w, &img.h);
  if (img.fmt != HG_IMG_UNKNOWN) hg_hash_hex(data, len, img.hash);
  free(data);
  pthread_mutex_lock(&im->mu);
  i = hg_strmap_get(&im->by_src, src, -1);
  if (i < 0) { /* (another thread may have read it meanwhile) */
    if (im->nimgs == im->capimgs) {
      im->capimgs = im->capimgs ? im->capimgs * 2 : 64;
      im->imgs = hg_xrealloc(im->imgs, im->capimgs * sizeof *im->imgs);
    }
    i = (long)im->nimgs++;
    im->imgs[i] = img;
    hg_strmap_put(&im->by_src, src, i);
  }
  *out = im->imgs[i];
  pthread_mutex_unlock(&im->mu);
  return out->fmt != HG_IMG_UNKNOWN;
}

static void want_variant(hg_images *im, const char *rel, const char *src, int width) {
  pthread_mutex_lock(&im->mu);
  if (hg_strmap_get(&im->by_rel, rel, -1) < 0) {
    if (im->nvars == im->capvars) {
      im->capvars = im->capvars ? im->capvars * 2 : 64;
      im->vars = hg_xrealloc(im->vars, im->capvars * sizeof *im->vars);
    }
    im->vars[im->nvars] = (variant){hg_xstrdup(rel), hg_xstrdup(src), width};
    hg_strmap_put(&im->by_rel, rel, (long)im->nvars++);
  }
  pthread_mutex_unlock(&im->mu);
}

void hg_images_attrs(hg_images *im, const char *src, const char *root, hg_buf *attrs) {
  image img;
  if (!lookup(im, src, &img)) return;
  hg_buf_printf(attrs, " width=\"%d\" height=\"%d\"", img.w, img.h);
  bool raster = img.fmt == HG_IMG_PNG || img.fmt == HG_IMG_JPEG || img.fmt == HG_IMG_WEBP;
  if (!raster || img.w <= im->column) return;
  hg_buf_puts(attrs, " srcset=\"");
  bool first = true;
  for (size_t k = 0; k < NWIDTHS; k++) {
    int vw = variant_widths[k];
    if (vw >= img.w) break;
    char *rel = hg_strdup_printf("assets/img/%s-%d.webp", img.hash, vw);
    want_variant(im, rel, src, vw);
    hg_buf_printf(attrs, "%s%s%s %dw", first ? "" : ", ", root, rel, vw);
    first = false;
    free(rel);
  }
  hg_buf_printf(attrs, "\" sizes=\"(min-width: %dpx) %dpx, 100vw\"", im->column, im->column);
}

/* ---- making and writing variants --------------------------------------------- */

typedef struct {
  hg_images *im;
  hg_output *out;
  bool *failed;     /* per variant: libvips could not make it */
  char **vips_msg;  /* per variant */
  hg_error **errs;  /* per variant: the output could not be written */
  bool *from_cache;
} write_job;

/* The variant's bytes from libvips; NULL (and *msg) when it fails. */
static char *make_variant(const variant *v, size_t *len, char **msg) {
  pthread_once(&vips_once, start_vips);
  if (!vips_ok) {
    *msg = hg_xstrdup("libvips did not start");
    return NULL;
  }
  size_t slen;
  char *data = hg_read_file(v->src, &slen, NULL);
  if (!data) {
    *msg = hg_xstrdup("cannot read the file");
    return NULL;
  }
  VipsImage *thumb = NULL;
  void *buf = NULL;
  size_t blen = 0;
  int rc = vips_thumbnail_buffer(data, slen, &thumb, v->width, "height", 100000,
                                 "option_string", "fail-on=warning", NULL);
  if (rc == 0) rc = vips_webpsave_buffer(thumb, &buf, &blen, "Q", 80, "strip", TRUE, NULL);
  if (thumb) g_object_unref(thumb);
  free(data);
  if (rc) {
    *msg = hg_xstrdup(vips_error_buffer());
    vips_error_clear();
    size_t n = strlen(*msg);
    while (n && (*msg)[n - 1] == '\n') (*msg)[--n] = 0;
    g_free(buf);
    return NULL;
  }
  char *copy = hg_xmalloc(blen ? blen : 1);
  memcpy(copy, buf, blen);
  g_free(buf);
  *len = blen;
  return copy;
}

static void write_one(void *ctx, size_t i, int worker) {
  (void)worker;
  write_job *j = ctx;
  const variant *v = &j->im->vars[i];
  char *cached = j->im->cache_dir ? hg_path_join(j->im->cache_dir, hg_path_basename(v->rel)) : NULL;
  size_t len = 0;
  char *data = cached ? hg_read_file(cached, &len, NULL) : NULL;
  if (data) {
    j->from_cache[i] = true;
  } else {
    data = make_variant(v, &len, &j->vips_msg[i]);
    if (!data) {
      j->failed[i] = true;
      free(cached);
      return;
    }
    if (cached) { /* to a temporary name first: a half-written file is never taken */
      char *tmp = hg_strdup_printf("%s.%ld.tmp", cached, (long)getpid());
      if (hg_write_file(tmp, data, len, NULL)) {
        if (rename(tmp, cached) != 0) unlink(tmp);
      }
      free(tmp);
    }
  }
  hg_output_write(j->out, v->rel, data, len, &j->errs[i]);
  free(data);
  free(cached);
}

static int cmp_variant(const void *a, const void *b) {
  return strcmp(((const variant *)a)->rel, ((const variant *)b)->rel);
}

bool hg_images_write(hg_images *im, hg_output *out, int threads, hg_diags *diags,
                     hg_error **err) {
  im->made = im->cached = 0;
  size_t n = im->nvars;
  if (!n) return true;
  if (im->cache_dir) hg_mkdir_p(im->cache_dir, NULL); /* no cache folder: made each time */
  qsort(im->vars, n, sizeof *im->vars, cmp_variant); /* messages in one order */
  write_job j = {im, out, hg_xcalloc(n, sizeof(bool)), hg_xcalloc(n, sizeof(char *)),
                 hg_xcalloc(n, sizeof(hg_error *)), hg_xcalloc(n, sizeof(bool))};
  hg_parallel_for(n, threads, write_one, &j);
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (j.failed[i])
      hg_diags_add(diags, HG_WARN, im->vars[i].src, 0, 0,
                   "image: cannot make its %dpx WebP variant (%s); replace the file with a "
                   "valid PNG, JPEG or WebP",
                   im->vars[i].width, j.vips_msg[i] ? j.vips_msg[i] : "libvips failed");
    else if (j.from_cache[i])
      im->cached++;
    else if (!j.errs[i])
      im->made++;
    if (j.errs[i]) {
      if (ok && err) *err = j.errs[i];
      else hg_error_free(j.errs[i]);
      ok = false;
    }
    free(j.vips_msg[i]);
  }
  free(j.failed);
  free(j.vips_msg);
  free(j.errs);
  free(j.from_cache);
  return ok;
}

void hg_images_counts(const hg_images *im, size_t *made, size_t *cached) {
  *made = im->made;
  *cached = im->cached;
}
