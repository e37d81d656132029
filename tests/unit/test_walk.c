/* test_walk.c - unit tests for src/walk.c: order, hidden and '_' folders
 * (with their Markdown counts), symbolic link loops, links out of the
 * fence and the opt-in, dangling links, duplicates through links inside
 * the site, the interrupt flag, stopping and the depth limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hg_walk.h"
#include "helpers.h"

typedef struct {
  char *dir;  /* a new temporary folder: site/ and outside/ below it */
  char *site; /* dir/site */
  char *root; /* dir/site/content */
  hg_diags d;
  hg_buf seen; /* one line per entry: "D rel" / "F rel" (+ " dup", " link") */
  int stop_after; /* > 0: HG_WALK_STOP at that entry */
  int flag_after; /* > 0: set the interrupt flag at that entry */
  int calls;
} fx;

static volatile sig_atomic_t flag;

static int setup(void **state) {
  fx *f = calloc(1, sizeof *f);
  f->dir = tmp_new();
  f->site = hg_path_join(f->dir, "site");
  f->root = hg_path_join(f->site, "content");
  put_file(f->site, "content/.keep", "");
  flag = 0;
  hg_walk_set_interrupt(&flag);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  hg_walk_set_interrupt(NULL);
  tmp_remove(f->dir);
  free(f->site);
  free(f->root);
  hg_diags_free(&f->d);
  hg_buf_free(&f->seen);
  free(f);
  return 0;
}

static int record(void *ctx, const hg_walk_entry *e) {
  fx *f = ctx;
  f->calls++;
  if (f->flag_after && f->calls >= f->flag_after) flag = 1;
  if (f->stop_after && f->calls >= f->stop_after) return HG_WALK_STOP;
  hg_buf_printf(&f->seen, "%c %s%s%s\n", e->kind == HG_WALK_DIR ? 'D' : 'F', e->rel,
                e->duplicate ? " dup" : "", e->via_link ? " link" : "");
  return HG_WALK_GO;
}

/* The content walk's options. */
static hg_walk_opts content_opts(fx *f) {
  return (hg_walk_opts){.fence = f->site, .fence_name = "the site folder",
                        .skip_underscore = true, .files_first = true, .diags = &f->d,
                        .fn = record, .ctx = f};
}

static void link_at(fx *f, const char *target, const char *rel) {
  char *p = hg_path_join(f->site, rel);
  assert_int_equal(symlink(target, p), 0);
  free(p);
}

static bool walk(fx *f, const hg_walk_opts *o, hg_error **err) {
  hg_buf_clear(&f->seen);
  f->calls = 0;
  return hg_walk(f->root, o, err);
}

static void test_order_hidden_and_skipped(void **state) {
  fx *f = *state;
  put_file(f->site, "content/b.md", "b");
  put_file(f->site, "content/a.md", "a");
  put_file(f->site, "content/_index.md", "i");
  put_file(f->site, "content/.hidden.md", "h");
  put_file(f->site, "content/z/c.md", "c");
  put_file(f->site, "content/m/d.png", "d");
  put_file(f->site, "content/_docs/one.md", "1");
  put_file(f->site, "content/_docs/deep/two.markdown", "2");
  put_file(f->site, "content/_docs/_more/three.md", "3");
  put_file(f->site, "content/_docs/pic.png", "p");
  put_file(f->site, "content/_empty/pic.png", "p"); /* no Markdown: nothing said */
  put_file(f->site, "content/.obsidian/x.md", "x");
  put_file(f->site, "content/.git/HEAD", "ref");
  hg_walk_opts o = content_opts(f);
  hg_error *err = NULL;
  assert_true(walk(f, &o, &err));
  assert_null(err);
  /* the root, its files sorted, then each folder and what it holds */
  assert_string_equal(hg_buf_cstr(&f->seen), "D \nF _index.md\nF a.md\nF b.md\nD m\nF m/d.png\n"
                                             "D z\nF z/c.md\n");
  assert_diag_counts(&f->d, 0, 2);
  assert_diag(&f->d, HG_WARN, "content/_docs: warning: folder not published (names starting "
                              "with '_' are skipped), but it holds 3 Markdown files: rename it "
                              "to 'docs' to publish them");
  assert_diag(&f->d, HG_WARN, "content/.obsidian: warning: folder not published (names "
                              "starting with '.' are skipped), but it holds 1 Markdown file");
  /* without skip_underscore: '_' folders are walked, hidden ones not said */
  hg_diags_free(&f->d);
  o.skip_underscore = o.files_first = false;
  assert_true(walk(f, &o, NULL));
  assert_contains(hg_buf_cstr(&f->seen), "F _docs/_more/three.md\n");
  assert_lacks(hg_buf_cstr(&f->seen), "obsidian");
  assert_diag_counts(&f->d, 0, 0);
}

