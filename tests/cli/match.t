#!/bin/sh
# `dun match`: proposals by reference (with continuations, RF creditor
# references, [match] patterns), by payer name and amount, oldest invoices,
# a combination, an unknown payer; --apply applies what reaches the
# threshold in one transaction and a second run sees only what is left;
# a remittance naming only invoices already paid still names the customer,
# whose unapplied cash the money becomes.
. "$top_srcdir/tests/lib.sh"
plan 14
data="$top_srcdir/tests/cli/data"
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" import customers "$data/match/customers.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$data/match/invoices.csv" >/dev/null
for f in bank/stmt.xml bank/lines.csv match/more.sta; do
	"$DUN" --db "$DB" import bank "$data/$f" >/dev/null
done

expect "one proposal per unapplied payment" 0 \
'payment,date,amount,customer,invoices,confidence,reason,applied
E2E-ACME-1,2026-11-20,1200.00,ACME,INV-2026-0012;INV-2026-0013,0.99,reference (payer name),no
BATCH-1,2026-11-20,100.00,SGE,INV-2026-0020,0.94,"reference, partial payment (payer name)",no
BATCH-2,2026-11-20,200.00,GLOBEX,INV-2026-0021;INV-2026-0022,0.90,oldest invoices (payer name),no
STMT-2026-11-20/5,2026-11-20,450.00,MULLER,INV-2026-0040,0.99,reference (payer name),no
CSV-1,2026-11-20,1234.50,INITECH,INV-2026-0030;INV-2026-0031,0.94,reference and amount (payer name),no
E2E-UMB-1,2026-11-21,777.00,UMBRELLA,INV-2026-0050,0.90,amount (payer name),no
M2,2026-11-21,999.00,ACME,INV-2026-0014,0.60,"amount only, payer unknown",no
M3,2026-11-21,42.00,,,0.00,"no reference, payer unknown",no' \
	"$DUN" --db "$DB" match
expect "without --apply nothing is written" 0 "0" sql "SELECT count(*) FROM allocation"

expect "a [match] pattern finds \"2026 N 50\"" 0 \
	'E2E-UMB-1,2026-11-21,777.00,UMBRELLA,INV-2026-0050,0.99,reference (payer name),no' \
	sh -c "'$DUN' --db '$DB' --config '$data/match/match.ini' match | grep UMB"
printf '[match]\npatterns = (\n' >"$TEST_DIR/bad.ini"
expect_err "a bad pattern is refused with its file and line, before any output" 1 \
	"dun: $TEST_DIR/bad.ini:2: patterns \"(\": missing closing parenthesis at offset 1" \
	"$DUN" --db "$DB" --config "$TEST_DIR/bad.ini" match
expect_err "a bad --min-confidence" 2 \
	'dun: --min-confidence "1.5": expected a number from 0 to 1 (two decimals)' \
	"$DUN" --db "$DB" match --min-confidence 1.5

expect "--apply at 0.90 applies what reaches it" 0 \
'payment,date,amount,customer,invoices,confidence,reason,applied
E2E-ACME-1,2026-11-20,1200.00,ACME,INV-2026-0012;INV-2026-0013,0.99,reference (payer name),yes
BATCH-1,2026-11-20,100.00,SGE,INV-2026-0020,0.94,"reference, partial payment (payer name)",yes
BATCH-2,2026-11-20,200.00,GLOBEX,INV-2026-0021;INV-2026-0022,0.90,oldest invoices (payer name),yes
STMT-2026-11-20/5,2026-11-20,450.00,MULLER,INV-2026-0040,0.99,reference (payer name),yes
CSV-1,2026-11-20,1234.50,INITECH,INV-2026-0030;INV-2026-0031,0.94,reference and amount (payer name),yes
E2E-UMB-1,2026-11-21,777.00,UMBRELLA,INV-2026-0050,0.90,amount (payer name),yes
M2,2026-11-21,999.00,ACME,INV-2026-0014,0.60,"amount only, payer unknown",no
M3,2026-11-21,42.00,,,0.00,"no reference, payer unknown",no' \
	"$DUN" --db "$DB" match --apply
