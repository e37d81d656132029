/* i18n.c - theme strings, text direction and dates per language. */
#include "hg_i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hg_theme.h"
#include "hg_value.h"

const char *const hg_i18n_keys[] = {
    "search_placeholder", "search", "skip", "home", "on_this_page", "updated",
    "prev", "next", "still_need_help", "contact_intro", "articles", "promoted",
    "not_found", "not_found_text", "categories", "in_this_section", "tags",
    "min_read", "search_results", "more_articles", "breadcrumb", "faq",
    "was_helpful", "yes", "no", "thanks", "related", "recently_viewed",
    "language", "menu", "tell_us", "flows_title", NULL};

#define NKEYS (sizeof hg_i18n_keys / sizeof *hg_i18n_keys - 1)

/* English, parallel to hg_i18n_keys: the base when a theme has no language
 * files at all (a site's own theme, a test theme). */
static const char *const english[] = {
    "Search for answers…", "Search", "Skip to content", "Home", "On this page", "Updated",
    "Previous", "Next", "Still need help?", "Our support team is happy to help.", "articles",
    "Popular articles", "Page not found",
    "The page you were looking for does not exist or has moved.", "Categories",
    "In this section", "Tags", "min read", "Search results", "More articles", "Breadcrumb",
    "FAQ", "Was this article helpful?", "Yes", "No", "Thanks for your feedback!",
    "Related articles", "Recently viewed", "Language", "Menu", "Tell us what was missing",
    "Solve it step by step"};
