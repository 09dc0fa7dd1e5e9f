#!/bin/sh
# The bulk path of `import invoices` (a file that at least doubles the
# invoice table: rows checked on a second thread, new invoices written by
# batches of rows in one statement, indexes dropped and rebuilt, SQLite's
# foreign-key check off) ends as a pass row by row would: the
# same rows, ids, outcomes and allocations, with numbers met twice in one
# batch, numbers already in the ledger, credit notes applied to invoices
# still waiting in a batch, and a last partial batch. Bad rows, also one
# found only when its batch is written, are told in line order, and then
# nothing is written and the indexes are all there.
. "$top_srcdir/tests/lib.sh"
plan 12
cp "$top_srcdir"/tests/cli/data/import/customers.csv "$TEST_DIR"/
cd "$TEST_DIR" || exit 1
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" import customers customers.csv >/dev/null
printf 'number,customer,issue_date,amount\nOLD-1,ACME,2024-01-05,100.00\nOLD-2,BETA,2024-01-06,200.00\n' >old.csv
"$DUN" --db "$DB" import invoices old.csv >/dev/null
cp "$DB" empty.db

# 60,001 rows: every 97th repeats the row 5 before (the same batch of 32,
# or the one before) as it was (a file may repeat a row, not contradict
# itself); rows 500 and 501 are OLD-1 (unchanged) and OLD-2 (a new
# amount); every 1,009th is a credit note applied to the invoice 3 rows
# before it.
awk 'BEGIN {
	print "number,customer,issue_date,amount,kind,applies_to"
	for (i = 1; i <= 60001; i++) {
		k = i; amount = sprintf("%d.%02d", i % 9000 + 1, i % 100); kind = ""; applies = ""
		if (i % 97 == 0) { k = i - 5; amount = sprintf("%d.%02d", k % 9000 + 1, k % 100) }
		number = sprintf("B-%05d", k); customer = k % 2 ? "ACME" : "BETA"
		if (i % 1009 == 0 && i % 97 != 0 && (i - 3) % 97 != 0) {
			kind = "credit_note"; amount = "-5.00"; applies = sprintf("B-%05d", i - 3)
			customer = (i - 3) % 2 ? "ACME" : "BETA"
		}
		date = sprintf("2024-%02d-%02d", k % 12 + 1, k % 28 + 1)
		if (i == 500) { number = "OLD-1"; customer = "ACME"; date = "2024-01-05"; amount = "100.00" }
		if (i == 501) { number = "OLD-2"; customer = "BETA"; date = "2024-01-06"; amount = "250.00" }
		printf "%s,%s,%s,%s,%s,%s\n", number, customer, date, amount, kind, applies
	}
}' >bulk.csv
ledger() {
	sqlite3 "$1" "SELECT id, number, customer_id, kind, issue_date, due_date, currency, amount, open_amount,
		paid_date, po, terms, discount_date, applies_to, version FROM invoice ORDER BY id;
		SELECT * FROM allocation ORDER BY id; PRAGMA foreign_key_check; PRAGMA integrity_check"
}

# The reference: --skip-bad writes every row under its own savepoint,
# never by batches.
cp empty.db rows.db
"$DUN" --db rows.db import invoices bulk.csv --skip-bad skipped.csv >rows.out
expect "a bulk import's outcomes" 0 \
	"imported 60001 invoices (59381 new, 1 updated, 619 unchanged; 58 allocations)" \
	"$DUN" --db "$DB" import invoices bulk.csv
check "the row-by-row pass counted the same" \
	grep -q '^imported 60001 invoices (59381 new, 1 updated, 619 unchanged; 58 allocations; 0 bad rows' rows.out
ledger "$DB" >bulk.ledger
ledger rows.db >rows.ledger
check "the same invoices, ids and allocations as row by row" cmp bulk.ledger rows.ledger
# SQLite's foreign-key check is off during an invoice import: dun's own must hold.
expect "every invoice's customer and allocation's invoice exist" 0 "" sqlite3 "$DB" "PRAGMA foreign_key_check"
sqlite3 empty.db .indexes >indexes.want
sqlite3 "$DB" .indexes >indexes.got
check "the invoice indexes are all back" cmp indexes.want indexes.got
# On one processor the pass reads the rows itself and the index sorts have
# no helper threads.
if taskset -c 0 true 2>/dev/null; then
	cp empty.db one.db
	taskset -c 0 "$DUN" --db one.db import invoices bulk.csv >/dev/null
	ledger one.db >one.ledger
	check "on one processor, the same ledger" cmp one.ledger rows.ledger
else
	ok "on one processor # SKIP taskset is not available here"
fi

# Bad rows: line 1,001 repeats line 990's number for another customer
# (found when its batch is written), line 1,002 names an unknown customer
# (found at once), line 59,990 too, late in the file.
awk -F, -v OFS=, 'NR == 1001 { $1 = "B-00989"; $2 = "BETA" } NR == 1002 || NR == 59990 { $2 = "NOPE" } { print }' \
	bulk.csv >bad.csv
cp empty.db bad.db
expect_err "bad rows are told in line order, nothing imported" 1 \
'dun: bad.csv:1001: customer "BETA": invoice B-00989 belongs to another customer in the ledger
dun: bad.csv:1002: customer "NOPE": unknown customer
dun: bad.csv:59990: customer "NOPE": unknown customer
dun: bad.csv: 3 bad rows, nothing imported' \
	"$DUN" --db bad.db import invoices bad.csv
check "nothing written" sh -c "[ \"\$(sqlite3 bad.db 'SELECT count(*) FROM invoice')\" = 2 ]"
sqlite3 bad.db .indexes >indexes.got
check "the indexes are all there after the bad file" cmp indexes.want indexes.got
expect "integrity_check is ok after the bad file" 0 "ok" sqlite3 bad.db "PRAGMA integrity_check"

# A dry run of the bulk path writes nothing and keeps the indexes.
cp empty.db dry.db
expect "a bulk dry run" 0 \
	"would import 60001 invoices (59381 new, 1 updated, 619 unchanged; 58 allocations), nothing written (dry run)" \
	"$DUN" --db dry.db import invoices bulk.csv --dry-run
sqlite3 dry.db "SELECT count(*) FROM invoice" >count.got
sqlite3 dry.db .indexes >>count.got
{ echo 2; cat indexes.want; } >count.want
check "and the dry run left the ledger as it was" cmp count.want count.got
