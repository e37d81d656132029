/* test_cache.c - unit tests for src/cache.c: when a build may be skipped
 * (same inputs, OUT as the last good build left it) and when not (a file
 * changed, added or removed, other options, another OUT, OUT edited, a
 * corrupt record), which files are inputs, and the stat shortcut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hg_cache.h"
#include "hg_output.h"
#include "helpers.h"

typedef struct {
  char *dir;    /* temp root */
  char *site;   /* dir/site */
  char *out;    /* dir/site/public (inside the site, as by default) */
  char *themes; /* dir/themes, the built-in themes */
} fixture;

static int setup(void **state) {
  fixture *f = hg_xcalloc(1, sizeof *f);
  f->dir = tmp_new();
  f->site = hg_path_join(f->dir, "site");
  f->out = hg_path_join(f->site, "public");
  f->themes = hg_path_join(f->dir, "themes");
  put_file(f->site, "helpgen.yaml", "title: T\n");
  put_file(f->site, "content/a.md", "# A\n");
  put_file(f->site, "content/b/c.md", "# C\n");
  put_file(f->themes, "default/home.tpl", "home\n");
  put_file(f->out, HG_OUTPUT_MARKER, "helpgen\n");
  put_file(f->out, "index.html", "<p>home</p>\n");
  put_file(f->out, "a/index.html", "<p>a</p>\n");
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  tmp_remove(f->dir);
  free(f->site);
  free(f->out);
  free(f->themes);
  free(f);
  return 0;
}

static hg_cache *open_opts(const fixture *f, const char *out, const char *opts) {
  return hg_cache_open(f->site, out, f->themes, opts);
}

/* Would a build with these inputs now be skipped? */
static bool fresh_with(const fixture *f, const char *out, const char *opts) {
  hg_cache *c = open_opts(f, out, opts);
  hg_cache_result r;
  bool ok = hg_cache_fresh(c, &r);
  hg_cache_free(c);
  return ok;
}

static bool fresh(const fixture *f) { return fresh_with(f, f->out, "k"); }

static void save(const fixture *f, const char *report, size_t warnings) {
  hg_cache *c = open_opts(f, f->out, "k");
  hg_cache_result r = {(char *)report, "", 3, 2, warnings, NULL, 0, NULL, NULL, false};
  hg_cache_save(c, &r);
  hg_cache_free(c);
}

/* Sets the mtime of dir/rel to `secs` seconds before now. */
static void age(const char *dir, const char *rel, int secs) {
  char *p = hg_path_join(dir, rel);
  struct timespec ts[2];
  clock_gettime(CLOCK_REALTIME, &ts[0]);
  ts[0].tv_sec -= secs;
  ts[1] = ts[0];
  assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
  free(p);
}

static void nothing_recorded_is_not_fresh(void **state) {
  fixture *f = *state;
  assert_false(fresh(f));
}

static void saved_build_is_fresh_and_says_what_it_said(void **state) {
  fixture *f = *state;
  save(f, "content/a.md:1:1: warning: w\n", 1);
  hg_cache *c = open_opts(f, f->out, "k");
  hg_cache_result r;
  assert_true(hg_cache_fresh(c, &r));
  assert_string_equal(r.report, "content/a.md:1:1: warning: w\n");
  assert_string_equal(r.notes, "");
  assert_int_equal(r.pages, 3);
  assert_int_equal(r.articles, 2);
  assert_int_equal(r.warnings, 1);
  assert_int_equal(strlen(hg_cache_inputs(c)), 16);
  hg_cache_free(c);
  assert_true(path_exists(f->site, HG_CACHE_DIR "/CACHEDIR.TAG"));
}

static void content_changes_are_noticed(void **state) {
  fixture *f = *state;
  save(f, "", 0);
  put_file(f->site, "content/a.md", "# A changed\n");
  assert_false(fresh(f));
  save(f, "", 0);
  assert_true(fresh(f));
  put_file(f->site, "content/new.md", "# New\n"); /* added */
  assert_false(fresh(f));
  save(f, "", 0);
  char *p = hg_path_join(f->site, "content/b/c.md"); /* removed */
  assert_int_equal(unlink(p), 0);
  free(p);
  assert_false(fresh(f));
  save(f, "", 0);
  put_file(f->themes, "default/home.tpl", "home 2\n"); /* the built-in theme */
  assert_false(fresh(f));
  save(f, "", 0);
  put_file(f->site, "logo.svg", "<svg/>"); /* anything in the site folder */
  assert_false(fresh(f));
}

