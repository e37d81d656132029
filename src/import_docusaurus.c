/* import_docusaurus.c - a Docusaurus site's current docs (docs/) into a
 * helpgen content/ tree: front matter mapped (sidebar_position -> weight,
 * id and slug -> slug), _category_.json/.yml -> the folder's _index.md,
 * symlinked pages read as files where they are linked, <Tabs>/<TabItem> ->
 * MkDocs-style `=== "Tab"` tabs and `:::` admonitions kept (the Markdown
 * stage renders both), links to docs by file or by URL rewritten to the new
 * files; MDX imports, exports and JSX components removed and reported by
 * line, versioned_docs/ reported (the current version only). Front matter
 * and _category_ files are read with the build's YAML reader (libyaml). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hg_content.h"
#include "hg_import.h"
#include "hg_markdown.h"
#include "hg_value.h"
#include "hg_walk.h"

typedef struct {
  char *src;    /* path under docs/ ("guides/testing.mdx") */
  char *dst;    /* path under content/ ("guides/testing.md", "guides/_index.md") */
  char *url;    /* its URL on the Docusaurus site, without the base ("docs/guides/testing") */
  hg_article a; /* parsed: meta, body */
  char *text;
  bool ok, folder;
  hg_import_page pg; /* the new file */
  char **aliases;    /* old URLs that redirect here */
  size_t naliases;
} dpage;

typedef struct {
  const hg_import_opts *o;
  const char *out;
  char *docs; /* SOURCE/docs (or SOURCE) */
  hg_import_report *r;
  dpage *v;
  size_t n;
  hg_strmap by_src; /* src -> index */
  hg_strmap by_url; /* url -> index */
  char *base_url;   /* from docusaurus.config.js ("/react-native-gesture-handler/"), or NULL */
  const char *note_path; /* the file notes name: the page, or the partial being included */
} dctx;

static bool is_doc(const char *name) {
  return hg_str_has_suffix(name, ".md") || hg_str_has_suffix(name, ".mdx");
}

/* A file name without its Docusaurus number prefix ("01-intro" -> "intro"). */
static const char *unnumbered(const char *s) {
  const char *q = s;
  while (isdigit((unsigned char)*q)) q++;
  if (q > s && (*q == '-' || *q == '_' || *q == '.') && q[1]) return q + 1;
  return s;
}

static char *stem_of(const char *name) {
  const char *dot = strrchr(name, '.');
  return dot ? hg_xstrndup(name, (size_t)(dot - name)) : hg_xstrdup(name);
}

/* `key: '...'` of docusaurus.config.js (baseUrl, title), read as text (the
 * file is JavaScript; only the first such string literal is taken). */
static char *read_config_str(const char *source, const char *key) {
  char *p = hg_path_join(source, "docusaurus.config.js");
  size_t len;
  char *t = hg_is_file(p) ? hg_read_file(p, &len, NULL) : NULL;
  free(p);
  if (!t) return NULL;
  char *u = NULL, *k = t;
  size_t kl = strlen(key);
  while ((k = strstr(k, key)) && ((k > t && (isalnum((unsigned char)k[-1]) || k[-1] == '_')) ||
                                  (k[kl] != ':' && k[kl] != ' ')))
    k += kl;
  if (k) {
    k += kl;
    while (*k == ' ' || *k == ':' || *k == '\t') k++;
    if (*k == '\'' || *k == '"') {
      char *e = strchr(k + 1, *k);
      if (e) u = hg_xstrndup(k + 1, (size_t)(e - k - 1));
    }
  }
  free(t);
  return u;
}

/* The page a link target names: a file relative to the page (".md",
 * ".mdx") or a URL of the site (root-absolute with or without baseUrl, or
 * relative to the page's URL). -1 when none; -2 when it is no doc link. */
static long link_target(dctx *c, const dpage *p, const char *t, size_t n) {
  if (!n || t[0] == '#' || hg_url_has_scheme(t) || !strncmp(t, "mailto:", 7)) return -2;
  size_t hl = strcspn(t, "#?");
  if (hl > n) hl = n;
  char *path = hg_percent_decode(t, hl);
  long i = -1;
  bool docish = is_doc(path);
  if (path[0] == '/') {
    const char *u = path;
    size_t bl = c->base_url ? strlen(c->base_url) : 0;
    if (bl > 1 && !strncmp(u, c->base_url, bl)) u += bl - 1;
    char *k = hg_path_normalize(u);
    size_t kl = strlen(k);
    while (kl && k[kl - 1] == '/') k[--kl] = '\0';
    i = hg_strmap_get(&c->by_url, k, -1);
    if (i < 0 && !hg_str_has_prefix(k, "docs")) i = -2; /* a static file or another page */
    free(k);
  } else {
    char *dir = hg_path_dirname(p->src);
    char *j = strcmp(dir, ".") ? hg_strdup_printf("%s/%s", dir, path) : hg_xstrdup(path);
    char *k = hg_path_normalize(j);
    i = hg_strmap_get(&c->by_src, k, -1);
    if (i < 0 && !docish) { /* a URL relative to the page's URL */
      char *ud = p->folder ? hg_xstrdup(p->url) : hg_path_dirname(p->url);
      char *uj = hg_strdup_printf("%s/%s", ud, path);
      char *uk = hg_path_normalize(uj);
      size_t ul = strlen(uk);
      while (ul && uk[ul - 1] == '/') uk[--ul] = '\0';
      i = hg_strmap_get(&c->by_url, uk, -1);
      if (i < 0) { /* a file beside the page (image, PDF) */
        char *f = hg_path_join(c->docs, k);
        if (hg_is_file(f) || strchr(hg_path_basename(path), '.')) i = -2;
        free(f);
      }
      free(uk);
      free(uj);
      free(ud);
    }
    free(k);
    free(j);
    free(dir);
  }
  free(path);
  return i;
}

