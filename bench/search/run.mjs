// make bench-search: helpgen's search against Pagefind on the same built HTML,
// in one run, on the 10,000-article bench corpus and on
// ../shared/corpora/sendgrid-docs. Prints figures; asserts nothing.
//
// Per corpus: build time of helpgen (search stage share), Pagefind indexing
// time, index size and file count of both, bytes fetched for the first query
// (engine JS + manifest/metadata + index files + the records of the top 5
// results, in a fresh browser context) and per later query (median, max),
// query time in Chromium, and known-item MRR@10 on generated query sets:
//   drop    an article's title with one word dropped
//   prefix  the last word cut to 4 letters (a trailing number dropped first)
//   typo    one letter of one word (5+ letters) changed, never the first letter
//   plain   diacritics removed (only titles that have some)
// Env: BENCH_QUERIES (per set, default 150), BENCH_FIRST (fresh-context
// samples, default 15), BENCH_CORPORA (comma list: bench,sendgrid), HELPGEN.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const OUT = path.join(ROOT, 'bench/out/search');
const HELPGEN = process.env.HELPGEN || path.join(ROOT, 'helpgen');
const NQ = +(process.env.BENCH_QUERIES || 150);
const NFIRST = +(process.env.BENCH_FIRST || 15);
const TOP = 5;

const CORPORA = {
  bench: () => {
    const dir = path.join(ROOT, 'bench/out/corpus-10000');
    if (!fs.existsSync(path.join(dir, 'content'))) execFileSync('python3', [path.join(ROOT, 'bench/gen_corpus.py'), dir, '10000'], { stdio: 'inherit' });
    return dir;
  },
  sendgrid: () => path.resolve(ROOT, '../shared/corpora/sendgrid-docs'),
};

// ---- deterministic random ---------------------------------------------------
function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

// ---- builds -------------------------------------------------------------------
function timeIt(fn) { const t = process.hrtime.bigint(); const r = fn(); return [Number(process.hrtime.bigint() - t) / 1e9, r]; }

function buildHelpgen(src, out) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    fs.rmSync(out, { recursive: true, force: true });
    const [dt, r] = timeIt(() => spawnSync(HELPGEN, ['build', src, '-o', out, '--quiet', '--no-cache'], { env: { ...process.env, HELPGEN_TIMING: '1' }, encoding: 'utf8' }));
    if (r.status !== 0) throw new Error(`helpgen build ${src} failed:\n${r.stderr}`);
    const stages = {};
    for (const m of r.stderr.matchAll(/^timing: (\S+)\s+([\d.]+) s \(cpu ([\d.]+) s\)/gm)) stages[m[1]] = { wall: +m[2], cpu: +m[3] };
    runs.push({ dt, stages });
  }
  runs.sort((a, b) => a.dt - b.dt);
  return runs[1];
}

function buildPagefind(site) {
  const bin = path.join(ROOT, 'node_modules/.bin/pagefind');
  fs.rmSync(path.join(site, 'pagefind'), { recursive: true, force: true });
  const [dt, r] = timeIt(() => spawnSync(bin, ['--site', site], { encoding: 'utf8' }));
  if (r.status !== 0) throw new Error(`pagefind failed:\n${r.stdout}\n${r.stderr}`);
  return dt;
}

function dirStats(dir) {
  let files = 0, bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(e.parentPath || e.path, e.name)).size;
  }
  return { files, bytes };
}

// ---- articles and query sets --------------------------------------------------------
// (url, title) of every article, read from helpgen's document store.
function articles(site) {
  const dir = fs.readdirSync(path.join(site, 'search')).map((l) => path.join(site, 'search', l))[0];
  const man = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('manifest.'))))));
  const out = [];
  for (let g = 0; g < man.store.files.length; g++) { // manifest v3: a name per group
    for (const [url, title] of JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, `d${g}.${man.store.files[g]}.bin`))))) out.push({ url, title });
  }
  return out;
}

