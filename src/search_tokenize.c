/* search_tokenize.c - words for the search index: ICU word breaks, then
 * diacritic folding that keeps Thai and other scripts' marks, and character
 * bigrams for the scripts written without spaces. */
#include "hg_search.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

struct hg_search_tokenizer {
  UBreakIterator *bi;
  UText *ut;
  const UNormalizer2 *nfkd, *nfc;
  UChar *u[3]; /* scratch UTF-16 buffers: 0 the word, 1 and 2 steps */
  int32_t ucap[3];
  hg_buf term, exact;
  bool icu_only; /* no ASCII fast path (tests compare the two) */
  /* the run of words without spaces the last word ended (see emit_bigrams) */
  bool in_run;
  size_t run_end, run_start; /* end of that word; start of it */
  hg_buf last_unit;          /* its last character with its marks */
  hg_buf bigram;             /* scratch */
};

hg_search_tokenizer *hg_search_tokenizer_new(const char *lang,
                                             hg_error **err) {
  UErrorCode st = U_ZERO_ERROR;
  hg_search_tokenizer *tk = hg_xcalloc(1, sizeof *tk);
  tk->bi = ubrk_open(UBRK_WORD, lang && *lang ? lang : "", NULL, 0, &st);
  if (U_SUCCESS(st)) tk->nfkd = unorm2_getNFKDInstance(&st);
  if (U_SUCCESS(st)) tk->nfc = unorm2_getNFCInstance(&st);
  if (U_FAILURE(st)) {
    hg_error_set(err, 1, NULL, 0, 0, "search: ICU word breaker for '%s': %s",
                 lang ? lang : "", u_errorName(st));
    hg_search_tokenizer_free(tk);
    return NULL;
  }
  return tk;
}

void hg_search_tokenizer_free(hg_search_tokenizer *tk) {
  if (!tk) return;
  if (tk->bi) ubrk_close(tk->bi);
  if (tk->ut) utext_close(tk->ut);
  for (int i = 0; i < 3; i++) free(tk->u[i]);
  hg_buf_free(&tk->term);
  hg_buf_free(&tk->exact);
  hg_buf_free(&tk->last_unit);
  hg_buf_free(&tk->bigram);
  free(tk);
}

static void ureserve(hg_search_tokenizer *tk, int i, int32_t n) {
  if (tk->ucap[i] >= n) return;
  int32_t cap = tk->ucap[i] ? tk->ucap[i] : 64;
  while (cap < n) cap *= 2;
  tk->u[i] = hg_xrealloc(tk->u[i], (size_t)cap * sizeof(UChar));
  tk->ucap[i] = cap;
}

/* Runs one ICU string transform from buffer `from` (len n) into the other
 * buffer, growing it once if ICU asks for more room. */
typedef int32_t (*utransform)(hg_search_tokenizer *tk, const UChar *src,
                              int32_t n, UChar *dst, int32_t cap,
                              UErrorCode *st);

static int32_t t_nfkd(hg_search_tokenizer *tk, const UChar *src, int32_t n,
                      UChar *dst, int32_t cap, UErrorCode *st) {
  return unorm2_normalize(tk->nfkd, src, n, dst, cap, st);
}
static int32_t t_nfc(hg_search_tokenizer *tk, const UChar *src, int32_t n,
                     UChar *dst, int32_t cap, UErrorCode *st) {
  return unorm2_normalize(tk->nfc, src, n, dst, cap, st);
}
static int32_t t_lower(hg_search_tokenizer *tk, const UChar *src, int32_t n,
                       UChar *dst, int32_t cap, UErrorCode *st) {
  return u_strToLower(dst, cap, src, n, "", st);
}

static int32_t run(hg_search_tokenizer *tk, utransform fn, int from, int to,
                   int32_t n) {
  ureserve(tk, to, n * 2 + 8);
  UErrorCode st = U_ZERO_ERROR;
  int32_t m = fn(tk, tk->u[from], n, tk->u[to], tk->ucap[to], &st);
  if (st == U_BUFFER_OVERFLOW_ERROR) {
    ureserve(tk, to, m + 1);
    st = U_ZERO_ERROR;
    m = fn(tk, tk->u[from], n, tk->u[to], tk->ucap[to], &st);
  }
  return U_FAILURE(st) ? -1 : m;
}

