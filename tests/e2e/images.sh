#!/bin/sh
# End-to-end test of the images stage through `helpgen build`: a two-language
# site with a large screenshot (PNG written here with python3's zlib), a
# small one, an SVG and a missing image:
#   - every local image has width/height, the first one of a page no
#     loading="lazy", the others loading="lazy" decoding="async";
#   - the large one has a srcset of WebP variants whose files exist, are
#     WebP and are named by its content hash, with URLs relative to the page;
#   - a --no-cache build into a new folder takes every variant from the
#     image cache ($HELPGEN_IMAGE_CACHE) without making one again;
#   - an edited screenshot gets new variant names.
# Prints "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
HG=${HELPGEN:-$ROOT/helpgen}
case $HG in /*) ;; *) HG="$ROOT/$HG" ;; esac
. "$ROOT/tests/e2e/lib.sh"
e2e_start images

S="$T/site"
mkdir -p "$S/content/en/guide" "$S/content/cs/guide"
cat >"$S/helpgen.yaml" <<'EOF'
title: Images
languages:
  - code: en
  - code: cs
EOF
png() { # png FILE W H SEED
  python3 - "$1" "$2" "$3" "$4" <<'EOF'
import struct, sys, zlib
f, w, h, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def chunk(k, d): return struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d))
raw = b"".join(b"\0" + bytes(((x * 3 + y + seed) % 256) for x in range(w)) for y in range(h))
open(f, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
EOF
}
png "$S/content/en/guide/big.png" 1300 700 1
png "$S/content/en/guide/small.png" 300 200 2
cp "$S/content/en/guide/big.png" "$S/content/cs/guide/big.png"
printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40"/></svg>\n' \
  >"$S/content/en/guide/logo.svg"
for l in en cs; do printf -- '---\ntitle: Guide\n---\n' >"$S/content/$l/guide/_index.md"; done
cat >"$S/content/en/guide/steps.md" <<'EOF'
---
title: Steps
description: Steps with screenshots
---
![Small first](small.png)

![The big screen](big.png)

![Vector](logo.svg)
EOF
cat >"$S/content/cs/guide/steps.md" <<'EOF'
---
title: Kroky
description: Kroky
translation_key: guide/steps.md
---
![Velká obrazovka](big.png)
EOF
export HELPGEN_IMAGE_CACHE="$T/image-cache"
hg "$T/b1.log" build "$S" -o "$T/out" --no-cache
expect_rc "a build with images" 0 "$RC" "$T/b1.log"
EN="$T/out/guide/steps/index.html"
CS=$(grep -l 'Velká obrazovka' $(find "$T/out/cs" -name index.html) | head -n 1)
img() { grep -o "<img [^>]*alt=\"$2\"[^>]*>" "$1" | head -n 1; }
I1=$(img "$EN" "Small first"); I2=$(img "$EN" "The big screen"); I3=$(img "$EN" "Vector")
case $I1 in *'width="300" height="200"'*) ok "the small PNG has its width and height" ;; *) not_ok "the small PNG has its width and height: $I1" ;; esac
case $I1 in *loading=*) not_ok "the page's first image loads at once: $I1" ;; *) ok "the page's first image loads at once" ;; esac
case $I2 in *'width="1300" height="700"'*'loading="lazy" decoding="async"'*) ok "the big PNG: width, height, lazy and async" ;;
  *) not_ok "the big PNG: width, height, lazy and async: $I2" ;; esac
case $I3 in *'width="120" height="40"'*) ok "the SVG has the viewBox's size" ;; *) not_ok "the SVG has the viewBox's size: $I3" ;; esac
case $I3 in *srcset*) not_ok "no variants of a vector image" ;; *) ok "no variants of a vector image" ;; esac
HASH=$(echo "$I2" | sed -n 's/.*assets\/img\/\([0-9a-f]*\)-480\.webp.*/\1/p')
case $I2 in *"srcset=\"../../assets/img/$HASH-480.webp 480w, ../../assets/img/$HASH-800.webp 800w, ../../assets/img/$HASH-1200.webp 1200w\" sizes="*)
  ok "the big PNG has a srcset of 480, 800 and 1200 px WebP variants" ;;
  *) not_ok "the big PNG has a srcset of 480, 800 and 1200 px WebP variants: $I2" ;; esac
ok_files=true
for w in 480 800 1200; do
  f="$T/out/assets/img/$HASH-$w.webp"
  [ -n "$HASH" ] && [ -f "$f" ] && [ "$(head -c 4 "$f")" = RIFF ] && [ "$(dd if="$f" bs=1 skip=8 count=4 2>/dev/null)" = WEBP ] || ok_files=false
done
if $ok_files; then ok "the variants are WebP files in assets/img/"; else not_ok "the variants are WebP files in assets/img/"; fi
CI=$(img "$CS" "Velká obrazovka")
case $CI in *"$HASH-800.webp 800w"*loading=*) not_ok "the Czech page: the same variants, eager as its first image: $CI" ;;
  *"$HASH-800.webp 800w"*) ok "the Czech page: the same variants (one content hash), eager as its first image" ;;
  *) not_ok "the Czech page: the same variants: $CI" ;; esac
case $CI in *'srcset="../../../assets/img/'*) ok "variant URLs are relative to the Czech page" ;; *) not_ok "variant URLs are relative to the Czech page: $CI" ;; esac
n1=$(ls "$T/image-cache" | wc -l)
if [ "$n1" = 3 ]; then ok "three variants in the image cache"; else not_ok "three variants in the image cache ($n1)"; fi

# again into a new folder, without the build cache: every variant from the image cache
touch -d '2001-01-01' "$T/image-cache"/*.webp
hg "$T/b2.log" build "$S" -o "$T/out2" --no-cache
expect_rc "a second build" 0 "$RC" "$T/b2.log"
if [ -z "$(find "$T/image-cache" -newer "$S/helpgen.yaml" -name '*.webp')" ] && cmp -s "$T/out/assets/img/$HASH-800.webp" "$T/out2/assets/img/$HASH-800.webp"; then
  ok "a --no-cache rebuild makes no variant again (all from the image cache)"
else not_ok "a --no-cache rebuild makes no variant again"; fi

# an edited screenshot: new names
png "$S/content/en/guide/big.png" 1300 700 9
hg "$T/b3.log" build "$S" -o "$T/out" --no-cache
I2b=$(img "$EN" "The big screen")
case $I2b in *"$HASH-"*) not_ok "an edited screenshot gets new variant names" ;;
  *"-800.webp 800w"*) ok "an edited screenshot gets new variant names" ;;
  *) not_ok "an edited screenshot gets new variant names: $I2b" ;; esac

summary
