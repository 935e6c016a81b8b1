#!/bin/sh
# run-bench.sh -- `make bench`: corsim, undici and the C floor side by side.
#
#   run-bench.sh --kit DIR --bench PATH --corsim PATH --work DIR [--quick]
#
# DIR is the benchmark kit (../shared/bench; see its README.md).  Steps:
#  1. a shadow copy of the kit in WORK/kit: symlinks to the kit's files, so
#     that the kit's run_all.sh builds its floor binary there and not in the
#     kit (the kit itself only gets node/node_modules, from `npm ci`, which
#     its README names as the one thing it installs);
#  2. `npm ci` in the kit's node/ when node_modules is missing;
#  3. the kit's run_all.sh with corsim-bench as the extra implementation, so
#     that the floor, undici and corsim are measured in one run;
#  4. instruction counts (valgrind callgrind) of corsim-bench's filter_pass;
#  5. loading the built-in profiles XML, and `corsim batch` end to end on
#     100,000 lines;
#  6. a table: ns/response and the ratios corsim/undici-spec and
#     corsim/c-floor per corpus, per-header costs, and the 4096/64 scaling.
# Everything is also kept in WORK/bench-*.log.
set -eu

KIT= BENCH= CORSIM= WORK= QUICK=
while [ $# -gt 0 ]; do
  case $1 in
    --kit) KIT=$2; shift 2 ;;
    --bench) BENCH=$2; shift 2 ;;
    --corsim) CORSIM=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --quick) QUICK=--quick; shift ;;
    *) echo "run-bench.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$KIT" ] && [ -n "$BENCH" ] && [ -n "$CORSIM" ] && [ -n "$WORK" ] || {
  echo "usage: run-bench.sh --kit DIR --bench PATH --corsim PATH --work DIR [--quick]" >&2
  exit 2
}
if [ ! -f "$KIT/run_all.sh" ] || [ ! -f "$KIT/corpus.jsonl" ]; then
  echo "run-bench.sh: no benchmark kit in '$KIT' (set BENCH_KIT=DIR)" >&2
  exit 2
fi
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
KIT=$(cd "$KIT" && pwd)
BENCH=$(abs "$BENCH")
CORSIM=$(abs "$CORSIM")
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
LOG="$WORK/bench-$(date +%Y%m%d-%H%M%S).log"
CORPORA="corpus.jsonl corpus-8.jsonl corpus-64.jsonl corpus-512.jsonl corpus-4096.jsonl"

# 1. the shadow kit
rm -rf "$WORK/kit"
mkdir "$WORK/kit"
for f in "$KIT"/* "$KIT"/.gitignore; do
  case $(basename "$f") in floor) continue ;; esac
  ln -s "$f" "$WORK/kit/$(basename "$f")"
done

# 2. undici, pinned by the kit's lock file
if [ ! -f "$KIT/node/node_modules/undici/package.json" ]; then
  echo "== npm ci in $KIT/node"
  npm --prefix "$KIT/node" ci --no-audit --no-fund
fi

{
  echo "== corsim: $("$CORSIM" --version 2>/dev/null | head -n 1)"
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  # 3. one run of everything
  echo "== run_all.sh $QUICK (floor, undici, corsim)"
  if [ -n "$QUICK" ]; then
    bash "$WORK/kit/run_all.sh" --quick "$BENCH --runs 5 --min-ms 100"
  else
    bash "$WORK/kit/run_all.sh" "$BENCH"
  fi

  # 4. instruction counts of filter_pass (one pass per profile; the check
  # before it runs outside filter_pass and is not counted)
  if command -v valgrind >/dev/null 2>&1; then
    echo "== callgrind: Ir per response in filter_pass (corsim_filter + reading the counts)"
    for prof in spec chrome; do
      for c in $CORPORA; do
        out="$WORK/callgrind.$prof.$c.out"
        valgrind --tool=callgrind --toggle-collect=filter_pass \
          --callgrind-out-file="$out" \
          "$BENCH" --once --profiles "$prof" "$KIT/$c" >"$out.stdout" 2>&1
        ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out")
        [ -n "$ir" ] || ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out")
        resp=$(sed -n 's/.*responses=\([0-9]*\).*/\1/p' "$out.stdout")
        hdrs=$(sed -n 's/.*headers=\([0-9]*\).*/\1/p' "$out.stdout")
        impl=$(sed -n 's/.*impl=\([^ ]*\).*/\1/p' "$out.stdout")
        awk -v i="$impl" -v c="$c" -v r="$resp" -v h="$hdrs" -v ir="$ir" 'BEGIN {
          printf "CALLGRIND impl=%s corpus=%s responses=%d headers=%d ir_total=%d ir_per_response=%.1f ir_per_header=%.2f\n",
            i, c, r, h, ir, ir / r, ir / h }'
        rm -f "$out" "$out.stdout"
      done
    done
  else
    echo "== callgrind: valgrind not installed, skipped"
  fi

  # 5. the profiles XML, and corsim batch end to end
  echo "== loading and validating the built-in profiles XML"
  "$BENCH" --xml-load --runs 21
  echo "== corsim batch: 100,000 lines of JSON in, JSON out"
  "$BENCH" --write-batch 100000 "$KIT/corpus.jsonl" >"$WORK/batch-in.jsonl"
  for run in 1 2 3; do
    t0=$(date +%s.%N)
    "$CORSIM" batch --profile chrome "$WORK/batch-in.jsonl" >"$WORK/batch-out.jsonl"
    t1=$(date +%s.%N)
    lines=$(wc -l <"$WORK/batch-out.jsonl")
    errors=$(grep -c '"error"' "$WORK/batch-out.jsonl" || true)
    awk -v a="$t0" -v b="$t1" -v n="$lines" -v e="$errors" -v r="$run" 'BEGIN {
      printf "BATCH run=%d lines=%d errors=%d seconds=%.3f responses_per_s=%.0f\n",
        r, n, e, b - a, n / (b - a) }'
  done
  rm -f "$WORK/batch-in.jsonl" "$WORK/batch-out.jsonl"
} 2>&1 | tee "$LOG"

