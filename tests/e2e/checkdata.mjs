// checkdata.mjs - the machine-readable parts of a built site, run by tests/e2e/validate.sh:
//   node tests/e2e/checkdata.mjs jsonld SITE    every JSON-LD block of every page
//   node tests/e2e/checkdata.mjs sitemap SITE   sitemap.xml against the pages
//   node tests/e2e/checkdata.mjs feed FILE [MIN] one Atom feed (with at least MIN entries)
// The XML files must already be known to be well-formed (validate.sh runs
// xmllint first); these checks look at their structure. Prints one line per
// problem and exits 1 if there was any; prints a one-line summary otherwise.
import fs from 'node:fs';
import path from 'node:path';

const [mode, target, min] = process.argv.slice(2);
const problems = [];
const bad = (where, msg) => problems.push(`${where}: ${msg}`);

function htmlFiles(dir) {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.html')).sort();
}
const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const kindOf = (html) => /<body class="page-([a-z0-9-]+)/.exec(html)?.[1] || '';
const absolute = (u) => typeof u === 'string' && /^https?:\/\/[^/\s]+\/\S*$/.test(u);
const nonEmpty = (s) => typeof s === 'string' && s.trim() !== '';

// Every node with an @type in a JSON-LD value (nested ones too).
function nodes(v, out = []) {
  if (Array.isArray(v)) v.forEach((x) => nodes(x, out));
  else if (v && typeof v === 'object') {
    if ('@type' in v) out.push(v);
    Object.values(v).forEach((x) => nodes(x, out));
  }
  return out;
}

