// The search engine of assets/search.js against indexes written by the C
// index writer (tests/js/setup.sh builds them from tests/js/fixtures/*.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, titles } from './helpers.mjs';
import { highlight } from '../../themes/default/assets/search.js';

const en = open('en');

test('exact query', async () => {
  assert.equal((await titles(en, 'track your order'))[0], 'Track your order');
  assert.equal((await titles(en, 'customs duties'))[0], 'Customs fees and import duties');
});

test('the last word matches as a prefix', async () => {
  assert.equal((await titles(en, 'retur'))[0], 'Return an item');
  assert.equal((await titles(en, 'two-fac'))[0], 'Turn on two-factor authentication');
  // a finished word (trailing space) is not a prefix
  assert.deepEqual(await titles(en, 'retu '), []);
});

test('a whole word ranks above its completions', async () => {
  const r = await titles(en, 'ship', 6);
  assert.equal(r[0], 'Countries we ship to');           // "ship" itself
  assert.ok(r.includes('Express shipping'));          // "shipping" as a completion, below
});

test('one typo', async () => {
  assert.equal((await titles(en, 'pasword'))[0], 'Reset your password');
  assert.equal((await titles(en, 'reset pasword'))[0], 'Reset your password');
  assert.equal((await titles(en, 'trakcing number'))[0], 'Track your order'); // swapped pair
  assert.equal((await titles(en, 'invoise'))[0], 'Download an invoice');
});

test('typo rules: none under 5 letters, first letter fixed, 2 edits from 9', async () => {
  assert.deepEqual(await titles(en, 'kustoms '), []);        // first letter changed
  assert.deepEqual(await titles(en, 'cistoms '), ['Customs fees and import duties']);
  assert.equal((await titles(en, 'exprss '))[0], 'Express shipping');
  assert.deepEqual(await titles(en, 'vta '), []);            // 3 letters: no typo
  assert.equal((await titles(en, 'authentcaton'))[0], 'Turn on two-factor authentication'); // 2 edits, 14 letters
  assert.deepEqual(await titles(en, 'pasxwrd '), []);        // 2 edits, 8 letters: too many
});

test('typo matches rank below exact ones', async () => {
  const res = await en.search('address');
  const top = await en.doc(res.results[0].id);
  assert.match(top.title, /address/i);
});

test('diacritics: queries without them find words with them', async () => {
  assert.equal((await titles(en, 'cafe zurich'))[0], 'Café delivery for Zürich');
  assert.equal((await titles(en, 'resume drop'))[0], 'Café delivery for Zürich');
  const cs = open('cs');
  assert.equal((await titles(cs, 'zmenit heslo'))[0], 'Jak změnit heslo k účtu');
  assert.ok((await titles(cs, 'zlutoucky kun'))[0].startsWith('Stažení'));
});

test('an exact-diacritic match ranks above a folded one', async () => {
  const cs = open('cs');
  // two articles alike but for the accents of one word
  assert.deepEqual(await titles(cs, 'účet platba', 2), ['Platba kartou A', 'Platba kartou B']);
  assert.deepEqual(await titles(cs, 'platba kartou přes', 2), ['Platba kartou A', 'Platba kartou B']);
  // without accents both match
  assert.equal((await titles(cs, 'ucet platba', 2)).length, 2);
});

test('synonyms', async () => {
  assert.equal((await titles(en, 'receipt'))[0], 'Download an invoice');
  assert.ok((await titles(en, 'log in', 3)).includes('Problems signing in'));
  assert.equal((await titles(en, 'abort order'))[0], 'Cancel an order');
  assert.equal((await titles(en, 'package tracking'))[0], 'Track your order');
});

test('documents matching every word come first', async () => {
  const res = await en.search('refund bank');
  assert.ok(res.results[0].all);
  const firstPartial = res.results.findIndex((r) => !r.all);
  assert.ok(firstPartial > 0);
  assert.ok(res.results.slice(firstPartial).every((r) => !r.all));
  assert.equal((await en.doc(res.results[0].id)).title, 'Where is my refund?');
});

test('promoted articles get a boost', async () => {
  const res = await en.search('refund');
  const ids = res.results.map((r) => r.id);
  const promoted = ids.filter((id) => en.promoted.has(id));
  assert.ok(promoted.length >= 1);
  const s = res.results.find((r) => en.promoted.has(r.id));
  assert.ok(s.score > 0);
});