/* Rewrites the link targets of one line "](target)" into b. */
static void put_links(dctx *c, const dpage *p, hg_buf *b, const char *s, size_t n, int line) {
  for (size_t q = 0; q < n;) {
    if (s[q] == '`') { /* inline code */
      size_t r = 0;
      while (q + r < n && s[q + r] == '`') r++;
      const char *z = s + q + r;
      const char *end = NULL;
      while ((z = memchr(z, '`', (size_t)(s + n - z)))) {
        size_t m = 0;
        while (z + m < s + n && z[m] == '`') m++;
        if (m == r) {
          end = z + m;
          break;
        }
        z += m;
      }
      size_t stop = end ? (size_t)(end - s) : q + r;
      hg_buf_append(b, s + q, stop - q);
      q = stop;
      continue;
    }
    if (s[q] == '<' && q + 2 < n &&
        (isupper((unsigned char)s[q + 1]) || (s[q + 1] == '/' && isupper((unsigned char)s[q + 2])))) {
      /* a JSX tag inside a line: the tag goes, the text stays */
      const char *gt = memchr(s + q, '>', n - q);
      const char *sp = s + q + 1 + (s[q + 1] == '/');
      size_t nl = 0;
      while (sp + nl < s + n && (isalnum((unsigned char)sp[nl]) || sp[nl] == '.')) nl++;
      if (gt) {
        if (s[q + 1] != '/')
          hg_import_note_add(c->r, c->note_path, line,
                             "write what it shows as Markdown if readers need it",
                             "JSX component <%.*s%s> removed%s", (int)nl, sp,
                             gt[-1] == '/' ? " /" : "", gt[-1] == '/' ? "" : " (its children kept)");
        q = (size_t)(gt - s) + 1;
        continue;
      }
    }
    if (s[q] == ']' && q + 1 < n && s[q + 1] == '(') {
      size_t st = q + 2, e = st;
      while (e < n && s[e] != ')' && s[e] != ' ') e++;
      if (e < n) {
        long i = link_target(c, p, s + st, e - st);
        if (i >= 0) {
          char *dir = strchr(p->dst, '/') ? hg_path_dirname(p->dst) : hg_xstrdup("");
          char *rel = hg_rel_url(dir, c->v[i].dst);
          size_t hl = strcspn(s + st, "#");
          hg_buf_printf(b, "](%s", rel);
          if (hl < e - st) hg_buf_append(b, s + st + hl, e - st - hl);
          free(rel);
          free(dir);
          q = e;
          continue;
        }
        if (i == -1) { /* the text stays, the link goes */
          hg_import_note_add(c->r, c->note_path, line,
                             "point it at a page of the current docs",
                             "link to '%.*s', which is no page of the current docs: kept as "
                             "text", (int)(e - st), s + st);
          /* drop "[", keep the text: find the matching '[' already in b */
          for (size_t k = b->len; k-- > 0;)
            if (b->data[k] == '[') {
              memmove(b->data + k, b->data + k + 1, b->len - k - 1);
              b->len--;
              b->data[b->len] = '\0';
              break;
            }
          size_t close = e;
          while (close < n && s[close] != ')') close++;
          q = close + 1;
          continue;
        }
      }
    }
    hg_buf_putc(b, s[q++]);
  }
}

/* The end of a JSX tag that opens at s (just after the name): its '>' at
 * brace depth 0 outside strings and template literals, across lines.
 * Returns the offset after '>', and *self for "/>"; 0 if it never ends. */
static size_t jsx_tag_end(const char *s, size_t n, bool *self) {
  int depth = 0;
  char str = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (str) {
      if (ch == '\\') i++;
      else if (ch == str) str = 0;
      continue;
    }
    if (ch == '`' || (depth && (ch == '\'' || ch == '"'))) str = ch;
    else if (ch == '"' && !depth) str = ch;
    else if (ch == '{') depth++;
    else if (ch == '}') depth--;
    else if (ch == '>' && depth <= 0) {
      *self = i && s[i - 1] == '/';
      return i + 1;
    }
  }
  return 0;
}

static int line_at(const char *s, size_t off) {
  int l = 0;
  for (size_t i = 0; i < off; i++) l += s[i] == '\n';
  return l;
}

/* The body: MDX imports, exports, {comments} and JSX components removed and
 * reported, <Tabs>/<TabItem> as === tabs, links rewritten (outside code). */
