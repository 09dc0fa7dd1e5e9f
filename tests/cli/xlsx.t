#!/bin/sh
# Excel exports (SPEC §10): each produced workbook is read back with Debian's
# openpyxl (tests/xlsx_dump.py prints it as text) and compared exactly:
# cell values and types (dates are dates, amounts numbers), SUM formulas
# with their cached values, frozen header, autofilter, A4 print setup.
# Hostile customer codes and names, as-of dates, and write failures too.
. "$top_srcdir/tests/lib.sh"
plan 46

if ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
	echo "1..0 # SKIP python3-openpyxl is not installed"
	exit 0
fi
X="/usr/bin/python3 $top_srcdir/tests/xlsx_dump.py"

. "$top_srcdir/tests/cli/data/xlsx/ledger.sh"
cd "$TEST_DIR" || exit 1

expect "statement writes CODE.xlsx and names it" 0 "ACME.xlsx" "$DUN" --db "$DB" statement ACME
expect "statement: one sheet per currency, EUR first" 0 "properties title='Statement of account ACME' author='dun' created=2026-11-22
sheet 'Statement EUR' freeze=A12 filter=A11:I16 paper=9 orientation=portrait fit=1x0 repeat=\$11:\$11
sheet 'Statement USD' freeze=A12 filter=A11:I12 paper=9 orientation=portrait fit=1x0 repeat=\$11:\$11" \
	sh -c "$X ACME.xlsx | grep -E '^(properties|sheet)'"
expect "statement: open items by due date, negative credit and cash, SUM totals cached, aging summary" 0 "$(cat <<'EOF'
properties title='Statement of account ACME' author='dun' created=2026-11-22
sheet 'Statement EUR' freeze=A12 filter=A11:I16 paper=9 orientation=portrait fit=1x0 repeat=$11:$11
widths A=18 B=14 C=14 D=16 E=16 F=21 G=15 H=21 I=26
A4 s Statement of account
A5 s Statement date
B5 d 2026-11-22 yyyy-mm-dd
A6 s Customer
B6 s ACME
B7 s Acme Ltd
A8 s Address
B8 s 1 High Street, London
A9 s Currency
B9 s EUR
A11 s Document
B11 s Issue date
C11 s Due date
D11 s Days overdue
E11 s Amount
F11 s Paid
G11 s Open
H11 s Status
I11 s PO
A12 s A-1
B12 d 2026-08-01 yyyy-mm-dd
C12 d 2026-08-31 yyyy-mm-dd
D12 n 83 0
E12 n 1000 #,##0.00 [$EUR]
F12 n 400 #,##0.00 [$EUR]
G12 n 600 #,##0.00 [$EUR]
H12 s overdue
I12 s =HYPERLINK("http://x")
A13 s A-2
B13 d 2026-10-01 yyyy-mm-dd
C13 d 2026-10-31 yyyy-mm-dd
D13 n 22 0
E13 n 250.5 #,##0.00 [$EUR]
F13 n 0 #,##0.00 [$EUR]
G13 n 250.5 #,##0.00 [$EUR]
H13 s disputed
I13 s PO-7
A14 s CN-1
B14 d 2026-11-01 yyyy-mm-dd
C14 d 2026-11-01 yyyy-mm-dd
E14 n -50 #,##0.00 [$EUR]
F14 n 0 #,##0.00 [$EUR]
G14 n -50 #,##0.00 [$EUR]
H14 s credit note
A15 s A-3
B15 d 2026-11-10 yyyy-mm-dd
C15 d 2026-12-10 yyyy-mm-dd
D15 n 0 0
E15 n 99.99 #,##0.00 [$EUR]
F15 n 0 #,##0.00 [$EUR]
G15 n 99.99 #,##0.00 [$EUR]
H15 s not due
A16 s P2
B16 d 2026-11-15 yyyy-mm-dd
E16 n -100 #,##0.00 [$EUR]
F16 n 0 #,##0.00 [$EUR]
G16 n -100 #,##0.00 [$EUR]
H16 s unapplied payment
A17 s Total
E17 f =SUM(E12:E16) = 1200.49 #,##0.00 [$EUR]
F17 f =SUM(F12:F16) = 400 #,##0.00 [$EUR]
G17 f =SUM(G12:G16) = 800.49 #,##0.00 [$EUR]
F19 s Aging
F20 s Not yet due
G20 n 99.99 #,##0.00 [$EUR]
F21 s 1-30
G21 n 250.5 #,##0.00 [$EUR]
F22 s 31-60
G22 n 0 #,##0.00 [$EUR]
F23 s 61-90
G23 n 600 #,##0.00 [$EUR]
F24 s 91-120
G24 n 0 #,##0.00 [$EUR]
F25 s 121+
G25 n 0 #,##0.00 [$EUR]
F26 s Unapplied
G26 n -150 #,##0.00 [$EUR]
F27 s Total
G27 f =SUM(G20:G26) = 800.49 #,##0.00 [$EUR]
F28 s of which disputed
G28 n 250.5 #,##0.00 [$EUR]
A30 s Please pay the open balance by bank transfer, quoting the invoice numbers.
EOF
)" $X ACME.xlsx "Statement EUR"
expect "statement: the USD block has its own total and aging" 0 "A12 s A-4
G13 f =SUM(G12) = 500 #,##0.00 [\$USD]
G23 f =SUM(G16:G22) = 500 #,##0.00 [\$USD]" sh -c "$X ACME.xlsx 'Statement USD' | grep -E '^(A12|G13|G23) '"

