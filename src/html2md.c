/* html2md.c - HTML (through gumbo) to a cmark-gfm node tree, written out by
 * cmark's CommonMark renderer; what has no Markdown form becomes a note. */
#include "hg_html2md.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <gumbo.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hg_util.h"

/* ---- the GFM extension node types --------------------------------------------
 * The table and strikethrough types are numbers the extension registers at
 * run time; they are read off a tiny parsed document once. */
static struct {
  cmark_syntax_extension *table, *strike;
  cmark_node_type t_table, t_row, t_cell, t_strike;
} g;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void init_types(void) {
  cmark_gfm_core_extensions_ensure_registered();
  g.table = cmark_find_syntax_extension("table");
  g.strike = cmark_find_syntax_extension("strikethrough");
  cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
  cmark_parser_attach_syntax_extension(p, g.table);
  cmark_parser_attach_syntax_extension(p, g.strike);
  static const char probe[] = "| a |\n|---|\n| b |\n\n~~c~~\n";
  cmark_parser_feed(p, probe, sizeof probe - 1);
  cmark_node *doc = cmark_parser_finish(p);
  cmark_node *table = cmark_node_first_child(doc);
  cmark_node *row = cmark_node_first_child(table);
  g.t_table = cmark_node_get_type(table);
  g.t_row = cmark_node_get_type(row);
  g.t_cell = cmark_node_get_type(cmark_node_first_child(row));
  g.t_strike = cmark_node_get_type(cmark_node_first_child(cmark_node_next(table)));
  cmark_node_free(doc);
  cmark_parser_free(p);
}

/* ---- notes ---------------------------------------------------------------------- */

void hg_html2md_note_add(hg_html2md_notes *notes, int line, const char *what, const char *todo) {
  if (!notes) return;
  if (notes->n == notes->cap) {
    notes->cap = notes->cap ? notes->cap * 2 : 8;
    notes->v = hg_xrealloc(notes->v, notes->cap * sizeof *notes->v);
  }
  notes->v[notes->n].line = line;
  notes->v[notes->n].what = hg_xstrdup(what);
  notes->v[notes->n].todo = hg_xstrdup(todo);
  notes->n++;
}

void hg_html2md_notes_free(hg_html2md_notes *notes) {
  for (size_t i = 0; i < notes->n; i++) {
    free(notes->v[i].what);
    free(notes->v[i].todo);
  }
  free(notes->v);
  memset(notes, 0, sizeof *notes);
}

void hg_html2md_out_free(hg_html2md_out *out) {
  free(out->markdown);
  free(out->summary);
  out->markdown = out->summary = NULL;
}

/* ---- the converter ------------------------------------------------------------ */

typedef struct {
  const hg_html2md_opts *o;
  hg_html2md_notes *notes;
  int depth;   /* element nesting, bounded against stack exhaustion */
  int in_cell; /* inside a table cell: one line, no breaks */
} cv;

#define MAX_DEPTH 200

static int line_of(const GumboNode *n) {
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
    return (int)n->v.element.start_pos.line;
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA)
    return (int)n->v.text.start_pos.line;
  return 0;
}

static void note(cv *c, const GumboNode *n, const char *todo, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void note(cv *c, const GumboNode *n, const char *todo, const char *fmt, ...) {
  hg_buf b = HG_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  hg_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  hg_html2md_note_add(c->notes, line_of(n), hg_buf_cstr(&b), todo);
  hg_buf_free(&b);
}

static const char *attr(const GumboNode *n, const char *name) {
  GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : NULL;
}

static GumboTag tag(const GumboNode *n) {
  return n->type == GUMBO_NODE_ELEMENT ? n->v.element.tag : GUMBO_TAG_UNKNOWN;
}

/* The element's name as written ("my-widget" for an unknown tag). */
static char *tag_name(const GumboNode *n) {
  if (n->v.element.tag != GUMBO_TAG_UNKNOWN)
    return hg_xstrdup(gumbo_normalized_tagname(n->v.element.tag));
  GumboStringPiece p = n->v.element.original_tag;
  gumbo_tag_from_original_text(&p);
  char *s = hg_xstrndup(p.data ? p.data : "?", p.data ? p.length : 1);
  for (char *q = s; *q; q++)
    if (*q >= 'A' && *q <= 'Z') *q = (char)(*q + 32);
  return s;
}

static bool is_ws(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

/* ---- inline nodes ---------------------------------------------------------------- */

static cmark_node *new_node(cmark_node_type t) { return cmark_node_new(t); }

/* Appends child to parent, or frees it where cmark does not allow it (a
 * line break in a table cell...). */
static void put(cmark_node *parent, cmark_node *child) {
  if (!cmark_node_append_child(parent, child)) cmark_node_free(child);
}

static cmark_node *new_text(const char *s) {
  cmark_node *t = new_node(CMARK_NODE_TEXT);
  cmark_node_set_literal(t, s);
  return t;
}

/* Appends text with HTML whitespace runs collapsed to one space. */
static void add_text(cmark_node *parent, const char *s) {
  hg_buf b = HG_BUF_INIT;
  bool sp = false;
  for (const char *p = s; *p; p++) {
    if (is_ws(*p)) {
      sp = true;
      continue;
    }
    if (sp) hg_buf_putc(&b, ' ');
    sp = false;
    hg_buf_putc(&b, *p);
  }
  if (sp) hg_buf_putc(&b, ' ');
  if (b.len) put(parent, new_text(hg_buf_cstr(&b)));
  hg_buf_free(&b);
}


/* Removes leading (front) or trailing whitespace of the inline content of
 * `n`, descending into first/last containers. Returns true if any went. */
static bool trim_edge(cmark_node *n, bool front) {
  bool any = false;
  for (;;) {
    cmark_node *e = front ? cmark_node_first_child(n) : cmark_node_last_child(n);
    if (!e) return any;
    cmark_node_type t = cmark_node_get_type(e);
    if (t == CMARK_NODE_TEXT) {
      const char *s = cmark_node_get_literal(e);
      size_t l = strlen(s), a = 0;
      if (front)
        while (a < l && s[a] == ' ') a++;
      else
        while (l > 0 && s[l - 1] == ' ') l--;
      if (a == 0 && l == strlen(s)) return any;
      any = true;
      if (a >= l) {
        cmark_node_free(e);
        continue;
      }
      char *k = hg_xstrndup(s + a, l - a);
      cmark_node_set_literal(e, k);
      free(k);
      return any;
    }
    if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
      cmark_node_free(e);
      any = true;
      continue;
    }
    if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_LINK ||
        t == g.t_strike) {
      if (trim_edge(e, front)) any = true;
      if (!cmark_node_first_child(e) && t != CMARK_NODE_LINK) {
        cmark_node_free(e);
        continue;
      }
    }
    return any;
  }
}

