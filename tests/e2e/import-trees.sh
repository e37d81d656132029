#!/bin/sh
# End-to-end tests for `helpgen import obsidian`, `docusaurus` and `mkdocs`:
# the hand-written sources in tests/fixtures/import/<kind>/ are imported, built with 0 errors and checked with 0 errors; what carries
# over is read in the written files, and every construct that does not is
# found in import-report.txt with its source line. When ../shared/corpora is
# there, its real sites are imported and built too (skipped when absent).
# Prints TAP-like lines and "N passed, M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG="$ROOT/helpgen"
CORPORA="$ROOT/../shared/corpora"

. "$ROOT/tests/e2e/lib.sh"
e2e_start import-trees

[ -x "$HG" ] || { echo "import-trees.sh: build ./helpgen first (make helpgen)" >&2; exit 2; }

# builds "$1" (a site) and checks it: 0 errors in both
builds_clean() {
  hg "$T/$2.build.log" build "$1" -o "$T/$2.out" --no-cache
  expect_rc "$2: the imported site builds" 0 "$RC" "$T/$2.build.log"
  lacks "$2: the build has 0 errors" "$T/$2.build.log" ": error:"
  hg "$T/$2.check.log" check "$1"
  expect_rc "$2: check finds no errors" 0 "$RC" "$T/$2.check.log"
  has "$2: check counts 0 errors" "$T/$2.check.log" " 0 errors"
}

# ---------------------------------------------------------------------------
section "obsidian"
FX="$ROOT/tests/fixtures/import/obsidian"
S="$T/obsidian"
hg "$T/obsidian.log" import obsidian "$FX" -o "$S"
expect_rc "import obsidian" 0 "$RC" "$T/obsidian.log"
has "the summary line counts notes, folder pages and attachments" "$T/obsidian.log" \
  "imported 4 articles, 1 folder and 1 file in 1 language"
builds_clean "$S" obsidian
C="$S/content"
R="$S/import-report.txt"
check "notes keep their folders and file names" test -f "$C/Guides/Install the app.md"
check "a note beside its folder is the folder's page" test -f "$C/Guides/_index.md"
check "the folder note is not also an article" test ! -e "$C/Guides.md"
check "attachments are copied" cmp "$FX/attachments/screenshot.png" "$C/attachments/screenshot.png"
check "a publish-excluded folder is left out" test ! -e "$C/templates"
check ".obsidian/ is not copied" test ! -e "$C/.obsidian"
check "a canvas is not copied" test ! -e "$C/Board.canvas"
has "aliases become search keywords" "$C/Guides/Install the app.md" \
  'keywords: ["Old install page", "Getting Started/Install"]'
lacks "no aliases: key (helpgen's are redirects)" "$C/Guides/Install the app.md" "aliases:"
has "publish: false is a draft" "$C/Guides/Draft plans.md" "draft: true"
has "a note without a heading is titled by its file name" "$C/Guides/Draft plans.md" 'title: "Draft plans"'
has "tags lose their #" "$C/Welcome.md" 'tags: ["start", "onboarding"]'
has "a wikilink to an alias now names the note" "$C/Welcome.md" "[[Install the app|Old install page]]"
has "a wikilink to a folder note links to the folder page" "$C/Welcome.md" "[Guides](<Guides/_index.md>)"
has "a Markdown link by note name links to the file" "$C/Welcome.md" \
  "[the install guide](<Guides/Install the app.md>)"
has "a wikilink to a renamed note follows it" "$C/Welcome.md" "[[search page|search]]"
has "wikilinks to notes stay wikilinks (the Markdown stage renders them)" "$C/Welcome.md" \
  "[[Install the app|the install guide]]"
has "a wikilink's heading loses its backticks (they would end the link)" "$C/Guides/Draft plans.md" \
  "[[Install the app#code heading|code heading]]"
