# Times the phases of a run and prints one line per phase at its end (issue 10). Source it,
# wrap each step as
#     phase "release build" bash scripts/build.sh
# and `trap phase_report EXIT` in the script that runs the steps. The first script to
# source it in a run owns the report; scripts it calls (also sourcing it) add their phases
# to the same list (MOVIEC_PHASE_LOG), so .ci/run prints every phase of scripts/test.sh.
if [ -z "${MOVIEC_PHASE_LOG:-}" ]; then
  MOVIEC_PHASE_LOG=$(mktemp /tmp/moviec-phases.XXXXXX)
  export MOVIEC_PHASE_LOG
  moviec_phase_owner=1
fi

phase() {
  local name=$1 start=$SECONDS rc=0
  shift
  "$@" || rc=$?
  local state=ok
  [ "$rc" = 0 ] || state="FAILED (exit $rc)"
  printf '%s\t%d\t%s\n' "$name" $((SECONDS - start)) "$state" >>"$MOVIEC_PHASE_LOG"
  return "$rc"
}

phase_report() {
  [ "${moviec_phase_owner:-0}" = 1 ] && [ -f "$MOVIEC_PHASE_LOG" ] || return 0
  echo "== phase times (wall clock)"
  awk -F'\t' '{ printf "%-14s %6d s  %3d:%02d  %s\n", $1, $2, $2 / 60, $2 % 60, $3; t += $2 }
              END { printf "%-14s %6d s  %3d:%02d\n", "total", t, t / 60, t % 60 }' "$MOVIEC_PHASE_LOG"
  rm -f "$MOVIEC_PHASE_LOG"
}
