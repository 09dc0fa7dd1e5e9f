#!/bin/sh
# Two imports of different files into one ledger at the same time: each
# either succeeds or fails cleanly with exit 3 (busy past the timeout),
# nothing is lost or half-written, and the file stays sound. The files are
# big enough for the bulk path (indexes dropped and rebuilt in the import's
# transaction): the schema must come out as it went in.
. "$top_srcdir/tests/lib.sh"
plan 5
cp "$top_srcdir"/tests/cli/data/import/customers.csv "$TEST_DIR"/
cd "$TEST_DIR" || exit 1
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" import customers customers.csv >/dev/null
schema() { sqlite3 "$DB" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"; }
schema >schema.before
for f in a b; do
	awk -v p="$f" 'BEGIN { print "number,customer,issue_date,amount"
		for (i = 1; i <= 80000; i++) printf "%s-%05d,%s,2024-%02d-%02d,%d.%02d\n", p, i, (i % 2 ? "ACME" : "BETA"), i % 12 + 1, i % 28 + 1, i, i % 100 }' >"$f.csv"
done
"$DUN" --db "$DB" import invoices a.csv >a.out 2>a.err & pa=$!
"$DUN" --db "$DB" import invoices b.csv >b.out 2>b.err & pb=$!
wait $pa; sa=$?
wait $pb; sb=$?
echo "# statuses $sa $sb"
check "each import exits 0 or 3, and one succeeds" \
	sh -c "case '$sa$sb' in 00|03|30) true;; *) cat a.err b.err; false;; esac"
# What each import promised is what the ledger holds: all of a file or none.
want=0
[ "$sa" = 0 ] && want=$((want + 80000))
[ "$sb" = 0 ] && want=$((want + 80000))
expect "the ledger holds exactly the succeeded files' rows" 0 "$want" sql "SELECT count(*) FROM invoice"
expect "no file is half-imported" 0 "" \
	sql "SELECT substr(number, 1, 1), count(*) FROM invoice GROUP BY 1 HAVING count(*) <> 80000"
expect "integrity_check is ok" 0 "ok" sql "PRAGMA integrity_check"
schema >schema.after
check "the invoice indexes are all back" cmp schema.before schema.after
