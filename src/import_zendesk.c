/* import_zendesk.c - a Zendesk Help Center API export (categories.json,
 * sections.json, articles.json and their pages articles-2.json...,
 * translations/<id>.json, attachments/) into content/<lang>/ trees. JSON is
 * read with jansson; article bodies go through html2md.c. */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hg_html2md.h"
#include "hg_i18n.h"
#include "hg_import.h"

/* ---- reading the export -------------------------------------------------------- */

typedef struct {
  char *path;  /* as shown in notes: "SOURCE/articles-2.json" */
  json_t *root;
  int *lines;  /* per item of the list: the line of its "body" key (else its start) */
  size_t nlines;
} zfile;

/* Lines of the objects that are items of the top-level object's list
 * ("articles": [{...}, ...]): for each, the line of `key` inside it, or of
 * its '{' when it has none. jansson keeps no positions; this scan only
 * counts lines, strings and nesting, the parse itself is jansson's. */
static int *item_lines(const char *s, size_t len, const char *key, size_t *n) {
  int *v = NULL;
  size_t cap = 0;
  *n = 0;
  int line = 1, depth = 0;
  size_t klen = strlen(key);
  for (size_t i = 0; i < len; i++) {
    char ch = s[i];
    if (ch == '\n') line++;
    else if (ch == '{' || ch == '[') {
      depth++;
      if (ch == '{' && depth == 3) {
        if (*n == cap) {
          cap = cap ? cap * 2 : 64;
          v = hg_xrealloc(v, cap * sizeof *v);
        }
        v[(*n)++] = line;
      }
    } else if (ch == '}' || ch == ']') {
      depth--;
    } else if (ch == '"') {
      size_t start = i + 1;
      for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\') i++;
        else if (s[i] == '\n') line++;
      if (depth == 3 && *n && i - start == klen && !memcmp(s + start, key, klen)) {
        size_t j = i + 1;
        while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n')) j++;
        if (j < len && s[j] == ':') v[*n - 1] = line;
      }
    }
  }
  return v;
}

static void zfile_free(zfile *f) {
  free(f->path);
  if (f->root) json_decref(f->root);
  free(f->lines);
  memset(f, 0, sizeof *f);
}

/* Reads one JSON file. 1 read, 0 missing, -1 error (err set). */
static int zfile_load(const char *src, const char *name, const char *line_key, zfile *f,
                      hg_error **err) {
  memset(f, 0, sizeof *f);
  f->path = hg_path_join(src, name);
  if (!hg_is_file(f->path)) return 0;
  size_t len;
  char *text = hg_read_file(f->path, &len, err);
  if (!text) return -1;
  json_error_t je;
  f->root = json_loadb(text, len, 0, &je);
  if (!f->root || !json_is_object(f->root)) {
    hg_error_set(err, 1, f->path, f->root ? 1 : je.line, f->root ? 1 : je.column,
                 "%s (the file should be a Help Center API response, an object such as "
                 "{\"articles\": [...]})",
                 f->root ? "not a JSON object" : je.text);
    free(text);
    return -1;
  }
  f->lines = item_lines(text, len, line_key, &f->nlines);
  free(text);
  return 1;
}

