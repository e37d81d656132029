#!/bin/sh
# End-to-end tests for self-service flows (flows/*.yaml), with the real binary:
#   1. examples/store (with an article that links to a flow) builds: every step
#      and outcome page exists, every internal link resolves (checklinks.py),
#      the home page lists the flows, the article's link reaches the flow, the
#      widget's JSON parses and its URLs exist, every later page has "start
#      over"; output is byte-identical with 1 and 2 threads; pretty links;
#   2. bad flows: exact message (flows/NAME.yaml:LINE:COL), exit code 1, previous
#      site untouched.
# HELPGEN=/path/to/helpgen picks the binary (default: ./helpgen of this tree).
# Everything is written under one mktemp folder (removed at exit; kept with
# HG_E2E_KEEP=1). Prints TAP-like lines and "N passed, M failed"; exits 1 if
# anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
STORE="$ROOT/examples/store"
PY=${PYTHON:-python3}

. "$ROOT/tests/e2e/lib.sh"
e2e_start flows

# expect_msg DESC LOG TEXT: LOG holds TEXT (fixed string).
expect_msg() {
  if grep -qF -- "$3" "$2"; then ok "$1: message"; else
    { echo "want: $3"; echo "got:"; cat "$2"; } >"$T/msg.log"; not_ok "$1: message" "$T/msg.log"; fi
}
same_tree() {
  if diff -r "$2" "$3" >"$T/diff.log" 2>&1; then ok "$1"; else not_ok "$1" "$T/diff.log"; fi
}

if [ ! -x "$HG" ]; then echo "flows: $HG is missing (make helpgen, or HELPGEN=...)"; echo "0 passed, 1 failed"; exit 1; fi

# ---------------------------------------------------------------------------
section "examples/store with its flows"
S="$T/store"
cp -R "$STORE" "$S"
rm -rf "$S/public"
ART="$S/content/en/orders/tracking/track-order.md"
printf '\nNot sure what to do? [Track my order step by step](../../../../flows/track-order.yaml).\n' >>"$ART"
O="$T/out1"
hg "$T/build1.log" build "$S" -o "$O" --threads 1
expect_rc "store with flows builds" 0 "$RC" "$T/build1.log"
check "store: no warnings" grep -q ", 0 warnings" "$T/build1.log"

# every page the flow files describe: the start, each other step, each outcome
"$PY" - "$S/flows" >"$T/pages.txt" 2>"$T/pages.err" <<'EOF'
import re, sys, os, unicodedata
# a tiny reader for the flows' shape (no PyYAML needed): slug, start, step
# names, and each option's label and kind
def slug(s):
    s = s.replace("'", "").replace("\u2019", "").lower()
    out, dash = [], False
    for ch in s:
        if unicodedata.category(ch)[0] in "LNM":
            out.append(ch); dash = False
        elif not dash:
            out.append("-"); dash = True
    r = "".join(out).strip("-")
    if len(r) > 40:
        cut = r.rfind("-", 0, 41)
        r = r[:cut] if cut > 0 else r[:40]
    return r
for f in sorted(os.listdir(sys.argv[1])):
    text = open(os.path.join(sys.argv[1], f)).read()
    fslug = re.search(r"^slug: (\S+)", text, re.M).group(1)
    start = re.search(r"^start: (\S+)", text, re.M).group(1)
    step = None
    for line in text.splitlines():
        m = re.match(r"^  ([a-z0-9-]+):$", line)
        if m:
            step = m.group(1)
            print(f"flows/{fslug}" + ("" if step == start else f"/{step}"))
            continue
        m = re.match(r'^      - label: "?(.*?)"?$', line)
        if m:
            label = m.group(1)
            continue
        m = re.match(r"^        (answer|article|contact):", line)
        if m:
            print(f"flows/{fslug}/{step}-{slug(label)}")
EOF
missing=""
n=0
while read -r p; do
  n=$((n + 1))
  [ -f "$O/$p/index.html" ] || missing="$missing $p"
done <"$T/pages.txt"
if [ "$n" -gt 20 ] && [ -z "$missing" ]; then ok "store: all $n flow pages exist (start, steps, outcomes)"
else echo "pages: $n; missing:$missing" >"$T/m.log"; cat "$T/pages.err" >>"$T/m.log"; not_ok "store: all flow pages exist" "$T/m.log"; fi
got=$(find "$O/flows" -name index.html | wc -l | tr -d ' ')
if [ "$got" = "$n" ]; then ok "store: no other pages under flows/ ($got)"; else
  echo "got $got, want $n" >"$T/c.log"; not_ok "store: page count under flows/" "$T/c.log"; fi
