#!/bin/sh
# dun log (SPEC §4): calls, notes, promises, disputes and resolutions are
# activities; refusals are exit 1 with a clear message and write nothing.
. "$top_srcdir/tests/lib.sh"
plan 26
export DUN_TODAY=2026-03-31 DUN_USER=alice

cat >"$TEST_DIR/customers.csv" <<'CSV'
code,name
ACME,Acme SA
ZEN,Zen AG
CSV
cat >"$TEST_DIR/invoices.csv" <<'CSV'
number,customer,issue_date,due_date,amount
F1,ACME,2026-01-01,2026-01-31,1000.00
F2,ACME,2026-03-01,2026-04-15,250.50
F3,ZEN,2025-10-01,2025-10-31,400.00
CSV
cat >"$TEST_DIR/payments.csv" <<'CSV'
reference,date,amount,customer,invoices
P1,2026-03-20,400.00,ZEN,F3
CSV
"$DUN" --db "$DB" init >/dev/null
for kind in customers invoices payments; do
	"$DUN" --db "$DB" import $kind "$TEST_DIR/$kind.csv" >/dev/null || echo "# import $kind failed"
done
activities() { sql "SELECT count(*) FROM activity"; }
base=$(activities)

expect "a call" 0 "ACME: call logged" "$DUN" --db "$DB" log ACME --call "left a message"
expect "a note" 0 "ACME: note logged" "$DUN" --db "$DB" log ACME --note "prefers e-mail"
expect "a promise for two invoices" 0 "ACME: promise to pay 500.00 EUR by 2026-04-10 recorded" \
	"$DUN" --db "$DB" log ACME --promise 2026-04-10 500 F1 F2
expect "a dispute" 0 "ACME: dispute opened on F1 (billing)" \
	"$DUN" --db "$DB" log ACME --dispute F1 billing --owner bob
expect "all are activities, dated today, by the user" 0 "2026-03-31|call|alice|left a message||
2026-03-31|note|alice|prefers e-mail||
2026-03-31|promise|alice|promise to pay by 2026-04-10|50000|F1 F2
2026-03-31|dispute|alice|dispute (billing), owner bob|100000|F1" \
	sql "SELECT a.date, a.kind, a.who, a.text, a.amount, (SELECT group_concat(i.number, ' ') FROM
	    (SELECT i.number FROM activity_invoice ai JOIN invoice i ON i.id = ai.invoice_id
	     WHERE ai.activity_id = a.id ORDER BY i.number) i) FROM activity a WHERE a.id > $base ORDER BY a.id"
expect "the dispute" 0 "F1|billing|bob|2026-03-31||" \
	sql "SELECT i.number, d.reason, d.owner, d.opened, d.resolved, d.amount FROM dispute d JOIN invoice i ON i.id = d.invoice_id"
expect "the promise" 0 "50000|EUR|2026-03-31|2026-04-10|open|F1 F2" \
	sql "SELECT p.amount, p.currency, p.made_date, p.promised_date, p.status,
	    (SELECT group_concat(number, ' ') FROM (SELECT i.number FROM promise_invoice pi JOIN invoice i ON i.id = pi.invoice_id
	     WHERE pi.promise_id = p.id ORDER BY i.number)) FROM promise p"

written=$(activities)
expect_err "unknown customer" 1 'dun: customer "NOPE": no such customer' \
	"$DUN" --db "$DB" log NOPE --call hello
expect_err "unknown invoice" 1 'dun: invoice "F9": no such invoice' \
	"$DUN" --db "$DB" log ACME --dispute F9 billing
expect_err "another customer's invoice" 1 'dun: invoice "F3": not an invoice of customer "ACME"' \
	"$DUN" --db "$DB" log ACME --promise 2026-04-10 10 F3
expect_err "a promise in the past" 1 'dun: --promise "2026-03-30": a promise cannot be in the past (today is 2026-03-31)' \
	"$DUN" --db "$DB" log ACME --promise 2026-03-30 100
