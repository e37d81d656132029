#!/bin/sh
# Builds tests/tools/search_fixture and, with it, the search indexes and the
# tokenizer vectors that tests/js/*.test.mjs and tests/browser read:
#   build/tests/search-fixture/<site>/search/<lang>/...   (one per fixtures/*.json)
#   build/tests/search-fixture/vectors.json
# Usage: sh tests/js/setup.sh && node --test tests/js/
set -e
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
PKGS="icu-uc icu-i18n zlib jansson libxxhash"
LIBS_EXTRA="-lstemmer"
make -s "$B/util.o" "$B/search.o" "$B/search_tokenize.o"
mkdir -p "$B/tests"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Iinclude \
  $(pkg-config --cflags $PKGS) -o "$B/tests/search_fixture" \
  tests/tools/search_fixture.c "$B/util.o" "$B/search.o" "$B/search_tokenize.o" \
  $(pkg-config --libs $PKGS) $LIBS_EXTRA -lpthread -lm
OUT="$B/tests/search-fixture"
rm -rf "$OUT"
mkdir -p "$OUT"
for f in tests/js/fixtures/*.json; do
  name=$(basename "$f" .json)
  case $name in vectors-input|golden-tokens) continue ;; esac
  "$B/tests/search_fixture" index "$f" "$OUT/$name" > "$OUT/$name.manifest"
  # the same site again with tiny shards, so that queries cross shard
  # boundaries, and scores kept for 3 documents per term only
  "$B/tests/search_fixture" index "$f" "$OUT/$name-tiny" 600 3 > "$OUT/$name-tiny.manifest"
done
"$B/tests/search_fixture" vectors tests/js/fixtures/vectors-input.json "$OUT/vectors.json"
