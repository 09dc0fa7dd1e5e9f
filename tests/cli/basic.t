#!/bin/sh
# The CLI skeleton: help, exit codes, init, the ledger file's mode and the
# refusal of a newer schema, lists on an empty and a small ledger.
. "$top_srcdir/tests/lib.sh"
plan 17

expect "unknown command is a usage error" 2 "" "$DUN" frobnicate
expect "bad --format is a usage error" 2 "" "$DUN" --format xml customers
check "help lists init" sh -c "\"$DUN\" help | grep -q '^  init'"
check "COMMAND --help prints its usage" sh -c "\"$DUN\" invoices --help | grep -q '^usage: dun invoices \[--customer CODE\] \[--open\]'"
expect_err "no ledger yet is exit 1 with a hint" 1 \
	"dun: $DB: no ledger here: run \`dun init\` and import your data, or \`dun demo\` for a demo ledger" \
	"$DUN" --db "$DB" customers
: >"$DB"
expect_err "an empty file is not taken for a ledger by a report" 1 \
	"dun: $DB: an empty file, not a ledger: run \`dun init\` on it, or name the ledger with --db" \
	"$DUN" --db "$DB" customers
check "the empty file is left empty" sh -c "[ ! -s '$DB' ]"
rm -f "$DB"
expect "init creates the ledger" 0 "ledger ready: $DB" "$DUN" --db "$DB" init
expect "init is idempotent" 0 "ledger ready: $DB" "$DUN" --db "$DB" init
check "ledger file is private (0600)" sh -c "[ \"\$(stat -c %a '$DB')\" = 600 ]"
check "ledger is in WAL mode" sh -c "[ \"\$(sqlite3 '$DB' 'PRAGMA journal_mode')\" = wal ]"
expect "customers on an empty ledger prints the header" 0 \
	"code,name,segment,collector,terms,credit_limit,currency,email,phone,language,balance,overdue,risk_class" \
	"$DUN" --db "$DB" customers
# A ledger of the first release (schema 1), with an open and a settled
# invoice, is brought up to date on open, and both still list.
rm -f "$DB" "$DB-wal" "$DB-shm"
sqlite3 "$DB" <"$top_srcdir/data/migrations/001-init.sql"
sqlite3 "$DB" "PRAGMA journal_mode = WAL; PRAGMA user_version = 1;
INSERT INTO customer (code, name, currency) VALUES ('C1', 'One', 'EUR');
INSERT INTO invoice (number, customer_id, kind, issue_date, due_date, currency, amount, open_amount)
VALUES ('F1', 1, 'invoice', '2026-01-01', '2026-01-31', 'EUR', 1000, 1000),
       ('F2', 1, 'invoice', '2026-01-01', '2026-01-31', 'EUR', 500, 0);" >/dev/null
chmod 600 "$DB"
expect_err "a read-only command does not migrate it, and says how" 3 \
	"dun: $DB: the ledger's schema (version 1) needs an upgrade to 3, which a read-only command does not make: run \`dun init\` on it first" \
	"$DUN" --db "$DB" export aging -o "$TEST_DIR/aging.xlsx"
expect "a version 1 ledger is migrated on open" 0 "3|1|2" sh -c \
	"'$DUN' --db '$DB' customers >/dev/null && sqlite3 '$DB' 'SELECT (SELECT user_version FROM pragma_user_version) || \"|\" || (SELECT count(*) FROM sqlite_master WHERE name = \"profile_scenario\") || \"|\" || (SELECT count(*) FROM invoice_any)'"
expect "its invoices, open and settled, list by customer" 0 "F1 F2" sh -c \
	"'$DUN' --db '$DB' invoices --customer C1 | cut -d, -f1 | tail -n +2 | paste -sd ' '"
sqlite3 "$DB" "PRAGMA user_version = 999"
expect "a newer schema is refused with exit 3" 3 "" "$DUN" --db "$DB" customers
DUN_TODAY=2026-02-30 expect "a bad DUN_TODAY is a usage error" 2 "" "$DUN" --db "$DB" customers
