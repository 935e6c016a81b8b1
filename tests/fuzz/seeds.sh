#!/bin/sh
# seeds.sh TARGET OUTDIR -- writes the seed corpus of fuzz target TARGET
# (head, lists, filter, profiles, batch) into OUTDIR, from the project's
# own test inputs, so the seeds follow the tests:
#   head      examples/responses/*.http, tests/cli/*.http, the response
#             part of tests/cases/*.case and of tests/interop/cases.jsonl,
#             each under a few wire-profile selectors (see fuzz_head.c)
#   lists     the Access-Control-* list values found in those heads
#   filter    tests/cases/*.case, and tests/interop/cases.jsonl converted
#             to that format
#   profiles  tests/profiles (valid and invalid) and data/profiles.xml
#   batch     tests/cli/batch.jsonl and tests/interop/cases.jsonl, a line
#             a file
# plus the hand-written tests/fuzz/seeds/TARGET/*.  The jsonl conversions
# need python3; without it those seeds are skipped.
set -eu
t=$1
out=$2
src=${top_srcdir:-$(dirname "$0")/../..}
mkdir -p "$out"
have_py=no
command -v python3 >/dev/null 2>&1 && have_py=yes

# the response part of a golden case: what follows the first empty line
case_response() {
  awk 'done { print; next } /^\r?$/ { done = 1 }' "$1"
}

# interop cases -> one file per distinct raw response (head) or case
interop() { # mode outdir
  [ "$have_py" = yes ] && [ -f "$src/tests/interop/cases.jsonl" ] || return 0
  python3 - "$src/tests/interop/cases.jsonl" "$1" "$2" <<'PY'
import hashlib, json, os, sys
path, mode, out = sys.argv[1:4]
seen = set()
def write(data):
    h = hashlib.sha1(data).hexdigest()[:16]
    if h in seen:
        return
    seen.add(h)
    with open(os.path.join(out, "interop-" + h), "wb") as f:
        f.write(data)
for line in open(path, encoding="utf-8"):
    o = json.loads(line)
    raws = [r["raw"].encode("latin-1") for r in o["responses"]]
    pre = o.get("preflight")
    if mode == "head":
        for r in raws + ([pre["raw"].encode("latin-1")] if pre else []):
            write(r)
    elif mode == "filter":
        q = o["request"]
        text = "profile: %s\n" % o["profile"]
        for k in ("origin", "url", "mode", "credentials", "redirect", "method"):
            if k in q:
                text += "%s: %s\n" % (k, q[k])
        for n, v in q.get("headers", []):
            text += "header: %s: %s\n" % (n, v)
        if pre:
            text += "preflight: yes\n"
        if pre or o["category"] == "preflight":
            text += "cache: yes\n"
        body = text.encode("latin-1", "replace") + b"\n"
        if pre:
            body += pre["raw"].encode("latin-1")
        body += b"".join(raws)
        write(body)
PY
}

case $t in
head)
  tmp=$out.tmp
  mkdir -p "$tmp"
  for f in "$src"/examples/responses/*.http "$src"/tests/cli/*.http; do
    cp "$f" "$tmp/$(basename "$f")"
  done
  for f in "$src"/tests/cases/*.case; do
    case_response "$f" > "$tmp/$(basename "$f" .case).http"
  done
  interop head "$tmp"
  # wire-profile selectors (fuzz_head.c): the spec, and three mixes
  for f in "$tmp"/*; do
    b=$(basename "$f")
    { printf '\000\000\000\000\000'; cat "$f"; } > "$out/spec-$b"
    { printf '\001\002\003\004\003'; cat "$f"; } > "$out/mix1-$b"
    { printf '\377\377\377\377\001'; cat "$f"; } > "$out/mix2-$b"
    { printf '\125\252\125\252\002'; cat "$f"; } > "$out/mix3-$b"
  done
  rm -rf "$tmp"
  ;;
lists)
  n=0
  for f in "$src"/examples/responses/*.http "$src"/tests/cli/*.http \
           "$src"/tests/cases/*.case; do
    grep -i '^access-control-[a-z-]*: ' "$f" | sed 's/^[^:]*: *//; s/\r$//' |
      while IFS= read -r v; do
        printf '%s' "$v" > "$out/$(basename "$f")-$(printf '%s' "$v" | cksum | cut -d' ' -f1)"
      done
  done
  ;;
filter)
  cp "$src"/tests/cases/*.case "$out/"
  interop filter "$out"
  ;;
profiles)
  cp "$src/tests/profiles/minimal.xml" "$out/minimal.xml"
  for f in "$src"/tests/profiles/invalid/*.xml; do
    cp "$f" "$out/invalid-$(basename "$f")"
  done
  cp "$src/data/profiles.xml" "$out/profiles.xml"
  ;;
batch)
  awk -v d="$out" '{ f = d "/cli-" NR; print > f; close(f) }' \
    "$src/tests/cli/batch.jsonl"
  if [ -f "$src/tests/interop/cases.jsonl" ]; then
    awk -v d="$out" '{ f = d "/interop-" NR; print > f; close(f) }' \
      "$src/tests/interop/cases.jsonl"
  fi
  ;;
*)
  echo "seeds.sh: unknown target '$t'" >&2
  exit 2
  ;;
esac
if [ -d "$src/tests/fuzz/seeds/$t" ]; then
  for f in "$src/tests/fuzz/seeds/$t"/*; do
    [ -f "$f" ] && cp "$f" "$out/seed-$(basename "$f")"
  done
fi
exit 0
