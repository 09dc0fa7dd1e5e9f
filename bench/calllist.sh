#!/bin/sh
# `dun calllist --format csv` against `dun dunning run --dry-run` on the
# same file: the call list reads the dunning plan (the call steps due) and
# ranks the customers, so it should cost about the dry run plus the
# ranking. The issue's bar: the call list within 2 s on the 50,000-customer
# demo ledger. With a third argument, an older build's call list is timed
# too (and its output compared byte for byte).
# Usage: bench/calllist.sh [LEDGER] [DUN] [OLD_DUN]   (default
# /tmp/dun-large.db, ./src/dun; today is the ledger's last issue date)
set -eu
db=${1:-/tmp/dun-large.db}
dun=${2:-./src/dun}
old=${3:-}
out=${TMPDIR:-/tmp}/dun-bench-calllist.$$
trap 'rm -f "$out".*' EXIT
export DUN_CONFIG=/dev/null
export DUN_TODAY="${DUN_TODAY:-$(sqlite3 "$db" "SELECT max(issue_date) FROM invoice")}"
echo "ledger: $db ($(sqlite3 "$db" "SELECT (SELECT count(*) FROM customer) || ' customers, ' || (SELECT count(*) FROM invoice) || ' invoices, ' || (SELECT count(*) FROM activity) || ' activities'")), today $DUN_TODAY"
"$dun" --db "$db" calllist --format csv >"$out.new.csv"
echo "call list: $(tail -n +2 "$out.new.csv" | wc -l) customers"
if [ -n "$old" ]; then
	"$old" --db "$db" calllist --format csv >"$out.old.csv"
	if cmp -s "$out.old.csv" "$out.new.csv"; then echo "output: identical to $old"; else echo "output: DIFFERS from $old"; fi
	set -- -n "old calllist" "'$old' --db '$db' calllist --format csv"
else
	set --
fi
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$out.json" \
	-n "dun dry run" "'$dun' --db '$db' dunning run --dry-run" \
	-n "dun calllist" "'$dun' --db '$db' calllist --format csv" "$@"
python3 - "$out.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
r = {x["command"]: x["median"] for x in res}
cpu = {x["command"]: x["user"] + x["system"] for x in res}
print("mean CPU (user+sys): " + ", ".join(f"{k} {v:.3f} s" for k, v in cpu.items()))
c = r["dun calllist"]
print(f"median: dun calllist {c:.3f} s (bar 2 s: {'ok' if c <= 2 else 'MISSED'}),"
      f" {c / r['dun dry run']:.2f}x the dry run ({r['dun dry run']:.3f} s)")
if "old calllist" in r:
    print(f"  old calllist {r['old calllist']:.3f} s: {r['old calllist'] / c:.1f}x slower")
PY
