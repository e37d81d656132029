/* test_minify.c - CSS and JavaScript minification: exact outputs for tricky
 * inputs (strings, regex literals, template literals, comments inside
 * strings, calc() spaces, line breaks that ASI needs), inputs it must give
 * back unchanged, and the default theme's own files (idempotent, smaller,
 * and still valid JavaScript for node --check when node is installed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/wait.h>

#include "hg_minify.h"
#include "helpers.h"

static void css_is(const char *in, const char *want) {
  size_t n;
  char *out = hg_minify_css(in, strlen(in), &n);
  assert_int_equal(n, strlen(out));
  if (strcmp(out, want)) fail_msg("CSS\n  %s\ngave\n  %s\nnot\n  %s", in, out, want);
  free(out);
}

static void js_is(const char *in, const char *want) {
  size_t n;
  char *out = hg_minify_js(in, strlen(in), &n);
  assert_int_equal(n, strlen(out));
  if (strcmp(out, want)) fail_msg("JS\n  %s\ngave\n  %s\nnot\n  %s", in, out, want);
  free(out);
}

static void test_css(void **state) {
  (void)state;
  css_is("a  {  color : red ;  margin: 0  auto; }\n\n", "a{color :red;margin:0 auto}");
  /* a space before ':' in a selector is a descendant combinator */
  css_is("nav :hover, a:focus-visible { x: y }", "nav :hover,a:focus-visible{x:y}");
  /* calc() needs the spaces around + and - */
  css_is(".a { width: calc(100% - 2 * var(--r)); inset: calc(1px + -2px) }",
         ".a{width:calc(100% - 2 * var(--r));inset:calc(1px + -2px)}");
  /* "and (" must not become the function "and(" */
  css_is("@media screen and (min-width: 48em) {\n  .b { display: none; }\n}",
         "@media screen and (min-width:48em){.b{display:none}}");
  /* comments go, also between tokens (as a space); comments in strings stay */
  css_is("/* head */a/**/b { content: \"/* not a comment */\" ; }",
         "a b{content:\"/* not a comment */\"}");
  css_is("q::before { content: '  two  spaces ; } ' }", "q::before{content:'  two  spaces ; } '}");
  css_is("a { content: \"a\\\"  b\" }", "a{content:\"a\\\"  b\"}");
  /* unquoted url() verbatim (its spaces, its slashes) */
  css_is("b { background: URL( a//b.png ) no-repeat }", "b{background:URL( a//b.png ) no-repeat}");
  css_is(".x\\:y  .z { a: b }", ".x\\:y .z{a:b}");
  css_is("a > b + c ~ d { }", "a > b + c ~ d{}");
  css_is("a{grid-template-areas: \"a  b\"\n \"c  d\"}", "a{grid-template-areas:\"a  b\" \"c  d\"}");
  /* what it cannot follow comes back as it was */
  css_is("a { content: \"open }", "a { content: \"open }");
  css_is("a { b: c } /* open", "a { b: c } /* open");
  css_is("", "");
}

static void test_js_strings_comments(void **state) {
  (void)state;
  js_is("var  a = 1 ;  // a comment\nvar b = \"//  not /* a comment\" ;",
        "var a=1;var b=\"//  not /* a comment\";");
  js_is("x = 'it\\'s  //' + \"q\\\\\" /* c */ + y", "x='it\\'s  //'+\"q\\\\\"+y");
  /* template literals with expressions, nested templates and braces */
  js_is("t = `a  ${ b + `c ${ {d: 1}.d }  e` } // f`;\nnext()",
        "t=`a  ${b+`c ${{d:1}.d}  e`} // f`;next()");
  js_is("s = `line\n  two`", "s=`line\n  two`");
  js_is("f(`${a}`, `${ {x: `}`}.x }`)", "f(`${a}`,`${{x:`}`}.x}`)");
}

static void test_js_regex(void **state) {
  (void)state;
  js_is("r = / a\\/ [/ ]  b/g ; s = a / b / c", "r=/ a\\/ [/ ]  b/g;s=a/b/c");
  js_is("if (x) return /\\s+ /.test(y)\nz = (a) / 2", "if(x)return/\\s+ /.test(y)\nz=(a)/2");
  js_is("f(/ x /, [/ y /])", "f(/ x /,[/ y /])");
  js_is("a = b\n/ c / d", "a=b\n/c/d"); /* division across a line break */
  js_is("x = typeof /re/ ; y = arr[0] / 2", "x=typeof/re/;y=arr[0]/2");
  js_is("z = a / / b/", "z=a/ / b/"); /* "/ /" would start a comment */
}

