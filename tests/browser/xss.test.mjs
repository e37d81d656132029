// XSS payload matrix in a real browser (Debian chromium, playwright-core):
// a site is generated with payloads in every field a writer or a translator
// controls — title, description, tags, keywords, image alt text, link text
// and URL, headings, code info strings, callouts, flow titles/questions/
// options/answers, aliases, config strings (title, description, contact,
// navigation, footer) and theme strings (i18n) — built with ./helpgen and
// every page it wrote is opened. Each payload, if it ran, would set a
// window.__xss_<field>_<variant> flag: attribute break-outs (" and '),
// text-context tags, </script> break-outs of inline JSON, autofocus/onfocus,
// javascript: URLs. The test asserts that no flag is set on any page, that no
// element carries an on* attribute or a javascript: URL, that a search for
// the payloads runs nothing either, and that each field's text is shown
// (in the page's text, an attribute or the page's JSON data).
// (Keywords are not shown on a page: they are searched for.)
// Needs ./helpgen, /usr/bin/chromium and node_modules/playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchBrowser } from './chromium.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const HG = process.env.HELPGEN || path.join(ROOT, 'helpgen');
const SKIP = !fs.existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install chromium)` : false;
if (SKIP) console.log(`# skip: ${SKIP}`);

// The payload variants for a field id: one string holding all of them.
const variants = (id) => [
  `<img src=x onerror=window.__xss_${id}_t=1>`,
  `"><img src=x onerror=window.__xss_${id}_q=1>`,
  `'><img src=x onerror=window.__xss_${id}_s=1>`,
  `</script><script>window.__xss_${id}_j=1</script>`,
  `" autofocus onfocus=window.__xss_${id}_f=1 x="`,
];
const P = (id) => variants(id).join(' ');
// In Markdown, raw HTML is dropped (markdown.unsafe is off): the same payloads
// backslash-escaped, so that they are text the renderer must escape.
const mdEsc = (s) => s.replace(/[<>\\`*_[\]]/g, (c) => `\\${c}`);
const yq = (s) => JSON.stringify(s); // a JSON string is a YAML double-quoted scalar

// field -> the text that must be shown somewhere (page text, an attribute, JSON data)
const shown = new Map();
const field = (id, text = P(id)) => { shown.set(id, text); return text; };

let tmp, out, server, base, browser;

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function makeSite(site) {
  write(path.join(site, 'helpgen.yaml'), [
    `title: ${yq(`Site ${field('cfg_title')}`)}`,
    `description: ${yq(`About ${field('cfg_desc')}`)}`,
    'base_url: https://help.example.com/',
    'language: en',
    'contact:',
    `  label: ${yq(`Write ${field('cfg_contact')}`)}`,
    '  email: help@example.com',
    '  url: https://example.com/contact',
    'nav:',
    `  - title: ${yq(`Nav ${field('cfg_nav')}`)}`,
    '    url: https://example.com/',
    `footer: ${yq(`Footer ${field('cfg_footer')}`)}`,
    '',
  ].join('\n'));
  // theme strings, as a translator would override them
  write(path.join(site, 'themes/default/i18n/en.yaml'), [
    'strings:',
    `  search_placeholder: ${yq(`Find ${field('i18n_placeholder')}`)}`,
    `  still_need_help: ${yq(`Help ${field('i18n_help')}`)}`,
    `  tags: ${yq(`Tags ${field('i18n_tags')}`)}`,
    '',
  ].join('\n'));
  write(path.join(site, 'content/cat/_index.md'),
    `---\ntitle: ${yq(`Cat ${field('cat_title')}`)}\ndescription: ${yq(`Cat desc ${field('cat_desc')}`)}\n---\nA category.\n`);
  write(path.join(site, 'content/cat/sec/_index.md'),
    `---\ntitle: ${yq(`Sec ${field('sec_title')}`)}\n---\n`);
  const heading = `Heading ${mdEsc(P('heading'))}`;
  shown.set('heading', `Heading ${P('heading')}`);
  const callout = `Callout ${mdEsc(P('callout'))}`;
  shown.set('callout', `Callout ${P('callout')}`);
  const linkText = `Link ${mdEsc(P('linktext'))}`;
  shown.set('linktext', `Link ${P('linktext')}`);
  const body = `Body ${mdEsc(P('body'))}`;
  shown.set('body', `Body ${P('body')}`);
  write(path.join(site, 'content/cat/sec/evil.md'), `---
title: ${yq(`Evil ${field('title')}`)}
description: ${yq(`Desc ${field('desc')}`)}
tags: [${yq(field('tag'))}, ${yq('tag2 </script><script>window.__xss_tag2_j=1</script>')}]
keywords: [${yq(P('keyword'))}]
promoted: true
aliases: [${yq('/old/quote"here/')}, ${yq("/old/apos'here/")}, ${yq('/old/<img src=x onerror=window.__xss_alias_t=1>/')}]
---
${body}

## ${heading}

Text under the heading.

## A second heading (so that the page has a table of contents)

> [!NOTE]
> ${callout}

[${linkText}](https://example.com/a"onmouseover=window.__xss_url_q=1"b)
[u1](javascript:window.__xss_url_js1=1) [u2](JaVaScRiPt:window.__xss_url_js2=1)
[u3](<java\tscript:window.__xss_url_js3=1>) <javascript:window.__xss_url_js4=1>
[u5][ref] [u6](vbscript:window.__xss_url_vb=1) [u7](data:text/html,<script>window.__xss_url_data=1</script>)

[ref]: javascript:window.__xss_url_ref=1

![${'alt "><img src=x onerror=window.__xss_alt_q=1>'.replace(/[<>[\]]/g, (c) => `\\${c}`)}](data:image/png;base64,AAAA)
![a" onerror="window.__xss_alt_a=1" x="](data:image/png;base64,AAAA "t&quot; onerror=&quot;window.__xss_imgtitle=1")
![b' onerror='window.__xss_alt_b=1' x='](data:image/png;base64,AAAA)

\`\`\`x"><img/src=x/onerror=window.__xss_code_q=1>
code
\`\`\`

\`\`\`x'><img/src=x/onerror=window.__xss_code_s=1>
code
\`\`\`
`);
  shown.set('alt', 'a" onerror="window.__xss_alt_a=1" x="');
  shown.set('code', 'onerror=window.__xss_code_q=1');
  write(path.join(site, 'content/cat/sec/other.md'),
    `---\ntitle: Other article\ndescription: Links to the evil one.\n---\nSee [the evil one](evil.md).\n`);
  write(path.join(site, 'flows/evil-flow.yaml'), `title: ${yq(`Flow ${field('flow_title')}`)}
slug: evil-flow
description: ${yq(`Flow desc ${field('flow_desc')}`)}
start: first
steps:
  first:
    question: ${yq(`Question ${field('flow_q')}`)}
    options:
      - label: ${yq(`Option ${field('flow_opt')}`)}
        next: second
      - label: Read the article
        article: cat/sec/evil.md
  second:
    question: Second question
    options:
      - label: Done
        answer: ${yq(`Answer ${mdEsc(P('flow_answer'))}`)}
`);
  shown.set('flow_answer', `Answer ${P('flow_answer')}`);
}

function serve(dir) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let p;
      try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { p = '/'; }
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(dir, path.normalize(p));
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

function htmlFiles(dir, rel = '') {
  const r = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) r.push(...htmlFiles(dir, p));
    else if (e.name.endsWith('.html')) r.push(p);
  }
  return r.sort();
}

