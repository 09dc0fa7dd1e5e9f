#!/bin/sh
# '/' searches customer codes, names and invoice numbers with PCRE2 as the
# pattern is typed; n and N step through the matches; a bad pattern is
# named, not fatal. The ':' line runs CLI commands (output in a pager) and
# UI commands, with history and Tab completion. On the call list a search
# walks the list in the order it shows (rank), not by customer code.
. "$top_srcdir/tests/tui/lib.sh"
plan 23
fixture_ledger
tui_start 100 30 --db "$DB"
tui_wait "starts" "Call list"
tui_keys 2 /
tui_type "mor"
tui_wait "the search moves as the pattern is typed (case-insensitive)" "Aging MOREL"
tui_keys Enter
tui_wait "n/N are announced in the status bar" "n/N: next match"
tui_keys g /
tui_type "é"
tui_wait "accents match" "Aging BRUN"
tui_keys Enter n
tui_wait "n goes to the next match" "Aging CAFE"
tui_keys N
tui_wait "N goes back" "Aging BRUN"
tui_keys Escape /
tui_type "INV-50"
tui_wait "an invoice number finds its customer" "Aging KYOTO"
tui_keys Enter /
tui_type "(unclosed"
tui_wait "a bad pattern is named" "missing closing parenthesis"
tui_keys Escape :
tui_type "aging --by total"
tui_keys Enter
tui_wait "a CLI command's output opens in the pager" "55760.50"
tui_keys q :
tui_type "as-of 2026-06-30"
tui_keys Enter
tui_wait ":as-of recomputes every figure at that date" "as of 2026-06-30"
tui_keys : Up Up
tui_wait "Up recalls the history" ":aging --by total"
tui_keys C-u
tui_type "go"
tui_keys Tab
tui_type "DEL"
tui_keys Tab
tui_wait "Tab completes command names and customer codes" ":goto DELTA"
tui_keys Enter
tui_wait ":goto opens the customer" "Aging DELTA"
tui_keys : && tui_type "nosuch" && tui_keys Enter
tui_wait "an unknown command is named" "unknown command: nosuch"
tui_keys 3 : && tui_type "buckets 30,60" && tui_keys Enter
tui_wait ":buckets changes the aging grid's columns" "61+"
tui_keys : && tui_type "basis invoice" && tui_keys Enter
tui_wait ":basis invoice ages by days since issue" "days since issue"
NO_COLOR=1 tui_start 80 24 --db "$DB"
tui_wait "the call list ranks KYOTO first, then DELTA, BRUN, ACME, MOREL, CAFE" "│    1 KYOTO"
tui_keys /
tui_type '^(ACME|CAFE|DELTA)$'
tui_wait "/ finds the match just below in the list, not the next by code" "[Call list — everyone 2/6]"
tui_keys Enter n
tui_wait "n goes on in the list's order" "[Call list — everyone 4/6]"
tui_keys n
tui_wait "and on" "[Call list — everyone 6/6]"
tui_keys n
tui_wait "past the end n wraps to the top" "[Call list — everyone 2/6]"
tui_keys N
tui_wait "N goes back past the top to the end" "[Call list — everyone 6/6]"
tui_keys Escape /
tui_type "zeta"
tui_wait "a customer the list does not show still opens" "Aging ZETA"
