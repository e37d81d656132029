/* import_mkdocs.c - an MkDocs (Material for MkDocs) site into a helpgen
 * content/ tree: docs_dir's pages keep their folders, mkdocs.yml's nav
 * gives the order (weights) and the titles of pages and folders, front
 * matter is kept, pymdownx.snippets' auto_append files are appended,
 * `--8<--` snippet lines are reported. mkdocs.yml is read with the build's
 * YAML reader (libyaml), which takes custom tags (!!python/name:..., !ENV)
 * as plain values. Admonitions (!!! / ???) and content tabs (===) stay as
 * written: the Markdown stage renders them. */
#include <stdlib.h>
#include <string.h>

#include "hg_content.h"
#include "hg_import.h"
#include "hg_markdown.h"
#include "hg_value.h"

typedef struct {
  char *src; /* path under docs_dir ("setup/index.md") */
  char *dst; /* path under content/ ("setup/_index.md") */
  hg_article a;
  char *text;
  bool ok, folder;
  long weight;     /* from the nav's order; 0: not in the nav */
  const char *nav_title; /* borrowed from the config */
  hg_import_page pg;     /* the new file */
} mpage;

typedef struct {
  const hg_import_opts *o;
  const char *out;
  char *docs;
  char *cfg_path;
  hg_import_report *r;
  mpage *v;
  size_t n;
  hg_strmap by_src;
  long order;
  hg_buf append; /* what auto_append adds to every page */
  char **sec_dir;      /* nav sections whose pages are one folder without an index.md */
  const char **sec_title;
  long *sec_weight;
  int *sec_line;
  size_t nsec;
} mctx;

static char *dst_of(const char *src, bool *folder) {
  const char *base = hg_path_basename(src);
  *folder = !strcmp(base, "index.md") || !strcmp(base, "README.md");
  if (!*folder) return hg_xstrdup(src);
  return hg_strdup_printf("%.*s_index.md", (int)(base - src), src);
}

/* The nav: pages get weights in order and their nav titles; a section whose
 * first entry is its folder's index.md titles that folder. */
static void walk_nav(mctx *c, const hg_value *nav, const char *section, int depth) {
  if (!nav || nav->type != HG_V_LIST || depth > 16) return;
  for (size_t i = 0; i < nav->len; i++) {
    const hg_value *it = nav->items[i];
    const char *title = NULL;
    const hg_value *target = it;
    if (it->type == HG_V_MAP && it->len == 1) {
      title = it->keys[0];
      target = it->items[0];
    }
    if (target->type == HG_V_LIST) {
      /* a section is a folder only when its pages are that folder's */
      char *dir = NULL;
      bool one = true, has_index = false;
      for (size_t k = 0; k < target->len; k++) {
        const hg_value *ch = target->items[k];
        if (ch->type == HG_V_MAP && ch->len == 1) ch = ch->items[0];
        const char *cp = hg_value_str(ch);
        if (!cp || hg_url_has_scheme(cp)) continue;
        char *d = hg_path_dirname(cp);
        if (!dir) dir = d;
        else one = one && !strcmp(dir, d), free(d);
        const char *b = hg_path_basename(cp);
        has_index = has_index || !strcmp(b, "index.md") || !strcmp(b, "README.md");
      }
      if (title && one && !has_index && dir && strcmp(dir, ".")) {
        /* the folder gets an _index.md with the section's title */
        c->sec_dir = hg_xrealloc(c->sec_dir, (c->nsec + 1) * sizeof *c->sec_dir);
        c->sec_title = hg_xrealloc(c->sec_title, (c->nsec + 1) * sizeof *c->sec_title);
        c->sec_weight = hg_xrealloc(c->sec_weight, (c->nsec + 1) * sizeof *c->sec_weight);
        c->sec_line = hg_xrealloc(c->sec_line, (c->nsec + 1) * sizeof *c->sec_line);
        c->sec_dir[c->nsec] = hg_xstrdup(dir);
        c->sec_title[c->nsec] = title;
        c->sec_weight[c->nsec] = c->order + 10;
        c->sec_line[c->nsec++] = it->line;
      } else if (title && (!one || !has_index))
        hg_import_note_add(c->r, c->cfg_path, it->line,
                           "move its pages into one folder with an index.md to keep the section",
                           "nav section '%s' %s: helpgen's navigation follows folders", title,
                           !one ? "groups pages of several folders" : "has no index page of its folder");
      free(dir);
      walk_nav(c, target, title, depth + 1);
      continue;
    }
    const char *path = hg_value_str(target);
    if (!path) continue;
    if (hg_url_has_scheme(path)) {
      hg_import_note_add(c->r, c->cfg_path, target->line,
                         "link to it from a page or the theme if readers need it",
                         "nav link to %s (an external page) not carried over", path);
      continue;
    }
    long k = hg_strmap_get(&c->by_src, path, -1);
    if (k < 0) {
      hg_import_note_add(c->r, c->cfg_path, target->line, "fix the nav entry",
                         "nav entry '%s' names no page of the docs", path);
      continue;
    }
    mpage *p = &c->v[k];
    p->weight = (c->order += 10);
    p->nav_title = title ? title : (p->folder && i == 0 ? section : NULL);
  }
}

