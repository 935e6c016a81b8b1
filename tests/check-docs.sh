#!/bin/sh
# check-docs.sh -- every exported function of libcorsim has a man page.
#
# Run by `make check` from the build directory with top_srcdir,
# top_builddir and NM in the environment.  Checks that
#   - every function the shared library exports has doc/man3/<name>.3,
#     the page's NAME section lists the function, and the overview
#     corsim(3) refers to it;
#   - doc/man3/Makefile.inc lists exactly the doc/man3/*.3 files;
#   - every redirect page (".so man3/<page>.3") points to a real page;
#   - if groff is installed, every real page renders without a warning;
#   - corsim-profiles(5) exists, is installed, renders and mentions every
#     behaviour of data/profiles.xml;
#   - corsim(1) exists, is installed, renders and mentions every command
#     and every option that tools/corsim.c accepts;
#   - every error code of CORSIM_ERROR_MAP has a message and is listed in
#     corsim(3) or corsim_strerror(3), every block reason of
#     CORSIM_BLOCK_MAP (with its identifier and anchor) in
#     corsim_block_reason_name(3), every other enum constant in a man3 page;
#   - the relative links of README.md, doc/tutorial.md, doc/design.md and
#     examples/README.md resolve, and they link to each other (README ->
#     tutorial -> examples, man pages, design);
#   - every function doc/design.md names in its tables is defined in lib/
#     or tools/, and it has a paragraph on every file of lib/;
#   - the response heads installed by examples/Makefile.inc are exactly
#     examples/responses/*.http.
# Exit status: 0 when all is well, 1 otherwise.

LC_ALL=C
export LC_ALL

: "${top_srcdir:=$(dirname "$0")/..}"
: "${top_builddir:=.}"
: "${NM:=nm}"

me=check-docs
mandir=$top_srcdir/doc/man3
mkinc=$mandir/Makefile.inc
so=$top_builddir/lib/.libs/libcorsim.so
errors=0

