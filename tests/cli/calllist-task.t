#!/bin/sh
# A task step due puts the customer on the call list like a call step,
# labelled as a task, before the run takes it and on the day it was taken.
. "$top_srcdir/tests/lib.sh"
plan 3
cd "$TEST_DIR" || exit 1
"$DUN" --db "$DB" init >/dev/null
printf '[scenario t]\nname = With a task\nmax_amicable_days = 60\nmin_gap_days = 5\nstep = 1 email reminder-1\nstep = 10 task check-delivery\n[defaults]\nscenario = t\n' >scenarios.ini
"$DUN" --db "$DB" scenarios load scenarios.ini >/dev/null
printf 'code,name,phone\nT001,Tango SA,+33 1 11 11 11 11\n' >customers.csv
printf 'number,customer,issue_date,due_date,amount\nT-1,T001,2026-01-02,2026-02-01,500.00\n' >invoices.csv
"$DUN" --db "$DB" import customers customers.csv >/dev/null
"$DUN" --db "$DB" import invoices invoices.csv >/dev/null
DUN_TODAY=2026-02-02 "$DUN" --db "$DB" dunning run >/dev/null
L="rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,T001,Tango SA,,546,task step due; 11 days overdue,500.00,,check-delivery,+33 1 11 11 11 11"
DUN_TODAY=2026-02-12 expect "due and not yet taken" 0 "$L" "$DUN" --db "$DB" calllist
DUN_TODAY=2026-02-12 expect "the run takes the task" 0 "customer,invoice,scenario,step,channel,template,days_overdue,open
T001,T-1,t,2,task,check-delivery,11,500.00" "$DUN" --db "$DB" dunning run
DUN_TODAY=2026-02-12 expect "taken today, still on the list as a task" 0 "$L" "$DUN" --db "$DB" calllist