/* The body, with `--8<--` lines reported and removed, links to index.md
 * pages following them to _index.md, and the auto_append text at the end. */
static char *body_of(mctx *c, mpage *p) {
  const char *s = p->a.body ? p->a.body : "";
  size_t len = p->a.body_len;
  hg_buf b = HG_BUF_INIT;
  char fence = 0;
  int line = p->a.body_line + 1;
  size_t shortcodes = 0, icons = 0;
  int first_sc = 0, first_icon = 0;
  char *dir = hg_path_dirname(p->src);
  char *ddir = strchr(p->dst, '/') ? hg_path_dirname(p->dst) : hg_xstrdup("");
  for (size_t i = 0; i < len; line++) {
    size_t e = i;
    while (e < len && s[e] != '\n') e++;
    size_t k = i;
    while (k < e && (s[k] == ' ' || s[k] == '\t')) k++;
    if (k + 2 < e && (s[k] == '`' || s[k] == '~') && s[k + 1] == s[k] && s[k + 2] == s[k]) {
      fence = fence ? (s[k] == fence ? 0 : fence) : s[k];
      hg_buf_append(&b, s + i, e - i);
    } else if (fence) {
      hg_buf_append(&b, s + i, e - i);
    } else if (s[k] == '#' && e > k && s[e - 1] == '}' && memchr(s + k, '{', e - k)) {
      /* "## Heading { #id .class }": helpgen makes the id from the text;
       * links to the custom id are mapped to it (hg_import_fix_anchors) */
      const char *ob = s + e - 1;
      while (ob > s + k && *ob != '{') ob--;
      const char *hid = memchr(ob, '#', (size_t)(s + e - ob));
      size_t tl = (size_t)(ob - (s + k));
      while (tl && (s[k + tl - 1] == ' ')) tl--;
      size_t hs = k;
      while (hs < k + tl && s[hs] == '#') hs++;
      while (hs < k + tl && s[hs] == ' ') hs++;
      if (hid) {
        size_t il = strcspn(hid + 1, " }");
        p->pg.cid = hg_xrealloc(p->pg.cid, (p->pg.ncid + 1) * sizeof *p->pg.cid);
        p->pg.ctext = hg_xrealloc(p->pg.ctext, (p->pg.ncid + 1) * sizeof *p->pg.ctext);
        p->pg.cid[p->pg.ncid] = hg_xstrndup(hid + 1, il);
        p->pg.ctext[p->pg.ncid++] = hg_xstrndup(s + hs, k + tl - hs);
      }
      hg_buf_append(&b, s + i, k + tl - i);
    } else if (e - k >= 6 && !strncmp(s + k, "--8<--", 6)) {
      hg_import_note_add(c->r, p->a.path, line, "copy the file's text in",
                         "snippet '%.*s' removed (helpgen includes no files)", (int)(e - k),
                         s + k);
    } else {
      /* "[label]: target": the ']' before the ':' */
      size_t def_q = (size_t)-1;
      if (k < e && s[k] == '[') {
        const char *rb = memchr(s + k, ']', e - k);
        if (rb && rb + 1 < s + e && rb[1] == ':') def_q = (size_t)(rb - s);
      }
      for (size_t q = i; q < e;) {
        if (!strncmp(s + q, "<!-- md:", 8)) {
          if (!shortcodes++) first_sc = line;
        } else if (s[q] == ':' && q + 1 < e &&
                   (!strncmp(s + q + 1, "material-", 9) || !strncmp(s + q + 1, "octicons-", 9) ||
                    !strncmp(s + q + 1, "fontawesome-", 12) || !strncmp(s + q + 1, "simple-", 7))) {
          if (!icons++) first_icon = line;
        }
        bool def = q == def_q;
        if ((s[q] == ']' && q + 1 < e && s[q + 1] == '(') || def) {
          /* an inline link "](target)" or a definition "[label]: target" */
          size_t st = q + 2, z;
          while (def && st < e && s[st] == ' ') st++;
          z = st;
          while (z < e && s[z] != ')' && s[z] != ' ') z++;
          size_t hl = st;
          while (hl < z && s[hl] != '#') hl++;
          if ((z < e || def) && hl > st && !memchr(s + st, ':', hl - st) && s[st] != '/') {
            char *t = hg_xstrndup(s + st, hl - st);
            char *j = strcmp(dir, ".") ? hg_strdup_printf("%s/%s", dir, t) : hg_xstrdup(t);
            char *nk = hg_path_normalize(j);
            long ti = hg_strmap_get(&c->by_src, nk, -1);
            if (ti >= 0 && c->v[ti].folder) {
              char *rel = hg_rel_url(ddir, c->v[ti].dst);
              hg_buf_append(&b, s + q, st - q);
              hg_buf_puts(&b, rel);
              free(rel);
              q = hl;
              free(nk), free(j), free(t);
              continue;
            }
            free(nk), free(j), free(t);
          }
        }
        hg_buf_putc(&b, s[q++]);
      }
    }
    if (e < len) hg_buf_putc(&b, '\n');
    i = e + 1;
  }
  if (shortcodes)
    hg_import_note_add(c->r, p->a.path, first_sc, "write what they stood for as text",
                       "%zu '<!-- md:... -->' comment shortcode%s (the site's own hook expanded "
                       "them) dropped as comments", shortcodes, shortcodes == 1 ? "" : "s");
  if (icons)
    hg_import_note_add(c->r, p->a.path, first_icon, "use an image or a Unicode symbol",
                       "%zu icon shortcode%s (:material-...: and the like) kept as text", icons,
                       icons == 1 ? "" : "s");
  if (c->append.len) {
    hg_buf_puts(&b, "\n\n");
    hg_buf_append(&b, c->append.data, c->append.len);
  }
  free(ddir);
  free(dir);
  return hg_buf_steal(&b);
}