static void touching_is_not_a_change(void **state) {
  fixture *f = *state;
  save(f, "", 0);
  age(f->site, "content/a.md", 100);
  age(f->site, "helpgen.yaml", 5);
  assert_true(fresh(f));
}

/* Same size, same mtime, other bytes: a file modified within a moment of
 * the snapshot is read again; an old one is trusted by its stat (as git's
 * index does), which is what makes the no-change check cheap. */
static void recent_files_are_read_again(void **state) {
  fixture *f = *state;
  save(f, "", 0);
  char *p = hg_path_join(f->site, "content/a.md");
  struct stat st;
  assert_int_equal(stat(p, &st), 0);
  put_file(f->site, "content/a.md", "# B\n");
  struct timespec ts[2] = {st.st_mtim, st.st_mtim};
  assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
  assert_false(fresh(f));

  age(f->site, "content/a.md", 3600);
  save(f, "", 0); /* a.md is old now: recorded as trusted */
  assert_int_equal(stat(p, &st), 0);
  put_file(f->site, "content/a.md", "# C\n");
  struct timespec old[2] = {st.st_mtim, st.st_mtim};
  assert_int_equal(utimensat(AT_FDCWD, p, old, 0), 0);
  assert_true(fresh(f)); /* same size, mtime and inode: not read */
  free(p);
}

static void ignored_paths(void **state) {
  fixture *f = *state;
  save(f, "", 0);
  put_file(f->site, ".git/HEAD", "ref\n");
  put_file(f->site, "node_modules/x/index.js", "x\n");
  put_file(f->site, "content/.hidden.md", "x\n");
  put_file(f->site, "other-out/" HG_OUTPUT_MARKER, "helpgen\n"); /* another output folder */
  put_file(f->site, "other-out/index.html", "x\n");
  hg_cache *c0 = open_opts(f, f->out, "k");
  char *no_link = hg_xstrdup(hg_cache_inputs(c0));
  hg_cache_free(c0);
  char *link = hg_path_join(f->site, "content/b/loop"); /* a folder cycle */
  assert_int_equal(symlink("..", link), 0);
  free(link);
  assert_true(fresh(f));
  c0 = open_opts(f, f->out, "k"); /* the link back is not walked: nothing added */
  assert_string_equal(hg_cache_inputs(c0), no_link);
  hg_cache_free(c0);
  free(no_link);
  hg_cache *c = open_opts(f, f->out, "k"); /* OUT itself is not an input */
  char *before = hg_xstrdup(hg_cache_inputs(c));
  hg_cache_free(c);
  put_file(f->out, "extra/index.html", "x\n");
  put_file(f->out, "index.html", "<p>changed</p>\n");
  c = open_opts(f, f->out, "k");
  assert_string_equal(hg_cache_inputs(c), before);
  hg_cache_free(c);
  free(before);
}

static void options_and_out_are_part_of_the_key(void **state) {
  fixture *f = *state;
  save(f, "", 0);
  assert_false(fresh_with(f, f->out, "drafts=1"));
  char *other = hg_path_join(f->dir, "elsewhere");
  put_file(other, "index.html", "x\n");
  assert_false(fresh_with(f, other, "k"));
  free(other);
  assert_true(fresh(f));
}

static void out_edited_or_missing_is_not_fresh(void **state) {
  fixture *f = *state;
  save(f, "", 0);
  put_file(f->out, "a/index.html", "<p>edited</p>\n");
  assert_false(fresh(f));
  save(f, "", 0);
  char *p = hg_path_join(f->out, "index.html");
  assert_int_equal(unlink(p), 0);
  free(p);
  assert_false(fresh(f));
  save(f, "", 0);
  assert_true(hg_rm_rf(f->out));
  assert_false(fresh(f));
}

static void only_recent_records_are_kept(void **state) {
  fixture *f = *state;
  for (int i = 0; i < 20; i++) {
    char *out = hg_strdup_printf("%s/out%d", f->dir, i);
    put_file(out, "index.html", "x\n");
    hg_cache *c = open_opts(f, out, "k");
    hg_cache_result r = {"", "", 1, 1, 0, NULL, 0, NULL, NULL, false};
    hg_cache_save(c, &r);
    hg_cache_free(c);
    free(out);
  }
  char *cache = hg_path_join(f->site, HG_CACHE_DIR);
  char **names = NULL;
  size_t n = 0, records = 0;
  hg_list_files(cache, &names, &n);
  for (size_t i = 0; i < n; i++) {
    records += hg_str_has_prefix(names[i], "build-");
    free(names[i]);
  }
  free(names);
  free(cache);
  assert_int_equal(records, 16);
  char *last = hg_strdup_printf("%s/out19", f->dir); /* the newest is among them */
  assert_true(fresh_with(f, last, "k"));
  free(last);
}