static const char *jstr(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long jint(json_t *o, const char *k, long long dflt) {
  json_t *v = json_object_get(o, k);
  if (json_is_integer(v)) return json_integer_value(v);
  if (json_is_string(v)) { /* ids are sometimes strings in hand-made exports */
    char *e;
    long long x = strtoll(json_string_value(v), &e, 10);
    if (!*e && e != json_string_value(v)) return x;
  }
  return dflt;
}

static bool jbool(json_t *o, const char *k) { return json_is_true(json_object_get(o, k)); }

/* ---- the model ---------------------------------------------------------------------- */

typedef struct {
  char *locale, *title, *desc;
} ztitle;

typedef struct {
  long long id;
  bool category;
  long long parent_id; /* sections: parent section, else -1 */
  long long category_id;
  char *name, *desc, *html_url;
  long pos;
  char *src_path;
  int src_line;
  ztitle *tr;
  size_t ntr;
  char *dir;     /* relative to a language tree: "getting-started/faq" ("" unplaced) */
  int placing;   /* cycle guard */
} zfolder;

typedef struct {
  char *locale, *title, *body, *created, *updated, *html_url;
  bool draft;
  char *src_path;
  int src_line;
  char *rel;  /* "cat/sec/slug.md" in its language tree */
  size_t lang; /* index into the kept languages, or (size_t)-1 */
} ztrans;

typedef struct {
  long long id, section_id;
  long pos;
  bool promoted;
  char **labels;
  size_t nlabels;
  char *source_locale;
  ztrans *tr;
  size_t ntr;
  long folder; /* index into folders, -1: at the top */
} zarticle;

typedef struct {
  char *locale; /* Zendesk's: "en-us" */
  char *code;   /* helpgen's: "en" */
} zlang;

typedef struct {
  const hg_import_opts *o;
  const char *out;
  hg_import_report *r;
  zfolder *folders;
  size_t nfolders;
  zarticle *arts;
  size_t narts;
  hg_strmap folder_ix; /* "c<id>" / "s<id>" -> index */
  hg_strmap art_ix;    /* "<id>" -> index */
  zlang *langs;
  size_t nlangs;
  char *host; /* "https://example.zendesk.com", from the first html_url */
  hg_strmap taken; /* names given to files and folders (and attachments) */
  pthread_mutex_t lock; /* guards taken while articles are written */
} zctx;

static long folder_find(zctx *z, bool category, long long id) {
  char k[32];
  snprintf(k, sizeof k, "%c%lld", category ? 'c' : 's', id);
  return hg_strmap_get(&z->folder_ix, k, -1);
}

static long art_find(zctx *z, long long id) {
  char k[32];
  snprintf(k, sizeof k, "%lld", id);
  return hg_strmap_get(&z->art_ix, k, -1);
}

static void remember_host(zctx *z, const char *url) {
  if (z->host || !url) return;
  const char *p = strstr(url, "://");
  if (!p) return;
  const char *e = strchr(p + 3, '/');
  z->host = e ? hg_xstrndup(url, (size_t)(e - url)) : hg_xstrdup(url);
}

/* Every page of a list: NAME.json, NAME-2.json, ... Calls fn for each item
 * of the list KEY with its file and index. Returns false with err on a
 * file that does not read. */
typedef void (*item_fn)(zctx *z, json_t *item, zfile *f, size_t i);

static bool read_pages(zctx *z, const char *name, const char *key, const char *line_key,
                       bool required, item_fn fn, hg_error **err) {
  for (int page = 1;; page++) {
    char *file = page == 1 ? hg_strdup_printf("%s.json", name)
                           : hg_strdup_printf("%s-%d.json", name, page);
    zfile f;
    int st = zfile_load(z->o->source, file, line_key, &f, err);
    free(file);
    if (st < 0) {
      zfile_free(&f);
      return false;
    }
    if (st == 0) {
      if (page == 1 && required) {
        hg_error_set(err, 1, f.path, 0, 0,
                     "no such file (an export holds the Help Center API's list responses: "
                     "categories.json, sections.json, articles.json)");
        zfile_free(&f);
        return false;
      }
      zfile_free(&f);
      return true;
    }
    json_t *list = json_object_get(f.root, key);
    if (!json_is_array(list)) {
      hg_error_set(err, 1, f.path, 1, 1, "no \"%s\" list (is this the response of the %s "
                   "endpoint?)", key, key);
      zfile_free(&f);
      return false;
    }
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) if (json_is_object(it)) fn(z, it, &f, i);
    const char *next = jstr(f.root, "next_page");
    if (next && *next) {
      char *nf = hg_strdup_printf("%s-%d.json", name, page + 1);
      char *np = hg_path_join(z->o->source, nf);
      if (!hg_is_file(np))
        hg_import_note_add(z->r, f.path, 0,
                           "fetch that page and save it as the file named here, then import "
                           "again",
                           "next_page is %s, but %s is missing: its %s were not imported", next,
                           np, key);
      free(np);
      free(nf);
    }
    zfile_free(&f);
  }
}

static int line_at(zfile *f, size_t i) { return i < f->nlines ? f->lines[i] : 0; }

static void add_folder_item(zctx *z, json_t *it, zfile *f, size_t i, bool category) {
  long long id = jint(it, "id", -1);
  if (id < 0 || folder_find(z, category, id) >= 0) {
    hg_import_note_add(z->r, f->path, line_at(f, i), "give every item its own id",
                       "a %s without an id, or with one seen before, skipped",
                       category ? "category" : "section");
    return;
  }
  z->folders = hg_xrealloc(z->folders, (z->nfolders + 1) * sizeof *z->folders);
  zfolder *fo = &z->folders[z->nfolders];
  memset(fo, 0, sizeof *fo);
  fo->id = id;
  fo->category = category;
  fo->parent_id = category ? -1 : jint(it, "parent_section_id", -1);
  fo->category_id = category ? -1 : jint(it, "category_id", -1);
  const char *name = jstr(it, "name");
  fo->name = hg_xstrdup(name && *name ? name : category ? "Category" : "Section");
  fo->desc = hg_xstrdup(jstr(it, "description") ? jstr(it, "description") : "");
  fo->html_url = jstr(it, "html_url") ? hg_xstrdup(jstr(it, "html_url")) : NULL;
  remember_host(z, fo->html_url);
  fo->pos = (long)jint(it, "position", 0);
  fo->src_path = hg_xstrdup(f->path);
  fo->src_line = line_at(f, i);
  char k[32];
  snprintf(k, sizeof k, "%c%lld", category ? 'c' : 's', id);
  hg_strmap_put(&z->folder_ix, k, (long)z->nfolders);
  z->nfolders++;
}

static void add_category(zctx *z, json_t *it, zfile *f, size_t i) { add_folder_item(z, it, f, i, true); }
static void add_section(zctx *z, json_t *it, zfile *f, size_t i) { add_folder_item(z, it, f, i, false); }

static void trans_fill(ztrans *t, json_t *it, zfile *f, size_t i) {
  memset(t, 0, sizeof *t);
  const char *title = jstr(it, "title");
  t->locale = hg_xstrdup(jstr(it, "locale") ? jstr(it, "locale") : "");
  t->title = hg_xstrdup(title ? title : "");
  t->body = hg_xstrdup(jstr(it, "body") ? jstr(it, "body") : "");
  t->created = jstr(it, "created_at") ? hg_xstrdup(jstr(it, "created_at")) : NULL;
  t->updated = jstr(it, "updated_at") ? hg_xstrdup(jstr(it, "updated_at")) : NULL;
  t->html_url = jstr(it, "html_url") ? hg_xstrdup(jstr(it, "html_url")) : NULL;
  t->draft = jbool(it, "draft");
  t->src_path = hg_xstrdup(f->path);
  t->src_line = line_at(f, i);
  t->lang = (size_t)-1;
}

