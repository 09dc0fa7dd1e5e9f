#!/bin/sh
# A customer on hold (collection paused: a key account handled by sales,
# insolvency proceedings): the customers CSV's on_hold column sets it, a
# file without the column keeps it; dunning takes no step for the customer
# and lists no escalation, its invoices keep the step they reached and
# re-enter there when the hold is lifted; the call list leaves it out;
# `dun show` says so.
. "$top_srcdir/tests/lib.sh"
plan 16
data="$top_srcdir/tests/cli/data/dunning"
cd "$TEST_DIR" || exit 1
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" scenarios load "$data/scenarios.ini" >/dev/null
H=customer,invoice,scenario,step,channel,template,days_overdue,open
hold() { sql "SELECT group_concat(code || '=' || on_hold, ' ') FROM (SELECT code, on_hold FROM customer ORDER BY code)"; }

printf 'code,name,email,on_hold\nH001,Hotel SA,ap@hotel.test,no\nI002,India Ltd,ap@india.test,\nJ003,Juliet BV,ap@juliet.test,TRUE\nK004,Kilo AG,ap@kilo.test,0\n' >customers.csv
expect "on_hold: yes/no, true/false, 1/0 in any case, empty is no" 0 \
	"imported 4 customers (4 new, 0 updated, 0 unchanged)" "$DUN" --db "$DB" import customers customers.csv
expect "the flags as imported" 0 "H001=0 I002=0 J003=1 K004=0" hold
printf 'number,customer,issue_date,due_date,amount\nH-1,H001,2026-01-02,2026-02-01,100.00\nI-1,I002,2026-01-02,2026-02-01,200.00\nJ-1,J003,2026-01-02,2026-02-01,300.00\nK-1,K004,2026-01-02,2026-02-01,400.00\n' >invoices.csv
"$DUN" --db "$DB" import invoices invoices.csv >/dev/null

run() { DUN_TODAY=$1 expect "$1: $2" 0 "$3" "$DUN" --db "$DB" dunning run ${4:-}; }
run 2026-02-02 "--dry-run: J003 on hold takes no step" "$H
H001,H-1,std,2,email,reminder-1,1,100.00
I002,I-1,std,2,email,reminder-1,1,200.00
K004,K-1,std,2,email,reminder-1,1,400.00" --dry-run
run 2026-02-02 "the run takes the same steps" "$H
H001,H-1,std,2,email,reminder-1,1,100.00
I002,I-1,std,2,email,reminder-1,1,200.00
K004,K-1,std,2,email,reminder-1,1,400.00"

printf 'code,name,on_hold\nH001,Hotel SA,Yes\n' >hold.csv
expect "H001 goes on hold; the columns the file lacks keep their values" 0 \
	"imported 1 customer (0 new, 1 updated, 0 unchanged)" "$DUN" --db "$DB" import customers hold.csv
expect "its e-mail is kept" 0 "ap@hotel.test" sql "SELECT email FROM customer WHERE code = 'H001'"
run 2026-02-12 "--dry-run: H001 on hold after its first step is passed over" "$H
I002,I-1,std,3,call,call-1,11,200.00
K004,K-1,std,3,call,call-1,11,400.00" --dry-run
run 2026-02-12 "the run passes over H001 and J003 too" "$H
I002,I-1,std,3,call,call-1,11,200.00
K004,K-1,std,3,call,call-1,11,400.00"
DUN_TODAY=2026-02-12 expect "the call list leaves the customers on hold out, overdue as they are" 0 \
"rank,customer,name,collector,priority,reasons,overdue,risk_class,next_step,phone
1,K004,Kilo AG,,437,call step due; 11 days overdue,400.00,,call-1,
2,I002,India Ltd,,218,call step due; 11 days overdue,200.00,,call-1," "$DUN" --db "$DB" calllist
expect "the invoices on hold keep the step they reached" 0 "H-1|2
J-1|0" sql "SELECT number, dunning_step FROM invoice WHERE number IN ('H-1', 'J-1') ORDER BY number"
DUN_TODAY=2026-02-12 expect "dun show says the customer is on hold" 0 \
	"email: ap@hotel.test  phone:   language: en  scenario: std (default)  ON HOLD" \
	sh -c "'$DUN' --db '$DB' show H001 | sed -n 3p"

printf 'code,name,phone\nH001,Hotel SA,+1 555 0100\n' >phone.csv
"$DUN" --db "$DB" import customers phone.csv >/dev/null
expect "a file without the on_hold column keeps the hold" 0 "H001=1 I002=0 J003=1 K004=0" hold
printf 'code,name,on_hold\nH001,Hotel SA,maybe\nI002,India Ltd,no\nJ003,Juliet BV,2\n' >bad.csv
expect_err "a value that is not yes or no is a bad row" 1 \
	'dun: bad.csv:2: on_hold "maybe": expected yes or no (or true/false, 1/0; empty is no)
dun: bad.csv:4: on_hold "2": expected yes or no (or true/false, 1/0; empty is no)
dun: bad.csv: 2 bad rows, nothing imported' "$DUN" --db "$DB" import customers bad.csv
expect "nothing was written" 0 "H001=1 I002=0 J003=1 K004=0" hold

printf 'code,name,on_hold\nH001,Hotel SA,false\nJ003,Juliet BV,NO\n' >release.csv
"$DUN" --db "$DB" import customers release.csv >/dev/null
run 2026-03-05 "released, H001 re-enters at the step it reached, J003 at its first" "$H
H001,H-1,std,3,call,call-1,32,100.00
I002,I-1,std,4,email,reminder-2,32,200.00
J003,J-1,std,2,email,reminder-1,32,300.00
K004,K-1,std,4,email,reminder-2,32,400.00"
printf 'code,name,on_hold\nK004,Kilo AG,1\n' >k.csv
"$DUN" --db "$DB" import customers k.csv >/dev/null
DUN_TODAY=2026-03-20 expect "a customer on hold lists no escalation" 0 \
"customer,invoice,scenario,days_overdue,open
H001,H-1,std,47,100.00
I002,I-1,std,47,200.00
J003,J-1,std,47,300.00" "$DUN" --db "$DB" dunning escalations