function checkJsonLd(dir) {
  let blocks = 0, pages = 0;
  for (const f of htmlFiles(dir)) {
    const html = fs.readFileSync(path.join(dir, f), 'utf8');
    if (/http-equiv="refresh"/i.test(html)) continue; // an alias's redirect page
    pages++;
    const kind = kindOf(html);
    const all = [];
    for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
      blocks++;
      const text = m[1];
      if (/[<]/.test(text)) bad(f, 'JSON-LD holds a raw "<" (could end the <script> early; write \\u003c)');
      let value;
      try {
        value = JSON.parse(text);
      } catch (e) {
        bad(f, `JSON-LD does not parse: ${e.message}`);
        continue;
      }
      for (const top of Array.isArray(value) ? value : [value]) {
        if (!top || typeof top !== 'object' || Array.isArray(top)) { bad(f, 'a JSON-LD item is not an object'); continue; }
        if (top['@context'] !== 'https://schema.org') bad(f, `@context is ${JSON.stringify(top['@context'])}, want "https://schema.org"`);
        if (!nonEmpty(top['@type'])) bad(f, 'a JSON-LD item has no @type');
      }
      all.push(...nodes(value));
    }
    const of = (t) => all.filter((n) => n['@type'] === t);
    const canonical = /<link rel="canonical" href="([^"]+)">/.exec(html)?.[1];
    for (const b of of('BreadcrumbList')) {
      const items = b.itemListElement;
      if (!Array.isArray(items) || items.length === 0) { bad(f, 'BreadcrumbList without itemListElement'); continue; }
      items.forEach((it, i) => {
        if (it['@type'] !== 'ListItem') bad(f, `breadcrumb ${i + 1}: @type ${it['@type']}`);
        if (it.position !== i + 1) bad(f, `breadcrumb ${i + 1}: position ${it.position}`);
        if (!nonEmpty(it.name)) bad(f, `breadcrumb ${i + 1}: no name`);
        if (i < items.length - 1 && !absolute(it.item)) bad(f, `breadcrumb ${i + 1}: item ${JSON.stringify(it.item)} is not an absolute URL`);
        if ('item' in it && !absolute(it.item)) bad(f, `breadcrumb ${i + 1}: item ${JSON.stringify(it.item)} is not an absolute URL`);
      });
    }
    const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1].replace(/<[^>]+>/g, '').trim();
    if (kind === 'article') {
      const a = of('Article');
      if (a.length !== 1) bad(f, `article page with ${a.length} Article items, want 1`);
      else if (decode(h1 || '') !== a[0].headline) bad(f, `Article headline ${JSON.stringify(a[0].headline)} differs from the <h1> ${JSON.stringify(decode(h1 || ''))}`);
      for (const k of ['datePublished', 'dateModified']) {
        if (a[0] && k in a[0] && !/^\d{4}-\d\d-\d\d/.test(a[0][k])) bad(f, `Article ${k} ${JSON.stringify(a[0][k])} is not an ISO date`);
      }
    }
    if (kind === 'faq') {
      const faq = of('FAQPage');
      const questions = (html.match(/<details class="faq-item"/g) || []).length;
      if (faq.length !== 1) bad(f, `FAQ page with ${faq.length} FAQPage items, want 1`);
      else {
        const qs = faq[0].mainEntity || [];
        if (qs.length !== questions) bad(f, `FAQPage has ${qs.length} questions, the page shows ${questions}`);
        qs.forEach((q, i) => {
          if (q['@type'] !== 'Question' || !nonEmpty(q.name)) bad(f, `FAQPage question ${i + 1}: no Question name`);
          if (q.acceptedAnswer?.['@type'] !== 'Answer' || !nonEmpty(q.acceptedAnswer?.text)) bad(f, `FAQPage question ${i + 1}: no Answer text`);
        });
      }
    }
    if (kind === 'home' && canonical) {
      const site = of('WebSite');
      if (site.length !== 1) bad(f, `home page with ${site.length} WebSite items, want 1`);
      else {
        const act = site[0].potentialAction;
        if (!absolute(site[0].url)) bad(f, `WebSite url ${JSON.stringify(site[0].url)}`);
        if (act?.['@type'] !== 'SearchAction' || !String(act.target).includes('{search_term_string}') || !absolute(String(act.target).replace('{search_term_string}', 'x'))) {
          bad(f, `WebSite SearchAction target ${JSON.stringify(act?.target)}`);
        }
        if (act?.['query-input'] !== 'required name=search_term_string') bad(f, `SearchAction query-input ${JSON.stringify(act?.['query-input'])}`);
      }
    }
  }
  if (pages === 0) bad(dir, 'no pages');
  if (blocks === 0) bad(dir, 'no JSON-LD at all');
  return `${blocks} JSON-LD blocks in ${pages} pages`;
}

const tags = (xml, name) => [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
const attr = (tag, name) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

function checkSitemap(dir) {
  const file = path.join(dir, 'sitemap.xml');
  const xml = fs.readFileSync(file, 'utf8');
  if (!/<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9"/.test(xml)) bad('sitemap.xml', 'root is not <urlset> in the sitemaps.org namespace');
  const urls = tags(xml, 'url');
  if (urls.length === 0) bad('sitemap.xml', 'no <url>');
  if (urls.length > 50000) bad('sitemap.xml', `${urls.length} URLs, the limit is 50,000`);
  const locs = new Set();
  let base = null;
  for (const u of urls) {
    const loc = decode(tags(u, 'loc')[0] || '');
    if (!absolute(loc)) { bad('sitemap.xml', `<loc> ${JSON.stringify(loc)} is not an absolute URL`); continue; }
    if (locs.has(loc)) bad('sitemap.xml', `${loc} listed twice`);
    locs.add(loc);
    base ??= new URL(loc).origin;
    const lastmod = tags(u, 'lastmod')[0];
    if (lastmod !== undefined && !/^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:\d\d))?$/.test(lastmod)) bad('sitemap.xml', `${loc}: lastmod ${lastmod}`);
    for (const l of u.match(/<xhtml:link\s[^>]*>/g) || []) {
      if (attr(l, 'rel') !== 'alternate' || !nonEmpty(attr(l, 'hreflang')) || !absolute(decode(attr(l, 'href') || ''))) bad('sitemap.xml', `${loc}: alternate ${l}`);
    }
    // the page exists and names this URL as its canonical one
    const rel = decodeURIComponent(new URL(loc).pathname).replace(/^\//, '');
    const page = path.join(dir, rel.endsWith('/') || rel === '' ? rel + 'index.html' : rel);
    if (!fs.existsSync(page)) { bad('sitemap.xml', `${loc}: no such page (${path.relative(dir, page)})`); continue; }
    const canonical = /<link rel="canonical" href="([^"]+)">/.exec(fs.readFileSync(page, 'utf8'))?.[1];
    if (canonical !== undefined && decode(canonical) !== loc) bad('sitemap.xml', `${loc}: the page's canonical URL is ${canonical}`);
  }
  // every article, FAQ and flow page (of every language) is listed
  let articles = 0, flows = 0;
  for (const f of htmlFiles(dir)) {
    const html = fs.readFileSync(path.join(dir, f), 'utf8');
    const kind = kindOf(html);
    if (!['article', 'faq', 'flow'].includes(kind)) continue;
    if (kind === 'flow') flows++;
    else articles++;
    const canonical = /<link rel="canonical" href="([^"]+)">/.exec(html)?.[1];
    if (!canonical) bad(f, `${kind} page without <link rel="canonical">`);
    else if (!locs.has(decode(canonical))) bad('sitemap.xml', `${kind} ${decode(canonical)} is not listed`);
  }
  return `${locs.size} URLs, ${articles} article pages and ${flows} flow pages all listed`;
}

