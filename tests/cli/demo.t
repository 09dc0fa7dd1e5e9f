#!/bin/sh
# The demo ledger: the same seed gives the same ledger, open amounts and
# unapplied cash tie out with the allocations, an earlier demo is replaced
# but a real ledger (or any other file) never is.
. "$top_srcdir/tests/lib.sh"
plan 23

DEMO="$TEST_DIR/demo.db"
SUMMARY="demo ledger $DEMO (seed 7): 50 customers, 2102 invoices, 110 credit notes, 1699 payments, 2087 allocations, 64 disputes, 330 promises, 1926 activities, 1755 rates"

expect "demo builds 50 customers for seed 7" 0 "$SUMMARY" "$DUN" --db "$DEMO" demo --customers 50 --seed 7
"$DUN" --db "$DEMO" customers --format csv >"$TEST_DIR/first.csv"
sqlite3 "$DEMO" "SELECT number, customer_id, kind, issue_date, due_date, currency, amount, open_amount, paid_date, po FROM invoice ORDER BY id;
	SELECT reference, date, amount, payer_name, payer_account, remittance, customer_id, unapplied FROM payment ORDER BY id;
	SELECT customer_id, date, kind, who, text, outcome, amount FROM activity ORDER BY id" >"$TEST_DIR/first.dump"
expect "a second build replaces the earlier demo" 0 "$SUMMARY" "$DUN" --db "$DEMO" demo --customers 50 --seed 7
check "the same seed gives the same customer list" sh -c "\"$DUN\" --db '$DEMO' customers --format csv | cmp -s - '$TEST_DIR/first.csv'"
check "the same seed gives the same invoices, payments and activities" sh -c "sqlite3 '$DEMO' \"SELECT number, customer_id, kind, issue_date, due_date, currency, amount, open_amount, paid_date, po FROM invoice ORDER BY id;
	SELECT reference, date, amount, payer_name, payer_account, remittance, customer_id, unapplied FROM payment ORDER BY id;
	SELECT customer_id, date, kind, who, text, outcome, amount FROM activity ORDER BY id\" | cmp -s - '$TEST_DIR/first.dump'"
check "the customer list has 50 rows and a header" sh -c "[ \$(wc -l <'$TEST_DIR/first.csv') -eq 51 ]"
check "names include accents and CJK" sh -c "grep -q 'É' '$TEST_DIR/first.csv' && grep -q '株式会社\|有限公司\|주식회사' '$TEST_DIR/first.csv'"
DB=$DEMO
expect "every invoice's open amount is its amount less its allocations" 0 "0" sql \
	"SELECT count(*) FROM invoice i WHERE i.kind = 'invoice' AND i.open_amount <> i.amount
	  - (SELECT coalesce(sum(amount), 0) FROM allocation a WHERE a.invoice_id = i.id)"
expect "every credit note's open amount is its amount plus what it settled" 0 "0" sql \
	"SELECT count(*) FROM invoice i WHERE i.kind = 'credit_note' AND i.open_amount <> i.amount
	  + (SELECT coalesce(sum(amount), 0) FROM allocation a WHERE a.credit_id = i.id)"
expect "open amounts sum to amounts less payments allocated" 0 "0" sql \
	"SELECT (SELECT sum(amount) - sum(open_amount) FROM invoice)
	  - (SELECT sum(amount) FROM allocation WHERE payment_id IS NOT NULL)"
expect "every payment's unapplied amount is its amount less its allocations" 0 "0" sql \
	"SELECT count(*) FROM payment p WHERE p.unapplied <> p.amount
	  - (SELECT coalesce(sum(amount), 0) FROM allocation a WHERE a.payment_id = p.id)"
expect "the ledger has the stories of SPEC 11" 0 "1|1|1|1|1|1|1|1" sql \
	"SELECT (SELECT count(*) > 0 FROM payment WHERE unapplied > 0 AND unapplied < amount),
	  (SELECT count(*) > 0 FROM payment WHERE customer_id IS NULL),
	  (SELECT count(*) > 0 FROM invoice WHERE kind = 'invoice' AND open_amount > 0 AND open_amount < amount),
	  (SELECT count(*) > 0 FROM allocation WHERE credit_id IS NOT NULL),
	  (SELECT count(DISTINCT resolved IS NULL) = 2 FROM dispute),
	  (SELECT count(DISTINCT status) = 3 FROM promise),
	  (SELECT count(DISTINCT kind) >= 6 FROM activity),
	  (SELECT count(DISTINCT currency) = 4 FROM customer)"
expect "the demo is a WAL ledger that passes its integrity checks" 0 "wal
ok" sql "PRAGMA journal_mode; PRAGMA integrity_check; PRAGMA foreign_key_check"
check "the demo file is private and nothing is left beside it" sh -c \
	"[ \"\$(stat -c %a '$DEMO')\" = 600 ] && [ -z \"\$(ls '$TEST_DIR' | grep building)\" ]"

REAL="$TEST_DIR/ledger.db"
"$DUN" --db "$REAL" init >/dev/null
expect_err "a real ledger is never replaced" 1 \
	"dun: $REAL: not a demo ledger: refusing to replace it (give another --db PATH)" \
	"$DUN" --db "$REAL" demo --customers 5
check "the real ledger is as it was" sh -c "[ \"\$(sqlite3 '$REAL' 'SELECT count(*) FROM setting WHERE key = \"demo\"')\" = 0 ]"
printf 'notes\n' >"$TEST_DIR/notes.txt"
expect "nor is any other file" 1 "" "$DUN" --db "$TEST_DIR/notes.txt" demo --customers 5
check "the other file is untouched" sh -c "[ \"\$(cat '$TEST_DIR/notes.txt')\" = notes ]"

expect "--customers 0 is a usage error" 2 "" "$DUN" --db "$DEMO" demo --customers 0
check "without --db the demo goes beside the default ledger, not over it" sh -c \
	"\"$DUN\" demo --customers 3 >/dev/null && [ -f '$HOME/.local/share/dun/demo.db' ] && [ ! -e '$HOME/.local/share/dun/ledger.db' ]"
mkdir "$TEST_DIR/env" "$TEST_DIR/xdg"
expect "with \$DUN_DB the demo goes beside that ledger, not into it" 0 \
	"demo ledger $TEST_DIR/env/demo.db (seed 1): 3 customers, 99 invoices, 3 credit notes, 60 payments, 93 allocations, 3 disputes, 18 promises, 103 activities, 1755 rates" \
	env DUN_DB="$TEST_DIR/env/real.db" "$DUN" demo --customers 3
check "and \$DUN_DB's file is not created" test ! -e "$TEST_DIR/env/real.db"
check "with \$XDG_DATA_HOME the demo is \$XDG_DATA_HOME/dun/demo.db" sh -c \
	"XDG_DATA_HOME='$TEST_DIR/xdg' \"$DUN\" demo --customers 3 >/dev/null && [ -f '$TEST_DIR/xdg/dun/demo.db' ]"
check "--open without a terminal prints the customer list" sh -c \
	"\"$DUN\" --db '$DEMO' demo --customers 50 --seed 7 --open | tail -n +2 | cmp -s - '$TEST_DIR/first.csv'"
done_testing
