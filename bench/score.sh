#!/bin/sh
# `dun score` against one plain SQL pass over the same file: the sqlite3
# shell reading every invoice and payment once (the columns scoring uses).
# The issue's bar: dun score within 3x of that pass.
# Usage: bench/score.sh [LEDGER] [DUN]   (default /tmp/dun-large.db, ./src/dun)
set -eu
db=${1:-/tmp/dun-large.db}
dun=${2:-./src/dun}
out=${TMPDIR:-/tmp}/dun-bench-score.$$
trap 'rm -f "$out".*' EXIT
export DUN_CONFIG=/dev/null
today=$(sqlite3 "$db" "SELECT max(issue_date) FROM invoice")
export DUN_TODAY="${DUN_TODAY:-$today}"
pass="SELECT count(*), sum(amount), sum(open_amount), max(issue_date), max(due_date), max(paid_date), max(currency), max(customer_id) FROM invoice;
SELECT count(*), sum(amount), max(date), max(customer_id) FROM payment;"
echo "ledger: $db ($(sqlite3 "$db" "SELECT (SELECT count(*) FROM customer) || ' customers, ' || (SELECT count(*) FROM invoice) || ' invoices, ' || (SELECT count(*) FROM payment) || ' payments'")), today $DUN_TODAY"
hyperfine --warmup 1 --runs 5 --export-json "$out.json" \
	-n "sql pass" "sqlite3 '$db' \"$pass\"" \
	-n "dun score" "'$dun' --db '$db' score"
python3 - "$out.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
sql, dun = r["sql pass"]["median"], r["dun score"]["median"]
print(f"median: sql pass {sql:.2f} s, dun score {dun:.2f} s, ratio {dun / sql:.2f}x")
PY
