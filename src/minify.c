/* minify.c - comment and whitespace removal for CSS and JavaScript that never changes behaviour. */
#include "hg_minify.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hg_util.h"

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$' || c == '\\' || (unsigned char)c >= 0x80;
}

static char *unchanged(const char *src, size_t len, size_t *out_len) {
  *out_len = len;
  return hg_xstrndup(src, len);
}

/* b's bytes, NUL-terminated (b was grown before anything was put in it). */
static char *finish(hg_buf *b, size_t *out_len) {
  b->data[b->len] = '\0';
  *out_len = b->len;
  return hg_buf_steal(b);
}

static char last(const hg_buf *b) { return b->len ? b->data[b->len - 1] : 0; }

/* ---- CSS ------------------------------------------------------------------- */

/* Where a space next to it never matters (in selectors, declarations and
 * at-rule preludes alike). ':' only on its right: "a :hover" differs from
 * "a:hover", but nothing valid has a space after a colon that matters. */
static bool css_tight(char c) { return c == '{' || c == '}' || c == ';' || c == ','; }

char *hg_minify_css(const char *s, size_t n, size_t *out_len) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_grow(&b, n + 1);
  bool pending = false; /* whitespace (or a comment) seen since the last output */
  size_t i = 0;
  while (i < n) {
    char c = s[i];
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      const char *end = NULL;
      for (size_t k = i + 2; k + 1 < n; k++)
        if (s[k] == '*' && s[k + 1] == '/') {
          end = s + k;
          break;
        }
      if (!end) goto bad;
      i = (size_t)(end - s) + 2;
      pending = true; /* a comment separates tokens like a space */
      continue;
    }
    if (is_space(c)) {
      pending = true;
      i++;
      continue;
    }
    if (pending) {
      char p = last(&b);
      if (p && !css_tight(p) && p != ':' && !css_tight(c)) hg_buf_putc(&b, ' ');
      pending = false;
    }
    if (c == '"' || c == '\'') { /* a string, verbatim */
      size_t k = i + 1;
      while (k < n && s[k] != c && s[k] != '\n') k += s[k] == '\\' ? 2 : 1;
      if (k >= n || s[k] != c) goto bad;
      hg_buf_append(&b, s + i, k + 1 - i);
      i = k + 1;
      continue;
    }
    if (c == '\\') { /* an escape: the next character is part of the token */
      if (i + 1 >= n) goto bad;
      hg_buf_append(&b, s + i, 2);
      i += 2;
      continue;
    }
    if ((c == 'u' || c == 'U') && i + 4 <= n && !strncasecmp(s + i, "url(", 4) &&
        (i == 0 || !ident_char(s[i - 1]))) {
      size_t k = i + 4;
      while (k < n && is_space(s[k])) k++;
      if (k < n && s[k] != '"' && s[k] != '\'') { /* unquoted: verbatim to ')' */
        while (k < n && s[k] != ')') k += s[k] == '\\' ? 2 : 1;
        if (k >= n) goto bad;
        hg_buf_append(&b, s + i, k + 1 - i);
        i = k + 1;
        continue;
      }
    }
    if (c == '}' && last(&b) == ';') b.len--; /* the last declaration needs no ';' */
    hg_buf_putc(&b, c);
    i++;
  }
  return finish(&b, out_len);
bad:
  hg_buf_free(&b);
  return unchanged(s, n, out_len);
}

/* ---- JavaScript ---------------------------------------------------------------- */

/* Would joining a and b make other tokens ("a b" -> "ab", "+ +" -> "++",
 * "1 .x", "/ /", "< !--", "- ->")? */
static bool js_need_space(char a, char b) {
  if (ident_char(a) && ident_char(b)) return true;
  if ((a == '+' || a == '-') && b == a) return true;
  if (a == '/' && (b == '/' || b == '*')) return true;
  if (a >= '0' && a <= '9' && b == '.') return true;
  if (a == '.' && b >= '0' && b <= '9') return true;
  if (a == '<' && b == '!') return true;
  if (a == '-' && b == '>') return true;
  return false;
}

