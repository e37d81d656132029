/* test_value.c - unit tests for src/value.c: YAML text to typed hg_value
 * trees with positions, the errors for what helpgen refuses, and trees to
 * and from binary records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hg_value.h"
#include "helpers.h"

static hg_value *parse_ok(const char *text, int line_offset) {
  hg_error *err = NULL;
  hg_value *v = hg_yaml_parse(text, strlen(text), "t.yaml", line_offset, &err);
  if (err) fail_msg("unexpected error: %s", err->msg);
  return v;
}

/* Parses text that must fail; returns the message (caller frees). */
static char *parse_err(const char *text, int line_offset) {
  hg_error *err = NULL;
  hg_value *v = hg_yaml_parse(text, strlen(text), "t.yaml", line_offset, &err);
  if (v) fail_msg("expected an error for:\n%s", text);
  assert_non_null(err);
  char *m = hg_xstrdup(err->msg);
  hg_error_free(err);
  return m;
}

static const hg_value *get(const hg_value *map, const char *key) {
  const hg_value *v = hg_value_get(map, key);
  if (!v) fail_msg("no key '%s'", key);
  return v;
}

/* ---- scalars ------------------------------------------------------------ */
static void test_scalar_types(void **state) {
  (void)state;
  hg_value *m = parse_ok("int: 42\n"
                         "neg: -17\n"
                         "plus: +7\n"
                         "zeros: 007\n"
                         "float: 3.25\n"
                         "exp: 1e3\n"
                         "dot: .5\n"
                         "yes1: true\n"
                         "yes2: True\n"
                         "yes3: yes\n"
                         "no1: false\n"
                         "no2: NO\n"
                         "no3: no\n"
                         "nul1: ~\n"
                         "nul2: null\n"
                         "nul3:\n"
                         "date: 2026-03-01\n"
                         "datetime: 2026-03-01T10:30:00Z\n"
                         "str: hello world\n"
                         "mixed: 12abc\n"
                         "version: 1.2.3\n"
                         "inf: inf\n"
                         "sign: +\n"
                         "notdate: 2026-3-1\n"
                         "unicode: Příliš žluťoučký\n",
                         0);
  assert_non_null(m);
  assert_int_equal(m->type, HG_V_MAP);
  assert_int_equal(m->len, 25);

  const hg_value *v = get(m, "int");
  assert_int_equal(v->type, HG_V_INT);
  assert_int_equal(v->i, 42);
  assert_string_equal(v->str, "42");
  v = get(m, "neg");
  assert_int_equal(v->type, HG_V_INT);
  assert_int_equal(v->i, -17);
  v = get(m, "plus");
  assert_int_equal(v->type, HG_V_INT);
  assert_int_equal(v->i, 7);
  v = get(m, "zeros");
  assert_int_equal(v->type, HG_V_INT);
  assert_int_equal(v->i, 7);

  v = get(m, "float");
  assert_int_equal(v->type, HG_V_FLOAT);
  assert_true(v->f == 3.25);
  v = get(m, "exp");
  assert_int_equal(v->type, HG_V_FLOAT);
  assert_true(v->f == 1000.0);
  v = get(m, "dot");
  assert_int_equal(v->type, HG_V_FLOAT);
  assert_true(v->f == 0.5);

  static const char *const trues[] = {"yes1", "yes2", "yes3"};
  static const char *const falses[] = {"no1", "no3"};
  for (size_t i = 0; i < 3; i++) {
    v = get(m, trues[i]);
    assert_int_equal(v->type, HG_V_BOOL);
    assert_true(v->b);
    assert_true(hg_value_bool(v, false));
  }
  for (size_t i = 0; i < 2; i++) {
    v = get(m, falses[i]);
    assert_int_equal(v->type, HG_V_BOOL);
    assert_false(v->b);
    assert_false(hg_value_bool(v, true));
  }
  v = get(m, "no2"); /* "NO" is not one of the spellings: a string */
  assert_int_equal(v->type, HG_V_STRING);

  static const char *const nulls[] = {"nul1", "nul2", "nul3"};
  for (size_t i = 0; i < 3; i++) {
    v = get(m, nulls[i]);
    assert_int_equal(v->type, HG_V_NULL);
    assert_null(hg_value_str(v));
  }

  v = get(m, "date");
  assert_int_equal(v->type, HG_V_DATE);
  assert_string_equal(hg_value_str(v), "2026-03-01");
  v = get(m, "datetime");
  assert_int_equal(v->type, HG_V_DATE);
  assert_string_equal(v->str, "2026-03-01T10:30:00Z");

  static const char *const strings[] = {"str", "mixed", "version", "inf", "sign", "notdate",
                                        "unicode"};
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
    v = get(m, strings[i]);
    if (v->type != HG_V_STRING)
      fail_msg("'%s' is a %s, expected a string", strings[i], hg_value_type_name(v->type));
  }
  assert_string_equal(get(m, "str")->str, "hello world");
  assert_string_equal(get(m, "unicode")->str, "Příliš žluťoučký");
  assert_string_equal(hg_value_str(get(m, "int")), "42");
  assert_string_equal(hg_value_str(get(m, "yes3")), "yes");
  hg_value_free(m);
}

