#!/usr/bin/env python3
"""checkcrumbs.py OUT EXPECTED [LANG...] -- every page below the home page (each
OUT/**/index.html except OUT/index.html and OUT/search/index.html: the
articles, FAQ pages, categories and sections; not the meta-refresh pages of
aliases) must carry a breadcrumb trail:
a <nav aria-label="Breadcrumb"> whose links lead, in order, to the home page
and to every folder above the page, ending with an aria-current="page" item.
EXPECTED is the number of such pages there must be (so the check cannot pass
on an empty or half-built site). LANG...: the codes of the other languages
of a multilingual site; OUT/LANG/ is that language's home, so its pages'
trails start at OUT/LANG/index.html (its home and search page, and its flows,
are left out like the default language's). Exits 1 on any problem."""
import os
import sys
from html.parser import HTMLParser


class Crumbs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0      # >0 while inside the breadcrumb nav
        self.navs = 0
        self.hrefs = []
        self.current = 0

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if tag == 'nav':
            if self.depth:
                self.depth += 1
            elif (d.get('aria-label') or '').lower() == 'breadcrumb':
                self.navs += 1
                self.depth = 1
            return
        if not self.depth:
            return
        if tag == 'a' and d.get('href') is not None:
            self.hrefs.append(d['href'])
        if d.get('aria-current') == 'page':
            self.current += 1

    def handle_endtag(self, tag):
        if tag == 'nav' and self.depth:
            self.depth -= 1


def main():
    if len(sys.argv) < 3:
        print('usage: checkcrumbs.py OUT EXPECTED [LANG...]', file=sys.stderr)
        return 2
    out = os.path.abspath(sys.argv[1])
    expected = int(sys.argv[2])
    langs = sys.argv[3:]
    homes = [out] + [os.path.join(out, l) for l in langs]
    skip = {os.path.join(h, n) for h in homes for n in ('index.html', os.path.join('search', 'index.html'))}
    flow_dirs = [os.path.join(h, 'flows') for h in homes]
    pages = 0
    bad = []
    for root, _dirs, files in os.walk(out):
        if 'index.html' not in files:
            continue
        page = os.path.join(root, 'index.html')
        if page in skip or any(root == f or root.startswith(f + os.sep) for f in flow_dirs):
            continue  # flow pages: Home > flow, checked by tests/e2e/flows.sh
        with open(page, encoding='utf-8') as fh:
            html = fh.read()
        if 'http-equiv="refresh"' in html:
            continue  # the redirect page of an alias
        pages += 1
        rel = os.path.relpath(root, out)
        p = Crumbs()
        p.feed(html)
        if p.navs != 1:
            bad.append('%s: %d breadcrumb navs (want 1)' % (rel, p.navs))
            continue
        got = [os.path.relpath(os.path.normpath(os.path.join(root, h.split('#')[0])), out)
               for h in p.hrefs]
        parts = rel.split(os.sep)
        first = 2 if parts[0] in langs else 1  # LANG/ is the language's home
        want = [os.path.join(*parts[:first - 1], 'index.html')] + \
            [os.path.join(*parts[:i], 'index.html') for i in range(first, len(parts))]
        if got != want:
            bad.append('%s: breadcrumb links %s, want %s' % (rel, got, want))
        if p.current != 1:
            bad.append('%s: %d aria-current="page" items in the trail (want 1)' % (rel, p.current))
    for b in bad:
        print('bad: ' + b)
    print('checkcrumbs: %d pages checked (expected %d), %d problems' % (pages, expected, len(bad)))
    return 1 if bad or pages != expected else 0


if __name__ == '__main__':
    sys.exit(main())
