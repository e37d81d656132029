#!/bin/sh
# make fuzz: builds tests/fuzz/fuzz_content.c (and fuzz_shortcodes.c, fuzz_state.c, fuzz_walk.c, fuzz_media.c, fuzz_html2md.c) as libFuzzer targets with
# clang (-fsanitize=fuzzer,address,undefined) against the helpgen sources
# (src/*.c except main.c) into build-fuzz/, and runs it for
# FUZZ_SECONDS (default 60) over a seed corpus made from examples/store,
# tests/cases and a few hand-made front matter quirks.
#   FUZZ_SECONDS=300 make fuzz      run longer
#   FUZZ_JOBS=2 make fuzz           run 2 fuzzing processes
# New interesting inputs are kept in build-fuzz/corpus/ (reused next run);
# a crash is saved as build-fuzz/crash-* and the script exits non-zero.
# Reproduce one: build-fuzz/fuzz_content build-fuzz/crash-<hash>
set -eu
cd "$(dirname "$0")/../.."
B=build-fuzz
SECONDS_=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
PKGS="libcmark-gfm yaml-0.1 lua5.4 libctemplate icu-uc icu-i18n libxxhash jansson zlib vips libbrotlienc libbrotlidec gumbo"
CC=${FUZZ_CC:-clang}
CXX=${FUZZ_CXX:-clang++}

# clang and its libFuzzer runtime
if ! command -v "$CC" >/dev/null 2>&1 || ! command -v "$CXX" >/dev/null 2>&1 ||
   ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "fuzz: installing clang and libclang-rt-14-dev"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang libclang-rt-14-dev >/dev/null
  else
    echo "fuzz: clang with libFuzzer is missing. Run:" >&2
    echo "  sudo apt-get install -y clang libclang-rt-14-dev" >&2
    exit 2
  fi
fi

SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter -Iinclude $(pkg-config --cflags $PKGS)"
CXXFLAGS="-std=c++11 -g -O1 -Wall -Wno-unused-parameter -Iinclude $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lcmark-gfm-extensions -lstemmer -lpthread -lm"

