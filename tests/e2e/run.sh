#!/bin/sh
# End-to-end tests for `helpgen build` (make e2e): real sites built by the real
# binary, checked from the outside.
#   1. the repo's guide (content/), examples/store and ../shared/corpora/sendgrid-docs
#      build; page counts, internal links and breadcrumbs; the corpus' quirks warn;
#      output is byte-identical with 1 and 2 threads;
#   2. bad input: exact message (path:line:col), exit code, previous site untouched;
#   3. XSS payloads come out escaped on every page.
# Everything is written under one mktemp folder in /tmp (removed at exit; kept
# with HG_E2E_KEEP=1). The shared corpus is only read. Prints TAP-like lines and a
# last line "N passed, M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG="$ROOT/helpgen"
FIX="$ROOT/tests/e2e/fixtures"
CORPUS="$ROOT/../shared/corpora/sendgrid-docs"
PY=${PYTHON:-python3}

. "$ROOT/tests/e2e/lib.sh"
MOUNTED=""
e2e_on_exit() { [ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null; return 0; }
e2e_start e2e


# expect_msg DESC LOG TEXT: LOG holds TEXT (fixed string).
expect_msg() {
  if grep -qF -- "$3" "$2"; then ok "$1: message"; else
    { echo "want: $3"; echo "got:"; cat "$2"; } >"$T/msg.log"; not_ok "$1: message" "$T/msg.log"; fi
}
# same_tree DESC A B: diff -r finds no difference.
same_tree() {
  if diff -r "$2" "$3" >"$T/diff.log" 2>&1; then ok "$1"; else not_ok "$1" "$T/diff.log"; fi
}
# no_leftovers DESC DIR: no ".*.helpgen-tmp-*" temporary build folder left in DIR.
no_leftovers() {
  left=$(find "$2" -maxdepth 1 -name '.*helpgen-tmp-*' 2>/dev/null)
  if [ -z "$left" ]; then ok "$1: no temporary folder left behind"; else
    echo "$left" >"$T/left.log"; not_ok "$1: no temporary folder left behind" "$T/left.log"; fi
}
# hg LOG ARGS...: runs helpgen, output to LOG, exit code in $RC.

# Number of published articles and of folders (categories + sections) under a
# content/ folder: an article is a .md file other than _index.md, not a draft.
count_articles() {
  n=0
  find "$1" -name '*.md' ! -name '_index.md' >"$T/articles.list"
  while IFS= read -r f; do
    sed -n '1,/^---[[:space:]]*$/p' "$f" | grep -qE '^draft:[[:space:]]*true' || n=$((n + 1))
  done <"$T/articles.list"
  echo "$n"
}
# The path part of SITE/helpgen.yaml's base_url ("/" when absent): the prefix of
# 404.html's root-absolute links.
base_path_of() {
  u=
  [ -f "$1/helpgen.yaml" ] && u=$(sed -n "s/^base_url:[[:space:]]*[\"']\{0,1\}\([^\"' ]*\).*/\1/p" "$1/helpgen.yaml" | head -n 1)
  p=$(printf '%s' "$u" | sed -n 's|^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*||p')
  case $p in "") p=/ ;; */) ;; *) p="$p/" ;; esac
  echo "$p"
}
count_folders() { find "$1" -mindepth 1 -type d | wc -l | tr -d ' '; }
# The codes of the languages after the default one in SITE/helpgen.yaml's
# `languages:` ("- code: cs" or "- {code: cs, ...}"); empty without it.
other_langs() {
  [ -f "$1/helpgen.yaml" ] || return 0
  sed -n 's/^[[:space:]]*-[[:space:]]*{\{0,1\}[[:space:]]*code:[[:space:]]*\([A-Za-z-]*\).*/\1/p' "$1/helpgen.yaml" |
    tail -n +2 | tr '\n' ' '
}
# index.html pages, leaving out the meta-refresh pages of aliases
count_index() { find "$1" -name index.html -exec grep -L 'http-equiv="refresh"' {} + | wc -l | tr -d ' '; }