test('Thai: words segmented, tone marks distinguish words', async () => {
  const th = open('th');
  assert.equal((await titles(th, 'ติดตามคำสั่งซื้อ'))[0], 'ติดตามคำสั่งซื้อ');
  assert.deepEqual(await titles(th, 'ไม้'), ['โต๊ะไม้สัก']);   // wood
  const not = await titles(th, 'ไม่', 5);                      // not
  assert.ok(!not.includes('โต๊ะไม้สัก'));
  assert.ok(not.includes('การเปลี่ยนรหัสผ่าน'));
  assert.equal((await titles(th, 'เปลี่ยนรหัสผ่าน'))[0], 'การเปลี่ยนรหัสผ่าน');
});

test('a no-space word the index split is found as its two halves', async () => {
  const th = open('th');
  await th.load();
  assert.deepEqual(await th.split('รหัสผ่าน'), ['รหัส', 'ผ่าน']); // the build segmented "password" in two
  assert.equal(await th.split('ไม้ไม่มี'), null);
});

test('Japanese', async () => {
  const ja = open('ja');
  assert.equal((await titles(ja, '追跡'))[0], '注文の追跡');
  assert.equal((await titles(ja, 'パスワード変更'))[0], 'パスワードを変更する');
});

test('tiny shards and truncated postings find the same documents', async () => {
  const tiny = open('en-tiny'); // 600-byte shards, scores kept for 3 documents per term
  await tiny.load();
  assert.ok(tiny.m.terms.files.length > 5);
  for (const q of ['track your order', 'retur', 'pasword', 'receipt', 'cafe zurich', 'refund bank', 'deli', 'the order', 'your']) {
    const a = (await en.search(q)).results, b = (await tiny.search(q)).results;
    assert.deepEqual(b.map((r) => `${r.id}${r.all}`).sort(), a.map((r) => `${r.id}${r.all}`).sort(), q);
    if (!['the order', 'your'].includes(q)) assert.equal(b[0].id, a[0].id, q); // common words only: scores differ
  }
});

test('files already decompressed by the host are read as they are', async () => {
  const raw = open('en', { gzip: false });
  assert.equal((await titles(raw, 'track'))[0], 'Track your order');
});

test('document records, categories and tags', async () => {
  const res = await en.search('customs');
  const d = await en.doc(res.results[0].id);
  assert.equal(d.category, 'Shipping');
  assert.equal(d.breadcrumb, 'Shipping › International');
  assert.ok(d.url.endsWith('/en/shipping/international/customs-fees/index.html'));
  const tags = await en.tags();
  assert.ok(tags.get('refund').has(res.results[0].id) === false);
  assert.ok(tags.get('international').has(res.results[0].id));
});

test('highlight and excerpt', async () => {
  const res = await en.search('track order');
  const parts = highlight('Track your order now', res, 'en');
  assert.deepEqual(parts, [['Track', true], [' your ', false], ['order', true], [' now', false]]);
  const long = 'Lorem ipsum dolor sit amet. '.repeat(20) + 'Your order is on its way. ' + 'Filler text here. '.repeat(20);
  const ex = highlight(long, res, 'en', 80);
  const text = ex.map((p) => p[0]).join('');
  assert.ok(text.length <= 90, text);
  assert.ok(ex.some(([s, m]) => m && s === 'order'));
  assert.ok(text.startsWith('… '));
  assert.equal(highlight('nothing here', res, 'en'), null);
});

test('bytes fetched stay small', async () => {
  const idx = open('en');
  await idx.search('track your order');
  await idx.doc(0);
  assert.ok(idx.stats.bytes < 10000, JSON.stringify(idx.stats));
});

// The manifest has a stable name: a browser may hold one older than the
// site. A file it names that is gone (404) makes the engine fetch the
// manifest again, bypassing caches, and run the search once more.
test('a stale manifest is fetched again when a file it names is gone', async () => {
  const { fixture } = await import('./helpers.mjs');
  const { SearchIndex } = await import('../../themes/default/assets/search.js');
  const fs = await import('node:fs');
  const zlib = await import('node:zlib');
  const { pathToFileURL, fileURLToPath } = await import('node:url');
  const manifestPath = fixture('en');
  assert.match(manifestPath, /manifest\.bin$/);
  const real = JSON.parse(zlib.gunzipSync(fs.readFileSync(manifestPath)).toString());
  const stale = { ...real, terms: { ...real.terms, files: real.terms.files.map(() => '0000deadbeef') } };
  const calls = [];
  const saved = globalThis.fetch;
  globalThis.fetch = async (url, init = {}) => {
    const u = new URL(url);
    calls.push({ name: u.pathname.split('/').pop(), query: u.search, cache: init.cache });
    const body = (b) => ({ ok: true, status: 200, arrayBuffer: async () => b });
    if (u.pathname.endsWith('/manifest.bin')) {
      return body(Buffer.from(JSON.stringify(init.cache === 'reload' ? real : stale)));
    }
    const file = fileURLToPath(new URL(u.pathname, 'file://'));
    if (!fs.existsSync(file)) return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    return body(fs.readFileSync(file));
  };
  try {
    const idx = new SearchIndex(pathToFileURL(manifestPath).href);
    const res = await idx.search('track your order');
    assert.equal((await idx.doc(res.results[0].id)).title, 'Track your order');
    const manifests = calls.filter((c) => c.name === 'manifest.bin');
    assert.deepEqual(manifests.map((c) => c.cache), ['no-cache', 'reload']);
    assert.match(manifests[1].query, /^\?r=\d+$/);
    // a second stale answer is not retried forever: the error comes through
    const idx2 = new SearchIndex(pathToFileURL(manifestPath).href);
    real.terms = stale.terms;
    await assert.rejects(idx2.search('track your order'), /HTTP 404/);
  } finally {
    globalThis.fetch = saved;
  }
});

