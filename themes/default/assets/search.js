// helpgen search: the query engine for the index that `helpgen build` writes
// (format: the top of src/search.c) and the search box / results page UI.
// One self-contained module; the page works without it.

// ---- tokenizer: must agree with src/search_tokenize.c ---------------------
const MAX_TERM = 64;
const enc = new TextEncoder();
const dec = new TextDecoder();
const FOLD_MAP = { 'ø': 'o', 'æ': 'ae', 'ß': 'ss', 'đ': 'd', 'ł': 'l', 'ı': 'i', '\u2019': "'", '\u0671': '\u0627', '\u0649': '\u064a', '\u0629': '\u0647' };
// Marks folding removes: U+0300-U+036F, Arabic harakat and tanween, superscript
// alef, tatweel, the Hebrew marks of U+0591-U+05C7 (not its punctuation).
const FOLD_AWAY = /[\u0300-\u036f\u064b-\u0652\u0670\u0640\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]/g;
const segmenters = new Map();

// {term, exact}: term is the folded form (NFKD, the FOLD_AWAY marks removed,
// lowercase, ø/æ/ß/đ/ł/ı/’ and Arabic ٱ/ى/ة mapped, alef + madda or hamza
// (أ إ آ after NFKD) made a bare alef, NFC); exact the lowercase NFC form, or
// null when it equals term.
export function fold(w) {
  if (/^[\x00-\x7f]*$/.test(w)) return { term: w.toLowerCase(), exact: null };
  const exact = w.toLowerCase().normalize('NFC');
  const term = w.normalize('NFKD').toLowerCase().replace(FOLD_AWAY, '')
    .replace(/[øæßđłı\u2019\u0671\u0649\u0629]/g, (c) => FOLD_MAP[c])
    .replace(/\u0627[\u0653-\u0655]+/g, '\u0627').normalize('NFC');
  return { term, exact: exact === term ? null : exact };
}

function segmenter(lang) {
  let s = segmenters.get(lang);
  if (!s) {
    try { s = new Intl.Segmenter(lang || undefined, { granularity: 'word' }); } catch { s = new Intl.Segmenter(undefined, { granularity: 'word' }); }
    segmenters.set(lang, s);
  }
  return s;
}