/* Marks that folding removes: Latin (and Greek, Cyrillic) combining
 * diacritics U+0300-U+036F, Arabic harakat and tanween U+064B-U+0652, the
 * superscript alef U+0670, the tatweel U+0640, and Hebrew niqqud and
 * cantillation (the marks of U+0591-U+05C7; the punctuation among them
 * never is inside a word). Thai, Lao and Khmer marks stay. */
static bool folded_away(UChar c) {
  if (c >= 0x300 && c <= 0x36f) return true;
  if ((c >= 0x64b && c <= 0x652) || c == 0x670 || c == 0x640) return true;
  return c >= 0x591 && c <= 0x5c7 && c != 0x5be && c != 0x5c0 && c != 0x5c3 && c != 0x5c6;
}

/* Removes the marks of folded_away, applies the explicit letter map (with
 * Arabic alef variants: after NFKD alef + madda or hamza above or below,
 * U+0653-U+0655, and alef wasla, become a bare alef; alef maqsura becomes
 * yeh, teh marbuta heh), buffer 2 -> 1. */
static int32_t strip_and_map(hg_search_tokenizer *tk, int32_t n) {
  ureserve(tk, 1, n * 2 + 8);
  const UChar *s = tk->u[2];
  UChar *d = tk->u[1];
  int32_t m = 0;
  for (int32_t i = 0; i < n; i++) {
    UChar c = s[i];
    if (folded_away(c)) continue;
    if (c >= 0x653 && c <= 0x655 && m > 0 && d[m - 1] == 0x627) continue;
    switch (c) {
    case 0x671: d[m++] = 0x627; break;             /* ٱ -> ا */
    case 0x649: d[m++] = 0x64a; break;             /* ى -> ي */
    case 0x629: d[m++] = 0x647; break;             /* ة -> ه */
    case 0xf8: d[m++] = 'o'; break;                /* ø */
    case 0xe6: d[m++] = 'a'; d[m++] = 'e'; break;  /* æ */
    case 0xdf: d[m++] = 's'; d[m++] = 's'; break;  /* ß */
    case 0x111: d[m++] = 'd'; break;               /* đ */
    case 0x142: d[m++] = 'l'; break;               /* ł */
    case 0x131: d[m++] = 'i'; break;               /* ı (Turkish dotless i) */
    case 0x2019: d[m++] = '\''; break;            /* ’ */
    default: d[m++] = c;
    }
  }
  return m;
}

static void to_utf8(hg_buf *out, const UChar *s, int32_t n) {
  hg_buf_clear(out);
  int32_t need = 0;
  UErrorCode st = U_ZERO_ERROR;
  u_strToUTF8WithSub(NULL, 0, &need, s, n, 0xfffd, NULL, &st);
  hg_buf_grow(out, (size_t)need + 1);
  st = U_ZERO_ERROR;
  u_strToUTF8WithSub(out->data, need + 1, &need, s, n, 0xfffd, NULL, &st);
  out->len = (size_t)need;
  out->data[need] = '\0';
}

