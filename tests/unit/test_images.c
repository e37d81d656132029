/* test_images.c - image headers (bytes written from each format's spec),
 * the attributes the Markdown stage gets, and WebP variants made once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <zlib.h>

#include "hg_images.h"
#include "hg_markdown.h"
#include "hg_output.h"
#include "helpers.h"

static void put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

static void chunk(hg_buf *b, const char *type, const unsigned char *data, size_t n) {
  unsigned char len[4], crc[4];
  put32(len, (uint32_t)n);
  hg_buf_append(b, (const char *)len, 4);
  uLong c = crc32(0, (const Bytef *)type, 4);
  if (n) c = crc32(c, data, (uInt)n);
  hg_buf_append(b, type, 4);
  if (n) hg_buf_append(b, (const char *)data, n);
  put32(crc, (uint32_t)c);
  hg_buf_append(b, (const char *)crc, 4);
}

/* A complete grey PNG of w x h (PNG spec: signature, IHDR, IDAT, IEND). */
static char *make_png(uint32_t w, uint32_t h, size_t *len) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_append(&b, "\x89PNG\r\n\x1a\n", 8);
  unsigned char ihdr[13] = {0};
  put32(ihdr, w);
  put32(ihdr + 4, h);
  ihdr[8] = 8; /* bit depth */
  ihdr[9] = 0; /* greyscale */
  chunk(&b, "IHDR", ihdr, 13);
  size_t raw_len = (size_t)(w + 1) * h;
  unsigned char *raw = hg_xcalloc(raw_len, 1);
  for (size_t y = 0; y < h; y++)
    for (size_t x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = (unsigned char)(x * 7 + y);
  uLongf zlen = compressBound((uLong)raw_len);
  unsigned char *z = hg_xmalloc(zlen);
  assert_int_equal(compress(z, &zlen, raw, (uLong)raw_len), Z_OK);
  chunk(&b, "IDAT", z, zlen);
  chunk(&b, "IEND", NULL, 0);
  free(raw);
  free(z);
  *len = b.len;
  return hg_buf_steal(&b);
}

static hg_img_format size_of(const char *data, size_t len, int *w, int *h) {
  *w = *h = -1;
  char *copy = hg_xmalloc(len ? len : 1); /* exactly len bytes: ASan sees overreads */
  memcpy(copy, data, len);
  hg_img_format f = hg_image_size(copy, len, w, h);
  free(copy);
  return f;
}

static void test_png(void **state) {
  (void)state;
  size_t n;
  char *png = make_png(1234, 56, &n);
  int w, h;
  assert_int_equal(size_of(png, n, &w, &h), HG_IMG_PNG);
  assert_int_equal(w, 1234);
  assert_int_equal(h, 56);
  /* cut inside IHDR: unknown, sizes untouched */
  assert_int_equal(size_of(png, 20, &w, &h), HG_IMG_UNKNOWN);
  assert_int_equal(w, -1);
  free(png);
}

static void test_jpeg(void **state) {
  (void)state;
  /* SOI, APP0 (JFIF, 16 bytes), SOF0: length 17, precision 8, height 480, width 640 */
  static const unsigned char jpg[] = {
      0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
      0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, 1, 0x22, 0, 2, 0x11, 1,
      3, 0x11, 1, 0xFF, 0xD9};
  int w, h;
  assert_int_equal(size_of((const char *)jpg, sizeof jpg, &w, &h), HG_IMG_JPEG);
  assert_int_equal(w, 640);
  assert_int_equal(h, 480);
  /* progressive (SOF2) after an EXIF APP1 saying orientation 6 (turned 90
   * degrees): displayed 480 x 640 */
  static const unsigned char rot[] = {
      0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
      'M', 'M', 0, 42, 0, 0, 0, 8, /* TIFF header, IFD0 at 8 */
      0, 1,                        /* one entry */
      0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, /* orientation SHORT 1 = 6 */
      0, 0, 0, 0,                  /* no next IFD */
      0xFF, 0xC2, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, 1, 0x22, 0, 2, 0x11, 1,
      3, 0x11, 1, 0xFF, 0xD9};
  assert_int_equal(size_of((const char *)rot, sizeof rot, &w, &h), HG_IMG_JPEG);
  assert_int_equal(w, 480);
  assert_int_equal(h, 640);
  /* a DHT (0xC4) is not a frame header; scan data before any frame: unknown */
  static const unsigned char bad[] = {0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00,
                                      0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9};
  assert_int_equal(size_of((const char *)bad, sizeof bad, &w, &h), HG_IMG_UNKNOWN);
  /* a segment length past the end */
  static const unsigned char cut[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x7F, 0xFF, 0, 0};
  assert_int_equal(size_of((const char *)cut, sizeof cut, &w, &h), HG_IMG_UNKNOWN);
}