before(async () => {
  if (SKIP) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-xss-browser-'));
  makeSite(path.join(tmp, 'site'));
  out = path.join(tmp, 'out');
  execFileSync(HG, ['build', path.join(tmp, 'site'), '-o', out, '--quiet', '--no-cache'], { stdio: ['ignore', 'ignore', 'inherit'] });
  server = await serve(out);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  if (tmp && !process.env.HG_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
});

// What a page shows and what ran: flags set, on* attributes, javascript: URLs,
// and every string a reader can meet (text, attribute values, JSON data).
async function inspect(page) {
  return page.evaluate(() => {
    const flags = Object.keys(window).filter((k) => k.startsWith('__xss_'));
    const handlers = [];
    const jsUrls = [];
    const strings = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) handlers.push(`<${el.localName} ${a.name}="${a.value}">`);
        strings.push(a.value);
      }
      for (const k of ['href', 'src', 'action', 'formAction']) {
        const v = el[k];
        if (typeof v === 'string' && /^\s*(javascript|vbscript|data:text\/html)/i.test(v)) jsUrls.push(`<${el.localName} ${k}="${v}">`);
      }
    }
    const walk = (v) => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    for (const s of document.querySelectorAll('script[type="application/json"], script[type="application/ld+json"]')) {
      try { walk(JSON.parse(s.textContent)); } catch (e) { strings.push(`JSON ERROR ${e.message}`); }
    }
    return { flags, handlers, jsUrls, strings };
  });
}

