#!/bin/sh
# A CLI command typed on the ':' line runs off the UI thread (SPEC §11):
# while it runs, keys move and switch views, the status bar says what
# runs, a second command is refused and Esc cancels it, writing nothing;
# when it ends its output shows as before. The command is held for as
# long as the test needs by another process's write lock (sqlite3 in a
# transaction fed through a fifo), not by a ledger large enough to be slow.
. "$top_srcdir/tests/tui/lib.sh"
plan 18
demo_ledger 30
notes() { sql "SELECT count(*) FROM activity WHERE kind = 'note' AND text = 'queued'"; }
# lock / unlock: another process takes the ledger's write lock, and lets go.
lock() {
	rm -f "$TEST_DIR/lock" "$TEST_DIR/lock.out"
	mkfifo "$TEST_DIR/lock"
	sqlite3 "$DB" <"$TEST_DIR/lock" >"$TEST_DIR/lock.out" &
	lock_pid=$!
	exec 9>"$TEST_DIR/lock"
	echo "BEGIN IMMEDIATE; SELECT 'locked';" >&9
	n=0
	while ! grep -q locked "$TEST_DIR/lock.out" && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
}
unlock() { echo "COMMIT;" >&9; exec 9>&-; wait "$lock_pid"; }

tui_start 100 30 --db "$DB"
tui_wait "opens on the call list" "Call list"
lock
tui_keys : && tui_type "log C00001 --note queued" && tui_keys Enter
tui_wait "the status bar says what runs" "running :log C00001 --note queued…  Esc cancels"
tui_keys 2
tui_wait "a key switches the view while it runs" "[Customers 1/30]"
tui_keys j
tui_wait "and moves in the list" "[Customers 2/30]"
tui_wait "the command still runs" "running :log C00001 --note queued…"
tui_keys : && tui_type "customers" && tui_keys Enter
tui_wait "a second command is refused" "log C00001 --note queued is still running: wait for it, or Esc cancels it"
tui_keys Escape
tui_wait "Esc cancels it" "log C00001 --note queued: cancelled"
expect "a cancelled command writes nothing" 0 "0" notes

tui_keys : && tui_type "log C00001 --note queued" && tui_keys Enter
tui_wait "it runs again" "running :log C00001 --note queued…"
unlock
tui_wait "once the lock goes, it ends with its message" "C00001: note logged"
expect "and its write is in the ledger" 0 "1" notes
tui_keys : && tui_type "invoices --customer C00001" && tui_keys Enter
tui_wait "a report opens in the pager as before" "[invoices --customer C00001 — 1/"

tui_keys q
# Output waits while the ':' line is open, rather than replacing it.
steps() { sql "SELECT count(*) FROM dunning_log"; }
before=$(steps)
lock
tui_keys : && tui_type "dunning run" && tui_keys Enter
tui_wait "a dunning run waits for the lock" "running :dunning run…"
tui_keys : && tui_type "half typed"
unlock
n=0
while [ "$(steps)" = "$before" ] && [ $n -lt 250 ]; do sleep 0.02; n=$((n + 1)); done
sleep 0.2 # the end reaches the UI; the line must still be there
tui_wait "its end leaves the ':' line as it was" ":half typed"
tui_keys Escape
tui_wait "and its output opens once the line closes" "[dunning run — 1/"
tui_keys q
lock
tui_keys : && tui_type "log C00001 --note queued" && tui_keys Enter
tui_wait "a command runs when quitting" "running :log C00001 --note queued…"
tui_keys C-c
tui_wait "quitting stops it at once" "[exit 0]"
unlock
expect "writing nothing" 0 "1" notes
