"""Invoices, payments and credit notes in the JSON API, for the accountant's software: the same records as the
pages and their exports, under the same policies (a row outside scope is a 404, a list outside the role is
empty), filtered by period."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.billing.models import CreditNote, Invoice, Payment
from moulin.core.api import BoundedPageNumberPagination, error_responses

router = Router(tags=["invoices"])


class LineOut(Schema):
    position: int
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal


class InvoiceOut(Schema):
    id: int
    number: str
    organisation: str
    billed_to: str
    kind: str
    issued_on: datetime.date | None
    due_on: datetime.date | None
    period_start: datetime.date
    period_end: datetime.date
    vat_category: str
    vat_rate: Decimal
    net_total: Decimal
    vat_total: Decimal
    total: Decimal
    paid: Decimal
    credited: Decimal
    balance: Decimal
    status: str
    peppol_recipient: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_billed_to(obj) -> str:
        return obj.buyer_name

    @staticmethod
    def resolve_peppol_recipient(obj) -> str:
        return f"{obj.buyer_peppol_scheme}:{obj.buyer_peppol_id}" if obj.buyer_peppol_id else ""


class InvoiceDetailOut(InvoiceOut):
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())


class PaymentOut(Schema):
    id: int
    invoice: str
    paid_on: datetime.date
    amount: Decimal
    method: str
    reference: str

    @staticmethod
    def resolve_invoice(obj) -> str:
        return obj.invoice.number


class CreditNoteOut(Schema):
    id: int
    number: str
    invoice: str
    issued_on: datetime.date
    reason: str
    net_total: Decimal
    vat_total: Decimal
    total: Decimal

    @staticmethod
    def resolve_invoice(obj) -> str:
        return obj.invoice.number


def _readable(model, user):
    if not policy_for(model).can_list(scope_for(user)):
        return model.objects.none()
    return model.objects.visible_to(user)


def _period(qs, field, date_from, date_to):
    if date_from:
        qs = qs.filter(**{f"{field}__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{field}__lte": date_to})
    return qs


def _invoices(user):
    return _readable(Invoice, user).numbered().with_balance().select_related("organisation")


@router.get("/", response=list[InvoiceOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=100)
def list_invoices(request, date_from: datetime.date | None = None, date_to: datetime.date | None = None):
    """Issued invoices (by date of issue), with what was paid and credited and the balance."""
    return _period(_invoices(request.auth), "issued_on", date_from, date_to).order_by("issued_on", "pk")


@router.get("/payments", response=list[PaymentOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=100)
def list_payments(request, date_from: datetime.date | None = None, date_to: datetime.date | None = None):
    qs = _readable(Payment, request.auth).select_related("invoice")
    return _period(qs, "paid_on", date_from, date_to).order_by("paid_on", "pk")


@router.get("/credit-notes", response=list[CreditNoteOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=100)
def list_credit_notes(request, date_from: datetime.date | None = None, date_to: datetime.date | None = None):
    qs = _readable(CreditNote, request.auth).select_related("invoice")
    return _period(qs, "issued_on", date_from, date_to).order_by("issued_on", "pk")


@router.get("/{invoice_id}", response=InvoiceDetailOut, openapi_extra=error_responses(401, 404))
def get_invoice(request, invoice_id: int):
    return get_object_or_404(_invoices(request.auth).prefetch_related("lines"), pk=invoice_id)
