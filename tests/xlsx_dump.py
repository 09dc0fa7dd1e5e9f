#!/usr/bin/python3
"""Prints an .xlsx file as text for the CLI tests to compare: per sheet its
view and print settings and column widths, then every non-empty cell as
`REF TYPE VALUE [FORMAT]`; a formula also shows the value cached in the
file (what a reader that does not recalculate shows). Types: s string,
n number, d date, f formula, l hyperlink. Read with Debian's openpyxl.

usage: xlsx_dump.py FILE [SHEET...]   (default: every sheet)
"""
import sys

import openpyxl


def number(v):
    return repr(int(v)) if float(v).is_integer() else repr(v)


def main():
    path, only = sys.argv[1], sys.argv[2:]
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    p = wb.properties
    print("properties title=%r author=%r created=%s" % (p.title, p.creator, p.created.date()))
    for ws in wb.worksheets:
        if only and ws.title not in only:
            continue
        ps = ws.page_setup
        fit = ws.sheet_properties.pageSetUpPr
        print("sheet %r freeze=%s filter=%s paper=%s orientation=%s fit=%s repeat=%s" % (
            ws.title, ws.freeze_panes, ws.auto_filter.ref, ps.paperSize, ps.orientation,
            "%sx%s" % (ps.fitToWidth or 1, ps.fitToHeight) if fit is not None and fit.fitToPage else "no",
            ws.print_title_rows))
        print("widths " + " ".join("%s=%g" % (k, round(d.width)) for k, d in sorted(ws.column_dimensions.items())
                                   if d.width))
        for rule in ws.conditional_formatting:
            for r in rule.rules:
                print("conditional %s %s %s %s" % (rule.sqref, r.type, r.operator, r.formula))
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if c.hyperlink is not None:
                    print("%s l %s -> %s" % (c.coordinate, c.value, c.hyperlink.target))
                elif c.data_type == "f":
                    v = cached[ws.title][c.coordinate].value
                    print("%s f %s = %s %s" % (c.coordinate, c.value, number(v), c.number_format))
                elif c.is_date:
                    print("%s d %s %s" % (c.coordinate, c.value.date(), c.number_format))
                elif c.data_type == "n":
                    print("%s n %s %s" % (c.coordinate, number(c.value), c.number_format))
                else:
                    print("%s %s %s" % (c.coordinate, c.data_type, c.value))


main()
