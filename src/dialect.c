/* dialect.c - the non-GFM Markdown dialects' pieces (see hg_dialect.h):
 * callout types, the block-syntax line pass, media and video embeds, and the
 * wikilink name index.
 *
 * The line pass knows lines, indentation and code fences only (it does not
 * parse Markdown): an opener line becomes a marker comment at the same
 * container indentation, the block's body is dedented by the 4 columns
 * MkDocs requires, and a closing marker goes after it. cmark then parses
 * the result as usual, and markdown.c turns the nodes between two markers
 * into the callout or tab (a node-tree change). */
#include "hg_dialect.h"

#include <stdlib.h>
#include <string.h>

/* ---- callout types ------------------------------------------------------------ */

static const hg_callout_type types[] = {
    /* GitHub */
    {"note", "note", "Note"},
    {"tip", "tip", "Tip"},
    {"important", "important", "Important"},
    {"warning", "warning", "Warning"},
    {"caution", "caution", "Caution"},
    /* Obsidian and MkDocs-Material, with their aliases */
    {"abstract", "abstract", "Abstract"},
    {"summary", "abstract", "Summary"},
    {"tldr", "abstract", "TL;DR"},
    {"info", "info", "Info"},
    {"todo", "todo", "Todo"},
    {"hint", "tip", "Hint"},
    {"success", "success", "Success"},
    {"check", "success", "Check"},
    {"done", "success", "Done"},
    {"question", "question", "Question"},
    {"help", "question", "Help"},
    {"faq", "question", "FAQ"},
    {"attention", "warning", "Attention"},
    {"failure", "failure", "Failure"},
    {"fail", "failure", "Fail"},
    {"missing", "failure", "Missing"},
    {"danger", "danger", "Danger"},
    {"error", "danger", "Error"},
    {"bug", "bug", "Bug"},
    {"example", "example", "Example"},
    {"quote", "quote", "Quote"},
    {"cite", "quote", "Cite"},
    /* VuePress/VitePress */
    {"details", "note", "Details"},
};

static char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch; }

const hg_callout_type *hg_callout_type_find(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t m = strlen(types[i].name);
    if (m != n) continue;
    size_t k = 0;
    while (k < m && lower(s[k]) == types[i].name[k]) k++;
    if (k == m) return &types[i];
  }
  return NULL;
}

/* ---- the line pass ------------------------------------------------------------- */

enum { BLK_INDENT, BLK_COLON };

typedef struct {
  int type;
  int m;          /* input column of the opener */
  int rm;         /* columns removed from body lines */
  int out_indent; /* columns before the markers in the output */
  int colons;
  size_t block;
} open_blk;

typedef struct {
  hg_buf out;
  int *map, *shift;
  size_t nlines, cap;
  hg_dblock *blocks;
  size_t nblocks, capblocks;
  open_blk stack[32];
  int depth;
  bool last_blank;
  int tab_close_m; /* column of the tab block just closed, or -1 */
  const char *path;
  int line_offset;
  hg_diags *diags;
} pass;

static void put_line(pass *p, const char *s, size_t n, int src_line, int shift) {
  if (p->nlines == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 256;
    p->map = hg_xrealloc(p->map, p->cap * sizeof *p->map);
    p->shift = hg_xrealloc(p->shift, p->cap * sizeof *p->shift);
  }
  p->map[p->nlines] = src_line;
  p->shift[p->nlines] = shift;
  p->nlines++;
  hg_buf_append(&p->out, s, n);
  hg_buf_putc(&p->out, '\n');
  size_t k = 0;
  while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r')) k++;
  p->last_blank = k == n;
}

static void put_marker(pass *p, int indent, size_t block, bool close, int src_line) {
  hg_buf b = HG_BUF_INIT;
  for (int i = 0; i < indent; i++) hg_buf_putc(&b, ' ');
  hg_buf_printf(&b, "%s%s%zu-->", HG_DIALECT_MARK, close ? "/" : "", block);
  if (close && !p->last_blank) put_line(p, "", 0, src_line, 0);
  put_line(p, hg_buf_cstr(&b), b.len, src_line, 0);
  hg_buf_free(&b);
}

/* Columns of leading whitespace (tabs to the next multiple of 4) and the
 * offset of the first other byte. */
static int indent_of(const char *s, size_t n, size_t *first) {
  int col = 0;
  size_t i = 0;
  for (; i < n && (s[i] == ' ' || s[i] == '\t'); i++) col = s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
  *first = i;
  return col;
}

