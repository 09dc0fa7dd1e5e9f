#!/bin/sh
# f (or :filter TERMS) narrows the customers pane: by payer profile, risk
# class, collector, segment, something overdue and a PCRE2 pattern on code
# or name; the title shows the terms and the count, the other panes follow
# the filtered selection, a bad term is named and changes nothing, and
# :filter alone clears it. Where the pane is wide the risk column names
# the payer profile too.
. "$top_srcdir/tests/tui/lib.sh"
plan 22
fixture_ledger
# scores written here, so that the screens do not depend on the model
sqlite3 "$DB" "INSERT INTO risk (customer_id, score, class, profile, computed_at)
	SELECT id, 50, CASE code WHEN 'BRUN' THEN 'E' WHEN 'CAFE' THEN 'A' WHEN 'DELTA' THEN 'C' WHEN 'KYOTO' THEN 'E'
	WHEN 'MOREL' THEN 'B' ELSE 'D' END,
	CASE code WHEN 'CAFE' THEN 'prompt' WHEN 'DELTA' THEN 'erratic' WHEN 'KYOTO' THEN 'deteriorating'
	WHEN 'MOREL' THEN 'slow' ELSE 'risky' END, '2026-11-22' FROM customer WHERE code <> 'EVIL';"
tui_start 120 30 --db "$DB"
tui_wait "starts" "Call list"
tui_keys 2
tui_expect "a wide customers pane shows the class and the payer profile" filter-wide.txt
tui_keys f
tui_wait "f opens the command line on :filter" ":filter"
tui_type "profile=risky overdue"
tui_keys Enter
tui_expect "profile=risky overdue keeps the risky customers with something overdue" filter-profile.txt
tui_keys : && tui_type "filter class=C" && tui_keys Enter
tui_wait "class=C keeps one" "[Customers class=C 1/1]"
tui_wait "and the other panes show it" "Aging DELTA"
tui_keys : && tui_type "filter ^(c|k)" && tui_keys Enter
tui_wait "a bare word is a pattern on codes and names" "[Customers ^(c|k) 1/2]"
tui_keys j
tui_wait "the other panes follow the filtered selection" "Aging KYOTO"
tui_keys : && tui_type 'filter "é C"' && tui_keys Enter
tui_wait "a quoted pattern keeps its blank" '[Customers "é C" 1/1]'
tui_keys : && tui_type 'filter ^K\w' && tui_keys Enter
tui_wait "and a pattern its backslashes" '[Customers ^K\w 1/1]'
tui_keys : && tui_type "filter crème" && tui_keys Enter
tui_wait "the pattern matches names, case and accents aside" "│CAFE     Café Crème & Co"
tui_keys : && tui_type "filter segment=retail collector=alice" && tui_keys Enter
tui_wait "segment and collector" "[Customers segment=retail collector=alice 1/1]"
tui_keys : && tui_type "filter foo=bar" && tui_keys Enter
tui_wait "an unknown term is named" 'filter: unknown term "foo=bar"'
tui_wait "and the filter stays" "[Customers segment=retail collector=alice 1/1]"
tui_keys : && tui_type "goto ZETA" && tui_keys Enter
tui_wait "a customer outside the filter is not shown, and that is said" "ZETA does not pass the filter segment=retail"
tui_keys Escape / && tui_type "INV-7001"
tui_wait "so is one a search finds by its invoice, as it is typed" "ZETA does not pass the filter segment=retail"
tui_keys Enter
tui_wait "and the panes stay on the filtered customer" "[Customers segment=retail collector=alice 1/1]"
tui_keys : && tui_type "filter collector=nobody" && tui_keys Enter
tui_wait "no customer passing says so" "no customer passes; :filter clears it"
tui_keys : && tui_type "filter" && tui_keys Enter
tui_wait ":filter alone clears it" "[Customers 1/8]"
tui_keys 1 : && tui_type "filter overdue class=E" && tui_keys Enter
tui_wait ":filter from another view opens the customers" "[Customers overdue class=E 1/2]"
tui_start 80 24 --db "$DB"
tui_wait "starts at 80x24" "Call list"
tui_keys : && tui_type "filter overdue profile=risky ^[a-k]" && tui_keys Enter
tui_expect "at 80x24 the risk column shows the class alone" filter-80.txt
