/* test_output.c - unit tests for src/output.c: which output folders are
 * refused, the temporary folder, atomic commit, abort, and cleanup of
 * leftovers from killed builds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <brotli/decode.h>
#include <zlib.h>

#include "hg_output.h"
#include "helpers.h"

typedef struct {
  char *dir;  /* the temp root */
  char *site; /* dir/site, an existing site folder */
  char *out;  /* dir/out, not created */
  hg_error *err;
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  f->site = hg_path_join(f->dir, "site");
  f->out = hg_path_join(f->dir, "out");
  put_file(f->site, "content/a.md", "# A\n");
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  hg_error_free(f->err);
  free(f->site);
  free(f->out);
  tmp_remove(f->dir);
  free(f);
  return 0;
}

static int g_threads = 1; /* for hg_output_set_threads */

static hg_output *begin_ok(fixture *f, const char *out) {
  hg_output *o = hg_output_begin(out, f->site, &f->err);
  if (!o) fail_msg("hg_output_begin(%s): %s", out, f->err ? f->err->msg : "?");
  hg_output_set_threads(o, g_threads);
  return o;
}

/* hg_output_begin must refuse `out`; returns the message. */
static const char *refused(fixture *f, const char *out) {
  hg_error_free(f->err);
  f->err = NULL;
  hg_output *o = hg_output_begin(out, f->site, &f->err);
  if (o) {
    hg_output_abort(o);
    fail_msg("'%s' was accepted as the output folder", out);
  }
  assert_non_null(f->err);
  assert_int_equal(f->err->code, 2);
  return f->err->msg;
}

static void write_ok(hg_output *o, const char *rel, const char *text) {
  hg_error *err = NULL;
  if (!hg_output_write(o, rel, text, strlen(text), &err))
    fail_msg("write %s: %s", rel, err ? err->msg : "?");
}

/* Names in `dir` (not . and ..), sorted, joined with spaces. */
static char *listing(const char *dir) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  char *names[64];
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = hg_xstrdup(e->d_name);
  closedir(d);
  for (size_t i = 1; i < n; i++)
    for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
      char *t = names[k];
      names[k] = names[k - 1];
      names[k - 1] = t;
    }
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    if (i) hg_buf_putc(&b, ' ');
    hg_buf_puts(&b, names[i]);
    free(names[i]);
  }
  return hg_buf_steal(&b);
}

static void assert_listing(const char *dir, const char *want) {
  char *got = listing(dir);
  if (strcmp(got, want)) fail_msg("%s holds\n  %s\nexpected\n  %s", dir, got, want);
  free(got);
}

/* ---- refusals ----------------------------------------------------------- */
static void test_refuses_root_and_dot(void **state) {
  fixture *f = *state;
  static const char *const bad[] = {"/", ".", "./", "//", "", "..", "site/..", "a/./"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *m = refused(f, bad[i]);
    char *want = hg_strdup_printf("refusing to use '%s' as the output folder (name a folder "
                                  "of its own, e.g. -o public)", bad[i]);
    assert_string_equal(m, want);
    free(want);
  }
}

static void test_refuses_foreign_folder(void **state) {
  fixture *f = *state;
  put_file(f->out, "family-photos/1.jpg", "JPEG");
  const char *m = refused(f, f->out);
  char *want = hg_strdup_printf("refusing to replace '%s': it is not empty and was not built "
                                "by helpgen (no .helpgen-build file). Choose another -o or "
                                "empty it first", f->out);
  assert_string_equal(m, want);
  free(want);
  /* nothing was touched, and no temporary folder was left behind */
  char *photo = get_file(f->out, "family-photos/1.jpg");
  assert_string_equal(photo, "JPEG");
  free(photo);
  assert_listing(f->dir, "out site");

  /* a marker that is a folder is no marker */
  char *fake = hg_path_join(f->out, HG_OUTPUT_MARKER);
  assert_true(hg_mkdir_p(fake, NULL));
  refused(f, f->out);
  free(fake);
}

static void test_refuses_a_file(void **state) {
  fixture *f = *state;
  put_file(f->dir, "notes.txt", "keep me");
  char *p = hg_path_join(f->dir, "notes.txt");
  assert_contains(refused(f, p), "refusing to replace");
  char *back = get_file(f->dir, "notes.txt");
  assert_string_equal(back, "keep me");
  free(back);
  free(p);
}

