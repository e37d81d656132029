// Search in a real browser: Debian's Chromium driven by playwright-core over
// sites that ./helpgen builds (examples/store plus an XSS article, and a small
// Thai site). Needs ./helpgen (make helpgen), /usr/bin/chromium and
// node_modules/playwright-core. Run: node --test tests/browser/
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
let tmp, server, base, browser;

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function buildSites() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-search-browser-'));
  // English: the example store plus an article whose title and body carry script payloads
  const en = path.join(tmp, 'src-en');
  fs.cpSync(path.join(ROOT, 'examples/store'), en, { recursive: true });
  write(path.join(en, 'content/en/orders/xss-gift-wrap.md'), `---
title: "Gift wrap <img src=x onerror=\\"window.__xss=1\\"> <script>window.__xss=2</script>"
description: "<svg onload=window.__xss=3> wrapping paper"
---
Gift wrap is free. Literal payloads: \`<img src=x onerror="window.__xss=4">\` and \`<script>window.__xss=5</script>\` and &lt;b onmouseover=window.__xss=6&gt;wrap&lt;/b&gt;.
`);
  // Thai: no spaces between words; ไม่ ("not") and ไม้ ("wood") differ only in the tone mark
  const th = path.join(tmp, 'src-th');
  write(path.join(th, 'helpgen.yaml'), 'title: ศูนย์ช่วยเหลือ\nlanguage: th\ntheme: default\n');
  write(path.join(th, 'content/orders/_index.md'), '---\ntitle: คำสั่งซื้อ\n---\n');
  write(path.join(th, 'content/orders/track.md'), '---\ntitle: ติดตามคำสั่งซื้อ\n---\nฉันจะติดตามคำสั่งซื้อของฉันได้อย่างไร เมื่อพัสดุถูกจัดส่ง เราจะส่งหมายเลขติดตามให้คุณทางอีเมล\n');
  write(path.join(th, 'content/orders/password.md'), '---\ntitle: การเปลี่ยนรหัสผ่าน\n---\nหากคุณไม่สามารถเข้าสู่ระบบได้ ให้เปลี่ยนรหัสผ่านของคุณ\n');
  write(path.join(th, 'content/orders/teak.md'), '---\ntitle: โต๊ะไม้สัก\n---\nโต๊ะไม้สักราคาถูก ทำจากไม้สักแท้\n');
  for (const [src, out] of [[en, 'en'], [th, 'th']]) {
    execFileSync(process.env.HELPGEN || path.join(ROOT, 'helpgen'), ['build', src, '-o', path.join(tmp, out), '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

function serve(dir) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(dir, path.normalize(p));
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

before(async () => {
  buildSites();
  server = await serve(tmp);
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function newPage(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.errors = errors;
  await page.goto(base + url);
  return page;
}

const ARTICLE = '/en/orders/tracking/track-order/index.html';

test('typing shows instant results with highlights; a result opens', async () => {
  const page = await newPage(ARTICLE);
  const input = page.locator('.hg-header input[name=q]');
  await input.fill('reset passw');
  const first = page.locator('.hg-header [role=option]').first();
  await first.waitFor();
  assert.match(await first.locator('.hg-result-title').textContent(), /Reset your password/);
  assert.ok(await page.locator('.hg-header [role=option] mark').count() > 0);
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  await first.click(); // the option is the link itself
  await page.waitForURL(/reset-password/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('keyboard: / focuses, arrows move, Enter opens, Esc closes', async () => {
  const page = await newPage(ARTICLE);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  const input = page.locator('.hg-header input[name=q]');
  assert.ok(await input.evaluate((el) => el === document.activeElement));
  await page.keyboard.type('refund');
  await page.locator('.hg-header [role=option]').first().waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('ArrowDown'); // reopens
  await page.locator('.hg-header [role=listbox]').waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const active = await input.getAttribute('aria-activedescendant');
  const second = page.locator('.hg-header [role=option]').nth(1);
  assert.equal(active, await second.getAttribute('id'));
  assert.equal(await second.getAttribute('aria-selected'), 'true');
  const href = await second.getAttribute('href');
  await page.keyboard.press('Enter');
  await page.waitForURL(href);
  await page.close();
});

test('no results offers the contact path; Enter goes to the results page', async () => {
  const page = await newPage(ARTICLE);
  const input = page.locator('.hg-header input[name=q]');
  await input.fill('zzqxv');
  const empty = page.locator('.hg-header .hg-search-empty').first();
  await empty.waitFor();
  assert.ok(await page.locator('.hg-header .hg-search-contact a[href^="mailto:"]').count() > 0);
  await input.fill('refund');
  await page.locator('.hg-header [role=option]').first().waitFor();
  await input.press('Enter');
  await page.waitForURL(/search\/(index\.html)?\?q=refund/);
  await page.locator('[data-hg-search-results] li a').first().waitFor();
  await page.close();
});

test('results page: deep link, filters by category', async () => {
  const page = await newPage('/en/search/index.html?q=refund');
  const items = page.locator('[data-hg-search-results] .hg-search-list > li');
  await items.first().waitFor();
  const all = await items.count();
  assert.ok(all >= 3);
  assert.equal(await page.locator('.hg-header input[name=q]').inputValue(), 'refund');
  const chip = page.locator('.hg-search-facet button[aria-pressed=false]').nth(1);
  await chip.click();
  await page.waitForFunction((n) => document.querySelectorAll('.hg-search-list > li').length < n, all);
  assert.match(page.url(), /category=/);
  assert.ok(await page.locator('[data-hg-search-fallback]').isHidden());
  await page.close();
});

test('Thai query on a Thai page', async () => {
  const page = await newPage('/th/orders/track/index.html');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'th');
  const input = page.locator('.hg-header input[name=q]');
  await input.fill('เปลี่ยนรหัสผ่าน');
  const first = page.locator('.hg-header [role=option] .hg-result-title').first();
  await first.waitFor();
  assert.equal(await first.textContent(), 'การเปลี่ยนรหัสผ่าน');
  await input.fill('ไม้');
  await page.waitForFunction(() => document.querySelector('.hg-header [role=option] .hg-result-title')?.textContent === 'โต๊ะไม้สัก');
  assert.equal(await page.locator('.hg-header [role=option]').count(), 1);
  await page.close();
});

test('script payloads in titles and text never run', async () => {
  const page = await newPage(ARTICLE);
  const input = page.locator('.hg-header input[name=q]');
  await input.fill('gift wrap');
  const title = page.locator('.hg-header [role=option] .hg-result-title').first();
  await title.waitFor();
  assert.match(await title.textContent(), /<img src=x onerror/);
  await page.goto(base + '/en/search/index.html?q=gift%20wrap%20payloads');
  await page.locator('[data-hg-search-results] li a').first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('[data-hg-search-results] img, [data-hg-search-results] script, [data-hg-search-results] svg').count(), 0);
  await page.close();
});

test('analytics beacons when an endpoint is configured', async () => {
  const page = await browser.newPage();
  const beacons = [];
  await page.route('**/collect', (route) => { beacons.push(route.request().postData()); route.fulfill({ status: 204 }); });
  await page.goto(base + ARTICLE);
  await page.evaluate(() => {
    const m = document.createElement('meta');
    m.name = 'helpgen:search-analytics';
    m.content = '/collect';
    document.head.append(m);
  });
  await page.locator('.hg-header input[name=q]').fill('qqzzxx');
  await page.locator('.hg-header .hg-search-empty').first().waitFor();
  await page.waitForTimeout(1800); // no-results beacons wait for the query to settle
  assert.ok(beacons.some((b) => JSON.parse(b).type === 'no_results'), JSON.stringify(beacons));
  await page.close();
});

test('tokenizer vectors agree in Chromium', async () => {
  const file = path.join(ROOT, process.env.BUILD || 'build', 'tests/search-fixture/vectors.json');
  if (!fs.existsSync(file)) execFileSync('sh', [path.join(ROOT, 'tests/js/setup.sh')], { stdio: 'inherit' });
  const vectors = JSON.parse(fs.readFileSync(file, 'utf8'));
  const page = await newPage(ARTICLE);
  const src = await page.evaluate(() => document.querySelector('script[type=module]').src);
  const got = await page.evaluate(async ([u, vs]) => {
    const m = await import(u);
    return vs.map((v) => m.tokenize(v.text, v.lang).map((t) => [t.term, t.exact, t.start, t.end]));
  }, [src, vectors]);
  // where ICU builds may cut a dictionary script's words elsewhere, the bigrams still agree
  const bigrams = (toks) => toks.filter((t) => t[0].endsWith('\u0001')).map((t) => t[0]);
  vectors.forEach((v, i) => {
    if (v.cuts_may_differ) assert.deepEqual(bigrams(got[i]), bigrams(v.tokens), `${v.lang}: ${v.text}`);
    else assert.deepEqual(got[i], v.tokens, `${v.lang}: ${v.text}`);
  });
  // the hand-written contract (tests/js/fixtures/golden-tokens.json) in Chromium's ICU too
  const golden = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/js/fixtures/golden-tokens.json'), 'utf8')).vectors;
  const split = await page.evaluate(async ([u, vs]) => {
    const m = await import(u);
    return vs.map((v) => {
      const toks = m.tokenize(v.text, v.lang);
      return { words: toks.filter((t) => !t.bigram).map((t) => (t.exact ? [t.term, t.exact] : t.term)),
        bigrams: toks.filter((t) => t.bigram).map((t) => t.term.slice(0, -1)) };
    });
  }, [src, golden]);
  golden.forEach((v, i) => assert.deepEqual(split[i], { words: v.words, bigrams: v.bigrams }, `${v.script}: ${v.text}`));
  await page.close();
});

test('one engine: the dropdown and the results page agree on a prefix', async () => {
  const page = await newPage(ARTICLE);
  const input = page.locator('.hg-header input[name=q]');
  await input.fill('ord');
  await page.locator('.hg-header [role=option]').first().waitFor();
  const live = await page.locator('.hg-header .visually-hidden[role=status]').textContent();
  const n = Number(live.match(/\d+/)[0]);
  assert.ok(n >= 2, live);
  await input.press('Enter');
  await page.waitForURL(/search\/(index\.html)?\?q=ord/);
  const status = page.locator('[data-hg-search-results] .hg-search-count');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-hg-search-results] .hg-search-count')?.textContent || ''));
  assert.equal(Number((await status.textContent()).match(/\d+/)[0]), n);
  await page.close();
});

test('the dropdown shows more than 6, pages with PageDown/PageUp and loads more past the end', async () => {
  const page = await newPage(ARTICLE);
  const input = page.locator('.hg-header input[name=q]');
  await input.fill('the');
  const options = page.locator('.hg-header [role=option]');
  await options.first().waitFor();
  await page.waitForFunction(() => /“the”/.test(document.querySelector('.hg-header .visually-hidden[role=status]')?.textContent || ''));
  const live = await page.locator('.hg-header .visually-hidden[role=status]').textContent();
  const total = Number(live.match(/\d+/)[0]);
  assert.ok(total > 8, `needs more than 8 results for "the": ${live}`);
  assert.equal(await options.count(), 8);
  assert.match(await page.locator('.hg-header .hg-search-all a').textContent(), new RegExp(`\\(${total}\\)`));
  await input.press('PageDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), await options.nth(4).getAttribute('id'));
  await input.press('PageDown'); // past the 8th: the next ones are loaded
  await page.waitForFunction(() => document.querySelectorAll('.hg-header [role=option]').length > 8);
  assert.equal(await input.getAttribute('aria-activedescendant'), await options.nth(9).getAttribute('id'));
  await input.press('PageUp');
  assert.equal(await input.getAttribute('aria-activedescendant'), await options.nth(4).getAttribute('id'));
  await page.close();
});

test('the dropdown speaks the page language (theme i18n strings)', async () => {
  const page = await newPage('/th/orders/track/index.html');
  const input = page.locator('.hg-header input[name=q]');
  await input.fill('zzqxv');
  const empty = page.locator('.hg-header .hg-search-empty').first();
  await empty.waitFor();
  assert.match(await empty.textContent(), /ไม่พบผลลัพธ์สำหรับ “zzqxv”/);
  await input.fill('ไม้');
  await page.locator('.hg-header [role=option]').first().waitFor();
  assert.match(await page.locator('.hg-header .visually-hidden[role=status]').textContent(), /^พบ 1 รายการสำหรับ/);
  assert.equal(await page.locator('.hg-header .hg-search-all a').textContent(), 'ดูผลลัพธ์ทั้งหมด');
  await page.close();
});
