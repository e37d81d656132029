/* import_jekyll.c - a Jekyll site (pages, collections such as _posts/ and
 * _docs/, assets) into a helpgen content/ tree: front matter mapped (order,
 * nav_order, redirect_from, permalink, layout: redirect, published), Liquid
 * variables for the site's address resolved, Liquid tags and kramdown
 * attribute lists reported by line. Front matter is read by content.c (the
 * build's own reader, libyaml underneath); the Markdown by cmark-gfm. */
#include <cmark-gfm.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "hg_content.h"
#include "hg_import.h"
#include "hg_value.h"

typedef struct {
  char *src;      /* path in SOURCE ("_docs/a/b.md") */
  char *dst;      /* path under content/ ("docs/a/b.md", "docs/_index.md") */
  char *old_url;  /* the page's URL on the Jekyll site ("/docs/a/b.html") */
  char *new_url;  /* its URL on the helpgen site ("docs/a/b/") */
  hg_article a;   /* parsed: meta, body */
  char *text;     /* the file, which a.body points into */
  bool ok, redirect;
  char **aliases;
  size_t naliases;
} jpage;

typedef struct {
  const hg_import_opts *o;
  const char *out;
  hg_import_report *r;
  jpage *p;
  size_t n;
  hg_strmap url_ix;   /* new_url and old_url -> page index */
  hg_strmap alias_ix; /* alias -> 1 */
  hg_strmap folder_ix; /* "docs/a/" of every folder of the new site -> 1 */
  hg_value *config;    /* _config.yml, or NULL */
  hg_strmap src_ix;    /* source path of every imported page -> index */
  char *root;          /* the folder of the pages: SOURCE */
} jctx;

/* Jekyll's URL of a page from a permalink pattern (":collection/:path/",
 * "pretty", "date"...): coll "" for a page, path without its extension. */
static char *expand_permalink(const char *pat, const char *coll, const char *path,
                              const char *date) {
  if (!strcmp(pat, "pretty"))
    pat = *coll && !strcmp(coll, "posts") ? "/:categories/:year/:month/:day/:title/" : "/:path/";
  else if (!strcmp(pat, "date"))
    pat = *coll && !strcmp(coll, "posts") ? "/:categories/:year/:month/:day/:title:output_ext"
                                          : "/:path:output_ext";
  else if (!strcmp(pat, "none"))
    pat = "/:categories/:title:output_ext";
  const char *name = hg_path_basename(path);
  char *title = hg_slugify(name);
  hg_buf b = HG_BUF_INIT;
  for (const char *q = pat; *q;) {
    static const char *const keys[] = {":collection", ":path", ":name", ":title", ":output_ext",
                                       ":categories", ":year", ":month", ":day", ":slug"};
    size_t k = 0, kl = 0;
    if (*q == ':')
      for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        kl = strlen(keys[k]);
        if (!strncmp(q, keys[k], kl)) break;
      }
    if (*q != ':' || k == sizeof keys / sizeof keys[0]) {
      hg_buf_putc(&b, *q++);
      continue;
    }
    switch (k) {
    case 0: hg_buf_puts(&b, coll); break;
    case 1: hg_buf_puts(&b, path); break;
    case 2: hg_buf_puts(&b, name); break;
    case 3: case 9: hg_buf_puts(&b, title); break;
    case 4: hg_buf_puts(&b, ".html"); break;
    case 5: break;
    case 6: hg_buf_append(&b, date, *date ? 4 : 0); break;
    case 7: hg_buf_append(&b, *date ? date + 5 : date, *date ? 2 : 0); break;
    case 8: hg_buf_append(&b, *date ? date + 8 : date, *date ? 2 : 0); break;
    }
    q += kl;
  }
  free(title);
  /* "//" from an empty :categories, and a page named index is its folder */
  hg_buf o = HG_BUF_INIT;
  for (size_t i = 0; i < b.len; i++)
    if (!(b.data[i] == '/' && o.len && o.data[o.len - 1] == '/')) hg_buf_putc(&o, b.data[i]);
  hg_buf_free(&b);
  char *u = hg_buf_steal(&o);
  size_t l = strlen(u);
  if (l >= 11 && !strcmp(u + l - 11, "/index.html")) u[l - 10] = '\0';
  else if (l >= 7 && !strcmp(u + l - 7, "/index/")) u[l - 6] = '\0';
  if (u[0] != '/') {
    char *t = hg_strdup_printf("/%s", u);
    free(u);
    u = t;
  }
  return u;
}

static bool is_md(const char *name) {
  return hg_str_has_suffix(name, ".md") || hg_str_has_suffix(name, ".markdown") ||
         hg_str_has_suffix(name, ".mdown") || hg_str_has_suffix(name, ".mdx");
}

/* Folders of a Jekyll site that hold no pages. */
static bool skipped_dir(const char *rel, const char *name) {
  static const char *const skip[] = {"_site", "_layouts", "_includes", "_sass", "_data",
                                     "_plugins", "vendor", "node_modules", ".git", "_drafts"};
  if (name[0] == '.') return true;
  if (strchr(rel, '/')) return false; /* only at the top */
  for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
    if (!strcmp(name, skip[i])) return true;
  return false;
}

/* "docs/2020-01-02-hello.md" -> "hello" (posts); the date goes to *date. */
static char *stem_of(const char *name, char date[11]) {
  const char *dot = strrchr(name, '.');
  char *s = dot ? hg_xstrndup(name, (size_t)(dot - name)) : hg_xstrdup(name);
  date[0] = '\0';
  int y, m, d, k = 0;
  if (strlen(s) > 11 && sscanf(s, "%4d-%2d-%2d-%n", &y, &m, &d, &k) == 3 && k == 11) {
    memcpy(date, s, 10);
    date[10] = '\0';
    memmove(s, s + 11, strlen(s + 11) + 1);
  }
  return s;
}

