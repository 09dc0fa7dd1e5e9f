#!/bin/sh
# The dunning run of SPEC §7 over a worked ledger, date after date: the
# preventive step before the due date only, one action per customer at its
# most advanced step, one step per invoice per run (catch-up after
# downtime), min_gap_days, the re-run of the same day, minimum amounts,
# the segment rule and the default scenario, the escalation list. Each
# date's plan is checked dry, then the real run must print the same rows.
. "$top_srcdir/tests/lib.sh"
plan 30
data="$top_srcdir/tests/cli/data/dunning"
"$DUN" --db "$DB" init >/dev/null
expect "scenarios load" 0 "loaded 2 scenarios, 1 segment rules" "$DUN" --db "$DB" scenarios load "$data/scenarios.ini"
"$DUN" --db "$DB" import customers "$data/customers.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$data/invoices.csv" >/dev/null
H=customer,invoice,scenario,step,channel,template,days_overdue,open

# The ledger's dunning state, to show a dry run leaves it alone.
state() {
	sql "SELECT (SELECT count(*) FROM dunning_log), (SELECT count(*) FROM outbox),
		(SELECT count(*) FROM activity), (SELECT total(dunning_step) FROM invoice)"
}
dry_run() {
	was=$(state)
	"$DUN" --db "$DB" dunning run --dry-run
	rc=$?
	[ "$was" = "$(state)" ] || { echo "the dry run changed the ledger"; return 9; }
	return $rc
}

# day DATE PLAN: the dry run prints PLAN and changes nothing, the real run
# prints the same.
day() {
	DUN_TODAY=$1 expect "$1 dry run" 0 "$2" dry_run
	DUN_TODAY=$1 expect "$1 run" 0 "$2" "$DUN" --db "$DB" dunning run
}

day 2026-01-26 "$H
A001,A-1,std,1,email,preventive,0,1000.00"
DUN_TODAY=2026-01-26 expect "a second run the same day does nothing" 0 "$H" "$DUN" --db "$DB" dunning run
day 2026-01-29 "$H
C003,C-1,std,1,email,preventive,0,80.00"
day 2026-02-01 "$H
A001,A-1,std,2,email,reminder-1,1,1000.00"
# C-1's reminder is due, but C003 had a step 4 days ago (min_gap_days 5).
day 2026-02-02 "$H"
day 2026-02-06 "$H
C003,C-1,std,2,email,reminder-1,5,80.00
D004,D-1,std,1,email,preventive,0,300.00"
day 2026-02-11 "$H
A001,A-1,std,3,call,call-1,11,1000.00
B002,B-1,pub,1,email,reminder-1,7,200.00
C003,C-1,std,3,call,call-1,10,80.00
D004,D-1,std,2,email,reminder-1,2,300.00"
# A month without runs: one step per invoice, never a burst; A-2 is past
# due and skips its preventive step; A001 gets one reminder-2 for both.
day 2026-03-10 "$H
A001,A-1,std,4,email,reminder-2,38,1000.00
A001,A-2,std,2,email,reminder-1,19,500.00
B002,B-1,pub,2,call,call-1,34,200.00
C003,C-1,std,4,email,reminder-2,37,80.00
D004,D-1,std,3,call,call-1,29,300.00
F006,F-1,pub,1,email,reminder-1,29,50.00"
day 2026-03-30 "$H
A001,A-1,std,5,letter,formal-notice,58,1000.00
A001,A-2,std,3,call,call-1,39,500.00
C003,C-1,std,5,letter,formal-notice,57,80.00
C003,C-2,std,1,email,preventive,0,120.00
D004,D-1,std,4,email,reminder-2,49,300.00
F006,F-1,pub,2,call,call-1,49,50.00"
# C-1 (80.00) is below the escalation step's minimum of 100.
day 2026-04-05 "$H
A001,A-1,std,6,escalate,litigation,64,1000.00
A001,A-2,std,4,email,reminder-2,45,500.00
C003,C-2,std,2,email,reminder-1,5,120.00
D004,D-1,std,5,letter,formal-notice,55,300.00"
day 2026-04-20 "$H
A001,A-2,std,5,letter,formal-notice,60,500.00
C003,C-2,std,3,call,call-1,20,120.00
D004,D-1,std,6,escalate,litigation,70,300.00"
DUN_TODAY=2026-04-20 expect "escalations past max_amicable_days" 0 "customer,invoice,scenario,days_overdue,open
A001,A-1,std,79,1000.00
A001,A-2,std,60,500.00
C003,C-1,std,78,80.00
D004,D-1,std,70,300.00" "$DUN" --db "$DB" dunning escalations

expect "every step is logged once" 0 "28" sql "SELECT count(*) FROM dunning_log"
expect "one dunning activity per action, linked to its invoices" 0 "24|28" \
	sql "SELECT count(DISTINCT a.id), count(*) FROM activity a JOIN activity_invoice ai ON ai.activity_id = a.id WHERE a.kind = 'dunning'"
expect "e-mails and letters are queued, calls and escalations are not" 0 "email|12
letter|4" sql "SELECT channel, count(*) FROM outbox GROUP BY channel ORDER BY channel"
expect "the invoice remembers its last step" 0 "A-1|6|2026-04-05
C-1|5|2026-03-30" sql "SELECT number, dunning_step, dunning_date FROM invoice WHERE number IN ('A-1', 'C-1') ORDER BY number"
grep_interest() { sql "SELECT body FROM outbox WHERE template = 'formal-notice' ORDER BY id" | grep 'late interest\|pénalités de retard ' ; }
expect "late interest and indemnity per invoice in the formal notices, amounts written the customer's way" 0 \
"    pénalités de retard 19,31 EUR, indemnité forfaitaire de recouvrement 40,00 EUR
    pénalités de retard  6,49 EUR, indemnité forfaitaire de recouvrement 40,00 EUR
    late interest 1.52 EUR, recovery indemnity 40.00 EUR
    late interest 0.00 EUR, recovery indemnity 40.00 EUR
    late interest 5.49 EUR, recovery indemnity 40.00 EUR
    pénalités de retard 9,99 EUR, indemnité forfaitaire de recouvrement 40,00 EUR" grep_interest
sqlite3 "$DB" "UPDATE outbox SET state = 'sent' WHERE channel = 'email'"
DUN_CONFIG=/dev/null "$DUN" --db "$DB" outbox export "$TEST_DIR/letters" >/dev/null
expect "letters export as .eml messages, without a configured sender" 0 "000011-A001-formal-notice.eml
000012-C003-formal-notice.eml
000015-D004-formal-notice.eml
000016-A001-formal-notice.eml" ls "$TEST_DIR/letters"
expect "a letter is marked for printing; its text starts with the addresses, the date and the subject" 0 "letter
Gamma Ltd

2026-03-30

Formal notice to pay - Gamma Ltd (C003)" /usr/bin/python3 -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["X-Dun-Channel"])
print("\n".join(m.get_body(("plain",)).get_content().splitlines()[:5]))' "$TEST_DIR/letters/000012-C003-formal-notice.eml"
