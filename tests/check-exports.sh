#!/bin/sh
# The shared library exports exactly the functions the public header
# declares: every dynamic symbol starts with corsim_, nothing internal
# (corsim__*) leaks, and every CORSIM_EXTERN declaration is exported.
set -u
src=${top_srcdir:-.}
bld=${top_builddir:-.}
NM=${NM:-nm}
so="$bld/lib/.libs/libcorsim.so"
if [ ! -f "$so" ]; then
  echo "FAIL: $so not found (shared library not built?)"
  exit 1
fi
exported=$($NM -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort)
declared=$(sed -n 's/.*CORSIM_EXTERN[^;(]*[ *]\(corsim_[a-z0-9_]*\)(.*/\1/p;
                    s/^\(corsim_[a-z0-9_]*\)(.*/\1/p' "$src/include/corsim.h" | sort -u)
fail=0
bad=$(printf '%s\n' "$exported" | grep -v '^corsim_[a-z]' || true)
if [ -n "$bad" ]; then
  echo "FAIL: symbols exported that are not public corsim_ functions:"
  printf '  %s\n' $bad
  fail=1
fi
for f in $declared; do
  printf '%s\n' "$exported" | grep -qx "$f" || { echo "FAIL: declared but not exported: $f"; fail=1; }
done
for f in $exported; do
  printf '%s\n' "$declared" | grep -qx "$f" || { echo "FAIL: exported but not declared in corsim.h: $f"; fail=1; }
done
n=$(printf '%s\n' "$exported" | grep -c .)
echo "checked $n exported symbols against include/corsim.h"
exit $fail
