#!/bin/sh
# run-all.sh: record Chromium, Firefox and WebKitGTK one after the other,
# then, when $CORSIM names a corsim binary, compare the recordings with its
# predictions.
#
#   tests/interop/run-all.sh [DIR]
#   CORSIM=tools/corsim tests/interop/run-all.sh
#
# The recordings go to DIR/<engine>.jsonl (default: tests/interop/recorded).
# With CORSIM set, the comparison is
#   python3 compare.py --corsim $CORSIM --cases cases.jsonl --recorded DIR
#                      --known KNOWN.md --report REPORT.md
# run in tests/interop, so it writes tests/interop/REPORT.md.
# Needs root, like the run-<engine>.sh scripts; INTEROP_TIME_LIMIT is passed
# on to each.  An engine that is not installed (status 77) is skipped and
# its recording, if any, is left as it is.
# Exit status: 0 every installed engine recorded (and, with CORSIM, compare
# found no difference that KNOWN.md does not list); otherwise the status of
# the first engine run that failed (1, or 2 for its time limit), else
# compare.py's (1 or 2); 77 when no engine is installed and CORSIM is unset.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:-$HERE/recorded}
case $DIR in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
CORSIM=${CORSIM:-}
if [ -n "$CORSIM" ]; then
  case $CORSIM in
    /*) ;;
    */*) CORSIM=$(pwd)/$CORSIM ;;
    *) CORSIM=$(command -v "$CORSIM" || echo "$CORSIM") ;;
  esac
  if [ ! -x "$CORSIM" ]; then
    echo "run-all.sh: CORSIM=$CORSIM is not an executable" >&2
    exit 2
  fi
fi
mkdir -p "$DIR"

failed=0 recorded=0 summary=""
for engine in chromium firefox webkitgtk; do
  rc=0
  sh "$HERE/run-$engine.sh" "$DIR/$engine.jsonl" || rc=$?
  case $rc in
    0) recorded=$((recorded + 1)); what="recorded" ;;
    77) what="skipped (not installed)" ;;
    *) what="FAILED (status $rc)"; [ "$failed" -ne 0 ] || failed=$rc ;;
  esac
  summary="$summary  $engine: $what
"
done
printf 'run-all.sh:\n%s' "$summary" >&2

if [ -n "$CORSIM" ]; then
  crc=0
  (cd "$HERE" && python3 compare.py --corsim "$CORSIM" --cases cases.jsonl \
     --recorded "$DIR" --known KNOWN.md --report REPORT.md) || crc=$?
  echo "run-all.sh: compare.py status $crc (report: $HERE/REPORT.md)" >&2
  [ "$failed" -ne 0 ] && exit "$failed"
  exit "$crc"
fi
[ "$failed" -ne 0 ] && exit "$failed"
[ "$recorded" -eq 0 ] && exit 77
exit 0
