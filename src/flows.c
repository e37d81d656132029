/* flows.c - self-service flows: flows/NAME.yaml checked and rendered as one
 * static page per step and outcome, plus the JSON the widget steps through. */
#include "hg_flows.h"
#include "hg_walk.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hg_i18n.h"
#include "hg_markdown.h"
#include "hg_value.h"

static const char *const kind_keys[] = {"next", "answer", "article", "contact"};
static const char *const flow_keys[] = {"title", "slug", "description", "weight", "lang",
                                        "start", "steps", NULL};
static const char *const option_keys[] = {"label", "next", "answer", "article", "contact", NULL};

static bool in_list(const char *const *list, const char *s) {
  for (size_t i = 0; list[i]; i++)
    if (!strcmp(list[i], s)) return true;
  return false;
}

static char *display_path(const char *p) {
  while (p[0] == '.' && p[1] == '/') p += 2;
  return hg_xstrdup(p);
}

/* The column of the first non-blank character on 1-based `line` of text
 * (where a block-style mapping key starts), or 1. */
static int key_col(const char *text, size_t len, int line) {
  const char *p = text, *end = text + len;
  for (int l = 1; l < line && p < end; p++)
    if (*p == '\n') l++;
  int col = 1;
  while (p < end && (*p == ' ' || *p == '\t')) p++, col++;
  if (p < end && *p == '-') { /* "- label: x": the key after the dash */
    p++, col++;
    while (p < end && *p == ' ') p++, col++;
  }
  return col;
}

/* The character at 1-based line/col of text, or 0. */
static char char_at(const char *text, size_t len, int line, int col) {
  const char *p = text, *end = text + len;
  for (int l = 1; l < line && p < end; p++)
    if (*p == '\n') l++;
  for (int c = 1; c < col && p < end && *p != '\n'; p++) c++;
  return p < end ? *p : 0;
}

/* A name usable as a URL segment: what hg_slugify keeps unchanged. */
static bool is_slug(const char *s) {
  char *g = hg_slugify(s);
  bool ok = *s && !strcmp(g, s);
  free(g);
  return ok;
}

static void step_free(hg_flow_step *st) {
  for (size_t k = 0; k < st->noptions; k++) {
    free(st->options[k].label);
    free(st->options[k].target);
    free(st->options[k].name);
  }
  free(st->options);
  free(st->name);
  free(st->question);
}

static void flow_free(hg_flow *fl) {
  for (size_t i = 0; i < fl->nsteps; i++) step_free(&fl->steps[i]);
  free(fl->steps);
  free(fl->path);
  free(fl->file);
  free(fl->title);
  free(fl->slug);
  free(fl->description);
  free(fl->url_dir);
  free(fl->start_name);
}

void hg_flows_free(hg_flows *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) flow_free(&f->flows[i]);
  free(f->flows);
  hg_strmap_free(&f->skipped);
  free(f);
}

/* ---- reading one file --------------------------------------------------- */
typedef struct {
  const char *path, *text;
  size_t len;
  hg_diags *diags;
  size_t errors;
} reader;