# The total agrees with `dun aging` for that customer and date.
aging_total() { "$DUN" --db "$DB" "$@" aging --by customer --currency EUR --format csv | awk -F, '$1 == "ACME" { print $11 }'; }
check "statement total = dun aging total" sh -c "[ \"\$(printf '%.2f' \$($X ACME.xlsx 'Statement EUR' | awk '\$1 == \"G17\" { print \$5 }'))\" = \"$(aging_total)\" ]"

printf '[company]\nname = Example SAS\naddress = 1 rue de la Paix, 75002 Paris\npayment_link = https://pay.example.com/{invoice}?c={customer}\n' >c.ini
expect "statement -o FILE" 0 "beta.xlsx" "$DUN" --db "$DB" --config c.ini statement BETA -o beta.xlsx
expect "statement in French with the company block and a payment link per invoice" 0 "$(cat <<'EOF'
properties title='Relevé de compte BETA' author='Example SAS' created=2026-11-22
sheet 'Relevé' freeze=A12 filter=A11:J12 paper=9 orientation=portrait fit=1x0 repeat=$11:$11
widths A=18 B=14 C=14 D=19 E=16 F=18 G=16 H=10 I=12 J=18
A1 s Example SAS
A2 s 1 rue de la Paix, 75002 Paris
A4 s Relevé de compte
A5 s Date du relevé
B5 d 2026-11-22 dd/mm/yyyy
A6 s Client
B6 s BETA
B7 s Bêta SARL
A8 s Adresse
B8 s 2 rue Haute, Paris
A9 s Devise
B9 s EUR
A11 s Pièce
B11 s Date
C11 s Échéance
D11 s Jours de retard
E11 s Montant
F11 s Réglé
G11 s Solde
H11 s Statut
I11 s Commande
J11 s Payer en ligne
A12 s B-1
B12 d 2026-09-15 dd/mm/yyyy
C12 d 2026-10-15 dd/mm/yyyy
D12 n 38 0
E12 n 1200 #,##0.00 [$EUR]
F12 n 0 #,##0.00 [$EUR]
G12 n 1200 #,##0.00 [$EUR]
H12 s échu
J12 l Payer en ligne -> https://pay.example.com/B-1?c=BETA
A13 s Total
E13 f =SUM(E12) = 1200 #,##0.00 [$EUR]
F13 f =SUM(F12) = 0 #,##0.00 [$EUR]
G13 f =SUM(G12) = 1200 #,##0.00 [$EUR]
F15 s Balance âgée
F16 s Non échu
G16 n 0 #,##0.00 [$EUR]
F17 s 1-30
G17 n 0 #,##0.00 [$EUR]
F18 s 31-60
G18 n 1200 #,##0.00 [$EUR]
F19 s 61-90
G19 n 0 #,##0.00 [$EUR]
F20 s 91-120
G20 n 0 #,##0.00 [$EUR]
F21 s 121+
G21 n 0 #,##0.00 [$EUR]
F22 s Non affecté
G22 n 0 #,##0.00 [$EUR]
F23 s Total
G23 f =SUM(G16:G22) = 1200 #,##0.00 [$EUR]
F24 s dont en litige
G24 n 0 #,##0.00 [$EUR]
A26 s Merci de régler le solde par virement en indiquant les numéros de facture.
A27 s Vous pouvez aussi payer chaque facture en ligne (liens en dernière colonne).
EOF
)" $X beta.xlsx