/* The line with `rm` columns of its indentation removed. */
static void put_dedented(pass *p, const char *s, size_t n, int rm, int src_line) {
  if (rm <= 0) {
    put_line(p, s, n, src_line, 0);
    return;
  }
  size_t first;
  int ind = indent_of(s, n, &first);
  int keep = ind > rm ? ind - rm : 0;
  hg_buf b = HG_BUF_INIT;
  for (int i = 0; i < keep; i++) hg_buf_putc(&b, ' ');
  hg_buf_append(&b, s + first, n - first);
  put_line(p, hg_buf_cstr(&b), b.len, src_line, (int)first - keep);
  hg_buf_free(&b);
}

static hg_dblock *new_block(pass *p) {
  if (p->nblocks == p->capblocks) {
    p->capblocks = p->capblocks ? p->capblocks * 2 : 8;
    p->blocks = hg_xrealloc(p->blocks, p->capblocks * sizeof *p->blocks);
  }
  hg_dblock *b = &p->blocks[p->nblocks++];
  memset(b, 0, sizeof *b);
  return b;
}

static void close_top(pass *p, int src_line) {
  open_blk *o = &p->stack[--p->depth];
  if (o->type == BLK_COLON) {
    hg_dblock *b = &p->blocks[o->block];
    hg_diags_add(p->diags, HG_WARN, p->path, b->src_line + p->line_offset, b->src_col,
                 "':::%s' block is never closed (add a line ':::' where it ends); it runs "
                 "to the end of its container",
                 b->type);
  }
  put_marker(p, o->out_indent, o->block, true, src_line);
  p->tab_close_m = p->blocks[o->block].kind == HG_DBLOCK_TAB ? o->m : -1;
}

static bool is_word(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '-' || ch == '_';
}

static char *lower_dup(const char *s, size_t n) {
  char *r = hg_xstrndup(s, n);
  for (char *q = r; *q; q++) *q = lower(*q);
  return r;
}

static char *trim_dup(const char *s, const char *e) {
  while (s < e && (*s == ' ' || *s == '\t')) s++;
  while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
  return hg_xstrndup(s, (size_t)(e - s));
}

/* "!!! type extra "Title"", "??? type", "???+ type": MkDocs admonitions. */
static bool parse_admonition(const char *s, const char *e, hg_dblock *b) {
  if (e - s < 4) return false;
  int fold;
  if (!memcmp(s, "!!!", 3)) fold = 0;
  else if (!memcmp(s, "???", 3)) fold = -1;
  else return false;
  s += 3;
  if (fold && s < e && *s == '+') fold = 1, s++;
  if (s < e && *s == ' ') s++;
  const char *t = s;
  while (s < e && is_word(*s)) s++;
  if (s == t) return false;
  const char *te = s;
  while (s < e && (*s == ' ' || is_word(*s))) s++; /* "inline end" and the like */
  const char *title = NULL, *title_end = NULL;
  if (s < e && *s == '"') {
    title = s + 1;
    title_end = e - 1;
    if (title_end < title || *title_end != '"') return false;
  } else if (s != e) {
    return false;
  }
  b->kind = HG_DBLOCK_CALLOUT;
  b->type = lower_dup(t, (size_t)(te - t));
  b->title = title ? hg_xstrndup(title, (size_t)(title_end - title)) : NULL;
  b->fold = fold;
  return true;
}

/* "=== "Tab"", "===+ "Tab"", "===! "Tab"": MkDocs-Material content tabs. */
static bool parse_tab(const char *s, const char *e, hg_dblock *b) {
  if (e - s < 6 || memcmp(s, "===", 3)) return false;
  s += 3;
  bool sel = false, bang = false;
  if (*s == '+') sel = true, s++;
  else if (*s == '!') bang = true, s++;
  if (s >= e || *s != ' ') return false;
  while (s < e && *s == ' ') s++;
  if (e - s < 2 || *s != '"' || e[-1] != '"') return false;
  b->kind = HG_DBLOCK_TAB;
  b->title = hg_xstrndup(s + 1, (size_t)(e - s - 2));
  b->selected = sel;
  b->new_group = bang;
  return true;
}

/* ":::type Title", ":::type[Title]", "::: type Title" (Docusaurus, VuePress,
 * VitePress). Sets *colons; a bare ":::" is a closer (returns false). */
