#!/bin/sh
# Import speed: `dun import invoices` of N rows (default 1,000,000) against
# the sqlite3 shell's bare `.import` of the same CSV into a table with no
# types, keys or indexes, on the same machine. Prints both times, rows/s,
# the ratio (dun rows/s / sqlite3 rows/s; the goal is >= 0.5, target 0.8)
# and dun's peak memory at N/10 and N rows (constant memory: they match).
#
#   bench/import.sh [ROWS] [DUN]      DUN defaults to ./src/dun (a build dir)
set -eu
rows=${1:-1000000}
dun=${2:-./src/dun}
customers=5000
work=$(mktemp -d "${TMPDIR:-/tmp}/dun-bench-import.XXXXXX")
trap 'rm -rf "$work"' EXIT
export DUN_TODAY=2026-11-22 DUN_CONFIG=/dev/null

# Customers with the usual spread of terms; invoices over two years with
# realistic amounts, a PO on a third of them, due dates from the terms.
awk -v n="$customers" 'BEGIN {
	split("net 30,net 45,net 60,30 eom,eom 45,2/10 net 30", t, ",")
	print "code,name,segment,collector,terms,currency"
	for (i = 1; i <= n; i++)
		printf "C%05d,Customer %d SAS,seg%d,coll%d,%s,EUR\n", i, i, i % 7, i % 12, t[i % 6 + 1]
}' >"$work/customers.csv"
gen() {
	awk -v n="$1" -v c="$customers" 'BEGIN {
		srand(42)
		print "number,customer,issue_date,amount,currency,po"
		for (i = 1; i <= n; i++) {
			d = int(i * 730 / n)
			y = 2024 + int(d / 365); doy = d % 365; m = int(doy / 31) + 1; if (m > 12) m = 12
			day = doy % 28 + 1
			printf "INV%08d,C%05d,%04d-%02d-%02d,%d.%02d,EUR,%s\n", i, int(rand() * c) + 1, y, m, day,
				int(rand() * 20000) + 10, int(rand() * 100), (i % 3 ? "" : "PO-" i)
		}
	}'
}
gen "$rows" >"$work/invoices.csv"
gen $((rows / 10)) >"$work/invoices-small.csv"

cat >"$work/prepare-dun.sh" <<EOF
rm -f "$work/ledger.db" "$work/ledger.db-wal" "$work/ledger.db-shm"
"$dun" --db "$work/ledger.db" init >/dev/null
"$dun" --db "$work/ledger.db" import customers "$work/customers.csv" >/dev/null
EOF
cat >"$work/prepare-sqlite.sh" <<EOF
rm -f "$work/bare.db"
sqlite3 "$work/bare.db" "CREATE TABLE t(number, customer, issue_date, amount, currency, po)"
EOF

hyperfine --runs 3 --export-json "$work/times.json" \
	--prepare "sh $work/prepare-sqlite.sh" \
	-n "sqlite3 .import" "sqlite3 $work/bare.db '.import --csv --skip 1 $work/invoices.csv t'" \
	--prepare "sh $work/prepare-dun.sh" \
	-n "dun import invoices" "$dun --db $work/ledger.db import invoices $work/invoices.csv"

rss() {
	sh "$work/prepare-dun.sh"
	/usr/bin/time -f %M "$dun" --db "$work/ledger.db" import invoices "$1" 2>&1 >/dev/null | tail -1
}
small_kib=$(rss "$work/invoices-small.csv")
big_kib=$(rss "$work/invoices.csv")

python3 - "$work/times.json" "$rows" "$small_kib" "$big_kib" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rows, small, big = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
bare, dun = results["sqlite3 .import"], results["dun import invoices"]
for name, r in (("sqlite3 .import", bare), ("dun import invoices", dun)):
	print(f"{name:20} {r['median']:.2f} s  {rows / r['median']:,.0f} rows/s  (cpu {r['user'] + r['system']:.2f} s)")
print(f"ratio                {bare['median'] / dun['median']:.2f} of the rows/s (goal >= 0.5, target 0.8); "
      f"cpu ratio {(bare['user'] + bare['system']) / (dun['user'] + dun['system']):.2f}")
print(f"dun peak RSS         {small // 1024} MiB at {rows // 10} rows, {big // 1024} MiB at {rows} rows")
EOF