static void rerr(reader *r, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void rerr(reader *r, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hg_diags_vadd(r->diags, HG_ERR, r->path, line, col, fmt, ap);
  va_end(ap);
  r->errors++;
}

/* A required or optional string value; an error (and NULL) when it is there
 * but not a string. */
static const char *str_value(reader *r, const hg_value *map, const char *key, const char *what) {
  hg_value *v = hg_value_get(map, key);
  if (!v || v->type == HG_V_NULL) return NULL;
  const char *s = hg_value_str(v);
  if (!s) {
    rerr(r, v->line, v->col, "%s'%s' should be a string, found a %s", what, key,
         hg_value_type_name(v->type));
    return NULL;
  }
  return s;
}

static void read_option(reader *r, hg_flow_step *st, const hg_value *ov, size_t index) {
  hg_flow_option *o = &st->options[st->noptions++];
  o->line = ov->line;
  o->col = ov->col;
  o->step = o->art = -1;
  if (ov->type != HG_V_MAP) {
    o->label = hg_strdup_printf("%zu", index + 1);
    rerr(r, ov->line, ov->col,
         "step '%s': option %zu should be a mapping (label and one of next, answer, article or "
         "contact), found a %s", st->name, index + 1, hg_value_type_name(ov->type));
    return;
  }
  /* the option's position is its first key, after the "- " */
  o->col = key_col(r->text, r->len, ov->line);
  const char *label = str_value(r, ov, "label", "option: ");
  if (!label || !*label) {
    o->label = hg_strdup_printf("%zu", index + 1);
    if (!hg_value_get(ov, "label"))
      rerr(r, o->line, o->col, "step '%s': option %zu has no 'label' (the text of the choice)",
           st->name, index + 1);
  } else {
    o->label = hg_xstrdup(label);
  }
  for (size_t i = 0; i < ov->len; i++)
    if (!in_list(option_keys, ov->keys[i]))
      hg_diags_add(r->diags, HG_WARN, r->path, ov->key_lines[i], key_col(r->text, r->len, ov->key_lines[i]),
                   "unknown key '%s' in option '%s' (ignored; check its spelling)", ov->keys[i],
                   o->label);
  const hg_value *found = NULL;
  const char *found_key = NULL;
  for (size_t i = 0; i < ov->len; i++) {
    size_t k;
    for (k = 0; k < 4 && strcmp(ov->keys[i], kind_keys[k]); k++) {}
    if (k == 4) continue;
    hg_value *v = ov->items[i];
    if (found) {
      rerr(r, v->line, v->col,
           "option '%s' has both %s and %s: give it only one of next, answer, article or contact",
           o->label, found_key, kind_keys[k]);
      return;
    }
    found = v;
    found_key = kind_keys[k];
    o->kind = (hg_flow_kind)k;
    o->tline = v->line;
    o->tcol = v->col;
  }
  if (!found) {
    rerr(r, o->line, o->col,
         "option '%s' leads nowhere: give it one of next, answer, article or contact", o->label);
    return;
  }
  if (o->kind == HG_FLOW_CONTACT) {
    if (found->type != HG_V_BOOL || !found->b)
      rerr(r, found->line, found->col,
           "option '%s': contact should be true (the option shows the contact block)", o->label);
    return;
  }
  const char *s = hg_value_str(found);
  if (!s || !*s || found->type == HG_V_BOOL) {
    rerr(r, found->line, found->col, "option '%s': %s should be %s", o->label, found_key,
         o->kind == HG_FLOW_NEXT      ? "the name of a step of this flow"
         : o->kind == HG_FLOW_ANSWER ? "the answer in Markdown"
                                     : "the path of an article (PATH.md, relative to content/)");
    return;
  }
  o->target = hg_xstrdup(s);
  if (o->kind == HG_FLOW_ANSWER) {
    /* "answer: |" starts on the next line; a plain or quoted one on this line */
    char c = char_at(r->text, r->len, found->line, found->col);
    o->md_offset = c == '|' || c == '>' ? found->line : found->line - 1;
  }
}

static void read_step(reader *r, hg_flow *fl, const char *name, int key_line, const hg_value *sv) {
  hg_flow_step *st = &fl->steps[fl->nsteps++];
  st->name = hg_xstrdup(name);
  st->line = key_line;
  st->col = key_col(r->text, r->len, key_line);
  st->parent = st->parent_opt = -1;
  for (size_t i = 0; i + 1 < fl->nsteps; i++)
    if (!strcmp(fl->steps[i].name, name))
      rerr(r, st->line, st->col, "step '%s' is defined twice (first on line %d)", name,
           fl->steps[i].line);
  if (!is_slug(name)) {
    char *g = hg_slugify(name);
    rerr(r, st->line, st->col,
         "step name '%s' is part of its page's URL: use lowercase letters, digits and '-' "
         "(e.g. '%s')", name, *g ? g : "step-1");
    free(g);
  }
  if (!sv || sv->type != HG_V_MAP) {
    rerr(r, st->line, st->col, "step '%s' should be a mapping (question and options), found %s",
         name, sv ? hg_value_type_name(sv->type) : "nothing");
    return;
  }
  for (size_t i = 0; i < sv->len; i++)
    if (strcmp(sv->keys[i], "question") && strcmp(sv->keys[i], "options"))
      hg_diags_add(r->diags, HG_WARN, r->path, sv->key_lines[i],
                   key_col(r->text, r->len, sv->key_lines[i]),
                   "unknown key '%s' in step '%s' (ignored; a step has a question and options)",
                   sv->keys[i], name);
  const char *q = str_value(r, sv, "question", "");
  if (q && *q) st->question = hg_xstrdup(q);
  else if (!hg_value_get(sv, "question"))
    rerr(r, st->line, st->col, "step '%s' has no 'question'", name);
  hg_value *opts = hg_value_get(sv, "options");
  if (!opts || opts->type != HG_V_LIST || opts->len == 0) {
    if (opts && opts->type != HG_V_LIST && opts->type != HG_V_NULL)
      rerr(r, opts->line, opts->col, "step '%s': 'options' should be a list, found a %s", name,
           hg_value_type_name(opts->type));
    else
      rerr(r, st->line, st->col, "step '%s' has no 'options' (a list of choices)", name);
    return;
  }
  st->options = hg_xcalloc(opts->len, sizeof *st->options);
  for (size_t i = 0; i < opts->len; i++) read_option(r, st, opts->items[i], i);
}

/* The flow's language: `lang`, else the site's default language. */
static const char *default_lang(const hg_site *s) {
  const hg_config *cfg = s->cfg;
  return cfg->nlanguages ? cfg->languages[0].code : cfg->language;
}

static bool known_lang(const hg_site *s, const char *code) {
  const hg_config *cfg = s->cfg;
  if (!cfg->nlanguages) return !strcmp(code, cfg->language);
  for (size_t i = 0; i < cfg->nlanguages; i++)
    if (!strcmp(cfg->languages[i].code, code)) return true;
  return false;
}

static const char *site_lang(const hg_site *s) {
  return s->lang ? s->lang : default_lang(s);
}

static bool default_tree(const hg_site *s) {
  return !s->langs || s->lang_index == 0;
}

void hg_flows_add(hg_flows *f, const char *path, const char *file, const char *text,
                  size_t len, hg_diags *diags) {
  const hg_site *s = f->site;
  hg_error *err = NULL;
  hg_value *root = hg_yaml_parse(text, len, path, 0, &err);
  /* a file another language tree reads reports its problems there */
  hg_diags local = {0};
  reader r = {path, text, len, &local, 0};
  if (!root) {
    if (err) {
      hg_diags_add_error(&local, HG_ERR, err);
      hg_error_free(err);
    } else {
      hg_diags_add(&local, HG_ERR, path, 1, 1,
                   "the flow file is empty (it needs title, start and steps)");
    }
    r.errors++;
  } else if (root->type != HG_V_MAP) {
    rerr(&r, root->line, root->col,
         "a flow should be a mapping (title, slug, start, steps), found a %s",
         hg_value_type_name(root->type));
  }
  if (r.errors) {
    hg_strmap_put(&f->skipped, file, 1);
    if (default_tree(s)) hg_diags_move(diags, &local);
    hg_diags_free(&local);
    hg_value_free(root);
    return;
  }
  hg_value *lv = hg_value_get(root, "lang");
  const char *lang = hg_value_str(lv);
  if (lang && !known_lang(s, lang)) {
    if (default_tree(s))
      hg_diags_add(diags, HG_WARN, path, lv->line, lv->col,
                   "lang '%s' is not one of the site's languages: the flow is left out", lang);
    hg_strmap_put(&f->skipped, file, 2);
    hg_value_free(root);
    hg_diags_free(&local);
    return;
  }
  if (strcmp(lang ? lang : default_lang(s), site_lang(s))) {
    hg_strmap_put(&f->skipped, file, 2);
    hg_value_free(root);
    hg_diags_free(&local);
    return;
  }
  r.diags = diags;
  f->flows = hg_xrealloc(f->flows, (f->n + 1) * sizeof *f->flows);
  hg_flow *fl = &f->flows[f->n++];
  memset(fl, 0, sizeof *fl);
  fl->path = hg_xstrdup(path);
  fl->file = hg_xstrdup(file);
  for (size_t i = 0; i < root->len; i++)
    if (!in_list(flow_keys, root->keys[i]))
      hg_diags_add(diags, HG_WARN, path, root->key_lines[i], 1,
                   "unknown key '%s' (ignored; a flow has title, slug, description, weight, "
                   "lang, start and steps)", root->keys[i]);
  const char *title = str_value(&r, root, "title", "");
  if (title && *title) fl->title = hg_xstrdup(title);
  else if (!hg_value_get(root, "title")) rerr(&r, 1, 1, "the flow has no 'title'");
  const char *desc = str_value(&r, root, "description", "");
  fl->description = hg_xstrdup(desc ? desc : "");
  hg_value *wv = hg_value_get(root, "weight");
  if (wv && wv->type == HG_V_INT) fl->weight = wv->i;
  else if (wv && wv->type != HG_V_NULL)
    rerr(&r, wv->line, wv->col, "'weight' should be a whole number, found a %s",
         hg_value_type_name(wv->type));

  hg_value *sv = hg_value_get(root, "slug");
  const char *slug = str_value(&r, root, "slug", "");
  fl->line_slug = fl->col_slug = 1;
  if (slug) {
    fl->line_slug = sv->line;
    fl->col_slug = sv->col;
    fl->slug = hg_xstrdup(slug);
  } else {
    const char *base = hg_path_basename(file);
    const char *dot = strrchr(base, '.');
    fl->slug = hg_xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
  }
  if (!is_slug(fl->slug)) {
    char *g = hg_slugify(fl->slug);
    rerr(&r, fl->line_slug, fl->col_slug,
         "slug '%s' is the flow's URL (flows/SLUG/): use lowercase letters, digits and '-' "
         "(e.g. '%s')", fl->slug, *g ? g : "my-flow");
    free(g);
  }
  hg_value *stv = hg_value_get(root, "start");
  const char *start = str_value(&r, root, "start", "");
  fl->line_start = fl->col_start = 1;
  if (start && *start) {
    fl->start_name = hg_xstrdup(start);
    fl->line_start = stv->line;
    fl->col_start = stv->col;
  } else if (!stv || stv->type == HG_V_NULL) {
    rerr(&r, 1, 1, "the flow has no 'start' (the name of its first step)");
  }

  hg_value *steps = hg_value_get(root, "steps");
  if (!steps || steps->type == HG_V_NULL) {
    rerr(&r, 1, 1, "the flow has no 'steps'");
  } else if (steps->type != HG_V_MAP || steps->len == 0) {
    rerr(&r, steps->line, steps->col,
         "'steps' should be a mapping of step names to steps (question, options), found %s",
         steps->type == HG_V_MAP ? "an empty one" : hg_value_type_name(steps->type));
  } else {
    fl->steps = hg_xcalloc(steps->len, sizeof *fl->steps);
    for (size_t i = 0; i < steps->len; i++)
      read_step(&r, fl, steps->keys[i], steps->key_lines[i], steps->items[i]);
  }
  fl->broken = r.errors > 0;
  hg_value_free(root);
}

/* ---- checks across steps and flows ---------------------------------------- */
static long find_step(const hg_flow *fl, const char *name) {
  for (size_t i = 0; i < fl->nsteps; i++)
    if (!strcmp(fl->steps[i].name, name)) return (long)i;
  return -1;
}

/* "a, b, c" */
static char *step_names(const hg_flow *fl) {
  hg_buf b = HG_BUF_INIT;
  for (size_t i = 0; i < fl->nsteps; i++) {
    if (i) hg_buf_puts(&b, ", ");
    hg_buf_puts(&b, fl->steps[i].name);
  }
  return hg_buf_steal(&b);
}

static void ferr(hg_flow *fl, hg_diags *d, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void ferr(hg_flow *fl, hg_diags *d, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  hg_diags_vadd(d, HG_ERR, fl->path, line, col, fmt, ap);
  va_end(ap);
  fl->broken = true;
}

static void check_targets(const hg_flows *f, hg_flow *fl, hg_diags *d) {
  const hg_site *s = f->site;
  char *names = step_names(fl);
  long st = find_step(fl, fl->start_name);
  if (st < 0)
    ferr(fl, d, fl->line_start, fl->col_start, "start: no step named '%s' (the steps are: %s)",
         fl->start_name, names);
  else
    fl->start = (size_t)st;
  bool has_contact = s->cfg->contact_email || s->cfg->contact_url || s->cfg->contact_phone;
  for (size_t i = 0; i < fl->nsteps; i++) {
    hg_flow_step *stp = &fl->steps[i];
    for (size_t k = 0; k < stp->noptions; k++) {
      hg_flow_option *o = &stp->options[k];
      if (!o->target && o->kind != HG_FLOW_CONTACT) continue; /* reported */
      if (o->kind == HG_FLOW_NEXT) {
        o->step = find_step(fl, o->target);
        if (o->step < 0)
          ferr(fl, d, o->tline, o->tcol,
               "option '%s': next: no step named '%s' in this flow (the steps are: %s)", o->label,
               o->target, names);
      } else if (o->kind == HG_FLOW_ARTICLE) {
        const char *t = o->target[0] == '/' ? o->target + 1 : o->target;
        char *rel = hg_path_normalize(t);
        long a = rel ? hg_strmap_get(&s->by_path, rel, -1) : -1;
        if (!rel)
          ferr(fl, d, o->tline, o->tcol, "option '%s': article '%s' leads outside content/",
               o->label, o->target);
        else if (!hg_str_has_suffix(rel, ".md") && !hg_str_has_suffix(rel, ".markdown"))
          ferr(fl, d, o->tline, o->tcol,
               "option '%s': article '%s' should be a Markdown file (PATH.md, relative to "
               "content/)", o->label, o->target);
        else if (a == HG_SITE_DRAFT)
          ferr(fl, d, o->tline, o->tcol,
               "option '%s': article '%s' is a draft, which is not published", o->label,
               o->target);
        else if (a == HG_SITE_FAILED)
          ferr(fl, d, o->tline, o->tcol,
               "option '%s': article '%s' has errors of its own (fix them first)", o->label,
               o->target);
        else if (a < 0)
          ferr(fl, d, o->tline, o->tcol,
               "option '%s': article '%s' not found (no file content/%s%s; the path is relative "
               "to content/)", o->label, o->target, s->content_sub ? s->content_sub : "", rel);
        o->art = a;
        free(rel);
      } else if (o->kind == HG_FLOW_CONTACT && !has_contact) {
        hg_diags_add(d, HG_WARN, fl->path, o->tline, o->tcol,
                     "option '%s': contact: true, but helpgen.yaml has no contact details "
                     "(contact.email, contact.url or contact.phone)", o->label);
      }
    }
  }
  free(names);
}

/* Depth-first over next: edges; a step reached again while it is still on
 * the path is a cycle, reported at the next: that closes it. */
static void check_cycles(hg_flow *fl, hg_diags *d) {
  size_t n = fl->nsteps;
  char *color = hg_xcalloc(n, 1); /* 0 new, 1 on the path, 2 done */
  size_t *stack = hg_xcalloc(n, sizeof *stack), *at = hg_xcalloc(n, sizeof *at);
  for (size_t r0 = 0; r0 < n; r0++) {
    size_t root = r0 == 0 ? fl->start : (r0 <= fl->start ? r0 - 1 : r0);
    if (color[root]) continue;
    size_t depth = 0;
    stack[depth] = root;
    at[depth++] = 0;
    color[root] = 1;
    while (depth) {
      size_t u = stack[depth - 1];
      hg_flow_step *st = &fl->steps[u];
      if (at[depth - 1] == st->noptions) {
        color[u] = 2;
        depth--;
        continue;
      }
      hg_flow_option *o = &st->options[at[depth - 1]++];
      if (o->kind != HG_FLOW_NEXT || o->step < 0) continue;
      size_t v = (size_t)o->step;
      if (color[v] == 0) {
        color[v] = 1;
        stack[depth] = v;
        at[depth++] = 0;
      } else if (color[v] == 1) {
        hg_buf b = HG_BUF_INIT;
        size_t from = 0;
        while (stack[from] != v) from++;
        for (size_t i = from; i < depth; i++) hg_buf_printf(&b, "%s → ", fl->steps[stack[i]].name);
        hg_buf_puts(&b, fl->steps[v].name);
        ferr(fl, d, o->tline, o->tcol,
             "option '%s': next: '%s' makes a cycle (%s); a flow must always move forward "
             "(every step has a \"start over\" link)", o->label, o->target, hg_buf_cstr(&b));
        hg_buf_free(&b);
      }
    }
  }
  free(color);
  free(stack);
  free(at);
}

/* Breadth-first from the start: reachable steps and the way back. */
static void check_reach(hg_flow *fl, hg_diags *d) {
  size_t n = fl->nsteps, *queue = hg_xcalloc(n, sizeof *queue), head = 0, tail = 0;
  fl->steps[fl->start].reachable = true;
  queue[tail++] = fl->start;
  while (head < tail) {
    size_t u = queue[head++];
    for (size_t k = 0; k < fl->steps[u].noptions; k++) {
      hg_flow_option *o = &fl->steps[u].options[k];
      if (o->kind != HG_FLOW_NEXT || o->step < 0 || fl->steps[o->step].reachable) continue;
      hg_flow_step *v = &fl->steps[o->step];
      v->reachable = true;
      v->parent = (long)u;
      v->parent_opt = (long)k;
      queue[tail++] = (size_t)o->step;
    }
  }
  for (size_t i = 0; i < n; i++)
    if (!fl->steps[i].reachable)
      hg_diags_add(d, HG_WARN, fl->path, fl->steps[i].line, fl->steps[i].col,
                   "step '%s' is never reached from the start step '%s' (no option leads to it)",
                   fl->steps[i].name, fl->steps[fl->start].name);
  free(queue);
}

/* The label as a short URL segment: apostrophes dropped ("don't" ->
 * "dont"), at most about 40 bytes, cut between words. */
static char *label_slug(const char *label) {
  hg_buf b = HG_BUF_INIT;
  for (const char *p = label; *p; p++) {
    if (*p == '\'') continue;
    if (!strncmp(p, "\xe2\x80\x99", 3)) { /* U+2019 */
      p += 2;
      continue;
    }
    hg_buf_putc(&b, *p);
  }
  char *s = hg_slugify(hg_buf_cstr(&b));
  hg_buf_free(&b);
  if (strlen(s) > 40) {
    char *cut = s + 40;
    while (cut > s && *cut != '-') cut--;
    if (cut == s) { /* one long word: cut where a UTF-8 character starts */
      cut = s + 40;
      while (cut > s && ((unsigned char)*cut & 0xC0) == 0x80) cut--;
    }
    *cut = '\0';
  }
  return s;
}

/* Outcome pages are named STEP-LABEL, unique among the flow's pages. */
static void name_outcomes(hg_flow *fl) {
  hg_strmap used = {0};
  for (size_t i = 0; i < fl->nsteps; i++) hg_strmap_put(&used, fl->steps[i].name, 1);
  for (size_t i = 0; i < fl->nsteps; i++)
    for (size_t k = 0; k < fl->steps[i].noptions; k++) {
      hg_flow_option *o = &fl->steps[i].options[k];
      if (o->kind == HG_FLOW_NEXT) continue;
      char *ls = label_slug(o->label);
      char *base = *ls ? hg_strdup_printf("%s-%s", fl->steps[i].name, ls)
                       : hg_strdup_printf("%s-option-%zu", fl->steps[i].name, k + 1);
      free(ls);
      char *name = hg_xstrdup(base);
      for (int n = 2; hg_strmap_get(&used, name, 0); n++) {
        free(name);
        name = hg_strdup_printf("%s-%d", base, n);
      }
      hg_strmap_put(&used, name, 1);
      o->name = name;
      free(base);
    }
  hg_strmap_free(&used);
}

static char *flow_url_dir(const hg_site *s, const char *slug) {
  return s->prefix && *s->prefix ? hg_strdup_printf("%s/flows/%s", s->prefix, slug)
                                 : hg_strdup_printf("flows/%s", slug);
}

/* The page of step i (-1 for an option's outcome `o`). */
static char *page_dir(const hg_flow *fl, long step, const hg_flow_option *o) {
  if (o) return hg_strdup_printf("%s/%s", fl->url_dir, o->name);
  if ((size_t)step == fl->start) return hg_xstrdup(fl->url_dir);
  return hg_strdup_printf("%s/%s", fl->url_dir, fl->steps[step].name);
}

static const hg_flow *flow_by_file(const hg_flows *f, const char *file) {
  for (size_t i = 0; i < f->n; i++)
    if (!strcmp(f->flows[i].file, file)) return &f->flows[i];
  return NULL;
}

/* A link to flow `file` (relative to flows/) from a page in page_dir, or
 * NULL with an error. */
static char *flow_link(const hg_flows *f, const char *file, const char *page_dir_,
                       const char *target, const char *path, int line, int col, hg_diags *d) {
  const hg_flow *fl = flow_by_file(f, file);
  if (fl) {
    char *root = hg_site_root_prefix(page_dir_);
    char *u = hg_site_link(f->site, root, fl->url_dir);
    free(root);
    return u;
  }
  long why = hg_strmap_get(&f->skipped, file, 0);
  if (why == 2)
    hg_diags_add(d, HG_ERR, path, line, col,
                 "link to flow '%s', which is in another language (its 'lang')", target);
  else if (why != 1)
    hg_diags_add(d, HG_ERR, path, line, col,
                 "link to missing flow '%s' (no file flows/%s; fix the path or remove the link)",
                 target, file);
  return NULL;
}

static bool is_flow_file(const char *p) {
  return hg_str_has_suffix(p, ".yaml") || hg_str_has_suffix(p, ".yml");
}

typedef struct {
  const hg_flows *f;
  const char *page_dir, *path;
} answer_ctx;

/* Links in answers: NAME.yaml is another flow (relative to flows/), the
 * rest is relative to content/ like article:. */
static char *answer_resolve(void *ctx, const char *target, int kind, int line, int col,
                            hg_diags *diags) {
  answer_ctx *a = ctx;
  if (kind == HG_LINK_LINK && is_flow_file(target)) {
    char *rel = hg_path_normalize(target[0] == '/' ? target + 1 : target);
    char *u = NULL;
    if (!rel)
      hg_diags_add(diags, HG_ERR, a->path, line, col, "link to '%s' leads outside flows/", target);
    else
      u = flow_link(a->f, rel, a->page_dir, target, a->path, line, col, diags);
    free(rel);
    return u;
  }
  return hg_site_resolve(a->f->site, -1, "", a->page_dir, target, kind == HG_LINK_IMAGE,
                         a->path, line, col, diags);
}

/* The answer of option o as HTML for a page in dir; problems go to d. */
static char *render_answer(const hg_flows *f, const hg_flow *fl, const hg_flow_option *o,
                           const char *dir, hg_diags *d) {
  answer_ctx ac = {f, dir, fl->path};
  hg_md_opts mo = {.path = fl->path, .line_offset = o->md_offset,
                   .unsafe = f->site->cfg->markdown_unsafe, .resolve = answer_resolve,
                   .resolve_ctx = &ac};
  hg_md_result res = {0};
  hg_md_render(o->target, strlen(o->target), &mo, &res, d);
  char *html = res.html ? hg_xstrdup(res.html) : hg_xstrdup("");
  hg_md_result_free(&res);
  return html;
}

static int cmp_flow(const void *a, const void *b) {
  const hg_flow *x = a, *y = b;
  if (x->weight != y->weight) return x->weight < y->weight ? -1 : 1;
  return strcmp(x->file, y->file);
}

void hg_flows_check(hg_flows *f, hg_diags *diags) {
  /* slugs */
  for (size_t i = 0; i < f->n; i++)
    for (size_t j = 0; j < i; j++)
      if (!strcmp(f->flows[i].slug, f->flows[j].slug)) {
        ferr(&f->flows[i], diags, f->flows[i].line_slug, f->flows[i].col_slug,
             "slug '%s' is already used by %s (each flow needs its own slug: it is the "
             "flow's URL)", f->flows[i].slug, f->flows[j].path);
        break;
      }
  /* a flow with errors is still checked as far as it can be, so that one
   * build reports all of its problems */
  for (size_t i = 0; i < f->n; i++) {
    hg_flow *fl = &f->flows[i];
    fl->url_dir = flow_url_dir(f->site, fl->slug);
    if (!fl->nsteps || !fl->start_name) {
      fl->broken = true;
      continue;
    }
    check_targets(f, fl, diags);
    if (find_step(fl, fl->start_name) < 0) continue;
    check_cycles(fl, diags);
    check_reach(fl, diags);
    name_outcomes(fl);
  }
  /* answers' Markdown, once, to report its problems */
  for (size_t i = 0; i < f->n; i++) {
    hg_flow *fl = &f->flows[i];
    if (fl->broken) continue;
    size_t before = hg_diags_count(diags, HG_ERR);
    for (size_t s = 0; s < fl->nsteps; s++)
      for (size_t k = 0; k < fl->steps[s].noptions; k++) {
        const hg_flow_option *o = &fl->steps[s].options[k];
        if (o->kind != HG_FLOW_ANSWER) continue;
        char *dir = page_dir(fl, (long)s, o);
        free(render_answer(f, fl, o, dir, diags));
        free(dir);
      }
    if (hg_diags_count(diags, HG_ERR) > before) fl->broken = true;
  }
  size_t w = 0;
  for (size_t i = 0; i < f->n; i++) {
    if (f->flows[i].broken) {
      hg_strmap_put(&f->skipped, f->flows[i].file, 1);
      flow_free(&f->flows[i]);
      continue;
    }
    f->flows[w++] = f->flows[i];
  }
  f->n = w;
  if (f->n) qsort(f->flows, f->n, sizeof *f->flows, cmp_flow);
}

/* ---- loading -------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

hg_flows *hg_flows_load(const hg_site *site, hg_diags *diags) {
  hg_flows *f = hg_xcalloc(1, sizeof *f);
  f->site = site;
  char *dir = hg_path_join(site->cfg->site_dir, "flows");
  char **files = NULL;
  size_t n = 0;
  if (hg_is_dir(dir)) /* links may not leave the site (problems are errors) */
    hg_walk_files(dir, site->cfg->site_dir, "the site folder",
                  site->cfg->follow_outside_links, &files, &n,
                  default_tree(site) ? diags : NULL, NULL);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    if (is_flow_file(files[i])) files[kept++] = files[i];
    else free(files[i]);
  }
  n = kept;
  if (n) qsort(files, n, sizeof *files, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char *full = hg_path_join(dir, files[i]);
    char *shown = display_path(full);
    hg_error *err = NULL;
    size_t len = 0;
    char *text = hg_read_file(full, &len, &err);
    if (!text) {
      if (default_tree(site)) hg_diags_add(diags, HG_ERR, shown, 0, 0, "%s", err->text);
      hg_strmap_put(&f->skipped, files[i], 1);
      hg_error_free(err);
    } else {
      hg_flows_add(f, shown, files[i], text, len, diags);
    }
    free(text);
    free(shown);
    free(full);
    free(files[i]);
  }
  free(files);
  free(dir);
  hg_flows_check(f, diags);
  return f;
}

