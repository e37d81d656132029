// The tokenizer contract: what src/search_tokenize.c (ICU) makes of
// fixtures/vectors-input.json, assets/search.js (Intl.Segmenter) must make too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from './helpers.mjs';
import { tokenize, fold, editDistance, BIGRAM_MARK } from '../../themes/default/assets/search.js';

// The hand-written contract, which tests/unit/test_search.c checks against the C side.
const golden = JSON.parse(fs.readFileSync(fileURLToPath(new URL('fixtures/golden-tokens.json', import.meta.url)), 'utf8'));
for (const v of golden.vectors) {
  test(`golden ${v.script}: ${v.text.slice(0, 30)}`, () => {
    const toks = tokenize(v.text, v.lang);
    const words = toks.filter((t) => !t.bigram).map((t) => (t.exact ? [t.term, t.exact] : t.term));
    const bigrams = toks.filter((t) => t.bigram).map((t) => {
      assert.ok(t.term.endsWith(BIGRAM_MARK) && t.exact === null, JSON.stringify(t));
      return t.term.slice(0, -1);
    });
    assert.deepEqual(words, v.words);
    assert.deepEqual(bigrams, v.bigrams);
    for (const t of toks) if (!t.bigram) assert.ok(!t.term.includes(BIGRAM_MARK));
  });
}

const vectors = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'vectors.json'), 'utf8'));

// Where ICU builds may cut a dictionary script's words elsewhere
// (cuts_may_differ), the bigram terms must still agree, in order.
const bigramTerms = (toks) => toks.filter((t) => t[0].endsWith(BIGRAM_MARK)).map((t) => t[0]);
for (const v of vectors) {
  test(`vector ${v.lang}: ${v.text.slice(0, 40)}`, () => {
    const js = tokenize(v.text, v.lang).map((t) => [t.term, t.exact, t.start, t.end]);
    if (v.cuts_may_differ) assert.deepEqual(bigramTerms(js), bigramTerms(v.tokens));
    else assert.deepEqual(js, v.tokens);
  });
}

test('Arabic and Hebrew folding', () => {
  assert.deepEqual(fold('مُحَمَّدٌ'), { term: 'محمد', exact: 'مُحَمَّدٌ' });
  assert.equal(fold('أَحمد').term, 'احمد');
  assert.equal(fold('إلغاء').term, 'الغاء');
  assert.equal(fold('تلقائيًا').term, fold('تلقائيا').term);
  assert.equal(fold('مدرسة').term, 'مدرسه');
  assert.equal(fold('مستشفى').term, 'مستشفي');
  assert.equal(fold('سؤال').term, 'سؤال');
  assert.equal(fold('בְּרֵאשִׁ֖ית').term, 'בראשית');
});

test('folding keeps Thai tone marks and removes Latin diacritics', () => {
  assert.deepEqual(fold('účet'), { term: 'ucet', exact: 'účet' });
  assert.equal(fold('ไม่').term, 'ไม่');
  assert.notEqual(fold('ไม่').term, fold('ไม้').term);
  assert.equal(fold('Straße').term, 'strasse');
  assert.equal(fold('Øresund').term, 'oresund');
});

test('edit distance: a swapped pair is one edit', () => {
  const d = (a, b, m = 2) => editDistance([...a], [...b], m);
  assert.equal(d('tracking', 'trackign'), 1);
  assert.equal(d('password', 'pasword'), 1);
  assert.equal(d('password', 'passwrod'), 1);
  assert.equal(d('authentication', 'authentcaton'), 2);
  assert.equal(d('abcdef', 'uvwxyz', 2), 3);
});
