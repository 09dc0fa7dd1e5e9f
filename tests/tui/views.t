#!/bin/sh
# The views of the workstation at 100x30 on the fixture ledger: the call
# list it opens on, the four panes of the customers view and moving
# through them, the aging grid sorted and drilled into, the disputes, the
# help generated from the command tables, and q backing out to the end.
. "$top_srcdir/tests/tui/lib.sh"
plan 18
fixture_ledger
"$DUN" --db "$DB" log BRUN --dispute INV-2002 pricing --owner carol >/dev/null
tui_start 100 30 --db "$DB"
tui_expect "opens on the call list" views-calllist.txt
tui_keys 2
tui_expect "2 shows the customers with the selection's aging, invoices, activity" views-customers.txt
tui_keys j Tab Tab
tui_expect "j moves the selection, the other panes follow; Tab reaches the invoices" views-customers-moved.txt
tui_keys o
tui_wait "o shows paid invoices too" "INV-2001"
tui_keys BTab Enter
tui_wait "Enter on the aging pane shows the portfolio's" "Aging — portfolio"
tui_wait "with the ledger's total" "55,760.50"
tui_keys Enter Tab
tui_wait "and Enter again the selection's" "Aging BRUN"
tui_keys 3
tui_expect "3 shows the aging grid, largest total first, with totals" views-aging.txt
tui_keys s
tui_wait "s sorts by the next column" "current▼"
tui_keys l l l
tui_wait "l scrolls the bucket columns, code and name stay" "│code      name                             31-60"
tui_keys Enter
tui_wait "Enter drills into the selected customer" "[Customers 6/8]"
tui_keys Enter
tui_wait "Enter on a customer shows its whole story (dun show) in the pager" "[show KYOTO"
tui_keys q
tui_keys 4
tui_expect "4 shows the open disputes, oldest first" views-disputes.txt
tui_keys '?'
tui_wait "? shows the help from the command tables" "Workstation commands"
tui_keys G
tui_wait "the help lists the CLI's commands too" ":statement CODE"
tui_keys q
tui_keys q q q
tui_wait "q backs out of each view and quits from the first" "[exit 0]"
"$DUN" --db "$DB" customers >/dev/null
check "the ledger is intact after the session" test $? -eq 0
tui_start 100 30 --db "$DB"
tui_wait "a second session opens" "Call list"
