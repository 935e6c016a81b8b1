#!/bin/sh
# check-live.sh: the live interop suite (`make check-interop`).
#
#   tests/interop/check-live.sh CORSIM [LIVE-DIR]
#
# Runs each engine live (run-<engine>.sh: private network namespace,
# loopback only), writing fresh recordings to LIVE-DIR (default: a
# temporary directory), then fails on
#   1. any difference between a live result and the recording in
#      tests/interop/recorded/ (diff_recordings.py), and
#   2. any difference between a live result and corsim's prediction under
#      the engine's profile that KNOWN.md does not list (compare.py).
# With INTEROP_UPDATE=1 the live recordings replace the stored ones and
# REPORT.md is rewritten (review `git diff` afterwards).
#
# Environment: INTEROP_ENGINES (default "chromium firefox webkitgtk"; every
# engine named must be installed), INTEROP_TIME_LIMIT (seconds per engine,
# default 300), INTEROP_UPDATE.
# Exit status: 0 all agree; 1 a difference or a failed run; 77 skipped
# because this is not root or no private network namespace can be made
# (browsers are never started outside one).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
CORSIM=${1:?usage: check-live.sh CORSIM [LIVE-DIR]}
case $CORSIM in /*) ;; *) CORSIM=$(pwd)/$CORSIM ;; esac
ENGINES=${INTEROP_ENGINES:-chromium firefox webkitgtk}

if [ "$(id -u)" -ne 0 ]; then
  echo "check-live.sh: needs root for unshare --net: skipped" >&2
  exit 77
fi
if ! unshare --net --pid --fork true 2>/dev/null; then
  echo "check-live.sh: cannot create a private network namespace here;" \
    "browsers only run inside one: skipped" >&2
  exit 77
fi
[ -x "$CORSIM" ] || { echo "check-live.sh: $CORSIM is not an executable" >&2; exit 1; }

if [ -n "${2:-}" ]; then
  LIVE=$2
  mkdir -p "$LIVE" || exit 1
  case $LIVE in /*) ;; *) LIVE=$(pwd)/$LIVE ;; esac
else
  LIVE=$(mktemp -d "${TMPDIR:-/tmp}/corsim-live.XXXXXX") || exit 1
  trap 'rm -rf "$LIVE"' EXIT
fi

python3 "$HERE/gen_cases.py" --out "$HERE/cases.jsonl" >/dev/null || exit 1

start=$(date +%s)
status=0 summary=""
for engine in $ENGINES; do
  rc=0
  sh "$HERE/run-$engine.sh" "$LIVE/$engine.jsonl" || rc=$?
  if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 77 ] && what="not installed" || what="run failed (status $rc)"
    summary="$summary$engine: $what
"
    status=1
    continue
  fi
  version=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["version"])' \
    "$LIVE/$engine.jsonl")
  if [ "${INTEROP_UPDATE:-}" = 1 ]; then
    cp "$LIVE/$engine.jsonl" "$HERE/recorded/$engine.jsonl" || exit 1
    rec="re-recorded"
  elif [ ! -f "$HERE/recorded/$engine.jsonl" ]; then
    rec="no stored recording"
    status=1
  elif python3 "$HERE/diff_recordings.py" "$HERE/recorded/$engine.jsonl" \
      "$LIVE/$engine.jsonl"; then
    rec="same as recorded"
  else
    rec="DIFFERS FROM THE RECORDING"
    status=1
  fi
  crc=0
  python3 "$HERE/compare.py" --corsim "$CORSIM" --cases "$HERE/cases.jsonl" \
    --recorded "$LIVE" --engine "$engine" --known "$HERE/KNOWN.md" || crc=$?
  if [ "$crc" -eq 0 ]; then pred="corsim agrees (or KNOWN.md explains)"
  else pred="corsim DISAGREES (compare.py status $crc)"; status=1; fi
  summary="$summary$engine ($version): live run $rec; $pred
"
done

if [ "${INTEROP_UPDATE:-}" = 1 ]; then
  (cd "$HERE" && python3 compare.py --corsim "$CORSIM" --cases cases.jsonl \
     --recorded recorded --known KNOWN.md --report REPORT.md >/dev/null) || true
  echo "check-live.sh: recordings and REPORT.md updated; review git diff" >&2
fi

printf '\ncheck-live.sh: %s seconds\n%s' "$(( $(date +%s) - start ))" "$summary"
[ "$status" -eq 0 ] && echo "check-live.sh: PASS" || echo "check-live.sh: FAIL"
exit "$status"