static void body_conv(dctx *c, dpage *p, const char *s, size_t len, int line0, int depth,
                      const char *file_dir, hg_buf *out) {
  hg_buf b = HG_BUF_INIT;
  char **inames = NULL, **ipaths = NULL; /* import Name from './_partial.md' */
  size_t ni = 0;
  char fence = 0;
  size_t fence_n = 0;
  int tab_indent = -1; /* inside a <TabItem>: the indent its body lines lose */
  bool in_tabs = false;
  for (size_t i = 0; i < len;) {
    size_t e = i;
    while (e < len && s[e] != '\n') e++;
    int line = line0 + line_at(s, i);
    size_t k = i;
    while (k < e && (s[k] == ' ' || s[k] == '\t')) k++;
    size_t ind = k - i;
    size_t run = 0;
    while (k + run < e && (s[k + run] == '`' || s[k + run] == '~') && s[k + run] == s[k]) run++;
    /* inside a tab, its body is indented 4 under `=== "Label"` */
    const char *ls = s + i;
    size_t ll = e - i;
    if (in_tabs && tab_indent >= 0) {
      size_t drop = ind < (size_t)tab_indent ? ind : (size_t)tab_indent;
      ls += drop;
      ll -= drop;
    }
    bool code = fence != 0;
    if (run >= 3 && (!fence || (s[k] == fence && run >= fence_n))) {
      if (!fence) fence = s[k], fence_n = run;
      else fence = 0;
      code = true;
    }
    if (code) {
      if (in_tabs && tab_indent >= 0 && ll) hg_buf_puts(&b, "    ");
      hg_buf_append(&b, ls, ll);
      if (e < len) hg_buf_putc(&b, '\n');
      i = e + 1;
      continue;
    }
    const char *t = s + k;
    size_t tl = e - k;
    if (ind == 0 && ((tl > 7 && !strncmp(t, "import ", 7)) || (tl > 7 && !strncmp(t, "export ", 7)))) {
      /* an ESM statement: up to a line ending the braces it opened */
      int open = 0;
      size_t z = k;
      for (; z < len; z++) {
        if (s[z] == '{' || s[z] == '(' || s[z] == '[') open++;
        else if (s[z] == '}' || s[z] == ')' || s[z] == ']') open--;
        else if (s[z] == '\n' && open <= 0) break;
      }
      /* import Name from '...md': a partial, included where <Name /> is used */
      char name[64], from[512];
      int nn = 0;
      if (t[0] == 'i' && sscanf(t, "import %63[A-Za-z0-9_] from %*[\"']%511[^\"']%n", name, from, &nn) == 2 &&
          is_doc(from)) {
        char *path = hg_str_has_prefix(from, "@site/")
                         ? hg_path_join(c->o->source, from + 6)
                         : hg_strdup_printf("%s/%s%s%s", c->docs, file_dir, *file_dir ? "/" : "", from);
        inames = hg_xrealloc(inames, (ni + 1) * sizeof *inames);
        ipaths = hg_xrealloc(ipaths, (ni + 1) * sizeof *ipaths);
        inames[ni] = hg_xstrdup(name);
        ipaths[ni++] = path;
        i = z + 1;
        continue;
      }
      hg_import_note_add(c->r, c->note_path, line,
                         t[0] == 'i' ? "what it brought in (a component, a partial) is reported "
                                       "where it was used"
                                     : "write the value into the text if readers need it",
                         "MDX %s removed: '%.*s'", t[0] == 'i' ? "import" : "export",
                         (int)(tl > 80 ? 80 : tl), t);
      i = z + 1;
      continue;
    }
    if (tl >= 5 && !strncmp(t, "<Tabs", 5) && (t[5] == ' ' || t[5] == '>')) {
      bool self;
      size_t end = jsx_tag_end(s + k + 5, len - k - 5, &self);
      in_tabs = true;
      tab_indent = -1;
      hg_buf_putc(&b, '\n');
      i = end ? k + 5 + end : e;
      while (i < len && s[i] != '\n') i++;
      i++;
      continue;
    }
    if (tl >= 7 && !strncmp(t, "</Tabs>", 7)) {
      in_tabs = false;
      tab_indent = -1;
      hg_buf_putc(&b, '\n');
      i = e + 1;
      continue;
    }
    if (in_tabs && tl >= 8 && !strncmp(t, "<TabItem", 8)) {
      bool self;
      size_t end = jsx_tag_end(s + k + 8, len - k - 8, &self);
      char *tag = hg_xstrndup(s + k, end ? end + 8 : tl);
      char *label = NULL;
      for (const char *key = "label=", *at = strstr(tag, key); at && !label;) {
        char q = at[6];
        const char *z = q == '"' || q == '\'' ? strchr(at + 7, q) : NULL;
        if (z) label = hg_xstrndup(at + 7, (size_t)(z - at - 7));
        else break;
      }
      if (!label) {
        const char *at = strstr(tag, "value=");
        char q = at ? at[6] : 0;
        const char *z = q == '"' || q == '\'' ? strchr(at + 7, q) : NULL;
        label = z ? hg_xstrndup(at + 7, (size_t)(z - at - 7)) : hg_xstrdup("Tab");
      }
      hg_buf_puts(&b, "=== ");
      hg_import_put_yaml_str(&b, label);
      hg_buf_puts(&b, "\n\n");
      free(label);
      free(tag);
      tab_indent = -2; /* set by the first body line */
      i = end ? k + 8 + end : e;
      while (i < len && s[i] != '\n') i++;
      i++;
      continue;
    }
    if (in_tabs && tl >= 10 && !strncmp(t, "</TabItem>", 10)) {
      hg_buf_putc(&b, '\n');
      tab_indent = -1;
      i = e + 1;
      continue;
    }
    if (in_tabs && tab_indent == -2 && tl) {
      tab_indent = (int)ind;
      ls = s + i + ind;
      ll = e - i - ind;
    }
    if (tl >= 9 && !strncmp(t, "<details", 8) && (t[8] == '>' || t[8] == ' ')) {
      /* <details><summary>Title</summary> ... </details>: a foldable
       * :::details block, which the Markdown stage renders */
      const char *gt = memchr(t, '>', tl);
      size_t j = gt ? (size_t)(gt + 1 - s) : e;
      while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n')) j++;
      char *title = NULL;
      if (j + 9 < len && !strncmp(s + j, "<summary>", 9)) {
        const char *se = strstr(s + j + 9, "</summary>");
        const char *nl = memchr(s + j, '\n', len - j);
        if (se && (!nl || se < nl)) {
          title = hg_xstrndup(s + j + 9, (size_t)(se - (s + j + 9)));
          j = (size_t)(se - s) + 10;
        }
      }
      if (gt && (title || j >= e)) {
        hg_buf_printf(&b, "\n:::details %s\n", title && *title ? title : "Details");
        free(title);
        i = j;
        while (i < len && s[i] != '\n') i++;
        i++;
        continue;
      }
      free(title);
    }
    if (tl >= 10 && !strncmp(t, "</details>", 10)) {
      hg_buf_puts(&b, "\n:::\n");
      i = e + 1;
      continue;
    }
    if (tl >= 3 && !strncmp(t, "{/*", 3)) { /* an MDX comment */
      const char *z = strstr(t, "*/}");
      if (z) {
        i = (size_t)(z - s) + 3;
        while (i < len && s[i] != '\n') i++;
        i++;
        continue;
      }
    }
    if (tl >= 2 && t[0] == '<' && (isupper((unsigned char)t[1]) ||
                                   (t[1] == '/' && tl > 2 && isupper((unsigned char)t[2])))) {
      /* a JSX component: the tag goes (with multi-line props), its children stay */
      size_t nl = 1;
      while (nl < tl && (isalnum((unsigned char)t[nl]) || t[nl] == '.' || t[nl] == '/')) nl++;
      bool self = false;
      size_t end = jsx_tag_end(t + 1, len - k - 1, &self);
      long partial = -1;
      for (size_t q = 0; self && q < ni; q++)
        if (strlen(inames[q]) == nl - 1 && !strncmp(inames[q], t + 1, nl - 1)) partial = (long)q;
      if (end && partial >= 0) {
        size_t pl;
        char *pt = depth < 4 ? hg_read_file(ipaths[partial], &pl, NULL) : NULL;
        if (pt) {
          const char *ps = pt;
          int pline = 1;
          if (!strncmp(pt, "---\n", 4)) { /* its front matter */
            const char *fe = strstr(pt + 4, "\n---");
            if (fe) {
              for (const char *q = pt; q < fe + 4; q++) pline += *q == '\n';
              ps = fe + 4;
              while (*ps && *ps != '\n') ps++;
              if (*ps) ps++;
            }
          }
          const char *saved = c->note_path;
          c->note_path = ipaths[partial];
          char *pdir = hg_path_dirname(ipaths[partial]);
          size_t dl = strlen(c->docs);
          const char *rel = !strncmp(pdir, c->docs, dl) && pdir[dl] == '/' ? pdir + dl + 1 : file_dir;
          hg_buf inc = HG_BUF_INIT;
          body_conv(c, p, ps, strlen(ps), pline, depth + 1, rel, &inc);
          c->note_path = saved;
          free(pdir);
          if (b.len && b.data[b.len - 1] != '\n') hg_buf_putc(&b, '\n');
          hg_buf_append(&b, inc.data ? inc.data : "", inc.len);
          if (inc.len && inc.data[inc.len - 1] != '\n') hg_buf_putc(&b, '\n');
          hg_buf_free(&inc);
          free(pt);
          size_t stop = k + 1 + end;
          while (stop < len && s[stop] != '\n') stop++;
          i = stop + 1;
          continue;
        }
        free(pt);
        hg_import_note_add(c->r, c->note_path, line, "copy its text in",
                           "the partial %s of <%s /> cannot be read%s", ipaths[partial],
                           inames[partial], depth >= 4 ? " (included 4 deep)" : "");
      }
      if (end) {
        if (t[1] != '/')
          hg_import_note_add(c->r, c->note_path, line,
                             "write what it shows as Markdown if readers need it",
                             "JSX component <%.*s%s> removed%s", (int)(nl - 1), t + 1,
                             self ? " /" : "", self ? "" : " (its children kept)");
        size_t stop = k + 1 + end;
        /* the rest of the line after the tag stays */
        while (stop < len && (s[stop] == ' ' || s[stop] == '\t')) stop++;
        if (stop < len && s[stop] == '\n') stop++;
        i = stop;
        continue;
      }
    }
    if (in_tabs && tab_indent >= 0 && ll) hg_buf_puts(&b, "    ");
    put_links(c, p, &b, ls, ll, line);
    if (e < len) hg_buf_putc(&b, '\n');
    i = e + 1;
  }
  for (size_t q = 0; q < ni; q++) free(inames[q]), free(ipaths[q]);
  free(inames);
  free(ipaths);
  hg_buf_append(out, b.data ? b.data : "", b.len);
  hg_buf_free(&b);
}

