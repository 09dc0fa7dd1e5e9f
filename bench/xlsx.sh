#!/bin/sh
# Excel exports on the large demo ledger (issue 7): every overdue
# customer's statement and the full aging workbook, side by side with
# python3-openpyxl and with a bare libxlsxwriter program (bench/xlsx_min.c)
# writing exactly the same cells (dumped from dun's files by
# bench/xlsx_cells.py), and the aging export's peak memory.
#
# dun's times are whole processes (ledger queries included); the two
# references are timed on their writing alone, their input already in
# memory, which favours them.
#
# usage: DUN=build/src/dun bench/xlsx.sh [LEDGER]   (default /tmp/dun-large.db)
set -eu
DB=${1:-/tmp/dun-large.db}
DUN=${DUN:-src/dun}
here=$(cd "$(dirname "$0")" && pwd)
export DUN_CONFIG=/dev/null DUN_TODAY="${DUN_TODAY:-2026-11-22}"
PY=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/dun-xlsx-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/xlsx_min" "$here/xlsx_min.c" $(pkg-config --cflags --libs xlsxwriter)

# wall seconds and peak RSS (KiB) of a command, from GNU time.
measure() {
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
	cat "$work/time"
}
median3() { sort -n | sed -n 2p; }

echo "ledger: $DB ($(sqlite3 "$DB" 'SELECT count(*) FROM customer') customers," \
	"$(sqlite3 "$DB" 'SELECT count(*) FROM invoice') invoices), as of $DUN_TODAY"

# 1. The aging workbook.
for i in 1 2 3; do
	measure "$DUN" --db "$DB" export aging -o "$work/aging.xlsx"
done >"$work/aging.times"
aging_s=$(cut -d' ' -f1 "$work/aging.times" | median3)
aging_kb=$(cut -d' ' -f2 "$work/aging.times" | sort -n | tail -1)
rows=$($PY -c 'import openpyxl, sys; print(sum(w.max_row - 1 for w in openpyxl.load_workbook(sys.argv[1], read_only=True) if w.title.startswith("Open items")))' "$work/aging.xlsx")
echo "aging workbook: ${aging_s} s, peak RSS $((aging_kb / 1024)) MiB, $rows open items, $(du -k "$work/aging.xlsx" | cut -f1) KiB"

# 2. Every overdue customer's statement.
set -- $(measure "$DUN" --db "$DB" statements --overdue --dir "$work/all")
all_s=$1 all_kb=$2
nall=$(ls "$work/all" | wc -l)
echo "all statements: $nall files in ${all_s} s ($(echo "$all_s $nall" | awk '{ printf "%.2f", 1000 * $1 / $2 }') ms each), peak RSS $((all_kb / 1024)) MiB"

# 3. The same cells written by the references. Statements: one collector's
# customers (dumping tens of thousands of files through openpyxl would take
# hours); dun is timed again on that same subset.
collector=$(sqlite3 "$DB" "SELECT collector FROM customer GROUP BY collector ORDER BY count(*), collector LIMIT 1")
for i in 1 2 3; do
	rm -rf "$work/sub"
	measure "$DUN" --db "$DB" statements --overdue --collector "$collector" --dir "$work/sub"
done >"$work/sub.times"
sub_s=$(cut -d' ' -f1 "$work/sub.times" | median3)
nsub=$(ls "$work/sub" | wc -l)
$PY "$here/xlsx_cells.py" "$work"/sub/*.xlsx >"$work/sub.dump"
$PY "$here/xlsx_cells.py" --constant "$work/aging.xlsx" >"$work/aging.dump"
mkdir "$work/out"
for i in 1 2 3; do "$work/xlsx_min" "$work/sub.dump" "$work/out"; done | median3 >"$work/min_sub"
for i in 1 2 3; do "$work/xlsx_min" "$work/aging.dump" "$work/out"; done | median3 >"$work/min_aging"
$PY "$here/xlsx_openpyxl.py" "$work/sub.dump" "$work/out" >"$work/py_sub"
$PY "$here/xlsx_openpyxl.py" "$work/aging.dump" "$work/out" >"$work/py_aging"

ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
echo
echo "| workload | dun | bare libxlsxwriter | dun / bare | openpyxl | openpyxl / dun |"
echo "|---|---|---|---|---|---|"
echo "| $nsub statements (collector $collector) | ${sub_s} s | $(cat "$work/min_sub") s | $(ratio "$sub_s" "$(cat "$work/min_sub")") | $(cat "$work/py_sub") s | $(ratio "$(cat "$work/py_sub")" "$sub_s") |"
echo "| aging workbook ($rows open items) | ${aging_s} s | $(cat "$work/min_aging") s | $(ratio "$aging_s" "$(cat "$work/min_aging")") | $(cat "$work/py_aging") s | $(ratio "$(cat "$work/py_aging")" "$aging_s") |"
