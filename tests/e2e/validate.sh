#!/bin/sh
# Validity of everything helpgen writes for machines and browsers:
#   1. every HTML page of examples/store, the user guide (content/), the XSS
#      fixture (tests/e2e/fixtures/xss, its worst article given a date so that
#      it reaches the feeds) and (when present) examples/multilingual passes html-validate
#      (npm) with tests/e2e/htmlvalidate.json;
#   2. sitemap.xml and every feed.xml are well-formed XML (xmllint --noout, or
#      Python's expat when xmllint is missing), and their structure holds
#      (tests/e2e/checkdata.mjs: sitemap URLs are real pages with that canonical
#      URL and list every article and flow page; Atom ids, titles, RFC 3339 dates, links);
#   3. every JSON-LD block of every page parses (JSON.parse) and holds what the
#      page is: Article, FAQPage with one Question per accordion, BreadcrumbList
#      with positions 1..n, WebSite with a SearchAction on the home page.
#
# htmlvalidate.json extends html-validate:recommended. JSON has no comments, so
# each rule it changes is explained here (the script checks that every rule
# named there has a "why" line below):
# why doctype-style: the templates write "<!doctype html>" in lower case, as the
#   WHATWG spec's own examples do; the rule is kept, set to "lowercase".
# why void-style: cmark-gfm writes void elements of Markdown as "<img ... />",
#   "<input ... />", "<br />" and the templates write "<img ...>"; both are
#   conforming HTML (the slash is ignored), so the mix is not an error.
# why attribute-boolean-style: cmark-gfm's task-list checkboxes are written
#   'checked="" disabled=""'; an empty value is a conforming boolean attribute.
# why valid-id: heading ids are GitHub-style slugs of the heading text, so they
#   can start with a digit ("1-create-the-site-folder") or be Thai or Czech
#   words; HTML allows any id without whitespace (the "relaxed" option).
# why long-title: <title> is "<page title> – <site title>", both written by the
#   site's authors; length is search-engine advice, not validity.
# why tel-non-breaking: the theme keeps phone numbers on one line with CSS
#   (.hg-tel { white-space: nowrap }) instead of &nbsp; in the text, so the
#   number reads and copies as written in helpgen.yaml; links with class hg-tel
#   are exempt, any other tel: link still needs non-breaking spaces.
#
# Needs ./helpgen (built here if missing) and node_modules (npm ci). Prints
# TAP-like lines and a last line "N passed, M failed"; exits 1 on a failure.
# Keeps its temporary folder with HG_E2E_KEEP=1.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-"$ROOT/helpgen"} # HELPGEN=path/to/helpgen tests another build
HV="$ROOT/node_modules/.bin/html-validate"
CONF="$ROOT/tests/e2e/htmlvalidate.json"
DATA="$ROOT/tests/e2e/checkdata.mjs"

. "$ROOT/tests/e2e/lib.sh"
e2e_start validate

if ! command -v node >/dev/null 2>&1; then echo "validate: node is missing (apt-get install nodejs npm)" >&2; exit 2; fi
if [ ! -x "$HV" ]; then echo "validate: $HV is missing: run npm ci" >&2; exit 2; fi
[ -x "$HG" ] || make -s helpgen || exit 2

section "the config explains every rule it changes"
missing=""
for r in $(node -e 'console.log(Object.keys(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).rules || {}).join(" "))' "$CONF"); do
  grep -q "^# why $r:" "$ROOT/tests/e2e/validate.sh" || missing="$missing $r"
done
if [ -z "$missing" ]; then ok "htmlvalidate.json: every changed rule has a reason in validate.sh"; else
  echo "rules without a '# why RULE:' line in tests/e2e/validate.sh:$missing" >"$T/why.log"
  not_ok "htmlvalidate.json: every changed rule has a reason in validate.sh" "$T/why.log"
fi

# XML well-formedness: xmllint when installed (libxml2-utils), else expat.
wellformed() {
  if command -v xmllint >/dev/null 2>&1; then xmllint --noout "$1"
  else python3 -c 'import sys, xml.parsers.expat as e; e.ParserCreate().ParseFile(open(sys.argv[1], "rb"))' "$1"; fi
}
command -v xmllint >/dev/null 2>&1 || echo "# xmllint missing (apt-get install libxml2-utils): using Python's expat"

# site NAME SRC FEEDS: build SRC, then validate it. FEEDS: 1 = it has a base_url,
# so sitemap.xml and feed.xml must exist (the root feed with entries).
site() {
  name=$1; src=$2; feeds=$3; out="$T/$name"
  section "$name ($src)"
  if ! "$HG" build "$src" -o "$out" --quiet >"$T/build.log" 2>&1; then not_ok "$name: builds" "$T/build.log"; return; fi
  find "$out" -name '*.html' | sort >"$T/pages"
  n=$(wc -l <"$T/pages")
  # one html-validate run per site (fast); the text report names file:line:col and rule
  if xargs "$HV" -c "$CONF" -f text <"$T/pages" >"$T/hv.log" 2>&1; then ok "$name: html-validate, $n pages"; else
    { echo "by rule:"; grep -o 'error \[[a-z0-9-]*\]' "$T/hv.log" | sort | uniq -c | sort -rn; sed "s|$out/||" "$T/hv.log"; } >"$T/hv.sum"
    not_ok "$name: html-validate, $n pages" "$T/hv.sum"
  fi
  if node "$DATA" jsonld "$out" >"$T/ld.log" 2>&1; then ok "$name: JSON-LD ($(cat "$T/ld.log"))"; else not_ok "$name: JSON-LD" "$T/ld.log"; fi
  xml=$(find "$out" -name '*.xml' | sort)
  if [ "$feeds" = 1 ]; then
    for f in sitemap.xml feed.xml; do
      [ -f "$out/$f" ] || { echo "no $f in $out" >"$T/x.log"; not_ok "$name: $f exists" "$T/x.log"; }
    done
  fi
  for f in $xml; do
    rel=${f#"$out"/}
    if ! wellformed "$f" >"$T/xml.log" 2>&1; then not_ok "$name: $rel is well-formed XML" "$T/xml.log"; continue; fi
    case $rel in
      sitemap.xml) args="sitemap $out" ;;
      feed.xml) args="feed $f $feeds" ;;
      */feed.xml) args="feed $f" ;;
      *) ok "$name: $rel is well-formed XML"; continue ;;
    esac
    # shellcheck disable=SC2086
    if node "$DATA" $args >"$T/data.log" 2>&1; then ok "$name: $rel well-formed, $(cat "$T/data.log")"; else not_ok "$name: $rel" "$T/data.log"; fi
  done
}

site store examples/store 1
site guide . 0
# the XSS fixture, with a date on its worst article so that its payloads reach the feeds too
cp -R tests/e2e/fixtures/xss "$T/xss-src"
sed -i '1a updated: 2026-01-02' "$T/xss-src/content/x-cat/x-sec/evil.md"
site xss "$T/xss-src" 1
if [ -f examples/multilingual/helpgen.yaml ]; then site multilingual examples/multilingual 1; fi

summary
