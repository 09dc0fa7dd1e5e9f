#!/bin/sh
# What pauses dunning (SPEC §7): an open dispute, a promise open until its
# date plus the grace days, a snooze; and the way back: a resolved dispute
# and a broken promise re-enter at the step reached, a kept promise (the
# invoice paid) ends it.
. "$top_srcdir/tests/lib.sh"
plan 12
data="$top_srcdir/tests/cli/data/dunning"
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" scenarios load "$data/scenarios.ini" >/dev/null
"$DUN" --db "$DB" import customers "$data/pause-customers.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$data/pause-invoices.csv" >/dev/null
H=customer,invoice,scenario,step,channel,template,days_overdue,open
# Q002 promises Q-1 for 02-15 and R003 R-1 for 02-10 (grace 2 days); P-1
# is disputed from 02-05; S004 is snoozed until 02-20.
DUN_TODAY=2026-02-01 expect "snooze a customer" 0 "S004: dunning snoozed until 2026-02-20" \
	"$DUN" --db "$DB" dunning snooze S004 2026-02-20 "on holiday, back on the 20th"
expect_err "snooze an unknown customer" 1 'dun: customer "NOPE": no such customer' \
	"$DUN" --db "$DB" dunning snooze NOPE 2026-02-20
export DUN_TODAY=2026-02-05
"$DUN" --db "$DB" log Q002 --promise 2026-02-15 500.00 Q-1 >/dev/null
"$DUN" --db "$DB" log R003 --promise 2026-02-10 400.00 R-1 >/dev/null
"$DUN" --db "$DB" log P001 --dispute P-1 billing >/dev/null
unset DUN_TODAY

run() { DUN_TODAY=$1 expect "$1: $2" 0 "$3" "$DUN" --db "$DB" dunning run; }
run 2026-02-02 "past due at the first run: the preventive step is skipped; S004 snoozed" "$H
P001,P-1,std,2,email,reminder-1,1,1000.00
P001,P-2,std,2,email,reminder-1,1,200.00
Q002,Q-1,std,2,email,reminder-1,1,500.00
R003,R-1,std,2,email,reminder-1,1,400.00"
run 2026-02-12 "P-1 disputed, Q-1 and R-1 promised (R-1's grace ends today)" "$H
P001,P-2,std,3,call,call-1,11,200.00"
run 2026-02-13 "R-1's promise is broken: it re-enters at the step it reached" "$H
R003,R-1,std,3,call,call-1,12,400.00"
"$DUN" --db "$DB" import payments "$data/pause-payments.csv" >/dev/null
run 2026-02-18 "Q-1 paid: the kept promise ends its dunning" "$H"
run 2026-02-21 "the snooze is over" "$H
P001,P-2,std,4,email,reminder-2,20,200.00
R003,R-1,std,4,email,reminder-2,20,400.00
S004,S-1,std,2,email,reminder-1,20,600.00"
DUN_TODAY=2026-02-25 "$DUN" --db "$DB" log P001 --resolve P-1 "price confirmed" >/dev/null
run 2026-03-05 "the resolved dispute: P-1 re-enters at the step it reached" "$H
P001,P-1,std,3,call,call-1,32,1000.00
P001,P-2,std,5,letter,formal-notice,32,200.00
R003,R-1,std,5,letter,formal-notice,32,400.00
S004,S-1,std,3,call,call-1,32,600.00"
DUN_TODAY=2026-03-05 expect "the same day again does nothing" 0 "$H" "$DUN" --db "$DB" dunning run
expect "the letter to P001 covers both invoices" 0 "  P-1  échéance 2026-02-01  32 jours de retard
  P-2  échéance 2026-02-01  32 jours de retard" \
	sh -c "sqlite3 '$DB' \"SELECT body FROM outbox WHERE template = 'formal-notice' AND recipient = 'ap@papa.test'\" | grep '^  P-'"
# A dispute opened after the as-of date does not exist yet at that date.
DUN_TODAY=2026-04-01 "$DUN" --db "$DB" log S004 --dispute S-1 quality >/dev/null
DUN_TODAY=2026-03-20 expect "a dispute opened later does not pause an earlier run" 0 "$H
P001,P-1,std,4,email,reminder-2,47,1000.00
P001,P-2,std,6,escalate,litigation,47,200.00
R003,R-1,std,6,escalate,litigation,47,400.00
S004,S-1,std,4,email,reminder-2,47,600.00" "$DUN" --db "$DB" dunning run --dry-run
expect "the snooze is in the customer's history" 0 "2026-02-01|edit|dunning snoozed until 2026-02-20: on holiday, back on the 20th" \
	sql "SELECT a.date, a.kind, a.text FROM activity a JOIN customer c ON c.id = a.customer_id WHERE c.code = 'S004' AND a.kind = 'edit'"
