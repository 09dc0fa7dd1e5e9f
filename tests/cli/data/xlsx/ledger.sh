# The ledger of the Excel tests (sourced after tests/lib.sh): ACME owes in
# EUR and USD, has a partial payment, a credit note, a disputed invoice, a
# PO that looks like a formula and unapplied cash; BETA reads French; CALM
# is not overdue; four customers have codes and names an attacker would
# pick.
data="$top_srcdir/tests/cli/data/xlsx"
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" import customers "$data/customers.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$data/invoices.csv" >/dev/null
"$DUN" --db "$DB" import payments "$data/payments.csv" >/dev/null
sql "INSERT INTO dispute (invoice_id, reason, opened) SELECT id, 'pricing', '2026-11-01' FROM invoice WHERE number = 'A-2'"
