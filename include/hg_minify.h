/* hg_minify.h - CSS and JavaScript made smaller at build time without
 * changing what they do: comments dropped, whitespace collapsed where the
 * language says it is insignificant; strings, template literals, regular
 * expression literals and CSS url(...) copied byte for byte.
 *
 * Conservative by design (no renaming, no rewriting of values): a line
 * break in JavaScript is kept wherever automatic semicolon insertion could
 * depend on it, and input the scanner cannot follow (an unterminated
 * string, comment or regular expression) is returned unchanged.
 *
 * Ownership: both functions return a new malloc'd buffer (NUL-terminated,
 * its length in *out_len) that the caller frees. */
#ifndef HG_MINIFY_H
#define HG_MINIFY_H

#include <stdbool.h>
#include <stddef.h>

char *hg_minify_css(const char *src, size_t len, size_t *out_len);
char *hg_minify_js(const char *src, size_t len, size_t *out_len);
/* A minified classic-script twin of a JavaScript module, for pages opened
 * from file:// (where browsers refuse module scripts): its top-level
 * `export` keywords dropped, wrapped in a strict-mode function so its names
 * stay its own. NULL when src exports nothing (it is not a module) or holds
 * what a classic script cannot (import, export default, import.meta, or
 * input the scanner cannot follow). */
char *hg_js_classic(const char *src, size_t len, size_t *out_len);
/* By file name: ".css" and ".js"/".mjs" are minified; false (and nothing
 * allocated) for any other name. */
bool hg_minify_file(const char *name, const char *src, size_t len, char **out, size_t *out_len);

#endif
