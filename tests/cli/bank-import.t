#!/bin/sh
# `dun import bank`: credits become payments, debits are counted, batches
# split, reversals undo their payment, a second import changes nothing, and
# a bad file (truncated, wrong document, bad amount, junk) is refused naming
# file and position with nothing imported.
. "$top_srcdir/tests/lib.sh"
plan 27
data="$top_srcdir/tests/cli/data/bank"
"$DUN" --db "$DB" init >/dev/null

expect "camt.053: credits imported, debits counted" 0 \
	"imported 4 bank lines from $data/stmt.xml: 1 skipped as debits, 0 skipped as already imported" \
	"$DUN" --db "$DB" import bank "$data/stmt.xml"
expect "the same file again imports nothing" 0 \
	"imported 0 bank lines from $data/stmt.xml: 1 skipped as debits, 4 skipped as already imported" \
	"$DUN" --db "$DB" import bank "$data/stmt.xml"
expect "payments keep the bank's fields; batches are split; NOTPROVIDED is no reference" 0 \
"E2E-ACME-1|2026-11-20|120000|EUR|FR7612345000010000000000185|ACME SAS|FR7630006000011234567890189|VIR SEPA ACME FACT INV-2026-0012 ET 0013||camt
BATCH-1|2026-11-20|10000|EUR|FR7612345000010000000000185|Société Générale d'Équipement SARL||Facture 2026/0020||camt
BATCH-2|2026-11-20|20000|EUR|FR7612345000010000000000185|Globex Ltd||payment thanks||camt
STMT-2026-11-20/5|2026-11-20|45000|EUR|FR7612345000010000000000185|Müller GmbH|DE89370400440532013000||RF4520260040|camt" \
	sql "SELECT reference, date, amount, currency, account, payer_name, payer_account, remittance, structured_ref, source FROM payment ORDER BY id"

expect "MT940 over two statements with a reversal" 0 \
	"imported 2 bank lines from $data/returns.sta: 1 skipped as debits, 0 skipped as already imported, 1 reversal" \
	"$DUN" --db "$DB" import bank "$data/returns.sta"
expect "the reversal is a negative payment pointing at the one it cancels" 0 \
	"E2E-GLOBEX-9|2026-11-19|50000|GLOBEX LTD|INV 2026 21|
E2E-GLOBEX-9|2026-11-20|-50000|GLOBEX LTD||E2E-GLOBEX-9" \
	sql "SELECT p.reference, p.date, p.amount, p.payer_name, p.remittance, coalesce(o.reference, '') FROM payment p LEFT JOIN payment o ON o.id = p.reversal_of WHERE p.source = 'mt940' ORDER BY p.id"

expect "a CSV export with ; and decimal commas" 0 \
	"imported 1 bank line from $data/lines.csv: 1 skipped as debits, 0 skipped as already imported" \
	"$DUN" --db "$DB" import bank "$data/lines.csv"
expect "the CSV line" 0 "CSV-1|123450|Initech Inc.|Invoice INV-2026-0030|bankcsv" \
	sql "SELECT reference, amount, payer_name, remittance, source FROM payment WHERE source = 'bankcsv'"

before=$(sql "SELECT count(*) FROM payment")
head -c 700 "$data/stmt.xml" >"$TEST_DIR/truncated.xml"
expect_err "truncated XML names file and line" 1 \
	"dun: $TEST_DIR/truncated.xml:12: xml \"column 22\": no element found" \
	"$DUN" --db "$DB" import bank "$TEST_DIR/truncated.xml"
expect_err "a camt.052 is not a camt.053" 1 \
	"dun: $data/wrongtag.xml:2: Document \"urn:iso:std:iso:20022:tech:xsd:camt.052.\": not a camt.053 document (namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.02..8)" \
	"$DUN" --db "$DB" import bank "$data/wrongtag.xml"
expect_err "a bad MT940 amount names file and line" 1 \
	"dun: $data/badamount.sta:4: 61 \"12A,00NTRFNONREF\": bad amount or transaction type" \
	"$DUN" --db "$DB" import bank "$data/badamount.sta"
head -c 4096 /dev/urandom >"$TEST_DIR/junk.bin"
printf '\0' >>"$TEST_DIR/junk.bin"
expect_err "binary junk is no statement" 1 \
	"dun: $TEST_DIR/junk.bin:1: format \"unknown\": not a camt.053, MT940, OFX or CSV bank statement" \
	"$DUN" --db "$DB" import bank "$TEST_DIR/junk.bin"
sed 's/<Amt Ccy="EUR">450.00</<Amt Ccy="EUR">4x0.00</' "$data/stmt.xml" >"$TEST_DIR/badamount.xml"
expect_err "a bad camt amount names file and line" 1 \
	"dun: $TEST_DIR/badamount.xml:37: Ntry/Amt \"4x0.00\": not an amount" \
	"$DUN" --db "$DB" import bank "$TEST_DIR/badamount.xml"
expect "nothing was imported by the bad files" 0 "$before" sql "SELECT count(*) FROM payment"

sed 's/2900.00/2899.00/' "$data/stmt.xml" | sed 's/E2E-ACME-1/E2E-ACME-2/' >"$TEST_DIR/unbalanced.xml"
expect_err "balances that do not add up are a warning" 0 \
	"dun: $TEST_DIR/unbalanced.xml: warning: statement \"STMT-2026-11-20\": opening balance 1000.00 + lines = 2900.00, not the closing balance 2899.00" \
	"$DUN" --db "$DB" import bank "$TEST_DIR/unbalanced.xml"
