#!/bin/sh
# The outbox (SPEC §7): messages that parse cleanly with Python's email
# package (policy default) with the right headers, encodings and the
# statement attached; a customer named `Évian "Ltd"\r\nBcc: x@y` cannot add
# a header; `export DIR` writes safe file names; `send` through a
# sendmail-style command (run without a shell) and through a real SMTP
# server on 127.0.0.1, a failure staying queued with its error and a retry
# (after a failure or a crash mid-send) never delivering twice. Letters
# export as .eml messages too, marked for printing, and are not sent.
. "$top_srcdir/tests/lib.sh"
plan 31
data="$top_srcdir/tests/cli/data/dunning"
PY=/usr/bin/python3
"$DUN" --db "$DB" init >/dev/null
"$DUN" --db "$DB" scenarios load "$data/scenarios.ini" >/dev/null
"$DUN" --db "$DB" import customers "$data/injection-customers.csv" >/dev/null
"$DUN" --db "$DB" import invoices "$data/injection-invoices.csv" >/dev/null
cat >"$TEST_DIR/dun.ini" <<'INI'
[company]
name = Example SAS
payment_link = https://pay.example.com/{customer}?invoices={invoice}&amount={amount}
[mail]
from = Crédit client <ar@example.com>
INI
export DUN_CONFIG="$TEST_DIR/dun.ini"
DUN_TODAY=2026-02-21 "$DUN" --db "$DB" dunning run >/dev/null
DUN_TODAY=2026-03-10 "$DUN" --db "$DB" dunning run >/dev/null
DUN_TODAY=2026-03-30 "$DUN" --db "$DB" dunning run >/dev/null
expect "the run queued one e-mail per customer and action" 0 "id,customer,date,channel,template,recipient,subject,state,attempts,error
1,AC02,2026-02-21,email,reminder-1,ap@acme.test,Payment reminder - Acme Ltd (AC02),queued,0,
2,BAD3,2026-02-21,email,reminder-1,not-an-address,Payment reminder - Bad Address Ltd (BAD3),queued,0,
3,EV01,2026-02-21,email,reminder-1,ap@evian.test,\"Relance : factures échues - Évian \"\"Ltd\"\"  Bcc: x@y (EV01)\",queued,0,
4,AC02,2026-03-30,email,reminder-2,ap@acme.test,Second reminder: overdue invoices - Acme Ltd (AC02),queued,0,
5,BAD3,2026-03-30,email,reminder-2,not-an-address,Second reminder: overdue invoices - Bad Address Ltd (BAD3),queued,0,
6,EV01,2026-03-30,email,reminder-2,ap@evian.test,\"Deuxième relance : factures impayées - Évian \"\"Ltd\"\"  Bcc: x@y (EV01)\",queued,0," \
	"$DUN" --db "$DB" outbox list

# Export: one file per message; the bad address cannot be composed, and
# the other customers' messages are written all the same.
expect_err "export names each message it cannot compose, and exits 1" 1 \
	"dun: message 2 (BAD3): recipient \"not-an-address\": not a valid e-mail address
dun: message 5 (BAD3): recipient \"not-an-address\": not a valid e-mail address
dun: 2 messages not exported (kept in the outbox)" \
	"$DUN" --db "$DB" outbox export "$TEST_DIR/out"
expect "the four others are written" 0 "000001-AC02-reminder-1.eml
000003-EV01-reminder-1.eml
000004-AC02-reminder-2.eml
000006-EV01-reminder-2.eml" ls "$TEST_DIR/out"
rm -rf "$TEST_DIR/out"
sql "UPDATE customer SET email = 'ap@bad.test' WHERE code = 'BAD3'; UPDATE outbox SET recipient = 'ap@bad.test' WHERE customer_id = (SELECT id FROM customer WHERE code = 'BAD3')"
expect "export writes one .eml per queued message" 0 "exported 6 messages to $TEST_DIR/out" \
	"$DUN" --db "$DB" outbox export "$TEST_DIR/out"
expect "file names" 0 "000001-AC02-reminder-1.eml
000002-BAD3-reminder-1.eml
000003-EV01-reminder-1.eml
000004-AC02-reminder-2.eml
000005-BAD3-reminder-2.eml
000006-EV01-reminder-2.eml" ls "$TEST_DIR/out"
expect "Python's email package reads the injection attempt as one name, no Bcc" 0 "file: 000006-EV01-reminder-2.eml
From: 'Crédit client <ar@example.com>'
To: '\"Évian \\\\\"Ltd\\\\\" Bcc: x@y\" <ap@evian.test>'
Subject: 'Deuxième relance : factures impayées - Évian \"Ltd\"  Bcc: x@y (EV01)'
Date: 'Mon, 30 Mar 2026 00:00:00 +0000'
Bcc: None
to display name: 'Évian \"Ltd\" Bcc: x@y' address: 'ap@evian.test'
defects: [] headers: 7
message-id ok: True
body charset: utf-8 cte: quoted-printable
body first line: Madame, Monsieur,
attachment: EV01.xlsx application/vnd.openxmlformats-officedocument.spreadsheetml.sheet zip" \
	$PY "$top_srcdir/tests/cli/mail_check.py" "$TEST_DIR/out/000006-EV01-reminder-2.eml"
