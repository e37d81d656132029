/* scaffold.c - `helpgen new`: new articles, FAQ pages, categories and flows
 * from the theme's scaffold templates. */
#include "hg_scaffold.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hg_config.h"
#include "hg_content.h"
#include "hg_i18n.h"
#include "hg_theme.h"
#include "hg_value.h"

static const struct {
  const char *name, *tpl, *ext;
} kinds[] = {
    [HG_NEW_ARTICLE] = {"article", "article", ".md"},
    [HG_NEW_FAQ] = {"faq", "faq", ".md"},
    [HG_NEW_CATEGORY] = {"category", "category", ".md"},
    [HG_NEW_FLOW] = {"flow", "flow", ".yaml"},
};

bool hg_new_kind_parse(const char *s, hg_new_kind *kind) {
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (!strcmp(s, kinds[i].name)) {
      *kind = (hg_new_kind)i;
      return true;
    }
  return false;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- templates ---------------------------------------------------------------- */

static const char *lookup(const char *const *vars, const char *name, size_t n) {
  for (size_t i = 0; vars[i]; i += 2)
    if (strlen(vars[i]) == n && !strncmp(vars[i], name, n)) return vars[i + 1] ? vars[i + 1] : "";
  return NULL;
}

char *hg_scaffold_fill(const char *tpl, const char *const *vars) {
  hg_buf out = HG_BUF_INIT, line = HG_BUF_INIT;
  hg_buf_puts(&out, "");
  const char *p = tpl;
  while (*p) {
    size_t n = strcspn(p, "\n");
    bool drop = false;
    hg_buf_clear(&line);
    for (size_t i = 0; i < n;) {
      if (p[i] == '{' && i + 1 < n && p[i + 1] == '{') {
        size_t k = i + 2;
        while (k < n && ((p[k] >= 'A' && p[k] <= 'Z') || p[k] == '_')) k++;
        const char *v = k + 1 < n && p[k] == '}' && p[k + 1] == '}' && k > i + 2
                            ? lookup(vars, p + i + 2, k - i - 2)
                            : NULL;
        if (v) {
          if (!*v) drop = true;
          hg_buf_puts(&line, v);
          i = k + 2;
          continue;
        }
      }
      hg_buf_putc(&line, p[i++]);
    }
    if (!drop) {
      hg_buf_append(&out, line.data ? line.data : "", line.len);
      if (p[n] == '\n') hg_buf_putc(&out, '\n');
    }
    p += n + (p[n] == '\n');
  }
  hg_buf_free(&line);
  return hg_buf_steal(&out);
}

char *hg_scaffold_yaml_quote(const char *s) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_putc(&b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': hg_buf_puts(&b, "\\\""); break;
    case '\\': hg_buf_puts(&b, "\\\\"); break;
    case '\n': hg_buf_puts(&b, "\\n"); break;
    case '\t': hg_buf_puts(&b, "\\t"); break;
    case '\r': hg_buf_puts(&b, "\\r"); break;
    default:
      if (*p < 0x20 || *p == 0x7f) hg_buf_printf(&b, "\\x%02x", *p);
      else hg_buf_putc(&b, (char)*p);
    }
  }
  hg_buf_putc(&b, '"');
  return hg_buf_steal(&b);
}

char *hg_scaffold_title_from_name(const char *name) {
  char *t = hg_xstrdup(name);
  for (char *q = t; *q; q++)
    if (*q == '-' || *q == '_') *q = ' ';
  if (t[0] >= 'a' && t[0] <= 'z') t[0] = (char)(t[0] - 32);
  return t;
}

/* The first existing template: the site's theme folder, then the built-in
 * theme (compiled in or on disk), then the built-in default theme; with the
 * language first. */
