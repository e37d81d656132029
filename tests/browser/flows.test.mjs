// Self-service flows in a real browser: Debian's Chromium driven by
// playwright-core. Builds examples/store (which has two flows) into
// tests/out/browser/flows-site, serves it on 127.0.0.1 and checks:
//   - the home page lists the flows;
//   - with JavaScript, the widget steps through a flow in place (no page
//     load), the address bar follows each step, Back returns to the previous
//     step, "start over" returns to the start, focus moves to the new
//     question, answers' links work, and no console errors;
//   - without JavaScript, every step and outcome is a page of its own:
//     following every option link from both start pages reaches every page
//     under flows/, each answers 200 and each later page has "start over";
//   - the widget also works opened from disk (file://).
// HELPGEN=/path/to/helpgen picks the binary (default: ./helpgen).
// Skips, with a message, only when /usr/bin/chromium is missing.
// Run: node --test tests/browser/flows.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM, launchBrowser } from './chromium.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const HELPGEN = process.env.HELPGEN || path.join(ROOT, 'helpgen');
const SITE = path.join(ROOT, 'tests/out/browser/flows-site');

const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SKIP = HAVE_CHROMIUM ? false : `${CHROMIUM} is missing: install Debian's chromium package to run the browser tests`;
if (SKIP) console.log(`# skip: ${SKIP}`);

let browser, js, nojs, server, base;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.bin': 'application/octet-stream', '.xml': 'application/xml',
};

