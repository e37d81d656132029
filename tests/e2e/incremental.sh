#!/bin/sh
# End-to-end tests of rebuilds and the build cache (SITE/.helpgen-cache/),
# on a copy of the user guide (content/) in a temporary folder:
#   - a rebuild with no change is skipped and leaves OUT exactly as it was;
#     touching a file without changing it does not count as a change;
#   - after an edit, a new file, a rename, a deletion, a theme override, a
#     config change or a flag change the result is byte-identical to a clean
#     build (--no-cache into a fresh folder);
#   - a file removed from or edited in OUT is noticed; a failed build does not
#     become the "last good build"; warnings are repeated on a skipped build
#     and --strict still fails on them; a corrupt or deleted cache only costs
#     a full build.
# Prints TAP-like lines and "N passed, M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
. "$ROOT/tests/e2e/lib.sh"
e2e_start incremental

S="$T/site"
mkdir -p "$S"
cp -R "$ROOT/content" "$ROOT/helpgen.yaml" "$S/"
OUT="$S/public"

# state: a listing of OUT with sizes, mtimes and inodes (a skipped build
# must not touch a single file)
state() { (cd "$OUT" && find . -printf '%p %s %T@ %i\n' | sort); }

# rebuild DESC WANT: builds; WANT is "built" or "up to date".
rebuild() {
  hg "$T/b.log" build "$S"
  if [ "$RC" = 0 ] && grep -q "$2" "$T/b.log"; then ok "$1: $2"
  else { echo "exit $RC, want 0 and '$2'"; cat "$T/b.log"; } >"$T/rb.log"; not_ok "$1: $2" "$T/rb.log"; fi
}

section "first build and no-change rebuilds"
rebuild "first build" "built"
[ -f "$S/.helpgen-cache/CACHEDIR.TAG" ] && ok "the cache folder is tagged (CACHEDIR.TAG)" ||
  not_ok "the cache folder is tagged (CACHEDIR.TAG)"
before=$(state)
rebuild "no change" "up to date"
[ "$(state)" = "$before" ] && ok "no change: not one file of OUT was touched" ||
  not_ok "no change: not one file of OUT was touched"
touch "$S/content/faq/"*.md "$S/helpgen.yaml"
sleep 0.01
rebuild "files touched but not changed" "up to date"
[ "$(state)" = "$before" ] && ok "touched files: OUT untouched" || not_ok "touched files: OUT untouched"
"$HG" build "$S" --quiet >"$T/q.log" 2>&1
[ ! -s "$T/q.log" ] && ok "--quiet: a skipped build prints nothing" || not_ok "--quiet: a skipped build prints nothing" "$T/q.log"

section "changes"
art=$(find "$S/content" -name '*.md' ! -name '_index.md' | sort | head -n 1)
printf '\nA new paragraph about incremental builds.\n' >>"$art"
rebuild "an article edited" "built"
grep -rqF "A new paragraph about incremental builds." "$OUT" && ok "the edit is published" ||
  not_ok "the edit is published"
same_as_clean "after an edit"
rebuild "then no change" "up to date"

# the same size and mtime, other bytes: the cache reads files changed too
# recently to trust their mtime
sz=$(stat -c %s "$art")
sed -i 's/A new paragraph about/A NEW PARAGRAPH ABOUT/' "$art"
[ "$(stat -c %s "$art")" = "$sz" ] && touch -d "@$(stat -c %Y "$art")" "$art"
rebuild "same size, new bytes" "built"
grep -rqF "A NEW PARAGRAPH ABOUT" "$OUT" && ok "same size, new bytes: published" ||
  not_ok "same size, new bytes: published"