function checkFeed(file) {
  const xml = fs.readFileSync(file, 'utf8');
  const where = path.basename(path.dirname(file)) + '/' + path.basename(file);
  if (!/<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/.test(xml)) bad(where, 'root is not an Atom <feed>');
  const head = xml.split('<entry')[0];
  const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
  for (const t of ['id', 'title', 'updated']) if (!nonEmpty(tags(head, t)[0])) bad(where, `feed without <${t}>`);
  if (!rfc3339.test(tags(head, 'updated')[0] || '')) bad(where, `feed <updated> ${tags(head, 'updated')[0]} is not RFC 3339`);
  const self = (head.match(/<link\s[^>]*>/g) || []).find((l) => attr(l, 'rel') === 'self');
  if (!self || !absolute(decode(attr(self, 'href') || ''))) bad(where, 'feed without an absolute rel="self" link');
  const entries = tags(xml, 'entry');
  const ids = new Set();
  entries.forEach((e, i) => {
    const id = tags(e, 'id')[0];
    if (!nonEmpty(id)) bad(where, `entry ${i + 1} without <id>`);
    if (ids.has(id)) bad(where, `entry id ${id} twice`);
    ids.add(id);
    if (!nonEmpty(tags(e, 'title')[0])) bad(where, `entry ${i + 1} without <title>`);
    if (!rfc3339.test(tags(e, 'updated')[0] || '')) bad(where, `entry ${i + 1}: <updated> ${tags(e, 'updated')[0]} is not RFC 3339`);
    const link = (e.match(/<link\s[^>]*>/g) || []).find((l) => (attr(l, 'rel') || 'alternate') === 'alternate');
    if (!link || !absolute(decode(attr(link, 'href') || ''))) bad(where, `entry ${i + 1} without an absolute alternate link`);
  });
  if (entries.length < Number(min || 0)) bad(where, `${entries.length} entries, want at least ${min}`);
  return `${entries.length} entries`;
}

let summary;
if (mode === 'jsonld') summary = checkJsonLd(target);
else if (mode === 'sitemap') summary = checkSitemap(target);
else if (mode === 'feed') summary = checkFeed(target);
else {
  console.error('usage: node checkdata.mjs jsonld|sitemap SITE | feed FILE [MIN]');
  process.exit(2);
}
if (problems.length) {
  console.log(problems.slice(0, 40).join('\n') + (problems.length > 40 ? `\n... and ${problems.length - 40} more` : ''));
  process.exit(1);
}
console.log(summary);
