#!/bin/sh
# View 7 on the fixture ledger with a disputed invoice: 13 weeks of
# expected receipts, the disputed amount apart, what is expected later and
# the totals, at 100x30 and 80x24.
. "$top_srcdir/tests/tui/lib.sh"
plan 5
fixture_ledger
"$DUN" --db "$DB" log BRUN --dispute INV-2002 pricing --owner carol >/dev/null
tui_start 100 30 --db "$DB"
tui_wait "starts" "Call list"
tui_keys 7
tui_expect "7 shows 13 weeks, disputed apart, later and totals" forecast-100.txt
tui_start 80 24 --db "$DB"
tui_keys 7
tui_expect "the view at 80x24" forecast-80.txt
tui_keys G
tui_wait "G selects the last row" "14/14"
tui_keys q q
tui_wait "q backs out and quits" "[exit 0]"