expect "and the lines are imported" 0 "1" sql "SELECT count(*) FROM payment WHERE reference = 'E2E-ACME-2'"
expect "--dry-run writes nothing" 0 \
	"would import 1 bank line from $data/lines.csv: 1 skipped as debits, 0 skipped as already imported" \
	sh -c "sqlite3 '$DB' \"DELETE FROM payment WHERE source = 'bankcsv'\" && '$DUN' --db '$DB' import bank --dry-run '$data/lines.csv'"

expect_err "a CSV export with other headers needs a map" 1 \
	"dun: $data/umsaetze.csv:1: date \"\": no date column in the header" \
	"$DUN" --db "$DB" import bank "$data/umsaetze.csv"
expect_err "a map names our columns only" 2 \
	"dun: $data/bad.map:2: column \"balance\": not one of date, value_date, amount, credit, debit, currency, reference, remittance, payer, payer_account" \
	"$DUN" --db "$DB" import bank --map "$data/bad.map" "$data/umsaetze.csv"
expect "--map renames the export's columns" 0 \
	"imported 1 bank line from $data/umsaetze.csv: 0 skipped as debits, 0 skipped as already imported" \
	"$DUN" --db "$DB" import bank --map "$data/umsaetze.map" "$data/umsaetze.csv"

# A CSV export takes the CSV options of the other imports (SPEC 5).
printf 'Date;Amount;Reference;Payer\n06/20/2026;1.250,50;CP-1;Soci\351t\351 G\351n\351rale\n' >"$TEST_DIR/legacy.csv"
expect_err "a cp1252 export is refused as UTF-8, with the hint" 1 \
	"dun: $TEST_DIR/legacy.csv:2: invalid UTF-8 (is it cp1252? try --encoding cp1252)" \
	"$DUN" --db "$DB" import bank "$TEST_DIR/legacy.csv"
expect "and read with the options the hint names" 0 \
	"imported 1 bank line from $TEST_DIR/legacy.csv: 0 skipped as debits, 0 skipped as already imported" \
	"$DUN" --db "$DB" import bank --encoding cp1252 --date-format %m/%d/%Y --decimal , "$TEST_DIR/legacy.csv"
expect "the line has its date, amount and payer" 0 "2026-06-20|125050|Société Générale" \
	sql "SELECT date, amount, payer_name FROM payment WHERE reference = 'CP-1'"
expect_err "--skip-bad does not apply to a bank statement" 2 \
	"dun: --skip-bad: a bank statement is imported whole or not at all" \
	"$DUN" --db "$DB" import bank --skip-bad "$TEST_DIR/bad.csv" "$TEST_DIR/legacy.csv"

cat >"$TEST_DIR/entities.ofx" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STMTRS><CURDEF>EUR</CURDEF>
<BANKACCTFROM><BANKID>1</BANKID><ACCTID>ACC-ENT</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>
<BANKTRANLIST><DTSTART>20261101</DTSTART><DTEND>20261130</DTEND>
<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20261110</DTPOSTED><TRNAMT>99.99</TRNAMT><FITID>ENT-1</FITID>
<NAME>Smith &amp; Sons &lt;UK&gt;</NAME><MEMO>&quot;INV 7&quot; &amp;amp; &foo; &</MEMO></STMTTRN>
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
EOF
"$DUN" --db "$DB" import bank "$TEST_DIR/entities.ofx" >/dev/null
expect "OFX text has its entities decoded once, and nothing else" 0 'Smith & Sons <UK>|"INV 7" &amp; &foo; &' \
	sql "SELECT payer_name, remittance FROM payment WHERE reference = 'ENT-1'"

printf 'date,amount,reference\n2026-11-10,abc,BAD-1\n2026-11-10,5.00,GOOD-1\n2026-13-10,5.00,BAD-2\n' >"$TEST_DIR/badrows.csv"
expect_err "a CSV export names every bad row, and imports nothing" 1 \
	"dun: $TEST_DIR/badrows.csv:2: amount \"abc\": not an amount
dun: $TEST_DIR/badrows.csv:4: date \"2026-13-10\": not a date (YYYY-MM-DD, DD/MM/YYYY, DD.MM.YYYY)
dun: $TEST_DIR/badrows.csv: 2 bad rows, nothing imported" \
	"$DUN" --db "$DB" import bank "$TEST_DIR/badrows.csv"
expect "the good row was not imported either" 0 "0" sql "SELECT count(*) FROM payment WHERE reference = 'GOOD-1'"

# More bad rows than are named: the first 20, then the count of the rest,
# as the other imports.
awk 'BEGIN { print "date,amount,reference"; for (i = 1; i <= 23; i++) printf "2026-11-%02d,x%d,R%d\n", i, i, i }' \
	>"$TEST_DIR/manybad.csv"
"$DUN" --db "$DB" import bank "$TEST_DIR/manybad.csv" >/dev/null 2>"$TEST_DIR/manybad.err"
check "23 bad bank rows: 20 named, then the count of the rest" \
	sh -c "[ \$(grep -c 'not an amount' '$TEST_DIR/manybad.err') = 20 ] &&
		tail -2 '$TEST_DIR/manybad.err' | tr '\n' '|' |
		grep -qx 'dun: $TEST_DIR/manybad.csv: and 3 more bad rows|dun: $TEST_DIR/manybad.csv: 23 bad rows, nothing imported|'"
