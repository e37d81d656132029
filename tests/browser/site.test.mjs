// The built example help center in a real browser: Debian's Chromium driven by
// playwright-core (never a downloaded browser). Builds examples/store and the
// XSS fixture with ./helpgen into tests/out/browser/, serves them from a tiny
// HTTP server on 127.0.0.1 and opens home, a category, a section, an article,
// a FAQ page, the search page and the 404 page at 375 px and 1280 px:
//   no console errors, no horizontal scroll, every internal link and resource
//   on those pages answers 200, a screenshot of each under tests/out/browser/.
// Also: the site works opened from disk (file://, following a link), and no
// XSS payload in the fixture runs a dialog.
// Needs ./helpgen (make helpgen) and node_modules/playwright-core (npm ci).
// Skips, with a message, only when /usr/bin/chromium is missing.
// Run: node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM, launchContext } from './chromium.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const OUT = path.join(ROOT, 'tests/out/browser');
const SITE = path.join(OUT, 'store-site');
const XSS_SITE = path.join(OUT, 'xss-site');
const SHOTS = path.join(OUT, 'screenshots');
const WIDTHS = [375, 1280];
// The pages to open (paths of examples/store's output).
const PAGES = [
  ['home', '/'],
  ['category', '/orders/'],
  ['section', '/orders/tracking/'],
  ['article', '/orders/tracking/track-order/'],
  ['faq', '/shipping/shipping-faq/'],
  ['search', '/search/'],
  ['404', '/no/such/page/'], // the server answers unknown URLs with 404.html
];

const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SKIP = HAVE_CHROMIUM ? false : `${CHROMIUM} is missing: install Debian's chromium package to run the browser tests`;
if (SKIP) console.log(`# skip: ${SKIP}`);

let context, store, xss;

