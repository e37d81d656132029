/* render.c - stage 6: template dictionaries for every page, expansion,
 * and copying the assets into the output folder. */
#include "hg_render.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "hg_flows.h"
#include "hg_i18n.h"
#include "hg_images.h"
#include "hg_minify.h"
#include "hg_related.h"

#define SIDEBAR_MAX 12

static const char *const months[] = {"January", "February", "March",     "April",
                                     "May",     "June",     "July",      "August",
                                     "September", "October", "November", "December"};

char *hg_render_date(const char *iso, const char *lang) {
  int y = 0, m = 0, d = 0;
  if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
    return hg_xstrdup(iso ? iso : "");
  (void)lang;
  return hg_strdup_printf("%s %d, %d", months[m - 1], d, y);
}

typedef struct {
  const hg_render_input *in;
  const hg_i18n *t;    /* the page language's theme strings */
  const char *url_dir; /* the page's folder; "" for home */
  char *root;          /* relative prefix to the site root */
  const char *kind;
  const char *title;
  const char *description;
  long node;           /* folder of the page (for breadcrumbs), -1 none */
  bool self_in_crumbs; /* the folder itself is an ancestor (article pages) */
  char *jsonld;
  long art;            /* site->arts index of an article or FAQ page, else -1 */
  int worker;          /* the thread rendering it (its Lua state for on_page) */
} page;

static char *link_to(const page *p, const char *url_dir) {
  return hg_site_link(p->in->site, p->root, url_dir);
}

static void set_link(hg_dict *d, const char *key, const page *p, const char *url_dir) {
  char *u = link_to(p, url_dir);
  hg_dict_set(d, key, u);
  free(u);
}

/* The absolute URL of the page in url_dir, non-ASCII bytes of the path
 * percent-encoded (UTF-8 slugs: "%C4%8D"); NULL without base_url. */
static char *abs_url(const page *p, const char *url_dir) {
  static const char hex[] = "0123456789ABCDEF";
  const char *base = p->in->cfg->base_url;
  if (!*base) return NULL;
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, base);
  for (const unsigned char *q = (const unsigned char *)url_dir; *q; q++) {
    if (*q < 0x80 && (*q > ' ' && !strchr("\"#%<>?[\\]^`{|}", *q)))
      hg_buf_putc(&b, (char)*q);
    else
      hg_buf_printf(&b, "%%%c%c", hex[*q >> 4], hex[*q & 15]);
  }
  if (*url_dir) hg_buf_putc(&b, '/');
  return hg_buf_steal(&b);
}

/* The url_dir of this page in language `l` (an index into site->langs), or
 * of that language's home when the page has no translation (*exact false).
 * Caller frees. */
static char *page_in_language(const page *p, size_t l, bool *exact) {
  const hg_site *s = p->in->site;
  const hg_site *o = s->langs->sites[l];
  *exact = true;
  if (p->art >= 0) {
    long t = hg_site_translation(s, (size_t)p->art, l);
    if (t >= 0) return hg_xstrdup(o->arts[t].url_dir);
  } else if (!strcmp(p->kind, "category") || !strcmp(p->kind, "section")) {
    long t = hg_site_node_translation(s, (size_t)p->node, l);
    if (t >= 0) return hg_xstrdup(o->nodes[t].url_dir);
  } else if (!strcmp(p->kind, "home")) {
    return hg_xstrdup(o->nodes[0].url_dir);
  } else if (!strcmp(p->kind, "search")) {
    return *o->prefix ? hg_strdup_printf("%s/search", o->prefix) : hg_xstrdup("search");
  }
  *exact = false;
  return hg_xstrdup(o->nodes[0].url_dir);
}

static const char *language_name(const hg_config *cfg, size_t l) {
  if (l < cfg->nlanguages && cfg->languages[l].name) return cfg->languages[l].name;
  return l < cfg->nlanguages ? cfg->languages[l].code : cfg->language;
}

/* The language switcher: HAS_LANGUAGES { LANGUAGES { LANG_CODE, LANG_NAME,
 * LANG_URL, LANG_CURRENT {} when it is the page's language, LANG_FALLBACK
 * {} when the link goes to that language's home (no translation) } }. */
static void fill_switcher(hg_dict *d, const page *p) {
  const hg_site *s = p->in->site;
  if (!s->langs || s->langs->n < 2) return;
  hg_dict *hl = hg_dict_add_section(d, "HAS_LANGUAGES");
  for (size_t l = 0; l < s->langs->n; l++) {
    bool exact;
    char *dir = page_in_language(p, l, &exact);
    hg_dict *it = hg_dict_add_section(hl, "LANGUAGES");
    hg_dict_set(it, "LANG_CODE", s->langs->sites[l]->lang);
    hg_dict_set(it, "LANG_NAME", language_name(p->in->cfg, l));
    char *u = link_to(p, dir);
    hg_dict_set(it, "LANG_URL", u);
    if (l == s->lang_index) hg_dict_show(it, "LANG_CURRENT");
    else if (!exact) hg_dict_show(it, "LANG_FALLBACK");
    free(u);
    free(dir);
  }
}

/* <link rel="alternate" hreflang>: HAS_ALTERNATES { ALTERNATES { ALT_LANG,
 * ALT_URL } } for every language the page exists in (itself included) and
 * x-default: the default language's page, else its home. Absolute URLs
 * with base_url, else relative ones. */
static void fill_alternates(hg_dict *d, const page *p) {
  const hg_site *s = p->in->site;
  if (!s->langs || s->langs->n < 2 || !strcmp(p->kind, "404")) return;
  hg_dict *ha = hg_dict_add_section(d, "HAS_ALTERNATES");
  for (size_t l = 0; l <= s->langs->n; l++) {
    bool exact;
    char *dir = page_in_language(p, l < s->langs->n ? l : 0, &exact);
    if (exact || l == s->langs->n) {
      char *u = abs_url(p, dir);
      if (!u) u = link_to(p, dir);
      hg_dict *it = hg_dict_add_section(ha, "ALTERNATES");
      hg_dict_set(it, "ALT_LANG", l < s->langs->n ? s->langs->sites[l]->lang : "x-default");
      hg_dict_set(it, "ALT_URL", u);
      free(u);
    }
    free(dir);
  }
}

/* "Orders › Tracking" for a folder. */
static char *folder_trail(const hg_site *s, size_t folder) {
  const hg_content *c = s->content;
  size_t chain[64], n = 0;
  for (long f = (long)folder; f > 0 && n < 64; f = c->folders[f].parent) chain[n++] = (size_t)f;
  hg_buf b = HG_BUF_INIT;
  while (n-- > 0) {
    hg_buf_puts(&b, c->folders[chain[n]].title);
    if (n) hg_buf_puts(&b, " › ");
  }
  return hg_buf_steal(&b);
}

/* The category (top-level folder) holding folder `f`, or 0 at the top. */
static size_t top_folder(const hg_content *c, size_t f) {
  while (f > 0 && c->folders[f].parent > 0) f = (size_t)c->folders[f].parent;
  return f;
}