static const char *const english_months[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

_Static_assert(sizeof english / sizeof *english == NKEYS, "one English string per key");

struct hg_i18n {
  char **vars;     /* "T_SEARCH"... for every key, then every extra key */
  char *name;
  bool rtl;
  char *date_format;
  char *months[12];
  char *values[NKEYS];
  hg_strmap extra_index; /* keys a site added beyond the built-in ones */
  char **extra_keys, **extra_vals;
  size_t nextra;
};

static long key_index(const char *key) {
  for (size_t i = 0; i < NKEYS; i++)
    if (!strcmp(hg_i18n_keys[i], key)) return (long)i;
  return -1;
}

bool hg_i18n_valid_code(const char *code) {
  /* BCP 47-ish: 2-3 letters, then -subtags of 2-8 letters or digits */
  size_t n = 0;
  while (isalpha((unsigned char)code[n])) n++;
  if (n < 2 || n > 3) return false;
  const char *p = code + n;
  while (*p == '-') {
    size_t k = 0;
    p++;
    while (isalnum((unsigned char)p[k])) k++;
    if (k < 2 || k > 8) return false;
    p += k;
  }
  return *p == '\0';
}

bool hg_i18n_code_is_rtl(const char *code) {
  static const char *const rtl[] = {"ar", "he", "fa", "ur", "ps", "yi", "dv", "ug",
                                    "ckb", "sd", NULL};
  size_t n = strcspn(code, "-_");
  for (size_t i = 0; rtl[i]; i++)
    if (strlen(rtl[i]) == n && !strncmp(code, rtl[i], n)) return true;
  return false;
}

static void set_str(char **slot, const char *v) {
  free(*slot);
  *slot = hg_xstrdup(v);
}

/* Reads one language file into t; `complete` requires every key. `base`:
 * English under another language, whose name and direction do not apply. */
static void read_file(hg_i18n *t, const char *path, bool complete, bool base, hg_diags *d) {
  hg_error *err = NULL;
  size_t len;
  char *text = hg_theme_read(path, &len, &err);
  if (!text) {
    hg_diags_add_error(d, HG_ERR, err);
    hg_error_free(err);
    return;
  }
  hg_value *root = hg_yaml_parse(text, len, path, 0, &err);
  free(text);
  if (err) {
    hg_diags_add_error(d, HG_ERR, err);
    hg_error_free(err);
    return;
  }
  if (!root || root->type != HG_V_MAP) {
    hg_diags_add(d, HG_ERR, path, 1, 0, "a language file must be a map with "
                 "name, direction, date_format, months and strings");
    hg_value_free(root);
    return;
  }
  const char *s;
  if (!base && (s = hg_value_str(hg_value_get(root, "name")))) set_str(&t->name, s);
  if (!base && (s = hg_value_str(hg_value_get(root, "direction")))) t->rtl = !strcmp(s, "rtl");
  if ((s = hg_value_str(hg_value_get(root, "date_format")))) set_str(&t->date_format, s);
  hg_value *months = hg_value_get(root, "months");
  if (months) {
    if (months->type != HG_V_LIST || months->len != 12)
      hg_diags_add(d, HG_ERR, path, months->line, months->col,
                   "'months' must be a list of 12 month names");
    else
      for (size_t i = 0; i < 12; i++)
        if ((s = hg_value_str(months->items[i]))) set_str(&t->months[i], s);
  }
  hg_value *strings = hg_value_get(root, "strings");
  if (strings && strings->type != HG_V_MAP) {
    hg_diags_add(d, HG_ERR, path, strings->line, strings->col,
                 "'strings' must be a map of key: text");
    strings = NULL;
  }
  for (size_t i = 0; strings && i < strings->len; i++) {
    const char *v = hg_value_str(strings->items[i]);
    if (!v) {
      hg_diags_add(d, HG_ERR, path, strings->key_lines[i], 0,
                   "string '%s' must be text", strings->keys[i]);
      continue;
    }
    long k = key_index(strings->keys[i]);
    if (k >= 0) {
      set_str(&t->values[k], v);
    } else {
      long e = hg_strmap_get(&t->extra_index, strings->keys[i], -1);
      if (e < 0) {
        t->extra_keys = hg_xrealloc(t->extra_keys, (t->nextra + 1) * sizeof(char *));
        t->extra_vals = hg_xrealloc(t->extra_vals, (t->nextra + 1) * sizeof(char *));
        t->extra_keys[t->nextra] = hg_xstrdup(strings->keys[i]);
        t->extra_vals[t->nextra] = hg_xstrdup(v);
        hg_strmap_put(&t->extra_index, strings->keys[i], (long)t->nextra++);
      } else {
        set_str(&t->extra_vals[e], v);
      }
    }
  }
  if (complete) {
    hg_buf missing = HG_BUF_INIT;
    size_t n = 0;
    for (size_t i = 0; i < NKEYS; i++) {
      bool have = false;
      for (size_t k = 0; strings && k < strings->len; k++)
        have |= !strcmp(strings->keys[k], hg_i18n_keys[i]);
      if (!have) {
        if (n++) hg_buf_puts(&missing, ", ");
        hg_buf_puts(&missing, hg_i18n_keys[i]);
      }
    }
    int line = 1;
    for (size_t k = 0; k < root->len; k++)
      if (!strcmp(root->keys[k], "strings")) line = root->key_lines[k];
    if (n)
      hg_diags_add(d, HG_ERR, path, line, 0,
                   "missing %zu string%s: %s (add them under 'strings:')", n,
                   n == 1 ? "" : "s", hg_buf_cstr(&missing));
    hg_buf_free(&missing);
    if (!hg_value_get(root, "date_format") || !months)
      hg_diags_add(d, HG_ERR, path, 1, 0, "needs 'date_format' and 'months'");
  }
  hg_value_free(root);
}

/* Pseudo-locale: accented letters and ~40 % longer, in brackets. */
static char *pseudo(const char *s) {
  static const char *const map[26] = {"á", "ƀ", "ç", "ð", "é", "ƒ", "ĝ", "ĥ", "í",
                                      "ĵ", "ķ", "ĺ", "ɱ", "ñ", "ó", "þ", "ǫ", "ŕ",
                                      "š", "ţ", "ú", "ṽ", "ŵ", "ẋ", "ý", "ž"};
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "[");
  size_t letters = 0;
  for (const char *p = s; *p; p++) {
    if (*p >= 'a' && *p <= 'z') {
      hg_buf_puts(&b, map[*p - 'a']);
      letters++;
    } else {
      hg_buf_putc(&b, *p);
    }
  }
  for (size_t i = 0; i < (letters * 2 + 4) / 5; i++) hg_buf_putc(&b, '~');
  hg_buf_puts(&b, "]");
  return hg_buf_steal(&b);
}

/* "search_placeholder" -> "T_SEARCH_PLACEHOLDER" */
static char *template_var(const char *key) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "T_");
  for (const char *q = key; *q; q++)
    hg_buf_putc(&b, (*q >= 'a' && *q <= 'z') ? (char)(*q - 32) : *q);
  return hg_buf_steal(&b);
}

static void make_vars(hg_i18n *t) {
  t->vars = hg_xcalloc(NKEYS + t->nextra, sizeof *t->vars);
  for (size_t i = 0; i < NKEYS; i++) t->vars[i] = template_var(hg_i18n_keys[i]);
  for (size_t i = 0; i < t->nextra; i++) t->vars[NKEYS + i] = template_var(t->extra_keys[i]);
}

