#!/bin/sh
# check-tutorial.sh -- every command shown in doc/tutorial.md prints what the
# tutorial says it prints, so the tutorial cannot drift from the program.
#
# In doc/tutorial.md, a fenced block opened with ```console holds one or
# more commands and their output, as a terminal shows them:
#
#   ```console
#   $ corsim filter --origin https://app.example \
#       --url https://api.example/v1/profile examples/responses/api-expose.http
#   fetch("https://api.example/v1/profile"), profile spec
#   ...
#   ```
#
# A line starting with "$ " starts a command; a command line ending with a
# backslash continues on the next line; the lines after the command, up to
# the next "$ " line or the end of the block, are its output (standard
# output and standard error together, as on a terminal; trailing spaces and
# trailing empty lines are ignored).  Commands must start with `corsim` or
# `cat` (a pipe into grep or head is fine) and must exit with status 0.
#
# Each command runs with /bin/sh in the source tree (so that
# examples/responses/... names the bundled response heads), with the
# build's tools/corsim first on PATH, NO_COLOR=1, LC_ALL=C and no
# CORSIM_PROFILES, so it works from an out-of-tree build and under
# `make distcheck` (where the source tree is read-only).
#
# Set CORSIM_UPDATE_GOLDEN=1 to rewrite the outputs in doc/tutorial.md with
# what the commands print now (then review the diff: the prose around them
# may need to change too).
set -u
src=${top_srcdir:-.}
bld=${top_builddir:-.}
src=$(cd "$src" && pwd) || exit 2
bld=$(cd "$bld" && pwd) || exit 2
doc="$src/doc/tutorial.md"
me=check-tutorial

NO_COLOR=1
LC_ALL=C
export NO_COLOR LC_ALL
unset CORSIM_PROFILES

if [ ! -f "$doc" ]; then
  echo "$me: FAIL: $doc not found"
  exit 1
fi
if [ ! -x "$bld/tools/corsim" ]; then
  echo "$me: FAIL: $bld/tools/corsim is not built"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-tutorial.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# ---- split the document ------------------------------------------------
# For command k: $tmp/cmd.k (the command as typed, continuation lines
# included), $tmp/exp.k (the output shown) and $tmp/line.k (its line in
# the document).  $tmp/count gets the number of commands; problems with
# the blocks go to $tmp/syntax.
awk -v dir="$tmp" '
  function close_cmd() { if (k > 0) { close(dir "/cmd." k); close(dir "/exp." k) } }
  /^```/ {
    if (!inblock && $0 ~ /^```console[ \t]*$/) {
      inblock = 1; blockline = NR; blockcmds = 0; incmd = 0; next
    }
    if (inblock) {
      if (blockcmds == 0)
        print "line " blockline ": a console block without a command" > (dir "/syntax")
      if (incmd)
        print "line " NR ": the block ends inside a command (a trailing backslash)" > (dir "/syntax")
      inblock = 0; incmd = 0; next
    }
  }
  !inblock { next }
  incmd {
    print > (dir "/cmd." k)
    incmd = /\\$/
    next
  }
  /^\$ / {
    close_cmd()
    k++; blockcmds++
    print NR > (dir "/line." k); close(dir "/line." k)
    printf "" > (dir "/exp." k)
    print substr($0, 3) > (dir "/cmd." k)
    incmd = /\\$/
    next
  }
  {
    if (blockcmds == 0) {
      print "line " NR ": output before any command in a console block" > (dir "/syntax")
      next
    }
    print > (dir "/exp." k)
  }
  END {
    close_cmd()
    if (inblock) print "line " blockline ": a console block is not closed" > (dir "/syntax")
    print k + 0 > (dir "/count")
  }
' "$doc"

fail=0
if [ -s "$tmp/syntax" ]; then
  sed "s|^|$me: FAIL: doc/tutorial.md |" "$tmp/syntax"
  fail=1
fi
n=$(cat "$tmp/count")
if [ "$n" -lt 10 ]; then
  echo "$me: FAIL: only $n commands found in doc/tutorial.md (is the \`\`\`console syntax right?)"
  exit 1
fi

# Output as compared: no trailing spaces, no trailing empty lines.
tidy() {
  sed 's/[[:space:]]*$//' "$1" |
    awk '{ lines[NR] = $0 } END { n = NR; while (n > 0 && lines[n] == "") n--;
                                  for (i = 1; i <= n; i++) print lines[i] }'
}

# ---- run them ----------------------------------------------------------
pass=0
k=1
while [ "$k" -le "$n" ]; do
  line=$(cat "$tmp/line.$k")
  first=$(sed -n '1s/^\([^ ]*\).*/\1/p' "$tmp/cmd.$k")
  case $first in
    corsim | cat) ;;
    *)
      echo "$me: FAIL: doc/tutorial.md:$line: the command starts with '$first', not corsim or cat"
      fail=1
      k=$((k + 1))
      continue
      ;;
  esac
  (cd "$src" && PATH="$bld/tools:$PATH" sh "$tmp/cmd.$k") > "$tmp/raw.$k" 2>&1
  status=$?
  tidy "$tmp/raw.$k" > "$tmp/out.$k"
  tidy "$tmp/exp.$k" > "$tmp/want.$k"
  if [ "$status" -ne 0 ]; then
    echo "$me: FAIL: doc/tutorial.md:$line: exit status $status from: $(head -1 "$tmp/cmd.$k")"
    sed 's/^/    /' "$tmp/out.$k"
    fail=1
  elif ! cmp -s "$tmp/want.$k" "$tmp/out.$k"; then
    if [ -z "${CORSIM_UPDATE_GOLDEN:-}" ]; then
      echo "$me: FAIL: doc/tutorial.md:$line: the output differs from the tutorial's:"
      diff -u "$tmp/want.$k" "$tmp/out.$k" | sed '1,2d'
      fail=1
    fi
  else
    pass=$((pass + 1))
  fi
  k=$((k + 1))
done

# ---- update mode: put the real outputs into the document -----------------
if [ -n "${CORSIM_UPDATE_GOLDEN:-}" ]; then
  awk -v dir="$tmp" '
    function emit(   f, l) {
      f = dir "/out." k
      while ((getline l < f) > 0) print l
      close(f)
    }
    /^```/ {
      if (!inblock && $0 ~ /^```console[ \t]*$/) { inblock = 1; print; next }
      if (inblock) { if (incmd) emit(); inblock = 0; incmd = 0; skipping = 0; print; next }
    }
    !inblock { print; next }
    incmd { print; incmd = /\\$/; if (!incmd) { emit(); skipping = 1 }; next }
    /^\$ / {
      k++; print; incmd = /\\$/
      if (!incmd) { emit(); skipping = 1 }
      next
    }
    skipping { next }
    { print }
  ' "$doc" > "$tmp/new.md"
  if cmp -s "$doc" "$tmp/new.md"; then
    echo "$me: doc/tutorial.md is up to date"
  elif cp "$tmp/new.md" "$doc"; then
    echo "$me: rewrote the outputs in $doc; review the diff"
  else
    echo "$me: FAIL: cannot write $doc"
    fail=1
  fi
fi

echo "$me: $pass of $n commands of doc/tutorial.md print what it shows"
exit $fail