static char *body_of(dctx *c, dpage *p) {
  hg_buf b = HG_BUF_INIT;
  c->note_path = p->a.path;
  char *dir = hg_path_dirname(p->src);
  body_conv(c, p, p->a.body ? p->a.body : "", p->a.body_len, p->a.body_line + 1, 0,
            strcmp(dir, ".") ? dir : "", &b);
  free(dir);
  return hg_buf_steal(&b);
}

static long weight_of(const hg_value *v) {
  if (v && v->type == HG_V_INT) return (long)v->i;
  if (v && v->type == HG_V_FLOAT) return (long)(v->f * 100);
  return 0;
}

static bool write_str(const char *path, const char *text, size_t len, hg_error **err) {
  char *d = hg_path_dirname(path);
  bool ok = hg_mkdir_p(d, err) && hg_write_file(path, text, len, err);
  free(d);
  return ok;
}

static void make_page(dctx *c, dpage *p) {
  const hg_value *m = p->a.meta;
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "---\n");
  const char *title = hg_value_str(hg_value_get(m, "title"));
  char *h1 = hg_md_first_h1(p->a.body, p->a.body_len);
  if (!title || !*title) title = !h1 || !*h1 ? hg_value_str(hg_value_get(m, "sidebar_label")) : NULL;
  if (!title && (!h1 || !*h1)) title = hg_value_str(hg_value_get(m, "id"));
  if (title && *title) {
    hg_buf_puts(&b, "title: ");
    hg_import_put_yaml_str(&b, title);
    hg_buf_putc(&b, '\n');
  }
  free(h1);
  const char *desc = hg_value_str(hg_value_get(m, "description"));
  if (desc && *desc) {
    hg_buf_puts(&b, "description: ");
    hg_import_put_yaml_str(&b, desc);
    hg_buf_putc(&b, '\n');
  }
  hg_buf_printf(&b, "weight: %ld\n", weight_of(hg_value_get(m, "sidebar_position")));
  /* the page's last URL segment stays: slug, else id */
  const char *slug = hg_value_str(hg_value_get(m, "slug"));
  const char *id = hg_value_str(hg_value_get(m, "id"));
  const char *seg = slug && !strchr(slug, '/') ? slug : id && !strchr(id, '/') ? id : NULL;
  if (slug && strchr(slug, '/'))
    hg_import_note_add(c->r, p->a.path, hg_value_get(m, "slug")->line,
                       "add a redirect from it on your host",
                       "slug '%s' is a path: the page's URL now follows its folder", slug);
  if (seg && !p->folder) {
    char *sl = hg_slugify(seg);
    char *stem = stem_of(hg_path_basename(p->dst));
    char *ss = hg_slugify(stem);
    if (*sl && strcmp(sl, ss)) hg_buf_printf(&b, "slug: %s\n", sl);
    free(ss);
    free(stem);
    free(sl);
  }
  if (!p->folder) {
    const hg_value *tags = hg_value_get(m, "tags"), *kw = hg_value_get(m, "keywords");
    for (int pass = 0; pass < 2; pass++) {
      const hg_value *v = pass ? kw : tags;
      if (!v || v->type != HG_V_LIST || !v->len) continue;
      hg_buf_puts(&b, pass ? "keywords: [" : "tags: [");
      size_t w = 0;
      for (size_t i = 0; i < v->len; i++) {
        const char *sv = hg_value_str(v->items[i]);
        if (!sv) sv = hg_value_str(hg_value_get(v->items[i], "label"));
        if (!sv) continue;
        if (w++) hg_buf_puts(&b, ", ");
        hg_import_put_yaml_str(&b, sv);
      }
      hg_buf_puts(&b, "]\n");
    }
    if (p->naliases) {
      hg_buf_puts(&b, "aliases: [");
      for (size_t i = 0; i < p->naliases; i++) {
        if (i) hg_buf_puts(&b, ", ");
        hg_import_put_yaml_str(&b, p->aliases[i]);
      }
      hg_buf_puts(&b, "]\n");
    }
    const hg_value *dr = hg_value_get(m, "draft"), *un = hg_value_get(m, "unlisted");
    if ((dr && dr->type == HG_V_BOOL && dr->b) || (un && un->type == HG_V_BOOL && un->b))
      hg_buf_puts(&b, "draft: true\n");
  }
  static const char *const mapped[] = {"title", "description", "sidebar_position", "slug", "id",
                                       "tags", "keywords", "draft", "unlisted", "sidebar_label",
                                       "hide_title", "hide_table_of_contents", "pagination_next",
                                       "pagination_prev", "displayed_sidebar", "sidebar_class_name",
                                       "sidebar_custom_props", "custom_edit_url", "toc_min_heading_level",
                                       "toc_max_heading_level", "image", "last_update"};
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

