#!/bin/sh
# A run is one transaction (SPEC §3): when writing it fails half-way (here
# a trigger refuses one invoice's log row, as a full disk or a kill would
# stop it), nothing of it remains, not even the customers before the
# failing one, and the next run the same day does the whole run, once.
. "$top_srcdir/tests/lib.sh"
plan 9
data="$top_srcdir/tests/cli/data/dunning"
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" scenarios load "$data/scenarios.ini" >/dev/null
"$DUN" --db "$DB" import customers "$data/customers.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$data/invoices.csv" >/dev/null
H=customer,invoice,scenario,step,channel,template,days_overdue,open
# On the way: a negative-offset step is taken before the due date only.
DUN_TODAY=2026-02-08 expect "the day before D-1's due date its preventive step is due" 0 "$H
A001,A-1,std,2,email,reminder-1,8,1000.00
C003,C-1,std,2,email,reminder-1,7,80.00
D004,D-1,std,1,email,preventive,0,300.00" "$DUN" --db "$DB" dunning run --dry-run
DUN_TODAY=2026-02-09 expect "on the due date it is passed over" 0 "$H
A001,A-1,std,2,email,reminder-1,9,1000.00
C003,C-1,std,2,email,reminder-1,8,80.00" "$DUN" --db "$DB" dunning run --dry-run
sql "CREATE TRIGGER fail_c1 BEFORE INSERT ON dunning_log
	WHEN NEW.invoice_id = (SELECT id FROM invoice WHERE number = 'C-1')
	BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
export DUN_TODAY=2026-02-11
expect "the run fails at C003 and prints no row, since none was written" 1 "" "$DUN" --db "$DB" dunning run
expect "nothing of C003's action remains" 0 "0|0|0|0" sql "SELECT
	(SELECT dunning_step FROM invoice WHERE number = 'C-1'),
	(SELECT count(*) FROM outbox o JOIN customer c ON c.id = o.customer_id WHERE c.code = 'C003'),
	(SELECT count(*) FROM activity a JOIN customer c ON c.id = a.customer_id WHERE c.code = 'C003'),
	(SELECT count(*) FROM dunning_log l JOIN customer c ON c.id = l.customer_id WHERE c.code = 'C003')"
expect "nor of the customers before it" 0 "0|0|0" \
	sql "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM activity), (SELECT count(*) FROM dunning_log)"
sql "DROP TRIGGER fail_c1"
expect "the next run does the whole run, once" 0 "$H
A001,A-1,std,2,email,reminder-1,11,1000.00
B002,B-1,pub,1,email,reminder-1,7,200.00
C003,C-1,std,2,email,reminder-1,10,80.00
D004,D-1,std,2,email,reminder-1,2,300.00" "$DUN" --db "$DB" dunning run
expect "and then there is nothing left for the day" 0 "$H" "$DUN" --db "$DB" dunning run

# Two runs at once on another ledger: each step is taken once, by one of
# them (the second waits for the first's write lock, then finds nothing
# left to do).
DB2="$TEST_DIR/two.db"
"$DUN" --db "$DB2" init >/dev/null
"$DUN" --db "$DB2" scenarios load "$data/scenarios.ini" >/dev/null
"$DUN" --db "$DB2" import customers "$data/customers.csv" >/dev/null
"$DUN" --db "$DB2" import invoices "$data/invoices.csv" >/dev/null
export DUN_TODAY=2026-03-10
"$DUN" --db "$DB2" dunning run --dry-run | tail -n +2 | sort >"$TEST_DIR/plan"
"$DUN" --db "$DB2" dunning run >"$TEST_DIR/one" &
"$DUN" --db "$DB2" dunning run >"$TEST_DIR/two" &
wait
expect "two runs at once print the plan's rows once between them" 0 "" \
	sh -c "tail -q -n +2 '$TEST_DIR/one' '$TEST_DIR/two' | sort | diff - '$TEST_DIR/plan'"
expect "and log each step once" 0 "$(wc -l <"$TEST_DIR/plan")|$(cut -d, -f1 "$TEST_DIR/plan" | sort -u | wc -l)" \
	sqlite3 "$DB2" "SELECT count(*), count(DISTINCT activity_id) FROM dunning_log"
