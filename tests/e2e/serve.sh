#!/bin/sh
# End-to-end tests of `helpgen serve` as a careless or hostile client meets it:
#   - no SITE argument: the current folder is served (it used to crash), and
#     the address is the first line printed (a script reads it with --port 0);
#   - a request sent during the first build is answered once it has finished
#     (with the built page, not the "not built yet" one);
#   - a percent-encoded NUL in the path is refused (404), not cut short;
#   - idle half-sent requests do not lock anyone out: with 300 of them held,
#     requests are answered at once, and the server drops each after its
#     idle time-out (10 s);
#   - the load test (serve-load.mjs, node): 200 well-behaved clients, 100 idle
#     half-open connections and 10 live-reload streams for 20 s, 0 failures;
#     the streams stay open and get their 15 s ping;
#   - SIGTERM stops it with exit code 0 and removes its temporary folder, also
#     with 20 suspended event streams and 50 busy clients (within 10 s).
# The port is picked by the server (--port 0). Every wait is bounded.
# HELPGEN=path picks the binary (default ./helpgen). HG_SERVE_LOAD_SECONDS
# changes the load test's length (default 20). HG_SERVE_QUICK=1 (make mutate)
# leaves out the bulk articles, the idle connections and the load test.
# Prints TAP-like lines and
# "N passed, M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
E2E="$ROOT/tests/e2e"
. "$E2E/lib.sh"
SERVE_PID=""
e2e_on_exit() { [ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null; return 0; }
e2e_start serve
[ -x "$HG" ] || { echo "serve.sh: $HG not built (make helpgen)"; exit 2; }
command -v curl >/dev/null 2>&1 || { not_ok "serve.sh needs curl (apt-get install curl)"; summary; exit 1; }

# wait_for FILE TEXT [TENTHS]: until FILE holds TEXT (at most TENTHS/10 s, and
# not once the server has exited).
wait_for() {
  n=0
  while [ "$n" -lt "${3:-300}" ]; do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    [ -n "$SERVE_PID" ] && ! kill -0 "$SERVE_PID" 2>/dev/null && { grep -qF -- "$2" "$1" 2>/dev/null; return; }
    sleep 0.1; n=$((n + 1))
  done
  return 1
}
# get NAME URL: body in $T/NAME.body, "status type" in $T/NAME.meta, seconds in $T/NAME.time
get() {
  curl -s --path-as-is --max-time 10 -o "$T/$1.body" -w '%{http_code} %{content_type}\n%{time_total}\n' \
    "$2" >"$T/$1.out" 2>&1
  head -n 1 "$T/$1.out" >"$T/$1.meta"
  sed -n 2p "$T/$1.out" >"$T/$1.time"
}
# stop_server DESC: SIGTERM, then exit code 0 within 10 s.
stop_server() {
  kill -TERM "$SERVE_PID" 2>/dev/null
  n=0
  while kill -0 "$SERVE_PID" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  if kill -0 "$SERVE_PID" 2>/dev/null; then
    not_ok "$1: stops within 10 s of SIGTERM" "$SLOG"; kill -9 "$SERVE_PID"
  fi
  wait "$SERVE_PID"; RC=$?
  SERVE_PID=""
  expect_rc "$1: SIGTERM" 0 "$RC" "$SLOG"
}

# A copy of the store example with 1,500 more articles, so that the first
# build takes long enough for a request to arrive during it.
S="$T/site"
cp -R "$ROOT/examples/store" "$S"
rm -rf "$S/.helpgen-cache" "$S/public"
mkdir -p "$S/content/en/orders/bulk"
printf -- '---\ntitle: Bulk\ndescription: Many pages for the serve test.\n---\n' >"$S/content/en/orders/bulk/_index.md"
i=0
[ "${HG_SERVE_QUICK:-0}" = 1 ] && i=1490
while [ $i -lt 1500 ]; do
  printf -- '---\ntitle: Bulk article %d\ndescription: Bulk article %d for the serve test.\n---\nBody %d of the serve test.\n' \
    $i $i $i >"$S/content/en/orders/bulk/bulk-$i.md"
  i=$((i + 1))
done

section "serve with no SITE argument, first line, the first build"
SLOG="$T/serve.log"
(cd "$S" && exec "$HG" serve --port 0 --threads 2) >"$SLOG" 2>&1 &
SERVE_PID=$!
wait_for "$SLOG" "helpgen: serving" 150
FIRST=$(head -n 1 "$SLOG")
URL=$(printf '%s\n' "$FIRST" | sed -n 's|^helpgen: serving \. at \(http://127\.0\.0\.1:[0-9]*/\) (from .*; Ctrl+C to stop)$|\1|p')
if [ -n "$URL" ]; then ok "serve without SITE: serves '.', the address on the first line ($URL)"
else not_ok "serve without SITE: serves '.', the address on the first line" "$SLOG"; URL=http://127.0.0.1:9/; fi
OUTDIR=$(printf '%s\n' "$FIRST" | sed -n 's|^helpgen: serving .* (from \(.*\); Ctrl+C to stop)$|\1|p')
grep -q "helpgen: built" "$SLOG" && early=0 || early=1
get first "$URL"
has "a request during the first build: 200 text/html" "$T/first.meta" "200 text/html"
has "... with the built home page, not the 'not built yet' page" "$T/first.body" 'Northwind Help Center'
lacks "... (no 'not built yet')" "$T/first.body" 'has not been built yet'
if [ $early = 1 ]; then ok "... the request was sent before the build had finished"
else skip "the first build had finished before the request (a fast machine): the wait was not exercised"; fi
wait_for "$SLOG" "helpgen: built" 600 && ok "the first build finishes" || not_ok "the first build finishes" "$SLOG"
get home "$URL"
has "home page 200" "$T/home.meta" "200 text/html"
get art "${URL}orders/bulk/bulk-1497/"
has "a generated article 200" "$T/art.meta" "200 text/html"
has "... its text" "$T/art.body" "Body 1497 of the serve test."

section "a NUL in the path"
for p in 'index.html%00.css' '%00/index.html' 'orders%00/' 'index.html%00' 'index.html%2500.css'; do
  get nul "$URL$p"
  if grep -q '^404 ' "$T/nul.meta" && ! cmp -s "$T/nul.body" "$T/home.body"; then ok "$p: 404, not the page before the NUL"
  else { cat "$T/nul.meta"; head -c 300 "$T/nul.body"; } >"$T/nul.log"; not_ok "$p: 404, not the page before the NUL" "$T/nul.log"; fi
done
for p in '../../../../etc/passwd' '%2e%2e/%2e%2e/etc/passwd' 'orders/..%2f..%2fetc/passwd' '..%5c..%5cetc%5cpasswd'; do
  get trav "$URL$p"
  if grep -q '^404 ' "$T/trav.meta" && ! grep -q 'root:' "$T/trav.body"; then ok "$p: 404"
  else not_ok "$p: 404" "$T/trav.meta"; fi
done
get q "${URL}index.html?x=%00"
has "a NUL in the query string only: the page (the path is clean)" "$T/q.meta" "200 text/html"

section "idle half-sent requests"
if [ "${HG_SERVE_QUICK:-0}" = 1 ]; then
  echo "# HG_SERVE_QUICK=1: no idle-connection or load test"
elif command -v node >/dev/null 2>&1; then
  # 300 connections that never finish their request, then requests while they are held
  node -e '
    const net = require("net"); const u = new URL(process.argv[1]); let open = 0, closed = 0, t0 = Date.now(), times = [];
    for (let i = 0; i < 300; i++) {
      const s = net.connect(+u.port, u.hostname, () => { open++; s.write("GET / HTTP/1.1\r\nHost: x\r\n"); });
      s.on("error", () => {}); s.on("close", () => { closed++; times.push(Date.now() - t0); });
    }
    setTimeout(() => console.log(`held ${open - closed}`), 1000);
    setTimeout(() => { times.sort((a, b) => a - b);
      console.log(`dropped ${closed} of ${open}, first after ${times[0]} ms, last after ${times[times.length - 1]} ms`); process.exit(0); }, 14000);
  ' "$URL" >"$T/idle.log" 2>&1 &
  IDLE_PID=$!
  sleep 1.5
  slow=0
  for n in 1 2 3 4 5 6 7 8 9 10; do
    get busy "$URL"
    grep -q '^200 ' "$T/busy.meta" || slow=1
    awk -v t="$(cat "$T/busy.time")" 'BEGIN { exit !(t > 1.0) }' && slow=1
  done
  has "300 idle connections are held" "$T/idle.log" "held 300"
  if [ $slow = 0 ]; then ok "... and 10 requests meanwhile are answered, each in under 1 s"
  else not_ok "... and 10 requests meanwhile are answered, each in under 1 s" "$T/busy.out"; fi
  wait "$IDLE_PID"
  # dropped by the idle time-out: all 300, not before 8 s, by 14 s
  if grep -qE '^dropped 300 of 300, first after ([89]|1[0-3])[0-9]{3} ms' "$T/idle.log"; then
    ok "the idle ones are dropped after the 10 s time-out ($(tail -n 1 "$T/idle.log"))"
  else not_ok "the idle ones are dropped after the 10 s time-out" "$T/idle.log"; fi

  section "load: 200 clients, 100 idle connections, 10 event streams"
  if node "$E2E/serve-load.mjs" "$URL" --clients 200 --idle 100 --streams 10 \
      --seconds "${HG_SERVE_LOAD_SECONDS:-20}" >"$T/load.log" 2>&1; then
    ok "$(head -n 1 "$T/load.log")"
  else not_ok "load test" "$T/load.log"; fi
else
  not_ok "the idle-connection and load tests need node (apt-get install nodejs)"
fi
get after "$URL"
has "after all that, the home page 200" "$T/after.meta" "200 text/html"

stop_server "serve"
has "it says it stopped" "$SLOG" "helpgen: stopping the server"
check "its temporary folder is removed" test -n "$OUTDIR" -a ! -e "$(dirname "$OUTDIR")"
check "the site folder is not written to" test ! -e "$S/public"

section "SIGTERM while streams are open and clients are busy"
if [ "${HG_SERVE_QUICK:-0}" != 1 ] && command -v node >/dev/null 2>&1; then
  SLOG="$T/serve2.log"
  "$HG" serve "$S" --port 0 --threads 2 >"$SLOG" 2>&1 &
  SERVE_PID=$!
  wait_for "$SLOG" "helpgen: built" 600
  URL=$(sed -n 's|^helpgen: serving .* at \(http://127\.0\.0\.1:[0-9]*/\) .*|\1|p' "$SLOG")
  OUTDIR=$(sed -n 's|^helpgen: serving .* (from \(.*\); Ctrl+C to stop)$|\1|p' "$SLOG")
  node "$E2E/serve-load.mjs" "$URL" --clients 50 --idle 50 --streams 20 --seconds 6 >"$T/load2.log" 2>&1 &
  LOAD_PID=$!
  sleep 2
  t0=$(date +%s%N)
  stop_server "serve under load (20 suspended event streams)"
  ms=$((($(date +%s%N) - t0) / 1000000))
  # most of the time is removing the temporary folder (two copies of a 1,643-page site)
  check "... it stopped within 10 s on this shared machine (took $ms ms)" test "$ms" -lt 10000
  check "... its temporary folder is removed" test -n "$OUTDIR" -a ! -e "$(dirname "$OUTDIR")"
  wait "$LOAD_PID" 2>/dev/null
fi

summary