static void add_page(jctx *j, const char *src_rel) {
  j->p = hg_xrealloc(j->p, (j->n + 1) * sizeof *j->p);
  jpage *p = &j->p[j->n++];
  memset(p, 0, sizeof *p);
  p->src = hg_xstrdup(src_rel);
}

static void walk(jctx *j, const char *rel, int depth) {
  char *dir = *rel ? hg_path_join(j->root, rel) : hg_xstrdup(j->root);
  DIR *d = opendir(dir);
  if (!d) {
    hg_import_note_add(j->r, dir, 0, "check its permissions", "folder cannot be read: skipped");
    free(dir);
    return;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    names = hg_xrealloc(names, (n + 1) * sizeof *names);
    names[n++] = hg_xstrdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, (int (*)(const void *, const void *))strcmp);
  for (size_t i = 0; i < n; i++) {
    char *r2 = *rel ? hg_strdup_printf("%s/%s", rel, names[i]) : hg_xstrdup(names[i]);
    char *full = hg_path_join(dir, names[i]);
    struct stat st;
    if (lstat(full, &st) != 0) {
    } else if (S_ISLNK(st.st_mode)) {
      hg_import_note_add(j->r, full, 0, "copy what it points to into the site if it belongs there",
                         "a symbolic link, not followed");
    } else if (S_ISDIR(st.st_mode)) {
      if (!skipped_dir(rel, names[i])) {
        if (depth < 32) walk(j, r2, depth + 1);
        else hg_import_note_add(j->r, full, 0, "flatten the tree", "folder nested over 32 deep: skipped");
      }
    } else if (S_ISREG(st.st_mode)) {
      add_page(j, r2);
    }
    free(full);
    free(r2);
    free(names[i]);
  }
  free(names);
  free(dir);
}

/* The path under content/: leading '_' of a collection folder dropped,
 * index.md a folder intro, a reserved top-level name renamed. */
/* Appends the folders of src ("_docs/a b/x.md" -> "docs/a-b/") as they are
 * under content/: slugs, a collection's '_' dropped, a reserved top-level
 * name renamed. Returns src's last segment. */
static const char *map_dirs(hg_buf *b, const char *src) {
  const char *p = src;
  for (;;) {
    const char *e = strchr(p, '/');
    if (!e) return p;
    size_t l = (size_t)(e - p);
    char *seg = hg_xstrndup(p[0] == '_' ? p + 1 : p, p[0] == '_' ? l - 1 : l);
    char *slug = hg_slugify(seg);
    if (!b->len && (!strcmp(slug, "assets") || !strcmp(slug, "search") || !strcmp(slug, "404"))) {
      char *t = hg_strdup_printf("%s-files", slug);
      free(slug);
      slug = t;
    }
    hg_buf_printf(b, "%s/", *slug ? slug : "folder");
    free(slug);
    free(seg);
    p = e + 1;
  }
}

static bool has_index(const char *dir) {
  static const char *const names[] = {"index.md", "index.markdown", "README.md", "readme.md"};
  for (size_t i = 0; i < 4; i++) {
    char *f = hg_path_join(dir, names[i]);
    bool yes = hg_is_file(f);
    free(f);
    if (yes) return true;
  }
  return false;
}

/* The path under content/: see map_dirs; index.md a folder intro, and so is
 * "x.md" beside a folder "x/" without one (the folder-note pattern). */
static char *dst_of(jctx *j, const char *src, char date[11]) {
  hg_buf b = HG_BUF_INIT;
  const char *p = map_dirs(&b, src);
  char *stem = stem_of(p, date);
  char *slug = hg_slugify(stem);
  char *sib = hg_strdup_printf("%s/%.*s%s", j->root, (int)(p - src), src, stem);
  if (!strcmp(stem, "index") || !strcmp(stem, "README") || !strcmp(stem, "readme")) {
    hg_buf_puts(&b, "_index.md");
  } else if (!*date && hg_is_dir(sib) && !has_index(sib) && strcasecmp(slug, "search") &&
             strcasecmp(slug, "assets") && strcmp(slug, "404")) {
    hg_buf_printf(&b, "%s/_index.md", *slug ? slug : "page");
  } else {
    char *sl2 = hg_slugify(slug);
    bool reserved = !strcmp(sl2, "search") || !strcmp(sl2, "404") || !strcmp(sl2, "assets");
    free(sl2);
    if (!b.len && reserved) {
      char *shown = hg_path_join(j->root, src);
      hg_import_note_add(j->r, shown, 0,
                         "helpgen has its own page there; the article is now at the new name",
                         "'%s' is a name helpgen keeps for itself: renamed %s-page", stem, slug);
      free(shown);
      char *t = hg_strdup_printf("%s-page", slug);
      free(slug);
      slug = t;
    }
    hg_buf_printf(&b, "%s.md", *slug ? slug : "page");
  }
  free(sib);
  free(slug);
  free(stem);
  return hg_buf_steal(&b);
}

/* A file of the site by its path from the root ("assets/img/a.png"), as it
 * is under content/, or NULL. */
static char *asset_of(jctx *j, const char *path) {
  hg_buf b = HG_BUF_INIT;
  const char *base = map_dirs(&b, path);
  hg_buf_puts(&b, base);
  char *f = hg_strdup_printf("%s/content/%s", j->out, hg_buf_cstr(&b));
  bool yes = hg_is_file(f);
  free(f);
  if (!yes) {
    hg_buf_free(&b);
    return NULL;
  }
  return hg_buf_steal(&b);
}

static char *new_url_of(const char *dst) {
  char *u = hg_xstrdup(dst);
  size_t l = strlen(u);
  if (hg_str_has_suffix(u, "/_index.md")) u[l - 9] = '\0';
  else if (!strcmp(u, "_index.md")) u[0] = '\0';
  else if (hg_str_has_suffix(u, ".md")) strcpy(u + l - 3, "/");
  return u;
}