printf '[company]\npayment_link = https://pay.example.com/c/{customer}?amount={amount}\n' >c2.ini
"$DUN" --db "$DB" --config c2.ini statement CALM -o calm.xlsx >/dev/null
expect "a link without {invoice} is one link for the statement's open total" 0 \
	"A27 l https://pay.example.com/c/CALM?amount=10.00 -> https://pay.example.com/c/CALM?amount=10.00" \
	sh -c "$X calm.xlsx | grep ' l '"

# As of 2026-09-05: A-2 and later do not exist yet, P1 (09-10) not yet paid.
"$DUN" --db "$DB" --as-of 2026-09-05 statement ACME -o asof.xlsx >/dev/null
expect "as-of: items issued and payments dated after it do not exist yet" 0 "B5 d 2026-09-05 yyyy-mm-dd
A12 s A-1
B12 d 2026-08-01 yyyy-mm-dd
C12 d 2026-08-31 yyyy-mm-dd
D12 n 5 0
E12 n 1000 #,##0.00 [\$EUR]
F12 n 0 #,##0.00 [\$EUR]
G12 n 1000 #,##0.00 [\$EUR]
H12 s overdue
G13 f =SUM(G12) = 1000 #,##0.00 [\$EUR]" sh -c "$X asof.xlsx 'Statement EUR' | grep -E '^(B5|[A-H]12|G13) '"
check "as-of statement total = dun aging --as-of total" sh -c "[ \"\$(printf '%.2f' \$($X asof.xlsx 'Statement EUR' | awk '\$1 == \"G13\" { print \$5 }'))\" = \"$(aging_total --as-of 2026-09-05)\" ]"

expect_err "unknown customer" 1 'dun: customer "NOPE": no such customer' "$DUN" --db "$DB" statement NOPE
expect "statement without a code is a usage error" 2 "" "$DUN" --db "$DB" statement

# Text from imported data stays text: never a formula, whatever it starts with.
"$DUN" --db "$DB" statement ../evil -o hostile.xlsx >/dev/null
expect "formula-like names and POs are strings" 0 "B6 s ../evil
B7 s =1+1
I12 s =HYPERLINK(\"http://x\")" sh -c "$X hostile.xlsx | grep -E '^(B6|B7) '; $X ACME.xlsx 'Statement EUR' | grep '^I12 '"
sql "UPDATE customer SET name = 'Ctrl' || char(1) || 'Name 株式会社' WHERE code = 'CALM'"
"$DUN" --db "$DB" statement CALM -o ctrl.xlsx >/dev/null
expect "control characters become '?', CJK stays" 0 "B7 s Ctrl?Name 株式会社" sh -c "$X ctrl.xlsx | grep '^B7 '"

# Batch: one file per overdue customer, names that stay in the directory.
expect "statements --overdue writes one file per overdue customer" 0 "6 statements written to batch" \
	"$DUN" --db "$DB" statements --overdue --dir batch
expect "file names are made safe from the codes" 0 "%2Drf.xlsx
%2E.%2Fevil.xlsx
%2Ehidden.xlsx
ACME.xlsx
BETA.xlsx
a%2Fb.xlsx" sh -c "ls -A batch"
check "nothing was written outside the directory, nothing hidden in it" \
	sh -c "[ ! -e '$TEST_DIR/evil.xlsx' ] && [ ! -d batch/a ] && ! ls -A batch | grep -q '^\\.'"
expect "each batch file is its customer's statement" 0 "B6 s ../evil
B6 s a/b" sh -c "$X 'batch/%2E.%2Fevil.xlsx' | grep '^B6 '; $X batch/a%2Fb.xlsx | grep '^B6 '"
expect "--collector and --segment select" 0 "1 statement written to out2" \
	"$DUN" --db "$DB" statements --overdue --collector bob --segment public --dir out2
expect "a progress bar on a terminal's stderr" 0 "[##############################] 6/6" \
	sh -c "script -qec '\"$DUN\" --db \"$DB\" statements --overdue --dir tty >/dev/null' /dev/null | tr '\\r' '\\n' | grep -v '^\$' | tail -1"
check "no progress bar when stderr is not a terminal" \
	sh -c "\"$DUN\" --db \"$DB\" statements --overdue --dir notty 2>notty.err >/dev/null && [ ! -s notty.err ]"
expect "statements without --overdue is a usage error" 2 "" "$DUN" --db "$DB" statements --dir batch

# Amounts show their currency's decimals.
printf 'number,customer,issue_date,due_date,amount,currency\nY-1,CALM,2026-10-01,2026-10-31,1500,JPY\nK-1,CALM,2026-10-01,2026-10-31,1.250,KWD\n' >more.csv
"$DUN" --db "$DB" import invoices more.csv >/dev/null
"$DUN" --db "$DB" statement CALM -o decimals.xlsx >/dev/null
expect "JPY without decimals, KWD with three" 0 "E11 n 1500 #,##0 [\$JPY]
G12 f =SUM(G11) = 1500 #,##0 [\$JPY]
E11 n 1.25 #,##0.000 [\$KWD]
G12 f =SUM(G11) = 1.25 #,##0.000 [\$KWD]" sh -c "$X decimals.xlsx 'Statement JPY' 'Statement KWD' | grep -E '^(E11|G12) '"

# Failures leave no file, and no half file under a temporary name.
touch notadir
expect_err "an unwritable place is a clear error" 1 \
	"dun: notadir/x.xlsx: cannot create the file: Not a directory" \
	"$DUN" --db "$DB" statement ACME -o notadir/x.xlsx
# A file size limit stands for a full disk (the ledger copy leaves WAL mode
# so that reading it writes nothing).
mkdir full
cp "$DB" small.db && sqlite3 small.db "PRAGMA journal_mode = DELETE" >/dev/null
expect_err "a full disk is a clear error and leaves nothing" 1 \
	"dun: full/x.xlsx: cannot write the file: File too large" \
	sh -c "ulimit -f 4; trap '' XFSZ; exec \"$DUN\" --db small.db statement ACME -o full/x.xlsx"
check "no file and no temporary file after the failure" sh -c "[ -z \"\$(ls -A full)\" ]"
# libxlsxwriter writes each XML part to a temporary file first and does
# not check those writes: a part larger than the limit (a full TMPDIR) in
# an archive smaller than it must fail too, not leave a truncated sheet.
printf 'code,name\nBIG,Big Customer\n' >big-c.csv
awk 'BEGIN { print "number,customer,issue_date,amount"
	for (i = 1; i <= 300; i++) printf "B-%04d,BIG,2026-%02d-%02d,%d.50\n", i, 1 + i % 10, 1 + i % 28, i * 7 }' >big-i.csv
