/* import_common.c - what every `helpgen import` kind shares, below them all:
 * the report of what could not be carried over, YAML strings for the front
 * matter they write, and for the Markdown-tree kinds the source walk and the
 * heading anchors of the pages they write. import.c (the command) calls the
 * kinds; the kinds call this; nothing here calls back up. */
#include "hg_import.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hg_markdown.h"
#include "hg_walk.h"

/* ---- the report ------------------------------------------------------------- */

void hg_import_note_add(hg_import_report *r, const char *path, int line, const char *todo,
                        const char *fmt, ...) {
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    r->v = hg_xrealloc(r->v, r->cap * sizeof *r->v);
  }
  hg_import_note *n = &r->v[r->n++];
  n->path = hg_xstrdup(path ? path : "");
  n->line = line;
  hg_buf b = HG_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  hg_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  n->what = hg_buf_steal(&b);
  n->todo = hg_xstrdup(todo ? todo : "");
}

void hg_import_report_free(hg_import_report *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->v[i].path);
    free(r->v[i].what);
    free(r->v[i].todo);
  }
  free(r->v);
  memset(r, 0, sizeof *r);
}

static int note_cmp(const void *x, const void *y) {
  const hg_import_note *a = x, *b = y;
  int c = strcmp(a->path, b->path);
  if (c) return c;
  return (a->line > b->line) - (a->line < b->line);
}

/* Sorted by path and line; a stable sort keeps a line's notes in order. */
static hg_import_note **sorted(const hg_import_report *r) {
  hg_import_note **v = hg_xcalloc(r->n ? r->n : 1, sizeof *v);
  for (size_t i = 0; i < r->n; i++) v[i] = &r->v[i];
  for (size_t i = 1; i < r->n; i++) /* insertion sort: stable, notes are few */
    for (size_t j = i; j > 0 && note_cmp(v[j - 1], v[j]) > 0; j--) {
      hg_import_note *t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return v;
}

char *hg_import_report_text(const hg_import_report *r) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b,
                "# helpgen import: %zu articles, %zu folders, %zu files, %zu language%s; "
                "%zu thing%s not carried over as they were (below, as source:line: what; "
                "what to do)\n",
                r->articles, r->folders, r->files, r->languages, r->languages == 1 ? "" : "s",
                r->n, r->n == 1 ? "" : "s");
  hg_import_note **v = sorted(r);
  for (size_t i = 0; i < r->n; i++) {
    if (v[i]->line) hg_buf_printf(&b, "%s:%d: %s", v[i]->path, v[i]->line, v[i]->what);
    else hg_buf_printf(&b, "%s: %s", v[i]->path, v[i]->what);
    if (*v[i]->todo) hg_buf_printf(&b, "; %s", v[i]->todo);
    hg_buf_putc(&b, '\n');
  }
  free(v);
  return hg_buf_steal(&b);
}

static void put_json(hg_buf *b, const char *s) {
  if (!hg_buf_put_json(b, s)) hg_buf_puts(b, "\"\"");
}

char *hg_import_report_json(const hg_import_report *r) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b,
                "{\"summary\": {\"articles\": %zu, \"folders\": %zu, \"files\": %zu, "
                "\"languages\": %zu, \"notes\": %zu},\n \"notes\": [",
                r->articles, r->folders, r->files, r->languages, r->n);
  hg_import_note **v = sorted(r);
  for (size_t i = 0; i < r->n; i++) {
    hg_buf_puts(&b, i ? ",\n  {\"path\": " : "\n  {\"path\": ");
    put_json(&b, v[i]->path);
    hg_buf_printf(&b, ", \"line\": %d, \"what\": ", v[i]->line);
    put_json(&b, v[i]->what);
    hg_buf_puts(&b, ", \"todo\": ");
    put_json(&b, v[i]->todo);
    hg_buf_putc(&b, '}');
  }
  free(v);
  hg_buf_puts(&b, r->n ? "\n ]}\n" : "]}\n");
  return hg_buf_steal(&b);
}

void hg_import_put_yaml_str(hg_buf *b, const char *s) {
  if (!hg_buf_put_json(b, s ? s : "")) hg_buf_puts(b, "\"\"");
}