static void test_two_link_loop(void **state) {
  fx *f = *state;
  put_file(f->site, "content/a/b/x.md", "x");
  link_at(f, ".", "content/a/b/loop");
  link_at(f, "../b", "content/a/b/up");
  hg_walk_opts o = content_opts(f);
  assert_true(walk(f, &o, NULL));
  assert_string_equal(hg_buf_cstr(&f->seen), "D \nD a\nD a/b\nF a/b/x.md\n");
  assert_diag_counts(&f->d, 2, 0);
  assert_diag(&f->d, HG_ERR, "content/a/b/loop: error: symbolic link loop: it leads back to "
                             "'content/a/b', a folder that holds the link (remove the link");
  assert_diag(&f->d, HG_ERR, "content/a/b/up: error: symbolic link loop: it leads back to "
                             "'content/a/b'");
  /* the opt-in follows links out of the site, never loops */
  hg_diags_free(&f->d);
  o.follow_outside = true;
  assert_true(walk(f, &o, NULL));
  assert_diag_counts(&f->d, 2, 0);
  /* a link to the root from deep down is a loop too */
  hg_diags_free(&f->d);
  link_at(f, "../..", "content/a/b/c");
  link_at(f, "../../..", "content/a/b/site"); /* holds the root: a loop as well */
  o.follow_outside = false;
  assert_true(walk(f, &o, NULL));
  assert_diag_counts(&f->d, 4, 0);
  assert_diag(&f->d, HG_ERR, "content/a/b/c: error: symbolic link loop: it leads back to 'content'");
  assert_diag(&f->d, HG_ERR, "content/a/b/site: error: symbolic link loop: it leads back to '/");
}

static void test_chain_loop_and_dangling(void **state) {
  fx *f = *state;
  link_at(f, "q.md", "content/p.md");
  link_at(f, "p.md", "content/q.md");
  link_at(f, "nowhere.md", "content/gone.md");
  link_at(f, "missing", "content/gone-folder");
  hg_walk_opts o = content_opts(f);
  assert_true(walk(f, &o, NULL));
  assert_string_equal(hg_buf_cstr(&f->seen), "D \n");
  assert_diag_counts(&f->d, 4, 0);
  assert_diag(&f->d, HG_ERR, "content/gone.md: error: dangling symbolic link: its target "
                             "'nowhere.md' does not exist (remove the link, or restore the file "
                             "or folder it points to)");
  assert_diag(&f->d, HG_ERR, "content/gone-folder: error: dangling symbolic link: its target "
                             "'missing' does not exist");
  assert_diag(&f->d, HG_ERR, "content/p.md: error: symbolic link loop: 'q.md' leads back to "
                             "this link through other links");
  assert_diag(&f->d, HG_ERR, "content/q.md: error: symbolic link loop");
}