fail() {
  echo "$me: FAIL: $*" >&2
  errors=$((errors + 1))
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-docs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

if [ ! -f "$so" ]; then
  echo "$me: FAIL: $so not found; build the shared library first" >&2
  exit 1
fi
if [ ! -d "$mandir" ]; then
  echo "$me: FAIL: $mandir not found" >&2
  exit 1
fi
if [ ! -f "$mkinc" ]; then
  echo "$me: FAIL: $mkinc not found" >&2
  exit 1
fi

# The names listed in the NAME section of page $1, one per line: the text
# between ".SH NAME" and the next ".SH", up to " \- ", split at commas.
page_names() {
  awk '
    /^\.SH[ \t]/ { if (inname) exit; if ($2 == "NAME") { inname = 1; next } }
    inname && !/^\./ { text = text " " $0 }
    END {
      sub(/ \\- .*/, "", text)
      n = split(text, parts, ",")
      for (i = 1; i <= n; i++) {
        gsub(/^[ \t]+|[ \t]+$/, "", parts[i])
        if (parts[i] != "") print parts[i]
      }
    }' "$1"
}

# The target of redirect page $1 ("man3/x.3"), or nothing for a real page.
redirect_target() {
  sed -n '1s/^\.so[[:blank:]][[:blank:]]*\([^[:blank:]]*\)[[:blank:]]*$/\1/p' "$1"
}

# ---- 1. exported functions --------------------------------------------------
if ! $NM -D --defined-only "$so" > "$tmp/nm.out" 2> "$tmp/nm.err"; then
  echo "$me: FAIL: '$NM -D --defined-only $so' failed:" >&2
  cat "$tmp/nm.err" >&2
  exit 1
fi
awk '$2 == "T" { print $3 }' "$tmp/nm.out" | sort -u > "$tmp/functions"
nfunctions=$(wc -l < "$tmp/functions" | tr -d ' ')
if [ "$nfunctions" -eq 0 ]; then
  echo "$me: FAIL: $so exports no functions" >&2
  exit 1
fi

while read -r fn; do
  page=$mandir/$fn.3
  if [ ! -f "$page" ]; then
    fail "$fn is exported but doc/man3/$fn.3 does not exist"
    continue
  fi
  target=$(redirect_target "$page")
  real=$page
  if [ -n "$target" ]; then
    real=$top_srcdir/doc/$target
    [ -f "$real" ] || continue # reported below
  fi
  if ! page_names "$real" | grep -Fqx "$fn"; then
    fail "the NAME section of ${real#"$top_srcdir"/} does not list $fn"
  fi
  if [ -f "$mandir/corsim.3" ] &&
     ! grep -Eq "^\.BR $fn \(3\)" "$mandir/corsim.3"; then
    fail "the overview doc/man3/corsim.3 does not list $fn (3)"
  fi
done < "$tmp/functions"
[ -f "$mandir/corsim.3" ] || fail "the overview doc/man3/corsim.3 does not exist"

# ---- 2. pages on disk versus doc/man3/Makefile.inc -------------------------
(cd "$mandir" && ls) | grep '\.3$' | sed 's|^|doc/man3/|' | sort > "$tmp/ondisk"
# Words of the dist_man3_MANS assignment and its continuation lines.
awk '
  /^dist_man3_MANS[ \t]*=/ { inlist = 1; sub(/^[^=]*=/, "") }
  inlist {
    cont = /\\[ \t]*$/
    sub(/\\[ \t]*$/, "")
    for (i = 1; i <= NF; i++) print $i
    if (!cont) inlist = 0
  }' "$mkinc" | sort > "$tmp/listed"
npages=$(wc -l < "$tmp/ondisk" | tr -d ' ')

for f in $(uniq -d "$tmp/listed"); do
  fail "$f is listed more than once in doc/man3/Makefile.inc"
done
for f in $(comm -23 "$tmp/ondisk" "$tmp/listed"); do
  fail "$f exists but is not listed in doc/man3/Makefile.inc"
done
for f in $(comm -13 "$tmp/ondisk" "$tmp/listed"); do
  fail "$f is listed in doc/man3/Makefile.inc but does not exist"
done

# ---- 3. redirects and rendering --------------------------------------------
if command -v groff > /dev/null 2>&1; then
  have_groff=yes
else
  have_groff=no
  echo "$me: groff not found; pages are not rendered"
fi

nreal=0
nredirect=0
for page in "$mandir"/*.3; do
  [ -f "$page" ] || continue
  name=${page##*/}
  name=${name%.3}
  target=$(redirect_target "$page")
  if [ -n "$target" ]; then
    nredirect=$((nredirect + 1))
    real=$top_srcdir/doc/$target
    if [ "$(wc -l < "$page" | tr -d ' ')" -ne 1 ]; then
      fail "doc/man3/$name.3: a redirect page must be the single line '.so $target'"
    fi
    case $target in
      man3/*.3) ;;
      *) fail "doc/man3/$name.3: redirect target '$target' is not man3/<page>.3" ;;
    esac
    if [ ! -f "$real" ]; then
      fail "doc/man3/$name.3: redirect target doc/$target does not exist"
    elif [ -n "$(redirect_target "$real")" ]; then
      fail "doc/man3/$name.3: redirect target doc/$target is itself a redirect"
    elif ! page_names "$real" | grep -Fqx "$name"; then
      fail "doc/man3/$name.3 redirects to doc/$target, whose NAME section does not list $name"
    fi
    continue
  fi

  nreal=$((nreal + 1))
  sections='NAME SYNOPSIS DESCRIPTION RETURN_VALUE OWNERSHIP SEE_ALSO'
  [ "$name" = corsim ] && sections='NAME SYNOPSIS DESCRIPTION SEE_ALSO'
  for section in $sections; do
    section=$(echo "$section" | tr _ ' ')
    if ! grep -Eq "^\.SH[[:blank:]]+\"?$section\"?[[:blank:]]*$" "$page"; then
      fail "doc/man3/$name.3 has no $section section"
    fi
  done
  if [ "$have_groff" = yes ]; then
    # Rendered, not -z: line-breaking warnings only appear with output.
    if ! groff -man -Tutf8 -ww "$page" > /dev/null 2> "$tmp/groff.err"; then
      fail "groff failed on doc/man3/$name.3"
    fi
    if [ -s "$tmp/groff.err" ]; then
      fail "groff warns about doc/man3/$name.3:"
      sed 's/^/    /' "$tmp/groff.err" >&2
    fi
  fi
done

# Section 5: the profile file format page exists, is installed, renders.
page5="$top_srcdir/doc/man5/corsim-profiles.5"
if [ ! -f "$page5" ]; then
  fail "doc/man5/corsim-profiles.5 does not exist"
else
  grep -q 'dist_man5_MANS.*doc/man5/corsim-profiles.5' "$top_srcdir/Makefile.am" ||
    fail "doc/man5/corsim-profiles.5 is not installed by Makefile.am"
  if [ "$have_groff" = yes ]; then
    if ! groff -man -Tutf8 -ww "$page5" > /dev/null 2> "$tmp/groff.err" ||
       [ -s "$tmp/groff.err" ]; then
      fail "groff warns about doc/man5/corsim-profiles.5:"
      cat "$tmp/groff.err" >&2
    fi
  fi
  # every behaviour the library models is documented there
  for b in $(sed -n 's/.*<behaviour id="\([^"]*\)".*/\1/p' "$top_srcdir/data/profiles.xml"); do
    grep -qF -- "$b" "$page5" ||
      fail "corsim-profiles(5) does not mention behaviour $b"
  done
