/* config.c - stage 1: helpgen.yaml into hg_config. */
#include "hg_config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hg_i18n.h"

/* Top-level keys this version understands; later issues' keys (search,
 * hooks, languages...) are listed so that sites using them do not warn. */
static const char *const known_keys[] = {
    "title",  "base_url", "language", "description", "logo",     "theme",
    "contact", "markdown", "nav",     "footer",      "links",    "search",
    "hooks",  "languages", "feedback", "popular",    "flows",    "params",
    "check",  "llms",     "brand",    "site",
    NULL};

static bool is_known(const char *key, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (!strcmp(list[i], key)) return true;
  return false;
}

static void warn_unknown(hg_diags *d, const char *path, const hg_value *map,
                         const char *const *list, const char *prefix) {
  if (!map || map->type != HG_V_MAP) return;
  for (size_t i = 0; i < map->len; i++)
    if (!is_known(map->keys[i], list))
      hg_diags_add(d, HG_WARN, path, map->key_lines[i], 0,
                   "unknown key '%s%s' (ignored; check its spelling)", prefix,
                   map->keys[i]);
}

/* A string setting: NULL when absent; a warning (and NULL) when not a scalar. */
static char *get_str(const hg_value *map, const char *key, const char *path,
                     hg_diags *d, const char *prefix) {
  hg_value *v = hg_value_get(map, key);
  if (!v || v->type == HG_V_NULL) return NULL;
  const char *s = hg_value_str(v);
  if (!s) {
    hg_diags_add(d, HG_WARN, path, v->line, v->col,
                 "'%s%s' should be a string, found a %s (ignored)", prefix, key,
                 hg_value_type_name(v->type));
    return NULL;
  }
  return hg_xstrdup(s);
}

static bool get_bool(const hg_value *map, const char *key, bool def,
                     const char *path, hg_diags *d, const char *prefix) {
  hg_value *v = hg_value_get(map, key);
  if (!v || v->type == HG_V_NULL) return def;
  if (v->type != HG_V_BOOL) {
    hg_diags_add(d, HG_WARN, path, v->line, v->col,
                 "'%s%s' should be true or false, found '%s'", prefix, key,
                 v->str ? v->str : hg_value_type_name(v->type));
    return def;
  }
  return v->b;
}

/* CTemplate's URL escaping turns any scheme but http(s) into "#". */
static bool url_survives_escaping(const char *u) {
  const char *colon = strchr(u, ':'), *slash = strchr(u, '/');
  if (!colon || (slash && slash < colon)) return true; /* relative */
  return hg_str_has_prefix(u, "http://") || hg_str_has_prefix(u, "https://");
}

/* "#rgb" or "#rrggbb" (any case) as "#rrggbb" in lowercase; NULL if not. */
static char *hex_color(const char *s) {
  size_t n = strlen(s);
  if (s[0] != '#' || (n != 4 && n != 7)) return NULL;
  for (size_t i = 1; i < n; i++)
    if (!strchr("0123456789abcdefABCDEF", s[i])) return NULL;
  char *out = hg_xmalloc(8);
  out[0] = '#';
  for (int i = 0; i < 6; i++) {
    char ch = n == 7 ? s[1 + i] : s[1 + i / 2];
    out[1 + i] = (char)(ch >= 'A' && ch <= 'F' ? ch + 32 : ch);
  }
  out[7] = '\0';
  return out;
}

/* A brand colour: NULL (with a warning) unless #rgb or #rrggbb. */
static char *brand_color(const hg_value *brand, const char *key, const char *cp, hg_diags *d) {
  char *s = get_str(brand, key, cp, d, "brand.");
  if (!s) return NULL;
  char *c = hex_color(s);
  if (!c) {
    const hg_value *v = hg_value_get(brand, key);
    hg_diags_add(d, HG_WARN, cp, v->line, v->col,
                 "brand.%s '%s' should be a colour such as \"#0a58ca\" (#rrggbb or #rgb, quoted: "
                 "YAML reads # as a comment); the theme's colour is used", key, s);
  }
  free(s);
  return c;
}

