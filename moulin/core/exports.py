"""CSV and XLSX exports of exactly the rows a user sees on a list page.

Every CSV and XLSX the product writes goes through ``export_rows``, and every cell through ``safe_cell``: a text
that a spreadsheet would read as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is written with a leading apostrophe, so that it shows as the text it is and never runs."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a cell that cannot become a formula (numbers and dates are left as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def export_rows(columns, rows, *, filename: str, fmt: str) -> HttpResponse:
    columns = [c for c in columns if c.export]
    headers = [str(c.label) for c in columns]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=filename[:31])
        bold = Font(bold=True)
        from openpyxl.cell import WriteOnlyCell

        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=safe_cell(header))
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([_text_cell(ws, safe_cell(c.export_value(row))) for c in columns])
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell(c.export_value(row)) for c in columns])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response


def _text_cell(ws, value):
    """A text cell is written as a string, whatever it looks like (openpyxl would make ``=...`` a formula)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell
