#!/bin/sh
# End-to-end tests for Lua hooks: examples/hooks built by the real binary and
# checked from the outside, then the same site with broken hooks (exact
# message, exit code 1, the previous site untouched), then determinism with
# 1 and 2 threads.
# Everything is written under one mktemp folder in /tmp (removed at exit; kept
# with HG_E2E_KEEP=1). Prints TAP-like lines and a last line "N passed,
# M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG="$ROOT/helpgen"
PY=${PYTHON:-python3}
EX="$ROOT/examples/hooks"

. "$ROOT/tests/e2e/lib.sh"
e2e_start hooks

# nowhere DESC DIR REGEX: no HTML file under DIR matches REGEX.
nowhere() {
  if grep -rlE --include='*.html' -- "$3" "$2" >"$T/nowhere.log" 2>&1; then not_ok "$1" "$T/nowhere.log"
  else ok "$1"; fi
}

[ -x "$HG" ] || { echo "hooks.sh: build ./helpgen first (make helpgen)" >&2; exit 2; }

# ---------------------------------------------------------------------------
section "examples/hooks builds and every hook did its job"
O="$T/site"
"$HG" build "$EX" -o "$O" --strict >"$T/build.log" 2>&1
rc=$?
if [ $rc = 0 ]; then ok "examples/hooks: builds with --strict"; else not_ok "examples/hooks: builds with --strict (exit $rc)" "$T/build.log"; fi
lacks "no warnings" "$T/build.log" "warning:"
check "every internal href/src resolves" "$PY" "$ROOT/tests/e2e/checklinks.py" "$O" --base-path /
A="$O/app/install-the-app/index.html"
# internal articles are left out
check "internal article is not published" test ! -e "$O/orders/tracking/carrier-escalations"
nowhere "no page links to the internal article" "$O" "carrier-escalations"
lacks "the widget list leaves it out" "$O/widget/articles.json" "Escalating"
# {{< version >}} from data/product.yaml
has "version shortcode" "$A" "The current version of the Northwind app is <strong>4.2.1</strong>, released on March 2, 2026."
has "version shortcode in a folder intro" "$O/app/index.html" "currently at version 4.2.1."
nowhere "no shortcode is left in any page" "$O" "\{\{<"
nowhere "no placeholder is left in any page" "$O" "hgsc[0-9a-f]{16}"
# the video placeholder loads nothing from YouTube until clicked
has "video placeholder" "$A" '<figure class="video-embed" data-video-src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1"'
nowhere "no iframe in any page" "$O" "<iframe"
nowhere "no page loads anything from YouTube" "$O" "[[:space:]](src|srcset|poster)=\"[^\"]*youtube"
# a paired shortcode renders its inner Markdown, links included
has "paired shortcode" "$A" '<details class="hook-details"><summary>The app says my version is too old</summary><p>Open the App Store'
has "links inside a shortcode resolve" "$A" '<a href="../../account-security/sign-in-security/reset-password/index.html">Reset your password</a>'
# reading time printed by the theme from on_page
has "reading time" "$A" '<span>1 minute read</span>'
has "reading time on every article" "$O/orders/tracking/track-order/index.html" 'minutes read</span>'
# glossary terms linked on first use
has "glossary term linked" "$A" '<a class="glossary-term" href="../../orders/tracking/track-order/index.html" title="The code the carrier gives your package; use it on the carrier&#39;s website.">tracking number</a>'
has "glossary term without an article" "$O/app/release-notes/index.html" '<abbr class="glossary-term" title="A way to sign in with your phone&#39;s screen lock instead of a password.">passkey</abbr>'
# external links marked, internal ones not
has "external link marked" "$A" '<a class="external" rel="external noopener" href="https://apps.apple.com/app/northwind">App Store<span class="visually-hidden"> (another website)</span></a>'
lacks "internal links not marked" "$A" 'class="external" rel="external noopener" href="../'
# on_build_end wrote widget/articles.json
check "widget/articles.json is valid JSON with 6 articles" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["site"] == "Northwind Help Center", d["site"]
assert len(d["articles"]) == 6, len(d["articles"])
assert d["articles"][0]["url"] == "https://help.example.com/app/install-the-app/index.html"
' "$O/widget/articles.json"

