#!/bin/sh
# Keys while a ':' command runs: on the customers view, `:CMD` is typed,
# then (once the status bar says it runs) KEYS `j` presses are timed from
# send-keys to the screen showing the next row, as bench/tui.sh times them;
# then the time from Enter to the command's pager, and, on a second run,
# from Esc to its "cancelled" message.
# Usage: bench/tui-command.sh [LARGE.db] [DUN]   (defaults: /tmp/dun-large.db,
# src/dun; CMD defaults to "invoices --open"). Nothing is written: the
# background scoring is off and the command is a report.
set -eu
db=${1:-/tmp/dun-large.db}
top=$(cd "$(dirname "$0")/.." && pwd)
DUN=${2:-$top/src/dun}
KEYS=${KEYS:-20}
CMD=${CMD:-invoices --open}
sock="bench$$"
export DUN_TODAY=${DUN_TODAY:-2026-11-22} DUN_CONFIG=/dev/null LANG=C.UTF-8 LC_ALL=C.UTF-8
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
. "$top/bench/tmux.sh"
work=$(mktemp -d)
ms() { echo "$1" | awk '{printf "%.1f", $1 / 1e6}'; }

start() {	# the customers view, the command typed and running
	tmux -L "$sock" kill-server 2>/dev/null || true
	sleep 0.2
	tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 "env DUN_NO_BACKGROUND=1 '$DUN' --db '$db'; sleep 600"
	wait_re '\[Call list'
	tmux -L "$sock" send-keys 2
	wait_re '\[Customers 1/[0-9]+\]'
	tmux -L "$sock" send-keys :
	tmux -L "$sock" send-keys -l "$CMD"
	t0=$(now)
	tmux -L "$sock" send-keys Enter
	wait_re "running :$CMD"
}

start
scroll Customers "$KEYS" 0
still=no
screen | tail -1 | grep -qF "running :$CMD" && still=yes
wait_re "\\[$CMD — 1/"
total=$(( $(now) - t0 ))
echo "j while :$CMD runs: median $(pct "$work/j" 0.5) ms, p95 $(pct "$work/j" 0.95) ms, max $(pct "$work/j" 1) ms ($KEYS keys; still running after the last: $still)"
echo "Enter to the pager: $(ms $total) ms"

start
t0=$(now)
tmux -L "$sock" send-keys Escape
wait_re "$CMD: cancelled"
echo "Esc to cancelled: $(ms $(( $(now) - t0 ))) ms"
rm -rf "$work"