static void test_gif_webp(void **state) {
  (void)state;
  int w, h;
  static const char gif[] = "GIF89a\x40\x01\xC8\x00\x80\x00\x00";
  assert_int_equal(size_of(gif, sizeof gif - 1, &w, &h), HG_IMG_GIF);
  assert_int_equal(w, 320);
  assert_int_equal(h, 200);
  /* lossy: "VP8 " chunk, frame tag, start code 9d 01 2a, 14-bit sizes */
  unsigned char vp8[30] = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0";
  vp8[23] = 0x9d, vp8[24] = 0x01, vp8[25] = 0x2a;
  vp8[26] = 0x20, vp8[27] = 0x03; /* 800 */
  vp8[28] = 0x58, vp8[29] = 0x02; /* 600 */
  assert_int_equal(size_of((const char *)vp8, sizeof vp8, &w, &h), HG_IMG_WEBP);
  assert_int_equal(w, 800);
  assert_int_equal(h, 600);
  /* lossless: signature 0x2f, then (w-1) and (h-1) in 14 bits each */
  unsigned char vp8l[30] = "RIFF\0\0\0\0WEBPVP8L\0\0\0\0";
  uint32_t bits = (100 - 1) | (uint32_t)(50 - 1) << 14;
  vp8l[20] = 0x2f;
  vp8l[21] = (unsigned char)bits, vp8l[22] = (unsigned char)(bits >> 8);
  vp8l[23] = (unsigned char)(bits >> 16), vp8l[24] = (unsigned char)(bits >> 24);
  assert_int_equal(size_of((const char *)vp8l, sizeof vp8l, &w, &h), HG_IMG_WEBP);
  assert_int_equal(w, 100);
  assert_int_equal(h, 50);
  /* extended: canvas (w-1), (h-1) in 24 bits at 24 and 27 */
  unsigned char vp8x[30] = "RIFF\0\0\0\0WEBPVP8X\0\0\0\0";
  vp8x[24] = 0x0F, vp8x[25] = 0x27; /* 9999 + 1 */
  vp8x[27] = 0x00, vp8x[28] = 0x01; /* 256 + 1 */
  assert_int_equal(size_of((const char *)vp8x, sizeof vp8x, &w, &h), HG_IMG_WEBP);
  assert_int_equal(w, 10000);
  assert_int_equal(h, 257);
  assert_int_equal(size_of("RIFF\0\0\0\0WEBPVP8 ", 16, &w, &h), HG_IMG_UNKNOWN);
}

static void test_svg(void **state) {
  (void)state;
  int w, h;
  const char *a = "<?xml version=\"1.0\"?>\n<!-- a <comment> -->\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" height='300px'>";
  assert_int_equal(size_of(a, strlen(a), &w, &h), HG_IMG_SVG);
  assert_int_equal(w, 560);
  assert_int_equal(h, 300);
  const char *b = "<svg viewBox=\"0 0 120.4 60\" xmlns=\"http://www.w3.org/2000/svg\"></svg>";
  assert_int_equal(size_of(b, strlen(b), &w, &h), HG_IMG_SVG);
  assert_int_equal(w, 120);
  assert_int_equal(h, 60);
  /* percentages have no intrinsic size: the viewBox's ratio with the width */
  const char *c = "<svg width=\"200\" height=\"100%\" viewBox=\"0,0,40,30\">";
  assert_int_equal(size_of(c, strlen(c), &w, &h), HG_IMG_SVG);
  assert_int_equal(w, 200);
  assert_int_equal(h, 150);
  /* stroke-width is not width; a '>' inside quotes does not end the tag */
  const char *d = "<svg data-x=\"a>b\" stroke-width=\"3\" width=\"10\" height=\"20\">";
  assert_int_equal(size_of(d, strlen(d), &w, &h), HG_IMG_SVG);
  assert_int_equal(w, 10);
  assert_int_equal(h, 20);
  const char *e = "<svg width=\"5em\" height=\"2em\">";
  assert_int_equal(size_of(e, strlen(e), &w, &h), HG_IMG_UNKNOWN);
  assert_int_equal(size_of("<svg width=\"10\"", 15, &w, &h), HG_IMG_UNKNOWN);
  assert_int_equal(size_of("<svgx width=\"1\" height=\"1\">", 26, &w, &h), HG_IMG_UNKNOWN);
  assert_int_equal(size_of("just text", 9, &w, &h), HG_IMG_UNKNOWN);
  assert_int_equal(size_of("", 0, &w, &h), HG_IMG_UNKNOWN);
}

