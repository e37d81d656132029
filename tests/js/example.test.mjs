// The search engine on the index that ./helpgen writes for examples/store
// (plus one article with accents and a search.synonyms entry), in English and
// in the store's Czech, Thai and Arabic translations. Skipped when ./helpgen
// has not been built.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SearchIndex } from '../../themes/default/assets/search.js';

const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
const HELPGEN = process.env.HELPGEN || path.join(ROOT, 'helpgen');
const skip = fs.existsSync(HELPGEN) ? false : 'needs ./helpgen (make helpgen)';
let tmp, idx;
const langIdx = {};

before(() => {
  if (skip) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-search-example-'));
  const src = path.join(tmp, 'src');
  fs.cpSync(path.join(ROOT, 'examples/store'), src, { recursive: true });
  fs.appendFileSync(path.join(src, 'helpgen.yaml'), '\nsearch:\n  synonyms:\n    - [parcel, package]\n    - [sign in, log in]\n');
  fs.writeFileSync(path.join(src, 'content/en/orders/creme-brulee.md'),
    '---\ntitle: Crème brûlée gift boxes from the Café Zürich\n---\nOur café ships crème brûlée gift boxes every Tuesday.\n');
  execFileSync(HELPGEN, ['build', src, '-o', path.join(tmp, 'site'), '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const open = (home) => {
    const html = fs.readFileSync(path.join(tmp, 'site', home, 'index.html'), 'utf8');
    const manifest = html.match(/<meta name="helpgen:search" content="([^"]+)"/)[1];
    return new SearchIndex(pathToFileURL(path.join(tmp, 'site', home, manifest)).href, {
      fetch: async (u) => fs.readFileSync(fileURLToPath(u)),
    });
  };
  idx = open('');
  for (const l of ['cs', 'th', 'ar']) langIdx[l] = open(l);
});

after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

async function top(q, n = 3) {
  const res = await idx.search(q);
  return Promise.all(res.results.slice(0, n).map(async (r) => (await idx.doc(r.id)).title));
}

test('exact', { skip }, async () => {
  assert.equal((await top('reset your password'))[0], 'Reset your password');
  assert.equal((await top('customs duties import taxes'))[0], 'Customs, duties and import taxes');
});

test('prefix (search as you type)', { skip }, async () => {
  assert.equal((await top('two-step verif'))[0], 'Turn on two-step verification');
  assert.equal((await top('download an invo'))[0], 'Download an invoice or receipt');
});

test('one typo', { skip }, async () => {
  assert.equal((await top('reset pasword'))[0], 'Reset your password');
  assert.equal((await top('cancle an order'))[0], 'Cancel an order'); // swapped pair
});

test('without diacritics', { skip }, async () => {
  assert.equal((await top('creme brulee cafe zurich'))[0], 'Crème brûlée gift boxes from the Café Zürich');
});

test('synonyms from search.synonyms', { skip }, async (t) => {
  await idx.load();
  if (!idx.m.synonyms.length) { t.skip('search.synonyms is not passed to the index yet'); return; }
  assert.ok((await top('my parcel is late', 3)).includes('My package is late'));
});

test('the index is small and sharded', { skip }, async () => {
  await idx.load();
  assert.equal(idx.m.v, 3);
  // one name per store group: an edit renames the groups it changed only
  assert.equal(idx.m.store.files.length, Math.ceil(idx.m.docs / idx.m.store.group));
  assert.ok(idx.m.store.files.length > 1);
  for (let id = 0; id < idx.m.docs; id++) assert.ok((await idx.doc(id)).url.startsWith('file:'), `doc ${id}`);
  assert.ok(idx.m.terms.files.length >= 1);
  assert.ok(idx.m.docs >= 30);
});

async function topIn(l, q) {
  const res = await langIdx[l].search(q);
  return Promise.all(res.results.slice(0, 3).map(async (r) => (await langIdx[l].doc(r.id)).title));
}

test('each translation has its own index, in its language', { skip }, async () => {
  assert.equal((await topIn('cs', 'zrušení objednávky'))[0], 'Zrušení objednávky');
  assert.equal((await topIn('cs', 'zruseni objednavky'))[0], 'Zrušení objednávky'); // no diacritics
  assert.equal((await topIn('th', 'ติดตามพัสดุ'))[0], 'ติดตามคำสั่งซื้อ'); // Thai has no spaces
  assert.equal((await topIn('ar', 'إلغاء الطلب'))[0], 'إلغاء الطلب');
  await langIdx.cs.load();
  assert.ok(langIdx.cs.m.docs >= 8 && langIdx.cs.m.docs < 20, `cs: ${langIdx.cs.m.docs} documents`);
  assert.deepEqual(await topIn('cs', 'reset your password'), []); // English stays in English
});