/* Folds word into tk->term and tk->exact (exact.len == 0 when equal). */
static bool fold(hg_search_tokenizer *tk, const char *w, size_t len) {
  hg_buf_clear(&tk->term);
  hg_buf_clear(&tk->exact);
  bool ascii = true;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)w[i] >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) {
    hg_buf_grow(&tk->term, len + 1);
    for (size_t i = 0; i < len; i++) {
      char c = w[i];
      tk->term.data[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    tk->term.len = len;
    tk->term.data[len] = '\0';
    return true;
  }
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  ureserve(tk, 0, (int32_t)len + 8);
  u_strFromUTF8WithSub(tk->u[0], tk->ucap[0], &n, w, (int32_t)len, 0xfffd,
                       NULL, &st);
  if (U_FAILURE(st)) return false;
  /* exact: lowercase, NFC */
  int32_t m = run(tk, t_lower, 0, 1, n);
  if (m >= 0) m = run(tk, t_nfc, 1, 2, m);
  if (m < 0) return false;
  to_utf8(&tk->exact, tk->u[2], m);
  /* folded: NFKD, strip marks, lowercase, map, NFC */
  m = run(tk, t_nfkd, 0, 1, n);
  if (m >= 0) m = run(tk, t_lower, 1, 2, m);
  if (m < 0) return false;
  m = strip_and_map(tk, m);
  m = run(tk, t_nfc, 1, 2, m);
  if (m < 0) return false;
  to_utf8(&tk->term, tk->u[2], m);
  if (tk->term.len == tk->exact.len &&
      memcmp(tk->term.data, tk->exact.data, tk->term.len) == 0)
    hg_buf_clear(&tk->exact);
  return true;
}

char *hg_search_fold(hg_search_tokenizer *tk, const char *word, size_t len,
                     char **exact) {
  if (exact) *exact = NULL;
  if (!fold(tk, word, len)) return hg_xstrdup("");
  if (exact && tk->exact.len)
    *exact = hg_xstrndup(tk->exact.data, tk->exact.len);
  return hg_xstrndup(hg_buf_cstr(&tk->term), tk->term.len);
}

/* Inside a word-like segment, words are the runs of letters, marks, numbers,
 * connector punctuation, apostrophes (' ’, trimmed at both ends) and '.'
 * between two numbers, that hold a letter or number: this takes apart what
 * one ICU build keeps whole and another splits ("support@example.com",
 * Chromium's "example.com"), so that the C and JS sides agree. */
static int char_class(UChar32 c) { /* 0 no, 1 joins, 2 letter or number */
  if (c == '\'' || c == 0x2019) return 1;
  switch (u_charType(c)) {
  case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER:
  case U_MODIFIER_LETTER: case U_OTHER_LETTER: case U_DECIMAL_DIGIT_NUMBER:
  case U_LETTER_NUMBER: case U_OTHER_NUMBER:
    return 2;
  case U_NON_SPACING_MARK: case U_ENCLOSING_MARK: case U_COMBINING_SPACING_MARK:
  case U_CONNECTOR_PUNCTUATION:
    return 1;
  default:
    return 0;
  }
}

static bool is_number(UChar32 c) {
  int t = u_charType(c);
  return t == U_DECIMAL_DIGIT_NUMBER || t == U_LETTER_NUMBER || t == U_OTHER_NUMBER;
}

static bool is_apos(const char *s, int32_t i, int32_t end) {
  if (s[i] == '\'') return true;
  return end - i >= 3 && memcmp(s + i, "\xe2\x80\x99", 3) == 0;
}

/* ---- bigrams -----------------------------------------------------------------
 * Words of the scripts written without spaces (Han, Hiragana, Katakana,
 * Thai, Lao, Khmer, Myanmar: see no_space_word) come from a
 * dictionary, which the browser's may cut elsewhere. Beside each word go the
 * bigrams of its characters (a character: a code point that is no mark, with
 * the marks after it), across the words of a run that touch each other (no
 * space or punctuation between), as terms of their own, the two characters
 * of the folded words followed by HG_SEARCH_BIGRAM_MARK. A word's bigrams
 * come right after it: the one that spans from the word before, then its
 * own; each spans (start, end) from the start of the word of its first
 * character to the end of the word of its second. */
/* Is the word w (folded, UTF-8) one of a script without spaces? Its first
 * code point of a script other than Common and Inherited (ー, marks) decides. */
static bool no_space_word(const char *w, int32_t n) {
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(w, i, n, c);
    UErrorCode st = U_ZERO_ERROR;
    switch (c < 0 ? USCRIPT_INVALID_CODE : uscript_getScript(c, &st)) {
    case USCRIPT_COMMON: case USCRIPT_INHERITED:
      continue;
    case USCRIPT_HAN: case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA: case USCRIPT_THAI:
    case USCRIPT_LAO: case USCRIPT_KHMER: case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
    }
  }
  return false;
}