function querySets(arts, seed) {
  const r = rng(seed), pick = (a) => a[Math.floor(r() * a.length)];
  const pool = arts.filter((a) => a.title.split(/\s+/).length >= 2);
  const sets = { exact: [], drop: [], prefix: [], typo: [], plain: [] };
  const order = [...pool].sort(() => r() - 0.5);
  for (const a of order) {
    const words = a.title.split(/\s+/);
    if (sets.exact.length < NQ) sets.exact.push({ q: a.title, url: a.url });
    if (sets.drop.length < NQ && words.length >= 3) {
      const i = Math.floor(r() * words.length);
      sets.drop.push({ q: words.filter((_, k) => k !== i).join(' '), url: a.url });
    }
    // the last word (or, when the title ends in a number, the last word of
    // letters, dropping what follows) cut to 4 letters
    let li = words.length - 1;
    if (/^\p{N}+$/u.test(words[li])) li--;
    const last = words[li] || '';
    if (sets.prefix.length < NQ && li >= 0 && [...last].length > 4 && /^\p{L}+$/u.test(last)) {
      sets.prefix.push({ q: [...words.slice(0, li), [...last].slice(0, 4).join('')].join(' '), url: a.url });
    }
    const long = words.map((w, i) => [w, i]).filter(([w]) => /^\p{L}{5,}$/u.test(w));
    if (sets.typo.length < NQ && long.length) {
      const [w, i] = pick(long), cs = [...w], p = 1 + Math.floor(r() * (cs.length - 1));
      let c;
      do c = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(r() * 26)]; while (c === cs[p].toLowerCase());
      cs[p] = c;
      sets.typo.push({ q: words.map((x, k) => (k === i ? cs.join('') : x)).join(' '), url: a.url });
    }
    const plain = a.title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
    if (sets.plain.length < NQ && plain !== a.title) sets.plain.push({ q: plain, url: a.url });
  }
  return sets;
}

// ---- server: gzip for text like a static host, bytes logged per request ----------
function serve(dir, log) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(dir, path.normalize(p));
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
      let body = fs.readFileSync(file);
      const type = types[path.extname(file)];
      const headers = { 'content-type': type || 'application/octet-stream' };
      if (type) { body = zlib.gzipSync(body, { level: 9 }); headers['content-encoding'] = 'gzip'; }
      log.push({ path: p, bytes: body.length });
      res.writeHead(200, headers);
      res.end(body);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

// In-page drivers: each returns {urls, ms} for a query, loading the records of the top results.
const DRIVERS = {
  helpgen: async ([q, top]) => {
    const t = performance.now();
    const res = await window.__idx.search(q);
    const docs = await Promise.all(res.results.slice(0, 10).map((r, i) => (i < top ? window.__idx.doc(r.id) : null)));
    const ms = performance.now() - t;
    const all = await Promise.all(res.results.slice(0, 10).map((r) => window.__idx.doc(r.id)));
    return { urls: all.map((d) => d.url), ms, n: docs.length };
  },
  pagefind: async ([q, top]) => {
    const t = performance.now();
    const res = await window.__pf.search(q);
    await Promise.all(res.results.slice(0, top).map((r) => r.data()));
    const ms = performance.now() - t;
    const all = await Promise.all(res.results.slice(0, 10).map((r) => r.data()));
    return { urls: all.map((d) => new URL(d.url, location.href).href), ms };
  },
};

async function setup(page, engine, siteUrl) {
  if (engine === 'helpgen') {
    await page.evaluate(async () => {
      const src = document.querySelector('script[type=module]').src;
      const m = await import(src);
      window.__idx = new m.SearchIndex(new URL(document.querySelector('meta[name="helpgen:search"]').content, location.href).href);
    });
  } else {
    await page.evaluate(async (base) => {
      window.__pf = await import(base + 'pagefind/pagefind.js');
      await window.__pf.options({ baseUrl: new URL(base).pathname });
      await window.__pf.init();
    }, siteUrl);
  }
}