static bool write_page(dctx *c, dpage *p, size_t i, hg_import_page *pages, hg_strmap *by_dst,
                       hg_error **err) {
  char *text = hg_import_fix_anchors(c->r, pages, i, by_dst);
  char *path = hg_strdup_printf("%s/content/%s", c->out, p->dst);
  bool ok = write_str(path, text, strlen(text), err);
  free(path);
  free(text);
  if (ok) c->r->articles += !p->folder, c->r->folders += p->folder;
  return ok;
}

/* _category_.json / _category_.yml: the folder's title, weight and
 * description, unless a page is the folder's own. */
static bool write_category(dctx *c, const char *src, hg_error **err) {
  char *full = hg_path_join(c->docs, src);
  size_t len;
  hg_error *e = NULL;
  char *t = hg_read_file(full, &len, &e);
  hg_value *v = t ? hg_yaml_parse(t, len, full, 0, &e) : NULL;
  bool ok = true;
  if (e) {
    hg_import_note_add(c->r, e->path ? e->path : full, e->line, "fix it: the folder keeps its name",
                       "not read: %s", e->text);
    hg_error_free(e);
  } else {
    char *dir = hg_path_dirname(src);
    char *idx = hg_strdup_printf("%s/_index.md", dir);
    if (hg_strmap_get(&c->by_url, idx, -1) == -1) {
      const char *label = hg_value_str(hg_value_get(v, "label"));
      const hg_value *link = hg_value_get(v, "link");
      const char *desc = hg_value_str(hg_value_get(v, "description"));
      if (!desc) desc = hg_value_str(hg_value_get(link, "description"));
      const char *lt = hg_value_str(hg_value_get(link, "type"));
      if (lt && !strcmp(lt, "doc"))
        hg_import_note_add(c->r, full, hg_value_get(link, "type")->line,
                           "move that page's text into the folder's _index.md if it is the intro",
                           "link: doc '%s': the folder page lists its pages instead",
                           hg_value_str(hg_value_get(link, "id")) ? hg_value_str(hg_value_get(link, "id")) : "");
      hg_buf b = HG_BUF_INIT;
      hg_buf_puts(&b, "---\ntitle: ");
      char *base = hg_xstrdup(hg_path_basename(dir));
      hg_import_put_yaml_str(&b, label ? label : base);
      free(base);
      hg_buf_printf(&b, "\nweight: %ld\n", weight_of(hg_value_get(v, "position")));
      if (desc) {
        hg_buf_puts(&b, "description: ");
        hg_import_put_yaml_str(&b, desc);
        hg_buf_putc(&b, '\n');
      }
      hg_buf_puts(&b, "---\n");
      char *path = hg_strdup_printf("%s/content/%s", c->out, idx);
      if (!hg_is_file(path)) {
        ok = write_str(path, b.data, b.len, err);
        if (ok) c->r->folders++;
      }
      free(path);
      hg_buf_free(&b);
    }
    free(idx);
    free(dir);
  }
  hg_value_free(v);
  free(t);
  free(full);
  return ok;
}

