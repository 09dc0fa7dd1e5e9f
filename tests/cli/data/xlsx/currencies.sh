# Two customers who owe in one foreign currency each (sourced after
# ledger.sh, from the test's directory): DOLL in dollars, with a credit
# note, and YEN in yen, with unapplied cash, so that every kind of amount
# line shows in the customer's currency.
printf 'code,name,currency,language\nDOLL,Dollar Inc,USD,en\nYEN,Yen KK,JPY,en\n' >currencies-customers.csv
printf 'number,customer,issue_date,due_date,amount,currency\nD-1,DOLL,2026-09-01,2026-10-01,1234.50,USD\nD-CN,DOLL,2026-10-15,2026-10-15,-34.50,USD\nY-9,YEN,2026-09-01,2026-10-01,150000,JPY\n' >currencies-invoices.csv
printf 'reference,date,amount,customer,currency,invoices\nPY,2026-11-02,5000,YEN,JPY,\n' >currencies-payments.csv
"$DUN" --db "$DB" import customers currencies-customers.csv >/dev/null
"$DUN" --db "$DB" import invoices currencies-invoices.csv >/dev/null
"$DUN" --db "$DB" import payments currencies-payments.csv >/dev/null
"$DUN" --db "$DB" statement DOLL -o doll.xlsx >/dev/null
"$DUN" --db "$DB" statement YEN -o yen.xlsx >/dev/null
