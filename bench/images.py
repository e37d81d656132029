#!/usr/bin/env python3
"""make bench: the images pipeline on N screenshots (default 1000, or
$HG_BENCH_IMAGES): PNGs 1440x900 written here (flat panels, text-like
stripes, as screenshots are), ten per article. Prints the image stage of

  1. a first build (every variant made with libvips into a new image cache),
  2. a --no-cache rebuild into a new output folder (every variant copied from
     the image cache; the issue's target: <= 5 % of the first),

from HELPGEN_TIMING's stage lines, with the ratio."""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HG = os.environ.get("HELPGEN", os.path.join(ROOT, "helpgen"))
N = int(os.environ.get("HG_BENCH_IMAGES", "1000"))
W, H = 1440, 900


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def screenshot(i):
    """A PNG (RGB) that looks like a UI: a header bar, a sidebar, text lines."""
    rows = []
    bar = bytes([30 + i % 50, 80, 160]) * W
    for y in range(H):
        if y < 60:
            line = bar
        else:
            side = bytes([240, 240, 245]) * 280
            if (y // 18) % 3 and (y % 18) < 9:
                n = (W - 320) * ((y * 7 + i) % 60 + 40) // 100
                text = bytes([40, 40, 40]) * n + bytes([255, 255, 255]) * (W - 280 - n)
            else:
                text = bytes([255, 255, 255]) * (W - 280)
            line = side + text
        rows.append(b"\0" + line)
    raw = b"".join(rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def stage(log, name):
    m = re.search(r"timing: %s +([0-9.]+) s" % name, log)
    return float(m.group(1)) if m else None


def build(site, out, *extra):
    env = dict(os.environ, HELPGEN_TIMING="1")
    t = time.time()
    p = subprocess.run([HG, "build", site, "-o", out, "--quiet", *extra], env=env,
                       capture_output=True, text=True)
    if p.returncode:
        sys.exit("bench/images.py: build failed:\n" + p.stderr)
    return stage(p.stderr, "images"), time.time() - t


def main():
    tmp = tempfile.mkdtemp(prefix="hg-bench-images-")
    try:
        site = os.path.join(tmp, "site")
        sec = os.path.join(site, "content", "screens")
        os.makedirs(sec)
        with open(os.path.join(site, "helpgen.yaml"), "w") as f:
            f.write("title: Images bench\nlanguage: en\ntheme: default\n")
        with open(os.path.join(sec, "_index.md"), "w") as f:
            f.write("---\ntitle: Screens\n---\n")
        t = time.time()
        for a in range(0, N, 10):
            body = []
            for k in range(a, min(a + 10, N)):
                with open(os.path.join(sec, "s%05d.png" % k), "wb") as f:
                    f.write(screenshot(k))
                body.append("Step %d.\n\n![Screen %d](s%05d.png)\n" % (k, k, k))
            with open(os.path.join(sec, "a%05d.md" % a), "w") as f:
                f.write("---\ntitle: Article %d\ndescription: Screens %d\n---\n%s" % (a, a, "\n".join(body)))
        print("images bench: %d screenshots %dx%d written in %.1f s" % (N, W, H, time.time() - t))
        cache = os.path.join(tmp, "image-cache")
        os.environ["HELPGEN_IMAGE_CACHE"] = cache
        first, first_total = build(site, os.path.join(tmp, "out1"), "--no-cache")
        nvar = len(os.listdir(cache)) if os.path.isdir(cache) else 0
        again, again_total = build(site, os.path.join(tmp, "out2"), "--no-cache")
        print("images bench: first build: image stage %.2f s (%d variants made; build %.1f s)"
              % (first, nvar, first_total))
        print("images bench: --no-cache rebuild, variants from the image cache: image stage %.3f s "
              "(build %.1f s) = %.1f %% of the first (target <= 5 %%)"
              % (again, again_total, 100 * again / first if first else 0))
        if first and again > 0.05 * first:
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
