"""Contracts and funding agreements in the JSON API (read), under the same policies as the pages."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.contracts.models import Contract, FundingAgreement
from moulin.core.api import BoundedPageNumberPagination, error_responses

router = Router(tags=["contracts and funding"])


class CounterpartyOut(Schema):
    id: int
    name: str
    kind: str
    commune_code: str | None
    vat_number: str
    peppol_scheme: str
    peppol_id: str

    @staticmethod
    def resolve_commune_code(obj) -> str | None:
        return obj.commune.code if obj.commune_id else None


class SignatureOut(Schema):
    name: str
    date: datetime.date | None


class ContractOut(Schema):
    id: int
    reference: str
    title: str
    organisation: str
    counterparty: CounterpartyOut
    projects: list[int]
    start: datetime.date
    end: datetime.date | None
    status: str
    billing_rule: str
    billing_schedule: str
    annual_amount: Decimal | None
    rate: Decimal | None
    political_signature: SignatureOut
    administrative_signature: SignatureOut

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_projects(obj) -> list[int]:
        return [p.pk for p in obj.projects.all()]

    @staticmethod
    def resolve_political_signature(obj) -> dict:
        return {"name": obj.political_signatory, "date": obj.political_signed_on}

    @staticmethod
    def resolve_administrative_signature(obj) -> dict:
        return {"name": obj.administrative_signatory, "date": obj.administrative_signed_on}


class FundingAgreementOut(Schema):
    id: int
    reference: str
    title: str
    source: str
    source_kind: str
    organisation: str
    projects: list[int]
    start: datetime.date
    end: datetime.date
    amount_awarded: Decimal
    co_financing_rate: Decimal | None
    eligible_costs: Decimal | None
    status: str

    @staticmethod
    def resolve_source(obj) -> str:
        return obj.source.name

    @staticmethod
    def resolve_source_kind(obj) -> str:
        return obj.source.kind

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_projects(obj) -> list[int]:
        return [p.pk for p in obj.projects.all()]


def _contracts(user):
    if not policy_for(Contract).can_list(scope_for(user)):
        return Contract.objects.none()
    return (
        Contract.objects.visible_to(user)
        .select_related("organisation", "counterparty__commune")
        .defer("counterparty__commune__boundary")
        .prefetch_related("projects")
    )


def _funding(user):
    if not policy_for(FundingAgreement).can_list(scope_for(user)):
        return FundingAgreement.objects.none()
    return (
        FundingAgreement.objects.visible_to(user).select_related("organisation", "source").prefetch_related("projects")
    )


@router.get("/contracts", response=list[ContractOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=50)
def list_contracts(request, status: str | None = None, counterparty_kind: str | None = None):
    qs = _contracts(request.auth).order_by("-start", "pk")
    if status:
        qs = qs.filter(status=status)
    if counterparty_kind:
        qs = qs.filter(counterparty__kind=counterparty_kind)
    return qs


@router.get("/contracts/{contract_id}", response=ContractOut, openapi_extra=error_responses(401, 404))
def get_contract(request, contract_id: int):
    return get_object_or_404(_contracts(request.auth), pk=contract_id)


@router.get("/funding-agreements", response=list[FundingAgreementOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=50)
def list_funding_agreements(request, source_kind: str | None = None, year: int | None = None):
    qs = _funding(request.auth).order_by("-start", "pk")
    if source_kind:
        qs = qs.filter(source__kind=source_kind)
    if year:
        qs = qs.in_year(year)
    return qs


@router.get("/funding-agreements/{agreement_id}", response=FundingAgreementOut,
            openapi_extra=error_responses(401, 404))  # fmt: skip
def get_funding_agreement(request, agreement_id: int):
    return get_object_or_404(_funding(request.auth), pk=agreement_id)
