"""PDF documents of a participant (exit summary, access export), rendered by WeasyPrint from templates."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(request, template: str, context: dict, *, filename: str) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