static void test_quoted_stay_strings(void **state) {
  (void)state;
  hg_value *m = parse_ok("a: \"42\"\n"
                         "b: 'true'\n"
                         "c: \"2026-03-01\"\n"
                         "d: \"~\"\n"
                         "e: ''\n"
                         "f: !!str 17\n"
                         "g: \"3.5\"\n"
                         "h: |\n"
                         "  no\n"
                         "i: >\n"
                         "  null\n",
                         0);
  const char *keys = "abcdefghi";
  for (const char *k = keys; *k; k++) {
    char key[2] = {*k, '\0'};
    const hg_value *v = get(m, key);
    if (v->type != HG_V_STRING)
      fail_msg("'%s' is a %s, expected a string", key, hg_value_type_name(v->type));
  }
  assert_string_equal(get(m, "a")->str, "42");
  assert_string_equal(get(m, "e")->str, "");
  assert_string_equal(get(m, "h")->str, "no\n");
  assert_string_equal(get(m, "i")->str, "null\n");
  assert_false(hg_value_bool(get(m, "b"), false)); /* a string is not a bool */
  hg_value_free(m);
}

static void test_empty_documents(void **state) {
  (void)state;
  static const char *const empties[] = {"", "\n\n", "# only a comment\n", "~\n", "null",
                                        "---\n"};
  for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
    hg_error *err = NULL;
    hg_value *v = hg_yaml_parse(empties[i], strlen(empties[i]), "t.yaml", 0, &err);
    if (v || err) fail_msg("case %zu: expected NULL without error", i);
  }
  hg_value *s = parse_ok("just text", 0);
  assert_int_equal(s->type, HG_V_STRING);
  assert_string_equal(s->str, "just text");
  hg_value_free(s);
  /* only len bytes are read */
  const char *text = "a: 1\nb: 2\n";
  hg_value *m = hg_yaml_parse(text, 5, "t.yaml", 0, NULL);
  assert_non_null(m);
  assert_int_equal(m->len, 1);
  assert_null(hg_value_get(m, "b"));
  hg_value_free(m);
}

/* ---- structure and positions ------------------------------------------- */
static const char nested_doc[] = "title: Hello\n"        /* 1 */
                                 "tags:\n"               /* 2 */
                                 "  - a\n"               /* 3 */
                                 "  - 2\n"               /* 4 */
                                 "nested:\n"             /* 5 */
                                 "  deep:\n"             /* 6 */
                                 "    x: 1\n"            /* 7 */
                                 "    list: [p, q]\n"    /* 8 */
                                 "flow: {k: v}\n";       /* 9 */

