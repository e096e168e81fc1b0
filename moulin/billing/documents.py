"""The documents of an invoice: its Peppol UBL (validated before it is offered, the verdict kept per process for
the same bytes) and the context of its PDF."""

import hashlib
import threading

from moulin.billing import ubl, validation
from moulin.billing.models import CreditNote, Invoice

_verdicts: dict[str, validation.Report] = {}
_lock = threading.Lock()


def ubl_bytes(document) -> bytes:
    if isinstance(document, CreditNote):
        return ubl.credit_note_xml(document)
    return ubl.invoice_xml(document)


def ubl_for(document) -> tuple[bytes, validation.Report]:
    """The UBL of an issued invoice or a credit note, and its validation report (schema and both rule sets)."""
    xml = ubl_bytes(document)
    key = hashlib.sha256(xml).hexdigest()
    with _lock:
        known = _verdicts.get(key)
    if known is None:
        known = validation.validate(xml)
        with _lock:
            _verdicts[key] = known
    return xml, known


def ubl_filename(document) -> str:
    return f"{document.number}.xml"


def pdf_context(document) -> dict:
    """What the PDF of an invoice or a credit note shows."""
    invoice = document.invoice if isinstance(document, CreditNote) else document
    return {
        "document": document,
        "invoice": invoice,
        "credit_note": document if isinstance(document, CreditNote) else None,
        "organisation": invoice.organisation,
        "lines": list(invoice.lines.all()) if isinstance(document, Invoice) else [],
    }