static void test_refuses_site_folder(void **state) {
  fixture *f = *state;
  char *want = hg_strdup_printf("refusing to build into '%s': it holds the site's own files "
                                "(choose another -o)", f->site);
  assert_string_equal(refused(f, f->site), want);
  free(want);
  /* the same folder spelled differently, its parent, a link to it */
  char *dotted = hg_strdup_printf("%s/./site", f->dir);
  assert_contains(refused(f, dotted), "it holds the site's own files");
  assert_contains(refused(f, f->dir), "it holds the site's own files");
  char *link = hg_path_join(f->dir, "link");
  assert_int_equal(symlink(f->site, link), 0);
  assert_contains(refused(f, link), "it holds the site's own files");
  char *slash = hg_strdup_printf("%s/", f->site);
  assert_contains(refused(f, slash), "it holds the site's own files");
  assert_true(path_exists(f->site, "content/a.md"));
  free(slash);
  free(link);
  free(dotted);
}

static void test_accepts_site_public_and_empty(void **state) {
  fixture *f = *state;
  char *pub = hg_path_join(f->site, "public");
  hg_output *o = begin_ok(f, pub); /* inside the site is fine */
  assert_true(hg_output_commit(o, &f->err));
  assert_true(path_exists(pub, HG_OUTPUT_MARKER));
  free(pub);

  assert_true(hg_mkdir_p(f->out, NULL)); /* an empty folder is fine */
  o = begin_ok(f, f->out);
  write_ok(o, "index.html", "x");
  assert_true(hg_output_commit(o, &f->err));
  assert_listing(f->out, ".helpgen-build index.html");
}

/* ---- writing and committing -------------------------------------------- */
static void test_commit_replaces_previous(void **state) {
  fixture *f = *state;
  hg_output *o = begin_ok(f, f->out);
  const char *tmp = hg_output_tmp(o);
  char *parent = hg_path_dirname(tmp);
  assert_string_equal(parent, f->dir); /* beside OUT, on the same file system */
  free(parent);
  assert_string_equal(hg_path_basename(tmp), ".out.helpgen-next");
  write_ok(o, "index.html", "<p>one</p>");
  write_ok(o, "old/deep/page/index.html", "old");
  write_ok(o, "b", "a file where build 3 needs a folder");
  assert_false(hg_is_dir(f->out)); /* nothing in place before the commit */
  assert_true(path_exists(tmp, "old/deep/page/index.html"));
  assert_true(hg_output_commit(o, &f->err));
  assert_null(f->err);

  char *s = get_file(f->out, "index.html");
  assert_string_equal(s, "<p>one</p>");
  free(s);
  s = get_file(f->out, HG_OUTPUT_MARKER);
  assert_string_equal(s, "helpgen " HG_VERSION "\n");
  free(s);
  assert_listing(f->out, ".helpgen-build b index.html old");
  assert_listing(f->dir, ".out.helpgen-lock out site");

  /* the second build replaces the whole site */
  o = begin_ok(f, f->out);
  write_ok(o, "index.html", "<p>two</p>");
  write_ok(o, "new.html", "new");
  s = get_file(f->out, "index.html"); /* still the old site until commit */
  assert_string_equal(s, "<p>one</p>");
  free(s);
  assert_true(hg_output_commit(o, &f->err));
  s = get_file(f->out, "index.html");
  assert_string_equal(s, "<p>two</p>");
  free(s);
  assert_listing(f->out, ".helpgen-build index.html new.html");

  /* the third build writes over the first site (kept as scratch): whatever
   * it did not write is gone, and files give way to folders and back */
  assert_true(path_exists(f->dir, ".out.helpgen-next/old/deep/page/index.html"));
  o = begin_ok(f, f->out);
  write_ok(o, "index.html", "<p>three</p>");
  write_ok(o, "b/index.html", "b is a folder now");
  write_ok(o, "old", "old is a file now");
  assert_true(hg_output_commit(o, &f->err));
  assert_listing(f->out, ".helpgen-build b index.html old");
  s = get_file(f->out, "index.html");
  assert_string_equal(s, "<p>three</p>");
  free(s);
  s = get_file(f->out, "b/index.html");
  assert_string_equal(s, "b is a folder now");
  free(s);
  s = get_file(f->out, "old");
  assert_string_equal(s, "old is a file now");
  free(s);
}

