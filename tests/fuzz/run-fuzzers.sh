#!/bin/sh
# run-fuzzers.sh SECONDS [TARGET...] -- a longer fuzzing run, one target
# at a time, from a --enable-fuzzing build directory (run it there):
#   CC=clang ./configure --enable-fuzzing && make -j2 check
#   sh SRCDIR/tests/fuzz/run-fuzzers.sh 300
# Each target's corpus grows in tests/fuzz/corpus/TARGET (kept between
# runs); one line per target gives executions and edges reached.
# Targets: head lists filter profiles batch (default: all).
set -u
secs=${1:?usage: run-fuzzers.sh SECONDS [TARGET...]}
shift
[ $# -gt 0 ] || set -- head lists filter profiles batch
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-.}
CORSIM_FUZZ_MODE=libfuzzer
export top_srcdir top_builddir CORSIM_FUZZ_MODE
status=0
for t in "$@"; do
  mkdir -p "$top_builddir/tests/fuzz/corpus/$t"
  sh "$here/smoke.sh" "$t" "$secs" "$top_builddir/tests/fuzz/corpus/$t" ||
    status=1
done
exit $status
