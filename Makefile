# helpgen - static help-center generator. See README.md.
#   make            install missing Debian packages (as root), build ./helpgen and the default site
#   make test       the whole test suite (what .ci/run calls)

PREFIX ?= /usr/local
CC  ?= cc
CXX ?= c++
PKGS := libcmark-gfm yaml-0.1 lua5.4 libctemplate icu-uc icu-i18n libxxhash jansson zlib libmicrohttpd \
        gumbo vips libbrotlienc libbrotlidec
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
OPT ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lstemmer
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -DHG_HAVE_MHD $(OPT) $(WARN) -Iinclude $(PKG_CFLAGS) $(CFLAGS) -DHG_PREFIX='"$(PREFIX)"'
CXXFLAGS_ALL = -std=c++11 $(OPT) -Wall -Wextra -Werror -Wno-unused-parameter -Iinclude $(PKG_CFLAGS) $(CXXFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm

BUILD ?= build
SRC_C := $(sort $(wildcard src/*.c))
SRC_CXX := $(sort $(wildcard src/*.cc))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/%.o,$(filter-out src/main.c,$(SRC_C))) $(patsubst src/%.cc,$(BUILD)/%.o,$(SRC_CXX))
# the built-in themes, compiled in by tools/embed-theme.c (build/theme_embed.c is generated, never committed)
THEME_FILES := $(shell find themes -type f ! -name '.*' | LC_ALL=C sort)
LIB_OBJ += $(BUILD)/theme_embed.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all deps site test unit e2e asan leakcheck bench bench-search fuzz install clean browser node-test mutate
# deps first, then the build: with make -j the two must not run side by side
all:
	@sh .ci/deps.sh
	@$(MAKE) --no-print-directory helpgen site

deps:
	@sh .ci/deps.sh

helpgen: $(LIB_OBJ) $(BUILD)/main.o
	$(CXX) -o $@ $^ $(LIBS)

$(BUILD)/%.o: src/%.c $(wildcard include/*.h) | $(BUILD)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/%.o: src/%.cc $(wildcard include/*.h) | $(BUILD)
	$(CXX) $(CXXFLAGS_ALL) -c -o $@ $<

$(BUILD):
	mkdir -p $(BUILD)/tests

$(BUILD)/embed-theme: tools/embed-theme.c | $(BUILD)
	$(CC) -std=c11 -O1 $(WARN) -o $@ $<

$(BUILD)/theme_embed.c: $(BUILD)/embed-theme $(THEME_FILES)
	$(BUILD)/embed-theme themes $(THEME_FILES) >$@.tmp && mv $@.tmp $@

$(BUILD)/theme_embed.o: $(BUILD)/theme_embed.c include/hg_theme.h
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(LIB_OBJ) | $(BUILD)
	$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags cmocka) -c -o $@.o $<
	$(CXX) -o $@ $@.o $(LIB_OBJ) $(LIBS) $(shell pkg-config --libs cmocka)

site: helpgen
	./helpgen build . -o public

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

e2e: helpgen
	sh tests/e2e/run.sh
	sh tests/e2e/hooks.sh
	sh tests/e2e/languages.sh
	sh tests/e2e/flows.sh
	sh tests/e2e/dialects.sh
	sh tests/e2e/cli.sh
	sh tests/e2e/incremental.sh
	sh tests/e2e/partial.sh
	sh tests/e2e/serve.sh
	sh tests/e2e/safety.sh
	sh tests/e2e/import.sh
	sh tests/e2e/binary.sh
	sh tests/e2e/init.sh
	sh tests/e2e/hosting.sh
	sh tests/e2e/images.sh
	sh tests/e2e/walk.sh
	sh tests/e2e/import-trees.sh

test:
	@HG_EXTRA_PKGS="chromium libxml2-utils nginx-light libnginx-mod-http-brotli-static curl" sh .ci/deps.sh
	$(MAKE) helpgen
	@# npm ci before e2e: its serve-in-chromium test needs playwright-core; no check may skip
	sh tests/run-extra.sh --deps
	$(MAKE) unit
	HG_NO_SKIPS=1 $(MAKE) e2e
	$(MAKE) asan
	HG_NO_SKIPS=1 sh tests/run-extra.sh

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS_EXTRA= CC="$(CC) -fsanitize=address,undefined" CXX="$(CXX) -fsanitize=address,undefined" unit

leakcheck: $(UNIT_BIN) helpgen
	@set -e; for t in $(UNIT_BIN); do valgrind -q --leak-check=full --error-exitcode=9 $$t >/dev/null; done
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=9 ./helpgen build examples/store -o $(BUILD)/leak-site --quiet --no-cache
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=9 ./helpgen build examples/hooks -o $(BUILD)/leak-hooks --quiet --no-cache
	@# the build cache: a recorded build, then the no-change path (on a copy: no cache in the sources)
	rm -rf $(BUILD)/leak-src && cp -R examples/store $(BUILD)/leak-src
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=9 ./helpgen build $(BUILD)/leak-src -o $(BUILD)/leak-cached --quiet
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=9 ./helpgen build $(BUILD)/leak-src -o $(BUILD)/leak-cached
	@# incremental builds: a full one that fills the build folder beside OUT, then two body edits (the
	@# second reads a batch); all under valgrind, which is part of what a build's cache record compares
	echo '# leakcheck' >>$(BUILD)/leak-src/helpgen.yaml
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=9 ./helpgen build $(BUILD)/leak-src -o $(BUILD)/leak-cached --quiet
	printf '\nEdited for leakcheck.\n\n## A new heading\n' >>$(BUILD)/leak-src/content/en/orders/tracking/track-order.md
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=9 ./helpgen build $(BUILD)/leak-src -o $(BUILD)/leak-cached >$(BUILD)/leak-inc.log 2>&1 || { cat $(BUILD)/leak-inc.log; exit 1; }
	printf '\nAnd again.\n' >>$(BUILD)/leak-src/content/cs/$$(cd $(BUILD)/leak-src/content/cs && find . -name '*.md' ! -name _index.md | sort | head -n 1)
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=9 ./helpgen build $(BUILD)/leak-src -o $(BUILD)/leak-cached >>$(BUILD)/leak-inc.log 2>&1 || { cat $(BUILD)/leak-inc.log; exit 1; }
	@[ "$$(grep -c 'incremental:' $(BUILD)/leak-inc.log)" = 2 ] || { cat $(BUILD)/leak-inc.log; echo "leakcheck: the edits were not built incrementally"; exit 1; }
	@echo "leakcheck: clean"

bench: helpgen
	sh bench/run.sh

bench-search: helpgen
	@[ -x node_modules/.bin/pagefind ] || npm install --no-save --no-audit --no-fund pagefind@1.6.0
	node bench/search/run.mjs

fuzz:
	sh tests/fuzz/run.sh

# every one-line mutation in tests/mutate/mutations.txt must fail the fast suite
mutate: helpgen
	python3 tests/mutate/run.py

install: helpgen
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/helpgen $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 helpgen $(DESTDIR)$(PREFIX)/bin/helpgen
	cp -R themes $(DESTDIR)$(PREFIX)/share/helpgen/
	[ ! -f docs/helpgen.1 ] || install -m 644 docs/helpgen.1 $(DESTDIR)$(PREFIX)/share/man/man1/helpgen.1

clean:
	rm -rf build build-asan build-fuzz helpgen public
