/* import_obsidian.c - an Obsidian vault into a helpgen content/ tree: notes
 * keep their folders and file names (wikilinks resolve by file name in the
 * Markdown stage, which renders [[...]], ![[...]], callouts, %% %% and
 * ==...==), a note beside a folder of its name (or inside it) becomes that
 * folder's _index.md, aliases: become search keywords (helpgen's aliases:
 * are redirects) and wikilinks to an alias or to a folder note are rewritten
 * to the note, attachments are copied, .obsidian/ is read for the settings
 * that change how notes render. Front matter is read by content.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hg_content.h"
#include "hg_import.h"
#include "hg_markdown.h"
#include "hg_value.h"

typedef struct {
  char *src;    /* path in the vault ("Getting Started/Statuses.md") */
  char *dst;    /* path under content/ ("Getting Started/Statuses/_index.md") */
  char *stem;   /* file name without .md ("Statuses") */
  hg_article a; /* parsed: meta, body */
  char *text;   /* the file, which a.body points into */
  bool ok, folder;
} onote;

typedef struct {
  const hg_import_opts *o;
  const char *out;
  hg_import_report *r;
  onote *v;
  size_t n;
  hg_strmap by_stem;  /* lowercased stem -> index, -2 when several notes have it */
  hg_strmap by_path;  /* lowercased vault path without .md -> index */
  hg_strmap by_alias; /* lowercased alias -> index, -2 when several */
  size_t html;        /* notes with raw HTML */
  bool soft_breaks;   /* strictLineBreaks off: every line break shows */
  hg_strmap by_file;  /* lowercased attachment file name -> index in files */
  char **files;       /* attachments' paths under content/ */
  size_t nfiles;
} octx;

static char *lower(const char *s, size_t n) {
  char *t = hg_xstrndup(s, n);
  for (char *q = t; *q; q++) *q = (char)tolower((unsigned char)*q);
  return t;
}

static void put_name(hg_strmap *m, const char *name, size_t i) {
  char *k = lower(name, strlen(name));
  long had = hg_strmap_get(m, k, -1);
  hg_strmap_put(m, k, had == -1 || had == (long)i ? (long)i : -2);
  free(k);
}

static bool reserved(const char *name, size_t l) {
  char *s = hg_xstrndup(name, l), *slug = hg_slugify(s);
  bool yes = !strcmp(slug, "search") || !strcmp(slug, "assets") || !strcmp(slug, "404");
  free(slug);
  free(s);
  return yes;
}

/* A vault path as it is under content/: a leading '_' of a segment dropped
 * (helpgen skips such names), a reserved top-level name ("search/",
 * "search.md") renamed. */
static char *map_path(const char *src, bool *renamed) {
  hg_buf b = HG_BUF_INIT;
  *renamed = false;
  for (const char *p = src; *p;) {
    size_t l = strcspn(p, "/");
    bool last = !p[l];
    const char *seg = p;
    size_t sl = l;
    while (sl && *seg == '_') seg++, sl--;
    if (!sl) seg = "folder", sl = 6;
    bool top = !b.len;
    if (top && !last && reserved(seg, sl)) {
      hg_buf_append(&b, seg, sl);
      hg_buf_puts(&b, " files");
      *renamed = true;
    } else if (top && last && hg_str_has_suffix(src, ".md") && sl > 3 && reserved(seg, sl - 3)) {
      hg_buf_append(&b, seg, sl - 3);
      hg_buf_puts(&b, " page.md");
      *renamed = true;
    } else {
      hg_buf_append(&b, seg, sl);
    }
    p += l;
    if (*p == '/') {
      hg_buf_putc(&b, '/');
      p++;
    }
  }
  return hg_buf_steal(&b);
}

static bool excluded(const hg_value *publish, const char *src) {
  const hg_value *ex = hg_value_get(publish, "excluded");
  for (size_t i = 0; ex && ex->type == HG_V_LIST && i < ex->len; i++) {
    const char *e = hg_value_str(ex->items[i]);
    size_t l = e ? strlen(e) : 0;
    if (l && !strncmp(src, e, l) && (src[l] == '/' || !src[l] || !strcmp(src + l, ".md")))
      return true;
  }
  return false;
}