# ---------------------------------------------------------------------------
section "broken hooks: exact message, exit code 1, previous site untouched"
# A copy of the example built from inside its folder, so messages read
# hooks/NAME.lua:LINE as the user sees them.
S="$T/broken"
cp -R "$EX" "$S"
OUT="$T/broken-out"
(cd "$S" && "$HG" build . -o "$OUT" --quiet) >"$T/first.log" 2>&1 || not_ok "copy builds" "$T/first.log"
cp -R "$OUT" "$T/before"
n=0
# broken NAME FILE LUA MESSAGE: FILE (under hooks/) holds LUA; the build must fail with MESSAGE.
broken() {
  n=$((n + 1))
  name=$1 file=$2 lua=$3 msg=$4
  cp "$S/hooks/$file" "$T/saved.lua" 2>/dev/null || : >"$T/saved.lua"
  printf '%s\n' "$lua" >"$S/hooks/$file"
  (cd "$S" && timeout 60 "$HG" build . -o "$OUT" --quiet) >"$T/err$n.log" 2>&1
  rc=$?
  if [ $rc = 1 ]; then ok "$name: exit code 1"; else
    echo "exit code $rc, want 1" >"$T/rc.log"; cat "$T/err$n.log" >>"$T/rc.log"; not_ok "$name: exit code 1" "$T/rc.log"; fi
  if grep -qF -- "$msg" "$T/err$n.log"; then ok "$name: message"; else
    { echo "want: $msg"; echo "got:"; cat "$T/err$n.log"; } >"$T/msg.log"; not_ok "$name: message" "$T/msg.log"; fi
  check "$name: previous site intact" diff -r "$T/before" "$OUT"
  if [ -s "$T/saved.lua" ]; then cp "$T/saved.lua" "$S/hooks/$file"; else rm -f "$S/hooks/$file"; fi
}
broken "syntax error" 40-glossary.lua 'function on_html(article, html)
  return html' "hooks/40-glossary.lua:3: error: 'end' expected (to close 'function' at line 1) near <eof>"
broken "runtime error" 40-glossary.lua 'function on_html(article, html)
  local terms = nil
  return terms.first
end' "hooks/40-glossary.lua:3: error: attempt to index a nil value (local 'terms') (while processing content/account-security/sign-in-security/reset-password.md)"
broken "endless loop" 70-loop.lua 'function on_article(article)
  while true do end
end' "hooks/70-loop.lua:2: error: instruction limit exceeded (10000000 instructions; an endless loop? raise hooks.limits.instructions in helpgen.yaml) (while processing content/account-security/sign-in-security/reset-password.md)"
broken "memory bomb" 70-bomb.lua 'function on_article(article)
  local t = {}
  while true do t[#t + 1] = string.rep("x", 1 << 20) .. #t end
end' "hooks/70-bomb.lua:3: error: memory limit exceeded (32 MB; raise hooks.limits.memory_mb in helpgen.yaml) (while processing content/account-security/sign-in-security/reset-password.md)"
broken "write outside the output folder" 60-widget.lua 'function on_build_end(site)
  helpgen.write("../escaped.txt", "x")
end' "hooks/60-widget.lua:2: error: helpgen.write: '../escaped.txt' is outside the output folder (give a path relative to it, without '..') (in on_build_end)"
check "nothing written outside the output folder" test ! -e "$T/escaped.txt"
broken "os.execute" 70-exec.lua 'os.execute("touch pwned")' \
  "hooks/70-exec.lua:1: error: os.execute is disabled in hooks (set hooks.allow_unsafe: true in helpgen.yaml to allow it)"
check "os.execute ran nothing" test ! -e "$S/pwned"
broken "io.popen" 70-popen.lua 'function on_page(page) io.popen("id") end' \
  "hooks/70-popen.lua:1: error: io.popen is disabled in hooks (set hooks.allow_unsafe: true in helpgen.yaml to allow it) (in on_page for the home page)"
broken "require outside hooks/" 70-require.lua 'local x = require("../content/app/x")' \
  "hooks/70-require.lua:1: error: require: '../content/app/x' is outside the site's hooks/ folder (hooks may only require modules from it; set hooks.allow_unsafe: true in helpgen.yaml to allow it)"
broken "io.open for writing" 70-write.lua 'io.open("content/new.md", "w")' \
  "hooks/70-write.lua:1: error: io.open: hooks may only read files (mode 'w' refused; set hooks.allow_unsafe: true in helpgen.yaml to allow it)"
check "io.open wrote nothing" test ! -e "$S/content/new.md"
broken "unknown shortcode" ../content/app/release-notes.md '---
title: Notes
---
Fine.

{{< changelog >}}' "content/app/release-notes.md:6: error: unknown shortcode 'changelog' (define shortcodes.changelog in a file under hooks/)"

# ---------------------------------------------------------------------------
section "determinism"
"$HG" build "$EX" -o "$T/t1" --quiet --threads 1 >"$T/t1.log" 2>&1 || not_ok "--threads 1 builds" "$T/t1.log"
"$HG" build "$EX" -o "$T/t2" --quiet --threads 2 >"$T/t2.log" 2>&1 || not_ok "--threads 2 builds" "$T/t2.log"
"$HG" build "$EX" -o "$T/t2b" --quiet --threads 2 >"$T/t2b.log" 2>&1 || not_ok "--threads 2 builds again" "$T/t2b.log"
check "byte-identical with 1 and 2 threads" diff -r "$T/t1" "$T/t2"
check "byte-identical across runs" diff -r "$T/t2" "$T/t2b"

summary
