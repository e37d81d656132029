#!/bin/sh
# The JavaScript side of `make test`: search engine tests under node, the
# real-browser tests (Debian chromium driven by playwright-core, axe-core) and
# the validity of the built HTML, XML and JSON-LD (html-validate, xmllint).
set -e
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1; then
  echo "run-extra: node is missing (apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
sh tests/js/setup.sh
node --test tests/js/ tests/browser/
sh tests/e2e/validate.sh