mkdir -p "$B/obj" "$B/corpus"
# Compile each source (instrumented for coverage) when it changed; the objects
# go into an archive so the linker pulls in only what the target uses.
objs=""
for src in src/*.c src/*.cc; do
  [ -f "$src" ] || continue
  [ "$src" = src/main.c ] && continue
  obj="$B/obj/$(basename "$src").o"
  if [ ! -f "$obj" ] || [ -n "$(find "$src" include -newer "$obj" 2>/dev/null | head -n 1)" ]; then
    case $src in
      *.cc) $CXX $CXXFLAGS $SAN -c -o "$obj" "$src" ;;
      *) $CC $CFLAGS $SAN -c -o "$obj" "$src" ;;
    esac
  fi
  objs="$objs $obj"
done
# the built-in themes, compiled in as the Makefile does (tools/embed-theme.c)
$CC -std=c11 -O1 -o "$B/embed-theme" tools/embed-theme.c
"$B/embed-theme" themes $(find themes -type f ! -name '.*' | LC_ALL=C sort) >"$B/theme_embed.c"
$CC $CFLAGS $SAN -c -o "$B/obj/theme_embed.o" "$B/theme_embed.c"
objs="$objs $B/obj/theme_embed.o"
rm -f "$B/libhg.a"
ar rcs "$B/libhg.a" $objs
$CC $CFLAGS $SAN -c -o "$B/fuzz_content.o" tests/fuzz/fuzz_content.c
$CXX $SAN -o "$B/fuzz_content" "$B/fuzz_content.o" "$B/libhg.a" $LIBS
echo "fuzz: built $B/fuzz_content"
$CC $CFLAGS $SAN -c -o "$B/fuzz_shortcodes.o" tests/fuzz/fuzz_shortcodes.c
$CXX $SAN -o "$B/fuzz_shortcodes" "$B/fuzz_shortcodes.o" "$B/libhg.a" $LIBS
echo "fuzz: built $B/fuzz_shortcodes"
$CC $CFLAGS $SAN -c -o "$B/fuzz_state.o" tests/fuzz/fuzz_state.c
$CXX $SAN -o "$B/fuzz_state" "$B/fuzz_state.o" "$B/libhg.a" $LIBS
echo "fuzz: built $B/fuzz_state"
$CC $CFLAGS $SAN -c -o "$B/fuzz_walk.o" tests/fuzz/fuzz_walk.c
$CXX $SAN -o "$B/fuzz_walk" "$B/fuzz_walk.o" "$B/libhg.a" $LIBS
echo "fuzz: built $B/fuzz_walk"
$CC $CFLAGS $SAN -c -o "$B/fuzz_media.o" tests/fuzz/fuzz_media.c
$CXX $SAN -o "$B/fuzz_media" "$B/fuzz_media.o" "$B/libhg.a" $LIBS
echo "fuzz: built $B/fuzz_media"
$CC $CFLAGS $SAN -c -o "$B/fuzz_html2md.o" tests/fuzz/fuzz_html2md.c
$CXX $SAN -o "$B/fuzz_html2md" "$B/fuzz_html2md.o" "$B/libhg.a" $LIBS
echo "fuzz: built $B/fuzz_html2md"

# Seed corpus: real articles, the Markdown case files, and front matter quirks.
SEED="$B/seed"
rm -rf "$SEED"
mkdir -p "$SEED"
i=0
for f in $(find examples/store/content tests/cases -name '*.md' | sort); do
  i=$((i + 1))
  cp "$f" "$SEED/store-$i.md"
done
printf -- '---\r\ntitle: CRLF\r\n---\r\nBody\r\n' >"$SEED/crlf.md"
printf '\357\273\277---\ntitle: BOM\n---\nBody\n' >"$SEED/bom.md"
printf -- '--\ntitle: two dashes\n---\nBody\n' >"$SEED/dashdash.md"
printf -- '---\ntitle: never closed\n' >"$SEED/unclosed.md"
printf -- '---\n- a\n- b\n---\nlist\n' >"$SEED/list.md"
printf -- '---\ntitle: [x\n---\n' >"$SEED/badyaml.md"
printf -- '---\ntitle: &a x\nslug: *a\ntags: {a: 1}\ndate: 2026-02-30\nweight: 99999999999999999999\n---\n# Hi\n' >"$SEED/anchors.md"
printf -- '---\ntype: faq\ntitle: F\n---\n## Q?\n\nA [x](other.md#frag) [m](missing.md) ![i](pic.png)\n\n> [!WARNING]\n> careful\n' >"$SEED/faq.md"
printf 'no front matter {{root_url}}/x <call-out>hi</call-out>\n' >"$SEED/plain.md"
printf -- '---\ntitle: H\n---\n## <b>x</b> y\n\n### a <span>b</span>\n' >"$SEED/heading-html.md"
: >"$SEED/empty.md"

# A dictionary of the syntax both parsers care about.
cat >"$B/content.dict" <<'DICT'
"---"
"--"
"..."
"\x0d\x0a"
"\xef\xbb\xbf"
"title: "
"slug: "
"type: faq"
"tags: ["
"draft: true"
"weight: "
"date: "
"aliases:"
"- "
"&a "
"*a"
"!!str "
"? "
"{"
"}"
"## "
"# "
"> [!NOTE]"
"> [!CAUTION]"
"```"
"|---|"
"- [ ] "
"[^1]"
"[^1]: "
"]("
".md"
".md#"
"![a]("
"<details>"
"<script>"
"{{"
"}}"
"&amp;"
"\\"
DICT

echo "fuzz: running for ${SECONDS_}s ($JOBS job(s)); new inputs in $B/corpus"
set +e
if [ "$JOBS" -gt 1 ]; then
  (cd "$B" && ./fuzz_content -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict=content.dict -artifact_prefix=./ -jobs="$JOBS" -workers="$JOBS" -print_final_stats=1 corpus seed)
else
  "$B/fuzz_content" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict="$B/content.dict" -artifact_prefix="$B/" -print_final_stats=1 "$B/corpus" "$SEED"
fi
rc=$?
set -e
if [ "$rc" != 0 ]; then
  echo "fuzz: FAILED (exit $rc); reproduce with: $B/fuzz_content $(ls -t $B/crash-* $B/leak-* $B/timeout-* $B/oom-* 2>/dev/null | head -n 1)" >&2
  exit 1
fi
echo "fuzz: fuzz_content: no crash in ${SECONDS_}s"

# run_target NAME MAX_LEN ARG...: runs $B/NAME for the same time with libFuzzer
# arguments ARG... (corpus folders last: the first collects new inputs);
# exits on a crash.
run_target() {
  name=$1
  maxlen=$2
  shift 2
  set +e
  "$B/$name" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 -max_len="$maxlen" \
    -artifact_prefix="$B/" -print_final_stats=1 "$@"
  rc=$?
  set -e
  if [ "$rc" != 0 ]; then
    echo "fuzz: $name FAILED (exit $rc); reproduce with: $B/$name $(ls -t $B/crash-* $B/leak-* $B/timeout-* $B/oom-* 2>/dev/null | head -n 1)" >&2
    exit 1
  fi
  echo "fuzz: $name: no crash in ${SECONDS_}s"
}

# The shortcode parser and the hooks bridge (Lua).
mkdir -p "$B/corpus-shortcodes"
run_target fuzz_shortcodes 16384 "$B/corpus-shortcodes"

# An incremental build's state (the build cache), seeded with a real one: a
# cached build of examples/store and an incremental one after an edit.
mkdir -p "$B/corpus-state" "$B/seed-state"
if [ -x ./helpgen ]; then
  rm -rf "$B/state-site" "$B/state-out" "$B/.state-out.helpgen-next"
  cp -R examples/store "$B/state-site"
  HELPGEN_NO_REEXEC=1 ./helpgen build "$B/state-site" -o "$B/state-out" --quiet
  echo '# again' >>"$B/state-site/helpgen.yaml"
  HELPGEN_NO_REEXEC=1 ./helpgen build "$B/state-site" -o "$B/state-out" --quiet
  printf '\nEdited for the fuzz seed.\n' >>"$B/state-site/content/en/orders/tracking/track-order.md"
  HELPGEN_NO_REEXEC=1 ./helpgen build "$B/state-site" -o "$B/state-out" --quiet
  for f in "$B/state-site/.helpgen-cache/"build-*.state; do
    log="${f%.state}.log"
    { tail -c +26 "$f"; if [ -f "$log" ]; then printf '\n--batches--\n'; tail -c +24 "$log"; fi; } \
      >"$B/seed-state/$(basename "$f")"
  done
fi
run_target fuzz_state 1048576 "$B/corpus-state" "$B/seed-state"

# The walker over generated trees with links (loops, links out of the site,
# dangling ones): each input is a tree, made in a folder under /dev/shm.
mkdir -p "$B/corpus-walk"
run_target fuzz_walk 256 "$B/corpus-walk"

# Image headers and the CSS/JS minifiers, seeded with the theme's files and
# the example images (the first byte picks the parser: 0 image, 1 CSS, 2 JS).
mkdir -p "$B/corpus-media" "$B/seed-media"
for f in themes/default/assets/*.css; do { printf '\001'; cat "$f"; } >"$B/seed-media/css-$(basename "$f")"; done
for f in themes/default/assets/*.js; do { printf '\002'; cat "$f"; } >"$B/seed-media/js-$(basename "$f")"; done
for f in $(find examples/store/content -name '*.svg' -o -name '*.png' -o -name '*.jpg' | sort | head -n 8); do
  { printf '\000'; cat "$f"; } >"$B/seed-media/img-$(basename "$f")"
done
run_target fuzz_media 65536 "$B/corpus-media" "$B/seed-media"

# The Zendesk importer's HTML converter (gumbo -> cmark-gfm tree), seeded
# with the article bodies of the hand-written export fixture.
mkdir -p "$B/corpus-html2md" "$B/seed-html2md"
for f in tests/fixtures/import/zendesk/articles*.json; do
  python3 -c 'import json,sys
for i, a in enumerate(json.load(open(sys.argv[1])).get("articles", [])):
    open("%s/%s-%d.html" % (sys.argv[2], sys.argv[1].split("/")[-1], i), "w").write(a.get("body") or "")' \
    "$f" "$B/seed-html2md"
done
run_target fuzz_html2md 65536 "$B/corpus-html2md" "$B/seed-html2md"
