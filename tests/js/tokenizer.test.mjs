// The tokenizer contract: what src/search_tokenize.c (ICU) makes of
// fixtures/vectors-input.json, assets/search.js (Intl.Segmenter) must make too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './helpers.mjs';
import { tokenize, fold, editDistance } from '../../themes/default/assets/search.js';

const vectors = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'vectors.json'), 'utf8'));

for (const v of vectors) {
  test(`vector ${v.lang}: ${v.text.slice(0, 40)}`, () => {
    const js = tokenize(v.text, v.lang).map((t) => [t.term, t.exact, t.start, t.end]);
    assert.deepEqual(js, v.tokens);
  });
}

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
