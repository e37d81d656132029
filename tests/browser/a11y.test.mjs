// Accessibility of the default theme in a real browser: axe-core (npm) injected
// into Debian's Chromium (playwright-core, never a downloaded browser).
//
// Zero violations of every rule axe runs by default (WCAG 2.0/2.1 A and AA plus
// axe's best practices) and of WCAG 2.2's target size (24 px), on examples/store's
// home, category, section, article, FAQ (answers open), flow, search (results,
// typed-query dropdown, no results) and 404 pages, on an article after "No" was voted (the store is built with `feedback:` voting
// to this test's server), on the home page listing recently viewed articles, and
// on the Thai and Arabic (right-to-left) pages of examples/multilingual (one page
// of each kind, found by <body class="page-KIND">) - each at 375 px and 1280 px,
// in the light and the dark colour scheme. Also: Arabic pages have <html dir="rtl">.
//
// A violation fails with axe's rule id, help text, the offending elements'
// selectors and, for colour contrast, the measured ratio. So does a result axe
// marks "needs review" (it could not decide, e.g. aria-labelledby naming a
// missing id), except colour contrast it cannot measure (text under the open
// search dropdown, icon glyphs).
// Needs ./helpgen (make helpgen), node_modules (npm ci) and /usr/bin/chromium;
// skips, with a message, only when /usr/bin/chromium is missing.
// Run: node --test tests/browser/a11y.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchContext } from './chromium.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const MULTI = path.join(ROOT, 'examples/multilingual');
const WIDTHS = [375, 1280];
const SCHEMES = ['light', 'dark'];
const CONCURRENCY = 6; // pages checked at once

const SKIP = fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package to run the browser tests`;
if (SKIP) console.log(`# skip: ${SKIP}`);

// What to check on each page before axe runs (the states JavaScript creates).
const typeQuery = (form, q, wait) => async (page) => {
  await page.locator(`${form} input[name=q]`).fill(q);
  await page.locator(`${form} ${wait}`).first().waitFor({ timeout: 10000 });
};
const openAll = async (page) => {
  const n = await page.evaluate(() => {
    const items = document.querySelectorAll('details');
    items.forEach((d) => { d.open = true; });
    return items.length;
  });
  assert.ok(n > 0, 'FAQ accordions to open');
};
const results = async (page) => {
  await page.locator('[data-hg-search-results] .hg-search-list > li').first().waitFor({ timeout: 10000 });
};
const noResults = async (page) => {
  await page.locator('[data-hg-search-results] .hg-search-empty').first().waitFor({ timeout: 10000 });
};
const recentlyViewed = async (page, base) => {
  await page.goto(base + '/orders/tracking/track-order/', { waitUntil: 'load' });
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.locator('[data-hg-recent-list] li').first().waitFor({ timeout: 10000 });
};
const voteNo = async (page) => {
  await page.locator('[data-hg-vote=no]').click();
  await page.locator('[data-hg-feedback-no]').waitFor({ state: 'visible', timeout: 10000 });
};

// [site, name, path, { status, setup }]; paths are relative to the site's root.
const STORE_PAGES = [
  ['home', '/'],
  ['home with recently viewed articles', '/', { setup: recentlyViewed }],
  ['category', '/orders/'],
  ['section', '/orders/tracking/'],
  ['article', '/orders/tracking/track-order/'],
  ['article after voting No', '/orders/tracking/track-order/', { setup: voteNo }],
  ['faq (every answer open)', '/shipping/shipping-faq/', { setup: openAll }],
  ['flow step', '/flows/track-order/'],
  ['search results', '/search/?q=refund', { setup: results }],
  ['search typed query (dropdown)', '/orders/', { setup: typeQuery('.hg-header', 'refund', '[role=option]') }],
  ['home search typed query (dropdown)', '/', { setup: typeQuery('.hg-hero', 'track', '[role=option]') }],
  ['search no results', '/search/?q=zqxjvw', { setup: noResults }],
  ['search typed query without results', '/orders/', { setup: typeQuery('.hg-header', 'zqxjvw', '.hg-search-empty') }],
  ['404', '/no/such/page/', { status: 404 }],
];

let sites = {}; // name -> { dir, base, server }
let intlPages = []; // [site, name, path, opts]
let context, tmp, axeSource;