if [ ! -x "$HG" ]; then echo "e2e: $HG is missing (run make helpgen)"; echo "0 passed, 1 failed"; exit 1; fi

# ---------------------------------------------------------------------------
# A good site end to end: exit 0, summary, page count, links, breadcrumbs.
# good_site NAME SITE OUT [extra checklinks args...]
good_site() {
  name=$1 site=$2 out=$3; shift 3
  arts=$(count_articles "$site/content")
  dirs=$(count_folders "$site/content")
  langs=$(other_langs "$site")
  homes=2 # home and search; with languages, content/<code>/ is a home (counted in dirs)
  nl=0
  for l in $langs; do nl=$((nl + 1)); done
  [ "$nl" -gt 0 ] && homes=$((nl + 1))
  # --no-cache: no SITE/.helpgen-cache/ in the sources or the shared corpus
  # (tests/e2e/incremental.sh tests the cache)
  hg "$T/$name.log" build "$site" -o "$out" --threads 2 --no-cache
  expect_rc "$name builds" 0 "$RC" "$T/$name.log"
  if [ "$RC" != 0 ]; then not_ok "$name: output checks (not run: the build failed)"; return; fi
  expect_msg "$name summary counts articles" "$T/$name.log" "($arts articles"
  flows=0 # self-service flow pages (flows/SLUG/...): tests/e2e/flows.sh checks them
  for d in "$out/flows" $(for l in $langs; do echo "$out/$l/flows"; done); do
    [ -d "$d" ] && flows=$((flows + $(count_index "$d")))
  done
  want=$((arts + dirs + homes + flows)) # articles, categories and sections, homes, search, flows
  got=$(count_index "$out")
  if [ "$got" = "$want" ]; then ok "$name: $got index.html pages ($arts articles + $dirs folders + home + search + $flows flow pages${langs:+, languages $langs})"
  else echo "got $got index.html files, want $want" >"$T/count.log"; not_ok "$name: page count" "$T/count.log"; fi
  check "$name: 404.html and the .helpgen-build marker exist" test -f "$out/404.html" -a -f "$out/.helpgen-build"
  for l in $langs; do
    check "$name: $l/404.html exists, in its language" grep -q "<html lang=\"$l\"" "$out/$l/404.html"
  done
  check "$name: every internal href/src resolves" "$PY" "$ROOT/tests/e2e/checklinks.py" "$out" --base-path "$(base_path_of "$site")" "$@"
  crumbs=$((arts + dirs))
  [ "$nl" -gt 0 ] && crumbs=$((crumbs - nl - 1)) # the language folders are homes
  check "$name: breadcrumbs on every article, category and section page" \
    "$PY" "$ROOT/tests/e2e/checkcrumbs.py" "$out" "$crumbs" $langs
}

section "content/ (helpgen's own guide)"
if [ -n "$(find content -name '*.md' ! -name '_index.md' 2>/dev/null | head -n 1)" ]; then
  good_site guide "$ROOT" "$T/guide"
else
  skip "content/ has no articles yet"
fi

section "examples/store"
STORE="$ROOT/examples/store"
good_site store "$STORE" "$T/store2"
n=$(count_articles "$STORE/content/en")
check "store: at least 25 English articles (has $n)" test "$n" -ge 25
for l in cs th ar; do
  n=$(count_articles "$STORE/content/$l")
  check "store: at least 8 articles translated into $l (has $n)" test "$n" -ge 8
  check "store: $l has its home, categories' and sections' _index.md" \
    test -f "$STORE/content/$l/_index.md" -a -f "$STORE/content/$l/orders/_index.md" -a -f "$STORE/content/$l/orders/tracking/_index.md"
done
S2="$T/store2"
CS_TRACK="$S2/cs/objednávky/sledování/sledování-objednávky/index.html"
has "store: the Czech translation is at its Czech URL, in Czech" "$CS_TRACK" '<html lang="cs" dir="ltr">'
has "store: the English article's language switcher leads to the Czech translation" \
  "$S2/orders/tracking/track-order/index.html" 'href="../../../cs/objednávky/sledování/sledování-objednávky/index.html" hreflang="cs"'