static bool parse_colon(const char *s, const char *e, hg_dblock *b, int *colons) {
  int n = 0;
  while (s < e && *s == ':') s++, n++;
  *colons = n;
  if (n < 3) return false;
  while (s < e && *s == ' ') s++;
  const char *t = s;
  while (s < e && is_word(*s)) s++;
  if (s == t) return false;
  const char *te = s;
  char *title = NULL;
  if (s < e && *s == '[') {
    const char *close = e;
    while (close > s && close[-1] != ']') close--;
    if (close <= s + 1) return false;
    title = hg_xstrndup(s + 1, (size_t)(close - 1 - (s + 1)));
  } else if (s < e && *s == ' ') {
    title = trim_dup(s, e);
    if (!*title) {
      free(title);
      title = NULL;
    }
  } else if (s != e) {
    return false;
  }
  b->kind = HG_DBLOCK_CALLOUT;
  b->type = lower_dup(t, (size_t)(te - t));
  b->title = title;
  b->fold = !strcmp(b->type, "details") ? -1 : 0;
  return true;
}

static int char_col(const char *line, size_t off) {
  int chars = 0;
  for (size_t i = 0; i < off; i++)
    if (((unsigned char)line[i] & 0xC0) != 0x80) chars++;
  return chars + 1;
}

/* Obsidian %% comments %% removed (newlines kept), outside code fences and
 * code spans. Returns a new string of *n bytes or NULL when there are none. */
static char *drop_comments(const char *md, size_t len, size_t *n) {
  if (!memmem(md, len, "%%", 2)) return NULL;
  hg_buf b = HG_BUF_INIT;
  bool changed = false, bol = true;
  char fence = 0;
  size_t fence_len = 0;
  for (size_t i = 0; i < len;) {
    if (bol) { /* fences, line by line */
      size_t eol = i;
      while (eol < len && md[eol] != '\n') eol++;
      size_t k = i;
      while (k < eol && (md[k] == ' ' || md[k] == '\t')) k++;
      size_t run = 0;
      while (k + run < eol && (md[k + run] == '`' || md[k + run] == '~') && md[k + run] == md[k]) run++;
      if (run >= 3 && (!fence || (md[k] == fence && run >= fence_len))) {
        if (fence) fence = 0;
        else fence = md[k], fence_len = run;
        size_t to = eol < len ? eol + 1 : eol; /* the line and its newline */
        hg_buf_append(&b, md + i, to - i);
        i = to;
        continue;
      }
      if (fence) {
        size_t to = eol < len ? eol + 1 : eol;
        hg_buf_append(&b, md + i, to - i);
        i = to;
        continue;
      }
      bol = false;
    }
    char ch = md[i];
    if (ch == '\n') {
      hg_buf_putc(&b, ch);
      i++;
      bol = true;
      continue;
    }
    if (ch == '`') { /* a code span: copy through its closing run */
      size_t run = 0;
      while (i + run < len && md[i + run] == '`') run++;
      size_t j = i + run, end = 0;
      while (j < len) {
        if (md[j] == '\n' && j + 1 < len && md[j + 1] == '\n') break;
        if (md[j] == '`') {
          size_t r2 = 0;
          while (j + r2 < len && md[j + r2] == '`') r2++;
          if (r2 == run) { end = j + r2; break; }
          j += r2;
          continue;
        }
        j++;
      }
      size_t to = end ? end : i + run;
      hg_buf_append(&b, md + i, to - i);
      for (size_t q = i; q < to; q++)
        if (md[q] == '\n') bol = false; /* stays inside one paragraph */
      i = to;
      continue;
    }
    if (ch == '%' && i + 1 < len && md[i + 1] == '%') {
      const char *close = memmem(md + i + 2, len - i - 2, "%%", 2);
      if (close) {
        size_t to = (size_t)(close - md) + 2;
        for (size_t q = i; q < to; q++)
          if (md[q] == '\n') hg_buf_putc(&b, '\n');
        changed = true;
        i = to;
        continue;
      }
    }
    hg_buf_putc(&b, ch);
    i++;
  }
  if (!changed) {
    hg_buf_free(&b);
    return NULL;
  }
  *n = b.len;
  return hg_buf_steal(&b);
}