expect "the allocations are rule-made and leave the right amounts open" 0 \
'INV-2026-0012|0
INV-2026-0013|0
INV-2026-0020|15000
INV-2026-0021|0
INV-2026-0022|0
INV-2026-0030|0
INV-2026-0031|0
INV-2026-0040|0
INV-2026-0050|0' \
	sql "SELECT DISTINCT i.number, i.open_amount FROM allocation a JOIN invoice i ON i.id = a.invoice_id WHERE a.how = 'rule' ORDER BY i.number"
expect "the payments now belong to their customers" 0 "6" \
	sql "SELECT count(*) FROM payment WHERE customer_id IS NOT NULL AND unapplied = 0"
expect "a second run sees only what is left; --min-confidence 0.6 takes more" 0 \
'payment,date,amount,customer,invoices,confidence,reason,applied
M2,2026-11-21,999.00,ACME,INV-2026-0014,0.60,"amount only, payer unknown",yes
M3,2026-11-21,42.00,,,0.00,"no reference, payer unknown",no' \
	"$DUN" --db "$DB" match --apply --min-confidence 0.6
"$DUN" --db "$DB" import bank "$data/bank/returns.sta" >/dev/null
expect "a payment its bank reversed, and the reversal, are not matched" 0 \
'payment,date,amount,customer,invoices,confidence,reason,applied
M3,2026-11-21,42.00,,,0.00,"no reference, payer unknown",no' \
	"$DUN" --db "$DB" match

# Paid twice: T1 cites INV-2026-0040 (paid by an earlier statement; for
# exactly its amount), T3 INV-2026-0023 like T2 before it in the same run;
# T4 a paid invoice of ACME from a stranger, for another amount (not sure
# enough); T5 a paid invoice of ACME from UMBRELLA, a customer itself (a
# mistyped reference, more likely).
"$DUN" --db "$DB" import bank "$data/match/twice.sta" >/dev/null
paid_twice='M3,2026-11-21,42.00,,,0.00,"no reference, payer unknown",no
T1,2026-11-22,450.00,MULLER,,0.93,reference INV-2026-0040 already paid,APPLIED
T2,2026-11-22,300.00,GLOBEX,INV-2026-0023,0.99,reference (payer name),APPLIED
T3,2026-11-22,300.00,GLOBEX,,0.93,reference INV-2026-0023 already paid (payer name),APPLIED
T4,2026-11-22,55.00,ACME,,0.80,reference INV-2026-0012 already paid,no
T5,2026-11-22,70.00,UMBRELLA,,0.00,no open invoice (payer name),no'
expect "a reference to an invoice already paid names its customer, with nothing allocated" 0 \
	"payment,date,amount,customer,invoices,confidence,reason,applied
$(echo "$paid_twice" | sed 's/APPLIED$/no/')" \
	"$DUN" --db "$DB" match
expect "--apply gives such a payment to the customer" 0 \
	"payment,date,amount,customer,invoices,confidence,reason,applied
$(echo "$paid_twice" | sed 's/APPLIED$/yes/')" \
	"$DUN" --db "$DB" match --apply
expect "all of it stays the customer's unapplied cash, with an activity" 0 \
'T1|MULLER|45000|payment T1 assigned, 450.00 EUR unapplied (rule)
T3|GLOBEX|30000|payment T3 assigned, 300.00 EUR unapplied (rule)
T4||5500|' \
	sql "SELECT p.reference, coalesce(c.code, ''), p.unapplied, coalesce(a.text, '') FROM payment p
	LEFT JOIN customer c ON c.id = p.customer_id LEFT JOIN activity a ON a.kind = 'payment' AND a.text LIKE 'payment ' || p.reference || ' %'
	WHERE p.reference IN ('T1', 'T3', 'T4') ORDER BY p.reference"
expect "the next run sees them as their customers' cash, nothing open to take it" 0 \
'T1,2026-11-22,450.00,MULLER,,0.00,no open invoice (payment'"'"'s customer),no
T3,2026-11-22,300.00,GLOBEX,,0.00,no open invoice (payment'"'"'s customer),no' \
	sh -c "'$DUN' --db '$DB' match --apply | grep -E '^T[13],'"