const norm = (u) => new URL(u).pathname.replace(/index\.html$/, '');
const ours = (e) => (p) => (e === 'helpgen' ? /\/assets\/search\.[^/]*\.js$|\/search\/[^/]+\/[^/]+\.bin$/ : /\/pagefind\//).test(p);

async function measure(browser, engine, siteUrl, sets) {
  const log = measure.log;
  const out = { mrr: {}, first: [], later: [], ms: [] };
  // MRR@10 in one warm page
  const page = await browser.newPage();
  await page.goto(siteUrl + 'index.html');
  await setup(page, engine, siteUrl);
  for (const [name, qs] of Object.entries(sets)) {
    if (!qs.length) { out.mrr[name] = null; continue; }
    let sum = 0;
    for (const { q, url } of qs) {
      const r = await page.evaluate(DRIVERS[engine], [q, TOP]);
      const target = norm(new URL(url, siteUrl).href);
      const rank = r.urls.map(norm).indexOf(target);
      if (rank >= 0) sum += 1 / (rank + 1);
    }
    out.mrr[name] = sum / qs.length;
  }
  await page.close();
  // first query in a fresh context, then later queries in the same page
  const sample = sets.drop.slice(0, NFIRST);
  for (let i = 0; i < sample.length; i++) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const start = log.length;
    await p.goto(siteUrl + 'index.html');
    await setup(p, engine, siteUrl);
    await p.evaluate(DRIVERS[engine], [sample[i].q, TOP]);
    out.first.push(log.slice(start).filter((e) => ours(engine)(e.path)).reduce((s, e) => s + e.bytes, 0));
    if (i === 0) {
      for (const { q } of sets.exact.slice(0, 40)) {
        const s2 = log.length;
        const r = await p.evaluate(DRIVERS[engine], [q, TOP]);
        out.later.push(log.slice(s2).filter((e) => ours(engine)(e.path)).reduce((s, e) => s + e.bytes, 0));
        out.ms.push(r.ms);
      }
    }
    await ctx.close();
  }
  return out;
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor(s.length / 2)] : 0; };
const kb = (b) => `${(b / 1024).toFixed(1)} kB`;

async function main() {
  const names = (process.env.BENCH_CORPORA || 'bench,sendgrid').split(',');
  fs.mkdirSync(OUT, { recursive: true });
  const log = [];
  measure.log = log;
  const server = await serve(OUT, log);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const { launchBrowser } = await import('../../tests/browser/chromium.mjs');
  const browser = await launchBrowser();
  try {
    for (const name of names) {
      const src = CORPORA[name]();
      const site = path.join(OUT, name);
      console.log(`\n== ${name} (${src})`);
      const hb = buildHelpgen(src, site);
      const total = Object.values(hb.stages).reduce((s, x) => s + x.cpu, 0);
      const search = hb.stages.search || { wall: 0, cpu: 0 };
      const idx = dirStats(path.join(site, 'search'));
      const pfTime = buildPagefind(site);
      const pf = dirStats(path.join(site, 'pagefind'));
      const arts = articles(site);
      const sets = querySets(arts, 20261123);
      console.log(`articles ${arts.length}; queries per set: ${Object.entries(sets).map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
      console.log(`helpgen build ${hb.dt.toFixed(2)} s; search stage cpu ${search.cpu.toFixed(2)} s = ${(100 * search.cpu / total).toFixed(0)}% of build cpu ` +
        `(${(100 * search.cpu / (total - search.cpu)).toFixed(0)}% added; wall ${search.wall.toFixed(2)} s)`);
      console.log(`pagefind indexing ${pfTime.toFixed(2)} s (${(pfTime / hb.dt).toFixed(2)}x helpgen's whole build)`);
      console.log(`index size: helpgen ${kb(idx.bytes)} in ${idx.files} files; pagefind ${kb(pf.bytes)} in ${pf.files} files`);
      const res = {};
      for (const engine of ['helpgen', 'pagefind']) res[engine] = await measure(browser, engine, `${base}${name}/`, sets);
      const row = (label, f) => console.log(`${label.padEnd(28)} ${f('helpgen').padStart(12)} ${f('pagefind').padStart(12)}`);
      row('', (e) => e);
      row(`first query (median of ${NFIRST})`, (e) => kb(median(res[e].first)));
      row('first query (max)', (e) => kb(Math.max(...res[e].first)));
      row('later query (median)', (e) => kb(median(res[e].later)));
      row('later query (max)', (e) => kb(Math.max(...res[e].later)));
      row('query time (median, warm)', (e) => `${median(res[e].ms).toFixed(1)} ms`);
      for (const k of Object.keys(sets)) row(`MRR@10 ${k}`, (e) => (res[e].mrr[k] == null ? 'n/a' : res[e].mrr[k].toFixed(3)));
    }
  } finally {
    await browser.close();
    server.close();
  }
}

export { articles, querySets };
if (process.argv[1] === fileURLToPath(import.meta.url)) main().catch((e) => { console.error(e); process.exit(1); });
