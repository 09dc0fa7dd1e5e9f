#!/usr/bin/python3
"""Scores `dun match --apply` output against match-gen.py's truth.

usage: match-eval.py truth.csv match.csv

A line applied is right when the invoices it was allocated to are exactly
the ones it pays (a partial payment to its invoice counts as right);
precision = right / applied; recall = applied / lines (the auto-applied
share, junk lines included: they can only lower it). Prints a table by
shape and the totals."""
import csv
import sys

truth = {r['reference']: r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'))}
rows = {r['payment']: r for r in csv.DictReader(open(sys.argv[2], encoding='utf-8')) if r['payment'] in truth}
stats = {}
for ref, t in truth.items():
    s = stats.setdefault(t['shape'], [0, 0, 0])
    s[0] += 1
    r = rows.get(ref)
    if r is None or r['applied'] != 'yes':
        continue
    s[1] += 1
    want = set(x for x in t['invoices'].split(';') if x)
    got = set(x for x in r['invoices'].split(';') if x)
    s[2] += want == got
print('%-11s %6s %8s %6s' % ('shape', 'lines', 'applied', 'right'))
total = [0, 0, 0]
for shape in sorted(stats):
    s = stats[shape]
    print('%-11s %6d %8d %6d' % (shape, s[0], s[1], s[2]))
    total = [a + b for a, b in zip(total, s)]
print('%-11s %6d %8d %6d' % ('total', total[0], total[1], total[2]))
print('precision %.2f%% (right / applied), recall %.2f%% (applied / lines)'
      % (100.0 * total[2] / max(total[1], 1), 100.0 * total[1] / max(total[0], 1)))
