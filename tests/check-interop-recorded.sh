#!/bin/sh
# make check: compare corsim's predictions with the engine results recorded
# in tests/interop/recorded/ (no browser needed).  A difference that is not
# listed in tests/interop/KNOWN.md fails the test.  Skips (exit 77) when
# there are no recordings yet or python3 is missing.
set -u
src=${top_srcdir:-.}
bld=${top_builddir:-.}
dir="$src/tests/interop"
if ! ls "$dir"/recorded/*.jsonl >/dev/null 2>&1; then
  echo "no recordings in $dir/recorded: skipped"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 not found: skipped"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/corsim-interop.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# the cases are generated, deterministically, from gen_cases.py
python3 "$dir/gen_cases.py" --out "$tmp/cases.jsonl" >/dev/null || exit 1
corsim="$bld/tools/corsim"
python3 "$dir/compare.py" --corsim "$corsim" --cases "$tmp/cases.jsonl" \
  --recorded "$dir/recorded" --known "$dir/KNOWN.md"
