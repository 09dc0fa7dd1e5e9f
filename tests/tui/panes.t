#!/bin/sh
# Panes that follow what was just done, on a demo ledger of 30 customers
# at 80x24: a note logged on a customer with a long history shows at the
# top of its activity at once (a call's outcome in the words the rest of
# the history uses), and Enter on it shows its whole text
# wrapped; x says where the statement went; an invoice number too long for its column
# keeps its end, which tells the invoices apart; a text column too wide for the room left
# at 80 columns is shown cut rather than left out (the matching view's
# proposal, the disputes' customer name), and the payment reference grows
# with the screen; command output wider than the
# screen scrolls sideways with h/l; the aging grid re-bucketed to
# fewer columns, then dun quits cleanly (under the sanitizers, a leak is
# an exit status). A search whose pattern does not compile keeps its
# reason on the screen after Enter and offers no n / N; a whole invoice
# number, typed in any case, is found by the number's index (on two
# million invoices the scan took seconds). A receivable in the billions
# reads 1.5B in the status bar. s (and :sort) sorts the aging grid and,
# on a list that keeps its order, says so instead of doing nothing. An
# empty filter says so in full at 80 columns. The background rescoring
# shows as scoring… N% (SPEC §11) through all its stages.
. "$top_srcdir/tests/tui/lib.sh"
plan 26
demo_ledger 30
tui_start 80 24 --db "$DB"
tui_wait "starts" "Call list"
tui_keys ?
tui_wait "the help says the call list is in priority order" "customers to call today by priority"
tui_keys q
tui_keys s
tui_wait "s on a list that keeps its order says which one sorts" "this list keeps its own order; s sorts the aging grid"
tui_keys : && tui_type "goto C00001" && tui_keys Enter
tui_wait "C00001 has more history than its pane shows" "Activity 1/54"
tui_wait_re "a long invoice number keeps its distinct end" "│~2026-[0-9]{6} 2026-"
tui_keys n && tui_type "fresh note" && tui_keys Enter
tui_wait_re "the note is at the top of the activity at once" "│2026-11-22 note +fresh note"
tui_keys c Right Tab && tui_type "rang twice" && tui_keys Enter
tui_wait_re "a call's outcome reads as the demo's history does" "│2026-11-22 call +\\[no answer\\] r"
tui_keys n && tui_type "long tail: $(printf 'word%d ' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)end" && tui_keys Enter
tui_keys Tab Tab Tab g Enter
tui_wait "Enter on the activity shows the whole entry" "C00001 2026-11-22 note"
tui_wait_re "wrapped to the screen at a blank" "^│word[0-9]+ word.* end"
tui_keys q
tui_keys x
tui_wait "x says which statement went where" "statement of C00001 written to $(cd "$TEST_DIR" && pwd -P)/C00001.xlsx"
tui_keys / && tui_type "(unclosed" && tui_keys Enter
tui_wait "a bad search pattern keeps its reason after Enter" "search (unclosed: at 9: missing closing parenthesis"
tui_keys j
tui_wait_re "and offers no n / N" "DSO [0-9.]+ +2 Customers"
tui_keys / && tui_type "cn-2024-000006"
tui_wait "a whole invoice number finds its customer" "invoice CN-2024-000006 of C00017"
tui_keys Enter Escape
tui_keys 6
tui_wait_re "the matching view shows the proposal at 80 columns" "conf customer +proposal"
tui_resize 160 30
tui_wait_re "wider, a payment's reference shows whole" "│[0-9-]{10} E2E[0-9]{14} "
tui_resize 80 24
tui_keys 4
tui_wait_re "the disputes show the customer's name at 80 columns" "amount name +│"
tui_keys : && tui_type "aging --by segment" && tui_keys Enter
tui_wait "command output wider than the screen says it scrolls" "(q closes, ←→ scroll)"
tui_keys l l
tui_wait_re "l shows its last columns" "total +disputed│"
tui_keys h h
tui_wait_re "h back to its first" "│segment +currency"
tui_keys q
tui_keys 2 : && tui_type "filter collector=nobody" && tui_keys Enter
tui_wait_re "an empty filter says so whole at 80 columns" "│no customer passes; :filter clears it +│"
tui_keys : && tui_type "filter" && tui_keys Enter
tui_keys 3 : && tui_type "buckets 15,45" && tui_keys Enter
tui_wait "the grid has the new buckets" "16-45"
tui_keys : && tui_type "sort" && tui_keys Enter
tui_wait ":sort sorts the grid as s does" "current▼"
tui_keys q q q q q q
tui_wait "quits cleanly" "[exit 0]"
DB="$TEST_DIR/big.db"
"$DUN" --db "$DB" init >/dev/null
printf 'code,name\nBIG,Big Buyer\n' >"$TEST_DIR/c.csv"
printf 'number,customer,issue_date,due_date,amount\nB-1,BIG,2026-10-01,2026-10-31,1500000000.00\n' >"$TEST_DIR/i.csv"
"$DUN" --db "$DB" import customers "$TEST_DIR/c.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$TEST_DIR/i.csv" >/dev/null
tui_start 80 24 --db "$DB"
tui_wait "billions read B" "AR 1.5B"
DB="$TEST_DIR/scored.db"
demo_ledger 300
DUN_NO_BACKGROUND= tui_start 80 24 --db "$DB"
other=0 n=0
while ! tui_screen | grep -q "AR .*DSO" && [ $n -lt 250 ]; do
	tui_screen | grep -q "reading…\|fitting…" && other=1
	sleep 0.02; n=$((n + 1))
done
check "the rescoring's progress reads scoring… N%, never a stage's name" test $other = 0
tui_wait "and the KPIs follow it" "AR 11.0M"
