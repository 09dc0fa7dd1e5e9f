#!/bin/sh
# Re-imports (SPEC §5: the same file changes nothing; a changed row updates
# what may change and refuses what would break history): a file without
# the optional columns keeps what the ledger has, a file that gives one row
# twice with different values is refused (payments too, whose key stays
# reference, date and amount), and a customer's scenario must exist.
. "$top_srcdir/tests/lib.sh"
plan 14
cd "$TEST_DIR" || exit 1
"$DUN" --db "$DB" init >/dev/null
printf 'code,name,terms\nACME,Acme,net 30\nBETA,Beta,net 30\n' >customers.csv
"$DUN" --db "$DB" import customers customers.csv >/dev/null
invoice() { sql "SELECT due_date, terms, po, amount FROM invoice WHERE number = '$1'"; }

printf 'number,customer,issue_date,amount,terms,po\nW1,ACME,2023-01-15,10.00,eom 45,PO-W1\n' >full.csv
"$DUN" --db "$DB" import invoices full.csv >/dev/null
expect "the invoice's own terms give its due date" 0 "2023-03-17|eom 45|PO-W1|1000" invoice W1
printf 'number,customer,issue_date,amount\nW1,ACME,2023-01-15,10.00\n' >bare.csv
expect "a file without terms and po changes nothing" 0 \
	"imported 1 invoice (0 new, 0 updated, 1 unchanged)" "$DUN" --db "$DB" import invoices bare.csv
expect "and keeps the due date, terms and PO" 0 "2023-03-17|eom 45|PO-W1|1000" invoice W1
printf 'number,customer,issue_date,amount\nW1,ACME,2023-01-15,12.00\n' >amount.csv
"$DUN" --db "$DB" import invoices amount.csv >/dev/null
expect "a new amount from such a file keeps the rest" 0 "2023-03-17|eom 45|PO-W1|1200" invoice W1
printf 'number,customer,issue_date,amount,terms,po\nW1,ACME,2023-01-15,12.00,net 30,\n' >terms.csv
"$DUN" --db "$DB" import invoices terms.csv >/dev/null
expect "a file with the columns sets them, even to nothing" 0 "2023-02-14|net 30||1200" invoice W1

printf 'number,customer,issue_date,amount\nZ1,ACME,2024-01-05,1.00\nZ2,BETA,2024-01-05,3.00\nZ1,ACME,2024-01-05,2.00\nW1,ACME,2023-01-15,12.00\nW1,ACME,2023-01-15,13.00\n' >twice.csv
expect_err "a row given twice with different values is refused, each time it contradicts" 1 \
	"dun: twice.csv:4: number \"Z1\": given twice in this file, with different values
dun: twice.csv:6: number \"W1\": given twice in this file, with different values
dun: twice.csv: 2 bad rows, nothing imported" "$DUN" --db "$DB" import invoices twice.csv
expect "nothing was written" 0 "0|1200" sql "SELECT (SELECT count(*) FROM invoice WHERE number LIKE 'Z%'), (SELECT amount FROM invoice WHERE number = 'W1')"
printf 'number,customer,issue_date,amount\nZ1,ACME,2024-01-05,1.00\nZ1,ACME,2024-01-05,1.00\n' >same.csv
expect "the same row twice is one invoice" 0 \
	"imported 2 invoices (1 new, 0 updated, 1 unchanged)" "$DUN" --db "$DB" import invoices same.csv

printf 'reference,date,amount,customer,method,payer,remittance\nPP1,2026-11-01,1500.00,ACME,transfer,ACME SA,INV W1\n' >p1.csv
"$DUN" --db "$DB" import payments p1.csv >/dev/null
printf 'reference,date,amount\nPP1,2026-11-01,1500.00\n' >p1b.csv
expect "a payments file without the detail columns changes nothing" 0 \
	"imported 1 payment (0 new, 0 updated, 1 unchanged)" "$DUN" --db "$DB" import payments p1b.csv
expect "and keeps the payment's method, payer and remittance" 0 "transfer|ACME SA|INV W1" \
	sql "SELECT method, payer_name, remittance FROM payment WHERE reference = 'PP1'"
printf 'reference,date,amount,customer\nCHQ,2026-11-05,100.00,ACME\nCHQ,2026-11-05,50.00,ACME\n' >chq.csv
expect "two cheques with one reference on one day are two payments (SPEC's key)" 0 \
	"imported 2 payments (2 new, 0 updated, 0 unchanged)" "$DUN" --db "$DB" import payments chq.csv
printf 'reference,date,amount,method\nPP2,2026-11-02,12.00,cheque\nPP2,2026-11-02,12.00,transfer\n' >p2.csv
expect_err "a payment given twice with different details is refused" 1 \
	"dun: p2.csv:3: reference \"PP2\": given twice in this file, with different values
dun: p2.csv: 1 bad row, nothing imported" "$DUN" --db "$DB" import payments p2.csv

printf 'code,name,scenario\nGAMMA,Gamma,gentle\nDELTA,Delta,gentel\n' >scenario.csv
expect_err "a customer's scenario must exist" 1 \
	"dun: scenario.csv:3: scenario \"gentel\": no such dunning scenario (\`dun scenarios export\` lists them)
dun: scenario.csv: 1 bad row, nothing imported" "$DUN" --db "$DB" import customers scenario.csv
printf 'code,name\nACME,Acme\nACME,Acme Industries\n' >ctwice.csv
expect_err "a customer given twice with different values is refused" 1 \
	"dun: ctwice.csv:3: code \"ACME\": given twice in this file, with different values
dun: ctwice.csv: 1 bad row, nothing imported" "$DUN" --db "$DB" import customers ctwice.csv