bool hg_dialect_preprocess(const char *md, size_t len, unsigned off, const char *path,
                           int line_offset, hg_dialect_src *out, hg_diags *diags) {
  memset(out, 0, sizeof *out);
  if (!md) return false;
  size_t clen = 0;
  char *uncommented = !(off & HG_DIALECT_OBSIDIAN) ? drop_comments(md, len, &clen) : NULL;
  if (uncommented) md = uncommented, len = clen;
  bool mk = !(off & HG_DIALECT_MKDOCS) &&
            (memmem(md, len, "!!!", 3) || memmem(md, len, "???", 3) ||
             memmem(md, len, "===", 3));
  bool colon = !(off & HG_DIALECT_DOCUSAURUS) && memmem(md, len, ":::", 3);
  if (!mk && !colon && !uncommented) return false;

  pass p = {.out = HG_BUF_INIT, .path = path, .line_offset = line_offset, .diags = diags,
            .last_blank = true, .tab_close_m = -1};
  char fence = 0;
  size_t fence_len = 0;
  int fence_depth = 0;
  int line_no = 0;
  for (size_t i = 0; i < len;) {
    size_t eol = i;
    while (eol < len && md[eol] != '\n') eol++;
    const char *ln = md + i;
    size_t n = eol - i;
    line_no++;
    i = eol < len ? eol + 1 : eol;
    if (eol == len && n == 0) break;

    size_t first;
    int ind = indent_of(ln, n, &first);
    const char *s = ln + first, *e = ln + n;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
    bool blank = s == e;

    if (!blank) { /* a line left of an indented body ends that body */
      int k = 0;
      while (k < p.depth && !(p.stack[k].type == BLK_INDENT && ind < p.stack[k].m + 4)) k++;
      while (p.depth > k) close_top(&p, line_no);
      if (fence && fence_depth > p.depth) fence = 0;
    }
    int rm = p.depth ? p.stack[p.depth - 1].rm : 0;

    size_t run = 0;
    while (s + run < e && (s[run] == '`' || s[run] == '~') && s[run] == s[0]) run++;
    if (fence) {
      if (run >= fence_len && s[0] == fence && s + run == e) fence = 0;
      put_dedented(&p, ln, n, rm, line_no);
      continue;
    }
    if (run >= 3) {
      fence = s[0];
      fence_len = run;
      fence_depth = p.depth;
      put_dedented(&p, ln, n, rm, line_no);
      if (!blank) p.tab_close_m = -1;
      continue;
    }
    if (blank) {
      put_dedented(&p, ln, n, rm, line_no);
      continue;
    }

    hg_dblock b = {0};
    int colons = 0;
    bool opener = false, is_colon = false;
    if (mk && (*s == '!' || *s == '?' || *s == '=')) opener = parse_admonition(s, e, &b) || parse_tab(s, e, &b);
    if (!opener && colon && *s == ':') {
      opener = parse_colon(s, e, &b, &colons);
      is_colon = true;
      if (!opener && colons >= 3) {
        /* a closer: the innermost ::: block with as many colons */
        const char *q = s + colons;
        while (q < e && *q == ' ') q++;
        int k = p.depth - 1;
        while (k >= 0 && !(p.stack[k].type == BLK_COLON && p.stack[k].colons == colons)) k--;
        if (q == e && k >= 0) {
          while (p.depth > k + 1) close_top(&p, line_no);
          open_blk *o = &p.stack[--p.depth];
          put_marker(&p, o->out_indent, o->block, true, line_no);
          p.tab_close_m = -1;
          continue;
        }
      }
    }
    if (!opener || p.depth == (int)(sizeof p.stack / sizeof p.stack[0])) {
      free(b.type);
      free(b.title);
      put_dedented(&p, ln, n, rm, line_no);
      p.tab_close_m = -1;
      continue;
    }
    if (b.kind == HG_DBLOCK_TAB) {
      b.new_group = b.new_group || p.tab_close_m != ind;
    }
    p.tab_close_m = -1;
    b.src_line = line_no;
    b.src_col = char_col(ln, first);
    int out_indent = ind > rm ? ind - rm : 0;
    size_t idx = p.nblocks;
    *new_block(&p) = b;
    put_marker(&p, out_indent, idx, false, line_no);
    p.blocks[idx].out_line = (int)p.nlines;
    open_blk *o = &p.stack[p.depth++];
    o->type = is_colon ? BLK_COLON : BLK_INDENT;
    o->m = ind;
    o->rm = is_colon ? rm : rm + 4 + (ind - rm - out_indent);
    o->out_indent = out_indent;
    o->colons = colons;
    o->block = idx;
  }
  while (p.depth > 0) close_top(&p, line_no);
  free(uncommented);
  out->text = hg_buf_steal(&p.out);
  out->len = strlen(out->text);
  out->line_map = p.map;
  out->col_shift = p.shift;
  out->nlines = p.nlines;
  out->blocks = p.blocks;
  out->nblocks = p.nblocks;
  return true;
}