/* A line break between a and b that automatic semicolon insertion cannot
 * need: after an opening bracket, ',' ';' or a binary operator's last
 * character that no postfix operator ends with, or before a closing
 * bracket, ',' or ';'. */
static bool js_break_droppable(char a, char b) {
  if (!a) return true;
  if (strchr("{([,;=:?&|", a)) return true;
  if (strchr("})],;", b)) return true;
  return false;
}

/* Words after which '/' starts a regular expression. */
static bool regex_keyword(const char *w, size_t n) {
  static const char *const kw[] = {"return", "typeof", "case", "do", "else", "in", "instanceof",
                                   "new", "delete", "void", "throw", "yield", "await", "of"};
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
    if (strlen(kw[i]) == n && !memcmp(kw[i], w, n)) return true;
  return false;
}

#define MAX_NEST 64

/* The minifier; with `classic`, a module's top-level "export" keywords
 * (and "export { ... };" lists) are dropped too, *exports counts them, and
 * NULL is returned for what a classic script cannot hold (import, export
 * default, import.meta) or input it cannot follow. */
static char *js_scan(const char *s, size_t n, bool classic, size_t *exports, size_t *out_len) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_grow(&b, n + 1);
  bool regex_ok = true;            /* a '/' here starts a regular expression */
  bool space = false, brk = false; /* whitespace / a line break since the last token */
  int tdepth[MAX_NEST];            /* for each open "${": the '{' depth it started at */
  int nt = 0, braces = 0;
  size_t i = 0;
  if (n >= 2 && s[0] == '#' && s[1] == '!') { /* a hashbang line stays */
    while (i < n && s[i] != '\n') i++;
    hg_buf_append(&b, s, i);
  }
  while (i < n) {
    char c = s[i];
    unsigned char u = (unsigned char)c;
    if (c == '\n' || c == '\r') {
      brk = true;
      i++;
      continue;
    }
    if (u == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
      brk = true; /* U+2028, U+2029: line terminators too */
      i += 3;
      continue;
    }
    if (is_space(c)) {
      space = true;
      i++;
      continue;
    }
    if (u == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
      space = true; /* no-break space */
      i += 2;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      while (i < n && s[i] != '\n' && s[i] != '\r') i++;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t k = i + 2;
      bool nl = false;
      while (k + 1 < n && !(s[k] == '*' && s[k + 1] == '/')) {
        nl |= s[k] == '\n' || s[k] == '\r';
        k++;
      }
      if (k + 1 >= n) goto bad;
      if (nl) brk = true; /* a comment with a line break is a line break (ASI) */
      else space = true;
      i = k + 2;
      continue;
    }
    /* a token starts: put back what separated it from the last one */
    char p = last(&b);
    if (brk && !js_break_droppable(p, c)) hg_buf_putc(&b, '\n');
    else if ((space || brk) && js_need_space(p, c)) hg_buf_putc(&b, ' ');
    space = brk = false;
    size_t start = i;
    if (c == '"' || c == '\'') {
      size_t k = i + 1;
      while (k < n && s[k] != c && s[k] != '\n') k += s[k] == '\\' ? 2 : 1;
      if (k >= n || s[k] != c) goto bad;
      i = k + 1;
      regex_ok = false;
    } else if (c == '`' || (c == '}' && nt > 0 && braces == tdepth[nt - 1])) {
      /* a template literal, or its rest after a "${...}" */
      if (c == '}') nt--;
      size_t k = i + 1;
      while (k < n && s[k] != '`' && !(s[k] == '$' && k + 1 < n && s[k + 1] == '{'))
        k += s[k] == '\\' ? 2 : 1;
      if (k >= n) goto bad;
      if (s[k] == '$') {
        if (nt == MAX_NEST) goto bad;
        tdepth[nt++] = braces;
        i = k + 2;
        regex_ok = true;
      } else {
        i = k + 1;
        regex_ok = false;
      }
    } else if (c == '/' && regex_ok) {
      size_t k = i + 1;
      bool cls = false;
      while (k < n && s[k] != '\n' && s[k] != '\r' && (cls || s[k] != '/')) {
        if (s[k] == '\\') k++;
        else if (s[k] == '[') cls = true;
        else if (s[k] == ']') cls = false;
        k++;
      }
      if (k >= n || s[k] != '/') goto bad;
      k++;
      while (k < n && ident_char(s[k])) k++; /* flags */
      i = k;
      regex_ok = false;
    } else if (ident_char(c) || (c == '.' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')) {
      bool number = (c >= '0' && c <= '9') || c == '.';
      bool hex = number && c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X');
      size_t k = i;
      while (k < n) {
        if (s[k] == '\\') k += 2;
        else if (ident_char(s[k]) || (number && s[k] == '.')) k++;
        else if (number && !hex && (s[k] == '+' || s[k] == '-') && (s[k - 1] == 'e' || s[k - 1] == 'E'))
          k++; /* 1e-7 */
        else break;
      }
      if (k > n) goto bad;
      regex_ok = !number && regex_keyword(s + i, k - i);
      i = k;
      if (classic && !number && braces == 0 && nt == 0 && k - start == 6 &&
          !memcmp(s + start, "export", 6) && last(&b) != '.') { /* (not obj.export) */
        size_t q = k;
        while (q < n && is_space(s[q])) q++;
        if (q + 7 <= n && !memcmp(s + q, "default", 7) && (q + 7 == n || !ident_char(s[q + 7])))
          goto bad;
        if (q < n && (s[q] == '{' || s[q] == '*')) { /* export { a, b } [from '...']; */
          while (q < n && s[q] != ';' && s[q] != '\n') q++;
          i = q < n ? q + 1 : q;
        }
        (*exports)++;
        regex_ok = true;
        continue;
      }
      if (classic && !number && k - start == 6 && !memcmp(s + start, "import", 6) &&
          last(&b) != '.')
        goto bad;
    } else {
      if (c == '{') braces++;
      else if (c == '}') braces--;
      i++;
      /* after ')' or ']' a '/' divides; after '}' (mostly a block's end) it
       * is taken as a regex: taking a division for one only copies a stretch
       * verbatim (or gives up), the other way round could change it */
      regex_ok = !(c == ')' || c == ']');
    }
    hg_buf_append(&b, s + start, i - start);
  }
  if (nt) goto bad;
  return finish(&b, out_len);
bad:
  hg_buf_free(&b);
  return classic ? NULL : unchanged(s, n, out_len);
}

char *hg_minify_js(const char *s, size_t n, size_t *out_len) {
  return js_scan(s, n, false, NULL, out_len);
}

char *hg_js_classic(const char *s, size_t n, size_t *out_len) {
  size_t exports = 0, len;
  char *body = js_scan(s, n, true, &exports, &len);
  if (!body || !exports) {
    free(body);
    return NULL;
  }
  /* modules are strict, and their top-level names are their own */
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "(function(){\"use strict\";\n");
  hg_buf_append(&b, body, len);
  hg_buf_puts(&b, "\n})();\n");
  free(body);
  *out_len = b.len;
  return hg_buf_steal(&b);
}

bool hg_minify_file(const char *name, const char *src, size_t len, char **out, size_t *out_len) {
  if (hg_str_has_suffix(name, ".css")) *out = hg_minify_css(src, len, out_len);
  else if (hg_str_has_suffix(name, ".js") || hg_str_has_suffix(name, ".mjs"))
    *out = hg_minify_js(src, len, out_len);
  else return false;
  return true;
}