static void make_page(mctx *c, mpage *p) {
  const hg_value *m = p->a.meta;
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "---\n");
  const char *title = hg_value_str(hg_value_get(m, "title"));
  char *h1 = hg_md_first_h1(p->a.body, p->a.body_len);
  if (title && *title) {
    hg_buf_puts(&b, "title: ");
    hg_import_put_yaml_str(&b, title);
    hg_buf_putc(&b, '\n');
  } else if (p->nav_title && (!h1 || !*h1 || p->folder)) {
    hg_buf_puts(&b, "title: ");
    hg_import_put_yaml_str(&b, p->nav_title);
    hg_buf_putc(&b, '\n');
  }
  free(h1);
  hg_buf_printf(&b, "weight: %ld\n", p->weight ? p->weight : 100000);
  const hg_value *date = hg_value_get(m, "date");
  if (date && date->type == HG_V_MAP) date = hg_value_get(date, "created");
  const char *ds = hg_value_str(date);
  if (!p->folder && ds && strlen(ds) >= 10) hg_buf_printf(&b, "date: %.10s\n", ds);
  if (!p->folder) {
    const hg_value *lists[] = {hg_value_get(m, "tags"), hg_value_get(m, "categories")};
    size_t w = 0;
    for (size_t l = 0; l < 2; l++)
      for (size_t i = 0; lists[l] && lists[l]->type == HG_V_LIST && i < lists[l]->len; i++) {
        const char *sv = hg_value_str(lists[l]->items[i]);
        if (!sv) continue;
        hg_buf_puts(&b, w++ ? ", " : "tags: [");
        hg_import_put_yaml_str(&b, sv);
      }
    if (w) hg_buf_puts(&b, "]\n");
  }
  static const char *const mapped[] = {"title", "date", "tags", "categories"};
  hg_import_put_other_keys(&b, c->r, p->a.path, m, mapped, sizeof mapped / sizeof mapped[0]);
  hg_buf_puts(&b, "---\n");
  p->pg.src_path = p->a.path;
  p->pg.src_text = p->text;
  p->pg.dst = p->dst;
  p->pg.body = b.len;
  char *body = body_of(c, p);
  hg_buf_puts(&b, body);
  free(body);
  p->pg.md = hg_buf_steal(&b);
  hg_import_page_ids(&p->pg);
}