expect_err "a promise above what is owed" 1 'dun: amount "1000.01": more than the 1000.00 EUR the invoices still owe' \
	"$DUN" --db "$DB" log ACME --promise 2026-04-30 1000.01 F1
expect_err "a bad amount" 1 'dun: amount "12,3,4": misplaced thousands separator' \
	"$DUN" --db "$DB" log ACME --promise 2026-04-30 12,3,4
expect_err "a dispute on a paid invoice" 1 'dun: invoice "F3": already paid, nothing to dispute' \
	"$DUN" --db "$DB" log ZEN --dispute F3 delivery
expect_err "a second open dispute" 1 'dun: invoice "F1": already under dispute since 2026-03-31 (resolve it first)' \
	"$DUN" --db "$DB" log ACME --dispute F1 pricing
expect_err "an unknown reason" 1 'dun: reason "late": expected billing, delivery, quality, pricing or other' \
	"$DUN" --db "$DB" log ACME --dispute F2 late
expect_err "resolving what is not disputed" 1 'dun: invoice "F2": no open dispute to resolve' \
	"$DUN" --db "$DB" log ACME --resolve F2 "nothing"
expect "refusals wrote nothing" 0 "$written" activities

expect "no action is a usage error" 2 "" "$DUN" --db "$DB" log ACME
expect "two actions are a usage error" 2 "" "$DUN" --db "$DB" log ACME --call a --note b
expect "--owner goes with --dispute only" 2 "" "$DUN" --db "$DB" log ACME --call a --owner bob

DUN_TODAY=2026-04-02 expect "a resolution" 0 "ACME: dispute on F1 resolved" \
	"$DUN" --db "$DB" log ACME --resolve F1 "credit note agreed"

# 500.00 paid to F1 on 2026-04-11: kept within the 2 grace days.
printf 'reference,date,amount,customer,invoices\nP2,2026-04-11,500.00,ACME,F1\n' >"$TEST_DIR/p2.csv"
"$DUN" --db "$DB" import payments "$TEST_DIR/p2.csv" >/dev/null
expect "show: disputes and promises as of a date" 0 "Disputes
F1  billing  owner bob  opened 2026-03-31  resolved 2026-04-02: credit note agreed
Promises
made 2026-03-31  for 2026-04-10  500.00 EUR  kept 2026-04-11  F1 F2" \
	sh -c "DUN_TODAY=2026-04-20 \"$DUN\" --db \"$DB\" show ACME | sed -n '/^Disputes/,/^Activity/p' | grep -v '^Activity' | grep -v '^\$'"
# The same story as one JSON object, a member per section.
json_story() {
	DUN_TODAY=$1 "$DUN" --db "$DB" show ACME --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sorted(d))
print(d["customer"]["code"], d["customer"]["scenario"], d["customer"]["scenario_rule"])
for x in d["disputes"]: print(x["invoice"], x["reason"], x["opened"], x["resolved"], x["resolution"])
for x in d["promises"]: print(x["made"], x["amount"], x["status"], x["settled"], x["invoices"])'
}
expect "show --format json: the story as one object" 0 "['activity', 'customer', 'disputes', 'open_items', 'promises']
ACME standard default
F1 billing 2026-03-31 2026-04-02 credit note agreed
2026-03-31 500.0 kept 2026-04-11 F1 F2" json_story 2026-04-20
expect "show --format json as of a date before the resolution" 0 "['activity', 'customer', 'disputes', 'open_items', 'promises']
ACME standard default
F1 billing 2026-03-31 None 
2026-03-31 500.0 open None F1 F2" json_story 2026-04-01
DUN_TODAY=2026-04-20 "$DUN" --db "$DB" log ACME --note refresh >/dev/null
expect "log brings stored promise statuses up to date" 0 "kept|2026-04-11" sql "SELECT status, settled_date FROM promise"
