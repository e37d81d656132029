/* hg_images.h - the images stage: every local image of an article gets its
 * intrinsic `width`/`height` (so the page does not shift when it loads),
 * and raster images wider than the content column get resized WebP
 * variants offered with `srcset`/`sizes`.
 *
 * Sizes come from a small header reader (PNG, JPEG with its EXIF
 * orientation, GIF, WebP, SVG width/height/viewBox): it reads no pixels and
 * needs no libvips start-up. Variants are made with libvips
 * (vips_thumbnail_buffer + webpsave) into a cache folder, named by the
 * source's content hash and the width, so a rebuild (also with --no-cache,
 * or in CI with the folder kept between runs) makes none again.
 *
 * Flow: the Markdown stage asks hg_images_attrs for each image (several
 * threads at once); hg_images_write then makes the missing variants and
 * writes every variant asked for into the output, under assets/img/.
 *
 * Ownership: hg_images_new returns an object freed with hg_images_free. */
#ifndef HG_IMAGES_H
#define HG_IMAGES_H

#include "hg_output.h"
#include "hg_util.h"

/* CSS pixels of the article column: wider raster images get variants. */
#define HG_IMAGES_COLUMN 800
/* The cache folder's name in the site folder, unless HELPGEN_IMAGE_CACHE
 * names another. */
#define HG_IMAGES_CACHE ".helpgen-images"

typedef enum {
  HG_IMG_UNKNOWN = 0,
  HG_IMG_PNG,
  HG_IMG_JPEG,
  HG_IMG_GIF,
  HG_IMG_WEBP,
  HG_IMG_SVG
} hg_img_format;

/* Reads the intrinsic size (as displayed: a JPEG whose EXIF orientation
 * turns it by 90 degrees has width and height swapped) from the first
 * bytes of an image file. Returns the format, or HG_IMG_UNKNOWN (and *w, *h
 * untouched) when the bytes are not a complete header of a known format. */
hg_img_format hg_image_size(const char *data, size_t len, int *w, int *h);

typedef struct hg_images hg_images;

/* cache_dir: where variants are kept (made when first needed); NULL: the
 * variants are made in memory every build. column: HG_IMAGES_COLUMN,
 * unless a test wants another. */
hg_images *hg_images_new(const char *cache_dir, int column);
void hg_images_free(hg_images *im);

/* The cache folder for a site: $HELPGEN_IMAGE_CACHE, else
 * SITE/.helpgen-images. Caller frees. */
char *hg_images_cache_dir(const char *site_dir);

/* Appends the attributes of the image file `src` to `attrs`:
 * ` width="W" height="H"`, and for a large PNG/JPEG/WebP also
 * ` srcset="ROOTassets/img/HASH-480.webp 480w, ..." sizes="..."` (root is
 * the page's prefix to the site root, "../../"). Nothing when src is not
 * a readable image of a known format. Thread-safe; each file is read once
 * per hg_images object. */
void hg_images_attrs(hg_images *im, const char *src, const char *root, hg_buf *attrs);

/* Makes the variants asked for that the cache does not hold and writes
 * them all into out. An image libvips cannot read is a warning naming it
 * (its srcset then names a missing file: fix or replace the image).
 * Returns false only when the output cannot be written (err). */
bool hg_images_write(hg_images *im, hg_output *out, int threads, hg_diags *diags,
                     hg_error **err);

/* How many variants the last hg_images_write made / took from the cache. */
void hg_images_counts(const hg_images *im, size_t *made, size_t *cached);

#endif
