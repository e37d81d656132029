#!/bin/sh
# End-to-end test of `helpgen init` and a writer's first steps: a new site
# builds with --strict and passes `check --strict` at once (with --title,
# --lang for a language with and without built-in theme strings, --ci github
# and gitlab); its helpgen.yaml names every setting; it refuses a non-empty
# folder and bad options; an article made by `helpgen new` is a draft that
# does not fail check until it is published, and then check asks for its
# description and a link. HELPGEN=path picks the binary (default ./helpgen).
# Prints TAP-like lines and "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
. "$ROOT/tests/e2e/lib.sh"
e2e_start init

section "helpgen init: a site that builds and checks clean at once"
S="$T/my-help-center"
hg "$T/init.log" init "$S"
expect_rc "init" 0 "$RC" "$T/init.log"
has "init says what to do next" "$T/init.log" "next: cd $S && helpgen serve"
for f in helpgen.yaml .gitignore content/_index.md content/getting-started/_index.md \
  content/getting-started/basics/_index.md content/getting-started/basics/write-your-first-article.md \
  content/getting-started/faq.md flows/find-an-answer.yaml; do
  check "init wrote $f" test -s "$S/$f"
done
check "no CI file without --ci" test ! -e "$S/.github" -a ! -e "$S/.gitlab-ci.yml"
has "the title comes from the folder name" "$S/helpgen.yaml" 'title: "My help center"'
for key in title description language base_url theme brand contact nav footer markdown links feedback \
  popular llms search check languages hooks params; do
  check "helpgen.yaml lists '$key'" grep -qE "^#? ?$key:" "$S/helpgen.yaml"
done
has ".gitignore: the output" "$S/.gitignore" "/public/"
has ".gitignore: the cache" "$S/.gitignore" ".helpgen-cache/"
(cd "$S" && "$HG" build --strict) >"$T/build.log" 2>&1
expect_rc "build --strict in the new site" 0 "$?" "$T/build.log"
has "build: no warning" "$T/build.log" ", 0 warnings"
has "build: one category's pages, the article and the FAQ" "$T/build.log" "(2 articles, 1 language)"
check "the article page exists" test -s "$S/public/getting-started/basics/write-your-first-article/index.html"
check "the FAQ page exists" test -s "$S/public/getting-started/faq/index.html"
check "the flow page exists" test -s "$S/public/flows/find-an-answer/index.html"
(cd "$S" && "$HG" check --strict --format json -o "$T/check.json") >"$T/check.log" 2>&1
expect_rc "check --strict in the new site" 0 "$?" "$T/check.log"
check "check: no findings" grep -q '"findings": \[\]' "$T/check.json"

section "helpgen init refuses a non-empty folder"
cp "$S/helpgen.yaml" "$T/before.yaml"
hg "$T/again.log" init "$S"
expect_rc "init into a non-empty folder" 1 "$RC" "$T/again.log"
has "the refusal names the folder" "$T/again.log" "$S is not empty"
check "nothing was replaced" cmp -s "$T/before.yaml" "$S/helpgen.yaml"
mkdir -p "$T/gitonly/.git"
hg "$T/git.log" init "$T/gitonly" --title 'Acme "Help"'
expect_rc "init into a folder with only .git" 0 "$RC" "$T/git.log"
has "--title, quoted for YAML" "$T/gitonly/helpgen.yaml" 'title: "Acme \"Help\""'
hg "$T/badci.log" init "$T/x1" --ci jenkins
expect_rc "--ci jenkins" 2 "$RC" "$T/badci.log"
hg "$T/badlang.log" init "$T/x2" --lang 'e n'
expect_rc "--lang with a space" 2 "$RC" "$T/badlang.log"
check "a refused init writes nothing" test ! -e "$T/x1" -a ! -e "$T/x2"

section "--lang and --ci"
hg "$T/de.log" init "$T/de" --lang de --ci github
expect_rc "init --lang de --ci github" 0 "$RC" "$T/de.log"
has "language: de" "$T/de/helpgen.yaml" "language: de"
check "the GitHub workflow" test -s "$T/de/.github/workflows/helpgen.yml"
has "the workflow checks with --strict" "$T/de/.github/workflows/helpgen.yml" "helpgen check --strict"
check "German theme strings are built in: none written" test ! -e "$T/de/themes"
hg "$T/deb.log" build "$T/de" --strict
expect_rc "the German site builds with --strict" 0 "$RC" "$T/deb.log"
has "its pages are German" "$T/de/public/index.html" 'lang="de"'
hg "$T/xx.log" init "$T/kw" --lang kw --ci gitlab
expect_rc "init --lang kw (no built-in theme strings) --ci gitlab" 0 "$RC" "$T/xx.log"
check "the GitLab pipeline" test -s "$T/kw/.gitlab-ci.yml"
check "theme strings to translate" test -s "$T/kw/themes/default/i18n/kw.yaml"
hg "$T/kwb.log" build "$T/kw" --strict
expect_rc "the Cornish site builds with --strict" 0 "$RC" "$T/kwb.log"
hg "$T/kwc.log" check "$T/kw" --strict
expect_rc "and passes check --strict" 0 "$RC" "$T/kwc.log"

section "helpgen new article: a draft until published"
hg "$T/new.log" new article getting-started/basics/reset-password --site "$S"
expect_rc "new article" 0 "$RC" "$T/new.log"
has "new says it is a draft" "$T/new.log" "a draft"
A="$S/content/getting-started/basics/reset-password.md"
has "the to-do is in the front matter" "$A" "draft: true"
hg "$T/c1.log" check "$S" --strict
expect_rc "check --strict right after new article" 0 "$RC" "$T/c1.log"
hg "$T/b1.log" build "$S" --strict
expect_rc "build --strict right after new article" 0 "$RC" "$T/b1.log"
check "the draft is not published" test ! -e "$S/public/getting-started/basics/reset-password"
sed -i '/^draft: true/d' "$A"
hg "$T/c2.log" check "$S"
expect_rc "check once published, still untouched (warnings only)" 0 "$RC" "$T/c2.log"
has "published: check asks for the description" "$T/c2.log" "reset-password.md:1: warning: no description"
has "published: check asks for a link" "$T/c2.log" "[orphan]"
sed -i 's/^description: ""/description: "Reset a forgotten password."/' "$A"
printf '\nSee also [resetting a password](reset-password.md).\n' \
  >>"$S/content/getting-started/basics/write-your-first-article.md"
hg "$T/c3.log" check "$S" --strict
expect_rc "check --strict once filled in and linked" 0 "$RC" "$T/c3.log"

summary
