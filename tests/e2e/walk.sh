#!/bin/sh
# End-to-end tests of the one walker (src/walk.c) through `helpgen build`:
#   - the two-link loop (content/a/b/loop -> ., content/a/b/up -> ../b) fails
#     with a clear error naming both links in < 1 s, with and without
#     --no-cache (it used to grow as 2^depth and ignore Ctrl+C);
#   - SIGTERM during the walk of a 5,000-folder tree ends the build in < 1 s
#     with exit 130 and the previous site intact;
#   - a link to /etc/passwd named passwd.png, a link to an outside .md and
#     to an outside folder fail the build naming each link, and nothing of
#     the outside files reaches the output; `site.follow_outside_links: true`
#     lets them in;
#   - links inside the site still work (an image, a folder outside content/,
#     an article reachable twice is one page at its real path);
#   - a dangling link says so; a '_' folder holding Markdown is reported
#     with its count.
# Prints TAP-like lines and "N passed, M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
. "$ROOT/tests/e2e/lib.sh"
e2e_start walk

now_ms() { echo $(($(date +%s%N) / 1000000)); }
article() { # article FILE TITLE [BODY]
  mkdir -p "$(dirname "$1")"
  printf -- '---\ntitle: %s\n---\n%s\n' "$2" "${3:-Some text.}" >"$1"
}
# within_1s DESC START_MS END_MS
within_1s() {
  if [ $(($3 - $2)) -lt 1000 ]; then ok "$1 in < 1 s ($(($3 - $2)) ms)"
  else not_ok "$1 in < 1 s (took $(($3 - $2)) ms)"; fi
}

section "a two-link loop in content/"
S="$T/loop"
article "$S/content/a/b/x.md" "X"
ln -s . "$S/content/a/b/loop"
ln -s ../b "$S/content/a/b/up"
for mode in cache no-cache; do
  flag=""; [ $mode = no-cache ] && flag=--no-cache
  t0=$(now_ms)
  timeout 20 "$HG" build "$S" -o "$T/loop-out" $flag >"$T/loop.log" 2>&1
  RC=$?
  t1=$(now_ms)
  expect_rc "loop ($mode)" 1 "$RC" "$T/loop.log"
  within_1s "loop ($mode): the build ends" "$t0" "$t1"
  has "loop ($mode): names content/a/b/loop" "$T/loop.log" \
    "content/a/b/loop: error: symbolic link loop: it leads back to 'content/a/b'"
  has "loop ($mode): names content/a/b/up" "$T/loop.log" "content/a/b/up: error: symbolic link loop"
  has "loop ($mode): says what to do" "$T/loop.log" "(remove the link"
  if [ -e "$T/loop-out" ]; then not_ok "loop ($mode): no output written"; else ok "loop ($mode): no output written"; fi
done

# serve watches every folder: its watcher walks the same way
"$HG" serve "$S" --port 0 >"$T/serve.log" 2>&1 &
pid=$!
n=0
while ! grep -q 'serving' "$T/serve.log" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
has "loop: serve starts all the same (its watcher does not follow the loop)" "$T/serve.log" "helpgen: serving"
kill -INT "$pid" 2>/dev/null
n=0
while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
kill -KILL "$pid" 2>/dev/null # a hung one (the test fails below)
wait "$pid"
expect_rc "loop: serve stops at Ctrl+C" 0 "$?" "$T/serve.log"

section "SIGTERM during the walk of 5,000 folders"
S="$T/big"
mkdir -p "$S/content"
i=0
while [ $i -lt 50 ]; do
  (cd "$S/content" && for k in $(seq 0 99); do mkdir -p "c$i/s$k"; done)
  i=$((i + 1))