/* A brand file: NULL (with a warning) when SITE/path is missing; with
 * `url_ok`, an http(s) URL is kept as it is. */
static char *brand_file(const hg_config *c, const hg_value *brand, const char *key, bool url_ok,
                        hg_diags *d) {
  char *s = get_str(brand, key, c->config_path, d, "brand.");
  if (!s) return NULL;
  if (url_ok && (hg_str_has_prefix(s, "https://") || hg_str_has_prefix(s, "http://"))) return s;
  char *p = hg_path_join(c->site_dir, s);
  bool ok = hg_is_file(p);
  if (!ok) {
    const hg_value *v = hg_value_get(brand, key);
    hg_diags_add(d, HG_WARN, c->config_path, v->line, v->col,
                 "brand.%s '%s' not found (looked for %s; the path is relative to the site "
                 "folder%s)", key, s, p, url_ok ? ", or give an https:// URL" : "");
    free(s);
    s = NULL;
  }
  free(p);
  return s;
}

static void load_brand(hg_config *c, const hg_value *brand, hg_diags *d) {
  const char *cp = c->config_path;
  if (!brand || brand->type == HG_V_NULL) return;
  if (brand->type != HG_V_MAP) {
    hg_diags_add(d, HG_WARN, cp, brand->line, brand->col,
                 "'brand' should be a map with color, dark_color, logo, favicon and image "
                 "(ignored)");
    return;
  }
  static const char *const bk[] = {"color", "dark_color", "logo", "favicon", "image", NULL};
  warn_unknown(d, cp, brand, bk, "brand.");
  c->brand_color = brand_color(brand, "color", cp, d);
  c->brand_dark_color = brand_color(brand, "dark_color", cp, d);
  if (c->brand_dark_color && !c->brand_color) {
    const hg_value *v = hg_value_get(brand, "dark_color");
    hg_diags_add(d, HG_WARN, cp, v->line, v->col,
                 "brand.dark_color without brand.color: set both (dark_color is ignored)");
    free(c->brand_dark_color);
    c->brand_dark_color = NULL;
  }
  char *logo = brand_file(c, brand, "logo", false, d);
  if (logo) {
    free(c->logo);
    c->logo = logo;
  }
  c->favicon = brand_file(c, brand, "favicon", false, d);
  c->brand_image = brand_file(c, brand, "image", true, d);
}

static char *title_from_dir(const char *site_dir) {
  char *abs = realpath(site_dir, NULL);
  const char *base = hg_path_basename(abs ? abs : site_dir);
  char *t = hg_xstrdup(*base ? base : "Help Center");
  free(abs);
  return t;
}

static bool parse_base_url(hg_config *c, const hg_value *v, hg_diags *d,
                           hg_error **err) {
  const char *u = c->base_url ? c->base_url : "";
  if (!*u) {
    free(c->base_url);
    c->base_url = hg_xstrdup("");
    c->base_path = hg_xstrdup("/");
    return true;
  }
  const char *p = strstr(u, "://");
  if (!p || (!hg_str_has_prefix(u, "http://") && !hg_str_has_prefix(u, "https://")) ||
      p[3] == '\0' || p[3] == '/') { /* no host */
    hg_error_set(err, 2, c->config_path, v ? v->line : 0, v ? v->col : 0,
                 "base_url must be an absolute http(s) URL such as "
                 "https://example.com/help/, found '%s'", u);
    return false;
  }
  const char *slash = strchr(p + 3, '/');
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, slash ? slash : "/");
  if (b.data[b.len - 1] != '/') hg_buf_putc(&b, '/');
  c->base_path = hg_buf_steal(&b);
  if (u[strlen(u) - 1] != '/') {
    char *nu = hg_strdup_printf("%s/", u);
    free(c->base_url);
    c->base_url = nu;
  }
  (void)d;
  return true;
}

