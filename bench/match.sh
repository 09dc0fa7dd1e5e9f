#!/bin/sh
# Payment matching, quality and speed (issue 8, SPEC §9).
#
# usage: bench/match.sh LEDGER.db [MONTH_LINES] [SPEED_LINES]
#
# Quality: match-gen.py writes MONTH_LINES (default 2000, about a month
# for 2,000 customers) bank lines paying LEDGER's open invoices in the
# shapes banks send, with the truth aside; on a copy of LEDGER (its own
# unmatched demo payments removed, so only the generated lines compete for
# the invoices) `dun import bank` then `dun match --apply`, scored by
# match-eval.py: precision on what was applied, recall as the applied share.
#
# Speed: SPEED_LINES (default 100000) lines on another copy; `dun match`
# (every proposal, nothing written) and `dun match --apply` (once: it
# writes) against pcre2grep
# running the same reference patterns (the ones dun derives from the
# ledger's invoice-number shapes, recomputed here) over the same texts.
# Run from the build directory (DUN defaults to ./src/dun).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ledger=$1
month=${2:-2000}
speed=${3:-100000}
DUN=${DUN:-./src/dun}
work=$(mktemp -d "${TMPDIR:-/tmp}/dun-match.XXXXXX")
trap 'rm -rf "$work"' EXIT
export DUN_CONFIG=/dev/null DUN_TODAY=${DUN_TODAY:-2026-11-22}
forget_demo_payments="DELETE FROM payment WHERE unapplied = amount
	AND id NOT IN (SELECT payment_id FROM allocation WHERE payment_id IS NOT NULL)
	AND reversal_of IS NULL AND id NOT IN (SELECT reversal_of FROM payment WHERE reversal_of IS NOT NULL)"

echo "== quality: $month lines on $(basename "$ledger")"
python3 "$here/match-gen.py" "$ledger" "$work/month" --lines "$month" --seed 1
sqlite3 "$ledger" ".backup '$work/month.db'"
sqlite3 "$work/month.db" "$forget_demo_payments"
"$DUN" --db "$work/month.db" import bank "$work/month/lines.xml"
"$DUN" --db "$work/month.db" match --apply >"$work/month/match.csv"
python3 "$here/match-eval.py" "$work/month/truth.csv" "$work/month/match.csv"

echo "== speed: $speed lines"
python3 "$here/match-gen.py" "$ledger" "$work/speed" --lines "$speed" --seed 2
sqlite3 "$ledger" ".backup '$work/speed.db'"
sqlite3 "$work/speed.db" "$forget_demo_payments"
/usr/bin/time -f "import bank: %e s, %M KiB" "$DUN" --db "$work/speed.db" import bank "$work/speed/lines.xml"
# The patterns of src/match.c shape_patterns for the ledger's shapes: one
# per digit-group shape holding at least 1% of the open invoice numbers
# and POs, four at most.
python3 - "$work/speed.db" >"$work/patterns" <<'EOF'
import collections, re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
shapes = collections.Counter()
total = 0
for number, po in db.execute("SELECT number, po FROM invoice WHERE open_amount <> 0 AND kind = 'invoice'"):
    total += 1
    for text in (number, po):
        widths = tuple(len(g) for g in re.findall(r'[0-9]+', text))
        if 0 < len(widths) <= 4:
            shapes[widths] += 1
for widths, count in shapes.most_common(4):
    if count * 100 < total:
        break
    parts = ['(?|([0-9]{%d})|0*([0-9]{1,%d})(?=[ \\-/._]))' % (w, w) for w in widths[:-1]]
    parts.append('0*([1-9][0-9]{0,%d})' % (widths[-1] - 1 if widths[-1] > 1 else 0))
    print('(?<![0-9])(?<![0-9][\\-/.])' + ' {0,3}[\\-/._]{0,2} {0,3}'.join(parts) + '(?![0-9]|[\\-/.][0-9])')
EOF
cat "$work/patterns"
grep="pcre2grep -i -o"
while read -r p; do grep="$grep -e '$p'"; done <"$work/patterns"
hyperfine -w 1 -r 5 --export-markdown "$work/speed.md" \
	"$grep $work/speed/texts.txt >/dev/null" \
	"$DUN --db $work/speed.db match --format csv >/dev/null" >/dev/null
cat "$work/speed.md"
/usr/bin/time -f "dun match --apply: %e s, %M KiB" "$DUN" --db "$work/speed.db" match --apply --format csv >"$work/speed/match.csv"
python3 "$here/match-eval.py" "$work/speed/truth.csv" "$work/speed/match.csv" | tail -1
