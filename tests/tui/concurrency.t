#!/bin/sh
# Several processes on one ledger at once (SPEC §3): two workstations in
# tmux logging notes, a 20,000-row import, a dunning run and three
# `dun log` loops. Each process ends with 0 or a clean exit 3 naming the
# busy ledger, never "database is locked" as a crash; every activity a
# process reported as written is in the ledger at the end; the file stays
# sound; an edit made on a stale customer is refused, not silently lost.
. "$top_srcdir/tests/tui/lib.sh"
plan 9
NOTES=${DUN_CONCURRENCY_NOTES:-15}   # per workstation
LOGS=${DUN_CONCURRENCY_LOGS:-50}    # per `dun log` loop
"$DUN" demo --customers 200 --seed 5 --db "$DB" >/dev/null
codes=$(sql "SELECT code FROM customer ORDER BY code LIMIT 30")
set -- $codes
awk 'BEGIN { print "number,customer,issue_date,amount"
	for (i = 1; i <= 20000; i++) printf "CC-%05d,C%05d,2026-%02d-%02d,%d.%02d\n", i, i % 150 + 1, i % 10 + 1, i % 28 + 1, i % 900 + 1, i % 100 }' \
	>"$TEST_DIR/inv.csv"
# The workstations: one tmux server, two sessions.
tui new-session -d -s a -x 100 -y 30 -c "$TEST_DIR" \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 DUN_TODAY=$DUN_TODAY DUN_CONFIG=/dev/null HOME=$HOME DUN_NO_BACKGROUND=1 '$DUN' --db '$DB' 2>'$TEST_DIR/a.err'; echo \"[exit \$?]\"; sleep 600"
tui new-session -d -s b -x 100 -y 30 -c "$TEST_DIR" \
	"env LANG=C.UTF-8 LC_ALL=C.UTF-8 DUN_TODAY=$DUN_TODAY DUN_CONFIG=/dev/null HOME=$HOME DUN_NO_BACKGROUND=1 '$DUN' --db '$DB' 2>'$TEST_DIR/b.err'; echo \"[exit \$?]\"; sleep 600"
# wait_screen SESSION TEXT: polls the session's screen for TEXT (10 s).
wait_screen() {
	n=0
	while [ $n -lt 500 ]; do
		tui capture-pane -p -t "$1" | grep -qF -- "$2" && return 0
		sleep 0.02; n=$((n + 1))
	done
	return 1
}
wait_screen a "Call list" && wait_screen b "Call list"
check "two workstations start on the ledger" test $? -eq 0

# The CLI writers, all at once.
"$DUN" --db "$DB" import invoices "$TEST_DIR/inv.csv" >"$TEST_DIR/import.out" 2>&1 &
p_import=$!
"$DUN" --db "$DB" dunning run >"$TEST_DIR/dunning.out" 2>"$TEST_DIR/dunning.err" &
p_dunning=$!
for l in 1 2 3; do
	(
		i=0
		while [ $i -lt "$LOGS" ]; do
			i=$((i + 1))
			eval "code=\${$(( (i + l * 7) % 30 + 1 ))}"
			"$DUN" --db "$DB" log "$code" --note "cli-$l-$i" >/dev/null 2>"$TEST_DIR/log-$l-$i.err"
			echo "$? $code cli-$l-$i"
		done
	) >"$TEST_DIR/log-$l.status" &
	eval "p_log$l=\$!"
done
# The workstations log notes meanwhile, each on its own customers, and
# count the notes whose confirmation they showed.
for s in a b; do : >"$TEST_DIR/tui-$s.written"; done
i=0
while [ $i -lt "$NOTES" ]; do
	i=$((i + 1))
	for s in a b; do
		if [ $s = a ]; then eval "code=\${$i}"; else eval "code=\${$((i + 15))}"; fi
		tui send-keys -t $s Escape :
		tui send-keys -t $s -l "goto $code"
		tui send-keys -t $s Enter
		wait_screen $s "Aging $code" || continue
		tui send-keys -t $s n
		tui send-keys -t $s -l "tui-$s-$i"
		tui send-keys -t $s Enter
		wait_screen $s "note added for $code" && echo "$code tui-$s-$i" >>"$TEST_DIR/tui-$s.written"
	done
