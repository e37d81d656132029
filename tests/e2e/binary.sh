#!/bin/sh
# End-to-end test of the single binary: helpgen copied alone into an empty
# folder (no themes/ beside it, no $HELPGEN_THEMES) and run from another
# folder builds examples/store, byte for byte as the theme files on disk
# build it; a site's own themes/default/ file overrides the built-in one file
# by file; `helpgen theme export` writes out exactly themes/default/ and never
# overwrites without --force; `helpgen theme list` says where each file comes
# from; an unknown theme names every place tried. HELPGEN=path picks the
# binary (default ./helpgen). Prints TAP-like lines and "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
. "$ROOT/tests/e2e/lib.sh"
e2e_start binary

mkdir -p "$T/bin" "$T/elsewhere"
cp "$HG" "$T/bin/helpgen" || exit 2
HG="$T/bin/helpgen"
unset HELPGEN_THEMES
cp -R "$ROOT/examples/store" "$T/site"
S="$T/site"
cd "$T/elsewhere" || exit 2

section "the copied binary builds a site"
hg "$T/build.log" build "$S" -o "$T/out" --no-cache
expect_rc "build with the copied binary" 0 "$RC" "$T/build.log"
check "it wrote the home page" test -s "$T/out/index.html"
check "it wrote the stylesheet" sh -c 'ls "$1"/assets/style.*.css' sh "$T/out"
has "the Czech theme strings came along" "$T/out/cs/index.html" 'lang="cs"'
lacks "no theme-not-found message" "$T/build.log" "not found"
HELPGEN_THEMES="$ROOT/themes" "$HG" build "$S" -o "$T/disk" --no-cache --quiet >"$T/disk.log" 2>&1
expect_rc "build with the theme files on disk" 0 "$?" "$T/disk.log"
if diff -r "$T/out" "$T/disk" >"$T/diff.log" 2>&1; then ok "built-in theme = themes/ on disk, byte for byte"
else not_ok "built-in theme = themes/ on disk, byte for byte" "$T/diff.log"; fi

section "a site's own theme file overrides the built-in one"
mkdir -p "$S/themes/default/partials"
{ printf '{{%%AUTOESCAPE context="HTML"}}\n'; printf '<footer class="mine">SITE-OWN-FOOTER</footer>\n'; } \
  >"$S/themes/default/partials/footer.tpl"
hg "$T/over.log" build "$S" -o "$T/over" --no-cache --quiet
expect_rc "build with one overridden partial" 0 "$RC" "$T/over.log"
has "the site's footer is used" "$T/over/index.html" "SITE-OWN-FOOTER"
has "the other built-in templates still apply" "$T/over/index.html" 'class="hg-header'
hg "$T/list.log" theme list "$S"
expect_rc "theme list" 0 "$RC" "$T/list.log"
check "theme list: the override is the site's" grep -qE '^partials/footer.tpl +[0-9]+  site \(overrides built-in\)' "$T/list.log"
check "theme list: the others are built in" grep -qE '^article.tpl +[0-9]+  built-in' "$T/list.log"
rm -rf "$S/themes"

section "theme export"
hg "$T/exp.log" theme export "$T/exported"
expect_rc "theme export" 0 "$RC" "$T/exp.log"
if diff -r "$ROOT/themes/default" "$T/exported" >"$T/expdiff.log" 2>&1; then ok "export = themes/default/"
else not_ok "export = themes/default/" "$T/expdiff.log"; fi
echo "changed" >"$T/exported/home.tpl"
hg "$T/exp2.log" theme export "$T/exported"
expect_rc "export over existing files refused" 1 "$RC" "$T/exp2.log"
has "the refusal says what to do" "$T/exp2.log" "--force"
check "nothing was overwritten" grep -qx changed "$T/exported/home.tpl"
hg "$T/exp3.log" theme export "$T/exported" --force
expect_rc "export --force" 0 "$RC" "$T/exp3.log"
check "--force restored the file" cmp -s "$ROOT/themes/default/home.tpl" "$T/exported/home.tpl"
mkdir -p "$S/themes"
cp -R "$T/exported" "$S/themes/default"
hg "$T/expbuild.log" build "$S" -o "$T/expout" --no-cache --quiet
expect_rc "a site with the exported theme builds" 0 "$RC" "$T/expbuild.log"
if diff -r "$T/out" "$T/expout" >"$T/diff2.log" 2>&1; then ok "the exported theme builds the same site"
else not_ok "the exported theme builds the same site" "$T/diff2.log"; fi
rm -rf "$S/themes"

section "an unknown theme names every place tried"
printf 'theme: nosuch\n' >>"$S/helpgen.yaml"
hg "$T/nf.log" build "$S" -o "$T/nf" --no-cache
expect_rc "unknown theme" 2 "$RC" "$T/nf.log"
has "names the built-in themes" "$T/nf.log" "the themes built into helpgen"
has "names themes/ beside the binary" "$T/nf.log" "$T/bin/themes/nosuch/"
has "names the share folder" "$T/nf.log" "/share/helpgen/themes/nosuch/"
has "names the site's own folder" "$T/nf.log" "$S/themes/nosuch/"
has "names the config line" "$T/nf.log" "helpgen.yaml:$(grep -c "" "$S/helpgen.yaml"):8: "

summary