/* Emphasis with spaces inside its delimiters is no emphasis in Markdown:
 * move them out ("a<b> b </b>c" -> "a **b** c"); drop it when empty. */
static void settle_span(cmark_node *span) {
  bool lead = trim_edge(span, true);
  bool trail = trim_edge(span, false);
  cmark_node *sp;
  if (lead && !cmark_node_insert_before(span, sp = new_text(" "))) cmark_node_free(sp);
  if (trail && !cmark_node_insert_after(span, sp = new_text(" "))) cmark_node_free(sp);
  if (!cmark_node_first_child(span)) cmark_node_free(span);
}

static void inlines(cv *c, const GumboNode *n, cmark_node *parent);

static void inline_children(cv *c, const GumboNode *n, cmark_node *parent) {
  const GumboVector *ch = &n->v.element.children;
  for (unsigned i = 0; i < ch->length; i++) inlines(c, ch->data[i], parent);
}

/* Text content of an element (br as a newline), for code and alt text. */
static void text_content(const GumboNode *n, hg_buf *b, int depth) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    hg_buf_puts(b, n->v.text.text);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH) return;
  if (n->v.element.tag == GUMBO_TAG_BR) {
    hg_buf_putc(b, '\n');
    return;
  }
  if (n->v.element.tag == GUMBO_TAG_SCRIPT || n->v.element.tag == GUMBO_TAG_STYLE) return;
  const GumboVector *ch = &n->v.element.children;
  for (unsigned i = 0; i < ch->length; i++) text_content(ch->data[i], b, depth + 1);
}

/* A URL through the caller's rewriter. Returns a new string. */
static char *map_url(cv *c, const char *u, bool image, const GumboNode *n) {
  char *r = c->o && c->o->url ? c->o->url(c->o->ctx, u, image, line_of(n), c->notes) : NULL;
  return r ? r : hg_xstrdup(u);
}

static bool url_is_script(const char *u) {
  while (is_ws(*u)) u++;
  return !strncasecmp(u, "javascript:", 11) || !strncasecmp(u, "vbscript:", 9);
}

/* Inline style declarations that carry meaning (colour, emphasis, hiding). */
static void check_style(cv *c, const GumboNode *n) {
  const char *st = attr(n, "style");
  if (!st) return;
  static const char *const meaningful[] = {"color", "background", "font-weight", "font-style",
                                           "text-decoration", "display", "visibility",
                                           "font-size"};
  hg_buf found = HG_BUF_INIT;
  const char *p = st;
  while (*p) {
    while (is_ws(*p) || *p == ';') p++;
    const char *colon = strchr(p, ':');
    if (!colon) break;
    size_t kl = (size_t)(colon - p);
    while (kl && is_ws(p[kl - 1])) kl--;
    for (size_t i = 0; i < sizeof meaningful / sizeof meaningful[0]; i++) {
      size_t ml = strlen(meaningful[i]);
      if (kl >= ml && !strncasecmp(p, meaningful[i], ml) && (kl == ml || p[ml] == '-')) {
        const char *end = strchr(colon, ';');
        size_t dl = end ? (size_t)(end - p) : strlen(p);
        if (found.len) hg_buf_puts(&found, "; ");
        hg_buf_append(&found, p, dl);
        break;
      }
    }
    const char *end = strchr(colon, ';');
    if (!end) break;
    p = end + 1;
  }
  if (found.len) {
    char *name = tag_name(n);
    note(c, n,
         "Markdown has no inline styles: say it in words, with emphasis, or with a callout",
         "inline style '%s' on <%s> dropped", hg_buf_cstr(&found), name);
    free(name);
  }
  hg_buf_free(&found);
}

static bool is_void(GumboTag t) {
  return t == GUMBO_TAG_INPUT || t == GUMBO_TAG_EMBED || t == GUMBO_TAG_BR || t == GUMBO_TAG_IMG ||
         t == GUMBO_TAG_SOURCE || t == GUMBO_TAG_TRACK || t == GUMBO_TAG_PARAM ||
         t == GUMBO_TAG_WBR || t == GUMBO_TAG_HR || t == GUMBO_TAG_AREA || t == GUMBO_TAG_COL;
}

/* The element as written: its tags and text as they are in the source,
 * end tags the parser implied added. */
static void outer_html(const GumboNode *n, hg_buf *h, int depth) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    hg_buf_append(h, n->v.text.original_text.data, n->v.text.original_text.length);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_DEPTH) return;
  const GumboElement *e = &n->v.element;
  char *name = tag_name(n);
  if (e->original_tag.length) hg_buf_append(h, e->original_tag.data, e->original_tag.length);
  else hg_buf_printf(h, "<%s>", name);
  for (unsigned i = 0; i < e->children.length; i++) outer_html(e->children.data[i], h, depth + 1);
  if (e->original_end_tag.length)
    hg_buf_append(h, e->original_end_tag.data, e->original_end_tag.length);
  else if (!is_void(e->tag))
    hg_buf_printf(h, "</%s>", name);
  free(name);
}

/* The element as raw inline HTML in parent (raw_html). */
static bool put_raw(cv *c, const GumboNode *n, cmark_node *parent) {
  (void)c;
  if (!parent) return false;
  hg_buf h = HG_BUF_INIT;
  outer_html(n, &h, 0);
  cmark_node *raw = new_node(CMARK_NODE_HTML_INLINE);
  cmark_node_set_literal(raw, hg_buf_cstr(&h));
  put(parent, raw);
  hg_buf_free(&h);
  return true;
}