has "code keeps its brackets (inline)" "$C/Welcome.md" '`[[Not a link]]`'
has "code keeps its brackets (fenced)" "$C/Welcome.md" '[[Also not a link]]'
has "raw HTML turns markdown.unsafe on" "$S/helpgen.yaml" "unsafe: true"
has "an attachment embed, found by name, is an image with its path" "$C/Welcome.md" "![](<attachments/screenshot.png>)"
has "an attachment embed from another folder" "$C/Guides/Install the app.md" "![](<../attachments/screenshot.png>)"
has "a wikilink to an attachment is a link to it" "$C/Guides/Install the app.md" "[the screenshot](<../attachments/screenshot.png>)"
has "report: an image width" "$R" "obsidian/Guides/Install the app.md:15: image width in ![[screenshot.png|200]] dropped"
has "strictLineBreaks off: a line followed by another keeps its break" "$C/Welcome.md" "the install guide]].  "
lacks "the last line of a paragraph gets no break" "$C/Welcome.md" "the install guide](<Guides/Install the app.md>).  "
for want in \
  "obsidian/.obsidian/app.json:2: strictLineBreaks is off: Obsidian shows every line break" \
  "obsidian/.obsidian/publish.json: '_templates' is excluded from publishing: its 1 note not imported" \
  "obsidian/Board.canvas: an Obsidian canvas, not imported" \
  "obsidian/Guides.md:2: 'cssclasses' (Obsidian CSS snippets) dropped" \
  "obsidian/Guides/Install the app.md:3: aliases (2) are now search keywords" \
  "obsidian/Guides/Install the app.md:11: ![[Guides]] embeds a folder's page" \
  "obsidian/Guides/Install the app.md:13: block reference [[Welcome#^intro]]" \
  "obsidian/Welcome.md:8: [[Old install page]] names an alias" \
  "obsidian/Welcome.md:10: [[Roadmap]] names no note of the vault" \
  "obsidian/Welcome.md:16: a 'tasks' plugin query: shown as code" \
  "obsidian/Welcome.md:29: raw HTML: kept" \
  "obsidian/search.md: a name helpgen keeps for itself: written as content/search page.md"; do
  has "report: $want" "$R" "$want"
done
lacks "code is not reported as a wikilink" "$R" "Not a link"
mkdir -p "$T/full" && echo x >"$T/full/x"
hg "$T/refuse.log" import obsidian "$FX" -o "$T/full"
expect_rc "a non-empty output folder is refused" 2 "$RC" "$T/refuse.log"
mkdir -p "$T/links/sub" && echo "# A" >"$T/links/A.md" && ln -s /etc "$T/links/outside" &&
  ln -s .. "$T/links/sub/loop" && ln -s nowhere.md "$T/links/dangling.md"
hg "$T/links.log" import obsidian "$T/links" -o "$T/links-out"
expect_rc "a vault with a link loop, a dangling link and a link outside imports" 0 "$RC" "$T/links.log"
has "report: the link loop (the build's walker)" "$T/links-out/import-report.txt" "links/sub/loop: symbolic link loop"
has "report: the link outside the vault" "$T/links-out/import-report.txt" "links/outside: symbolic link to '/etc', outside the folder"
has "report: the dangling link" "$T/links-out/import-report.txt" "links/dangling.md: dangling symbolic link"
check "nothing from outside the vault is copied" test ! -e "$T/links-out/content/outside"
mkdir -p "$T/empty-vault/.obsidian"
hg "$T/empty.log" import obsidian "$T/empty-vault" -o "$T/empty-out"
expect_rc "a vault without notes fails" 1 "$RC" "$T/empty.log"
has "and says why" "$T/empty.log" "no notes (.md files) found"
if [ -d "$CORPORA/obsidian" ]; then
  hg "$T/corpus-obsidian.log" import obsidian "$CORPORA/obsidian" -o "$T/corpus-obsidian"
  expect_rc "the obsidian corpus imports" 0 "$RC" "$T/corpus-obsidian.log"
  hg "$T/corpus-obsidian.build.log" build "$T/corpus-obsidian" -o "$T/corpus-obsidian.out" --no-cache --quiet
  expect_rc "the obsidian corpus builds" 0 "$RC" "$T/corpus-obsidian.build.log"
  lacks "the obsidian corpus builds with 0 errors" "$T/corpus-obsidian.build.log" ": error:"
else
  skip "no corpora at $CORPORA"
fi

# ---------------------------------------------------------------------------
section "docusaurus"
FX="$ROOT/tests/fixtures/import/docusaurus"
S="$T/docusaurus"
hg "$T/docusaurus.log" import docusaurus "$FX" -o "$S"
expect_rc "import docusaurus" 0 "$RC" "$T/docusaurus.log"
has "the summary line counts pages and category folders" "$T/docusaurus.log" \
  "imported 4 articles, 2 folders and 0 files in 1 language"