hg_i18n *hg_i18n_load(const char *builtin_dir, const char *site_dir,
                      const char *lang, bool pseudo_locale, hg_diags *diags) {
  hg_i18n *t = hg_xcalloc(1, sizeof *t);
  t->rtl = hg_i18n_code_is_rtl(lang);
  for (size_t i = 0; i < NKEYS; i++) t->values[i] = hg_xstrdup(english[i]);
  for (size_t i = 0; i < 12; i++) t->months[i] = hg_xstrdup(english_months[i]);
  t->date_format = hg_xstrdup("{month} {day}, {year}");
  const char *file_lang = pseudo_locale ? "en" : lang;
  char *name = hg_strdup_printf("i18n/%s.yaml", file_lang);
  /* English first as the base, then the language's own file on top */
  for (int pass = 0; pass < 2; pass++) {
    const char *l = pass == 0 ? "en" : file_lang;
    if (pass == 1 && !strcmp(l, "en")) break;
    char *rel = hg_strdup_printf("i18n/%s.yaml", l);
    char *b = builtin_dir ? hg_path_join(builtin_dir, rel) : NULL;
    if (b && hg_theme_is_file(b)) {
      read_file(t, b, true, pass == 0 && strcmp(lang, "en"), diags);
    } else if (pass == 1) {
      char *sp = site_dir ? hg_path_join(site_dir, rel) : NULL;
      if (!sp || !hg_is_file(sp))
        hg_diags_add(diags, HG_WARN, NULL, 0, 0,
                     "no theme strings for language '%s' (add themes/<theme>/%s to "
                     "your site); using English", lang, rel);
      free(sp);
    }
    free(b);
    free(rel);
  }
  if (site_dir) {
    char *sp = hg_path_join(site_dir, name);
    if (hg_is_file(sp)) read_file(t, sp, false, false, diags);
    free(sp);
  }
  free(name);
  if (!t->name) t->name = hg_xstrdup(lang);
  if (pseudo_locale) {
    for (size_t i = 0; i < NKEYS; i++) {
      char *p = pseudo(t->values[i]);
      free(t->values[i]);
      t->values[i] = p;
    }
    for (size_t i = 0; i < t->nextra; i++) {
      char *p = pseudo(t->extra_vals[i]);
      free(t->extra_vals[i]);
      t->extra_vals[i] = p;
    }
  }
  make_vars(t);
  return t;
}

void hg_i18n_free(hg_i18n *t) {
  if (!t) return;
  for (size_t i = 0; t->vars && i < NKEYS + t->nextra; i++) free(t->vars[i]);
  free(t->vars);
  free(t->name);
  free(t->date_format);
  for (size_t i = 0; i < 12; i++) free(t->months[i]);
  for (size_t i = 0; i < NKEYS; i++) free(t->values[i]);
  for (size_t i = 0; i < t->nextra; i++) {
    free(t->extra_keys[i]);
    free(t->extra_vals[i]);
  }
  free(t->extra_keys);
  free(t->extra_vals);
  hg_strmap_free(&t->extra_index);
  free(t);
}

const char *hg_i18n_get(const hg_i18n *t, const char *key) {
  long k = key_index(key);
  if (k >= 0) return t->values[k];
  long e = hg_strmap_get(&t->extra_index, key, -1);
  return e >= 0 ? t->extra_vals[e] : key;
}

const char *hg_i18n_name(const hg_i18n *t) { return t->name; }

bool hg_i18n_rtl(const hg_i18n *t) { return t->rtl; }

char *hg_i18n_date(const hg_i18n *t, const char *iso) {
  int y, m, d;
  if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
    return hg_xstrdup(iso ? iso : "");
  hg_buf b = HG_BUF_INIT;
  for (const char *p = t->date_format; *p; p++) {
    if (!strncmp(p, "{year}", 6)) {
      hg_buf_printf(&b, "%d", y);
      p += 5;
    } else if (!strncmp(p, "{month}", 7)) {
      if (t->months[m - 1]) hg_buf_puts(&b, t->months[m - 1]);
      else hg_buf_printf(&b, "%02d", m);
      p += 6;
    } else if (!strncmp(p, "{day}", 5)) {
      hg_buf_printf(&b, "%d", d);
      p += 4;
    } else {
      hg_buf_putc(&b, *p);
    }
  }
  return hg_buf_steal(&b);
}

void hg_i18n_each(const hg_i18n *t, void (*fn)(void *, const char *, const char *),
                  void *ctx) {
  for (size_t i = 0; i < NKEYS; i++) fn(ctx, t->vars[i], t->values[i]);
  for (size_t i = 0; i < t->nextra; i++) fn(ctx, t->vars[NKEYS + i], t->extra_vals[i]);
}

