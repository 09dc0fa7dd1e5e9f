#!/bin/sh
# Replays every fuzz target's seed corpus (and every crash once found and
# fixed, kept in fuzz/corpus/NAME/) through the plain build.
. "$top_srcdir/tests/lib.sh"
targets=$(ls "$top_srcdir/fuzz/corpus")
plan $(echo "$targets" | wc -w)
for t in $targets; do
	check "fuzz corpus $t replays cleanly" "$top_builddir/fuzz/fuzz_$t" "$top_srcdir/fuzz/corpus/$t"
done
