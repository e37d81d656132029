#!/bin/sh
# End-to-end checks that an escaping or atomicity regression cannot pass:
#   - the nginx redirect map (redirects.nginx.conf) of a site whose aliases
#     hold quotes, braces, semicolons and dollars passes
#     `nginx -t` in a configuration that includes it as the README says;
#   - output.c's swap of OUT: a rebuild replaces OUT with one
#     renameat2(RENAME_EXCHANGE) (seen through an LD_PRELOAD shim that logs
#     renames, tests/e2e/rename_shim.c); with the exchange made to fail with
#     EINVAL (a file system without it) the fallback replaces OUT by two
#     renames, the result equals a clean build and nothing is left behind.
# Needs cc (the shim) and nginx (make test installs nginx-light). Prints
# TAP-like lines and "N passed, M failed"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
. "$ROOT/tests/e2e/lib.sh"
e2e_start safety
[ -x "$HG" ] || { echo "safety.sh: $HG not built (make helpgen)"; exit 2; }

S="$T/site"
cp -R "$ROOT/tests/e2e/fixtures/tiny" "$S"
art=$(find "$S/content" -name '*.md' ! -name '_index.md' | sort | head -n 1)
# aliases with every character that means something in an nginx string or block
python3 - "$art" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
# (a backslash, ? and # are refused by the build itself)
aliases = ['/old/quote"here/', '/old/semi;colon/', '/old/brace{x}/',
           '/old/dollar$uri/', "/old/apos'here/", '/old/sp ace/']
yaml = 'aliases: [' + ', '.join('"' + a.replace('\\', '\\\\').replace('"', '\\"') + '"' for a in aliases) + ']\n'
assert s.startswith('---\n')
open(p, 'w', encoding='utf-8').write('---\n' + yaml + s[4:])
PY

section "the nginx redirect map"
hg "$T/build.log" build "$S" -o "$T/out" --no-cache
expect_rc "a site with odd aliases builds" 0 "$RC" "$T/build.log"
MAP="$T/out/redirects.nginx.conf"
check "it writes redirects.nginx.conf" test -f "$MAP"
has "the map holds the quoted alias, escaped" "$MAP" '"/old/quote\"here/"'
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ -x "$NGINX" ]; then
  mkdir -p "$T/nginx"
  cat >"$T/nginx/nginx.conf" <<CONF
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $T/nginx/body;
  proxy_temp_path $T/nginx/proxy;
  fastcgi_temp_path $T/nginx/fastcgi;
  uwsgi_temp_path $T/nginx/uwsgi;
  scgi_temp_path $T/nginx/scgi;
  include $MAP;
  server {
    listen 127.0.0.1:1;
    root $T/out;
    if (\$helpgen_redirect) { return 301 \$helpgen_redirect; }
  }
}
CONF
  "$NGINX" -t -q -e "$T/nginx/error.log" -p "$T/nginx" -c "$T/nginx/nginx.conf" >"$T/nginx.log" 2>&1; RC=$?
  cat "$T/nginx/error.log" >>"$T/nginx.log" 2>/dev/null
  expect_rc "nginx -t accepts the map (included in http {}, used in server {})" 0 "$RC" "$T/nginx.log"
  # and the check can fail: an unescaped quote in a copy is refused
  sed 's|"/old/quote\\"here/"|"/old/quote"here/"|' "$MAP" >"$T/bad-map.conf"
  sed "s|include $MAP;|include $T/bad-map.conf;|" "$T/nginx/nginx.conf" >"$T/nginx/bad.conf"
  "$NGINX" -t -q -e "$T/nginx/error.log" -p "$T/nginx" -c "$T/nginx/bad.conf" >"$T/nginx-bad.log" 2>&1
  check "... and refuses the same map with the quote unescaped (the check can fail)" test $? != 0
else
  not_ok "nginx is missing (apt-get install nginx-light; make test installs it)"
fi

section "the swap of OUT: RENAME_EXCHANGE, and the fallback"
SHIM="$T/rename_shim.so"
if cc -shared -fPIC -O1 -o "$SHIM" "$ROOT/tests/e2e/rename_shim.c" -ldl >"$T/cc.log" 2>&1; then
  OUT="$T/swap"
  hg "$T/s0.log" build "$S" -o "$OUT" --no-cache
  expect_rc "first build" 0 "$RC" "$T/s0.log"
  echo "Edited once." >>"$art"
  : >"$T/shim1.log"
  HG_SHIM_LOG="$T/shim1.log" LD_PRELOAD="$SHIM" "$HG" build "$S" -o "$OUT" --no-cache >"$T/s1.log" 2>&1; RC=$?
  expect_rc "a rebuild" 0 "$RC" "$T/s1.log"
  if grep -qE "^renameat2 2 [^ ]+ $OUT 0\$" "$T/shim1.log"; then ok "the rebuild swapped OUT with one renameat2(RENAME_EXCHANGE)"
  else not_ok "the rebuild swapped OUT with one renameat2(RENAME_EXCHANGE)" "$T/shim1.log"; fi
  if grep -qE "^rename 0 $OUT " "$T/shim1.log"; then not_ok "... and never moved OUT aside (no moment without a site)" "$T/shim1.log"
  else ok "... and never moved OUT aside (no moment without a site)"; fi
  grep -rqF "Edited once." "$OUT" && ok "... the edit is published" || not_ok "... the edit is published"

  echo "Edited twice." >>"$art"
  : >"$T/shim2.log"
  HG_SHIM_NO_EXCHANGE=1 HG_SHIM_LOG="$T/shim2.log" LD_PRELOAD="$SHIM" "$HG" build "$S" -o "$OUT" --no-cache >"$T/s2.log" 2>&1; RC=$?
  expect_rc "a rebuild where RENAME_EXCHANGE fails (EINVAL): the fallback" 0 "$RC" "$T/s2.log"
  if grep -qE "^renameat2 2 [^ ]+ $OUT -1\$" "$T/shim2.log" && grep -qE "^rename 0 $OUT [^ ]+\.old 0\$" "$T/shim2.log" &&
     grep -qE "^rename 0 [^ ]+ $OUT 0\$" "$T/shim2.log"; then
    ok "... the exchange failed and OUT was replaced by two renames"
  else not_ok "... the exchange failed and OUT was replaced by two renames" "$T/shim2.log"; fi
  grep -rqF "Edited twice." "$OUT" && ok "... the edit is published" || not_ok "... the edit is published"
  left=$(find "$T" -maxdepth 1 -name '*.old')
  if [ -z "$left" ]; then ok "... no .old folder left beside OUT"; else echo "$left" >"$T/left.log"; not_ok "... no .old folder left beside OUT" "$T/left.log"; fi
  hg "$T/clean.log" build "$S" -o "$T/clean" --no-cache
  check "... OUT equals a clean build" diff -r "$OUT" "$T/clean"
  # the next build after a fallback: the exchange again, from the folder the fallback kept
  echo "Edited thrice." >>"$art"
  : >"$T/shim3.log"
  HG_SHIM_LOG="$T/shim3.log" LD_PRELOAD="$SHIM" "$HG" build "$S" -o "$OUT" --no-cache >"$T/s3.log" 2>&1; RC=$?
  expect_rc "the next rebuild, with the exchange" 0 "$RC" "$T/s3.log"
  grep -rqF "Edited thrice." "$OUT" && ok "... the edit is published" || not_ok "... the edit is published"
else
  not_ok "cannot build the LD_PRELOAD shim (cc)" "$T/cc.log"
fi

summary
