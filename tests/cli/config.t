#!/bin/sh
# Configuration (SPEC §12): which file is read (--config, else $DUN_CONFIG,
# else $XDG_CONFIG_HOME/dun/dun.ini, else ~/.config/dun/dun.ini), every
# key's bad value named with its file and line when the file is read (not
# at the first send or run), and the recovery indemnity read in the base
# currency wherever the file sets it.
. "$top_srcdir/tests/lib.sh"
plan 21
"$DUN" --db "$DB" init >/dev/null
unset XDG_CONFIG_HOME

# Each candidate file sets a currency that names it in the error.
mkdir -p "$HOME/.config/dun" "$TEST_DIR/xdg/dun"
printf '[company]\nbase_currency = HOM\n' >"$HOME/.config/dun/dun.ini"
printf '[company]\nbase_currency = XDG\n' >"$TEST_DIR/xdg/dun/dun.ini"
printf '[company]\nbase_currency = ENV\n' >"$TEST_DIR/env.ini"
printf '[company]\nbase_currency = OPT\n' >"$TEST_DIR/opt.ini"
read_by() {	# read_by NAME CURRENCY ENV...: the file read is the one setting CURRENCY
	name=$1 cur=$2; shift 2
	case $cur in
	HOM) file="$HOME/.config/dun/dun.ini" ;;
	XDG) file="$TEST_DIR/xdg/dun/dun.ini" ;;
	ENV) file="$TEST_DIR/env.ini" ;;
	esac
	expect_err "$name" 1 "dun: $file:2: base_currency \"$cur\": not an ISO 4217 currency code" \
		env -u DUN_CONFIG "$@" "$DUN" --db "$DB" customers
}
read_by "no variable: ~/.config/dun/dun.ini" HOM
read_by "XDG_CONFIG_HOME" XDG XDG_CONFIG_HOME="$TEST_DIR/xdg"
read_by "a relative XDG_CONFIG_HOME is ignored" HOM XDG_CONFIG_HOME=xdg
read_by "DUN_CONFIG before XDG_CONFIG_HOME" ENV XDG_CONFIG_HOME="$TEST_DIR/xdg" DUN_CONFIG="$TEST_DIR/env.ini"
expect_err "--config before DUN_CONFIG" 1 "dun: $TEST_DIR/opt.ini:2: base_currency \"OPT\": not an ISO 4217 currency code" \
	env DUN_CONFIG="$TEST_DIR/env.ini" "$DUN" --config "$TEST_DIR/opt.ini" --db "$DB" customers
expect "a missing default file is no error" 0 "code,name,segment,collector,terms,credit_limit,currency,email,phone,language,balance,overdue,risk_class" \
	env -u DUN_CONFIG XDG_CONFIG_HOME="$TEST_DIR/none" "$DUN" --db "$DB" customers
expect_err "a missing DUN_CONFIG is an error" 1 "dun: $TEST_DIR/none.ini: cannot read the configuration: No such file or directory" \
	env DUN_CONFIG="$TEST_DIR/none.ini" "$DUN" --db "$DB" customers

