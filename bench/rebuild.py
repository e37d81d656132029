#!/usr/bin/env python3
"""make bench, part 2: rebuilds of the 10,000-article corpus (bench/run.py
makes it) into one output folder with the build cache (SITE/.helpgen-cache):

  clean      helpgen build --no-cache (the baseline, measured in this run)
  no change  helpgen build with nothing changed since the last build
  one edit   helpgen build after one article's body changed (an incremental
             build: only what depends on that body is made again)

Prints the median wall time of each (RUNS runs, interleaved) and the ratios
to the clean build. Targets (issue #6): no change <= 0.15 s, one edit <= 0.3 s.
The edited article is restored at the end."""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import N, ROOT, RUNS, WORK, timed  # noqa: E402


def main():
    site = os.path.join(WORK, f"corpus-{N}")
    if not os.path.isdir(os.path.join(site, "content")):
        sys.exit("bench: run bench/run.py first (it makes the corpus)")
    arts = []
    for d, _, names in os.walk(os.path.join(site, "content")):
        arts += [os.path.join(d, n) for n in names if n.endswith(".md") and n != "_index.md"]
    arts.sort()
    victim = arts[len(arts) // 2]
    with open(victim, "rb") as f:
        original = f.read()
    helpgen = os.path.join(ROOT, "helpgen")
    out = os.path.join(WORK, "site-rebuild")
    build = [helpgen, "build", site, "-o", out, "--quiet"]
    build_loud = build[:-1]  # its summary says whether it was incremental
    # the clean builds go elsewhere: --no-cache does not record its build,
    # so building into `out` would make the next build a full one
    clean_build = [helpgen, "build", site, "-o", out + "-clean", "--quiet", "--no-cache"]
    clean, same, edit = [], [], []
    incremental = 0
    try:
        timed(clean_build)  # warm-up
        timed(build)  # the record of a good build
        # an incremental build also needs the build folder beside OUT to
        # hold the site before (the first build into a new OUT leaves none):
        # one edited build fills it
        with open(victim, "wb") as f:
            f.write(original + b"\nPriming edit.\n")
        timed(build)
        for r in range(RUNS):
            clean.append(timed(clean_build)[0])
            same.append(timed(build)[0])
            with open(victim, "wb") as f:
                f.write(original + f"\nEdited for rebuild run {r}.\n".encode())
            dt, _, err = timed(build_loud)
            edit.append(dt)
            incremental += "incremental:" in err
    finally:
        with open(victim, "wb") as f:
            f.write(original)
    timed(build)
    c, s, e = (statistics.median(x) for x in (clean, same, edit))
    fmt = lambda xs: " ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    print(f"clean build     : median {c:.3f} s  (runs: {fmt(clean)})")
    print(f"no-change build : median {s:.3f} s  ({s / c:.3f}x clean; target <= 0.15 s; runs: {fmt(same)})")
    print(f"one-edit build  : median {e:.3f} s  ({e / c:.2f}x clean; target <= 0.3 s; runs: {fmt(edit)}; "
          f"{incremental} of {len(edit)} incremental)")


if __name__ == "__main__":
    main()
