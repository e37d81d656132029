// The header, heading anchors and code copy buttons of the default theme in
// Debian's Chromium (playwright-core), on examples/store built with ./helpgen
// into a temporary folder and opened from disk:
//   at 390 px the header is one row (brand, search field, menu button; a
//   screenshot of each page under tests/out/browser/screenshots/), the menu
//   holds the nav and the languages and closes on Escape, the search field is
//   usable at once; at 1280 px nav and languages are in the header itself;
//   without JavaScript the menu still opens and code stays readable;
//   heading anchors appear on hover and keyboard focus; the copy button copies
//   the code; neither moves the page (layout shift < 0.02). Served over HTTP
//   from 127.0.0.1 on a free port (search needs it until it works from disk).
// Skips, with a message, only when /usr/bin/chromium is missing.
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
const SHOTS = path.join(ROOT, 'tests/out/browser/screenshots');
const SKIP = fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package`;
if (SKIP) console.log(`# skip: ${SKIP}`);

let tmp, site, browser, server, base;
const url = (p) => `${base}/${p}`;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const ARTICLE = 'returns-refunds/start-a-return/return-label/index.html'; // has a code block

before(async () => {
  if (SKIP) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-header-'));
  site = path.join(tmp, 'site');
  execFileSync(path.join(ROOT, 'helpgen'), ['build', path.join(ROOT, 'examples/store'), '-o', site, '--quiet', '--no-cache'],
    { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.mkdirSync(SHOTS, { recursive: true });
  server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(site, path.normalize(p));
    if (!file.startsWith(site + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function page(width, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, ...opts });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  return p;
}

// The boxes of the header's visible children.
function headerBoxes(p) {
  return p.evaluate(() => [...document.querySelector('.hg-header-inner').children]
    .map((el) => ({ cls: el.className, box: el.getBoundingClientRect(), shown: getComputedStyle(el).display !== 'none' }))
    .filter((c) => c.shown && c.box.height > 0)
    .map((c) => ({ cls: c.cls, top: c.box.top, bottom: c.box.bottom, left: c.box.left, width: c.box.width })));
}

for (const [name, p] of [['home', 'index.html'], ['category', 'orders/index.html'], ['article', ARTICLE], ['arabic', 'ar/index.html']]) {
  test(`390 px, ${name}: the header is one row`, { skip: SKIP }, async () => {
    const pg = await page(390);
    await pg.goto(url(p));
    const boxes = await headerBoxes(pg);
    const height = await pg.evaluate(() => document.querySelector('.hg-header').getBoundingClientRect().height);
    await pg.screenshot({ path: path.join(SHOTS, `header-390-${name}.png`), clip: { x: 0, y: 0, width: 390, height: 120 } });
    assert.ok(height <= 72, `header height ${height}px (one row is at most 72)`);
    const row = boxes.map((b) => (b.top + b.bottom) / 2);
    assert.ok(Math.max(...row) - Math.min(...row) < 8, `every item in one row: ${JSON.stringify(boxes)}`);
    assert.ok(boxes.some((b) => b.cls.includes('hg-menu')), 'a menu button');
    assert.equal(await pg.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scroll');
    if (name !== 'home' && name !== 'arabic') {
      const input = pg.locator('.hg-header input[name=q]');
      assert.ok(await input.isVisible(), 'the search field is in the row');
      assert.ok((await input.boundingBox()).width >= 120, 'and wide enough to type in');
      await input.fill('refund');
      await pg.locator('.hg-header [role=option]').first().waitFor({ timeout: 10000 });
    }
    await pg.context().close();
  });
}

test('390 px: the menu holds the nav and the languages, Escape closes it', { skip: SKIP }, async () => {
  const pg = await page(390);
  await pg.goto(url('orders/index.html'));
  const panel = pg.locator('.hg-menu-panel');
  assert.equal(await panel.isVisible(), false);
  await pg.locator('.hg-menu summary').click();
  assert.ok(await panel.isVisible());
  assert.ok(await panel.locator('.hg-menu-nav a', { hasText: 'Store' }).isVisible());
  assert.ok(await panel.locator('.hg-menu-langs a[hreflang=cs]').isVisible());
  assert.equal(await pg.locator('.hg-wide').first().isVisible(), false, 'the wide nav is hidden');
  await pg.keyboard.press('Escape');
  assert.equal(await panel.isVisible(), false);
  assert.equal(await pg.evaluate(() => document.activeElement.tagName), 'SUMMARY', 'focus back on the button');
  await pg.locator('.hg-menu summary').click();
  await pg.mouse.click(200, 600);
  assert.equal(await panel.isVisible(), false, 'a click elsewhere closes it');
  await pg.context().close();
});

test('1280 px: nav and languages in the header, no menu button', { skip: SKIP }, async () => {
  const pg = await page(1280);
  await pg.goto(url('orders/index.html'));
  assert.equal(await pg.locator('.hg-menu').isVisible(), false);
  assert.ok(await pg.locator('.hg-header > div > .hg-nav a', { hasText: 'Store' }).isVisible());
  assert.ok(await pg.locator('.hg-header > div > .hg-langs a[hreflang=cs]').isVisible());
  assert.ok(await pg.locator('.hg-header button[type=submit]').isVisible());
  await pg.context().close();
});

test('without JavaScript: the menu opens, code is readable, no copy button', { skip: SKIP }, async () => {
  const pg = await page(390, { javaScriptEnabled: false });
  await pg.goto(url(ARTICLE));
  await pg.locator('.hg-menu summary').click();
  assert.ok(await pg.locator('.hg-menu-panel a', { hasText: 'Store' }).isVisible());
  assert.ok(await pg.locator('.hg-content pre').isVisible());
  assert.equal(await pg.locator('.hg-copy').count(), 0);
  await pg.context().close();
});

test('heading anchors: shown on hover and on keyboard focus', { skip: SKIP }, async () => {
  const pg = await page(1280);
  await pg.goto(url(ARTICLE));
  const h2 = pg.locator('.hg-content > h2[id]').first();
  const id = await h2.getAttribute('id');
  const a = h2.locator('.hg-anchor');
  assert.equal(await a.getAttribute('href'), `#${id}`);
  assert.match(await a.getAttribute('aria-label'), /^Link to this section: /);
  const opacity = () => a.evaluate((e) => getComputedStyle(e).opacity);
  assert.equal(await opacity(), '0');
  await h2.hover();
  assert.equal(await opacity(), '1');
  await pg.mouse.move(0, 700);
  assert.equal(await opacity(), '0');
  for (let i = 0; i < 80 && !(await a.evaluate((e) => e === document.activeElement)); i++) await pg.keyboard.press('Tab');
  assert.ok(await a.evaluate((e) => e === document.activeElement), 'reached with Tab');
  assert.equal(await opacity(), '1');
  await pg.context().close();
});

test('copy button: copies the code, says so; anchors and buttons move nothing', { skip: SKIP }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  await ctx.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
  });
  const pg = await ctx.newPage();
  await pg.goto(url(ARTICLE));
  const button = pg.locator('.hg-copy').first();
  assert.equal(await button.textContent(), 'Copy');
  const code = await pg.locator('.hg-content pre code').first().textContent();
  await pg.waitForTimeout(300);
  const shift = await pg.evaluate(() => window.__shift);
  assert.ok(shift < 0.02, `layout shift ${shift}`);
  await button.click();
  // the label changes once the clipboard has taken the text (a promise)
  await pg.waitForFunction(() => document.querySelector('.hg-copy').textContent === 'Copied', null, { timeout: 10000 });
  assert.equal(await pg.evaluate(() => navigator.clipboard.readText()), code);
  await ctx.close();
});
