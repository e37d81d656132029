# lib.sh - helpers shared by the end-to-end scripts (sourced, not run).
# The caller sets T (its temporary folder) and HG (the helpgen binary), and
# prints its summary with `summary` at the end.
PASS=0
FAIL=0
SKIPPED=0
UPDATED=0

# e2e_start NAME: makes the temporary folder T, removed at exit (kept with
# HG_E2E_KEEP=1). A script with more to undo at exit (a server, a mount)
# redefines e2e_on_exit after sourcing this file.
e2e_on_exit() { :; }
e2e_cleanup() {
  e2e_on_exit
  if [ "${HG_E2E_KEEP:-0}" = 1 ]; then echo "# kept $T"; else rm -rf "$T"; fi
}
e2e_start() {
  T=$(mktemp -d "/tmp/helpgen-$1.XXXXXX") || exit 2
  trap e2e_cleanup EXIT
  trap 'exit 130' INT TERM
}

ok() { PASS=$((PASS + 1)); echo "ok $((PASS + FAIL)) - $1"; }
# not_ok DESC [LOG]: a failure; the first lines of LOG are shown.
not_ok() {
  FAIL=$((FAIL + 1)); echo "not ok $((PASS + FAIL)) - $1"
  [ $# -gt 1 ] && [ -f "$2" ] && head -n 30 "$2" | sed 's/^/#   /'
  return 0
}
# skip DESC: a check that could not run here. Under HG_NO_SKIPS=1 (make test
# sets it, and so does CI=true) a skip is a failure, unless DESC starts with
# one of HG_ALLOWED_SKIPS: the reasons a CI machine cannot meet, one a line.
HG_ALLOWED_SKIPS='the first build had finished before the request'
skip() {
  if [ "${HG_NO_SKIPS:-0}" = 1 ] || [ "${CI:-false}" = true ]; then
    allowed=0
    while IFS= read -r why; do
      case $1 in "$why"*) allowed=1 ;; esac
    done <<EOF_ALLOWED
$HG_ALLOWED_SKIPS
EOF_ALLOWED
    if [ $allowed = 0 ]; then not_ok "skipped, which HG_NO_SKIPS=1 does not allow: $1"; return 0; fi
  fi
  SKIPPED=$((SKIPPED + 1)); echo "# skip - $1"
}
# updated DESC: an update run (HG_UPDATE_EXPECTED=1) rewrote an expected file
# instead of comparing with it: said as such, never counted as a pass.
updated() { UPDATED=$((UPDATED + 1)); echo "updated - $1"; }
section() { echo "# --- $1"; }
# check DESC CMD...: passes when CMD exits 0 (its output is shown on failure).
check() {
  desc=$1; shift
  if "$@" >"$T/check.log" 2>&1; then ok "$desc"; else not_ok "$desc" "$T/check.log"; fi
}
# expect_rc DESC WANT GOT LOG
expect_rc() {
  if [ "$3" = "$2" ]; then ok "$1: exit code $2"; else
    { echo "exit code $3, want $2"; cat "$4"; } >"$T/rc.log"; not_ok "$1: exit code $2" "$T/rc.log"; fi
}
# has DESC FILE TEXT / lacks DESC FILE TEXT: FILE holds (does not hold) TEXT (fixed string).
has() { check "$1" grep -qF -- "$3" "$2"; }
# lacks fails when FILE does not exist: a missing file proves nothing.
lacks() {
  if [ ! -f "$2" ]; then echo "no such file: $2" >"$T/lacks.log"; not_ok "$1" "$T/lacks.log"
  elif grep -qF -- "$3" "$2"; then not_ok "$1"; else ok "$1"; fi
}
# hg LOG ARGS...: runs helpgen with its output in LOG and the exit code in RC.
# HG_WRAP, when set, is a command line put before helpgen (e.g. setpriv).
hg() { log=$1; shift; ${HG_WRAP:-} "$HG" "$@" >"$log" 2>&1; RC=$?; }
# summary: the closing "N passed, M failed" line; the exit status to use.
summary() {
  line="$PASS passed, $FAIL failed"
  [ "$SKIPPED" -gt 0 ] && line="$line, $SKIPPED skipped"
  [ "$UPDATED" -gt 0 ] && line="$line, $UPDATED updated (rewritten, not compared)"
  echo "$line"
  [ "$FAIL" -eq 0 ]
}

# same_as_clean DESC: "$OUT" equals a clean build (--no-cache, into a new
# folder) of the site "$S" as it is now.
same_as_clean() {
  rm -rf "$T/clean"
  if ! "$HG" build "$S" -o "$T/clean" --no-cache --quiet >"$T/clean.log" 2>&1; then
    not_ok "$1: the clean build failed" "$T/clean.log"
    return
  fi
  if diff -r "$OUT" "$T/clean" >"$T/diff.log" 2>&1; then ok "$1: byte-identical to a clean build"
  else not_ok "$1: byte-identical to a clean build" "$T/diff.log"; fi
  rm -rf "$T/clean"
}