bad() {	# bad NAME LINE-AND-MESSAGE INI-TEXT
	printf '%s\n' "$3" >"$TEST_DIR/bad.ini"
	expect_err "$1" 1 "dun: $TEST_DIR/bad.ini:$2" "$DUN" --config "$TEST_DIR/bad.ini" --db "$DB" customers
}
bad "a sender that is not an address" '3: from "Credit control": expected an e-mail address, as in Credit control <ar@example.com>' \
'[mail]
transport = sendmail /bin/true
from = Credit control'
bad "a sender with something after its address" '2: from "AR <ar@example.com> x": expected an e-mail address, as in Credit control <ar@example.com>' \
'[mail]
from = AR <ar@example.com> x'
bad "a payment link with a placeholder dun does not fill" "2: payment_link \"https://pay.example.com/{number}\": a '{' starts {invoice}, {customer} or {amount}" \
'[company]
payment_link = https://pay.example.com/{number}'
bad "a late interest rate finer than the run computes" '2: late_interest_rate "12.15001": expected an annual percentage from 0 to 1000 like 12.15 (at most 4 decimals)' \
'[dunning]
late_interest_rate = 12.15001'
bad "a late interest rate no one charges (its product with the days would overflow)" '2: late_interest_rate "900000000000000": expected an annual percentage from 0 to 1000 like 12.15 (at most 4 decimals)' \
'[dunning]
late_interest_rate = 900000000000000'
bad "a negative indemnity" '2: recovery_indemnity "-40": expected a non-negative amount in EUR (at most 2 decimals)' \
'[dunning]
recovery_indemnity = -40'
bad "the indemnity is in the base currency set after it" '2: recovery_indemnity "40.50": expected a non-negative amount in JPY (at most 0 decimals)' \
'[dunning]
recovery_indemnity = 40.50
[company]
base_currency = JPY'
bad "the first bad line is named" '2: recovery_indemnity "x": expected a non-negative amount in EUR (at most 2 decimals)' \
'[dunning]
recovery_indemnity = x
promise_grace_days = 400'
bad "grace days" '2: promise_grace_days "-1": expected a number of days from 0 to 365' \
'[dunning]
promise_grace_days = -1'
bad "aging basis" '2: basis "issue": expected due or invoice' \
'[aging]
basis = issue'
bad "an unknown key" '2: colour "red": unknown key' \
'[ui]
colour = red'
check "good values of every key are read" sh -c "printf '%s\n' '[company]' 'name = Example SAS' \
	'address = 1 rue de la Paix, 75002 Paris' 'base_currency = EUR' 'payment_link = https://pay.example.com/{invoice}?c={customer}&a={amount}' \
	'[mail]' 'from = \"Credit control, AR\" <ar@example.com>' 'transport = smtp://localhost:25' \
	'[dunning]' 'late_interest_rate = 12.1525' 'recovery_indemnity = 40.00' 'promise_grace_days = 0' \
	'[aging]' 'buckets = 15,45' 'basis = invoice' '[ui]' 'collector = alice' >'$TEST_DIR/good.ini' &&
	'$DUN' --config '$TEST_DIR/good.ini' --db '$DB' customers >/dev/null"

# The indemnity on a formal notice: base currency JPY, set after the
# indemnity (7500 yen), then not set at all (40 yen, never 4000).
printf 'code,name,email,language\nJ1,Jay KK,ap@jay.test,en\n' >"$TEST_DIR/c.csv"
printf 'number,customer,issue_date,due_date,amount,currency\nJ-1,J1,2026-01-01,2026-01-31,1000.00,EUR\n' >"$TEST_DIR/i.csv"
printf '[scenario s]\nstep = 1 letter formal-notice\n[defaults]\nscenario = s\n' >"$TEST_DIR/s.ini"
"$DUN" --db "$DB" scenarios load "$TEST_DIR/s.ini" >/dev/null
"$DUN" --db "$DB" import customers "$TEST_DIR/c.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$TEST_DIR/i.csv" >/dev/null
indemnity() { sql "SELECT body FROM outbox ORDER BY id DESC LIMIT 1" | grep 'recovery indemnity'; }
printf '[dunning]\nrecovery_indemnity = 7500\n[company]\nbase_currency = JPY\n' >"$TEST_DIR/jpy.ini"
DUN_TODAY=2026-03-02 "$DUN" --config "$TEST_DIR/jpy.ini" --db "$DB" dunning run >/dev/null
expect "an indemnity set before the base currency is read in it" 0 \
	"    late interest 9.99 EUR, recovery indemnity 7,500 JPY" indemnity
sqlite3 "$DB" "DELETE FROM dunning_log; UPDATE invoice SET dunning_step = 0, dunning_date = NULL"
printf '[company]\nbase_currency = JPY\n' >"$TEST_DIR/jpy.ini"
DUN_TODAY=2026-03-02 "$DUN" --config "$TEST_DIR/jpy.ini" --db "$DB" dunning run >/dev/null
expect "by default the indemnity is 40 units of the base currency" 0 \
	"    late interest 9.99 EUR, recovery indemnity 40 JPY" indemnity