/* Old URL u ("/docs/x", "docs/x/") redirects to page i, unless another page
 * or redirect has it, or page i is a folder page (which takes no aliases). */
static void add_alias(dctx *c, hg_strmap *taken, long i, const char *u, const char *from_path,
                      int line) {
  while (*u == '/') u++;
  char *k = hg_xstrdup(u);
  size_t l = strlen(k);
  while (l && k[l - 1] == '/') k[--l] = '\0';
  dpage *p = &c->v[i];
  if (!*k || hg_strmap_get(taken, k, 0)) {
    if (from_path)
      hg_import_note_add(c->r, from_path, line, "point the old URL at one page only",
                         "redirect from /%s: the URL is taken: not carried over", k);
  } else if (p->folder) {
    if (from_path)
      hg_import_note_add(c->r, from_path, line, "add the redirect on your host",
                         "redirect from /%s to a folder page: helpgen redirects articles only", k);
  } else {
    hg_strmap_put(taken, k, 1);
    p->aliases = hg_xrealloc(p->aliases, (p->naliases + 1) * sizeof *p->aliases);
    p->aliases[p->naliases++] = hg_strdup_printf("/%s/", k);
  }
  free(k);
}

/* Every page's Docusaurus URL, and the client redirects of redirects.json
 * ({"redirects": [{"from", "to"}]}), as aliases. */