test('XSS matrix: no payload in any field runs on any page, and every field\'s text is shown', { skip: SKIP, timeout: 180000 }, async () => {
  const pages = htmlFiles(out);
  assert.ok(pages.length >= 8, `only ${pages.length} pages built`);
  assert.ok(pages.some((p) => p.startsWith('flows/evil-flow/')), 'the flow was not built');
  assert.ok(pages.some((p) => p.startsWith('old/')), `the aliases were not built: ${pages.join(' ')}`);
  const problems = [];
  const seen = [];
  const page = await browser.newPage();
  page.on('dialog', (d) => { problems.push(`a dialog opened: ${d.message()}`); d.dismiss().catch(() => {}); });
  // an alias page sends the reader on (meta refresh): keep each page under
  // test in place, so its own window is what is inspected, not the target's
  let current = null;
  await page.route('**/*', (route) => {
    const req = route.request();
    if (current && req.isNavigationRequest() && req.frame() === page.mainFrame() && decodeURI(req.url()) !== decodeURI(current))
      return route.abort('aborted'); // ERR_ABORTED commits no error page
    return route.continue();
  });
  for (const p of pages) {
    current = base + p.split('/').map(encodeURIComponent).join('/');
    await page.goto(current, { waitUntil: 'load' });
    await page.waitForTimeout(100); // image errors and deferred scripts
    // the flow widget renders its steps from the page's JSON: go one step in
    // a navigation the route could not hold (a reload, a history change)
    // destroys the context: wait for the page that follows and ask again
    const settled = async (fn) => {
      for (let i = 0; ; i++) {
        try { return await fn(); } catch (e) {
          if (i >= 3 || !/context was destroyed|navigat/i.test(String(e.message))) throw e;
          await page.waitForLoadState('load').catch(() => {});
        }
      }
    };
    const opt = await settled(() => page.$('.hg-flow button, .hg-flow-widget button'));
    if (opt) { await opt.click().catch(() => {}); await page.waitForTimeout(50); }
    const r = await settled(() => inspect(page));
    for (const f of r.flags) problems.push(`${p}: the payload ran: window.${f}`);
    for (const h of r.handlers) problems.push(`${p}: an event-handler attribute: ${h}`);
    for (const u of r.jsUrls) problems.push(`${p}: a script URL: ${u}`);
    seen.push(...r.strings);
  }
  const norm = (s) => s.replace(/\s+/g, ' ');
  const all = norm(seen.join('\n'));
  for (const [id, text] of shown)
    if (!all.includes(norm(text))) problems.push(`the ${id} field's text is not shown: ${text}`);
  await page.close();
  assert.deepEqual(problems, []);
});

test('XSS matrix: searching for the payloads runs none of them', { skip: SKIP, timeout: 60000 }, async () => {
  const page = await browser.newPage();
  const ran = [];
  page.on('dialog', (d) => { ran.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(`${base}search/index.html`);
  for (const q of ['img onerror window', '<script>', 'tag2', 'keyword', 'evil']) {
    await page.fill('input[type="search"]', q);
    await page.waitForTimeout(400);
    const r = await inspect(page);
    ran.push(...r.flags, ...r.handlers, ...r.jsUrls);
  }
  const results = await page.evaluate(() => document.body.innerText);
  assert.match(results, /Evil/, 'the search found nothing: it did not run');
  await page.close();
  assert.deepEqual(ran, []);
});
