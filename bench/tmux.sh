# Sourced by the TUI benchmarks: drive a dun session in tmux (socket
# $sock) and time keys by polling its screen; files go to $work.
now() { date +%s%N; }
screen() { tmux -L "$sock" capture-pane -p; }
# wait_re REGEX: polls the screen until it matches (30 s at most)
wait_re() {
	n=0
	until screen | grep -qE -- "$1"; do
		n=$((n + 1)); [ $n -lt 30000 ] || { echo "timeout waiting for $1" >&2; exit 1; }
	done
}
# position TITLE: the selected row's number in the pane titled "[TITLE N/M]"
position() { screen | sed -n "s/.*\\[$1 \\([0-9]*\\)\\/[0-9]*\\].*/\\1/p" | head -1; }
# pct FILE P: the P-th fraction (0.5: the median) of FILE's nanoseconds, in ms
pct() { sort -n "$1" | awk -v p="$2" '{a[NR] = $1} END {i = int(NR * p + 0.5); if (i < 1) i = 1; printf "%.1f", a[i] / 1e6}'; }
# scroll TITLE KEYS PAGES: j KEYS times, each until the pane titled TITLE
# (a regex) shows the next row, then PgDn up to PAGES times, each until
# the position changes (stopping at the end of the list); each key's
# nanoseconds go to $work/j and $work/pg.
scroll() {
	: >"$work/j"
	i=1
	while [ $i -le "$2" ]; do
		t0=$(now)
		tmux -L "$sock" send-keys j
		wait_re "\\[$1 $((i + 1))/"
		echo $(( $(now) - t0 )) >>"$work/j"
		i=$((i + 1))
	done
	: >"$work/pg"
	i=0
	while [ $i -lt "$3" ]; do
		before=$(position "$1")
		t0=$(now)
		tmux -L "$sock" send-keys NPage
		n=0
		until [ "$(position "$1")" != "$before" ] || [ $n -gt 2000 ]; do n=$((n + 1)); done
		[ $n -gt 2000 ] && break
		echo $(( $(now) - t0 )) >>"$work/pg"
		i=$((i + 1))
	done
}
