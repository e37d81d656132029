#!/bin/sh
# End-to-end tests for `helpgen import zendesk`: the hand-written export in
# tests/fixtures/import/zendesk/ (two locales, nested sections, two pages of
# articles, translations, an attachment, a table, lists, code, callouts, an
# iframe, a script, a form) is imported, built with --strict and checked with
# `check --strict`; tests/e2e/importcompare.py compares every body with its
# page as parsed HTML (text, link targets, table cells, images) and finds each
# unconvertible construct in import-report.txt with its line. Then: old URLs
# redirect, front matter carries over, --lang, --format json, a non-empty
# output folder is refused, bad exports fail with path:line:col and leave the
# folder empty, the same export gives the same site twice.
# Everything is written under one mktemp folder in /tmp (removed at exit; kept
# with HG_E2E_KEEP=1). Prints TAP-like lines and a last line "N passed,
# M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG="$ROOT/helpgen"
PY=${PYTHON:-python3}
FX="$ROOT/tests/fixtures/import/zendesk"

. "$ROOT/tests/e2e/lib.sh"
e2e_start import

[ -x "$HG" ] || { echo "import.sh: build ./helpgen first (make helpgen)" >&2; exit 2; }

# ---------------------------------------------------------------------------
section "import, build, check"
S="$T/site"
hg "$T/import.log" import zendesk "$FX" -o "$S" --format json
expect_rc "import zendesk" 0 "$RC" "$T/import.log"
has "the summary line counts what was written" "$T/import.log" \
  "imported 9 articles, 5 folders and 2 files in 2 languages"
hg "$T/build.log" build "$S" -o "$T/out" --strict --no-cache
expect_rc "the imported site builds with --strict" 0 "$RC" "$T/build.log"
has "the build has 0 warnings" "$T/build.log" "8 articles, 2 languages"
has "the build has 0 warnings" "$T/build.log" ", 0 warnings"
hg "$T/hgcheck.log" check "$S" --strict
expect_rc "check --strict passes (no false findings)" 0 "$RC" "$T/hgcheck.log"
has "check finds 0 errors and 0 warnings" "$T/hgcheck.log" "0 errors, 0 warnings"
check "bodies and pages hold the same text, link targets, table cells and images; the report names every unconvertible construct with its line" \
  "$PY" "$ROOT/tests/e2e/importcompare.py" "$FX" "$S" "$T/out"

# ---------------------------------------------------------------------------
section "what carries over"
EN="$S/content/en/getting-started/first-steps/create-your-account.md"
for want in 'title: "Create your account"' 'weight: 0' 'tags: ["account", "sign up"]' \
  'promoted: true' 'date: 2024-01-15' 'updated: 2024-05-20' \
  'aliases: ["/hc/en-us/articles/1001-Create-your-account", "/hc/en-us/articles/1001"]' \
  'translation_key: "zendesk-1001"' \
  'description: "An account lets you order, track parcels and keep your invoices in one place."'; do
  has "front matter: $want" "$EN" "$want"
done
has "a draft stays a draft" "$S/content/en/billing/payments/upcoming-billing-changes.md" "draft: true"
has "a category keeps its position as weight" "$S/content/en/billing/_index.md" "weight: 1"
has "a category's translated title" "$S/content/de/getting-started/_index.md" 'title: "Erste Schritte"'
check "a nested section is a folder inside its parent section" \
  test -f "$S/content/de/getting-started/first-steps/troubleshooting/_index.md"
has "a German article has a German file name" \
  "$S/content/de/getting-started/first-steps/passwort-zurücksetzen.md" 'title: "Passwort zurücksetzen"'
check "the attachment is copied beside the article" \
  cmp "$FX/attachments/9001/sign-up form.png" "$S/content/en/getting-started/first-steps/9001-sign-up-form.png"
has "languages: the most common source locale first" "$S/helpgen.yaml" "- {code: en}   # Zendesk locale en-us"
has "an old article URL redirects to the new page" \
  "$T/out/hc/en-us/articles/1001-Create-your-account/index.html" "getting-started/first-steps/create-your-account/"
