#!/bin/sh
# CSV imports (SPEC §5): a French ERP export (';', decimal comma, BOM or
# cp1252, dd/mm/yyyy, its own headers through --map), all-or-nothing with
# every bad row named, --skip-bad, --dry-run, and re-imports that change
# nothing or update what may change.
. "$top_srcdir/tests/lib.sh"
plan 26
export DUN_TODAY=2024-03-31
cp "$top_srcdir"/tests/cli/data/import/* "$TEST_DIR"/
cd "$TEST_DIR" || exit 1
"$DUN" --db "$DB" init >/dev/null
FR="--map fr.map --date-format %d/%m/%Y"

# err_is NAME TEXT: the standard error of the last expect was exactly TEXT.
err_is() {
	printf '%s\n' "$2" >"$TEST_DIR/want_err"
	if cmp -s "$TEST_DIR/want_err" "$TEST_DIR/err"; then ok "$1"; else
		not_ok "$1"; diff -u "$TEST_DIR/want_err" "$TEST_DIR/err" | sed 's/^/# /'; fi
}

expect "customers import" 0 "imported 3 customers (3 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$DB" import customers customers.csv
expect "French export: BOM, ';', decimal comma, dd/mm/yyyy, mapped headers" 0 \
	"imported 5 invoices (5 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$DB" import invoices fr-invoices.csv $FR
err_is "an unknown column is reported once and ignored" \
	'dun: fr-invoices.csv:1: column "Commentaire": unknown, ignored'
INVOICES='number,customer,kind,issue_date,due_date,currency,amount,open,status,days_overdue
FA-2024-001,ACME,invoice,2024-01-15,2024-02-14,EUR,1234.50,1234.50,open,46
AV-2024-001,ACME,credit_note,2024-02-05,2024-03-06,EUR,-234.50,-234.50,credit,0
FA-2024-002,ACME,invoice,2024-01-31,2024-03-15,EUR,12000.00,12000.00,open,16
FA-2024-003,BETA,invoice,2024-01-15,2024-02-29,EUR,980.00,980.00,open,31
FA-2024-004,BETA,invoice,2024-02-20,2024-04-30,EUR,2500.75,2500.75,open,0'
expect "invoices after the French import (due dates from the customers' terms)" 0 "$INVOICES" \
	"$DUN" --db "$DB" invoices --format csv
check "quoted fields with ';', quotes and a CRLF inside" \
	sh -c "[ \"\$(sqlite3 '$DB' \"SELECT po FROM invoice WHERE number = 'FA-2024-004'\")\" = 'PO \"urgent\"' ]"
expect "importing the same file twice changes nothing" 0 \
	"imported 5 invoices (0 new, 0 updated, 5 unchanged)" \
	"$DUN" --db "$DB" import invoices fr-invoices.csv $FR
expect "... and the invoices are the same" 0 "$INVOICES" "$DUN" --db "$DB" invoices --format csv

# The same export in cp1252, into a second ledger.
DB2="$TEST_DIR/cp1252.db"
"$DUN" --db "$DB2" init >/dev/null
"$DUN" --db "$DB2" import customers customers.csv >/dev/null
expect "cp1252 export without --encoding: invalid UTF-8 named" 1 "" \
	"$DUN" --db "$DB2" import invoices fr-invoices-cp1252.csv $FR
err_is "... with its file and line" \
	'dun: fr-invoices-cp1252.csv:1: invalid UTF-8 (is it cp1252? try --encoding cp1252)'
expect "cp1252 export with --encoding cp1252 --decimal ," 0 \
	"imported 5 invoices (5 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$DB2" import invoices fr-invoices-cp1252.csv $FR --encoding cp1252 --decimal ,
expect "... gives the same invoices" 0 "$INVOICES" "$DUN" --db "$DB2" invoices --format csv

# Three bad rows among good ones: all named, nothing written.
BEFORE=$(sqlite3 "$DB" "SELECT count(*), total(amount) FROM invoice")
expect "a file with three bad rows exits 1" 1 "" "$DUN" --db "$DB" import invoices bad-invoices.csv
err_is "... and names all three" 'dun: bad-invoices.csv:3: customer "NOBODY": unknown customer
dun: bad-invoices.csv:4: issue_date "2024-02-30": not a date (expected YYYY-MM-DD)
dun: bad-invoices.csv:6: amount "4OO.00": not an amount
dun: bad-invoices.csv: 3 bad rows, nothing imported'
check "... and leaves the ledger unchanged" \
	sh -c "[ \"\$(sqlite3 '$DB' 'SELECT count(*), total(amount) FROM invoice')\" = '$BEFORE' ]"
expect "--dry-run checks and writes nothing" 0 \
	"would import 1 invoice (0 new, 1 updated, 0 unchanged), nothing written (dry run)" \
	sh -c "sed 's/15\/03\/2024/31\/03\/2024/' fr-invoices.csv | grep -e '^.N' -e FA-2024-002 >changed.csv &&
		\"$DUN\" --db '$DB' import invoices changed.csv $FR --dry-run 2>/dev/null"
expect "... the due date did not move" 0 "2024-03-15" sql "SELECT due_date FROM invoice WHERE number = 'FA-2024-002'"
expect "--skip-bad imports the good rows" 0 \
	"imported 3 invoices (3 new, 0 updated, 0 unchanged; 3 bad rows written to rejected.csv)" \
	"$DUN" --db "$DB" import invoices bad-invoices.csv --skip-bad rejected.csv
expect "... and writes the bad ones with a reason column" 0 'number,customer,issue_date,amount,currency,reason
INV-11,NOBODY,2024-03-01,200.00,EUR,"customer ""NOBODY"": unknown customer"
INV-12,ACME,2024-02-30,300.00,EUR,"issue_date ""2024-02-30"": not a date (expected YYYY-MM-DD)"
INV-14,BETA,2024-03-03,4OO.00,EUR,"amount ""4OO.00"": not an amount"' cat rejected.csv

# A changed row updates what may change.
expect "a changed due date and PO update the invoice" 0 \
	"imported 1 invoice (0 new, 1 updated, 0 unchanged)" \
	sh -c "sed 's/;PO 77;/;PO 78;/' fr-invoices.csv | grep -e '^.N' -e '^FA-2024-001' | sed 's/;;PO/;29\/02\/2024;PO/' >changed.csv &&
		\"$DUN\" --db '$DB' import invoices changed.csv $FR 2>/dev/null"
expect "... due date and PO changed, version bumped" 0 "2024-02-29|PO 78|2" \
	sql "SELECT due_date, po, version FROM invoice WHERE number = 'FA-2024-001'"
expect "a changed issue date is refused" 1 "" \
	sh -c "printf 'number,customer,issue_date,amount\nFA-2024-001,ACME,2024-01-16,1234.50\n' >moved.csv &&
		\"$DUN\" --db '$DB' import invoices moved.csv"
err_is "... with the reason" 'dun: moved.csv:2: issue_date "2024-01-16": invoice FA-2024-001 was issued 2024-01-15; an issue date cannot change
dun: moved.csv: 1 bad row, nothing imported'

# Headers: case-insensitive, required ones checked, --map names checked.
expect "headers match case-insensitively, rows may be TAB-separated" 0 \
	"imported 1 invoice (1 new, 0 updated, 0 unchanged)" \
	sh -c "printf 'NUMBER\tCustomer\tIssue_Date\tAMOUNT\tTerms\nT-1\tGAMMA\t2024-03-01\t1 000 000\tEOM 10\n' >tab.csv &&
		\"$DUN\" --db '$DB' import invoices tab.csv"
expect "... with the invoice's own terms" 0 "2024-04-10|1000000|eom 10" \
	sql "SELECT due_date, amount, terms FROM invoice WHERE number = 'T-1'"
expect "a missing required column is exit 1" 1 "" \
	sh -c "printf 'number,customer,amount\nX,ACME,1\n' >short.csv && \"$DUN\" --db '$DB' import invoices short.csv"
err_is "... naming it" 'dun: short.csv:1: column "issue_date": missing (invoices files need number, customer, issue_date, amount)'
