// serve-browser.mjs - `helpgen serve` live reload in a real browser (Debian's
// chromium driven by playwright-core), run by tests/e2e/cli.sh:
//   node tests/e2e/serve-browser.mjs HELPGEN SITE
// SITE is a scratch copy of examples/store (its files are edited). An open
// article reloads itself after an edit; a broken edit shows the overlay with
// the build's message over the last good page; the fix removes it; SIGINT
// stops the server with exit code 0; 10 tabs of one browser all load (they share one
// event stream: a browser allows 6 connections to a host) and all reload. Every wait has a timeout. Prints one
// line per step; exits 1 on the first failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [HG, SITE] = process.argv.slice(2);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const T = 15000; // ms, for every wait

const srv = spawn(HG, ['serve', SITE, '--port', '0', '--threads', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
srv.stderr.on('data', (d) => { log += d; });
let browser = null;

function fail(msg) {
  console.log(`FAIL: ${msg}\n--- server log:\n${log}`);
  if (browser) browser.close().catch(() => {});
  srv.kill('SIGKILL');
  process.exit(1);
}
const timer = setTimeout(() => fail('the whole test took over 90 s'), 90000);

async function until(what, fn) {
  const end = Date.now() + T;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return fail(`timed out: ${what}`);
}

try {
  const url = await until('the server prints its address', () => (log.match(/ at (http:\/\/127\.0\.0\.1:\d+\/\S*) /) || [])[1]);
  const { launchBrowser } = await import('../browser/chromium.mjs');
  browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(`${url}orders/tracking/track-order/`, { timeout: T });
  await page.waitForFunction(() => !!document.querySelector('script[src$="__helpgen/live.js"]'), null, { timeout: T });
  await page.waitForTimeout(300); // let EventSource connect (a missed reload would only make the next step time out)
  const file = path.join(SITE, 'content/en/orders/tracking/track-order.md');
  const good = fs.readFileSync(file, 'utf8');

  fs.writeFileSync(file, `${good}\n\nBROWSER-MARKER-1\n`);
  await page.waitForFunction(() => document.body.textContent.includes('BROWSER-MARKER-1'), null, { timeout: T })
    .catch(() => fail('the page did not reload with the edit'));
  console.log('ok - the open page reloads itself after an edit');

  fs.writeFileSync(file, '---\ntitle: [broken\n---\n');
  await page.waitForSelector('#helpgen-build-error', { timeout: T }).catch(() => fail('no error overlay'));
  const text = await page.textContent('#helpgen-build-error');
  if (!text.includes('track-order.md:3:1: error: YAML syntax error')) fail(`overlay text: ${text}`);
  if (!(await page.evaluate(() => document.body.textContent.includes('BROWSER-MARKER-1')))) fail('the last good page is gone');
  const fresh = await browser.newPage(); // a page opened now shows the error too
  await fresh.goto(`${url}orders/tracking/track-order/`, { timeout: T });
  await fresh.waitForSelector('#helpgen-build-error', { timeout: T }).catch(() => fail('no overlay on a newly opened page'));
  console.log('ok - a broken edit shows the error over the last good page');

  fs.writeFileSync(file, `${good}\n\nBROWSER-MARKER-2\n`);
  await page.waitForFunction(() => !document.getElementById('helpgen-build-error') &&
    document.body.textContent.includes('BROWSER-MARKER-2'), null, { timeout: T })
    .catch(() => fail('the fix did not reload the page and remove the overlay'));
  console.log('ok - the fix reloads the page without the overlay');

  // many tabs of one browser: it opens at most 6 connections to a host, and
  // each live-reload stream holds one; the tabs share one stream
  const ctx = await browser.newContext();
  const tabs = [];
  for (let i = 0; i < 10; i++) {
    const tab = await ctx.newPage();
    await tab.goto(`${url}orders/tracking/track-order/`, { timeout: T })
      .catch(() => fail(`tab ${i + 1} of 10 in one browser did not load (the live-reload streams hold every connection?)`));
    tabs.push(tab);
  }
  await tabs[9].waitForTimeout(500);
  fs.writeFileSync(file, `${good}\n\nBROWSER-MARKER-3\n`);
  for (const [i, tab] of tabs.entries())
    await tab.waitForFunction(() => document.body.textContent.includes('BROWSER-MARKER-3'), null, { timeout: T })
      .catch(() => fail(`tab ${i + 1} of 10 did not reload after an edit`));
  await tabs[0].close(); // the tab that listened for the others, if it was the first: another takes over
  await tabs[1].waitForTimeout(500);
  fs.writeFileSync(file, `${good}\n\nBROWSER-MARKER-4\n`);
  for (const [i, tab] of tabs.slice(1).entries())
    await tab.waitForFunction(() => document.body.textContent.includes('BROWSER-MARKER-4'), null, { timeout: T })
      .catch(() => fail(`tab ${i + 2} of 10 did not reload after an edit once the first tab was closed`));
  await ctx.close();
  console.log('ok - 10 tabs of one browser load, and all reload after an edit (also after the first is closed)');
  await browser.close();
  browser = null;

  srv.kill('SIGINT');
  const code = await until('the server stops', () => (srv.exitCode !== null ? String(srv.exitCode) : null));
  if (code !== '0') fail(`exit code ${code} after SIGINT`);
  console.log('ok - SIGINT stops the server with exit code 0');
  clearTimeout(timer);
} catch (e) {
  fail(e && e.stack ? e.stack : String(e));
}