static void fill_breadcrumbs(hg_dict *d, const page *p) {
  if (p->node < 0) return;
  const hg_site *s = p->in->site;
  const hg_content *c = s->content;
  size_t chain[64], n = 0;
  long f = p->self_in_crumbs ? p->node : c->folders[p->node].parent;
  for (; f > 0 && n < 64; f = c->folders[f].parent) chain[n++] = (size_t)f;
  hg_dict *home = hg_dict_add_section(d, "BREADCRUMBS");
  hg_dict_set(home, "CRUMB_TITLE", hg_i18n_get(p->t, "home"));
  set_link(home, "CRUMB_URL", p, s->prefix);
  while (n-- > 0) {
    hg_dict *cr = hg_dict_add_section(d, "BREADCRUMBS");
    hg_dict_set(cr, "CRUMB_TITLE", c->folders[chain[n]].title);
    set_link(cr, "CRUMB_URL", p, s->nodes[chain[n]].url_dir);
  }
  hg_dict_show(d, "HAS_BREADCRUMBS");
}

/* Repeated sections that included templates need in their own dictionary:
 * for a partial (tpl), only those it opens itself; for the page, all. */
static void fill_sections(hg_dict *d, const page *p, const char *tpl) {
  const hg_config *cfg = p->in->cfg;
  const hg_tpl *t = p->in->theme->tpl;
  if (!tpl || hg_tpl_has_section(t, tpl, "NAV"))
    for (size_t i = 0; i < cfg->nnav; i++) {
      hg_dict *n = hg_dict_add_section(d, "NAV");
      hg_dict_set(n, "NAV_TITLE", cfg->nav[i].title);
      hg_dict_set(n, "NAV_URL", cfg->nav[i].url);
    }
  if (!tpl || hg_tpl_has_section(t, tpl, "BREADCRUMBS") ||
      hg_tpl_has_section(t, tpl, "HAS_BREADCRUMBS"))
    fill_breadcrumbs(d, p);
  if (!tpl || hg_tpl_has_section(t, tpl, "HAS_LANGUAGES")) fill_switcher(d, p);
  const hg_site *s = p->in->site; /* the small-screen menu: nav links or languages */
  if ((!tpl || hg_tpl_has_section(t, tpl, "HAS_MENU")) &&
      (cfg->nnav || (s->langs && s->langs->n > 1)))
    hg_dict_show(d, "HAS_MENU");
  if (!tpl || hg_tpl_has_section(t, tpl, "HAS_ALTERNATES")) fill_alternates(d, p);
}

/* T_<KEY> for every theme string. */
static void set_string(void *ctx, const char *var, const char *value) {
  hg_dict_set_global(ctx, var, value);
}

static void set_global_str(hg_dict *d, const char *key, const char *fmt_val) {
  hg_dict_set_global(d, key, fmt_val ? fmt_val : "");
}

/* The logo's width and height from its header (hg_images.h), read again
 * only when its file changes (pages render on several threads). */
static bool logo_size(const hg_config *cfg, int *w, int *h) {
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  static char *path;
  static struct stat seen;
  static int sw, sh;
  static bool known;
  char *src = hg_path_join(cfg->site_dir, cfg->logo);
  struct stat st;
  bool ok = stat(src, &st) == 0;
  pthread_mutex_lock(&mu);
  if (ok && !(path && !strcmp(path, src) && st.st_mtim.tv_sec == seen.st_mtim.tv_sec &&
              st.st_mtim.tv_nsec == seen.st_mtim.tv_nsec && st.st_size == seen.st_size &&
              st.st_ino == seen.st_ino)) {
    size_t len;
    char *data = hg_read_file(src, &len, NULL);
    known = data && hg_image_size(data, len, &sw, &sh) != HG_IMG_UNKNOWN;
    free(data);
    free(path);
    path = hg_xstrdup(src);
    seen = st;
  }
  ok = ok && known;
  *w = sw;
  *h = sh;
  pthread_mutex_unlock(&mu);
  free(src);
  return ok;
}

/* "assets/NAME.EXT" for a brand file (EXT from its path, as for the logo). */
static char *brand_rel(const char *name, const char *path) {
  const char *dot = strrchr(path, '.');
  return hg_strdup_printf("assets/%s%s", name, dot && strlen(dot) < 16 && !strchr(dot, '/') ? dot : "");
}

