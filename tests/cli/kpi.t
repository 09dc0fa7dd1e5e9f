#!/bin/sh
# dun kpi (SPEC §6) on a small ledger worked out by hand.
. "$top_srcdir/tests/lib.sh"
plan 5
export DUN_TODAY=2026-03-31

cat >"$TEST_DIR/customers.csv" <<'CSV'
code,name
ACME,Acme SA
KAN,Kana KK
ZEN,Zen AG
CSV
cat >"$TEST_DIR/invoices.csv" <<'CSV'
number,customer,issue_date,due_date,amount
F1,ACME,2026-01-01,2026-01-31,1000.00
F2,ACME,2026-03-01,2026-04-15,250.50
F3,ZEN,2025-10-01,2025-10-31,400.00
C1,ZEN,2026-02-01,2026-02-01,-50.00
F4,KAN,2026-02-10,2026-03-12,99.99
CSV
cat >"$TEST_DIR/payments.csv" <<'CSV'
reference,date,amount,customer,invoices
P1,2026-02-15,300.00,ACME,F1
P2,2026-03-20,500.00,ZEN,F3
CSV
"$DUN" --db "$DB" init >/dev/null
for kind in customers invoices payments; do
	"$DUN" --db "$DB" import $kind "$TEST_DIR/$kind.csv" >/dev/null || echo "# import $kind failed"
done

# D = 2026-03-31, P = 90, the period (2025-12-31, 2026-03-31]:
# ar = 1000 + 250.50 + 400 - 50 + 99.99 - 300 - 500 = 900.49;
# current = F2 250.50; overdue = F1 700 + F4 99.99 = 799.99;
# overdue_ratio = 799.99 / 1050.49 = 0.76154; sales = 1000 + 250.50 - 50 +
# 99.99 = 1300.49; dso = 900.49 * 90 / 1300.49 = 62.32; bpdso = 250.50 *
# 90 / 1300.49 = 17.34; add = 649.99 * 90 / 1300.49 = 44.98;
# countback: (02-28, 03-31] sales 250.50 -> 649.99 left, 31 days; (01-31,
# 02-28] sales 49.99 -> 600 left, 59 days; (12-31, 01-31] sales 1000: 59 +
# 600 / 1000 * 31 = 77.6; cei: ar at 2025-12-31 = 400: 800 / 1449.99 =
# 55.17%; adp: F3 paid 2026-03-20, 170 days after issue, 140 after due;
# ar_average: 31 days at 1400, 9 at 1350, 5 at 1449.99, 14 at 1149.99, 19
# at 1400.49, 12 at 900.49 = 116315.00 / 90 = 1292.39.
expect "csv" 0 "metric,value
ar,900.49
ar_current,250.50
ar_overdue,799.99
overdue_ratio,0.7615
sales,1300.49
dso,62.3
bpdso,17.3
add,45.0
countback_dso,77.6
cei,55.2
adp,170.0
avg_days_late,140.0
ar_average,1292.39" "$DUN" --db "$DB" kpi

# P = 30, (2026-03-01, 2026-03-31]: nothing issued (F2 is on the 1st), so
# the DSO family is n/a; ar at 03-01 = 1400.49: cei = 500 / 1149.99 =
# 43.48%; ar_average = (18 * 1400.49 + 12 * 900.49) / 30 = 1200.49.
expect "zero sales: n/a" 0 "metric,value
ar,900.49
ar_current,250.50
ar_overdue,799.99
overdue_ratio,0.7615
sales,0.00
dso,n/a
bpdso,n/a
add,n/a
countback_dso,77.6
cei,43.5
adp,170.0
avg_days_late,140.0
ar_average,1200.49" "$DUN" --db "$DB" kpi --period 30

expect "json is one object, n/a is null" 0 \
'{"ar":900.49,"ar_current":250.50,"ar_overdue":799.99,"overdue_ratio":0.7615,"sales":0.00,"dso":null,"bpdso":null,"add":null,"countback_dso":77.6,"cei":43.5,"adp":170.0,"avg_days_late":140.0,"ar_average":1200.49}' \
	"$DUN" --db "$DB" kpi --period 30 --format json

# As of 2026-02-28, P = 31 (2026-01-28, 2026-02-28]: ar = 1400 - 50 +
# 99.99 - 300 = 1149.99 (F1 700, F3 400, F4 99.99, C1 -50); current F4
# 99.99; overdue 1100; ratio 1100 / 1199.99 = 0.91667; sales = 49.99; dso
# = 1149.99 * 31 / 49.99 = 713.13; bpdso = 99.99 * 31 / 49.99 = 62.01; add
# = 1050 * 31 / 49.99 = 651.13; countback: (01-28, 02-28] 49.99 -> 1100
# left, 31 days; (12-28, 01-28] 1000 -> 100 left, 62 days; (11-28, 12-28]
# nothing, 92 days; (10-28, 11-28] nothing, 123; (09-28, 10-28] 400 > 100:
# 123 + 100 / 400 * 30 = 130.5; cei: ar at 01-28 = 1400: (1400 + 49.99 -
# 1149.99) / (1400 + 49.99 - 99.99) = 300 / 1350 = 22.2%; nothing paid
# in full: n/a; ar_average: 3 days (01-29..01-31) at 1400, 9 at 1350, 5 at
# 1449.99, 14 at 1149.99 = (4200 + 12150 + 7249.95 + 16099.86) / 31 = 1280.64.
expect "as of a past date" 0 "metric,value
ar,1149.99
ar_current,99.99
ar_overdue,1100.00
overdue_ratio,0.9167
sales,49.99
dso,713.1
bpdso,62.0
add,651.1
countback_dso,130.5
cei,22.2
adp,n/a
avg_days_late,n/a
ar_average,1280.64" "$DUN" --db "$DB" --as-of 2026-02-28 kpi --period 31

expect "a bad period is a usage error" 2 "" "$DUN" --db "$DB" kpi --period 0
