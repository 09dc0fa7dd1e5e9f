#!/bin/sh
# The customer filter (:filter, f) on a large ledger, driven through tmux:
# for each filter, the time from Enter to the filtered pane with its count,
# then key-to-screen for j (one row) and PgDn (one page) in the filtered
# list, medians over KEYS keys. The ledger is copied first: the workstation
# may write (promise statuses), and the measured file must not change.
# Usage: bench/filter.sh [LARGE.db] [DUN]   (default /tmp/dun-large.db, src/dun)
set -eu
src=${1:-/tmp/dun-large.db}
top=$(cd "$(dirname "$0")/.." && pwd)
DUN=${2:-$top/src/dun}
KEYS=${KEYS:-30}
sock="benchf$$"
work=$(mktemp -d)
export DUN_TODAY=${DUN_TODAY:-2026-11-22} DUN_CONFIG=/dev/null LANG=C.UTF-8 LC_ALL=C.UTF-8 DUN_NO_BACKGROUND=1
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$src" "$work/ledger.db"
. "$top/bench/tmux.sh"

tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 "'$DUN' --db '$work/ledger.db'; sleep 600"
wait_re '\[Call list'
tmux -L "$sock" send-keys 2
wait_re '\[Customers 1/[0-9]+\]'
customers=$(sqlite3 "$work/ledger.db" 'SELECT count(*) FROM customer')
for terms in "profile=deteriorating class=A" "profile=erratic collector=chloe" "müller" "overdue" "class=E overdue segment=export"; do
	tmux -L "$sock" send-keys :
	tmux -L "$sock" send-keys -l "filter $terms"
	t0=$(now)
	tmux -L "$sock" send-keys Enter
	wait_re "\\[Customers $(printf '%s' "$terms" | sed 's/[][^$.*]/\\&/g') 1/[0-9]+\\]"
	apply=$(( $(now) - t0 ))
	count=$(screen | sed -n 's/.*\[Customers .* 1\/\([0-9]*\)\].*/\1/p' | head -1)
	scroll 'Customers .*' $((count - 1 < KEYS ? count - 1 : KEYS)) 10
	printf '%-34s %6s of %s customers: applied in %6.1f ms, j median %5s ms, PgDn median %5s ms\n' \
	    "$terms" "$count" "$customers" "$(echo "$apply" | awk '{print $1 / 1e6}')" \
	    "$([ -s "$work/j" ] && pct "$work/j" 0.5 || echo -)" "$([ -s "$work/pg" ] && pct "$work/pg" 0.5 || echo -)"
done
