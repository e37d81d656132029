/* output.c - temporary build folder, safe writes, atomic swap into OUT. */
#include "hg_output.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

struct hg_output {
  char *out;    /* OUT as given */
  char *tmp;    /* the temporary folder beside it */
};

static char *abs_path(const char *p) {
  char *r = realpath(p, NULL);
  return r ? r : hg_xstrdup(p);
}

static bool is_inside(const char *inner, const char *outer) {
  size_t n = strlen(outer);
  return !strcmp(inner, outer) ||
         (!strncmp(inner, outer, n) && (inner[n] == '/' || !strcmp(outer, "/")));
}

static bool dir_empty(const char *path) {
  DIR *d = opendir(path);
  if (!d) return false;
  struct dirent *e;
  bool empty = true;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      empty = false;
      break;
    }
  closedir(d);
  return empty;
}

/* Leftovers of killed builds: ".NAME.helpgen-tmp-*" beside OUT. */
static void remove_leftovers(const char *parent, const char *base) {
  DIR *d = opendir(parent);
  if (!d) return;
  char *prefix = hg_strdup_printf(".%s.helpgen-tmp-", base);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!hg_str_has_prefix(e->d_name, prefix)) continue;
    char *p = hg_path_join(parent, e->d_name);
    hg_rm_rf(p);
    free(p);
  }
  free(prefix);
  closedir(d);
}

hg_output *hg_output_begin(const char *out_dir, const char *site_dir,
                           hg_error **err) {
  size_t l = strlen(out_dir);
  char *out = hg_xstrdup(out_dir);
  while (l > 1 && out[l - 1] == '/') out[--l] = '\0';
  if (!*out || !strcmp(out, "/") || !strcmp(out, ".")) {
    hg_error_set(err, 2, NULL, 0, 0, "refusing to use '%s' as the output folder "
                 "(name a folder of its own, e.g. -o public)", out_dir);
    free(out);
    return NULL;
  }
  char *parent = hg_path_dirname(out);
  if (!hg_mkdir_p(parent, err)) {
    (*err)->code = 2;
    free(parent);
    free(out);
    return NULL;
  }
  char *aout = abs_path(out), *asite = abs_path(site_dir);
  bool bad = is_inside(asite, aout);
  free(aout);
  free(asite);
  if (bad) {
    hg_error_set(err, 2, NULL, 0, 0, "refusing to build into '%s': it holds the "
                 "site's own files (choose another -o)", out);
    free(parent);
    free(out);
    return NULL;
  }
  if (hg_is_file(out) || (hg_is_dir(out) && !dir_empty(out))) {
    char *marker = hg_path_join(out, HG_OUTPUT_MARKER);
    bool ours = hg_is_dir(out) && hg_is_file(marker);
    free(marker);
    if (!ours) {
      hg_error_set(err, 2, NULL, 0, 0,
                   "refusing to replace '%s': it is not empty and was not built by "
                   "helpgen (no %s file). Choose another -o or empty it first",
                   out, HG_OUTPUT_MARKER);
      free(parent);
      free(out);
      return NULL;
    }
  }
  const char *base = hg_path_basename(out);
  remove_leftovers(parent, base);
  char *tmpl = hg_strdup_printf("%s/.%s.helpgen-tmp-XXXXXX", parent, base);
  free(parent);
  if (!mkdtemp(tmpl)) {
    hg_error_set(err, 2, NULL, 0, 0, "cannot write the output folder '%s': %s",
                 out, strerror(errno));
    free(tmpl);
    free(out);
    return NULL;
  }
  hg_output *o = hg_xcalloc(1, sizeof *o);
  o->out = out;
  o->tmp = tmpl;
  if (!hg_output_write(o, HG_OUTPUT_MARKER, "helpgen " HG_VERSION "\n",
                       strlen("helpgen " HG_VERSION "\n"), err)) {
    hg_output_abort(o);
    return NULL;
  }
  return o;
}

const char *hg_output_tmp(const hg_output *o) { return o->tmp; }

bool hg_output_rel_ok(const char *rel) {
  if (!*rel || rel[0] == '/' || strchr(rel, '\\')) return false;
  for (const char *p = rel; *p;) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.'))
      return false;
    p += n + (e ? 1 : 0);
  }
  return true;
}

bool hg_output_write(hg_output *o, const char *rel, const char *data, size_t len,
                     hg_error **err) {
  if (!hg_output_rel_ok(rel)) {
    hg_error_set(err, 1, NULL, 0, 0, "refusing to write '%s': not a path inside the "
                 "output folder", rel);
    return false;
  }
  char *p = hg_path_join(o->tmp, rel);
  bool ok = hg_write_file(p, data, len, err);
  free(p);
  return ok;
}

bool hg_output_copy(hg_output *o, const char *rel, const char *src, hg_error **err) {
  size_t len;
  char *data = hg_read_file(src, &len, err);
  if (!data) return false;
  bool ok = hg_output_write(o, rel, data, len, err);
  free(data);
  return ok;
}

bool hg_output_commit(hg_output *o, hg_error **err) {
  bool ok = true;
  if (hg_is_dir(o->out)) {
    if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->out, RENAME_EXCHANGE) == 0) {
      hg_rm_rf(o->tmp); /* now the previous site */
    } else {
      /* no exchange on this file system: move the old one aside first */
      char *old = hg_strdup_printf("%s.helpgen-old", o->tmp);
      if (rename(o->out, old) != 0 || rename(o->tmp, o->out) != 0) {
        hg_error_set(err, 2, NULL, 0, 0, "cannot replace '%s': %s", o->out,
                     strerror(errno));
        if (!hg_is_dir(o->out)) rename(old, o->out);
        ok = false;
      }
      hg_rm_rf(ok ? old : o->tmp);
      free(old);
    }
  } else {
    if (hg_is_file(o->out)) unlink(o->out);
    if (rename(o->tmp, o->out) != 0) {
      hg_error_set(err, 2, NULL, 0, 0, "cannot create '%s': %s", o->out,
                   strerror(errno));
      hg_rm_rf(o->tmp);
      ok = false;
    }
  }
  free(o->out);
  free(o->tmp);
  free(o);
  return ok;
}

void hg_output_abort(hg_output *o) {
  if (!o) return;
  hg_rm_rf(o->tmp);
  free(o->out);
  free(o->tmp);
  free(o);
}