// Inside a word-like segment, words are the runs of letters, marks, numbers,
// connector punctuation, apostrophes (' ’, trimmed at both ends) and '.'
// between two numbers, that hold a letter or number: this takes apart what
// one ICU build keeps whole and another splits ("support@example.com",
// Chromium's "example.com"), so that the C and JS sides agree.
const RUN = /(?:[\p{L}\p{M}\p{N}\p{Pc}'\u2019]|(?<=\p{N})\.(?=\p{N}))+/gu, ALNUM = /[\p{L}\p{N}]/u;

// Words of the scripts written without spaces (see noSpaceWord) are followed by the bigrams of their characters (a code point with the marks
// after it) across the words of a run that touch each other, each a term of
// its own: the two characters, then BIGRAM_MARK. A word's bigrams come right
// after it (the one from the word before first), each from the start of its
// first character's word to the end of its second's. As src/search_tokenize.c.
export const BIGRAM_MARK = '\u0001';
// Its first code point of a script other than Common and Inherited (ー, marks) decides.
const FIRST_SCRIPT = /[^\p{Script=Common}\p{Script=Inherited}]/u;
function noSpaceWord(term) {
  const m = FIRST_SCRIPT.exec(term);
  return !!m && NO_SPACE.test(m[0]);
}
const UNIT = /[\s\S]\p{M}*/gu;

// Words of text, folded: [{term, exact, start, end, bigram}] (UTF-16 offsets).
export function tokenize(text, lang) {
  const out = [];
  let run = null; // the last word, when it was one without spaces: {start, end, last}
  const bigram = (a, b, start, end) => {
    const term = a + b + BIGRAM_MARK;
    if (enc.encode(term).length <= MAX_TERM) out.push({ term, exact: null, start, end, bigram: true });
  };
  for (const s of segmenter(lang).segment(text)) {
    if (!s.isWordLike) continue;
    for (const m of s.segment.matchAll(RUN)) {
      if (!ALNUM.test(m[0])) continue;
      const w = m[0].replace(/^['\u2019]+|['\u2019]+$/g, '');
      const f = fold(w);
      if (!f.term || enc.encode(f.term).length > MAX_TERM) continue;
      const start = s.index + m.index + m[0].search(/[^'\u2019]/), end = start + w.length;
      out.push({ term: f.term, exact: f.exact, start, end, bigram: false });
      if (!noSpaceWord(f.term)) { run = null; continue; }
      const us = f.term.match(UNIT);
      if (run && run.end === start) bigram(run.last, us[0], run.start, end);
      for (let i = 1; i < us.length; i++) bigram(us[i - 1], us[i], start, end);
      run = { start, end, last: us[us.length - 1] };
    }
  }
  return out;
}

// Optimal string alignment distance between code point arrays a and b (a
// swapped pair is one edit), or max + 1 once it exceeds max.
export function editDistance(a, b, max) {
  const m = a.length, n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  let p2 = [], p = [], c;
  for (let j = 0; j <= n; j++) p[j] = j;
  for (let i = 1; i <= m; i++) {
    c = [i];
    let low = i;
    for (let j = 1; j <= n; j++) {
      let v = Math.min(p[j] + 1, c[j - 1] + 1, p[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, p2[j - 2] + 1);
      c[j] = v;
      if (v < low) low = v;
    }
    if (low > max) return max + 1;
    p2 = p; p = c;
  }
  return p[n];
}

// Words of these scripts come from dictionaries, not spaces: every query word
// also matches as a prefix, and one letter is enough to expand.
const NO_SPACE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

// ---- index files ------------------------------------------------------------
class Reader {
  constructor(b, p = 0) { this.b = b; this.p = p; }
  v() { let x = 0, s = 1, c; do { c = this.b[this.p++]; x += (c & 127) * s; s *= 128; } while (c & 128); return x; }
  bytes(n) { const r = this.b.subarray(this.p, this.p + n); this.p += n; return r; }
}

function cmpBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// Front-coded term list: calls row(term, reader) for each entry.
function frontCoded(bytes, row) {
  const r = new Reader(bytes), n = r.v();
  let prev = new Uint8Array(0);
  for (let i = 0; i < n; i++) {
    const shared = r.v(), suffix = r.bytes(r.v()), cur = new Uint8Array(shared + suffix.length);
    cur.set(prev.subarray(0, shared));
    cur.set(suffix, shared);
    prev = cur;
    row(dec.decode(cur), r);
  }
}

function parseShard(bytes) {
  const terms = new Map(), list = [];
  frontCoded(bytes, (term, r) => {
    const df = r.v(), len = r.v(), e = { term, df, at: r.p, end: r.p + len, bytes };
    r.p += len;
    terms.set(term, e);
    list.push(e);
  });
  return { terms, list };
}

// Decodes a term's postings on first use: docs, q (score level, plus 2^qbits
// when in the title), variants (exact form -> Set of docs). ndocs: documents
// in the index.
function postings(e, ndocs, QS) { // QS: 2 << qbits
  if (e.docs) return e;
  const b = e.bytes, r = new Reader(b, e.at), n = r.v();
  let docs, q;
  if (n < e.df) { // the n best scores, a tail score for the other documents
    const tail = b[r.p++], kind = b[r.p++];
    docs = new Uint32Array(e.df);
    if (kind === 1) {
      let k = 0;
      for (let d = 0; d < ndocs; d++) if (b[r.p + (d >> 3)] & (1 << (d & 7))) docs[k++] = d;
      r.p += (ndocs + 7) >> 3;
    } else {
      for (let i = 0, d = 0; i < e.df; i++) { d += r.v(); docs[i] = d; }
    }
    q = new Uint8Array(e.df).fill(tail);
    for (let i = 0, d = 0, k = 0; i < n; i++) {
      const v = r.v();
      d += Math.floor(v / QS);
      while (docs[k] < d) k++;
      q[k] = v % QS;
    }
  } else {
    docs = new Uint32Array(n);
    q = new Uint8Array(n);
    for (let i = 0, d = 0; i < n; i++) { const v = r.v(); d += Math.floor(v / QS); docs[i] = d; q[i] = v % QS; }
  }
  const variants = new Map();
  for (let k = r.v(); k > 0; k--) {
    const form = dec.decode(r.bytes(r.v())), set = new Set();
    for (let c = r.v(), d = 0; c > 0; c--) { d += r.v(); set.add(d); }
    variants.set(form, set);
  }
  // a term of a stem group ends with its stem (src/search.c: stemming)
  let stem = null;
  if (r.p < e.end) { // front-coded against the term
    const shared = r.v(), t = enc.encode(e.term), suffix = r.bytes(r.v()), s = new Uint8Array(shared + suffix.length);
    s.set(t.subarray(0, shared));
    s.set(suffix, shared);
    stem = dec.decode(s);
  }
  Object.assign(e, { docs, q, variants, stem });
  return e;
}

// The terms of a stem key's group ("<stem>\u0002", df 0), most documents first.
export const STEM_MARK = '\u0002';
function stemGroup(e) {
  if (!e.group) {
    const r = new Reader(e.bytes, e.at), stem = enc.encode(e.term.slice(0, -1));
    e.group = [];
    for (let n = r.v(); n > 0; n--) { // front-coded against the stem
      const shared = r.v(), suffix = r.bytes(r.v()), t = new Uint8Array(shared + suffix.length);
      t.set(stem.subarray(0, shared));
      t.set(suffix, shared);
      e.group.push(dec.decode(t));
    }
  }
  return e.group;
}

async function gunzip(buf) {
  const stream = new Blob([buf]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const TITLE = 0.5; // a word in the title adds this share of smax
// A run of words without spaces found whole (every bigram of its characters,
// the mean of their scores) weighs more than its words found apart.
const W_BIGRAM = 1.2, MAX_BIGRAMS = 16;

// At most max of list, spread evenly, the first and the last kept.
function sample(list, max) {
  if (list.length <= max) return list;
  return Array.from({ length: max }, (_, i) => list[Math.round(i * (list.length - 1) / (max - 1))]);
}

// The words of toks (bigrams dropped), each word of a script without spaces
// with .run: {bigrams} shared by the words of its run (words that touch).
function runs(toks) {
  const out = [];
  let run = null, last = null;
  for (const t of toks) {
    if (t.bigram) { if (run) run.bigrams.push(t.term); continue; }
    if (!noSpaceWord(t.term)) run = null;
    else if (!run || !last || last.end !== t.start) run = { bigrams: [] };
    out.push({ ...t, run });
    last = t;
  }
  return out;
}
const W_STEM = 0.8, MAX_STEMS = 8;
const W_PREFIX = 0.7, W_SPLIT = 0.9, W_SYNONYM = 0.8, W_TYPO = [1, 0.5, 0.3], EXACT_BONUS = 1.15, PROMOTED_BOOST = 1.1;
const MAX_WORDS = 10, MAX_EXPANSIONS = 30, MAX_PREFIX_SHARDS = 3, MAX_TYPO = 4;

// Opened from disk, fetch() of a file:// URL is refused: every index file
// has a twin NAME.js that puts its bytes (base64) in a global under its own
// URL; a script element may load it where fetch may not.
function scriptFile(url) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = `${url}.js`;
    s.onload = () => {
      const all = self.__hgSearchFiles || {}, d = all[s.src];
      delete all[s.src];
      s.remove();
      if (typeof d !== 'string') reject(new Error(`search: ${s.src} holds no index file`));
      else resolve(Uint8Array.from(atob(d), (c) => c.charCodeAt(0)));
    };
    s.onerror = () => { s.remove(); reject(new Error(`search: cannot load ${s.src}`)); };
    document.head.appendChild(s);
  });
}

export class SearchIndex {
  // manifestUrl: absolute URL of manifest.bin (a stable name, so pages do
  // not change when the index does; the other files are content-hashed).
  // options.fetch(url) -> Promise<Uint8Array | ArrayBuffer> replaces
  // window.fetch (tests).
  constructor(manifestUrl, options = {}) {
    this.url = new URL(manifestUrl);
    this.get = options.fetch || null;
    this.cache = new Map();
    this.stats = { requests: 0, bytes: 0 };
  }

  // Fetches and decompresses one file once; bytes counts what went over the wire.
  file(name) {
    let p = this.cache.get(name);
    if (!p) {
      const url = new URL(name, this.url).href;
      p = (async () => {
        let b;
        if (this.get) b = await this.get(url);
        else if (typeof location !== 'undefined' && location.protocol === 'file:') b = await scriptFile(url);
        else {
          // the manifest is revalidated every time; a content-hashed file
          // that is gone means the manifest we hold is older than the site
          const manifest = name === this.manifestName;
          const res = await fetch(manifest && this.stale ? `${url}?r=${Date.now()}` : url,
            { cache: manifest ? (this.stale ? 'reload' : 'no-cache') : 'default' });
          if (!res.ok) {
            const e = new Error(`search: ${url}: HTTP ${res.status}`);
            e.stale = !manifest && res.status === 404;
            throw e;
          }
          b = await res.arrayBuffer();
        }
        b = new Uint8Array(b);
        this.stats.requests++;
        this.stats.bytes += b.length;
        // a host may already have taken the gzip layer off
        return b[0] === 0x1f && b[1] === 0x8b ? gunzip(b) : b;
      })();
      this.cache.set(name, p);
      p.catch(() => this.cache.delete(name));
    }
    return p;
  }

  load() {
    return this.ready || (this.ready = (async () => {
      this.manifestName = this.url.pathname.split('/').pop();
      const m = JSON.parse(dec.decode(await this.file(this.manifestName)));
      this.m = m;
      this.n = m.docs;
      this.lang = m.lang;
      this.keys = m.terms.keys.map((k) => enc.encode(k));
      this.promoted = new Set(m.promoted);
      this.levels = Array.from({ length: 1 << m.qbits }, (_, k) => ((k + 0.5) / (1 << m.qbits)) ** 1.5); // score level -> share of smax
      this.root = new URL('../../', this.url);
      this.syn = new Map(); // word -> [group index]
      m.synonyms.forEach((g, i) => g.forEach((words) => {
        if (words.length === 1) this.syn.set(words[0], [...(this.syn.get(words[0]) || []), i]);
      }));
      return this;
    })());
  }

  shardOf(term) {
    const t = enc.encode(term), k = this.keys;
    let lo = 0, hi = k.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cmpBytes(k[mid], t) <= 0) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  async shard(i) {
    const f = `t.${this.m.terms.files[i]}.bin`;
    const c = this.cache.get('p' + f);
    if (c) return c;
    const p = this.file(f).then(parseShard);
    this.cache.set('p' + f, p);
    return p;
  }

  // Shards that may hold terms starting with prefix.
  prefixShards(prefix) {
    const first = this.shardOf(prefix), out = [first], t = enc.encode(prefix);
    for (let i = first + 1; i < this.keys.length && out.length < MAX_PREFIX_SHARDS; i++) {
      const k = this.keys[i];
      if (k.length < t.length || cmpBytes(k.subarray(0, t.length), t) !== 0) break;
      out.push(i);
    }
    return out;
  }

  async entry(term) {
    if (!this.keys.length) return null;
    return (await this.shard(this.shardOf(term))).terms.get(term) || null;
  }

  async expand(prefix) {
    const found = [];
    for (const i of this.prefixShards(prefix)) {
      for (const e of (await this.shard(i)).list) {
        if (e.term.startsWith(prefix) && e.term !== prefix && e.df && !e.term.endsWith(BIGRAM_MARK)) found.push(e); // nor stem keys (df 0)
      }
    }
    return found.sort((a, b) => b.df - a.df).slice(0, MAX_EXPANSIONS);
  }

  // Index terms within the allowed edits of term (same first letter), best first.
  async typos(term) {
    const cps = [...term], L = cps.length;
    if (L < 5 || /^\p{N}/u.test(term)) return [];
    const max = L >= 9 ? 2 : 1, c = cps[0].codePointAt(0), keys = this.m.vocab.keys;
    const cmpKey = (k, cp, len) => (k[0].codePointAt(0) - cp) || (k[1] - len);
    const files = [];
    for (let i = 0; i < keys.length; i++) {
      if (cmpKey(keys[i], c, L + max) > 0) break;
      if (i + 1 < keys.length && cmpKey(keys[i + 1], c, L - max) <= 0) continue;
      files.push(this.file(`v.${this.m.vocab.files[i]}.bin`));
    }
    const cands = [];
    for (const bytes of await Promise.all(files)) {
      frontCoded(bytes, (t, r) => {
        const df = r.v(), tc = [...t];
        if (tc[0] !== cps[0] || Math.abs(tc.length - L) > max || t === term) return;
        const d = editDistance(cps, tc, max);
        if (d <= max) cands.push({ term: t, d, df });
      });
    }
    cands.sort((a, b) => a.d - b.d || b.df - a.df);
    return cands.slice(0, MAX_TYPO);
  }

  // [head, tail] when both halves of word are indexed terms (longest head
  // first; at most 4 shards fetched), else null.
  async split(word) {
    const cps = [...word];
    if (cps.length < 2 || cps.length > 16) return null;
    const halves = [];
    for (let k = cps.length - 1; k >= 1; k--) halves.push([cps.slice(0, k).join(''), cps.slice(k).join('')]);
    const need = [...new Set(halves.flat().map((t) => this.shardOf(t)))].slice(0, 4);
    await Promise.all(need.map((i) => this.shard(i)));
    for (const [a, b] of halves) {
      if (!need.includes(this.shardOf(a)) || !need.includes(this.shardOf(b))) continue;
      if ((await this.entry(a)) && (await this.entry(b))) return [a, b];
    }
    return null;
  }

  // Other index terms of the same stem as a word (the build stemmed them: the
  // browser runs no stemmer), most documents first. A word that is a term
  // names its stem; one that is not tries its prefixes as stem keys (down to
  // 3 code points and at most 3 shorter), longest first.
  async stems(word, own) {
    if (!this.m.stemmer) return [];
    const cps = [...word];
    if (cps.length < 3 || /^\p{N}/u.test(word) || NO_SPACE.test(word)) return [];
    let keys;
    if (own) {
      postings(own, this.n, 2 << this.m.qbits);
      keys = own.stem ? [own.stem] : [];
    } else {
      keys = [];
      for (let k = cps.length; k >= Math.max(3, cps.length - 3); k--) keys.push(cps.slice(0, k).join(''));
    }
    await Promise.all([...new Set(keys.map((k) => this.shardOf(k + STEM_MARK)))].map((i) => this.shard(i)));
    for (const k of keys) {
      const e = await this.entry(k + STEM_MARK);
      if (e && !e.df) return stemGroup(e).filter((t) => t !== word).slice(0, MAX_STEMS);
    }
    return [];
  }

  idf(df) { return Math.log(1 + (this.n - df + 0.5) / (df + 0.5)); }

  // Groups query tokens into words; a multi-word synonym entry found in the
  // query becomes one word.
  words(toks) {
    const words = [], syn = this.m.synonyms;
    for (let i = 0; i < toks.length && words.length < MAX_WORDS; i++) {
      let w = null;
      for (const g of syn) {
        for (const e of g) {
          if (e.length > 1 && e.every((t, k) => toks[i + k] && toks[i + k].term === t)) {
            w = { term: e.join(' '), exact: null, phrase: e, alts: g.filter((x) => x !== e) };
            i += e.length - 1;
            break;
          }
        }
        if (w) break;
      }
      words.push(w || { term: toks[i].term, exact: toks[i].exact, run: toks[i].run });
    }
    return words;
  }

  // Runs a query. Returns {query, words, results: [{id, score, all}] best
  // first (all: the document matches every word), terms: Set of the index
  // terms that matched, prefixes: words matched as prefixes} (the last two
  // for highlight()). options.prefix = false: the last word is complete.
  // A search; when a file the manifest names is gone (the site was published
  // again since the manifest was fetched), once more with a fresh manifest.
  async search(query, options = {}) {
    try {
      return await this.run(query, options);
    } catch (e) {
      if (!e.stale || this.stale) throw e;
      this.stale = true;
      this.ready = null;
      this.facets = null;
      this.cache.clear();
      return this.run(query, options);
    }
  }

  async run(query, options = {}) {
    await this.load();
    const toks = runs(tokenize(query, this.lang)), words = this.words(toks);
    const res = { query, words, results: [], terms: new Set(), prefixes: [] };
    if (!words.length || !this.n) return res;
    const open = !/[\s\p{P}]$/u.test(query) && options.prefix !== false;
    // clauses: [{terms: [term], weight, word}]; a clause matches docs holding all its terms
    const clauses = [];
    const add = (wi, terms, weight, kind) => clauses.push({ wi, terms, weight, kind });
    words.forEach((w, wi) => {
      if (w.phrase) add(wi, w.phrase, 1, 'exact'); else add(wi, [w.term], 1, 'exact');
      for (const alt of w.alts || []) add(wi, alt, W_SYNONYM, 'syn');
      for (const g of (!w.phrase && this.syn.get(w.term)) || []) {
        for (const e of this.m.synonyms[g]) if (!(e.length === 1 && e[0] === w.term)) add(wi, e, W_SYNONYM, 'syn');
      }
      w.prefix = !w.phrase && ((open && wi === words.length - 1) || NO_SPACE.test(w.term)) &&
        ([...w.term].length >= 2 || NO_SPACE.test(w.term));
      // a word of a run without spaces also matches where the document holds
      // every bigram of the run, however either side cut it into words
      if (w.run && w.run.bigrams.length) add(wi, sample(w.run.bigrams, MAX_BIGRAMS), W_BIGRAM, 'bigram');
    });
    // fetch every shard needed for exact, synonym and prefix terms at once
    const need = new Set();
    for (const c of clauses) for (const t of c.terms) need.add(this.shardOf(t));
    for (const w of words) if (w.prefix) for (const i of this.prefixShards(w.term)) need.add(i);
    await Promise.all([...need].map((i) => this.shard(i)));
    for (const [wi, w] of words.entries()) {
      if (w.prefix) {
        for (const e of await this.expand(w.term)) {
          const len = [...e.term].length, plen = [...w.term].length;
          add(wi, [e.term], W_PREFIX + (1 - W_PREFIX) * plen / len * 0.5, 'prefix');
        }
        res.prefixes.push(w.term);
      }
    }
    // typo tolerance for words that match (almost) nothing
    const entries = new Map();
    const look = async (t) => { if (!entries.has(t)) entries.set(t, await this.entry(t)); return entries.get(t); };
    for (const c of clauses) for (const t of c.terms) await look(t);
    // the other inflections of each word (stems resolved at build time)
    const stemWork = [];
    words.forEach((w, wi) => {
      if (w.phrase) return;
      stemWork.push(this.stems(w.term, entries.get(w.term)).then((ts) => ts.forEach((t) => add(wi, [t], W_STEM, 'stem'))));
    });
    await Promise.all(stemWork);
    await Promise.all(clauses.map((c) => Promise.all(c.terms.map(look))));
    const typoWork = [];
    words.forEach((w, wi) => {
      if (w.phrase) return;
      let df = 0;
      for (const c of clauses) {
        if (c.wi !== wi) continue;
        if (c.kind === 'bigram') { if (c.terms.every((t) => entries.get(t))) df += 2; } else if (c.terms.length === 1) df += (entries.get(c.terms[0]) || { df: 0 }).df;
      }
      if (df >= 2) return;
      typoWork.push(this.typos(w.term).then((cands) => cands.forEach((t) => add(wi, [t.term], W_TYPO[t.d], 'typo'))));
      // a word of a script without spaces that the browser's dictionary left
      // whole where the build's split it: try it as two indexed words
      if (!df && NO_SPACE.test(w.term)) typoWork.push(this.split(w.term).then((p) => p && add(wi, p, W_SPLIT, 'split')));
    });
    if (typoWork.length) {
      await Promise.all(typoWork);
      await Promise.all(clauses.map((c) => Promise.all(c.terms.map(look))));
    }
    // score: per word the best clause, per document the sum over words. A
    // word typed so far counts as all its completions: their idf is that of
    // all of them together, so a rare completion (or a rare exact "auth" for
    // "authentication") does not outweigh a good match. A synonym or typo
    // never weighs more than the word itself.
    const N = this.n, total = new Float64Array(N), mask = new Uint32Array(N), qmask = (1 << this.m.qbits) - 1;
    const value = new Float64Array(2 << this.m.qbits); // q -> share of smax
    value.forEach((_, q) => { value[q] = this.m.smax * (this.levels[q & qmask] + (q > qmask ? TITLE : 0)); });
    for (const [wi, w] of words.entries()) {
      const best = new Float64Array(N);
      const own = entries.get(w.term);
      let cap = own ? this.idf(own.df) : Infinity;
      if (w.prefix) {
        let df = own ? own.df : 0;
        for (const c of clauses) if (c.wi === wi && c.kind === 'prefix') df += entries.get(c.terms[0]).df;
        if (df) cap = this.idf(Math.min(df, N));
      }
      for (const c of clauses) {
        if (c.wi !== wi) continue;
        const es = c.terms.map((t) => entries.get(t));
        if (es.some((e) => !e)) continue;
        for (const e of es) postings(e, N, 2 << this.m.qbits);
        const idf = (e) => (c.kind === 'bigram' ? this.idf(e.df) / es.length : c.kind === 'exact' && !w.prefix ? this.idf(e.df) : Math.min(cap, this.idf(e.df)));
        let acc; // doc -> score, for a clause of several terms (all must match)
        if (es.length > 1) {
          acc = null;
          for (const e of es) {
            const m = new Map(), f = idf(e);
            for (let i = 0; i < e.docs.length; i++) {
              const d = e.docs[i];
              if (!acc || acc.has(d)) m.set(d, (acc ? acc.get(d) : 0) + f * value[e.q[i]]);
            }
            acc = m;
          }
          if (!acc.size) continue;
        }
        for (const t of c.terms) res.terms.add(t);
        const bonus = c.kind === 'exact' && w.exact && own && own.variants.get(w.exact);
        const put = (d, v) => {
          const sc = v * c.weight * (bonus && bonus.has(d) ? EXACT_BONUS : 1);
          if (sc > best[d]) best[d] = sc;
        };
        if (acc) for (const [d, v] of acc) put(d, v);
        else {
          const e = es[0], f = idf(e);
          for (let i = 0; i < e.docs.length; i++) put(e.docs[i], f * value[e.q[i]]);
        }
      }
      for (let d = 0; d < N; d++) if (best[d] > 0) { total[d] += best[d]; mask[d] |= 1 << wi; }
    }
    const full = (1 << words.length) - 1;
    for (let d = 0; d < N; d++) {
      const m = mask[d];
      if (!m) continue;
      let bits = 0;
      for (let x = m; x; x &= x - 1) bits++;
      const all = m === full;
      res.results.push({ id: d, all, score: total[d] * (this.promoted.has(d) ? PROMOTED_BOOST : 1) * (all ? 1 : bits / words.length) });
    }
    res.results.sort((a, b) => (b.all - a.all) || (b.score - a.score) || (a.id - b.id));
    return res;
  }

  // The stored record of a document: {id, url (absolute), title, breadcrumb, description, text, category}.
  async doc(id) {
    const st = this.m.store, g = Math.floor(id / st.group);
    const rows = await this.file(`d${g}.${st.files[g]}.bin`).then((b) => b.rows || (b.rows = JSON.parse(dec.decode(b))));
    const [url, title, breadcrumb, description, text] = rows[id - g * st.group];
    const cat = this.m.categories.find((c) => id >= c[1] && id < c[1] + c[2]);
    return { id, url: new URL(url, this.root).href, title, breadcrumb, description, text, category: cat ? cat[0] : '' };
  }

  // tag -> Set of doc ids (results page filters), or an empty Map.
  tags() {
    if (!this.m.facets) return Promise.resolve(new Map());
    return this.facets || (this.facets = this.file(`f.${this.m.facets}.bin`).then((b) => {
      const map = new Map();
      for (const [tag, gaps] of JSON.parse(dec.decode(b)).tags) {
        let d = 0;
        map.set(tag, new Set(gaps.map((g) => (d += g))));
      }
      return map;
    }));
  }
}

// Splits text into [string, marked] parts: the words whose folded form was
// matched (or starts with a matched prefix) are marked; with max, a window of
// about max characters around the best cluster of matches, or null when text
// has no match.
export function highlight(text, res, lang, max = 0) {
  const all = tokenize(text || '', lang), toks = all.filter((t) => !t.bigram);
  // a word is marked when it matched, or lies under a bigram that did
  const spans = all.filter((t) => t.bigram && res.terms.has(t.term));
  const hit = (t) => res.terms.has(t.term) || res.prefixes.some((p) => t.term.startsWith(p)) ||
    spans.some((b) => b.start <= t.start && t.end <= b.end);
  const marks = toks.filter(hit);
  if (!marks.length) return null;
  let from = 0, to = text.length;
  if (max && text.length > max) {
    let best = 0, bestN = -1;
    for (let i = 0; i < marks.length; i++) {
      const seen = new Set();
      for (let j = i; j < marks.length && marks[j].end - marks[i].start <= max; j++) seen.add(marks[j].term);
      if (seen.size > bestN) { bestN = seen.size; best = i; }
    }
    // start a little before the best cluster, on a word boundary
    from = Math.max(0, marks[best].start - Math.floor(max / 4));
    if (from > 0) { const w = toks.find((t) => t.start >= from); from = w ? Math.min(w.start, marks[best].start) : marks[best].start; }
    to = Math.min(text.length, from + max);
    const sp2 = text.lastIndexOf(' ', to);
    if (to < text.length && sp2 > marks[best].end) to = sp2;
  }
  const parts = [];
  let at = from;
  for (const m of marks) {
    if (m.start < from || m.end > to) continue;
    if (m.start > at) parts.push([text.slice(at, m.start), false]);
    parts.push([text.slice(m.start, m.end), true]);
    at = m.end;
  }
  if (at < to) parts.push([text.slice(at, to), false]);
  if (from > 0) parts.unshift(['… ', false]);
  if (to < text.length) parts.push([' …', false]);
  return parts;
}

// ---- UI -------------------------------------------------------------------------
// English; the page's own strings (the theme's i18n files, written by
// partials/footer.tpl as data-* of [data-hg-search-strings]) replace them.
const T = {
  noResults: 'No results for “%s”.',
  contact: 'Still need help? Contact us:',
  all: 'See all results',
  count: '%d results for “%s”',
  countOne: '1 result for “%s”',
  more: 'Show more',
  category: 'Category',
  tags: 'Tags',
  any: 'All',
};

const countText = (n, q) => (n === 1 && T.countOne ? T.countOne : T.count).replace('%d', n).replace('%s', q);

// Results the dropdown shows at first and adds at a time (PageDown past the
// last one, or scrolling to it); PageUp/PageDown move by PAGE_STEP.
const DROPDOWN = 8, PAGE_STEP = 5;

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const k in attrs || {}) {
    if (k === 'class') el.className = attrs[k];
    else if (k === 'text') el.textContent = attrs[k];
    else el.setAttribute(k, attrs[k]);
  }
  for (const k of kids) if (k) el.append(k);
  return el;
}

function marked(parts) {
  const f = document.createDocumentFragment();
  for (const [s, m] of parts) f.append(m ? h('mark', { text: s }) : document.createTextNode(s));
  return f;
}

let index = null;
function getIndex() {
  const meta = document.querySelector('meta[name="helpgen:search"]');
  if (!meta || !meta.content) return null;
  if (!index) index = new SearchIndex(new URL(meta.content, document.baseURI).href);
  return index;
}

function beacon(data) {
  const meta = document.querySelector('meta[name="helpgen:search-analytics"]');
  if (!meta || !meta.content || !navigator.sendBeacon) return;
  try { navigator.sendBeacon(meta.content, new Blob([JSON.stringify({ ...data, lang: document.documentElement.lang })], { type: 'text/plain' })); } catch { /* best effort */ }
}

function resultsPage(form) {
  return form.dataset.hgResults || form.getAttribute('action') || 'search/index.html';
}

// The page's contact links, cloned (text and href only), or null.
function contactLinks() {
  const links = document.querySelectorAll('.hg-contact a[href], .contact a[href]');
  if (!links.length) return null;
  const ul = h('ul', { class: 'hg-search-contact' });
  for (const a of links) ul.append(h('li', null, h('a', { href: a.getAttribute('href'), text: a.textContent.trim() })));
  return h('div', { class: 'hg-search-empty' }, h('p', { text: T.contact }), ul);
}

// One result as <a> with title, breadcrumb and excerpt.
async function resultLink(idx, r, res, lang, excerptLen) {
  const doc = await idx.doc(r.id);
  const title = highlight(doc.title, res, lang);
  const ex = highlight(doc.text, res, lang, excerptLen) || highlight(doc.description, res, lang, excerptLen);
  const a = h('a', { href: doc.url },
    h('span', { class: 'hg-result-title' }, title ? marked(title) : doc.title),
    doc.breadcrumb ? h('span', { class: 'hg-result-crumb', text: doc.breadcrumb }) : null,
    h('span', { class: 'hg-result-excerpt' }, ex ? marked(ex) : (doc.description || doc.text.slice(0, excerptLen) + (doc.text.length > excerptLen ? ' …' : ''))));
  return { a, doc };
}

let uid = 0;
function enhance(form) {
  const input = form.querySelector('input[name="q"]');
  if (!input || form.dataset.hgReady) return;
  form.dataset.hgReady = '1';
  const lang = document.documentElement.lang || 'en';
  const id = `hg-sr-${++uid}`;
  const box = h('div', { class: 'hg-search-results', id, hidden: '' });
  const live = h('p', { class: 'visually-hidden', role: 'status' }); // announces the result count
  form.append(box, live);
  Object.entries({ role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': id }).forEach(([k, v]) => input.setAttribute(k, v));
  let seq = 0, active = -1, options = [], timer = 0, lastQuery = '', empty = '', cur = null;
  const close = () => { box.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1; };
  const setActive = (i) => {
    options.forEach((o, k) => o.setAttribute('aria-selected', String(k === i)));
    active = i;
    if (i >= 0) { input.setAttribute('aria-activedescendant', options[i].id); options[i].scrollIntoView({ block: 'nearest' }); } else input.removeAttribute('aria-activedescendant');
  };
  const allUrl = (q) => { const u = new URL(resultsPage(form), document.baseURI); u.searchParams.set('q', q); return u.href; };
  // Appends the next results of the current query to the list (up to n more).
  const more = async (n) => {
    const c = cur;
    if (!c || c.loading || c.shown >= c.res.results.length) return false;
    c.loading = true;
    const next = c.res.results.slice(c.shown, c.shown + n);
    const links = await Promise.all(next.map((r) => resultLink(c.idx, r, c.res, lang, 120).catch(() => null)));
    c.loading = false;
    if (c !== cur) return false;
    links.forEach((l, j) => {
      if (!l) return;
      const k = c.shown + j;
      // the link itself is the option (an option must not hold a focusable element)
      Object.entries({ role: 'option', id: `${id}-${k}`, 'aria-selected': 'false', tabindex: '-1' }).forEach(([a, v]) => l.a.setAttribute(a, v));
      l.a.addEventListener('click', () => beacon({ type: 'click', q: c.q, url: l.doc.url, rank: k + 1 }));
      options.push(l.a);
      c.ul.append(h('li', { role: 'none' }, l.a));
    });
    c.shown += next.length;
    return true;
  };
  const run = async () => {
    const raw = input.value, q = raw.trim(), my = ++seq, idx = getIndex();
    if (!q || !idx) { close(); box.replaceChildren(); cur = null; return; }
    let res;
    try { res = await idx.search(raw); } catch (e) { console.error(e); return; }
    if (my !== seq) return;
    const ul = h('ul', { role: 'listbox', 'aria-label': input.getAttribute('placeholder') || 'Search' });
    const c = { idx, res, q, raw, ul, shown: 0, loading: false };
    cur = c;
    options = [];
    await more(DROPDOWN);
    if (my !== seq) return;
    lastQuery = q;
    if (!options.length) {
      box.replaceChildren(h('p', { class: 'hg-search-empty', role: 'status', text: T.noResults.replace('%s', q) }), contactLinks() || '');
      if (empty !== q) { empty = q; clearTimeout(form.hgBeacon); form.hgBeacon = setTimeout(() => { if (lastQuery === q && !options.length) beacon({ type: 'no_results', q }); }, 1500); }
    } else {
      const n = res.results.length;
      box.replaceChildren(ul, h('p', { class: 'hg-search-all' }, h('a', { href: allUrl(raw), text: n > c.shown ? `${T.all} (${n})` : T.all })));
    }
    live.textContent = countText(res.results.length, q);
    active = -1;
    box.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  // scrolling the list to its end shows the next results
  box.addEventListener('scroll', () => { if (box.scrollTop + box.clientHeight >= box.scrollHeight - 40) more(DROPDOWN); });
  input.addEventListener('focus', () => { const idx = getIndex(); if (idx) idx.load().catch(() => {}); });
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 60); });
  input.addEventListener('keydown', async (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'PageDown' || e.key === 'PageUp') {
      if (box.hidden) { if (input.value.trim() && e.key.startsWith('Arrow')) run(); return; }
      e.preventDefault();
      if (!options.length) return;
      const down = e.key === 'ArrowDown' || e.key === 'PageDown', step = e.key.startsWith('Page') ? PAGE_STEP : 1;
      if (down && active + step >= options.length) await more(Math.max(DROPDOWN, step));
      const n = options.length;
      if (step === 1) setActive(down ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
      else setActive(down ? Math.min(n - 1, active + step) : Math.max(0, active - step));
    } else if (e.key === 'Enter') {
      if (active >= 0 && !box.hidden) { e.preventDefault(); options[active].click(); }
    } else if (e.key === 'Escape') {
      if (!box.hidden) { e.preventDefault(); close(); } else if (input.value) { input.value = ''; }
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (input.value.trim()) location.href = allUrl(input.value);
  });
  document.addEventListener('click', (e) => { if (!form.contains(e.target)) close(); });
  form.addEventListener('focusout', (e) => { if (e.relatedTarget && !form.contains(e.relatedTarget)) close(); });
}

// The results page: fills [data-hg-search-results] from ?q= (&category= &tag=).
async function resultsView(el) {
  // the query as typed: its last word is a prefix here as in the dropdown
  // (unless it ends in a space), one engine and one ranking for both
  const idx = getIndex(), params = new URLSearchParams(location.search), raw = params.get('q') || '', q = raw.trim();
  const lang = document.documentElement.lang || 'en';
  for (const i of document.querySelectorAll('form.hg-search input[name="q"]')) if (!i.value) i.value = q;
  if (!q || !idx) return;
  const fallback = document.querySelector('[data-hg-search-fallback]');
  const res = await idx.search(raw);
  const tags = res.results.length ? await idx.tags() : new Map();
  let cat = params.get('category') || '', tag = params.get('tag') || '', shown = 10;
  const status = h('p', { class: 'hg-search-count', role: 'status' });
  const filters = h('div', { class: 'hg-search-filters' });
  const list = h('ul', { class: 'hg-search-list' });
  const more = h('button', { type: 'button', class: 'hg-button hg-search-more', text: T.more });
  el.replaceChildren(status, filters, list, more);
  // categories of all results come from id ranges; nothing to fetch
  const catOf = (id) => { const c = idx.m.categories.find((x) => id >= x[1] && id < x[1] + x[2]); return c ? c[0] : ''; };
  const chips = (label, name, counts, value, set) => {
    if (counts.size < 2 && !value) return null;
    const g = h('div', { role: 'group', 'aria-label': label, class: 'hg-search-facet' }, h('span', { text: label + ':' }));
    const btn = (v, text) => {
      const b = h('button', { type: 'button', 'aria-pressed': String(v === value), text });
      b.addEventListener('click', () => { set(v); shown = 10; render(); });
      return b;
    };
    g.append(btn('', T.any));
    for (const [v, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12)) g.append(btn(v, `${v} (${n})`));
    return g;
  };
  const render = async () => {
    const hits = res.results.filter((r) => (!cat || catOf(r.id) === cat) && (!tag || (tags.get(tag) || new Set()).has(r.id)));
    const cc = new Map(), tc = new Map();
    for (const r of res.results) {
      const c = catOf(r.id);
      if (c) cc.set(c, (cc.get(c) || 0) + 1);
    }
    const ids = new Set(res.results.map((r) => r.id));
    for (const [t, s] of tags) { let n = 0; for (const d of s) if (ids.has(d)) n++; if (n) tc.set(t, n); }
    filters.replaceChildren(chips(T.category, 'category', cc, cat, (v) => { cat = v; }) || '', chips(T.tags, 'tag', tc, tag, (v) => { tag = v; }) || '');
    const u = new URL(location.href);
    for (const [k, v] of [['category', cat], ['tag', tag]]) if (v) u.searchParams.set(k, v); else u.searchParams.delete(k);
    history.replaceState(null, '', u.href);
    status.textContent = countText(hits.length, q);
    const links = await Promise.all(hits.slice(0, shown).map((r) => resultLink(idx, r, res, lang, 240).catch(() => null)));
    list.replaceChildren(...links.filter(Boolean).map((l, k) => {
      l.a.addEventListener('click', () => beacon({ type: 'click', q, url: l.doc.url, rank: k + 1 }));
      return h('li', null, l.a);
    }));
    more.hidden = hits.length <= shown;
    if (!hits.length) {
      status.textContent = T.noResults.replace('%s', q);
      const c = contactLinks();
      if (c) list.replaceChildren(h('li', null, c));
      beacon({ type: 'no_results', q });
    }
    if (fallback) fallback.hidden = hits.length > 0;
  };
  more.addEventListener('click', () => { shown += 10; render(); });
  await render();
}

function init() {
  const strings = document.querySelector('[data-hg-search-strings]');
  if (strings) {
    for (const [k, v] of Object.entries(strings.dataset)) if (k in T && v) T[k] = v;
    if (strings.textContent.trim()) { try { Object.assign(T, JSON.parse(strings.textContent)); } catch { /* keep these */ } }
  }
  document.querySelectorAll('form.hg-search').forEach(enhance);
  const el = document.querySelector('[data-hg-search-results]');
  if (el) resultsView(el).catch((e) => console.error(e));
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t.closest && t.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) return;
    const input = document.querySelector('.hg-header form.hg-search input[name="q"]') || document.querySelector('form.hg-search input[name="q"]');
    if (input) { e.preventDefault(); input.focus(); input.select(); }
  });
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
}