/* ---- links from articles --------------------------------------------------- */
char *hg_flows_resolve(const hg_flows *f, const char *from_dir, const char *page_dir_,
                       const char *target, const char *path, int line, int col,
                       hg_diags *diags, bool *handled) {
  *handled = false;
  if (!f || !is_flow_file(target)) return NULL;
  const hg_site *s = f->site;
  /* the target as a path from the site folder */
  char *content = hg_strdup_printf("content/%s", s->content_sub ? s->content_sub : "");
  char *dir = hg_path_join(content, from_dir);
  char *joined = target[0] == '/' ? hg_path_join(content, target + 1) : hg_path_join(dir, target);
  char *rel = hg_path_normalize(joined);
  char *u = NULL;
  if (rel && hg_str_has_prefix(rel, "flows/")) {
    *handled = true;
    u = flow_link(f, rel + strlen("flows/"), page_dir_, target, path, line, col, diags);
  }
  free(rel);
  free(joined);
  free(dir);
  free(content);
  return u;
}

void hg_flows_fill_list(const hg_flows *f, hg_dict *d, const char *root) {
  if (!f || !f->n) return;
  hg_dict *has = hg_dict_add_section(d, "HAS_FLOWS");
  for (size_t i = 0; i < f->n; i++) {
    const hg_flow *fl = &f->flows[i];
    hg_dict *it = hg_dict_add_section(has, "FLOWS");
    hg_dict_set(it, "FLOW_TITLE", fl->title);
    char *u = hg_site_link(f->site, root, fl->url_dir);
    hg_dict_set(it, "FLOW_URL", u);
    free(u);
    hg_dict_set(it, "FLOW_DESCRIPTION", fl->description);
    if (*fl->description) hg_dict_show(it, "HAS_FLOW_DESCRIPTION");
  }
}