static void load_nav(hg_config *c, const hg_value *nav, hg_diags *d) {
  if (!nav || nav->type == HG_V_NULL) return;
  if (nav->type != HG_V_LIST) {
    hg_diags_add(d, HG_WARN, c->config_path, nav->line, nav->col,
                 "'nav' should be a list of {title, url} (ignored)");
    return;
  }
  c->nav = hg_xcalloc(nav->len, sizeof *c->nav);
  for (size_t i = 0; i < nav->len; i++) {
    const hg_value *it = nav->items[i];
    const char *t = hg_value_str(hg_value_get(it, "title"));
    const char *u = hg_value_str(hg_value_get(it, "url"));
    if (!t || !u) {
      hg_diags_add(d, HG_WARN, c->config_path, it->line, it->col,
                   "a nav entry needs both 'title' and 'url' (ignored)");
      continue;
    }
    static const char *const nav_keys[] = {"title", "url", NULL};
    warn_unknown(d, c->config_path, it, nav_keys, "nav.");
    if (!url_survives_escaping(u))
      hg_diags_add(d, HG_WARN, c->config_path, it->line, it->col,
                   "nav url '%s' is not an http(s) URL: the theme's escaping turns "
                   "it into '#'", u);
    c->nav[c->nnav].title = hg_xstrdup(t);
    c->nav[c->nnav].url = hg_xstrdup(u);
    c->nnav++;
  }
}

/* `languages:` -> c->languages. Returns false with err (code 2) on an entry
 * that cannot be used. */
static bool load_languages(hg_config *c, const hg_value *v, hg_diags *d, hg_error **err) {
  const char *cp = c->config_path;
  if (!v || v->type == HG_V_NULL) return true;
  if (v->type != HG_V_LIST || v->len == 0) {
    hg_error_set(err, 2, cp, v->line, v->col,
                 "'languages' should be a list such as [{code: en, name: English}, "
                 "{code: cs}] (the first is the default language)");
    return false;
  }
  c->languages = hg_xcalloc(v->len, sizeof *c->languages);
  for (size_t i = 0; i < v->len; i++) {
    const hg_value *it = v->items[i];
    const hg_value *cv = it->type == HG_V_MAP ? hg_value_get(it, "code") : it;
    const char *code = hg_value_str(cv);
    if (!cv) cv = it;
    if (it->type != HG_V_MAP && !code) {
      hg_error_set(err, 2, cp, it->line, it->col,
                   "a 'languages' entry should be a map {code, name, direction} or a "
                   "language code, found a %s", hg_value_type_name(it->type));
      return false;
    }
    if (!code || !hg_i18n_valid_code(code)) {
      hg_error_set(err, 2, cp, cv->line, cv->col,
                   "%s '%s' is not a language code (use a tag such as en, cs, th, ar, "
                   "pt-BR)", code ? "language" : "language entry without 'code:'",
                   code ? code : "");
      return false;
    }
    for (size_t k = 0; k < c->nlanguages; k++)
      if (!strcasecmp(c->languages[k].code, code)) {
        hg_error_set(err, 2, cp, cv->line, cv->col,
                     "language '%s' is listed twice (line %d)", code, c->languages[k].line);
        return false;
      }
    hg_language *l = &c->languages[c->nlanguages++];
    l->code = hg_xstrdup(code);
    l->line = it->line;
    l->col = it->col;
    l->rtl = hg_i18n_code_is_rtl(code);
    if (it->type != HG_V_MAP) continue;
    static const char *const lk[] = {"code", "name", "direction", NULL};
    warn_unknown(d, cp, it, lk, "languages.");
    l->name = get_str(it, "name", cp, d, "languages.");
    hg_value *dv = hg_value_get(it, "direction");
    const char *dir = hg_value_str(dv);
    if (dv && dv->type != HG_V_NULL) {
      if (dir && !strcmp(dir, "rtl")) l->rtl = true;
      else if (dir && !strcmp(dir, "ltr")) l->rtl = false;
      else {
        hg_error_set(err, 2, cp, dv->line, dv->col,
                     "languages: direction should be 'ltr' or 'rtl', found '%s'",
                     dir ? dir : hg_value_type_name(dv->type));
        return false;
      }
    }
  }
  hg_value *lv = hg_value_get(c->root, "language");
  if (lv && c->language && strcmp(c->language, c->languages[0].code))
    hg_diags_add(d, HG_WARN, cp, lv->line, lv->col,
                 "'language: %s' is ignored: with 'languages' the first entry (%s) is the "
                 "default language", c->language, c->languages[0].code);
  free(c->language);
  c->language = hg_xstrdup(c->languages[0].code);
  return true;
}

