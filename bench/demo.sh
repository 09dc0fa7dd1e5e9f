#!/bin/sh
# Builds the large demo ledger, `dun demo --customers 50000` (about
# 2,000,000 invoices), and reports its wall and CPU time, peak memory, file
# size and contents. The ledger stays for the other benchmarks.
# Usage: bench/demo.sh [LEDGER] [DUN] [CUSTOMERS]
#   (default /tmp/dun-large.db, ./src/dun, 50000; DUN_TODAY as set, else
#   today). An existing LEDGER must be a demo ledger: dun refuses to
#   replace anything else.
set -eu
db=${1:-/tmp/dun-large.db}
dun=${2:-./src/dun}
customers=${3:-50000}
export DUN_CONFIG=/dev/null
out=${TMPDIR:-/tmp}/dun-bench-demo.$$
trap 'rm -f "$out"' EXIT
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), sqlite $(sqlite3 --version | cut -d' ' -f1)"
/usr/bin/time -f '%e %U %S %M' -o "$out" "$dun" --db "$db" demo --customers "$customers"
read -r wall user sys rss <"$out"
echo "wall ${wall} s, user ${user} s, system ${sys} s, peak memory $((rss / 1024)) MiB, file $(($(stat -c %s "$db") / 1048576)) MiB"
sqlite3 "$db" "SELECT 'rows: ' || (SELECT count(*) FROM customer) || ' customers, '
	|| (SELECT count(*) FROM invoice) || ' invoices and credit notes, '
	|| (SELECT count(*) FROM payment) || ' payments, '
	|| (SELECT count(*) FROM allocation) || ' allocations, '
	|| (SELECT count(*) FROM activity) || ' activities'"
