#!/bin/sh
# Model quality on the 2,000-customer demo ledger (seed 1, today
# 2026-11-22): `dun score --evaluate` (time-based hold-out AUC and
# calibration against the baseline "customer's past average days late")
# and `dun forecast --backtest` from three past dates (mean absolute error
# per week of the learned forecast against the naive due-date one).
# Usage: bench/risk-quality.sh [DUN]   (default ./src/dun)
set -eu
dun=${1:-./src/dun}
dir=$(mktemp -d "${TMPDIR:-/tmp}/dun-bench-risk.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export DUN_CONFIG=/dev/null DUN_TODAY=2026-11-22
"$dun" demo --db "$dir/demo.db" >/dev/null
echo "== dun score --evaluate"
"$dun" --db "$dir/demo.db" --format table score --evaluate
for date in 2026-03-01 2026-05-01 2026-08-01; do
	echo "== dun forecast --backtest $date (13 weeks)"
	"$dun" --db "$dir/demo.db" --format table forecast --backtest "$date"
done