/* Elements with no Markdown form; true when n was one (it is noted and
 * dropped, or replaced by a link to what it embedded, or kept as raw HTML
 * with raw_html). */
static bool unconvertible(cv *c, const GumboNode *n, cmark_node *inline_parent) {
  GumboTag t = tag(n);
  const char *src = NULL;
  bool raw = c->o && c->o->raw_html;
  switch (t) {
  case GUMBO_TAG_SCRIPT:
    src = attr(n, "src");
    note(c, n, "helpgen pages run no scripts from articles: put behaviour in a theme or a hook",
         "a <script>%s%s dropped", src ? " " : "", src ? src : "");
    return true;
  case GUMBO_TAG_STYLE:
    note(c, n, "style the site with a theme override (themes/default/assets/)",
         "a <style> element dropped");
    return true;
  case GUMBO_TAG_NOSCRIPT:
    note(c, n, "pages work without JavaScript: move its text into the article if it matters",
         "a <noscript> element dropped");
    return true;
  case GUMBO_TAG_FORM: case GUMBO_TAG_INPUT: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT:
  case GUMBO_TAG_TEXTAREA: {
    char *name = tag_name(n);
    if (raw && put_raw(c, n, inline_parent))
      note(c, n, "check that it still works on the new site (markdown.unsafe: true keeps it)",
           "a <%s> (a form) kept as raw HTML", name);
    else
      note(c, n, "link to a form on your site (or a flow, flows/NAME.yaml) instead",
           "a <%s> (a form) dropped", name);
    free(name);
    return true;
  }
  case GUMBO_TAG_IFRAME: case GUMBO_TAG_EMBED: case GUMBO_TAG_OBJECT: case GUMBO_TAG_VIDEO:
  case GUMBO_TAG_AUDIO: case GUMBO_TAG_CANVAS: case GUMBO_TAG_SVG: case GUMBO_TAG_APPLET:
  case GUMBO_TAG_MATH: {
    src = attr(n, t == GUMBO_TAG_OBJECT ? "data" : "src");
    if (!src && (t == GUMBO_TAG_VIDEO || t == GUMBO_TAG_AUDIO)) {
      const GumboVector *ch = &n->v.element.children;
      for (unsigned i = 0; i < ch->length && !src; i++)
        if (tag(ch->data[i]) == GUMBO_TAG_SOURCE) src = attr(ch->data[i], "src");
    }
    char *name = tag_name(n);
    bool linkable = src && !url_is_script(src) && *src;
    if (raw && put_raw(c, n, inline_parent)) {
      note(c, n, "check that it still shows on the new site (markdown.unsafe: true keeps it)",
           "an <%s>%s%s kept as raw HTML", name, src ? " " : "", src ? src : "");
    } else if (linkable && inline_parent) {
      char *u = map_url(c, src, false, n);
      const char *title = attr(n, "title");
      cmark_node *link = new_node(CMARK_NODE_LINK);
      cmark_node_set_url(link, u);
      put(link, new_text(title && *title ? title : u));
      put(inline_parent, link);
      free(u);
      note(c, n,
           "it became a link to its address; embed it again with a hook shortcode if readers "
           "need it in the page",
           "an <%s> (%s) has no Markdown form", name, src);
    } else {
      note(c, n, "add what it showed as text, an image or a link",
           "an <%s>%s%s has no Markdown form and was dropped", name, src ? " " : "",
           src ? src : "");
    }
    free(name);
    return true;
  }
  default:
    return false;
  }
}

static cmark_node *span_node(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_STRONG: case GUMBO_TAG_B:
    return new_node(CMARK_NODE_STRONG);
  case GUMBO_TAG_EM: case GUMBO_TAG_I: case GUMBO_TAG_CITE: case GUMBO_TAG_VAR:
  case GUMBO_TAG_DFN:
    return new_node(CMARK_NODE_EMPH);
  case GUMBO_TAG_DEL: case GUMBO_TAG_S: case GUMBO_TAG_STRIKE: {
    cmark_node *s = cmark_node_new_with_ext(g.t_strike, g.strike);
    return s;
  }
  default:
    return NULL;
  }
}

static bool is_code_tag(GumboTag t) {
  return t == GUMBO_TAG_CODE || t == GUMBO_TAG_KBD || t == GUMBO_TAG_SAMP || t == GUMBO_TAG_TT;
}

static void add_image(cv *c, const GumboNode *n, cmark_node *parent) {
  const char *src = attr(n, "src");
  if (!src || !*src) {
    note(c, n, "add the picture again, or remove the empty image",
         "an <img> without a src dropped");
    return;
  }
  char *u = map_url(c, src, true, n);
  cmark_node *img = new_node(CMARK_NODE_IMAGE);
  cmark_node_set_url(img, u);
  free(u);
  const char *title = attr(n, "title");
  if (title && *title) cmark_node_set_title(img, title);
  const char *alt = attr(n, "alt");
  if (alt && *alt) add_text(img, alt);
  put(parent, img);
}