/* A site path, as an alias: "/x/y/", decoded of the site's base. */
static char *url_key(const char *u) {
  while (*u == '/') u++;
  char *k = hg_xstrndup(u, strcspn(u, "?#"));
  size_t l = strlen(k);
  if (l >= 10 && !strcmp(k + l - 10, "index.html")) k[l - 10] = '\0';
  else if (l > 5 && !strcmp(k + l - 5, ".html")) strcpy(k + l - 5, "/");
  else if (l && k[l - 1] != '/') {
    char *t = hg_strdup_printf("%s/", k);
    free(k);
    k = t;
  }
  return k;
}

static void add_alias(jctx *j, jpage *p, const char *alias, int line) {
  char *k = url_key(alias);
  if (!*k || !strcmp(k, p->new_url)) {
    free(k);
    return;
  }
  const char *raw = alias;
  while (*raw == '/') raw++;
  if (hg_str_has_prefix(raw, "search/") || hg_str_has_prefix(raw, "assets/") ||
      !strcmp(raw, "search") || !strcmp(raw, "assets") || hg_str_has_prefix(raw, "404") ||
      strpbrk(alias, "?#")) {
    hg_import_note_add(j->r, p->a.path, line, "add the redirect on your host if it matters",
                       "the old URL %s is helpgen's own (or has a ?query or #fragment): not "
                       "redirected", alias);
    free(k);
    return;
  }
  long other = hg_strmap_get(&j->url_ix, k, -1);
  if (hg_strmap_get(&j->alias_ix, k, 0) || hg_strmap_get(&j->folder_ix, k, 0) ||
      (other >= 0 && strcmp(j->p[other].new_url, k) == 0)) {
    hg_import_note_add(j->r, p->a.path, line, "point the old URL at one page only",
                       "the old URL /%s is taken (by a page or folder of the new site, or another "
                       "page's redirect): no redirect from it to this page", k);
    free(k);
    return;
  }
  hg_strmap_put(&j->alias_ix, k, 1);
  p->aliases = hg_xrealloc(p->aliases, (p->naliases + 1) * sizeof *p->aliases);
  p->aliases[p->naliases++] = alias[0] == '/' ? hg_xstrdup(alias) : hg_strdup_printf("/%s", alias);
  free(k);
}

/* A relative path as a link target: spaces and parentheses %-escaped. */
static char *link_path(char *rel) {
  hg_buf b = HG_BUF_INIT;
  for (const char *q = rel; *q; q++)
    if (*q == ' ') hg_buf_puts(&b, "%20");
    else if (*q == '(') hg_buf_puts(&b, "%28");
    else if (*q == ')') hg_buf_puts(&b, "%29");
    else hg_buf_putc(&b, *q);
  free(rel);
  return hg_buf_steal(&b);
}

/* Root-absolute link and image targets ("/company/about/", what
 * "{{ site.baseurl }}/..." leaves) that are pages or files of the site
 * become relative paths to their files, which helpgen checks and rewrites;
 * cmark-gfm says which text is a link target. */
typedef struct {
  int line, scol, ecol; /* a link's place (cmark's source positions, 1-based) */
  char *url;
} unlink_edit;

/* The text with each link of `e` replaced by its text ("[a](x.md)" -> "a"),
 * where the place holds such a link. */
static char *apply_unlinks(const char *text, unlink_edit *e, size_t n) {
  hg_buf b = HG_BUF_INIT;
  int line = 1;
  const char *ls = text;
  for (const char *q = text;; q++) {
    if (*q != '\n' && *q) continue;
    size_t len = (size_t)(q - ls);
    char *cur = hg_xstrndup(ls, len);
    for (size_t i = n; i-- > 0;) { /* right to left: earlier columns stay valid */
      if (e[i].line != line || e[i].scol < 1 || (size_t)e[i].ecol > strlen(cur) ||
          e[i].scol > e[i].ecol)
        continue;
      size_t a = (size_t)e[i].scol - 1, z = (size_t)e[i].ecol - 1;
      char *tail = hg_strdup_printf("](%s)", e[i].url);
      size_t tl = strlen(tail);
      if (cur[a] != '[' || z + 1 < tl || strncmp(cur + z + 1 - tl, tail, tl)) {
        free(tail);
        continue;
      }
      char *t = hg_strdup_printf("%.*s%.*s%s", (int)a, cur, (int)(z + 1 - tl - a - 1), cur + a + 1,
                                 cur + z + 1);
      free(cur);
      cur = t;
      free(tail);
    }
    hg_buf_puts(&b, cur);
    free(cur);
    if (!*q) break;
    hg_buf_putc(&b, '\n');
    ls = q + 1;
    line++;
  }
  return hg_buf_steal(&b);
}

typedef struct {
  char *url;
  cmark_node_type type;
  int sl, el, sc, ec; /* source positions (in the body) */
  bool nested; /* inside an indented block (an admonition or a tab's body, which
                  helpgen's Markdown stage reads as Markdown): rewritten, never unlinked */
} found_link;

/* Every link and image target of the Markdown text, also those inside
 * indented blocks (one level: admonition and tab bodies), whose text is
 * parsed again with the whole text after it, for the reference
 * definitions it uses. */