fi

# Section 1: the page of the command-line tool exists, is installed,
# renders, and mentions every command and option that tools/corsim.c
# accepts (taken from the source, so that the check follows it).
page1="$top_srcdir/doc/man1/corsim.1"
tool="$top_srcdir/tools/corsim.c"
ncommands=0
noptions=0
if [ ! -f "$page1" ]; then
  fail "doc/man1/corsim.1 does not exist"
elif [ ! -f "$tool" ]; then
  fail "tools/corsim.c not found"
else
  grep -q 'dist_man1_MANS.*doc/man1/corsim.1' "$top_srcdir/Makefile.am" ||
    fail "doc/man1/corsim.1 is not installed by Makefile.am"
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' \
                 ENVIRONMENT EXAMPLES 'SEE ALSO'; do
    grep -Eq "^\.SH[[:blank:]]+\"?$section\"?[[:blank:]]*$" "$page1" ||
      fail "doc/man1/corsim.1 has no $section section"
  done
  # The page as plain text: hyphens, quotes and fonts resolved.
  if [ "$have_groff" = yes ]; then
    if ! groff -man -Tutf8 -ww "$page1" > /dev/null 2> "$tmp/groff.err" ||
       [ -s "$tmp/groff.err" ]; then
      fail "groff warns about doc/man1/corsim.1:"
      sed 's/^/    /' "$tmp/groff.err" >&2
    fi
    groff -man -Tascii -P-cbou "$page1" > "$tmp/man1.txt" 2> /dev/null
  else
    sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(aq/'"'"'/g' \
        -e 's/\\(dq/"/g' -e 's/\\e/\\/g' -e 's/\\ / /g' -e 's/\\&//g' \
        "$page1" > "$tmp/man1.txt"
  fi
  # Commands: the name column of the commands[] table, e.g.
  #   {"filter", "corsim filter [options] [FILE]",
  sed -n 's/^[[:blank:]]*{"\([a-z][a-z]*\)", "corsim .*/\1/p' "$tool" |
    sort -u > "$tmp/commands"
  # Words compared with the arguments after a command ("profiles show").
  sed -n 's/.*strcmp(argv\[[^]]*\], "\([a-z][a-z]*\)").*/\1/p' "$tool" |
    sort -u > "$tmp/subcommands"
  # Commands accepted by name besides the table ("help", "version").
  sed -n 's/.*strcmp(cmd, "\([a-z][a-z]*\)").*/\1/p' "$tool" |
    sort -u > "$tmp/aliases"
  # Options: every string literal that is a whole option, "--name" or
  # "-X".
  grep -o '"--*[A-Za-z][-A-Za-z]*"' "$tool" | tr -d '"' | sort -u \
    > "$tmp/options"
  ncommands=$(wc -l < "$tmp/commands" | tr -d ' ')
  noptions=$(wc -l < "$tmp/options" | tr -d ' ')
  [ "$ncommands" -gt 0 ] ||
    fail "found no commands in tools/corsim.c (has its commands[] table changed?)"
  [ "$noptions" -gt 0 ] ||
    fail "found no options in tools/corsim.c"
  while read -r c; do
    grep -Eq "corsim $c([^-[:alnum:]_]|$)" "$tmp/man1.txt" ||
      fail "corsim(1) does not show the command 'corsim $c'"
  done < "$tmp/commands"
  while read -r w; do
    grep -Eq "corsim [a-z]+ $w([^-[:alnum:]_]|$)" "$tmp/man1.txt" ||
      fail "corsim(1) does not show the subcommand '$w'"
  done < "$tmp/subcommands"
  while read -r w; do
    grep -Eq "(^|[^-[:alnum:]_])$w([^-[:alnum:]_]|$)" "$tmp/man1.txt" ||
      fail "corsim(1) does not mention the command '$w'"
  done < "$tmp/aliases"
  while read -r o; do
    grep -Eq -- "(^|[^-[:alnum:]_])$o([^-[:alnum:]_]|$)" "$tmp/man1.txt" ||
      fail "corsim(1) does not mention the option $o"
  done < "$tmp/options"
fi

# ---- 4. error codes, block reasons and the other enumerations --------------
# Every error code of CORSIM_ERROR_MAP has a message (what corsim_strerror()
# returns) and is listed in corsim(3) or corsim_strerror(3); every block
# reason of CORSIM_BLOCK_MAP is listed, with its identifier and anchor, in
# corsim_block_reason_name(3); every constant of the other public enums
# appears in some man3 page.  (examples/why-blocked, run by
# tests/run-examples.sh, checks that each reason has a message at run time.)
header=$top_srcdir/include/corsim.h
# The man pages as plain words: "\-" is "-", fonts dropped.
cat "$mandir"/*.3 | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(dq/"/g' \
  > "$tmp/man3.txt"
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(dq/"/g' \
  "$mandir/corsim.3" "$mandir/corsim_strerror.3" > "$tmp/errpages.txt"
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(dq/"/g' \
  "$mandir/corsim_block_reason_name.3" > "$tmp/blockpage.txt"
# XX(NAME, value, "message") entries, continuation lines joined.
{ sed -n '/^#define CORSIM_ERROR_MAP/,/^$/p' "$header" | tr -d '\\\n'; echo; } |
  sed 's/XX(/\nXX(/g' | sed -n 's/^XX(\([A-Z_]*\), *\(-*[0-9]*\), *\(.*\)).*/\1 \3/p' \
  > "$tmp/errors"
nerrors=$(wc -l < "$tmp/errors" | tr -d ' ')
[ "$nerrors" -gt 0 ] || fail "found no entries in CORSIM_ERROR_MAP of include/corsim.h"
while read -r name msg; do
  case $msg in
    '""'* | '') fail "error code CORSIM_ERR_$name has no message in CORSIM_ERROR_MAP" ;;
  esac
  grep -q "CORSIM_ERR_$name\\b" "$tmp/errpages.txt" ||
    fail "error code CORSIM_ERR_$name is not listed in corsim(3) or corsim_strerror(3)"
