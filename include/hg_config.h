/* hg_config.h - stage 1: helpgen.yaml, the site configuration.
 *
 * `languages:` is a list of {code, name, direction} (or plain codes); the
 * first is the default language, served at the site root. A code that is
 * not a language tag, a duplicate code or a bad direction is an error
 * (code 2) at helpgen.yaml:LINE:COL.
 *
 * Ownership: hg_config_load returns a config the caller frees with
 * hg_config_free; every string inside belongs to the config. */
#ifndef HG_CONFIG_H
#define HG_CONFIG_H

#include "hg_util.h"
#include "hg_value.h"

typedef struct {
  char *title;
  char *url;
} hg_nav_link;

/* One entry of `languages:`. */
typedef struct {
  char *code;          /* "cs", "pt-BR": content/<code>/, URL folder <code>/ */
  char *name;          /* "Čeština"; NULL when not given (the build takes the
                          theme's i18n file's name) */
  bool rtl;            /* direction: rtl (default: hg_i18n_code_is_rtl) */
  int line, col;       /* where the entry is in helpgen.yaml */
} hg_language;

typedef struct {
  char *site_dir;      /* the site folder as given ("." by default) */
  char *config_path;   /* SITE/helpgen.yaml, or NULL when absent */
  char *title;
  char *description;
  char *base_url;      /* "" or ends with '/' */
  char *base_path;     /* path part of base_url: "/" or "/help/" */
  char *language;      /* "en"; with `languages:` the first entry's code */
  hg_language *languages; /* `languages:` in order, the default first; NULL
                             and 0 without the key (one language, content/
                             holds the articles directly) */
  size_t nlanguages;
  char *logo;          /* path relative to the site folder, or NULL (brand.logo,
                          else the top-level logo:) */
  char *brand_color;   /* brand.color as "#rrggbb", or NULL (the theme's accent) */
  char *brand_dark_color; /* brand.dark_color, or NULL (derived from brand_color) */
  char *favicon;       /* brand.favicon: path relative to the site folder, or NULL */
  char *brand_image;   /* brand.image, the default og:image: a path relative to the
                          site folder or an http(s) URL, or NULL */
  char *theme;         /* "default" */
  char *footer;        /* may be NULL */
  char *contact_label, *contact_email, *contact_url, *contact_phone;
  bool markdown_unsafe;
  bool pretty_links;   /* links end in "/" instead of "/index.html" */
  bool follow_outside_links; /* site.follow_outside_links: the walks follow
                                symbolic links that leave the site folder */
  hg_nav_link *nav;
  size_t nnav;
  hg_value *root;      /* the whole parsed file (hooks and themes read it) */
} hg_config;

/* Reads SITE/helpgen.yaml (a missing file gives the defaults, titled after
 * the folder). Unknown keys and wrong types become warnings in diags with
 * helpgen.yaml:LINE. Returns NULL with err (code 2) on a YAML syntax error
 * or a value that cannot be used. */
hg_config *hg_config_load(const char *site_dir, hg_diags *diags, hg_error **err);
void hg_config_free(hg_config *c);

#endif
