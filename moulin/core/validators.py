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