static void add_article(zctx *z, json_t *it, zfile *f, size_t i) {
  long long id = jint(it, "id", -1);
  if (id < 0 || art_find(z, id) >= 0) {
    hg_import_note_add(z->r, f->path, line_at(f, i), "give every article its own id",
                       "an article without an id, or with one seen before, skipped");
    return;
  }
  z->arts = hg_xrealloc(z->arts, (z->narts + 1) * sizeof *z->arts);
  zarticle *a = &z->arts[z->narts];
  memset(a, 0, sizeof *a);
  a->id = id;
  a->section_id = jint(it, "section_id", -1);
  a->pos = (long)jint(it, "position", 0);
  a->promoted = jbool(it, "promoted");
  const char *sl = jstr(it, "source_locale");
  a->source_locale = hg_xstrdup(sl ? sl : jstr(it, "locale") ? jstr(it, "locale") : "");
  json_t *labels = json_object_get(it, "label_names");
  if (json_is_array(labels)) {
    a->labels = hg_xcalloc(json_array_size(labels) + 1, sizeof *a->labels);
    size_t k;
    json_t *l;
    json_array_foreach(labels, k, l) if (json_is_string(l) && *json_string_value(l))
        a->labels[a->nlabels++] = hg_xstrdup(json_string_value(l));
  }
  a->tr = hg_xcalloc(1, sizeof *a->tr);
  trans_fill(&a->tr[0], it, f, i);
  a->ntr = 1;
  remember_host(z, a->tr[0].html_url);
  char k[32];
  snprintf(k, sizeof k, "%lld", id);
  hg_strmap_put(&z->art_ix, k, (long)z->narts);
  z->narts++;
}

/* translations/<id>.json of article a: other locales (one already known is
 * replaced: the translation endpoint is the newer word). */
static bool read_translations(zctx *z, zarticle *a, hg_error **err) {
  char *name = hg_strdup_printf("translations/%lld.json", a->id);
  zfile f;
  int st = zfile_load(z->o->source, name, "body", &f, err);
  free(name);
  if (st <= 0) {
    zfile_free(&f);
    return st == 0;
  }
  json_t *list = json_object_get(f.root, "translations");
  size_t i;
  json_t *it;
  json_array_foreach(list, i, it) {
    if (!json_is_object(it) || !jstr(it, "locale")) continue;
    const char *loc = jstr(it, "locale");
    size_t k = 0;
    while (k < a->ntr && strcasecmp(a->tr[k].locale, loc)) k++;
    if (k == a->ntr) {
      a->tr = hg_xrealloc(a->tr, (a->ntr + 1) * sizeof *a->tr);
      a->ntr++;
    } else {
      ztrans *t = &a->tr[k];
      free(t->locale), free(t->title), free(t->body), free(t->created), free(t->updated);
      free(t->html_url), free(t->src_path);
    }
    trans_fill(&a->tr[k], it, &f, i);
  }
  zfile_free(&f);
  return true;
}

/* translations/categories/<id>.json, translations/sections/<id>.json */
static void read_folder_translations(zctx *z, zfolder *fo) {
  char *name = hg_strdup_printf("translations/%s/%lld.json",
                                fo->category ? "categories" : "sections", fo->id);
  zfile f;
  hg_error *err = NULL;
  int st = zfile_load(z->o->source, name, "title", &f, &err);
  free(name);
  if (st < 0) {
    hg_import_note_add(z->r, err->path, err->line, "fix the file, or remove it",
                       "%s: the translations were not read", err->text);
    hg_error_free(err);
  }
  if (st > 0) {
    json_t *list = json_object_get(f.root, "translations");
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
      if (!jstr(it, "locale") || !jstr(it, "title")) continue;
      fo->tr = hg_xrealloc(fo->tr, (fo->ntr + 1) * sizeof *fo->tr);
      fo->tr[fo->ntr].locale = hg_xstrdup(jstr(it, "locale"));
      fo->tr[fo->ntr].title = hg_xstrdup(jstr(it, "title"));
      fo->tr[fo->ntr].desc = hg_xstrdup(jstr(it, "body") ? jstr(it, "body") : "");
      fo->ntr++;
    }
  }
  zfile_free(&f);
}

/* ---- languages ------------------------------------------------------------------ */

static long lang_of(zctx *z, const char *locale) {
  for (size_t i = 0; i < z->nlangs; i++)
    if (!strcasecmp(z->langs[i].locale, locale)) return (long)i;
  return -1;
}

/* The locales of all articles, the most common source locale first; with
 * --lang only that one. helpgen's code is the language part ("en" for
 * "en-us") unless two locales share it. */