static char *find_template(const char *site, const char *theme, const char *kind,
                           const char *ext, const char *lang) {
  const char *themes[] = {theme, "default"};
  char *builtin[2] = {hg_theme_builtin_dir(theme, NULL),
                      strcmp(theme, "default") ? hg_theme_builtin_dir("default", NULL) : NULL};
  char *found = NULL;
  for (int l = lang ? 0 : 1; l < 2 && !found; l++) {
    char *file = l == 0 ? hg_strdup_printf("%s.%s%s", kind, lang, ext)
                        : hg_strdup_printf("%s%s", kind, ext);
    for (int k = 0; k < 2 && !found; k++) {
      if (k == 1 && !strcmp(theme, "default")) break;
      char *cands[2] = {
          hg_strdup_printf("%s/themes/%s/scaffold/%s", site, themes[k], file),
          builtin[k] ? hg_strdup_printf("%s/scaffold/%s", builtin[k], file) : NULL};
      for (int c = 0; c < 2; c++) {
        if (!found && cands[c] && hg_theme_is_file(cands[c])) found = cands[c];
        else free(cands[c]);
      }
    }
    free(file);
  }
  free(builtin[0]);
  free(builtin[1]);
  return found;
}

/* ---- paths ---------------------------------------------------------------------- */

static bool lang_ok(const char *l) {
  size_t n = strlen(l);
  if (!n || n > 35) return false;
  for (const char *p = l; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '-' || *p == '_'))
      return false;
  return true;
}

/* PATH relative to `top` (content/ or flows/), cleaned; NULL if unusable. */
static char *clean_path(const char *site, const char *top, const char *path) {
  if (!*path || path[0] == '/' || strchr(path, '\\')) return NULL;
  for (const char *seg = path; *seg;) {
    size_t n = strcspn(seg, "/");
    if (n == 2 && seg[0] == '.' && seg[1] == '.') return NULL;
    seg += n + (seg[n] == '/');
  }
  char *norm = hg_path_normalize(path);
  if (!norm || !*norm) {
    free(norm);
    return NULL;
  }
  /* "content/orders/x" (tab completion from the site folder) */
  size_t tl = strlen(top);
  if (!strncmp(norm, top, tl) && norm[tl] == '/') {
    char *nested = hg_strdup_printf("%s/%s/%s", site, top, top);
    if (!hg_is_dir(nested)) memmove(norm, norm + tl + 1, strlen(norm + tl + 1) + 1);
    free(nested);
  }
  if (!*norm) {
    free(norm);
    return NULL;
  }
  return norm;
}

static char *stem_of(const char *rel) {
  const char *base = hg_path_basename(rel);
  const char *dot = strrchr(base, '.');
  return dot && dot != base ? hg_xstrndup(base, (size_t)(dot - base)) : hg_xstrdup(base);
}

