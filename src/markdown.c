/* markdown.c - stage 4: one article's Markdown body to HTML with cmark-gfm,
 * plus heading ids, table of contents, callouts, FAQ items, local link
 * rewriting, raw HTML policy, template-variable warnings and plain text; the
 * result to and from a binary record for the build cache.
 *
 * How it works: cmark-gfm parses the body into a tree; we rewrite the tree
 * (our own markup goes in as custom nodes or HTML_INLINE nodes, user raw HTML
 * is replaced before that) and render it with CMARK_OPT_UNSAFE, so the
 * sanitising that cmark's safe mode would do is done here on the tree.
 *
 * Positions: cmark gives 1-based lines and byte columns inside the body; every
 * position we report adds opts->line_offset to the line and turns the column
 * into a 1-based count of characters (code points) on that line. */
#include "hg_markdown.h"

#include "hg_dialect.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* cmark-gfm 0.29 keeps the inline parser's table of special characters in a
 * process-wide array: every parser adds its extensions' characters (':' 'w'
 * '~') when it starts parsing inlines and removes them when it is done, so
 * a parser finishing on one thread switches autolinks and strikethrough off
 * for a parser still working on another (github/cmark-gfm#221). Inline
 * parsing (cmark_parser_finish) is therefore serialized; block parsing,
 * the tree rewriting and HTML rendering still run in parallel. */
static pthread_mutex_t g_inline_lock = PTHREAD_MUTEX_INITIALIZER;

/* Set once by hg_md_init (before threads), read-only afterwards. */
static cmark_syntax_extension *g_ext[4];
static const char *const g_ext_names[4] = {"table", "strikethrough",
                                           "autolink", "tasklist"};

#define PARSE_OPTS (CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8)
#define RENDER_OPTS (CMARK_OPT_UNSAFE)
#define RAW_HTML_PLACEHOLDER "<!-- raw HTML omitted -->"
#define MAX_VAR_NAME 200

/* ---- a per-thread arena for cmark ------------------------------------------
 * cmark allocates every node, literal and buffer of a document on its own
 * (a third of this stage's time went to malloc and free). While a thread
 * renders one document, cmark's allocations come from that thread's arena
 * instead: bump allocation, free is a no-op (or gives back the last block),
 * and the whole arena is reset once the document's tree is freed. The
 * chunks stay with the thread for its next document (up to ARENA_KEEP) and
 * are freed when it exits. Nested or very large documents use malloc. */
#define ARENA_CHUNK (256 * 1024)
#define ARENA_KEEP (4 * 1024 * 1024)
#define ARENA_MAX_DOC (1024 * 1024) /* larger documents use malloc */

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t size, used; /* bytes of data */
  _Alignas(16) unsigned char data[];
} arena_chunk;

typedef struct {
  arena_chunk *chunks; /* in use, the current one first */
  arena_chunk *spare;  /* emptied by the last reset */
  void *last;          /* the newest block, which can grow or go in place */
  bool busy;
} arena;

typedef struct {
  _Alignas(16) size_t size; /* the block's usable size */
} arena_head;

static pthread_key_t g_arena_key;
static pthread_once_t g_arena_once = PTHREAD_ONCE_INIT;
static __thread arena *t_arena;

static void chunks_free(arena_chunk *c) {
  while (c) {
    arena_chunk *n = c->next;
    free(c);
    c = n;
  }
}

static void arena_destroy(void *p) {
  arena *a = p;
  chunks_free(a->chunks);
  chunks_free(a->spare);
  free(a);
}

static void arena_key_init(void) { pthread_key_create(&g_arena_key, arena_destroy); }

static void *arena_alloc(size_t size) {
  arena *a = t_arena;
  size = (size + 15) & ~(size_t)15;
  size_t need = sizeof(arena_head) + size;
  arena_chunk *c = a->chunks;
  if (!c || c->size - c->used < need) { /* a spare chunk, else a new one */
    if (a->spare && a->spare->size >= need) {
      c = a->spare;
      a->spare = c->next;
    } else {
      size_t sz = need > ARENA_CHUNK ? need : ARENA_CHUNK;
      c = hg_xmalloc(sizeof *c + sz);
      c->size = sz;
    }
    c->used = 0;
    c->next = a->chunks;
    a->chunks = c;
  }
  arena_head *h = (arena_head *)(c->data + c->used);
  c->used += need;
  h->size = size;
  a->last = h + 1;
  return h + 1;
}

static void *arena_calloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) abort();
  void *p = arena_alloc(n * size);
  memset(p, 0, n * size);
  return p;
}

static void *arena_realloc(void *p, size_t size) {
  if (!p) return arena_alloc(size);
  arena *a = t_arena;
  arena_head *h = (arena_head *)p - 1;
  if (size <= h->size) return p;
  size_t grown = (size + 15) & ~(size_t)15;
  arena_chunk *c = a->chunks;
  if (p == a->last && c->size - c->used >= grown - h->size) { /* grow in place */
    c->used += grown - h->size;
    h->size = grown;
    return p;
  }
  void *q = arena_alloc(size);
  memcpy(q, p, h->size);
  return q;
}

static void arena_free(void *p) {
  arena *a = t_arena;
  if (!p || p != a->last) return;
  arena_head *h = (arena_head *)p - 1;
  a->chunks->used -= sizeof *h + h->size; /* the newest block: give it back */
  a->last = NULL;
}

static cmark_mem g_arena_mem = {arena_calloc, arena_realloc, arena_free};

/* The allocator for one document: this thread's arena when it is free and
 * the document small, else cmark's default. Pair with mem_release. */
static cmark_mem *mem_acquire(size_t len) {
  if (len > ARENA_MAX_DOC) return cmark_get_default_mem_allocator();
  if (!t_arena) {
    pthread_once(&g_arena_once, arena_key_init);
    t_arena = hg_xcalloc(1, sizeof *t_arena);
    pthread_setspecific(g_arena_key, t_arena);
  }
  if (t_arena->busy) return cmark_get_default_mem_allocator();
  t_arena->busy = true;
  return &g_arena_mem;
}

/* Everything cmark allocated from `mem` must be gone (the tree freed). */
static void mem_release(cmark_mem *mem) {
  if (mem != &g_arena_mem) return;
  arena *a = t_arena;
  size_t kept = 0;
  for (arena_chunk *c = a->spare; c; c = c->next) kept += c->size;
  while (a->chunks) {
    arena_chunk *c = a->chunks;
    a->chunks = c->next;
    if (kept + c->size > ARENA_KEEP) {
      free(c);
      continue;
    }
    kept += c->size;
    c->next = a->spare;
    a->spare = c;
  }
  a->last = NULL;
  a->busy = false;
}

void hg_md_init(void) {
  cmark_gfm_core_extensions_ensure_registered();
  for (size_t i = 0; i < 4; i++) g_ext[i] = cmark_find_syntax_extension(g_ext_names[i]);
}

/* ---- small containers ---------------------------------------------------- */

typedef struct {
  cmark_node **v;
  size_t n, cap;
} nodevec;

static void nv_push(nodevec *nv, cmark_node *n) {
  if (nv->n == nv->cap) {
    nv->cap = nv->cap ? nv->cap * 2 : 16;
    nv->v = hg_xrealloc(nv->v, nv->cap * sizeof *nv->v);
  }
  nv->v[nv->n++] = n;
}

/* String -> size_t map, open addressing; keys are copied. */
typedef struct {
  char *key;
  size_t val;
} hm_slot;

typedef struct {
  hm_slot *slots;
  size_t cap, len;
} hmap;

static size_t hm_index(const hmap *m, const char *key) {
  size_t mask = m->cap - 1;
  size_t i = (size_t)hg_hash64(key, strlen(key)) & mask;
  while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0) i = (i + 1) & mask;
  return i;
}

static size_t *hm_get(const hmap *m, const char *key) {
  if (!m->cap) return NULL;
  size_t i = hm_index(m, key);
  return m->slots[i].key ? &m->slots[i].val : NULL;
}

static size_t *hm_put(hmap *m, const char *key, size_t val) {
  if ((m->len + 1) * 10 >= m->cap * 7) {
    hmap bigger = {hg_xcalloc(m->cap ? m->cap * 2 : 64, sizeof(hm_slot)),
                   m->cap ? m->cap * 2 : 64, m->len};
    for (size_t i = 0; i < m->cap; i++)
      if (m->slots[i].key) bigger.slots[hm_index(&bigger, m->slots[i].key)] = m->slots[i];
    free(m->slots);
    *m = bigger;
  }
  size_t i = hm_index(m, key);
  if (!m->slots[i].key) {
    m->slots[i].key = hg_xstrdup(key);
    m->len++;
  }
  m->slots[i].val = val;
  return &m->slots[i].val;
}

static void hm_free(hmap *m) {
  for (size_t i = 0; i < m->cap; i++) free(m->slots[i].key);
  free(m->slots);
  memset(m, 0, sizeof *m);
}

/* ---- render state ---------------------------------------------------------- */

typedef struct {
  char *name;
  size_t count;
  int line, col;
} tvar;

typedef struct {
  cmark_node *node;
  char *id;   /* owned here until handed to toc/faq */
  char *text; /* plain text, owned here until handed over */
  int level;
  bool question; /* FAQ mode: this h2 opens an item */
} heading;

typedef struct {
  const hg_md_opts *o;
  hg_diags *diags;
  const char *src;
  size_t len;
  size_t *lines; /* byte offset where each line starts; built on demand */
  size_t nlines;
  hmap ids;      /* every id used on the page */
  hmap id_next;  /* base id -> next suffix to try */
  hmap var_idx;  /* template variable name -> index in vars */
  tvar *vars;
  size_t nvars, capvars;
  bool html_warned;
  const hg_dialect_src *pre; /* the dialect line pass, or NULL */
  hmap warned;   /* dialect warnings given once per file: key -> index in notes */
  tvar *notes;   /* their first position and count (name = message) */
  size_t nnotes, capnotes;
  size_t ntabsets;
} md_ctx;

