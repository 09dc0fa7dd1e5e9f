#!/bin/sh
# Error paths: each a clear message and the right exit code, never a crash
# or a damaged ledger.
. "$top_srcdir/tests/lib.sh"
plan 15

expect_err "an explicit config that does not exist is exit 1" 1 \
	"dun: $TEST_DIR/none.ini: cannot read the configuration: No such file or directory" \
	"$DUN" --config "$TEST_DIR/none.ini" --db "$DB" init

printf '[company]\nname = Example SAS\nbase_currency = EURO\n' >"$TEST_DIR/bad.ini"
expect_err "a bad config value names file and line" 1 \
	"dun: $TEST_DIR/bad.ini:3: base_currency \"EURO\": not an ISO 4217 currency code" \
	"$DUN" --config "$TEST_DIR/bad.ini" --db "$DB" init

printf '[aging]\nbuckets = 30,20\n' >"$TEST_DIR/buckets.ini"
expect_err "bad buckets in config" 1 \
	"dun: $TEST_DIR/buckets.ini:2: buckets \"30,20\": expected increasing day counts like 30,60,90,120" \
	"$DUN" --config "$TEST_DIR/buckets.ini" --db "$DB" init

printf '[mail]\nfrom = ar@example.com\ntransport = ftp://mail.example.com\n' >"$TEST_DIR/mail.ini"
expect_err "a mail transport dun cannot use is refused at its line, not at the first send" 1 \
	"dun: $TEST_DIR/mail.ini:3: transport \"ftp://mail.example.com\": expected \"sendmail PROGRAM [ARGS...]\", smtp://HOST:PORT or smtps://HOST:PORT" \
	"$DUN" --config "$TEST_DIR/mail.ini" --db "$DB" init

printf '[match]\nmin_confidence = 0.9\npattern = FACT(\\d+\n' >"$TEST_DIR/match.ini"
expect_err "a [match] pattern that does not compile is refused at its line" 1 \
	"dun: $TEST_DIR/match.ini:3: pattern \"FACT(\\d+\": missing closing parenthesis at offset 8" \
	"$DUN" --config "$TEST_DIR/match.ini" --db "$DB" init

printf '[aging\nbuckets = 1\n' >"$TEST_DIR/header.ini"
expect_err "a section header without its ] is named, not the key after it" 1 \
	"dun: $TEST_DIR/header.ini:1: malformed line (expected [section] or key = value)" \
	"$DUN" --config "$TEST_DIR/header.ini" --db "$DB" init

head -c 8192 /dev/urandom >"$TEST_DIR/junk.db"
expect "a file of junk is refused with exit 3" 3 "" "$DUN" --db "$TEST_DIR/junk.db" customers
check "the junk file is left as it was" sh -c "[ \$(stat -c %s '$TEST_DIR/junk.db') = 8192 ]"

sqlite3 "$TEST_DIR/other.db" "CREATE TABLE t(x)"
expect_err "another application's SQLite file is refused" 3 \
	"dun: $TEST_DIR/other.db: not a dun ledger (an SQLite file with other tables)" \
	"$DUN" --db "$TEST_DIR/other.db" init

expect "a directory is not a ledger" 3 "" "$DUN" --db "$TEST_DIR" customers

# Disk full: the file-size limit makes every write past it fail (EFBIG);
# SIGXFSZ is ignored so the write returns an error rather than killing dun.
(trap '' XFSZ; ulimit -f 8; "$DUN" --db "$TEST_DIR/full.db" init >"$TEST_DIR/full.out" 2>&1; echo $? >"$TEST_DIR/full.rc")
check "init on a full disk exits 3" sh -c "[ \$(cat '$TEST_DIR/full.rc') = 3 ] && grep -q 'disk full or I/O error' '$TEST_DIR/full.out'"
expect "and a later init on free space succeeds" 0 "ledger ready: $TEST_DIR/full.db" "$DUN" --db "$TEST_DIR/full.db" init

expect_err "an unknown option is named, in dun's shape, with the usage" 2 \
	"dun: match: unknown option --bogus
usage: dun match [--apply] [--min-confidence X]" \
	"$DUN" --db "$DB" match --bogus
expect_err "an option without its value says so" 2 \
	"dun: calllist: --limit needs a value
usage: dun calllist [--collector NAME] [--limit N]" \
	"$DUN" --db "$DB" calllist --limit
expect_err "an unknown letter among several is named, not the command" 2 \
	"dun: invoices: unknown option -x
usage: dun invoices [--customer CODE] [--open]" \
	"$DUN" --db "$DB" invoices -xy