/* ---- the stage ------------------------------------------------------------ */

static void put_bytes(const char *dir, const char *rel, const char *data, size_t n) {
  char *p = hg_path_join(dir, rel);
  assert_true(hg_write_file(p, data, n, NULL));
  free(p);
}

static void test_attrs_and_variants(void **state) {
  (void)state;
  char *dir = tmp_new();
  size_t n;
  char *big = make_png(1300, 650, &n);
  put_bytes(dir, "big.png", big, n);
  char hex[17]; /* variants are named by the source's content hash */
  hg_hash_hex(big, n, hex);
  char *small = make_png(640, 320, &n);
  put_bytes(dir, "small.png", small, n);
  put_file(dir, "pic.svg", "<svg width=\"4000\" height=\"30\"></svg>");
  put_file(dir, "not-an-image.png", "hello");
  char *cache = hg_path_join(dir, "cache");
  char *site = hg_path_join(dir, "site");
  assert_true(hg_mkdir_p(site, NULL));
  char *outdir = hg_path_join(site, "public");

  for (int round = 0; round < 2; round++) {
    hg_images *im = hg_images_new(cache, 800);
    hg_buf a = HG_BUF_INIT;
    char *p = hg_path_join(dir, "big.png");
    hg_images_attrs(im, p, "../", &a);
    free(p);
    const char *want_hash = hex;
    char *want = hg_strdup_printf(
        " width=\"1300\" height=\"650\" srcset=\"../assets/img/%s-480.webp 480w, "
        "../assets/img/%s-800.webp 800w, ../assets/img/%s-1200.webp 1200w\" "
        "sizes=\"(min-width: 800px) 800px, 100vw\"",
        want_hash, want_hash, want_hash);
    assert_string_equal(hg_buf_cstr(&a), want);
    free(want);
    hg_buf_clear(&a);
    p = hg_path_join(dir, "small.png"); /* fits the column: no variants */
    hg_images_attrs(im, p, "", &a);
    free(p);
    assert_string_equal(hg_buf_cstr(&a), " width=\"640\" height=\"320\"");
    hg_buf_clear(&a);
    p = hg_path_join(dir, "pic.svg"); /* vector: never resized */
    hg_images_attrs(im, p, "", &a);
    free(p);
    assert_string_equal(hg_buf_cstr(&a), " width=\"4000\" height=\"30\"");
    hg_buf_clear(&a);
    p = hg_path_join(dir, "not-an-image.png");
    hg_images_attrs(im, p, "", &a);
    free(p);
    p = hg_path_join(dir, "missing.png");
    hg_images_attrs(im, p, "", &a);
    free(p);
    assert_string_equal(hg_buf_cstr(&a), "");
    hg_buf_free(&a);

    hg_error *err = NULL;
    hg_output *o = hg_output_begin(outdir, site, &err);
    assert_non_null(o);
    hg_diags d = {0};
    assert_true(hg_images_write(im, o, 2, &d, &err));
    assert_int_equal(d.len, 0);
    size_t made, cached;
    hg_images_counts(im, &made, &cached);
    assert_int_equal(made, round == 0 ? 3 : 0); /* the second build takes them all */
    assert_int_equal(cached, round == 0 ? 0 : 3);
    assert_true(hg_output_commit(o, &err));
    /* the variant is a WebP of the asked width and the same aspect ratio */
    char *rel = hg_strdup_printf("assets/img/%s-480.webp", want_hash);
    char *vp = hg_path_join(outdir, rel);
    size_t vl;
    char *v = hg_read_file(vp, &vl, NULL);
    assert_non_null(v);
    int w, h;
    assert_int_equal(hg_image_size(v, vl, &w, &h), HG_IMG_WEBP);
    assert_int_equal(w, 480);
    assert_int_equal(h, 240);
    free(v);
    free(vp);
    free(rel);
    hg_diags_free(&d);
    hg_images_free(im);
  }
  free(big);
  free(small);
  free(cache);
  free(outdir);
  free(site);
  tmp_remove(dir);
}