static void inlines(cv *c, const GumboNode *n, cmark_node *parent) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
      n->type == GUMBO_NODE_CDATA) {
    add_text(parent, n->v.text.text);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT) return; /* comments, templates */
  if (c->depth > MAX_DEPTH) {
    note(c, n, "simplify the HTML", "elements nested over %d deep: the rest dropped", MAX_DEPTH);
    return;
  }
  c->depth++;
  GumboTag t = n->v.element.tag;
  check_style(c, n);
  if (unconvertible(c, n, parent)) {
  } else if (t == GUMBO_TAG_BR) {
    if (c->in_cell) add_text(parent, " ");
    else put(parent, new_node(CMARK_NODE_LINEBREAK));
  } else if (t == GUMBO_TAG_IMG) {
    add_image(c, n, parent);
  } else if (is_code_tag(t)) {
    hg_buf b = HG_BUF_INIT;
    text_content(n, &b, 0);
    for (size_t i = 0; i < b.len; i++)
      if (is_ws(b.data[i])) b.data[i] = ' ';
    if (b.len) {
      cmark_node *code = new_node(CMARK_NODE_CODE);
      cmark_node_set_literal(code, hg_buf_cstr(&b));
      put(parent, code);
    }
    hg_buf_free(&b);
  } else if (t == GUMBO_TAG_A) {
    const char *href = attr(n, "href");
    if (href && url_is_script(href)) {
      note(c, n, "the link text was kept; link to a page instead",
           "a javascript: link dropped");
      href = NULL;
    }
    if (!href || !*href) {
      inline_children(c, n, parent);
    } else {
      cmark_node *link = new_node(CMARK_NODE_LINK);
      if (href[0] == '#') /* its line, for fix_anchors' note */
        cmark_node_set_user_data(link, (void *)(intptr_t)line_of(n));
      char *u = map_url(c, href, false, n);
      cmark_node_set_url(link, u);
      free(u);
      const char *title = attr(n, "title");
      if (title && *title) cmark_node_set_title(link, title);
      if (cmark_node_append_child(parent, link)) {
        inline_children(c, n, link);
        settle_span(link);
      } else {
        cmark_node_free(link);
        inline_children(c, n, parent);
      }
    }
  } else {
    cmark_node *span = span_node(t);
    if (span && !cmark_node_append_child(parent, span)) {
      cmark_node_free(span);
      span = NULL;
    }
    if (span) {
      inline_children(c, n, span);
      settle_span(span);
    } else {
      if (t == GUMBO_TAG_UNKNOWN) {
        char *name = tag_name(n);
        note(c, n, "check that nothing but its text mattered",
             "unknown element <%s>: its text kept", name);
        free(name);
      }

      inline_children(c, n, parent);
    }
  }
  c->depth--;
}

/* ---- blocks ------------------------------------------------------------------------ */

typedef struct {
  cmark_node *parent; /* the block container */
  cmark_node *para;   /* the open implicit paragraph, or NULL */
} blk;

static void para_close(blk *b) {
  if (!b->para) return;
  trim_edge(b->para, true);
  trim_edge(b->para, false);
  if (!cmark_node_first_child(b->para)) cmark_node_free(b->para);
  b->para = NULL;
}

static cmark_node *para_open(blk *b) {
  if (!b->para) {
    b->para = new_node(CMARK_NODE_PARAGRAPH);
    put(b->parent, b->para);
  }
  return b->para;
}

static void blocks_into(cv *c, const GumboNode *n, blk *b);
static void block(cv *c, const GumboNode *n, blk *b);

static void blocks_of(cv *c, const GumboNode *n, cmark_node *parent) {
  blk b = {parent, NULL};
  blocks_into(c, n, &b);
  para_close(&b);
}

static bool is_heading(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
         t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

static bool is_block_tag(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_LI:
  case GUMBO_TAG_PRE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_TABLE: case GUMBO_TAG_HR:
  case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_HEADER:
  case GUMBO_TAG_FOOTER: case GUMBO_TAG_MAIN: case GUMBO_TAG_NAV: case GUMBO_TAG_FIGURE:
  case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
  case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_BODY:
  case GUMBO_TAG_HTML: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_LEGEND: case GUMBO_TAG_CAPTION:
  case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_META: case GUMBO_TAG_LINK:
  case GUMBO_TAG_BASE:
    return true;
  default:
    return is_heading(t);
  }
}

/* ---- callouts ---- */

/* A callout type named by an element's class ("note", "callout--note",
 * "alert-warning", "admonition tip"): the GFM marker, or NULL. */
static const char *callout_marker(const GumboNode *n) {
  const char *cls = attr(n, "class");
  if (!cls) return NULL;
  static const struct {
    const char *word, *marker;
  } types[] = {
      {"note", "[!NOTE]"},         {"info", "[!NOTE]"},        {"information", "[!NOTE]"},
      {"notice", "[!NOTE]"},       {"tip", "[!TIP]"},          {"hint", "[!TIP]"},
      {"success", "[!TIP]"},       {"important", "[!IMPORTANT]"},
      {"warning", "[!WARNING]"},   {"warn", "[!WARNING]"},     {"attention", "[!WARNING]"},
      {"caution", "[!CAUTION]"},   {"danger", "[!CAUTION]"},   {"error", "[!CAUTION]"},
  };
  const char *p = cls;
  while (*p) {
    while (is_ws(*p)) p++;
    const char *e = p;
    while (*e && !is_ws(*e)) e++;
    /* the words of one class name: "callout--note" -> callout, note */
    for (const char *w = p; w < e;) {
      while (w < e && (*w == '-' || *w == '_')) w++;
      const char *we = w;
      while (we < e && *we != '-' && *we != '_') we++;
      for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if ((size_t)(we - w) == strlen(types[i].word) &&
            !strncasecmp(w, types[i].word, (size_t)(we - w)))
          return types[i].marker;
      w = we;
    }
    p = e;
  }
  return NULL;
}

static void callout(cv *c, const GumboNode *n, const char *marker, blk *b) {
  para_close(b);
  cmark_node *bq = new_node(CMARK_NODE_BLOCK_QUOTE);
  put(b->parent, bq);
  blk inner = {bq, NULL};
  cmark_node *p = para_open(&inner);
  put(p, new_text(marker));
  put(p, new_node(CMARK_NODE_SOFTBREAK));
  /* a first <p> continues the marker's paragraph */
  const GumboVector *ch = &n->v.element.children;
  unsigned i = 0;
  while (i < ch->length && ((const GumboNode *)ch->data[i])->type == GUMBO_NODE_WHITESPACE) i++;
  if (i < ch->length && tag(ch->data[i]) == GUMBO_TAG_P) {
    inline_children(c, ch->data[i], p);
    trim_edge(p, false);
    para_close(&inner);
    i++;
  }
  for (; i < ch->length; i++) block(c, ch->data[i], &inner);
  para_close(&inner);
  /* the marker alone needs no break after it */
  cmark_node *last = cmark_node_first_child(bq);
  if (last && cmark_node_get_type(last) == CMARK_NODE_PARAGRAPH) trim_edge(last, false);
}

