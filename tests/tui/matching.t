#!/bin/sh
# View 6, matching: the unapplied payments with their best proposals; `a`
# accepts one as a person's match (allocations "manual", the payer account
# learned), `n` leaves one unapplied, `p` picks invoices by hand and splits;
# a payment naming an invoice already paid is kept as its customer's
# unapplied cash.
. "$top_srcdir/tests/tui/lib.sh"
plan 18
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
tui_keys p
tui_wait "p opens the pick form" "Pick invoices for BATCH-2"
tui_type "INV-2026-9999"
tui_wait "an unknown invoice is refused as it is typed" "INV-2026-9999: no such invoice"
tui_keys C-u
tui_type "INV-2026-0023=150.00 INV-2026-0012"
tui_wait "another customer's settled invoice is refused" "INV-2026-0012: nothing open on it"
tui_keys C-u
tui_type "INV-2026-0023=150.00"
tui_keys Enter
tui_wait "the pick is applied" "matched by hand to 1 invoice"
expect "150.00 of the 200.00 payment goes to the picked invoice, 50.00 stays unapplied" 0 "15000|5000" \
	sql "SELECT a.amount, p.unapplied FROM allocation a JOIN payment p ON p.id = a.payment_id JOIN invoice i ON i.id = a.invoice_id WHERE i.number = 'INV-2026-0023'"

# T4 names INV 2026 12, paid by E2E-ACME-1 above: ACME's, nothing to
# allocate (not sure enough for --apply: a stranger, another amount).
"$DUN" --db "$DB" import bank "$data/match/twice.sta" >/dev/null
tui_start 120 24 --db "$DB"
tui_keys 6
tui_wait "the view opens on the new statement too" "Unapplied payments 1/8"
tui_wait_re "a payment naming a paid invoice proposes its customer's unapplied cash" \
	"T4 +55\.00 0\.80 ACME +unapplied cash +JANE DOE +INV 2026 12 +reference"
tui_keys j j j j j j
tui_wait "on T4" "Unapplied payments 7/8"
tui_keys a
tui_wait "a keeps it as ACME's unapplied cash" "T4 kept as unapplied cash of ACME"
expect "the payment is ACME's, all of it unapplied, with nothing allocated" 0 "ACME|5500|0" \
	sql "SELECT c.code, p.unapplied, (SELECT count(*) FROM allocation WHERE payment_id = p.id) FROM payment p JOIN customer c ON c.id = p.customer_id WHERE p.reference = 'T4'"