/* user_data of the nodes this stage makes (not user raw HTML) */
static const char g_own = 0;
static const char g_tabset = 0;

static bool is_block_type(cmark_node_type t) {
  return (t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
}

/* New nodes take the allocator of the tree they go into: cmark frees a
 * whole tree with the allocator of its root. */
static cmark_node *custom_node(cmark_node_type t, cmark_mem *mem, const char *enter,
                               const char *leave) {
  cmark_node *n = cmark_node_new_with_mem(t, mem);
  cmark_node_set_on_enter(n, enter);
  cmark_node_set_on_exit(n, leave);
  return n;
}

/* Moves every child of `from` to the end of `to`; a child `to` refuses is
 * dropped (never happens for the node kinds we use, but must not loop).
 * cmark-gfm 0.29 lets inline literals point into their block's buffer, so
 * the children are made to own their text first: `from` may be freed next. */
static void move_children(cmark_node *from, cmark_node *to) {
  cmark_node *c;
  cmark_node_own(from);
  while ((c = cmark_node_first_child(from)) != NULL) {
    if (!cmark_node_append_child(to, c)) {
      cmark_node_unlink(c);
      cmark_node_free(c);
    }
  }
}

/* ---- positions ------------------------------------------------------------- */

static void build_lines(md_ctx *c) {
  if (c->lines) return;
  size_t cap = 64;
  c->lines = hg_xmalloc(cap * sizeof *c->lines);
  c->lines[0] = 0;
  c->nlines = 1;
  for (size_t i = 0; i < c->len; i++) {
    char ch = c->src[i];
    if (ch != '\n' && ch != '\r') continue;
    if (ch == '\r' && i + 1 < c->len && c->src[i + 1] == '\n') i++;
    if (c->nlines == cap) {
      cap *= 2;
      c->lines = hg_xrealloc(c->lines, cap * sizeof *c->lines);
    }
    c->lines[c->nlines++] = i + 1;
  }
}

static size_t line_end(const md_ctx *c, size_t line /* 1-based */) {
  return line < c->nlines ? c->lines[line] : c->len;
}

/* Byte offset of cmark's (line, byte column), clamped into the source. */
static size_t offset_of(md_ctx *c, int line, int col) {
  build_lines(c);
  if (line < 1) return 0;
  if ((size_t)line > c->nlines) return c->len;
  size_t off = c->lines[line - 1] + (size_t)(col > 1 ? col - 1 : 0);
  size_t end = line_end(c, (size_t)line);
  return off > end ? end : off;
}

/* Reported position of a byte offset: file line, character column. */
static void report_pos(md_ctx *c, size_t off, int *line, int *col) {
  build_lines(c);
  size_t lo = 0, hi = c->nlines; /* last line start <= off */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->lines[mid] <= off) lo = mid;
    else hi = mid;
  }
  size_t chars = 0;
  for (size_t i = c->lines[lo]; i < off && i < c->len; i++)
    if (((unsigned char)c->src[i] & 0xC0) != 0x80) chars++;
  int l = (int)lo + 1, shift = 0;
  if (c->pre && lo < c->pre->nlines) {
    l = c->pre->line_map[lo];
    shift = c->pre->col_shift[lo];
  }
  *line = l + c->o->line_offset;
  *col = (int)chars + 1 + shift > 0 ? (int)chars + 1 + shift : 1;
}

/* cmark leaves some inline nodes (breaks, extension autolinks) at 0:0; use
 * the nearest ancestor that has a position. */
static void node_start(cmark_node *n, int *line, int *col) {
  for (; n; n = cmark_node_parent(n)) {
    if (cmark_node_get_start_line(n) > 0) {
      *line = cmark_node_get_start_line(n);
      *col = cmark_node_get_start_column(n);
      return;
    }
  }
  *line = 1;
  *col = 1;
}

static void node_report_pos(md_ctx *c, cmark_node *n, int *line, int *col) {
  int l, k;
  node_start(n, &l, &k);
  report_pos(c, offset_of(c, l, k), line, col);
}

/* ---- plain text ------------------------------------------------------------ */

/* cmark-gfm writes a table column's alignment as <th align="left|center|right">
 * (and <td ...>), which HTML made obsolete; write class="align-..." instead (the
 * theme's CSS aligns those). Takes html (from cmark), returns a new string. */
static char *align_to_class(const char *html) {
  static const char *const side[] = {"left", "center", "right"};
  if (!strstr(html, " align=\"")) return hg_xstrdup(html); /* no table: one exact copy */
  hg_buf b = HG_BUF_INIT;
  const char *r = html;
  for (const char *p; (p = strstr(r, " align=\"")) != NULL; ) {
    int k = -1;
    size_t n = 0;
    if (p >= html + 3 && p[-3] == '<' && p[-2] == 't' && (p[-1] == 'h' || p[-1] == 'd')) {
      for (int i = 0; i < 3; i++) {
        n = strlen(side[i]);
        if (strncmp(p + 8, side[i], n) == 0 && p[8 + n] == '"' && p[9 + n] == '>') { k = i; break; }
      }
    }
    if (k < 0) { hg_buf_append(&b, r, (size_t)(p - r) + 1); r = p + 1; continue; }
    hg_buf_append(&b, r, (size_t)(p - r));
    hg_buf_printf(&b, " class=\"align-%s\"", side[k]);
    r = p + 9 + n;
  }
  hg_buf_puts(&b, r);
  return hg_buf_steal(&b);
}

/* Inline text of a heading, image alt, ...: text and code literals, breaks as
 * spaces; raw HTML and footnote markers left out. */
static void inline_text(cmark_node *root, hg_buf *b) {
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || n == root) continue;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
      hg_buf_puts(b, cmark_node_get_literal(n));
      break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      hg_buf_putc(b, ' ');
      break;
    default:
      break;
    }
  }
  cmark_iter_free(it);
}

static bool is_space(unsigned char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Collapses whitespace runs to one space and trims. Returns a new string. */
static char *squash(const char *s, size_t n) {
  hg_buf b = HG_BUF_INIT;
  bool space = false;
  for (size_t i = 0; i < n; i++) {
    if (is_space((unsigned char)s[i])) {
      space = b.len > 0;
      continue;
    }
    if (space) hg_buf_putc(&b, ' ');
    space = false;
    hg_buf_putc(&b, s[i]);
  }
  return hg_buf_steal(&b);
}

static char *heading_text(cmark_node *h) {
  hg_buf b = HG_BUF_INIT;
  inline_text(h, &b);
  char *t = squash(hg_buf_cstr(&b), b.len);
  hg_buf_free(&b);
  return t;
}

/* Body text for search and excerpts: every block starts on a new line. */
static char *block_text(cmark_node *root) {
  hg_buf b = HG_BUF_INIT;
  bool sep = false;
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (is_block_type(t)) {
      sep = true;
      if (t != CMARK_NODE_CODE_BLOCK || ev != CMARK_EVENT_ENTER) continue;
    }
    if (ev != CMARK_EVENT_ENTER) continue;
    const char *lit = NULL;
    size_t litlen = 0;
    switch (t) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
    case CMARK_NODE_CODE_BLOCK:
      lit = cmark_node_get_literal(n);
      litlen = strlen(lit);
      while (t == CMARK_NODE_CODE_BLOCK && litlen && lit[litlen - 1] == '\n') litlen--;
      break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      lit = " ";
      litlen = 1;
      break;
    default:
      break;
    }
    if (!litlen) continue;
    if (sep && b.len && b.data[b.len - 1] != '\n') hg_buf_putc(&b, '\n');
    sep = false;
    hg_buf_append(&b, lit, litlen);
  }
  cmark_iter_free(it);
  /* kept until the page is rendered: no spare capacity */
  char *t = hg_xstrndup(hg_buf_cstr(&b), b.len);
  hg_buf_free(&b);
  return t;
}

/* Words in plain text. Whitespace-separated runs count one each; scripts
 * written without spaces are estimated instead: Han/kana count one word per
 * 2 characters, Thai/Lao/Myanmar/Khmer one per 4 code points (per run,
 * rounded up). Malformed UTF-8 bytes count as letters. */
enum { CH_SPACE, CH_WORD, CH_CJK, CH_SEA };

static int char_class(uint32_t cp) {
  if (cp < 0x80) return is_space((unsigned char)cp) ? CH_SPACE : CH_WORD;
  if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 ||
      (cp >= 0x3000 && cp <= 0x303F) /* CJK spaces and punctuation */)
    return CH_SPACE;
  if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
      (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
      (cp >= 0x20000 && cp <= 0x3FFFF))
    return CH_CJK;
  if ((cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
      (cp >= 0x1780 && cp <= 0x17FF))
    return CH_SEA;
  return CH_WORD;
}

static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i) {
  unsigned char b = s[*i];
  size_t need = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (b < 0x80 || need == 0 || *i + need >= n) {
    (*i)++;
    return b < 0x80 ? b : 0xFFFD;
  }
  uint32_t cp = b & (0x3Fu >> need);
  for (size_t k = 1; k <= need; k++) {
    if ((s[*i + k] & 0xC0) != 0x80) {
      (*i)++;
      return 0xFFFD;
    }
    cp = (cp << 6) | (s[*i + k] & 0x3Fu);
  }
  *i += need + 1;
  return cp;
}

static size_t run_words(int cls, size_t run) {
  switch (cls) {
  case CH_WORD: return run ? 1 : 0;
  case CH_CJK: return (run + 1) / 2;
  case CH_SEA: return (run + 3) / 4;
  default: return 0;
  }
}

static size_t count_words(const char *text) {
  const unsigned char *s = (const unsigned char *)text;
  size_t n = strlen(text), i = 0, words = 0, run = 0;
  int state = CH_SPACE;
  for (;;) {
    bool end = i >= n;
    int cls = end ? CH_SPACE : char_class(next_cp(s, n, &i));
    if (cls != state) {
      words += run_words(state, run);
      run = 0;
      state = cls;
    }
    run++;
    if (end) break;
  }
  return words;
}

