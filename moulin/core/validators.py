"""Validators for identifiers our users type: IBAN, VAT and legal numbers, phone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IBAN_LENGTHS = {
    "LU": 20, "BE": 16, "DE": 22, "FR": 27, "NL": 18, "AT": 20, "CH": 21, "IT": 27, "ES": 24, "PT": 25, "GB": 22,
    "IE": 22, "DK": 18, "SE": 24, "FI": 18, "PL": 28, "CZ": 24, "SK": 24, "HU": 28, "SI": 19, "HR": 21, "RO": 24,
    "BG": 22, "GR": 27, "CY": 28, "MT": 31, "LV": 21, "LT": 20, "EE": 20, "NO": 15, "IS": 26, "LI": 21, "MC": 27,
}  # fmt: skip


def normalise_iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_iban(value: str) -> None:
    iban = normalise_iban(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", iban):
        raise ValidationError(_("Enter an IBAN such as LU28 0019 4006 4475 0000."), code="iban_format")
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected and len(iban) != expected:
        raise ValidationError(
            _("An IBAN from %(country)s has %(length)s characters; this one has %(actual)s."),
            code="iban_length",
            params={"country": iban[:2], "length": expected, "actual": len(iban)},
        )
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise ValidationError(_("This IBAN's check digits are wrong: check for a typing error."), code="iban_check")


def validate_lu_vat(value: str) -> None:
    """Luxembourg VAT number: LU + 8 digits, the last two being the first six modulo 89."""
    vat = re.sub(r"[\s.-]", "", value or "").upper()
    if not re.fullmatch(r"LU\d{8}", vat):
        raise ValidationError(_("Enter a Luxembourg VAT number: LU followed by 8 digits."), code="vat_format")
    if int(vat[2:8]) % 89 != int(vat[8:10]):
        raise ValidationError(
            _("This VAT number's check digits are wrong: check for a typing error."), code="vat_check"
        )


def validate_legal_number(value: str) -> None:
    """Luxembourg Trade and Companies Register number: a letter and up to 7 digits (F for an asbl)."""
    if not re.fullmatch(r"[A-K]\d{1,7}", (value or "").strip().upper()):
        raise ValidationError(
            _("Enter the register number as a letter and digits, e.g. F1234 for a non-profit association."),
            code="legal_number_format",
        )


def validate_phone(value: str) -> None:
    cleaned = re.sub(r"[\s./()-]", "", value or "")
    if not re.fullmatch(r"\+?\d{6,15}", cleaned):
        raise ValidationError(
            _("Enter a phone number with 6 to 15 digits, e.g. +352 26 12 34 56."), code="phone_format"
        )


# --- uploaded documents: checked by content, not by name ------------------------------------------------------

DOCUMENT_TYPES = {
    ".pdf": {"application/pdf"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".odt": {"application/vnd.oasis.opendocument.text"},
    ".doc": {"application/msword", "application/x-ole-storage"},
    ".txt": {"text/plain"},
}
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
MARKUP_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")


def sniff_document(head: bytes) -> str:
    """The document type the first bytes of a file show (``filetype``'s signatures, plus Word 97's container
    and plain text), or ``""`` when it is none of them (an HTML page, a program, an image...)."""
    import filetype

    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if head.startswith(OLE2_SIGNATURE):
        return "application/x-ole-storage"
    if b"\x00" in head:
        return ""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(MARKUP_STARTS) or b"<script" in stripped[:2048]:
        return ""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a character cut at the end of the sample is fine
            return ""
    return "text/plain"


def validate_document(upload, allowed=tuple(DOCUMENT_TYPES)) -> None:
    """Refuse an upload whose content is not the document its name says (an HTML page renamed ``.pdf``)."""
    import os

    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in allowed:
        raise ValidationError(_("Upload a PDF, Word, OpenDocument or text file."), code="extension")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    if sniff_document(head) not in DOCUMENT_TYPES[extension]:
        raise ValidationError(
            _("This file is not the %(kind)s document its name says: save it again as %(kind)s and upload that."),
            params={"kind": extension.lstrip(".").upper()},
            code="content",
        )
