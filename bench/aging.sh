#!/bin/sh
# `dun aging --by customer --format csv` as of today and as of a past date
# against the plain GROUP BY aging query (aging.sql) run by the sqlite3
# shell on the same file. The issue's bars: today <= 1.0x the shell's
# query, a past date within 3x. For reference also the shell's own as-of
# query by the definition (aging-asof.sql).
# Usage: bench/aging.sh [LEDGER] [DUN] [PAST]   (default /tmp/dun-large.db,
# ./src/dun, 90 days before today; today is the ledger's last issue date)
set -eu
db=${1:-/tmp/dun-large.db}
dun=${2:-./src/dun}
here=$(dirname "$0")
out=${TMPDIR:-/tmp}/dun-bench-aging.$$
trap 'rm -f "$out".*' EXIT
export DUN_CONFIG=/dev/null
export DUN_TODAY="${DUN_TODAY:-$(sqlite3 "$db" "SELECT max(issue_date) FROM invoice")}"
past=${3:-$(sqlite3 "$db" "SELECT date('$DUN_TODAY', '-90 days')")}
sed "s/:asof/'$DUN_TODAY'/g" "$here/aging.sql" >"$out.today.sql"
sed "s/:asof/'$past'/g" "$here/aging-asof.sql" >"$out.past.sql"
echo "ledger: $db ($(sqlite3 "$db" "SELECT (SELECT count(*) FROM customer) || ' customers, ' || (SELECT count(*) FROM invoice) || ' invoices, ' || (SELECT count(*) FROM payment) || ' payments, ' || (SELECT count(*) FROM allocation) || ' allocations'")), today $DUN_TODAY, past $past"
hyperfine --warmup 1 --runs "${RUNS:-7}" --export-json "$out.json" \
	-n "sql aging" "sqlite3 -csv '$db' <'$out.today.sql'" \
	-n "dun aging" "'$dun' --db '$db' aging --by customer --format csv" \
	-n "dun aging past" "'$dun' --db '$db' --as-of $past aging --by customer --format csv" \
	-n "sql aging past" "sqlite3 -csv '$db' <'$out.past.sql'"
python3 - "$out.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
r = {x["command"]: x["median"] for x in res}
cpu = {x["command"]: x["user"] + x["system"] for x in res}
print("mean CPU (user+sys): " + ", ".join(f"{k} {v:.3f} s" for k, v in cpu.items()))
base = r["sql aging"]
print(f"median: sql aging {base:.3f} s")
for name, bar in (("dun aging", 1.0), ("dun aging past", 3.0)):
    ratio = r[name] / base
    print(f"  {name:15} {r[name]:.3f} s  {ratio:.2f}x the sql aging (bar {bar:.1f}x: {'ok' if ratio <= bar else 'MISSED'})")
print(f"  sql aging past  {r['sql aging past']:.3f} s  (dun aging past {r['dun aging past'] / r['sql aging past']:.2f}x it)")
PY