static void today(char out[11]) {
  time_t t = time(NULL);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Checks that the filled template parses as the build will read it. */
static bool validate(const char *text, const char *tpl_path, const char *rel, bool yaml,
                     hg_error **err) {
  if (yaml) {
    hg_error *e = NULL;
    hg_value *v = hg_yaml_parse(text, strlen(text), tpl_path, 0, &e);
    hg_value_free(v);
    if (!e) return true;
    hg_error_set(err, 2, NULL, 0, 0, "the scaffold template gives invalid YAML: %s", e->msg);
    hg_error_free(e);
    return false;
  }
  hg_article a;
  memset(&a, 0, sizeof a);
  a.path = hg_xstrdup(tpl_path);
  a.rel_path = hg_xstrdup(rel);
  hg_diags d = {0};
  char *copy = hg_xstrdup(text);
  bool ok = hg_article_parse(&a, copy, strlen(copy), &d);
  if (!ok) {
    char *msg = NULL;
    for (size_t i = 0; i < d.len && !msg; i++)
      if (d.items[i].sev == HG_ERR) msg = hg_diag_format(&d.items[i]);
    hg_error_set(err, 2, NULL, 0, 0, "the scaffold template gives invalid front matter: %s",
                 msg ? msg : "?");
    free(msg);
  }
  free(copy);
  hg_article_clear(&a);
  hg_diags_free(&d);
  return ok;
}

char *hg_scaffold_new(const hg_new_opts *o, hg_error **err) {
  const char *site = o->site_dir ? o->site_dir : ".";
  const bool flow = o->kind == HG_NEW_FLOW;
  const char *top = flow ? "flows" : "content";
  const char *ext = kinds[o->kind].ext;
  char *rel = NULL, *name = NULL, *title = NULL, *slug = NULL, *tpl_path = NULL;
  char *tpl = NULL, *text = NULL, *file = NULL, *result = NULL;
  hg_config *cfg = NULL;
  hg_diags d = {0};

  if (!hg_is_dir(site)) {
    hg_error_set(err, 2, NULL, 0, 0, "site folder '%s' not found", site);
    return NULL;
  }
  if (o->lang && !lang_ok(o->lang)) {
    hg_error_set(err, 2, NULL, 0, 0, "--lang '%s' is not a language code (such as en or pt-BR)",
                 o->lang);
    return NULL;
  }
  if (o->date && (strlen(o->date) != 10 || o->date[4] != '-' || o->date[7] != '-')) {
    hg_error_set(err, 2, NULL, 0, 0, "date '%s' is not YYYY-MM-DD", o->date);
    return NULL;
  }
  rel = clean_path(site, top, o->path);
  if (!rel) {
    hg_error_set(err, 2, NULL, 0, 0, "PATH '%s' must be a relative path inside %s/ (no '..')",
                 o->path, top);
    goto done;
  }
  if (o->kind == HG_NEW_CATEGORY) {
    if (hg_str_has_suffix(rel, ".md")) {
      hg_error_set(err, 2, NULL, 0, 0, "a category is a folder: give its PATH without .md ('%s')",
                   o->path);
      goto done;
    }
    char *r = hg_strdup_printf("%s/_index.md", rel);
    name = hg_xstrdup(hg_path_basename(rel));
    free(rel);
    rel = r;
  } else {
    bool has_ext = flow ? hg_str_has_suffix(rel, ".yaml") || hg_str_has_suffix(rel, ".yml")
                        : hg_str_has_suffix(rel, ".md");
    if (!has_ext) {
      char *r = hg_strdup_printf("%s%s", rel, ext);
      free(rel);
      rel = r;
    }
    name = stem_of(rel);
  }
  if (!*name || name[0] == '.' || (name[0] == '_' && o->kind != HG_NEW_CATEGORY)) {
    hg_error_set(err, 2, NULL, 0, 0,
                 "'%s': names starting with '.' or '_' are skipped by the build", o->path);
    goto done;
  }
  title = o->title ? hg_xstrdup(o->title) : hg_scaffold_title_from_name(name);
  slug = hg_slugify(name);
  if (!*slug) {
    free(slug);
    slug = hg_slugify(title);
  }
  if (!*slug) {
    hg_error_set(err, 2, NULL, 0, 0, "'%s' has no letters or digits to make a URL from", o->path);
    goto done;
  }

  hg_error *e = NULL;
  cfg = hg_config_load(site, &d, &e);
  if (!cfg) {
    hg_error_set(err, 2, NULL, 0, 0, "%s", e ? e->msg : "cannot read helpgen.yaml");
    hg_error_free(e);
    goto done;
  }
  tpl_path = find_template(site, cfg->theme, kinds[o->kind].tpl, ext, o->lang);
  if (!tpl_path) {
    hg_error_set(err, 2, NULL, 0, 0,
                 "no scaffold template %s%s (looked in %s/themes/%s/scaffold/ and the built-in "
                 "themes)", kinds[o->kind].tpl, ext, site, cfg->theme);
    goto done;
  }
  tpl = hg_theme_read(tpl_path, NULL, err);
  if (!tpl) goto done;
  char date[11];
  if (o->date) snprintf(date, sizeof date, "%s", o->date);
  else today(date);
  char *title_yaml = hg_scaffold_yaml_quote(title);
  const char *vars[] = {"TITLE", title, "TITLE_YAML", title_yaml, "DATE", date,
                        "SLUG", slug, "LANG", o->lang ? o->lang : "", "NAME", name, NULL};
  text = hg_scaffold_fill(tpl, vars);
  free(title_yaml);
  if (!validate(text, tpl_path, rel, flow, err)) goto done;

  file = hg_strdup_printf("%s/%s/%s", site, top, rel);
  char *dir = hg_path_dirname(file);
  bool made = hg_mkdir_p(dir, err);
  free(dir);
  if (!made) goto done;
  int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST) {
    hg_error_set(err, 1, NULL, 0, 0,
                 "%s already exists: helpgen new never overwrites a file (choose another PATH)",
                 file);
    goto done;
  }
  if (fd < 0) {
    hg_error_set(err, 1, file, 0, 0, "cannot create: %s", strerror(errno));
    goto done;
  }
  size_t len = strlen(text), off = 0;
  while (off < len) {
    ssize_t w = write(fd, text + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (size_t)w;
  }
  if (close(fd) != 0 || off < len) {
    hg_error_set(err, 1, file, 0, 0, "cannot write: %s", strerror(errno));
    unlink(file);
    goto done;
  }
  result = file;
  file = NULL;

done:
  hg_config_free(cfg);
  hg_diags_free(&d);
  free(rel);
  free(name);
  free(title);
  free(slug);
  free(tpl_path);
  free(tpl);
  free(text);
  free(file);
  return result;
}

/* ---- init ----------------------------------------------------------------------- */

/* The first entry of dir other than ".", ".." and ".git" (caller frees), or
 * NULL for an empty or missing folder. */
static char *first_entry(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return NULL;
  char *found = NULL;
  struct dirent *e;
  while (!found && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, ".git"))
      found = hg_xstrdup(e->d_name);
  closedir(d);
  return found;
}

