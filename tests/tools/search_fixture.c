/* search_fixture.c - drives the search index writer and tokenizer from JSON,
 * for tests/js (node) and tests/browser, which cannot run the C side.
 *
 *   search_fixture index SITE.json OUT_ROOT [SHARD_BYTES [TOP_POSTINGS]]
 *       SITE.json: {"lang":"en", "synonyms":[["a","b"],...],
 *                   "docs":[{"url","title","breadcrumb","category","headings",
 *                            "keywords","description","body","tags":[],
 *                            "promoted":false}, ...]}
 *       builds OUT_ROOT/search/<lang>/ and prints the manifest path.
 *   search_fixture vectors IN.json OUT.json
 *       IN.json: [{"lang":"th","text":"..."}, ...]; OUT.json: the same items
 *       with "tokens":[[term, exact-or-null, start, end], ...] (UTF-16
 *       offsets, as JavaScript counts them).
 *   search_fixture fold WORD  prints the folded form (and the exact form). */
#include "hg_search.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static int cmd_index(const char *site, const char *out, size_t shard_bytes,
                     size_t top) {
  json_error_t je;
  json_t *root = json_load_file(site, 0, &je);
  if (!root) {
    fprintf(stderr, "%s:%d:%d: %s\n", site, je.line, je.column, je.text);
    return 1;
  }
  json_t *jdocs = json_object_get(root, "docs");
  size_t n = json_array_size(jdocs);
  hg_search_doc *docs = hg_xcalloc(n + 1, sizeof *docs);
  const char ***tags = hg_xcalloc(n + 1, sizeof *tags);
  for (size_t i = 0; i < n; i++) {
    json_t *d = json_array_get(jdocs, i);
    json_t *jt = json_object_get(d, "tags");
    tags[i] = hg_xcalloc(json_array_size(jt) + 1, sizeof **tags);
    for (size_t k = 0; k < json_array_size(jt); k++)
      tags[i][k] = json_string_value(json_array_get(jt, k));
    docs[i] = (hg_search_doc){
        .url = str(d, "url"),
        .title = str(d, "title"),
        .breadcrumb = str(d, "breadcrumb"),
        .category = str(d, "category"),
        .headings = str(d, "headings"),
        .keywords = str(d, "keywords"),
        .description = str(d, "description"),
        .body = str(d, "body"),
        .tags = tags[i],
        .ntags = json_array_size(jt),
        .promoted = json_is_true(json_object_get(d, "promoted")),
    };
  }
  json_t *jsyn = json_object_get(root, "synonyms");
  size_t ns = json_array_size(jsyn);
  const char ***syn = hg_xcalloc(ns + 1, sizeof *syn);
  for (size_t g = 0; g < ns; g++) {
    json_t *grp = json_array_get(jsyn, g);
    syn[g] = hg_xcalloc(json_array_size(grp) + 1, sizeof **syn);
    for (size_t k = 0; k < json_array_size(grp); k++)
      syn[g][k] = json_string_value(json_array_get(grp, k));
  }
  hg_search_opts opts = {
      .lang = str(root, "lang") ? str(root, "lang") : "en",
      .out_root = out,
      .synonyms = (const char *const *const *)syn,
      .nsynonyms = ns,
      .shard_bytes = shard_bytes,
      .top_postings = top,
  };
  hg_error *err = NULL;
  char *manifest = hg_search_build(docs, n, &opts, &err);
  int rc = 0;
  if (manifest) {
    printf("%s\n", manifest);
  } else {
    fprintf(stderr, "search_fixture: %s\n", err ? err->msg : "failed");
    rc = 1;
  }
  free(manifest);
  hg_error_free(err);
  for (size_t i = 0; i < n; i++) free(tags[i]);
  for (size_t g = 0; g < ns; g++) free(syn[g]);
  free(tags);
  free(syn);
  free(docs);
  json_decref(root);
  return rc;
}

typedef struct {
  json_t *tokens;
  const char *text;
} vec_ctx;

/* UTF-16 length of s[0..n) */
static size_t u16len(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = (unsigned char)s[i];
    if ((b & 0xc0) != 0x80) c += b >= 0xf0 ? 2 : 1;
  }
  return c;
}

static void on_vec_token(void *p, const hg_search_token *t) {
  vec_ctx *c = p;
  json_t *a = json_array();
  json_array_append_new(a, json_stringn(t->term, t->term_len));
  json_array_append_new(a, t->exact ? json_stringn(t->exact, t->exact_len)
                                    : json_null());
  json_array_append_new(a, json_integer((json_int_t)u16len(c->text, t->start)));
  json_array_append_new(a, json_integer((json_int_t)u16len(c->text, t->end)));
  json_array_append_new(c->tokens, a);
}

static int cmd_vectors(const char *in, const char *out) {
  json_error_t je;
  json_t *root = json_load_file(in, 0, &je);
  if (!root) {
    fprintf(stderr, "%s:%d:%d: %s\n", in, je.line, je.column, je.text);
    return 1;
  }
  int rc = 0;
  for (size_t i = 0; i < json_array_size(root) && rc == 0; i++) {
    json_t *item = json_array_get(root, i);
    const char *lang = str(item, "lang"), *text = str(item, "text");
    hg_error *err = NULL;
    hg_search_tokenizer *tk = hg_search_tokenizer_new(lang, &err);
    if (!tk || !text) {
      fprintf(stderr, "search_fixture: item %zu: %s\n", i,
              err ? err->msg : "no text");
      hg_error_free(err);
      rc = 1;
      break;
    }
    vec_ctx c = {json_array(), text};
    hg_search_tokenize(tk, text, strlen(text), on_vec_token, &c);
    json_object_set_new(item, "tokens", c.tokens);
    hg_search_tokenizer_free(tk);
  }
  if (rc == 0 && json_dump_file(root, out, JSON_INDENT(1)) != 0) {
    fprintf(stderr, "search_fixture: cannot write %s\n", out);
    rc = 1;
  }
  json_decref(root);
  return rc;
}

static int cmd_fold(const char *word) {
  hg_search_tokenizer *tk = hg_search_tokenizer_new("", NULL);
  char *exact = NULL;
  char *f = hg_search_fold(tk, word, strlen(word), &exact);
  printf("%s%s%s\n", f, exact ? " " : "", exact ? exact : "");
  free(f);
  free(exact);
  hg_search_tokenizer_free(tk);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && argc <= 6 && strcmp(argv[1], "index") == 0)
    return cmd_index(argv[2], argv[3], argc >= 5 ? strtoul(argv[4], NULL, 10) : 0,
                     argc >= 6 ? strtoul(argv[5], NULL, 10) : 0);
  if (argc == 4 && strcmp(argv[1], "vectors") == 0)
    return cmd_vectors(argv[2], argv[3]);
  if (argc == 3 && strcmp(argv[1], "fold") == 0) return cmd_fold(argv[2]);
  fprintf(stderr, "usage: search_fixture index SITE.json OUT_ROOT [SHARD_BYTES [TOP_POSTINGS]]\n"
                  "       search_fixture vectors IN.json OUT.json\n"
                  "       search_fixture fold WORD\n");
  return 2;
}