/* The settings that change what notes look like. */
static hg_value *read_settings(octx *c) {
  const char *names[] = {"app.json", "publish.json"};
  hg_value *publish = NULL;
  for (size_t i = 0; i < 2; i++) {
    char *p = hg_strdup_printf("%s/.obsidian/%s", c->o->source, names[i]);
    size_t len;
    hg_error *e = NULL;
    char *t = hg_is_file(p) ? hg_read_file(p, &len, &e) : NULL;
    hg_value *v = t ? hg_yaml_parse(t, len, p, 0, &e) : NULL;
    if (e) {
      hg_import_note_add(c->r, p, e->line, "fix the file if its settings matter",
                         "not read: %s", e->text);
      hg_error_free(e);
    }
    if (v && i == 0) {
      const hg_value *slb = hg_value_get(v, "strictLineBreaks");
      c->soft_breaks = !slb || slb->type != HG_V_BOOL || !slb->b;
      if (c->soft_breaks)
        hg_import_note_add(c->r, p, slb ? slb->line : 0,
                           "remove the two spaces where lines should join",
                           "strictLineBreaks is off: Obsidian shows every line break, so lines "
                           "of text followed by another end in two spaces (a hard break)");
      const hg_value *md = hg_value_get(v, "useMarkdownLinks");
      if (md && md->type == HG_V_BOOL && md->b)
        hg_import_note_add(c->r, p, md->line, "",
                           "useMarkdownLinks: new links are Markdown links, which helpgen "
                           "resolves as written (relative to the note)");
    }
    if (i == 1) publish = v;
    else hg_value_free(v);
    free(t);
    free(p);
  }
  char *css = hg_path_join(c->o->source, "publish.css");
  if (hg_is_file(css))
    hg_import_note_add(c->r, css, 0, "carry the rules into a theme (see Themes in the README)",
                       "Obsidian Publish styles not imported");
  free(css);
  char *js = hg_path_join(c->o->source, "publish.js");
  if (hg_is_file(js))
    hg_import_note_add(c->r, js, 0, "carry what it does into a theme or a hook",
                       "Obsidian Publish script not imported");
  free(js);
  char *pl = hg_strdup_printf("%s/.obsidian/plugins", c->o->source);
  if (hg_is_dir(pl))
    hg_import_note_add(c->r, pl, 0, "their blocks (dataview, tasks...) show as code",
                       "community plugins are not run");
  free(pl);
  return publish;
}

/* The note a wikilink target names, by path, then file name, then alias;
 * -1 when none. Several notes of one name: the one in the linking note's
 * folder, else the one with the shortest path (*ambiguous set). */
static long find_note(octx *c, const onote *from, const char *target, size_t tl,
                      bool *by_alias, bool *ambiguous) {
  *by_alias = *ambiguous = false;
  if (tl > 3 && !strncmp(target + tl - 3, ".md", 3)) tl -= 3;
  char *k = lower(target, tl);
  long i = hg_strmap_get(&c->by_path, k, -1);
  if (i < 0) i = hg_strmap_get(&c->by_stem, k, -1);
  if (i == -2) {
    *ambiguous = true;
    size_t fl = strlen(from->src) - strlen(hg_path_basename(from->src));
    long best = -1;
    for (size_t j = 0; j < c->n; j++) {
      if (!c->v[j].ok || strcasecmp(c->v[j].stem, k)) continue;
      size_t jl = strlen(c->v[j].src) - strlen(hg_path_basename(c->v[j].src));
      if (jl == fl && !strncmp(c->v[j].src, from->src, fl)) {
        best = (long)j;
        break;
      }
      if (best < 0 || strlen(c->v[j].src) < strlen(c->v[best].src)) best = (long)j;
    }
    i = best;
  }
  if (i == -1) {
    i = hg_strmap_get(&c->by_alias, k, -1);
    if (i >= 0) *by_alias = true;
    if (i == -2) *ambiguous = true, i = -1;
  }
  free(k);
  return i;
}

/* The name a wikilink to note t is written with so that the Markdown stage
 * finds t: its file name when that is unique, else its path. */
