#!/bin/sh
# run-examples.sh -- every example program compiles cleanly and prints what
# examples/expected/ says it prints.
#
# Run by `make check` from the build directory, with top_srcdir,
# top_builddir and CC in the environment (see examples/Makefile.inc).
#   1. Each examples/*.c has a header comment that says what it teaches
#      ("What it teaches:") and how to run it ("Run:"), is built by the
#      Makefile (EXAMPLES) and is described in examples/README.md.
#   2. Each examples/*.c compiles with $CC -std=c11 -Wall -Wextra
#      -Wpedantic -Werror against the public header alone, whatever flags
#      the build itself used.
#   3. Each example runs on its bundled inputs and its output is compared
#      with examples/expected/NAME.txt (the files the README and docs
#      quote); every example runs at least once and every expected file is
#      used.
# Set CORSIM_UPDATE_GOLDEN=1 to rewrite the expected files (review them!).
set -u
src=${top_srcdir:-.}
bld=${top_builddir:-.}
fail=0
count=0
LC_ALL=C
NO_COLOR=1
export LC_ALL NO_COLOR
unset CORSIM_PROFILES

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-examples.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
: > "$tmp/ran"
: > "$tmp/used"

problem() {
  echo "FAIL: $*"
  fail=1
}

# ---- 1 and 2: sources ---------------------------------------------------
cc=${CC:-cc}
for c in "$src"/examples/*.c; do
  name=$(basename "$c" .c)
  count=$((count + 1))
  head -40 "$c" | grep -q 'What it teaches:' ||
    problem "examples/$name.c: the header comment does not say 'What it teaches:'"
  head -60 "$c" | grep -q 'Run: ' ||
    problem "examples/$name.c: the header comment does not say how to run it ('Run: ')"
  grep -q "examples/$name\\b" "$src/Makefile.am" "$src/examples/Makefile.inc" ||
    problem "examples/$name.c is not built (add it to EXAMPLES in examples/Makefile.inc)"
  grep -q "$name\\.c" "$src/examples/README.md" ||
    problem "examples/$name.c is not described in examples/README.md"
  grep -q "examples/$name\\.c" "$src/examples/Makefile.inc" ||
    problem "examples/$name.c is not installed (nobase_dist_doc_DATA in examples/Makefile.inc)"
  # A compile as strict as the docs promise, whatever configure chose.
  if ! $cc -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 \
        -I"$src/include" -I"$bld/include" -c "$c" -o "$tmp/$name.o" \
        > "$tmp/cc.out" 2>&1; then
    problem "examples/$name.c does not compile with -Wall -Wextra -Wpedantic -Werror:"
    sed 's/^/    /' "$tmp/cc.out"
  fi
done

# ---- 3: outputs ---------------------------------------------------------
run() { # expected-file name, program, then the program's arguments
  name=$1
  prog=$2
  shift 2
  count=$((count + 1))
  echo "$prog" >> "$tmp/ran"
  echo "$name" >> "$tmp/used"
  exp="$src/examples/expected/$name.txt"
  out=$("$bld/examples/$prog" "$@" 2>&1)
  status=$?
  if [ $status -ne 0 ]; then
    problem "$name: examples/$prog exited with status $status"
    echo "$out"
    return
  fi
  if [ -n "${CORSIM_UPDATE_GOLDEN:-}" ]; then
    printf '%s\n' "$out" > "$exp"
  fi
  if [ ! -f "$exp" ]; then
    problem "$name: $exp does not exist (run with CORSIM_UPDATE_GOLDEN=1)"
  elif ! printf '%s\n' "$out" | diff -u "$exp" - ; then
    problem "$name: output differs from $exp"
  else
    echo "ok: $name"
  fi
}

r="$src/examples/responses"
# filter-response: one response file, options as fetch() takes them.
run api-json filter-response "$r/api-json.http"
run cdn-wildcard-omit filter-response --credentials omit --url https://cdn.example/lib.js "$r/cdn-wildcard.http"
run cdn-wildcard-include filter-response --credentials include --url https://cdn.example/lib.js "$r/cdn-wildcard.http"
run login-redirect-manual filter-response --credentials include --redirect manual --url https://api.example/login "$r/login-redirect.http"
run login-redirect-follow filter-response --credentials include --url https://api.example/login "$r/login-redirect.http"
run cookie-setting filter-response --credentials include --url https://api.example/session "$r/cookie-setting.http"
run wildcard-with-credentials filter-response --credentials include "$r/wildcard-with-credentials.http"
run same-origin filter-response --origin https://api.example "$r/api-json.http"
run no-cors filter-response --mode no-cors "$r/api-json.http"
run api-error-500 filter-response "$r/api-error-500.http"
# Browser profiles: Content-Length became readable in Chrome 76, the
# Access-Control-Expose-Headers wildcard in Chrome 65.
run chrome-75 filter-response --profile chrome/75 "$r/api-json.http"
run chrome-76 filter-response --profile chrome/76 "$r/api-json.http"
run chrome-64-wildcard filter-response --profile chrome/64 --credentials omit --url https://cdn.example/lib.js "$r/cdn-wildcard.http"
run chrome-65-wildcard filter-response --profile chrome/65.0.3325 --credentials omit --url https://cdn.example/lib.js "$r/cdn-wildcard.http"
run nodejs filter-response --profile nodejs/22.0.0 --credentials include --url https://api.example/session "$r/cookie-setting.http"

# The other examples carry their inputs, except the harness.
run minimal minimal
run credentials credentials
run content-length content-length
run why-blocked why-blocked
run preflight-cache preflight-cache
run redirect-null-origin redirect-null-origin
run engine-loop engine-loop
run harness harness "$r"

# Bad input gives a clear error and a non-zero status, never a crash.
count=$((count + 1))
if "$bld/examples/filter-response" --mode bogus "$r/api-json.http" >/dev/null 2>&1; then
  problem "--mode bogus was accepted"
fi
count=$((count + 1))
if "$bld/examples/filter-response" --profile chrom/65 "$r/api-json.http" >/dev/null 2>&1; then
  problem "an unknown profile was accepted"
fi
count=$((count + 1))
if "$bld/examples/filter-response" --url 'http://[::1' "$r/api-json.http" >/dev/null 2>&1; then
  problem "a malformed URL was accepted"
fi
count=$((count + 1))
if "$bld/examples/harness" "$tmp/no-such-dir" >/dev/null 2>&1; then
  problem "the harness accepted a missing directory"
fi

# Every example ran; every expected file was compared.
for c in "$src"/examples/*.c; do
  name=$(basename "$c" .c)
  grep -qx "$name" "$tmp/ran" || problem "examples/$name.c is never run by tests/run-examples.sh"
done
for e in "$src"/examples/expected/*.txt; do
  name=$(basename "$e" .txt)
  grep -qx "$name" "$tmp/used" || problem "examples/expected/$name.txt is not used by tests/run-examples.sh"
done

echo "ran $count example checks"
exit $fail