static void fill_common(hg_dict *d, const page *p) {
  const hg_render_input *in = p->in;
  const hg_config *cfg = in->cfg;
  set_global_str(d, "SITE_TITLE", cfg->title);
  set_global_str(d, "SITE_DESCRIPTION", cfg->description);
  const hg_site *site = in->site;
  bool rtl = site->langs && site->lang_index < cfg->nlanguages
                 ? cfg->languages[site->lang_index].rtl
                 : hg_i18n_rtl(p->t);
  set_global_str(d, "LANG", site->lang);
  set_global_str(d, "DIR", rtl ? "rtl" : "ltr");
  set_global_str(d, "ROOT", p->root);
  char *u = link_to(p, site->prefix);
  set_global_str(d, "HOME_URL", u);
  free(u);
  char *sdir = *site->prefix ? hg_strdup_printf("%s/search", site->prefix) : hg_xstrdup("search");
  u = link_to(p, sdir);
  set_global_str(d, "SEARCH_URL", u);
  free(u);
  free(sdir);
  if (in->search_index) {
    u = hg_strdup_printf("%s%s", p->root, in->search_index);
    set_global_str(d, "SEARCH_INDEX", u);
    free(u);
  } else {
    set_global_str(d, "SEARCH_INDEX", "");
  }
  set_global_str(d, "PAGE_TITLE", p->title);
  set_global_str(d, "PAGE_DESCRIPTION",
                 p->description && *p->description ? p->description : cfg->description);
  set_global_str(d, "PAGE_KIND", p->kind);
  u = hg_site_link(in->site, "", p->url_dir);
  set_global_str(d, "PAGE_PATH", u); /* the page from the site root */
  free(u);
  /* every language has its feeds (cs/feed.xml, cs/CATEGORY/feed.xml) */
  char *feed = hg_seo_feed_file(in->site, 0);
  if (feed) {
    hg_dict_show_global(d, "HAS_FEED");
    u = hg_strdup_printf("%s%s", p->root, feed);
    set_global_str(d, "FEED_URL", u);
    free(u);
    free(feed);
  }
  size_t cat = p->node > 0 ? top_folder(in->site->content, (size_t)p->node) : 0;
  feed = cat ? hg_seo_feed_file(in->site, cat) : NULL;
  if (feed) {
    hg_dict_show_global(d, "HAS_CATEGORY_FEED");
    u = hg_strdup_printf("%s%s", p->root, feed);
    set_global_str(d, "CATEGORY_FEED_URL", u);
    free(u);
    set_global_str(d, "CATEGORY_FEED_TITLE", in->site->content->folders[cat].title);
    free(feed);
  }
  if (strcmp(p->kind, "home")) hg_dict_show_global(d, "NOT_HOME");
  u = strcmp(p->kind, "404") ? abs_url(p, p->url_dir) : NULL;
  if (u) {
    set_global_str(d, "CANONICAL_URL", u);
    hg_dict_show_global(d, "HAS_CANONICAL");
    free(u);
  }
  set_global_str(d, "JSONLD", p->jsonld ? p->jsonld : "");
  set_global_str(d, "GENERATOR", "helpgen " HG_VERSION);
  set_global_str(d, "FOOTER_TEXT", cfg->footer);
  hg_buf ab = HG_BUF_INIT; /* ROOT + asset path, without printf per asset */
  for (size_t i = 0; i < in->theme->nassets; i++) {
    hg_buf_clear(&ab);
    hg_buf_puts(&ab, p->root);
    hg_buf_puts(&ab, in->theme->assets[i].out_rel);
    set_global_str(d, in->theme->assets[i].var, ab.data);
  }
  hg_buf_free(&ab);
  if (cfg->logo) {
    char ext[16] = "";
    const char *dot = strrchr(cfg->logo, '.');
    if (dot && strlen(dot) < sizeof ext) strcpy(ext, dot);
    u = hg_strdup_printf("%sassets/logo%s", p->root, ext);
    set_global_str(d, "LOGO_URL", u);
    free(u);
    hg_dict_show_global(d, "HAS_LOGO");
    int lw, lh; /* its size, so the header does not move when it loads */
    if (logo_size(cfg, &lw, &lh)) {
      char num[16];
      hg_dict_show_global(d, "HAS_LOGO_SIZE");
      snprintf(num, sizeof num, "%d", lw);
      set_global_str(d, "LOGO_WIDTH", num);
      snprintf(num, sizeof num, "%d", lh);
      set_global_str(d, "LOGO_HEIGHT", num);
    }
  }
  if (in->theme->brand_css) {
    set_global_str(d, "BRAND_CSS", in->theme->brand_css);
    hg_dict_show_global(d, "HAS_BRAND");
  }
  if (cfg->favicon || cfg->logo) { /* brand.favicon, else the logo */
    char *rel = brand_rel(cfg->favicon ? "favicon" : "logo", cfg->favicon ? cfg->favicon : cfg->logo);
    u = hg_strdup_printf("%s%s", p->root, rel);
    set_global_str(d, "FAVICON_URL", u);
    hg_dict_show_global(d, "HAS_FAVICON");
    free(u);
    free(rel);
  }
  if (cfg->brand_image && (strstr(cfg->brand_image, "://") || *cfg->base_url)) {
    char *rel = strstr(cfg->brand_image, "://") ? NULL : brand_rel("og-image", cfg->brand_image);
    u = rel ? hg_strdup_printf("%s%s", cfg->base_url, rel) : hg_xstrdup(cfg->brand_image);
    set_global_str(d, "OG_IMAGE_URL", u); /* og:image wants an absolute URL */
    hg_dict_show_global(d, "HAS_OG_IMAGE");
    free(u);
    free(rel);
  }
  if (cfg->contact_email || cfg->contact_url || cfg->contact_phone) {
    hg_dict_show_global(d, "HAS_CONTACT");
    set_global_str(d, "CONTACT_LABEL", cfg->contact_label);
    if (cfg->contact_email) {
      hg_dict_show_global(d, "CONTACT_EMAIL_S");
      set_global_str(d, "CONTACT_EMAIL", cfg->contact_email);
      u = hg_strdup_printf("mailto:%s", cfg->contact_email);
      set_global_str(d, "CONTACT_MAILTO", u);
      free(u);
    }
    if (cfg->contact_url) {
      hg_dict_show_global(d, "CONTACT_URL_S");
      set_global_str(d, "CONTACT_URL", cfg->contact_url);
    }
    if (cfg->contact_phone) {
      hg_dict_show_global(d, "CONTACT_PHONE_S");
      set_global_str(d, "CONTACT_PHONE", cfg->contact_phone);
      hg_buf tel = HG_BUF_INIT;
      hg_buf_puts(&tel, "tel:");
      for (const char *q = cfg->contact_phone; *q; q++)
        if ((*q >= '0' && *q <= '9') || *q == '+') hg_buf_putc(&tel, *q);
      set_global_str(d, "CONTACT_TEL", hg_buf_cstr(&tel));
      set_global_str(d, "CONTACT_TEL_NUMBER", hg_buf_cstr(&tel) + strlen("tel:"));
      hg_buf_free(&tel);
    }
  }
  hg_i18n_each(p->t, set_string, d);
  fill_sections(d, p, NULL);
  static const char *const partials[][2] = {{"HEAD", "partials/head.tpl"},
                                            {"HEADER", "partials/header.tpl"},
                                            {"CONTACT", "partials/contact.tpl"},
                                            {"FOOTER", "partials/footer.tpl"}};
  for (size_t i = 0; i < 4; i++) {
    if (!hg_tpl_has(in->theme->tpl, partials[i][1])) continue;
    hg_dict *inc = hg_dict_add_include(d, partials[i][0], partials[i][1]);
    fill_sections(inc, p, partials[i][1]);
  }
}

/* ---- JSON-LD ------------------------------------------------------------ */
static char *jsonld_script(json_t *v) {
  char *s = json_dumps(v, JSON_COMPACT);
  json_decref(v);
  if (!s) return NULL;
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "<script type=\"application/ld+json\">");
  for (const char *q = s; *q; q++) {
    if (*q == '<') hg_buf_puts(&b, "\\u003c");
    else if (*q == '>') hg_buf_puts(&b, "\\u003e");
    else if (*q == '&') hg_buf_puts(&b, "\\u0026");
    else hg_buf_putc(&b, *q);
  }
  hg_buf_puts(&b, "</script>");
  free(s);
  return hg_buf_steal(&b);
}

static json_t *breadcrumb_list(const page *p, const char *self_title) {
  const hg_site *s = p->in->site;
  const hg_content *c = s->content;
  if (!*p->in->cfg->base_url || p->node < 0) return NULL;
  json_t *items = json_array();
  size_t chain[64], n = 0;
  long f = p->self_in_crumbs ? p->node : c->folders[p->node].parent;
  for (; f > 0 && n < 64; f = c->folders[f].parent) chain[n++] = (size_t)f;
  int pos = 1;
  char *u = abs_url(p, s->prefix);
  json_array_append_new(items, json_pack("{s:s,s:i,s:s,s:s}", "@type", "ListItem",
                                         "position", pos++, "name", hg_i18n_get(p->t, "home"),
                                         "item", u));
  free(u);
  while (n-- > 0) {
    u = abs_url(p, s->nodes[chain[n]].url_dir);
    json_array_append_new(items, json_pack("{s:s,s:i,s:s,s:s}", "@type", "ListItem",
                                           "position", pos++, "name",
                                           c->folders[chain[n]].title, "item", u));
    free(u);
  }
  json_array_append_new(items, json_pack("{s:s,s:i,s:s}", "@type", "ListItem",
                                         "position", pos, "name", self_title));
  return json_pack("{s:s,s:s,s:o}", "@context", "https://schema.org", "@type",
                   "BreadcrumbList", "itemListElement", items);
}

