#!/bin/sh
# Renders the main views of the workstation on a demo ledger to PNG in
# screenshots/: dun runs in tmux (keys go in with send-keys), an xterm
# under Xvfb shows that tmux session, and ImageMagick's import takes the
# xterm window. Usage: tests/screenshots.sh [path/to/dun]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
DUN=${1:-${DUN:-$top/src/dun}}
out="$top/screenshots"
need() { command -v "$1" >/dev/null 2>&1; }
if ! need Xvfb || ! need xterm || ! need import || ! need xwininfo || ! need tmux; then
	apt-get install -y -q xvfb xterm imagemagick x11-utils tmux fonts-dejavu-core fonts-wqy-zenhei >/dev/null
fi
work=$(mktemp -d)
sock="shots$$"
display=":$((90 + $$ % 9))"
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
export DUN_TODAY=2026-11-22 DUN_CONFIG=/dev/null LANG=C.UTF-8 LC_ALL=C.UTF-8
"$DUN" --db "$work/demo.db" demo --customers 200 --seed 1 >/dev/null
"$DUN" --db "$work/demo.db" score >/dev/null

Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 34 \
	"env DUN_NO_BACKGROUND=1 TERM=tmux-256color '$DUN' --db '$work/demo.db'"
tmux -L "$sock" set -g status off
tmux -L "$sock" set -g default-terminal tmux-256color
DISPLAY=$display xterm -geometry 120x34+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#1d1f21' -fg '#e0e0e0' \
	-title dun-shot -e tmux -L "$sock" attach &
sleep 2

# shot NAME KEYS...: sends keys, waits for the screen to settle, saves it
shot() {
	name=$1; shift
	[ $# -gt 0 ] && tmux -L "$sock" send-keys "$@"
	sleep 1
	id=$(DISPLAY=$display xwininfo -name dun-shot | awk '/Window id:/ {print $4}')
	DISPLAY=$display import -window "$id" "$out/$name.png"
	echo "screenshots/$name.png"
}
shot calllist
shot customers 2 j j j
shot customers-invoices Tab Tab
shot invoice-detail BTab BTab j Tab Tab Enter
shot filter q f 'profile=risky overdue' Enter
shot aging 3
shot disputes 4
shot outbox 5
shot forecast 7
shot call-form 2 c
shot search Escape / 'Morel'
shot help Escape '?'