static void check_nested(const hg_value *m, int off) {
  assert_int_equal(m->type, HG_V_MAP);
  assert_int_equal(m->len, 4);
  assert_string_equal(m->keys[0], "title");
  assert_string_equal(m->keys[3], "flow");
  assert_int_equal(m->key_lines[0], 1 + off);
  assert_int_equal(m->key_lines[1], 2 + off);
  assert_int_equal(m->key_lines[2], 5 + off);
  assert_int_equal(m->key_lines[3], 9 + off);

  const hg_value *t = get(m, "title");
  assert_int_equal(t->line, 1 + off);
  assert_int_equal(t->col, 8);

  const hg_value *tags = get(m, "tags");
  assert_int_equal(tags->type, HG_V_LIST);
  assert_int_equal(tags->len, 2);
  assert_int_equal(tags->line, 3 + off);
  assert_int_equal(tags->col, 3);
  assert_null(tags->keys);
  assert_int_equal(tags->items[0]->type, HG_V_STRING);
  assert_string_equal(tags->items[0]->str, "a");
  assert_int_equal(tags->items[0]->line, 3 + off);
  assert_int_equal(tags->items[0]->col, 5);
  assert_int_equal(tags->items[1]->type, HG_V_INT);
  assert_int_equal(tags->items[1]->line, 4 + off);

  const hg_value *deep = get(get(m, "nested"), "deep");
  assert_int_equal(deep->type, HG_V_MAP);
  assert_int_equal(deep->line, 7 + off);
  assert_int_equal(deep->col, 5);
  const hg_value *x = get(deep, "x");
  assert_int_equal(x->i, 1);
  assert_int_equal(x->line, 7 + off);
  assert_int_equal(x->col, 8);
  const hg_value *list = get(deep, "list");
  assert_int_equal(list->len, 2);
  assert_int_equal(list->line, 8 + off);
  assert_int_equal(list->col, 11);
  assert_int_equal(list->items[1]->col, 15);
  assert_string_equal(list->items[1]->str, "q");

  const hg_value *flow = get(m, "flow");
  assert_int_equal(flow->type, HG_V_MAP);
  assert_string_equal(get(flow, "k")->str, "v");
  assert_int_equal(get(flow, "k")->line, 9 + off);
  assert_int_equal(get(flow, "k")->col, 11);
}

static void test_nested_positions(void **state) {
  (void)state;
  hg_value *m = parse_ok(nested_doc, 0);
  check_nested(m, 0);
  hg_value_free(m);
  /* front matter: the opening --- is line 1, so the YAML starts on line 2 */
  m = parse_ok(nested_doc, 1);
  check_nested(m, 1);
  hg_value_free(m);
  m = parse_ok(nested_doc, 40);
  check_nested(m, 40);
  hg_value_free(m);
}

static void test_getters(void **state) {
  (void)state;
  hg_value *m = parse_ok("b: [x]\na: 2\nc: {d: e}\nflag: true\n", 0);
  assert_int_equal(get(m, "a")->i, 2);
  assert_null(hg_value_get(m, "missing"));
  assert_null(hg_value_get(NULL, "a"));
  assert_null(hg_value_get(get(m, "b"), "x")); /* not a map */
  assert_null(hg_value_str(get(m, "b")));
  assert_null(hg_value_str(get(m, "c")));
  assert_null(hg_value_str(NULL));
  assert_true(hg_value_bool(get(m, "flag"), false));
  assert_true(hg_value_bool(get(m, "a"), true)); /* not a bool: default */
  assert_false(hg_value_bool(NULL, false));
  assert_string_equal(hg_value_type_name(HG_V_NULL), "null");
  assert_string_equal(hg_value_type_name(HG_V_LIST), "list");
  assert_string_equal(hg_value_type_name(HG_V_MAP), "map");
  assert_string_equal(hg_value_type_name(HG_V_STRING), "string");
  assert_string_equal(hg_value_type_name(HG_V_INT), "integer");
  hg_value_free(m);
}

static void test_copy(void **state) {
  (void)state;
  hg_value *m = parse_ok(nested_doc, 3);
  hg_value *c = hg_value_copy(m);
  hg_value_free(m); /* the copy must not share anything with the original */
  check_nested(c, 3);
  assert_null(hg_value_copy(NULL));
  hg_value_free(c);
  hg_value_free(NULL);
}

