/* hg_template.h - the C face of Google CTemplate (src/template.cc is the
 * one C++ file in helpgen). A hg_tpl is a set of named templates (its own
 * TemplateCache, frozen after loading so nothing is read from disk during
 * expansion); a hg_dict is a TemplateDictionary.
 *
 * Ownership: hg_tpl_new/hg_tpl_free, hg_dict_new/hg_dict_free. Section and
 * include dictionaries belong to their parent and are freed with it.
 * Thread-safety: after hg_tpl_freeze, hg_tpl_expand may run on many threads
 * at once with different dictionaries. */
#ifndef HG_TEMPLATE_H
#define HG_TEMPLATE_H

#include "hg_util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hg_tpl hg_tpl;
typedef struct hg_dict hg_dict;

hg_tpl *hg_tpl_new(void);
void hg_tpl_free(hg_tpl *t);
/* Registers `text` as template `name` ("article.tpl", "partials/head.tpl").
 * `path` is the file it came from, used in messages. Checks that the file
 * starts with {{%AUTOESCAPE ...}} and that its syntax is valid; errors read
 * "path:line:col: template: ...". */
bool hg_tpl_add(hg_tpl *t, const char *name, const char *path, const char *text,
                size_t len, hg_error **err);
bool hg_tpl_has(const hg_tpl *t, const char *name);
/* Does template `name` open section {{#section}} itself? */
bool hg_tpl_has_section(const hg_tpl *t, const char *name, const char *section);
void hg_tpl_freeze(hg_tpl *t);
/* Expands template `name` with `d`, appending to out. */
bool hg_tpl_expand(hg_tpl *t, const char *name, const hg_dict *d, hg_buf *out,
                   hg_error **err);

hg_dict *hg_dict_new(const char *name);
void hg_dict_free(hg_dict *d);
void hg_dict_set(hg_dict *d, const char *key, const char *value);
void hg_dict_set_int(hg_dict *d, const char *key, long value);
void hg_dict_show(hg_dict *d, const char *section);
/* Values and shown sections that included templates see too. */
void hg_dict_set_global(hg_dict *d, const char *key, const char *value);
void hg_dict_show_global(hg_dict *d, const char *section);
hg_dict *hg_dict_add_section(hg_dict *d, const char *section);
/* Includes {{>NAME}} as template `template_name`. */
hg_dict *hg_dict_add_include(hg_dict *d, const char *name, const char *template_name);

#ifdef __cplusplus
}
#endif
#endif
