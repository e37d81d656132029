/* fuzz_media.c - libFuzzer target for the parsers of a site's media and theme
 * files: the image header reader (PNG, JPEG/EXIF, GIF, WebP, SVG) and the
 * CSS/JS minifiers with the module-to-classic step. The first byte picks the
 * parser; the minified output must minify to itself (idempotent) and a
 * classic twin must be minified again without trouble. Built and run by
 * tests/fuzz/run.sh (make fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hg_images.h"
#include "hg_minify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const char *s = (const char *)data + 1;
  size_t n = size - 1;
  int w = -1, h = -1;
  size_t a, b;
  char *x, *y;
  switch (data[0] % 3) {
  case 0:
    if (hg_image_size(s, n, &w, &h) != HG_IMG_UNKNOWN && (w <= 0 || h <= 0)) abort();
    break;
  case 1:
    x = hg_minify_css(s, n, &a);
    y = hg_minify_css(x, a, &b);
    if (a != b || memcmp(x, y, a)) abort();
    free(x);
    free(y);
    break;
  default:
    x = hg_minify_js(s, n, &a);
    y = hg_minify_js(x, a, &b);
    if (a != b || memcmp(x, y, a)) abort();
    free(x);
    free(y);
    x = hg_js_classic(s, n, &a);
    if (x) free(hg_minify_js(x, a, &b));
    free(x);
    break;
  }
  return 0;
}