static char *link_name(octx *c, const onote *t) {
  char *k = lower(t->stem, strlen(t->stem));
  long i = hg_strmap_get(&c->by_stem, k, -1);
  free(k);
  const char *base = hg_path_basename(t->dst);
  if (i >= 0 && strlen(base) == strlen(t->stem) + 3 && !strncmp(base, t->stem, strlen(t->stem)))
    return hg_xstrdup(t->stem);
  return hg_xstrndup(t->dst, strlen(t->dst) - 3);
}

/* Rewrites one [[...]] (inner: between the brackets) into b. */
static void put_wikilink(octx *c, const onote *p, hg_buf *b, bool embed, const char *in,
                         size_t len, int line) {
  size_t tl = 0;
  while (tl < len && in[tl] != '|' && in[tl] != '#') tl++;
  bool esc_bar = tl && tl < len && in[tl] == '|' && in[tl - 1] == '\\';
  size_t name_l = esc_bar ? tl - 1 : tl;
  const char *rest = in + name_l;
  size_t rest_l = len - name_l;
  if (name_l == 0 || memchr(in, '^', len)) { /* [[#Heading]] and block references */
    if (memchr(in, '^', len))
      hg_import_note_add(c->r, p->a.path, line, "link to the heading above the block instead",
                         "block reference [[%.*s]] kept as written (helpgen has no block ids)",
                         (int)len, in);
    hg_buf_puts(b, embed ? "![[" : "[[");
    hg_buf_append(b, in, len);
    hg_buf_puts(b, "]]");
    return;
  }
  bool alias, amb;
  long t = find_note(c, p, in, name_l, &alias, &amb);
  const char *dot = memchr(in, '.', name_l);
  if (t < 0 && dot && !(name_l > 3 && !strncmp(in + name_l - 3, ".md", 3))) {
    /* an attachment, found by its name anywhere in the vault as Obsidian
     * does: a Markdown image or link to its path (media by extension) */
    char *nm = hg_xstrndup(in, name_l);
    char *lk = lower(hg_path_basename(nm), strlen(hg_path_basename(nm)));
    long f = hg_strmap_get(&c->by_file, lk, -1);
    free(lk);
    free(nm);
    if (f >= 0) {
      char *dir = strchr(p->dst, '/') ? hg_path_dirname(p->dst) : hg_xstrdup("");
      char *rel = hg_rel_url(dir, c->files[f]);
      const char *bar = memchr(in, '|', len);
      /* ![[a.png|300]] is a width, ![[a.png|text]] the alt text */
      bool width = bar && bar[1] >= '0' && bar[1] <= '9';
      if (bar && !embed && !width) hg_buf_putc(b, '[');
      else hg_buf_puts(b, embed ? "![" : "[");
      if (bar && !width) hg_buf_append(b, bar + 1, (size_t)(in + len - bar - 1));
      else if (!embed) hg_buf_append(b, in, name_l);
      hg_buf_printf(b, "](<%s>)", rel);
      if (width)
        hg_import_note_add(c->r, p->a.path, line, "size it in the theme if it matters",
                           "image width in ![[%.*s]] dropped", (int)len, in);
      free(rel);
      free(dir);
      return;
    }
  }
  if (t < 0) {
    if (!dot || (name_l > 3 && !strncmp(in + name_l - 3, ".md", 3)))
      hg_import_note_add(c->r, p->a.path, line, "write the note, or remove the link",
                         "[[%.*s]] names no note of the vault%s: it shows as an unresolved link",
                         (int)name_l, in, amb ? " (several notes have that alias)" : "");
    hg_buf_puts(b, embed ? "![[" : "[[");
    hg_buf_append(b, in, len);
    hg_buf_puts(b, "]]");
    return;
  }
  const onote *tn = &c->v[t];
  if (tn->folder) { /* a folder page is no article the wikilink index holds */
    char *dir = strchr(p->dst, '/') ? hg_path_dirname(p->dst) : hg_xstrdup("");
    char *rel = hg_rel_url(dir, tn->dst);
    const char *label = NULL;
    size_t ll = 0;
    const char *bar = memchr(in, '|', len);
    if (bar) label = bar + 1, ll = (size_t)(in + len - label);
    else label = tn->stem, ll = strlen(tn->stem);
    if (embed)
      hg_import_note_add(c->r, p->a.path, line, "copy the text in if it must show here",
                         "![[%.*s]] embeds a folder's page: now a link to it", (int)name_l, in);
    if (rest_l && *rest == '#')
      hg_import_note_add(c->r, p->a.path, line, "",
                         "[[%.*s]] links to a heading of a folder's page: now to the page",
                         (int)len, in);
    hg_buf_putc(b, '[');
    for (size_t i = 0; i < ll; i++) {
      if (label[i] == '[' || label[i] == ']') hg_buf_putc(b, '\\');
      hg_buf_putc(b, label[i]);
    }
    hg_buf_printf(b, "](<%s>)", rel);
    free(rel);
    free(dir);
    return;
  }
  char *name = link_name(c, tn);
  bool same = strlen(name) == name_l && !strncasecmp(name, in, name_l);
  if (!same && alias)
    hg_import_note_add(c->r, p->a.path, line, "",
                       "[[%.*s]] names an alias: now written [[%s]]", (int)name_l, in, name);
  else if (!same && amb)
    hg_import_note_add(c->r, p->a.path, line, "check it is the note you meant",
                       "[[%.*s]] fits several notes: now written [[%s]]", (int)name_l, in,
                       name);
  hg_buf_puts(b, embed ? "![[" : "[[");
  if (same) hg_buf_append(b, in, name_l);
  else hg_buf_puts(b, name);
  /* [[Alias]] keeps showing the alias as its text */
  if (!same && !memchr(rest, '|', rest_l)) {
    hg_buf_append(b, rest, rest_l);
    hg_buf_puts(b, "|");
    hg_buf_append(b, in, name_l);
  } else {
    /* a heading with code ([[Note#`id`|...]]): the backticks would end
     * the wikilink in the Markdown parser; the heading's text is matched
     * without them */
    const char *bar = memchr(rest, '|', rest_l);
    size_t hl = bar ? (size_t)(bar - rest) : rest_l;
    if (bar && bar > rest && bar[-1] == '\\') hl--;
    for (size_t i = 0; i < hl; i++)
      if (rest[i] != '`') hg_buf_putc(b, rest[i]);
    hg_buf_append(b, rest + hl, rest_l - hl);
  }
  hg_buf_puts(b, "]]");
  free(name);
}

