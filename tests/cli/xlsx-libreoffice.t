#!/bin/sh
# The workbooks open in LibreOffice (headless, converted to CSV sheet by
# sheet, formulas recalculated by it) with the same totals as `dun aging`
# for that customer and date; amounts show in their currency, which
# LibreOffice reads as currency cells. Skipped where LibreOffice is not
# installed.
. "$top_srcdir/tests/lib.sh"
if ! command -v soffice >/dev/null 2>&1; then
	echo "1..0 # SKIP LibreOffice (soffice) is not installed"
	exit 0
fi
plan 9
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

# As shown (cell contents formatted, en-US), and as LibreOffice types the
# cells in its own format: currency cells in the customer's currency.
. "$top_srcdir/tests/cli/data/xlsx/currencies.sh"
soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1' \
	--outdir shown doll.xlsx yen.xlsx >>lo.log 2>&1
soffice --headless --convert-to fods --outdir fods doll.xlsx yen.xlsx >>lo.log 2>&1
expect "a USD statement shows dollars, negative lines negative" 0 'D-1,2026-09-01,2026-10-01,52,"1,234.50 USD",0.00 USD,"1,234.50 USD",overdue,
D-CN,2026-10-15,2026-10-15,,-34.50 USD,0.00 USD,-34.50 USD,credit note,
Total,,,,"1,200.00 USD",0.00 USD,"1,200.00 USD",,' grep -E '^(D-|Total)' shown/doll-Statement.csv
expect "a JPY statement shows yen without decimals" 0 'Y-9,2026-09-01,2026-10-01,52,"150,000 JPY",0 JPY,"150,000 JPY",overdue,
PY,2026-11-02,,,"-5,000 JPY",0 JPY,"-5,000 JPY",unapplied payment,
Total,,,,"145,000 JPY",0 JPY,"145,000 JPY",,' grep -E '^(Y-|PY|Total)' shown/yen-Statement.csv
expect "LibreOffice reads every amount as a currency cell of its currency" 0 "18 USD
18 JPY" sh -c "for f in doll yen; do grep -o 'office:value-type=\"currency\" office:currency=\"[A-Z]*\"' fods/\$f.fods | sort | uniq -c | sed 's/^ *\([0-9]*\) .*currency=\"\([A-Z]*\)\"/\1 \2/'; done"
