/* value.c - libyaml event stream to the hg_value tree, with positions; the
 * tree to and from a binary record for the build cache. */
#include "hg_value.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH HG_YAML_MAX_DEPTH
#define HG_STR_(x) #x
#define HG_STR(x) HG_STR_(x)

typedef struct {
  yaml_parser_t parser;
  const char *path;
  int line_offset;
  hg_error **err;
  bool failed;
} loader;

static hg_value *value_new(hg_value_type t, const yaml_mark_t *m, int off) {
  hg_value *v = hg_xcalloc(1, sizeof *v);
  v->type = t;
  v->line = (int)m->line + 1 + off;
  v->col = (int)m->column + 1;
  return v;
}

void hg_value_free(hg_value *v) {
  if (!v) return;
  for (size_t i = 0; i < v->len; i++) {
    hg_value_free(v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->key_lines);
  free(v->str);
  free(v);
}

static void push(hg_value *parent, char *key, int key_line, hg_value *child) {
  if ((parent->len & (parent->len - 1)) == 0) { /* 0,1,2,4,8... grow */
    size_t cap = parent->len ? parent->len * 2 : 1;
    parent->items = hg_xrealloc(parent->items, cap * sizeof *parent->items);
    if (parent->type == HG_V_MAP) {
      parent->keys = hg_xrealloc(parent->keys, cap * sizeof *parent->keys);
      parent->key_lines =
          hg_xrealloc(parent->key_lines, cap * sizeof *parent->key_lines);
    }
  }
  if (parent->type == HG_V_MAP) {
    parent->keys[parent->len] = key;
    parent->key_lines[parent->len] = key_line;
  }
  parent->items[parent->len++] = child;
}

static bool all_digits(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i])) return false;
  return true;
}

static bool looks_like_date(const char *s) {
  size_t n = strlen(s);
  if (n < 10) return false;
  if (!all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) ||
      s[7] != '-' || !all_digits(s + 8, 2))
    return false;
  return n == 10 || s[10] == 'T' || s[10] == 't' || s[10] == ' ';
}

/* Resolves a plain scalar the way YAML 1.2's core schema does. */
static void resolve_plain(hg_value *v) {
  const char *s = v->str;
  if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
      !strcmp(s, "NULL")) {
    v->type = HG_V_NULL;
  } else if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") ||
             !strcmp(s, "yes") || !strcmp(s, "Yes")) {
    v->type = HG_V_BOOL;
    v->b = true;
  } else if (!strcmp(s, "false") || !strcmp(s, "False") ||
             !strcmp(s, "FALSE") || !strcmp(s, "no") || !strcmp(s, "No")) {
    v->type = HG_V_BOOL;
    v->b = false;
  } else if (looks_like_date(s)) {
    v->type = HG_V_DATE;
  } else {
    char *end;
    size_t n = strlen(s);
    const char *d = (s[0] == '-' || s[0] == '+') ? s + 1 : s;
    if (all_digits(d, strlen(d)) && n < 19) {
      v->type = HG_V_INT;
      v->i = strtoll(s, &end, 10);
      return;
    }
    double f = strtod(s, &end);
    if (end != s && *end == '\0' && (isdigit((unsigned char)*d) || *d == '.')) {
      v->type = HG_V_FLOAT;
      v->f = f;
    }
  }
}

static void fail(loader *l, const yaml_mark_t *m, const char *what) {
  if (l->failed) return;
  l->failed = true;
  hg_error_set(l->err, 1, l->path, m ? (int)m->line + 1 + l->line_offset : 0,
               m ? (int)m->column + 1 : 0, "%s", what);
}

static bool next_event(loader *l, yaml_event_t *ev) {
  if (!yaml_parser_parse(&l->parser, ev)) {
    hg_buf b = HG_BUF_INIT;
    hg_buf_printf(&b, "YAML syntax error: %s",
                  l->parser.problem ? l->parser.problem : "invalid YAML");
    if (l->parser.context) hg_buf_printf(&b, " %s", l->parser.context);
    hg_buf_puts(&b, " (check indentation, quotes and colons)");
    fail(l, &l->parser.problem_mark, hg_buf_cstr(&b));
    hg_buf_free(&b);
    return false;
  }
  return true;
}

static hg_value *load_node(loader *l, yaml_event_t *ev, int depth);

/* A scalar may not hold a NUL or another control character (from an escape
 * such as "\0" or "\x01": raw ones are a libyaml error already); tab and
 * line feed are text. On a bad one, fails at the scalar and returns false. */
static bool scalar_ok(loader *l, const yaml_event_t *ev) {
  const unsigned char *p = ev->data.scalar.value;
  for (size_t i = 0; i < ev->data.scalar.length; i++) {
    unsigned char c = p[i];
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
      char what[160];
      snprintf(what, sizeof what,
               "control character U+%04X in a string (from an escape such as \\0 or \\x%02X "
               "in quotes): remove it", c, c);
      fail(l, &ev->start_mark, what);
      return false;
    }
  }
  return true;
}

