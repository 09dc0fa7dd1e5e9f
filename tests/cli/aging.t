#!/bin/sh
# dun aging (SPEC §6) on a small ledger worked out by hand: buckets by due
# date or issue date, custom edges, groupings, a true past as-of date, the
# base currency at the latest rate on or before it, one currency alone,
# disputes, unapplied cash and credits, and the table's total row with
# accented and CJK names aligned.
. "$top_srcdir/tests/lib.sh"
plan 16
export DUN_TODAY=2026-03-31

cat >"$TEST_DIR/customers.csv" <<'CSV'
code,name,segment,collector,currency
ACME,Acme SA,retail,alice,EUR
KAN,株式会社カナ,retail,bob,EUR
USCO,US Co,export,alice,USD
ZEN,Zürich Élan GmbH,public,bob,EUR
CSV
cat >"$TEST_DIR/invoices.csv" <<'CSV'
number,customer,issue_date,due_date,amount,currency
F1,ACME,2026-01-01,2026-01-31,1000.00,EUR
F2,ACME,2026-03-01,2026-04-15,250.50,EUR
F3,ZEN,2025-10-01,2025-10-31,400.00,EUR
C1,ZEN,2026-02-01,2026-02-01,-50.00,EUR
F4,KAN,2026-02-10,2026-03-12,99.99,EUR
U1,USCO,2026-01-15,2026-02-14,1000.00,USD
U2,USCO,2025-11-20,2025-12-20,200.00,USD
CSV
cat >"$TEST_DIR/payments.csv" <<'CSV'
reference,date,amount,customer,invoices
P1,2026-02-15,300.00,ACME,F1
P2,2026-03-20,500.00,ZEN,F3
CSV
cat >"$TEST_DIR/rates.csv" <<'CSV'
currency,date,rate
USD,2026-01-01,0.9
USD,2026-03-15,0.92
CSV
"$DUN" --db "$DB" init >/dev/null
for kind in customers invoices payments rates; do
	"$DUN" --db "$DB" import $kind "$TEST_DIR/$kind.csv" >/dev/null || echo "# import $kind failed"
done
DUN_TODAY=2026-03-20 "$DUN" --db "$DB" log KAN --dispute F4 pricing >/dev/null

# As of 2026-03-31 (USD at 0.92): ACME F1 700 left, 59 days late, F2 not
# due; KAN F4 19 days late and disputed; USCO U1 1000 USD = 920.00 45 days
# late, U2 200 USD = 184.00 101 days late; ZEN's F3 paid by 500.00 leaves
# 100.00 unapplied, plus the 50.00 credit note.
expect "by customer" 0 "customer,name,currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed
ACME,Acme SA,EUR,250.50,0.00,700.00,0.00,0.00,0.00,0.00,950.50,0.00
KAN,株式会社カナ,EUR,0.00,99.99,0.00,0.00,0.00,0.00,0.00,99.99,99.99
USCO,US Co,EUR,0.00,0.00,920.00,0.00,184.00,0.00,0.00,1104.00,0.00
ZEN,Zürich Élan GmbH,EUR,0.00,0.00,0.00,0.00,0.00,0.00,-150.00,-150.00,0.00" \
	"$DUN" --db "$DB" aging

# As of 2026-03-01 (USD at 0.9): P2 and the dispute do not exist yet; F1
# is 29 days late, F4 not due, U1 15 days (900.00), U2 71 days (180.00),
# F3 121 days.
expect "as of a past date" 0 "customer,name,currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed
ACME,Acme SA,EUR,250.50,700.00,0.00,0.00,0.00,0.00,0.00,950.50,0.00
KAN,株式会社カナ,EUR,99.99,0.00,0.00,0.00,0.00,0.00,0.00,99.99,0.00
USCO,US Co,EUR,0.00,900.00,0.00,180.00,0.00,0.00,0.00,1080.00,0.00
ZEN,Zürich Élan GmbH,EUR,0.00,0.00,0.00,0.00,0.00,400.00,-50.00,350.00,0.00" \
	"$DUN" --db "$DB" --as-of 2026-03-01 aging --by customer