/* A Markdown link's target "(Filters)" or "(Some%20note.md#x)" that names a
 * note by name, as Obsidian resolves it, becomes the path to its file. On
 * success appends "](<path>)" to b, adds the target's length to *q and
 * returns true. */
static bool md_link(octx *c, const onote *p, hg_buf *b, const char *t, size_t n, size_t *q) {
  size_t l = 0;
  while (l < n && t[l] != ')' && t[l] != ' ' && t[l] != '<' && t[l] != '(') l++;
  if (!l || l == n || t[l] != ')' || t[0] == '#' || t[0] == '/' || memchr(t, ':', l))
    return false;
  size_t hl = 0;
  while (hl < l && t[hl] != '#') hl++;
  char *name = hg_percent_decode(t, hl);
  char *pdir = hg_path_dirname(p->src);
  char *rel = strcmp(pdir, ".") ? hg_strdup_printf("%s/%s", pdir, name) : hg_xstrdup(name);
  char *full = hg_path_join(c->o->source, rel);
  bool exists = hg_is_file(full) || hg_is_dir(full);
  bool alias, amb;
  long i = exists || strchr(name, '/') ? -1 : find_note(c, p, name, strlen(name), &alias, &amb);
  free(full);
  free(rel);
  free(pdir);
  free(name);
  if (i < 0) return false;
  char *dir = strchr(p->dst, '/') ? hg_path_dirname(p->dst) : hg_xstrdup("");
  char *to = hg_rel_url(dir, c->v[i].dst);
  hg_buf_printf(b, "](<%s%.*s>)", to, (int)(l - hl), t + hl);
  free(to);
  free(dir);
  *q += l + 1;
  return true;
}