void hg_dialect_src_free(hg_dialect_src *s) {
  if (!s) return;
  free(s->text);
  free(s->line_map);
  free(s->col_shift);
  for (size_t i = 0; i < s->nblocks; i++) {
    free(s->blocks[i].type);
    free(s->blocks[i].title);
  }
  free(s->blocks);
  memset(s, 0, sizeof *s);
}

/* ---- media ------------------------------------------------------------------------ */

int hg_media_kind(const char *url) {
  if (!url) return HG_MEDIA_NONE;
  size_t n = strcspn(url, "?#");
  size_t dot = n;
  while (dot > 0 && url[dot - 1] != '.' && url[dot - 1] != '/') dot--;
  if (dot == 0 || url[dot - 1] != '.' || n - dot > 5) return HG_MEDIA_NONE;
  char ext[8];
  size_t k = 0;
  for (size_t i = dot; i < n; i++) ext[k++] = lower(url[i]);
  ext[k] = 0;
  static const char *const video[] = {"mp4", "webm", "ogv", "mov", "m4v"};
  static const char *const audio[] = {"mp3", "ogg", "oga", "wav", "m4a", "flac", "opus", "aac"};
  for (size_t i = 0; i < sizeof video / sizeof video[0]; i++)
    if (!strcmp(ext, video[i])) return HG_MEDIA_VIDEO;
  for (size_t i = 0; i < sizeof audio / sizeof audio[0]; i++)
    if (!strcmp(ext, audio[i])) return HG_MEDIA_AUDIO;
  return HG_MEDIA_NONE;
}

/* s starts with one of the prefixes (case ignored)? Returns what follows. */
static const char *after_prefix(const char *s, const char *const *pre, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t m = strlen(pre[i]), k = 0;
    while (k < m && s[k] && lower(s[k]) == pre[i][k]) k++;
    if (k == m) return s + m;
  }
  return NULL;
}

static size_t id_len(const char *s, bool digits) {
  size_t n = 0;
  while (s[n] && (digits ? (s[n] >= '0' && s[n] <= '9') : is_word(s[n]))) n++;
  return n;
}

bool hg_video_embed(const char *url, const char *label, hg_buf *html) {
  static const char *const yt_watch[] = {
      "https://www.youtube.com/watch?v=", "https://youtube.com/watch?v=",
      "https://m.youtube.com/watch?v=", "http://www.youtube.com/watch?v="};
  static const char *const yt_short[] = {
      "https://youtu.be/", "https://www.youtube.com/embed/", "https://www.youtube.com/shorts/",
      "https://www.youtube-nocookie.com/embed/", "http://youtu.be/"};
  static const char *const vimeo[] = {"https://vimeo.com/", "https://player.vimeo.com/video/",
                                      "https://www.vimeo.com/"};
  if (!url) return false;
  const char *id;
  char *embed = NULL, *page = NULL, *site = NULL;
  size_t n;
  if ((id = after_prefix(url, yt_watch, 4)) || (id = after_prefix(url, yt_short, 5))) {
    n = id_len(id, false);
    if (n != 11 || (id[n] && id[n] != '&' && id[n] != '?' && id[n] != '#')) return false;
    embed = hg_strdup_printf("https://www.youtube-nocookie.com/embed/%.*s?autoplay=1", (int)n, id);
    page = hg_strdup_printf("https://www.youtube.com/watch?v=%.*s", (int)n, id);
    site = "YouTube";
  } else if ((id = after_prefix(url, vimeo, 3))) {
    n = id_len(id, true);
    if (n < 3 || (id[n] && id[n] != '?' && id[n] != '#' && id[n] != '/')) return false;
    embed = hg_strdup_printf("https://player.vimeo.com/video/%.*s?autoplay=1&dnt=1", (int)n, id);
    page = hg_strdup_printf("https://vimeo.com/%.*s", (int)n, id);
    site = "Vimeo";
  } else {
    return false;
  }
  const char *what = label && *label && strcmp(label, url) ? label : "Play the video";
  /* the player document: one link that loads the embed into this frame */
  hg_buf doc = HG_BUF_INIT;
  hg_buf_puts(&doc, "<style>html,body{height:100%;margin:0}a{display:flex;height:100%;"
                    "align-items:center;justify-content:center;gap:.5em;background:#111;"
                    "color:#fff;font:1.1rem system-ui,sans-serif;text-decoration:none}"
                    "a span{font-size:2.5rem}</style><a href=\"");
  hg_buf_put_html(&doc, embed, strlen(embed));
  hg_buf_puts(&doc, "\"><span aria-hidden=\"true\">&#9654;</span> ");
  hg_buf_put_html(&doc, what, strlen(what));
  hg_buf_printf(&doc, " (loads %s)</a>", site);
  hg_buf_printf(html, "<figure class=\"video-embed\">\n<iframe title=\"%s video: ", site);
  hg_buf_put_html(html, what, strlen(what));
  hg_buf_puts(html, "\" srcdoc=\"");
  hg_buf_put_html(html, hg_buf_cstr(&doc), doc.len);
  hg_buf_puts(html, "\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen "
                    "loading=\"lazy\"></iframe>\n<figcaption><a href=\"");
  hg_buf_put_html(html, page, strlen(page));
  hg_buf_printf(html, "\">Watch on %s</a></figcaption>\n</figure>\n", site);
  hg_buf_free(&doc);
  free(embed);
  free(page);
  return true;
}