done
article "$S/content/c0/s0/first.md" "First"
hg "$T/big.log" build "$S" -o "$T/big-out"
expect_rc "5,000 folders: the first build" 0 "$RC" "$T/big.log"
before=$(cd "$T/big-out" && find . -type f | sort | xargs cat | cksum)
landed=0
runs=0
for delay in 0.02 0.04 0.06 0.08 0.1 0.15; do
  article "$S/content/c0/s0/first.md" "First $delay" # not up to date: the walks run
  HELPGEN_TIMING=1 "$HG" build "$S" -o "$T/big-out" >"$T/term.log" 2>&1 &
  pid=$!
  # the signal is for helpgen, not for the shell about to start it
  n=0
  while ! grep -q build "/proc/$pid/cmdline" 2>/dev/null && [ $n -lt 1000 ]; do n=$((n + 1)); done
  # ... and only once helpgen handles it: a signal that comes while the
  # dynamic loader still runs (slow on a loaded machine) meets the default
  # action, which no program can change. SIGTERM is bit 15 of SigCgt.
  n=0
  while [ $n -lt 2000 ]; do
    cgt=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
    [ -z "$cgt" ] && break
    [ $(( 0x$cgt & 0x4000 )) -ne 0 ] && break
    n=$((n + 1))
  done
  sleep "$delay"
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  RC=$?
  t1=$(now_ms)
  runs=$((runs + 1))
  # a build that finished before the signal came proves nothing: only runs
  # the signal reached count
  if [ "$RC" = 0 ]; then continue; fi
  expect_rc "SIGTERM after ${delay}s" 130 "$RC" "$T/term.log"
  # the Markdown and render stages check the flag before every page, so a
  # signal after the walks ends the build as quickly
  if grep -q '^timing: content' "$T/term.log"; then
    within_1s "SIGTERM after ${delay}s, after the walks: the build ends" "$t0" "$t1"
  else
    landed=$((landed + 1))
    within_1s "SIGTERM after ${delay}s, during the walks: the build ends" "$t0" "$t1"
  fi
  after=$(cd "$T/big-out" && find . -type f | sort | xargs cat | cksum)
  if [ "$before" = "$after" ]; then ok "SIGTERM after ${delay}s: the previous site is intact"
  else not_ok "SIGTERM after ${delay}s: the previous site is intact"; fi
done
if [ $landed -gt 0 ]; then ok "the signal reached $landed of $runs builds before the content walk ended"
else not_ok "no signal reached a build before the content walk ended ($runs runs)"; fi

section "links out of the site"
S="$T/out-links"
O="$T/outside"
article "$S/content/a/x.md" "X" "Hello ![p](passwd.png)"
article "$O/secret.md" "Secret" "OUTSIDE-SECRET-MD"
article "$O/folder/inner.md" "Inner" "OUTSIDE-SECRET-FOLDER"
ln -s /etc/passwd "$S/content/a/passwd.png"
ln -s "$O/secret.md" "$S/content/a/secret.md"
ln -s "$O/folder" "$S/content/f"
first=$(head -c 12 /etc/passwd)
for mode in cache no-cache; do
  flag=""; [ $mode = no-cache ] && flag=--no-cache
  hg "$T/outside.log" build "$S" -o "$T/outside-out" $flag
  expect_rc "outside links ($mode)" 1 "$RC" "$T/outside.log"
  has "outside ($mode): names passwd.png" "$T/outside.log" \
    "content/a/passwd.png: error: symbolic link to '/etc/passwd', outside the site folder"
  has "outside ($mode): names secret.md" "$T/outside.log" "content/a/secret.md: error: symbolic link to '"
  has "outside ($mode): names the folder link" "$T/outside.log" "content/f: error: symbolic link to '"
  has "outside ($mode): says what to do" "$T/outside.log" "site: {follow_outside_links: true}"
  if grep -rqF -e "$first" -e OUTSIDE-SECRET "$T/outside-out" 2>/dev/null; then
    not_ok "outside ($mode): no byte of the outside files in the output"
  else ok "outside ($mode): no byte of the outside files in the output"; fi
