// serve-load.mjs - `helpgen serve` under load, bounded in time (node only, no
// packages), run by tests/e2e/serve.sh:
//   node tests/e2e/serve-load.mjs URL [--clients 200] [--idle 100] [--streams 10] [--seconds 20]
// URL is the served site's base ("http://127.0.0.1:PORT/"). For --seconds:
//   - --clients well-behaved clients, each on its own keep-alive connection,
//     request pages one after another (home, an article's folder, the live
//     script, a miss that must be 404) and check status and body;
//   - --idle half-open connections send a request line and one header but
//     never the blank line that ends the request; when the server drops one
//     it is opened again, so that many are always held. The time from open to
//     the server's close is recorded (the idle time-out);
//   - --streams live-reload event streams stay open and must get their
//     "hello" and, past 15 s, a ": ping" comment, and never be closed.
// Prints one summary line of figures, then "ok" or the reasons; exits 1 when a
// well-behaved request failed, a stream closed or missed its ping, or an idle
// connection was never dropped (or dropped sooner than 5 s).
import http from 'node:http';
import net from 'node:net';

const args = process.argv.slice(2);
const base = new URL(args[0] || '');
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i > 0 ? Number(args[i + 1]) : def;
};
const CLIENTS = opt('clients', 200);
const IDLE = opt('idle', 100);
const STREAMS = opt('streams', 10);
const SECONDS = opt('seconds', 20);
const REQ_TIMEOUT = 5000; // ms: a well-behaved request slower than this failed

const paths = [
  ['', 200, 'text/html'],
  ['orders/tracking/track-order/', 200, 'text/html'],
  ['__helpgen/live.js', 200, 'text/javascript'],
  ['no-such-page-for-the-load-test/', 404, 'text/html'],
];
const stats = { ok: 0, failed: 0, reasons: new Map(), lat: [] };
const failure = (why) => {
  stats.failed++;
  stats.reasons.set(why, (stats.reasons.get(why) || 0) + 1);
};
let stopping = false;
const end = Date.now() + SECONDS * 1000;

function one(agent, i) {
  const [p, status, type] = paths[i % paths.length];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get(new URL(p, base), { agent, timeout: REQ_TIMEOUT }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== status) failure(`${p || '/'}: status ${res.statusCode}, want ${status}`);
        else if (!String(res.headers['content-type']).startsWith(type)) failure(`${p}: type ${res.headers['content-type']}`);
        else if (type === 'text/html' && !body.includes('</html>')) failure(`${p}: truncated body`);
        else {
          stats.ok++;
          stats.lat.push(performance.now() - t0);
        }
        resolve();
      });
      res.on('error', (e) => { failure(`${p}: ${e.code || e.message}`); resolve(); });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQ_TIMEOUT} ms`)));
    req.on('error', (e) => { failure(`${p || '/'}: ${e.code || e.message}`); resolve(); });
  });
}

async function client(n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = n; Date.now() < end; i++) await one(agent, i);
  agent.destroy();
}

// idle half-open connections, reopened when the server drops them
const idle = { opened: 0, dropped: [], open: new Set() };
function openIdle() {
  if (stopping) return;
  const t0 = Date.now();
  const s = net.connect(Number(base.port), base.hostname, () => {
    s.write(`GET ${base.pathname} HTTP/1.1\r\nHost: ${base.host}\r\n`); // no blank line: never ends
  });
  idle.opened++;
  idle.open.add(s);
  s.on('error', () => {});
  s.on('close', () => {
    idle.open.delete(s);
    if (stopping) return;
    idle.dropped.push(Date.now() - t0);
    openIdle();
  });
}

// live-reload event streams
const streams = [];
function openStream() {
  const st = { hello: false, pings: 0, closed: false, error: null };
  streams.push(st);
  const req = http.get(new URL('__helpgen/events', base), { agent: false }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (d) => {
      if (d.includes('event: hello')) st.hello = true;
      st.pings += (d.match(/^: ping$/gm) || []).length;
    });
    res.on('close', () => { if (!stopping) st.closed = true; });
  });
  req.on('error', (e) => { if (!stopping) st.error = e.code || e.message; });
  st.req = req;
}

for (let i = 0; i < IDLE; i++) openIdle();
for (let i = 0; i < STREAMS; i++) openStream();
await new Promise((r) => setTimeout(r, 200)); // the idle ones hold their slots first
await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
stopping = true;
for (const s of idle.open) s.destroy();
for (const st of streams) st.req.destroy();

const lat = stats.lat.sort((a, b) => a - b);
const pct = (q) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(1) : '-');
const dr = idle.dropped;
const problems = [];
if (stats.failed) problems.push(`${stats.failed} failed requests: ${[...stats.reasons].map(([k, v]) => `${v}× ${k}`).join('; ')}`);
if (!stats.ok) problems.push('no request succeeded');
if (IDLE && !dr.length && SECONDS >= 12) problems.push('no idle connection was dropped by the server');
if (dr.some((t) => t < 5000)) problems.push(`an idle connection was dropped after ${Math.min(...dr)} ms (under 5 s)`);
for (const [i, st] of streams.entries()) {
  if (!st.hello) problems.push(`event stream ${i}: no hello`);
  if (st.closed || st.error) problems.push(`event stream ${i}: closed by the server${st.error ? ` (${st.error})` : ''}`);
  if (SECONDS > 16 && !st.pings) problems.push(`event stream ${i}: no ping in ${SECONDS} s`);
}
console.log(`load: ${CLIENTS} clients, ${IDLE} idle, ${STREAMS} streams, ${SECONDS} s: ${stats.ok} ok, ` +
  `${stats.failed} failed, ${(stats.ok / SECONDS).toFixed(0)} req/s, latency p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms ` +
  `max ${lat.length ? lat[lat.length - 1].toFixed(1) : '-'} ms; idle opened ${idle.opened}, dropped ${dr.length} ` +
  `after ${dr.length ? `${(Math.min(...dr) / 1000).toFixed(1)}-${(Math.max(...dr) / 1000).toFixed(1)} s` : '-'}; ` +
  `stream pings ${streams.map((s) => s.pings).join(',')}`);
if (problems.length) {
  for (const p of problems) console.log(`FAIL: ${p}`);
  process.exit(1);
}
console.log('ok');
process.exit(0);