# 6. the table
echo
echo "== corsim next to undici-spec and the C floor (medians of this run; log: $LOG)"
awk '
  /^RESULT / {
    impl = ""; corpus = ""; ns = ""; hdr = ""; resp = ""; al = "";
    for (i = 2; i <= NF; i++) { split($i, kv, "=");
      if (kv[1] == "impl") impl = kv[2]; else if (kv[1] == "corpus") corpus = kv[2];
      else if (kv[1] == "ns_per_response") ns = kv[2];
      else if (kv[1] == "headers") hdr = kv[2]; else if (kv[1] == "responses") resp = kv[2];
      else if (kv[1] == "alloc_bytes_per_response") al = kv[2] }
    if (ns == "") next
    if (!(corpus in seen)) { seen[corpus] = 1; order[++n] = corpus }
    t[corpus, impl] = ns; a[corpus, impl] = al; hpr[corpus] = hdr / resp
  }
  /^CALLGRIND / {
    for (i = 2; i <= NF; i++) { split($i, kv, "=");
      if (kv[1] == "impl") impl = kv[2]; else if (kv[1] == "corpus") corpus = kv[2];
      else if (kv[1] == "ir_per_response") ir = kv[2] }
    cg[corpus, impl] = ir
  }
  END {
    printf "%-18s %7s %12s %10s %10s %10s %12s %12s %9s %9s %9s\n", "corpus", "hdr/rsp",
      "undici-spec", "c-floor", "corsim", "-chrome", "undici/corsim", "corsim/floor",
      "ns/hdr", "Ir/rsp", "allocB";
    for (i = 1; i <= n; i++) { c = order[i];
      u = t[c, "undici-spec"]; f = t[c, "c-floor"]; s = t[c, "corsim"]; b = t[c, "corsim-chrome"];
      printf "%-18s %7.1f %12s %10s %10s %10s %12s %12s %9s %9s %9s\n", c, hpr[c],
        u == "" ? "-" : sprintf("%.1f", u), f == "" ? "-" : sprintf("%.2f", f),
        s == "" ? "-" : sprintf("%.1f", s), b == "" ? "-" : sprintf("%.1f", b),
        (u == "" || s == "") ? "-" : sprintf("%.0fx", u / s),
        (f == "" || s == "") ? "-" : sprintf("%.1fx", s / f),
        s == "" ? "-" : sprintf("%.2f", s / hpr[c]),
        cg[c, "corsim"] == "" ? "-" : cg[c, "corsim"], a[c, "corsim"] == "" ? "-" : a[c, "corsim"] }
    if (t["corpus-64.jsonl", "corsim"] != "" && t["corpus-4096.jsonl", "corsim"] != "")
      printf "per-header cost at 4096 / at 64 headers: %.2f (target <= 1.5)\n",
        (t["corpus-4096.jsonl", "corsim"] / 4096) / (t["corpus-64.jsonl", "corsim"] / 64)
  }' "$LOG"
grep '^XMLLOAD\|^BATCH' "$LOG" || true