has "store: Arabic pages are right to left" "$S2/ar/orders/tracking/track-order/index.html" '<html lang="ar" dir="rtl">'
has "store: Thai pages are in Thai" "$S2/th/orders/tracking/track-order/index.html" '<h1>ติดตามคำสั่งซื้อ</h1>'
has "store: a Czech alias gets its meta-refresh page" "$S2/hc/cs/articles/zruseni-objednavky/index.html" \
  'url=../../../../cs/objednávky/změna-nebo-zrušení/zrušení-objednávky/index.html'
has "store: the Czech alias is in _redirects" "$S2/_redirects" \
  '/hc/cs/articles/zruseni-objednavky/ /cs/objedn%C3%A1vky/zm%C4%9Bna-nebo-zru%C5%A1en%C3%AD/zru%C5%A1en%C3%AD-objedn%C3%A1vky/ 301'
has "store: the Czech alias is in the nginx map" "$S2/redirects.nginx.conf" '"/hc/cs/articles/zruseni-objednavky" '
check "store: _redirects lists the aliases first, then each language's 404 rule" sh -c \
  "grep -v '^#' '$S2/_redirects' | tail -n 3 | tr '\n' '|' | grep -qxF '/cs/* /cs/404.html 404|/th/* /th/404.html 404|/ar/* /ar/404.html 404|'"
has "store: Arabic 404 page is right to left" "$S2/ar/404.html" '<html lang="ar" dir="rtl">'
has "store: Czech 404 page is in Czech and links to the Czech home" "$S2/cs/404.html" 'href="/cs/index.html"'
has "store: a feed per language" "$S2/cs/feed.xml" '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="cs">'
has "store: a feed per category of a language" "$S2/th/orders/feed.xml" '<title>ติดตามคำสั่งซื้อ</title>'
has "store: the sitemap lists the Arabic pages" "$S2/sitemap.xml" '<loc>https://help.example.com/ar/orders/tracking/track-order/</loc>'
has "store: the sitemap lists the flow pages" "$S2/sitemap.xml" '<url><loc>https://help.example.com/flows/track-order/</loc></url>'
check "store: every flow page is in the sitemap" sh -c \
  "test \$(grep -o '<loc>https://help.example.com/flows/[^<]*</loc>' '$S2/sitemap.xml' | wc -l) = \$(find '$S2/flows' -name index.html | wc -l)"
check "store: two FAQ pages" test "$(grep -rlE '^type:[[:space:]]*faq' "$STORE/content" | wc -l)" -ge 2
check "store: no warnings" grep -qF ", 0 warnings" "$T/store.log"
check "store: an article page's <title> names the article" \
  grep -qF '<title>Track your order – Northwind Help Center</title>' "$T/store2/orders/tracking/track-order/index.html"
check "store: the contact block dials the configured phone number" \
  grep -qF 'href="tel:+15550100"' "$T/store2/orders/tracking/track-order/index.html"
check "store: images next to articles are copied" test -f "$T/store2/orders/tracking/order-page.svg"
check "store: assets are fingerprinted" sh -c "ls '$T/store2/assets' | grep -qE '^style\.[0-9a-f]{8,}\.css$'"

section "determinism"
hg "$T/store1.log" build "$STORE" -o "$T/store1" --threads 1 --no-cache
expect_rc "store with --threads 1" 0 "$RC" "$T/store1.log"
same_tree "store: --threads 1 and --threads 2 give byte-identical output" "$T/store1" "$T/store2"
hg "$T/store2b.log" build "$STORE" -o "$T/store2" --threads 2 --no-cache
same_tree "store: a rebuild into the same folder gives byte-identical output" "$T/store1" "$T/store2"
# Parallel rendering must not change what Markdown means: 300 articles with 40
# bare URLs each (GFM autolinks) -> exactly 12000 links of each kind, whatever
# the thread count. (cmark-gfm keeps its inline "special characters" in a
# process-wide table that each parse adds to and removes from.)
AL="$T/autolinks"
mkdir -p "$AL/content/links"
printf 'title: Autolinks\nbase_url: https://help.example.com/\n' >"$AL/helpgen.yaml"
"$PY" - "$AL/content/links" <<'EOF'
import sys
for a in range(300):
    with open('%s/a%03d.md' % (sys.argv[1], a), 'w') as f:
        f.write('---\ntitle: Article %d\n---\n' % a)
        for i in range(40):
            f.write('Visit https://example.com/%d/%d or www.example.org/%d for more.\n\n' % (a, i, i))