done
wait $p_import; s_import=$?
wait $p_dunning; s_dunning=$?
wait $p_log1 $p_log2 $p_log3
cat "$TEST_DIR"/log-?.status >"$TEST_DIR/log.status"

# Every exit is 0 or a clean 3 that says the ledger was busy.
bad=$(awk '$1 != 0 && $1 != 3' "$TEST_DIR/log.status" | wc -l)
echo "# import $s_import, dunning $s_dunning, dun log: $(awk '$1 == 0' "$TEST_DIR/log.status" | wc -l) written, $(awk '$1 == 3' "$TEST_DIR/log.status" | wc -l) busy"
check "every process exits 0 or 3" sh -c "[ $bad = 0 ] && case '$s_import$s_dunning' in 00|03|30|33) true;; *) false;; esac"
check "no process died of 'database is locked'" sh -c "! cat '$TEST_DIR'/*.err '$TEST_DIR/import.out' | grep -q 'database is locked'"
check "an exit 3 says the ledger is busy" sh -c "for f in \$(awk '\$1 == 3 { print \$3 }' '$TEST_DIR/log.status'); do grep -q 'busy' '$TEST_DIR/log-'\$(echo \$f | cut -d- -f2-3)'.err' || exit 1; done"
want=0; [ "$s_import" = 0 ] && want=20000
expect "the import is all or nothing" 0 "$want" sql "SELECT count(*) FROM invoice WHERE number LIKE 'CC-%'"
# Every note reported written, by the CLI (exit 0) or a workstation
# (its confirmation shown), is in the activity log, once.
awk '$1 == 0 { print $2, $3 }' "$TEST_DIR/log.status" | cat - "$TEST_DIR"/tui-?.written | sort >"$TEST_DIR/written"
sql "SELECT c.code || ' ' || a.text FROM activity a JOIN customer c ON c.id = a.customer_id
	WHERE a.kind = 'note' AND (a.text LIKE 'cli-%' OR a.text LIKE 'tui-%')" | sort >"$TEST_DIR/present"
echo "# $(wc -l <"$TEST_DIR/written") activities reported written, $(wc -l <"$TEST_DIR/present") present"
check "every activity reported written is present, none twice" cmp "$TEST_DIR/written" "$TEST_DIR/present"
check "the workstations wrote most of their notes" [ "$(cat "$TEST_DIR"/tui-?.written | wc -l)" -ge "$NOTES" ]

# A stale edit: workstation a opens a customer's form, the CLI changes the
# customer, a saves: refused with a message, the CLI's change kept.
code=$1
tui send-keys -t a Escape :
tui send-keys -t a -l "goto $code"
tui send-keys -t a Enter
wait_screen a "Aging $code"
tui send-keys -t a e
wait_screen a "Edit $code"
printf 'code,name,phone\n%s,%s,+33 9 99 99 99 99\n' "$code" "$(sql "SELECT name FROM customer WHERE code = '$code'")" >"$TEST_DIR/edit.csv"
"$DUN" --db "$DB" import customers "$TEST_DIR/edit.csv" >/dev/null
tui send-keys -t a Down C-u
tui send-keys -t a -l "+33 1 00 00 00 00"
tui send-keys -t a C-s
wait_screen a "changed by someone else"
check "an edit on a stale customer is refused, the other change kept" \
	sh -c "[ $? = 0 ] && [ \"\$(sqlite3 '$DB' \"SELECT phone FROM customer WHERE code = '$code'\")\" = '+33 9 99 99 99 99' ]"
expect "integrity_check is ok" 0 "ok" sql "PRAGMA integrity_check"
