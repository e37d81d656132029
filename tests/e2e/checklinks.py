#!/usr/bin/env python3
"""checklinks.py OUT [--allow-prefix P]... [--allow-empty] [--base-path P] -- every internal href/src in
every HTML page under OUT must name an existing file.

Internal: no URL scheme, not protocol-relative, not a bare #fragment. The
#fragment and ?query are stripped; a link ending in '/' means index.html.
Root-absolute links (/x) and empty src/href are errors too: helpgen promises
relative links that work under any sub-path and from disk.
--allow-prefix P skips targets that start with P (for corpora whose source
has literal template variables such as {{root_url}}; they are counted).
--allow-empty: skip empty href/src (authored "[text]()" in a corpus).
--base-path P: 404.html and a language's LANG/404.html (served by hosts at
any URL, so they cannot use relative links) may use root-absolute links starting with P, the path of
base_url; they are resolved from OUT.
Prints one line per broken link and a summary; exits 1 if any is broken."""
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote

SCHEME = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:')
URL_ATTRS = {'href', 'src'}


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (tag, attr, value, line)

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        for name, value in attrs:
            if name in URL_ATTRS:
                self.links.append((tag, name, value, self.getpos()[0]))
        # the search manifest the page's script loads
        if tag == 'meta' and (d.get('name') or '').startswith('helpgen:') \
                and d.get('content') and d['name'] == 'helpgen:search':
            self.links.append((tag, 'content', d['content'], self.getpos()[0]))

    handle_startendtag = handle_starttag


def main():
    args = sys.argv[1:]
    allow = []
    base_path = None
    allow_empty = False
    out = None
    i = 0
    while i < len(args):
        if args[i] == '--allow-prefix':
            allow.append(args[i + 1])
            i += 2
        elif args[i] == '--allow-empty':
            allow_empty = True
            i += 1
        elif args[i] == '--base-path':
            base_path = args[i + 1]
            i += 2
        else:
            out = args[i]
            i += 1
    if not out or not os.path.isdir(out):
        print('usage: checklinks.py OUT [--allow-prefix P]... [--allow-empty] [--base-path P]', file=sys.stderr)
        return 2
    pages = checked = skipped = 0
    bad = []
    for root, _dirs, files in os.walk(out):
        for f in sorted(files):
            if not f.endswith('.html'):
                continue
            page = os.path.join(root, f)
            pages += 1
            p = Links()
            with open(page, encoding='utf-8') as fh:
                p.feed(fh.read())
            for tag, attr, value, line in p.links:
                where = '%s:%d: <%s %s="%s">' % (os.path.relpath(page, out), line, tag, attr, value)
                v = (value or '').strip()
                if v == '':
                    if allow_empty:
                        skipped += 1
                    else:
                        bad.append(where + ' empty URL')
                    continue
                if v.startswith('#') or SCHEME.match(v):
                    continue
                if v.startswith('//'):
                    continue
                if any(v.startswith(a) for a in allow):
                    skipped += 1
                    continue
                base = os.path.dirname(page)
                if v.startswith('/'):
                    # 404.html, or a language's LANG/404.html
                    is404 = os.path.basename(page) == '404.html' and \
                        os.path.dirname(os.path.relpath(page, out)).count(os.sep) == 0
                    if base_path and is404 and v.startswith(base_path):
                        v = v[len(base_path):]
                        base = out
                    else:
                        bad.append(where + ' root-absolute link (must be relative)')
                        continue
                path = v.split('#', 1)[0].split('?', 1)[0]
                if path == '':
                    continue  # "?q" alone: the page itself
                path = unquote(path)
                if path.endswith('/'):
                    path += 'index.html'
                target = os.path.normpath(os.path.join(base, path))
                checked += 1
                if os.path.relpath(target, out).startswith('..'):
                    bad.append(where + ' points outside the site')
                elif not os.path.isfile(target):
                    bad.append(where + ' -> missing ' + os.path.relpath(target, out))
    for b in bad:
        print('broken: ' + b)
    print('checklinks: %d pages, %d internal links checked, %d skipped, %d broken'
          % (pages, checked, skipped, len(bad)))
    if pages == 0:
        print('checklinks: no HTML pages in ' + out)
        return 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