/* ---- rendering ----------------------------------------------------------- */
size_t hg_flows_page_count(const hg_flows *f) {
  size_t n = 0;
  for (size_t i = 0; f && i < f->n; i++)
    for (size_t s = 0; s < f->flows[i].nsteps; s++) {
      n++;
      for (size_t k = 0; k < f->flows[i].steps[s].noptions; k++)
        if (f->flows[i].steps[s].options[k].kind != HG_FLOW_NEXT) n++;
    }
  return n;
}

char **hg_flows_page_dirs(const hg_flows *f, size_t *n) {
  size_t total = hg_flows_page_count(f);
  char **v = hg_xcalloc(total ? total : 1, sizeof *v);
  *n = 0;
  for (size_t i = 0; f && i < f->n; i++) {
    const hg_flow *fl = &f->flows[i];
    for (size_t s = 0; s < fl->nsteps; s++) {
      v[(*n)++] = page_dir(fl, (long)s, NULL);
      for (size_t k = 0; k < fl->steps[s].noptions; k++)
        if (fl->steps[s].options[k].kind != HG_FLOW_NEXT)
          v[(*n)++] = page_dir(fl, (long)s, &fl->steps[s].options[k]);
    }
  }
  return v;
}

/* Theme strings of the flow pages, with English defaults for themes whose
 * language files do not have them yet. */
