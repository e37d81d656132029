/* hg_config.h - stage 1: helpgen.yaml, the site configuration.
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

typedef struct {
  char *site_dir;      /* the site folder as given ("." by default) */
  char *config_path;   /* SITE/helpgen.yaml, or NULL when absent */
  char *title;
  char *description;
  char *base_url;      /* "" or ends with '/' */
  char *base_path;     /* path part of base_url: "/" or "/help/" */
  char *language;      /* "en" */
  char *logo;          /* path relative to the site folder, or NULL */
  char *theme;         /* "default" */
  char *footer;        /* may be NULL */
  char *contact_label, *contact_email, *contact_url, *contact_phone;
  bool markdown_unsafe;
  bool pretty_links;   /* links end in "/" instead of "/index.html" */
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
