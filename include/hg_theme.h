/* hg_theme.h - finds and loads a theme: its CTemplate files (validated and
 * registered) and its assets (fingerprinted by content hash). A site
 * overrides any file of the built-in theme by putting a file with the same
 * relative path under SITE/themes/<theme>/.
 *
 * Ownership: hg_theme_load returns a theme freed with hg_theme_free. */
#ifndef HG_THEME_H
#define HG_THEME_H

#include "hg_config.h"
#include "hg_template.h"

typedef struct {
  char *name;    /* "style.css" (relative to assets/) */
  char *src;     /* file to copy */
  char *out_rel; /* "assets/style.1a2b3c4d5e.css" */
  char *var;     /* "ASSET_STYLE_CSS" */
} hg_asset;

typedef struct {
  hg_tpl *tpl;
  hg_asset *assets;
  size_t nassets;
  char *builtin_dir; /* may be NULL (a site-only theme) */
  char *site_dir;    /* SITE/themes/<name>, or NULL */
} hg_theme;

/* Templates every theme must provide. */
extern const char *const hg_theme_required[];

/* Where the built-in themes live: $HELPGEN_THEMES, else themes/ beside the
 * executable, else PREFIX/share/helpgen/themes. Caller frees; NULL if none. */
char *hg_theme_builtin_root(void);
/* Errors have code 2 and name the template file. */
hg_theme *hg_theme_load(const hg_config *cfg, hg_error **err);
void hg_theme_free(hg_theme *t);

#endif