static void test_js_asi_and_tokens(void **state) {
  (void)state;
  /* line breaks that end statements stay */
  js_is("let a = b\n(c || d).e()", "let a=b\n(c||d).e()");
  js_is("return\nx", "return\nx");
  js_is("a\n++b\nc--\nd", "a\n++b\nc--\nd");
  js_is("function f() {\n  return 1\n}\n\nf()\n", "function f(){return 1}\nf()");
  js_is("const o = {\n  a: 1,\n  b: [\n    2,\n  ],\n};", "const o={a:1,b:[2,],};");
  js_is("x = 1 /* a\n comment */ y = 2", "x=1\ny=2"); /* a comment with a break is one */
  /* joining must not make new tokens */
  js_is("a + +b; c - -d; e - --f; g + ++h", "a+ +b;c- -d;e- --f;g+ ++h");
  js_is("1 .toString(); x = 1.5e-3 + .5", "1 .toString();x=1.5e-3+.5");
  js_is("if (a < !--b) c-- > d", "if(a< !--b)c-- >d");
  js_is("async function f() { await  import('x') }", "async function f(){await import('x')}");
  js_is("for (const k of o) if (k in m) delete m[k]", "for(const k of o)if(k in m)delete m[k]");
  js_is("#!/usr/bin/env node\nx = 1", "#!/usr/bin/env node\nx=1");
  js_is("a = 0x1e+1", "a=0x1e+1");
  /* what it cannot follow comes back as it was */
  js_is("x = 'open", "x = 'open");
  js_is("x = `open ${ a }", "x = `open ${ a }");
  js_is("x = 1 /* open", "x = 1 /* open");
  js_is("x = a++ / 2", "x = a++ / 2"); /* taken for a regex that never ends: unchanged */
  js_is("", "");
}

static void test_by_name(void **state) {
  (void)state;
  char *out = NULL;
  size_t n;
  assert_false(hg_minify_file("logo.svg", "<svg/>", 6, &out, &n));
  assert_null(out);
  assert_true(hg_minify_file("a/style.css", "a { b: c }", 10, &out, &n));
  assert_string_equal(out, "a{b:c}");
  free(out);
  assert_true(hg_minify_file("search.js", "a = 1 ;", 7, &out, &n));
  assert_string_equal(out, "a=1;");
  free(out);
}

static void classic_is(const char *in, const char *want) {
  size_t n;
  char *out = hg_js_classic(in, strlen(in), &n);
  if (!want) {
    if (out) fail_msg("JS\n  %s\ngave a classic twin\n  %s", in, out);
    return;
  }
  assert_non_null(out);
  assert_int_equal(n, strlen(out));
  if (strcmp(out, want)) fail_msg("JS\n  %s\ngave\n  %s\nnot\n  %s", in, out, want);
  free(out);
}

static void test_js_classic(void **state) {
  (void)state;
  classic_is("export function f(x) { return x }\nexport class C {}\nconst s = 'export x';\n"
             "export const k = { export: 1 }.export, t = `${ {export: 2}.export }`;\n"
             "export { f as g, C };\nf(1)",
             "(function(){\"use strict\";\nfunction f(x){return x}\nclass C{}\nconst s='export x';"
             "const k={export:1}.export,t=`${{export:2}.export}`;f(1)\n})();\n");
  classic_is("export async function a() {}", "(function(){\"use strict\";\nasync function a(){}\n})();\n");
  classic_is("function f() {}", NULL);           /* not a module: no twin needed */
  classic_is("export default 1", NULL);          /* no classic form */
  classic_is("import x from './x.js'\nexport const y = x", NULL);
  classic_is("export const u = import.meta.url", NULL);
  classic_is("export const s = 'open", NULL);
}

/* The default theme's CSS and JS: smaller, minifying again changes nothing,
 * and node (when present) still parses the JavaScript. */
static void test_theme_files(void **state) {
  (void)state;
  char **files = NULL;
  size_t nf = 0;
  hg_list_files("themes/default/assets", &files, &nf);
  if (!nf) skip();
  char *dir = tmp_new();
  bool have_node = system("node --version >/dev/null 2>&1") == 0;
  size_t checked = 0;
  for (size_t i = 0; i < nf; i++) {
    char *src = hg_path_join("themes/default/assets", files[i]);
    size_t len;
    char *data = hg_read_file(src, &len, NULL);
    assert_non_null(data);
    char *out = NULL, *again = NULL;
    size_t n, n2;
    if (hg_minify_file(files[i], data, len, &out, &n)) {
      assert_true(hg_minify_file(files[i], out, n, &again, &n2));
      assert_int_equal(n, n2);
      assert_memory_equal(out, again, n);
      assert_true(n < len * 9 / 10); /* the theme is commented: it must shrink */
      if (have_node && hg_str_has_suffix(files[i], ".js")) {
        /* as a module, which every theme script may be */
        char *p = hg_strdup_printf("%s/%s.mjs", dir, files[i]);
        assert_true(hg_write_file(p, out, n, NULL));
        char *cmd = hg_strdup_printf("node --check '%s'", p);
        int rc = system(cmd);
        if (rc != 0) fail_msg("node --check failed on the minified %s", files[i]);
        free(cmd);
        free(p);
      }
      checked++;
      free(again);
      free(out);
    }
    free(data);
    free(src);
    free(files[i]);
  }
  free(files);
  assert_true(checked >= 2);
  tmp_remove(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_css),
      cmocka_unit_test(test_js_strings_comments),
      cmocka_unit_test(test_js_regex),
      cmocka_unit_test(test_js_asi_and_tokens),
      cmocka_unit_test(test_by_name),
      cmocka_unit_test(test_js_classic),
      cmocka_unit_test(test_theme_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
