#!/bin/sh
# The public bank fixtures (../shared/testdata/bank, beside the clone) parse
# to the transactions their projects published; fail_nice OFX files are
# refused naming file and line, or tolerated. See tests/bank/compare.py.
fixtures="$top_srcdir/../shared/testdata/bank"
if [ ! -d "$fixtures" ]; then
	echo "1..0 # SKIP no $fixtures"
	exit 0
fi
exec python3 "$top_srcdir/tests/bank/compare.py" "$top_builddir/tests/bank/bank_dump" \
	"$fixtures" "$top_srcdir/tests/bank/expected"