static const char *const strings[][2] = {
    {"flow_start_over", "Start over"},
    {"flow_your_answers", "Your answers"},
    {"flow_read_article", "Read the article"},
    {"flow_article_intro", "This article answers it:"},
    {"flow_contact_intro", "This one needs a person: our support team will help you."},
    {"flow_choose", "Choose the answer that fits best."},
};
enum { S_START_OVER, S_YOUR_ANSWERS, S_READ_ARTICLE, S_ARTICLE_INTRO, S_CONTACT, S_CHOOSE, S_N };

typedef struct {
  const hg_flows *f;
  const hg_flow *fl;
  const char *t[S_N];
  const char *home;
  const char *json;  /* the flow's widget data, a <script> element */
  long step;         /* the page's step, or the step of its option */
  const hg_flow_option *opt; /* NULL on a step page */
  const char *dir;   /* the page's url_dir */
} page_ctx;

static const char *outcome_type(hg_flow_kind k) {
  return k == HG_FLOW_ANSWER ? "answer" : k == HG_FLOW_ARTICLE ? "article" : "contact";
}

static const char *option_to(const hg_flow *fl, const hg_flow_option *o) {
  return o->kind == HG_FLOW_NEXT ? fl->steps[o->step].name : o->name;
}

/* The flow as JSON for the widget, every URL relative to the flow's start
 * page (the widget resolves them against it). */