/* ---- lists -------------------------------------------------------------- */
static void fill_article_item(hg_dict *d, const page *p, size_t art) {
  const hg_site *s = p->in->site;
  const hg_site_article *sa = &s->arts[art];
  const hg_article *a = &s->content->articles[sa->article];
  hg_dict_set(d, "ART_TITLE", a->title);
  set_link(d, "ART_URL", p, sa->url_dir);
  hg_dict_set(d, "ART_DESCRIPTION", a->description);
  if (a->faq) hg_dict_show(d, "IS_FAQ");
  if (a->promoted) hg_dict_show(d, "IS_PROMOTED");
}

static void fill_categories(hg_dict *d, const page *p) {
  const hg_site *s = p->in->site;
  const hg_content *c = s->content;
  const hg_site_node *root = &s->nodes[0];
  for (size_t i = 0; i < root->nchildren; i++) {
    size_t n = root->children[i];
    const hg_folder *f = &c->folders[n];
    hg_dict *cd = hg_dict_add_section(d, "CATEGORIES");
    hg_dict_set(cd, "CAT_TITLE", f->title);
    set_link(cd, "CAT_URL", p, s->nodes[n].url_dir);
    hg_dict_set(cd, "CAT_DESCRIPTION", f->description);
    if (f->icon) { /* a theme icon by name, inline SVG; else text (an emoji) */
      const char *svg = hg_theme_icon(p->in->theme, f->icon);
      hg_dict_set(cd, svg ? "CAT_ICON_SVG" : "CAT_ICON", svg ? svg : f->icon);
      hg_dict_show(cd, "HAS_ICON");
    }
    hg_dict_set_int(cd, "CAT_COUNT", (long)s->nodes[n].total);
    for (size_t k = 0; k < s->nodes[n].nchildren; k++) {
      size_t sn = s->nodes[n].children[k];
      hg_dict *sd = hg_dict_add_section(cd, "CAT_SECTIONS");
      hg_dict_set(sd, "SEC_TITLE", c->folders[sn].title);
      set_link(sd, "SEC_URL", p, s->nodes[sn].url_dir);
    }
  }
}

static void fill_intro(hg_dict *d, const page *p, size_t node) {
  const hg_md_result *r = &p->in->intros[node];
  if (r->html && *r->html) {
    hg_dict_set(d, "INTRO_HTML", r->html);
    hg_dict_show(d, "HAS_INTRO");
  }
}

static void fill_direct_articles(hg_dict *d, const page *p, size_t node) {
  const hg_site_node *n = &p->in->site->nodes[node];
  if (!n->narts) return;
  hg_dict_show(d, "HAS_ARTICLES");
  for (size_t i = 0; i < n->narts; i++)
    fill_article_item(hg_dict_add_section(d, "ARTICLES"), p, n->arts[i]);
}

/* The popular list (helpgen.yaml `popular:`, then promoted articles); on a
 * category page only the ones inside it (`category` > 0). */
static void fill_popular(hg_dict *d, const page *p, size_t category) {
  const hg_site *s = p->in->site;
  hg_dict *hp = NULL;
  for (size_t i = 0; i < p->in->npopular; i++) {
    size_t art = p->in->popular[i];
    size_t folder = s->content->articles[s->arts[art].article].folder;
    if (category && top_folder(s->content, folder) != category) continue;
    if (!hp) hp = hg_dict_add_section(d, "HAS_PROMOTED");
    hg_dict *a = hg_dict_add_section(hp, "PROMOTED");
    fill_article_item(a, p, art);
    char *trail = folder_trail(s, folder);
    hg_dict_set(a, "ART_BREADCRUMB", trail);
    free(trail);
  }
}

/* Related articles of article i: HAS_RELATED { RELATED { REL_TITLE, REL_URL,
 * REL_DESCRIPTION } }. */
static void fill_related(hg_dict *d, const page *p, size_t i) {
  const hg_render_input *in = p->in;
  const hg_site *s = in->site;
  if (!in->related) return;
  hg_dict *hr = NULL;
  for (size_t k = 0; k < in->nrelated; k++) {
    size_t r = in->related[i * in->nrelated + k];
    if (r == HG_RELATED_NONE) break;
    const hg_article *a = &s->content->articles[s->arts[r].article];
    if (!hr) hr = hg_dict_add_section(d, "HAS_RELATED");
    hg_dict *it = hg_dict_add_section(hr, "RELATED");
    hg_dict_set(it, "REL_TITLE", a->title);
    set_link(it, "REL_URL", p, s->arts[r].url_dir);
    hg_dict_set(it, "REL_DESCRIPTION", a->description);
  }
}

/* "Was this helpful?": HAS_FEEDBACK { FEEDBACK_PAGE, FEEDBACK_URL,
 * FEEDBACK_TITLE, and one or two of: FEEDBACK_FORM { FEEDBACK_ENDPOINT }
 * (votes post to the endpoint), FEEDBACK_MAIL_VOTES { FEEDBACK_MAILTO,
 * FEEDBACK_SUBJECT_YES, FEEDBACK_SUBJECT_NO } (mailto only: votes are
 * emails), FEEDBACK_TELL_US { FEEDBACK_MAILTO, FEEDBACK_SUBJECT_NO }
 * (endpoint and mailto: an email link after "No") }. */
static void set_mail(hg_dict *m, const hg_i18n *t, const char *mailto, const char *title,
                     bool yes) {
  static const char hex[] = "0123456789ABCDEF";
  hg_dict_set(m, "FEEDBACK_MAILTO", mailto);
  for (int k = yes ? 0 : 1; k < 2; k++) {
    char *subj = hg_strdup_printf("%s %s – %s", hg_i18n_get(t, "was_helpful"),
                                  hg_i18n_get(t, k ? "no" : "yes"), title);
    hg_buf q = HG_BUF_INIT; /* percent-encoded for the ?subject= of the mailto: link */
    for (const unsigned char *c = (const unsigned char *)subj; *c; c++) {
      if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          strchr("-._~", *c))
        hg_buf_putc(&q, (char)*c);
      else
        hg_buf_printf(&q, "%%%c%c", hex[*c >> 4], hex[*c & 15]);
    }
    hg_dict_set(m, k ? "FEEDBACK_SUBJECT_NO" : "FEEDBACK_SUBJECT_YES", hg_buf_cstr(&q));
    hg_buf_free(&q);
    free(subj);
  }
}