/* ---- errors ------------------------------------------------------------- */
static void test_syntax_errors(void **state) {
  (void)state;
  char *m = parse_err("title: ok\nbad: a: b\n", 0);
  assert_true(hg_str_has_prefix(m, "t.yaml:2:7: YAML syntax error: "));
  assert_contains(m, "mapping values are not allowed");
  free(m);
  /* the same error inside front matter reads one line further down */
  m = parse_err("title: ok\nbad: a: b\n", 1);
  assert_true(hg_str_has_prefix(m, "t.yaml:3:7: YAML syntax error: "));
  free(m);

  m = parse_err("title: \"unclosed\nnext: 1\n", 0);
  assert_true(hg_str_has_prefix(m, "t.yaml:"));
  assert_contains(m, "YAML syntax error: ");
  free(m);

  m = parse_err("a:\n\tb: 1\n", 0); /* a tab in the indentation */
  assert_true(hg_str_has_prefix(m, "t.yaml:2:1: YAML syntax error: "));
  free(m);

  m = parse_err("list: [a, b\nother: 1\n", 0);
  assert_contains(m, "YAML syntax error");
  assert_true(hg_str_has_prefix(m, "t.yaml:"));
  free(m);

  /* without an err pointer the failure is still a NULL result */
  assert_null(hg_yaml_parse("a: b: c", 7, "t.yaml", 0, NULL));
}

static void test_aliases_rejected(void **state) {
  (void)state;
  char *m = parse_err("a: &anchor 1\nb: *anchor\n", 0);
  assert_string_equal(m, "t.yaml:2:4: YAML aliases (*name) are not supported; repeat the value");
  free(m);
  m = parse_err("*x\n", 0);
  assert_contains(m, "aliases");
  free(m);
  m = parse_err("base: &b {x: 1}\nlist:\n  - *b\n", 5);
  assert_true(hg_str_has_prefix(m, "t.yaml:8:5: YAML aliases"));
  free(m);
}

static char *nested_lists(int depth) {
  hg_buf b = HG_BUF_INIT;
  for (int i = 0; i < depth; i++) hg_buf_putc(&b, '[');
  hg_buf_putc(&b, '1');
  for (int i = 0; i < depth; i++) hg_buf_putc(&b, ']');
  return hg_buf_steal(&b);
}

static void test_deep_nesting_rejected(void **state) {
  (void)state;
  char *ok = nested_lists(30);
  hg_value *v = parse_ok(ok, 0);
  assert_int_equal(v->type, HG_V_LIST);
  free(ok);
  hg_value_free(v);

  static const int depths[] = {100, 5000};
  for (size_t i = 0; i < 2; i++) {
    char *deep = nested_lists(depths[i]);
    char *m = parse_err(deep, 0);
    assert_true(hg_str_has_prefix(m, "t.yaml:1:"));
    assert_contains(m, "nested more than 64 levels deep: flatten it");
    free(m);
    free(deep);
  }

  /* block maps nest too */
  hg_buf b = HG_BUF_INIT;
  for (int i = 0; i < 100; i++) {
    for (int k = 0; k < i; k++) hg_buf_putc(&b, ' ');
    hg_buf_puts(&b, "k:\n");
  }
  char *m = parse_err(hg_buf_cstr(&b), 0);
  assert_contains(m, "nested more than 64 levels deep: flatten it");
  free(m);
  hg_buf_free(&b);
}

/* The last of two equal keys used to win silently. */
static void test_duplicate_keys_rejected(void **state) {
  (void)state;
  char *m = parse_err("title: A\ndescription: d\ntitle: B\n", 10);
  assert_string_equal(m, "t.yaml:13:1: duplicate key 'title': first at line 11, again at line 13 "
                         "(keep one of them)");
  free(m);
  m = parse_err("nav:\n  - {url: a, title: x, url: b}\n", 0);
  assert_string_equal(m, "t.yaml:2:24: duplicate key 'url': first at line 2, again at line 2 "
                         "(keep one of them)");
  free(m);
  /* the same key in two maps is fine */
  hg_value *v = parse_ok("a: {k: 1}\nb: {k: 2}\n", 0);
  assert_int_equal(v->len, 2);
  hg_value_free(v);
}

