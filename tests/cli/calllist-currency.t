#!/bin/sh
# A customer billed in several currencies: what it owes in another
# currency than its own counts on the call list, converted into its own at
# today's rates (units of the base currency, EUR, per unit); without a
# rate they are left out, and the reasons say so.
. "$top_srcdir/tests/lib.sh"
plan 5
cd "$TEST_DIR" || exit 1
export DUN_TODAY=2026-03-01
"$DUN" --db "$DB" init >/dev/null
printf 'code,name,currency\nM001,Mixte SA,EUR\nU001,Only Dollars Ltd,EUR\n' >customers.csv
printf 'number,customer,issue_date,due_date,amount,currency\nM-1,M001,2026-01-02,2026-01-31,100.00,EUR\nM-2,M001,2026-01-02,2026-01-31,200.00,USD\nU-1,U001,2026-01-02,2026-01-31,1000.00,USD\n' >invoices.csv
printf 'currency,date,rate\nUSD,2026-02-01,0.9\n' >rates.csv
"$DUN" --db "$DB" import customers customers.csv >/dev/null
"$DUN" --db "$DB" import invoices invoices.csv >/dev/null
expect "without a USD rate, the dollars are left out and the reasons say so" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,M001,Mixte SA,,74,29 days overdue; USD items not counted (no rate),100.00,,," \
	"$DUN" --db "$DB" calllist
"$DUN" --db "$DB" import rates rates.csv >/dev/null
expect "the dollars count, in euros" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,U001,Only Dollars Ltd,,668,29 days overdue,900.00,,,
2,M001,Mixte SA,,208,29 days overdue,280.00,,," \
	"$DUN" --db "$DB" calllist
printf 'reference,date,amount,currency,customer\nP-1,2026-02-20,200.00,USD,M001\n' >payments.csv
"$DUN" --db "$DB" import payments payments.csv >/dev/null
expect "unapplied dollars (180.00 in euros) lower what is at stake" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,U001,Only Dollars Ltd,,668,29 days overdue,900.00,,,
2,M001,Mixte SA,,74,29 days overdue,280.00,,," \
	"$DUN" --db "$DB" calllist
# A customer billed in pounds (not the base): its euros and dollars go
# into pounds through the base, 100 EUR / 1.25 = 80.00 and 200 USD * 0.9 /
# 1.25 = 144.00; until pounds have a rate, they cannot be brought into them.
GBP_DB="$TEST_DIR/gbp.db"
"$DUN" --db "$GBP_DB" init >/dev/null
printf 'code,name,currency\nG001,Pound Ltd,GBP\n' >gbp-customers.csv
printf 'number,customer,issue_date,due_date,amount,currency\nG-1,G001,2026-01-02,2026-01-31,100.00,GBP\nG-2,G001,2026-01-02,2026-01-31,100.00,EUR\nG-3,G001,2026-01-02,2026-01-31,200.00,USD\n' >gbp-invoices.csv
"$DUN" --db "$GBP_DB" import customers gbp-customers.csv >/dev/null
"$DUN" --db "$GBP_DB" import invoices gbp-invoices.csv >/dev/null
"$DUN" --db "$GBP_DB" import rates rates.csv >/dev/null
expect "without a pound rate, the other currencies are left out" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,G001,Pound Ltd,,74,29 days overdue; EUR items not counted (no rate),100.00,,," \
	"$DUN" --db "$GBP_DB" calllist
printf 'currency,date,rate\nGBP,2026-02-01,1.25\n' >gbp-rates.csv
"$DUN" --db "$GBP_DB" import rates gbp-rates.csv >/dev/null
expect "euros and dollars count in pounds, through the base currency" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,G001,Pound Ltd,,300,29 days overdue,324.00,,," \
	"$DUN" --db "$GBP_DB" calllist
