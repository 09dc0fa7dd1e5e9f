#!/usr/bin/python3
"""Writes the cells of a bench/xlsx_cells.py dump with openpyxl (write-only
mode, its fastest) into OUTDIR and prints the seconds spent writing (the
dump is read first, untimed).
usage: xlsx_openpyxl.py DUMP OUTDIR
"""
import os
import sys
import time

import openpyxl
from openpyxl.cell import WriteOnlyCell


def unclean(s):
    return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def load(path):
    books = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "W":
                books.append((unclean(p[1]), p[2] == "1", []))
            elif p[0] == "S":
                books[-1][2].append((unclean(p[1]), {}))
            else:
                r, c = int(p[1]), int(p[2])
                books[-1][2][-1][1].setdefault(r, []).append((c, p[3], p[4], p[5:]))
    return books


def main():
    books = load(sys.argv[1])
    outdir = sys.argv[2]
    start = time.perf_counter()
    for name, _constant, sheets in books:
        wb = openpyxl.Workbook(write_only=True)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for r in range(max(rows) + 1 if rows else 0):
                cells = rows.get(r, [])
                line = [None] * (max(c for c, *_ in cells) + 1 if cells else 0)
                for c, kind, fmt, v in cells:
                    if kind == "s":
                        value = unclean(v[0])
                    elif kind == "f":
                        value = unclean(v[0])
                    else:
                        value = float(v[0])
                    cell = WriteOnlyCell(ws, value=value)
                    if kind == "d":
                        cell.value = openpyxl.utils.datetime.from_excel(value)
                    if fmt != "General":
                        cell.number_format = fmt
                    line[c] = cell
                ws.append(line)
        wb.save(os.path.join(outdir, name))
    print("%.3f" % (time.perf_counter() - start))


main()