/* A NUL cut slugs, titles and aliases short; other control characters are
 * as invisible. Tab and line feed are text. */
static void test_control_characters_rejected(void **state) {
  (void)state;
  char *m = parse_err("title: ok\naliases: [\"/a/\\0/../../b/\"]\n", 0);
  assert_string_equal(m, "t.yaml:2:11: control character U+0000 in a string (from an escape such "
                         "as \\0 or \\x00 in quotes): remove it");
  free(m);
  m = parse_err("title: \"bell \\a\"\n", 2);
  assert_true(hg_str_has_prefix(m, "t.yaml:3:8: control character U+0007"));
  free(m);
  m = parse_err("\"key\\x7f\": 1\n", 0);
  assert_true(hg_str_has_prefix(m, "t.yaml:1:1: control character U+007F"));
  free(m);
  hg_value *v = parse_ok("a: \"tab\\there\\nnext\"\nb: |\n  two\n  lines\n", 0);
  assert_string_equal(hg_value_str(hg_value_get(v, "a")), "tab\there\nnext");
  assert_string_equal(hg_value_str(hg_value_get(v, "b")), "two\nlines\n");
  hg_value_free(v);
}

static void test_multiple_documents_rejected(void **state) {
  (void)state;
  char *m = parse_err("a: 1\n---\nb: 2\n", 0);
  assert_string_equal(m, "t.yaml:2:1: more than one YAML document (a stray '---'?)");
  free(m);
  m = parse_err("---\na: 1\n---\n", 2);
  assert_true(hg_str_has_prefix(m, "t.yaml:5:1: more than one YAML document"));
  free(m);
}

static void test_complex_key_rejected(void **state) {
  (void)state;
  char *m = parse_err("? [a, b]\n: 1\n", 0);
  assert_true(hg_str_has_prefix(m, "t.yaml:1:3: "));
  assert_contains(m, "a map key must be a plain string");
  free(m);
}

/* ---- binary records ----------------------------------------------------- */
/* Fails unless the trees match in every field a record keeps. */
static void assert_same_tree(const hg_value *a, const hg_value *b) {
  if (!a || !b) {
    assert_true(!a && !b);
    return;
  }
  assert_int_equal(a->type, b->type);
  assert_int_equal(a->line, b->line);
  assert_int_equal(a->col, b->col);
  if (a->str) assert_string_equal(a->str, b->str);
  else assert_null(b->str);
  assert_int_equal(a->b, b->b);
  assert_true(a->i == b->i);
  assert_memory_equal(&a->f, &b->f, sizeof a->f); /* bit for bit: -0.0, NaN payloads */
  assert_int_equal(a->len, b->len);
  for (size_t i = 0; i < a->len; i++) {
    if (a->type == HG_V_MAP) {
      assert_string_equal(a->keys[i], b->keys[i]);
      assert_int_equal(a->key_lines[i], b->key_lines[i]);
    }
    assert_same_tree(a->items[i], b->items[i]);
  }
  if (a->type != HG_V_MAP) assert_null(b->keys);
}

/* Restores a record that must be whole; checks that saving the copy
 * gives the same bytes again. The caller frees the copy. */
static hg_value *round_trip(const hg_value *v) {
  hg_buf b = HG_BUF_INIT, again = HG_BUF_INIT;
  hg_value_save(v, &b);
  char *copy;
  hg_reader r = reader_of(b.data, b.len, &copy);
  hg_value *w = hg_value_restore(&r);
  assert_false(r.bad);
  assert_ptr_equal(r.p, r.end);
  assert_same_tree(v, w);
  hg_value_save(w, &again);
  assert_int_equal(again.len, b.len);
  assert_memory_equal(again.data, b.data, b.len);
  free(copy);
  hg_buf_free(&b);
  hg_buf_free(&again);
  return w;
}

