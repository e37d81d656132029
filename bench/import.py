#!/usr/bin/env python3
"""make bench: `helpgen import zendesk` of a generated 10,000-article export
(bench/gen_zendesk.py), against the floor of the cmark-gfm command over the
Markdown the import wrote (Markdown parsing alone), in the same run.

Prints the median wall time of each (RUNS runs after one warm-up,
interleaved), the ratio, the import's peak resident memory (targets: 2 s,
200 MB) and the build of the imported site."""
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


def timed(cmd):
    t = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    dt = time.monotonic() - t
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(cmd[:3])} failed:\n{err}")
    timed.cpu = ru.ru_utime + ru.ru_stime
    return dt, ru.ru_maxrss / 1024.0


def main():
    export = os.path.join(WORK, f"zendesk-{N}")
    if not os.path.exists(os.path.join(export, "articles.json")):
        print(f"bench: generating a Zendesk export of {N} articles into {export} ...", flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_zendesk.py"), export,
                        str(N)], check=True)
    size = sum(os.path.getsize(os.path.join(export, f)) for f in os.listdir(export)
               if f.endswith(".json"))
    site = os.path.join(WORK, "imported")
    helpgen = os.path.join(ROOT, "helpgen")

    def run_import():
        shutil.rmtree(site, ignore_errors=True)
        return timed([helpgen, "import", "zendesk", export, "-o", site])

    run_import()  # warm-up, and the Markdown for the floor
    files = []
    for d, _, names in os.walk(os.path.join(site, "content")):
        files += [os.path.join(d, n) for n in names if n.endswith(".md") and n != "_index.md"]
    files.sort()
    cmark = ["cmark-gfm", "-e", "table", "-e", "strikethrough", "-e", "autolink"] + files
    timed(cmark)
    print(f"export: {N} articles, {size / 1e6:.1f} MB of JSON; {RUNS} runs each after a warm-up; "
          f"{os.cpu_count()} cores", flush=True)
    ours, mem, floor, cpu, fcpu = [], [], [], [], []
    for _ in range(RUNS):
        dt, rss = run_import()
        ours.append(dt)
        mem.append(rss)
        cpu.append(timed.cpu)
        floor.append(timed(cmark)[0])
        fcpu.append(timed.cpu)
    f, h = statistics.median(floor), statistics.median(ours)
    print(f"cmark-gfm floor : median {f:.3f} s over the {len(files)} imported Markdown files "
          f"(runs: {' '.join(f'{x:.2f}' for x in floor)})")
    print(f"helpgen import  : median {h:.3f} s (runs: {' '.join(f'{x:.2f}' for x in ours)}; "
          f"target <= 2 s), {h / f:.2f}x the floor")
    print(f"CPU time        : import median {statistics.median(cpu):.2f} s (user + system), "
          f"cmark-gfm {statistics.median(fcpu):.2f} s, {statistics.median(cpu) / statistics.median(fcpu):.2f}x "
          f"(wall time on a loaded machine is mostly waiting: load average {os.getloadavg()[0]:.1f})")
    print(f"peak memory     : {max(mem):.0f} MB (median {statistics.median(mem):.0f} MB; target <= 200 MB)")
    dt, rss = timed([helpgen, "build", site, "-o", os.path.join(WORK, "imported-site"), "--quiet",
                     "--no-cache"])
    print(f"imported site   : builds (0 errors) in {dt:.2f} s, peak {rss:.0f} MB")


if __name__ == "__main__":
    main()
