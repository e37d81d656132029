#!/bin/sh
# End-to-end tests for many languages: examples/multilingual (English,
# Czech, Thai, Arabic; non-ASCII folder names) built by the real binary and
# checked from the outside: <html lang dir>, theme strings and dates per
# language, the language switcher, hreflang + x-default in every head and in
# the sitemap, one search index per language, --pseudo, the
# missing-translation summary and check rule, bad configurations (exit 2
# with helpgen.yaml:LINE:COL), partial and broken language files, the SEO
# files of every language (feeds, llms.txt, aliases, _redirects, a 404 page
# per language, also from `helpgen serve`), and byte-identical output with 1
# and 2 threads.
# Everything is written under one mktemp folder in /tmp (removed at exit; kept
# with HG_E2E_KEEP=1). Prints TAP-like lines and a last line "N passed,
# M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG="$ROOT/helpgen"
PY=${PYTHON:-python3}
EX="$ROOT/examples/multilingual"

. "$ROOT/tests/e2e/lib.sh"
e2e_start languages

[ -x "$HG" ] || { echo "languages.sh: build ./helpgen first (make helpgen)" >&2; exit 2; }

# ---------------------------------------------------------------------------
section "examples/multilingual builds"
O="$T/site"
hg "$T/build.log" build "$EX" -o "$O" --strict --threads 2
expect_rc "examples/multilingual builds with --strict" 0 "$RC" "$T/build.log"
has "summary: four languages" "$T/build.log" "articles, 4 languages)"
has "summary: Czech translations counted, missing ones named" "$T/build.log" \
  "helpgen: cs: 4 of 6 articles translated; missing: orders/change-or-cancel/cancel-order.md, returns/refund-timing.md"
has "summary: Thai" "$T/build.log" "helpgen: th: 2 of 6 articles translated; missing:"
has "summary: Arabic" "$T/build.log" "helpgen: ar: 3 of 6 articles translated; missing:"
hg "$T/quiet.log" build "$EX" -o "$T/quiet" --quiet
if [ -s "$T/quiet.log" ]; then not_ok "--quiet prints nothing" "$T/quiet.log"; else ok "--quiet prints nothing"; fi

EN_ART="$O/orders/tracking/track-order/index.html"
CS_ART="$O/cs/objednávky/sledování/sledování-objednávky/index.html"
TH_ART="$O/th/คำสั่งซื้อ/การติดตาม/ติดตามคำสั่งซื้อ/index.html"
AR_ART="$O/ar/الطلبات/tracking/track-order/index.html"
check "non-ASCII folder and file names give readable URLs (Czech, Thai, Arabic)" \
  test -f "$CS_ART" -a -f "$TH_ART" -a -f "$AR_ART" -a -f "$O/cs/doprava/časté-dotazy/index.html"

section "lang, dir, strings and dates per language"
has "English home: lang=en dir=ltr" "$O/index.html" '<html lang="en" dir="ltr">'
has "Czech article: lang=cs dir=ltr" "$CS_ART" '<html lang="cs" dir="ltr">'
has "Thai article: lang=th" "$TH_ART" '<html lang="th" dir="ltr">'
has "Arabic article: dir=rtl" "$AR_ART" '<html lang="ar" dir="rtl">'
has "Arabic FAQ page: dir=rtl" "$O/ar/shipping/shipping-faq/index.html" '<html lang="ar" dir="rtl">'
has "Arabic search page: dir=rtl" "$O/ar/search/index.html" '<html lang="ar" dir="rtl">'
has "Czech theme strings" "$CS_ART" 'placeholder="Hledat odpovědi…"'
has "Czech date" "$CS_ART" '<time datetime="2026-09-02">2. září 2026</time>'
has "English date" "$EN_ART" '<time datetime="2026-09-02">September 2, 2026</time>'
has "Thai theme strings" "$TH_ART" 'aria-label="ภาษา"'
has "Arabic theme strings" "$AR_ART" '<a class="skip-link" href="#main">انتقل إلى المحتوى</a>'
has "Czech breadcrumbs start at the Czech home" "$CS_ART" '<a href="../../../../cs/index.html">Domů</a>'
has "Czech header search goes to the Czech search page" "$CS_ART" 'action="../../../../cs/search/index.html"'
has "404 page of the default language" "$O/404.html" '<html lang="en" dir="ltr">'
has "a 404 page per language: Czech" "$O/cs/404.html" '<html lang="cs" dir="ltr">'
has "a 404 page per language: Arabic, right to left" "$O/ar/404.html" '<html lang="ar" dir="rtl">'
has "the Czech 404 page links to the Czech home from the site root" "$O/cs/404.html" '<a class="hg-button" href="/cs/index.html">Domů</a>'
has "the Thai 404 page in Thai" "$O/th/404.html" '<html lang="th" dir="ltr">'

