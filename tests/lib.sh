# Shared helpers for the TAP shell tests (tests/*/*.t). A test sources this,
# calls `plan N`, then checks; each check prints one TAP line.
# Environment from `make check`: DUN (the binary), top_srcdir.
set -u
: "${DUN:=$(pwd)/src/dun}"
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
# Absolute, so tests may change directory (make distcheck passes "../..").
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
export DUN_TODAY="${DUN_TODAY:-2026-11-22}"
export LC_ALL=C.UTF-8
# Never read the developer's own configuration or ledger.
export DUN_CONFIG=/dev/null
unset DUN_DB XDG_DATA_HOME
TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dun-test.XXXXXX")
trap 'rm -rf "$TEST_DIR"' EXIT
export HOME="$TEST_DIR/home"
mkdir -p "$HOME"
DB="$TEST_DIR/ledger.db"
_tap_n=0
_tap_failed=0

plan() { echo "1..$1"; }

ok() {	# ok NAME -- true when the previous command's status was 0
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
}

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
	name=$1; shift
	if "$@" >"$TEST_DIR/out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/# /' "$TEST_DIR/out"; fi
}

# expect NAME STATUS EXPECTED_STDOUT_TEXT COMMAND...: compares the exit
# status and the exact standard output (standard error is kept apart).
expect() {
	name=$1 want_status=$2 want=$3; shift 3
	"$@" >"$TEST_DIR/got" 2>"$TEST_DIR/err"
	got_status=$?
	printf '%s' "$want" >"$TEST_DIR/want"
	[ -n "$want" ] && printf '\n' >>"$TEST_DIR/want"
	if [ "$got_status" = "$want_status" ] && cmp -s "$TEST_DIR/want" "$TEST_DIR/got"; then
		ok "$name"
	else
		not_ok "$name"
		echo "# exit status $got_status (wanted $want_status)"
		diff -u "$TEST_DIR/want" "$TEST_DIR/got" | sed 's/^/# /'
		sed 's/^/# stderr: /' "$TEST_DIR/err"
	fi
}

# expect_err NAME STATUS EXPECTED_STDERR_TEXT COMMAND...: the same on stderr.
expect_err() {
	name=$1 want_status=$2 want=$3; shift 3
	"$@" >"$TEST_DIR/got" 2>"$TEST_DIR/err"
	got_status=$?
	printf '%s\n' "$want" >"$TEST_DIR/want"
	if [ "$got_status" = "$want_status" ] && cmp -s "$TEST_DIR/want" "$TEST_DIR/err"; then
		ok "$name"
	else
		not_ok "$name"
		echo "# exit status $got_status (wanted $want_status)"
		diff -u "$TEST_DIR/want" "$TEST_DIR/err" | sed 's/^/# /'
	fi
}

# sql QUERY: runs a query on the test ledger with the sqlite3 shell.
sql() { sqlite3 -batch -noheader "$DB" "$1"; }

done_testing() { exit 0; }