static void find_links(const char *text, const char *whole, bool nested, int depth,
                       found_link **v, size_t *n) {
  cmark_node *doc = cmark_parse_document(text, strlen(text), CMARK_OPT_DEFAULT);
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *nd = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(nd);
    if (ev != CMARK_EVENT_ENTER) continue;
    int flen, foff;
    char fch;
    if (t == CMARK_NODE_CODE_BLOCK && !cmark_node_get_fenced(nd, &flen, &foff, &fch) && depth < 1) {
      /* the whole text after the block, for the reference definitions it uses */
      const char *lit = cmark_node_get_literal(nd);
      if (lit && strchr(lit, '[')) {
        char *both = hg_strdup_printf("%s\n\n%s", lit, whole);
        find_links(both, whole, true, depth + 1, v, n);
        free(both);
      }
      continue;
    }
    if ((t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE) || !cmark_node_get_url(nd)) continue;
    *v = hg_xrealloc(*v, (*n + 1) * sizeof **v);
    found_link *f = &(*v)[(*n)++];
    f->url = hg_xstrdup(cmark_node_get_url(nd));
    f->type = t;
    f->sl = cmark_node_get_start_line(nd);
    f->el = cmark_node_get_end_line(nd);
    f->sc = cmark_node_get_start_column(nd);
    f->ec = cmark_node_get_end_column(nd);
    f->nested = nested;
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
}

static char *fix_root_links(jctx *j, jpage *p, const char *text0) {
  char **from = NULL, **to = NULL;
  size_t n = 0;
  unlink_edit *edits = NULL;
  size_t nedits = 0;
  found_link *fv = NULL;
  size_t nfound = 0;
  find_links(text0, text0, false, 0, &fv, &nfound);
  char *dir = strchr(p->dst, '/') ? hg_path_dirname(p->dst) : hg_xstrdup("");
  for (size_t fi = 0; fi < nfound; fi++) {
    const found_link *F = &fv[fi];
    cmark_node_type t = F->type;
    const char *u = F->url;
    if (!u || !*u || u[0] == '#' || hg_url_has_scheme(u) || (u[0] == '/' && u[1] == '/')) continue;
    size_t pl = strcspn(u, "?#");
    char *path;
    if (u[0] == '/') {
      path = hg_xstrndup(u, pl);
    } else { /* relative to the page's old URL, as the browser read it */
      char *rel0 = hg_xstrndup(u, pl);
      if (hg_str_has_suffix(rel0, ".md") || hg_str_has_suffix(rel0, ".markdown") ||
          hg_str_has_suffix(rel0, ".mdx")) {
        /* a link to a Markdown file: relative to this file in the source */
        char *sd = strchr(p->src, '/') ? hg_path_dirname(p->src) : hg_xstrdup("");
        char *dec = hg_percent_decode(rel0, strlen(rel0));
        char *joined = *sd ? hg_strdup_printf("%s/%s", sd, dec) : hg_xstrdup(dec);
        char *nrm = hg_path_normalize(joined);
        long ti = nrm ? hg_strmap_get(&j->src_ix, nrm, -1) : -1;
        if (ti >= 0) {
          from = hg_xrealloc(from, (n + 1) * sizeof *from);
          to = hg_xrealloc(to, (n + 1) * sizeof *to);
          from[n] = hg_xstrndup(u, pl);
          to[n++] = link_path(hg_rel_url(dir, j->p[ti].dst));
        } else if (t == CMARK_NODE_LINK && !F->nested) {
          int line = F->sl;
          if (line == F->el) {
            edits = hg_xrealloc(edits, (nedits + 1) * sizeof *edits);
            edits[nedits].line = line;
            edits[nedits].scol = F->sc;
            edits[nedits].ecol = F->ec;
            edits[nedits++].url = hg_xstrdup(u);
          }
          hg_import_note_add(j->r, p->a.path, line + p->a.body_line,
                             "link to the page where it is now",
                             "a link to %s, which is no page of this site: its text is kept, "
                             "without the link", u);
        }
        free(nrm);
        free(joined);
        free(dec);
        free(sd);
        free(rel0);
        continue;
      }
      if (!p->old_url) {
        free(rel0);
        continue;
      }
      const char *o = p->old_url;
      size_t bl = strlen(o);
      while (bl && o[bl - 1] != '/') bl--;
      /* the folder of the old URL ("/docs/a/" of "/docs/a/b.html"), without its slashes */
      char *joined = bl > 1 ? hg_strdup_printf("%.*s/%s", (int)(bl - 2), o + 1, rel0)
                            : hg_xstrdup(rel0);
      char *nrm = hg_path_normalize(joined);
      free(joined);
      free(rel0);
      if (!nrm) continue;
      path = hg_strdup_printf("/%s%s", nrm, u[pl - 1] == '/' && !hg_str_has_suffix(nrm, "/") ? "/" : "");
      free(nrm);
      /* relative links that are no page stay as they are (helpgen checks them) */
      char *k0 = url_key(path);
      char *dec0 = hg_percent_decode(path + 1, strlen(path + 1));
      char *as0 = asset_of(j, dec0);
      bool known = hg_strmap_get(&j->url_ix, k0, -1) >= 0 || as0;
      free(as0);
      free(dec0);
      free(k0);
      if (!known) {
        free(path);
        continue;
      }
    }
    char *k = url_key(path);
    long ti = hg_strmap_get(&j->url_ix, k, -1);
    char *rel = NULL;
    if (ti >= 0) {
      rel = link_path(hg_rel_url(dir, j->p[ti].dst));
    } else {
      char *dec = hg_percent_decode(path + 1, strlen(path + 1));
      char *as = strstr(dec, "..") ? NULL : asset_of(j, dec);
      if (as) rel = link_path(hg_rel_url(dir, as));
      free(as);
      free(dec);
    }
    if (rel) {
      from = hg_xrealloc(from, (n + 1) * sizeof *from);
      to = hg_xrealloc(to, (n + 1) * sizeof *to);
      from[n] = hg_xstrndup(u, pl);
      to[n++] = rel;
    } else if (!F->nested) {
      hg_import_note_add(j->r, p->a.path, F->sl + p->a.body_line,
                         "write the path to its file (relative, ending in .md), or a full URL",
                         "a link to %s, which is no page or file of this site", u);
    }
    free(k);
    free(path);
  }
  for (size_t fi = 0; fi < nfound; fi++) free(fv[fi].url);
  free(fv);
  free(dir);
  char *text = apply_unlinks(text0, edits, nedits);
  for (size_t i = 0; i < nedits; i++) free(edits[i].url);
  free(edits);
  hg_buf b = HG_BUF_INIT;
  for (const char *q = text; *q;) {
    size_t hit = n;
    if (q[0] == ']' && q[1] == '(')
      for (size_t i = 0; i < n && hit == n; i++) {
        size_t l = strlen(from[i]);
        char after = q[2 + l];
        if (!strncmp(q + 2, from[i], l) && (after == ')' || after == ' ' || after == '#' ||
                                            after == '?'))
          hit = i;
      }
    size_t skip = 0; /* a reference definition: "[x]: url" */
    if (hit == n && q[0] == ']' && q[1] == ':') {
      const char *d = q + 2;
      while (*d == ' ' || *d == '\t') d++;
      for (size_t i = 0; i < n && hit == n; i++) {
        size_t l = strlen(from[i]);
        char after = d[l];
        if (!strncmp(d, from[i], l) && (after == '\n' || after == ' ' || after == '\t' ||
                                        after == '#' || after == '?' || after == '\0'))
          hit = i, skip = (size_t)(d - q) + l;
      }
    }
    if (hit < n && skip) {
      hg_buf_puts(&b, "]: ");
      hg_buf_puts(&b, to[hit]);
      q += skip;
    } else if (hit < n) {
      hg_buf_puts(&b, "](");
      hg_buf_puts(&b, to[hit]);
      q += 2 + strlen(from[hit]);
    } else {
      hg_buf_putc(&b, *q++);
    }
  }
  for (size_t i = 0; i < n; i++) free(from[i]), free(to[i]);
  free(from);
  free(to);
  free(text);
  return hg_buf_steal(&b);
}