static void fill_feedback(hg_dict *d, const page *p, const hg_article *a) {
  const hg_seo_settings *seo = p->in->seo;
  if (!seo || (!seo->feedback_endpoint && !seo->feedback_mailto)) return;
  hg_dict *f = hg_dict_add_section(d, "HAS_FEEDBACK");
  hg_dict_set(f, "FEEDBACK_PAGE", p->url_dir);
  char *u = abs_url(p, p->url_dir);
  hg_dict_set(f, "FEEDBACK_URL", u ? u : "");
  free(u);
  hg_dict_set(f, "FEEDBACK_TITLE", a->title);
  if (seo->feedback_endpoint)
    hg_dict_set(hg_dict_add_section(f, "FEEDBACK_FORM"), "FEEDBACK_ENDPOINT",
                seo->feedback_endpoint);
  if (seo->feedback_mailto && !seo->feedback_endpoint)
    set_mail(hg_dict_add_section(f, "FEEDBACK_MAIL_VOTES"), p->t, seo->feedback_mailto, a->title, true);
  if (seo->feedback_mailto && seo->feedback_endpoint)
    set_mail(hg_dict_add_section(f, "FEEDBACK_TELL_US"), p->t, seo->feedback_mailto, a->title, false);
}

/* ---- pages -------------------------------------------------------------- */
/* on_page: values a hook adds for the theme (HOOK_<KEY>). */
static bool page_hooks(const page *p, hg_dict *d, hg_diags *diags) {
  if (!p->in->hooks) return true;
  bool folder = !strcmp(p->kind, "category") || !strcmp(p->kind, "section");
  hg_hooks_page hp = {p->kind, p->title, p->url_dir, p->art, folder ? p->node : -1,
                      p->art >= 0 ? &p->in->arts[p->art] : NULL};
  return hg_hooks_on_page(p->in->hooks, p->worker, &hp, d, diags);
}

static bool expand_write(const page *p, const char *tpl, hg_dict *d, hg_diags *diags) {
  if (!page_hooks(p, d, diags)) return false;
  hg_buf out = HG_BUF_INIT;
  hg_error *err = NULL;
  bool ok = hg_tpl_expand(p->in->theme->tpl, tpl, d, &out, &err);
  /* a page is FOLDER/index.html; a 404 page is PREFIX/404.html */
  char *file = strcmp(p->kind, "404") ? hg_site_page_file(p->url_dir)
               : *p->url_dir ? hg_strdup_printf("%s/404.html", p->url_dir)
                             : hg_xstrdup("404.html");
  if (ok) ok = hg_output_write(p->in->out, file, out.data ? out.data : "", out.len, &err);
  if (!ok) {
    hg_diags_add(diags, HG_ERR, NULL, 0, 0, "%s (while writing %s)", err->msg, file);
    hg_error_free(err);
  }
  free(file);
  hg_buf_free(&out);
  return ok;
}

static void page_init(page *p, const hg_render_input *in, int worker, const char *url_dir,
                      const char *kind, const char *title, const char *desc, long node) {
  memset(p, 0, sizeof *p);
  p->in = in;
  p->t = in->i18n;
  p->worker = worker;
  p->art = -1;
  p->url_dir = url_dir;
  p->root = hg_site_root_prefix(url_dir);
  p->kind = kind;
  p->title = title;
  p->description = desc;
  p->node = node;
}

static void page_done(page *p) {
  free(p->root);
  free(p->jsonld);
}

static bool render_home(const hg_render_input *in, int worker, hg_diags *diags) {
  const hg_site *s = in->site;
  page p;
  /* content/_index.md may give the home page its own heading and lead */
  const hg_folder *rootf = &s->content->folders[0];
  bool own = rootf->meta && hg_value_get(rootf->meta, "title");
  page_init(&p, in, worker, s->nodes[0].url_dir, "home", own ? rootf->title : in->cfg->title,
            own && *rootf->description ? rootf->description : in->cfg->description, -1);
  if (*in->cfg->base_url) {
    char *home = abs_url(&p, s->prefix);
    char *target = hg_strdup_printf("%ssearch/?q={search_term_string}", home);
    p.jsonld = jsonld_script(json_pack(
        "{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s}}", "@context", "https://schema.org", "@type",
        "WebSite", "name", in->cfg->title, "url", home, "potentialAction",
        "@type", "SearchAction", "target", target, "query-input",
        "required name=search_term_string"));
    free(target);
    free(home);
  }
  hg_dict *d = hg_dict_new("home");
  fill_common(d, &p);
  fill_categories(d, &p);
  fill_popular(d, &p, 0);
  fill_intro(d, &p, 0);
  fill_direct_articles(d, &p, 0);
  hg_flows_fill_list(in->flows, d, p.root);
  bool ok = expand_write(&p, "home.tpl", d, diags);
  hg_dict_free(d);
  page_done(&p);
  return ok;
}

/* The search page, or the 404 page of the site's language: 404.html at the
 * site root for the default language, PREFIX/404.html for the others (a
 * host serves it for any missing URL under PREFIX/, so its links are
 * absolute paths from base_path). */
static bool render_special(const hg_render_input *in, int worker, const char *kind,
                           hg_diags *diags) {
  page p;
  bool is404 = !strcmp(kind, "404");
  const char *prefix = in->site->prefix;
  char *dir = is404 ? hg_xstrdup(prefix)
                    : *prefix ? hg_strdup_printf("%s/search", prefix) : hg_xstrdup("search");
  page_init(&p, in, worker, dir, kind,
            hg_i18n_get(in->i18n, is404 ? "not_found" : "search_results"), "", -1);
  if (is404) {
    free(p.root);
    p.root = hg_xstrdup(in->cfg->base_path);
  }
  hg_dict *d = hg_dict_new(kind);
  fill_common(d, &p);
  fill_categories(d, &p);
  bool ok = expand_write(&p, is404 ? "404.tpl" : "search.tpl", d, diags);
  hg_dict_free(d);
  page_done(&p);
  free(dir);
  return ok;
}

static bool render_node(const hg_render_input *in, int worker, size_t n, hg_diags *diags) {
  const hg_site *s = in->site;
  const hg_folder *f = &s->content->folders[n];
  const hg_site_node *node = &s->nodes[n];
  page p;
  page_init(&p, in, worker, node->url_dir, f->depth == 1 ? "category" : "section", f->title,
            f->description, (long)n);
  json_t *bl = breadcrumb_list(&p, f->title);
  if (bl) p.jsonld = jsonld_script(bl);
  hg_dict *d = hg_dict_new("node");
  fill_common(d, &p);
  hg_dict_set(d, "NODE_TITLE", f->title);
  hg_dict_set(d, "NODE_DESCRIPTION", f->description);
  if (f->icon) {
    hg_dict *ic = hg_dict_add_section(d, "HAS_ICON");
    const char *svg = hg_theme_icon(in->theme, f->icon);
    hg_dict_set(ic, svg ? "NODE_ICON_SVG" : "NODE_ICON", svg ? svg : f->icon);
  }
  fill_intro(d, &p, n);
  if (f->depth == 1) fill_popular(d, &p, n);
  for (size_t i = 0; i < node->nchildren; i++) {
    size_t cn = node->children[i];
    const hg_site_node *child = &s->nodes[cn];
    hg_dict *cd = hg_dict_add_section(d, "CHILDREN");
    hg_dict_set(cd, "SEC_TITLE", s->content->folders[cn].title);
    set_link(cd, "SEC_URL", &p, child->url_dir);
    hg_dict_set(cd, "SEC_DESCRIPTION", s->content->folders[cn].description);
    hg_dict_set_int(cd, "SEC_COUNT", (long)child->total);
    size_t shown = child->narts < 6 ? child->narts : 6;
    for (size_t k = 0; k < shown; k++)
      fill_article_item(hg_dict_add_section(cd, "SEC_ARTICLES"), &p, child->arts[k]);
    if (child->total > shown) {
      hg_dict *m = hg_dict_add_section(cd, "HAS_MORE");
      hg_dict_set_int(m, "MORE_COUNT", (long)(child->total - shown));
    }
  }
  fill_direct_articles(d, &p, n);
  bool ok = expand_write(&p, f->depth == 1 ? "category.tpl" : "section.tpl", d, diags);
  hg_dict_free(d);
  page_done(&p);
  return ok;
}

