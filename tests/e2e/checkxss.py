#!/usr/bin/env python3
"""checkxss.py OUT -- parses every HTML page under OUT as a browser would and
fails if any payload became markup: an element with an on* event-handler
attribute, a javascript: URL in href/src/action, an <img src=x>, or a
<script> element (other than JSON-LD and external scripts) whose text holds
alert(. The raw-text greps in run.sh catch the same payloads byte-wise."""
import os
import re
import sys
from html.parser import HTMLParser

JS_URL = re.compile(r'^\s*javascript:', re.I)


class Scan(HTMLParser):
    def __init__(self, name, bad):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.bad = bad
        self.in_script = None  # the script's type while inside an inline script
        self.text = ''

    def problem(self, what):
        self.bad.append('%s:%d: %s' % (self.name, self.getpos()[0], what))

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k.startswith('on'):
                self.problem('<%s %s=...> event handler attribute' % (tag, k))
            if k in ('href', 'src', 'action', 'formaction') and v and JS_URL.match(v):
                self.problem('<%s %s="%s"> javascript: URL' % (tag, k, v))
        d = dict(attrs)
        if tag == 'img' and d.get('src') == 'x':
            self.problem('<img src=x> from a payload')
        if tag == 'script' and not d.get('src'):
            self.in_script = (d.get('type') or '').lower()
            self.text = ''

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self.in_script is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == 'script' and self.in_script is not None:
            if self.in_script != 'application/ld+json' and 'alert(' in self.text:
                self.problem('inline <script> running alert(')
            self.in_script = None


def main():
    out = sys.argv[1]
    bad = []
    pages = 0
    for root, _dirs, files in os.walk(out):
        for f in sorted(files):
            if f.endswith('.html'):
                pages += 1
                path = os.path.join(root, f)
                with open(path, encoding='utf-8') as fh:
                    s = Scan(os.path.relpath(path, out), bad)
                    s.feed(fh.read())
                    s.close()
    for b in bad:
        print('xss: ' + b)
    print('checkxss: %d pages, %d problems' % (pages, len(bad)))
    return 1 if bad or pages == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