has "the short old URL (id only) redirects too" "$T/out/hc/en-us/articles/1003/index.html" \
  "fix-sign-in-problems/"
has "an old German URL (percent-encoded) redirects to the German page" \
  "$T/out/hc/de/articles/1002-Passwort-zurücksetzen/index.html" "passwort-zurücksetzen/"
has "callouts render as callouts" "$T/out/getting-started/first-steps/create-your-account/index.html" \
  'class="callout callout-note"'
has "alert-warning is a warning callout" "$T/out/getting-started/first-steps/reset-your-password/index.html" \
  'class="callout callout-warning"'
has "code keeps its language" "$T/out/getting-started/first-steps/reset-your-password/index.html" \
  'class="language-bash"'
has "the iframe became a link to what it showed" \
  "$T/out/getting-started/first-steps/troubleshooting/fix-sign-in-problems/index.html" \
  'href="https://www.youtube.com/embed/abc123XYZ"'
lacks "the script is not in the page" \
  "$T/out/getting-started/first-steps/troubleshooting/fix-sign-in-problems/index.html" "trackVideo"

# ---------------------------------------------------------------------------
section "the report"
R="$S/import-report.txt"
has "the report has a summary" "$R" "# helpgen import: 9 articles"
has "the script, by JSON line and body line" "$R" \
  "zendesk/articles.json:79: article 1003 (content/en/getting-started/first-steps/troubleshooting/fix-sign-in-problems.md), body line 4: a <script> dropped;"
has "the form on the second page of articles" "$R" "zendesk/articles-2.json:27: article 1004"
has "old folder URLs without a redirect are reported" "$R" \
  "zendesk/sections.json:29: the old section page https://example.zendesk.com/hc/en-us/sections/202-Troubleshooting has no redirect"
check "import-report.json holds the same notes" "$PY" -c '
import json, sys
j = json.load(open(sys.argv[1]))
text = [l for l in open(sys.argv[2]) if not l.startswith("#")]
assert j["summary"]["articles"] == 9, j["summary"]
assert len(j["notes"]) == len(text) == j["summary"]["notes"], (len(j["notes"]), len(text))
for n, l in zip(j["notes"], text):
    assert l.startswith("%s:%d: %s" % (n["path"], n["line"], n["what"])), (n, l)
    assert n["todo"] and n["todo"] in l, n
' "$S/import-report.json" "$R"

# ---------------------------------------------------------------------------
section "--lang, determinism"
hg "$T/de.log" import zendesk "$FX" -o "$T/de" --lang de
expect_rc "import --lang de" 0 "$RC" "$T/de.log"
check "--lang de keeps one tree" sh -c "test -d '$T/de/content/de' && ! test -e '$T/de/content/en'"
has "--lang: what was left out is reported" "$T/de/import-report.txt" "5 articles in en-us left out (--lang de)"
hg "$T/de-build.log" build "$T/de" -o "$T/de-out" --strict --no-cache
expect_rc "the one-language site builds with --strict" 0 "$RC" "$T/de-build.log"
hg "$T/en.log" import zendesk "$FX" -o "$T/en" --lang en
expect_rc "--lang en picks the one locale en-us" 0 "$RC" "$T/en.log"
check "--lang en keeps the en tree only" sh -c "test -d '$T/en/content/en' && ! test -e '$T/en/content/de'"
hg "$T/xx.log" import zendesk "$FX" -o "$T/xx" --lang fr
expect_rc "--lang with a locale the export lacks" 2 "$RC" "$T/xx.log"
has "--lang names the locales there are" "$T/xx.log" "(it has: en-us, de)"
hg "$T/raw.log" import zendesk "$FX" -o "$T/raw" --raw-html
expect_rc "import --raw-html" 0 "$RC" "$T/raw.log"
has "--raw-html turns raw HTML on" "$T/raw/helpgen.yaml" "unsafe: true"
hg "$T/raw-build.log" build "$T/raw" -o "$T/raw-out" --strict --no-cache
expect_rc "the --raw-html site builds with --strict" 0 "$RC" "$T/raw-build.log"
has "--raw-html keeps the iframe" "$T/raw-out/getting-started/first-steps/troubleshooting/fix-sign-in-problems/index.html" \
  '<iframe src="https://www.youtube.com/embed/abc123XYZ"'
