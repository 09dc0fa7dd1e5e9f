"""Prints every formula cell of the workbooks given (FILE!SHEET!CELL: formula)
and every string cell whose text came from the hostile corpus, so the test
can check that imported text is never a formula (SPEC §13)."""
import sys
import openpyxl

HOSTILE = ('HYPERLINK', 'cmd', '-2+3', '@SUM', '=1+1', '=1+2', 'DROP TABLE', 'DELETE FROM')
for path in sys.argv[1:]:
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                where = '%s!%s!%s' % (path.rsplit('/', 1)[-1], sheet.title, cell.coordinate)
                if cell.data_type == 'f':
                    print('formula %s: %s' % (where, cell.value))
                elif isinstance(cell.value, str) and any(h in cell.value for h in HOSTILE):
                    print('text %s: %s' % (where, cell.value))
