#!/usr/bin/python3
"""Dumps the cells of .xlsx files as tab-separated lines, so that the
reference writers of bench/xlsx.sh (openpyxl, bare libxlsxwriter) write
exactly the cells dun wrote. Not timed. Lines:
  W <output name> <constant_memory 0|1>   a workbook
  S <sheet name>                          a sheet
  C <row> <col> <type> <num_format> <value>[ <cached>]
types: s string, n number, d date (Excel serial), f formula (+ cached).
usage: xlsx_cells.py [--constant] FILE.xlsx... > DUMP
"""
import datetime
import os
import sys

import openpyxl

EPOCH = datetime.datetime(1899, 12, 30)


def clean(s):
    return str(s).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def main():
    args = sys.argv[1:]
    constant = args[0] == "--constant"
    if constant:
        args = args[1:]
    out = sys.stdout
    for path in args:
        out.write("W\t%s\t%d\n" % (clean(os.path.basename(path)), constant))
        # read_only streams big files; cached values come from a second pass.
        wb = openpyxl.load_workbook(path, read_only=True)
        cached = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            out.write("S\t%s\n" % clean(ws.title))
            for row, crow in zip(ws.iter_rows(), cached[ws.title].iter_rows()):
                for c, cc in zip(row, crow):
                    if c.value is None or not hasattr(c, "column"):
                        continue
                    r, k, fmt = c.row - 1, c.column - 1, c.number_format or "General"
                    v = c.value
                    if c.data_type == "f":
                        out.write("C\t%d\t%d\tf\t%s\t%s\t%r\n" % (r, k, fmt, clean(v), cc.value or 0))
                    elif isinstance(v, datetime.datetime):
                        out.write("C\t%d\t%d\td\t%s\t%d\n" % (r, k, fmt, (v - EPOCH).days))
                    elif isinstance(v, (int, float)):
                        out.write("C\t%d\t%d\tn\t%s\t%r\n" % (r, k, fmt, v))
                    else:
                        out.write("C\t%d\t%d\ts\t%s\t%s\n" % (r, k, fmt, clean(v)))


main()