/* ---- ids ----------------------------------------------------------------- */

static char *unique_id(md_ctx *c, const char *text) {
  hg_buf slug = HG_BUF_INIT;
  hg_slugify_to(&slug, text);
  char *base = hg_buf_steal(&slug);
  if (!*base) {
    free(base);
    base = hg_xstrdup("section");
  }
  if (!hm_get(&c->ids, base)) {
    hm_put(&c->ids, base, 0);
    return base;
  }
  size_t *next = hm_get(&c->id_next, base);
  size_t k = next ? *next : 1;
  char *id = NULL;
  for (;; k++) {
    id = hg_strdup_printf("%s-%zu", base, k);
    if (!hm_get(&c->ids, id)) break;
    free(id);
  }
  hm_put(&c->id_next, base, k + 1);
  hm_put(&c->ids, id, 0);
  free(base);
  return id;
}

/* ---- template variables -------------------------------------------------- */

static bool var_name_at(const char *s, size_t n, size_t at, size_t *start, size_t *nlen,
                        size_t *end) {
  /* s[at..] starts with "{{"; extra '{' are skipped ("{{{x}}}"). */
  size_t i = at + 2;
  while (i < n && s[i] == '{') i++;
  if (i < n && (s[i] == '<' || s[i] == '%')) return false; /* shortcode */
  size_t close = i;
  while (close + 1 < n && !(s[close] == '}' && s[close + 1] == '}')) {
    if (s[close] == '\n' || s[close] == '\r' || close - i > MAX_VAR_NAME) return false;
    close++;
  }
  if (close + 1 >= n) return false;
  size_t a = i, b = close;
  while (a < b && is_space((unsigned char)s[a])) a++;
  while (b > a && is_space((unsigned char)s[b - 1])) b--;
  if (a == b) return false;
  *start = a;
  *nlen = b - a;
  *end = close + 2;
  return true;
}

/* Source position of the first "{{name}}" at or after `from` inside the
 * block that holds `n`; falls back to the node's own position. */
static void locate_var(md_ctx *c, cmark_node *n, const char *name, int *line, int *col) {
  int l, k;
  node_start(n, &l, &k);
  size_t from = offset_of(c, l, k);
  cmark_node *blk = n;
  while (blk && !is_block_type(cmark_node_get_type(blk))) blk = cmark_node_parent(blk);
  int end_line = blk ? cmark_node_get_end_line(blk) : 0;
  size_t to = end_line >= l ? line_end(c, (size_t)end_line) : c->len;
  size_t nl = strlen(name);
  for (size_t i = from; i + 1 < to; i++) {
    if (c->src[i] != '{' || c->src[i + 1] != '{') continue;
    size_t a, len, e;
    if (var_name_at(c->src, to, i, &a, &len, &e) && len == nl &&
        memcmp(c->src + a, name, nl) == 0) {
      report_pos(c, i, line, col);
      return;
    }
  }
  report_pos(c, from, line, col);
}

static void scan_vars(md_ctx *c, cmark_node *n, const char *s) {
  size_t len = strlen(s);
  const char *p = s;
  while ((p = strstr(p, "{{")) != NULL) {
    size_t at = (size_t)(p - s), a, nlen, end;
    if (!var_name_at(s, len, at, &a, &nlen, &end)) {
      p += 2;
      continue;
    }
    char *name = hg_xstrndup(s + a, nlen);
    size_t *idx = hm_get(&c->var_idx, name);
    if (idx) {
      c->vars[*idx].count++;
      free(name);
    } else {
      if (c->nvars == c->capvars) {
        c->capvars = c->capvars ? c->capvars * 2 : 8;
        c->vars = hg_xrealloc(c->vars, c->capvars * sizeof *c->vars);
      }
      tvar *v = &c->vars[c->nvars];
      v->name = name;
      v->count = 1;
      locate_var(c, n, name, &v->line, &v->col);
      hm_put(&c->var_idx, name, c->nvars++);
    }
    p = s + end;
  }
}

/* ---- raw HTML and URLs ------------------------------------------------------ */

static bool only_comments(const char *s) {
  for (;;) {
    while (is_space((unsigned char)*s)) s++;
    if (!*s) return true;
    if (strncmp(s, "<!--", 4) != 0) return false;
    const char *e = strstr(s + 4, "-->");
    if (!e) return false;
    s = e + 3;
  }
}

static void sanitize_html(md_ctx *c, cmark_node *n) {
  if (cmark_node_get_user_data(n) == &g_own) return;
  const char *lit = cmark_node_get_literal(n);
  if (lit && only_comments(lit)) { /* a comment is never content: drop quietly */
    cmark_node_set_literal(n, "");
    return;
  }
  cmark_node_set_literal(n, RAW_HTML_PLACEHOLDER);
  if (c->html_warned) return;
  c->html_warned = true;
  int line, col;
  node_report_pos(c, n, &line, &col);
  hg_diags_add(c->diags, HG_WARN, c->o->path, line, col,
               "raw HTML omitted (set markdown.unsafe: true in helpgen.yaml to allow it)");
}

static char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch; }

/* What cmark's safe mode refuses: javascript:, vbscript:, file:, data:
 * except data:image/{png,gif,jpeg,webp}. Leading spaces/controls and
 * tab/CR/LF anywhere are ignored, as browsers do. */
static bool url_dangerous(const char *u) {
  while (*u && (unsigned char)*u <= 0x20) u++;
  char p[16];
  size_t k = 0;
  for (; *u && k < sizeof p - 1; u++)
    if (*u != '\t' && *u != '\n' && *u != '\r') p[k++] = lower(*u);
  p[k] = 0;
  static const char *const ok[] = {"data:image/png", "data:image/gif", "data:image/jpeg",
                                   "data:image/webp"};
  static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
  for (size_t i = 0; i < 4; i++)
    if (hg_str_has_prefix(p, ok[i])) return false;
  for (size_t i = 0; i < 4; i++)
    if (hg_str_has_prefix(p, bad[i])) return true;
  return false;
}

static bool is_alpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static bool url_local(const char *u) {
  return *u && u[0] != '#' && !hg_url_has_scheme(u);
}

static void resolve_url(md_ctx *c, cmark_node *n, int kind) {
  const char *url = cmark_node_get_url(n);
  if (!url || !url_local(url) || strstr(url, "{{")) return;
  size_t pathlen = strcspn(url, "?#");
  if (pathlen == 0) return;
  char *path = hg_percent_decode(url, pathlen);
  int line, col;
  node_report_pos(c, n, &line, &col);
  char *to = c->o->resolve(c->o->resolve_ctx, path, kind, line, col, c->diags);
  free(path);
  if (!to) return;
  char *full = hg_strdup_printf("%s%s", to, url + pathlen);
  free(to);
  cmark_node_set_url(n, full);
  free(full);
}

/* houdini_escape_href's rules: keep URL characters, &-escape & and ', %XX
 * the rest, so image src matches what cmark writes for link href. */
static void put_href(hg_buf *b, const char *u) {
  static const char safe[] = "-_.+!*(),%#@?=;:/$~";
  for (const unsigned char *p = (const unsigned char *)u; *p; p++) {
    if (is_alpha((char)*p) || is_digit((char)*p) || (*p < 0x80 && strchr(safe, *p)))
      hg_buf_putc(b, (char)*p);
    else if (*p == '&')
      hg_buf_puts(b, "&amp;");
    else if (*p == '\'')
      hg_buf_puts(b, "&#x27;");
    else
      hg_buf_printf(b, "%%%02X", *p);
  }
}

/* The image hook's attributes for a local image (before it is resolved). */
static char *image_attrs(md_ctx *c, cmark_node *n) {
  const char *url = cmark_node_get_url(n);
  if (!c->o->image_attrs || !url || !url_local(url) || strstr(url, "{{")) return NULL;
  size_t pathlen = strcspn(url, "?#");
  if (pathlen == 0) return NULL;
  char *path = hg_percent_decode(url, pathlen);
  hg_buf a = HG_BUF_INIT;
  c->o->image_attrs(c->o->image_ctx, path, &a);
  free(path);
  return hg_buf_steal(&a);
}

/* <img> as an HTML_INLINE node (allowed everywhere an image is, table cells
 * included, unlike custom inlines): the hook's attributes, and
 * loading="lazy" decoding="async" unless it is the page's first image. */
static void replace_image(cmark_node *img, const char *alt, const char *attrs, bool first,
                          cmark_mem *mem) {
  hg_buf h = HG_BUF_INIT;
  hg_buf_puts(&h, "<img src=\"");
  put_href(&h, cmark_node_get_url(img));
  hg_buf_puts(&h, "\" alt=\"");
  hg_buf_put_html(&h, alt, strlen(alt));
  const char *title = cmark_node_get_title(img);
  if (title && *title) {
    hg_buf_puts(&h, "\" title=\"");
    hg_buf_put_html(&h, title, strlen(title));
  }
  hg_buf_putc(&h, '"');
  if (attrs) hg_buf_puts(&h, attrs);
  hg_buf_puts(&h, first ? " />" : " loading=\"lazy\" decoding=\"async\" />");
  cmark_node *html = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, mem);
  cmark_node_set_literal(html, hg_buf_cstr(&h));
  if (cmark_node_insert_before(img, html)) {
    cmark_node_unlink(img);
    cmark_node_free(img);
  } else {
    cmark_node_free(html);
  }
  hg_buf_free(&h);
}

/* ---- dialect warnings, once per file ------------------------------------- */

/* Warns at line:col the first time `key` comes up in this file (msg is
 * taken); later uses only count. */
