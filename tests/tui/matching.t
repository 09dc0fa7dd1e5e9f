#!/bin/sh
# View 6, matching: the unapplied payments with their best proposals; `a`
# accepts one as a person's match (allocations "manual", the payer account
# learned), `n` leaves one unapplied.
. "$top_srcdir/tests/tui/lib.sh"
plan 8
data="$top_srcdir/tests/cli/data"
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" import customers "$data/match/customers.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$data/match/invoices.csv" >/dev/null
"$DUN" --db "$DB" import bank "$data/bank/stmt.xml" >/dev/null
tui_start 120 24 --db "$DB"
tui_wait "starts" "Call list"
tui_keys 6
tui_wait "6 opens the matching view" "Unapplied payments 1/4"
tui_wait "a payment shows its proposal" "INV-2026-0012 INV-2026-0013"
tui_keys a
tui_wait "a accepts it" "E2E-ACME-1 matched to 2 invoices of ACME"
tui_wait "the payment leaves the list" "Unapplied payments 1/3"
expect "the allocations are a person's" 0 "manual|2" \
	sql "SELECT how, count(*) FROM allocation GROUP BY how"
expect "the payer account is learned" 0 "FR7630006000011234567890189|ACME" \
	sql "SELECT a.account, c.code FROM payer_account a JOIN customer c ON c.id = a.customer_id"
tui_keys n
tui_wait "n leaves a payment and moves on" "Unapplied payments 2/3"