done < "$tmp/errors"
{ sed -n '/^#define CORSIM_BLOCK_MAP/,/^$/p' "$header" | tr -d '\\\n'; echo; } |
  sed 's/XX(/\nXX(/g' |
  sed -n 's/^XX(\([A-Z_]*\), *[0-9]*, *"\([^"]*\)", *"\([^"]*\)").*/\1 \2 \3/p' \
  > "$tmp/reasons"
nreasons=$(wc -l < "$tmp/reasons" | tr -d ' ')
[ "$nreasons" -gt 1 ] || fail "found no entries in CORSIM_BLOCK_MAP of include/corsim.h"
while read -r name id anchor; do
  grep -q "CORSIM_BLOCK_$name\\b" "$tmp/blockpage.txt" ||
    fail "block reason CORSIM_BLOCK_$name is not listed in corsim_block_reason_name(3)"
  grep -qF "\"$id\"" "$tmp/blockpage.txt" ||
    fail "corsim_block_reason_name(3) does not give the identifier \"$id\" of CORSIM_BLOCK_$name"
  if [ -n "$anchor" ]; then
    grep -qF "$anchor" "$tmp/blockpage.txt" ||
      fail "corsim_block_reason_name(3) does not give the anchor $anchor of CORSIM_BLOCK_$name"
  fi
done < "$tmp/reasons"
# The other enumerations: constants "CORSIM_X = ..." or "CORSIM_X," inside
# a typedef enum or anonymous enum of the header.
awk '/^(typedef )?enum/ { inenum = 1; next } inenum && /^}/ { inenum = 0 }
     inenum { if (match($0, /^ *CORSIM_[A-Z0-9_]+/)) {
                s = substr($0, RSTART, RLENGTH); gsub(/ /, "", s); print s } }' \
  "$header" | sort -u > "$tmp/constants"