static void note_once(md_ctx *c, const char *key, int line, int col, char *msg) {
  size_t *i = hm_get(&c->warned, key);
  if (i) {
    c->notes[*i].count++;
    free(msg);
    return;
  }
  if (c->nnotes == c->capnotes) {
    c->capnotes = c->capnotes ? c->capnotes * 2 : 8;
    c->notes = hg_xrealloc(c->notes, c->capnotes * sizeof *c->notes);
  }
  c->notes[c->nnotes] = (tvar){msg, 1, line, col};
  hm_put(&c->warned, key, c->nnotes++);
}

static void flush_notes(md_ctx *c) {
  for (size_t i = 0; i < c->nnotes; i++) {
    tvar *v = &c->notes[i];
    if (v->count > 1)
      hg_diags_add(c->diags, HG_WARN, c->o->path, v->line, v->col, "%s (%zu times in this file)",
                   v->name, v->count);
    else
      hg_diags_add(c->diags, HG_WARN, c->o->path, v->line, v->col, "%s", v->name);
    free(v->name);
  }
}

static bool dialect_on(const md_ctx *c, unsigned d) { return !(c->o->dialects_off & d); }

/* ---- callouts -------------------------------------------------------------- */

/* The opening markup of a callout of type `name` (as written): an <aside>,
 * or a <details> when foldable (fold 1 open, -1 closed). title_html NULL: the
 * type's default title; "": no title line (the caller may add title nodes).
 * An unknown type renders as a note (with a warning at line:col). */
static char *callout_enter(md_ctx *c, const char *name, int fold, const char *title_html,
                           bool title_nodes, int line, int col) {
  const hg_callout_type *t = hg_callout_type_find(name, strlen(name));
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b, "<%s class=\"callout callout-%s", fold ? "details" : "aside",
                t ? t->kind : "note");
  if (!t) {
    hg_buf_printf(&b, " callout-%s", name);
    char *key = hg_strdup_printf("callout:%s", name);
    note_once(c, key, line, col,
              hg_strdup_printf("unknown callout type '%s', rendered as a note (known types: note, "
                               "tip, important, warning, caution, abstract, info, todo, success, "
                               "question, failure, danger, bug, example, quote and their aliases)",
                               name));
    free(key);
  }
  hg_buf_puts(&b, fold ? "\"" : "\" role=\"note\"");
  if (fold > 0) hg_buf_puts(&b, " open");
  hg_buf_puts(&b, ">\n");
  char *deflt = NULL;
  if (!title_html) {
    if (t) {
      title_html = t->title;
    } else { /* "pied-piper" -> "Pied-piper" */
      deflt = hg_xstrdup(name);
      if (*deflt >= 'a' && *deflt <= 'z') *deflt = (char)(*deflt - 32);
      title_html = deflt;
    }
  }
  if (!title_nodes && (*title_html || fold))
    hg_buf_printf(&b, fold ? "<summary class=\"callout-title\">%s</summary>"
                           : "<p class=\"callout-title\">%s</p>",
                  *title_html ? title_html : (t ? t->title : "Details"));
  free(deflt);
  return hg_buf_steal(&b);
}

typedef struct {
  char name[40]; /* type, lower case */
  int fold;
  size_t rest;   /* offset of the title text in the marker's literal */
  bool title;    /* a title follows the marker */
} callout_info;

/* "> [!type]" (GitHub: alone on its line) or, with Obsidian on,
 * "> [!type]+ Title" / "> [!type]- Title". */
static bool callout_parse(md_ctx *c, cmark_node *bq, callout_info *ci) {
  cmark_node *para = cmark_node_first_child(bq);
  if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) return false;
  cmark_consolidate_text_nodes(para); /* cmark-gfm merges them already; cheap */
  cmark_node *t = cmark_node_first_child(para);
  if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT) return false;
  const char *lit = cmark_node_get_literal(t);
  if (lit[0] != '[' || lit[1] != '!') return false;
  size_t i = 2, n = 0;
  while (lit[i] && lit[i] != ']' && n < sizeof ci->name - 1) {
    char ch = lower(lit[i]);
    if (!((ch >= 'a' && ch <= 'z') || is_digit(ch) || ch == '-' || ch == '_')) return false;
    ci->name[n++] = ch;
    i++;
  }
  if (lit[i] != ']' || n == 0) return false;
  ci->name[n] = 0;
  i++;
  bool obsidian = dialect_on(c, HG_DIALECT_OBSIDIAN);
  ci->fold = 0;
  if (obsidian && (lit[i] == '+' || lit[i] == '-')) ci->fold = lit[i++] == '+' ? 1 : -1;
  while (is_space((unsigned char)lit[i])) i++;
  ci->rest = i;
  cmark_node *after = cmark_node_next(t);
  bool brk = !after || cmark_node_get_type(after) == CMARK_NODE_SOFTBREAK ||
             cmark_node_get_type(after) == CMARK_NODE_LINEBREAK;
  ci->title = lit[i] || !brk;
  if (!obsidian) /* GitHub: the marker alone, a known type */
    return !ci->title && hg_callout_type_find(ci->name, n) != NULL;
  return true;
}

static void make_callout(md_ctx *c, cmark_node *bq, const callout_info *ci, cmark_mem *mem) {
  int line, col;
  node_report_pos(c, bq, &line, &col);
  char *enter = callout_enter(c, ci->name, ci->fold, ci->title ? "" : NULL, ci->title, line, col);
  cmark_node *aside = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, enter,
                                  ci->fold ? "</details>" : "</aside>");
  free(enter);
  if (!cmark_node_insert_before(bq, aside)) {
    cmark_node_free(aside);
    return;
  }
  cmark_node *para = cmark_node_first_child(bq);
  cmark_node *marker = cmark_node_first_child(para);
  if (ci->title) { /* the rest of the marker line, markup kept */
    cmark_node *blk = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, "", "");
    cmark_node *inl = custom_node(CMARK_NODE_CUSTOM_INLINE, mem,
                                  ci->fold ? "<summary class=\"callout-title\">"
                                           : "<p class=\"callout-title\">",
                                  ci->fold ? "</summary>" : "</p>");
    cmark_node_append_child(blk, inl);
    cmark_node_append_child(aside, blk);
    cmark_node_own(para);
    const char *lit = cmark_node_get_literal(marker);
    if (lit[ci->rest]) {
      cmark_node *tx = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);
      cmark_node_set_literal(tx, lit + ci->rest);
      cmark_node_append_child(inl, tx);
    }
    cmark_node *n = cmark_node_next(marker);
    cmark_node_free(marker);
    while (n && cmark_node_get_type(n) != CMARK_NODE_SOFTBREAK &&
           cmark_node_get_type(n) != CMARK_NODE_LINEBREAK) {
      cmark_node *next = cmark_node_next(n);
      if (!cmark_node_append_child(inl, n)) cmark_node_free(n);
      n = next;
    }
    if (n) cmark_node_free(n);
  } else {
    cmark_node *brk = cmark_node_next(marker);
    cmark_node_free(marker); /* cmark_node_free unlinks */
    if (brk) cmark_node_free(brk);
  }
  if (!cmark_node_first_child(para)) cmark_node_free(para);
  move_children(bq, aside);
  cmark_node_free(bq);
}

/* ---- the dialect line pass's blocks: callouts and tabs ------------------- */

static bool marker_of(cmark_node *n, size_t *idx, bool *close) {
  if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK) return false;
  const char *lit = cmark_node_get_literal(n);
  size_t m = strlen(HG_DIALECT_MARK);
  while (lit && *lit == ' ') lit++; /* up to 3 spaces inside a container */
  if (!lit || strncmp(lit, HG_DIALECT_MARK, m) != 0) return false;
  lit += m;
  *close = *lit == '/';
  if (*close) lit++;
  char *end;
  unsigned long v = strtoul(lit, &end, 10);
  if (end == lit || strncmp(end, "-->", 3) != 0) return false;
  *idx = (size_t)v;
  return true;
}

static char *tab_enter(size_t set, size_t k, const char *title, bool checked) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b, "<input class=\"tabs-input\" type=\"radio\" name=\"tabs-%zu\" "
                    "id=\"tabs-%zu-%zu\"%s>\n<label class=\"tabs-label\" for=\"tabs-%zu-%zu\">",
                set, set, k, checked ? " checked" : "", set, k);
  hg_buf_put_html(&b, title, strlen(title));
  hg_buf_puts(&b, "</label>\n<div class=\"tabs-panel\">");
  return hg_buf_steal(&b);
}

/* Wraps what lies between each pair of markers in its callout or tab. */
static void wrap_blocks(md_ctx *c, cmark_node *doc, cmark_mem *mem) {
  const hg_dialect_src *pre = c->pre;
  nodevec opens = {0}, all = {0};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    size_t idx;
    bool close;
    if (ev == CMARK_EVENT_ENTER && marker_of(n, &idx, &close)) {
      nv_push(&all, n);
      if (!close && idx < pre->nblocks && pre->blocks[idx].out_line == cmark_node_get_start_line(n))
        nv_push(&opens, n);
    }
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < opens.n; i++) {
    cmark_node *open = opens.v[i], *end = cmark_node_next(open);
    size_t idx, j;
    bool close;
    marker_of(open, &idx, &close);
    while (end && !(marker_of(end, &j, &close) && close && j == idx)) end = cmark_node_next(end);
    if (!end) continue; /* not siblings: the body stays as it is */
    const hg_dblock *b = &pre->blocks[idx];
    int line = b->src_line + c->o->line_offset;
    cmark_node *wrap;
    if (b->kind == HG_DBLOCK_CALLOUT) {
      hg_buf t = HG_BUF_INIT;
      if (b->title) hg_buf_put_html(&t, b->title, strlen(b->title));
      char *enter = callout_enter(c, b->type, b->fold, b->title ? hg_buf_cstr(&t) : NULL, false,
                                  line, b->src_col);
      hg_buf_free(&t);
      wrap = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, enter, b->fold ? "</details>" : "</aside>");
      free(enter);
      if (!cmark_node_insert_before(open, wrap)) {
        cmark_node_free(wrap);
        continue;
      }
    } else {
      cmark_node *set = cmark_node_previous(open);
      size_t mi;
      bool mc;
      while (set && marker_of(set, &mi, &mc)) set = cmark_node_previous(set); /* go at the end */
      if (b->new_group || !set || cmark_node_get_user_data(set) != &g_tabset) {
        set = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, "<div class=\"tabs\">", "</div>");
        cmark_node_set_user_data(set, (void *)&g_tabset);
        if (!cmark_node_insert_before(open, set)) {
          cmark_node_free(set);
          continue;
        }
        c->ntabsets++;
      }
      size_t k = 0;
      for (cmark_node *p = cmark_node_first_child(set); p; p = cmark_node_next(p)) k++;
      cmark_node *first = cmark_node_first_child(set);
      const hg_dblock *fb = first ? cmark_node_get_user_data(first) : NULL;
      bool checked = k == 0 || (b->selected && fb && !fb->selected);
      if (checked && k > 0) { /* ===+ takes the selection from the first tab */
        char *fe = tab_enter(c->ntabsets, 1, fb->title, false);
        cmark_node_set_on_enter(first, fe);
        free(fe);
      }
      char *enter = tab_enter(c->ntabsets, k + 1, b->title ? b->title : "", checked);
      wrap = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, enter, "</div>");
      free(enter);
      cmark_node_set_user_data(wrap, (void *)b);
      cmark_node_append_child(set, wrap);
    }
    cmark_node *n;
    while ((n = cmark_node_next(open)) != end)
      if (!cmark_node_append_child(wrap, n)) cmark_node_free(n);
  }
  /* every marker goes, paired or not */
  for (size_t i = 0; i < all.n; i++) cmark_node_free(all.v[i]);
  free(opens.v);
  free(all.v);
}