section "feeds, llms.txt and redirects in every language"
for l in cs th ar; do
  check "$l: Atom feed of the language, in the language" grep -qF "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"$l\">" "$O/$l/feed.xml"
  check "$l: llms.txt" grep -qF "/$l/" "$O/$l/llms.txt"
done
check "feeds: every feed and the sitemap parse as XML" "$PY" -c "
import sys, glob, xml.dom.minidom
files = glob.glob(sys.argv[1] + '/**/feed.xml', recursive=True) + [sys.argv[1] + '/sitemap.xml']
assert len(files) > 8, files
for f in files: xml.dom.minidom.parse(f)
" "$O"
has "a Czech category feed" "$O/cs/objednávky/feed.xml" '<title>Sledování objednávky</title>'
has "the Czech pages link to the Czech feed" "$CS_ART" 'href="../../../../cs/feed.xml"'
has "the Czech pages link to their Czech category feed" "$CS_ART" 'href="../../../../cs/objednávky/feed.xml"'
has "the Markdown copy of a Czech article" "$O/cs/objednávky/sledování/sledování-objednávky/index.md" '# Sledování objednávky'
has "the root llms.txt names the other languages'" "$O/llms.txt" '- [Čeština](https://help.example.com/cs/llms.txt)'
has "a Czech alias: its meta-refresh page, in Czech" "$O/cs/stare/sledovani-zasilky/index.html" '<html lang="cs">'
has "an Arabic alias: right to left" "$O/ar/old/track/index.html" '<html lang="ar" dir="rtl">'
has "_redirects: the Czech alias" "$O/_redirects" '/cs/stare/sledovani-zasilky/ /cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/sledov%C3%A1n%C3%AD-objedn%C3%A1vky/ 301'
check "_redirects: aliases first, then a 404 rule per other language" sh -c \
  "grep -v '^#' '$O/_redirects' | tr '\n' '|' | grep -qxF '/cs/stare/sledovani-zasilky/ /cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/sledov%C3%A1n%C3%AD-objedn%C3%A1vky/ 301|/ar/old/track/ /ar/%D8%A7%D9%84%D8%B7%D9%84%D8%A8%D8%A7%D8%AA/tracking/track-order/ 301|/cs/* /cs/404.html 404|/th/* /th/404.html 404|/ar/* /ar/404.html 404|'"
has "nginx map: the Arabic alias" "$O/redirects.nginx.conf" '"/ar/old/track/" "/ar/%D8%A7%D9%84%D8%B7%D9%84%D8%A8%D8%A7%D8%AA/tracking/track-order/";'
lacks "no warning that other languages' aliases are ignored" "$T/build.log" "aliases are only redirected"
has "robots.txt keeps crawlers out of every language's search page" "$O/robots.txt" "Disallow: /cs/search/"

# an alias of one language that is another language's page: an error at its line
A="$T/alias-site"
cp -R "$EX" "$A"
sed -i 's|^aliases: \[/ar/old/track/\]$|aliases: [/cs/objednávky/]|' "$A/content/ar/orders/tracking/track-order.md"
hg "$T/alias.log" build "$A" -o "$T/alias-out"
expect_rc "an Arabic alias that is a Czech folder's URL" 1 "$RC" "$T/alias.log"
has "the alias error names the file and line" "$T/alias.log" \
  "content/ar/orders/tracking/track-order.md:8:11: error: alias '/cs/objednávky/' is the URL of the folder"
sed -i 's|^aliases: \[/cs/objednávky/\]$|aliases: [/cs/404.html]|' "$A/content/ar/orders/tracking/track-order.md"
hg "$T/alias2.log" build "$A" -o "$T/alias-out"
has "an alias may not replace another language's 404 page" "$T/alias2.log" \
  "track-order.md:8:11: error: alias '/cs/404.html' would replace helpgen's own cs/404.html"