dir=$(dirname "$art")
cat >"$dir/incremental-new.md" <<'EOF'
---
title: A page added between builds
description: Added to test rebuilds.
tags: [cache]
---
Rebuilds notice new files.
EOF
rebuild "an article added" "built"
same_as_clean "after an addition"
mv "$dir/incremental-new.md" "$dir/incremental-renamed.md"
rebuild "an article renamed" "built"
rel=${dir#"$S/content/"}
check "an article renamed: its page is at the new name" test -f "$OUT/$rel/incremental-renamed/index.html"
check "an article renamed: the old name's page is gone" test ! -e "$OUT/$rel/incremental-new"
same_as_clean "after a rename"
rm "$dir/incremental-renamed.md"
rebuild "an article deleted" "built"
same_as_clean "after a deletion"
grep -rqF "A page added between builds" "$OUT" && not_ok "the deleted article is gone" ||
  ok "the deleted article is gone"

mkdir -p "$S/themes/default/assets"
printf 'body { --incremental-test: 1; }\n' >"$S/themes/default/assets/custom.css"
mkdir -p "$S/themes/default/partials"
rebuild "a theme file added" "built"
same_as_clean "after a theme change"
sed -i 's/^title: .*/title: Renamed guide/' "$S/helpgen.yaml"
rebuild "helpgen.yaml changed" "built"
grep -rqF "Renamed guide" "$OUT/index.html" && ok "the new title is published" ||
  not_ok "the new title is published"
same_as_clean "after a config change"

section "flags"
cat >"$dir/incremental-draft.md" <<'EOF'
---
title: A draft between builds
draft: true
---
Only with --drafts.
EOF
rebuild "a draft added" "built"
hg "$T/d.log" build "$S" --drafts
if [ "$RC" = 0 ] && grep -q "built" "$T/d.log" && grep -rqF "A draft between builds" "$OUT"; then
  ok "--drafts is a change: built, with the draft"
else not_ok "--drafts is a change: built, with the draft" "$T/d.log"; fi
rebuild "back without --drafts" "built"
grep -rqF "A draft between builds" "$OUT" && not_ok "the draft is gone again" || ok "the draft is gone again"
rm "$dir/incremental-draft.md"
rebuild "draft removed" "built"

section "OUT changed behind helpgen's back"
page=$(find "$OUT" -name index.html | sort | sed -n 3p)
rm "$page"
rebuild "a page deleted from OUT" "built"
[ -f "$page" ] && ok "the deleted page is back" || not_ok "the deleted page is back"
page=$(find "$OUT" -name index.html | sort | sed -n 4p)
echo "<!-- edited by hand -->" >>"$page"
rebuild "a page edited in OUT" "built"
same_as_clean "after OUT was edited"
rebuild "then no change" "up to date"

section "warnings, --strict and failed builds"
cat >"$dir/incremental-warn.md" <<'EOF'
---
title: Warns
unknown_key_is_fine: yes
---
<div>raw html is omitted with a warning</div>
EOF
hg "$T/w1.log" build "$S"
grep -q "warning" "$T/w1.log" && ok "a build with a warning" || not_ok "a build with a warning" "$T/w1.log"
hg "$T/w2.log" build "$S"
if grep -q "up to date" "$T/w2.log" && grep -qF "incremental-warn.md" "$T/w2.log"; then
  ok "a skipped build repeats the warning"
else not_ok "a skipped build repeats the warning" "$T/w2.log"; fi
hg "$T/w3.log" build "$S" --strict
expect_rc "--strict with the same warning, nothing changed" 1 "$RC" "$T/w3.log"
rm "$dir/incremental-warn.md"
rebuild "warning removed" "built"
before=$(state)
good=$(cat "$art")
printf -- '---\ntitle: [unclosed\n---\nbody\n' >"$art"
hg "$T/f.log" build "$S"
expect_rc "a broken article" 1 "$RC" "$T/f.log"
[ "$(state)" = "$before" ] && ok "the failed build left OUT as it was" ||
  not_ok "the failed build left OUT as it was"
hg "$T/f2.log" build "$S"
expect_rc "still broken: not skipped" 1 "$RC" "$T/f2.log"
printf '%s\n' "$good" >"$art"
rebuild "fixed again (the inputs of the last good build)" "up to date"
same_as_clean "after a failed build and a fix"

section "the cache itself"
for f in "$S/.helpgen-cache/"build-*; do printf 'garbage\n\001\002' >"$f"; done
rebuild "a corrupt cache" "built"
printf 'helpgen-cache 1\nzz zz\n' >"$S/.helpgen-cache/files"
rebuild "a corrupt file list: files hashed again, nothing changed" "up to date"
rm -rf "$S/.helpgen-cache"
rebuild "the cache deleted" "built"
rebuild "rebuilt cache" "up to date"
hg "$T/nc.log" build "$S" --no-cache
grep -q "built" "$T/nc.log" && ok "--no-cache builds anyway" || not_ok "--no-cache builds anyway" "$T/nc.log"
rebuild "after --no-cache (which does not record its build)" "built"
rebuild "then no change" "up to date"
hg "$T/o2.log" build "$S" -o "$T/other"
grep -q "built" "$T/o2.log" && ok "another OUT is built, not skipped" || not_ok "another OUT is built" "$T/o2.log"
rebuild "the first OUT is still up to date" "up to date"
# A read-only cache folder. Root writes through permission bits: as root the
# build runs without the capabilities that allow it (setpriv), so the folder
# is as unwritable to it as to anyone (the probe below proves it).
chmod a-w "$S/.helpgen-cache"
if [ "$(id -u)" = 0 ]; then
  HG_WRAP="setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search"
fi
if ${HG_WRAP:-} sh -c ": >'$S/.helpgen-cache/probe'" 2>/dev/null; then
  rm -f "$S/.helpgen-cache/probe"
  not_ok "a read-only cache folder: the test could not make it unwritable"
else
  ok "a read-only cache folder: unwritable to the build (checked)"
fi
cache_before=$(cd "$S/.helpgen-cache" && find . -printf '%p %s %T@\n' | sort)
printf '\nRead-only cache marker.\n' >>"$art"
rebuild "a read-only cache folder: still builds" "built"
grep -rqF "Read-only cache marker." "$OUT" && ok "a read-only cache folder: the edit is published" ||
  not_ok "a read-only cache folder: the edit is published"
[ "$(cd "$S/.helpgen-cache" && find . -printf '%p %s %T@\n' | sort)" = "$cache_before" ] &&
  ok "a read-only cache folder: not written to" || not_ok "a read-only cache folder: not written to"
HG_WRAP=""
chmod u+w "$S/.helpgen-cache"

section "hooks"
mkdir -p "$S/hooks"
printf 'function on_article(article) end\n' >"$S/hooks/stamp.lua"
rebuild "a sandboxed hook added" "built"
rebuild "sandboxed hooks: nothing changed" "up to date"
printf 'hooks:\n  allow_unsafe: true\n' >>"$S/helpgen.yaml"
rebuild "hooks.allow_unsafe" "built"
rebuild "hooks.allow_unsafe (they may read the clock): never skipped" "built"

summary