EOF
for th in 1 2 8; do
  hg "$T/al$th.log" build "$AL" -o "$T/al$th" --quiet --threads "$th"
  n1=$(cat "$T/al$th"/links/*/index.html 2>/dev/null | grep -o 'href="https://example.com/' | wc -l | tr -d ' ')
  n2=$(cat "$T/al$th"/links/*/index.html 2>/dev/null | grep -o 'href="http://www.example.org/' | wc -l | tr -d ' ')
  check "autolinks with --threads $th: 12000 + 12000 links (got $n1 + $n2)" test "$RC" = 0 -a "$n1" = 12000 -a "$n2" = 12000
done
same_tree "autolinks: --threads 1 and --threads 2 give byte-identical output" "$T/al1" "$T/al2"

section "../shared/corpora/sendgrid-docs (read-only)"
if [ -d "$CORPUS/content" ]; then
  # The corpus links to its original site's root (/ui/...), has empty links
  # ([text]()) and literal {{root_url}}: authored, skipped by the link check.
  good_site sendgrid "$CORPUS" "$T/sg2" --allow-prefix / --allow-prefix '%7B%7Broot_url%7D%7D' \
    --allow-prefix '{{root_url}}' --allow-empty
  check "sendgrid: 473 articles" test "$(count_articles "$CORPUS/content")" = 473
  # this binary has no sanitizer (make asan runs the unit tests under one): a crash is a signal
  if [ "$RC" -lt 128 ] && ! grep -qE 'Segmentation|Aborted|core dumped' "$T/sendgrid.log"; then
    ok "sendgrid: no crash (exit code $RC, no signal)"; else not_ok "sendgrid: no crash (exit code $RC)" "$T/sendgrid.log"; fi
  cr=$(printf '\r')
  ncrlf=0
  grep -rlF "$cr" "$CORPUS/content" >"$T/crlf.list"
  while IFS= read -r f; do
    ncrlf=$((ncrlf + 1))
    expect_msg "sendgrid: CRLF warning for ${f#"$CORPUS"/}" "$T/sendgrid.log" "$f:1: warning: CRLF line endings"
  done <"$T/crlf.list"
  check "sendgrid: the corpus has the two CRLF files (found $ncrlf)" test "$ncrlf" = 2
  check "sendgrid: exactly two CRLF warnings" test "$(grep -c 'warning: CRLF line endings' "$T/sendgrid.log")" = 2
  expect_msg "sendgrid: '--' front matter warns" "$T/sendgrid.log" \
    "$CORPUS/content/docs/glossary/fqdn.md:1:1: warning: front matter should open with '---', found '--'"
  check "sendgrid: glossary/fqdn.md still published with its title" \
    grep -qF '<h1>Fully Qualified Domain Name (FQDN)</h1>' "$T/sg2/docs/glossary/fqdn/index.html"
  nroot=$(grep -rlF '{{root_url}}' "$CORPUS/content" | wc -l | tr -d ' ')
  nwarn=$(grep -F 'warning: unresolved template variable {{root_url}}' "$T/sendgrid.log" | cut -d: -f1 | sort -u | wc -l | tr -d ' ')
  check "sendgrid: {{root_url}} warns in each of the $nroot files using it (warned: $nwarn)" test "$nroot" = "$nwarn" -a "$nroot" -gt 0
  hg "$T/sg1.log" build "$CORPUS" -o "$T/sg1" --threads 1 --quiet --no-cache
  expect_rc "sendgrid with --threads 1" 0 "$RC" "$T/sg1.log"
  same_tree "sendgrid: --threads 1 and --threads 2 give byte-identical output" "$T/sg1" "$T/sg2"
  check "sendgrid: the corpus was not written to" sh -c "! find '$CORPUS' -newer '$T/store1.log' | grep -q ."
