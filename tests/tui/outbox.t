#!/bin/sh
# View 5 on the fixture ledger after a dunning run: the plan of the next 7
# days above the outbox, at 100x30 and 80x24; Enter previews a message; h
# holds then releases it and z snoozes a customer, each checked in the
# ledger afterwards with `dun outbox list` and `dun show`.
. "$top_srcdir/tests/tui/lib.sh"
plan 14
fixture_ledger
"$DUN" --db "$DB" dunning run >/dev/null
state() { "$DUN" --db "$DB" outbox list | awk -F, -v id="$1" '$1 == id { print $8 }'; }
tui_start 100 30 --db "$DB"
tui_wait "starts" "Call list"
tui_keys 5
tui_expect "5 shows the plan by date and channel above the outbox" outbox-100.txt
tui_keys Tab j Enter
tui_wait "Enter previews the message: recipient, subject and body" "Subject: Relance : factures échues - Brun"
tui_keys q h
tui_wait "h holds a queued message" "message 2 held"
check "dun outbox list says held" test "$(state 2)" = held
tui_keys h
tui_wait "h again releases it" "message 2 released"
check "dun outbox list says queued" test "$(state 2)" = queued
tui_keys BTab z
tui_wait "z opens the snooze form on the selected customer" "Snooze dunning of ACME"
tui_keys C-u && tui_type "2026-11-01"
tui_wait "a date in the past is refused as it is typed" "a snooze ends today or later"
tui_keys C-u && tui_type "2026-11-30" && tui_keys Tab && tui_type "waiting for PO" && tui_keys Enter
tui_wait "the snooze is recorded" "ACME: dunning snoozed until 2026-11-30"
"$DUN" --db "$DB" show ACME | grep -q "dunning snoozed until 2026-11-30: waiting for PO"
check "dun show has the snooze" test $? -eq 0
tui_wait_re "the plan is computed again without ACME" "Dunning plan, 2026-11-22 and 7 days 1/5"
tui_start 80 24 --db "$DB"
tui_keys 5
tui_expect "the view at 80x24" outbox-80.txt
tui_keys q q
tui_wait "q backs out and quits" "[exit 0]"