// A plain static host: "dir/" serves dir/index.html, unknown paths 404.
function serve(dir) {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(dir, path.normalize(p));
      if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': TYPES['.html'] }).end('<!doctype html><title>404</title>');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

before(async () => {
  if (SKIP) return;
  if (!fs.existsSync(HELPGEN)) execFileSync('make', ['-s', 'helpgen'], { cwd: ROOT, stdio: 'inherit' });
  fs.mkdirSync(path.dirname(SITE), { recursive: true });
  execFileSync(HELPGEN, ['build', path.join(ROOT, 'examples/store'), '-o', SITE, '--quiet'],
    { stdio: ['ignore', 'inherit', 'inherit'] });
  server = await serve(SITE);
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser();
  js = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  nojs = await browser.newContext({ viewport: { width: 375, height: 800 }, javaScriptEnabled: false });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

// A page of the JS context that records console errors and failed requests.
async function openJs(url) {
  const page = await js.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  await page.goto(url);
  return { page, problems };
}

const question = (page) => page.locator('.hg-flow-step .hg-flow-question').innerText();

test('the home page lists the flows, and the link opens the flow', { skip: SKIP }, async () => {
  const { page, problems } = await openJs(`${base}/`);
  const links = page.locator('.hg-flows-list a');
  assert.equal(await links.count(), 2);
  assert.match(await links.nth(0).innerText(), /Track my order/);
  assert.match(await links.nth(1).innerText(), /Return an item/);
  await links.nth(0).click();
  await page.waitForURL(/\/flows\/track-order\/(index\.html)?$/);
  assert.equal(await question(page), 'What does the order page say about your order?');
  assert.deepEqual(problems, []);
  await page.close();
});

test('with JavaScript the widget steps through a flow in place', { skip: SKIP }, async () => {
  const { page, problems } = await openJs(`${base}/flows/track-order/`);
  await page.waitForFunction(() => document.querySelector('.hg-flow.hg-flow-js'));
  // a marker that a real page load would wipe out
  await page.evaluate(() => { window.__stayed = true; });
  assert.equal(await page.locator('.hg-flow-restart').count(), 0, 'no start over on the start step');

  await page.getByRole('link', { name: 'Shipped: it is on its way' }).click();
  assert.equal(await question(page), 'Is the delivery date on the tracking page still ahead?');
  assert.match(page.url(), /\/flows\/track-order\/shipped\/index\.html$/);
  assert.equal(await page.evaluate(() => window.__stayed), true, 'answered in place, no page load');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'hg-flow-question');
  assert.match(await page.locator('.hg-flow-trail').innerText(), /Shipped: it is on its way/);
  assert.match(await page.title(), /^Is the delivery date on the tracking page still ahead\? – Track my order – /);

  await page.getByRole('link', { name: 'No, the date has passed' }).click();
  assert.equal(await question(page), 'How late is the package?');
  await page.getByRole('link', { name: 'Up to two business days' }).click();
  assert.equal(await question(page), 'Up to two business days');
  const art = page.locator('.hg-flow-step a.hg-flow-article');
  assert.match(await art.innerText(), /My package is late/);
  assert.match(await art.getAttribute('href'), /\/shipping\/delivery-problems\/late-package\/index\.html$/);
  assert.match(page.url(), /\/flows\/track-order\/late-up-to-two-business-days\/index\.html$/);
  assert.equal((await page.locator('.hg-flow-trail li').count()), 3);

  // relative URLs of the page still lead where they did (favicon, search, header)
  const action = await page.locator('form.hg-search').first().evaluate((f) => f.action);
  assert.match(action, /\/search\/index\.html$/);
  assert.equal((await page.request.get(action)).status(), 200);
  const manifest = await page.locator('meta[name="helpgen:search"]').getAttribute('content');
  assert.equal((await page.request.get(new URL(manifest, page.url()).href)).status(), 200, manifest);

  // Back: the previous step, still in place
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('.hg-flow').getAttribute('data-hg-flow-node') === 'late');
  assert.equal(await question(page), 'How late is the package?');
  assert.equal(await page.evaluate(() => window.__stayed), true);

  // a way back through the list of answers
  await page.locator('.hg-flow-trail a').first().click();
  assert.equal(await question(page), 'What does the order page say about your order?');
  assert.equal(await page.locator('.hg-flow-trail').count(), 0);

  // an answer in Markdown, whose links work from wherever the widget is
  await page.getByRole('link', { name: 'Processing: it has not shipped yet' }).click();
  await page.getByRole('link', { name: 'Less than 60 minutes ago' }).click();
  const answer = page.locator('.hg-flow-answer');
  assert.match(await answer.innerText(), /Within 60 minutes of placing it/);
  const href = await answer.getByRole('link', { name: 'change' }).evaluate((a) => a.href);
  assert.equal((await page.request.get(href)).status(), 200, href);

  // start over
  await page.locator('.hg-flow-restart').click();
  assert.equal(await question(page), 'What does the order page say about your order?');
  assert.match(page.url(), /\/flows\/track-order\/index\.html$/);

  // the contact outcome points at the contact block
  await page.getByRole('link', { name: 'Processing: it has not shipped yet' }).click();
  await page.getByRole('link', { name: 'More than two business days ago' }).click();
  await page.locator('.hg-flow-step a[href="#hg-contact-title"]').click();
  assert.ok(await page.locator('#hg-contact-title').isVisible());

  // a reload shows the same step as its own page
  await page.reload();
  assert.equal(await question(page), 'More than two business days ago');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the widget starts from any step page with its answers so far', { skip: SKIP }, async () => {
  const { page, problems } = await openJs(`${base}/flows/return-item/print/`);
  await page.waitForFunction(() => document.querySelector('.hg-flow.hg-flow-js'));
  assert.equal(await question(page), 'Do you have a printer for the return label?');
  assert.equal(await page.locator('.hg-flow-trail li').count(), 2);
  await page.getByRole('link', { name: "No, I don't have a printer" }).click();
  assert.match(await page.locator('.hg-flow-article').innerText(), /Print your return label/);
  assert.equal(await page.locator('.hg-flow-trail li').count(), 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('without JavaScript every step is a working link', { skip: SKIP }, async () => {
  const page = await nojs.newPage();
  const all = new Set();
  const walk = fs.readdirSync(path.join(SITE, 'flows'), { recursive: true });
  for (const f of walk) if (f.endsWith('index.html')) all.add(`/flows/${f}`);
  const seen = new Set();
  const queue = ['/flows/track-order/index.html', '/flows/return-item/index.html'];
  while (queue.length) {
    const p = queue.shift();
    if (seen.has(p)) continue;
    seen.add(p);
    const res = await page.goto(base + p);
    assert.equal(res.status(), 200, p);
    assert.equal(await page.locator('.hg-flow.hg-flow-js').count(), 0, 'no script ran');
    const options = await page.locator('a.hg-flow-option').evaluateAll((as) => as.map((a) => a.href));
    const outcome = await page.locator('.hg-flow-answer, .hg-flow-article, .hg-flow-contact').count();
    assert.ok(options.length > 0 || outcome > 0, `${p}: a question or an outcome`);
    const isStart = /^\/flows\/[^/]+\/index\.html$/.test(p);
    if (!isStart) {
      const restart = await page.locator('a.hg-flow-restart').evaluate((a) => a.href);
      assert.match(restart, /\/flows\/[^/]+\/index\.html$/, `${p}: start over`);
    }
    for (const h of options) queue.push(new URL(h).pathname);
  }
  assert.deepEqual([...seen].sort(), [...all].sort(), 'option links reach every flow page');
  // an actual click-through, too
  await page.goto(`${base}/flows/return-item/index.html`);
  await page.getByRole('link', { name: 'I changed my mind' }).click();
  await page.waitForURL(/\/flows\/return-item\/window\/index\.html$/);
  assert.equal(await question(page), 'When did the item arrive?');
  await page.getByRole('link', { name: 'More than 30 days ago' }).click();
  assert.match(await page.locator('.hg-flow-answer').innerText(), /within 30 days/);
  await page.getByRole('link', { name: 'Start over' }).click();
  await page.waitForURL(/\/flows\/return-item\/index\.html$/);
  await page.close();
});

test('the widget works opened from disk (file://)', { skip: SKIP }, async () => {
  const url = pathToFileURL(path.join(SITE, 'flows/track-order/index.html')).href;
  const { page, problems } = await openJs(url);
  await page.waitForFunction(() => document.querySelector('.hg-flow.hg-flow-js'));
  await page.getByRole('link', { name: 'Shipped: it is on its way' }).click();
  assert.equal(await question(page), 'Is the delivery date on the tracking page still ahead?');
  await page.getByRole('link', { name: 'Yes, it is on schedule' }).click();
  const art = page.locator('.hg-flow-article');
  assert.ok(fs.existsSync(fileURLToPath(await art.evaluate((a) => a.href))), 'the article link leads to a file');
  // (from disk Chromium refuses module scripts such as search.js: not the widget's)
  assert.deepEqual(problems.filter((p) => !/search\.[0-9a-f]+\.js|net::ERR_FAILED/.test(p)), []);
  await page.close();
});