section "switcher and hreflang"
has "switcher marks the current language" "$CS_ART" 'hreflang="cs" lang="cs" aria-current="true">Čeština</a>'
has "switcher: the configured name of Thai" "$CS_ART" '>ภาษาไทย</a>'
has "switcher: Arabic named from its language file" "$CS_ART" '>العربية</a>'
has "switcher links to the translation" "$CS_ART" 'href="../../../../th/คำสั่งซื้อ/การติดตาม/ติดตามคำสั่งซื้อ/index.html" hreflang="th"'
has "switcher falls back to the language's home" "$O/orders/change-or-cancel/cancel-order/index.html" \
  'href="../../../cs/index.html" hreflang="cs"'
has "hreflang alternates in the head" "$EN_ART" '<link rel="alternate" hreflang="cs" href="https://help.example.com/cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/sledov%C3%A1n%C3%AD-objedn%C3%A1vky/">'
has "x-default is the default language's page" "$CS_ART" '<link rel="alternate" hreflang="x-default" href="https://help.example.com/orders/tracking/track-order/">'
has "canonical URLs are percent-encoded" "$CS_ART" '<link rel="canonical" href="https://help.example.com/cs/objedn%C3%A1vky/sledov%C3%A1n%C3%AD/sledov%C3%A1n%C3%AD-objedn%C3%A1vky/">'
lacks "no alternate for a missing translation" "$O/orders/change-or-cancel/cancel-order/index.html" 'hreflang="cs" href="https'

cat >"$T/links.py" <<'EOF'
# Every switcher link and hreflang alternate of every page leads to a page
# that exists; alternates are reciprocal, include the page itself and
# x-default; canonical and alternate URLs are ASCII; each page's search
# manifest is its own language's and exists.
import os, re, sys, urllib.parse
out, base = sys.argv[1], "https://help.example.com/"
problems, pages = [], 0
alts = {}
for d, _, files in os.walk(out):
    for f in files:
        if not f.endswith(".html") or f == "404.html":
            continue
        path = os.path.join(d, f)
        html = open(path, encoding="utf-8").read()
        if 'http-equiv="refresh"' in html:
            continue
        pages += 1
        rel = os.path.relpath(path, out)
        lang = re.search(r'<html lang="([^"]+)"', html).group(1)
        nav = re.search(r'<nav class="hg-langs".*?</nav>', html, re.S)
        if not nav:
            problems.append(rel + ": no language switcher")
            continue
        for href in re.findall(r'href="([^"]+)"', nav.group(0)):
            target = os.path.normpath(os.path.join(d, urllib.parse.unquote(href)))
            if not os.path.isfile(target):
                problems.append(f"{rel}: switcher link {href} leads nowhere")
        mine = {}
        for hl, u in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html):
            if not u.isascii() or not u.startswith(base):
                problems.append(f"{rel}: alternate {u} is not an absolute ASCII URL")
                continue
            p = urllib.parse.unquote(u[len(base):]) + "index.html"
            if not os.path.isfile(os.path.join(out, p)):
                problems.append(f"{rel}: alternate {hl} {u} leads nowhere")
            mine[hl] = p
        if "x-default" not in mine or mine.get(lang) != rel:
            problems.append(f"{rel}: alternates lack x-default or the page itself: {mine}")
        alts[rel] = mine
        canon = re.search(r'<link rel="canonical" href="([^"]+)">', html)
        if canon and not canon.group(1).isascii():
            problems.append(f"{rel}: canonical URL is not ASCII")
        m = re.search(r'<meta name="helpgen:search" content="([^"]+)">', html).group(1)
        if not re.search(r"search/%s/manifest\.bin$" % re.escape(lang), m) or \
                not os.path.isfile(os.path.normpath(os.path.join(d, m))):
            problems.append(f"{rel}: search manifest {m} is not the {lang} one")
for rel, mine in alts.items():
    for hl, other in mine.items():
        if hl != "x-default" and other in alts and alts[other].get(
                re.search(r'<html lang="([^"]+)"', open(os.path.join(out, rel), encoding="utf-8").read()).group(1)) != rel:
            problems.append(f"{rel}: {other} does not link back")
print("\n".join(problems[:20]))
print(f"{pages} pages checked")
sys.exit(1 if problems else 0)
EOF
check "switcher links and hreflang alternates resolve, are reciprocal, search manifests per language" \
  "$PY" "$T/links.py" "$O"

section "search and sitemap"
for l in en cs th ar; do
  check "search index for $l" sh -c "ls '$O/search/$l/' | grep -qx 'manifest.bin'"
