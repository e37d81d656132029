#!/bin/sh
# make bench: the build benchmark (bench/run.py), then the search benchmark
# when it exists.
set -e
cd "$(dirname "$0")/.."
python3 bench/run.py