static void collect_aliases(dctx *c) {
  hg_strmap taken = {0};
  for (size_t i = 0; i < c->n; i++) /* the new site's URLs are not free */
    if (c->v[i].ok) {
      char *u = hg_xstrdup(c->v[i].dst);
      size_t l = strlen(u);
      if (hg_str_has_suffix(u, "_index.md")) u[l - 9] = '\0';
      else if (l > 3) u[l - 3] = '\0';
      l = strlen(u);
      while (l && u[l - 1] == '/') u[--l] = '\0';
      hg_strmap_put(&taken, u, 1);
      free(u);
    }
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i].ok && !c->v[i].folder) add_alias(c, &taken, (long)i, c->v[i].url, NULL, 0);
  char *rp = hg_path_join(c->o->source, "redirects.json");
  size_t len;
  hg_error *e = NULL;
  char *t = hg_is_file(rp) ? hg_read_file(rp, &len, &e) : NULL;
  hg_value *v = t ? hg_yaml_parse(t, len, rp, 0, &e) : NULL;
  if (e) {
    hg_import_note_add(c->r, rp, e->line, "fix it: its redirects are not carried over",
                       "not read: %s", e->text);
    hg_error_free(e);
  }
  const hg_value *list = hg_value_get(v, "redirects");
  if (!list && v && v->type == HG_V_LIST) list = v;
  for (size_t i = 0; list && list->type == HG_V_LIST && i < list->len; i++) {
    const char *to = hg_value_str(hg_value_get(list->items[i], "to"));
    const hg_value *fromv = hg_value_get(list->items[i], "from");
    int line = list->items[i]->line;
    if (!to || !fromv) continue;
    while (*to == '/') to++;
    char *k = hg_xstrdup(to);
    size_t l = strlen(k);
    while (l && k[l - 1] == '/') k[--l] = '\0';
    long ti = hg_strmap_get(&c->by_url, k, -1);
    free(k);
    size_t nfrom = fromv->type == HG_V_LIST ? fromv->len : 1;
    for (size_t f = 0; f < nfrom; f++) {
      const char *from = hg_value_str(fromv->type == HG_V_LIST ? fromv->items[f] : fromv);
      if (!from) continue;
      if (ti < 0)
        hg_import_note_add(c->r, rp, line, "add the redirect on your host",
                           "redirect from %s to /%s, which is no page of the current docs: not "
                           "carried over", from, to);
      else add_alias(c, &taken, ti, from, rp, line);
    }
  }
  hg_value_free(v);
  free(t);
  free(rp);
  hg_strmap_free(&taken);
}