static hg_value *load_collection(loader *l, hg_value *v, int depth) {
  bool is_map = v->type == HG_V_MAP;
  for (;;) {
    yaml_event_t ev;
    if (!next_event(l, &ev)) return v;
    if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&ev);
      return v;
    }
    char *key = NULL;
    int key_line = 0;
    if (is_map) {
      if (ev.type != YAML_SCALAR_EVENT) {
        fail(l, &ev.start_mark, "front matter: a map key must be a plain string");
        yaml_event_delete(&ev);
        return v;
      }
      key = hg_xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
      key_line = (int)ev.start_mark.line + 1 + l->line_offset;
      if (!scalar_ok(l, &ev)) {
        free(key);
        yaml_event_delete(&ev);
        return v;
      }
      for (size_t i = 0; i < v->len; i++)
        if (!strcmp(v->keys[i], key)) { /* the last would win, silently */
          char *what = hg_strdup_printf("duplicate key '%s': first at line %d, again at line %d "
                                        "(keep one of them)", key, v->key_lines[i], key_line);
          fail(l, &ev.start_mark, what);
          free(what);
          free(key);
          yaml_event_delete(&ev);
          return v;
        }
      yaml_event_delete(&ev);
      if (!next_event(l, &ev)) {
        free(key);
        return v;
      }
    }
    hg_value *child = load_node(l, &ev, depth + 1);
    yaml_event_delete(&ev);
    if (!child) {
      free(key);
      return v;
    }
    push(v, key, key_line, child);
    if (l->failed) return v;
  }
}

static hg_value *load_node(loader *l, yaml_event_t *ev, int depth) {
  if (depth > MAX_DEPTH) {
    fail(l, &ev->start_mark, "YAML nested more than " HG_STR(HG_YAML_MAX_DEPTH)
                             " levels deep: flatten it (put deep parts in a file of their own)");
    return NULL;
  }
  hg_value *v;
  switch (ev->type) {
  case YAML_SCALAR_EVENT:
    if (!scalar_ok(l, ev)) return NULL;
    v = value_new(HG_V_STRING, &ev->start_mark, l->line_offset);
    v->str = hg_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag)
      resolve_plain(v);
    return v;
  case YAML_SEQUENCE_START_EVENT:
    v = value_new(HG_V_LIST, &ev->start_mark, l->line_offset);
    return load_collection(l, v, depth);
  case YAML_MAPPING_START_EVENT:
    v = value_new(HG_V_MAP, &ev->start_mark, l->line_offset);
    return load_collection(l, v, depth);
  case YAML_ALIAS_EVENT:
    fail(l, &ev->start_mark, "YAML aliases (*name) are not supported; repeat the value");
    return NULL;
  default:
    fail(l, &ev->start_mark, "unexpected YAML structure");
    return NULL;
  }
}

hg_value *hg_yaml_parse(const char *text, size_t len, const char *path,
                        int line_offset, hg_error **err) {
  loader l = {.path = path, .line_offset = line_offset, .err = err};
  yaml_parser_initialize(&l.parser);
  yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
  hg_value *root = NULL;
  bool started = false;
  for (;;) {
    yaml_event_t ev;
    if (!next_event(&l, &ev)) break;
    yaml_event_type_t t = ev.type;
    if (t == YAML_STREAM_END_EVENT) {
      yaml_event_delete(&ev);
      break;
    }
    if (t == YAML_DOCUMENT_START_EVENT && started) {
      fail(&l, &ev.start_mark, "more than one YAML document (a stray '---'?)");
      yaml_event_delete(&ev);
      break;
    }
    if (t == YAML_DOCUMENT_START_EVENT) started = true;
    if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT ||
        t == YAML_MAPPING_START_EVENT || t == YAML_ALIAS_EVENT) {
      root = load_node(&l, &ev, 0);
    }
    yaml_event_delete(&ev);
    if (l.failed) break;
  }
  yaml_parser_delete(&l.parser);
  if (l.failed) {
    hg_value_free(root);
    return NULL;
  }
  if (root && root->type == HG_V_NULL) {
    hg_value_free(root);
    root = NULL;
  }
  return root;
}

const char *hg_value_type_name(hg_value_type t) {
  static const char *names[] = {"null", "boolean", "integer", "number",
                                "date", "string",  "list",    "map"};
  return names[t];
}

hg_value *hg_value_get(const hg_value *v, const char *key) {
  if (!v || v->type != HG_V_MAP) return NULL;
  for (size_t i = v->len; i-- > 0;) /* the last of duplicate keys wins */
    if (!strcmp(v->keys[i], key)) return v->items[i];
  return NULL;
}

const char *hg_value_str(const hg_value *v) {
  if (!v || v->type == HG_V_NULL || v->type == HG_V_LIST || v->type == HG_V_MAP)
    return NULL;
  return v->str;
}

bool hg_value_bool(const hg_value *v, bool def) {
  return v && v->type == HG_V_BOOL ? v->b : def;
}