/* Liquid and kramdown constructs in the body, outside code: `{{ site.baseurl }}`
 * and kin are resolved (to the root), the rest reported by line; kramdown
 * attribute lists "{: ...}" are removed and reported. */
static char *body_of(jctx *j, jpage *p) {
  const char *body = p->a.body ? p->a.body : "";
  size_t len = p->a.body_len;
  /* code lines: what cmark-gfm sees as code is left alone */
  cmark_node *doc = cmark_parse_document(body, len, CMARK_OPT_DEFAULT);
  size_t nlines = 1;
  for (size_t i = 0; i < len; i++) nlines += body[i] == '\n';
  char *code = hg_xcalloc(nlines + 2, 1);
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK)
      for (int l = cmark_node_get_start_line(n); l <= cmark_node_get_end_line(n); l++)
        if (l >= 1 && (size_t)l <= nlines) code[l] = 1;
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  hg_buf b = HG_BUF_INIT;
  int line = 1;
  static const char *const vars[] = {"site.baseurl", "site.url", "site.github.url"};
  for (size_t i = 0; i < len;) {
    size_t e = i;
    while (e < len && body[e] != '\n') e++;
    int src_line = line + p->a.body_line;
    if (code[line]) {
      hg_buf_append(&b, body + i, e - i);
    } else {
      for (size_t k = i; k < e;) {
        if (body[k] == '{' && k + 1 < e &&
                   (body[k + 1] == '{' || body[k + 1] == '%')) {
          char close = body[k + 1] == '{' ? '}' : '%';
          const char *end = NULL;
          for (size_t q = k + 2; q + 1 < e + 1 && q + 1 <= e; q++)
            if (body[q] == close && q + 1 < len && body[q + 1] == '}') {
              end = body + q + 2;
              break;
            }
          if (!end) {
            hg_buf_putc(&b, body[k++]);
            continue;
          }
          size_t tl = (size_t)(end - (body + k));
          char *tagtext = hg_xstrndup(body + k, tl);
          char *inner = hg_xstrndup(body + k + 2, tl - 4);
          char *t = inner;
          while (*t == ' ' || *t == '-') t++;
          size_t il = strlen(t);
          while (il && (t[il - 1] == ' ' || t[il - 1] == '-')) t[--il] = '\0';
          bool known = false;
          for (size_t v = 0; close == '}' && v < sizeof vars / sizeof vars[0]; v++)
            if (!strcmp(t, vars[v])) known = true;
          if (known) {
            /* the site's root: links such as {{ site.baseurl }}/docs/x/ become /docs/x/ */
          } else {
            hg_import_note_add(j->r, p->a.path, src_line,
                               close == '}' ? "write the value it printed into the text"
                                            : "replace it with what it produced, or with a hook "
                                              "shortcode (see docs/hooks.md)",
                               "Liquid %s '%s' kept as text", close == '}' ? "output" : "tag",
                               tagtext);
            hg_buf_append(&b, body + k, tl);
          }
          free(tagtext);
          free(inner);
          k += tl;
        } else if (body[k] == '{' && k + 1 < e && body[k + 1] == ':') {
          const char *end = memchr(body + k, '}', e - k);
          if (!end) {
            hg_buf_putc(&b, body[k++]);
            continue;
          }
          size_t tl = (size_t)(end + 1 - (body + k));
          hg_import_note_add(j->r, p->a.path, src_line,
                             "Markdown has no attribute lists: links open in the same tab, and "
                             "classes go through a theme",
                             "kramdown attribute list '%.*s' removed", (int)tl, body + k);
          k += tl;
        } else {
          hg_buf_putc(&b, body[k++]);
        }
      }
    }
    if (e < len) hg_buf_putc(&b, '\n');
    i = e + 1;
    line++;
  }
  free(code);
  char *text = hg_buf_steal(&b);
  char *fixed = fix_root_links(j, p, text);
  free(text);
  return fixed;
}

