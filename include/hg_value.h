/* hg_value.h - the typed value tree that front matter and helpgen.yaml are
 * parsed into (with libyaml): null, booleans, integers, floats, dates,
 * strings, lists and maps, each remembering its line and column.
 *
 * Ownership: a tree is owned by its root; hg_value_free(root) frees it all.
 * Getters return borrowed pointers into the tree. */
#ifndef HG_VALUE_H
#define HG_VALUE_H

#include "hg_util.h"

typedef enum {
  HG_V_NULL,
  HG_V_BOOL,
  HG_V_INT,
  HG_V_FLOAT,
  HG_V_DATE, /* YYYY-MM-DD (optionally with a time); str holds the text */
  HG_V_STRING,
  HG_V_LIST,
  HG_V_MAP
} hg_value_type;

typedef struct hg_value hg_value;
struct hg_value {
  hg_value_type type;
  int line, col;   /* 1-based, in the parsed text */
  char *str;       /* the scalar's text (every scalar type) */
  bool b;
  long long i;
  double f;
  /* lists: items; maps: keys[i] -> items[i] (keys are strings) */
  hg_value **items;
  char **keys;
  int *key_lines;
  size_t len;
};

/* Collections nested deeper than this are an error (README: Limits). */
#define HG_YAML_MAX_DEPTH 64

/* Parses one YAML document. `line_offset` is added to every line (front
 * matter starts after the opening ---). An empty document gives a NULL
 * value. On a syntax error returns NULL with err "path:line:col: ...";
 * so do a duplicate key in a map (naming both lines) and a control
 * character other than tab and line feed in a string (a NUL from "\0"). */
hg_value *hg_yaml_parse(const char *text, size_t len, const char *path,
                        int line_offset, hg_error **err);
void hg_value_free(hg_value *v);

const char *hg_value_type_name(hg_value_type t);
/* Map lookup; NULL if v is not a map or has no such key. */
hg_value *hg_value_get(const hg_value *v, const char *key);
/* The scalar's text if v is a scalar (not null, list, map), else NULL. */
const char *hg_value_str(const hg_value *v);
/* Truthiness of a bool; def if v is NULL or not a bool. */
bool hg_value_bool(const hg_value *v, bool def);
/* Deep copy. */
hg_value *hg_value_copy(const hg_value *v);

/* Appends the tree v (may be NULL) to b as a binary record (see hg_reader
 * in hg_util.h): type, line, col, str, b, i, f (bit for bit), items, keys
 * and key_lines; only fields that are set take room. */
void hg_value_save(const hg_value *v, hg_buf *b);
/* Reads a tree saved by hg_value_save: a new tree the caller frees with
 * hg_value_free, NULL for a saved NULL, or NULL with r->bad set on bad
 * input (an unknown type, a NULL item or map key, nesting deeper than the
 * YAML parser accepts, ...). Arrays are allocated to their exact length. */
hg_value *hg_value_restore(hg_reader *r);

#endif
