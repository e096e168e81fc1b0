"""Uploaded documents are checked by their content, not only by their name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from moulin.core.validators import validate_document
from moulin.organisations.models import BoardMeeting


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content",
    [("minutes.pdf", b"%PDF-1.7\n1 0 obj"), ("minutes.docx", _docx()), ("minutes.txt", "Procès-verbal".encode()),
     ("minutes.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504)],
)  # fmt: skip
def test_real_documents_pass(name, content):
    validate_document(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    "name,content",
    [("minutes.pdf", b"<html><script>alert(1)</script></html>"), ("minutes.txt", b"<!DOCTYPE html><p>x"),
     ("minutes.docx", b"%PDF-1.4 a pdf called docx"), ("minutes.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
     ("minutes.html", b"<html></html>"), ("minutes.svg", b"<svg onload=alert(1)>")],
)  # fmt: skip
def test_a_file_that_is_not_what_its_name_says_is_refused(name, content):
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile(name, content))


def test_an_html_page_renamed_pdf_is_refused_next_to_the_field(client_as, home_org):
    upload = SimpleUploadedFile(
        "minutes.pdf", b"<html><body>not minutes</body></html>", content_type="application/pdf"
    )
    count = BoardMeeting.objects.count()
    response = client_as("manager").post(
        reverse("organisations:meeting_create", args=[home_org.slug]), {"date": "2026-10-04", "minutes": upload}
    )
    assert response.status_code == 422
    assert "not the PDF document its name says" in " ".join(response.context["form"].errors["minutes"])
    assert BoardMeeting.objects.count() == count
