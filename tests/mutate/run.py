#!/usr/bin/env python3
"""make mutate: each one-line mutation of src/ in tests/mutate/mutations.txt is
applied to a temporary copy of the tree, helpgen and the unit tests are rebuilt
there, and the fast suite runs; a mutation that the suite does not catch (every
step passes) is a survivor, and any survivor fails the run.

The fast suite, cheapest first, stopping at the first failure:
  safety   sh tests/e2e/safety.sh         (nginx -t on the map, the OUT swap)
  serve    HG_SERVE_QUICK=1 sh tests/e2e/serve.sh  (no SITE, %00 and traversal in paths)
  xss      node --test tests/browser/xss.test.mjs  (the payload matrix in chromium)
  unit     make unit                        (cmocka + tests/cases)
The unmutated copy must pass it first (else every mutation would look caught).

  python3 tests/mutate/run.py [--only SUBSTRING] [--keep] [--list]
Standard library only. Prints one line per mutation ("killed by STEP" or
"SURVIVED") and a summary; exit 0 when every mutation was killed."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
LIST = os.path.join(ROOT, 'tests', 'mutate', 'mutations.txt')
SKIP_DIRS = {'.git', 'node_modules', 'public', 'build-asan', 'build-fuzz', 'tests/out'}

SUITE = [  # (name, command, extra environment)
    ('safety', ['sh', 'tests/e2e/safety.sh'], {}),
    ('serve', ['sh', 'tests/e2e/serve.sh'], {'HG_SERVE_QUICK': '1'}),
    ('xss', ['node', '--test', 'tests/browser/xss.test.mjs'], {}),
    ('unit', ['make', '-s', 'unit'], {}),
]


def load():
    muts = []
    with open(LIST, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            parts = line.split('\t')
            if len(parts) != 4:
                sys.exit('%s:%d:1: error: want FILE[@N] TAB OLD TAB NEW TAB WHAT, got %d fields' % (LIST, n, len(parts)))
            where, old, new, what = parts
            nth = 0
            if '@' in where:
                where, k = where.rsplit('@', 1)
                nth = int(k)
            muts.append({'line': n, 'file': where, 'nth': nth, 'old': old, 'new': new, 'what': what})
    return muts


def apply(text, m):
    """The text with the mutation applied, or an error message."""
    count = text.count(m['old'])
    if m['nth'] == 0:
        if count != 1:
            return None, 'the text occurs %d times in %s (want exactly once; add @N)' % (count, m['file'])
        return text.replace(m['old'], m['new'], 1), None
    if count < m['nth']:
        return None, 'occurrence %d wanted, %s has %d' % (m['nth'], m['file'], count)
    at = -1
    for _ in range(m['nth']):
        at = text.index(m['old'], at + 1)
    return text[:at] + m['new'] + text[at + len(m['old']):], None


def copy_tree(dst):
    def ignore(d, names):
        rel = os.path.relpath(d, ROOT)
        return [n for n in names if (n if rel == '.' else os.path.join(rel, n)) in SKIP_DIRS]
    shutil.copytree(ROOT, dst, symlinks=True, ignore=ignore)  # copy2: mtimes kept, build/ reused
    nm = os.path.join(ROOT, 'node_modules')
    if os.path.isdir(nm):
        os.symlink(nm, os.path.join(dst, 'node_modules'))


def run(cmd, cwd, log, extra=None):
    env = dict(os.environ, HELPGEN=os.path.join(cwd, 'helpgen'), **(extra or {}))
    with open(log, 'w') as f:
        return subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT, env=env).returncode


def build(tree, log):
    jobs = os.environ.get('MUTATE_JOBS', '2')
    return run(['make', '-s', '-j' + jobs, 'helpgen'], tree, log)  # make unit builds its own


def suite(tree, logdir, tag):
    """The first step that fails, or None."""
    for name, cmd, extra in SUITE:
        if run(cmd, tree, os.path.join(logdir, '%s-%s.log' % (tag, name)), extra) != 0:
            return name
    return None


def tail(path, n=15):
    try:
        with open(path, errors='replace') as f:
            return ''.join('#   ' + l for l in f.readlines()[-n:])
    except OSError:
        return ''


def main():
    args = sys.argv[1:]
    only = args[args.index('--only') + 1] if '--only' in args else None
    muts = [m for m in load() if not only or only in m['what'] or only in m['file']]
    if '--list' in args:
        for m in muts:
            print('%s: %s' % (m['file'], m['what']))
        return 0
    tmp = tempfile.mkdtemp(prefix='helpgen-mutate-')
    tree = os.path.join(tmp, 'tree')
    logs = os.path.join(tmp, 'logs')
    os.makedirs(logs)
    t0 = time.time()
    print('mutate: copying the tree to %s' % tree, flush=True)
    copy_tree(tree)
    code = 0
    try:
        if build(tree, os.path.join(logs, 'base-build.log')) != 0:
            print('mutate: the unmutated tree does not build\n' + tail(os.path.join(logs, 'base-build.log')))
            return 1
        failed = suite(tree, logs, 'base')
        if failed:
            print('mutate: the unmutated tree fails the fast suite (%s): fix that first\n' % failed +
                  tail(os.path.join(logs, 'base-%s.log' % failed)))
            return 1
        print('mutate: the unmutated tree passes the fast suite (%.0f s)' % (time.time() - t0), flush=True)
        killed = survived = broken = 0
        for i, m in enumerate(muts, 1):
            path = os.path.join(tree, m['file'])
            with open(path, encoding='utf-8') as f:
                orig = f.read()
            text, err = apply(orig, m)
            if err:
                print('not ok %d - %s:%d: %s: %s' % (i, LIST, m['line'], m['what'], err))
                broken += 1
                continue
            t1 = time.time()
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
            try:
                blog = os.path.join(logs, 'm%d-build.log' % i)
                if build(tree, blog) != 0:
                    # a mutation must compile to mean anything
                    print('not ok %d - %s: does not compile (fix the list)\n%s' % (i, m['what'], tail(blog)))
                    broken += 1
                    continue
                step = suite(tree, logs, 'm%d' % i)
                if step:
                    killed += 1
                    print('ok %d - killed by %s (%.0f s): %s' % (i, step, time.time() - t1, m['what']), flush=True)
                else:
                    survived += 1
                    print('not ok %d - SURVIVED (%.0f s): %s  [%s: %s -> %s]' % (
                        i, time.time() - t1, m['what'], m['file'], m['old'].strip(), m['new'].strip()), flush=True)
            finally:
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(orig)
        print('mutate: %d mutations: %d killed, %d survived, %d broken (%.0f s)' % (
            len(muts), killed, survived, broken, time.time() - t0))
        code = 0 if survived == 0 and broken == 0 else 1
    finally:
        if '--keep' in args or os.environ.get('HG_E2E_KEEP') == '1':
            print('# kept %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return code


if __name__ == '__main__':
    sys.exit(main())
