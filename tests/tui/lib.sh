# Helpers for the TUI tests (tests/tui/*.t): the real binary runs in a
# private tmux server at a fixed size; keys go in with send-keys and the
# screen comes back with capture-pane, compared with golden screens in
# tests/tui/expected/ (DUN_TUI_UPDATE=1 rewrites them). Nothing sleeps for
# a fixed time: every check polls the screen until it matches or a
# timeout passes.
. "$top_srcdir/tests/lib.sh"
if ! command -v tmux >/dev/null; then echo "1..0 # SKIP tmux is not installed"; exit 0; fi
TUI_SOCK="test$$"
tui_starts=0
TUI_EXPECTED="$top_srcdir/tests/tui/expected"
TUI_TIMEOUT=${TUI_TIMEOUT:-5}
export DUN_NO_BACKGROUND=1
tui() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }
trap 'tui kill-server 2>/dev/null; rm -rf "$TEST_DIR"' EXIT

# tui_start WIDTH HEIGHT [ARGS...]: starts `dun ARGS` (the workstation) at
# that size in $TEST_DIR; when dun ends the pane shows "[exit STATUS]".
tui_start() {
	w=$1 h=$2; shift 2
	tui kill-server 2>/dev/null
	# a fresh server each time: a killed one may still hold its socket
	tui_starts=$((tui_starts + 1))
	TUI_SOCK="test$$.$tui_starts"
	cmd="env LANG=C.UTF-8 LC_ALL=C.UTF-8 DUN_TODAY=$DUN_TODAY DUN_CONFIG=/dev/null HOME=$HOME DUN_NO_BACKGROUND=$DUN_NO_BACKGROUND"
	for a in "$DUN" "$@"; do cmd="$cmd '$a'"; done
	tui new-session -d -x "$w" -y "$h" -c "$TEST_DIR" "$cmd 2>'$TEST_DIR/tui.err'; echo \"[exit \$?]\"; sleep 600"
}

tui_screen() { tui capture-pane -p; }
tui_keys() { tui send-keys "$@"; }
tui_type() { tui send-keys -l "$1"; }

# tui_poll NAME F|E PATTERN: passes when grep -F (text) or -E (regex)
# finds PATTERN on the screen in time.
tui_poll() {
	name=$1 flag=$2 pattern=$3 n=0
	while [ $n -lt $((TUI_TIMEOUT * 50)) ]; do
		if tui_screen | grep -q"$flag" -- "$pattern"; then ok "$name"; return 0; fi
		sleep 0.02; n=$((n + 1))
	done
	not_ok "$name"
	echo "# waited for: $pattern"
	tui_screen | sed 's/^/# | /'
	sed 's/^/# stderr: /' "$TEST_DIR/tui.err" 2>/dev/null
	return 1
}
# tui_wait NAME TEXT, tui_wait_re NAME REGEX
tui_wait() { tui_poll "$1" F "$2"; }
tui_wait_re() { tui_poll "$1" E "$2"; }

# tui_expect NAME FILE: passes when the screen equals expected/FILE.
tui_expect() {
	name=$1 file="$TUI_EXPECTED/$2" n=0
	if [ "${DUN_TUI_UPDATE:-}" = 1 ]; then
		sleep 0.5; tui_screen >"$file"; ok "$name # updated $2"; return 0
	fi
	while [ $n -lt $((TUI_TIMEOUT * 50)) ]; do
		tui_screen >"$TEST_DIR/screen"
		if cmp -s "$file" "$TEST_DIR/screen"; then ok "$name"; return 0; fi
		sleep 0.02; n=$((n + 1))
	done
	not_ok "$name"
	diff -u "$file" "$TEST_DIR/screen" | sed 's/^/# /'
	sed 's/^/# stderr: /' "$TEST_DIR/tui.err" 2>/dev/null
	return 1
}

# tui_resize W H: a terminal resize, as a user dragging the window.
tui_resize() { tui resize-window -x "$1" -y "$2"; }

# demo_ledger N: the demo ledger of N customers, seed 1, in $DB.
demo_ledger() { "$DUN" --db "$DB" demo --customers "$1" --seed 1 >/dev/null; }

# fixture_ledger: the small ledger of tests/tui/data (accented and CJK
# names, a name with an escape sequence and a tab, overdue and current
# invoices, partial and unapplied payments) in $DB.
fixture_ledger() {
	"$DUN" --db "$DB" init >/dev/null || return 1
	for kind in customers invoices payments; do
		"$DUN" --db "$DB" import "$kind" "$top_srcdir/tests/tui/data/$kind.csv" >/dev/null || return 1
	done
	printf 'code,name,collector\nEVIL,"Evil\033[31mRed\tTab",bob\n' >"$TEST_DIR/evil.csv"
	"$DUN" --db "$DB" import customers "$TEST_DIR/evil.csv" >/dev/null
}
