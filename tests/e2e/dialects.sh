#!/bin/sh
# End-to-end tests for the Markdown dialects (README "Markdown dialects"): a
# small hand-written site mixing Obsidian, MkDocs-Material, Docusaurus and
# Jekyll syntax, built by the real binary. Checks that wikilinks resolve
# across articles through the site's name index (file name, title, alias),
# that a note embed includes the other article's section, that callouts,
# tabs and media render, that `check` agrees (no false wikilink findings),
# and that markdown.dialects switches a dialect off.
# Everything is written under one mktemp folder (removed at exit; kept with
# HG_E2E_KEEP=1). Prints TAP-like lines and "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG="$ROOT/helpgen"

. "$ROOT/tests/e2e/lib.sh"
e2e_start dialects

[ -x "$HG" ] || { echo "dialects.sh: build ./helpgen first (make helpgen)" >&2; exit 2; }

S="$T/site"
mkdir -p "$S/content/guides" "$S/content/billing"
cat >"$S/helpgen.yaml" <<'YAML'
title: Dialects
base_url: https://help.example.org/
YAML
cat >"$S/content/guides/Getting started.md" <<'MD'
---
title: Getting started
---
Read [[Invoices and payments]] first, then [[Refund policy|how refunds work]] and
[[money-back]]. Jump to [[#Next steps]] or [[Invoices and payments#Paying by card]].

> [!tip]- Before you start
> Have your **order number** ready.

!!! warning "Check the amount"
    Amounts include VAT.

:::info Docusaurus style
Also a callout.
:::

=== "Web"
    Open the dashboard.
=== "Mobile"
    Open the app.

![[Invoices and payments#Paying by card]]

![Tour](tour.mp4)

https://www.youtube.com/watch?v=dQw4w9WgXcQ

Not yet written: [[Loyalty programme]]. ==Important== text. %% hidden note %%

{: .no_toc }

{: .warning }
A Just the Docs callout.

The folder: [[Billing]], by its title: [[Billing and payments]].

## Next steps

Done.
MD
cat >"$S/content/billing/Invoices and payments.md" <<'MD'
---
title: Invoices
---
Invoices arrive by email.

## Paying by card

Cards are charged on the first of the month; see [refunds](refunds.md).

## Paying by transfer

Transfer text stays out of the embed.
MD
cat >"$S/content/billing/_index.md" <<'MD'
---
title: Billing and payments
---
Everything about paying.
MD
cat >"$S/content/billing/refunds.md" <<'MD'
---
title: Refund policy
aliases: [money-back]
---
Refunds take five days.
MD

section "build"
O="$T/out"
hg "$T/build.log" build "$S" -o "$O" --no-cache
expect_rc "the dialect site builds" 0 "$RC" "$T/build.log"
P="$O/guides/getting-started/index.html"
check "the article page exists" test -f "$P"
has "[[file name]] links to the article" "$P" 'href="../../billing/invoices-and-payments/index.html">Invoices and payments</a>'
has "[[title|label]] links by title" "$P" 'href="../../billing/refunds/index.html">how refunds work</a>'
has "[[alias]] links by alias" "$P" 'href="../../billing/refunds/index.html">money-back</a>'
has "[[#heading]] links on the page" "$P" 'href="#next-steps">Next steps</a>'
has "[[note#heading]] links to the heading" "$P" 'invoices-and-payments/index.html#paying-by-card">Invoices and payments &gt; Paying by card</a>'
has "a missing wikilink is a warning with file:line:col" "$T/build.log" 'Getting started.md:28:18: warning: wikilink [[Loyalty programme]]: no article is named'
has "a folder name links to the folder page" "$P" 'href="../../billing/index.html">Billing</a>'
has "a folder title links to the folder page" "$P" 'href="../../billing/index.html">Billing and payments</a>'
has "a missing wikilink renders as unresolved text" "$P" '<span class="wikilink-missing">Loyalty programme</span>'
has "the embed holds the section" "$P" 'Cards are charged on the first of the month'
lacks "the embed stops at the next heading" "$P" 'Transfer text stays out'
has "a relative link in the embed resolves from the embedded note's folder" "$P" 'see <a href="../../billing/refunds/index.html">refunds</a>'
has "Obsidian foldable callout" "$P" '<details class="callout callout-tip">'
has "MkDocs admonition" "$P" '<p class="callout-title">Check the amount</p>'
has "Docusaurus admonition" "$P" '<p class="callout-title">Docusaurus style</p>'
has "content tabs" "$P" '<label class="tabs-label" for="tabs-1-2">Mobile</label>'
has "video" "$P" '<video controls preload="metadata" src="tour.mp4"'
has "click-to-load YouTube" "$P" 'youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1'
lacks "no request to YouTube before a click" "$P" 'src="https://www.youtube'
has "highlight" "$P" '<mark>Important</mark>'
lacks "comments dropped" "$P" 'hidden note'
lacks "kramdown attribute list not printed" "$P" '{: .no_toc }'
has "kramdown attribute list warned" "$T/build.log" "kramdown attribute list '{: .no_toc }' ignored"
check "kramdown callout class wraps its paragraph" sh -c "grep -A1 -F '<p class=\"callout-title\">Warning</p>' '$P' | grep -qF '<p>A Just the Docs callout.</p>'"
CSS=$(ls "$O"/assets/style.*.css 2>/dev/null | head -n 1)
has "the theme styles tabs" "${CSS:-$O/assets/style.css}" '.tabs > .tabs-input:checked + .tabs-label + .tabs-panel'

section "check"
hg "$T/check.log" check "$S"
if grep -q 'wikilink' "$T/check.log" && ! grep -q 'Loyalty programme' "$T/check.log"; then
  not_ok "check reports only the missing wikilink" "$T/check.log"
else ok "check reports only the missing wikilink"; fi
lacks "check finds no false wikilink" "$T/check.log" "[[Invoices and payments"

section "markdown.dialects switches dialects off"
printf 'markdown:\n  dialects: {obsidian: false, mkdocs: false, media: false}\n' >>"$S/helpgen.yaml"
hg "$T/off.log" build "$S" -o "$T/off" --no-cache
expect_rc "builds with dialects off" 0 "$RC" "$T/off.log"
P="$T/off/guides/getting-started/index.html"
has "wikilinks stay literal" "$P" '[[Invoices and payments]]'
has "MkDocs stays literal" "$P" '!!! warning'
has "Docusaurus still on" "$P" '<p class="callout-title">Docusaurus style</p>'
has "media off: an image" "$P" '<img src="tour.mp4"'
printf 'markdown:\n  dialects: {obsidain: false}\n' >"$S/bad.yaml"
cat "$S/helpgen.yaml" | sed '/^markdown:/,$d' >"$S/h2.yaml"; cat "$S/bad.yaml" >>"$S/h2.yaml"; mv "$S/h2.yaml" "$S/helpgen.yaml"
hg "$T/bad.log" build "$S" -o "$T/bad" --no-cache
has "an unknown dialect name is a warning with its line" "$T/bad.log" "helpgen.yaml:4"

summary
