#!/bin/sh
# The workbooks open in LibreOffice (headless, converted to CSV sheet by
# sheet, formulas recalculated by it) with the same totals as `dun aging`
# for that customer and date. Skipped where LibreOffice is not installed.
. "$top_srcdir/tests/lib.sh"
if ! command -v soffice >/dev/null 2>&1; then
	echo "1..0 # SKIP LibreOffice (soffice) is not installed"
	exit 0
fi
plan 6
. "$top_srcdir/tests/cli/data/xlsx/ledger.sh"
cd "$TEST_DIR" || exit 1

"$DUN" --db "$DB" statement ACME -o acme.xlsx >/dev/null
"$DUN" --db "$DB" --as-of 2026-09-05 statement ACME -o asof.xlsx >/dev/null
"$DUN" --db "$DB" export aging --currency EUR -o aging.xlsx >/dev/null
# Every sheet of every file, raw values (not as shown), UTF-8.
soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
	--outdir lo acme.xlsx asof.xlsx aging.xlsx >lo.log 2>&1
check "LibreOffice converts every sheet" sh -c "ls lo | sort | tr '\n' '|' | grep -qx 'acme-Statement EUR.csv|acme-Statement USD.csv|aging-By customer.csv|aging-Open items.csv|aging-Summary.csv|asof-Statement EUR.csv|asof-Statement USD.csv|'"

# money COLUMN FILE: the column's value on the row whose first cell is
# "Total", with two decimals.
total() { awk -F, -v col="$1" '$1 == "Total" { printf "%.2f\n", $col; exit }' "lo/$2"; }
# The aging summary's total (column G) under the table's.
aging_section_total() { awk -F, '$6 == "Total" { printf "%.2f\n", $7 }' "lo/$1"; }

acme=$("$DUN" --db "$DB" aging --by customer --currency EUR --format csv | awk -F, '$1 == "ACME" { print $11 }')
expect "statement total = dun aging" 0 "$acme" total 7 "acme-Statement EUR.csv"
expect "statement aging summary total = dun aging" 0 "$acme" aging_section_total "acme-Statement EUR.csv"
asof=$("$DUN" --db "$DB" --as-of 2026-09-05 aging --by customer --currency EUR --format csv | awk -F, '$1 == "ACME" { print $11 }')
expect "as-of statement total = dun aging --as-of" 0 "$asof" total 7 "asof-Statement EUR.csv"
all=$("$DUN" --db "$DB" aging --by total --currency EUR --format csv | awk -F, 'NR == 2 { print $(NF - 1) }')
expect "aging workbook total = dun aging --by total" 0 "$all" total 13 "aging-By customer.csv"
# The whole grid, customer by customer, bucket by bucket.
"$DUN" --db "$DB" aging --by customer --currency EUR --format csv | awk -F, 'NR > 1 { print $1 "," $4 "," $5 "," $6 "," $7 "," $8 "," $9 "," $10 "," $11 "," $12 }' >want.csv
awk -F, 'NR > 1 && $1 != "Total" { printf "%s", $1; for (i = 6; i <= 14; i++) printf ",%.2f", $i; print "" }' "lo/aging-By customer.csv" >got.csv
check "aging workbook grid = dun aging --by customer" cmp want.csv got.csv
