#!/bin/sh
# Installs the Debian packages helpgen needs to build and test. As root it
# runs apt-get; otherwise it prints the exact command to run.
PKGS="build-essential pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm libyaml-dev liblua5.4-dev libctemplate-dev libicu-dev libxxhash-dev libjansson-dev zlib1g-dev libmicrohttpd-dev libgumbo-dev libvips-dev libbrotli-dev libstemmer-dev libcmocka-dev valgrind"
[ -n "${HG_EXTRA_PKGS:-}" ] && PKGS="$PKGS $HG_EXTRA_PKGS"
# the test tooling needs node; the machine image ships one, Debian's is the fallback
case " ${HG_EXTRA_PKGS:-} " in *" chromium "*) command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm";; esac
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null || {
    echo "deps: apt-get failed" >&2; exit 1; }
else
  echo "deps: missing Debian packages. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
