/* hg_i18n.h - the theme's strings in one language: themes/<theme>/i18n/
 * <lang>.yaml (name, direction, date format, month names and the strings
 * the templates print as T_<KEY>), with the site's file of the same name
 * overriding single keys. A language without a file falls back to English
 * (with a warning); --pseudo makes a pseudo-locale from English.
 *
 * Ownership: hg_i18n_load returns a table freed with hg_i18n_free. */
#ifndef HG_I18N_H
#define HG_I18N_H

#include "hg_util.h"

typedef struct hg_i18n hg_i18n;

/* Keys every language file of the built-in theme has (NULL-terminated). */
extern const char *const hg_i18n_keys[];

/* builtin_dir / site_dir: the theme folders (either may be NULL). Missing
 * keys in the built-in file for `lang` are errors naming the file and the
 * key; a site file may hold any subset. pseudo: accented, lengthened
 * strings so untranslated theme text stands out. */
hg_i18n *hg_i18n_load(const char *builtin_dir, const char *site_dir,
                      const char *lang, bool pseudo, hg_diags *diags);
void hg_i18n_free(hg_i18n *t);
/* The string for key ("search_placeholder"); the key itself if unknown. */
const char *hg_i18n_get(const hg_i18n *t, const char *key);
const char *hg_i18n_name(const hg_i18n *t);      /* "Čeština" */
bool hg_i18n_rtl(const hg_i18n *t);
/* "2026-03-01" in the language's date format. Caller frees. */
char *hg_i18n_date(const hg_i18n *t, const char *iso);
/* Calls fn for every string with its template variable name ("T_SEARCH"),
 * made once when the language is loaded. */
void hg_i18n_each(const hg_i18n *t, void (*fn)(void *ctx, const char *var,
                                               const char *value), void *ctx);
/* Is code a language tag helpgen can use ("en", "pt-BR", "zh-Hant")? */
bool hg_i18n_valid_code(const char *code);
/* Right-to-left scripts by language code (ar, he, fa, ur, ps, yi, dv...). */
bool hg_i18n_code_is_rtl(const char *code);

#endif
