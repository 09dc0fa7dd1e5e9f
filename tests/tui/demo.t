#!/bin/sh
# The workstation on a 30-customer demo ledger: it opens on the call list,
# every view draws, the status bar shows the KPIs, and scoring in the
# background runs to its end while the keyboard stays live.
. "$top_srcdir/tests/tui/lib.sh"
plan 7
demo_ledger 30
DUN_NO_BACKGROUND=
tui_start 100 30 --db "$DB"
tui_wait "opens on the call list" "Call list"
tui_wait "the status bar shows AR, overdue and DSO" "DSO"
tui_keys 2
tui_wait "the customers view" "[Customers 1/30]"
tui_keys 3
tui_wait "the aging grid" "Aging by customer"
tui_keys 4
tui_wait "the disputes" "Open disputes"
n=0
while tui_screen | grep -q "scoring…\|reading…\|fitting…" && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
tui_keys 2
tui_wait_re "the risk classes arrive from the background scoring" "^│C00001 .* [A-E] +[0-9,.]*│"
tui_keys q q q
tui_wait "quits" "[exit 0]"
