// Issue 5's widgets in a real browser (Debian's Chromium via playwright-core):
//   - "Was this helpful?" POSTs JSON to a local test endpoint on 127.0.0.1 (another
//     origin, so CORS is exercised), says thanks, and "No" reveals the contact options;
//     without JavaScript the votes are a plain form POST; no cookies are set;
//   - recently viewed articles (localStorage) appear on the home page;
//   - related articles link to pages that exist;
//   - an alias's meta-refresh page lands on the article.
// Builds a copy of examples/store with `feedback:` pointing at the test endpoint.
// Skips, with a message, only when /usr/bin/chromium is missing.
// Run: node --test tests/browser/
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
const SKIP = fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package to run the browser tests`;
if (SKIP) console.log(`# skip: ${SKIP}`);

const ARTICLE = '/orders/tracking/track-order/';
let tmp, site, endpoint, browser;
const votes = []; // what the endpoint received: { type, body }

// The feedback endpoint: answers the CORS preflight and records every POST.
function startEndpoint() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type' };
      if (req.method === 'OPTIONS') { res.writeHead(204, cors).end(); return; }
      if (req.method !== 'POST') { res.writeHead(404, cors).end(); return; } // e.g. the browser's /favicon.ico
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        votes.push({ type: req.headers['content-type'] || '', body, cookie: req.headers.cookie });
        res.writeHead(200, { ...cors, 'content-type': 'text/plain' }).end('thanks');
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/feedback` }));
  });
}

// A plain static host: "dir/" serves dir/index.html, anything else 404.html.
function serve(dir) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(dir, path.normalize(p));
      const ok = file.startsWith(dir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
      const type = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
        '.svg': 'image/svg+xml' }[path.extname(file)] || 'application/octet-stream';
      res.writeHead(ok ? 200 : 404, { 'content-type': ok ? type : 'text/html; charset=utf-8' });
      res.end(fs.readFileSync(ok ? file : path.join(dir, '404.html')));
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

async function waitFor(cond, what) {
  for (let i = 0; i < 100; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

before(async () => {
  if (SKIP) return;
  if (!fs.existsSync(path.join(ROOT, 'helpgen'))) execFileSync('make', ['-s', 'helpgen'], { cwd: ROOT, stdio: 'inherit' });
  endpoint = await startEndpoint();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-feedback-'));
  const src = path.join(tmp, 'store');
  fs.cpSync(path.join(ROOT, 'examples/store'), src, { recursive: true });
  fs.appendFileSync(path.join(src, 'helpgen.yaml'),
    `feedback:\n  endpoint: ${endpoint.url}\n  mailto: help@example.com\n`);
  execFileSync(path.join(ROOT, 'helpgen'), ['build', src, '-o', path.join(tmp, 'out'), '--quiet'],
    { stdio: ['ignore', 'inherit', 'inherit'] });
  site = await serve(path.join(tmp, 'out'));
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  for (const s of [site, endpoint]) if (s) s.server.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  return { context, page, problems };
}

test('"Yes" posts JSON to the endpoint and says thanks, without cookies', { skip: SKIP }, async () => {
  const { context, page, problems } = await newPage();
  try {
    votes.length = 0;
    await page.goto(site.base + ARTICLE);
    await page.getByRole('button', { name: 'Yes' }).click();
    await waitFor(() => votes.length === 1, 'the vote');
    assert.match(votes[0].type, /^application\/json/);
    const v = JSON.parse(votes[0].body);
    assert.deepEqual(v, { page: 'orders/tracking/track-order', url: 'https://help.example.com/orders/tracking/track-order/',
      title: 'Track your order', lang: 'en', helpful: true });
    assert.equal(votes[0].cookie, undefined);
    assert.equal((await page.locator('[data-hg-feedback-status]').textContent()).trim(), 'Thanks for your feedback!');
    assert.equal(await page.locator('.hg-feedback-votes').isVisible(), false, 'the votes are gone');
    assert.equal(await page.locator('[data-hg-feedback-no]').isVisible(), false);
    assert.equal(page.url(), site.base + ARTICLE, 'the page stayed');
    assert.deepEqual(await context.cookies(), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('"No" posts helpful: false and reveals the ways to reach a person', { skip: SKIP }, async () => {
  const { context, page, problems } = await newPage();
  try {
    votes.length = 0;
    await page.goto(site.base + ARTICLE);
    await page.getByRole('button', { name: 'No' }).click();
    await waitFor(() => votes.length === 1, 'the vote');
    assert.equal(JSON.parse(votes[0].body).helpful, false);
    const no = page.locator('[data-hg-feedback-no]');
    assert.ok(await no.isVisible(), 'the contact options are shown');
    assert.ok(await no.evaluate((el) => el === document.activeElement), 'and focused');
    assert.ok(await no.getByRole('link', { name: 'Contact support' }).isVisible());
    const mail = await no.getByRole('link', { name: 'Tell us what was missing' }).getAttribute('href');
    assert.match(mail, /^mailto:help@example\.com\?subject=Was%20this%20article%20helpful%3F%20No%20/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('without JavaScript the votes are a plain form POST', { skip: SKIP }, async () => {
  const { context, page } = await newPage({ javaScriptEnabled: false });
  try {
    votes.length = 0;
    await page.goto(site.base + ARTICLE);
    await Promise.all([page.waitForURL(endpoint.url), page.getByRole('button', { name: 'No' }).click()]);
    await waitFor(() => votes.length === 1, 'the form post');
    assert.match(votes[0].type, /^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(votes[0].body);
    assert.equal(form.get('helpful'), 'no');
    assert.equal(form.get('page'), 'orders/tracking/track-order');
    assert.equal(form.get('title'), 'Track your order');
  } finally {
    await context.close();
  }
});

test('recently viewed articles appear on the home page, newest first', { skip: SKIP }, async () => {
  const { context, page, problems } = await newPage();
  try {
    await page.goto(site.base + '/');
    assert.equal(await page.locator('[data-hg-recent-list]').isVisible(), false, 'hidden before any visit');
    await page.goto(site.base + '/orders/change-or-cancel/cancel-order/');
    await page.goto(site.base + ARTICLE);
    await page.goto(site.base + '/orders/change-or-cancel/cancel-order/'); // again: moves to the top, no duplicate
    await page.goto(site.base + '/');
    const list = page.locator('[data-hg-recent-list]');
    assert.ok(await list.isVisible());
    const links = list.getByRole('link');
    assert.deepEqual(await links.allTextContents(), ['Cancel an order', 'Track your order']);
    await links.nth(1).click();
    await page.waitForURL(site.base + ARTICLE + 'index.html');
    assert.deepEqual(await context.cookies(), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a poisoned localStorage entry is not turned into a link', { skip: SKIP }, async () => {
  const { context, page } = await newPage();
  try {
    await page.goto(site.base + '/');
    await page.evaluate(() => {
      const key = `helpgen:recent:${document.querySelector('meta[property="og:site_name"]').content}:en`;
      localStorage.setItem(key, JSON.stringify([{ path: 'javascript:alert(1)', title: 'x' },
        { path: '//evil.example/', title: 'y' }, { path: 'shipping/shipping-faq/index.html', title: 'Shipping FAQ' }]));
    });
    await page.reload();
    assert.deepEqual(await page.locator('[data-hg-recent-list] a').allTextContents(), ['Shipping FAQ']);
  } finally {
    await context.close();
  }
});

test('related articles link to existing pages', { skip: SKIP }, async () => {
  const { context, page } = await newPage();
  try {
    await page.goto(site.base + ARTICLE);
    const hrefs = await page.locator('.hg-related a').evaluateAll((as) => as.map((a) => a.href));
    assert.ok(hrefs.length >= 3 && hrefs.length <= 5, `${hrefs.length} related articles`);
    for (const h of hrefs) assert.equal((await fetch(h)).status, 200, h);
  } finally {
    await context.close();
  }
});

test("an alias's meta-refresh page lands on the article", { skip: SKIP }, async () => {
  const { context, page } = await newPage();
  try {
    await page.goto(site.base + '/hc/en-us/articles/cancel-my-order/');
    await page.waitForURL(site.base + '/orders/change-or-cancel/cancel-order/index.html');
    assert.equal(await page.locator('h1').textContent(), 'Cancel an order');
  } finally {
    await context.close();
  }
});