static char *flow_json(const hg_flows *f, const hg_flow *fl, const page_ctx *pc) {
  const hg_site *s = f->site;
  char *root = hg_site_root_prefix(fl->url_dir);
  json_t *nodes = json_object();
  for (size_t i = 0; i < fl->nsteps; i++) {
    const hg_flow_step *st = &fl->steps[i];
    json_t *opts = json_array();
    for (size_t k = 0; k < st->noptions; k++)
      json_array_append_new(opts, json_pack("{s:s,s:s}", "label", st->options[k].label, "to",
                                            option_to(fl, &st->options[k])));
    char *dir = page_dir(fl, (long)i, NULL);
    char *u = hg_site_link(s, root, dir);
    json_object_set_new(nodes, st->name,
                        json_pack("{s:s,s:s,s:s,s:o}", "type", "question", "url", u, "question",
                                  st->question, "options", opts));
    free(u);
    free(dir);
    for (size_t k = 0; k < st->noptions; k++) {
      const hg_flow_option *o = &st->options[k];
      if (o->kind == HG_FLOW_NEXT) continue;
      dir = page_dir(fl, (long)i, o);
      u = hg_site_link(s, root, dir);
      json_t *n = json_pack("{s:s,s:s,s:s,s:s}", "type", outcome_type(o->kind), "url", u,
                            "label", o->label, "step", st->name);
      if (o->kind == HG_FLOW_ANSWER) {
        hg_diags quiet = {0};
        char *html = render_answer(f, fl, o, fl->url_dir, &quiet);
        hg_diags_free(&quiet);
        json_object_set_new(n, "html", json_string(html));
        free(html);
      } else if (o->kind == HG_FLOW_ARTICLE) {
        const hg_article *a = &s->content->articles[s->arts[o->art].article];
        char *href = hg_site_link(s, root, s->arts[o->art].url_dir);
        json_object_set_new(n, "title", json_string(a->title));
        json_object_set_new(n, "description", json_string(a->description ? a->description : ""));
        json_object_set_new(n, "href", json_string(href));
        free(href);
      }
      json_object_set_new(nodes, o->name, n);
      free(u);
      free(dir);
    }
  }
  json_t *strs = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "startOver", pc->t[S_START_OVER],
                           "yourAnswers", pc->t[S_YOUR_ANSWERS], "readArticle",
                           pc->t[S_READ_ARTICLE], "articleIntro", pc->t[S_ARTICLE_INTRO],
                           "contact", pc->t[S_CONTACT], "choose", pc->t[S_CHOOSE]);
  json_t *v = json_pack("{s:s,s:s,s:s,s:o,s:o}", "slug", fl->slug, "title", fl->title, "start",
                        fl->steps[fl->start].name, "strings", strs, "nodes", nodes);
  char *js = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(v);
  free(root);
  hg_buf b = HG_BUF_INIT;
  hg_buf_puts(&b, "<script type=\"application/json\" class=\"hg-flow-data\">");
  for (const char *q = js; q && *q; q++) {
    if (*q == '<') hg_buf_puts(&b, "\\u003c");
    else if (*q == '>') hg_buf_puts(&b, "\\u003e");
    else if (*q == '&') hg_buf_puts(&b, "\\u0026");
    else hg_buf_putc(&b, *q);
  }
  hg_buf_puts(&b, "</script>");
  free(js);
  return hg_buf_steal(&b);
}