"$DUN" --db big.db init >/dev/null && "$DUN" --db big.db import customers big-c.csv >/dev/null \
	&& "$DUN" --db big.db import invoices big-i.csv >/dev/null && sqlite3 big.db "PRAGMA journal_mode = DELETE" >/dev/null
expect_err "a part cut short in its temporary file is a clear error" 1 \
	"dun: full/big.xlsx: cannot write the file: xl/worksheets/sheet1.xml came out incomplete (is the temporary directory full?)" \
	sh -c "ulimit -f 64; trap '' XFSZ; exec \"$DUN\" --db big.db statement BIG -o full/big.xlsx"
check "and leaves nothing either" sh -c "[ -z \"\$(ls -A full)\" ] && \"$DUN\" --db big.db statement BIG -o full/big.xlsx >/dev/null \
	&& [ \$(stat -c %s full/big.xlsx) -lt 32768 ] && $X full/big.xlsx >/dev/null"

# The aging workbook.
expect "export aging" 0 "ag.xlsx" "$DUN" --db "$DB" export aging --currency EUR -o ag.xlsx
expect "aging workbook: sheets, views and print setup" 0 "sheet 'Summary' freeze=None filter=None paper=9 orientation=landscape fit=1x0 repeat=\$6:\$6
sheet 'By customer' freeze=C2 filter=A1:N8 paper=9 orientation=landscape fit=1x0 repeat=\$1:\$1
conditional G2:K8 cellIs greaterThan ['0']
sheet 'Open items' freeze=A2 filter=A1:M12 paper=9 orientation=landscape fit=1x0 repeat=\$1:\$1" \
	sh -c "$X ag.xlsx | grep -E '^(sheet|conditional)'"
