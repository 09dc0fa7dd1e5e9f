#!/bin/sh
# Crash safety (SPEC §3, §13): SIGKILL dun at random moments during a large
# import, a dunning run, an outbox send and a batch statement export. After
# each kill the ledger passes PRAGMA integrity_check and holds all or
# nothing of the interrupted work (per customer, for dunning), running the
# command again completes it with no duplicate, and no half-written file
# sits under a final name. Each kill comes at a random point within the
# command's own measured running time (so the test adapts to a slow
# sanitizer build); the delays are printed, so a failure can be replayed.
. "$top_srcdir/tests/lib.sh"
KILLS=${DUN_CRASH_KILLS:-12}    # per operation
plan 11
PY=/usr/bin/python3

# now_ms: milliseconds since the epoch.
now_ms() { date +%s%3N; }
# measure CMD...: runs CMD, leaves its running time in ms in $ms.
measure() { t0=$(now_ms); "$@" >/dev/null 2>&1; ms=$(( $(now_ms) - t0 )); }
# kill_after MAX_MS CMD...: starts CMD, sends SIGKILL at a random moment in
# [0, MAX_MS] ms, and waits for it (it may have finished already).
kill_after() {
	max=$1; shift
	delay=$(( $(od -An -N2 -tu2 /dev/urandom) % (max + 1) ))
	delays="$delays $delay"
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' "$delay")" 2>/dev/null || sleep 1
	kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
}
integrity() { [ "$(sqlite3 "$1" 'PRAGMA integrity_check')" = ok ]; }
fail_why=
problem() { [ -n "$fail_why" ] || fail_why="$1"; }
# report NAME: one TAP line for the batch of kills just run.
report() {
	if [ -z "$fail_why" ]; then ok "$1"; else not_ok "$1"; echo "# $fail_why"; echo "# delays (ms):$delays"; fi
	fail_why= delays=
}
total_kills=0
delays=

# --- a large import: 0 or all of its rows, and a re-run makes all -------
"$DUN" --db "$DB" init >/dev/null
printf 'code,name\nK1,Kill One\nK2,Kill Two\n' >"$TEST_DIR/c.csv"
"$DUN" --db "$DB" import customers "$TEST_DIR/c.csv" >/dev/null
ROWS=30000
awk -v n=$ROWS 'BEGIN { print "number,customer,issue_date,amount"
	for (i = 1; i <= n; i++) printf "N%06d,K%d,2026-%02d-%02d,%d.%02d\n", i, i % 2 + 1, i % 12 + 1, i % 28 + 1, i % 5000 + 1, i % 100 }' \
	>"$TEST_DIR/inv.csv"
cp "$DB" "$TEST_DIR/import0.db"
cp "$DB" "$TEST_DIR/import1.db"
measure "$DUN" --db "$TEST_DIR/import1.db" import invoices "$TEST_DIR/inv.csv"
import_ms=$ms
killed=0
i=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	cp "$TEST_DIR/import0.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
	kill_after "$import_ms" "$DUN" --db "$DB" import invoices "$TEST_DIR/inv.csv"
	integrity "$DB" || problem "import kill $i: integrity_check failed"
	n=$(sql "SELECT count(*) FROM invoice")
	[ "$n" = 0 ] || [ "$n" = $ROWS ] || problem "import kill $i: $n invoices, not 0 or $ROWS"
	"$DUN" --db "$DB" import invoices "$TEST_DIR/inv.csv" >/dev/null 2>&1 || problem "import kill $i: the re-run failed"
	n=$(sql "SELECT count(*) || ' ' || count(DISTINCT number) || ' ' || sum(amount) FROM invoice")
	want=$(sqlite3 "$TEST_DIR/import1.db" "SELECT count(*) || ' ' || count(DISTINCT number) || ' ' || sum(amount) FROM invoice")
	[ "$n" = "$want" ] || problem "import kill $i: after the re-run $n, wanted $want"
done
total_kills=$((total_kills + killed))
report "import of $ROWS rows killed $KILLS times ($killed while running): all or nothing, re-run completes it"

