#!/bin/sh
# run-chromium.sh: record what headless Chromium's fetch() exposes for every
# case of cases.jsonl, into recorded/chromium.jsonl (or the file given).
#
#   tests/interop/run-chromium.sh [OUT]
#
# Needs root: the server and the browser run inside a private network
# namespace (unshare --net) where only the loopback interface exists and is
# up, so Chromium cannot reach anything but 127.0.0.1.  A PID namespace
# (--pid --fork) makes sure no browser process outlives the run.
# Environment: CHROMIUM (default chromium), INTEROP_TIME_LIMIT (seconds,
# default 300).  Exit status: 0 recorded, 1 failed, 77 no browser (skip).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=${CHROMIUM:-chromium}
LIMIT=${INTEROP_TIME_LIMIT:-300}

if [ "${1:-}" = "--inside" ]; then
  # ---- inside the namespaces --------------------------------------------
  OUT=$2 WORK=$3 VERSION=$4
  . "$HERE/netns.sh"
  interop_loopback_only run-chromium.sh
  interop_start_server chromium run-chromium.sh
  "$CHROMIUM" --no-sandbox --headless --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync \
    --no-default-browser-check --disable-extensions \
    --disable-dev-shm-usage --mute-audio \
    --user-data-dir="$WORK/profile" \
    http://127.0.0.1:18610/ >"$WORK/chromium.log" 2>&1 &
  cpid=$!
  rc=0
  wait "$spid" || rc=$?
  kill "$cpid" 2>/dev/null || true
  interop_stop_browser "$cpid"
  interop_report run-chromium.sh Chromium "$WORK/chromium.log" "$rc"
  exit "$rc"
fi

# ---- outside: set up and enter the namespaces ------------------------------
OUT=${1:-$HERE/recorded/chromium.jsonl}
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
  echo "run-chromium.sh: $CHROMIUM not found; skipped" >&2
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "run-chromium.sh: must run as root (unshare --net)" >&2
  exit 1
fi
VERSION=$("$CHROMIUM" --version 2>/dev/null | head -n 1 | sed 's/[[:space:]]*$//')
[ -n "$VERSION" ] || { echo "run-chromium.sh: no version from $CHROMIUM" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corsim-interop-chromium.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
export CHROMIUM
. "$HERE/netns.sh"
interop_enter run-chromium.sh
