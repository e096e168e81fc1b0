"""The one way Moulin makes a PDF: a template rendered to HTML, printed by WeasyPrint, sent as a file."""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(request, template: str, context: dict, filename: str, *, inline: bool = False) -> HttpResponse:
    """Render ``template`` with ``context`` and answer with the PDF: downloaded as ``filename``, or shown in
    the browser when ``inline`` (a certificate, a planning to print)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per step otherwise
    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