/* Where a file of scaffold/init/ goes in the new site; NULL: not for this
 * site (the other CI). */
static char *init_target(const char *rel, hg_init_ci ci) {
  if (!strcmp(rel, "gitignore")) return hg_xstrdup(".gitignore");
  if (!strcmp(rel, "ci/github.yml"))
    return ci == HG_CI_GITHUB ? hg_xstrdup(".github/workflows/helpgen.yml") : NULL;
  if (!strcmp(rel, "ci/gitlab.yml")) return ci == HG_CI_GITLAB ? hg_xstrdup(".gitlab-ci.yml") : NULL;
  if (hg_str_has_prefix(rel, "ci/")) return NULL;
  return hg_xstrdup(rel);
}

long hg_scaffold_init(const hg_init_opts *o, hg_error **err) {
  const char *dir = o->dir && *o->dir ? o->dir : ".";
  const char *lang = o->lang ? o->lang : "en";
  if (!lang_ok(lang)) {
    hg_error_set(err, 2, NULL, 0, 0, "--lang '%s' is not a language code (such as en or pt-BR)",
                 lang);
    return -1;
  }
  if (o->title && !*o->title) {
    hg_error_set(err, 2, NULL, 0, 0, "--title must not be empty");
    return -1;
  }
  if (o->date && (strlen(o->date) != 10 || o->date[4] != '-' || o->date[7] != '-')) {
    hg_error_set(err, 2, NULL, 0, 0, "date '%s' is not YYYY-MM-DD", o->date);
    return -1;
  }
  if (access(dir, F_OK) == 0 && !hg_is_dir(dir)) {
    hg_error_set(err, 1, NULL, 0, 0, "%s exists and is not a folder: give helpgen init a new or "
                 "empty folder", dir);
    return -1;
  }
  char *entry = first_entry(dir);
  if (entry) {
    hg_error_set(err, 1, NULL, 0, 0,
                 "%s is not empty (it holds %s): helpgen init only writes into a new or empty "
                 "folder, so that it never replaces a file (give another DIR, such as "
                 "helpgen init my-help-center)", dir, entry);
    free(entry);
    return -1;
  }
  char *builtin = hg_theme_builtin_dir("default", NULL);
  char *init_dir = builtin ? hg_path_join(builtin, "scaffold/init") : NULL;
  char **files = NULL;
  size_t n = 0;
  if (init_dir) hg_theme_list_files(init_dir, &files, &n);
  if (!n) {
    hg_error_set(err, 2, NULL, 0, 0, "the built-in theme has no scaffold/init/ files (looked in %s)",
                 init_dir ? init_dir : "the themes built into helpgen");
    free(init_dir);
    free(builtin);
    return -1;
  }
  if (n) qsort(files, n, sizeof *files, cmp_names);

  char *title = NULL;
  if (o->title) {
    title = hg_xstrdup(o->title);
  } else {
    char *abs = realpath(dir, NULL);
    const char *base = hg_path_basename(abs ? abs : dir);
    title = hg_scaffold_title_from_name(*base && strcmp(base, ".") ? base : "help-center");
    free(abs);
  }
  char date[11];
  if (o->date) snprintf(date, sizeof date, "%s", o->date);
  else today(date);
  char *title_yaml = hg_scaffold_yaml_quote(title);
  const char *vars[] = {"TITLE", title, "TITLE_YAML", title_yaml, "DATE", date,
                        "LANG", lang, NULL};
  long written = 0;
  for (size_t i = 0; i < n && written >= 0; i++) {
    char *target = init_target(files[i], o->ci);
    if (!target) continue;
    char *src = hg_path_join(init_dir, files[i]);
    char *tpl = hg_theme_read(src, NULL, err);
    char *text = tpl ? hg_scaffold_fill(tpl, vars) : NULL;
    char *dst = hg_path_join(dir, target);
    if (text && hg_write_file(dst, text, strlen(text), err)) written++;
    else written = -1;
    free(dst);
    free(text);
    free(tpl);
    free(src);
    free(target);
  }
  /* theme strings to translate for a language the theme does not have */
  char *rel = hg_strdup_printf("i18n/%s.yaml", lang);
  char *mine = hg_path_join(builtin, rel);
  if (written >= 0 && !hg_theme_is_file(mine)) {
    char *en = hg_path_join(builtin, "i18n/en.yaml");
    char *text = hg_theme_read(en, NULL, err);
    char *dst = hg_strdup_printf("%s/themes/default/%s", dir, rel);
    if (text) {
      hg_buf b = HG_BUF_INIT;
      hg_buf_printf(&b, "# The theme's strings in '%s', copied from English by helpgen init:\n"
                    "# translate the values (keep the keys). Set name: to the language's own name.\n",
                    lang);
      for (const char *p = text; *p;) {
        size_t l = strcspn(p, "\n");
        if (!strncmp(p, "name:", 5)) hg_buf_printf(&b, "name: \"%s\"", lang);
        else if (!strncmp(p, "direction:", 10))
          hg_buf_printf(&b, "direction: %s", hg_i18n_code_is_rtl(lang) ? "rtl" : "ltr");
        else hg_buf_append(&b, p, l);
        hg_buf_putc(&b, '\n');
        p += l + (p[l] == '\n');
      }
      if (hg_write_file(dst, b.data, b.len, err)) written++;
      else written = -1;
      hg_buf_free(&b);
    } else {
      written = -1;
    }
    free(dst);
    free(text);
    free(en);
  }
  free(mine);
  free(rel);
  free(title_yaml);
  free(title);
  for (size_t i = 0; i < n; i++) free(files[i]);
  free(files);
  free(init_dir);
  free(builtin);
  return written;
}