# the summary counts them: the same site without flows has n pages fewer
cp -R "$S" "$T/noflows" && rm -rf "$T/noflows/flows" && sed -i '$d' "$T/noflows/content/en/orders/tracking/track-order.md"
hg "$T/noflows.log" build "$T/noflows" -o "$T/noflows-out"
base=$(sed -n 's/^helpgen: built \([0-9]*\) pages.*/\1/p' "$T/noflows.log")
check "store: the summary counts the $n flow pages" grep -q "built $((base + n)) pages" "$T/build1.log"
check "store: every internal href/src resolves" "$PY" "$ROOT/tests/e2e/checklinks.py" "$O" --base-path /
check "store: the home page lists both flows" sh -c "grep -q 'href=\"./flows/track-order/index.html\"><strong>Track my order</strong>' '$O/index.html' && grep -q 'href=\"./flows/return-item/index.html\"><strong>Return an item</strong>' '$O/index.html'"
check "store: flows listed by weight (track-order first)" sh -c "grep -o 'flows/[a-z-]*/index.html' '$O/index.html' | head -n 1 | grep -q track-order"
check "store: the article's link to flows/track-order.yaml reaches the flow" \
  grep -q 'href="../../../flows/track-order/index.html">Track my order step by step</a>' "$O/orders/tracking/track-order/index.html"
check "store: every page after the start has a start-over link to the start" sh -c "
  for f in \$(find '$O/flows' -mindepth 3 -name index.html); do
    grep -q 'class=\"hg-flow-restart\" href=\"../../../flows/' \"\$f\" || { echo \"no start over: \$f\"; exit 1; }
  done"
check "store: start pages have options and no start-over" sh -c "
  for f in '$O/flows/track-order/index.html' '$O/flows/return-item/index.html'; do
    grep -q 'class=\"hg-flow-option\"' \"\$f\" && ! grep -q hg-flow-restart \"\$f\" || exit 1
  done"
check "store: an answer is rendered from Markdown, its links rewritten" \
  grep -q 'Within <strong>60 minutes</strong> of placing it you' "$O/flows/track-order/processing-less-than-60-minutes-ago/index.html"
check "store: a contact outcome shows the contact block" \
  grep -q 'id="hg-contact-title"' "$O/flows/track-order/late-more-than-two-business-days/index.html"
check "store: an article outcome links the article" \
  grep -q 'class="hg-flow-article" href="../../../shipping/delivery-problems/late-package/index.html"' "$O/flows/track-order/late-up-to-two-business-days/index.html"
check "store: flow pages link flows.css and flows.js" sh -c "grep -q 'assets/flows\.[0-9a-f]*\.css' '$O/flows/track-order/index.html' && grep -q 'assets/flows\.[0-9a-f]*\.js' '$O/flows/track-order/index.html'"
# the widget's data: valid JSON whose URLs (relative to the start page) exist
check "store: the widget JSON parses and every URL in it exists" "$PY" - "$O" <<'EOF'
import json, os, re, sys
out = sys.argv[1]
for slug in ("track-order", "return-item"):
    start = os.path.join(out, "flows", slug)
    html = open(os.path.join(start, "index.html")).read()
    m = re.search(r'<script type="application/json" class="hg-flow-data">(.*?)</script>', html, re.S)
    data = json.loads(m.group(1))
    assert data["start"] in data["nodes"], "start node"
    for name, n in data["nodes"].items():
        for key in ("url", "href"):
            if key in n:
                p = os.path.normpath(os.path.join(start, n[key]))
                assert os.path.isfile(p), f"{slug}/{name}: {n[key]} -> {p}"
        for o in n.get("options", []):
            assert o["to"] in data["nodes"], f"{slug}/{name}: option to {o['to']}"
    # every page of the flow carries the same data
    for dirpath, _, files in os.walk(start):
        for f in files:
            h = open(os.path.join(dirpath, f)).read()
            assert m.group(1) in h, f"{dirpath}: other widget data"
EOF
O2="$T/out2"
hg "$T/build2.log" build "$S" -o "$O2" --threads 2
same_tree "store: --threads 1 and --threads 2 give byte-identical output" "$O" "$O2"

# pretty links: flow links end in "/"
P="$T/pretty"
cp -R "$S" "$P"
printf 'links: pretty\n' >>"$P/helpgen.yaml"
hg "$T/pretty.log" build "$P" -o "$T/pretty-out"
expect_rc "pretty links build" 0 "$RC" "$T/pretty.log"
check "pretty links: options link to folders" grep -q 'href="../../flows/track-order/shipped/" data-hg-to="shipped"' "$T/pretty-out/flows/track-order/index.html"
check "pretty links: every internal href/src resolves" "$PY" "$ROOT/tests/e2e/checklinks.py" "$T/pretty-out" --base-path /

