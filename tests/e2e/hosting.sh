#!/bin/sh
# End-to-end test of hosting with a real web server: examples/store built
# with --precompress, served by Debian's nginx on a free loopback port with
# the configuration README.md documents (its ```nginx block under
# "### nginx", with the root and the port replaced):
#   - the generated redirect map answers the articles' old URLs with 301;
#   - .gz and .br files are what gzip_static / brotli_static send;
#   - a missing page gets the theme's 404 page (the Czech one under /cs/);
#   - every language's home answers.
# Skips (exit 0) when nginx or curl is missing (make test installs nginx-light
# and libnginx-mod-http-brotli-static). Prints "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
. "$ROOT/tests/e2e/lib.sh"

NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
e2e_start hosting
if [ ! -x "$NGINX" ] || ! command -v curl >/dev/null 2>&1; then
  # counted like every skip: make test and CI (HG_NO_SKIPS=1) fail on it
  skip "nginx or curl is not installed (apt-get install nginx-light curl)"
  summary
  exit $?
fi
NGINX_PID=
e2e_on_exit() { [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; wait 2>/dev/null; }

S="$T/src"
SITE="$T/www"
cp -R "$ROOT/examples/store" "$S"
rm -rf "$S/.helpgen-cache" "$S/public"
hg "$T/build.log" build "$S" -o "$SITE" --precompress --quiet
expect_rc "build --precompress" 0 "$RC" "$T/build.log"

section "precompressed copies"
n_text=$(find "$SITE" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.json' \
  -o -name '*.xml' -o -name '*.svg' -o -name '*.txt' \) | wc -l)
missing=$(find "$SITE" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.json' \
  -o -name '*.xml' -o -name '*.svg' -o -name '*.txt' \) | while read -r f; do
  case $f in *.bin.js | *.classic.js) continue ;; esac  # file:// twins: no server sends them
  [ -f "$f.gz" ] && [ -f "$f.br" ] || echo "$f"; done)
if [ "$n_text" -gt 100 ] && [ -z "$missing" ]; then ok "a .gz and a .br beside each of the $n_text text files"
else echo "$missing" >"$T/missing.log"; not_ok "a .gz and a .br beside every text file" "$T/missing.log"; fi
if gzip -dc "$SITE/index.html.gz" | cmp -s - "$SITE/index.html"; then ok "index.html.gz is index.html"
else not_ok "index.html.gz is index.html"; fi
if [ -z "$(find "$SITE" -name '*.bin.gz' -o -name '*.gz.gz' | head -n 1)" ]; then ok "binary and compressed files are not compressed again"
else not_ok "binary and compressed files are not compressed again"; fi

# the configuration README.md documents
CONF="$T/nginx"
mkdir -p "$CONF/logs" "$CONF/tmp"
awk '/^### nginx/ { h = 1 } h && /^```nginx/ { c = 1; next } c && /^```/ { exit } c' "$ROOT/README.md" >"$CONF/readme.conf"
if grep -q 'gzip_static on' "$CONF/readme.conf" && grep -q 'redirects.nginx.conf' "$CONF/readme.conf"; then
  ok "README.md documents an nginx configuration"
else
  not_ok "README.md documents an nginx configuration" "$CONF/readme.conf"
  summary
  exit 1
fi
BROTLI_MOD=
for m in /usr/share/nginx/modules/ngx_http_brotli_static_module.so /usr/lib/nginx/modules/ngx_http_brotli_static_module.so; do
  [ -f "$m" ] && BROTLI_MOD=$m && break
done

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_nginx() {
  PORT=$(free_port)
  sed -e "s#/srv/help#$SITE#g" -e "s#listen 80;#listen 127.0.0.1:$PORT;#" "$CONF/readme.conf" >"$CONF/site.conf"
  [ -n "$BROTLI_MOD" ] || sed -i '/brotli_static/d' "$CONF/site.conf"
  {
    [ "$(id -u)" = 0 ] && echo "user root;"  # the workers read a private mktemp folder
    [ -n "$BROTLI_MOD" ] && echo "load_module $BROTLI_MOD;"
    echo "worker_processes 1;"
    echo "pid $CONF/nginx.pid;"
    echo "error_log $CONF/logs/error.log;"
    echo "events { worker_connections 64; }"
    echo "http {"
    echo "  include /etc/nginx/mime.types;"
    echo "  default_type application/octet-stream;"
    echo "  access_log $CONF/logs/access.log;"
    echo "  client_body_temp_path $CONF/tmp/body;"
    echo "  include $CONF/site.conf;"
    echo "}"
  } >"$CONF/nginx.conf"
  "$NGINX" -p "$CONF" -c "$CONF/nginx.conf" -g 'daemon off;' >"$CONF/logs/stderr.log" 2>&1 &
  NGINX_PID=$!
  i=0
  while [ $i -lt 50 ]; do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
  done
  kill "$NGINX_PID" 2>/dev/null
  wait "$NGINX_PID" 2>/dev/null
  NGINX_PID=
  return 1
}

section "nginx"
started=false
for try in 1 2 3; do  # a port taken between the choice and the bind: another one
  if start_nginx; then started=true; break; fi
done
if $started; then ok "nginx started with the README configuration on 127.0.0.1:$PORT"
else
  cat "$CONF/logs/stderr.log" "$CONF/logs/error.log" >"$T/nginx.log" 2>/dev/null
  not_ok "nginx started with the README configuration" "$T/nginx.log"
  summary
  exit 1
fi
B="http://127.0.0.1:$PORT"

# fetch URL [CURL ARGS...]: the status in $CODE, the headers in $T/h, the body in $T/b
fetch() {
  u=$1; shift
  CODE=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@" "$B$u")
}
header() { tr -d '\r' <"$T/h" | awk -v k="$1" 'tolower($0) ~ "^" tolower(k) ":" { sub(/^[^:]*: */, ""); print; exit }'; }

# redirects: every alias of the map, with and without its trailing slash
n=0; bad=0
sed -n 's/^ *"\([^"]*\)" "\([^"]*\)";$/\1 \2/p' "$SITE/redirects.nginx.conf" >"$T/map"
while read -r from to; do
  n=$((n + 1))
  fetch "$from"
  loc=$(header Location)
  case "$CODE $loc" in
    "301 $B$to" | "301 $to") ;;
    *) bad=$((bad + 1)); echo "$from: $CODE $loc (want 301 $to)" >>"$T/redir.log" ;;
  esac
