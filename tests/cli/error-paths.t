#!/bin/sh
# Error paths beyond tests/cli/errors.t: a read-only ledger, a disk that
# fills up in the middle of an import, a ledger from a newer dun. Each a
# clear message and exit 3, never a crash or a changed file.
#
# Read-only as root: root ignores file modes, so chmod proves nothing.
# Two things do stop root: a read-only mount (a bind mount remounted ro in
# a private mount namespace, `unshare -m`, gone when the command ends) and
# the immutable attribute (`chattr +i`, ext4 and the like). Each case is
# skipped where the kernel or file system refuses to set it up.
. "$top_srcdir/tests/lib.sh"
plan 12
"$DUN" demo --customers 20 --seed 1 --db "$DB" >/dev/null
code=$(sql "SELECT code FROM customer ORDER BY code LIMIT 1")
sum() { md5sum <"$1"; }

# --- a read-only file system -------------------------------------------
mkdir "$TEST_DIR/ro"
cp "$DB" "$TEST_DIR/ro/ledger.db"
before=$(sum "$TEST_DIR/ro/ledger.db")
in_ro() {	# in_ro CMD...: runs CMD with $TEST_DIR/ro mounted read-only
	unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"' sh "$TEST_DIR/ro" "$@"
}
if in_ro true 2>/dev/null; then
	expect "on a read-only file system reports still work" 0 "$("$DUN" --db "$DB" customers)" \
		in_ro "$DUN" --db "$TEST_DIR/ro/ledger.db" customers
	expect_err "recording an activity says the ledger is read-only, exit 3" 3 \
		"dun: $TEST_DIR/ro/ledger.db: cannot record an activity: the ledger is read-only" \
		in_ro "$DUN" --db "$TEST_DIR/ro/ledger.db" log "$code" --note "not written"
	expect_err "dun init on it says the same" 3 \
		"dun: $TEST_DIR/ro/ledger.db: the ledger is read-only (Read-only file system)" \
		in_ro "$DUN" --db "$TEST_DIR/ro/ledger.db" init
else
	for n in 1 2 3; do ok "read-only mount # SKIP mount namespaces are not allowed here"; done
fi
check "the file on the read-only mount is unchanged" [ "$(sum "$TEST_DIR/ro/ledger.db")" = "$before" ]

# --- an immutable file -------------------------------------------------
cp "$DB" "$TEST_DIR/frozen.db"
before=$(sum "$TEST_DIR/frozen.db")
if chattr +i "$TEST_DIR/frozen.db" 2>/dev/null; then
	trap 'chattr -i "$TEST_DIR/frozen.db" 2>/dev/null; rm -rf "$TEST_DIR"' EXIT
	expect_err "an immutable ledger refuses a note, exit 3" 3 \
		"dun: $TEST_DIR/frozen.db: cannot record an activity: the ledger is read-only" \
		"$DUN" --db "$TEST_DIR/frozen.db" log "$code" --note "not written"
	expect "and still shows the customer" 0 "$("$DUN" --db "$DB" show "$code")" \
		"$DUN" --db "$TEST_DIR/frozen.db" show "$code"
	chattr -i "$TEST_DIR/frozen.db"
else
	for n in 1 2; do ok "immutable file # SKIP chattr +i is not supported here"; done
fi
check "the immutable file is unchanged" [ "$(sum "$TEST_DIR/frozen.db")" = "$before" ]

# --- the disk fills up during an import --------------------------------
"$DUN" --db "$TEST_DIR/full.db" init >/dev/null
printf 'code,name\nK1,Kill One\nK2,Kill Two\n' >"$TEST_DIR/c.csv"
"$DUN" --db "$TEST_DIR/full.db" import customers "$TEST_DIR/c.csv" >/dev/null
awk 'BEGIN { print "number,customer,issue_date,amount"
	for (i = 1; i <= 30000; i++) printf "N%06d,K%d,2026-%02d-%02d,%d.%02d\n", i, i % 2 + 1, i % 12 + 1, i % 28 + 1, i % 5000 + 1, i % 100 }' \
	>"$TEST_DIR/inv.csv"
# ulimit -f: no file may grow past 1 MB (2048 blocks of 512 bytes in
# dash); SIGXFSZ ignored so the write fails with EFBIG as on a full disk.
(trap '' XFSZ; ulimit -f 2048; "$DUN" --db "$TEST_DIR/full.db" import invoices "$TEST_DIR/inv.csv" >"$TEST_DIR/full.out" 2>&1; echo $? >"$TEST_DIR/full.rc")
check "an import that fills the disk exits 3 with a clear message" \
	sh -c "[ \$(cat '$TEST_DIR/full.rc') = 3 ] && grep -q 'disk full or I/O error' '$TEST_DIR/full.out'"
expect "and leaves the ledger as it was, intact" 0 "ok|0|2" \
	sqlite3 "$TEST_DIR/full.db" "SELECT (SELECT * FROM pragma_integrity_check) || '|' || (SELECT count(*) FROM invoice) || '|' || (SELECT count(*) FROM customer)"
expect "with space again the same import succeeds" 0 "imported 30000 invoices (30000 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$TEST_DIR/full.db" import invoices "$TEST_DIR/inv.csv"

# --- a ledger from a newer dun -----------------------------------------
cp "$DB" "$TEST_DIR/newer.db"
sqlite3 "$TEST_DIR/newer.db" "PRAGMA user_version = 99"
expect_err "a ledger from a newer dun is refused, exit 3, untouched" 3 \
	"dun: $TEST_DIR/newer.db: the ledger's schema (version 99) is newer than this dun understands (3): upgrade dun" \
	"$DUN" --db "$TEST_DIR/newer.db" log "$code" --note "not written"
expect "and nothing is written to it" 0 "99|0" \
	sqlite3 "$TEST_DIR/newer.db" "SELECT (SELECT user_version FROM pragma_user_version) || '|' || (SELECT count(*) FROM activity WHERE text = 'not written')"
