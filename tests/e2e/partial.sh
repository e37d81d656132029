#!/bin/sh
# End-to-end tests of incremental builds (only article bodies changed: the
# rest of the site comes from the last build's state in SITE/.helpgen-cache),
# on a copy of examples/store (four languages) with llms copies and feeds:
#   - which changes take the incremental path and which a full build;
#   - after every build, OUT is byte-identical to a clean build (--no-cache
#     into a fresh folder), over a seeded series of random edits of every
#     kind (bodies, headings, links, front matter, new, renamed and deleted
#     files, several languages at once);
#   - warnings from Markdown are repeated for articles not read again, and
#     --strict fails on them; a failed build is not the base of the next;
#   - the build folder beside OUT or OUT edited by hand, or a damaged state,
#     only cost a full build (a page of OUT edited by hand is not published:
#     the new site comes from the build folder, where it is noticed later).
# Prints TAP-like lines and "N passed, M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
. "$ROOT/tests/e2e/lib.sh"
e2e_start partial

S="$T/site"
cp -R "$ROOT/examples/store" "$S"
rm -rf "$S/.helpgen-cache" "$S/public"
printf '\nllms: true\n' >>"$S/helpgen.yaml"
OUT="$T/out"
NEXT="$T/.out.helpgen-next"

# build DESC KIND: builds into OUT; KIND is "incremental" or "full".
build() {
  hg "$T/b.log" build "$S" -o "$OUT"
  if [ "$RC" != 0 ]; then
    { echo "exit $RC"; cat "$T/b.log"; } >"$T/rb.log"
    not_ok "$1: builds" "$T/rb.log"
    return
  fi
  if grep -q "incremental:" "$T/b.log"; then got=incremental; else got=full; fi
  if [ "$got" = "$2" ]; then ok "$1: $2 build"
  else { echo "want $2, got $got"; cat "$T/b.log"; } >"$T/rb.log"; not_ok "$1: $2 build" "$T/rb.log"; fi
}

EN="$S/content/en"
A1="$EN/orders/tracking/track-order.md"
A2="$EN/payments-billing/billing-faq.md"
CS=$(find "$S/content/cs" -name '*.md' ! -name '_index.md' | sort | head -n 1)
for f in "$A1" "$A2" "$CS"; do
  [ -f "$f" ] || { echo "missing fixture $f"; exit 2; }
done

section "what is incremental"
build "first build" full
printf '# a comment\n' >>"$S/helpgen.yaml"
build "second build (the build folder beside OUT is only filled now)" full
printf '\nA paragraph for the incremental build.\n' >>"$A1"
build "a body edited" incremental
grep -rqF "A paragraph for the incremental build." "$OUT" && ok "the edit is published" ||
  not_ok "the edit is published"
grep -rqF "A paragraph for the incremental build." "$OUT/orders/tracking/track-order/index.md" &&
  ok "its Markdown copy (llms) too" || not_ok "its Markdown copy (llms) too"
same_as_clean "a body edited"
printf '\n## A brand new heading\n\nText under it.\n' >>"$A2"
printf '\nCzech paragraph.\n' >>"$CS"
build "two languages, a new heading (related lists computed again)" incremental
same_as_clean "a new heading in one language, a body in another"
sed -i 's/^title: .*/title: Track your parcel/' "$A1"
build "front matter changed" full
same_as_clean "front matter changed"
printf -- '---\ntitle: A new article\n---\n\nNew.\n' >"$EN/orders/new-one.md"
build "an article added" full
same_as_clean "an article added"
rm "$EN/orders/new-one.md"
build "an article deleted" full
same_as_clean "an article deleted"
printf '\nStill incremental.\n' >>"$A2"
build "a body edited after full builds" incremental
same_as_clean "a body edited after full builds"
sed -i 's/^title: .*/title: Store help/' "$S/helpgen.yaml"
build "helpgen.yaml changed" full
same_as_clean "helpgen.yaml changed"
mkdir -p "$S/themes/default/partials"
printf '\nAnother line.\n' >>"$A1"
build "then a body again" incremental
same_as_clean "then a body again"
"$HG" build "$S" -o "$OUT" --drafts --quiet >/dev/null 2>&1
printf '\nWith drafts.\n' >>"$A1"
build "other options than the last build" full
same_as_clean "other options (the --drafts site was replaced)"