static void put_list(hg_buf *b, const char *key, char **v, size_t n) {
  if (!n) return;
  hg_buf_printf(b, "%s: [", key);
  for (size_t i = 0; i < n; i++) {
    if (i) hg_buf_puts(b, ", ");
    hg_import_put_yaml_str(b, v[i]);
  }
  hg_buf_puts(b, "]\n");
}

/* Strings of a list value, or of a scalar split on spaces (Jekyll's
 * "tags: a b"). */
static void strings_of(const hg_value *v, char ***out, size_t *n, bool split) {
  if (!v) return;
  if (v->type == HG_V_LIST) {
    for (size_t i = 0; i < v->len; i++) {
      const char *s = hg_value_str(v->items[i]);
      if (!s || !*s) continue;
      *out = hg_xrealloc(*out, (*n + 1) * sizeof **out);
      (*out)[(*n)++] = hg_xstrdup(s);
    }
    return;
  }
  const char *s = hg_value_str(v);
  if (!s) return;
  while (*s) {
    while (*s == ' ' || (*s == ',' && split)) s++;
    size_t l = split ? strcspn(s, " ,") : strlen(s);
    if (!l) break;
    *out = hg_xrealloc(*out, (*n + 1) * sizeof **out);
    (*out)[(*n)++] = hg_xstrndup(s, l);
    s += l;
  }
}