done
cat >"$T/sitemap.py" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
root = ET.parse(sys.argv[1]).getroot()
urls = root.findall("s:url", ns)
locs = [u.find("s:loc", ns).text for u in urls]
assert all(l.isascii() for l in locs), "non-ASCII loc"
assert "https://help.example.com/cs/objedn%C3%A1vky/" in locs, "Czech folder missing"
assert len(locs) == len(set(locs)), "duplicate loc"
for u in urls:
    alts = {a.get("hreflang"): a.get("href") for a in u.findall("x:link", ns)}
    assert "x-default" in alts, u.find("s:loc", ns).text
    assert all(h.isascii() for h in alts.values())
print(len(locs), "urls")
EOF
check "sitemap.xml parses: every language, ASCII URLs, xhtml:link alternates with x-default" \
  "$PY" "$T/sitemap.py" "$O/sitemap.xml"
check "sitemap: 15 articles + 20 folders" sh -c "test \$(grep -c '<url>' '$O/sitemap.xml') = 35"

section "--pseudo"
hg "$T/pseudo.log" build "$EX" -o "$T/pseudo" --pseudo
expect_rc "build --pseudo" 0 "$RC" "$T/pseudo.log"
has "--pseudo: pseudo-locale strings" "$T/pseudo/cs/index.html" 'placeholder="[Séáŕçĥ ƒóŕ áñšŵéŕš…~~~~~~]"'
lacks "--pseudo: no Czech theme strings left" "$T/pseudo/cs/index.html" 'Hledat'
has "--pseudo: Arabic pages stay right-to-left" "$T/pseudo/ar/index.html" '<html lang="ar" dir="rtl">'

section "helpgen check: missing-translation"
"$HG" check "$EX" --format json >"$T/check.json" 2>"$T/check.log"
cat >"$T/check.py" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
m = [f for f in r["findings"] if f["rule"] == "missing-translation"]
assert len(m) == 9, len(m)  # 2 cs + 4 th + 3 ar
f = [f for f in m if f["path"].endswith("content/en/orders/change-or-cancel/cancel-order.md")
     and f["message"].startswith("no cs translation: add content/cs/orders/change-or-cancel/cancel-order.md")]
assert f and f[0]["severity"] == "warning" and f[0]["line"] == 1, m
EOF
check "check reports each missing translation at the default language's article (9)" \
  "$PY" "$T/check.py" "$T/check.json"

section "bad configurations and language files"
S="$T/bad"
mk() { rm -rf "$S"; mkdir -p "$S/content/en" "$S/content/cs"; printf '# A\n\nText.\n' >"$S/content/en/a.md"; printf '# A\n\nText.\n' >"$S/content/cs/a.md"; }
mk
printf 'title: Bad\nlanguages:\n  - code: en\n  - code: klingon\n' >"$S/helpgen.yaml"
hg "$T/bad1.log" build "$S" -o "$T/bad1"
expect_rc "an unknown language code" 2 "$RC" "$T/bad1.log"
has "unknown code: helpgen.yaml:LINE:COL" "$T/bad1.log" "helpgen.yaml:4:11: language 'klingon' is not a language code"
printf 'languages:\n  - code: en\n  - code: cs\n  - code: en\n' >"$S/helpgen.yaml"
hg "$T/bad2.log" build "$S" -o "$T/bad2"
expect_rc "a language listed twice" 2 "$RC" "$T/bad2.log"
has "twice: helpgen.yaml:LINE" "$T/bad2.log" "helpgen.yaml:4:11: language 'en' is listed twice (line 2)"
printf 'languages: [en, cs, de]\n' >"$S/helpgen.yaml"
hg "$T/bad3.log" build "$S" -o "$T/bad3"
expect_rc "a language without its content folder" 2 "$RC" "$T/bad3.log"
has "missing folder named" "$T/bad3.log" "no folder for language 'de'"

