"""Validators for identifiers our users type: IBAN, VAT and register numbers, phone numbers.

The checks themselves are python-stdnum's (IBAN of every country in the IBAN registry, VAT numbers of every EU
country) and phonenumbers' (Google's libphonenumber metadata); this module only turns their exceptions into
messages that say what to do.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban, numdb
from stdnum.eu import vat as stdnum_vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError as Bad
from stdnum.lu import tva as stdnum_lu_tva

#: the region a phone number without a +country prefix belongs to
PHONE_REGION = "LU"

_IBAN_STRUCTURE = re.compile(r"(\d+)!([nac])")


def normalise_iban(value: str) -> str:
    return stdnum_iban.compact(value or "")


def format_iban(value: str) -> str:
    return stdnum_iban.format(value) if value else ""


def _iban_length(country: str) -> int | None:
    """The length of an IBAN of ``country`` in the IBAN registry (stdnum's copy), or None for a country without."""
    info = numdb.get("iban").info(country + "00")[0][1]
    if not info.get("bban"):
        return None
    return 4 + sum(int(n) for n, _kind in _IBAN_STRUCTURE.findall(info["bban"]))


def validate_iban(value: str) -> None:
    iban = normalise_iban(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", iban):
        raise ValidationError(_("Enter an IBAN such as LU28 0019 4006 4475 0000."), code="iban_format")
    country = iban[:2]
    expected = _iban_length(country)
    if expected is None:
        raise ValidationError(
            _("%(country)s is not a country that issues IBANs: check the first two letters."),
            code="iban_country",
            params={"country": country},
        )
    if len(iban) != expected:
        raise ValidationError(
            _("An IBAN from %(country)s has %(length)s characters; this one has %(actual)s. Check for a missing or "
              "extra character."),
            code="iban_length",
            params={"country": country, "length": expected, "actual": len(iban)},
        )  # fmt: skip
    try:
        stdnum_iban.validate(iban)
    except InvalidChecksum:
        raise ValidationError(
            _("This IBAN's check digits are wrong: check for a typing error."), code="iban_check"
        ) from None
    except Bad:
        raise ValidationError(
            _("This is not the layout of an IBAN from %(country)s (letters where digits belong, or an unknown bank "
              "code): copy it again from a bank statement."),
            code="iban_layout",
            params={"country": country},
        ) from None  # fmt: skip


def normalise_vat(value: str) -> str:
    return re.sub(r"[\s./-]", "", value or "").upper()


def validate_vat(value: str) -> None:
    """A VAT number of any EU country, with its country prefix (LU15027442, DE136695976, FR40303265045...)."""
    vat = normalise_vat(value)
    if not re.fullmatch(r"[A-Z]{2}[0-9A-Z+*]{2,13}", vat):
        raise ValidationError(
            _("Enter a VAT number with its country code in front, e.g. LU15027442."), code="vat_format"
        )
    country = vat[:2]
    try:
        stdnum_vat.validate(vat)
    except InvalidComponent:
        raise ValidationError(
            _("%(country)s is not an EU country code: start the VAT number with the country's two letters (LU, DE, "
              "FR, BE...)."),
            code="vat_country",
            params={"country": country},
        ) from None  # fmt: skip
    except InvalidChecksum:
        raise ValidationError(
            _("This VAT number's check digits are wrong: check for a typing error."), code="vat_check"
        ) from None
    except (InvalidLength, InvalidFormat, Bad):
        raise ValidationError(
            _("This is not the layout of a VAT number from %(country)s (too short, too long or wrong characters): "
              "copy it from an invoice of the organisation."),
            code="vat_layout",
            params={"country": country},
        ) from None  # fmt: skip


def validate_lu_vat(value: str) -> None:
    """Luxembourg VAT number: LU + 8 digits, the last two being the first six modulo 89 (stdnum.lu.tva)."""
    vat = normalise_vat(value)
    if not re.fullmatch(r"LU\d{8}", vat):
        raise ValidationError(_("Enter a Luxembourg VAT number: LU followed by 8 digits."), code="vat_format")
    try:
        stdnum_lu_tva.validate(vat)
    except Bad:
        raise ValidationError(
            _("This VAT number's check digits are wrong: check for a typing error."), code="vat_check"
        ) from None


def validate_legal_number(value: str) -> None:
    """Luxembourg Trade and Companies Register (RCS) number: a section letter and up to 7 digits (F for an asbl).

    python-stdnum has no module for the RCS number (it carries no check digit), so the layout is checked here.
    """
    if not re.fullmatch(r"[A-K]\d{1,7}", (value or "").strip().upper()):
        raise ValidationError(
            _("Enter the register number as a letter and digits, e.g. F1234 for a non-profit association."),
            code="legal_number_format",
        )


# --- phone numbers -------------------------------------------------------------------------------


def parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """The number, read as Luxembourgish when it has no +country prefix (00 works too); None if unreadable."""
    try:
        return phonenumbers.parse(value or "", PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None


def normalise_phone(value: str) -> str:
    """The international E.164 form (+35226123456) of a valid number; anything else is returned unchanged (the
    validator then says what is wrong)."""
    number = parse_phone(value)
    if number is None or not phonenumbers.is_valid_number(number):
        return (value or "").strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    """For display: a Luxembourg number nationally (26 12 34 56), any other internationally (+49 30 1234567)."""
    number = parse_phone(value)
    if number is None or not phonenumbers.is_valid_number(number):
        return value or ""
    if phonenumbers.region_code_for_number(number) == PHONE_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_phone(value: str) -> None:
    if not value:
        return
    too_short = _("This phone number is too short: check for missing digits.")
    too_long = _("This phone number is too long: check for extra digits.")
    no_country = _("This country code does not exist: a number abroad starts with + and its country code.")
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        kind = phonenumbers.NumberParseException
        message = {
            kind.INVALID_COUNTRY_CODE: no_country,
            kind.TOO_SHORT_AFTER_IDD: too_short,
            kind.TOO_SHORT_NSN: too_short,
            kind.TOO_LONG: too_long,
        }.get(error.error_type)
        if message is None:
            message = _("Enter a phone number in digits, e.g. 26 12 34 56 or +49 30 1234567 for a number abroad.")
        raise ValidationError(message, code="phone_format") from None
    if re.search(r"[^\d\s+./()-]", value):
        raise ValidationError(
            _("Enter a phone number in digits, e.g. 26 12 34 56 or +49 30 1234567 for a number abroad."),
            code="phone_format",
        )
    if not phonenumbers.is_valid_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        if reason == phonenumbers.ValidationResult.TOO_SHORT:
            message = too_short
        elif reason == phonenumbers.ValidationResult.TOO_LONG:
            message = too_long
        elif reason == phonenumbers.ValidationResult.INVALID_COUNTRY_CODE:
            message = no_country
        else:
            message = _(
                "This is not a phone number in use in %(country)s: check the digits, and put + and the country code "
                "in front of a number abroad."
            ) % {"country": phonenumbers.region_code_for_number(number) or PHONE_REGION}
        raise ValidationError(message, code="phone_invalid")


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
