// Opens the indexes that tests/js/setup.sh builds with tests/tools/search_fixture.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SearchIndex } from '../../themes/default/assets/search.js';

export const FIXTURES = path.resolve(fileURLToPath(import.meta.url), '../../../', process.env.BUILD || 'build', 'tests/search-fixture');

export function fixture(name) {
  const f = path.join(FIXTURES, `${name}.manifest`);
  if (!fs.existsSync(f)) throw new Error(`${f} is missing: run sh tests/js/setup.sh first`);
  return path.join(FIXTURES, name, fs.readFileSync(f, 'utf8').trim());
}

// A SearchIndex over a fixture site read from disk; gzip=false hands the
// engine already-decompressed bytes, as a host that adds Content-Encoding would.
export function open(name, { gzip = true } = {}) {
  return new SearchIndex(pathToFileURL(fixture(name)).href, {
    fetch: async (url) => {
      const b = fs.readFileSync(fileURLToPath(url));
      return gzip ? b : (await import('node:zlib')).gunzipSync(b);
    },
  });
}

// Titles of the first n results of query q.
export async function titles(idx, q, n = 3, options = {}) {
  const res = await idx.search(q, options);
  return Promise.all(res.results.slice(0, n).map(async (r) => (await idx.doc(r.id)).title));
}