/* ---- Obsidian and Jekyll inline constructs ---------------------------------- */

typedef struct hg_md_embed {
  const char *rel_path;
  const struct hg_md_embed *up;
} hg_md_embed;

static cmark_node *own_html(cmark_mem *mem, cmark_node_type t, const char *html) {
  cmark_node *n = cmark_node_new_with_mem(t, mem);
  cmark_node_set_literal(n, html);
  cmark_node_set_user_data(n, (void *)&g_own);
  return n;
}

static cmark_node *text_node(cmark_mem *mem, const char *s, size_t n) {
  cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);
  char *lit = hg_xstrndup(s, n);
  cmark_node_set_literal(t, lit);
  free(lit);
  return t;
}

/* Path characters kept as they are in a link destination; the rest %XX. */
static void put_path(hg_buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (is_alpha((char)*p) || is_digit((char)*p) || strchr("-_.~/!$'()*+,;=:@", *p))
      hg_buf_putc(b, (char)*p);
    else
      hg_buf_printf(b, "%%%02X", *p);
  }
}

/* The section of a note's Markdown that starts at heading `want` (its
 * text, case ignored) and runs to the next heading of the same or a higher
 * level; sets *skip to the lines before it. NULL when there is none. */
static char *md_section(const char *md, size_t len, const char *want, int *skip) {
  char *w = squash(want, strlen(want));
  int level = 0, line = 0;
  size_t from = 0;
  bool fence = false, found = false;
  char *out = NULL;
  for (size_t i = 0; i <= len && !out;) {
    size_t eol = i;
    while (eol < len && md[eol] != '\n') eol++;
    const char *s = md + i;
    size_t n = eol - i, k = 0;
    if (n >= 3 && (!memcmp(s, "```", 3) || !memcmp(s, "~~~", 3))) fence = !fence;
    while (k < n && s[k] == '#') k++;
    if (!fence && k >= 1 && k <= 6 && (k == n || s[k] == ' ')) {
      if (found && (int)k <= level) {
        out = hg_xstrndup(md + from, i - from);
        break;
      }
      char *h = squash(s + k, n - k);
      size_t hl = strlen(h);
      while (hl && h[hl - 1] == '#') h[--hl] = 0; /* closing #s */
      char *h2 = squash(h, strlen(h));
      if (!found && !strcasecmp(h2, w)) {
        found = true;
        level = (int)k;
        from = i;
        *skip = line;
      }
      free(h);
      free(h2);
    }
    line++;
    if (eol >= len) break;
    i = eol + 1;
  }
  if (found && !out) out = hg_xstrndup(md + from, len - from);
  free(w);
  return out;
}

/* Looks up a wikilink target; reports a missing or ambiguous one at
 * line:col. Returns the target or NULL. */
static const hg_name_target *wiki_target(md_ctx *c, const char *name, int line, int col,
                                         const char *written) {
  const hg_name_target *t = NULL;
  size_t n = hg_name_index_find(c->o->names, name, &t);
  if (n == 1) return t;
  if (n == 0) {
    hg_diags_add(c->diags, HG_WARN, c->o->path, line, col,
                 "wikilink %s: no article is named '%s' (by file name, title or aliases); shown "
                 "as an unresolved link until that article exists",
                 written, name);
    return NULL;
  }
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < n; i++) hg_buf_printf(&b, "%s%s", i ? ", " : "", t[i].rel_path);
  hg_diags_add(c->diags, HG_ERR, c->o->path, line, col,
               "wikilink %s is ambiguous: %zu articles are named '%s' (%s); write the path, "
               "such as [[%.*s]]",
               written, n, name, hg_buf_cstr(&b), (int)(strcspn(t[0].rel_path, ".")),
               t[0].rel_path);
  hg_buf_free(&b);
  return NULL;
}

static const hg_md_embed *embed_find(const hg_md_embed *e, const char *rel) {
  for (; e; e = e->up)
    if (!strcmp(e->rel_path, rel)) return e;
  return NULL;
}

/* ![[Other note]] / ![[Other note#Section]]: that note's body (or section)
 * rendered, as an HTML block; NULL when it cannot be embedded (reported). */
static cmark_node *embed_note(md_ctx *c, const hg_name_target *t, const char *section,
                              int line, int col, cmark_mem *mem) {
  if (!t->body) return NULL;
  const hg_md_embed *cyc = embed_find(c->o->embeds, t->rel_path);
  int depth = 0;
  for (const hg_md_embed *e = c->o->embeds; e; e = e->up) depth++;
  if (cyc || depth >= 8) {
    hg_buf chain = HG_BUF_INIT;
    for (const hg_md_embed *e = c->o->embeds; e; e = e->up)
      hg_buf_printf(&chain, " <- %s", e->rel_path);
    hg_diags_add(c->diags, HG_WARN, c->o->path, line, col,
                 "embed cycle: '%s' is already being embedded (%s%s); shown as a link instead",
                 t->rel_path, t->rel_path, hg_buf_cstr(&chain));
    hg_buf_free(&chain);
    return NULL;
  }
  int skip = 0;
  char *body = section ? md_section(t->body, t->body_len, section, &skip) : NULL;
  if (section && !body) {
    hg_diags_add(c->diags, HG_WARN, c->o->path, line, col,
                 "embed of '%s#%s': '%s' has no heading '%s'; shown as a link instead",
                 t->rel_path, section, t->rel_path, section);
    return NULL;
  }
  hg_md_embed me = {t->rel_path, c->o->embeds};
  hg_md_opts o = *c->o;
  o.path = t->path;
  o.line_offset = t->body_line + skip;
  o.title = NULL;
  o.faq = false;
  o.embeds = &me;
  hg_md_result r;
  hg_md_render(body ? body : t->body, body ? strlen(body) : t->body_len, &o, &r, c->diags);
  free(body);
  hg_buf h = HG_BUF_INIT;
  hg_buf_puts(&h, "<div class=\"embed\">\n");
  hg_buf_puts(&h, r.html);
  hg_buf_puts(&h, "</div>\n");
  hg_md_result_free(&r);
  cmark_node *n = own_html(mem, CMARK_NODE_HTML_BLOCK, hg_buf_cstr(&h));
  hg_buf_free(&h);
  return n;
}

/* One [[...]] or ![[...]] (inner = the text between the brackets) as nodes
 * appended to `into` (a custom block collecting the replacement), or as a
 * block in *block when it is a note embed standing alone. */
static void wikilink(md_ctx *c, cmark_node *into, const char *inner, size_t n, bool embed,
                     bool alone, int line, int col, cmark_mem *mem, cmark_node **block) {
  char *raw = hg_xstrndup(inner, n);
  char *bar = strchr(raw, '|');
  char *label = NULL;
  if (bar) {
    if (bar > raw && bar[-1] == '\\') bar[-1] = 0; /* [[a\|b]] in a table cell */
    *bar = 0;
    label = squash(bar + 1, strlen(bar + 1));
  }
  char *hash = strchr(raw, '#');
  char *frag = NULL;
  if (hash) {
    *hash = 0;
    char *last = strrchr(hash + 1, '#'); /* [[Note#A#B]]: the last heading */
    frag = squash(last ? last + 1 : hash + 1, strlen(last ? last + 1 : hash + 1));
  }
  char *name = squash(raw, strlen(raw));
  char *written = hg_strdup_printf("%s[[%.*s]]", embed ? "!" : "", (int)n, inner);
  const char *dot = strrchr(name, '.');
  bool file = embed && dot && !strchr(dot, '/') && strcasecmp(dot, ".md") != 0;
  if (file) { /* ![[image.png]], ![[clip.mp4]]: the file beside the note */
    cmark_node *img = cmark_node_new_with_mem(CMARK_NODE_IMAGE, mem);
    hg_buf u = HG_BUF_INIT;
    put_path(&u, name);
    cmark_node_set_url(img, hg_buf_cstr(&u));
    hg_buf_free(&u);
    if (label && !is_digit(*label)) cmark_node_append_child(img, text_node(mem, label, strlen(label)));
    cmark_node_append_child(into, img);
  } else {
    const hg_name_target *t = NULL;
    bool self = !*name;
    if (dot && !strcasecmp(dot, ".md")) name[dot - name] = 0;
    if (!self) t = wiki_target(c, name, line, col, written);
    cmark_node *emb = embed && t && alone ? embed_note(c, t, frag, line, col, mem) : NULL;
    if (emb) {
      *block = emb;
    } else if (self || t) {
      hg_buf u = HG_BUF_INIT;
      if (t) {
        hg_buf_putc(&u, '/');
        put_path(&u, t->rel_path);
      }
      if (frag && *frag) {
        hg_buf_putc(&u, '#');
        hg_slugify_to(&u, frag);
      }
      cmark_node *a = cmark_node_new_with_mem(CMARK_NODE_LINK, mem);
      cmark_node_set_url(a, hg_buf_cstr(&u));
      hg_buf_free(&u);
      char *shown = label && *label ? hg_xstrdup(label)
                    : self          ? hg_xstrdup(frag ? frag : "")
                    : frag          ? hg_strdup_printf("%s > %s", name, frag)
                                    : hg_xstrdup(name);
      cmark_node_append_child(a, text_node(mem, shown, strlen(shown)));
      free(shown);
      cmark_node_append_child(into, a);
    } else {
      char *shown = label && *label ? hg_xstrdup(label) : hg_xstrdup(name);
      cmark_node_append_child(into, own_html(mem, CMARK_NODE_HTML_INLINE,
                                             "<span class=\"wikilink-missing\">"));
      cmark_node_append_child(into, text_node(mem, shown, strlen(shown)));
      cmark_node_append_child(into, own_html(mem, CMARK_NODE_HTML_INLINE, "</span>"));
      free(shown);
    }
  }
  free(written);
  free(name);
  free(frag);
  free(label);
  free(raw);
}