static bool is_mark(UChar32 c) {
  int t = u_charType(c);
  return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

static void put_bigram(hg_search_tokenizer *tk, const char *a, size_t alen, const char *b,
                       size_t blen, size_t start, size_t end, hg_search_token_fn fn,
                       void *ctx) {
  hg_buf *g = &tk->bigram;
  hg_buf_clear(g);
  hg_buf_append(g, a, alen);
  hg_buf_append(g, b, blen);
  hg_buf_putc(g, HG_SEARCH_BIGRAM_MARK);
  if (g->len > HG_SEARCH_MAX_TERM) return;
  hg_search_token tok = {.term = g->data, .term_len = g->len, .start = start, .end = end,
                         .bigram = true};
  fn(ctx, &tok);
}

/* After the word tk->term at [s, e) has been sent: its bigrams. */
static void emit_bigrams(hg_search_tokenizer *tk, size_t s, size_t e, hg_search_token_fn fn,
                         void *ctx) {
  const char *w = tk->term.data;
  int32_t n = (int32_t)tk->term.len;
  UChar32 c;
  if (!no_space_word(w, n)) {
    tk->in_run = false;
    return;
  }
  bool joined = tk->in_run && tk->run_end == s;
  /* the characters of the word, one after the other */
  int32_t at = 0, prev_at = -1, prev_end = 0;
  while (at < n) {
    int32_t end = at;
    U8_NEXT(w, end, n, c);
    for (;;) {
      int32_t j = end;
      UChar32 m;
      if (j >= n) break;
      U8_NEXT(w, j, n, m);
      if (m < 0 || !is_mark(m)) break;
      end = j;
    }
    if (prev_at >= 0)
      put_bigram(tk, w + prev_at, (size_t)(prev_end - prev_at), w + at, (size_t)(end - at), s,
                 e, fn, ctx);
    else if (joined)
      put_bigram(tk, tk->last_unit.data, tk->last_unit.len, w + at, (size_t)(end - at),
                 tk->run_start, e, fn, ctx);
    prev_at = at;
    prev_end = end;
    at = end;
  }
  hg_buf_clear(&tk->last_unit);
  hg_buf_append(&tk->last_unit, w + prev_at, (size_t)(prev_end - prev_at));
  tk->in_run = true;
  tk->run_start = s;
  tk->run_end = e;
}

static void emit(hg_search_tokenizer *tk, const char *text, size_t s, size_t e,
                 hg_search_token_fn fn, void *ctx) {
  for (;;) { /* trim apostrophes */
    if (s < e && is_apos(text + s, 0, (int32_t)(e - s))) s += text[s] == '\'' ? 1 : 3;
    else if (e > s && text[e - 1] == '\'') e--;
    else if (e - s >= 3 && memcmp(text + e - 3, "\xe2\x80\x99", 3) == 0) e -= 3;
    else break;
  }
  if (s >= e || !fold(tk, text + s, e - s)) return;
  if (tk->term.len == 0 || tk->term.len > HG_SEARCH_MAX_TERM) return;
  hg_search_token tok = {
      .term = tk->term.data,
      .term_len = tk->term.len,
      .exact = tk->exact.len ? tk->exact.data : NULL,
      .exact_len = tk->exact.len,
      .start = s,
      .end = e,
  };
  fn(ctx, &tok);
  emit_bigrams(tk, s, e, fn, ctx);
}

/* ICU's word breaks over text[off, off + len). */
static void tokenize_icu(hg_search_tokenizer *tk, const char *text, size_t off, size_t len,
                         hg_search_token_fn fn, void *ctx) {
  UErrorCode st = U_ZERO_ERROR;
  const char *t = text + off;
  tk->ut = utext_openUTF8(tk->ut, t, (int64_t)len, &st);
  if (U_FAILURE(st)) return;
  ubrk_setUText(tk->bi, tk->ut, &st);
  if (U_FAILURE(st)) return;
  int32_t start = ubrk_first(tk->bi);
  for (int32_t end = ubrk_next(tk->bi); end != UBRK_DONE;
       start = end, end = ubrk_next(tk->bi)) {
    if (ubrk_getRuleStatus(tk->bi) < UBRK_WORD_NONE_LIMIT) continue;
    int32_t run = -1, i = start;
    bool alnum = false;
    UChar32 prev = -1;
    while (i < end) {
      int32_t at = i;
      UChar32 c;
      U8_NEXT(t, i, end, c);
      int k = c < 0 ? 0 : char_class(c);
      if (c == '.' && prev >= 0 && is_number(prev) && i < end) {
        int32_t j = i;
        UChar32 next;
        U8_NEXT(t, j, end, next);
        if (next >= 0 && is_number(next)) k = 1;
      }
      prev = c;
      if (k) {
        if (run < 0) run = at;
        alnum |= k == 2;
        continue;
      }
      if (run >= 0 && alnum) emit(tk, text, off + (size_t)run, off + (size_t)at, fn, ctx);
      run = -1;
      alnum = false;
    }
    if (run >= 0 && alnum) emit(tk, text, off + (size_t)run, off + (size_t)end, fn, ctx);
  }
}

/* ---- ASCII fast path ---------------------------------------------------------
 * ICU breaks on both sides of ASCII white space (a combining mark right after
 * it joins the space's own segment, which holds no word), so the text splits
 * there into chunks that ICU would segment the same way on their own. A chunk
 * of ASCII only gets the outcome of ICU's rules (UAX #29) followed by
 * tokenize_icu's runs without ICU: letters, digits and '_' never break apart
 * (WB5, WB8-WB10, WB13a/b); an apostrophe stays inside a word only between two
 * letters or two digits (WB6/7, WB11/12) and '.' only between two digits; any
 * other character ends a run. Chunks holding other bytes go to ICU. */
static bool ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static bool ascii_letter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* emit() for a word of the fast path: ASCII, no apostrophe at either end,
 * so folding is lowercasing and the exact form is the term. */
static void emit_ascii(hg_search_tokenizer *tk, const char *text, size_t s, size_t e,
                       hg_search_token_fn fn, void *ctx) {
  size_t n = e - s;
  if (n > HG_SEARCH_MAX_TERM) return;
  char term[HG_SEARCH_MAX_TERM + 1];
  for (size_t i = 0; i < n; i++) {
    char c = text[s + i];
    term[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  term[n] = '\0';
  hg_search_token tok = {.term = term, .term_len = n, .start = s, .end = e};
  fn(ctx, &tok);
}

static void tokenize_ascii(hg_search_tokenizer *tk, const char *text, size_t s, size_t e,
                           hg_search_token_fn fn, void *ctx) {
  const unsigned char *u = (const unsigned char *)text;
  size_t run = SIZE_MAX;
  bool alnum = false;
  for (size_t i = s; i < e; i++) {
    unsigned char c = u[i];
    int k = 0;
    if (ascii_letter(c) || ascii_digit(c)) {
      k = 2;
    } else if (c == '_') {
      k = 1;
    } else if ((c == '\'' || c == '.') && i > s && i + 1 < e) {
      unsigned char p = u[i - 1], n = u[i + 1];
      k = (ascii_digit(p) && ascii_digit(n)) ||
          (c == '\'' && ascii_letter(p) && ascii_letter(n));
    }
    if (k) {
      if (run == SIZE_MAX) run = i;
      alnum |= k == 2;
      continue;
    }
    if (run != SIZE_MAX && alnum) emit_ascii(tk, text, run, i, fn, ctx);
    run = SIZE_MAX;
    alnum = false;
  }
  if (run != SIZE_MAX && alnum) emit_ascii(tk, text, run, e, fn, ctx);
}

void hg_search_tokenize(hg_search_tokenizer *tk, const char *text, size_t len,
                        hg_search_token_fn fn, void *ctx) {
  tk->in_run = false;
  if (!text || !len) return;
  if (tk->icu_only) {
    tokenize_icu(tk, text, 0, len, fn, ctx);
    return;
  }
  const unsigned char *u = (const unsigned char *)text;
  size_t i = 0, icu_start = SIZE_MAX, icu_end = 0; /* pending chunks for ICU */
  while (i < len) {
    while (i < len && ascii_space(u[i])) i++;
    size_t s = i;
    bool ascii = true;
    while (i < len && !ascii_space(u[i])) ascii &= u[i++] < 0x80;
    if (s == i) break;
    if (!ascii) { /* neighbouring chunks for ICU go in one call */
      if (icu_start == SIZE_MAX) icu_start = s;
      icu_end = i;
      continue;
    }
    if (icu_start != SIZE_MAX) tokenize_icu(tk, text, icu_start, icu_end - icu_start, fn, ctx);
    icu_start = SIZE_MAX;
    tokenize_ascii(tk, text, s, i, fn, ctx);
  }
  if (icu_start != SIZE_MAX) tokenize_icu(tk, text, icu_start, icu_end - icu_start, fn, ctx);
}

void hg_search_tokenizer_set_icu_only(hg_search_tokenizer *tk, bool on) {
  tk->icu_only = on;
}