else
  not_ok "sendgrid corpus missing at $CORPUS"
fi

# ---------------------------------------------------------------------------
# Bad input. new_site NAME: a copy of fixtures/tiny in $S, built into $O, with a
# copy of that good output in $SNAP. Then the caller breaks $S and calls
# expect_fail NAME RC MESSAGE [build args...]: the build into the same $O must
# exit RC, print MESSAGE, and leave $O byte-identical.
new_site() {
  D="$T/bad-$1"; S="$D/site"; O="$D/out"; SNAP="$D/snap"
  mkdir -p "$D" && cp -R "$FIX/tiny" "$S"
  hg "$D/good.log" build "$S" -o "$O" --quiet
  [ "$RC" = 0 ] || not_ok "$1: the good fixture builds first" "$D/good.log"
  cp -R "$O" "$SNAP"
}
expect_fail() {
  name=$1 want=$2 msg=$3; shift 3
  hg "$D/bad.log" build "$S" -o "$O" "$@"
  expect_rc "$name" "$want" "$RC" "$D/bad.log"
  expect_msg "$name" "$D/bad.log" "$msg"
  same_tree "$name: previous output untouched" "$SNAP" "$O"
  no_leftovers "$name" "$D"
}
B=content/billing/payments  # the fixture's section

section "bad input"
new_site yaml
printf -- '---\ntitle: X\ndescription: a: b\n---\nbody\n' >"$S/$B/bad.md"
expect_fail "malformed YAML" 1 \
  "$S/$B/bad.md:3:15: error: YAML syntax error: mapping values are not allowed in this context"

new_site list
printf -- '---\n- a\n- b\n---\nbody\n' >"$S/$B/bad.md"
expect_fail "front matter is a list" 1 \
  "$S/$B/bad.md:2:1: error: front matter: expected a map of keys (title: ...), found a list"

new_site unclosed
printf -- '---\ntitle: X\nno closing line\n' >"$S/$B/bad.md"
expect_fail "unclosed front matter" 1 \
  "$S/$B/bad.md:1:1: error: front matter opened here is never closed"

new_site utf8
printf -- '---\ntitle: X\n---\nhello \377\376 world\n' >"$S/$B/bad.md"
expect_fail "non-UTF-8 bytes" 1 "$S/$B/bad.md:4:7: error: not valid UTF-8 (byte 0xFF)"

new_site dupslug
printf -- '---\ntitle: X\nslug: refunds\n---\nbody\n' >"$S/$B/bad.md"
expect_fail "duplicate slug in one section" 1 \
  "$S/$B/bad.md:3:7: error: duplicate slug 'refunds': $S/$B/refunds.md has the same URL 'billing/payments/refunds/'"

new_site dotslug
printf -- '---\ntitle: X\nslug: ../evil\n---\nbody\n' >"$S/$B/bad.md"
expect_fail "slug with ../" 1 \
  "$S/$B/bad.md:3:7: error: front matter: slug '../evil' must not contain '/', '\\' or '..'"
check "slug with ../: nothing written outside the output folder" test ! -e "$D/evil" -a ! -e "$O/billing/evil"

new_site slashslug
printf -- '---\ntitle: X\nslug: a/b\n---\nbody\n' >"$S/$B/bad.md"
expect_fail "slug with /" 1 \
  "$S/$B/bad.md:3:7: error: front matter: slug 'a/b' must not contain '/', '\\' or '..'"

new_site link
printf -- '---\ntitle: X\n---\nSee [x](nope.md).\n' >"$S/$B/bad.md"
expect_fail "link to a missing article" 1 \
  "$S/$B/bad.md:4:5: error: link to missing article 'nope.md'"