done
# a site built before, then a link out added: the old output stays as it was
rm "$S/content/a/passwd.png" "$S/content/a/secret.md" "$S/content/f"
hg "$T/outside.log" build "$S" -o "$T/outside-out"
expect_rc "without the links" 0 "$RC" "$T/outside.log"
ln -s /etc/passwd "$S/content/a/passwd.png"
hg "$T/outside.log" build "$S" -o "$T/outside-out"
expect_rc "passwd.png added to a built site" 1 "$RC" "$T/outside.log"
if grep -rqF -- "$first" "$T/outside-out" 2>/dev/null; then not_ok "passwd.png added: no byte of it in the output"
else ok "passwd.png added: no byte of it in the output"; fi
if [ -e "$T/outside-out/a/passwd.png" ]; then not_ok "passwd.png added: not copied"; else ok "passwd.png added: not copied"; fi
# the explicit opt-in
ln -s "$O/secret.md" "$S/content/a/secret.md"
printf 'site:\n  follow_outside_links: true\n' >>"$S/helpgen.yaml"
hg "$T/optin.log" build "$S" -o "$T/optin-out"
expect_rc "follow_outside_links: true" 0 "$RC" "$T/optin.log"
has "opt-in: the outside article is a page" "$T/optin-out/a/secret/index.html" "OUTSIDE-SECRET-MD"
# the cache cannot see the outside file change: such a site is always built
article "$O/secret.md" "Secret" "OUTSIDE-EDITED"
hg "$T/optin.log" build "$S" -o "$T/optin-out"
expect_rc "opt-in, the outside file edited" 0 "$RC" "$T/optin.log"
has "opt-in: the edit is published (not 'up to date')" "$T/optin-out/a/secret/index.html" "OUTSIDE-EDITED"

section "links inside the site"
S="$T/inside"
article "$S/content/a/x.md" "X" "![logo](logo.png)"
article "$S/versioned/v2/intro.md" "Intro v2"
article "$S/content/b/y.md" "Y"
mkdir -p "$S/shared"
printf 'PNGDATA' >"$S/shared/logo.png"
ln -s ../../shared/logo.png "$S/content/a/logo.png"
ln -s ../versioned/v2 "$S/content/v2"
ln -s ../a/x.md "$S/content/b/x-again.md"
ln -s ../b "$S/content/a/b-again"
hg "$T/inside.log" build "$S" -o "$T/inside-out"
expect_rc "inside links" 0 "$RC" "$T/inside.log"
has "inside: the linked image is copied" "$T/inside-out/a/logo.png" "PNGDATA"
has "inside: a linked folder outside content/ is published" "$T/inside-out/v2/intro/index.html" "Intro v2"
check "inside: the article reachable twice is one page at its real path" \
  test -f "$T/inside-out/a/x/index.html" -a ! -e "$T/inside-out/b/x-again/index.html" \
  -a ! -e "$T/inside-out/a/b-again"
lacks "inside: no warning or error" "$T/inside.log" "error"

section "dangling links and skipped folders"
S="$T/dangling"
article "$S/content/ok.md" "Ok"
ln -s nowhere.md "$S/content/gone.md"
article "$S/content/_docs/one.md" "One"
article "$S/content/_docs/sub/two.md" "Two"
hg "$T/dangling.log" build "$S" -o "$T/dangling-out"
expect_rc "dangling" 1 "$RC" "$T/dangling.log"
has "dangling: says it is a dangling link" "$T/dangling.log" \
  "content/gone.md: error: dangling symbolic link: its target 'nowhere.md' does not exist"
has "_docs: reported with its Markdown count" "$T/dangling.log" \
  "content/_docs: warning: folder not published (names starting with '_' are skipped), but it holds 2 Markdown files: rename it to 'docs'"
test "$(grep -c '_docs' "$T/dangling.log")" = 1 && ok "_docs: reported once" || not_ok "_docs: reported once" "$T/dangling.log"

summary