done <"$T/map"
if [ "$n" -ge 6 ] && [ "$bad" = 0 ]; then ok "the $n old URLs of the redirect map answer 301 to their article"
else not_ok "the old URLs of the redirect map answer 301 ($bad of $n wrong)" "$T/redir.log"; fi
first_to=$(head -n 1 "$T/map" | cut -d' ' -f2)
fetch "$(head -n 1 "$T/map" | cut -d' ' -f1)" -L
if [ "$CODE" = 200 ] && grep -q '<h1' "$T/b"; then ok "following the redirect lands on the article ($first_to)"
else not_ok "following the redirect lands on the article ($CODE)"; fi

# precompressed files, sent as they are on disk
CSS=$(cd "$SITE" && ls assets/style.*.css | grep -v '\.gz$' | head -n 1)
fetch "/$CSS" -H 'Accept-Encoding: gzip'
if [ "$CODE" = 200 ] && [ "$(header Content-Encoding)" = gzip ] && cmp -s "$T/b" "$SITE/$CSS.gz"; then
  ok "gzip_static: /$CSS is sent as $CSS.gz"
else not_ok "gzip_static: /$CSS is sent as $CSS.gz ($CODE, $(header Content-Encoding))" "$T/h"; fi
fetch "/orders/tracking/track-order/index.html" -H 'Accept-Encoding: gzip, deflate'
if [ "$CODE" = 200 ] && [ "$(header Content-Encoding)" = gzip ] &&
   cmp -s "$T/b" "$SITE/orders/tracking/track-order/index.html.gz"; then ok "gzip_static: an article page"
else not_ok "gzip_static: an article page ($CODE)" "$T/h"; fi
fetch "/$CSS"
if [ "$CODE" = 200 ] && [ -z "$(header Content-Encoding)" ] && cmp -s "$T/b" "$SITE/$CSS"; then
  ok "without Accept-Encoding the file itself"
else not_ok "without Accept-Encoding the file itself" "$T/h"; fi
if [ -n "$BROTLI_MOD" ]; then
  fetch "/$CSS" -H 'Accept-Encoding: br'
  if [ "$CODE" = 200 ] && [ "$(header Content-Encoding)" = br ] && cmp -s "$T/b" "$SITE/$CSS.br"; then
    ok "brotli_static: /$CSS is sent as $CSS.br"
  else not_ok "brotli_static: /$CSS is sent as $CSS.br" "$T/h"; fi
else
  skip "brotli_static: libnginx-mod-http-brotli-static is not installed"
fi
case "$(header Cache-Control)" in *immutable*) ok "content-hashed assets are cached for good" ;;
  *) not_ok "content-hashed assets are cached for good" "$T/h" ;; esac

# the theme's 404 pages
fetch "/no/such/page/"
if [ "$CODE" = 404 ] && cmp -s "$T/b" "$SITE/404.html" && grep -q 'hg-' "$T/b"; then ok "a missing page: 404 with the theme's 404.html"
else not_ok "a missing page: 404 with the theme's 404.html ($CODE)" "$T/b"; fi
fetch "/cs/no/such/page/"
if [ "$CODE" = 404 ] && cmp -s "$T/b" "$SITE/cs/404.html"; then ok "a missing page under /cs/: the Czech 404.html"
else not_ok "a missing page under /cs/: the Czech 404.html ($CODE)" "$T/b"; fi

# every language's home
for lang in en cs th ar; do
  if [ "$lang" = en ]; then u=/; else u=/$lang/; fi
  fetch "$u" -H 'Accept-Encoding: gzip'
  if [ "$CODE" = 200 ]; then gzip -dc "$T/b" >"$T/home.html" 2>/dev/null || cp "$T/b" "$T/home.html"; fi
  if [ "$CODE" = 200 ] && grep -q "<html lang=\"$lang\"" "$T/home.html"; then ok "the $lang home answers at $u"
  else not_ok "the $lang home answers at $u ($CODE)" "$T/h"; fi
done
# a page with a non-ASCII path, and the search index
fetch "/cs/objedn%C3%A1vky/"
if [ "$CODE" = 200 ]; then ok "a Czech folder page (non-ASCII path)"; else not_ok "a Czech folder page ($CODE)"; fi
fetch "/search/en/manifest.bin"
if [ "$CODE" = 200 ]; then ok "the search manifest"; else not_ok "the search manifest ($CODE)"; fi

summary