static void test_outside_links(void **state) {
  fx *f = *state;
  put_file(f->dir, "outside/secret.md", "SECRET");
  put_file(f->dir, "outside/folder/inner.md", "SECRET");
  char *file = hg_path_join(f->dir, "outside/secret.md");
  char *folder = hg_path_join(f->dir, "outside/folder");
  link_at(f, file, "content/s.md");
  link_at(f, folder, "content/f");
  link_at(f, "/etc/passwd", "content/passwd.png");
  hg_walk_opts o = content_opts(f);
  assert_true(walk(f, &o, NULL));
  assert_string_equal(hg_buf_cstr(&f->seen), "D \n"); /* nothing from outside */
  assert_diag_counts(&f->d, 3, 0);
  char *want = hg_strdup_printf("content/s.md: error: symbolic link to '%s', outside the site "
                                "folder: helpgen reads no file from outside it (copy the file in, "
                                "or set 'site: {follow_outside_links: true}' in helpgen.yaml",
                                file);
  assert_diag(&f->d, HG_ERR, want);
  free(want);
  assert_diag(&f->d, HG_ERR, "content/passwd.png: error: symbolic link to '/etc/passwd', outside");
  assert_diag(&f->d, HG_ERR, "content/f: error: symbolic link to");
  size_t outside = 0;
  o.outside = &outside; /* counted for a quiet walk too */
  o.diags = NULL;
  assert_true(walk(f, &o, NULL));
  assert_int_equal(outside, 3);
  /* the opt-in: followed, at the link's path; a loop in there is still one */
  put_file(f->dir, "outside/folder/sub/y.md", "y");
  char *back = hg_path_join(f->dir, "outside/folder/sub/back");
  assert_int_equal(symlink("..", back), 0);
  free(back);
  hg_diags_free(&f->d);
  o.diags = &f->d;
  o.follow_outside = true;
  assert_true(walk(f, &o, NULL));
  assert_string_equal(hg_buf_cstr(&f->seen),
                      "D \nF passwd.png link\nF s.md link\nD f link\nF f/inner.md link\n"
                      "D f/sub link\nF f/sub/y.md link\n");
  assert_diag_counts(&f->d, 1, 0);
  assert_diag(&f->d, HG_ERR, "content/f/sub/back: error: symbolic link loop");
  free(file);
  free(folder);
}

static void test_root_outside_the_fence(void **state) {
  fx *f = *state;
  put_file(f->dir, "elsewhere/a.md", "a");
  tmp_remove(hg_xstrdup(f->root));
  char *target = hg_path_join(f->dir, "elsewhere");
  assert_int_equal(symlink(target, f->root), 0);
  free(target);
  hg_walk_opts o = content_opts(f);
  hg_error *err = NULL;
  assert_false(walk(f, &o, &err));
  assert_non_null(err);
  assert_int_equal(err->code, 2);
  assert_non_null(strstr(err->text, "outside the site folder"));
  assert_string_equal(hg_buf_cstr(&f->seen), "");
  hg_error_free(err);
  o.follow_outside = true;
  assert_true(walk(f, &o, NULL));
  assert_string_equal(hg_buf_cstr(&f->seen), "D \nF a.md\n");
}

static void test_duplicates_through_inside_links(void **state) {
  fx *f = *state;
  put_file(f->site, "content/a/x.md", "x");
  put_file(f->site, "content/b/y.md", "y");
  put_file(f->site, "content/_drafts/d.md", "d");
  put_file(f->site, "versioned/v2/z.md", "z");
  put_file(f->site, "shared/logo.png", "png");
  link_at(f, "../a/x.md", "content/b/x.md");    /* x twice: once, at a/x.md */
  link_at(f, "../b", "content/a/bee");          /* b twice: walked once */
  link_at(f, "../_drafts/d.md", "content/a/d.md"); /* only reachable through the link */
  link_at(f, "../versioned/v2", "content/v2");  /* outside content/, inside the site */
  link_at(f, "../../shared/logo.png", "content/a/logo.png");
  hg_walk_opts o = content_opts(f);
  assert_true(walk(f, &o, NULL));
  assert_string_equal(hg_buf_cstr(&f->seen),
                      "D \nD a\nF a/d.md link\nF a/logo.png link\nF a/x.md\nD b\n"
                      "F b/x.md dup link\nF b/y.md\nD v2 link\nF v2/z.md link\n");
  assert_diag_counts(&f->d, 0, 1); /* _drafts holds Markdown */
  /* the same folder through two links outside the walked root: once */
  link_at(f, "../versioned/v2", "content/v2-again");
  assert_true(walk(f, &o, NULL));
  assert_lacks(hg_buf_cstr(&f->seen), "v2-again");
}