/* The same with the previous site removed by several threads, one
 * top-level folder each. */
static void test_commit_replaces_previous_threads(void **state) {
  g_threads = 3;
  test_commit_replaces_previous(state);
  g_threads = 1;
}

static void test_abort_leaves_previous(void **state) {
  fixture *f = *state;
  hg_output *o = begin_ok(f, f->out);
  write_ok(o, "index.html", "good");
  assert_true(hg_output_commit(o, &f->err));

  /* a fresh build folder is removed by abort */
  o = begin_ok(f, f->out);
  write_ok(o, "index.html", "half-written");
  write_ok(o, "extra.html", "x");
  hg_output_abort(o);
  char *s = get_file(f->out, "index.html");
  assert_string_equal(s, "good");
  free(s);
  assert_listing(f->out, ".helpgen-build index.html");
  assert_listing(f->dir, ".out.helpgen-lock out site");

  /* a reused one stays as scratch; OUT is untouched either way */
  o = begin_ok(f, f->out);
  assert_true(hg_output_commit(o, &f->err)); /* now the scratch holds a site */
  o = begin_ok(f, f->out);
  write_ok(o, "index.html", "half-written");
  hg_output_abort(o);
  assert_listing(f->out, ".helpgen-build");
  assert_true(path_exists(f->dir, ".out.helpgen-next/" HG_OUTPUT_MARKER));
  /* and the next build does not publish what the aborted one left there */
  o = begin_ok(f, f->out);
  write_ok(o, "final.html", "final");
  assert_true(hg_output_commit(o, &f->err));
  assert_listing(f->out, ".helpgen-build final.html");
  hg_output_abort(NULL);
}

static void test_lock(void **state) {
  fixture *f = *state;
  hg_output *o = begin_ok(f, f->out);
  const char *m = refused(f, f->out);
  char *want = hg_strdup_printf("another helpgen build is writing '%s'; wait for it to finish",
                                f->out);
  assert_string_equal(m, want);
  free(want);
  hg_output_abort(o);
  o = begin_ok(f, f->out); /* released */
  hg_output_abort(o);
}

static void test_nested_out_and_trailing_slash(void **state) {
  fixture *f = *state;
  char *deep = hg_path_join(f->dir, "x/y/out/");
  hg_output *o = begin_ok(f, deep); /* parents are created */
  write_ok(o, "a.html", "a");
  assert_true(hg_output_commit(o, &f->err));
  char *s = get_file(f->dir, "x/y/out/a.html");
  assert_string_equal(s, "a");
  free(s);
  assert_listing(f->dir, "site x");
  free(deep);
}

