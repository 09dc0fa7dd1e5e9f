#!/bin/sh
# Imports that touch history: payments allocated explicitly through their
# invoices column, credit notes applied through applies_to, re-imports
# that must not allocate twice nor drop an amount below what is allocated;
# FX rates; the limit on named bad rows; --map mistakes.
. "$top_srcdir/tests/lib.sh"
plan 20
export DUN_TODAY=2024-03-31 DUN_USER=tester
cp "$top_srcdir"/tests/cli/data/import/* "$TEST_DIR"/
cd "$TEST_DIR" || exit 1
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" import customers customers.csv >/dev/null
"$DUN" --db "$DB" import invoices fr-invoices.csv --map fr.map --date-format %d/%m/%Y 2>/dev/null >/dev/null

err_is() {
	printf '%s\n' "$2" >"$TEST_DIR/want_err"
	if cmp -s "$TEST_DIR/want_err" "$TEST_DIR/err"; then ok "$1"; else
		not_ok "$1"; diff -u "$TEST_DIR/want_err" "$TEST_DIR/err" | sed 's/^/# /'; fi
}

expect "payments with explicit allocations" 0 \
	"imported 4 payments (4 new, 0 updated, 0 unchanged; 4 allocations)" \
	"$DUN" --db "$DB" import payments payments.csv
expect "... allocated in order, each up to the invoice's open amount" 0 \
"VIR-001|FA-2024-001|1000.0
VIR-002|FA-2024-002|12000.0
VIR-002|FA-2024-001|234.5
CHQ-17|FA-2024-003|500.0" \
	sql "SELECT p.reference, i.number, a.amount / 100.0 FROM allocation a JOIN payment p ON p.id = a.payment_id
		JOIN invoice i ON i.id = a.invoice_id ORDER BY a.id"
expect "... the rest stays unapplied; a cheque without customer takes its invoice's" 0 \
"VIR-001|ACME|0
VIR-002|ACME|76550
CHQ-17|BETA|0
CB-3||7500" \
	sql "SELECT p.reference, c.code, p.unapplied FROM payment p LEFT JOIN customer c ON c.id = p.customer_id ORDER BY p.id"
expect "... and each payment is in its customer's history" 0 \
"ACME|payment|payment VIR-001|tester
ACME|payment|payment VIR-002|tester
BETA|payment|payment CHQ-17|tester" \
	sql "SELECT c.code, a.kind, a.text, a.who FROM activity a JOIN customer c ON c.id = a.customer_id ORDER BY a.id"
expect "re-importing payments allocates nothing twice" 0 \
	"imported 4 payments (0 new, 0 updated, 4 unchanged)" \
	"$DUN" --db "$DB" import payments payments.csv
expect "... the allocations are the same" 0 "4|1373450" sql "SELECT count(*), sum(amount) FROM allocation"

expect "a credit note applies to its invoice" 0 \
	"imported 1 invoice (1 new, 0 updated, 0 unchanged; 1 allocation)" \
	"$DUN" --db "$DB" import invoices credit-notes.csv
expect "... once" 0 "imported 1 invoice (0 new, 0 updated, 1 unchanged)" \
	"$DUN" --db "$DB" import invoices credit-notes.csv
expect "... and the invoice's open amount drops" 0 \
"number,customer,kind,issue_date,due_date,currency,amount,open,status,days_overdue
FA-2024-003,BETA,invoice,2024-01-15,2024-02-29,EUR,980.00,380.00,open,31
AV-2024-002,BETA,credit_note,2024-03-05,2024-04-30,EUR,-100.00,0.00,credit,0
FA-2024-004,BETA,invoice,2024-02-20,2024-04-30,EUR,2500.75,2500.75,open,0" \
	"$DUN" --db "$DB" invoices --customer BETA --format csv

expect "an amount below what is allocated is refused" 1 "" \
	sh -c "printf 'number,customer,issue_date,amount\nFA-2024-003,BETA,2024-01-15,550\n' >lower.csv &&
		\"$DUN\" --db '$DB' import invoices lower.csv"
err_is "... naming what is allocated" 'dun: lower.csv:2: amount "550": below the 600.00 already allocated to invoice FA-2024-003
dun: lower.csv: 1 bad row, nothing imported'
expect "an amount at what is allocated settles the invoice" 0 \
	"imported 1 invoice (0 new, 1 updated, 0 unchanged)" \
	sh -c "printf 'number,customer,issue_date,amount\nFA-2024-003,BETA,2024-01-15,600\n' >lower.csv &&
		\"$DUN\" --db '$DB' import invoices lower.csv"
expect "... paid on its last allocation's date" 0 "0|2024-03-15" \
	sql "SELECT open_amount, paid_date FROM invoice WHERE number = 'FA-2024-003'"

expect "rates with a decimal comma, exact to 1e-9" 0 "imported 3 rates (3 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$DB" import rates rates.csv
expect "... stored as text and rate_e9" 0 "GBP|2024-03-29|1.1689|1168900000
JPY|2024-03-29|0.006123|6123000
USD|2024-03-29|0.9251|925100000" sql "SELECT * FROM rate ORDER BY currency"
expect_err "a rate or an amount with too many decimals says how many fit" 1 \
	'dun: precise.csv:2: rate "1.1712345678": too many decimals: at most 9
dun: precise.csv: 1 bad row, nothing imported' \
	sh -c "printf 'currency,date,rate\nUSD,2024-03-30,1.1712345678\n' >precise.csv && \"$DUN\" --db '$DB' import rates precise.csv"

expect "unknown invoices and currencies, amounts past int64: refused" 1 "" \
	sh -c "printf 'reference;date;amount;currency;invoices\nX-1;2024-03-01;10,00;EUR;FA-2024-004 FA-9\nX-2;2024-03-01;10,00;XYZ;\nX-3;2024-03-01;92233720368547758,08;EUR;\n' >bad-payments.csv &&
		\"$DUN\" --db '$DB' import payments bad-payments.csv"
err_is "... each named" 'dun: bad-payments.csv:2: invoices "FA-2024-004 FA-9": unknown invoice FA-9
dun: bad-payments.csv:3: currency "XYZ": unknown currency
dun: bad-payments.csv:4: amount "92233720368547758,08": amount too large
dun: bad-payments.csv: 3 bad rows, nothing imported'

# More bad rows than are named.
awk 'BEGIN { print "reference,date,amount"; for (i = 1; i <= 23; i++) printf "R%d,2024-03-%02d,x%d\n", i, i, i }' >many.csv
"$DUN" --db "$DB" import payments many.csv >/dev/null 2>"$TEST_DIR/err"
check "23 bad rows: 20 named, then the count of the rest" \
	sh -c "[ \$(grep -c 'not an amount' '$TEST_DIR/err') = 20 ] &&
		tail -2 '$TEST_DIR/err' | tr '\n' '|' | grep -qx 'dun: many.csv: and 3 more bad rows|dun: many.csv: 23 bad rows, nothing imported|'"
expect "a --map naming no column is a usage error" 2 "" \
	sh -c "printf 'numero = N°\n' >bad.map && \"$DUN\" --db '$DB' import invoices fr-invoices.csv --map bad.map"
