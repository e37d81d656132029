#!/bin/sh
# make bench: the build benchmark (bench/run.py: clean builds against the
# cmark-gfm floor), then rebuilds with the build cache (bench/rebuild.py), then
# the images pipeline on 1,000 screenshots (bench/images.py), then helpgen
# import zendesk of a generated export (bench/import.py).
set -e
cd "$(dirname "$0")/.."
python3 bench/run.py
python3 bench/rebuild.py
python3 bench/images.py
python3 bench/import.py
