#!/bin/sh
# The corsim command-line tool against golden files.
#
# Each case is tests/cli/NAME.cmd: the arguments after `corsim`, as one
# shell-quoted command line (lines starting with '#' are comments).  It may
# use $R (examples/responses), $P (tests/profiles), $T (tests/cli) and
# $TMPDIR_CLI (a scratch directory holding files made here, such as a
# response head with a 1 MB header line), and may redirect stdin with
# `< FILE` (otherwise stdin is /dev/null).  The command runs in the source
# tree, so $R, $P and $T are relative paths and messages naming them do not
# depend on where the tree is; $TMPDIR_CLI is written as itself in outputs.
# Expected: NAME.out (stdout), NAME.err (stderr; compared only when the
# file exists) and NAME.status (the exit status; 0 when absent).
#
# Then a 10,000-line batch run checks that every line gets its answer, in
# order, and reports how long it took.
#
# Set CORSIM_UPDATE_GOLDEN=1 to rewrite the expected files (review them!).
set -u
src=${top_srcdir:-.}
bld=${top_builddir:-.}
src=$(cd "$src" && pwd) || exit 2
bld=$(cd "$bld" && pwd) || exit 2
corsim="$bld/tools/corsim" # a libtool wrapper script when shared: run as is
cases="$src/tests/cli"

NO_COLOR=1
LC_ALL=C
export NO_COLOR LC_ALL
unset CORSIM_PROFILES

if [ ! -x "$corsim" ]; then
  echo "FAIL: $corsim is not built"
  exit 1
fi

TMPDIR_CLI=$(mktemp -d "${TMPDIR:-/tmp}/corsim-cli.XXXXXX") || exit 2
trap 'rm -rf "$TMPDIR_CLI"' EXIT
trap 'exit 130' INT TERM HUP
R=examples/responses
P=tests/profiles
T=tests/cli
export TMPDIR_CLI R P T

# Inputs too big to keep in the tree: a response head with one header line
# of 1 MiB (1048576 bytes of 'a').
{
  printf 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nX-Big: '
  awk 'BEGIN { s = "aaaaaaaaaaaaaaaa"; while (length(s) < 1048576) s = s s;
               printf "%s", s }'
  printf '\r\nContent-Type: text/plain\r\n\r\n'
} > "$TMPDIR_CLI/huge-header.http"

# Replaces the scratch directory's name by "$TMPDIR_CLI" (file in place).
tmp_re=$(printf '%s\n' "$TMPDIR_CLI" | sed 's/[].[^$*\\/|]/\\&/g')
normalize() {
  sed "s|$tmp_re|\$TMPDIR_CLI|g" "$1" > "$1.n" && mv "$1.n" "$1"
}

pass=0
fail=0
update=${CORSIM_UPDATE_GOLDEN:-}