/* ---- code blocks ---- */

static char *code_language(const GumboNode *pre) {
  const GumboNode *code = NULL;
  const GumboVector *ch = &pre->v.element.children;
  for (unsigned i = 0; i < ch->length; i++)
    if (tag(ch->data[i]) == GUMBO_TAG_CODE) code = ch->data[i];
  const char *lang = attr(pre, "data-language");
  if (!lang && code) lang = attr(code, "data-language");
  if (lang && *lang) return hg_xstrdup(lang);
  const GumboNode *from[2] = {code, pre};
  for (int k = 0; k < 2; k++) {
    const char *cls = from[k] ? attr(from[k], "class") : NULL;
    if (!cls) continue;
    const char *p;
    if ((p = strstr(cls, "language-")) || (p = strstr(cls, "lang-"))) {
      p = strchr(p, '-') + 1;
      size_t l = 0;
      while (p[l] && !is_ws(p[l])) l++;
      if (l) return hg_xstrndup(p, l);
    }
    if ((p = strstr(cls, "brush:"))) { /* SyntaxHighlighter: "brush: js" */
      p += 6;
      while (is_ws(*p)) p++;
      size_t l = 0;
      while (p[l] && !is_ws(p[l]) && p[l] != ';') l++;
      if (l) return hg_xstrndup(p, l);
    }
  }
  return NULL;
}

static void code_block(cv *c, const GumboNode *n, blk *b) {
  (void)c;
  para_close(b);
  hg_buf t = HG_BUF_INIT;
  text_content(n, &t, 0);
  if (!t.len || t.data[t.len - 1] != '\n') hg_buf_putc(&t, '\n');
  cmark_node *cb = new_node(CMARK_NODE_CODE_BLOCK);
  cmark_node_set_literal(cb, hg_buf_cstr(&t));
  char *lang = code_language(n);
  cmark_node_set_fenced(cb, 1, 3, 0, '`');
  /* cmark writes a code block without an info string indented, which a
   * list before it would swallow: a blank info string keeps it fenced
   * (and reads back as none) */
  cmark_node_set_fence_info(cb, lang ? lang : " ");
  free(lang);
  put(b->parent, cb);
  hg_buf_free(&t);
}

/* ---- lists ---- */

static void list(cv *c, const GumboNode *n, blk *b) {
  para_close(b);
  cmark_node *l = new_node(CMARK_NODE_LIST);
  bool ordered = tag(n) == GUMBO_TAG_OL;
  cmark_node_set_list_type(l, ordered ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST);
  if (ordered) {
    const char *st = attr(n, "start");
    long s = st ? strtol(st, NULL, 10) : 1;
    cmark_node_set_list_start(l, s >= 0 && s < 1000000000 ? (int)s : 1);
    cmark_node_set_list_delim(l, CMARK_PERIOD_DELIM);
  }
  put(b->parent, l);
  bool tight = true;
  const GumboVector *ch = &n->v.element.children;
  cmark_node *loose_item = NULL; /* content between <li>s goes into the last item */
  for (unsigned i = 0; i < ch->length; i++) {
    const GumboNode *k = ch->data[i];
    if (k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_COMMENT) continue;
    cmark_node *item;
    if (tag(k) == GUMBO_TAG_LI) {
      item = new_node(CMARK_NODE_ITEM);
      put(l, item);
      check_style(c, k);
      blocks_of(c, k, item);
      loose_item = item;
    } else {
      if (!loose_item) {
        loose_item = new_node(CMARK_NODE_ITEM);
        put(l, loose_item);
      }
      item = loose_item;
      blk ib = {item, NULL};
      block(c, k, &ib);
      para_close(&ib);
    }
    size_t paras = 0;
    for (cmark_node *x = cmark_node_first_child(item); x; x = cmark_node_next(x))
      if (cmark_node_get_type(x) == CMARK_NODE_PARAGRAPH) paras++;
    if (paras > 1) tight = false;
  }
  if (!cmark_node_first_child(l)) {
    cmark_node_free(l);
    return;
  }
  cmark_node_set_list_tight(l, tight);
}

/* ---- tables ---- */

typedef struct {
  const GumboNode **v;
  size_t n, cap;
} rowvec;

static void collect_rows(const GumboNode *n, rowvec *rows, const GumboNode **caption, int depth) {
  const GumboVector *ch = &n->v.element.children;
  for (unsigned i = 0; i < ch->length; i++) {
    const GumboNode *k = ch->data[i];
    GumboTag t = tag(k);
    if (t == GUMBO_TAG_TR) {
      if (rows->n == rows->cap) {
        rows->cap = rows->cap ? rows->cap * 2 : 8;
        rows->v = hg_xrealloc(rows->v, rows->cap * sizeof *rows->v);
      }
      rows->v[rows->n++] = k;
    } else if ((t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TBODY || t == GUMBO_TAG_TFOOT) &&
               depth < 2) {
      collect_rows(k, rows, caption, depth + 1);
    } else if (t == GUMBO_TAG_CAPTION) {
      *caption = k;
    }
  }
}

static int cell_align(const GumboNode *cell) {
  const char *a = attr(cell, "align");
  const char *st = attr(cell, "style");
  const char *ta = st ? strstr(st, "text-align") : NULL;
  if (ta) {
    ta = strchr(ta, ':');
    if (ta) {
      ta++;
      while (is_ws(*ta)) ta++;
      a = ta;
    }
  }
  if (!a) return 0;
  if (!strncasecmp(a, "center", 6)) return 'c';
  if (!strncasecmp(a, "right", 5)) return 'r';
  if (!strncasecmp(a, "left", 4)) return 'l';
  return 0;
}

/* The inline content of a table cell: blocks inside become runs separated
 * by spaces (a GFM cell is one line). */
