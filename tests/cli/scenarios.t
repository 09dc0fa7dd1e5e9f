#!/bin/sh
# Scenario configuration (SPEC §7): `init` loads data/scenarios.ini, `load`
# checks the whole file first (FILE:LINE messages, nothing changed on an
# error) and replaces the configuration, `export` prints it back as INI.
. "$top_srcdir/tests/lib.sh"
plan 29
"$DUN" --db "$DB" init >/dev/null
expect "init loads the default scenarios" 0 "standard|Standard B2B|6
gentle|Public bodies|5
strict|Risky payers|7
export|Foreign customers|5" sql "SELECT code, name, (SELECT count(*) FROM scenario_step WHERE scenario_id = s.id) FROM scenario s ORDER BY id"
"$DUN" --db "$DB" scenarios export >"$TEST_DIR/defaults.ini"
"$DUN" --db "$DB" init >/dev/null
expect "init again keeps the configuration" 0 "4" sql "SELECT count(*) FROM scenario"
check "export reads back to the same configuration" sh -c \
	"'$DUN' --db '$DB' scenarios load '$TEST_DIR/defaults.ini' >/dev/null && '$DUN' --db '$DB' scenarios export | cmp -s - '$TEST_DIR/defaults.ini'"

bad() {	# bad NAME MESSAGE INI-TEXT
	printf '%s\n' "$3" >"$TEST_DIR/bad.ini"
	expect_err "$1" 1 "dun: $TEST_DIR/bad.ini:$2" "$DUN" --db "$DB" scenarios load "$TEST_DIR/bad.ini"
}
bad "unknown channel" '2: step "1 fax x": unknown channel "fax" (email, letter, call, task or escalate)' \
'[scenario a]
step = 1 fax x'
bad "missing template" '3: step "1 email nosuch": no template "nosuch" in both en and fr' \
'[scenario a]
name = A
step = 1 email nosuch'
bad "bad offset" '2: step "soon email reminder-1": bad offset "soon" (days from the due date, -365 to 3650)' \
'[scenario a]
step = soon email reminder-1'
bad "offsets must increase" '3: step "5 call c": offset 5 does not follow the previous step'"'"'s 5 (offsets must increase)' \
'[scenario a]
step = 5 email reminder-1
step = 5 call c'
bad "unknown key" '2: colour "red": unknown key (name, max_amicable_days, min_gap_days, step)' \
'[scenario a]
colour = red'
bad "segment rule to an unknown scenario" '4: scenario "b": no such scenario' \
'[scenario a]
step = 1 call c
[segment x]
scenario = b'
bad "default to an unknown scenario" '4: scenario "zz": no such scenario' \
'[scenario a]
step = 1 call c
[defaults]
scenario = zz'
bad "unknown section" '2: section "weird": unknown section (scenario CODE, segment NAME, profile NAME or defaults)' \
'[weird]
a = b'
bad "not INI" '2: syntax error (expected [section] or key = value)' \
'[scenario a]
garbage line'
bad "bad minimum" '2: step "1 call c min=abc": bad minimum amount "abc"' \
'[scenario a]
step = 1 call c min=abc'
bad "bad max_amicable_days" '2: max_amicable_days "-3": expected days, 1 to 3650' \
'[scenario a]
max_amicable_days = -3
step = 1 call c'
bad "a name that would read back as a comment" '2: name ";x": a name cannot start with '"'"';'"'"' (a comment)' \
'[scenario a]
name =;x
step = 1 call c'
bad "an unknown profile" '4: section "profile lazy": unknown payer profile (prompt, slow, erratic, deteriorating or risky)' \
'[scenario a]
step = 1 call c
[profile lazy]
scenario = a'
bad "a profile rule given twice" '8: section "profile slow": rule given twice' \
'[scenario a]
step = 1 call c
[profile slow]
scenario = a
[profile risky]
scenario = a
[profile slow]
scenario = a'
bad "a profile rule to an unknown scenario" '4: scenario "b": no such scenario' \
'[scenario a]
step = 1 call c
[profile erratic]
scenario = b'
bad "a scenario given twice in a row" '4: section "scenario a": scenario defined twice' \
'[scenario a]
step = 1 call c
[scenario a]
step = 2 call d'
bad "a segment rule given twice in a row" '6: section "segment x": rule given twice' \
'[scenario a]
step = 1 call c
[segment x]
scenario = a
[segment x]
scenario = a'
bad "a scenario with nothing under it" '1: section "scenario a": nothing under it' \
'[scenario a]
[scenario b]
step = 1 call c'
bad "an empty section at the end" '3: section "defaults": nothing under it' \
'[scenario b]
step = 1 call c
[defaults]'
check "nothing changed by the bad files" sh -c "'$DUN' --db '$DB' scenarios export | cmp -s - '$TEST_DIR/defaults.ini'"

cat >"$TEST_DIR/one.ini" <<'INI'
[scenario only]
name = Only one ; a comment
min_gap_days = 2
step = 3 email reminder-1 min=10.5
step = 9 task check-ledger
INI
printf 'code,name,scenario\nG001,Gentle One,gentle\nG002,Gentle Two,gentle\nS001,Standard One,standard\n' >"$TEST_DIR/named.csv"
"$DUN" --db "$DB" import customers "$TEST_DIR/named.csv" >/dev/null
expect_err "customers naming a scenario the new file drops are a warning" 0 \
	"dun: $TEST_DIR/one.ini: warning: 2 customers name scenario \"gentle\", which this file does not define: they follow their segment's, profile's or the default scenario
dun: $TEST_DIR/one.ini: warning: 1 customer names scenario \"standard\", which this file does not define: they follow their segment's, profile's or the default scenario" \
	"$DUN" --db "$DB" scenarios load "$TEST_DIR/one.ini"
expect "load replaces the whole configuration" 0 "loaded 1 scenarios, 0 segment rules" \
	sh -c "'$DUN' --db '$DB' scenarios load '$TEST_DIR/one.ini' 2>/dev/null"
check "the customers keep the scenario they name" sh -c "[ \"\$(sqlite3 '$DB' \"SELECT group_concat(scenario) FROM customer\")\" = gentle,gentle,standard ]"
expect "export prints it" 0 "[scenario only]
name = Only one
max_amicable_days = 60
min_gap_days = 2
step = 3 email reminder-1 min=10.5
step = 9 task check-ledger" "$DUN" --db "$DB" scenarios export
expect "segment rules and the default went with it" 0 "0|0" \
	sql "SELECT (SELECT count(*) FROM segment_scenario), (SELECT count(*) FROM setting WHERE key = 'dunning.default_scenario')"
expect "scenarios without a verb is a usage error" 2 "" "$DUN" --db "$DB" scenarios