expect "aging workbook: summary totals by segment and collector agree" 0 "A9 s Total
I9 f =SUM(I7:I8) = 2020.49 #,##0.00 [\$EUR]
A14 s Total
I14 f =SUM(I12:I13) = 2020.49 #,##0.00 [\$EUR]" sh -c "$X ag.xlsx Summary | grep -E '^(A9|I9|A14|I14) '"
check "aging workbook: by-customer total = dun aging" sh -c "[ \"\$(printf '%.2f' \$($X ag.xlsx 'By customer' | awk '\$1 == \"M9\" { print \$5 }'))\" = \"\$(\"$DUN\" --db \"$DB\" aging --by total --currency EUR --format csv | awk -F, 'NR == 2 { print \$(NF - 1) }')\" ]"
expect "aging workbook: open items rows" 0 "A2 s -rf
C2 s E-3
E2 d 2026-09-01 yyyy-mm-dd
G2 n 52 0
H2 s 31-60
K2 n 3 #,##0.00 [\$EUR]" sh -c "$X ag.xlsx 'Open items' | grep -E '^(A2|C2|E2|G2|H2|K2) '"
expect "aging workbook: unapplied cash is an open item, negative, after its customer's invoices" 0 "A9 s ACME
C9 s P2
D9 s payment
E9 d 2026-11-15 yyyy-mm-dd
H9 s unapplied
J9 n -100 #,##0.00 [\$EUR]
K9 n -100 #,##0.00 [\$EUR]" sh -c "$X ag.xlsx 'Open items' | grep -E '^[A-M]9 ' | grep -v -E '^(B|F|G|I|L|M)9 '"
# customer_totals SHEET COLUMN: each customer's sum of COLUMN, with two decimals.
customer_totals() {
	$X ag.xlsx "$1" | awk -v col="$2" '$1 ~ /^A[0-9]+$/ && $1 != "A1" { who[substr($1, 2)] = $3 }
		$1 ~ "^" col "[0-9]+$" { sum[who[substr($1, length(col) + 1)]] += $3 }
		END { for (c in sum) if (c != "" && c != "Total") printf "%s %.2f\n", c, sum[c] }' | sort
}
customer_totals 'By customer' M >by-customer.txt
expect "aging workbook: the open items add up to each customer's aging total" 0 "$(cat by-customer.txt)" \
	customer_totals 'Open items' K
expect "export calllist" 0 "cl.xlsx" "$DUN" --db "$DB" export calllist -o cl.xlsx
expect "call list workbook: the rows of dun calllist, amounts as numbers" 0 "sheet 'Call list' freeze=C2 filter=A1:K7 paper=9 orientation=landscape fit=1x0 repeat=\$1:\$1
A2 n 1 0
B2 s BETA
E2 n 980 0
F2 s 38 days overdue
G2 n 1200 #,##0.00 [\$EUR]" sh -c "$X cl.xlsx | grep -E '^(sheet|A2|B2|E2|F2|G2) '"
expect "export without -o is a usage error" 2 "" "$DUN" --db "$DB" export aging
expect_err "export of something unknown is a usage error" 2 'dun: export "kpi": expected aging or calllist' \
	"$DUN" --db "$DB" export kpi -o k.xlsx

# Every amount carries a currency number format of its own currency, with
# that currency's decimals: lines, negative lines, totals and aging.
. "$top_srcdir/tests/cli/data/xlsx/currencies.sh"
# amount_formats FILE: how many amount cells have each number format.
amount_formats() { $X "$1" | awk '($2 == "n" || $2 == "f") && / #,##0/ { sub(/^[^#]*#/, "#"); print }' | sort | uniq -c | sed 's/^ *//'; }
expect "a USD customer's amounts all have the USD currency format" 0 "18 #,##0.00 [\$USD]" amount_formats doll.xlsx
check "the days overdue stay plain integers" sh -c "$X doll.xlsx | grep -qx 'D11 n 52 0'"
expect "a USD credit note is a negative line, the total a SUM" 0 "E12 n -34.5 #,##0.00 [\$USD]
G13 f =SUM(G11:G12) = 1200 #,##0.00 [\$USD]" sh -c "$X doll.xlsx | grep -E '^(E12|G13) '"
expect "a JPY customer's amounts all have the JPY format, without decimals" 0 "18 #,##0 [\$JPY]" amount_formats yen.xlsx
expect "JPY unapplied cash is a negative line" 0 "E11 n 150000 #,##0 [\$JPY]
G12 n -5000 #,##0 [\$JPY]
G13 f =SUM(G11:G12) = 145000 #,##0 [\$JPY]" sh -c "$X yen.xlsx | grep -E '^(E11|G12|G13) '"
"$DUN" --db "$DB" export aging --currency USD -o usd.xlsx >/dev/null
expect "a USD aging workbook: every amount of every sheet in USD" 0 "87 #,##0.00 [\$USD]" amount_formats usd.xlsx
"$DUN" --db "$DB" export calllist -o cl2.xlsx >/dev/null
expect "the call list shows each customer's overdue in its currency" 0 "B2 s YEN
G2 n 150000 #,##0 [\$JPY]
B3 s DOLL
G3 n 1234.5 #,##0.00 [\$USD]
B4 s BETA
G4 n 1200 #,##0.00 [\$EUR]" sh -c "$X cl2.xlsx | grep -E '^[BG][234] '"