static void cell_inlines(cv *c, const GumboNode *n, cmark_node *cell, int depth) {
  const GumboVector *ch = &n->v.element.children;
  for (unsigned i = 0; i < ch->length; i++) {
    const GumboNode *k = ch->data[i];
    GumboTag t = tag(k);
    if (k->type == GUMBO_NODE_ELEMENT && (is_block_tag(t) || t == GUMBO_TAG_TABLE ||
                                          t == GUMBO_TAG_TR || t == GUMBO_TAG_TD ||
                                          t == GUMBO_TAG_TH || t == GUMBO_TAG_TBODY ||
                                          t == GUMBO_TAG_THEAD)) {
      if (depth == 0 && (t == GUMBO_TAG_UL || t == GUMBO_TAG_OL || t == GUMBO_TAG_TABLE ||
                         t == GUMBO_TAG_PRE)) {
        char *name = tag_name(k);
        note(c, k,
             "a Markdown table cell holds one line: split the table, or move the content "
             "below it",
             "a <%s> inside a table cell became plain text", name);
        free(name);
      }
      if (depth > MAX_DEPTH) continue;
      add_text(cell, " ");
      if (t == GUMBO_TAG_BR) continue;
      cell_inlines(c, k, cell, depth + 1);
      add_text(cell, " ");
    } else if (t == GUMBO_TAG_BR) {
      add_text(cell, " ");
    } else {
      inlines(c, k, cell);
    }
  }
}

/* A table cell. Not made with cmark_node_new_with_ext: the table
 * extension then allocates data for the cell that its free function never
 * frees (cmark-gfm 0.29.0.gfm.6); cells need none, only the extension. */
static cmark_node *new_cell(void) {
  cmark_node *c = cmark_node_new(g.t_cell);
  cmark_node_set_syntax_extension(c, g.table);
  return c;
}

static void table(cv *c, const GumboNode *n, blk *b) {
  para_close(b);
  rowvec rows = {0};
  const GumboNode *caption = NULL;
  collect_rows(n, &rows, &caption, 0);
  if (caption) {
    blk cb = {b->parent, NULL};
    cmark_node *p = para_open(&cb);
    cmark_node *strong = new_node(CMARK_NODE_STRONG);
    put(p, strong);
    inline_children(c, caption, strong);
    settle_span(strong);
    para_close(&cb);
  }
  size_t ncols = 0;
  for (size_t r = 0; r < rows.n; r++) {
    size_t k = 0;
    const GumboVector *ch = &rows.v[r]->v.element.children;
    for (unsigned i = 0; i < ch->length; i++) {
      GumboTag t = tag(ch->data[i]);
      if (t != GUMBO_TAG_TD && t != GUMBO_TAG_TH) continue;
      const char *cs = attr(ch->data[i], "colspan");
      long span = cs ? strtol(cs, NULL, 10) : 1;
      k += span > 1 && span < 100 ? (size_t)span : 1;
    }
    if (k > ncols) ncols = k;
  }
  if (!rows.n || !ncols || ncols > 1000) {
    free(rows.v);
    if (rows.n) note(c, n, "rebuild it by hand", "a table with over 1,000 columns dropped");
    return;
  }
  cmark_node *tbl = cmark_node_new_with_ext(g.t_table, g.table);
  uint8_t *align = hg_xcalloc(ncols, 1);
  cmark_gfm_extensions_set_table_columns(tbl, (uint16_t)ncols);
  put(b->parent, tbl);
  for (size_t r = 0; r < rows.n; r++) {
    cmark_node *row = cmark_node_new_with_ext(g.t_row, g.table);
    if (r == 0) cmark_gfm_extensions_set_table_row_is_header(row, 1);
    put(tbl, row);
    size_t k = 0;
    const GumboVector *ch = &rows.v[r]->v.element.children;
    for (unsigned i = 0; i < ch->length && k < ncols; i++) {
      const GumboNode *cn = ch->data[i];
      GumboTag t = tag(cn);
      if (t != GUMBO_TAG_TD && t != GUMBO_TAG_TH) continue;
      check_style(c, cn);
      cmark_node *cell = new_cell();
      put(row, cell);
      c->in_cell++;
      cell_inlines(c, cn, cell, 0);
      c->in_cell--;
      trim_edge(cell, true);
      trim_edge(cell, false);
      if (r == 0) align[k] = (uint8_t)cell_align(cn);
      k++;
      const char *cs = attr(cn, "colspan"), *rs = attr(cn, "rowspan");
      long span = cs ? strtol(cs, NULL, 10) : 1;
      if (span > 1 && span < 100) {
        note(c, cn, "Markdown tables have no merged cells: check the row reads right",
             "a cell spanning %ld columns became one cell and %ld empty ones", span, span - 1);
        for (long s = 1; s < span && k < ncols; s++, k++)
          put(row, new_cell());
      }
      if (rs && strtol(rs, NULL, 10) > 1)
        note(c, cn, "Markdown tables have no merged cells: repeat the value in each row",
             "a cell spanning %ld rows became one cell (the rows below it shift left)",
             strtol(rs, NULL, 10));
    }
    for (; k < ncols; k++) put(row, new_cell());
  }
  cmark_gfm_extensions_set_table_alignments(tbl, (uint16_t)ncols, align); /* copies */
  free(align);
  free(rows.v);
}

/* ---- the block walk ---- */

static void blocks_into(cv *c, const GumboNode *n, blk *b) {
  const GumboVector *ch = &n->v.element.children;
  for (unsigned i = 0; i < ch->length; i++) block(c, ch->data[i], b);
}