static void test_interrupt_and_stop(void **state) {
  fx *f = *state;
  for (int i = 0; i < 50; i++) {
    char rel[64];
    snprintf(rel, sizeof rel, "content/d%02d/a.md", i);
    put_file(f->site, rel, "a");
  }
  hg_walk_opts o = content_opts(f);
  hg_error *err = NULL;
  f->flag_after = 10; /* the flag goes up at the 10th entry: the walk stops there */
  assert_false(walk(f, &o, &err));
  assert_non_null(err);
  assert_int_equal(err->code, 130);
  assert_int_equal(f->calls, 10);
  hg_error_free(err);
  err = NULL;
  assert_false(walk(f, &o, &err)); /* a flag already up: not even the root */
  assert_int_equal(err->code, 130);
  assert_int_equal(f->calls, 0);
  hg_error_free(err);
  err = NULL;
  flag = 0;
  f->flag_after = 0;
  f->stop_after = 5;
  assert_false(walk(f, &o, &err));
  assert_null(err);
  assert_int_equal(f->calls, 5);
  /* without a flag set up, nothing stops */
  hg_walk_set_interrupt(NULL);
  f->stop_after = 0;
  assert_true(walk(f, &o, NULL));
  assert_int_equal(f->calls, 1 + 50 * 2);
}

static void test_depth_limit(void **state) {
  fx *f = *state;
  put_file(f->site, "content/1/2/3/4/5/a.md", "a");
  hg_walk_opts o = content_opts(f);
  o.max_depth = 3;
  assert_true(walk(f, &o, NULL));
  assert_lacks(hg_buf_cstr(&f->seen), "a.md");
  assert_diag_counts(&f->d, 1, 0);
  assert_diag(&f->d, HG_ERR, "content/1/2/3: error: folders nested more than 3 deep");
}

static void test_walk_files(void **state) {
  fx *f = *state;
  put_file(f->site, "content/b/z.tpl", "z");
  put_file(f->site, "content/a.tpl", "a");
  put_file(f->site, "content/_partials/p.tpl", "p"); /* '_' is not special here */
  put_file(f->site, "other.tpl", "o");
  link_at(f, "../other.tpl", "content/link.tpl");
  char **files = NULL;
  size_t n = 0;
  hg_diags d = {0};
  /* the theme's own folder is the fence: a link to the site beside it fails */
  assert_true(hg_walk_files(f->root, f->root, "the theme folder", false, &files, &n, &d, NULL));
  assert_int_equal(n, 3);
  assert_string_equal(files[0], "_partials/p.tpl");
  assert_string_equal(files[1], "a.tpl");
  assert_string_equal(files[2], "b/z.tpl");
  assert_diag_counts(&d, 1, 0);
  assert_diag(&d, HG_ERR, "content/link.tpl: error: symbolic link to");
  assert_diag(&d, HG_ERR, "outside the theme folder");
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
  files = NULL;
  n = 0;
  hg_diags_free(&d);
  assert_true(hg_walk_files(f->root, f->site, NULL, false, &files, &n, &d, NULL));
  assert_int_equal(n, 4);
  assert_string_equal(files[2], "b/z.tpl");
  assert_string_equal(files[3], "link.tpl");
  assert_diag_counts(&d, 0, 0);
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_order_hidden_and_skipped, setup, teardown),
      cmocka_unit_test_setup_teardown(test_two_link_loop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_chain_loop_and_dangling, setup, teardown),
      cmocka_unit_test_setup_teardown(test_outside_links, setup, teardown),
      cmocka_unit_test_setup_teardown(test_root_outside_the_fence, setup, teardown),
      cmocka_unit_test_setup_teardown(test_duplicates_through_inside_links, setup, teardown),
      cmocka_unit_test_setup_teardown(test_interrupt_and_stop, setup, teardown),
      cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_files, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