for cmdfile in "$cases"/*.cmd; do
  [ -f "$cmdfile" ] || continue
  name=$(basename "$cmdfile" .cmd)
  args=$(grep -v '^#' "$cmdfile")
  out="$TMPDIR_CLI/$name.out"
  err="$TMPDIR_CLI/$name.err"
  (cd "$src" && eval "exec \"\$corsim\" $args") </dev/null >"$out" 2>"$err"
  status=$?
  normalize "$out"
  normalize "$err"

  if [ -n "$update" ]; then
    cp "$out" "$cases/$name.out"
    if [ -s "$err" ] || [ -f "$cases/$name.err" ]; then
      cp "$err" "$cases/$name.err"
    fi
    if [ "$status" -ne 0 ]; then
      echo "$status" > "$cases/$name.status"
    else
      rm -f "$cases/$name.status"
    fi
  fi

  report="$TMPDIR_CLI/$name.report"
  : > "$report"
  want_status=0
  [ -f "$cases/$name.status" ] && want_status=$(cat "$cases/$name.status")
  if [ "$status" -ne "$want_status" ]; then
    echo "exit status $status, expected $want_status" >> "$report"
  fi
  if ! cmp -s "$cases/$name.out" "$out"; then
    echo "stdout differs:" >> "$report"
    diff -u "$cases/$name.out" "$out" >> "$report" 2>&1
  fi
  if [ -f "$cases/$name.err" ] && ! cmp -s "$cases/$name.err" "$err"; then
    echo "stderr differs:" >> "$report"
    diff -u "$cases/$name.err" "$err" >> "$report" 2>&1
  fi
  if [ -s "$report" ]; then
    echo "FAIL $name: corsim $args"
    cat "$report"
    fail=$((fail + 1))
  else
    echo "ok $name"
    pass=$((pass + 1))
    if [ ! -f "$cases/$name.err" ] && [ -s "$err" ]; then
      echo "# $name: stderr, not compared (no $name.err):"
      sed 's/^/#   /' "$err"
    fi
  fi
done

# ------------------------------------------------------------------ batch
# 10,000 lines: ids 1..10000 in order, profiles and responses varying, and
# every 101st line malformed (a bad URL): that line must still answer with
# its id and an error, and the run must go on.
lines=10000
awk -v n=$lines 'BEGIN {
  np = split("spec chrome/75 chrome/76 firefox/68 safari/12.1 ie/11 nodejs chrome firefox/1", prof, " ")
  raw[1] = "HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 12\\r\\nAccess-Control-Allow-Origin: https://app.example\\r\\nAccess-Control-Expose-Headers: X-Total-Count\\r\\nX-Total-Count: 87\\r\\nX-Request-Id: 7f3c1a\\r\\n\\r\\n"
  raw[2] = "HTTP/2 200\\r\\ncontent-type: text/javascript\\r\\naccess-control-allow-origin: *\\r\\naccess-control-expose-headers: *\\r\\nage: 3600\\r\\nset-cookie: a=1\\r\\n\\r\\n"
  raw[3] = "HTTP/1.1 302 Found\\r\\nLocation: https://auth.example/\\r\\nAccess-Control-Allow-Origin: https://app.example\\r\\nAccess-Control-Allow-Credentials: true\\r\\n\\r\\n"
  raw[4] = "HTTP/1.1 200 OK\\r\\nAccess-Control-Allow-Origin: *\\r\\nX-Odd: a\\rb\\r\\n\\r\\n"
  nm = split("cors no-cors navigate same-origin", mode, " ")
  nc = split("omit same-origin include", cred, " ")
  for (i = 1; i <= n; i++) {
    p = prof[(i % np) + 1]
    url = (i % 101 == 0) ? "http://[::1" : "https://api.example/v" i
    req = "{\"url\":\"" url "\",\"origin\":\"https://app.example\",\"mode\":\"" mode[(i % nm) + 1] "\",\"credentials\":\"" cred[(i % nc) + 1] "\""
    if (i % 7 == 0) req = req ",\"method\":\"PUT\""
    req = req "}"
    if (i % 5 == 0)
      resp = "{\"status\":" (200 + i % 3) ",\"status_text\":\"OK\",\"headers\":[[\"Access-Control-Allow-Origin\",\"*\"],[\"X-N\",\"" i "\"]]}"
    else
      resp = "{\"raw\":\"" raw[(i % 4) + 1] "\"}"
    printf "{\"id\":%d,\"profile\":\"%s\",\"request\":%s,\"responses\":[%s]}\n", i, p, req, resp
  }
}' > "$TMPDIR_CLI/big.jsonl"

now() { # seconds, with nanoseconds where date has them
  t=$(date +%s.%N 2>/dev/null)
  case $t in *N*|'') date +%s ;; *) echo "$t" ;; esac
}
t0=$(now)
"$corsim" batch "$TMPDIR_CLI/big.jsonl" > "$TMPDIR_CLI/big.out" 2> "$TMPDIR_CLI/big.err"
status=$?
t1=$(now)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
got=$(wc -l < "$TMPDIR_CLI/big.out" | tr -d ' ')
bad=$(awk '
  index($0, "{\"id\":" NR ",") != 1 { bad++; if (bad <= 5) print "line " NR ": " substr($0, 1, 120) > "/dev/stderr" }
  NR % 101 == 0 && index($0, "\"error\":") == 0 { bad++; if (bad <= 5) print "line " NR ": expected an error" > "/dev/stderr" }
  NR % 101 != 0 && index($0, "\"error\":") != 0 { bad++; if (bad <= 5) print "line " NR ": unexpected error: " $0 > "/dev/stderr" }
  END { print bad + 0 }' "$TMPDIR_CLI/big.out")
echo "batch of $lines lines: $got output lines in $secs s (exit status $status)"
if [ "$status" -ne 0 ] || [ "$got" -ne "$lines" ] || [ "$bad" -ne 0 ] ||
   [ -s "$TMPDIR_CLI/big.err" ] ||
   ! awk -v s="$secs" 'BEGIN { exit !(s < 60) }'; then
  echo "FAIL batch-$lines: status $status, $got lines, $bad wrong, $secs s (limit 60 s)"
  head -c 2000 "$TMPDIR_CLI/big.err"
  fail=$((fail + 1))
else
  echo "ok batch-$lines"
  pass=$((pass + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
