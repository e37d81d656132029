#!/usr/bin/env python3
"""make bench: helpgen build on the 10,000-article corpus against the floor of
running the cmark-gfm command over the same Markdown files, in the same run,
and the same build with typical Lua hooks (bench/hooks/typical.lua: an
on_article and an on_html hook) against the build without them.

Prints the median wall time of each (RUNS runs after one warm-up, all
interleaved so they see the same machine load), the ratios, helpgen's peak
resident memory, and helpgen's own stage times."""
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(os.environ.get("BENCH_ARTICLES", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
WORK = os.environ.get("BENCH_DIR", os.path.join(ROOT, "bench", "out"))


def timed(cmd, stdout=subprocess.DEVNULL, env=None):
    t = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(proc.pid, 0)
    dt = time.monotonic() - t
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[:3])} failed ({proc.returncode}):\n{err}")
    timed.cpu = ru.ru_utime + ru.ru_stime  # of the last run, for the hooks ratio
    return dt, ru.ru_maxrss / 1024.0, err


def hooks_site(site):
    """The corpus with bench/hooks/typical.lua: the same helpgen.yaml, content/
    as a symbolic link (so the Markdown read is the same files)."""
    hs = site + "-hooks"
    os.makedirs(os.path.join(hs, "hooks"), exist_ok=True)
    shutil.copy(os.path.join(site, "helpgen.yaml"), hs)
    shutil.copy(os.path.join(ROOT, "bench", "hooks", "typical.lua"), os.path.join(hs, "hooks"))
    link = os.path.join(hs, "content")
    if not os.path.islink(link):
        os.symlink(os.path.relpath(os.path.join(site, "content"), hs), link)
    return hs


def main():
    site = os.path.join(WORK, f"corpus-{N}")
    if not os.path.isdir(os.path.join(site, "content")):
        print(f"bench: generating {N} articles into {site} ...", flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_corpus.py"), site, str(N)],
                       check=True)
    files = []
    for d, _, names in os.walk(os.path.join(site, "content")):
        files += [os.path.join(d, n) for n in names if n.endswith(".md") and n != "_index.md"]
    files.sort()
    size = sum(os.path.getsize(f) for f in files)
    helpgen = os.path.join(ROOT, "helpgen")
    out = os.path.join(WORK, "site")
    cmark = ["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "autolink",
             "-e", "tasklist"] + files
    build = [helpgen, "build", site, "-o", out, "--quiet", "--no-cache"]
    hooked = [helpgen, "build", hooks_site(site), "-o", out + "-hooks", "--quiet", "--no-cache"]
    env = dict(os.environ, HELPGEN_TIMING="1")
    print(f"corpus: {len(files)} articles, {size / 1e6:.1f} MB; {RUNS} runs each after a warm-up; "
          f"{os.cpu_count()} cores", flush=True)
    timed(cmark)
    timed(build, env=env)
    timed(hooked)
    floor, ours, mem, stages, withh, hmem, pairs = [], [], [], {}, [], [], []
    for _ in range(RUNS):  # interleaved, so all see the same machine load
        floor.append(timed(cmark)[0])
        dt, rss, err = timed(build, env=env)
        cpu = timed.cpu
        ours.append(dt)
        mem.append(rss)
        for line in err.splitlines():
            if line.startswith("timing:"):
                _, name, secs = line.split()[:3]
                stages.setdefault(name, []).append(float(secs))
        dt, rss, _ = timed(hooked)
        withh.append(dt)
        hmem.append(rss)
        pairs.append((dt / ours[-1], timed.cpu / cpu))
    f, h = statistics.median(floor), statistics.median(ours)
    print(f"cmark-gfm floor : median {f:.3f} s  (runs: {' '.join(f'{x:.2f}' for x in floor)})")
    print(f"helpgen build   : median {h:.3f} s  (runs: {' '.join(f'{x:.2f}' for x in ours)})")
    print(f"ratio           : {h / f:.2f}x the cmark-gfm floor (target <= 1.5x)")
    print(f"peak memory     : {max(mem):.0f} MB (median {statistics.median(mem):.0f} MB; target <= 150 MB)")
    k = statistics.median(withh)
    print(f"with hooks      : median {k:.3f} s  (runs: {' '.join(f'{x:.2f}' for x in withh)}; "
          f"on_article + on_html, bench/hooks/typical.lua)")
    print(f"hooks ratio     : {k / h:.2f}x the same build without hooks (target <= 1.2x); "
          f"run by run: median {statistics.median(p[0] for p in pairs):.2f}x wall, "
          f"{statistics.median(p[1] for p in pairs):.2f}x CPU time; peak memory {max(hmem):.0f} MB")
    total = sum(statistics.median(v) for v in stages.values())
    print("helpgen stages  : " + ", ".join(
        f"{k} {statistics.median(v):.3f} s ({100 * statistics.median(v) / total:.0f}%)"
        for k, v in stages.items()))


if __name__ == "__main__":
    main()