static void fill_meta(hg_dict *d, const hg_article *a) {
  static const char *const known[] = {"title", "description", "slug", "weight", "tags",
                                      "keywords", "promoted", "date", "updated", "draft",
                                      "type", "aliases", "review_by", "translation_key",
                                      NULL};
  if (!a->meta) return;
  for (size_t i = 0; i < a->meta->len; i++) {
    bool skip = false;
    for (size_t k = 0; known[k]; k++) skip |= !strcmp(known[k], a->meta->keys[i]);
    const char *v = hg_value_str(a->meta->items[i]);
    if (skip || !v) continue;
    hg_buf key = HG_BUF_INIT;
    hg_buf_puts(&key, "META_");
    for (const char *q = a->meta->keys[i]; *q; q++)
      hg_buf_putc(&key, (*q >= 'a' && *q <= 'z') ? (char)(*q - 32)
                        : ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')) ? *q : '_');
    hg_dict_set(d, key.data, v);
    hg_buf_free(&key);
  }
}

static bool render_article(const hg_render_input *in, int worker, size_t i, hg_diags *diags) {
  const hg_site *s = in->site;
  const hg_site_article *sa = &s->arts[i];
  const hg_article *a = &s->content->articles[sa->article];
  const hg_md_result *r = &in->arts[i];
  page p;
  page_init(&p, in, worker, sa->url_dir, a->faq ? "faq" : "article", a->title, a->description,
            (long)a->folder);
  p.self_in_crumbs = true;
  p.art = (long)i;

  /* JSON-LD written straight into a buffer: building jansson objects for
   * it cost more than all the page's other values. A string jansson would
   * refuse (not UTF-8) sends the page down the jansson path below, so the
   * output is the same either way. */
  hg_buf jl = HG_BUF_INIT;
  bool direct = true;
  hg_buf_putc(&jl, '[');
  if (*in->cfg->base_url) {
    static const char item[] = "{\"@type\":\"ListItem\",\"position\":";
    size_t chain[64], nc = 0;
    for (long f = (long)a->folder; f > 0 && nc < 64; f = s->content->folders[f].parent)
      chain[nc++] = (size_t)f;
    hg_buf_puts(&jl, "{\"@context\":\"https://schema.org\",\"@type\":\"BreadcrumbList\","
                     "\"itemListElement\":[");
    for (size_t k = 0; k <= nc && direct; k++) { /* home, then the folders from the top */
      const char *name = k ? s->content->folders[chain[nc - k]].title : hg_i18n_get(p.t, "home");
      char *u = abs_url(&p, k ? s->nodes[chain[nc - k]].url_dir : s->prefix);
      hg_buf_printf(&jl, "%s%zu,\"name\":", item, k + 1);
      direct = hg_buf_put_json(&jl, name);
      hg_buf_puts(&jl, ",\"item\":");
      direct = direct && hg_buf_put_json(&jl, u);
      hg_buf_puts(&jl, "},");
      free(u);
    }
    hg_buf_printf(&jl, "%s%zu,\"name\":", item, nc + 2);
    direct = direct && hg_buf_put_json(&jl, a->title);
    hg_buf_puts(&jl, "}]},");
  }
  if (a->faq && r->nfaq) {
    hg_buf_puts(&jl, "{\"@context\":\"https://schema.org\",\"@type\":\"FAQPage\",\"mainEntity\":[");
    for (size_t k = 0; k < r->nfaq && direct; k++) {
      hg_buf_puts(&jl, k ? ",{\"@type\":\"Question\",\"name\":" : "{\"@type\":\"Question\",\"name\":");
      direct = hg_buf_put_json(&jl, r->faq[k].question);
      hg_buf_puts(&jl, ",\"acceptedAnswer\":{\"@type\":\"Answer\",\"text\":");
      direct = direct && hg_buf_put_json(&jl, r->faq[k].answer_html);
      hg_buf_puts(&jl, "}}");
    }
    hg_buf_puts(&jl, "]}]");
  } else {
    hg_buf_puts(&jl, "{\"@context\":\"https://schema.org\",\"@type\":\"Article\",\"headline\":");
    direct = direct && hg_buf_put_json(&jl, a->title);
    if (*a->description) {
      hg_buf_puts(&jl, ",\"description\":");
      direct = direct && hg_buf_put_json(&jl, a->description);
    }
    if (a->date) {
      hg_buf_puts(&jl, ",\"datePublished\":");
      direct = direct && hg_buf_put_json(&jl, a->date);
    }
    if (a->updated || a->date) {
      hg_buf_puts(&jl, ",\"dateModified\":");
      direct = direct && hg_buf_put_json(&jl, a->updated ? a->updated : a->date);
    }
    hg_buf_puts(&jl, "}]");
  }
  if (direct) { /* as jsonld_script writes it */
    hg_buf sc = HG_BUF_INIT;
    hg_buf_grow(&sc, jl.len + 64);
    hg_buf_puts(&sc, "<script type=\"application/ld+json\">");
    for (const char *q = jl.data; *q; q++) {
      if (*q == '<') hg_buf_puts(&sc, "\\u003c");
      else if (*q == '>') hg_buf_puts(&sc, "\\u003e");
      else if (*q == '&') hg_buf_puts(&sc, "\\u0026");
      else hg_buf_putc(&sc, *q);
    }
    hg_buf_puts(&sc, "</script>");
    p.jsonld = hg_buf_steal(&sc);
  }
  hg_buf_free(&jl);

  json_t *graph = direct ? NULL : json_array();
  json_t *bl = direct ? NULL : breadcrumb_list(&p, a->title);
  if (bl) json_array_append_new(graph, bl);
  if (direct) {
    /* done above */
  } else if (a->faq && r->nfaq) {
    json_t *qs = json_array();
    for (size_t k = 0; k < r->nfaq; k++)
      json_array_append_new(qs, json_pack("{s:s,s:s,s:{s:s,s:s}}", "@type", "Question",
                                          "name", r->faq[k].question, "acceptedAnswer",
                                          "@type", "Answer", "text", r->faq[k].answer_html));
    json_array_append_new(graph, json_pack("{s:s,s:s,s:o}", "@context", "https://schema.org",
                                           "@type", "FAQPage", "mainEntity", qs));
  } else {
    json_t *art = json_pack("{s:s,s:s,s:s}", "@context", "https://schema.org", "@type",
                            "Article", "headline", a->title);
    if (*a->description) json_object_set_new(art, "description", json_string(a->description));
    if (a->date) json_object_set_new(art, "datePublished", json_string(a->date));
    if (a->updated || a->date)
      json_object_set_new(art, "dateModified", json_string(a->updated ? a->updated : a->date));
    json_array_append_new(graph, art);
  }
  if (!direct) p.jsonld = jsonld_script(graph);

  hg_dict *d = hg_dict_new("article");
  fill_common(d, &p);
  hg_dict_set(d, "ART_TITLE", a->title);
  hg_dict_set(d, "ART_DESCRIPTION", a->description);
  hg_dict_set(d, "CONTENT", r->html ? r->html : "");
  hg_dict_set_int(d, "READING_MINUTES", (long)(r->words + 199) / 200 > 0 ? (long)(r->words + 199) / 200 : 1);
  const char *upd = a->updated ? a->updated : a->date;
  if (upd) {
    hg_dict *hd = hg_dict_add_section(d, "HAS_DATES");
    hg_dict *hu = hg_dict_add_section(hd, "HAS_UPDATED");
    hg_dict_set(hu, "UPDATED_ISO", upd);
    char *txt = hg_i18n_date(in->i18n, upd);
    hg_dict_set(hu, "UPDATED_TEXT", txt);
    free(txt);
  }
  if (r->ntoc >= 2) {
    hg_dict *ht = hg_dict_add_section(d, "HAS_TOC");
    for (size_t k = 0; k < r->ntoc; k++) {
      hg_dict *t = hg_dict_add_section(ht, "TOC");
      hg_dict_set(t, "TOC_ID", r->toc[k].id);
      hg_dict_set(t, "TOC_TEXT", r->toc[k].text);
      hg_dict_set_int(t, "TOC_LEVEL", r->toc[k].level);
    }
  }
  if (a->ntags) {
    hg_dict *ht = hg_dict_add_section(d, "HAS_TAGS");
    for (size_t k = 0; k < a->ntags; k++)
      hg_dict_set(hg_dict_add_section(ht, "TAGS"), "TAG", a->tags[k]);
  }
  const hg_site_node *node = &s->nodes[a->folder];
  if (node->narts > 1 || a->folder != 0) {
    hg_dict *hs = hg_dict_add_section(d, "HAS_SIDEBAR");
    hg_dict_set(hs, "SIDEBAR_TITLE", s->content->folders[a->folder].title);
    set_link(hs, "SIDEBAR_URL", &p, node->url_dir);
    /* a window of SIDEBAR_MAX articles around this one; the section page
     * lists them all */
    size_t pos = 0;
    while (pos < node->narts && node->arts[pos] != i) pos++;
    size_t lo = pos > SIDEBAR_MAX / 2 ? pos - SIDEBAR_MAX / 2 : 0;
    size_t hi = lo + SIDEBAR_MAX < node->narts ? lo + SIDEBAR_MAX : node->narts;
    lo = hi > SIDEBAR_MAX ? hi - SIDEBAR_MAX : 0;
    for (size_t k = lo; k < hi; k++) {
      size_t o = node->arts[k];
      hg_dict *it = hg_dict_add_section(hs, "SIDEBAR");
      hg_dict_set(it, "SIDE_TITLE", s->content->articles[s->arts[o].article].title);
      set_link(it, "SIDE_URL", &p, s->arts[o].url_dir);
      if (o == i) hg_dict_show(it, "IS_CURRENT");
    }
    if (node->narts > hi - lo) {
      hg_dict *m = hg_dict_add_section(hs, "SIDEBAR_MORE");
      hg_dict_set_int(m, "SIDEBAR_TOTAL", (long)node->narts);
    }
  }
  if (sa->prev >= 0) {
    hg_dict *pv = hg_dict_add_section(d, "HAS_PREV");
    hg_dict_set(pv, "PREV_TITLE", s->content->articles[s->arts[sa->prev].article].title);
    set_link(pv, "PREV_URL", &p, s->arts[sa->prev].url_dir);
  }
  if (sa->next >= 0) {
    hg_dict *nx = hg_dict_add_section(d, "HAS_NEXT");
    hg_dict_set(nx, "NEXT_TITLE", s->content->articles[s->arts[sa->next].article].title);
    set_link(nx, "NEXT_URL", &p, s->arts[sa->next].url_dir);
  }
  fill_meta(d, a);
  fill_related(d, &p, i);
  fill_feedback(d, &p, a);
  /* the same blocks for the partials (an include sees only its own values) */
  if (hg_tpl_has(in->theme->tpl, "partials/related.tpl"))
    fill_related(hg_dict_add_include(d, "RELATED_ARTICLES", "partials/related.tpl"), &p, i);
  if (hg_tpl_has(in->theme->tpl, "partials/feedback.tpl"))
    fill_feedback(hg_dict_add_include(d, "FEEDBACK", "partials/feedback.tpl"), &p, a);
  if (in->seo && in->seo->llms) {
    hg_dict_show_global(d, "HAS_MARKDOWN");
    set_global_str(d, "MARKDOWN_URL", "index.md");
  }
  bool ok = expand_write(&p, a->faq ? "faq.tpl" : "article.tpl", d, diags);
  hg_dict_free(d);
  page_done(&p);
  return ok;
}

/* ---- driver ------------------------------------------------------------- */
typedef struct {
  const hg_render_input *in;
  hg_diags *diags; /* one per page */
  size_t *pages;   /* with in->only: the pages to render */
  size_t npages;
} job;

/* home, search and 404 (every language has its own), then folders, articles */
static size_t special_pages(const hg_site *site) {
  (void)site;
  return 3;
}

size_t hg_render_page_count(const hg_site *site) {
  return special_pages(site) + (site->nnodes - 1) + site->narts;
}

static void render_one(void *ctx, size_t i, int worker) {
  job *j = ctx;
  if (j->in->interrupted && *j->in->interrupted) return; /* the build stops */
  const hg_site *s = j->in->site;
  hg_diags *dg = &j->diags[i];
  size_t sp = special_pages(s);
  if (i == 0) render_home(j->in, worker, dg);
  else if (i == 1) render_special(j->in, worker, "search", dg);
  else if (i == 2) render_special(j->in, worker, "404", dg);
  else if (i - sp < s->nnodes - 1) render_node(j->in, worker, i - sp + 1, dg);
  else render_article(j->in, worker, i - sp - (s->nnodes - 1), dg);
}

static void render_listed(void *ctx, size_t i, int worker) {
  job *j = ctx;
  render_one(ctx, j->pages[i], worker);
}

/* A theme asset into the output; CSS and JS minified (hg_minify.h). */
static bool copy_theme_asset(hg_output *out, const hg_asset *a, hg_error **err) {
  size_t len, n;
  const hg_theme_file *f = hg_theme_embedded_get(a->src); /* compiled in */
  char *data, *min = NULL;
  if (f) {
    len = f->len;
    data = hg_xmalloc(len + 1);
    memcpy(data, f->data, len);
    data[len] = '\0';
  } else {
    data = hg_read_file(a->src, &len, err);
  }
  if (!data) return false;
  bool ok = hg_minify_file(a->name, data, len, &min, &n)
                ? hg_output_write(out, a->out_rel, min, n, err)
                : hg_output_write(out, a->out_rel, data, len, err);
  /* a module's classic twin NAME.HASH.classic.js, which pages opened from
   * file:// load instead (footer.tpl's data-hg-file-classic) */
  char *classic = hg_str_has_suffix(a->out_rel, ".js") ? hg_js_classic(data, len, &n) : NULL;
  if (ok && classic) {
    char *rel = hg_strdup_printf("%.*s.classic.js", (int)(strlen(a->out_rel) - 3), a->out_rel);
    char *cmin = hg_minify_js(classic, n, &n);
    ok = hg_output_write(out, rel, cmin, n, err);
    free(cmin);
    free(rel);
  }
  free(classic);
  free(min);
  free(data);
  return ok;
}

static bool copy_assets(const hg_render_input *in, hg_diags *diags) {
  hg_error *err = NULL;
  bool ok = true;
  for (size_t i = 0; ok && i < in->theme->nassets; i++)
    ok = copy_theme_asset(in->out, &in->theme->assets[i], &err);
  const char *brand[2][2] = {{"favicon", in->cfg->favicon}, {"og-image", in->cfg->brand_image}};
  for (int i = 0; i < 2 && ok; i++)
    if (brand[i][1] && !strstr(brand[i][1], "://")) {
      char *src = hg_path_join(in->cfg->site_dir, brand[i][1]);
      char *rel = brand_rel(brand[i][0], brand[i][1]);
      ok = hg_output_copy(in->out, rel, src, &err);
      free(rel);
      free(src);
    }
  if (ok && in->cfg->logo) {
    char *src = hg_path_join(in->cfg->site_dir, in->cfg->logo);
    const char *dot = strrchr(in->cfg->logo, '.');
    char *rel = hg_strdup_printf("assets/logo%s", dot && strlen(dot) < 16 ? dot : "");
    ok = hg_output_copy(in->out, rel, src, &err);
    free(src);
    free(rel);
  }
  const hg_site *s = in->site;
  for (size_t n = 0; ok && n < s->nnodes; n++) {
    const hg_folder *f = &s->content->folders[n];
    for (size_t k = 0; ok && k < f->nassets; k++) {
      char *src = hg_path_join(s->content->content_dir, *f->rel_dir ? f->rel_dir : ".");
      char *full = hg_path_join(src, f->assets[k]);
      char *rel = *s->nodes[n].url_dir ? hg_strdup_printf("%s/%s", s->nodes[n].url_dir, f->assets[k])
                                       : hg_xstrdup(f->assets[k]);
      ok = hg_output_copy(in->out, rel, full, &err);
      free(src);
      free(full);
      free(rel);
    }
  }
  if (!ok) {
    hg_diags_add(diags, HG_ERR, NULL, 0, 0, "%s", err->msg);
    hg_error_free(err);
  }
  return ok;
}

/* The input with theme strings: its own, else the site language's from
 * the theme (*owned is then freed by the caller). */
static hg_render_input with_strings(const hg_render_input *in, hg_i18n **owned,
                                    hg_diags *diags) {
  hg_render_input r = *in;
  *owned = NULL;
  if (!r.i18n)
    r.i18n = *owned = hg_i18n_load(in->theme->builtin_dir, in->theme->site_dir,
                                   in->site->lang, false, diags);
  return r;
}

bool hg_render_site(const hg_render_input *input, hg_diags *diags) {
  hg_i18n *owned;
  hg_render_input rin = with_strings(input, &owned, diags);
  const hg_render_input *in = &rin;
  size_t n = hg_render_page_count(in->site);
  job j = {in, hg_xcalloc(n, sizeof(hg_diags)), NULL, 0};
  if (in->only) { /* pages of the listed articles only, in order */
    size_t first = special_pages(in->site) + (in->site->nnodes - 1);
    j.pages = hg_xcalloc(in->site->narts + 1, sizeof *j.pages);
    for (size_t i = 0; i < in->site->narts; i++)
      if (in->only[i]) j.pages[j.npages++] = first + i;
    hg_parallel_for(j.npages, in->threads, render_listed, &j);
    free(j.pages);
  } else {
    hg_parallel_for(n, in->threads, render_one, &j);
  }
  for (size_t i = 0; i < n; i++) hg_diags_move(diags, &j.diags[i]);
  free(j.diags);
  if (!in->only) copy_assets(in, diags);
  hg_i18n_free(owned);
  return hg_diags_count(diags, HG_ERR) == 0;
}

/* One generated page (a flow page): every value all pages get, then the
 * page's own from the flows stage's data, then template `tpl`. `in` has its
 * strings (with_strings). */
static bool render_flow_page(const hg_render_input *in, const hg_flow_pages *fp, size_t i,
                             hg_diags *diags) {
  const hg_flow_page *fpg = hg_flow_pages_get(fp, i);
  const char *url_dir = fpg->url_dir, *kind = "flow", *tpl = "flow.tpl";
  page p;
  page_init(&p, in, 0, url_dir, kind, fpg->title, fpg->description, -1);
  hg_dict *d = hg_dict_new(kind);
  fill_common(d, &p);
  hg_flow_pages_fill(fp, i, d, p.root);
  bool ok = expand_write(&p, tpl, d, diags);
  hg_dict_free(d);
  page_done(&p);
  return ok;
}

bool hg_render_flows(const hg_render_input *input, hg_diags *diags) {
  const hg_flows *f = input->flows;
  if (!f || !f->n) return true;
  if (!hg_tpl_has(input->theme->tpl, "flow.tpl")) {
    hg_diags_add(diags, HG_ERR, f->flows[0].path, 0, 0,
                 "the theme has no template flow.tpl to render flows with (add the file)");
    return false;
  }
  hg_i18n *owned;
  hg_render_input rin = with_strings(input, &owned, diags);
  hg_flow_pages *fp = hg_flow_pages_new(f, rin.i18n);
  bool ok = true;
  for (size_t i = 0; i < hg_flow_pages_len(fp) && ok; i++)
    ok = render_flow_page(&rin, fp, i, diags);
  hg_flow_pages_free(fp);
  hg_i18n_free(owned);
  return ok;
}
