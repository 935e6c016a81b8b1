# netns.sh -- sourced by the run-*.sh drivers.  Outside: enter the
# namespaces (interop_enter).  Inside their private network namespace: bring
# loopback up, refuse to go on unless it is the only interface, start the
# case server, and afterwards stop the browser and report.  Needs HERE,
# OUT, WORK, VERSION and LIMIT set by the caller.

# interop_enter DRIVER-NAME: runs DRIVER-NAME --inside OUT WORK VERSION in
# new network, PID and mount namespaces (the browser's variables must be
# exported), reports the time taken, and exits with its status.
interop_enter() {
  start=$(date +%s)
  echo "$1: $VERSION, $(wc -l <"$HERE/cases.jsonl") cases" >&2
  rc=0
  INTEROP_TIME_LIMIT=$LIMIT INTEROP_BROWSER_LOG=${INTEROP_BROWSER_LOG:-} \
    unshare --net --pid --fork --mount-proc \
    sh "$HERE/$1" --inside "$OUT" "$WORK" "$VERSION" || rc=$?
  echo "$1: finished in $(( $(date +%s) - start ))s, status $rc" >&2
  exit "$rc"
}

# interop_stop_browser PID: gives the browser 5 s to exit (the caller has
# asked it to), then TERM, then KILL.
interop_stop_browser() {
  i=0
  while kill -0 "$1" 2>/dev/null && [ "$i" -lt 50 ]; do
    i=$((i + 1)); sleep 0.1
  done
  kill "$1" 2>/dev/null || true
  sleep 0.2
  kill -9 "$1" 2>/dev/null || true
}

# interop_report DRIVER-NAME BROWSER-NAME LOG STATUS: the server's log, the
# browser's log kept in $INTEROP_BROWSER_LOG if set, and the end of the
# browser's log when the server failed.
interop_report() {
  cat "$WORK/server.log" >&2
  if [ -n "${INTEROP_BROWSER_LOG:-}" ]; then
    cp "$3" "$INTEROP_BROWSER_LOG" || true
  fi
  if [ "$4" -ne 0 ]; then
    echo "$1: server exit status $4; $2's log:" >&2
    tail -n 30 "$3" >&2
  fi
}

# interop_loopback_only DRIVER-NAME
interop_loopback_only() {
  ip link set lo up 2>/dev/null || python3 - <<'PY'
import fcntl, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
req = struct.pack("16sh22x", b"lo", 0)
flags = struct.unpack("16sh22x", fcntl.ioctl(s, 0x8913, req))[1]  # SIOCGIFFLAGS
fcntl.ioctl(s, 0x8914, struct.pack("16sh22x", b"lo", flags | 1))  # SIOCSIFFLAGS, IFF_UP
PY
  # Safety: refuse to start a browser unless loopback is the only interface.
  python3 -c '
import socket, sys
names = sorted(n for _, n in socket.if_nameindex())
if names != ["lo"]:
    sys.exit("%s: refusing to run: interfaces %s in the namespace" % (sys.argv[1], names))
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.close()
' "$1"
}

# interop_start_server ENGINE DRIVER-NAME: starts server.py, sets spid,
# and waits until it is ready (exits 1 if it does not start).
interop_start_server() {
  python3 "$HERE/server.py" --engine "$1" --version "$VERSION" \
    --out "$OUT" --timeout "$LIMIT" --ready-file "$WORK/ready" \
    >"$WORK/server.log" 2>&1 &
  spid=$!
  i=0
  while [ ! -e "$WORK/ready" ]; do
    i=$((i + 1))
    if [ "$i" -gt 100 ] || ! kill -0 "$spid" 2>/dev/null; then
      echo "$2: the server did not start" >&2
      cat "$WORK/server.log" >&2
      exit 1
    fi
    sleep 0.1
  done
}