bool hg_import_docusaurus(const hg_import_opts *o, const char *dir, hg_import_report *r,
                          hg_error **err) {
  dctx c = {0};
  c.o = o;
  c.out = dir;
  c.r = r;
  char *docs = hg_path_join(o->source, "docs");
  c.docs = hg_is_dir(docs) ? docs : (free(docs), hg_xstrdup(o->source));
  c.base_url = read_config_str(o->source, "baseUrl");
  for (size_t i = 0; i < 2; i++) {
    char *sb = hg_path_join(o->source, i ? "sidebars.ts" : "sidebars.js");
    if (hg_is_file(sb))
      hg_import_note_add(r, sb, 0, "set sidebar_position or a _category_ position where the "
                                   "order differs",
                         "the sidebar file is JavaScript, not read: the order comes from "
                         "sidebar_position and _category_ files");
    free(sb);
  }
  /* older versions: the current docs only */
  char *vd = hg_path_join(o->source, "versioned_docs");
  if (hg_is_dir(vd)) {
    char **f = NULL;
    size_t n = 0;
    hg_list_files(vd, &f, &n);
    hg_strmap vers = {0};
    for (size_t i = 0; i < n; i++) {
      char *v = hg_xstrndup(f[i], strcspn(f[i], "/"));
      if (is_doc(f[i])) hg_strmap_put(&vers, v, hg_strmap_get(&vers, v, 0) + 1);
      free(v);
      free(f[i]);
    }
    free(f);
    for (size_t i = 0; i < vers.cap; i++)
      if (vers.keys[i]) {
        char *vp = hg_path_join(vd, vers.keys[i]);
        hg_import_note_add(r, vp, 0,
                           "import that version into its own site if readers still need it",
                           "an older version (%ld pages) not imported: helpgen builds the "
                           "current docs (docs/) only", vers.vals[i]);
        free(vp);
      }
    hg_strmap_free(&vers);
  }
  free(vd);
  char **files = NULL;
  size_t nf = 0;
  /* a link to a page inside the site (versioned_docs/) is read as a file */
  if (!hg_import_list_files(r, c.docs, o->source, &files, &nf, err)) {
    free(c.docs);
    free(c.base_url);
    for (size_t i = 0; i < nf; i++) free(files[i]);
    free(files);
    return false;
  }
  for (size_t i = 0; i < nf; i++) {
    const char *src = files[i];
    char *full = hg_path_join(c.docs, src);
    const char *base = hg_path_basename(src);
    bool partial = base[0] == '_' || strstr(src, "/_") || src[0] == '_';
    if (!strcmp(base, "_category_.json") || !strcmp(base, "_category_.yml") ||
        !strcmp(base, "_category_.yaml")) {
      free(full);
      continue;
    }
    if (is_doc(base) && partial) {
      hg_import_note_add(r, full, 0, "",
                         "a partial (a name starting with '_'), not a page: its text is "
                         "included where a page imports and uses it");
      free(full);
      continue;
    }
    if (!is_doc(base)) {
      if (partial) {
        free(full);
        continue;
      }
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
    dpage *p = &c.v[c.n++];
    memset(p, 0, sizeof *p);
    p->src = hg_xstrdup(src);
    size_t len;
    hg_error *e = NULL;
    p->text = hg_read_file(full, &len, &e);
    /* a symbolic link checked out as a file that holds its target
     * ("../../versioned_docs/version-2.x/x.md"): the target is read */
    if (p->text && len < 512 && is_doc(p->text) && !memchr(p->text, '\n', len) &&
        !strchr(p->text, ' ')) {
      char *fd = hg_path_dirname(full);
      char *target = hg_path_join(fd, p->text);
      size_t tl2;
      char *tt = hg_is_file(target) ? hg_read_file(target, &tl2, NULL) : NULL;
      if (tt) {
        free(p->text);
        p->text = tt;
        len = tl2;
      }
      free(target);
      free(fd);
    }
    p->a.path = full;
    p->a.rel_path = hg_xstrdup(src);
    if (!p->text) {
      hg_import_note_add(r, full, 0, "check the file (a symbolic link to nowhere?)",
                         "cannot be read: %s", e ? e->text : "");
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
    if (!p->ok) continue;
    /* where it goes, and its URL on the Docusaurus site */
    char *pdir = hg_path_dirname(src);
    bool top = !strcmp(pdir, ".");
    char *stem = stem_of(base);
    bool index = !strcasecmp(stem, "index") || !strcasecmp(stem, "readme") ||
                 (!top && !strcmp(stem, hg_path_basename(pdir)));
    if (index && !top) {
      p->dst = hg_strdup_printf("%s/_index.md", pdir);
      p->folder = true;
    } else if (index) {
      p->dst = hg_xstrdup("_index.md");
      p->folder = true;
    } else {
      char *sl = hg_slugify(stem);
      bool reserved = top && (!strcmp(sl, "search") || !strcmp(sl, "assets") || !strcmp(sl, "404"));
      p->dst = top ? hg_strdup_printf("%s%s.md", stem, reserved ? "-page" : "")
                   : hg_strdup_printf("%s/%s.md", pdir, stem);
      if (reserved)
        hg_import_note_add(r, full, 0, "links to it are rewritten",
                           "a name helpgen keeps for itself: written as content/%s", p->dst);
      free(sl);
    }
    const char *slug = hg_value_str(hg_value_get(p->a.meta, "slug"));
    const char *id = hg_value_str(hg_value_get(p->a.meta, "id"));
    if (slug && slug[0] == '/') {
      p->url = hg_xstrdup(slug + 1);
    } else {
      const char *last = slug ? slug : id ? id : unnumbered(stem);
      p->url = p->folder ? (top ? hg_xstrdup("docs") : hg_strdup_printf("docs/%s", pdir))
                         : top ? hg_strdup_printf("docs/%s", last)
                               : hg_strdup_printf("docs/%s/%s", pdir, last);
    }
    size_t ul = strlen(p->url);
    while (ul && p->url[ul - 1] == '/') p->url[--ul] = '\0';
    hg_strmap_put(&c.by_src, src, (long)(c.n - 1));
    hg_strmap_put(&c.by_url, p->url, (long)(c.n - 1));
    if (p->folder) hg_strmap_put(&c.by_url, p->dst, (long)(c.n - 1));
    free(stem);
    free(pdir);
  }
  collect_aliases(&c);
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
  for (size_t i = 0; ok && i < nf; i++) {
    const char *b2 = hg_path_basename(files[i]);
    if (!strcmp(b2, "_category_.json") || !strcmp(b2, "_category_.yml") ||
        !strcmp(b2, "_category_.yaml"))
      ok = write_category(&c, files[i], err);
  }
  if (ok) {
    char *title = read_config_str(o->source, "title");
    hg_buf y = HG_BUF_INIT;
    hg_buf_printf(&y, "# Written by helpgen import docusaurus from %s (see import-report.txt)\n"
                      "title: ", o->source);
    hg_import_put_yaml_str(&y, title && *title ? title : "Help Center");
    hg_buf_putc(&y, '\n');
    free(title);
    char *path = hg_path_join(dir, "helpgen.yaml");
    ok = hg_write_file(path, y.data, y.len, err);
    free(path);
    hg_buf_free(&y);
    r->languages = 1;
  }
  if (ok && !npages) {
    hg_error_set(err, 1, c.docs, 0, 0, "no pages (.md, .mdx) found (is this a Docusaurus site?)");
    ok = false;
  }
  for (size_t i = 0; i < c.n; i++) {
    dpage *p = &c.v[i];
    free(p->src), free(p->dst), free(p->url), free(p->text);
    hg_import_page_clear(&pages[i]);
    for (size_t k = 0; k < p->naliases; k++) free(p->aliases[k]);
    free(p->aliases);
    hg_article_clear(&p->a);
  }
  free(c.v);
  free(pages);
  for (size_t i = 0; i < nf; i++) free(files[i]);
  free(files);
  hg_strmap_free(&by_dst);
  hg_strmap_free(&c.by_src);
  hg_strmap_free(&c.by_url);
  free(c.base_url);
  free(c.docs);
  return ok;
}
