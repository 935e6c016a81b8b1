# netns.sh -- sourced by the run-*.sh drivers, inside their private network
# namespace: bring loopback up, refuse to go on unless it is the only
# interface, and start the case server.  Needs HERE, OUT, WORK, VERSION and
# LIMIT set by the caller.

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