static void test_rel_ok(void **state) {
  (void)state;
  static const char *const good[] = {"index.html", "a/b/index.html", "assets/style.1a2b.css",
                                     ".helpgen-build", "a/..b/c..", "ž/ö.html"};
  static const char *const bad[] = {"",       "/etc/passwd", "../x",  "a/../b", "a/..",
                                    "..",     "a\\b",        "..\\x", "a//b",   "./a",
                                    "a/./b",  "/"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (!hg_output_rel_ok(good[i])) fail_msg("'%s' should be accepted", good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (hg_output_rel_ok(bad[i])) fail_msg("'%s' should be refused", bad[i]);
}

static void test_write_refuses_escapes(void **state) {
  fixture *f = *state;
  hg_output *o = begin_ok(f, f->out);
  hg_error *err = NULL;
  assert_false(hg_output_write(o, "../escaped.html", "x", 1, &err));
  assert_non_null(err);
  assert_string_equal(err->msg, "refusing to write '../escaped.html': not a path inside the "
                                "output folder");
  hg_error_free(err);
  err = NULL;
  char *abs = hg_path_join(f->dir, "abs.html");
  assert_false(hg_output_write(o, abs, "x", 1, &err));
  hg_error_free(err);
  err = NULL;
  char *src = hg_path_join(f->site, "content/a.md");
  assert_false(hg_output_copy(o, "../copy.html", src, &err));
  assert_non_null(err);
  assert_contains(err->msg, "refusing to write '../copy.html'");
  hg_error_free(err);
  free(src);
  assert_false(path_exists(f->dir, "escaped.html"));
  assert_false(path_exists(f->dir, "abs.html"));
  assert_false(path_exists(f->dir, "copy.html"));
  hg_output_abort(o);
  free(abs);
}

static void test_copy(void **state) {
  fixture *f = *state;
  put_file(f->site, "logo.svg", "<svg/>");
  char *src = hg_path_join(f->site, "logo.svg");
  hg_output *o = begin_ok(f, f->out);
  assert_true(hg_output_copy(o, "assets/logo.svg", src, &f->err));
  hg_error *err = NULL;
  assert_false(hg_output_copy(o, "assets/none.svg", "/nonexistent/none.svg", &err));
  assert_non_null(err);
  assert_contains(err->msg, "/nonexistent/none.svg");
  hg_error_free(err);
  assert_true(hg_output_commit(o, &f->err));
  char *s = get_file(f->out, "assets/logo.svg");
  assert_string_equal(s, "<svg/>");
  free(s);
  free(src);
}

static void test_leftovers_cleaned(void **state) {
  fixture *f = *state;
  /* a build killed after it began: its folder holds the marker and stale
   * pages; the next build reuses it and publishes only what it wrote */
  put_file(f->dir, ".out.helpgen-next/" HG_OUTPUT_MARKER, "helpgen 0.0.1\n");
  put_file(f->dir, ".out.helpgen-next/stale/index.html", "stale");
  put_file(f->dir, ".out.helpgen-next/index.html", "stale home");
  put_file(f->dir, ".other.helpgen-next/keep.html", "not ours");
  hg_output *o = begin_ok(f, f->out);
  write_ok(o, "index.html", "fresh home");
  assert_true(hg_output_commit(o, &f->err));
  assert_listing(f->out, ".helpgen-build index.html");
  char *s = get_file(f->out, "index.html");
  assert_string_equal(s, "fresh home");
  free(s);
  s = get_file(f->out, HG_OUTPUT_MARKER);
  assert_string_equal(s, "helpgen " HG_VERSION "\n");
  free(s);
  assert_true(path_exists(f->dir, ".other.helpgen-next/keep.html"));
}

static void test_foreign_build_folder_replaced(void **state) {
  fixture *f = *state;
  /* a build folder without the marker is not ours to reuse: it is replaced */
  put_file(f->dir, ".out.helpgen-next/photo.jpg", "JPEG");
  hg_output *o = begin_ok(f, f->out);
  assert_false(path_exists(hg_output_tmp(o), "photo.jpg"));
  hg_output_abort(o);
  assert_false(path_exists(f->dir, ".out.helpgen-next"));
}

typedef struct {
  hg_output *o;
  atomic_int failures;
} par_write;

static void write_one(void *ctx, size_t i, int worker) {
  par_write *p = ctx;
  char rel[64], body[64];
  snprintf(rel, sizeof rel, "d%zu/p%zu/index.html", i % 7, i);
  snprintf(body, sizeof body, "page %zu by %d", i, worker);
  if (!hg_output_write(p->o, rel, body, strlen(body), NULL)) atomic_fetch_add(&p->failures, 1);
}

static void test_parallel_writes(void **state) {
  fixture *f = *state;
  par_write p = {.o = begin_ok(f, f->out)};
  atomic_init(&p.failures, 0);
  hg_parallel_for(300, 8, write_one, &p);
  assert_int_equal(atomic_load(&p.failures), 0);
  assert_true(hg_output_commit(p.o, &f->err));
  for (size_t i = 0; i < 300; i++) {
    char rel[64];
    snprintf(rel, sizeof rel, "d%zu/p%zu/index.html", i % 7, i);
    char *s = get_file(f->out, rel);
    if (!s) fail_msg("%s missing", rel);
    char want[32];
    snprintf(want, sizeof want, "page %zu by", i);
    assert_true(hg_str_has_prefix(s, want));
    free(s);
  }
}

/* ---- incremental builds -------------------------------------------------- */
/* Builds OUT with `files` ("rel=text" each), committed; returns the files. */
static hg_output_file *build_listed(fixture *f, const char *const *files, size_t n,
                                    size_t *nout) {
  hg_output *o = begin_ok(f, f->out);
  for (size_t i = 0; i < n; i++) {
    const char *eq = strchr(files[i], '=');
    char *rel = hg_xstrndup(files[i], (size_t)(eq - files[i]));
    write_ok(o, rel, eq + 1);
    free(rel);
  }
  hg_output_file *v = hg_output_files(o, nout);
  assert_true(hg_output_commit(o, &f->err));
  return v;
}

static const hg_output_file *find(const hg_output_file *v, size_t n, const char *rel) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(v[i].rel, rel)) return &v[i];
  return NULL;
}

