#!/bin/sh
# TUI latency and memory, driven through tmux as a user would:
#   start-to-first-frame  from launching `dun` to its first frame (the call
#                         list's frame; its rows follow when the worker has
#                         ranked the ledger, reported apart)
#   key-to-screen         from sending a key to the screen showing its effect
#                         (j: the selection moves one row; PgDn: one page),
#                         scrolling the 50,000-customer list vs a small one
#   peak RSS              VmHWM of the dun process after the session
# Keys are measured once the start-up rescoring in the background is done,
# or, with PHASE=rescore, at once while it runs (the line then ends with
# "during rescore: yes" when the rescoring was still running after the
# last key).
# Usage: bench/tui.sh SMALL.db LARGE.db [DUN]   (defaults: /tmp/dun-2k.db,
# /tmp/dun-large.db, src/dun). Background scoring runs as in real use
# unless DUN_NO_BACKGROUND=1 is set.
set -eu
small=${1:-/tmp/dun-2k.db} large=${2:-/tmp/dun-large.db}
top=$(cd "$(dirname "$0")/.." && pwd)
DUN=${3:-$top/src/dun}
KEYS=${KEYS:-100}
sock="bench$$"
export DUN_TODAY=${DUN_TODAY:-2026-11-22} DUN_CONFIG=/dev/null LANG=C.UTF-8 LC_ALL=C.UTF-8
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
. "$top/bench/tmux.sh"
ms() { echo "$1" | awk '{printf "%.1f", $1 / 1e6}'; }

run() {	# run DB: prints "first_frame_ms j_mean_ms j_p95_ms pgdn_mean_ms rss_kib calllist_ready_ms"
	db=$1
	tmux -L "$sock" kill-server 2>/dev/null || true
	sleep 0.2
	t0=$(now)
	tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 "env DUN_NO_BACKGROUND=${DUN_NO_BACKGROUND:-} '$DUN' --db '$db'; sleep 600"
	wait_re '\[Call list'
	first=$(( $(now) - t0 ))
	ready=0
	n=3000 quiet=30
	if [ "${PHASE:-idle}" != rescore ]; then
		wait_re '\[Call list .* 1/[0-9]+\]'
		ready=$(( $(now) - t0 ))
		# measure keys in steady state: once the start-up rescoring has
		# shown no progress for 3 s (at most 5 minutes)
		n=0 quiet=0
	fi
	while [ $quiet -lt 30 ] && [ $n -lt 3000 ]; do
		if screen | tail -1 | grep -q '… [0-9]*%'; then quiet=0; else quiet=$((quiet + 1)); fi
		sleep 0.1; n=$((n + 1))
	done
	tmux -L "$sock" send-keys 2
	wait_re '\[Customers 1/[0-9]+\]'
	scroll Customers "$KEYS" 20
	during=no
	screen | tail -1 | grep -q '… [0-9]*%' && during=yes
	shell=$(tmux -L "$sock" display -p '#{pane_pid}')
	pid=$(pgrep -P "$shell" -x dun || pgrep -P "$shell" | head -1)
	rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	echo "$(ms $first) $(pct "$work/j" 0.5) $(pct "$work/j" 0.95) $(pct "$work/pg" 0.5) $rss $(ms $ready) $during"
}

work=$(mktemp -d)
for db in "$small" "$large"; do
	customers=$(sqlite3 "$db" 'SELECT count(*) FROM customer')
	invoices=$(sqlite3 "$db" 'SELECT count(*) FROM invoice')
	set -- $(run "$db")
	printf '%-16s %6s customers %8s invoices: first frame %6s ms (call list ranked %7s ms), j median %5s ms (p95 %5s), PgDn median %5s ms, peak RSS %6s KiB, during rescore: %s\n' \
	    "$(basename "$db")" "$customers" "$invoices" "$1" "$6" "$2" "$3" "$4" "$5" "$7"
	echo "$1 $2 $3 $4 $5" >>"$work/rows"
done
awk 'NR == 1 {f = $1; j = $2; p = $4} NR == 2 {printf "ratio large/small: first frame %.2f, j %.2f, PgDn %.2f; peak RSS large %.1f MiB\n", $1 / f, $2 / j, $4 / p, $5 / 1024}' "$work/rows"
rm -rf "$work"
