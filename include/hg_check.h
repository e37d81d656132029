/* hg_check.h - `helpgen check`: reads a site like a build does (config,
 * theme, content, site model, Markdown) without writing anything, and
 * reports content problems, each with path:line:col and a rule name:
 * broken links and anchors, missing and oversized images, orphans,
 * duplicate titles and slugs, missing descriptions, overdue reviews, alias
 * collisions, plus everything the build itself would warn about. Reports
 * come as text, JSON (for scripts) or JUnit XML (for CI systems).
 *
 * Ownership: hg_check_run fills a report the caller frees with
 * hg_check_report_free; the format functions return new strings. */
#ifndef HG_CHECK_H
#define HG_CHECK_H

#include "hg_util.h"

typedef struct {
  const char *name;  /* "broken-link" */
  int sev;           /* HG_ERR, HG_WARN, or -1: as the build reports it */
  const char *about; /* one line for --help, the man page and docs */
} hg_check_rule;

/* Every rule, in report order (the JUnit suites follow it); ends with a
 * NULL name. */
extern const hg_check_rule hg_check_rules[];

typedef struct {
  const char *rule;  /* a name from hg_check_rules (static) */
  hg_severity sev;
  char *path;        /* may be NULL when the message carries its location */
  int line, col;     /* 0 when unknown */
  char *msg;
} hg_finding;

typedef struct {
  hg_finding *items; /* sorted by path, line, column, rule */
  size_t len, cap;
  size_t articles;   /* published articles checked */
  size_t errors, warnings;
  bool fatal;        /* config, theme or content/ could not be read: the
                        other rules did not run (exit code 2) */
  char today[11];    /* the date review_by was compared with */
} hg_check_report;

typedef struct {
  const char *site_dir;  /* default "." */
  const char *today;     /* "YYYY-MM-DD"; NULL: the local date */
  bool drafts;           /* check drafts as published articles */
  long max_image_kb;     /* images above this many kB (1000 bytes) are
                            reported; 0: `check: max_image_kb:` from
                            helpgen.yaml, else 500 */
  int threads;           /* 0: hg_default_threads() */
} hg_check_opts;

/* Runs every rule. hg_md_init() must have been called. Never fails: an
 * unreadable config, theme or content folder becomes a finding and sets
 * r->fatal. Returns false (with err, code 2) only for bad options (a
 * malformed `today`, a missing site folder). */
bool hg_check_run(const hg_check_opts *opts, hg_check_report *r, hg_error **err);
void hg_check_report_free(hg_check_report *r);

/* 0 clean, 1 errors (or warnings with strict), 2 fatal. */
int hg_check_exit_code(const hg_check_report *r, bool strict);

/* "path:line:col: error: message [rule]" lines, with ANSI colours when
 * `color`. No summary (see hg_check_summary). */
char *hg_check_format_text(const hg_check_report *r, bool color);
/* A JSON object: today, strict, summary {articles, errors, warnings,
 * passed} and findings [{path, line, column, severity, rule, message}]. */
char *hg_check_format_json(const hg_check_report *r, bool strict);
/* JUnit XML: one <testsuite> per rule, one <testcase> per finding (a rule
 * without findings gets one passing case). Errors, and warnings with
 * strict, are <failure>s; other warnings are passing cases with the
 * message in <system-out>. */
char *hg_check_format_junit(const hg_check_report *r, bool strict);
/* "helpgen check: 12 articles, 2 errors, 3 warnings" */
char *hg_check_summary(const hg_check_report *r);

/* Appends s to b escaped for XML text and attribute values: & < > " ' as
 * entities, tab/LF/CR as character references, and characters XML 1.0
 * forbids (other C0 controls, U+FFFE, U+FFFF) and DEL as U+FFFD. */

/* true if s is a valid date "YYYY-MM-DD". */
bool hg_check_date_ok(const char *s);

#endif