static bool pick_languages(zctx *z, hg_error **err) {
  char **locs = NULL;
  size_t *count = NULL, n = 0;
  for (size_t i = 0; i < z->narts; i++)
    for (size_t k = 0; k < z->arts[i].ntr; k++) {
      const char *l = z->arts[i].tr[k].locale;
      if (!*l) continue;
      size_t j = 0;
      while (j < n && strcasecmp(locs[j], l)) j++;
      if (j == n) {
        locs = hg_xrealloc(locs, (n + 1) * sizeof *locs);
        count = hg_xrealloc(count, (n + 1) * sizeof *count);
        locs[n] = hg_xstrdup(l);
        count[n++] = 0;
      }
      if (!strcasecmp(z->arts[i].source_locale, l)) count[j]++;
    }
  size_t best = 0;
  for (size_t j = 1; j < n; j++)
    if (count[j] > count[best]) best = j;
  bool ok = true;
  if (z->o->lang) {
    size_t j = 0;
    while (j < n && strcasecmp(locs[j], z->o->lang)) j++;
    if (j == n) { /* "--lang en" for the one locale en-us */
      size_t hit = n, hits = 0, ll = strlen(z->o->lang);
      for (size_t k = 0; k < n; k++)
        if (!strncasecmp(locs[k], z->o->lang, ll) && (locs[k][ll] == '-' || locs[k][ll] == '_')) {
          hit = k;
          hits++;
        }
      if (hits == 1) j = hit;
    }
    if (j == n) {
      hg_buf have = HG_BUF_INIT;
      for (size_t k = 0; k < n; k++) hg_buf_printf(&have, "%s%s", k ? ", " : "", locs[k]);
      hg_error_set(err, 2, z->o->source, 0, 0,
                   "--lang %s: the export has no articles in that locale (it has: %s)",
                   z->o->lang, n ? hg_buf_cstr(&have) : "none");
      hg_buf_free(&have);
      ok = false;
    } else {
      best = j;
      for (size_t k = 0; k < n; k++)
        if (k != j) {
          size_t skipped = 0;
          for (size_t i = 0; i < z->narts; i++)
            for (size_t t = 0; t < z->arts[i].ntr; t++)
              skipped += !strcasecmp(z->arts[i].tr[t].locale, locs[k]);
          hg_import_note_add(z->r, z->o->source, 0, "import without --lang to keep them",
                             "%zu article%s in %s left out (--lang %s)", skipped,
                             skipped == 1 ? "" : "s", locs[k], z->o->lang);
        }
    }
  }
  if (ok && n) {
    z->langs = hg_xcalloc(n, sizeof *z->langs);
    for (size_t pass = 0; pass < 2; pass++)
      for (size_t j = 0; j < n; j++) {
        if ((pass == 0) != (j == best)) continue;
        if (z->o->lang && j != best) continue;
        z->langs[z->nlangs++].locale = hg_xstrdup(locs[j]);
      }
    for (size_t i = 0; i < z->nlangs; i++) {
      const char *l = z->langs[i].locale;
      size_t pl = strcspn(l, "-_");
      bool shared = false;
      for (size_t k = 0; k < z->nlangs; k++)
        if (k != i && strlen(z->langs[k].locale) >= pl &&
            !strncasecmp(z->langs[k].locale, l, pl) && strcspn(z->langs[k].locale, "-_") == pl)
          shared = true;
      char *code = shared ? hg_xstrdup(l) : hg_xstrndup(l, pl);
      for (char *q = code; *q; q++) {
        if (*q >= 'A' && *q <= 'Z') *q = (char)(*q + 32);
        if (*q == '_') *q = '-';
      }
      if (!hg_i18n_valid_code(code)) {
        hg_error_set(err, 1, z->o->source, 0, 0,
                     "locale '%s' is not a language tag helpgen can use", l);
        free(code);
        ok = false;
        break;
      }
      z->langs[i].code = code;
    }
  }
  for (size_t j = 0; j < n; j++) free(locs[j]);
  free(locs);
  free(count);
  return ok;
}

/* ---- paths ------------------------------------------------------------------------ */

static char *slug_or(const char *title, const char *prefix, long long id) {
  char *s = hg_slugify(title);
  if (!*s) {
    free(s);
    s = hg_strdup_printf("%s-%lld", prefix, id);
  }
  return s;
}

/* A name under `dir` (in every language tree) no other file or folder took. */
static char *unique_rel(zctx *z, const char *dir, const char *slug, const char *ext,
                        long long id, const char *scope) {
  static const char *const reserved[] = {"assets", "search", "404", "index"};
  bool top = !*dir;
  for (int attempt = 0;; attempt++) {
    char *name = attempt == 0 ? hg_strdup_printf("%s%s", slug, ext)
                 : attempt == 1 ? hg_strdup_printf("%s-%lld%s", slug, id, ext)
                                : hg_strdup_printf("%s-%lld-%d%s", slug, id, attempt, ext);
    bool bad = false;
    if (top)
      for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!strcmp(slug, reserved[i]) && attempt == 0) bad = true;
    char *rel = *dir ? hg_strdup_printf("%s/%s", dir, name) : hg_xstrdup(name);
    /* an article "x.md" and a folder "x" have the same URL */
    char *stem = hg_xstrdup(rel);
    if (*ext && hg_str_has_suffix(stem, ext)) stem[strlen(stem) - strlen(ext)] = '\0';
    char *key = hg_strdup_printf("%s/%s", scope, stem);
    if (!bad && !hg_strmap_get(&z->taken, key, 0)) {
      hg_strmap_put(&z->taken, key, 1);
      free(key);
      free(stem);
      free(name);
      return rel;
    }
    free(key);
    free(stem);
    free(name);
    free(rel);
  }
}

static void place_folder(zctx *z, size_t i, int depth) {
  zfolder *fo = &z->folders[i];
  if (fo->dir) return;
  char *slug = slug_or(fo->name, fo->category ? "category" : "section", fo->id);
  const char *parent = "";
  if (!fo->category) {
    long p = fo->parent_id >= 0 ? folder_find(z, false, fo->parent_id) : -1;
    if (p >= 0 && (z->folders[p].placing || depth > 50)) {
      hg_import_note_add(z->r, fo->src_path, fo->src_line, "fix parent_section_id",
                         "section %lld is inside itself through parent_section_id; placed in "
                         "its category", fo->id);
      p = -1;
    } else if (fo->parent_id >= 0 && p < 0) {
      hg_import_note_add(z->r, fo->src_path, fo->src_line,
                         "add that section to sections.json, or import as is",
                         "section %lld names parent section %lld, which is not in the export; "
                         "placed in its category", fo->id, fo->parent_id);
    }
    if (p < 0) p = folder_find(z, true, fo->category_id);
    if (p < 0)
      hg_import_note_add(z->r, fo->src_path, fo->src_line,
                         "add the category to categories.json, or move the folder",
                         "section %lld names category %lld, which is not in the export; it "
                         "became a category of its own", fo->id, fo->category_id);
    if (p >= 0) {
      fo->placing = 1;
      place_folder(z, (size_t)p, depth + 1);
      fo->placing = 0;
      parent = z->folders[p].dir;
    }
  }
  fo->dir = unique_rel(z, parent, slug, "", fo->id, "");
  free(slug);
}