# --- a dunning run: per customer all or nothing of its action ---------------
"$DUN" demo --customers 200 --seed 7 --db "$TEST_DIR/demo.db" >/dev/null
cp "$TEST_DIR/demo.db" "$TEST_DIR/dun0.db"
measure "$DUN" --db "$TEST_DIR/dun0.db" dunning run
dunning_ms=$ms
# The state of the uninterrupted run, as the re-runs must leave it.
dunning_state() {
	sqlite3 "$1" "SELECT (SELECT count(*) FROM dunning_log) || ' ' || (SELECT count(*) FROM outbox) || ' '
		|| (SELECT count(*) FROM activity WHERE kind = 'dunning') || ' '
		|| (SELECT count(*) FROM (SELECT DISTINCT invoice_id, scenario, step FROM dunning_log))"
}
# Rows of a half-taken action: a log row without its activity or message,
# an activity or message that no log row claims.
dunning_orphans() {
	sqlite3 "$1" "SELECT
		(SELECT count(*) FROM dunning_log l WHERE l.date = '$DUN_TODAY' AND (l.activity_id IS NULL
			OR NOT EXISTS (SELECT 1 FROM activity a WHERE a.id = l.activity_id AND a.customer_id = l.customer_id)
			OR (l.outbox_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = l.outbox_id))))
		+ (SELECT count(*) FROM activity a WHERE a.kind = 'dunning' AND a.date = '$DUN_TODAY'
			AND NOT EXISTS (SELECT 1 FROM dunning_log l WHERE l.activity_id = a.id))
		+ (SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM dunning_log l WHERE l.outbox_id = o.id))"
}
want=$(dunning_state "$TEST_DIR/dun0.db")
killed=0
i=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	cp "$TEST_DIR/demo.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
	kill_after "$dunning_ms" "$DUN" --db "$DB" dunning run
	integrity "$DB" || problem "dunning kill $i: integrity_check failed"
	[ "$(dunning_orphans "$DB")" = 0 ] || problem "dunning kill $i: a customer's action was half written"
	"$DUN" --db "$DB" dunning run >/dev/null 2>&1 || problem "dunning kill $i: the re-run failed"
	got=$(dunning_state "$DB")
	[ "$got" = "$want" ] || problem "dunning kill $i: after the re-run $got, wanted $want"
done
total_kills=$((total_kills + killed))
report "dunning run on 200 customers killed $KILLS times ($killed while running): per-customer all or nothing, re-run completes it"

# --- an outbox send: every message delivered, none twice unless in flight -
cat >"$TEST_DIR/sendmail" <<SH
#!/bin/sh
sleep 0.01
f=\$(mktemp "$TEST_DIR/mail/m.XXXXXX")
cat >"\$f.part" && mv "\$f.part" "\$f.eml"
rm -f "\$f"
SH
chmod +x "$TEST_DIR/sendmail"
mkdir "$TEST_DIR/mail"
printf '[company]\nname = Example SAS\n[mail]\nfrom = ar@example.com\ntransport = sendmail %s -oi\n' \
	"$TEST_DIR/sendmail" >"$TEST_DIR/dun.ini"
