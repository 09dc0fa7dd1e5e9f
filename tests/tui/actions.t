#!/bin/sh
# One-key actions on the fixture ledger, each checked in the ledger with
# `dun show` afterwards: a call with its outcome, a promise validated as it
# is typed, a dispute opened then resolved, a note, an edit refused when
# another process changed the customer first, an allocation and an edit
# undone with u, and a resize in mid-form.
. "$top_srcdir/tests/tui/lib.sh"
plan 35
fixture_ledger
show() { "$DUN" --db "$DB" show "$1"; }
tui_start 100 30 --db "$DB"
tui_wait "starts" "Call list"
tui_keys : && tui_type "goto ACME" && tui_keys Enter
tui_wait ":goto opens the customer" "Aging ACME"
tui_keys c
tui_expect "c opens the call form on the customer" actions-call-form.txt
tui_keys Right Right Tab && tui_type "will pay Friday" && tui_keys Enter
tui_wait "the call is logged" "call logged for ACME"
show ACME | grep -q "call .*will pay Friday"
check "dun show has the call" test $? -eq 0
tui_wait "the activity pane shows it with its outcome" "[voicemail] will pay F"
tui_keys p
tui_wait "p opens the promise form with the overdue invoices" "INV-1002 INV-1003"
tui_keys C-u && tui_type "2026-11-01"
tui_wait "a date in the past is refused as it is typed" "a promise cannot be in the past"
tui_keys C-u && tui_type "2026-12-01" && tui_keys Tab C-u && tui_type "12x"
tui_wait "a bad amount is named" "amount"
tui_resize 80 24
tui_expect "the form survives a resize to 80x24" actions-promise-80.txt
tui_resize 100 30
tui_keys C-u && tui_type "1000" && tui_keys Tab C-u && tui_type "INV-1002 INV-9999"
tui_wait "an unknown invoice is named" "no invoice INV-9999"
tui_keys C-u && tui_type "INV-1002" && tui_keys Enter
tui_wait "the promise is recorded" "promise recorded for ACME"
show ACME | grep -q "for 2026-12-01  1000.00 EUR  open  INV-1002"
check "dun show has the promise" test $? -eq 0
tui_keys Tab Tab
tui_keys d
tui_wait "d on an undisputed invoice opens a dispute" "Open a dispute for ACME"
tui_keys Tab Right Right Tab C-u && tui_type "dora" && tui_keys Enter
tui_wait "the dispute is opened" "dispute opened for ACME"
show ACME | grep -q "INV-1002  quality  owner dora  opened 2026-11-22  open"
check "dun show has the open dispute" test $? -eq 0
tui_keys d
tui_wait "d on a disputed invoice offers to resolve it" "Resolve the dispute on INV-1002"
tui_keys Tab && tui_type "credit note agreed" && tui_keys Enter
tui_wait "the dispute is resolved" "dispute resolved for ACME"
show ACME | grep -q "credit note agreed"
check "dun show has the resolution" test $? -eq 0
tui_keys n && tui_type "asked for a statement" && tui_keys Enter
tui_wait "n adds a note" "note added for ACME"
tui_keys e
tui_wait "e opens the edit form" "Edit ACME"
"$DUN" --db "$DB" import customers "$top_srcdir/tests/tui/data/customers.csv" >/dev/null
printf 'code,name,phone\nACME,Acme Industries,+33 9 99 99 99 99\n' >"$TEST_DIR/acme.csv"
"$DUN" --db "$DB" import customers "$TEST_DIR/acme.csv" >/dev/null
tui_keys Down && tui_keys C-u && tui_type "+33 1 00 00 00 00" && tui_keys C-s
tui_wait "an edit on a stale version is refused" "changed by someone else"
tui_keys Escape : && tui_type "goto MOREL" && tui_keys Enter
tui_wait "back to the list" "Aging MOREL"
tui_keys a
tui_wait "a proposes the customer's unapplied payment for the selected invoice" "PAY-4"
tui_keys Enter Enter Enter
tui_wait "the allocation is written" "payment allocated"
show MOREL | grep -q "INV-6001.* 880.00   280.00"
check "dun show has INV-6001 down to 280.00" test $? -eq 0
tui_keys u
tui_wait "u undoes the allocation" "allocation undone"
show MOREL | grep -q "INV-6001.* 880.00   880.00"
check "dun show has INV-6001 open in full again" test $? -eq 0
collector() { sqlite3 "$DB" "SELECT collector || ' ' || version FROM customer WHERE code = 'MOREL'"; }
was=$(collector)
tui_keys e
tui_wait "e on MOREL" "Edit MOREL"
tui_keys Down Down && tui_keys C-u && tui_type "zoe" && tui_keys C-s
tui_wait "the edit is saved" "customer saved"
expect "the ledger has the new collector" 0 "zoe $((${was#* } + 1))" collector
tui_keys u
tui_wait "u undoes the edit" "customer edit undone"
expect "the collector is back, as a further edit" 0 "alice $((${was#* } + 2))" collector
tui_keys u
tui_wait "there is nothing more to undo" "nothing to undo"
tui_keys x
tui_wait "x writes the customer's statement" "MOREL.xlsx"