/* ---- writing --------------------------------------------------------------------- */

static const char *folder_title(const zfolder *fo, const char *locale, const char **desc) {
  *desc = fo->desc;
  for (size_t i = 0; i < fo->ntr; i++)
    if (!strcasecmp(fo->tr[i].locale, locale)) {
      *desc = fo->tr[i].desc;
      return fo->tr[i].title;
    }
  return fo->name;
}

static bool write_file(zctx *z, const char *rel, const char *text, size_t len, hg_error **err) {
  char *p = hg_path_join(z->out, rel);
  bool ok = hg_write_file(p, text, len, err);
  free(p);
  return ok;
}

static bool write_folders(zctx *z, hg_error **err) {
  for (size_t l = 0; l < z->nlangs; l++)
    for (size_t i = 0; i < z->nfolders; i++) {
      const zfolder *fo = &z->folders[i];
      const char *desc;
      const char *title = folder_title(fo, z->langs[l].locale, &desc);
      hg_buf b = HG_BUF_INIT;
      hg_buf_puts(&b, "---\ntitle: ");
      hg_import_put_yaml_str(&b, title);
      if (desc && *desc) {
        hg_buf_puts(&b, "\ndescription: ");
        hg_import_put_yaml_str(&b, desc);
      }
      hg_buf_printf(&b, "\nweight: %ld\n---\n", fo->pos);
      char *rel = hg_strdup_printf("content/%s/%s/_index.md", z->langs[l].code, fo->dir);
      bool ok = write_file(z, rel, b.data, b.len, err);
      free(rel);
      hg_buf_free(&b);
      if (!ok) return false;
      if (l == 0) {
        z->r->folders++;
        if (fo->html_url)
          hg_import_note_add(z->r, fo->src_path, fo->src_line,
                             "helpgen redirects old article URLs only: add a redirect on your "
                             "host if people link to it",
                             "the old %s page %s has no redirect", fo->category ? "category"
                                                                                : "section",
                             fo->html_url);
      }
    }
  return true;
}

/* The path part of a URL ("https://h/hc/en-us/articles/1-x?y" -> "/hc/en-us/articles/1-x"). */
static char *url_path(const char *u) {
  const char *p = strstr(u, "://");
  p = p ? strchr(p + 3, '/') : u;
  if (!p) return hg_xstrdup("/");
  return hg_xstrndup(p, strcspn(p, "?#"));
}

typedef struct {
  zctx *z;
  zarticle *a;
  ztrans *t;
  const char *dir;      /* the article's folder in its tree */
  hg_import_report *r;  /* this article's notes and counts */
} conv_ctx;

/* "/hc/en-us/articles/123-Title#x" -> kind 'a', id 123, locale "en-us", frag "x". */
static bool zendesk_url(const char *u, char *kind, long long *id, char *locale, size_t lsz,
                        const char **frag) {
  const char *p = strstr(u, "/hc/");
  if (!p) return false;
  /* only the URL's path: "https://host/hc/..." or "/hc/..." */
  const char *scheme = strstr(u, "://");
  if (scheme ? strchr(scheme + 3, '/') != p : p != u) return false;
  p += 4;
  locale[0] = '\0';
  const char *seg = p;
  static const char *const kinds[] = {"articles/", "sections/", "categories/"};
  for (int pass = 0; pass < 2; pass++) {
    for (int k = 0; k < 3; k++)
      if (hg_str_has_prefix(seg, kinds[k])) {
        const char *n = seg + strlen(kinds[k]);
        char *e;
        long long v = strtoll(n, &e, 10);
        if (e == n || (*e && *e != '-' && *e != '#' && *e != '?' && *e != '/')) return false;
        *kind = kinds[k][0];
        *id = v;
        *frag = strchr(e, '#') ? strchr(e, '#') + 1 : NULL;
        return true;
      }
    /* a locale segment first: "en-us/" */
    const char *sl = strchr(seg, '/');
    if (pass || !sl || (size_t)(sl - seg) >= lsz || sl - seg > 12) return false;
    memcpy(locale, seg, (size_t)(sl - seg));
    locale[sl - seg] = '\0';
    seg = sl + 1;
  }
  return false;
}

static const char *base_name_of(const char *path) { return hg_path_basename(path); }

/* An attachment URL ("/hc/article_attachments/<id>/<name>") -> a file in
 * attachments/, copied beside the article; the relative link, or NULL. */
