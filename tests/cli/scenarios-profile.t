#!/bin/sh
# Scenario rules by payer profile (issue 5): `[profile NAME]` gives the
# scenario to customers with no scenario of their own and no segment rule,
# by the profile scoring stored for them; unscored customers keep the
# default. The rule loads, exports back, decides the dunning plan and is
# shown by `dun show` (its bad forms are in scenarios.t).
. "$top_srcdir/tests/lib.sh"
plan 11
data="$top_srcdir/tests/cli/data/dunning"
"$DUN" --db "$DB" init >/dev/null
{
	cat "$data/scenarios.ini"
	cat <<'INI'

[scenario strict]
name = Risky payers
step = 1 email reminder-1
step = 5 letter formal-notice

[profile risky]
scenario = strict

[profile prompt]
scenario = pub
INI
} >"$TEST_DIR/rules.ini"
expect "load counts the profile rules" 0 "loaded 3 scenarios, 1 segment rules, 2 profile rules" \
	"$DUN" --db "$DB" scenarios load "$TEST_DIR/rules.ini"
expect "stored beside the segment rules" 0 "prompt|pub
risky|strict" sql "SELECT profile, scenario FROM profile_scenario ORDER BY profile"
"$DUN" --db "$DB" scenarios export >"$TEST_DIR/export.ini"
expect "export writes the rules segments first, by name" 0 "[segment public]
scenario = pub

[profile prompt]
scenario = pub

[profile risky]
scenario = strict

[defaults]
scenario = std" sed -n '/^\[segment/,$p' "$TEST_DIR/export.ini"
check "the export loads back to the same text" sh -c \
	"'$DUN' --db '$DB' scenarios load '$TEST_DIR/export.ini' >/dev/null && '$DUN' --db '$DB' scenarios export | cmp -s - '$TEST_DIR/export.ini'"


"$DUN" --db "$DB" import customers "$data/customers.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$data/invoices.csv" >/dev/null
H=customer,invoice,scenario,step,channel,template,days_overdue,open
DUN_TODAY=2026-02-16 expect "unscored: the segment rule, the own scenario, else the default" 0 "$H
A001,A-1,std,2,email,reminder-1,16,1000.00
A001,A-2,std,1,email,preventive,0,500.00
B002,B-1,pub,1,email,reminder-1,12,200.00
C003,C-1,std,2,email,reminder-1,15,80.00
D004,D-1,std,2,email,reminder-1,7,300.00
F006,F-1,pub,1,email,reminder-1,7,50.00" "$DUN" --db "$DB" dunning run --dry-run

# Profiles as `dun score` stores them: A001 risky with no other rule (the
# strict scenario has no preventive step: A-2 waits), B002 risky but in
# the public segment, F006 risky with its own scenario, C003 prompt, D004
# never scored.
sql "INSERT INTO risk (customer_id, score, class, profile, computed_at)
	SELECT id, 50, 'D', CASE code WHEN 'C003' THEN 'prompt' ELSE 'risky' END, '2026-02-11T00:00:00Z'
	FROM customer WHERE code <> 'D004'"
DUN_TODAY=2026-02-16 expect "scored: the profile rule after the segment rule and the own scenario" 0 "$H
A001,A-1,strict,1,email,reminder-1,16,1000.00
B002,B-1,pub,1,email,reminder-1,12,200.00
C003,C-1,pub,1,email,reminder-1,15,80.00
D004,D-1,std,2,email,reminder-1,7,300.00
F006,F-1,pub,1,email,reminder-1,7,50.00" "$DUN" --db "$DB" dunning run --dry-run

scenario_of() { "$DUN" --db "$DB" show "$1" | sed -n 's/.*  scenario: //p'; }
expect "show names the profile rule" 0 "strict (profile risky)" scenario_of A001
expect "show names the segment rule" 0 "pub (segment public)" scenario_of B002
expect "show names the customer's own scenario" 0 "pub" scenario_of F006
expect "show names the default" 0 "std (default)" scenario_of D004

DUN_TODAY=2026-02-16 "$DUN" --db "$DB" dunning run >/dev/null
expect "the real run takes the profile's scenario" 0 "A-1|strict|1
C-1|pub|1" sql "SELECT i.number, l.scenario, l.step FROM dunning_log l JOIN invoice i ON i.id = l.invoice_id
	WHERE i.number IN ('A-1', 'C-1') ORDER BY i.number"
