"""The annual activity report as a PDF (through ``moulin.core.pdf``), with its charts drawn as SVG."""

from django.utils import timezone

from moulin.core.pdf import pdf_bytes


def report_pdf(title: str, query, tables, sections) -> bytes:
    context = {"title": title, "query": query, "tables": tables, "sections": sections, "made_on": timezone.localdate()}
    return pdf_bytes("reporting/annual_report_pdf.html", context, base_url="/")
