#!/usr/bin/env python3
"""importcompare.py EXPORT SITE OUT -- a Zendesk export (EXPORT), the site
`helpgen import zendesk` made of it (SITE) and that site built (OUT):
every published article's HTML body and its page are parsed (html.parser)
and compared as parsed content, not as strings:
  - the words of the body, in order, are all in the page's content;
  - every link keeps its text and its target: a link to an exported article
    lands on that article's page (same language), a "#id" on the heading that
    had the id, a link to a section on a folder page, any other URL as it was;
  - every table keeps its rows and cells (the cells a colspan adds are empty);
  - every image keeps its alt text and its file exists;
  - each iframe, script, form and meaningful inline style is in
    SITE/import-report.txt as "JSONFILE:LINE: article ID ..., body line N: ..."
    (LINE: the line of the article's "body" key in the JSON file);
  - a draft has no page.
Prints one line per problem and a summary; exits 1 if any."""
import json
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

SKIP = {'script', 'style', 'form', 'noscript', 'iframe', 'template'}
STYLE = re.compile(r'(^|;)\s*(color|background|font-weight|font-style|text-decoration|display|'
                   r'visibility|font-size)\b')


class Body(HTMLParser):
    """Text, links, tables, images, heading ids and unconvertible constructs
    of one HTML fragment (or of the element with class `root` of a page)."""

    def __init__(self, root=None):
        super().__init__(convert_charrefs=True)
        self.root = root
        self.depth = 0 if root else 1  # >0: inside the part we read
        self.skip = 0
        self.text = []
        self.links = []   # [href, text]
        self.link = None
        self.tables = []  # [[cell, ...], ...] per table
        self.cell = None
        self.images = []  # (src, alt)
        self.ids = {}     # id -> text of the element
        self.id_open = []  # [id, text parts, tag]
        self.odd = []     # (what, line)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.root and self.depth == 0:
            if tag == 'div' and self.root in (a.get('class') or '').split():
                self.depth = 1
            return
        if self.root and tag == 'div':
            self.depth += 1
        line = self.getpos()[0]
        if tag in SKIP:
            self.odd.append(('<%s>' % tag, line))
            if tag not in ('iframe',):
                self.skip += 1
            return
        if a.get('style') and STYLE.search(a['style']):
            self.odd.append(('inline style', line))
        if self.skip:
            return
        if tag == 'a' and a.get('href'):
            self.link = [a['href'], []]
        elif tag == 'table':
            self.tables.append([])
        elif tag == 'tr' and self.tables:
            self.tables[-1].append([])
        elif tag in ('td', 'th') and self.tables and self.tables[-1]:
            self.cell = []
        elif tag == 'img':
            self.images.append((a.get('src', ''), a.get('alt', '')))
        elif tag == 'br':
            self.text.append(' ')
        if a.get('id') and tag in ('h1', 'h2', 'h3', 'h4', 'h5', 'h6'):
            self.id_open.append([a['id'], [], tag])

    def handle_endtag(self, tag):
        if self.root and self.depth == 0:
            return
        if self.root and tag == 'div':
            self.depth -= 1
            if self.depth == 0:
                return
        if tag in SKIP:
            if tag != 'iframe':
                self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == 'a' and self.link:
            self.links.append([self.link[0], norm(''.join(self.link[1]))])
            self.link = None
        elif tag in ('td', 'th') and self.cell is not None:
            self.tables[-1][-1].append(norm(''.join(self.cell)))
            self.cell = None
        if self.id_open and self.id_open[-1][2] == tag:
            i, parts, _ = self.id_open.pop()
            self.ids[i] = norm(''.join(parts))
        if tag in ('p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'td', 'th', 'div', 'pre'):
            self.text.append(' ')

    def handle_data(self, data):
        if self.depth == 0 or self.skip:
            return
        self.text.append(data)
        if self.link:
            self.link[1].append(data)
        if self.cell is not None:
            self.cell.append(data)
        for o in self.id_open:
            o[1].append(data)


def norm(s):
    return ' '.join(s.split())


def words(s):
    return re.findall(r'\w+', s)


def parse(html, root=None):
    p = Body(root)
    p.feed(html)
    p.close()
    return p


def body_lines(path):
    """The line of every "body" key of the file, in order."""
    with open(path, encoding='utf-8') as f:
        return [n for n, line in enumerate(f, 1) if re.match(r'\s*"body"\s*:', line)]


def main():
    export, site, out = sys.argv[1:4]
    problems = []

    def bad(msg):
        problems.append(msg)
        print('importcompare: ' + msg)

    # the export: every (article, locale) with its JSON file and line
    items = []  # dict(id, locale, title, body, draft, path, line)
    page = 1
    while True:
        name = 'articles.json' if page == 1 else 'articles-%d.json' % page
        path = os.path.join(export, name)
        if not os.path.exists(path):
            break
        lines = body_lines(path)
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
        for k, a in enumerate(data['articles']):
            items.append(dict(id=a['id'], locale=a['locale'], title=a['title'], body=a['body'],
                              draft=a['draft'], path=path, line=lines[k], section=a['section_id']))
        page += 1
    for a in list(items):
        path = os.path.join(export, 'translations', '%d.json' % a['id'])
        if not os.path.exists(path) or a['locale'] is None:
            continue
        lines = body_lines(path)
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
        for k, t in enumerate(data['translations']):
            if t['locale'] == a['locale']:
                continue
            items.append(dict(id=a['id'], locale=t['locale'], title=t['title'], body=t['body'],
                              draft=t['draft'], path=path, line=lines[k], section=a['section']))

    # the site: language codes (first = default) and each article's file
    with open(os.path.join(site, 'helpgen.yaml'), encoding='utf-8') as f:
        langs = re.findall(r'\{code: ([\w-]+)\}\s*# Zendesk locale ([\w-]+)', f.read())
    code_of = {loc: code for code, loc in langs}
    default = langs[0][0]
    page_of = {}  # (id, code) -> page file in OUT
    for code, _ in langs:
        top = os.path.join(site, 'content', code)
        for d, _, files in os.walk(top):
            for fn in files:
                if not fn.endswith('.md') or fn == '_index.md':
                    continue
                with open(os.path.join(d, fn), encoding='utf-8') as f:
                    m = re.search(r'^translation_key: "zendesk-(\d+)"$', f.read(), re.M)
                rel = os.path.relpath(os.path.join(d, fn[:-3]), top)
                prefix = '' if code == default else code + '/'
                page_of[(int(m.group(1)), code)] = os.path.join(out, prefix + rel, 'index.html')

    with open(os.path.join(site, 'import-report.txt'), encoding='utf-8') as f:
        report = f.read().splitlines()

    checked = 0
    for a in items:
        code = code_of.get(a['locale'])
        key = (a['id'], code)
        if key not in page_of:
            bad('article %d (%s): no file in the site' % key)
            continue
        page = page_of[key]
        if a['draft']:
            if os.path.exists(page):
                bad('%s: a draft was published' % page)
            continue
        if not os.path.exists(page):
            bad('article %d (%s): no page %s' % (a['id'], code, page))
            continue
        checked += 1
        src = parse(a['body'])
        with open(page, encoding='utf-8') as f:
            html = f.read()
        got = parse(html, root='hg-content')
        where = '%s (article %d, %s)' % (page, a['id'], code)
        # text: the body's words in order
        sw, gw = words(''.join(src.text)), words(''.join(got.text))
        i = 0
        for w in gw:
            if i < len(sw) and w == sw[i]:
                i += 1
        if i < len(sw):
            bad('%s: text lost from "%s" on (%d of %d words kept in order)'
                % (where, ' '.join(sw[i:i + 8]), i, len(sw)))
        # links
        glinks = list(got.links)
        for href, text in src.links:
            match = [g for g in glinks if g[1] == text]
            if not match:
                bad('%s: the link "%s" (%s) is gone' % (where, text, href))
                continue
            g = match[0]
            glinks.remove(g)
            m = re.search(r'/hc/(?:[\w-]+/)?(articles|sections|categories)/(\d+)', href)
            if href.startswith('#'):
                want = src.ids.get(href[1:])
                gid = g[0][1:] if g[0].startswith('#') else None
                if want is None or gid not in got.ids or got.ids[gid] != want:
                    bad('%s: the link "%s" to %s leads to %s, not to the heading "%s"'
                        % (where, text, href, g[0], want))
            elif m and m.group(1) == 'articles' and (int(m.group(2)), code) in page_of:
                target = os.path.normpath(os.path.join(os.path.dirname(page),
                                                       unquote(urlsplit(g[0]).path)))
                want = os.path.normpath(page_of[(int(m.group(2)), code)])
                if target != want and os.path.join(target, 'index.html') != want:
                    bad('%s: the link "%s" (%s) leads to %s, not to %s'
                        % (where, text, href, target, want))
            elif m:
                target = os.path.normpath(os.path.join(os.path.dirname(page),
                                                       unquote(urlsplit(g[0]).path)))
                if os.path.isdir(target):
                    target = os.path.join(target, 'index.html')
                if not os.path.isfile(target):
                    bad('%s: the link "%s" (%s) leads to %s, which does not exist'
                        % (where, text, href, g[0]))
            elif g[0] != href:
                bad('%s: the link "%s" changed from %s to %s' % (where, text, href, g[0]))
        # tables: rows and cells (cells a colspan added are empty)
        if len(src.tables) != len(got.tables):
            bad('%s: %d tables, %d in the page' % (where, len(src.tables), len(got.tables)))
        for st, gt in zip(src.tables, got.tables):
            strip = lambda rows: [[c for c in r] for r in rows]
            if len(st) != len(gt):
                bad('%s: a table has %d rows, %d in the page' % (where, len(st), len(gt)))
            for sr, gr in zip(strip(st), strip(gt)):
                while gr and not gr[-1] and len(gr) > len(sr):
                    gr.pop()
                if sr != gr:
                    bad('%s: table row %s became %s' % (where, sr, gr))
        # images
        for s, alt in src.images:
            gi = [g for g in got.images if g[1] == alt]
            if not gi:
                bad('%s: the image "%s" is gone' % (where, alt))
                continue
            if not urlsplit(gi[0][0]).scheme:
                f = os.path.normpath(os.path.join(os.path.dirname(page), unquote(gi[0][0])))
                if not os.path.isfile(f):
                    bad('%s: the image "%s" names %s, which does not exist' % (where, alt, f))
        # the report: each unconvertible construct, with the JSON line and the body line
        for what, line in src.odd:
            head = '%s:%d: article %d (' % (a['path'], a['line'], a['id'])
            hits = [r for r in report if r.startswith(head) and ('body line %d:' % line) in r
                    and what in r]
            if not hits:
                bad('%s: %s at body line %d is not in the report as "%s... body line %d: ...%s"'
                    % (where, what, line, head, line, what))
    print('importcompare: %d articles compared, %d problems' % (checked, len(problems)))
    sys.exit(1 if problems or not checked else 0)


if __name__ == '__main__':
    main()