static void corrupt_records_only_cost_a_build(void **state) {
  fixture *f = *state;
  save(f, "", 0);
  char *cache = hg_path_join(f->site, HG_CACHE_DIR);
  char **names = NULL;
  size_t n = 0;
  hg_list_files(cache, &names, &n);
  static const char *const junk[] = {"", "helpgen-cache 1\n", "helpgen-cache 1\ninputs zz\n",
                                     "helpgen-cache 1\ninputs 0123456789abcdef\nstats 1 1 1\n"
                                     "report 99999\nshort",
                                     "\x01\x02\xff garbage"};
  for (size_t j = 0; j < sizeof junk / sizeof *junk; j++) {
    for (size_t i = 0; i < n; i++)
      if (hg_str_has_prefix(names[i], "build-")) put_file(cache, names[i], junk[j]);
    assert_false(fresh(f));
  }
  put_file(cache, "files", "helpgen-cache 1\nnot a line\n"); /* only a stat shortcut */
  save(f, "", 0);
  put_file(cache, "files", "\x01\x02 garbage");
  assert_true(fresh(f));
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(cache);
}

/* ---- incremental builds ---------------------------------------------------- */
static void put_text(void *ctx, hg_cache_sink *sink) {
  hg_cache_sink_put(sink, ctx, strlen(ctx));
}

/* A build through hg_output (so OUT and the build folder beside it are
 * real), recorded with `state` as its state (a batch when `batch`). */
static void build_with(const fixture *f, const char *page, const char *state, bool batch) {
  hg_cache *c = open_opts(f, f->out, "k");
  hg_cache_result was;
  hg_cache_fresh(c, &was); /* loads the record: OUT as it was before */
  hg_error *err = NULL;
  hg_output *o = hg_output_begin(f->out, f->site, &err);
  assert_non_null(o);
  assert_true(hg_output_write(o, "index.html", page, strlen(page), &err));
  assert_true(hg_output_write(o, "a/index.html", "<p>a</p>\n", 9, &err));
  size_t n;
  hg_output_file *files = hg_output_files(o, &n);
  assert_true(hg_output_commit(o, &err));
  hg_cache_result r = {"", "", 2, 2, 0, files, n, put_text, (void *)state, batch};
  hg_cache_save(c, &r);
  hg_output_files_free(files, n);
  hg_cache_free(c);
}

static bool accept_all(void *ctx, const char *path) {
  (void)ctx;
  (void)path;
  return true;
}

static bool accept_none(void *ctx, const char *path) {
  (void)ctx;
  (void)path;
  return false;
}

/* hg_cache_previous's result, with the state and batches as text. */
static bool previous(const fixture *f, bool (*accept)(void *, const char *), char **state,
                     char **batches, char **changed) {
  hg_cache *c = open_opts(f, f->out, "k");
  hg_cache_result was;
  hg_cache_fresh(c, &was);
  hg_cache_prev p;
  bool ok = hg_cache_previous(c, accept, NULL, &p);
  if (ok) {
    *state = hg_xstrndup(p.state, p.state_len);
    *batches = p.batches ? hg_xstrndup(p.batches, p.batches_len) : hg_xstrdup("");
    hg_buf b = HG_BUF_INIT;
    for (size_t i = 0; i < p.nchanged; i++) hg_buf_printf(&b, "%s%s", i ? " " : "", p.changed[i]);
    *changed = hg_buf_steal(&b);
    hg_cache_prev_free(&p);
  }
  hg_cache_free(c);
  return ok;
}