void hg_import_put_other_keys(hg_buf *b, hg_import_report *r, const char *path, const hg_value *m,
                              const char *const *mapped, size_t n) {
  for (size_t i = 0; m && m->type == HG_V_MAP && i < m->len; i++) {
    bool skip = false;
    for (size_t k = 0; k < n && !skip; k++) skip = !strcmp(m->keys[i], mapped[k]);
    if (skip) continue;
    const hg_value *v = m->items[i];
    if (v->type == HG_V_STRING || v->type == HG_V_INT || v->type == HG_V_FLOAT ||
        v->type == HG_V_BOOL || v->type == HG_V_DATE) {
      hg_import_put_yaml_str(b, m->keys[i]);
      hg_buf_puts(b, ": ");
      if (v->type == HG_V_STRING || v->type == HG_V_DATE) hg_import_put_yaml_str(b, v->str);
      else hg_buf_puts(b, v->str);
      hg_buf_putc(b, '\n');
    } else if (v->type != HG_V_NULL) {
      hg_import_note_add(r, path, m->key_lines ? m->key_lines[i] : 0,
                         "helpgen has no use for it; a hook can read it from the original",
                         "front matter '%s' (a %s) dropped", m->keys[i], hg_value_type_name(v->type));
    }
  }
}

/* ---- heading anchors (shared with the other Markdown-tree kinds) ---- */

/* The 0-based line of offset `off` in s. */
static int line_at(const char *s, size_t off) {
  int l = 0;
  for (size_t i = 0; i < off; i++) l += s[i] == '\n';
  return l;
}

static void strip_marks(hg_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strchr("`*_", s[i])) hg_buf_putc(b, s[i]);
}

void hg_import_page_ids(hg_import_page *p) {
  hg_md_opts mo = {.path = p->dst};
  hg_md_result res = {0};
  hg_diags d = {0};
  hg_md_render(p->md + p->body, strlen(p->md + p->body), &mo, &res, &d);
  if (p->ncid) p->real = hg_xcalloc(p->ncid, sizeof *p->real);
  for (const char *h = res.html; h && (h = strstr(h, "<h"));) {
    h += 2;
    if (!isdigit((unsigned char)*h) || strncmp(h + 1, " id=\"", 5)) continue;
    const char *hid = h + 6, *e = strchr(hid, '"');
    if (!e) break;
    char *k = hg_xstrndup(hid, (size_t)(e - hid));
    hg_strmap_put(&p->ids, k, 1);
    /* the heading's text, tags stripped, to find the source's custom ids */
    const char *gt = strchr(e, '>'), *end = gt ? strstr(gt, "</h") : NULL;
    if (end && p->ncid) {
      hg_buf t = HG_BUF_INIT;
      int in_tag = 0;
      for (const char *q = gt + 1; q < end; q++) {
        if (*q == '<') in_tag = 1;
        else if (*q == '>') in_tag = 0;
        else if (!in_tag) hg_buf_putc(&t, *q);
      }
      for (size_t j = 0; j < p->ncid; j++) {
        hg_buf w = HG_BUF_INIT;
        strip_marks(&w, p->ctext[j], strlen(p->ctext[j]));
        if (!p->real[j] && !strcmp(hg_buf_cstr(&w), hg_buf_cstr(&t))) p->real[j] = hg_xstrdup(k);
        hg_buf_free(&w);
      }
      hg_buf_free(&t);
    }
    free(k);
  }
  hg_md_result_free(&res);
  hg_diags_free(&d);
}

void hg_import_page_clear(hg_import_page *p) {
  for (size_t j = 0; j < p->ncid; j++) {
    free(p->cid[j]);
    free(p->ctext[j]);
    if (p->real) free(p->real[j]);
  }
  free(p->cid), free(p->ctext), free(p->real), free(p->md);
  hg_strmap_free(&p->ids);
  memset(p, 0, sizeof *p);
}

bool hg_import_list_files(hg_import_report *r, const char *root, const char *fence, char ***out,
                          size_t *n, hg_error **err) {
  hg_diags d = {0};
  bool ok = hg_walk_files(root, fence, NULL, false, out, n, &d, err);
  for (size_t i = 0; i < d.len; i++)
    hg_import_note_add(r, d.items[i].path, d.items[i].line, "", "%s (not imported)", d.items[i].msg);
  hg_diags_free(&d);
  return ok;
}