has "--raw-html keeps the form with its fields" "$T/raw-out/billing/payments/pay-an-invoice/index.html" \
  '<form action="/pay"><input type="text" name="invoice"><button>Pay now</button></form>'
lacks "--raw-html still drops the script" "$T/raw-out/getting-started/first-steps/troubleshooting/fix-sign-in-problems/index.html" "trackVideo"
has "--raw-html: still reported" "$T/raw/import-report.txt" "body line 3: an <iframe> https://www.youtube.com/embed/abc123XYZ kept as raw HTML"
hg "$T/again.log" import zendesk "$FX" -o "$T/again" --format json
check "the same export gives the same site" diff -r "$S" "$T/again"

# ---------------------------------------------------------------------------
section "jekyll"
JX="$ROOT/tests/fixtures/import/jekyll"
J="$T/jekyll"
hg "$T/j.log" import jekyll "$JX" -o "$J"
expect_rc "import jekyll" 0 "$RC" "$T/j.log"
hg "$T/j-build.log" build "$J" -o "$T/j-out" --no-cache
expect_rc "the imported Jekyll site builds" 0 "$RC" "$T/j-build.log"
hg "$T/j-check.log" check "$J"
expect_rc "check: no errors" 0 "$RC" "$T/j-check.log"
has "check: 0 errors (the warnings are true: no descriptions, an orphan, {{ site.version }})" \
  "$T/j-check.log" "5 articles, 0 errors"
JD="$J/content/docs/install.md"
has "a collection folder loses its underscore" "$JD" 'title: "Install Acme"'
has "order -> weight" "$JD" "weight: 1"
has "nav_order -> weight" "$J/content/about.md" "weight: 2"
has "redirect_from, and a layout: redirect page, become aliases" "$JD" \
  'aliases: ["/old-install/", "/setup.html", "/moved.html"]'
has "permalink -> an alias" "$J/content/about.md" 'aliases: ["/company/about/"]'
has "a post: date from the file name, Jekyll's post URL as an alias, tags split" \
  "$J/content/posts/release.md" 'date: 2024-03-01'
has "a post's old URL" "$J/content/posts/release.md" 'aliases: ["/2024/03/01/release.html"]'
has "tags: a b -> a list" "$J/content/posts/release.md" 'tags: ["release", "news"]'
has "published: false -> draft" "$J/content/posts/upcoming.md" "draft: true"
has "index.md -> the folder intro" "$J/content/docs/_index.md" 'title: "Documentation"'
has "{{ site.baseurl }}/company/about/ -> the page's file" "$JD" "[download page](../about.md) and run it."
has "code stays as it was" "$JD" "{{ this stays }} {% as code %}"
has "a collection's permalink (_config.yml) resolves page-relative URLs" "$J/content/docs/guide.md" \
  "Start with [Install Acme](install.md) and the [guide folder page](guide.md)"
has "links to Markdown files follow them to their new names" "$J/content/docs/guide.md" \
  "read [about us](../about.md) and the [first post](../posts/release.md)."
has "a reference definition follows the file too" "$J/content/docs/guide.md" "[about]: ../about.md"
has "a link to a file that is not there keeps its text, without the link" "$J/content/docs/guide.md" \
  "Ask the team or read"
has "... and is reported" "$J/import-report.txt" \
  "jekyll/_docs/guide.md:6: a link to docs/pages/team.md, which is no page of this site: its text is kept"
check "assets are copied" cmp "$JX/images/logo.png" "$J/content/images/logo.png"
check "layouts, includes and _config.yml are not content" \
  sh -c "! ls -R '$J/content' | grep -q -e layouts -e includes -e _config"
check "old URLs redirect" test -f "$T/j-out/company/about/index.html" -a -f "$T/j-out/moved.html" \
  -a -f "$T/j-out/setup.html" -a -f "$T/j-out/2024/03/01/release.html"