function helpgen(site, out) {
  execFileSync(path.join(ROOT, 'helpgen'), ['build', site, '-o', out, '--quiet'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.json': 'application/json', '.bin': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8',
};

// A static file server like a plain host: "dir/" serves dir/index.html, an
// unknown path gets 404.html with status 404. Records every request.
function serve(dir) {
  return new Promise((resolve) => {
    const requests = [];
    const server = http.createServer((req, res) => {
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
      requests.push({ url: req.url, status: ok ? 200 : 404 });
      if (!ok) {
        res.writeHead(404, { 'content-type': TYPES['.html'] });
        res.end(fs.readFileSync(path.join(dir, '404.html')));
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, requests, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

before(async () => {
  if (SKIP) return;
  if (!fs.existsSync(path.join(ROOT, 'helpgen'))) execFileSync('make', ['-s', 'helpgen'], { cwd: ROOT, stdio: 'inherit' });
  fs.mkdirSync(SHOTS, { recursive: true });
  helpgen(path.join(ROOT, 'examples/store'), SITE);
  helpgen(path.join(ROOT, 'tests/e2e/fixtures/xss'), XSS_SITE);
  store = await serve(SITE);
  xss = await serve(XSS_SITE);
  context = await launchContext();
});

after(async () => {
  if (context) await context.close();
  for (const s of [store, xss]) if (s) s.server.close();
});

// Opens url in a new page of the given width and records what went wrong.
async function open(url, width, { expectStatus = 200 } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 800 });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // The 404 page's own document answers 404 on purpose; Chromium logs that.
    if (expectStatus === 404 && m.location().url === url && /status of 404/.test(m.text())) return;
    problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url() !== url) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.equal(res.status(), expectStatus, `${url}: HTTP status`);
  await page.waitForLoadState('networkidle');
  return { page, problems };
}

// Every same-origin link and resource URL on the page (href/src), without #fragment.
function internalUrls(page, origin) {
  return page.evaluate((origin) => {
    const urls = new Set();
    for (const el of document.querySelectorAll('[href], [src]')) {
      for (const attr of ['href', 'src']) {
        const v = el.getAttribute(attr);
        if (v === null || v.startsWith('#')) continue; // the page itself
        const u = new URL(v, document.baseURI);
        if (u.origin !== origin) continue;
        u.hash = '';
        urls.add(u.href);
      }
    }
    return [...urls];
  }, origin);
}

const linkStatus = new Map(); // url -> status, shared by every page
async function checkLinks(urls) {
  const bad = [];
  for (const u of urls) {
    if (!linkStatus.has(u)) linkStatus.set(u, (await fetch(u)).status);
    if (linkStatus.get(u) !== 200) bad.push(`${u} -> ${linkStatus.get(u)}`);
  }
  return bad;
}

for (const [name, p] of PAGES) {
  for (const width of WIDTHS) {
    test(`${name} page at ${width}px: no console errors, no horizontal scroll, links resolve`, { skip: SKIP }, async () => {
      const url = store.base + p;
      const { page, problems } = await open(url, width, { expectStatus: name === '404' ? 404 : 200 });
      try {
        await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
        const h1 = await page.locator('h1').first().textContent();
        assert.ok(h1 && h1.trim(), 'the page has a non-empty <h1>');
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        assert.ok(scrollWidth <= innerWidth, `horizontal scroll: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
        const urls = await internalUrls(page, store.base);
        assert.ok(urls.length >= 5, `expected internal links on the page, found ${urls.length}`);
        assert.deepEqual(await checkLinks(urls), [], 'internal links that do not answer 200');
        assert.deepEqual(problems, [], 'console errors, failed requests or HTTP errors');
      } finally {
        await page.close();
      }
    });
  }
}

test('the 404 page served at a nested unknown URL loads its stylesheet and links home', { skip: SKIP }, async () => {
  const url = `${store.base}/orders/no-such-article/`;
  const { page, problems } = await open(url, 1280, { expectStatus: 404 });
  try {
    const css = await page.evaluate(() => [...document.styleSheets].filter((s) => {
      try { return s.cssRules.length > 0; } catch { return false; }
    }).length);
    assert.ok(css >= 1, 'the stylesheet applied');
    const home = await page.locator('a.hg-brand, header a').first().getAttribute('href');
    assert.equal(new URL(home, url).href, `${store.base}/index.html`, 'the header links to the home page');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('the site works opened from disk (file://): styles load and a link can be followed', { skip: SKIP }, async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const start = pathToFileURL(path.join(SITE, 'orders/index.html')).href;
    await page.goto(start);
    const sheets = await page.evaluate(() => [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => !!l.sheet));
    assert.ok(sheets.length >= 1 && sheets.every(Boolean), `stylesheets loaded from disk: ${JSON.stringify(sheets)}`);
    const link = page.locator('main a[href$="tracking/index.html"]').first();
    await Promise.all([page.waitForURL(/\/orders\/tracking\/index\.html$/), link.click()]);
    assert.ok(page.url().startsWith('file://'), `still on disk: ${page.url()}`);
    assert.equal((await page.locator('h1').first().textContent()).trim(), 'Tracking');
    const article = page.locator('main a[href$="track-order/index.html"]').first();
    await Promise.all([page.waitForURL(/\/track-order\/index\.html$/), article.click()]);
    assert.equal((await page.locator('h1').first().textContent()).trim(), 'Track your order');
    const img = await page.evaluate(() => [...document.querySelectorAll('.hg-content img')].map((i) => i.complete && i.naturalWidth > 0));
    assert.ok(img.length >= 1 && img.every(Boolean), `article images load from disk: ${JSON.stringify(img)}`);
    assert.deepEqual(errors, [], 'uncaught exceptions');
  } finally {
    await page.close();
  }
});

test('XSS fixture: no payload runs on any page', { skip: SKIP }, async () => {
  const pages = [];
  for (const dir of fs.readdirSync(XSS_SITE, { recursive: true })) {
    if (String(dir).endsWith('.html')) pages.push(String(dir).split(path.sep).join('/'));
  }
  assert.ok(pages.length >= 6, `XSS site pages: ${pages}`);
  const fired = [];
  for (const p of pages) {
    const page = await context.newPage();
    page.on('dialog', async (d) => { fired.push(`${p}: ${d.type()} ${d.message()}`); await d.dismiss(); });
    try {
      await page.goto(`${xss.base}/${p}`, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle');
      const imgs = await page.evaluate(() => document.querySelectorAll('img[src="x"], img[onerror]').length);
      assert.equal(imgs, 0, `${p}: payload <img> elements in the DOM`);
    } finally {
      await page.close();
    }
  }
  assert.deepEqual(fired, [], 'dialogs opened by payloads');
});