printf 'languages: [en, cs]\n' >"$S/helpgen.yaml"
mkdir -p "$S/themes/default/i18n"
printf 'strings:\n  search: Najít\n' >"$S/themes/default/i18n/cs.yaml"
printf '# Stray\n' >"$S/content/stray.md"
hg "$T/part.log" build "$S" -o "$T/part"
expect_rc "a partial language file in the site's theme" 0 "$RC" "$T/part.log"
has "the site's string wins" "$T/part/cs/a/index.html" '<button type="submit">Najít</button>'
has "the other strings come from the built-in file" "$T/part/cs/a/index.html" '>Domů</a>'
has "content outside the language folders: a warning" "$T/part.log" "content/stray.md: warning: not in a language folder"
printf 'strings:\n  search: [Najít\n' >"$S/themes/default/i18n/cs.yaml"
hg "$T/broken.log" build "$S" -o "$T/part"
expect_rc "a broken language file" 2 "$RC" "$T/broken.log"
has "broken file: path:line" "$T/broken.log" "themes/default/i18n/cs.yaml:3:1: error: YAML syntax error"
has "broken file: the previous site is untouched" "$T/part/cs/a/index.html" 'Najít'
printf 'strings: [a, b]\n' >"$S/themes/default/i18n/cs.yaml"
hg "$T/broken2.log" build "$S" -o "$T/broken2"
expect_rc "a language file whose strings are not a map" 2 "$RC" "$T/broken2.log"
has "not a map: path:line" "$T/broken2.log" "themes/default/i18n/cs.yaml:1:10: error: 'strings' must be a map"
rm -f "$S/themes/default/i18n/cs.yaml" "$S/content/stray.md"
printf 'languages: [en, fa]\n' >"$S/helpgen.yaml"
mv "$S/content/cs" "$S/content/fa"
printf 'strings:\n  search: جستجو\n' >"$S/themes/default/i18n/fa.yaml"
hg "$T/fa.log" build "$S" -o "$T/fa"
expect_rc "a language without built-in strings, with a partial site file" 0 "$RC" "$T/fa.log"
has "Persian: right-to-left" "$T/fa/fa/a/index.html" '<html lang="fa" dir="rtl">'
has "Persian: the site's string" "$T/fa/fa/a/index.html" '>جستجو</button>'
has "Persian: English for the rest" "$T/fa/fa/a/index.html" 'Skip to content'

section "one language stays as it was"
hg "$T/guide.log" build "$ROOT" -o "$T/guide"
expect_rc "the user guide (one language) builds" 0 "$RC" "$T/guide.log"
lacks "one language: no language switcher" "$T/guide/index.html" 'hg-langs'
lacks "one language: no hreflang" "$T/guide/index.html" 'hreflang'
has "one language: search index under search/en/" "$T/guide/index.html" 'content="./search/en/manifest.'
# one language, no aliases: no _redirects at all (so no per-language 404 rules)
check "one language: no _redirects (no 404 rules, no aliases)" test ! -e "$T/guide/_redirects"
check "one language: no per-language 404 pages" test ! -e "$T/guide/en/404.html"

section "helpgen serve answers with each language's 404 page"
if curl --version >/dev/null 2>&1 && ! "$HG" serve "$T/none" 2>&1 | grep -q "without libmicrohttpd"; then
  "$HG" serve "$EX" --port 0 --threads 2 >"$T/serve.log" 2>&1 &
  SPID=$!
  i=0
  while [ $i -lt 300 ] && ! grep -q "helpgen: serving" "$T/serve.log"; do sleep 0.1; i=$((i + 1)); done
  URL=$(sed -n 's|^helpgen: serving .* at \(http://127\.0\.0\.1:[0-9]*/\) .*|\1|p' "$T/serve.log")
  for p in cs/nic-takoveho/ ar/missing th/x/y/ no-such-page/; do
    n=$(echo "$p" | tr '/' '_')
    curl -s --max-time 10 -o "$T/$n.body" -w '%{http_code}\n' "${URL}$p" >"$T/$n.code" 2>&1
  done
  has "serve: a miss under cs/ is a 404" "$T/cs_nic-takoveho_.code" "404"
  has "serve: a miss under cs/ gets the Czech 404 page" "$T/cs_nic-takoveho_.body" '<html lang="cs" dir="ltr">'
  has "serve: a miss under ar/ gets the Arabic 404 page" "$T/ar_missing.body" '<html lang="ar" dir="rtl">'
  has "serve: a deeper miss under th/ gets the Thai 404 page" "$T/th_x_y_.body" '<html lang="th" dir="ltr">'
  has "serve: any other miss gets the default language's" "$T/no-such-page_.body" '<html lang="en" dir="ltr">'
  kill -INT "$SPID" 2>/dev/null
  wait "$SPID" 2>/dev/null
else
  skip "helpgen serve (no curl, or built without libmicrohttpd)"
fi

section "determinism"
hg "$T/t1.log" build "$EX" -o "$T/t1" --threads 1
hg "$T/t2.log" build "$EX" -o "$T/t2" --threads 2
check "byte-identical with 1 and 2 threads" diff -r "$T/t1" "$T/t2"
check "byte-identical with the first build" diff -r "$T/t1" "$O"

summary