static bool write_page(mctx *c, mpage *p, size_t i, hg_import_page *pages, const hg_strmap *by_dst,
                       hg_error **err) {
  char *text = hg_import_fix_anchors(c->r, pages, i, by_dst);
  char *path = hg_strdup_printf("%s/content/%s", c->out, p->dst);
  char *d = hg_path_dirname(path);
  bool ok = hg_mkdir_p(d, err) && hg_write_file(path, text, strlen(text), err);
  free(d);
  free(path);
  free(text);
  if (ok) c->r->articles += !p->folder, c->r->folders += p->folder;
  return ok;
}

bool hg_import_mkdocs(const hg_import_opts *o, const char *dir, hg_import_report *r,
                      hg_error **err) {
  mctx c = {0};
  c.o = o;
  c.out = dir;
  c.r = r;
  c.cfg_path = hg_path_join(o->source, "mkdocs.yml");
  if (!hg_is_file(c.cfg_path)) {
    free(c.cfg_path);
    c.cfg_path = hg_path_join(o->source, "mkdocs.yaml");
  }
  hg_value *cfg = NULL;
  size_t cl;
  char *ct = hg_is_file(c.cfg_path) ? hg_read_file(c.cfg_path, &cl, err) : NULL;
  if (!ct) {
    if (!*err)
      hg_error_set(err, 1, c.cfg_path, 0, 0, "no mkdocs.yml (give the folder that holds it)");
    free(c.cfg_path);
    return false;
  }
  cfg = hg_yaml_parse(ct, cl, c.cfg_path, 0, err);
  free(ct);
  if (!cfg) {
    free(c.cfg_path);
    return false;
  }
  const char *dd = hg_value_str(hg_value_get(cfg, "docs_dir"));
  c.docs = hg_path_join(o->source, dd ? dd : "docs");
  /* pymdownx.snippets: auto_append files go at the end of every page */
  const hg_value *exts = hg_value_get(cfg, "markdown_extensions");
  for (size_t i = 0; exts && exts->type == HG_V_LIST && i < exts->len; i++) {
    const hg_value *sn = hg_value_get(exts->items[i], "pymdownx.snippets");
    const hg_value *aa = hg_value_get(sn, "auto_append");
    for (size_t k = 0; aa && aa->type == HG_V_LIST && k < aa->len; k++) {
      const char *f = hg_value_str(aa->items[k]);
      char *fp = f ? hg_path_join(o->source, f) : NULL;
      size_t fl;
      char *ft = fp && hg_is_file(fp) ? hg_read_file(fp, &fl, NULL) : NULL;
      if (ft) {
        hg_buf_append(&c.append, ft, fl);
      } else {
        hg_import_note_add(r, c.cfg_path, aa->items[k]->line, "copy what it held into the pages",
                           "auto_append file '%s' not found", f ? f : "");
      }
      free(ft);
      free(fp);
    }
  }
  char **files = NULL;
  size_t nf = 0;
  if (!hg_import_list_files(r, c.docs, o->source, &files, &nf, err)) {
    for (size_t i = 0; i < nf; i++) free(files[i]);
    free(files);
    free(c.docs);
    free(c.cfg_path);
    hg_buf_free(&c.append);
    hg_value_free(cfg);
    return false;
  }
  for (size_t i = 0; i < nf; i++) {
    const char *src = files[i];
    char *full = hg_path_join(c.docs, src);
    if (!hg_str_has_suffix(src, ".md")) {
      char *to = hg_strdup_printf("%s/content/%s", dir, src);
      char *td = hg_path_dirname(to);
      hg_error *e = NULL;
      if (hg_mkdir_p(td, &e) && hg_copy_file(full, to, &e)) r->files++;
      else hg_import_note_add(r, full, 0, "check the disk", "not copied: %s", e ? e->text : "");
      hg_error_free(e);
      free(td);
      free(to);
      free(full);
      continue;
    }
    c.v = hg_xrealloc(c.v, (c.n + 1) * sizeof *c.v);
    mpage *p = &c.v[c.n++];
    memset(p, 0, sizeof *p);
    p->src = hg_xstrdup(src);
    p->dst = dst_of(src, &p->folder);
    size_t len;
    hg_error *e = NULL;
    p->text = hg_read_file(full, &len, &e);
    p->a.path = full;
    p->a.rel_path = hg_xstrdup(src);
    if (!p->text) {
      hg_import_note_add(r, full, 0, "check the file", "cannot be read: %s", e ? e->text : "");
      hg_error_free(e);
      continue;
    }
    hg_diags d = {0};
    p->ok = hg_article_parse(&p->a, p->text, len, &d);
    for (size_t k = 0; k < d.len; k++)
      if (d.items[k].sev == HG_ERR || !p->ok)
        hg_import_note_add(r, full, d.items[k].line, "fix it in the source and import again",
                           "%s%s", d.items[k].msg, p->ok ? "" : " (the page was not imported)");
    hg_diags_free(&d);
    if (p->ok) hg_strmap_put(&c.by_src, src, (long)(c.n - 1));
  }
  /* dot files of docs_dir that set front matter (blog/.meta.yml) */
  for (size_t i = 0; i < c.n; i++) {
    char *pd = hg_path_dirname(c.v[i].a.path);
    char *meta = hg_path_join(pd, ".meta.yml");
    if (hg_is_file(meta) && hg_strmap_get(&c.by_src, meta, 0) == 0) {
      hg_strmap_put(&c.by_src, meta, -5);
      hg_import_note_add(r, meta, 0, "copy the keys into the pages' front matter if they matter",
                         "front matter for a whole folder (meta plugin) not applied");
    }
    free(meta);
    free(pd);
  }
  walk_nav(&c, hg_value_get(cfg, "nav"), NULL, 0);
  hg_md_init();
  hg_strmap by_dst = {0};
  hg_import_page *pages = hg_xcalloc(c.n ? c.n : 1, sizeof *pages);
  for (size_t i = 0; i < c.n; i++)
    if (c.v[i].ok) {
      make_page(&c, &c.v[i]);
      pages[i] = c.v[i].pg;
      hg_strmap_put(&by_dst, c.v[i].dst, (long)i);
    }
  bool ok = true;
  size_t npages = 0;
  for (size_t i = 0; ok && i < c.n; i++)
    if (c.v[i].ok) ok = write_page(&c, &c.v[i], i, pages, &by_dst, err), npages++;
  for (size_t i = 0; ok && i < c.nsec; i++) {
    char *path = hg_strdup_printf("%s/content/%s/_index.md", dir, c.sec_dir[i]);
    char *pdir = hg_path_dirname(path);
    if (hg_is_file(path)) {
      hg_import_note_add(r, c.cfg_path, c.sec_line[i], "",
                         "nav section '%s': its folder %s has a page already, which keeps its "
                         "title", c.sec_title[i], c.sec_dir[i]);
    } else if (hg_is_dir(pdir)) {
      hg_buf y = HG_BUF_INIT;
      hg_buf_puts(&y, "---\ntitle: ");
      hg_import_put_yaml_str(&y, c.sec_title[i]);
      hg_buf_printf(&y, "\nweight: %ld\n---\n", c.sec_weight[i]);
      ok = hg_write_file(path, y.data, y.len, err);
      if (ok) r->folders++;
      hg_buf_free(&y);
    }
    free(pdir);
    free(path);
  }
  if (ok) {
    const char *name = hg_value_str(hg_value_get(cfg, "site_name"));
    hg_buf y = HG_BUF_INIT;
    hg_buf_printf(&y, "# Written by helpgen import mkdocs from %s (see import-report.txt)\ntitle: ",
                  o->source);
    hg_import_put_yaml_str(&y, name ? name : "Help Center");
    hg_buf_putc(&y, '\n');
    char *path = hg_path_join(dir, "helpgen.yaml");
    ok = hg_write_file(path, y.data, y.len, err);
    free(path);
    hg_buf_free(&y);
    r->languages = 1;
  }
  if (ok && !npages) {
    hg_error_set(err, 1, c.docs, 0, 0, "no pages (.md) found (is docs_dir right?)");
    ok = false;
  }
  for (size_t i = 0; i < c.n; i++) {
    mpage *p = &c.v[i];
    free(p->src), free(p->dst), free(p->text);
    hg_import_page_clear(&pages[i]);
    hg_article_clear(&p->a);
  }
  free(c.v);
  free(pages);
  hg_strmap_free(&by_dst);
  for (size_t i = 0; i < nf; i++) free(files[i]);
  free(files);
  hg_strmap_free(&c.by_src);
  hg_buf_free(&c.append);
  for (size_t i = 0; i < c.nsec; i++) free(c.sec_dir[i]);
  free(c.sec_dir), free(c.sec_title), free(c.sec_weight), free(c.sec_line);
  hg_value_free(cfg);
  free(c.docs);
  free(c.cfg_path);
  return ok;
}
