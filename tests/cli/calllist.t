#!/bin/sh
# The call list on a small ledger: five customers with six months of
# history each (Acme 25 days late, Bolt on time, Crux 15, Dune 70, Echo 5)
# and one open invoice each: Acme over its limit, Bolt at its call step,
# Crux after a broken promise, Dune (risky) with 12,400.00 falling due,
# Echo already called today. Then the week-by-week forecast.
# (Scores come from the model fitted on this ledger; see src/risk.c.)
. "$top_srcdir/tests/lib.sh"
plan 9
data="$top_srcdir/tests/cli/data/calllist"
"$DUN" --db "$DB" init >/dev/null
for kind in customers invoices payments; do
	"$DUN" --db "$DB" import $kind "$data/$kind.csv" >/dev/null || echo "# import $kind failed"
done
sql "INSERT INTO promise (customer_id, amount, currency, made_date, promised_date, status, settled_date)
	SELECT id, 150000, 'EUR', '2026-11-10', '2026-11-18', 'broken', '2026-11-21' FROM customer WHERE code = 'CRUX';
	INSERT INTO activity (customer_id, date, kind, who, text)
	SELECT id, '2026-11-22', 'call', 'alice', 'left a message' FROM customer WHERE code = 'ECHO';
	UPDATE invoice SET dunning_step = 2, dunning_date = '2026-11-15' WHERE number = 'B-9';"

expect "score --evaluate: hold-out AUC against the past-average-days-late baseline" 0 \
"metric,value
holdout_days,201
train_invoices,10
test_invoices,12
test_late30_rate,0.3333
auc_model,0.8750
auc_baseline,0.8125
brier_model,0.1653" \
	sh -c "'$DUN' --db '$DB' score --evaluate | head -8"

expect "score classes every customer" 0 "class,customers
A,0
B,1
C,0
D,3
E,1" "$DUN" --db "$DB" score

expect "the call list, with reasons; the customer called today last" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,ACME,Acme SA,alice,21582,over limit; 45 days overdue,8000.00,E,,+33 1 23 45 67 89
2,DUNE,Dune BV,bob,4662,\"high risk, 12,400.00 due in 3 days\",0.00,D,,+31 20 555 0101
3,CRUX,Crux GmbH,alice,3276,promise broken; 30 days overdue,1500.00,D,,+49 30 1234567
4,BOLT,Bolt Ltd,bob,496,call step due; 12 days overdue,600.00,B,call-1,+44 20 7946 0000
5,ECHO,Écho Café,alice,3916,50 days overdue; called today,3000.00,D,,+33 4 56 78 90 12" \
	"$DUN" --db "$DB" calllist

expect "one collector's list, limited" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,DUNE,Dune BV,bob,4662,\"high risk, 12,400.00 due in 3 days\",0.00,D,,+31 20 555 0101" \
	"$DUN" --db "$DB" calllist --collector bob --limit 1

expect "an unknown collector has an empty list" 0 \
	"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone" \
	"$DUN" --db "$DB" calllist --collector nobody

expect_err "a bad limit is a usage error" 2 'dun: --limit "0": expected a count from 1' \
	"$DUN" --db "$DB" calllist --limit 0

sql "INSERT INTO activity (customer_id, date, kind, who, text)
	SELECT id, '2026-11-22', 'payment', 'bank', 'part payment announced' FROM customer WHERE code = 'ECHO';"
expect "news after the call brings the customer back up" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,ACME,Acme SA,alice,21582,over limit; 45 days overdue,8000.00,E,,+33 1 23 45 67 89
2,DUNE,Dune BV,bob,4662,\"high risk, 12,400.00 due in 3 days\",0.00,D,,+31 20 555 0101
3,ECHO,Écho Café,alice,3916,50 days overdue,3000.00,D,,+33 4 56 78 90 12
4,CRUX,Crux GmbH,alice,3276,promise broken; 30 days overdue,1500.00,D,,+49 30 1234567
5,BOLT,Bolt Ltd,bob,496,call step due; 12 days overdue,600.00,B,call-1,+44 20 7946 0000" \
	"$DUN" --db "$DB" calllist

expect "forecast: each open invoice at due date + the customer's learned delay" 0 \
"week,start,end,expected,disputed,escalated
1,2026-11-23,2026-11-29,600.00,0.00,0.00
2,2026-11-30,2026-12-06,1500.00,0.00,0.00
3,2026-12-07,2026-12-13,0.00,0.00,0.00
4,2026-12-14,2026-12-20,8000.00,0.00,0.00" \
	"$DUN" --db "$DB" forecast --weeks 4

expect "backtest: the learned forecast against the naive one and the receipts" 0 \
"week,start,end,forecast,naive,actual
1,2026-06-02,2026-06-08,0.00,7000.00,1000.00
2,2026-06-09,2026-06-15,4000.00,0.00,2000.00
3,2026-06-16,2026-06-22,1000.00,0.00,1000.00
4,2026-06-23,2026-06-29,1000.00,0.00,1000.00
mae,,,750.00,2500.00," \
	"$DUN" --db "$DB" forecast --weeks 4 --backtest 2026-06-01