function helpgen(src, out) {
  execFileSync(path.join(ROOT, 'helpgen'), ['build', src, '-o', out, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.json': 'application/json',
  '.bin': 'application/octet-stream', '.xml': 'application/xml',
};

// A plain static host: "dir/" serves dir/index.html, anything unknown gets 404.html with status 404
// (under a language's folder LANG/, that language's LANG/404.html, as _redirects tells Netlify).
// It also takes the feedback widget's votes: POST /feedback answers 204.
function serve(dir) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      if (req.method === 'POST') {
        req.resume();
        req.on('end', () => res.writeHead(204).end());
        return;
      }
      let p;
      try {
        p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(dir, path.normalize(p));
      const ok = file.startsWith(dir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
      if (!ok) {
        const lang = /^\/([^/]+)\//.exec(p)?.[1];
        const own = lang && path.join(dir, lang, '404.html');
        res.writeHead(404, { 'content-type': TYPES['.html'] });
        res.end(fs.readFileSync(own && fs.existsSync(own) ? own : path.join(dir, '404.html')));
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

// The URL path of an output file (dir/index.html -> /dir/), percent-encoded.
function urlOf(rel) {
  const p = '/' + rel.split(path.sep).join('/').replace(/(^|\/)index\.html$/, '$1');
  return encodeURI(p);
}

// One page of each kind of a language's part of a built site, by the body's
// page-<kind> class (home, category, section, article, faq, flow...); the search
// page with a query that has results and with one that has none.
function pagesOfLanguage(site, dir, lang) {
  const found = new Map();
  const root = path.join(dir, lang);
  const files = fs.readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('index.html')).sort();
  for (const f of files) {
    const html = fs.readFileSync(path.join(root, f), 'utf8');
    const kind = /<body class="page-([a-z]+)/.exec(html)?.[1];
    if (!kind || found.has(kind)) continue;
    if (/http-equiv="refresh"/i.test(html)) continue; // alias pages
    found.set(kind, `/${lang}${urlOf(f)}`);
  }
  const out = [];
  const search = found.get('search');
  found.delete('search'); // checked below with a query (results, and no results with the category list)
  for (const [kind, p] of found) out.push([site, `${lang} ${kind}`, p, kind === 'faq' ? { setup: openAll } : {}]);
  if (search) {
    out.push([site, `${lang} search results`, `${search}?q=${encodeURIComponent(QUERIES[lang] || 'ship')}`, { setup: results }]);
    out.push([site, `${lang} search no results`, `${search}?q=zqxjvw`, { setup: noResults }]);
  }
  return out;
}
const QUERIES = { th: 'คำสั่งซื้อ', ar: 'الطلب' };

before(async () => {
  if (SKIP) return;
  assert.ok(fs.existsSync(AXE), 'node_modules/axe-core is missing: run npm ci in the repo root');
  axeSource = fs.readFileSync(AXE, 'utf8');
  if (!fs.existsSync(path.join(ROOT, 'helpgen'))) execFileSync('make', ['-s', 'helpgen'], { cwd: ROOT, stdio: 'inherit' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-a11y-'));
  const build = async (name, src, config = () => '') => {
    const dir = path.join(tmp, name);
    const site = { dir, ...(await serve(dir)) };
    const extra = config(site.base);
    if (extra) { // a copy of the source with more configuration
      const copy = path.join(tmp, `${name}-src`);
      fs.cpSync(src, copy, { recursive: true });
      fs.appendFileSync(path.join(copy, 'helpgen.yaml'), extra);
      src = copy;
    }
    helpgen(src, dir);
    sites[name] = site;
  };
  // the store with the "Was this helpful?" widget, voting to this test's server
  await build('store', path.join(ROOT, 'examples/store'),
    (base) => `\nfeedback:\n  endpoint: ${base}/feedback\n  mailto: help@example.com\n`);
  assert.ok(fs.existsSync(path.join(MULTI, 'helpgen.yaml')), `${MULTI}/helpgen.yaml is missing`);
  await build('multilingual', MULTI);
  for (const lang of ['th', 'ar']) {
    intlPages.push(...pagesOfLanguage('multilingual', sites.multilingual.dir, lang));
    intlPages.push(...pagesOfLanguage('store', sites.store.dir, lang)); // the store's translations
  }
  // every language has its own 404 page; the host serves it at any unknown URL under its folder
  intlPages.push(['multilingual', 'ar 404 (the Arabic 404 page at an unknown /ar/ URL)', '/ar/no-such-page/', { status: 404 }]);
  intlPages.push(['store', 'th 404 (the Thai 404 page at an unknown /th/ URL)', '/th/no/such/page/', { status: 404 }]);
  context = await launchContext();
});

after(async () => {
  if (context) await context.close();
  for (const s of Object.values(sites)) s.server.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// Formats axe's violations as one readable block.
function describe(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 6).map((n) => {
      const why = (n.any[0] || n.all[0] || n.none[0])?.message || '';
      return `    ${n.target.join(' ')}\n      ${n.html.slice(0, 160)}\n      ${why}`;
    }).join('\n');
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length > 1 ? 's' : ''})\n${nodes}`;
  }).join('\n');
}

// Opens one page in one width and scheme, brings it into the wanted state and runs axe.
async function check([site, name, p, opts = {}], width, scheme) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.setViewportSize({ width, height: 800 });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const res = await page.goto(sites[site].base + p, { waitUntil: 'load' });
    assert.equal(res.status(), opts.status || 200, `${p}: HTTP status`);
    if (opts.setup) await opts.setup(page, sites[site].base);
    const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
    assert.equal(dark, scheme === 'dark', 'the colour scheme is emulated');
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => window.axe.run(document, {
      resultTypes: ['violations', 'incomplete'],
      rules: { 'target-size': { enabled: true } }, // WCAG 2.2 AA 2.5.8 (24 px targets): off by default
    }));
    assert.deepEqual(errors, [], 'uncaught exceptions on the page');
    // "needs review" counts as a failure too (e.g. aria-labelledby naming a missing id), except for
    // colour contrast that axe cannot measure: text over the open search dropdown, icon glyphs
    const review = result.incomplete.filter((v) => v.id !== 'color-contrast').map((v) => ({ ...v, impact: `needs review, ${v.impact}` }));
    return { url: p, violations: [...result.violations, ...review] };
  } finally {
    await page.close();
  }
}

// Runs fn over items, at most n at a time.
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]).catch((e) => ({ error: e }));
    }
  }));
  return out;
}

async function checkAll(pages) {
  const jobs = [];
  for (const pg of pages) for (const w of WIDTHS) for (const s of SCHEMES) jobs.push([pg, w, s]);
  const res = await pool(jobs, CONCURRENCY, ([pg, w, s]) => check(pg, w, s));
  const failures = [];
  res.forEach((r, i) => {
    const [[, name], w, s] = jobs[i];
    const label = `${name} at ${w}px, ${s}`;
    if (r.error) failures.push(`${label}: ${r.error.message}`);
    else if (r.violations.length) failures.push(`${label} (${r.url}):\n${describe(r.violations)}`);
  });
  return failures;
}

test('examples/store: no axe violations on every kind of page, 375/1280 px, light/dark', { skip: SKIP }, async () => {
  const failures = await checkAll(STORE_PAGES.map((p) => ['store', ...p]));
  assert.equal(failures.length, 0, `axe violations:\n${failures.join('\n')}`);
});

test('Thai and Arabic (right-to-left) pages: no axe violations, 375/1280 px, light/dark', { skip: SKIP }, async () => {
  const names = intlPages.map(([, name]) => name);
  for (const lang of ['th', 'ar']) {
    for (const kind of ['home', 'category', 'section', 'article', 'search results', 'search no results']) {
      assert.ok(names.includes(`${lang} ${kind}`), `no ${lang} ${kind} page found; found: ${names.join(', ')}`);
    }
  }
  const failures = await checkAll(intlPages);
  assert.equal(failures.length, 0, `axe violations:\n${failures.join('\n')}`);
});

test('an unknown URL under /ar/ gets the Arabic 404 page, right to left', { skip: SKIP }, async () => {
  const page = await context.newPage();
  try {
    const res = await page.goto(sites.store.base + '/ar/no-such-page/');
    assert.equal(res.status(), 404);
    const got = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir,
      home: document.querySelector('main a.hg-button')?.getAttribute('href') }));
    assert.deepEqual(got, { lang: 'ar', dir: 'rtl', home: '/ar/index.html' });
  } finally {
    await page.close();
  }
});

test('Arabic pages are laid out right to left (dir="rtl", mirrored header and sidebar)', { skip: SKIP }, async () => {
  const ar = intlPages.filter(([, name]) => /^ar /.test(name) && !/404|search/.test(name));
  assert.ok(ar.length >= 4, `Arabic pages to check: ${ar.map(([, n]) => n).join(', ')}`);
  let sidebars = 0;
  for (const [site, name, p] of ar) {
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(sites[site].base + p);
      const got = await page.evaluate(() => {
        const box = (sel) => { const e = document.querySelector(sel); if (!e) return null; const r = e.getBoundingClientRect(); return { left: r.left, right: r.right }; };
        return {
          dir: document.documentElement.getAttribute('dir'), lang: document.documentElement.lang,
          direction: getComputedStyle(document.querySelector('main')).direction,
          brand: box('.hg-brand'), sidebar: box('.hg-doc > .hg-sidebar'), article: box('.hg-doc > .hg-article'),
        };
      });
      assert.equal(got.lang, 'ar', `${name}: <html lang>`);
      assert.equal(got.dir, 'rtl', `${name}: <html dir>`);
      assert.equal(got.direction, 'rtl', `${name}: computed direction of <main>`);
      assert.ok(got.brand.left > 640, `${name}: the site name starts on the right (left edge at ${got.brand.left}px of 1280)`);
      if (got.sidebar) {
        sidebars++;
        assert.ok(got.sidebar.left >= got.article.right, `${name}: the sidebar is right of the article (${JSON.stringify(got)})`);
      }
    } finally {
      await page.close();
    }
  }
  assert.ok(sidebars > 0, 'an Arabic article with a sidebar');
});