static char *attachment(conv_ctx *c, const char *u, int line, hg_html2md_notes *notes) {
  const char *p = strstr(u, "/article_attachments/");
  if (!p) p = strstr(u, "/attachments/token/");
  if (!p) return NULL;
  const char *rest = strchr(p + 1, '/') + 1; /* "<id>/<name>" */
  size_t pl = strcspn(rest, "?#");
  char *dec = hg_percent_decode(rest, pl);
  const char *name = base_name_of(dec);
  char *cand[2] = {hg_strdup_printf("%s/attachments/%s", c->z->o->source, dec),
                   hg_strdup_printf("%s/attachments/%s", c->z->o->source, name)};
  char *found = NULL;
  for (int i = 0; i < 2 && !found; i++)
    if (!strstr(dec, "..") && hg_is_file(cand[i])) found = cand[i];
  char *out = NULL;
  if (!found) {
    char *what = hg_strdup_printf("attachment %s is not in %s/attachments/", u, c->z->o->source);
    hg_html2md_note_add(notes, line, what,
                        "it still loads from Zendesk: download it to attachments/ID/NAME and "
                        "import again");
    free(what);
  } else {
    /* "<attachment id>-<slug of the name>": unique without asking which
     * article came first (articles are written on several threads), and
     * a link that needs no escaping */
    const char *dot = strrchr(name, '.');
    char *stem = dot ? hg_xstrndup(name, (size_t)(dot - name)) : hg_xstrdup(name);
    char *s = hg_slugify(stem);
    char *ext = hg_slugify(dot ? dot + 1 : "");
    size_t idl = strspn(dec, "0123456789");
    char *file = hg_strdup_printf("%.*s%s%s%s%s", (int)(dec[idl] == '/' ? idl : 0), dec,
                                  dec[idl] == '/' && idl ? "-" : "", *s ? s : "file",
                                  *ext ? "." : "", ext);
    char *rel_dir = hg_strdup_printf("content/%s/%s", c->z->langs[c->t->lang].code, c->dir);
    char *key = hg_strdup_printf("%s/%s", rel_dir, file);
    long h = (long)(hg_hash64(found, strlen(found)) >> 2) | 1;
    pthread_mutex_lock(&c->z->lock);
    long prev = hg_strmap_get(&c->z->taken, key, 0);
    if (prev && prev != h) { /* two files, one name (no ids): the name of the path's hash */
      char hex[17];
      hg_hash_hex(found, strlen(found), hex);
      free(file);
      file = hg_strdup_printf("%s-%.8s%s%s", *s ? s : "file", hex, *ext ? "." : "", ext);
      free(key);
      key = hg_strdup_printf("%s/%s", rel_dir, file);
      prev = hg_strmap_get(&c->z->taken, key, 0);
    }
    if (!prev) hg_strmap_put(&c->z->taken, key, h);
    pthread_mutex_unlock(&c->z->lock);
    char *dst_rel = hg_path_join(rel_dir, file);
    char *dst = hg_path_join(c->z->out, dst_rel);
    hg_error *err = NULL;
    char *dd = hg_path_dirname(dst);
    if (prev) { /* copied already, for another article of this folder */
      out = hg_xstrdup(file);
    } else if (hg_mkdir_p(dd, &err) && hg_copy_file(found, dst, &err)) {
      out = hg_xstrdup(file);
      c->r->files++;
    } else {
      char *what = hg_strdup_printf("attachment %s could not be copied: %s", found,
                                    err ? err->text : "failed");
      hg_html2md_note_add(notes, line, what, "check the disk and import again");
      free(what);
    }
    hg_error_free(err);
    free(dd);
    free(dst);
    free(dst_rel);
    free(key);
    free(rel_dir);
    free(file);
    free(ext);
    free(s);
    free(stem);
  }
  free(cand[0]);
  free(cand[1]);
  free(dec);
  return out;
}

static char *rewrite_url(void *ctx, const char *u, bool image, int line, hg_html2md_notes *notes) {
  conv_ctx *c = ctx;
  zctx *z = c->z;
  char *att = attachment(c, u, line, notes);
  if (att) return att;
  char kind;
  long long id;
  char locale[16];
  const char *frag;
  if (image || !zendesk_url(u, &kind, &id, locale, sizeof locale, &frag)) return NULL;
  const char *my = z->langs[c->t->lang].locale;
  if (kind == 'a') {
    long ai = art_find(z, id);
    if (ai < 0) {
      bool relative = !strstr(u, "://");
      char *what = hg_strdup_printf("a link to article %lld, which is not in the export%s", id,
                                    relative && z->host ? ", now points to the old help center"
                                                        : "");
      hg_html2md_note_add(notes, line, what, "link to the article where it lives now, or remove the link");
      free(what);
      return relative && z->host ? hg_strdup_printf("%s%s", z->host, u) : NULL;
    }
    zarticle *ta = &z->arts[ai];
    ztrans *tt = NULL;
    for (size_t k = 0; k < ta->ntr; k++)
      if (ta->tr[k].rel && !strcasecmp(ta->tr[k].locale, my)) tt = &ta->tr[k];
    if (!tt) {
      char *what = hg_strdup_printf("a link to article %lld, which has no %s translation, "
                                    "still points to the old help center", id, my);
      hg_html2md_note_add(notes, line, what, "translate that article, or link elsewhere");
      free(what);
      return strstr(u, "://") || !z->host ? NULL : hg_strdup_printf("%s%s", z->host, u);
    }
    /* to itself: "#frag" is fixed like any in-page link, else its own file */
    if (tt == c->t && frag && *frag) return hg_strdup_printf("#%s", frag);
    char *rel = hg_rel_url(c->dir, tt->rel);
    if (frag && *frag) {
      char *what = hg_strdup_printf("the #%s part of a link to article %lld dropped", frag, id);
      hg_html2md_note_add(notes, line, what,
                          "helpgen gives headings ids from their text: add #the-heading-text "
                          "to the link if it should land on a heading");
      free(what);
    }
    return rel;
  }
  long fi = folder_find(z, kind == 'c', id);
  if (fi < 0) {
    char *what = hg_strdup_printf("a link to %s %lld, which is not in the export",
                                  kind == 'c' ? "category" : "section", id);
    hg_html2md_note_add(notes, line, what, "link to where it lives now, or remove the link");
    free(what);
    return strstr(u, "://") || !z->host ? NULL : hg_strdup_printf("%s%s", z->host, u);
  }
  char *to = hg_strdup_printf("%s/_index.md", z->folders[fi].dir);
  char *rel = hg_rel_url(c->dir, to);
  free(to);
  return rel;
}