JR="$J/import-report.txt"
has "kramdown IAL reported by line" "$JR" "jekyll/_docs/install.md:11: kramdown attribute list '{:target=\"_blank\"}' removed"
has "Liquid tag reported by line" "$JR" "jekyll/_docs/install.md:13: Liquid tag '{% include note.html"
has "Liquid variable reported by line" "$JR" "jekyll/_docs/install.md:21: Liquid output '{{ site.version }}' kept as text"
lacks "code is not reported" "$JR" "this stays"
has "a reserved name is renamed, and said so" "$JR" "jekyll/search.md: 'search' is a name helpgen keeps for itself: renamed search-page"
has "an HTML page is reported" "$JR" "jekyll/404.html: an HTML page or template, not imported"
has "a map in front matter is reported" "$JR" "front matter 'sidebar' (a map) dropped"

# ---------------------------------------------------------------------------
section "the corpora"
# (obsidian, docusaurus and mkdocs have their own fixtures and checks in
# tests/e2e/import-trees.sh)
CORP="$ROOT/../shared/corpora"
for kc in jekyll:jekyll/jekyll-docs jekyll:jekyll/just-the-docs obsidian:obsidian docusaurus:docusaurus \
  mkdocs:mkdocs-material; do
  k=${kc%%:*} c=${kc#*:}
  if [ -d "$CORP/$c" ]; then
    c=$(echo "$c" | tr / -)
    hg "$T/c-$c.log" import "$k" "$CORP/${kc#*:}" -o "$T/c-$c"
    expect_rc "corpus $c: imports" 0 "$RC" "$T/c-$c.log"
    hg "$T/c-$c-build.log" build "$T/c-$c" -o "$T/c-$c-out" --no-cache
    expect_rc "corpus $c: the imported site builds with 0 errors" 0 "$RC" "$T/c-$c-build.log"
  else
    skip "corpus $c: not in ../shared/corpora"
  fi
done

# ---------------------------------------------------------------------------
section "refusals and bad exports"
mkdir -p "$T/full" && echo keep >"$T/full/notes.txt"
hg "$T/full.log" import zendesk "$FX" -o "$T/full"
expect_rc "a non-empty output folder is refused" 2 "$RC" "$T/full.log"
has "the refusal says what to do" "$T/full.log" "give -o a new or empty folder"
check "the folder is as it was" sh -c "[ \"\$(ls -A '$T/full')\" = notes.txt ] && grep -qx keep '$T/full/notes.txt'"
mkdir -p "$T/badx" && cp "$FX/categories.json" "$FX/sections.json" "$T/badx/"
printf '{\n  "articles": [\n    {"id": 1, "title": "x",, }\n  ]\n}\n' >"$T/badx/articles.json"
hg "$T/bad.log" import zendesk "$T/badx" -o "$T/bad-out"
expect_rc "malformed JSON" 1 "$RC" "$T/bad.log"
has "malformed JSON: path:line:col" "$T/bad.log" "badx/articles.json:3:"
check "a failed import leaves the output folder empty" sh -c "[ -z \"\$(ls -A '$T/bad-out')\" ]"
check "and no temporary folder beside it" sh -c "! ls -A '$T' | grep -q helpgen-import"
rm "$T/badx/articles.json"
hg "$T/none.log" import zendesk "$T/badx" -o "$T/none-out"
expect_rc "no articles.json" 1 "$RC" "$T/none.log"
has "no articles.json: says what an export holds" "$T/none.log" "articles.json: error: no such file"
mkdir -p "$T/half" && cp -R "$FX/." "$T/half/" && rm "$T/half/articles-2.json"
hg "$T/half.log" import zendesk "$T/half" -o "$T/half-out"
expect_rc "an export missing a page still imports" 0 "$RC" "$T/half.log"
has "the missing page is reported" "$T/half-out/import-report.txt" \
  "articles.json: next_page is https://example.zendesk.com/api/v2/help_center/en-us/articles.json?page=2&per_page=3, but $T/half/articles-2.json is missing"
has "a link to an article that is not in the export is reported" "$T/half-out/import-report.txt" \
  "a link to article 1004, which is not in the export"
hg "$T/kind.log" import wordpress "$FX" -o "$T/kind-out"
expect_rc "an unknown kind" 2 "$RC" "$T/kind.log"

summary