/* The source line where "#frag" first appears (for the report), else 0. */
static int frag_line(const hg_import_page *p, const char *frag, size_t n) {
  const char *t = p->src_text ? p->src_text : "";
  for (const char *q = t; (q = strchr(q, '#'));) {
    if (!strncmp(q + 1, frag, n)) return line_at(t, (size_t)(q - t)) + 1;
    q++;
  }
  return 0;
}

char *hg_import_fix_anchors(hg_import_report *r, hg_import_page *pages, size_t i,
                            const hg_strmap *by_dst) {
  hg_import_page *p = &pages[i];
  hg_buf b = HG_BUF_INIT;
  const char *s = p->md;
  size_t n = strlen(s);
  hg_buf_append(&b, s, p->body);
  char fence = 0;
  bool line_start = true;
  for (size_t q = p->body; q < n;) {
    if (line_start) {
      size_t k = q;
      while (k < n && s[k] == ' ') k++;
      if (k + 2 < n && (s[k] == '`' || s[k] == '~') && s[k + 1] == s[k] && s[k + 2] == s[k])
        fence = fence ? (s[k] == fence ? 0 : fence) : s[k];
    }
    line_start = s[q] == '\n';
    bool def = false;
    if (!fence && s[q] == ']' && q + 1 < n && s[q + 1] == ':') { /* "[label]: target" */
      size_t k = q;
      while (k > p->body && s[k - 1] != '\n') k--;
      while (s[k] == ' ') k++;
      def = s[k] == '[';
    }
    if (!fence && s[q] == ']' && q + 1 < n && (s[q + 1] == '(' || def)) {
      size_t st = q + 2, e;
      while (def && st < n && s[st] == ' ') st++;
      e = st;
      while (e < n && s[e] != ')' && s[e] != ' ' && s[e] != '\n') e++;
      const char *hash = memchr(s + st, '#', e - st);
      if ((def || (e < n && s[e] == ')')) && hash && !memchr(s + st, ':', (size_t)(hash - (s + st)))) {
        const char *frag = hash + 1;
        size_t fl = (size_t)(s + e - frag);
        hg_import_page *tp = NULL;
        if (hash == s + st) {
          tp = p;
        } else {
          char *dir = strchr(p->dst, '/') ? hg_path_dirname(p->dst) : hg_xstrdup("");
          char *rel = hg_xstrndup(s + st, (size_t)(hash - (s + st)));
          char *j = *dir ? hg_strdup_printf("%s/%s", dir, rel) : hg_xstrdup(rel);
          char *k = hg_path_normalize(j);
          long ti = hg_strmap_get(by_dst, k, -1);
          if (ti >= 0) tp = &pages[ti];
          free(k), free(j), free(rel), free(dir);
        }
        char *fk = hg_xstrndup(frag, fl);
        const char *real = NULL;
        for (size_t j = 0; tp && j < tp->ncid; j++)
          if (!strcmp(tp->cid[j], fk) && tp->real && tp->real[j]) real = tp->real[j];
        if (real) { /* a custom id: helpgen's id of that heading */
          hg_buf_append(&b, s + q, (size_t)(frag - (s + q)));
          hg_buf_puts(&b, real);
          q = e;
          free(fk);
          continue;
        }
        if (tp && fl && !hg_strmap_get(&tp->ids, fk, 0)) {
          hg_import_note_add(r, p->src_path, frag_line(p, frag, fl),
                             "link to a heading the page has (ids come from the heading text)",
                             "link to '#%s': %s has no such heading (the site's plugins made "
                             "it?): %s", fk, tp == p ? "this page" : tp->dst,
                             tp == p && !def ? "kept as text" : "now to the page");
          if (tp == p && !def) { /* drop "[" of the link, keep its text */
            for (size_t k = b.len; k-- > p->body;)
              if (b.data[k] == '[') {
                memmove(b.data + k, b.data + k + 1, b.len - k - 1);
                b.data[--b.len] = '\0';
                break;
              }
            q = e + 1;
          } else if (tp == p) { /* a definition: to the page's top */
            hg_buf_append(&b, s + q, (size_t)(hash - (s + q)));
            hg_buf_putc(&b, '#');
            q = e;
          } else {
            hg_buf_append(&b, s + q, (size_t)(hash - (s + q)));
            q = e;
          }
          free(fk);
          continue;
        }
        free(fk);
      }
    }
    hg_buf_putc(&b, s[q++]);
  }
  return hg_buf_steal(&b);
}