// Languages without spaces: the character bigrams beside the dictionary words
test('Japanese: a partly typed word, however the browser cuts it, finds the page', async () => {
  const ja = open('ja');
  assert.equal((await titles(ja, 'ワークスペー'))[0], 'ワークスペースの設定');
  assert.equal((await titles(ja, 'ークスペ'))[0], 'ワークスペースの設定'); // inside a word: bigrams only
  // the whole run found together ranks above its words found apart
  assert.deepEqual(await titles(ja, 'ワークスペース', 2), ['ワークスペースの設定', 'ディスクの空き']);
  assert.equal((await titles(ja, 'スペースの設定'))[0], 'ワークスペースの設定');
});

test('Khmer: a word and a half finds the pages', async () => {
  const km = open('km');
  const whole = await titles(km, 'ណែនាំ', 5), more = await titles(km, 'ណែនាំអំ', 5);
  assert.ok(whole.length >= 2, whole.join());
  assert.equal(more[0], 'ការណែនាំអំពីគណនី');
  assert.equal((await titles(km, 'តាមដានការបញ្ជា'))[0], 'តាមដានការបញ្ជាទិញ');
});

test('Arabic: harakat, tanween, alef variants, alef maqsura and teh marbuta folded', async () => {
  const ar = open('ar');
  const plain = await titles(ar, 'تلقائيا', 5), marked = await titles(ar, 'تلقائيًا', 5);
  assert.deepEqual([...plain].sort(), [...marked].sort());
  assert.equal(plain.length, 2);
  // the exact spelling (with tanween) ranks its page no lower than the bare one does
  assert.ok(marked.indexOf('التجديد التلقائي') <= plain.indexOf('التجديد التلقائي'));
  assert.equal((await titles(ar, 'الغاء الطلب'))[0], 'إلغاء الطلب');   // إ written as ا
  assert.equal((await titles(ar, 'المدرسه'))[0], 'حساب المدرسة');      // ة written as ه
  assert.equal((await titles(ar, 'المستشفي'))[0], 'حساب المستشفى');   // ى written as ي
});

test('highlight marks the words under matched bigrams', async () => {
  const ja = open('ja');
  const res = await ja.search('ークスペ');
  const parts = highlight('ワークスペースの設定', res, 'ja');
  assert.ok(parts.some(([s, m]) => m && s.includes('ワーク')), JSON.stringify(parts));
  assert.ok(!parts.some(([s, m]) => m && s === '設定'), JSON.stringify(parts));
});

// Snowball stems resolved at build time: the index maps them to its own terms
test('stemming: other inflections match, below the exact word', async () => {
  const exact = await titles(en, 'invoices ', 5);
  assert.equal(exact[0], 'VAT and company details on invoices');
  assert.ok(exact.includes('Download an invoice'), exact.join(' | '));
  const res = await en.search('invoices ');
  const [a, b] = ['VAT and company details on invoices', 'Download an invoice'].map((t) => exact.indexOf(t));
  assert.ok(a < b);
  // a word that is in no page finds the pages of its stem ("invoiced": the key "invoic")
  const unseen = await titles(en, 'invoiced ', 5);
  assert.ok(unseen.includes('Download an invoice') && unseen.includes('VAT and company details on invoices'), unseen.join(' | '));
  assert.ok(res.results.length >= 2);
  await en.load();
  assert.equal(en.m.stemmer, 'en');
});

test('stemming: none for Czech (Snowball has no Czech stemmer)', async () => {
  const cs = open('cs');
  await cs.load();
  assert.equal(cs.m.stemmer, null);
  assert.equal((await titles(cs, 'zmenit heslo'))[0], 'Jak změnit heslo k účtu');
});