/* ---- the name index ------------------------------------------------------------- */

typedef struct {
  char *key; /* lower-cased name */
  hg_name_target *t[3];
  size_t n[3], cap[3];
} name_slot;

struct hg_name_index {
  name_slot *slots;
  size_t cap, len;
};

static char *fold(const char *s) {
  char *r = hg_xstrdup(s);
  for (char *q = r; *q; q++) *q = lower(*q);
  return r;
}

static name_slot *slot_of(const hg_name_index *x, const char *key) {
  size_t mask = x->cap - 1, i = (size_t)hg_hash64(key, strlen(key)) & mask;
  while (x->slots[i].key && strcmp(x->slots[i].key, key)) i = (i + 1) & mask;
  return &x->slots[i];
}

hg_name_index *hg_name_index_new(void) { return hg_xcalloc(1, sizeof(hg_name_index)); }

void hg_name_index_add(hg_name_index *x, const char *name, int rank, const hg_name_target *t) {
  if (!name || !*name || rank < 0 || rank > 2) return;
  if ((x->len + 1) * 10 >= x->cap * 7) {
    hg_name_index big = {hg_xcalloc(x->cap ? x->cap * 2 : 64, sizeof(name_slot)),
                         x->cap ? x->cap * 2 : 64, x->len};
    for (size_t i = 0; i < x->cap; i++)
      if (x->slots[i].key) *slot_of(&big, x->slots[i].key) = x->slots[i];
    free(x->slots);
    *x = big;
  }
  char *key = fold(name);
  name_slot *s = slot_of(x, key);
  if (!s->key) {
    s->key = key;
    x->len++;
  } else {
    free(key);
  }
  for (size_t i = 0; i < s->n[rank]; i++)
    if (!strcmp(s->t[rank][i].rel_path, t->rel_path)) return;
  if (s->n[rank] == s->cap[rank]) {
    s->cap[rank] = s->cap[rank] ? s->cap[rank] * 2 : 2;
    s->t[rank] = hg_xrealloc(s->t[rank], s->cap[rank] * sizeof *s->t[rank]);
  }
  s->t[rank][s->n[rank]++] = *t;
}

size_t hg_name_index_find(const hg_name_index *x, const char *name,
                          const hg_name_target **out) {
  *out = NULL;
  if (!x || !x->cap || !name) return 0;
  char *key = fold(name);
  name_slot *s = slot_of(x, key);
  free(key);
  if (!s->key) return 0;
  for (int r = 0; r < 3; r++)
    if (s->n[r]) {
      *out = s->t[r];
      return s->n[r];
    }
  return 0;
}

void hg_name_index_free(hg_name_index *x) {
  if (!x) return;
  for (size_t i = 0; i < x->cap; i++) {
    free(x->slots[i].key);
    for (int r = 0; r < 3; r++) free(x->slots[i].t[r]);
  }
  free(x->slots);
  free(x);
}