static void test_files_listing(void **state) {
  fixture *f = *state;
  static const char *const one[] = {"b/index.html=B", "a.html=A"};
  size_t n;
  hg_output_file *v = build_listed(f, one, 2, &n);
  assert_int_equal(n, 3); /* and the marker */
  assert_string_equal(v[0].rel, HG_OUTPUT_MARKER);
  assert_string_equal(v[1].rel, "a.html");
  assert_string_equal(v[2].rel, "b/index.html");
  assert_true(v[1].hash == hg_hash64("A", 1));
  assert_true(v[1].touched);
  hg_output_files_free(v, n);
  /* the same bytes again into the build folder of two builds ago: written
   * anew there (it is a new folder), then unchanged the time after */
  v = build_listed(f, one, 2, &n);
  hg_output_files_free(v, n);
  v = build_listed(f, one, 2, &n);
  assert_false(find(v, n, "a.html")->touched);
  hg_output_files_free(v, n);
}

static void test_sync_forget_reuse(void **state) {
  fixture *f = *state;
  /* three builds: OUT holds build 3, the build folder build 2 */
  static const char *const b1[] = {"keep.html=K", "gone.html=G", "search/en/t.1.bin=1"};
  static const char *const b2[] = {"keep.html=K", "page.html=P2", "search/en/t.2.bin=2",
                                   "stale.html=S"};
  static const char *const b3[] = {"keep.html=K", "page.html=P3", "search/en/t.2.bin=2",
                                   "search/en/t.3.bin=3", "new/deep/x.html=X"};
  size_t n1, n2, n3;
  hg_output_file *v1 = build_listed(f, b1, 3, &n1);
  hg_output_file *v2 = build_listed(f, b2, 4, &n2);
  hg_output_file *v3 = build_listed(f, b3, 5, &n3);
  /* build 4, incremental on top of build 3 */
  hg_output *o = begin_ok(f, f->out);
  assert_true(hg_output_sync(o, v3, n3, v2, n2, &f->err));
  hg_output_forget(o, "search/en");
  assert_true(hg_output_reuse(o, "search/en/t.3.bin"));
  assert_false(hg_output_reuse(o, "search/en/t.9.bin")); /* never written */
  write_ok(o, "search/en/t.4.bin", "4");
  write_ok(o, "page.html", "P4");
  size_t n4;
  hg_output_file *v4 = hg_output_files(o, &n4);
  assert_null(find(v4, n4, "search/en/t.2.bin")); /* forgotten, not reused */
  assert_false(find(v4, n4, "keep.html")->touched); /* as the build folder held it */
  assert_true(find(v4, n4, "new/deep/x.html")->touched); /* copied from OUT */
  assert_true(find(v4, n4, "page.html")->touched);
  assert_true(hg_output_commit(o, &f->err));
  assert_listing(f->out, ".helpgen-build keep.html new page.html search");
  char *sdir = hg_path_join(f->out, "search/en");
  assert_listing(sdir, "t.3.bin t.4.bin");
  free(sdir);
  char *p = get_file(f->out, "page.html");
  assert_string_equal(p, "P4");
  free(p);
  p = get_file(f->out, "new/deep/x.html");
  assert_string_equal(p, "X");
  free(p);
  /* the build folder now holds build 3 exactly */
  char *next = hg_path_join(f->dir, ".out.helpgen-next");
  assert_listing(next, ".helpgen-build keep.html new page.html search");
  p = get_file(next, "page.html");
  assert_string_equal(p, "P3");
  free(p);
  free(next);
  hg_output_files_free(v1, n1);
  hg_output_files_free(v2, n2);
  hg_output_files_free(v3, n3);
  hg_output_files_free(v4, n4);
}