static void set_link(hg_dict *d, const char *key, const page_ctx *pc, const char *root,
                     const char *dir) {
  char *u = hg_site_link(pc->f->site, root, dir);
  hg_dict_set(d, key, u);
  free(u);
}

/* The answers so far: the steps from the start to step `s`, each with the
 * option chosen there. */
static void fill_trail(hg_dict *d, const page_ctx *pc, const char *root, long s,
                       long chosen) {
  const hg_flow *fl = pc->fl;
  long chain[256], n = 0;
  for (long c = s; c >= 0 && n < 256; c = fl->steps[c].parent) chain[n++] = c;
  if (!fl->steps[s].reachable || (n == 1 && chosen < 0)) return;
  hg_dict *has = hg_dict_add_section(d, "HAS_TRAIL");
  while (n-- > 0) {
    long c = chain[n];
    long k = n ? fl->steps[chain[n - 1]].parent_opt : chosen;
    if (k < 0) break;
    hg_dict *it = hg_dict_add_section(has, "TRAIL");
    hg_dict_set(it, "TRAIL_QUESTION", fl->steps[c].question);
    hg_dict_set(it, "TRAIL_CHOICE", fl->steps[c].options[k].label);
    hg_dict_set(it, "TRAIL_STEP", fl->steps[c].name);
    hg_dict_set_int(it, "TRAIL_OPTION", k);
    char *dir = page_dir(fl, c, NULL);
    set_link(it, "TRAIL_URL", pc, root, dir);
    free(dir);
  }
}