static void block(cv *c, const GumboNode *n, blk *b) {
  if (n->type == GUMBO_NODE_WHITESPACE) {
    if (b->para) add_text(b->para, " ");
    return;
  }
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
    add_text(para_open(b), n->v.text.text);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT) return;
  GumboTag t = n->v.element.tag;
  if (!is_block_tag(t) && t != GUMBO_TAG_IFRAME && t != GUMBO_TAG_SCRIPT &&
      t != GUMBO_TAG_STYLE && t != GUMBO_TAG_FORM) {
    if (t == GUMBO_TAG_BR && !b->para) return; /* a break between blocks */
    inlines(c, n, para_open(b));
    return;
  }
  if (c->depth > MAX_DEPTH) {
    note(c, n, "simplify the HTML", "elements nested over %d deep: the rest dropped", MAX_DEPTH);
    return;
  }
  c->depth++;
  check_style(c, n);
  const char *marker = NULL;
  if (t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE ||
      t == GUMBO_TAG_FORM) {
    para_close(b);
    blk one = {b->parent, NULL};
    unconvertible(c, n, t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_FORM ? para_open(&one) : NULL);
    para_close(&one);
  } else if (t == GUMBO_TAG_HEAD || t == GUMBO_TAG_TITLE || t == GUMBO_TAG_META ||
             t == GUMBO_TAG_LINK || t == GUMBO_TAG_BASE) {
    /* document head: nothing of the article */
  } else if ((t == GUMBO_TAG_DIV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_SECTION ||
              t == GUMBO_TAG_BLOCKQUOTE || t == GUMBO_TAG_P) &&
             (marker = callout_marker(n))) {
    callout(c, n, marker, b);
  } else if (t == GUMBO_TAG_P || t == GUMBO_TAG_DT || t == GUMBO_TAG_SUMMARY ||
             t == GUMBO_TAG_LEGEND || t == GUMBO_TAG_FIGCAPTION || t == GUMBO_TAG_ADDRESS) {
    para_close(b);
    blk pb = {b->parent, NULL};
    cmark_node *p = para_open(&pb);
    if (t == GUMBO_TAG_DT || t == GUMBO_TAG_SUMMARY || t == GUMBO_TAG_LEGEND) {
      cmark_node *s = new_node(CMARK_NODE_STRONG);
      put(p, s);
      inline_children(c, n, s);
      settle_span(s);
    } else if (t == GUMBO_TAG_FIGCAPTION) {
      cmark_node *s = new_node(CMARK_NODE_EMPH);
      put(p, s);
      inline_children(c, n, s);
      settle_span(s);
    } else {
      /* a <p> may hold blocks only by mistake; gumbo closes it before them */
      inline_children(c, n, p);
    }
    para_close(&pb);
  } else if (is_heading(t)) {
    para_close(b);
    cmark_node *h = new_node(CMARK_NODE_HEADING);
    cmark_node_set_heading_level(h, t - GUMBO_TAG_H1 + 1);
    put(b->parent, h);
    inline_children(c, n, h);
    trim_edge(h, true);
    trim_edge(h, false);
    /* a heading's id, for #links to it (see fix_anchors) */
    const char *id = attr(n, "id");
    if (!cmark_node_first_child(h)) cmark_node_free(h);
    else if (id && *id) cmark_node_set_user_data(h, hg_xstrdup(id));
  } else if (t == GUMBO_TAG_UL || t == GUMBO_TAG_OL) {
    list(c, n, b);
  } else if (t == GUMBO_TAG_LI) { /* an <li> outside a list */
    para_close(b);
    blocks_into(c, n, b);
    para_close(b);
  } else if (t == GUMBO_TAG_PRE) {
    code_block(c, n, b);
  } else if (t == GUMBO_TAG_BLOCKQUOTE) {
    para_close(b);
    cmark_node *q = new_node(CMARK_NODE_BLOCK_QUOTE);
    put(b->parent, q);
    blocks_of(c, n, q);
    if (!cmark_node_first_child(q)) cmark_node_free(q);
  } else if (t == GUMBO_TAG_TABLE) {
    table(c, n, b);
  } else if (t == GUMBO_TAG_HR) {
    para_close(b);
    put(b->parent, new_node(CMARK_NODE_THEMATIC_BREAK));
  } else if (t == GUMBO_TAG_DETAILS) {
    para_close(b);
    note(c, n, "the answer is always shown now; an FAQ page (type: faq) folds answers",
         "a <details> folding block became plain paragraphs");
    blocks_into(c, n, b);
    para_close(b);
  } else {
    /* div, section, figure, dl, dd, body...: a plain container */
    para_close(b);
    blocks_into(c, n, b);
    para_close(b);
  }
  c->depth--;
}

/* ---- after the walk ---------------------------------------------------------------- */

/* Plain text of a node's inline content (for heading ids and the summary). */
static void plain(cmark_node *n, hg_buf *b) {
  for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
    cmark_node_type t = cmark_node_get_type(k);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) hg_buf_puts(b, cmark_node_get_literal(k));
    else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) hg_buf_putc(b, ' ');
    else if (t != CMARK_NODE_IMAGE) plain(k, b);
  }
}

typedef struct {
  char **html_id, **md_id;
  size_t n, cap;
} idmap;

/* Rewrites "#id" links to the ids helpgen gives headings (from their text,
 * "-1", "-2"... for repeats, as markdown.c does); a link to an id that is
 * no heading here loses its target (noted), keeping its text. */