static const char every_type[] = "title: Grüße ✓\n"
                                 "nothing: ~\n"
                                 "empty:\n"
                                 "on: true\n"
                                 "off: no\n"
                                 "count: -42\n"
                                 "big: 123456789012345678\n"
                                 "zero: 0\n"
                                 "ratio: 0.5\n"
                                 "nothing_much: 0.0\n"
                                 "negzero: -0.0\n"
                                 "huge: 1e300\n"
                                 "tiny: 5e-324\n"
                                 "date: 2026-03-31\n"
                                 "stamp: 2026-03-31T10:00:00Z\n"
                                 "quoted: \"true\"\n"
                                 "blank: \"\"\n"
                                 "list: [a, 1, 2.5, [x, [y]], {k: v}]\n"
                                 "map:\n"
                                 "  inner:\n"
                                 "    deeper: [1, 2]\n"
                                 "  empty_list: []\n"
                                 "  empty_map: {}\n"
                                 "text: |\n"
                                 "  two\n"
                                 "  lines\n";

static void test_record_round_trip(void **state) {
  (void)state;
  hg_value *v = parse_ok(every_type, 1);
  hg_value *w = round_trip(v);
  assert_int_equal(get(w, "nothing")->type, HG_V_NULL);
  assert_int_equal(get(w, "off")->type, HG_V_BOOL);
  assert_true(get(w, "on")->b);
  assert_true(get(w, "big")->i == 123456789012345678LL);
  assert_int_equal(get(w, "negzero")->type, HG_V_FLOAT);
  assert_true(signbit(get(w, "negzero")->f));
  assert_true(get(w, "huge")->f == 1e300);
  assert_true(get(w, "tiny")->f == 5e-324);
  assert_int_equal(get(w, "stamp")->type, HG_V_DATE);
  assert_string_equal(get(w, "stamp")->str, "2026-03-31T10:00:00Z");
  assert_int_equal(get(w, "quoted")->type, HG_V_STRING);
  assert_string_equal(get(w, "blank")->str, "");
  assert_string_equal(get(w, "text")->str, "two\nlines\n");
  const hg_value *list = get(w, "list");
  assert_int_equal(list->len, 5);
  assert_string_equal(list->items[3]->items[1]->items[0]->str, "y");
  assert_string_equal(get(list->items[4], "k")->str, "v");
  const hg_value *inner = get(get(w, "map"), "inner");
  assert_int_equal(inner->line, 22);
  assert_int_equal(inner->col, 5);
  assert_int_equal(get(w, "map")->key_lines[2], 24);
  assert_null(get(get(w, "map"), "empty_map")->keys); /* empty: no arrays */
  hg_value_free(v);
  hg_value_free(w);

  /* fields the parser leaves zero are kept too (hooks set f beside i) */
  hg_value *odd = hg_xcalloc(1, sizeof *odd);
  odd->type = HG_V_STRING;
  odd->line = -3;
  odd->col = 2147483647;
  odd->b = true;
  odd->i = INT64_MIN;
  uint64_t nan_bits = 0x7ff8000000c0ffeeULL;
  memcpy(&odd->f, &nan_bits, sizeof odd->f);
  w = round_trip(odd);
  assert_true(isnan(w->f));
  hg_value_free(odd);
  hg_value_free(w);

  /* NULL is a record of its own, not an error */
  hg_buf b = HG_BUF_INIT;
  hg_value_save(NULL, &b);
  assert_int_equal(b.len, 1);
  hg_reader r = {b.data, b.data + b.len, false};
  assert_null(hg_value_restore(&r));
  assert_false(r.bad);
  hg_buf_free(&b);
}

static void test_record_truncated(void **state) {
  (void)state;
  hg_value *v = parse_ok(every_type, 1);
  hg_buf b = HG_BUF_INIT;
  hg_value_save(v, &b);
  for (size_t cut = 0; cut < b.len; cut++) {
    char *copy;
    hg_reader r = reader_of(b.data, cut, &copy);
    hg_value *w = hg_value_restore(&r);
    if (w || !r.bad) fail_msg("a record cut at %zu of %zu bytes was read", cut, b.len);
    assert_true(r.p <= r.end);
    free(copy);
  }
  hg_buf_free(&b);
  hg_value_free(v);
}