builds_clean "$S" docusaurus
C="$S/content"
R="$S/import-report.txt"
check ".mdx pages become .md" test -f "$C/guides/first-steps.md"
check "the current version only" test ! -e "$C/versioned_docs"
check "a partial is no page of its own" test ! -e "$C/guides/_shared"
has "the config's title is the site's" "$S/helpgen.yaml" 'title: "Example Docs"'
has "report: sidebars.js is not read" "$R" "docusaurus/sidebars.js: the sidebar file is JavaScript, not read"
has "_category_.json: label and position" "$C/guides/_index.md" 'title: "Guides"'
has "_category_.json: position as weight" "$C/guides/_index.md" "weight: 2"
has "_category_.json: the generated index's description" "$C/guides/_index.md" 'description: "Step by step."'
has "_category_.yml: label" "$C/setup/_index.md" 'title: "Setting up"'
has "sidebar_position is the weight" "$C/intro.md" "weight: 1"
has "id keeps the URL segment" "$C/intro.md" "slug: welcome"
has "slug keeps the URL segment" "$C/setup/install.md" "slug: installing"
has "no title: sidebar_label is not needed when there is a heading" "$C/guides/first-steps.md" "# Your first steps"
has "a symbolic link checked out as text is read as its target" "$C/setup/steps-link.md" "# Your first steps"
has "<Tabs>/<TabItem> become === tabs" "$C/intro.md" '=== "macOS"'
has "a tab's body is indented under it" "$C/intro.md" "    Press **Ctrl+C**."
lacks "no <TabItem> is left" "$C/intro.md" "TabItem>"
has "admonitions stay" "$C/intro.md" ":::tip A title"
has "<details><summary> becomes a foldable :::details block" "$C/setup/install.md" ":::details Older systems"
lacks "no <details> tag is left" "$C/setup/install.md" "<details>"
has "the folded block renders as <details>" "$T/docusaurus.out/setup/installing/index.html" "<details"
has "a partial used as a component is included in place" "$C/intro.md" "A partial: its text appears"
has "a link to a file follows it (.mdx -> .md)" "$C/intro.md" "[first steps](guides/first-steps.md)"
has "a link by the Docusaurus URL (with baseUrl) is the file" "$C/intro.md" "[the same by URL](setup/install.md#requirements)"
has "a link to no page keeps its text" "$C/intro.md" "An old page is not here."
has "an inline component keeps its children" "$C/intro.md" "Docusaurus green is a component."
lacks "multi-line props are gone" "$C/intro.md" "const a = 1;"
lacks "MDX comments are gone" "$C/intro.md" "an MDX comment"
has "code keeps its imports and tags" "$C/intro.md" "<NotAComponent />"
for want in \
  "docusaurus/docs/intro.md:8: MDX import removed: 'import Tabs from '@theme/Tabs';'" \
  "docusaurus/docs/intro.md:13: link to './gone.md', which is no page of the current docs" \
  "docusaurus/docs/intro.md:30: JSX component <Highlight> removed (its children kept)" \
  "docusaurus/docs/intro.md:32: JSX component <CodeSample /> removed" \
  "docusaurus/docs/intro.md:40: MDX export removed: 'export const year = 2024;'" \
  "docusaurus/versioned_docs/version-1.0: an older version (1 pages) not imported" \
  "docusaurus/docs/guides/_shared/_note.md: a partial"; do
  has "report: $want" "$R" "$want"
done
lacks "imports in code are not reported" "$R" "an-import-in-code"
has "the Docusaurus URL and redirects.json's redirects are aliases" "$C/intro.md" \
  'aliases: ["/docs/welcome/", "/docs/getting-started/"]'
has "a redirect with several old URLs" "$C/setup/install.md" \
  'aliases: ["/docs/setup/installing/", "/docs/old-install/", "/docs/setup/old/"]'
check "the old URL redirects in the build" test -f "$T/docusaurus.out/docs/getting-started/index.html"
has "report: a redirect to an older version's page" "$R" \
  "docusaurus/redirects.json:5: redirect from /docs/gone to /docs/1.0/intro, which is no page of the current docs"
has "a link to a heading the page lacks keeps its text" "$C/setup/install.md" "Jump to the options, which"
has "a link to a heading the page has stays" "$C/setup/install.md" "[the requirements](#requirements)"
has "a link to a heading another page lacks goes to the page" "$C/setup/install.md" "[the welcome tips](../intro.md)."
has "report: the missing heading, with its line" "$R" "docusaurus/docs/setup/install.md:10: link to '#options-android-only': this page has no such heading"
has "report: the other page's missing heading" "$R" "docusaurus/docs/setup/install.md:11: link to '#no-such-heading': intro.md has no such heading"
cp -r "$FX" "$T/dsrc" && ln -s ../guides/first-steps.mdx "$T/dsrc/docs/setup/real-link.md" &&
  ln -s /etc/hostname "$T/dsrc/docs/setup/out.md"
hg "$T/dlink.log" import docusaurus "$T/dsrc" -o "$T/dlink"
expect_rc "a real symbolic link inside the site" 0 "$RC" "$T/dlink.log"
has "is read as a file where the link is" "$T/dlink/content/setup/real-link.md" "# Your first steps"
check "a link leading out of the site is not followed" test ! -e "$T/dlink/content/setup/out.md"
has "and is reported" "$T/dlink/import-report.txt" "setup/out.md: symbolic link to"
if [ -d "$CORPORA/docusaurus" ]; then
  hg "$T/corpus-docusaurus.log" import docusaurus "$CORPORA/docusaurus" -o "$T/corpus-docusaurus"
  expect_rc "the docusaurus corpus imports" 0 "$RC" "$T/corpus-docusaurus.log"
  hg "$T/corpus-docusaurus.build.log" build "$T/corpus-docusaurus" -o "$T/corpus-docusaurus.out" --no-cache --quiet
  expect_rc "the docusaurus corpus builds" 0 "$RC" "$T/corpus-docusaurus.build.log"
  lacks "the docusaurus corpus builds with 0 errors" "$T/corpus-docusaurus.build.log" ": error:"
  hg "$T/corpus-docusaurus.check.log" check "$T/corpus-docusaurus"
  expect_rc "check finds no errors in the docusaurus corpus" 0 "$RC" "$T/corpus-docusaurus.check.log"