static void fix_anchors(cv *c, cmark_node *doc) {
  idmap m = {0};
  hg_strmap seen = {0};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING) continue;
    hg_buf t = HG_BUF_INIT;
    plain(n, &t);
    hg_buf s = HG_BUF_INIT;
    hg_slugify_to(&s, hg_buf_cstr(&t));
    char *id = hg_buf_steal(&s);
    if (!*id) {
      free(id);
      id = hg_xstrdup("section");
    }
    if (hg_strmap_get(&seen, id, 0)) {
      long k = hg_strmap_get(&seen, id, 1);
      char *alt = NULL;
      for (;; k++) {
        alt = hg_strdup_printf("%s-%ld", id, k);
        if (!hg_strmap_get(&seen, alt, 0)) break;
        free(alt);
      }
      hg_strmap_put(&seen, id, k + 1);
      free(id);
      id = alt;
    } else {
      hg_strmap_put(&seen, id, 1);
    }
    hg_strmap_put(&seen, id, hg_strmap_get(&seen, id, 1));
    hg_buf_free(&t);
    char *hid = cmark_node_get_user_data(n);
    if (hid) {
      if (m.n == m.cap) {
        m.cap = m.cap ? m.cap * 2 : 8;
        m.html_id = hg_xrealloc(m.html_id, m.cap * sizeof *m.html_id);
        m.md_id = hg_xrealloc(m.md_id, m.cap * sizeof *m.md_id);
      }
      m.html_id[m.n] = hid;
      m.md_id[m.n++] = hg_xstrdup(id);
      cmark_node_set_user_data(n, NULL);
    }
    free(id);
  }
  cmark_iter_free(it);
  /* links: collected first, as unlinking changes the tree under the iterator */
  cmark_node **bad = NULL;
  int *lines = NULL;
  size_t nbad = 0;
  it = cmark_iter_new(doc);
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_LINK) continue;
    const char *u = cmark_node_get_url(n);
    int line = (int)(intptr_t)cmark_node_get_user_data(n);
    cmark_node_set_user_data(n, NULL);
    if (!u || u[0] != '#') continue;
    size_t i = 0;
    while (i < m.n && strcmp(m.html_id[i], u + 1)) i++;
    if (i < m.n) {
      char *nu = hg_strdup_printf("#%s", m.md_id[i]);
      cmark_node_set_url(n, nu);
      free(nu);
    } else {
      bad = hg_xrealloc(bad, (nbad + 1) * sizeof *bad);
      lines = hg_xrealloc(lines, (nbad + 1) * sizeof *lines);
      lines[nbad] = line;
      bad[nbad++] = n;
    }
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < nbad; i++) {
    char *what = hg_strdup_printf("a link to '%s', which is no heading of this article, "
                                  "lost its target", cmark_node_get_url(bad[i]));
    hg_html2md_note_add(c->notes, lines[i], what,
                        "its text was kept; link to a heading (helpgen gives every heading "
                        "an id from its text)");
    free(what);
    cmark_node *k;
    while ((k = cmark_node_first_child(bad[i])) && cmark_node_insert_before(bad[i], k)) {
    }
    cmark_node_free(bad[i]);
  }
  free(bad);
  free(lines);
  for (size_t i = 0; i < m.n; i++) {
    free(m.html_id[i]);
    free(m.md_id[i]);
  }
  free(m.html_id);
  free(m.md_id);
  hg_strmap_free(&seen);
}

/* The first paragraph's plain text, shortened (see hg_html2md_out). */
static char *summary_of(cmark_node *doc) {
  for (cmark_node *k = cmark_node_first_child(doc); k; k = cmark_node_next(k)) {
    if (cmark_node_get_type(k) != CMARK_NODE_PARAGRAPH) continue;
    hg_buf t = HG_BUF_INIT;
    plain(k, &t);
    char *s = hg_buf_steal(&t);
    size_t l = strlen(s);
    while (l && is_ws(s[l - 1])) s[--l] = '\0';
    if (!l || s[0] == '[') { /* empty, or a callout marker */
      free(s);
      continue;
    }
    if (l > 160) {
      size_t cut = 160;
      while (cut > 60 && s[cut] != ' ') cut--;
      if (s[cut] != ' ') /* no space: cut on a UTF-8 boundary */
        while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
      s[cut] = '\0';
      char *t2 = hg_strdup_printf("%s...", s);
      free(s);
      s = t2;
    }
    return s;
  }
  return hg_xstrdup("");
}

/* Adjacent text nodes merged, and the double spaces that element edges
 * leave ("a <b> b</b>") made single. */
static void tidy_spaces(cmark_node *doc) {
  cmark_consolidate_text_nodes(doc);
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT) continue;
    const char *s = cmark_node_get_literal(n);
    if (!strstr(s, "  ")) continue;
    hg_buf b = HG_BUF_INIT;
    for (const char *p = s; *p; p++)
      if (!(*p == ' ' && p[1] == ' ')) hg_buf_putc(&b, *p);
    cmark_node_set_literal(n, hg_buf_cstr(&b));
    hg_buf_free(&b);
  }
  cmark_iter_free(it);
}

/* cmark's renderer writes "<!-- end list -->" (raw HTML, which helpgen
 * drops with a warning) between a list and a following list or code block;
 * our code blocks are always fenced (see code_block), so the only loss
 * without it is two adjacent lists of one kind read as one. A copy without
 * those lines. */
static char *drop_end_list(const char *md) {
  hg_buf b = HG_BUF_INIT;
  const char *p = md;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t l = e ? (size_t)(e - p) + 1 : strlen(p);
    const char *q = p;
    while (q < p + l && (*q == ' ' || *q == '>')) q++;
    if (!strncmp(q, "<!-- end list -->", 17) && (q[17] == '\n' || q[17] == '\0')) {
      /* and the blank line after it */
      p += l;
      const char *e2 = strchr(p, '\n');
      const char *r = p;
      while (e2 && r < e2 && (*r == ' ' || *r == '>')) r++;
      if (e2 && r == e2) p = e2 + 1;
      continue;
    }
    hg_buf_append(&b, p, l);
    p += l;
  }
  size_t k = 0;
  while (k < b.len && (b.data[k] == '\n' || b.data[k] == ' ')) k++;
  if (k == b.len) hg_buf_clear(&b); /* nothing but blank lines */
  else if (b.data[b.len - 1] != '\n') hg_buf_putc(&b, '\n');
  return hg_buf_steal(&b);
}

void hg_html2md(const char *html, size_t len, const hg_html2md_opts *opts, hg_html2md_out *out,
                hg_html2md_notes *notes) {
  pthread_once(&g_once, init_types);
  GumboOptions go = kGumboDefaultOptions;
  go.max_errors = 0;
  GumboOutput *g_out = gumbo_parse_with_options(&go, html, len);
  cv c = {opts, notes, 0, 0};
  cmark_node *doc = new_node(CMARK_NODE_DOCUMENT);
  blocks_of(&c, g_out->root, doc);
  gumbo_destroy_output(&go, g_out);
  fix_anchors(&c, doc);
  tidy_spaces(doc);
  out->summary = summary_of(doc);
  char *md = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
  out->markdown = drop_end_list(md);
  cmark_get_default_mem_allocator()->free(md);
  cmark_node_free(doc);
}