static void test_record_malformed(void **state) {
  (void)state;
  static const struct {
    const char *bytes;
    size_t len;
    const char *what;
  } bad[] = {
      {"\x09\x00\x00\x00\x00", 5, "a type past HG_V_MAP"},
      {"\x06\x08\x00\x00\x01", 5, "an unknown flag"},
      {"\x06\x00\x80\x80\x80\x80\x10\x00\x01", 9, "a line past INT_MAX"},
      {"\x04\x04\x00\x00\x00" "1234567", 12, "a float cut short"},
      {"\x07\x00\x00\x00\x00\x01\x00" "00000", 12, "a NULL list item"},
      {"\x08\x00\x00\x00\x00\x01\x00\x00\x06\x00\x00\x00\x01", 13, "a NULL map key"},
      {"\x07\x00\x00\x00\x00\xe8\x07" "0000000000", 17, "1000 items in 10 bytes"},
      {"\x06\x00\x00\x00\x05" "abc", 8, "a string past the end"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char *copy;
    hg_reader r = reader_of(bad[i].bytes, bad[i].len, &copy);
    hg_value *w = hg_value_restore(&r);
    if (w || !r.bad) fail_msg("%s was read", bad[i].what);
    free(copy);
  }
  /* the same bytes made right are read */
  char *copy;
  hg_reader r = reader_of("\x08\x00\x00\x00\x00\x01\x01\x00\x00\x06\x00\x00\x00\x01\x00", 15,
                          &copy); /* strings end in their NUL */
  hg_value *w = hg_value_restore(&r);
  assert_non_null(w);
  assert_string_equal(get(w, "")->str, "");
  hg_value_free(w);
  free(copy);
}

/* `levels` lists, each the only item of the one before. */
static hg_value *deep_lists(int levels) {
  hg_value *root = hg_xcalloc(1, sizeof *root), *cur = root;
  cur->type = HG_V_LIST;
  for (int i = 1; i < levels; i++) {
    hg_value *child = hg_xcalloc(1, sizeof *child);
    child->type = HG_V_LIST;
    cur->items = hg_xmalloc(sizeof *cur->items);
    cur->items[0] = child;
    cur->len = 1;
    cur = child;
  }
  return root;
}

static void test_record_depth(void **state) {
  (void)state;
  /* the deepest tree the parser makes is read back */
  char *text = nested_lists(64);
  hg_value *v = parse_ok(text, 0);
  hg_value_free(round_trip(v));
  hg_value_free(v);
  free(text);
  v = deep_lists(65);
  hg_value_free(round_trip(v));
  hg_value_free(v);

  static const int too_deep[] = {66, 1000};
  for (size_t i = 0; i < 2; i++) {
    v = deep_lists(too_deep[i]);
    hg_buf b = HG_BUF_INIT;
    hg_value_save(v, &b);
    hg_reader r = {b.data, b.data + b.len, false};
    assert_null(hg_value_restore(&r));
    assert_true(r.bad);
    hg_buf_free(&b);
    hg_value_free(v);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scalar_types),
      cmocka_unit_test(test_quoted_stay_strings),
      cmocka_unit_test(test_empty_documents),
      cmocka_unit_test(test_nested_positions),
      cmocka_unit_test(test_getters),
      cmocka_unit_test(test_copy),
      cmocka_unit_test(test_syntax_errors),
      cmocka_unit_test(test_aliases_rejected),
      cmocka_unit_test(test_deep_nesting_rejected),
      cmocka_unit_test(test_duplicate_keys_rejected),
      cmocka_unit_test(test_control_characters_rejected),
      cmocka_unit_test(test_multiple_documents_rejected),
      cmocka_unit_test(test_complex_key_rejected),
      cmocka_unit_test(test_record_round_trip),
      cmocka_unit_test(test_record_truncated),
      cmocka_unit_test(test_record_malformed),
      cmocka_unit_test(test_record_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
