# lib.sh - helpers shared by the end-to-end scripts (sourced, not run).
# The caller sets T (its temporary folder) and HG (the helpgen binary), and
# prints its summary with `summary` at the end.
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); echo "ok $((PASS + FAIL)) - $1"; }
# not_ok DESC [LOG]: a failure; the first lines of LOG are shown.
not_ok() {
  FAIL=$((FAIL + 1)); echo "not ok $((PASS + FAIL)) - $1"
  [ $# -gt 1 ] && [ -f "$2" ] && head -n 30 "$2" | sed 's/^/#   /'
  return 0
}
skip() { echo "# skip - $1"; }
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
# hg LOG ARGS...: runs helpgen with its output in LOG and the exit code in RC.
hg() { log=$1; shift; "$HG" "$@" >"$log" 2>&1; RC=$?; }
# summary: the closing "N passed, M failed" line; the exit status to use.
summary() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}
