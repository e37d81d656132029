/* hg_scaffold.h - `helpgen new`: creates an article, FAQ page, category
 * (folder + _index.md) or flow from a scaffold template of the theme
 * (themes/<theme>/scaffold/<kind>.md, or flow.yaml), which a site overrides
 * under SITE/themes/<theme>/scaffold/. A language-specific template
 * <kind>.<lang>.md wins when --lang is given.
 *
 * Templates use {{TITLE}}, {{TITLE_YAML}} (the title as a double-quoted
 * YAML string), {{DATE}} (YYYY-MM-DD), {{SLUG}}, {{LANG}} and {{NAME}}
 * (the file or folder name without extension). A line holding a
 * placeholder whose value is empty is left out ("lang: {{LANG}}" without
 * --lang). Other {{...}} text is kept as it is.
 *
 * Ownership: every returned string is new; the caller frees it. */
#ifndef HG_SCAFFOLD_H
#define HG_SCAFFOLD_H

#include "hg_util.h"

typedef enum { HG_NEW_ARTICLE, HG_NEW_FAQ, HG_NEW_CATEGORY, HG_NEW_FLOW } hg_new_kind;

typedef struct {
  const char *site_dir; /* default "." */
  hg_new_kind kind;
  const char *path;     /* relative to SITE/content/ (SITE/flows/ for a
                           flow); ".md"/".yaml" is added when missing; a
                           leading "content/" ("flows/") is accepted */
  const char *title;    /* NULL: from the name ("track-order" -> "Track order") */
  const char *lang;     /* NULL: none */
  const char *date;     /* "YYYY-MM-DD"; NULL: today (local time) */
} hg_new_opts;

typedef enum { HG_CI_NONE, HG_CI_GITHUB, HG_CI_GITLAB } hg_init_ci;

typedef struct {
  const char *dir;   /* the new site's folder (created); default "." */
  const char *title; /* NULL: from the folder name */
  const char *lang;  /* NULL: "en" */
  hg_init_ci ci;
  const char *date;  /* "YYYY-MM-DD"; NULL: today */
} hg_init_opts;

/* `helpgen init`: writes a new site into o->dir from the built-in theme's
 * scaffold/init/ files (helpgen.yaml, content/, flows/, gitignore as
 * .gitignore, ci/github.yml as .github/workflows/helpgen.yml or ci/gitlab.yml
 * as .gitlab-ci.yml), filled like `new`'s templates. For a language without
 * built-in theme strings, themes/default/i18n/<lang>.yaml is written from the
 * English one, to translate. The folder must be new or empty (a .git in it is
 * fine): otherwise code 1, nothing written. Bad options are code 2. Returns
 * the number of files written, or -1. */
long hg_scaffold_init(const hg_init_opts *o, hg_error **err);

/* "article", "faq", "category", "flow". */
bool hg_new_kind_parse(const char *s, hg_new_kind *kind);

/* Creates the file and returns its path. Never overwrites: an existing file
 * is an error with code 1; a bad PATH, --lang or template is code 2. */
char *hg_scaffold_new(const hg_new_opts *opts, hg_error **err);

/* Replaces {{NAME}} placeholders in tpl from `vars` (name, value pairs
 * ending with NULL), dropping lines where a placeholder's value is empty. */
char *hg_scaffold_fill(const char *tpl, const char *const *vars);
/* s as a double-quoted YAML scalar ("a \"b\"\n" escaped). */
char *hg_scaffold_yaml_quote(const char *s);
/* "track-order" -> "Track order" (separators to spaces, first letter up). */
char *hg_scaffold_title_from_name(const char *name);

#endif