/* The first construct at or after s[i]: its kind and end. */
enum { IN_NONE, IN_WIKI, IN_EMBED, IN_MARK, IN_KRAMDOWN, IN_LIQUID };

static int next_construct(md_ctx *c, const char *s, size_t *at, size_t *end, size_t *in_from,
                          size_t *in_to) {
  bool obs = dialect_on(c, HG_DIALECT_OBSIDIAN), jek = dialect_on(c, HG_DIALECT_JEKYLL);
  for (size_t i = *at; s[i]; i++) {
    if (obs && s[i] == '[' && s[i + 1] == '[') {
      bool emb = i > 0 && s[i - 1] == '!';
      const char *close = strstr(s + i + 2, "]]");
      if (!close || close == s + i + 2 || memchr(s + i + 2, '[', (size_t)(close - s - i - 2)))
        continue;
      *at = emb ? i - 1 : i;
      *in_from = i + 2;
      *in_to = (size_t)(close - s);
      *end = *in_to + 2;
      return emb ? IN_EMBED : IN_WIKI;
    }
    if (obs && s[i] == '=' && s[i + 1] == '=' && s[i + 2] && s[i + 2] != '=' &&
        !is_space((unsigned char)s[i + 2]) && (i == 0 || s[i - 1] != '=')) {
      const char *close = strstr(s + i + 2, "==");
      if (!close || is_space((unsigned char)close[-1]) || close[2] == '=') continue;
      *at = i;
      *in_from = i + 2;
      *in_to = (size_t)(close - s);
      *end = *in_to + 2;
      return IN_MARK;
    }
    if (jek && s[i] == '{' && (s[i + 1] == ':' || s[i + 1] == '%') && (i == 0 || s[i - 1] != '{')) {
      const char *close = strstr(s + i + 2, s[i + 1] == ':' ? "}" : "%}");
      if (!close) continue;
      *at = i;
      *in_from = i;
      *end = *in_to = (size_t)(close - s) + (s[i + 1] == ':' ? 1 : 2);
      return s[i + 1] == ':' ? IN_KRAMDOWN : IN_LIQUID;
    }
  }
  return IN_NONE;
}

/* Rewrites one text node holding Obsidian or Jekyll constructs. */
static void inline_text_dialects(md_ctx *c, cmark_node *t, cmark_mem *mem) {
  char *s = hg_xstrdup(cmark_node_get_literal(t));
  int l, k;
  node_start(t, &l, &k);
  size_t base = offset_of(c, l, k);
  cmark_node *para = cmark_node_parent(t);
  bool alone = para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH &&
               cmark_node_first_child(para) == t && !cmark_node_next(t);
  cmark_node *into = custom_node(CMARK_NODE_CUSTOM_INLINE, mem, "", "");
  cmark_node *block = NULL;
  size_t done = 0, at = 0, end, a, b;
  int kind;
  bool changed = false;
  while ((kind = next_construct(c, s, &at, &end, &a, &b)) != IN_NONE) {
    int line, col;
    report_pos(c, base + at, &line, &col);
    if (kind == IN_LIQUID) { /* shown as written, with a warning */
      char *tag = squash(s + at, end - at);
      char *word = hg_xstrndup(tag + 2 + strspn(tag + 2, " -"), strcspn(tag + 2 + strspn(tag + 2, " -"), " %"));
      char *key = hg_strdup_printf("liquid:%s", word);
      note_once(c, key, line, col,
                hg_strdup_printf("Liquid tag '%s' is not run by helpgen and is shown as text "
                                 "(remove it or write its result in Markdown)", tag));
      free(key);
      free(word);
      free(tag);
      at = end;
      continue;
    }
    changed = true;
    if (at > done) cmark_node_append_child(into, text_node(mem, s + done, at - done));
    if (kind == IN_KRAMDOWN) {
      char *attr = squash(s + at, end - at);
      note_once(c, "kramdown", line, col,
                hg_strdup_printf("kramdown attribute list '%s' ignored (helpgen has no attribute "
                                 "lists; for a callout write > [!NOTE])", attr));
      free(attr);
    } else if (kind == IN_MARK) {
      cmark_node_append_child(into, own_html(mem, CMARK_NODE_HTML_INLINE, "<mark>"));
      cmark_node_append_child(into, text_node(mem, s + a, b - a));
      cmark_node_append_child(into, own_html(mem, CMARK_NODE_HTML_INLINE, "</mark>"));
    } else {
      bool whole = alone && at == 0 && !s[end];
      wikilink(c, into, s + a, b - a, kind == IN_EMBED, whole, line, col, mem, &block);
    }
    done = at = end;
  }
  if (!changed) {
    cmark_node_free(into);
    free(s);
    return;
  }
  if (s[done]) cmark_node_append_child(into, text_node(mem, s + done, strlen(s + done)));
  free(s);
  if (block) { /* a note embed alone in its paragraph replaces it */
    cmark_node_free(into);
    if (cmark_node_insert_before(para, block)) cmark_node_free(para);
    else cmark_node_free(block);
    return;
  }
  cmark_node *n;
  while ((n = cmark_node_first_child(into)) != NULL)
    if (!cmark_node_insert_before(t, n)) {
      cmark_node_unlink(n);
      cmark_node_free(n);
    }
  cmark_node_free(into);
  cmark_node_free(t);
  /* a paragraph left empty (it held only "{: .note}") goes */
  if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH) {
    bool empty = true;
    for (cmark_node *x = cmark_node_first_child(para); x && empty; x = cmark_node_next(x)) {
      cmark_node_type xt = cmark_node_get_type(x);
      if (xt == CMARK_NODE_TEXT) {
        for (const char *q = cmark_node_get_literal(x); *q && empty; q++)
          empty = is_space((unsigned char)*q);
      } else if (xt != CMARK_NODE_SOFTBREAK && xt != CMARK_NODE_LINEBREAK) {
        empty = false;
      }
    }
    if (empty) {
      cmark_node_free(para);
    } else { /* "Text\n{: .note}" leaves a break at the end */
      cmark_node *last = cmark_node_last_child(para);
      if (last && (cmark_node_get_type(last) == CMARK_NODE_SOFTBREAK ||
                   cmark_node_get_type(last) == CMARK_NODE_LINEBREAK))
        cmark_node_free(last);
    }
  }
}

static void inline_dialects(md_ctx *c, cmark_node *doc, cmark_mem *mem) {
  nodevec texts = {0};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT) continue;
    const char *lit = cmark_node_get_literal(n);
    if (strstr(lit, "[[") || strstr(lit, "==") || strstr(lit, "{:") || strstr(lit, "{%"))
      nv_push(&texts, n);
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < texts.n; i++) inline_text_dialects(c, texts.v[i], mem);
  free(texts.v);
}

/* ---- media ------------------------------------------------------------------ */

/* ![](clip.mp4) -> <video>, ![](talk.mp3) -> <audio>; false for others. */
static bool replace_media(cmark_node *img, const char *alt, cmark_mem *mem) {
  const char *url = cmark_node_get_url(img);
  int kind = hg_media_kind(url);
  if (kind == HG_MEDIA_NONE) return false;
  hg_buf h = HG_BUF_INIT;
  hg_buf_puts(&h, kind == HG_MEDIA_VIDEO ? "<video controls preload=\"metadata\" src=\""
                                         : "<audio controls preload=\"metadata\" src=\"");
  put_href(&h, url);
  hg_buf_puts(&h, "\"");
  const char *title = cmark_node_get_title(img);
  if (title && *title) {
    hg_buf_puts(&h, " title=\"");
    hg_buf_put_html(&h, title, strlen(title));
    hg_buf_puts(&h, "\"");
  }
  if (*alt) {
    hg_buf_puts(&h, " aria-label=\"");
    hg_buf_put_html(&h, alt, strlen(alt));
    hg_buf_puts(&h, "\"");
  }
  hg_buf_puts(&h, "><a href=\"");
  put_href(&h, url);
  hg_buf_puts(&h, "\">");
  const char *shown = *alt ? alt : url;
  hg_buf_put_html(&h, shown, strlen(shown));
  hg_buf_printf(&h, "</a></%s>", kind == HG_MEDIA_VIDEO ? "video" : "audio");
  cmark_node *html = own_html(mem, CMARK_NODE_HTML_INLINE, hg_buf_cstr(&h));
  hg_buf_free(&h);
  if (!cmark_node_insert_before(img, html)) {
    cmark_node_free(html);
    return false;
  }
  cmark_node_unlink(img);
  cmark_node_free(img);
  return true;
}