static void incremental_previous(void **state) {
  fixture *f = *state;
  char *st, *ba, *ch;
  assert_true(hg_rm_rf(f->out));
  build_with(f, "one", "STATE1", false);
  put_file(f->site, "content/a.md", "# A, edited\n");
  /* the first build into OUT leaves no build folder beside it */
  assert_false(previous(f, accept_all, &st, &ba, &ch));
  build_with(f, "two", "STATE2", false);
  put_file(f->site, "content/b/c.md", "# C, edited\n");
  assert_true(previous(f, accept_all, &st, &ba, &ch));
  assert_string_equal(st, "STATE2");
  assert_string_equal(ba, "");
  assert_string_equal(ch, "content/b/c.md");
  free(st);
  free(ba);
  free(ch);
  assert_false(previous(f, accept_none, &st, &ba, &ch)); /* the caller says no */
  /* batches append to the base, in order */
  build_with(f, "three", "B1;", true);
  build_with(f, "four", "B2;", true);
  put_file(f->site, "content/a.md", "# A, edited again\n");
  assert_true(previous(f, accept_all, &st, &ba, &ch));
  assert_string_equal(st, "STATE2");
  assert_string_equal(ba, "B1;B2;");
  free(st);
  free(ba);
  free(ch);
  /* a new base drops them */
  build_with(f, "five", "STATE5", false);
  put_file(f->site, "content/a.md", "# A, once more\n");
  assert_true(previous(f, accept_all, &st, &ba, &ch));
  assert_string_equal(st, "STATE5");
  assert_string_equal(ba, "");
  free(st);
  free(ba);
  free(ch);
}

static void incremental_refused(void **state) {
  fixture *f = *state;
  char *st, *ba, *ch;
  assert_true(hg_rm_rf(f->out));
  build_with(f, "one", "STATE1", false);
  build_with(f, "two", "STATE2", false);
  /* an added file: not incremental */
  put_file(f->site, "content/new.md", "# New\n");
  assert_false(previous(f, accept_all, &st, &ba, &ch));
  char *p = hg_path_join(f->site, "content/new.md");
  unlink(p);
  free(p);
  assert_true(previous(f, accept_all, &st, &ba, &ch));
  free(st);
  free(ba);
  free(ch);
  /* a state changed behind helpgen's back (its size, mtime or inode) */
  char *cache = hg_path_join(f->site, HG_CACHE_DIR);
  char **names = NULL;
  size_t n = 0;
  hg_list_files(cache, &names, &n);
  bool damaged = false;
  for (size_t i = 0; i < n; i++) {
    if (hg_str_has_suffix(names[i], ".state")) {
      char *text = get_file(cache, names[i]);
      text[strlen(text) - 1] ^= 1;
      put_file(cache, names[i], text);
      free(text);
      damaged = true;
    }
    free(names[i]);
  }
  free(names);
  free(cache);
  assert_true(damaged);
  assert_false(previous(f, accept_all, &st, &ba, &ch));
  /* the build folder beside OUT changed behind helpgen's back */
  build_with(f, "three", "STATE3", false);
  assert_true(previous(f, accept_all, &st, &ba, &ch));
  free(st);
  free(ba);
  free(ch);
  char *next = hg_path_join(f->dir, "site/.public.helpgen-next");
  put_file(next, "index.html", "tampered");
  free(next);
  assert_false(previous(f, accept_all, &st, &ba, &ch));
  /* other options than the recorded build */
  hg_cache *c = open_opts(f, f->out, "other");
  hg_cache_result was;
  hg_cache_fresh(c, &was);
  hg_cache_prev pv;
  assert_false(hg_cache_previous(c, accept_all, NULL, &pv));
  hg_cache_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(nothing_recorded_is_not_fresh, setup, teardown),
      cmocka_unit_test_setup_teardown(saved_build_is_fresh_and_says_what_it_said, setup, teardown),
      cmocka_unit_test_setup_teardown(content_changes_are_noticed, setup, teardown),
      cmocka_unit_test_setup_teardown(touching_is_not_a_change, setup, teardown),
      cmocka_unit_test_setup_teardown(recent_files_are_read_again, setup, teardown),
      cmocka_unit_test_setup_teardown(ignored_paths, setup, teardown),
      cmocka_unit_test_setup_teardown(options_and_out_are_part_of_the_key, setup, teardown),
      cmocka_unit_test_setup_teardown(out_edited_or_missing_is_not_fresh, setup, teardown),
      cmocka_unit_test_setup_teardown(only_recent_records_are_kept, setup, teardown),
      cmocka_unit_test_setup_teardown(corrupt_records_only_cost_a_build, setup, teardown),
      cmocka_unit_test_setup_teardown(incremental_previous, setup, teardown),
      cmocka_unit_test_setup_teardown(incremental_refused, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