# ---------------------------------------------------------------------------
# Bad flows: each a copy of the store built once into $BO; the broken build
# into the same folder must fail with the message and leave it untouched.
section "bad flows"
bad_site() {
  D="$T/bad-$1"; BS="$D/site"; BO="$D/out"
  mkdir -p "$D" && cp -R "$S" "$BS"
  hg "$D/good.log" build "$BS" -o "$BO" --quiet
  [ "$RC" = 0 ] || not_ok "$1: the good site builds first" "$D/good.log"
  cp -R "$BO" "$D/snap"
}
expect_fail() {
  name=$1 msg=$2; shift 2
  hg "$D/bad.log" build "$BS" -o "$BO" "$@"
  expect_rc "$name" 1 "$RC" "$D/bad.log"
  expect_msg "$name" "$D/bad.log" "$msg"
  same_tree "$name: previous output untouched" "$D/snap" "$BO"
}
# flow NAME BODY-OF-STEPS: writes flows/NAME.yaml with title/slug/start: start
flow() {
  { printf 'title: Bad\nslug: %s\nstart: start\nsteps:\n' "$1"; printf '%s\n' "$2"; } >"$BS/flows/$1.yaml"
}

bad_site next
flow bad '  start:
    question: Where?
    options:
      - label: Go
        next: nowhere'
expect_fail "next: to an unknown step" "flows/bad.yaml:9:15: error: option 'Go': next: no step named 'nowhere' in this flow (the steps are: start)"

bad_site cycle
flow loop '  start:
    question: One?
    options:
      - label: On
        next: two
  two:
    question: Two?
    options:
      - label: Back
        next: start'
expect_fail "a cycle" "flows/loop.yaml:14:15: error: option 'Back': next: 'start' makes a cycle (start → two → start); a flow must always move forward (every step has a \"start over\" link)"

bad_site article
flow art '  start:
    question: Read?
    options:
      - label: Read
        article: orders/no-such.md'
expect_fail "a missing article" "flows/art.yaml:9:18: error: option 'Read': article 'orders/no-such.md' not found (no file content/en/orders/no-such.md; the path is relative to content/)"

bad_site none
flow none '  start:
    question: Where?
    options:
      - label: Go'
expect_fail "an option without a target" "flows/none.yaml:8:9: error: option 'Go' leads nowhere: give it one of next, answer, article or contact"

bad_site both
flow both '  start:
    question: Where?
    options:
      - label: Go
        answer: Here.
        contact: true'
expect_fail "an option with two targets" "flows/both.yaml:10:18: error: option 'Go' has both answer and contact: give it only one of next, answer, article or contact"

bad_site start
printf 'title: No start\nsteps:\n  a:\n    question: Q?\n    options:\n      - label: A\n        contact: true\n' >"$BS/flows/nostart.yaml"
expect_fail "a flow without start" "flows/nostart.yaml:1:1: error: the flow has no 'start' (the name of its first step)"

bad_site slug
sed 's/^title: Track my order$/title: Copy/' "$BS/flows/track-order.yaml" >"$BS/flows/zz-copy.yaml"
expect_fail "a duplicate slug" "flows/zz-copy.yaml:3:7: error: slug 'track-order' is already used by $BS/flows/track-order.yaml (each flow needs its own slug: it is the flow's URL)"

bad_site link
printf '\nSee [the wizard](../../../../flows/no-such-flow.yaml).\n' >>"$BS/content/en/orders/tracking/order-statuses.md"
expect_fail "an article linking to a missing flow" "order-statuses.md:"
expect_msg "an article linking to a missing flow (text)" "$D/bad.log" "error: link to missing flow '../../../../flows/no-such-flow.yaml' (no file flows/no-such-flow.yaml; fix the path or remove the link)"

bad_site unreachable
flow lost '  start:
    question: Q?
    options:
      - label: A
        contact: true
  orphan:
    question: Never?
    options:
      - label: B
        contact: true'
hg "$D/warn.log" build "$BS" -o "$BO"
expect_rc "an unreachable step is a warning" 0 "$RC" "$D/warn.log"
expect_msg "an unreachable step is a warning" "$D/warn.log" "flows/lost.yaml:10:3: warning: step 'orphan' is never reached from the start step 'start' (no option leads to it)"
cp -R "$BO" "$D/snap2" && rm -rf "$D/snap" && mv "$D/snap2" "$D/snap"
expect_fail "an unreachable step with --strict" "step 'orphan' is never reached" --strict

summary