expect "before anything was issued" 0 "customer,name,currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed" \
	"$DUN" --db "$DB" --as-of 2025-09-30 aging

expect "by segment" 0 "segment,currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed
export,EUR,0.00,0.00,920.00,0.00,184.00,0.00,0.00,1104.00,0.00
public,EUR,0.00,0.00,0.00,0.00,0.00,0.00,-150.00,-150.00,0.00
retail,EUR,250.50,99.99,700.00,0.00,0.00,0.00,0.00,1050.49,99.99" \
	"$DUN" --db "$DB" aging --by segment

expect "by collector" 0 "collector,currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed
alice,EUR,250.50,0.00,1620.00,0.00,184.00,0.00,0.00,2054.50,0.00
bob,EUR,0.00,99.99,0.00,0.00,0.00,0.00,-150.00,-50.01,99.99" \
	"$DUN" --db "$DB" aging --by collector

expect "by total" 0 "currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed
EUR,250.50,99.99,1620.00,0.00,184.00,0.00,-150.00,2004.49,99.99" \
	"$DUN" --db "$DB" aging --by total

# Days since issue: F1 89, F2 30, F4 49, U1 75, U2 131.
expect "basis invoice" 0 "currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed
EUR,0.00,250.50,99.99,1620.00,0.00,184.00,-150.00,2004.49,99.99" \
	"$DUN" --db "$DB" aging --by total --basis invoice

# Edges 15,45: F4 19 and U1 45 in 16-45; F1 59 and U2 101 in 46+.
expect "custom buckets" 0 "currency,current,1-15,16-45,46+,unapplied,total,disputed
EUR,250.50,0.00,1019.99,884.00,-150.00,2004.49,99.99" \
	"$DUN" --db "$DB" aging --by total --buckets 15,45

expect "one currency, unconverted" 0 "customer,name,currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed
USCO,US Co,USD,0.00,0.00,1000.00,0.00,200.00,0.00,0.00,1200.00,0.00" \
	"$DUN" --db "$DB" aging --currency USD

expect "the base currency alone" 0 "currency,current,1-30,31-60,61-90,91-120,121+,unapplied,total,disputed
EUR,250.50,99.99,700.00,0.00,0.00,0.00,-150.00,900.49,99.99" \
	"$DUN" --db "$DB" aging --by total --currency EUR

expect "json" 0 '[{"currency":"EUR","current":250.50,"1-30":99.99,"31-60":1620.00,"61-90":0.00,"91-120":184.00,"121+":0.00,"unapplied":-150.00,"total":2004.49,"disputed":99.99}]' \
	"$DUN" --db "$DB" aging --by total --format json

expect "table with a total row, aligned by display width" 0 \
"customer  name              currency  current   1-30    31-60  61-90  91-120  121+  unapplied    total  disputed
ACME      Acme SA           EUR        250.50   0.00   700.00   0.00    0.00  0.00       0.00   950.50      0.00
KAN       株式会社カナ      EUR          0.00  99.99     0.00   0.00    0.00  0.00       0.00    99.99     99.99
USCO      US Co             EUR          0.00   0.00   920.00   0.00  184.00  0.00       0.00  1104.00      0.00
ZEN       Zürich Élan GmbH  EUR          0.00   0.00     0.00   0.00    0.00  0.00    -150.00  -150.00      0.00
----------------------------------------------------------------------------------------------------------------
total                       EUR        250.50  99.99  1620.00   0.00  184.00  0.00    -150.00  2004.49     99.99" \
	"$DUN" --db "$DB" aging --format table

expect_err "a missing rate names the currency and the date" 1 \
	"dun: currency \"USD\": no exchange rate to EUR on or before 2025-12-31 (import one with \`dun import rates\`)" \
	"$DUN" --db "$DB" --as-of 2025-12-31 aging
expect "bad --by is a usage error" 2 "" "$DUN" --db "$DB" aging --by region
expect "bad --buckets is a usage error" 2 "" "$DUN" --db "$DB" aging --buckets 60,30
expect "bad --currency is a usage error" 2 "" "$DUN" --db "$DB" aging --currency XXY