hg_config *hg_config_load(const char *site_dir, hg_diags *diags, hg_error **err) {
  hg_config *c = hg_xcalloc(1, sizeof *c);
  c->site_dir = hg_xstrdup(site_dir);
  char *path = hg_path_join(site_dir, "helpgen.yaml");
  hg_value *root = NULL;
  if (hg_is_file(path)) {
    c->config_path = path;
    size_t len;
    char *text = hg_read_file(path, &len, err);
    if (!text) {
      if (err && *err) (*err)->code = 2;
      hg_config_free(c);
      return NULL;
    }
    size_t bad;
    if (!hg_utf8_valid(text, len, &bad)) {
      int line = 1;
      for (size_t i = 0; i < bad; i++) line += text[i] == '\n';
      hg_error_set(err, 2, path, line, 0, "not valid UTF-8 (save the file as UTF-8)");
      free(text);
      hg_config_free(c);
      return NULL;
    }
    root = hg_yaml_parse(text, len, path, 0, err);
    free(text);
    if (!root && err && *err) {
      (*err)->code = 2;
      hg_config_free(c);
      return NULL;
    }
    if (root && root->type != HG_V_MAP) {
      hg_error_set(err, 2, path, root->line, root->col,
                   "helpgen.yaml must be a map of settings (key: value), found a %s",
                   hg_value_type_name(root->type));
      hg_value_free(root);
      hg_config_free(c);
      return NULL;
    }
  } else {
    free(path);
  }
  c->root = root;
  const char *cp = c->config_path;
  warn_unknown(diags, cp, root, known_keys, "");

  c->title = get_str(root, "title", cp, diags, "");
  if (!c->title) c->title = title_from_dir(site_dir);
  c->description = get_str(root, "description", cp, diags, "");
  if (!c->description) c->description = hg_xstrdup("");
  c->base_url = get_str(root, "base_url", cp, diags, "");
  if (!parse_base_url(c, hg_value_get(root, "base_url"), diags, err)) {
    hg_config_free(c);
    return NULL;
  }
  c->language = get_str(root, "language", cp, diags, "");
  if (!c->language) c->language = hg_xstrdup("en");
  if (!load_languages(c, hg_value_get(root, "languages"), diags, err)) {
    hg_config_free(c);
    return NULL;
  }
  c->logo = get_str(root, "logo", cp, diags, "");
  if (c->logo) {
    char *lp = hg_path_join(site_dir, c->logo);
    if (!hg_is_file(lp)) {
      hg_value *lv = hg_value_get(root, "logo");
      hg_diags_add(diags, HG_WARN, cp, lv->line, lv->col,
                   "logo '%s' not found (looked for %s; the path is relative to the "
                   "site folder)", c->logo, lp);
      free(c->logo);
      c->logo = NULL;
    }
    free(lp);
  }
  c->theme = get_str(root, "theme", cp, diags, "");
  if (!c->theme) c->theme = hg_xstrdup("default");
  if (strchr(c->theme, '/') || c->theme[0] == '.') {
    hg_value *tv = hg_value_get(root, "theme");
    hg_error_set(err, 2, cp, tv->line, tv->col,
                 "theme must be a folder name under themes/, found '%s'", c->theme);
    hg_config_free(c);
    return NULL;
  }
  c->footer = get_str(root, "footer", cp, diags, "");

  hg_value *contact = hg_value_get(root, "contact");
  if (contact && contact->type != HG_V_MAP && contact->type != HG_V_NULL) {
    hg_diags_add(diags, HG_WARN, cp, contact->line, contact->col,
                 "'contact' should be a map with email, url, phone, label");
  } else if (contact) {
    static const char *const ck[] = {"email", "url", "phone", "label", NULL};
    warn_unknown(diags, cp, contact, ck, "contact.");
    c->contact_email = get_str(contact, "email", cp, diags, "contact.");
    c->contact_url = get_str(contact, "url", cp, diags, "contact.");
    if (c->contact_url && !url_survives_escaping(c->contact_url)) {
      hg_value *uv = hg_value_get(contact, "url");
      hg_diags_add(diags, HG_WARN, cp, uv->line, uv->col,
                   "contact.url should start with https:// (for an address use "
                   "contact.email, for a phone number contact.phone); ignored");
      free(c->contact_url);
      c->contact_url = NULL;
    }
    c->contact_phone = get_str(contact, "phone", cp, diags, "contact.");
    c->contact_label = get_str(contact, "label", cp, diags, "contact.");
  }
  if (!c->contact_label) c->contact_label = hg_xstrdup("Contact support");

  hg_value *md = hg_value_get(root, "markdown");
  if (md && md->type != HG_V_MAP && md->type != HG_V_NULL) {
    hg_diags_add(diags, HG_WARN, cp, md->line, md->col,
                 "'markdown' should be a map such as {unsafe: false} (ignored)");
  } else if (md) {
    static const char *const mk[] = {"unsafe", NULL};
    warn_unknown(diags, cp, md, mk, "markdown.");
    c->markdown_unsafe = get_bool(md, "unsafe", false, cp, diags, "markdown.");
  }
  hg_value *links = hg_value_get(root, "links");
  if (links) {
    const char *s = hg_value_str(links);
    if (s && !strcmp(s, "pretty"))
      c->pretty_links = true;
    else if (!s || strcmp(s, "index"))
      hg_diags_add(diags, HG_WARN, cp, links->line, links->col,
                   "'links' should be 'index' (links end in index.html, works "
                   "from disk) or 'pretty' (links end in /)");
  }
  load_nav(c, hg_value_get(root, "nav"), diags);
  load_brand(c, hg_value_get(root, "brand"), diags);
  hg_value *site = hg_value_get(root, "site");
  if (site && site->type != HG_V_MAP && site->type != HG_V_NULL) {
    hg_diags_add(diags, HG_WARN, cp, site->line, site->col,
                 "'site' should be a map such as {follow_outside_links: false} (ignored)");
  } else if (site) {
    static const char *const sk[] = {"follow_outside_links", NULL};
    warn_unknown(diags, cp, site, sk, "site.");
    c->follow_outside_links = get_bool(site, "follow_outside_links", false, cp, diags, "site.");
  }
  return c;
}

void hg_config_free(hg_config *c) {
  if (!c) return;
  free(c->site_dir);
  free(c->config_path);
  free(c->title);
  free(c->description);
  free(c->base_url);
  free(c->base_path);
  free(c->language);
  for (size_t i = 0; i < c->nlanguages; i++) {
    free(c->languages[i].code);
    free(c->languages[i].name);
  }
  free(c->languages);
  free(c->logo);
  free(c->brand_color);
  free(c->brand_dark_color);
  free(c->favicon);
  free(c->brand_image);
  free(c->theme);
  free(c->footer);
  free(c->contact_label);
  free(c->contact_email);
  free(c->contact_url);
  free(c->contact_phone);
  for (size_t i = 0; i < c->nnav; i++) {
    free(c->nav[i].title);
    free(c->nav[i].url);
  }
  free(c->nav);
  hg_value_free(c->root);
  free(c);
}