hg_value *hg_value_copy(const hg_value *v) {
  if (!v) return NULL;
  hg_value *c = hg_xcalloc(1, sizeof *c);
  *c = *v;
  c->str = v->str ? hg_xstrdup(v->str) : NULL;
  c->items = NULL;
  c->keys = NULL;
  c->key_lines = NULL;
  c->len = 0;
  for (size_t i = 0; i < v->len; i++)
    push(c, v->keys ? hg_xstrdup(v->keys[i]) : NULL,
         v->key_lines ? v->key_lines[i] : 0, hg_value_copy(v->items[i]));
  return c;
}

/* ---- binary records ------------------------------------------------------
 * A node: 0 for NULL, else type + 1; flags (SET_B, SET_I, SET_F: which of b,
 * i, f are not zero); line and col (svar); str; i (svar) and f (8 bytes,
 * little-endian bits) when set; lists and maps then the item count and each
 * item, a map's with its key (str) and key line (svar) in front. */
enum { SET_B = 1, SET_I = 2, SET_F = 4, SET_ALL = 7 };

static uint64_t float_bits(double f) {
  uint64_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

void hg_value_save(const hg_value *v, hg_buf *b) {
  if (!v) {
    hg_buf_put_uvar(b, 0);
    return;
  }
  uint64_t fb = float_bits(v->f);
  hg_buf_put_uvar(b, (uint64_t)v->type + 1);
  hg_buf_put_uvar(b, (v->b ? SET_B : 0) | (v->i ? SET_I : 0) | (fb ? SET_F : 0));
  hg_buf_put_svar(b, v->line);
  hg_buf_put_svar(b, v->col);
  hg_buf_put_str(b, v->str);
  if (v->i) hg_buf_put_svar(b, v->i);
  if (fb) {
    char raw[8];
    for (int k = 0; k < 8; k++) raw[k] = (char)(fb >> (8 * k));
    hg_buf_append(b, raw, 8);
  }
  if (v->type != HG_V_LIST && v->type != HG_V_MAP) return;
  bool map = v->type == HG_V_MAP;
  hg_buf_put_uvar(b, v->len);
  for (size_t k = 0; k < v->len; k++) {
    if (map) { /* (a map without keys is saved, but not restored) */
      hg_buf_put_str(b, v->keys ? v->keys[k] : NULL);
      hg_buf_put_svar(b, v->key_lines ? v->key_lines[k] : 0);
    }
    hg_value_save(v->items[k], b);
  }
}

static int read_int(hg_reader *r) {
  int64_t v = hg_read_svar(r);
  if (v < INT_MIN || v > INT_MAX) r->bad = true;
  return r->bad ? 0 : (int)v;
}

static hg_value *restore_node(hg_reader *r, int depth) {
  uint64_t tag = hg_read_uvar(r);
  if (tag == 0 || r->bad) return NULL;
  uint64_t set = hg_read_uvar(r);
  if (tag > HG_V_MAP + 1 || set > SET_ALL || depth > MAX_DEPTH) {
    r->bad = true;
    return NULL;
  }
  hg_value *v = hg_xcalloc(1, sizeof *v);
  v->type = (hg_value_type)(tag - 1);
  v->b = set & SET_B;
  v->line = read_int(r);
  v->col = read_int(r);
  v->str = hg_read_str(r);
  if (set & SET_I) v->i = hg_read_svar(r);
  if (set & SET_F) {
    const unsigned char *raw = (const unsigned char *)r->p;
    if (r->bad || r->end - r->p < 8) {
      r->bad = true;
    } else {
      uint64_t fb = 0;
      for (int k = 0; k < 8; k++) fb |= (uint64_t)raw[k] << (8 * k);
      memcpy(&v->f, &fb, sizeof v->f);
      r->p += 8;
    }
  }
  if (!r->bad && (v->type == HG_V_LIST || v->type == HG_V_MAP)) {
    bool map = v->type == HG_V_MAP;
    uint64_t n = hg_read_uvar(r);
    /* an item takes 5 bytes at the least (a map's 7): no more than that */
    if (n > (uint64_t)(r->end - r->p) / 5) r->bad = true;
    if (n && !r->bad) {
      v->items = hg_xmalloc((size_t)n * sizeof *v->items);
      if (map) {
        v->keys = hg_xmalloc((size_t)n * sizeof *v->keys);
        v->key_lines = hg_xmalloc((size_t)n * sizeof *v->key_lines);
      }
    }
    for (size_t k = 0; k < n && !r->bad; k++) {
      char *key = map ? hg_read_str(r) : NULL;
      int key_line = map ? read_int(r) : 0;
      hg_value *child = restore_node(r, depth + 1);
      if (!child || (map && !key)) {
        r->bad = true;
        hg_value_free(child);
        free(key);
        break;
      }
      if (map) {
        v->keys[k] = key;
        v->key_lines[k] = key_line;
      }
      v->items[v->len++] = child;
    }
  }
  if (r->bad) {
    hg_value_free(v);
    return NULL;
  }
  return v;
}

hg_value *hg_value_restore(hg_reader *r) { return restore_node(r, 0); }