# Only messages to valid addresses: the others stay queued by design.
sqlite3 "$TEST_DIR/dun0.db" "UPDATE outbox SET recipient = 'ap' || id || '@example.com'"
cp "$TEST_DIR/dun0.db" "$DB"
queued=$(sql "SELECT count(*) FROM outbox")
measure env DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$DB" outbox send
send_ms=$ms
rm -f "$TEST_DIR"/mail/*
cp "$TEST_DIR/dun0.db" "$DB"
killed=0
i=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	kill_after "$((send_ms / KILLS + 20))" env DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$DB" outbox send
	integrity "$DB" || problem "outbox kill $i: integrity_check failed"
done
DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$DB" outbox send >/dev/null 2>&1 || problem "outbox: the final send failed"
integrity "$DB" || problem "outbox: integrity_check failed"
[ "$(sql "SELECT count(*) FROM outbox WHERE state = 'sent'")" = "$queued" ] || problem "outbox: not every message is sent"
delivered=$(ls "$TEST_DIR/mail" | grep -c '\.eml$')
distinct=$(grep -h '^Message-ID:' "$TEST_DIR"/mail/*.eml | sort -u | wc -l)
[ "$distinct" = "$queued" ] || problem "outbox: $distinct distinct messages delivered, wanted $queued"
# A message is delivered again only when the kill caught it in flight.
[ "$delivered" -le $((queued + killed)) ] || problem "outbox: $delivered deliveries for $queued messages and $killed kills"
total_kills=$((total_kills + killed))
report "outbox send of $queued messages killed $KILLS times ($killed while running): all sent, $((delivered - queued)) redelivered in flight"

# --- a batch statement export: whole files under final names ------------
"$DUN" --db "$TEST_DIR/demo.db" statements --overdue --dir "$TEST_DIR/st0" >"$TEST_DIR/st0.out"
measure "$DUN" --db "$TEST_DIR/demo.db" statements --overdue --dir "$TEST_DIR/st1"
st_ms=$ms
statements=$(ls "$TEST_DIR/st0" | grep -c '\.xlsx$')
killed=0
i=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	kill_after "$st_ms" "$DUN" --db "$TEST_DIR/demo.db" statements --overdue --dir "$TEST_DIR/st"
	# Every file under a final name is a whole workbook; the rest are the
	# hidden temporaries (.NAME.xlsx.XXXXXX) of the one in progress.
	$PY - "$TEST_DIR/st" <<'PY' || problem "statements kill $i: a file under a final name is not a whole workbook"
import os, sys, zipfile
d = sys.argv[1]
for name in os.listdir(d) if os.path.isdir(d) else []:
    if name.endswith('.xlsx') and not name.startswith('.'):
        with zipfile.ZipFile(os.path.join(d, name)) as z:
            assert z.testzip() is None and 'xl/workbook.xml' in z.namelist()
    else:
        assert name.startswith('.') and '.xlsx.' in name, name
PY
done
"$DUN" --db "$TEST_DIR/demo.db" statements --overdue --dir "$TEST_DIR/st" >"$TEST_DIR/st.out" 2>&1 || problem "statements: the re-run failed"
[ "$(sed "s|$TEST_DIR/st0|DIR|" "$TEST_DIR/st0.out")" = "$(sed "s|$TEST_DIR/st|DIR|" "$TEST_DIR/st.out")" ] || problem "statements: the re-run said $(cat "$TEST_DIR/st.out")"
[ "$(ls "$TEST_DIR/st" | grep -c '^[^.].*\.xlsx$')" = "$statements" ] || problem "statements: not $statements files"
total_kills=$((total_kills + killed))
report "statement export of $statements files killed $KILLS times ($killed while running): only whole workbooks under final names"

# The ledgers the kills left are still whole and the outbox holds no duplicates.
check "the import ledger is intact" integrity "$TEST_DIR/import0.db"
check "the demo ledger is intact" integrity "$TEST_DIR/demo.db"
expect "no message is queued twice for one customer and date" 0 "0" \
	sql "SELECT count(*) FROM (SELECT customer_id, date, template FROM outbox GROUP BY 1, 2, 3 HAVING count(*) > 1)"
expect "no dunning step is logged twice" 0 "0" \
	sql "SELECT count(*) FROM (SELECT invoice_id, scenario, step FROM dunning_log GROUP BY 1, 2, 3 HAVING count(*) > 1)"
check "openpyxl opens a re-run statement" $PY -c "import openpyxl, sys, glob; [openpyxl.load_workbook(f) for f in sorted(glob.glob(sys.argv[1] + '/*.xlsx'))[:3]]" "$TEST_DIR/st"
check "the temporaries of killed exports are hidden names" sh -c "! ls '$TEST_DIR/st' | grep -v '\\.xlsx\$' | grep -v '^\\.'"
echo "# $total_kills kills while running"
check "most kills caught the command running" [ "$total_kills" -ge $((KILLS * 2)) ]
