#!/bin/sh
# Runs every example on its bundled responses and compares the output with
# examples/expected/*.txt (the files the README and docs quote).
# Set CORSIM_UPDATE_GOLDEN=1 to rewrite the expected files.
set -u
src=${top_srcdir:-.}
bld=${top_builddir:-.}
fail=0
count=0

run() { # name, then the program's arguments
  name=$1
  shift
  count=$((count + 1))
  exp="$src/examples/expected/$name.txt"
  out=$("$bld/examples/filter-response" "$@" 2>&1)
  status=$?
  if [ $status -ne 0 ]; then
    echo "FAIL: $name: exit status $status"
    echo "$out"
    fail=1
    return
  fi
  if [ -n "${CORSIM_UPDATE_GOLDEN:-}" ]; then
    printf '%s\n' "$out" > "$exp"
  fi
  if ! printf '%s\n' "$out" | diff -u "$exp" - ; then
    echo "FAIL: $name: output differs from $exp"
    fail=1
  else
    echo "ok: $name"
  fi
}

r="$src/examples/responses"
run api-json "$r/api-json.http"
run cdn-wildcard-omit --credentials omit --url https://cdn.example/lib.js "$r/cdn-wildcard.http"
run cdn-wildcard-include --credentials include --url https://cdn.example/lib.js "$r/cdn-wildcard.http"
run login-redirect-manual --credentials include --redirect manual --url https://api.example/login "$r/login-redirect.http"
run login-redirect-follow --credentials include --url https://api.example/login "$r/login-redirect.http"
run cookie-setting --credentials include --url https://api.example/session "$r/cookie-setting.http"
run wildcard-with-credentials --credentials include "$r/wildcard-with-credentials.http"
run same-origin --origin https://api.example "$r/api-json.http"
run no-cors --mode no-cors "$r/api-json.http"
# Browser profiles: Content-Length became readable in Chrome 76, the
# Access-Control-Expose-Headers wildcard in Chrome 65.
run chrome-75 --profile chrome/75 "$r/api-json.http"
run chrome-76 --profile chrome/76 "$r/api-json.http"
run chrome-64-wildcard --profile chrome/64 --credentials omit --url https://cdn.example/lib.js "$r/cdn-wildcard.http"
run chrome-65-wildcard --profile chrome/65.0.3325 --credentials omit --url https://cdn.example/lib.js "$r/cdn-wildcard.http"
run nodejs --profile nodejs/22.0.0 --credentials include --url https://api.example/session "$r/cookie-setting.http"

# Bad input gives a clear error and a non-zero status, never a crash.
count=$((count + 1))
if "$bld/examples/filter-response" --mode bogus "$r/api-json.http" >/dev/null 2>&1; then
  echo "FAIL: --mode bogus was accepted"
  fail=1
fi
count=$((count + 1))
if "$bld/examples/filter-response" --profile chrom/65 "$r/api-json.http" >/dev/null 2>&1; then
  echo "FAIL: an unknown profile was accepted"
  fail=1
fi
count=$((count + 1))
if "$bld/examples/filter-response" --url 'http://[::1' "$r/api-json.http" >/dev/null 2>&1; then
  echo "FAIL: a malformed URL was accepted"
  fail=1
fi

echo "ran $count example checks"
exit $fail