new_site notpl
mkdir -p "$S/themes/mytheme"
for f in "$ROOT"/themes/default/*.tpl; do
  [ "$(basename "$f")" = faq.tpl ] || cp "$f" "$S/themes/mytheme/"
done
echo "theme: mytheme" >>"$S/helpgen.yaml"
expect_fail "missing template" 2 "theme 'mytheme' has no template faq.tpl"

new_site tplsyntax
mkdir -p "$S/themes/default"
printf '{{%%AUTOESCAPE context="HTML"}}\n<p>{{#X}}oops</p>\n' >"$S/themes/default/article.tpl"
expect_fail "template syntax error" 2 "$S/themes/default/article.tpl:2: template: {{#X}} is never closed"

new_site noescape
mkdir -p "$S/themes/default"
printf '<p>{{PAGE_TITLE}}</p>\n' >"$S/themes/default/article.tpl"
expect_fail "template without AUTOESCAPE" 2 \
  "$S/themes/default/article.tpl:1:1: template: must start with {{%AUTOESCAPE context=\"HTML\"}}"

new_site noescape-partial
mkdir -p "$S/themes/default/partials"
printf '<footer>{{FOOTER}}</footer>\n' >"$S/themes/default/partials/footer.tpl"
expect_fail "partial without AUTOESCAPE" 2 \
  "$S/themes/default/partials/footer.tpl:1:1: template: must start with {{%AUTOESCAPE context=\"HTML\"}}"

new_site strict
printf -- '---\ntitle: W\n---\nText\n\n<div>raw</div>\n' >"$S/$B/w.md"
expect_fail "--strict with a warning" 1 "helpgen: 1 warning and --strict: nothing was written" --strict
expect_msg "--strict names the warning" "$D/bad.log" "$S/$B/w.md:6:1: warning: raw HTML omitted"
hg "$D/nostrict.log" build "$S" -o "$D/out-nostrict"
expect_rc "the same warning without --strict" 0 "$RC" "$D/nostrict.log"

new_site option
expect_fail "unknown option" 2 "helpgen build: unknown option '--bogus'" --bogus

new_site nosite
hg "$D/bad.log" build "$D/no-such-site" -o "$O"
expect_rc "missing site folder" 2 "$RC" "$D/bad.log"
expect_msg "missing site folder" "$D/bad.log" "helpgen: site folder '$D/no-such-site' not found"
same_tree "missing site folder: previous output untouched" "$SNAP" "$O"

new_site config
echo "colour: blue" >>"$S/helpgen.yaml"
hg "$D/warn.log" build "$S" -o "$O"
expect_rc "unknown helpgen.yaml key" 0 "$RC" "$D/warn.log"
expect_msg "unknown helpgen.yaml key" "$D/warn.log" "$S/helpgen.yaml:8: warning: unknown key 'colour'"

new_site foreign
F="$D/foreign"
mkdir -p "$F/sub" && echo "my notes" >"$F/notes.txt" && echo "keep" >"$F/sub/keep.txt"
cp -R "$F" "$D/foreign.snap"
hg "$D/bad.log" build "$S" -o "$F"
expect_rc "non-empty output folder not built by helpgen" 2 "$RC" "$D/bad.log"
expect_msg "non-empty output folder not built by helpgen" "$D/bad.log" \
  "refusing to replace '$F': it is not empty and was not built by helpgen"
same_tree "non-empty output folder not built by helpgen: its files untouched" "$D/foreign.snap" "$F"
no_leftovers "non-empty output folder not built by helpgen" "$D"

new_site fileinway
echo "I am a file" >"$D/afile"
hg "$D/bad.log" build "$S" -o "$D/afile/out"
expect_rc "output folder's parent is a file" 2 "$RC" "$D/bad.log"
expect_msg "output folder's parent is a file" "$D/bad.log" "$D/afile: cannot create folder: a file is in the way"
check "output folder's parent is a file: the file is untouched" sh -c "[ \"\$(cat '$D/afile')\" = 'I am a file' ]"

# An unwritable output folder that holds the previous site. As root, chmod does
# not stop writes: use a tmpfs remounted read-only; where root cannot mount (a
# container), a chmod 555 parent with the build run without the capabilities
# that let root write through it (setpriv). Otherwise a chmod 555 parent.
new_site readonly
RO="$D/ro"
mkdir -p "$RO"
# unwritable_parent: the chmod 555 case (under HG_WRAP as root)
unwritable_parent() {
  cp -R "$O" "$RO/site"
  chmod 555 "$RO"
  hg "$D/bad.log" build "$S" -o "$RO/site"
  chmod 755 "$RO"
  expect_rc "unwritable output folder (chmod 555 parent)" 2 "$RC" "$D/bad.log"
  expect_msg "unwritable output folder (chmod 555 parent)" "$D/bad.log" "the output folder '$RO/site': Permission denied"
  same_tree "unwritable output folder: previous output untouched" "$SNAP" "$RO/site"
}
if [ "$(id -u)" = 0 ]; then
  ro_done=0
  if mount -t tmpfs -o size=16m tmpfs "$RO" 2>"$D/mount.log"; then
    MOUNTED=$RO
    cp -R "$O" "$RO/site"
    if mount -o remount,ro "$RO" 2>>"$D/mount.log"; then
      hg "$D/bad.log" build "$S" -o "$RO/site"
      expect_rc "read-only output folder" 2 "$RC" "$D/bad.log"
      expect_msg "read-only output folder" "$D/bad.log" "the output folder '$RO/site': Read-only file system"
      same_tree "read-only output folder: previous output untouched" "$SNAP" "$RO/site"
      ro_done=1
    fi
    umount "$RO" && MOUNTED=""
  fi
  [ $ro_done = 1 ] || echo "# read-only tmpfs not available ($(cat "$D/mount.log")): a chmod 555 parent without root's capabilities"
  rm -rf "$RO/site"
  HG_WRAP="setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search"
  unwritable_parent
  HG_WRAP=""
else
  unwritable_parent
fi

# A 50 MB article (a sparse file: the size is checked before reading) is
# refused with its size and the limit; the previous output stays intact.
new_site big
truncate -s 50M "$S/$B/huge.md"
expect_fail "50 MB article" 1 "$S/$B/huge.md: error: file is 50 MB, over the 16 MB limit for one article"
rm -f "$S/$B/huge.md"

# Not errors: handled quietly or with a warning.
new_site quirks
printf '\357\273\277---\ntitle: With BOM\n---\nhi\n' >"$S/$B/bom.md"
printf -- '---\r\ntitle: With CRLF\r\n---\r\nline one\r\n' >"$S/$B/crlf.md"
: >"$S/$B/empty.md"
hg "$D/q.log" build "$S" -o "$O"
expect_rc "BOM, CRLF and empty files" 0 "$RC" "$D/q.log"
check "BOM: front matter read (title used)" grep -qF '<h1>With BOM</h1>' "$O/billing/payments/bom/index.html"
check "CRLF: front matter read (title used)" grep -qF '<h1>With CRLF</h1>' "$O/billing/payments/crlf/index.html"
expect_msg "CRLF warns" "$D/q.log" "$S/$B/crlf.md:1: warning: CRLF line endings"
expect_msg "empty file warns" "$D/q.log" "$S/$B/empty.md:1: warning: empty file"

# base_url with a sub-path: pages stay relative, 404.html (served at any URL)
# links through the sub-path.
new_site subpath
sed 's|^base_url:.*|base_url: https://example.com/help/|' "$S/helpgen.yaml" >"$D/y" && mv "$D/y" "$S/helpgen.yaml"
hg "$D/s.log" build "$S" -o "$O"
expect_rc "base_url with a sub-path" 0 "$RC" "$D/s.log"
check "base_url with a sub-path: 404.html links through /help/" grep -qF 'href="/help/index.html"' "$O/404.html"
check "base_url with a sub-path: every internal href/src resolves" \
  "$PY" "$ROOT/tests/e2e/checklinks.py" "$O" --base-path "$(base_path_of "$S")"

# Raw HTML allowed (markdown.unsafe: true) inside an h2 that gets an id.
new_site unsafe
printf 'markdown:\n  unsafe: true\n' >>"$S/helpgen.yaml"
printf -- '---\ntitle: Raw\n---\n## <b>Bold</b> heading\n\nAfter the heading.\n' >"$S/$B/raw.md"
hg "$D/u.log" build "$S" -o "$O"
expect_rc "unsafe raw HTML in a heading" 0 "$RC" "$D/u.log"
check "unsafe raw HTML in a heading: rendered intact" \
  grep -qF '<h2 id="bold-heading"><b>Bold</b> heading</h2>' "$O/billing/payments/raw/index.html"
check "unsafe raw HTML in a heading: the paragraph after it is intact" \
  grep -qF '<p>After the heading.</p>' "$O/billing/payments/raw/index.html"

# ---------------------------------------------------------------------------
# The checkers must be able to fail: break a copy of a good site three ways.
section "checker self-test"
C="$T/selftest"
cp -R "$T/bad-list/snap" "$C"
check "self-test: the good tiny site passes checklinks" "$PY" "$ROOT/tests/e2e/checklinks.py" "$C" --base-path /
check "self-test: the good tiny site passes checkcrumbs" "$PY" "$ROOT/tests/e2e/checkcrumbs.py" "$C" 5
rm "$C/billing/payments/cards/index.html"
check "self-test: checklinks reports a missing page" sh -c "! $PY '$ROOT/tests/e2e/checklinks.py' '$C' --base-path / >/dev/null"
check "self-test: checkcrumbs reports a page-count mismatch" sh -c "! $PY '$ROOT/tests/e2e/checkcrumbs.py' '$C' 5 >/dev/null"
sed 's/aria-label="Breadcrumb"/aria-label="Trail"/' "$C/billing/index.html" >"$C/x" && mv "$C/x" "$C/billing/index.html"
check "self-test: checkcrumbs reports a page without breadcrumbs" sh -c "! $PY '$ROOT/tests/e2e/checkcrumbs.py' '$C' 4 >/dev/null"
echo '<p>"><img src=x onerror=alert(1)></p>' >>"$C/billing/payments/refunds/index.html"
check "self-test: checkxss reports an injected handler" sh -c "! $PY '$ROOT/tests/e2e/checkxss.py' '$C' >/dev/null"

# ---------------------------------------------------------------------------
section "XSS"
X="$T/xss"
hg "$T/xss.log" build "$FIX/xss" -o "$X"
expect_rc "XSS fixture builds" 0 "$RC" "$T/xss.log"
check "XSS: no raw <script>alert in any output file" sh -c "! grep -rniF '<script>alert' '$X'"
check "XSS: no raw <img src=x onerror in any output file" sh -c "! grep -rniF '<img src=x onerror' '$X'"
check "XSS: no raw </script><script> in any output file" sh -c "! grep -rniF '</script><script>' '$X'"
check "XSS: no javascript: link" sh -c "! grep -rniE '(href|src)=\"?javascript:' '$X'"
check "XSS: parsed pages hold no handler, javascript: URL or inline alert script" \
  "$PY" "$ROOT/tests/e2e/checkxss.py" "$X"
E='&lt;script&gt;alert(1)&lt;/script&gt;'
I='&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
A="$X/x-cat/x-sec/evil/index.html"
check "XSS: article title shown escaped" grep -qF "<h1>Evil &lt;/script&gt;$E $I</h1>" "$A"
check "XSS: description shown escaped" grep -qF "content=\"Desc $E $I\"" "$A"
check "XSS: tags shown escaped" sh -c "grep -qF '<li>$E</li>' '$A' && grep -qF '<li>$I</li>' '$A'"
check "XSS: category title shown escaped" grep -qF "Cat $E $I" "$X/x-cat/index.html"
check "XSS: category title escaped in the article's breadcrumbs" grep -qF ">Cat $E $I</a>" "$A"
# Raw HTML in bodies is dropped (markdown.unsafe is off); the text around stays.
check "XSS: category body rendered" grep -qE 'Category body .*&quot;&gt;.* here\.</p>' "$X/x-cat/index.html"
check "XSS: article body rendered" grep -qE 'Body text .*&quot;&gt;.* inline\.</p>' "$A"
check "XSS: home lists the promoted article escaped" grep -qF "Evil &lt;/script&gt;$E" "$X/index.html"

summary
