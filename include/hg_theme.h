/* hg_theme.h - finds and loads a theme: its CTemplate files (validated and
 * registered) and its assets (fingerprinted by content hash). A site
 * overrides any file of the built-in theme by putting a file with the same
 * relative path under SITE/themes/<theme>/.
 *
 * The built-in themes (themes/ of the source tree) are compiled into the
 * binary by tools/embed-theme.c, so a copied helpgen needs no files beside
 * it. Their files are named "<built-in>/default/home.tpl": such a path is
 * read with hg_theme_read and tested with hg_theme_is_file, which also take
 * ordinary paths. Where a theme comes from, first found wins:
 * $HELPGEN_THEMES/<name> (a folder on disk, for theme work and tests), the
 * compiled-in theme, then <name> under themes/ beside the executable,
 * ../share/helpgen/themes/ beside it and PREFIX/share/helpgen/themes/.
 *
 * Ownership: hg_theme_load returns a theme freed with hg_theme_free. */
#ifndef HG_THEME_H
#define HG_THEME_H

#include "hg_config.h"
#include "hg_template.h"

/* One compiled-in file; data is followed by a NUL that len leaves out. */
typedef struct {
  const char *path; /* "default/home.tpl"; NULL ends the table */
  const char *data;
  size_t len;
} hg_theme_file;

/* Generated into build/theme_embed.c, sorted by path. */
extern const hg_theme_file hg_theme_embedded[];
extern const size_t hg_theme_nembedded;

#define HG_THEME_BUILTIN "<built-in>/"

typedef struct {
  char *name;    /* "style.css" (relative to assets/) */
  char *src;     /* file to copy (may be a "<built-in>/" path) */
  char *out_rel; /* "assets/style.1a2b3c4d5e.css" */
  char *var;     /* "ASSET_STYLE_CSS" */
} hg_asset;

/* ---- colours (sRGB, 8 bits a channel) and WCAG 2 contrast ---- */
typedef struct {
  unsigned char r, g, b;
} hg_rgb;

/* "#rgb" or "#rrggbb" into *out; false if s is neither. */
bool hg_color_parse(const char *s, hg_rgb *out);
/* "#rrggbb" (lowercase) into out[8]. */
void hg_color_hex(hg_rgb c, char out[8]);
/* WCAG 2 relative luminance, 0 (black) to 1 (white). */
double hg_color_luminance(hg_rgb c);
/* WCAG 2 contrast ratio, 1 to 21 (the order of a and b does not matter). */
double hg_color_contrast(hg_rgb a, hg_rgb b);
/* The shade of c nearest to it (same HSL hue and saturation, lightness
 * moved as little as possible, darker or lighter) whose contrast against
 * every one of bg[0..nbg) is at least min. c itself when it passes; black
 * or white when no shade of its hue does. */
hg_rgb hg_color_nearest_passing(hg_rgb c, const hg_rgb *bg, size_t nbg, double min);
/* a mixed into b: t = 0 gives b, 1 gives a. */
hg_rgb hg_color_mix(hg_rgb a, hg_rgb b, double t);

typedef struct {
  hg_tpl *tpl;
  hg_asset *assets;
  size_t nassets;
  char *builtin_dir; /* "<built-in>/default" or a folder; NULL: a site-only theme */
  char *site_dir;    /* SITE/themes/<name>, or NULL */
  char *brand_css;   /* from hg_theme_apply_brand: CSS custom properties, or NULL */
  char **icon_names; /* icons/NAME.svg of the theme, sorted by name */
  char **icon_svgs;  /* their markup, from "<svg" on, one line */
  size_t nicons;
} hg_theme;

/* The inline SVG of the theme's icon `name` (icons/NAME.svg; a folder's
 * `icon: truck`), or NULL when the theme has none by that name (the icon is
 * then text, such as an emoji). */
const char *hg_theme_icon(const hg_theme *t, const char *name);

/* Templates every theme must provide. */
extern const char *const hg_theme_required[];

/* The folder of on-disk themes: $HELPGEN_THEMES, else themes/ beside the
 * executable, else ../share/helpgen/themes beside it, else
 * PREFIX/share/helpgen/themes. Caller frees; NULL if none (the compiled-in
 * themes need none). */
char *hg_theme_builtin_root(void);
/* The built-in folder of theme `name` in the order above ("<built-in>/name"
 * for a compiled-in one), or NULL. With `tried`, appends every place looked
 * at to it, one "  - PLACE\n" line each. Caller frees. */
char *hg_theme_builtin_dir(const char *name, hg_buf *tried);

/* The compiled-in file at `path` ("<built-in>/default/home.tpl"), or NULL. */
const hg_theme_file *hg_theme_embedded_get(const char *path);
/* hg_is_file and hg_read_file that also know "<built-in>/" paths. */
bool hg_theme_is_file(const char *path);
char *hg_theme_read(const char *path, size_t *len, hg_error **err);
/* Every file of a theme folder (or "<built-in>/name") relative to it,
 * appended to *out (caller frees each and the array). */
void hg_theme_list_files(const char *dir, char ***out, size_t *n);

/* Writes the built-in theme `name` out to `dir` (created; an existing file
 * is an error unless `force`). Returns the number of files written, -1 on
 * error (code 2 for an unknown theme, 1 for a file). */
long hg_theme_export(const char *name, const char *dir, bool force, hg_error **err);
/* Errors have code 2 and name the template file. */
hg_theme *hg_theme_load(const hg_config *cfg, hg_error **err);
void hg_theme_free(hg_theme *t);

/* brand.color (and brand.dark_color) of cfg as t->brand_css: --accent,
 * --on-accent and --soft for the light and the dark scheme. The theme's
 * backgrounds (--bg and --surface of :root and of its
 * prefers-color-scheme: dark block in assets/style.css) are what the
 * colours are checked against: a colour under WCAG AA (4.5:1) is a warning
 * at helpgen.yaml:LINE:COL that names the nearest shade that passes. The dark
 * scheme's accent, unless brand.dark_color is given, is the nearest shade of
 * brand.color that passes there. Does nothing without brand.color. */
void hg_theme_apply_brand(hg_theme *t, const hg_config *cfg, hg_diags *diags);

#endif