/* The body with its wikilinks rewritten where needed (outside code). */
static char *body_of(octx *c, const onote *p, bool *html) {
  const char *s = p->a.body ? p->a.body : "";
  size_t len = p->a.body_len;
  hg_buf b = HG_BUF_INIT;
  char fence = 0;
  size_t fence_n = 0;
  int line = p->a.body_line + 1;
  for (size_t i = 0; i < len;) {
    size_t e = i;
    while (e < len && s[e] != '\n') e++;
    size_t k = i;
    while (k < e && (s[k] == ' ' || s[k] == '\t' || s[k] == '>')) k++;
    size_t run = 0;
    while (k + run < e && (s[k + run] == '`' || s[k + run] == '~') && s[k + run] == s[k]) run++;
    if (run >= 3 && (!fence || (s[k] == fence && run >= fence_n))) {
      if (!fence) {
        fence = s[k], fence_n = run;
        const char *info = s + k + run;
        size_t il = (size_t)(s + e - info);
        static const char *const plug[] = {"dataview", "dataviewjs", "tasks", "query"};
        for (size_t q = 0; q < 4; q++) {
          size_t pl = strlen(plug[q]);
          if (il >= pl && !strncmp(info, plug[q], pl) && (il == pl || info[pl] == ' '))
            hg_import_note_add(c->r, p->a.path, line, "write out what it listed if readers need it",
                               "a '%s' plugin query: shown as code", plug[q]);
        }
      } else {
        fence = 0;
      }
      hg_buf_append(&b, s + i, e - i);
    } else if (fence) {
      hg_buf_append(&b, s + i, e - i);
    } else {
      for (size_t q = i; q < e;) {
        if (s[q] == '`') { /* an inline code span stays as it is */
          size_t r = 0;
          while (q + r < e && s[q + r] == '`') r++;
          size_t z = q + r;
          for (; z + r <= e; z++) {
            size_t m = 0;
            while (z + m < e && s[z + m] == '`') m++;
            if (m == r) break;
            if (m) z += m - 1;
          }
          size_t end = z + r <= e ? z + r : q + r;
          hg_buf_append(&b, s + q, end - q);
          q = end;
          continue;
        }
        bool embed = s[q] == '!' && q + 2 < e && s[q + 1] == '[' && s[q + 2] == '[';
        size_t o = q + (embed ? 1 : 0);
        if (o + 1 < e && s[o] == '[' && s[o + 1] == '[') {
          const char *close = NULL;
          for (size_t z = o + 2; z + 1 < e; z++)
            if (s[z] == ']' && s[z + 1] == ']') {
              close = s + z;
              break;
            } else if (s[z] == '[') {
              break;
            }
          if (close) {
            put_wikilink(c, p, &b, embed, s + o + 2, (size_t)(close - (s + o + 2)), line);
            q = (size_t)(close - s) + 2;
            continue;
          }
        }
        if (s[q] == ']' && q + 1 < e && s[q + 1] == '(' && md_link(c, p, &b, s + q + 2,
                                                                   e - q - 2, &q)) {
          q += 2;
          continue;
        }
        if (s[q] == '<' && q + 1 < e && (isalpha((unsigned char)s[q + 1]) || s[q + 1] == '/') &&
            !*html) {
          *html = true;
          hg_import_note_add(c->r, p->a.path, line, "check the HTML if you turn it off",
                             "raw HTML: kept, with markdown.unsafe: true in helpgen.yaml");
        }
        if (s[q] == '<' && q + 1 < e && s[q + 1] == '%')
          hg_import_note_add(c->r, p->a.path, line, "fill it in: helpgen runs no templates",
                             "Templater tag kept as text");
        hg_buf_putc(&b, s[q++]);
      }
    }
    /* Obsidian without strict line breaks: a line of text followed by
     * another keeps its break (trailing spaces end a block harmlessly) */
    if (c->soft_breaks && !fence && e < len && e > i && s[e - 1] != ' ' && s[e - 1] != '\\' &&
        s[i] != ' ' && s[i] != '\t' && s[i] != '|' && s[i] != '#' && s[i] != '<' &&
        strncmp(s + i, "$$", 2) && !(run >= 3) && !memchr(s + i, '[', e - i > 3 ? 3 : e - i)) {
      size_t n2 = e + 1;
      if (n2 < len && s[n2] != '\n' && s[n2] != ' ' && s[n2] != '\t' && s[n2] != '|' &&
          s[n2] != '`' && s[n2] != '~' && s[n2] != '#')
        hg_buf_puts(&b, "  ");
    }
    if (e < len) hg_buf_putc(&b, '\n');
    i = e + 1;
    line++;
  }
  return hg_buf_steal(&b);
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

/* Strings of a list, or of a scalar split at commas and spaces. */
static void strings_of(const hg_value *v, char ***out, size_t *n, bool split) {
  if (!v) return;
  size_t cnt = v->type == HG_V_LIST ? v->len : 1;
  for (size_t i = 0; i < cnt; i++) {
    const char *s = hg_value_str(v->type == HG_V_LIST ? v->items[i] : v);
    while (s && *s) {
      while (*s == ' ' || (split && *s == ',')) s++;
      if (*s == '#') s++;
      size_t l = split ? strcspn(s, " ,") : strlen(s);
      if (!l) break;
      *out = hg_xrealloc(*out, (*n + 1) * sizeof **out);
      (*out)[(*n)++] = hg_xstrndup(s, l);
      s += l;
    }
  }
}

static void free_strings(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

static bool write_note(octx *c, onote *p, hg_error **err) {
  const hg_value *m = p->a.meta;
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "---\n");
  const char *title = hg_value_str(hg_value_get(m, "title"));
  char *h1 = hg_md_first_h1(p->a.body, p->a.body_len);
  if ((title && *title) || p->folder || !h1 || !*h1) { /* Obsidian's title is the file name */
    hg_buf_puts(&b, "title: ");
    hg_import_put_yaml_str(&b, title && *title ? title : p->stem);
    hg_buf_putc(&b, '\n');
  }
  free(h1);
  const char *desc = hg_value_str(hg_value_get(m, "description"));
  if (desc && *desc) {
    hg_buf_puts(&b, "description: ");
    hg_import_put_yaml_str(&b, desc);
    hg_buf_putc(&b, '\n');
  }
  char **tags = NULL, **kw = NULL;
  size_t nt = 0, nk = 0;
  strings_of(hg_value_get(m, "tags"), &tags, &nt, true);
  strings_of(hg_value_get(m, "tag"), &tags, &nt, true);
  const hg_value *al = hg_value_get(m, "aliases");
  if (!al) al = hg_value_get(m, "alias");
  strings_of(al, &kw, &nk, false);
  if (!p->folder) put_list(&b, "tags", tags, nt);
  put_list(&b, "keywords", kw, nk);
  if (nk)
    hg_import_note_add(c->r, p->a.path, al->line,
                       "helpgen's aliases: are old URLs; add a redirect on your host for an old "
                       "Obsidian Publish path",
                       "aliases (%zu) are now search keywords; wikilinks to them point at the note",
                       nk);
  free_strings(tags, nt);
  free_strings(kw, nk);
  const hg_value *pub = hg_value_get(m, "publish");
  if (!p->folder && ((pub && pub->type == HG_V_BOOL && !pub->b) || p->a.draft))
    hg_buf_puts(&b, "draft: true\n");
  if (!p->folder && p->a.date) hg_buf_printf(&b, "date: %s\n", p->a.date);
  static const char *const mapped[] = {"title", "description", "tags", "tag", "aliases",
                                       "alias", "publish", "draft", "date", "cssclasses",
                                       "cssclass", "permalink"};
  for (size_t i = 0; m && m->type == HG_V_MAP && i < m->len; i++) {
    const hg_value *v = m->items[i];
    int kl = m->key_lines ? m->key_lines[i] : 0;
    if (!strcmp(m->keys[i], "cssclasses") || !strcmp(m->keys[i], "cssclass"))
      hg_import_note_add(c->r, p->a.path, kl, "style the page through a theme",
                         "'%s' (Obsidian CSS snippets) dropped", m->keys[i]);
    if (!strcmp(m->keys[i], "permalink"))
      hg_import_note_add(c->r, p->a.path, kl, "add a redirect from it on your host",
                         "Obsidian Publish permalink '%s' dropped: the page's URL comes from "
                         "its path", hg_value_str(v) ? hg_value_str(v) : "");
  }
  hg_import_put_other_keys(&b, c->r, p->a.path, m, mapped, sizeof mapped / sizeof mapped[0]);
  hg_buf_puts(&b, "---\n");
  bool html = false;
  char *body = body_of(c, p, &html);
  c->html += html;
  hg_buf_puts(&b, body);
  free(body);
  char *path = hg_strdup_printf("%s/content/%s", c->out, p->dst);
  char *d = hg_path_dirname(path);
  bool ok = hg_mkdir_p(d, err) && hg_write_file(path, b.data, b.len, err);
  free(d);
  free(path);
  hg_buf_free(&b);
  if (ok) c->r->articles += !p->folder, c->r->folders += p->folder;
  return ok;
}

bool hg_import_obsidian(const hg_import_opts *o, const char *dir, hg_import_report *r,
                        hg_error **err) {
  octx c = {0};
  c.o = o;
  c.out = dir;
  c.r = r;
  hg_value *publish = read_settings(&c);
  char **files = NULL;
  size_t nf = 0;
  /* names starting with '.' (.obsidian/) are left out */
  if (!hg_import_list_files(r, o->source, o->source, &files, &nf, err)) {
    hg_value_free(publish);
    for (size_t i = 0; i < nf; i++) free(files[i]);
    free(files);
    return false;
  }
  hg_strmap dsts = {0}, skipped = {0};
  char *publish_path = hg_strdup_printf("%s/.obsidian/publish.json", o->source);
  for (size_t i = 0; i < nf; i++) {
    const char *src = files[i];
    char *full = hg_path_join(o->source, src);
    if (excluded(publish, src)) {
      if (hg_str_has_suffix(src, ".md")) {
        const hg_value *ex = hg_value_get(publish, "excluded");
        for (size_t k = 0; ex && k < ex->len; k++) {
          const char *e = hg_value_str(ex->items[k]);
          if (e && !strncmp(src, e, strlen(e)))
            hg_strmap_put(&skipped, e, hg_strmap_get(&skipped, e, 0) + 1);
        }
      }
      free(full);
      continue;
    }
    bool renamed;
    char *dst = map_path(src, &renamed);
    if (!hg_str_has_suffix(src, ".md")) {
      if (hg_str_has_suffix(src, ".base") || hg_str_has_suffix(src, ".canvas")) {
        hg_import_note_add(r, full, 0, "write what it shows as a note if readers need it",
                           "an Obsidian %s, not imported",
                           hg_str_has_suffix(src, ".base") ? "Bases view" : "canvas");
      } else {
        char *to = hg_strdup_printf("%s/content/%s", dir, dst);
        char *td = hg_path_dirname(to);
        hg_error *e = NULL;
        if (hg_mkdir_p(td, &e) && hg_copy_file(full, to, &e)) {
          r->files++;
          const char *bn = hg_path_basename(dst);
          char *lk = lower(bn, strlen(bn));
          if (hg_strmap_get(&c.by_file, lk, -1) < 0) { /* the first (sorted) of a name */
            c.files = hg_xrealloc(c.files, (c.nfiles + 1) * sizeof *c.files);
            c.files[c.nfiles] = hg_xstrdup(dst);
            hg_strmap_put(&c.by_file, lk, (long)c.nfiles++);
          }
          free(lk);
        } else {
          hg_import_note_add(r, full, 0, "check the disk", "not copied: %s", e ? e->text : "");
        }
        hg_error_free(e);
        free(td);
        free(to);
      }
      free(dst);
      free(full);
      continue;
    }
    c.v = hg_xrealloc(c.v, (c.n + 1) * sizeof *c.v);
    onote *p = &c.v[c.n++];
    memset(p, 0, sizeof *p);
    p->src = hg_xstrdup(src);
    const char *base = hg_path_basename(src);
    p->stem = hg_xstrndup(base, strlen(base) - 3);
    /* the folder-note pattern: X.md beside X/, or X/X.md */
    char *sib = hg_xstrndup(full, strlen(full) - 3);
    char *pdir = hg_path_dirname(src);
    bool inside = strcmp(pdir, ".") && !strcmp(hg_path_basename(pdir), p->stem);
    char *dst_noext = hg_xstrndup(dst, strlen(dst) - 3);
    char *idx = NULL;
    if (inside) {
      char *dd = hg_path_dirname(dst);
      idx = hg_strdup_printf("%s/_index.md", dd);
      free(dd);
    } else if (hg_is_dir(sib)) {
      idx = hg_strdup_printf("%s/_index.md", dst_noext);
    }
    if (idx && !hg_strmap_get(&dsts, idx, 0)) {
      free(dst);
      dst = idx;
      p->folder = true;
    } else {
      free(idx);
    }
    free(dst_noext);
    free(pdir);
    free(sib);
    if (renamed)
      hg_import_note_add(r, full, 0, "helpgen has its own page there; wikilinks to it are rewritten",
                         "a name helpgen keeps for itself: written as content/%s", dst);
    hg_strmap_put(&dsts, dst, 1);
    p->dst = dst;
    size_t len;
    hg_error *e = NULL;
    p->text = hg_read_file(full, &len, &e);
    p->a.path = full; /* the article's now: hg_article_clear frees it */
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
        hg_import_note_add(r, full, d.items[k].line, "fix it in the vault and import again",
                           "%s%s", d.items[k].msg, p->ok ? "" : " (the note was not imported)");
    hg_diags_free(&d);
  }
  for (size_t k = 0; k < skipped.cap; k++)
    if (skipped.keys[k])
      hg_import_note_add(r, publish_path, 0, "",
                       "'%s' is excluded from publishing: its %ld note%s not imported",
                       skipped.keys[k], skipped.vals[k], skipped.vals[k] == 1 ? "" : "s");
  for (size_t i = 0; i < c.n; i++) {
    onote *p = &c.v[i];
    if (!p->ok) continue;
    put_name(&c.by_stem, p->stem, i);
    char *noext = hg_xstrndup(p->src, strlen(p->src) - 3);
    char *k = lower(noext, strlen(noext));
    hg_strmap_put(&c.by_path, k, (long)i);
    free(k);
    free(noext);
    char **al = NULL;
    size_t na = 0;
    strings_of(hg_value_get(p->a.meta, "aliases"), &al, &na, false);
    strings_of(hg_value_get(p->a.meta, "alias"), &al, &na, false);
    for (size_t a = 0; a < na; a++) put_name(&c.by_alias, al[a], i);
    free_strings(al, na);
  }
  bool ok = true;
  size_t notes = 0;
  for (size_t i = 0; ok && i < c.n; i++)
    if (c.v[i].ok) ok = write_note(&c, &c.v[i], err), notes++;
  if (ok) {
    /* Obsidian shows the HTML in notes (<br> in table cells, <span>...) */
    char *cfg = hg_strdup_printf("# Written by helpgen import obsidian from %s (see "
                                 "import-report.txt)\ntitle: \"Help Center\"\n%s", o->source,
                                 c.html ? "markdown:\n  unsafe: true   # the notes' HTML, "
                                          "as Obsidian shows it\n" : "");
    char *path = hg_path_join(dir, "helpgen.yaml");
    ok = hg_write_file(path, cfg, strlen(cfg), err);
    free(path);
    free(cfg);
    r->languages = 1;
  }
  if (ok && !notes) {
    hg_error_set(err, 1, o->source, 0, 0, "no notes (.md files) found (is this an Obsidian vault?)");
    ok = false;
  }
  for (size_t i = 0; i < c.n; i++) {
    onote *p = &c.v[i];
    free(p->src), free(p->dst), free(p->stem), free(p->text);
    hg_article_clear(&p->a);
  }
  free(c.v);
  for (size_t i = 0; i < nf; i++) free(files[i]);
  free(files);
  hg_strmap_free(&dsts);
  hg_strmap_free(&skipped);
  hg_strmap_free(&c.by_stem);
  hg_strmap_free(&c.by_path);
  hg_strmap_free(&c.by_alias);
  hg_strmap_free(&c.by_file);
  for (size_t i = 0; i < c.nfiles; i++) free(c.files[i]);
  free(c.files);
  hg_value_free(publish);
  free(publish_path);
  return ok;
}