static void put_date(hg_buf *b, const char *key, const char *iso) {
  if (!iso || strlen(iso) < 10) return;
  hg_buf_printf(b, "%s: %.10s\n", key, iso);
}

/* Converts and writes one article; its notes and counts go to r (one per
 * article: this runs on several threads). */
static bool write_article(zctx *z, zarticle *a, ztrans *t, hg_import_report *r, hg_error **err) {
  conv_ctx c = {z, a, t, a->folder >= 0 ? z->folders[a->folder].dir : "", r};
  hg_html2md_opts ho = {rewrite_url, &c, z->o->raw_html};
  hg_html2md_out out;
  hg_html2md_notes notes = {0};
  hg_html2md(t->body, strlen(t->body), &ho, &out, &notes);
  char *file = hg_strdup_printf("content/%s/%s", z->langs[t->lang].code, t->rel);
  for (size_t i = 0; i < notes.n; i++)
    hg_import_note_add(r, t->src_path, t->src_line, notes.v[i].todo,
                       "article %lld (%s), body line %d: %s", a->id, file, notes.v[i].line,
                       notes.v[i].what);
  hg_html2md_notes_free(&notes);
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "---\ntitle: ");
  hg_import_put_yaml_str(&b, *t->title ? t->title : "Untitled");
  if (*out.summary) {
    hg_buf_puts(&b, "\ndescription: ");
    hg_import_put_yaml_str(&b, out.summary);
  }
  hg_buf_printf(&b, "\nweight: %ld\n", a->pos);
  if (a->nlabels) {
    hg_buf_puts(&b, "tags: [");
    for (size_t i = 0; i < a->nlabels; i++) {
      if (i) hg_buf_puts(&b, ", ");
      hg_import_put_yaml_str(&b, a->labels[i]);
    }
    hg_buf_puts(&b, "]\n");
  }
  if (a->promoted) hg_buf_puts(&b, "promoted: true\n");
  if (t->draft) hg_buf_puts(&b, "draft: true\n");
  put_date(&b, "date", t->created);
  put_date(&b, "updated", t->updated);
  if (t->html_url) {
    char *p = url_path(t->html_url);
    hg_buf_puts(&b, "aliases: [");
    hg_import_put_yaml_str(&b, p);
    /* Zendesk answers the URL without the title part too: /hc/en-us/articles/123 */
    const char *art = strstr(p, "/articles/");
    if (art) {
      const char *dash = strchr(art + 10, '-');
      if (dash) {
        char *short_url = hg_xstrndup(p, (size_t)(dash - p));
        hg_buf_puts(&b, ", ");
        hg_import_put_yaml_str(&b, short_url);
        free(short_url);
      }
    }
    hg_buf_puts(&b, "]\n");
    free(p);
  }
  hg_buf_printf(&b, "translation_key: \"zendesk-%lld\"\n---\n", a->id);
  if (*out.markdown) {
    hg_buf_putc(&b, '\n');
    hg_buf_puts(&b, out.markdown);
  }
  bool ok = write_file(z, file, b.data, b.len, err);
  if (ok) r->articles++;
  free(file);
  hg_buf_free(&b);
  hg_html2md_out_free(&out);
  return ok;
}

static bool write_config(zctx *z, hg_error **err) {
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "# Written by helpgen import zendesk from ");
  hg_buf_puts(&b, z->o->source);
  hg_buf_puts(&b, " (see import-report.txt)\ntitle: \"Help Center\"\n");
  if (z->host) {
    hg_buf_puts(&b, "# the old help center was ");
    hg_buf_puts(&b, z->host);
    hg_buf_puts(&b, "/hc/; set base_url to where this one will live\n");
  }
  if (z->o->raw_html)
    hg_buf_puts(&b, "markdown:\n  unsafe: true   # helpgen import --raw-html: embeds and forms "
                    "kept as HTML\n");
  hg_buf_puts(&b, "languages:\n");
  for (size_t i = 0; i < z->nlangs; i++)
    hg_buf_printf(&b, "  - {code: %s}   # Zendesk locale %s\n", z->langs[i].code,
                  z->langs[i].locale);
  bool ok = write_file(z, "helpgen.yaml", b.data, b.len, err);
  hg_buf_free(&b);
  return ok;
}

/* ---- the import ------------------------------------------------------------------- */

static void zctx_free(zctx *z) {
  for (size_t i = 0; i < z->nfolders; i++) {
    zfolder *f = &z->folders[i];
    free(f->name), free(f->desc), free(f->html_url), free(f->src_path), free(f->dir);
    for (size_t k = 0; k < f->ntr; k++) free(f->tr[k].locale), free(f->tr[k].title), free(f->tr[k].desc);
    free(f->tr);
  }
  free(z->folders);
  for (size_t i = 0; i < z->narts; i++) {
    zarticle *a = &z->arts[i];
    for (size_t k = 0; k < a->nlabels; k++) free(a->labels[k]);
    free(a->labels);
    free(a->source_locale);
    for (size_t k = 0; k < a->ntr; k++) {
      ztrans *t = &a->tr[k];
      free(t->locale), free(t->title), free(t->body), free(t->created), free(t->updated);
      free(t->html_url), free(t->src_path), free(t->rel);
    }
    free(a->tr);
  }
  free(z->arts);
  for (size_t i = 0; i < z->nlangs; i++) free(z->langs[i].locale), free(z->langs[i].code);
  free(z->langs);
  free(z->host);
  hg_strmap_free(&z->folder_ix);
  hg_strmap_free(&z->art_ix);
  hg_strmap_free(&z->taken);
}

