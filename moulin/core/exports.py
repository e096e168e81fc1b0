"""CSV and XLSX exports of exactly the rows a user sees on a list page."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font


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
            cell = WriteOnlyCell(ws, value=header)
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([c.export_value(row) for c in columns])
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
    writer.writerow(headers)
    for row in rows:
        writer.writerow([c.export_value(row) for c in columns])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
