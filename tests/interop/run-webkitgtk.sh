#!/bin/sh
# run-webkitgtk.sh: record what WebKitGTK's fetch() exposes for every case
# of cases.jsonl, into recorded/webkitgtk.jsonl (or the file given).
#
#   tests/interop/run-webkitgtk.sh [OUT]
#
# Needs root: the server and the browser run inside a private network
# namespace (unshare --net) where only the loopback interface exists and is
# up, so WebKit cannot reach anything but 127.0.0.1.  A PID namespace
# (--pid --fork) makes sure no browser process outlives the run.  The
# browser is webkit_driver.py (WebKit2 4.1 through PyGObject, with an
# ephemeral website data manager) under xvfb-run, with HOME and the XDG
# directories inside the run's temporary directory.
# Environment: WEBKIT_PYTHON (default /usr/bin/python3, which must have gi
# and WebKit2 4.1), INTEROP_TIME_LIMIT (seconds, default 300).  Exit
# status: 0 recorded, 1 failed, 2 time limit reached (what there is goes to
# OUT.partial), 77 no browser (skip).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
WEBKIT_PYTHON=${WEBKIT_PYTHON:-/usr/bin/python3}
LIMIT=${INTEROP_TIME_LIMIT:-300}

if [ "${1:-}" = "--inside" ]; then
  # ---- inside the namespaces --------------------------------------------
  OUT=$2 WORK=$3 VERSION=$4
  . "$HERE/netns.sh"
  interop_loopback_only run-webkitgtk.sh
  mkdir -p "$WORK/home" "$WORK/cache" "$WORK/config" "$WORK/data" \
    "$WORK/runtime"
  chmod 700 "$WORK/runtime"
  interop_start_server webkitgtk run-webkitgtk.sh
  # No session bus, no accessibility bus, no GVfs or dconf: nothing for the
  # web view to talk to but the X server and 127.0.0.1.
  env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
    -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY \
    -u all_proxy -u ALL_PROXY -u no_proxy -u NO_PROXY \
    HOME="$WORK/home" XDG_CACHE_HOME="$WORK/cache" \
    XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" \
    XDG_RUNTIME_DIR="$WORK/runtime" TMPDIR="$WORK" \
    NO_AT_BRIDGE=1 GIO_USE_VFS=local GSETTINGS_BACKEND=memory \
    GDK_BACKEND=x11 LIBGL_ALWAYS_SOFTWARE=1 \
    WEBKIT_DISABLE_COMPOSITING_MODE=1 \
    xvfb-run -a -s "-nolisten tcp -screen 0 1024x768x24" \
    "$WEBKIT_PYTHON" "$HERE/webkit_driver.py" \
    --url http://127.0.0.1:18610/ --done-file "$WORK/done" \
    --time-limit "$LIMIT" >"$WORK/webkit.log" 2>&1 &
  wpid=$!
  rc=0
  wait "$spid" || rc=$?
  : >"$WORK/done"
  interop_stop_browser "$wpid"
  grep '^webkit_driver:' "$WORK/webkit.log" >&2 || true
  interop_report run-webkitgtk.sh WebKit "$WORK/webkit.log" "$rc"
  exit "$rc"
fi

# ---- outside: set up and enter the namespaces ------------------------------
OUT=${1:-$HERE/recorded/webkitgtk.jsonl}
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
if ! [ -x "$WEBKIT_PYTHON" ] || ! "$WEBKIT_PYTHON" -c '
import gi
gi.require_version("WebKit2", "4.1")
from gi.repository import WebKit2' >/dev/null 2>&1; then
  echo "run-webkitgtk.sh: WebKit2 4.1 not available to $WEBKIT_PYTHON (apt-get install gir1.2-webkit2-4.1 python3-gi); skipped" >&2
  exit 77
fi
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "run-webkitgtk.sh: xvfb-run not found (apt-get install xvfb xauth); skipped" >&2
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "run-webkitgtk.sh: must run as root (unshare --net)" >&2
  exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corsim-interop-webkitgtk.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
# The version comes from the WebKit2 API (no web view is created).
VERSION=$(env -u DISPLAY -u WAYLAND_DISPLAY HOME="$WORK" unshare --net \
  "$WEBKIT_PYTHON" "$HERE/webkit_driver.py" --version 2>/dev/null \
  | head -n 1 | sed 's/[[:space:]]*$//')
[ -n "$VERSION" ] || { echo "run-webkitgtk.sh: no WebKitGTK version" >&2; exit 1; }
export WEBKIT_PYTHON
. "$HERE/netns.sh"
interop_enter run-webkitgtk.sh
