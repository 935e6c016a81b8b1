#!/bin/sh
# smoke.sh TARGET [SECONDS [CORPUS]] -- runs fuzz target TARGET (head,
# lists, filter, profiles, batch) over its seeds (seeds.sh) and its
# regression inputs (tests/fuzz/regress/TARGET: every crash ever found).
#
# In a --enable-fuzzing build (CORSIM_FUZZ_MODE=libfuzzer) libFuzzer runs
# every seed, then fuzzes for SECONDS (default $CORSIM_FUZZ_SECONDS or 4),
# adding new inputs to CORPUS (default: a temporary directory), and prints
# its statistics; a crash fails, and the input that crashed is kept as
# tests/fuzz/crash-TARGET-* in the build directory.  Otherwise the target
# was linked with driver.c and runs each input once, under
# $CORSIM_FUZZ_WRAPPER when set (make check-valgrind sets it to valgrind).
set -u
t=$1
secs=${2:-${CORSIM_FUZZ_SECONDS:-4}}
corpus=${3:-}
src=${top_srcdir:-$(dirname "$0")/../..}
bld=${top_builddir:-.}
mode=${CORSIM_FUZZ_MODE:-driver}
bin=$bld/tests/fuzz/fuzz_$t
case $t in
profiles) dict=$src/tests/fuzz/dict/xml.dict ;;
batch) dict=$src/tests/fuzz/dict/json.dict ;;
*) dict=$src/tests/fuzz/dict/http.dict ;;
esac

if [ ! -x "$bin" ]; then
  echo "smoke: $bin not built" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/corsim-fuzz-$t.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM
# the fuzz targets load the compiled-in profiles, never a file from the
# environment
unset CORSIM_PROFILES
sh "$src/tests/fuzz/seeds.sh" "$t" "$work/seeds" || exit 1
dirs="$work/seeds"
[ -d "$src/tests/fuzz/regress/$t" ] && dirs="$dirs $src/tests/fuzz/regress/$t"
nseeds=$(ls "$work/seeds" | wc -l)

if [ "$mode" = libfuzzer ]; then
  if [ -z "$corpus" ]; then
    corpus=$work/corpus
  fi
  mkdir -p "$corpus"
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 \
    -malloc_limit_mb=2560 -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="$work/crash-" "$corpus" $dirs > "$work/log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  cov=$(grep -E '^#[0-9]+' "$work/log" | tail -1 | sed -n 's/.*cov: \([0-9]*\).*ft: \([0-9]*\).*/\1 edges, \2 features/p')
  echo "fuzz_$t: $nseeds seeds, ${secs}s: ${execs:-?} executions, ${cov:-?}, corpus $(ls "$corpus" | wc -l) inputs"
  if [ "$rc" -ne 0 ]; then
    tail -60 "$work/log"
    for f in "$work"/crash-*; do
      [ -f "$f" ] || continue
      cp "$f" "$bld/tests/fuzz/crash-$t-$(basename "$f" | sed 's/^crash-//')"
      echo "smoke: kept $bld/tests/fuzz/crash-$t-$(basename "$f" | sed 's/^crash-//')"
    done
    exit 1
  fi
else
  # shellcheck disable=SC2086
  ${CORSIM_FUZZ_WRAPPER:-} "$bin" $dirs || exit 1
  echo "fuzz_$t: $nseeds seeds and the regression inputs ran (driver build)"
fi
exit 0
