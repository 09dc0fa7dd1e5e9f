#!/bin/sh
# `dun dunning run --dry-run` (the whole plan of SPEC §7, printed as CSV)
# against one plain SQL pass over the open invoices (dunning.sql: every
# open invoice with its customer, in the plan's order) run by the sqlite3
# shell on the same file. The issue's bar: within 3x. Also shown: the
# bare count of the open invoices, the cheapest possible read.
# Usage: bench/dunning.sh [LEDGER] [DUN]   (default /tmp/dun-large.db,
# ./src/dun; today is the ledger's last issue date)
set -eu
db=${1:-/tmp/dun-large.db}
dun=${2:-./src/dun}
here=$(dirname "$0")
out=${TMPDIR:-/tmp}/dun-bench-dunning.$$
trap 'rm -f "$out".*' EXIT
export DUN_CONFIG=/dev/null
export DUN_TODAY="${DUN_TODAY:-$(sqlite3 "$db" "SELECT max(issue_date) FROM invoice")}"
sed "s/:asof/'$DUN_TODAY'/g" "$here/dunning.sql" >"$out.sql"
echo "ledger: $db ($(sqlite3 "$db" "SELECT (SELECT count(*) FROM customer) || ' customers, ' || (SELECT count(*) FROM invoice) || ' invoices, ' || (SELECT count(*) FROM invoice WHERE open_amount > 0 AND kind = 'invoice') || ' open'")), today $DUN_TODAY"
echo "plan: $("$dun" --db "$db" dunning run --dry-run | tail -n +2 | wc -l) rows, $("$dun" --db "$db" dunning run --dry-run | tail -n +2 | cut -d, -f1 | sort -u | wc -l) customers"
hyperfine --warmup 1 --runs "${RUNS:-7}" --export-json "$out.json" \
	-n "sql open pass" "sqlite3 -csv '$db' <'$out.sql'" \
	-n "sql open count" "sqlite3 '$db' 'SELECT count(*), sum(open_amount) FROM invoice WHERE open_amount <> 0'" \
	-n "dun dry run" "'$dun' --db '$db' dunning run --dry-run"
python3 - "$out.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
ratio = r["dun dry run"] / r["sql open pass"]
print(f"median: dun dry run {r['dun dry run']:.3f} s, sql open pass {r['sql open pass']:.3f} s: {ratio:.2f}x"
      f" (bar 3x: {'ok' if ratio <= 3 else 'MISSED'}); sql open count {r['sql open count']:.3f} s")
PY
