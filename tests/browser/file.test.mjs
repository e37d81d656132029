// The built site opened from disk (file://), as a help center shipped inside
// a product, a zip or a USB stick is: the search box finds an article (the
// search code loads as a classic script, the index through script
// elements), and a result opens its page; the results page works too.
// Needs ./helpgen, /usr/bin/chromium and node_modules/playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchBrowser } from './chromium.mjs';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
let tmp, out, browser;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-file-browser-'));
  out = path.join(tmp, 'site');
  execFileSync(process.env.HELPGEN || path.join(ROOT, 'helpgen'),
    ['build', path.join(ROOT, 'examples/store'), '-o', out, '--quiet', '--no-cache'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function open(rel, query = '') {
  const page = await browser.newPage();
  page.errors = [];
  page.requests = [];
  page.on('pageerror', (e) => page.errors.push(e));
  page.on('request', (r) => page.requests.push(r.url()));
  await page.goto(pathToFileURL(path.join(out, rel)).href + query);
  return page;
}

test('from file://, typing in the search box finds an article and opens it', async () => {
  const page = await open('orders/tracking/track-order/index.html');
  assert.equal(new URL(page.url()).protocol, 'file:');
  const input = page.locator('.hg-header input[name=q]');
  await input.fill('reset passw');
  const first = page.locator('.hg-header [role=option]').first();
  await first.waitFor({ timeout: 10000 });
  assert.match(await first.locator('.hg-result-title').textContent(), /Reset your password/);
  // the index came through its script twins, the code as the classic twin
  assert.ok(page.requests.some((u) => /\/search\/en\/manifest\.bin\.js$/.test(u)), page.requests.join('\n'));
  assert.ok(page.requests.some((u) => /\/assets\/search\.[0-9a-f]+\.classic\.js$/.test(u)));
  assert.deepEqual(page.errors, []);
  await first.click();
  await page.waitForURL(/reset-password\/index\.html$/);
  assert.match(await page.locator('h1').first().textContent(), /Reset your password/);
  await page.close();
});

test('from file://, the results page lists matches (another language too)', async () => {
  const page = await open('search/index.html', '?q=refund');
  await page.locator('[data-hg-search-results] li a').first().waitFor({ timeout: 10000 });
  assert.ok(await page.locator('[data-hg-search-results] li a').count() > 0);
  assert.deepEqual(page.errors, []);
  await page.close();
  const cs = await open('cs/index.html');
  const form = cs.locator('form.hg-search').first();
  await form.locator('input[name=q]').fill('objedn');
  await form.locator('[role=option]').first().waitFor({ timeout: 10000 });
  assert.ok(cs.requests.some((u) => /\/search\/cs\/manifest\.bin\.js$/.test(u)));
  await cs.close();
});