nconstants=$(wc -l < "$tmp/constants" | tr -d ' ')
while read -r c; do
  grep -q "$c\\b" "$tmp/man3.txt" ||
    fail "the enum constant $c of corsim.h appears in no man3 page"
done < "$tmp/constants"

# ---- 5. the guides: tutorial, design, examples -----------------------------
# Relative links of the Markdown documents lead to files of the tree, and
# the reader can go README -> tutorial -> examples and man pages -> design.
nlinks=0
for md in README.md doc/tutorial.md doc/design.md examples/README.md; do
  f=$top_srcdir/$md
  if [ ! -f "$f" ]; then
    fail "$md does not exist"
    continue
  fi
  dir=$(dirname "$f")
  # Every "](target)" that is not a URL or an anchor of the same page.
  grep -o '](\([^)#]*\)[^)]*)' "$f" | sed 's/^](\([^)#]*\).*/\1/' |
    grep -v -e '^[a-z][a-z]*:' -e '^$' | sort -u > "$tmp/links"
  while read -r target; do
    nlinks=$((nlinks + 1))
    [ -e "$dir/$target" ] || fail "$md links to $target, which does not exist"
  done < "$tmp/links"
done
for pair in 'README.md doc/tutorial.md' 'README.md doc/design.md' \
            'README.md examples/README.md' \
            'doc/tutorial.md man3/corsim.3' 'doc/tutorial.md man1/corsim.1' \
            'doc/tutorial.md ../examples/README.md' 'doc/tutorial.md design.md' \
            'doc/design.md tutorial.md' 'examples/README.md ../doc/tutorial.md'; do
  set -- $pair
  grep -qF "]($2" "$top_srcdir/$1" || fail "$1 does not link to $2"
done
# The functions that doc/design.md names (`name()` in its tables) exist.
nnamed=0
if [ -f "$top_srcdir/doc/design.md" ]; then
  grep '^|' "$top_srcdir/doc/design.md" | grep -o '`[a-z_][a-z0-9_]*()`' |
    tr -d '`()' | sort -u > "$tmp/named"
  nnamed=$(wc -l < "$tmp/named" | tr -d ' ')
  while read -r fn; do
    grep -Eq "^[A-Za-z_][A-Za-z0-9_ *]*[ *]$fn\\(|^$fn\\(" \
      "$top_srcdir"/lib/*.c "$top_srcdir"/tools/corsim.c ||
      fail "doc/design.md names $fn(), which is not defined in lib/ or tools/"
  done < "$tmp/named"
  # ... and it has a paragraph for every file of lib/.
  for f in "$top_srcdir"/lib/*.c "$top_srcdir"/lib/*.h; do
    b=${f##*/}
    grep -qF "**\`$b\`**" "$top_srcdir/doc/design.md" ||
      fail "doc/design.md has no paragraph on lib/$b"
  done
fi
# The response heads installed for the tutorial are exactly those on disk.
(cd "$top_srcdir" && ls examples/responses/*.http) | sort > "$tmp/heads"
awk '
  /^nobase_dist_doc_DATA[ \t]*=/ { inlist = 1; sub(/^[^=]*=/, "") }
  inlist {
    cont = /\\[ \t]*$/
    sub(/\\[ \t]*$/, "")
    for (i = 1; i <= NF; i++) if ($i ~ /\.http$/) print $i
    if (!cont) inlist = 0
  }' "$top_srcdir/examples/Makefile.inc" | sort > "$tmp/heads.listed"
for f in $(comm -23 "$tmp/heads" "$tmp/heads.listed"); do
  fail "$f is not listed in nobase_dist_doc_DATA of examples/Makefile.inc"
done
for f in $(comm -13 "$tmp/heads" "$tmp/heads.listed"); do
  fail "$f is listed in examples/Makefile.inc but does not exist"
done

echo "$me: checked $nfunctions functions, $npages pages" \
  "($nreal real, $nredirect redirects)," \
  "corsim(1) against $ncommands commands and $noptions options," \
  "$nerrors error codes, $nreasons block reasons, $nconstants enum constants," \
  "$nlinks document links, $nnamed functions named in doc/design.md"
if [ "$errors" -ne 0 ]; then
  echo "$me: $errors problem(s) found" >&2
  exit 1
fi
exit 0