static void test_sync_needs_a_build_folder(void **state) {
  fixture *f = *state;
  hg_output *o = begin_ok(f, f->out); /* the first build: a new folder */
  hg_output_file none = {HG_OUTPUT_MARKER, 0, false};
  assert_false(hg_output_sync(o, &none, 1, &none, 1, &f->err));
  assert_contains(f->err->msg, "no build folder");
  hg_output_abort(o);
  o = begin_ok(f, f->out);
  assert_false(hg_output_reuse(o, "x")); /* only after a sync */
  hg_output_abort(o);
}

/* build --precompress: .gz and .br of every text file, decompressing to its
 * bytes; none for other files; an untouched file keeps its copies. */
static void assert_copies(const char *dir, const char *rel, const char *want) {
  char *gzp = hg_strdup_printf("%s/%s.gz", dir, rel), *brp = hg_strdup_printf("%s/%s.br", dir, rel);
  size_t zn, bn;
  char *z = hg_read_file(gzp, &zn, NULL), *b = hg_read_file(brp, &bn, NULL);
  assert_non_null(z);
  assert_non_null(b);
  assert_true((unsigned char)z[0] == 0x1f && (unsigned char)z[1] == 0x8b); /* gzip, not zlib */
  char out[4096];
  z_stream s = {0};
  assert_int_equal(inflateInit2(&s, 15 + 16), Z_OK);
  s.next_in = (Bytef *)z;
  s.avail_in = (uInt)zn;
  s.next_out = (Bytef *)out;
  s.avail_out = sizeof out;
  assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
  assert_int_equal(s.total_out, strlen(want));
  assert_memory_equal(out, want, strlen(want));
  inflateEnd(&s);
  size_t on = sizeof out;
  assert_int_equal(BrotliDecoderDecompress(bn, (const uint8_t *)b, &on, (uint8_t *)out),
                   BROTLI_DECODER_RESULT_SUCCESS);
  assert_int_equal(on, strlen(want));
  assert_memory_equal(out, want, on);
  free(z);
  free(b);
  free(gzp);
  free(brp);
}

static void test_precompress(void **state) {
  fixture *f = *state;
  const char *page = "<!doctype html><p>hello hello hello hello hello</p>\n";
  for (int round = 0; round < 3; round++) {
    hg_output *o = begin_ok(f, f->out);
    write_ok(o, "index.html", page);
    write_ok(o, "assets/a.css", round == 2 ? "b{c:d}" : "a{b:c}");
    write_ok(o, "sitemap.xml", "<urlset/>");
    write_ok(o, "pic.png", "\x89PNG not text");
    write_ok(o, "data/x.json", "{}");
    assert_true(hg_output_precompress(o, 2, &f->err));
    size_t n;
    hg_output_file *v = hg_output_files(o, &n);
    size_t gz = 0;
    for (size_t i = 0; i < n; i++) gz += hg_str_has_suffix(v[i].rel, ".gz");
    assert_int_equal(gz, 4); /* html, css, xml, json; not png */
    hg_output_files_free(v, n);
    assert_true(hg_output_commit(o, &f->err));
    assert_copies(f->out, "index.html", page);
    assert_copies(f->out, "assets/a.css", round == 2 ? "b{c:d}" : "a{b:c}");
    assert_copies(f->out, "data/x.json", "{}");
    assert_false(path_exists(f->out, "pic.png.gz"));
    assert_false(path_exists(f->out, "pic.png.br"));
  }
  /* without it, the copies go */
  hg_output *o = begin_ok(f, f->out);
  write_ok(o, "index.html", page);
  assert_true(hg_output_commit(o, &f->err));
  assert_false(path_exists(f->out, "index.html.gz"));
  assert_true(hg_output_is_text("a/b.svg"));
  assert_false(hg_output_is_text("a/b.svg.gz"));
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_refuses_root_and_dot),
      T(test_refuses_foreign_folder),
      T(test_refuses_a_file),
      T(test_refuses_site_folder),
      T(test_accepts_site_public_and_empty),
      T(test_commit_replaces_previous),
      T(test_commit_replaces_previous_threads),
      T(test_abort_leaves_previous),
      T(test_lock),
      T(test_nested_out_and_trailing_slash),
      T(test_rel_ok),
      T(test_write_refuses_escapes),
      T(test_copy),
      T(test_leftovers_cleaned),
      T(test_foreign_build_folder_replaced),
      T(test_parallel_writes),
      T(test_files_listing),
      T(test_sync_forget_reuse),
      T(test_sync_needs_a_build_folder),
      T(test_precompress),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