static void fill_page(void *ctx, hg_dict *d, const char *root) {
  const page_ctx *pc = ctx;
  const hg_flow *fl = pc->fl;
  const hg_site *s = pc->f->site;
  const hg_flow_step *st = &fl->steps[pc->step];
  const hg_flow_option *o = pc->opt;
  bool start = !o && (size_t)pc->step == fl->start;
  for (size_t i = 0; i < S_N; i++) {
    char key[64];
    size_t n = 0;
    key[n++] = 'T', key[n++] = '_';
    for (const char *q = strings[i][0]; *q && n < sizeof key - 1; q++)
      key[n++] = (char)toupper((unsigned char)*q);
    key[n] = '\0';
    hg_dict_set(d, key, pc->t[i]);
  }
  hg_dict_set(d, "FLOW_TITLE", fl->title);
  hg_dict_set(d, "FLOW_SLUG", fl->slug);
  if (*fl->description) {
    hg_dict_show(d, "HAS_FLOW_DESCRIPTION");
    hg_dict_set(d, "FLOW_DESCRIPTION", fl->description);
  }
  set_link(d, "START_URL", pc, root, fl->url_dir);
  hg_dict_set(d, "FLOW_NODE", o ? o->name : st->name);
  hg_dict_set(d, "FLOW_JSON", pc->json);
  /* breadcrumbs: home > the flow (on later pages) > this page */
  hg_dict_show(d, "HAS_BREADCRUMBS");
  hg_dict *c = hg_dict_add_section(d, "BREADCRUMBS");
  hg_dict_set(c, "CRUMB_TITLE", pc->home);
  set_link(c, "CRUMB_URL", pc, root, s->prefix ? s->prefix : "");
  if (!start) {
    c = hg_dict_add_section(d, "BREADCRUMBS");
    hg_dict_set(c, "CRUMB_TITLE", fl->title);
    set_link(c, "CRUMB_URL", pc, root, fl->url_dir);
    hg_dict_show(d, "NOT_START");
  }
  hg_dict_set(d, "CRUMB_CURRENT", start ? fl->title : o ? o->label : st->question);
  fill_trail(d, pc, root, pc->step, o ? (long)(o - st->options) : -1);
  if (!o) {
    hg_dict *q = hg_dict_add_section(d, "IS_QUESTION");
    hg_dict_set(q, "QUESTION", st->question);
    for (size_t k = 0; k < st->noptions; k++) {
      const hg_flow_option *op = &st->options[k];
      hg_dict *it = hg_dict_add_section(q, "OPTIONS");
      hg_dict_set(it, "OPTION_LABEL", op->label);
      hg_dict_set(it, "OPTION_TO", option_to(fl, op));
      hg_dict_set(it, "OPTION_KIND", op->kind == HG_FLOW_NEXT ? "next" : outcome_type(op->kind));
      char *dir = op->kind == HG_FLOW_NEXT ? page_dir(fl, op->step, NULL)
                                           : page_dir(fl, pc->step, op);
      set_link(it, "OPTION_URL", pc, root, dir);
      free(dir);
    }
    return;
  }
  hg_dict_set(d, "CHOICE", o->label);
  hg_dict_set(d, "QUESTION", st->question);
  if (o->kind == HG_FLOW_ANSWER) {
    hg_diags quiet = {0};
    char *html = render_answer(pc->f, fl, o, pc->dir, &quiet);
    hg_diags_free(&quiet);
    hg_dict *a = hg_dict_add_section(d, "IS_ANSWER");
    hg_dict_set(a, "ANSWER_HTML", html);
    free(html);
  } else if (o->kind == HG_FLOW_ARTICLE) {
    const hg_article *a = &s->content->articles[s->arts[o->art].article];
    hg_dict *ad = hg_dict_add_section(d, "IS_ARTICLE");
    hg_dict_set(ad, "ARTICLE_TITLE", a->title);
    set_link(ad, "ARTICLE_URL", pc, root, s->arts[o->art].url_dir);
    if (a->description && *a->description) {
      hg_dict_show(ad, "HAS_ARTICLE_DESCRIPTION");
      hg_dict_set(ad, "ARTICLE_DESCRIPTION", a->description);
    }
  } else {
    hg_dict_show(d, "IS_CONTACT");
  }
}

typedef struct {
  hg_flow_page pub;
  size_t flow;
  long step;
  const hg_flow_option *opt; /* NULL on a step page */
} flow_page;

struct hg_flow_pages {
  const hg_flows *f;
  const char *t[S_N];
  const char *home;
  char **json; /* per flow */
  flow_page *items;
  size_t n;
};

static void add_page(hg_flow_pages *p, size_t flow, long step, const hg_flow_option *o) {
  const hg_flow *fl = &p->f->flows[flow];
  const hg_flow_step *st = &fl->steps[step];
  bool start = !o && (size_t)step == fl->start;
  flow_page *it = &p->items[p->n++];
  it->flow = flow;
  it->step = step;
  it->opt = o;
  it->pub.url_dir = page_dir(fl, step, o);
  it->pub.title = start ? hg_xstrdup(fl->title)
                        : hg_strdup_printf("%s – %s", o ? o->label : st->question, fl->title);
  it->pub.description = *fl->description ? fl->description : st->question;
}

hg_flow_pages *hg_flow_pages_new(const hg_flows *f, const hg_i18n *t) {
  hg_flow_pages *p = hg_xcalloc(1, sizeof *p);
  p->f = f;
  for (size_t i = 0; i < S_N; i++) {
    const char *v = t ? hg_i18n_get(t, strings[i][0]) : NULL;
    p->t[i] = v && strcmp(v, strings[i][0]) ? v : strings[i][1];
  }
  p->home = t ? hg_i18n_get(t, "home") : "Home";
  size_t total = hg_flows_page_count(f);
  p->items = hg_xcalloc(total ? total : 1, sizeof *p->items);
  p->json = hg_xcalloc(f && f->n ? f->n : 1, sizeof *p->json);
  for (size_t i = 0; f && i < f->n; i++) {
    const hg_flow *fl = &f->flows[i];
    page_ctx pc = {.f = f, .fl = fl, .home = p->home};
    memcpy(pc.t, p->t, sizeof pc.t);
    p->json[i] = flow_json(f, fl, &pc);
    for (size_t s = 0; s < fl->nsteps; s++) {
      add_page(p, i, (long)s, NULL);
      for (size_t k = 0; k < fl->steps[s].noptions; k++)
        if (fl->steps[s].options[k].kind != HG_FLOW_NEXT)
          add_page(p, i, (long)s, &fl->steps[s].options[k]);
    }
  }
  return p;
}

size_t hg_flow_pages_len(const hg_flow_pages *p) { return p ? p->n : 0; }

const hg_flow_page *hg_flow_pages_get(const hg_flow_pages *p, size_t i) {
  return &p->items[i].pub;
}

void hg_flow_pages_fill(const hg_flow_pages *p, size_t i, hg_dict *d, const char *root) {
  const flow_page *it = &p->items[i];
  page_ctx pc = {.f = p->f, .fl = &p->f->flows[it->flow], .home = p->home,
                 .json = p->json[it->flow], .step = it->step, .opt = it->opt,
                 .dir = it->pub.url_dir};
  memcpy(pc.t, p->t, sizeof pc.t);
  fill_page(&pc, d, root);
}

void hg_flow_pages_free(hg_flow_pages *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) {
    free(p->items[i].pub.url_dir);
    free(p->items[i].pub.title);
  }
  for (size_t i = 0; p->f && i < p->f->n; i++) free(p->json[i]);
  free(p->json);
  free(p->items);
  free(p);
}
