#!/bin/sh
# The JavaScript side of `make test`: search engine tests under node, the
# real-browser tests (Debian chromium driven by playwright-core, axe-core) and
# the validity of the built HTML, XML and JSON-LD (html-validate, xmllint).
#   sh tests/run-extra.sh --deps   only installs the npm packages (npm ci), as
#                                  make test does before make e2e, whose
#                                  serve-in-chromium test needs playwright-core
# Under HG_NO_SKIPS=1 (make test) or CI=true a skipped node test fails the run.
set -e
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1; then
  echo "run-extra: node is missing (apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/html-validate ] || [ ! -d node_modules/axe-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
[ "${1:-}" = --deps ] && exit 0
sh tests/js/setup.sh
tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" tests/js/ tests/browser/
skipped=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
if [ "${skipped:-0}" != 0 ]; then
  grep -E '^ *(not )?ok .*# SKIP' "$tap" | sed 's/^ */run-extra: skipped: /' >&2
  if [ "${HG_NO_SKIPS:-0}" = 1 ] || [ "${CI:-false}" = true ]; then
    echo "run-extra: $skipped node tests were skipped; HG_NO_SKIPS=1 (make test, CI) does not allow a skip" >&2
    exit 1
  fi
fi
sh tests/e2e/validate.sh