/* A paragraph that is only a YouTube/Vimeo link -> a click-to-load player. */
static bool empty_text(cmark_node *n) {
  return n && cmark_node_get_type(n) == CMARK_NODE_TEXT && !*cmark_node_get_literal(n);
}

static void video_paragraph(cmark_node *para, cmark_mem *mem) {
  cmark_node *a = cmark_node_first_child(para);
  if (empty_text(a)) a = cmark_node_next(a); /* the autolink extension leaves one */
  cmark_node *after = a ? cmark_node_next(a) : NULL;
  if (empty_text(after)) after = cmark_node_next(after);
  if (!a || after || cmark_node_get_type(a) != CMARK_NODE_LINK) return;
  for (cmark_node *x = cmark_node_first_child(a); x; x = cmark_node_next(x))
    if (cmark_node_get_type(x) != CMARK_NODE_TEXT && cmark_node_get_type(x) != CMARK_NODE_CODE)
      return; /* images inside are already queued for their own pass */
  hg_buf label = HG_BUF_INIT, h = HG_BUF_INIT;
  inline_text(a, &label);
  if (hg_video_embed(cmark_node_get_url(a), hg_buf_cstr(&label), &h)) {
    cmark_node *blk = own_html(mem, CMARK_NODE_HTML_BLOCK, hg_buf_cstr(&h));
    if (cmark_node_insert_before(para, blk)) cmark_node_free(para);
    else cmark_node_free(blk);
  }
  hg_buf_free(&label);
  hg_buf_free(&h);
}

/* ---- headings and FAQ -------------------------------------------------------- */

static void convert_heading(heading *h, cmark_mem *mem) {
  char *enter = NULL;
  hg_buf b = HG_BUF_INIT;
  hg_buf_printf(&b, "<h%d id=\"", h->level);
  hg_buf_put_html(&b, h->id, strlen(h->id));
  hg_buf_puts(&b, "\">");
  enter = hg_buf_steal(&b);
  char leave[8];
  snprintf(leave, sizeof leave, "</h%d>", h->level);
  cmark_node *blk = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, "", "");
  cmark_node *inl = custom_node(CMARK_NODE_CUSTOM_INLINE, mem, enter, leave);
  free(enter);
  cmark_node_append_child(blk, inl);
  if (!cmark_node_insert_before(h->node, blk)) {
    cmark_node_free(blk);
    return;
  }
  move_children(h->node, inl);
  cmark_node_free(h->node);
  h->node = NULL;
}

static bool ends_faq_answer(cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  return t == CMARK_NODE_FOOTNOTE_DEFINITION ||
         (t == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) <= 2);
}

/* Turns a top-level "## question" and what follows into a <details> item.
 * Returns the answer container (custom block with no markup yet). */
static cmark_node *make_faq_item(heading *h, cmark_mem *mem) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "<details class=\"faq-item\" id=\"");
  hg_buf_put_html(&b, h->id, strlen(h->id));
  hg_buf_puts(&b, "\">");
  cmark_node *details = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, hg_buf_cstr(&b), "</details>");
  hg_buf_free(&b);
  cmark_node *summary = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, "", "");
  cmark_node *q = custom_node(CMARK_NODE_CUSTOM_INLINE, mem, "<summary><h2 class=\"faq-q\">",
                              "</h2></summary>");
  cmark_node *answer = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, "", "");
  cmark_node_append_child(summary, q);
  cmark_node_append_child(details, summary);
  cmark_node_append_child(details, answer);
  if (!cmark_node_insert_before(h->node, details)) {
    cmark_node_free(details);
    return NULL;
  }
  move_children(h->node, q);
  cmark_node_free(h->node);
  h->node = NULL;
  cmark_node *s;
  while ((s = cmark_node_next(details)) != NULL && !ends_faq_answer(s)) {
    if (!cmark_node_append_child(answer, s)) break;
  }
  return answer;
}

/* ---- the stage ------------------------------------------------------------- */

static char *trimmed(const char *s) {
  if (!s) return NULL;
  return squash(s, strlen(s));
}

/* HTML of a tree (rendered with the tree's allocator, kept in a malloc'd
 * string of its exact size), with align_to_class applied. */
static char *render_html(cmark_node *root, cmark_mem *mem) {
  char *html = cmark_render_html_with_mem(root, RENDER_OPTS, NULL, mem);
  char *out = align_to_class(html);
  mem->free(html);
  return out;
}

static cmark_node *parse(const char *md, size_t len, cmark_mem *mem) {
  cmark_parser *p = cmark_parser_new_with_mem(PARSE_OPTS, mem);
  for (size_t i = 0; i < 4; i++) {
    cmark_syntax_extension *e = g_ext[i] ? g_ext[i] : cmark_find_syntax_extension(g_ext_names[i]);
    if (e) cmark_parser_attach_syntax_extension(p, e);
  }
  cmark_parser_feed(p, md, len);
  pthread_mutex_lock(&g_inline_lock);
  cmark_node *doc = cmark_parser_finish(p);
  pthread_mutex_unlock(&g_inline_lock);
  cmark_parser_free(p);
  return doc;
}

bool hg_md_render(const char *md, size_t len, const hg_md_opts *opts, hg_md_result *out,
                  hg_diags *diags) {
  static const hg_md_opts defaults = {0};
  hg_diags local = {0};
  md_ctx c;
  memset(&c, 0, sizeof c);
  memset(out, 0, sizeof *out);
  c.o = opts ? opts : &defaults;
  c.diags = diags ? diags : &local;
  c.src = md ? md : "";
  c.len = md ? len : 0;
  size_t errors_before = hg_diags_count(c.diags, HG_ERR);

  /* block syntaxes of the dialects cmark does not know become markers */
  hg_dialect_src pre;
  if (hg_dialect_preprocess(c.src, c.len, c.o->dialects_off, c.o->path, c.o->line_offset, &pre,
                            c.diags)) {
    c.src = pre.text;
    c.len = pre.len;
    c.pre = &pre;
  }
  bool media = dialect_on(&c, HG_DIALECT_MEDIA);

  cmark_mem *mem = mem_acquire(c.len);
  cmark_node *doc = parse(c.src, c.len, mem);

  /* a leading "# Title" the theme already prints is dropped (after noting
   * it as the first h1) */
  cmark_node *first = cmark_node_first_child(doc);
  if (first && cmark_node_get_type(first) == CMARK_NODE_HEADING &&
      cmark_node_get_heading_level(first) == 1) {
    out->first_h1 = heading_text(first);
    char *want = trimmed(c.o->title);
    if (want && strcmp(out->first_h1, want) == 0) cmark_node_free(first);
    free(want);
  }

  if (c.pre && pre.nblocks) wrap_blocks(&c, doc, mem);
  if (memmem(c.src, c.len, "[[", 2) || memmem(c.src, c.len, "==", 2) ||
      memmem(c.src, c.len, "{:", 2) || memmem(c.src, c.len, "{%", 2))
    inline_dialects(&c, doc, mem);

  /* one walk over the tree: raw HTML, template variables, links, callouts
   * (converted on EXIT, when cmark allows changing a node); headings, images
   * and tables are collected for later */
  nodevec images = {0}, tables = {0};
  char **img_attrs = NULL; /* the image hook's answer for each of images */
  heading *hs = NULL;
  size_t nh = 0, caph = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev == CMARK_EVENT_EXIT) {
      if (t == CMARK_NODE_BLOCK_QUOTE) {
        callout_info ci;
        if (callout_parse(&c, n, &ci)) make_callout(&c, n, &ci, mem);
      } else if (t == CMARK_NODE_PARAGRAPH && media) {
        video_paragraph(n, mem);
      }
      continue;
    }
    switch (t) {
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE:
      if (!c.o->unsafe) sanitize_html(&c, n);
      break;
    case CMARK_NODE_TEXT:
      scan_vars(&c, n, cmark_node_get_literal(n));
      break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
      scan_vars(&c, n, cmark_node_get_url(n));
      if (t == CMARK_NODE_IMAGE) {
        img_attrs = hg_xrealloc(img_attrs, (images.n + 1) * sizeof *img_attrs);
        img_attrs[images.n] = image_attrs(&c, n);
      }
      if (c.o->resolve) resolve_url(&c, n, t == CMARK_NODE_IMAGE ? HG_LINK_IMAGE : HG_LINK_LINK);
      if (!c.o->unsafe && url_dangerous(cmark_node_get_url(n))) cmark_node_set_url(n, "");
      if (t == CMARK_NODE_IMAGE) nv_push(&images, n);
      break;
    case CMARK_NODE_HEADING:
      if (nh == caph) {
        caph = caph ? caph * 2 : 16;
        hs = hg_xrealloc(hs, caph * sizeof *hs);
      }
      hs[nh].node = n;
      hs[nh].level = cmark_node_get_heading_level(n);
      hs[nh].text = heading_text(n);
      hs[nh].id = unique_id(&c, hs[nh].text);
      hs[nh].question = c.o->faq && hs[nh].level == 2 && cmark_node_parent(n) == doc;
      if (!out->first_h1 && hs[nh].level == 1) out->first_h1 = hg_xstrdup(hs[nh].text);
      nh++;
      break;
    default:
      if (cmark_node_get_syntax_extension(n) &&
          strcmp(cmark_node_get_type_string(n), "table") == 0)
        nv_push(&tables, n);
      break;
    }
  }
  cmark_iter_free(it);

  /* table of contents: h2/h3, or the questions on a FAQ page */
  size_t nq = 0, ntoc = 0;
  for (size_t i = 0; i < nh; i++) {
    nq += hs[i].question;
    ntoc += c.o->faq ? hs[i].question : (hs[i].level == 2 || hs[i].level == 3);
  }
  if (ntoc) out->toc = hg_xcalloc(ntoc, sizeof *out->toc);
  for (size_t i = 0; i < nh; i++) {
    bool in_toc = c.o->faq ? hs[i].question : (hs[i].level == 2 || hs[i].level == 3);
    if (!in_toc) continue;
    hg_toc_entry *e = &out->toc[out->ntoc++];
    e->level = hs[i].level;
    e->id = hg_xstrdup(hs[i].id);
    e->text = hg_xstrdup(hs[i].text);
  }

  /* FAQ items, then the remaining headings, then tables */
  cmark_node **answers = NULL;
  if (nq) {
    out->faq = hg_xcalloc(nq, sizeof *out->faq);
    answers = hg_xcalloc(nq, sizeof *answers);
    for (size_t i = 0; i < nh; i++) {
      if (!hs[i].question) continue;
      cmark_node *a = make_faq_item(&hs[i], mem);
      if (!a) {
        hs[i].question = false;
        continue;
      }
      hg_faq_item *f = &out->faq[out->nfaq];
      f->id = hg_xstrdup(hs[i].id);
      f->question = hg_xstrdup(hs[i].text);
      answers[out->nfaq++] = a;
    }
  }
  for (size_t i = 0; i < nh; i++)
    if (hs[i].node) convert_heading(&hs[i], mem);
  for (size_t i = 0; i < tables.n; i++) {
    cmark_node *wrap = custom_node(CMARK_NODE_CUSTOM_BLOCK, mem, "<div class=\"table-wrap\">", "</div>");
    if (cmark_node_insert_before(tables.v[i], wrap)) cmark_node_append_child(wrap, tables.v[i]);
    else cmark_node_free(wrap);
  }

  /* plain text before images turn into raw <img> (their alt text counts) */
  out->text = block_text(doc);
  out->words = count_words(out->text);
  for (size_t i = 0; i < out->nfaq; i++) out->faq[i].answer_text = block_text(answers[i]);

  /* alt texts first (an image's alt includes images nested in it), then
   * innermost first, so no image is freed before its turn */
  char **alts = hg_xcalloc(images.n ? images.n : 1, sizeof *alts);
  for (size_t i = 0; i < images.n; i++) {
    hg_buf alt = HG_BUF_INIT;
    inline_text(images.v[i], &alt);
    alts[i] = hg_buf_steal(&alt);
  }
  for (size_t i = images.n; i-- > 0;) {
    if (!media || !replace_media(images.v[i], alts[i], mem))
      replace_image(images.v[i], alts[i], img_attrs[i], i == 0, mem);
    free(alts[i]);
    free(img_attrs[i]);
  }
  free(alts);

  for (size_t i = 0; i < out->nfaq; i++) {
    out->faq[i].answer_html = render_html(answers[i], mem);
    cmark_node_set_on_enter(answers[i], "<div class=\"faq-a\">");
    cmark_node_set_on_exit(answers[i], "</div>");
  }
  out->html = render_html(doc, mem);

  for (size_t i = 0; i < c.nvars; i++) {
    tvar *v = &c.vars[i];
    hg_diags_add(c.diags, HG_WARN, c.o->path, v->line, v->col,
                 "unresolved template variable {{%s}} (used %zu time%s; helpgen does not "
                 "expand it)",
                 v->name, v->count, v->count == 1 ? "" : "s");
    free(v->name);
  }

  flush_notes(&c);

  for (size_t i = 0; i < nh; i++) {
    free(hs[i].id);
    free(hs[i].text);
  }
  free(hs);
  free(c.notes);
  hm_free(&c.warned);
  free(answers);
  free(images.v);
  free(img_attrs);
  free(tables.v);
  free(c.vars);
  free(c.lines);
  hm_free(&c.ids);
  hm_free(&c.id_next);
  hm_free(&c.var_idx);
  cmark_node_free(doc);
  mem_release(mem);
  if (c.pre) hg_dialect_src_free(&pre);
  bool ok = hg_diags_count(c.diags, HG_ERR) == errors_before;
  hg_diags_free(&local);
  return ok;
}

