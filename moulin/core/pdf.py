"""The one way Moulin makes a PDF: a template rendered to HTML, printed by WeasyPrint, sent as a file."""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_bytes(template: str, context: dict, *, request=None, base_url: str | None = None) -> bytes:
    """The PDF of ``template`` rendered with ``context`` (outside a request too: a report made in the background
    passes no ``request``; its template then links no static file by URL)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per step otherwise
    html = render_to_string(template, context, request=request)
    if base_url is None and request is not None:
        base_url = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base_url).write_pdf()


def render_pdf(request, template: str, context: dict, filename: str, *, inline: bool = False) -> HttpResponse:
    """Render ``template`` with ``context`` and answer with the PDF: downloaded as ``filename``, or shown in
    the browser when ``inline`` (a certificate, a planning to print)."""
    pdf = pdf_bytes(template, context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
