#!/bin/sh
# Enter on an invoice turns the third pane of the customers view into the
# invoice's detail: its fields, allocations, disputes, promises, dunning
# steps and the activities naming it, scrolled with j/k; Enter, q or Esc
# go back to the list with the same selection. At 100x30 and at 80x24.
. "$top_srcdir/tests/tui/lib.sh"
plan 16
fixture_ledger
"$DUN" --db "$DB" log BRUN --dispute INV-2002 pricing --owner carol >/dev/null
"$DUN" --db "$DB" log BRUN --promise 2026-11-30 300.00 INV-2001 >/dev/null
# two dunning steps of INV-2001, the first e-mailed (written here so that
# the screen does not depend on the scenarios' wording)
sqlite3 "$DB" "INSERT INTO outbox (customer_id, date, channel, template, language, message_id, state)
	VALUES ((SELECT id FROM customer WHERE code = 'BRUN'), '2026-10-01', 'email', 'reminder-1', 'fr', 'm1@test', 'sent');
	INSERT INTO dunning_log (customer_id, invoice_id, date, scenario, step, channel, name, outbox_id)
	SELECT customer_id, id, '2026-10-01', 'standard', 2, 'email', 'reminder-1', 1 FROM invoice WHERE number = 'INV-2001';
	INSERT INTO dunning_log (customer_id, invoice_id, date, scenario, step, channel, name)
	SELECT customer_id, id, '2026-10-20', 'standard', 3, 'call', 'first call' FROM invoice WHERE number = 'INV-2001';"
tui_start 100 30 --db "$DB"
tui_wait "starts" "Call list"
tui_keys 2 j Tab Tab
tui_wait "the invoices pane has the focus" "[Invoices (open) 1/2]"
tui_keys Enter
tui_expect "Enter shows the invoice's detail in the third pane" detail-100.txt
tui_keys j j j
tui_wait "j scrolls the detail to its last line" "2026-10-20  standard step 3 call first call"
tui_keys G
tui_wait "G shows the end: the activities that name the invoice" "2026-11-22  promise  promise to pay by 2026-11-30"
tui_keys Enter
tui_wait "Enter goes back to the list on the same invoice" "[Invoices (open) 1/2]"
tui_keys j Enter
tui_wait "the detail of a disputed invoice names the dispute" "2026-11-22  pricing  owner carol  open"
tui_wait "with its status" "status    disputed, 52 days overdue"
tui_keys q
tui_wait "q goes back to the list, not out of the view" "[Invoices (open) 2/2]"
tui_keys Enter Escape
tui_wait "so does Esc" "[Invoices (open) 2/2]"
tui_keys Tab Tab k o Tab Tab
tui_wait "o lists the paid invoices too" "[Invoices (all) 1/4]"
tui_keys Enter
tui_wait "a paid invoice's detail says when it was paid" "paid      2026-07-05"
tui_wait "and by which payment" "2026-07-05  4,200.00  payment PAY-1 (import)"
tui_keys Tab Tab j
tui_wait "another customer closes the detail" " Invoices (all) 1/2 "
tui_start 80 24 --db "$DB"
tui_wait "starts at 80x24" "Call list"
tui_keys 2 j Tab Tab Enter
tui_expect "the detail at 80x24" detail-80.txt