section "messages"
printf '\nSee [the missing page](no-such-article.md).\n' >>"$A2"
hg "$T/w.log" build "$S" -o "$OUT"
expect_rc "a broken link is an error" 1 "$RC" "$T/w.log"
has "it names the file" "$T/w.log" "billing-faq.md"
sed -i 's/(no-such-article.md)/(https:\/\/example.com\/x)/' "$A2"
build "fixed again: not based on the failed build" incremental
same_as_clean "after a failed build"
printf '\n<div>raw html</div>\n' >>"$A2"
build "a raw HTML warning" incremental
has "the warning is printed" "$T/b.log" "raw HTML"
printf '\nOne more line.\n' >>"$A1"
build "another article edited" incremental
has "the other article's warning is repeated" "$T/b.log" "raw HTML"
hg "$T/s.log" build "$S" -o "$OUT" --strict
expect_rc "--strict fails on the repeated warning" 1 "$RC" "$T/s.log"
sed -i 's/<div>raw html<\/div>/plain words/' "$A2"
build "warning gone" incremental
lacks "no warning now" "$T/b.log" "raw HTML"
same_as_clean "warning gone"

section "damage only costs a full build"
printf '\nX.\n' >>"$A1"
rm -f "$NEXT/payments-billing/billing-faq/index.html"
build "a file of the build folder beside OUT deleted" full
same_as_clean "build folder damaged"
printf '\nY.\n' >>"$A1"
build "and back to incremental" incremental
printf 'tampered' >>"$OUT/payments-billing/billing-faq/index.html"
printf '\nZ.\n' >>"$A1"
build "a page of OUT edited by hand (the new site does not take it from OUT)" incremental
same_as_clean "OUT edited by hand"
printf '\nW.\n' >>"$A1"
build "that page is in the build folder beside OUT now" full
same_as_clean "after the edited page"
printf '\nU.\n' >>"$A1"
build "incremental again" incremental
for f in "$S/.helpgen-cache/"build-*.state; do printf 'garbage' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null; done
printf '\nV.\n' >>"$A1"
build "a damaged state" full
same_as_clean "a damaged state"

section "a seeded series of random edits"
# every kind of change, 30 steps; after each, OUT must equal a clean build
ARTS=$(find "$S/content" -name '*.md' ! -name '_index.md' | sort)
NARTS=$(echo "$ARTS" | wc -l)
seed=12345
rand() { seed=$(( (seed * 1103515245 + 12345) % 2147483648 )); echo $(( seed / 65536 % $1 )); }
pick() { echo "$ARTS" | sed -n "$(( $(rand "$NARTS") + 1 ))p"; }
inc=0
step=0
while [ $step -lt 30 ]; do
  step=$((step + 1))
  f=$(pick)
  [ -f "$f" ] || continue
  case $(rand 8) in
    0|1) printf '\nRandom paragraph %s with *emphasis*.\n' "$step" >>"$f" ;;
    2) printf '\n## Random heading %s\n\nBody.\n' "$step" >>"$f" ;;
    3) g=$(pick); rel=$(realpath --relative-to="$(dirname "$f")" "$g")
       printf '\nSee [a related page](%s).\n' "$rel" >>"$f" ;;
    4) printf '\n| a | b |\n|---|---|\n| %s | x |\n' "$step" >>"$f"
       g=$(pick); printf '\nAnd another %s.\n' "$step" >>"$g" ;;
    5) sed -i "0,/^title: /s/^title: \(.*\)/title: \1 $step/" "$f" ;;
    6) printf -- '---\ntitle: Random %s\n---\n\nBody %s.\n' "$step" "$step" >"$(dirname "$f")/random-$step.md" ;;
    7) case $f in */random-*) rm "$f" ;; *) printf '\nTail %s.\n' "$step" >>"$f" ;; esac ;;
  esac
  ARTS=$(find "$S/content" -name '*.md' ! -name '_index.md' | sort)
  NARTS=$(echo "$ARTS" | wc -l)
  hg "$T/r.log" build "$S" -o "$OUT"
  if [ "$RC" != 0 ]; then not_ok "random step $step builds" "$T/r.log"; continue; fi
  grep -q "incremental:" "$T/r.log" && inc=$((inc + 1))
  same_as_clean "random step $step"
done
[ "$inc" -ge 8 ] && ok "random series: $inc of 30 builds were incremental" ||
  not_ok "random series: only $inc of 30 builds were incremental"

summary