fi

# ---------------------------------------------------------------------------
section "mkdocs"
FX="$ROOT/tests/fixtures/import/mkdocs"
S="$T/mkdocs"
hg "$T/mkdocs.log" import mkdocs "$FX" -o "$S"
expect_rc "import mkdocs (mkdocs.yml has !ENV and !!python/name: tags)" 0 "$RC" "$T/mkdocs.log"
has "the summary line counts pages and folder pages" "$T/mkdocs.log" \
  "imported 5 articles, 3 folders and 0 files in 1 language"
builds_clean "$S" mkdocs
C="$S/content"
R="$S/import-report.txt"
has "site_name is the title" "$S/helpgen.yaml" 'title: "Example Help"'
check "index.md is the home page" test -f "$C/_index.md"
check "a folder's index.md is its page" test -f "$C/guide/_index.md"
check "a page outside the nav is imported too" test -f "$C/blog/news.md"
has "the nav section titles the folder" "$C/guide/_index.md" 'title: "Guide"'
has "nav order is the weight" "$C/guide/start.md" "weight: 30"
has "nav order is the weight (a bare path)" "$C/guide/advanced.md" "weight: 40"
has "a page outside the nav goes last" "$C/blog/news.md" "weight: 100000"
has "a nav section of one folder without an index.md titles the folder" "$C/recipes/_index.md" 'title: "Recipes"'
has "report: a nav section of the docs root" "$R" "mkdocs/mkdocs.yml:28: nav section 'Extras' has no index page of its folder"
has "front matter is kept" "$C/guide/start.md" '"icon": "material/rocket"'
has "date.created is the date" "$C/guide/advanced.md" "date: 2024-03-01"
has "categories are tags" "$C/guide/advanced.md" 'tags: ["Power users"]'
has "tabs stay as written" "$C/guide/start.md" '=== "Windows"'
has "admonitions stay as written" "$C/_index.md" '!!! note "Admonitions stay"'
has "a link to index.md follows it to _index.md" "$C/guide/start.md" "[guide](_index.md)"
has "a link to a folder's index.md from the home page" "$C/_index.md" "[guide](guide/_index.md)"
has "auto_append's link definitions are appended" "$C/_index.md" "[site]: https://example.org/"
has "a heading's attribute list is removed" "$C/guide/start.md" "## First run"
lacks "no attribute list is left" "$C/guide/start.md" "{ #getting-going }"
has "a link to a custom heading id takes helpgen's id" "$C/guide/advanced.md" "[the first run](start.md#first-run)"
has "a link to a heading that is not there keeps its text" "$C/guide/advanced.md" "or nowhere."
lacks "snippet lines are removed" "$C/guide/start.md" "--8<--"
for want in \
  "mkdocs/mkdocs.yml:24: nav link to https://example.org/code (an external page) not carried over" \
  "mkdocs/mkdocs.yml:25: nav entry 'guide/missing.md' names no page of the docs" \
  "mkdocs/docs/guide/start.md:22: snippet '--8<-- \"includes/warning.md\"' removed" \
  "mkdocs/docs/guide/start.md:20: 1 '<!-- md:... -->' comment shortcode" \
  "mkdocs/docs/guide/start.md:20: 1 icon shortcode" \
  "mkdocs/docs/guide/advanced.md:11: link to '#no-such-heading': this page has no such heading" \
  "mkdocs/docs/blog/.meta.yml: front matter for a whole folder (meta plugin) not applied"; do
  has "report: $want" "$R" "$want"
done
if [ -d "$CORPORA/mkdocs-material" ]; then
  hg "$T/corpus-mkdocs.log" import mkdocs "$CORPORA/mkdocs-material" -o "$T/corpus-mkdocs"
  expect_rc "the mkdocs-material corpus imports" 0 "$RC" "$T/corpus-mkdocs.log"
  hg "$T/corpus-mkdocs.build.log" build "$T/corpus-mkdocs" -o "$T/corpus-mkdocs.out" --no-cache --quiet
  expect_rc "the mkdocs-material corpus builds" 0 "$RC" "$T/corpus-mkdocs.build.log"
  lacks "the mkdocs-material corpus builds with 0 errors" "$T/corpus-mkdocs.build.log" ": error:"
fi

summary
