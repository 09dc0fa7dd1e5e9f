#!/bin/sh
# The edit form's "on hold" field at 80x24: y puts the customer on hold
# (named in its history like any edit), the customers pane marks it, the
# call list leaves it out, and u lifts it again.
. "$top_srcdir/tests/tui/lib.sh"
plan 11
fixture_ledger
hold() { sqlite3 "$DB" "SELECT on_hold FROM customer WHERE code = 'ACME'"; }
tui_start 80 24 --db "$DB"
tui_wait "the call list has ACME" "ACME"
tui_keys : && tui_type "goto ACME" && tui_keys Enter
tui_wait ":goto opens the customer" "Aging ACME"
tui_keys e
tui_wait "the edit form has the field, off" "on hold       < no >"
tui_keys Down Down Down Down Down Down y C-s
tui_wait "the edit is saved" "customer saved"
expect "ACME is on hold" 0 "1" hold
tui_wait "the customers pane marks it" "[hold] Acme"
tui_keys 1
tui_wait "the call list leaves it out: five customers left" "Call list — everyone 1/5"
tui_screen | grep -q ACME
check "ACME is not on the call list" test $? -ne 0
expect "the edit is in ACME's history" 0 "edit|on_hold: no → yes" \
	sqlite3 "$DB" "SELECT kind || '|' || text FROM activity WHERE text LIKE 'on_hold%'"
tui_keys u
tui_wait "u undoes the edit" "customer edit undone"
tui_wait "ACME is back on the call list" "Call list — everyone 1/6"