expect "the body carries the invoices and the payment link" 0 "  EV-1  échéance 2026-02-01  57 jours de retard  1 000,00 EUR
  EV-2  échéance 2026-02-19  39 jours de retard    250,50 EUR
Paiement en ligne : https://pay.example.com/EV01?invoices=EV-1%2CEV-2&amount=1250.50" \
	sh -c "$PY -c 'import email,email.policy,sys; m=email.message_from_binary_file(open(sys.argv[1],\"rb\"),policy=email.policy.default); print(m.get_body((\"plain\",)).get_content())' '$TEST_DIR/out/000006-EV01-reminder-2.eml' | grep -e '^  EV-' -e 'en ligne'"

# A copy of the ledger for the SMTP half.
sqlite3 "$DB" "VACUUM INTO '$TEST_DIR/smtp.db'"

# sendmail-style: the command gets the message on stdin, never via a shell.
mkdir "$TEST_DIR/sendmail"
cat >"$TEST_DIR/fake-sendmail" <<SH
#!/bin/sh
n=\$(ls "$TEST_DIR/sendmail" | grep -c eml)
n=\$((n + 1))
printf '%s\n' "\$*" >"$TEST_DIR/sendmail/\$n.args"
cat >"$TEST_DIR/sendmail/\$n.eml"
case "\$*" in *acme*) exit 75;; esac
SH
chmod +x "$TEST_DIR/fake-sendmail"
cat >>"$TEST_DIR/dun.ini" <<INI
transport = sendmail $TEST_DIR/fake-sendmail -oi
INI
# send LEDGER: the exit status, then what was sent.
send() {
	"$DUN" --db "$1" outbox send >"$TEST_DIR/sent" 2>/dev/null
	echo "exit $?"
	grep -v '^failed' "$TEST_DIR/sent" || true
}
expect "sendmail: a refused message stays queued, exit 1" 0 "exit 1
sent 2 BAD3 ap@bad.test
sent 3 EV01 ap@evian.test
sent 5 BAD3 ap@bad.test
sent 6 EV01 ap@evian.test" send "$DB"
expect "the failure is kept with its error" 0 "1|queued|1|mail transport \"$TEST_DIR/fake-sendmail\": exited with status 75
4|queued|1|mail transport \"$TEST_DIR/fake-sendmail\": exited with status 75" \
	sql "SELECT id, state, attempts, error FROM outbox WHERE state <> 'sent' ORDER BY id"
expect "the recipient is the command's last argument" 0 "-oi ap@evian.test" cat "$TEST_DIR/sendmail/3.args"
expect "every sent message is an activity linked to its invoices" 0 "4|6" \
	sql "SELECT count(DISTINCT a.id), count(*) FROM activity a JOIN activity_invoice ai ON ai.activity_id = a.id WHERE a.kind = 'sent'"