/* A PNG whose header is fine but whose pixels are not: a warning naming it. */
static void test_broken_raster(void **state) {
  (void)state;
  char *dir = tmp_new();
  size_t n;
  char *png = make_png(1000, 10, &n);
  memset(png + 41, 'x', n - 41 - 12); /* into the IDAT data */
  put_bytes(dir, "broken.png", png, n);
  char *site = hg_path_join(dir, "site");
  assert_true(hg_mkdir_p(site, NULL));
  char *outdir = hg_path_join(site, "public");
  hg_images *im = hg_images_new(NULL, 800);
  hg_buf a = HG_BUF_INIT;
  char *p = hg_path_join(dir, "broken.png");
  hg_images_attrs(im, p, "", &a);
  assert_contains(hg_buf_cstr(&a), "480w");
  hg_error *err = NULL;
  hg_output *o = hg_output_begin(outdir, site, &err);
  assert_non_null(o);
  hg_diags d = {0};
  assert_true(hg_images_write(im, o, 1, &d, &err));
  assert_int_equal(d.len, 2); /* its 480 and 800 px variants */
  assert_true(diag_find(&d, HG_WARN, "broken.png") >= 0);
  assert_true(diag_find(&d, HG_WARN, "cannot make its 480px WebP variant") >= 0);
  hg_output_abort(o);
  hg_diags_free(&d);
  hg_buf_free(&a);
  hg_images_free(im);
  free(p);
  free(png);
  free(site);
  free(outdir);
  tmp_remove(dir);
}

/* ---- what the Markdown stage does with the answers ---------------------------- */

static void fake_attrs(void *ctx, const char *target, hg_buf *attrs) {
  int *calls = ctx;
  (*calls)++;
  if (!strcmp(target, "a b.png")) hg_buf_puts(attrs, " width=\"1\" height=\"2\"");
}

static void test_markdown_hook(void **state) {
  (void)state;
  const char *md = "![first](a%20b.png#x)\n\n![second](a%20b.png)\n\n"
                   "![remote](https://example.com/r.png)\n\n![third](c.png)\n";
  int calls = 0;
  hg_md_opts o = {.path = "t.md", .image_attrs = fake_attrs, .image_ctx = &calls};
  hg_md_result r;
  hg_diags d = {0};
  assert_true(hg_md_render(md, strlen(md), &o, &r, &d));
  assert_int_equal(calls, 3); /* local images only, the path decoded, no fragment */
  assert_contains(r.html, "<img src=\"a%20b.png#x\" alt=\"first\" width=\"1\" height=\"2\" />");
  assert_contains(r.html, "<img src=\"a%20b.png\" alt=\"second\" width=\"1\" height=\"2\" "
                          "loading=\"lazy\" decoding=\"async\" />");
  assert_contains(r.html, "alt=\"remote\" loading=\"lazy\" decoding=\"async\" />");
  assert_contains(r.html, "<img src=\"c.png\" alt=\"third\" loading=\"lazy\" decoding=\"async\" />");
  hg_md_result_free(&r);
  hg_diags_free(&d);
}

int main(void) {
  hg_md_init();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_png),
      cmocka_unit_test(test_jpeg),
      cmocka_unit_test(test_gif_webp),
      cmocka_unit_test(test_svg),
      cmocka_unit_test(test_attrs_and_variants),
      cmocka_unit_test(test_broken_raster),
      cmocka_unit_test(test_markdown_hook),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
