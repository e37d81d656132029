#!/bin/sh
# Index bytes per language of the sites under examples/ (compressed, as
# served): files, all bytes, the manifest and the largest term shard.
# Usage: sh bench/search/index-bytes.sh [HELPGEN]
set -e
cd "$(dirname "$0")/../.."
HG=${1:-./helpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for e in examples/*/; do
  n=$(basename "$e")
  "$HG" build "$e" -o "$T/$n" --quiet --no-cache >/dev/null 2>&1 || continue
  [ -d "$T/$n/search" ] || continue
  for l in "$T/$n"/search/*/; do
    printf '%s/%s files=%s bytes=%s manifest=%s largest_shard=%s\n' "$n" "$(basename "$l")" \
      "$(ls "$l" | wc -l)" "$(cat "$l"/* | wc -c)" "$(stat -c %s "$l/manifest.bin")" \
      "$(ls -S "$l"/t.* | head -n 1 | xargs stat -c %s)"
  done
done
