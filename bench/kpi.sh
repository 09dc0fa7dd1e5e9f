#!/bin/sh
# `dun kpi` against the plain GROUP BY aging query (aging.sql, the issue's
# bar: <= 1.0x) and against the KPIs' raw figures in plain SQL (kpi.sql:
# less than dun computes, no countback, no daily average, no conversion),
# both run by the sqlite3 shell on the same file.
# Usage: bench/kpi.sh [LEDGER] [DUN]   (default /tmp/dun-large.db, ./src/dun)
set -eu
db=${1:-/tmp/dun-large.db}
dun=${2:-./src/dun}
here=$(dirname "$0")
out=${TMPDIR:-/tmp}/dun-bench-kpi.$$
trap 'rm -f "$out".*' EXIT
export DUN_CONFIG=/dev/null
export DUN_TODAY="${DUN_TODAY:-$(sqlite3 "$db" "SELECT max(issue_date) FROM invoice")}"
sed "s/:asof/'$DUN_TODAY'/g" "$here/aging.sql" >"$out.aging.sql"
sed "s/:asof/'$DUN_TODAY'/g" "$here/kpi.sql" >"$out.kpi.sql"
echo "ledger: $db, today $DUN_TODAY"
hyperfine --warmup 1 --runs "${RUNS:-7}" --export-json "$out.json" \
	-n "sql aging" "sqlite3 -csv '$db' <'$out.aging.sql'" \
	-n "sql kpi" "sqlite3 -csv '$db' <'$out.kpi.sql'" \
	-n "dun kpi" "'$dun' --db '$db' kpi"
python3 - "$out.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
r = {x["command"]: x["median"] for x in res}
cpu = {x["command"]: x["user"] + x["system"] for x in res}
print("mean CPU (user+sys): " + ", ".join(f"{k} {v:.3f} s" for k, v in cpu.items()))
ratio = r["dun kpi"] / r["sql aging"]
print(f"median: dun kpi {r['dun kpi']:.3f} s, sql aging {r['sql aging']:.3f} s: {ratio:.2f}x (bar 1.0x: {'ok' if ratio <= 1 else 'MISSED'});"
      f" sql kpi {r['sql kpi']:.3f} s: {r['dun kpi'] / r['sql kpi']:.2f}x")
PY