static void free_strings(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

static const char *const mapped[] = {
    "title", "description", "excerpt", "summary", "order", "nav_order", "weight",
    "sidebar_position", "tags", "categories", "category", "keywords", "date", "last_modified_at",
    "updated", "published", "draft", "redirect_from", "redirect_to", "permalink", "layout",
    "aliases", "slug", "promoted", "type", "review_by", "translation_key",
    /* layout and navigation of Jekyll themes, which helpgen's folders replace */
    "has_children", "has_toc", "nav_exclude", "toc", "search_exclude", "render_with_liquid"};

static long weight_of(const hg_value *m) {
  static const char *const keys[] = {"weight", "order", "nav_order", "sidebar_position"};
  for (size_t i = 0; i < 4; i++) {
    const hg_value *v = hg_value_get(m, keys[i]);
    if (v && v->type == HG_V_INT) return (long)v->i;
    if (v && v->type == HG_V_FLOAT) return (long)(v->f * 100);
  }
  return 0;
}

static bool write_page(jctx *j, jpage *p, hg_error **err) {
  const hg_value *m = p->a.meta;
  hg_buf b = HG_BUF_INIT;
  bool folder = hg_str_has_suffix(p->dst, "_index.md");
  hg_buf_puts(&b, "---\ntitle: ");
  hg_import_put_yaml_str(&b, p->a.title);
  const char *desc = hg_value_str(hg_value_get(m, "description"));
  if (!desc) desc = hg_value_str(hg_value_get(m, "excerpt"));
  if (!desc) desc = hg_value_str(hg_value_get(m, "summary"));
  if (desc && *desc) {
    hg_buf_puts(&b, "\ndescription: ");
    hg_import_put_yaml_str(&b, desc);
  }
  long w = weight_of(m);
  hg_buf_printf(&b, "\nweight: %ld\n", w);
  if (!folder) {
    char **tags = NULL, **kw = NULL;
    size_t nt = 0, nk = 0;
    strings_of(hg_value_get(m, "tags"), &tags, &nt, true);
    strings_of(hg_value_get(m, "categories"), &tags, &nt, true);
    strings_of(hg_value_get(m, "category"), &tags, &nt, false);
    strings_of(hg_value_get(m, "keywords"), &kw, &nk, false);
    put_list(&b, "tags", tags, nt);
    put_list(&b, "keywords", kw, nk);
    free_strings(tags, nt);
    free_strings(kw, nk);
    if (p->a.date) hg_buf_printf(&b, "date: %s\n", p->a.date);
    const char *lm = hg_value_str(hg_value_get(m, "last_modified_at"));
    if (p->a.updated) hg_buf_printf(&b, "updated: %s\n", p->a.updated);
    else if (lm && strlen(lm) >= 10 && lm[4] == '-' && lm[7] == '-')
      hg_buf_printf(&b, "updated: %.10s\n", lm);
    const hg_value *pub = hg_value_get(m, "published");
    if (p->a.draft || (pub && pub->type == HG_V_BOOL && !pub->b)) hg_buf_puts(&b, "draft: true\n");
    if (p->a.promoted) hg_buf_puts(&b, "promoted: true\n");
    if (p->a.faq) hg_buf_puts(&b, "type: faq\n");
    if (p->a.review_by) hg_buf_printf(&b, "review_by: %s\n", p->a.review_by);
    put_list(&b, "aliases", p->aliases, p->naliases);
  } else if (p->naliases) {
    hg_import_note_add(j->r, p->a.path, 0, "add the redirect on your host",
                       "folder pages take no aliases: %zu old URL%s of this page not redirected",
                       p->naliases, p->naliases == 1 ? "" : "s");
  }
  const hg_value *par = hg_value_get(m, "parent");
  if (par && hg_value_str(par))
    hg_import_note_add(j->r, p->a.path, par->line,
                       "helpgen's navigation follows folders: move the file into that page's "
                       "folder",
                       "parent: '%s' (theme navigation) kept as a plain key", hg_value_str(par));
  /* other scalar keys stay (themes read them as META_<KEY>) */
  hg_import_put_other_keys(&b, j->r, p->a.path, m, mapped, sizeof mapped / sizeof mapped[0]);
  hg_buf_puts(&b, "---\n");
  char *body = body_of(j, p);
  hg_buf_puts(&b, body);
  free(body);
  char *path = hg_strdup_printf("%s/content/%s", j->out, p->dst);
  bool ok = hg_write_file(path, b.data, b.len, err);
  free(path);
  hg_buf_free(&b);
  if (ok) j->r->articles += !folder, j->r->folders += folder;
  return ok;
}

static void jpage_free(jpage *p) {
  free(p->src), free(p->dst), free(p->old_url), free(p->new_url), free(p->text);
  free_strings(p->aliases, p->naliases);
  hg_article_clear(&p->a);
}

bool hg_import_tree(const hg_import_opts *o, const char *dir, hg_import_report *r,
                    hg_error **err) {
  jctx j = {0};
  j.o = o;
  j.out = dir;
  j.r = r;
  j.root = hg_xstrdup(o->source);
  if (!hg_is_dir(j.root)) {
    hg_error_set(err, 1, j.root, 0, 0, "no such folder (where the %s pages should be)", o->kind);
    free(j.root);
    return false;
  }
  char *cfgp = hg_path_join(o->source, "_config.yml");
  if (hg_is_file(cfgp)) {
    size_t cl;
    hg_error *e = NULL;
    char *ct = hg_read_file(cfgp, &cl, &e);
    if (ct) j.config = hg_yaml_parse(ct, cl, cfgp, 0, &e);
    if (e) {
      hg_import_note_add(r, e->path ? e->path : cfgp, e->line,
                         "fix it: page URLs from its permalinks are not known",
                         "_config.yml not read: %s", e->text);
      hg_error_free(e);
    }
    free(ct);
  }
  free(cfgp);
  walk(&j, "", 0);
  /* read every Markdown page; copy every other file of a content folder */
  size_t pages = 0;
  for (size_t i = 0; i < j.n; i++) {
    jpage *p = &j.p[i];
    char date[11];
    char *full = hg_path_join(j.root, p->src);
    const char *base = hg_path_basename(p->src);
    if (!is_md(base)) {
      bool top = !strchr(p->src, '/');
      if (hg_str_has_suffix(base, ".html") || hg_str_has_suffix(base, ".liquid")) {
        hg_import_note_add(r, full, 0, "write it as Markdown if readers need it",
                           "an HTML page or template, not imported");
      } else if (!(top && (strchr(base, '.') == NULL || hg_str_has_suffix(base, ".yml") ||
                           hg_str_has_suffix(base, ".yaml") || hg_str_has_suffix(base, ".lock") ||
                           hg_str_has_suffix(base, ".gemspec") || !strcmp(base, "CNAME") ||
                           hg_str_has_suffix(base, ".txt") || hg_str_has_suffix(base, ".json") ||
                           hg_str_has_suffix(base, ".js")))) {
        char *dst_rel = dst_of(&j, p->src, date);
        /* dst_of named a Markdown file; the asset keeps its own name */
        char *d = hg_path_dirname(dst_rel);
        char *to = strchr(dst_rel, '/') ? hg_strdup_printf("%s/content/%s/%s", dir, d, base)
                                        : hg_strdup_printf("%s/content/%s", dir, base);
        char *td = hg_path_dirname(to);
        hg_error *e = NULL;
        if (hg_mkdir_p(td, &e) && hg_copy_file(full, to, &e)) r->files++;
        else hg_import_note_add(r, full, 0, "check the disk", "not copied: %s", e ? e->text : "");
        hg_error_free(e);
        free(td);
        free(to);
        free(d);
        free(dst_rel);
      }
      free(full);
      continue;
    }
    size_t len;
    hg_error *e = NULL;
    p->text = hg_read_file(full, &len, &e);
    p->a.path = full; /* the article's now: hg_article_clear frees it */
    p->a.rel_path = hg_xstrdup(p->src);
    if (!p->text) {
      hg_import_note_add(r, full, 0, "check the file", "cannot be read: %s", e ? e->text : "");
      hg_error_free(e);
      continue;
    }
    hg_diags d = {0};
    p->ok = hg_article_parse(&p->a, p->text, len, &d);
    if (!p->ok && p->a.meta && p->a.meta->type == HG_V_MAP) {
      /* a key that means something else to helpgen (a Docusaurus slug
       * "/start"...): dropped, noted, and the rest read again */
      bool dropped = false;
      for (size_t k = 0; k < d.len; k++)
        for (size_t q = 0; d.items[k].sev == HG_ERR && p->a.meta->key_lines &&
                           q < p->a.meta->len; q++)
          if (p->a.meta->key_lines[q] == d.items[k].line &&
              p->a.meta->items[q]->type != HG_V_NULL) {
            hg_import_note_add(r, full, d.items[k].line,
                               "set it again in helpgen's terms (see Front matter in the README)",
                               "%s: '%s' dropped", d.items[k].msg, p->a.meta->keys[q]);
            if (!strcmp(p->a.meta->keys[q], "slug")) { /* its old URL, for an alias */
              const char *sl = hg_value_str(p->a.meta->items[q]);
              if (sl && sl[0] == '/' && !p->old_url) p->old_url = hg_xstrdup(sl);
            }
            p->a.meta->items[q]->type = HG_V_NULL;
            dropped = true;
          }
      if (dropped) {
        hg_diags_free(&d);
        p->ok = hg_article_apply_meta(&p->a, &d);
      }
    }
    for (size_t k = 0; k < d.len; k++)
      if (d.items[k].sev == HG_ERR || !p->ok)
        hg_import_note_add(r, full, d.items[k].line, "fix it in the source and import again",
                           "%s%s", d.items[k].msg, p->ok ? "" : " (the page was not imported)");
    hg_diags_free(&d);
    if (!p->ok) continue;
    pages++;
    p->dst = dst_of(&j, p->src, date);
    p->new_url = new_url_of(p->dst);
    if (!p->a.date && *date) p->a.date = hg_xstrdup(date);
    const char *lay = hg_value_str(hg_value_get(p->a.meta, "layout"));
    p->redirect = (lay && !strcmp(lay, "redirect")) || hg_value_get(p->a.meta, "redirect_to");
    {
      /* the old URL: permalink, else Jekyll's default for a page (path.html)
       * or a post (/YYYY/MM/DD/title.html); other collections' URLs depend on
       * _config.yml, so they need a permalink to be redirected */
      const char *perm = hg_value_str(hg_value_get(p->a.meta, "permalink"));
      /* a collection's permalink in _config.yml, or the site's */
      char *coll = p->src[0] == '_' && strchr(p->src, '/')
                       ? hg_xstrndup(p->src + 1, (size_t)(strchr(p->src, '/') - p->src - 1))
                       : hg_xstrdup("");
      const char *cperm =
          *coll ? hg_value_str(hg_value_get(hg_value_get(hg_value_get(j.config, "collections"), coll),
                                            "permalink"))
                : NULL;
      const char *sperm = hg_value_str(hg_value_get(j.config, "permalink"));
      if (!perm) perm = cperm;
      if (!perm && (!*coll || !strcmp(coll, "posts"))) perm = sperm;
      if (perm) {
        char *path = hg_xstrdup(*coll ? strchr(p->src, '/') + 1 : p->src);
        char *dot = strrchr(path, '.');
        if (dot && !strchr(dot, '/')) *dot = '\0';
        if (!strcmp(coll, "posts")) { /* :path of a post is its title part */
          char *st = stem_of(hg_path_basename(path), date);
          free(path);
          path = st;
        }
        p->old_url = expand_permalink(perm, coll, path, date);
        free(path);
      } else if (p->src[0] != '_') {
        char *noext = hg_strdup_printf("/%s", p->src);
        char *dot = strrchr(noext, '.');
        if (dot) strcpy(dot, ".html");
        const char *b2 = hg_path_basename(noext);
        if (!strcmp(b2, "index.html")) noext[b2 - noext] = '\0';
        p->old_url = noext;
      } else if (hg_str_has_prefix(p->src, "_posts/") && *date) {
        char *stem = stem_of(hg_path_basename(p->src), date);
        p->old_url = hg_strdup_printf("/%.4s/%.2s/%.2s/%s.html", date, date + 5, date + 8, stem);
        free(stem);
      }
      free(coll);
    }
    if (p->a.title_line == 0) { /* no title: from the file name, as Obsidian does */
      free(p->a.title);
      char *stem = stem_of(hg_path_basename(p->src), date);
      for (char *q = stem; *q; q++)
        if (*q == '-' || *q == '_') *q = ' ';
      if (*stem >= 'a' && *stem <= 'z') *stem = (char)(*stem - 32);
      p->a.title = stem;
    }
    if (!p->redirect) {
      hg_strmap_put(&j.src_ix, p->src, (long)i);
      hg_strmap_put(&j.url_ix, p->new_url, (long)i);
      if (p->old_url) {
        char *k = url_key(p->old_url);
        hg_strmap_put(&j.url_ix, k, (long)i);
        free(k);
      }
    }
  }
  for (size_t i = 0; i < j.n; i++)
    for (const char *d = j.p[i].dst, *q = d ? strchr(d, '/') : NULL; q; q = strchr(q + 1, '/')) {
      char *f = hg_strdup_printf("%.*s/", (int)(q - d), d);
      hg_strmap_put(&j.folder_ix, f, 1);
      free(f);
    }
  /* aliases: redirect_from, the old URL, and redirect stubs pointing here */
  for (size_t i = 0; i < j.n; i++) {
    jpage *p = &j.p[i];
    if (!p->ok || p->redirect) continue;
    const hg_value *rf = hg_value_get(p->a.meta, "redirect_from");
    char **from = NULL;
    size_t nf = 0;
    strings_of(rf, &from, &nf, false);
    for (size_t k = 0; k < nf; k++) add_alias(&j, p, from[k], rf->line);
    free_strings(from, nf);
    if (p->old_url && !hg_str_has_suffix(p->dst, "_index.md")) add_alias(&j, p, p->old_url, 0);
  }
  for (size_t i = 0; i < j.n; i++) {
    jpage *p = &j.p[i];
    if (!p->ok || !p->redirect) continue;
    const hg_value *to = hg_value_get(p->a.meta, "redirect_to");
    const char *target = hg_value_str(to);
    if (!target) target = hg_value_str(hg_value_get(p->a.meta, "redirect"));
    long t = -1;
    if (target && !hg_url_has_scheme(target)) {
      char *k = url_key(target);
      t = hg_strmap_get(&j.url_ix, k, -1);
      free(k);
    }
    if (t >= 0 && p->old_url) {
      add_alias(&j, &j.p[t], p->old_url, 0);
    } else {
      hg_import_note_add(r, p->a.path, to ? to->line : 0,
                         "add the redirect on your host, or write the page",
                         "a redirect page to %s, which is no page of this site: not imported",
                         target ? target : "(nowhere)");
    }
  }
  bool ok = true;
  for (size_t i = 0; ok && i < j.n; i++)
    if (j.p[i].ok && !j.p[i].redirect) ok = write_page(&j, &j.p[i], err);
  if (ok) {
    char *cfg = hg_strdup_printf("# Written by helpgen import %s from %s (see "
                                 "import-report.txt)\ntitle: \"Help Center\"\n", o->kind,
                                 o->source);
    char *path = hg_path_join(dir, "helpgen.yaml");
    ok = hg_write_file(path, cfg, strlen(cfg), err);
    free(path);
    free(cfg);
    r->languages = 1;
  }
  if (ok && !pages) {
    hg_error_set(err, 1, j.root, 0, 0, "no Markdown pages found (is this a %s site?)", o->kind);
    ok = false;
  }
  for (size_t i = 0; i < j.n; i++) jpage_free(&j.p[i]);
  free(j.p);
  hg_strmap_free(&j.url_ix);
  hg_strmap_free(&j.alias_ix);
  hg_strmap_free(&j.folder_ix);
  hg_value_free(j.config);
  hg_strmap_free(&j.src_ix);
  free(j.root);
  return ok;
}
