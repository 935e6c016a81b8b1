#!/bin/sh
# make check: the fuzz target fuzz_filter over its seeds (see smoke.sh).
exec ${SHELL:-/bin/sh} "${top_srcdir:-.}/tests/fuzz/smoke.sh" filter
