#!/bin/sh
# The workstation at 80x24, resized at any moment down to a few cells and
# back, with NO_COLOR; its empty state without a ledger; and a change made
# by another process showing within a second. At 80 columns, where the
# invoices pane has no room for the status word, a disputed, paid or credit
# invoice is marked by its initial, which reads without colour.
. "$top_srcdir/tests/tui/lib.sh"
plan 18
tui_start 80 24 --db ledger.db
tui_expect "without a ledger, it says how to import or build the demo" sizes-empty.txt
tui_keys q
tui_wait "q quits from the empty state" "[exit 0]"
printf 'not a database, just bytes\n%.0s' $(seq 200) >"$TEST_DIR/corrupt.db"
tui_start 80 24 --db corrupt.db
tui_wait "a corrupt ledger gets a message, not a crash" "cannot be opened"
tui_keys q
tui_wait "and q still quits" "[exit 0]"
fixture_ledger
tui_start 80 24 --db "$DB"
tui_expect "the call list at 80x24" sizes-calllist-80.txt
tui_keys 2
tui_expect "the customers view at 80x24" sizes-customers-80.txt
tui_resize 12 4
tui_resize 1 1
tui_resize 30 8
tui_wait "tiny sizes draw what fits, without crashing" "Custom"
tui_resize 80 24
tui_expect "back at 80x24 the screen is whole again" sizes-customers-80.txt
"$DUN" --db "$DB" log ACME --note "changed elsewhere" >/dev/null
tui_wait "another process's change appears within a second" "changed elsew"
tui_keys 3
tui_expect "the aging grid at 80x24" sizes-aging-80.txt
tui_keys q q q
tui_wait "quits" "[exit 0]"
"$DUN" --db "$DB" log ACME --dispute INV-1002 pricing >/dev/null
printf 'number,customer,issue_date,amount\nCN-1001,ACME,2026-11-01,-100\n' >"$TEST_DIR/credit.csv"
"$DUN" --db "$DB" import invoices "$TEST_DIR/credit.csv" >/dev/null
NO_COLOR=1 tui_start 80 24 --db "$DB"
tui_wait "NO_COLOR draws the same screen" "Call list"
# xterm mouse reports (TERM=screen in tmux): a click on the fifth line
# selects the third customer, a wheel turn down moves three rows.
tui_keys 2
# the click must reach the customers view, not the call list before it
tui_wait "2 opens the customers view" "[Customers 1/8]"
tui_keys -l "$(printf '\033[M +%%\033[M#+%%')"
tui_wait "a click selects the row under it" "[Customers 3/8]"
tui_keys -l "$(printf '\033[Ma+%%')"
tui_wait "the wheel scrolls" "[Customers 6/8]"
tui_keys g
tui_wait "without colour, a disputed invoice is marked D" "│INV-1002     2026-09-14   69    1,800.50 D│"
tui_wait "a credit note C" "│CN-1001      2026-12-01          -100.00 C│"
tui_keys o
tui_wait "and with o, a paid invoice P" "│INV-1001     2026-07-01             0.00 P│"