typedef struct {
  zctx *z;
  size_t *art, *tr;    /* job i: article art[i], translation tr[i] */
  hg_import_report *r; /* per job */
  hg_error **err;      /* per job */
} jobs;

static void write_job(void *ctx, size_t i, int worker) {
  (void)worker;
  jobs *j = ctx;
  zarticle *a = &j->z->arts[j->art[i]];
  write_article(j->z, a, &a->tr[j->tr[i]], &j->r[i], &j->err[i]);
}

/* Every article in every language, on all cores; the notes are merged in
 * article order, so the report does not depend on the thread count. */
static bool write_articles(zctx *z, hg_error **err) {
  size_t n = 0;
  for (size_t i = 0; i < z->narts; i++)
    for (size_t k = 0; k < z->arts[i].ntr; k++) n += z->arts[i].tr[k].rel != NULL;
  jobs j = {z, hg_xcalloc(n + 1, sizeof(size_t)), hg_xcalloc(n + 1, sizeof(size_t)),
            hg_xcalloc(n + 1, sizeof(hg_import_report)), hg_xcalloc(n + 1, sizeof(hg_error *))};
  n = 0;
  for (size_t i = 0; i < z->narts; i++)
    for (size_t k = 0; k < z->arts[i].ntr; k++)
      if (z->arts[i].tr[k].rel) {
        j.art[n] = i;
        j.tr[n++] = k;
      }
  hg_parallel_for(n, hg_default_threads(), write_job, &j);
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    hg_import_report *r = &j.r[i];
    for (size_t k = 0; k < r->n; k++) {
      hg_import_note *x = &r->v[k];
      hg_import_note_add(z->r, x->path, x->line, x->todo, "%s", x->what);
    }
    z->r->articles += r->articles;
    z->r->files += r->files;
    hg_import_report_free(r);
    if (j.err[i] && ok && err) {
      ok = false;
      *err = j.err[i];
    } else {
      if (j.err[i]) ok = false;
      hg_error_free(j.err[i]);
    }
  }
  free(j.art);
  free(j.tr);
  free(j.r);
  free(j.err);
  return ok;
}

static int art_cmp(const void *x, const void *y) {
  const zarticle *a = x, *b = y;
  return (a->id > b->id) - (a->id < b->id);
}

bool hg_import_zendesk(const hg_import_opts *o, const char *dir, hg_import_report *r,
                       hg_error **err) {
  zctx z = {0};
  pthread_mutex_init(&z.lock, NULL);
  z.o = o;
  z.out = dir;
  z.r = r;
  bool ok = read_pages(&z, "categories", "categories", "name", false, add_category, err) &&
            read_pages(&z, "sections", "sections", "name", false, add_section, err) &&
            read_pages(&z, "articles", "articles", "body", true, add_article, err);
  /* articles in id order: the output does not depend on the page order */
  if (ok) {
    qsort(z.arts, z.narts, sizeof *z.arts, art_cmp);
    hg_strmap_free(&z.art_ix);
    for (size_t i = 0; i < z.narts; i++) {
      char k[32];
      snprintf(k, sizeof k, "%lld", z.arts[i].id);
      hg_strmap_put(&z.art_ix, k, (long)i);
    }
  }
  for (size_t i = 0; ok && i < z.narts; i++) ok = read_translations(&z, &z.arts[i], err);
  for (size_t i = 0; ok && i < z.nfolders; i++) read_folder_translations(&z, &z.folders[i]);
  if (ok) ok = pick_languages(&z, err);
  if (ok && !z.nlangs) {
    hg_error_set(err, 1, o->source, 0, 0, "the export holds no articles with a locale");
    ok = false;
  }
  if (ok) {
    r->languages = z.nlangs;
    for (size_t i = 0; i < z.nfolders; i++) place_folder(&z, i, 0);
    /* every article's file in each language, before any body is converted */
    for (size_t i = 0; i < z.narts; i++) {
      zarticle *a = &z.arts[i];
      a->folder = a->section_id >= 0 ? folder_find(&z, false, a->section_id) : -1;
      if (a->folder < 0)
        hg_import_note_add(r, a->tr[0].src_path, a->tr[0].src_line,
                           "move the file into a folder of its own",
                           "article %lld names section %lld, which is not in the export; "
                           "it sits at the top of the site", a->id, a->section_id);
      const char *fdir = a->folder >= 0 ? z.folders[a->folder].dir : "";
      for (size_t k = 0; k < a->ntr; k++) {
        ztrans *t = &a->tr[k];
        long l = lang_of(&z, t->locale);
        if (l < 0) {
          if (!*t->locale)
            hg_import_note_add(r, t->src_path, t->src_line, "give it its locale and import again",
                               "article %lld has no locale and was not imported", a->id);
          continue;
        }
        /* two entries of one locale: the first wins */
        bool dup = false;
        for (size_t j = 0; j < k; j++) dup |= a->tr[j].lang == (size_t)l;
        if (dup) continue;
        t->lang = (size_t)l;
        char *slug = slug_or(t->title, "article", a->id);
        /* one name space for all trees: a folder "x" and an article "x.md"
         * have one URL, and the trees share their folders */
        t->rel = unique_rel(&z, fdir, slug, ".md", a->id, "");
        free(slug);
      }
    }
    ok = write_config(&z, err) && write_folders(&z, err);
    if (ok) ok = write_articles(&z, err);
  }
  zctx_free(&z);
  pthread_mutex_destroy(&z.lock);
  return ok;
}