void hg_md_result_free(hg_md_result *r) {
  if (!r) return;
  free(r->html);
  free(r->text);
  free(r->first_h1);
  for (size_t i = 0; i < r->ntoc; i++) {
    free(r->toc[i].id);
    free(r->toc[i].text);
  }
  free(r->toc);
  for (size_t i = 0; i < r->nfaq; i++) {
    free(r->faq[i].id);
    free(r->faq[i].question);
    free(r->faq[i].answer_html);
    free(r->faq[i].answer_text);
  }
  free(r->faq);
  memset(r, 0, sizeof *r);
}

/* ---- binary records ---------------------------------------------------------- */
void hg_md_result_save(const hg_md_result *r, hg_buf *b) {
  hg_buf_put_str(b, r->html);
  hg_buf_put_str(b, r->text);
  hg_buf_put_str(b, r->first_h1);
  hg_buf_put_uvar(b, r->ntoc);
  for (size_t i = 0; i < r->ntoc; i++) {
    hg_buf_put_svar(b, r->toc[i].level);
    hg_buf_put_str(b, r->toc[i].id);
    hg_buf_put_str(b, r->toc[i].text);
  }
  hg_buf_put_uvar(b, r->nfaq);
  for (size_t i = 0; i < r->nfaq; i++) {
    hg_buf_put_str(b, r->faq[i].id);
    hg_buf_put_str(b, r->faq[i].question);
    hg_buf_put_str(b, r->faq[i].answer_html);
    hg_buf_put_str(b, r->faq[i].answer_text);
  }
  hg_buf_put_uvar(b, r->words);
}

/* A count of items of at least `min` bytes each (bad if they cannot fit). */
static size_t read_count(hg_reader *r, size_t min) {
  uint64_t n = hg_read_uvar(r);
  if (n > (uint64_t)(r->end - r->p) / min) r->bad = true;
  return r->bad ? 0 : (size_t)n;
}

/* A string (copied, or in place), bad when NULL and `need`. */
static char *read_text(hg_reader *r, bool copy, bool need) {
  const char *s = hg_read_cstr(r);
  if (!s && need) r->bad = true;
  return s && copy ? hg_xstrdup(s) : (char *)s;
}

static bool restore(hg_reader *r, hg_md_result *out, bool copy) {
  memset(out, 0, sizeof *out);
  out->html = read_text(r, copy, false);
  out->text = read_text(r, copy, false);
  out->first_h1 = read_text(r, copy, false);
  out->ntoc = read_count(r, 3);
  if (out->ntoc) out->toc = hg_xcalloc(out->ntoc, sizeof *out->toc);
  for (size_t i = 0; i < out->ntoc && !r->bad; i++) {
    int64_t level = hg_read_svar(r);
    if (level < INT_MIN || level > INT_MAX) r->bad = true;
    out->toc[i].level = r->bad ? 0 : (int)level;
    out->toc[i].id = read_text(r, copy, true);
    out->toc[i].text = read_text(r, copy, true);
  }
  out->nfaq = read_count(r, 4);
  if (out->nfaq) out->faq = hg_xcalloc(out->nfaq, sizeof *out->faq);
  for (size_t i = 0; i < out->nfaq && !r->bad; i++) {
    out->faq[i].id = read_text(r, copy, true);
    out->faq[i].question = read_text(r, copy, true);
    out->faq[i].answer_html = read_text(r, copy, true);
    out->faq[i].answer_text = read_text(r, copy, true);
  }
  uint64_t words = hg_read_uvar(r);
  out->words = words > SIZE_MAX ? SIZE_MAX : (size_t)words;
  if (r->bad && copy) hg_md_result_free(out);
  if (r->bad && !copy) hg_md_result_release(out);
  return !r->bad;
}

bool hg_md_result_restore(hg_reader *r, hg_md_result *out) { return restore(r, out, true); }

bool hg_md_result_view(hg_reader *r, hg_md_result *out) { return restore(r, out, false); }

void hg_md_result_release(hg_md_result *r) {
  free(r->toc);
  free(r->faq);
  memset(r, 0, sizeof *r);
}

/* ---- first "# heading" without a full parse ---------------------------------- */

char *hg_md_first_h1(const char *md, size_t len) {
  if (!md) return NULL;
  char fence = 0;
  size_t fence_len = 0;
  for (size_t i = 0; i < len;) {
    size_t eol = i;
    while (eol < len && md[eol] != '\n' && md[eol] != '\r') eol++;
    size_t next = eol < len && md[eol] == '\r' && eol + 1 < len && md[eol + 1] == '\n'
                      ? eol + 2
                      : eol + 1;
    size_t p = i, indent = 0;
    while (p < eol && md[p] == ' ' && indent < 4) p++, indent++;
    if (indent < 4 && p < eol && (md[p] == '`' || md[p] == '~')) {
      size_t run = 0;
      while (p + run < eol && md[p + run] == md[p]) run++;
      if (run >= 3) {
        if (!fence) {
          bool ok = true; /* a backtick fence's info string has no backtick */
          for (size_t k = p + run; k < eol && md[p] == '`'; k++) ok = ok && md[k] != '`';
          if (ok) fence = md[p], fence_len = run;
        } else if (md[p] == fence && run >= fence_len) {
          size_t k = p + run;
          while (k < eol && (md[k] == ' ' || md[k] == '\t')) k++;
          if (k == eol) fence = 0;
        }
      }
    } else if (!fence && indent < 4 && p < eol && md[p] == '#' &&
               (p + 1 == eol || md[p + 1] == ' ' || md[p + 1] == '\t')) {
      /* parse just this line: inline markup becomes plain text */
      cmark_mem *mem = mem_acquire(eol - p);
      cmark_node *doc = parse(md + p, eol - p, mem);
      cmark_node *h = cmark_node_first_child(doc);
      char *t = h && cmark_node_get_type(h) == CMARK_NODE_HEADING ? heading_text(h) : NULL;
      cmark_node_free(doc);
      mem_release(mem);
      if (t && !*t) {
        free(t);
        t = NULL;
      }
      if (t) return t;
    }
    i = next;
  }
  return NULL;
}