# SMTP: first with nobody listening, then a real server.
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$port|" "$TEST_DIR/dun.ini"
expect "smtp: nobody listening, all stay queued" 0 "exit 1" send "$TEST_DIR/smtp.db"
mkdir "$TEST_DIR/smtp"
$PY "$top_srcdir/tests/cli/smtp_server.py" "$TEST_DIR/smtp" "$TEST_DIR/smtp.port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$TEST_DIR"' EXIT
i=0
while [ ! -s "$TEST_DIR/smtp.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$(cat "$TEST_DIR/smtp.port")|" "$TEST_DIR/dun.ini"
# Message 4 as a crash mid-send leaves it: claimed, not known to be sent.
sqlite3 "$TEST_DIR/smtp.db" "UPDATE outbox SET state = 'sending' WHERE id = 4"
expect "smtp: the retry sends every message, the crashed one too" 0 "sent 1 AC02 ap@acme.test
sent 2 BAD3 ap@bad.test
sent 3 EV01 ap@evian.test
sent 4 AC02 ap@acme.test
sent 5 BAD3 ap@bad.test
sent 6 EV01 ap@evian.test" "$DUN" --db "$TEST_DIR/smtp.db" outbox send
expect "smtp: sending again sends nothing" 0 "" "$DUN" --db "$TEST_DIR/smtp.db" outbox send
expect "the server saw each message once, from the configured sender" 0 "6 6
ar@example.com -> ap@evian.test" \
	sh -c "echo \$(grep -h '^Message-ID:' '$TEST_DIR'/smtp/*.eml | sort -u | wc -l) \$(ls '$TEST_DIR'/smtp/*.eml | wc -l); cat '$TEST_DIR/smtp/3.eml.rcpt'"
expect "the attempts are counted" 0 "2|2|2|2|2|2" \
	sqlite3 "$TEST_DIR/smtp.db" "SELECT group_concat(attempts, '|') FROM (SELECT attempts FROM outbox ORDER BY id)"

# Preview, hold and release, on the first ledger (where 1 and 4 failed),
# now with the SMTP server as its transport.
expect "hold a queued message" 0 "message 1 held" "$DUN" --db "$DB" outbox hold 1
expect_err "a sent message cannot be held" 1 "dun: message 3: no such queued message" "$DUN" --db "$DB" outbox hold 3
expect "a held message is not sent" 0 "exit 0
sent 4 AC02 ap@acme.test" send "$DB"
expect "only message 4 was tried again" 0 "1|held|1" sql "SELECT id, state, attempts FROM outbox WHERE state <> 'sent' ORDER BY id"
expect "release it" 0 "message 1 released" "$DUN" --db "$DB" outbox release 1
expect "show previews a message as it goes out" 0 "To: Acme Ltd <ap@acme.test>
Subject: Payment reminder - Acme Ltd (AC02)
Date: Sat, 21 Feb 2026 00:00:00 +0000" sh -c "'$DUN' --db '$DB' outbox show 1 | tr -d '\\r' | sed -n '2,4p'"
expect_err "show an unknown message" 1 "dun: message 99: no such message" "$DUN" --db "$DB" outbox show 99

# Letters: the formal notice is a letter step. Exported as .eml messages
# like the e-mails, marked for printing, the postal address in the body;
# a customer without an e-mail address gets one too; send leaves them.
sql "UPDATE customer SET email = '', address = '3 rue Basse, 69001 Lyon' WHERE code = 'BAD3'"
DUN_TODAY=2026-04-10 "$DUN" --db "$DB" dunning run >/dev/null
expect "the run queued one letter per customer" 0 "7|AC02|letter|formal-notice|ap@acme.test|queued
8|BAD3|letter|formal-notice||queued
9|EV01|letter|formal-notice|ap@evian.test|queued" \
	sql "SELECT o.id, c.code, o.channel, o.template, o.recipient, o.state FROM outbox o JOIN customer c ON c.id = o.customer_id WHERE o.channel = 'letter' ORDER BY o.id"
expect "export writes every queued message as .eml, letters too" 0 "exported 4 messages to $TEST_DIR/letters" \
	"$DUN" --db "$DB" outbox export "$TEST_DIR/letters"
expect "letter file names" 0 "000001-AC02-reminder-1.eml
000007-AC02-formal-notice.eml
000008-BAD3-formal-notice.eml
000009-EV01-formal-notice.eml" ls "$TEST_DIR/letters"
expect "a letter is a MIME message marked for printing; without an e-mail address, To: names the customer" 0 "file: 000008-BAD3-formal-notice.eml
From: 'Crédit client <ar@example.com>'
To: 'Bad Address Ltd:;'
Subject: 'Formal notice to pay - Bad Address Ltd (BAD3)'
Date: 'Fri, 10 Apr 2026 00:00:00 +0000'
Bcc: None
channel: letter
to group: 'Bad Address Ltd', no address
defects: [] headers: 9
message-id ok: True
body charset: utf-8 cte: quoted-printable
body first line: Example SAS
file: 000009-EV01-formal-notice.eml
From: 'Crédit client <ar@example.com>'
To: '\"Évian \\\\\"Ltd\\\\\" Bcc: x@y\" <ap@evian.test>'
Subject: 'Mise en demeure de payer - Évian \"Ltd\"  Bcc: x@y (EV01)'
Date: 'Fri, 10 Apr 2026 00:00:00 +0000'
Bcc: None
channel: letter
to display name: 'Évian \"Ltd\" Bcc: x@y' address: 'ap@evian.test'
defects: [] headers: 9
message-id ok: True
body charset: utf-8 cte: quoted-printable
body first line: Example SAS" \
	$PY "$top_srcdir/tests/cli/mail_check.py" "$TEST_DIR/letters/000008-BAD3-formal-notice.eml" "$TEST_DIR/letters/000009-EV01-formal-notice.eml"
expect "the letter's body starts with both postal addresses, the date and the subject" 0 "Example SAS

Bad Address Ltd
3 rue Basse, 69001 Lyon

2026-04-10

Formal notice to pay - Bad Address Ltd (BAD3)" \
	sh -c "$PY -c 'import email,email.policy,sys; m=email.message_from_binary_file(open(sys.argv[1],\"rb\"),policy=email.policy.default); print(m.get_body((\"plain\",)).get_content())' '$TEST_DIR/letters/000008-BAD3-formal-notice.eml' | sed -n '1,8p'"
expect "a letter needs no configured sender" 0 "From: dun <letters@dun.invalid>
To: Bad Address Ltd:;
X-Dun-Channel: letter" sh -c "DUN_CONFIG=/dev/null '$DUN' --db '$DB' outbox show 8 | tr -d '\\r' | grep -E '^(From|To|X-Dun-Channel):'"
expect "send sends the e-mail and leaves the letters queued, for printing" 0 "exit 0
sent 1 AC02 ap@acme.test" send "$DB"
expect "the letters were not tried" 0 "7|queued|0
8|queued|0
9|queued|0" sql "SELECT id, state, attempts FROM outbox WHERE state <> 'sent' ORDER BY id"
