"""Writes of the money side, each in one transaction with an audit event holding what changed (before and
after), and the rules checked before them. Nothing is deleted: contracts are terminated, funding agreements and
receipts cancelled."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from moulin.contracts.enums import ContractStatus, CounterpartyKind
from moulin.contracts.models import (
    Budget,
    BudgetLine,
    ClosedYear,
    Contract,
    ContractsRefused,
    FundingAgreement,
    Receipt,
    is_closed,
)
from moulin.core.models import AuditEvent
from moulin.core.services import audit
from moulin.core.workflow import transition
from moulin.formats import short_date

#: the kinds of records whose changes make the money audit trail (the audit log's "Money" filter)
MONEY_TYPES = (
    "contracts.contract",
    "contracts.fundingagreement",
    "contracts.budget",
    "contracts.budgetline",
    "contracts.receipt",
    "contracts.counterparty",
    "contracts.ledgerimport",
    "contracts.closedyear",
)


# ------------------------------------------------------------------------------------------------ audit


def snapshot(obj) -> dict:
    """The record's fields as text, for the audit trail's before and after (many-to-many included)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in ("created_at", "updated_at"):
            continue
        value = getattr(obj, field.attname)
        data[field.name] = "" if value is None else str(value)
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = ",".join(
                str(pk) for pk in getattr(obj, field.name).order_by("pk").values_list("pk", flat=True)
            )
    return data


def record_change(obj, *, actor, before: dict | None, action=None, **extra) -> AuditEvent:
    """One audit event for a change of a money record: who, when, the fields before and after (only those that
    changed), and the organisation it belongs to (so boards browse their own organisation's trail)."""
    after = snapshot(obj)
    if before is None:
        action = action or AuditEvent.Action.CREATE
        changed = {"after": after}
    else:
        action = action or AuditEvent.Action.UPDATE
        keys = [k for k in after if before.get(k) != after[k]]
        changed = {"before": {k: before.get(k, "") for k in keys}, "after": {k: after[k] for k in keys}}
    org_id = organisation_of(obj)
    detail = {"money": True, **changed, **extra}
    if org_id:
        detail["organisation"] = org_id
    return audit(actor=actor, action=action, obj=obj, detail=detail)


def organisation_of(obj) -> int | None:
    for path in ("organisation_id", "budget.organisation_id", "contract.organisation_id"):
        target = obj
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if target is not None:
            return target
    return None


# ------------------------------------------------------------------------------------------------ contracts


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def check_contract(contract: Contract, projects) -> None:
    """A contract's period may not overlap another contract with the same counterparty for one of the same
    projects (or, without projects, another contract of the same organisation with that counterparty and no
    project). Terminated contracts count up to the day they ended."""
    project_ids = {p.pk if hasattr(p, "pk") else int(p) for p in projects}
    others = Contract.objects.filter(counterparty_id=contract.counterparty_id).exclude(pk=contract.pk)
    others = others.filter(Q(end__isnull=True) | Q(end__gte=contract.start)).prefetch_related("projects")
    if contract.end:
        others = others.filter(start__lte=contract.end)
    for other in others:
        if not _overlaps(contract.start, contract.end, other.start, other.effective_end):
            continue
        if other.status == ContractStatus.TERMINATED and other.effective_end and other.effective_end < contract.start:
            continue
        theirs = {p.pk for p in other.projects.all()}
        clash = (
            project_ids & theirs if project_ids else (not theirs and other.organisation_id == contract.organisation_id)
        )
        if clash:
            raise ContractsRefused(
                {
                    "start": _(
                        "“%(other)s” (%(start)s – %(end)s) already binds this counterparty for the same project "
                        "over these dates: change the period, or terminate that contract first."
                    )
                    % {
                        "other": other.title,
                        "start": short_date(other.start),
                        "end": short_date(other.effective_end) if other.effective_end else "…",
                    }
                }
            )


@transaction.atomic
def save_contract(form, *, actor) -> Contract:
    """Create or change a contract from its form: checked against overlapping contracts, then saved with its
    projects; a commune contract in force keeps its agreement current."""
    contract = form.instance
    before = snapshot(Contract.objects.get(pk=contract.pk)) if contract.pk else None
    check_contract(contract, form.cleaned_data.get("projects") or [])
    contract = form.save()
    sync_agreement(contract)
    record_change(contract, actor=actor, before=before)
    return contract


def sync_agreement(contract: Contract) -> None:
    """Keep the commune agreement a commune contract carries current (decision 0008): it exists once the
    contract entered force, runs over the contract's period, and ends the day the contract is terminated."""
    from moulin.organisations.models import Agreement

    if contract.counterparty.kind != CounterpartyKind.COMMUNE:
        return
    if contract.status not in (ContractStatus.IN_FORCE, ContractStatus.EXPIRED, ContractStatus.TERMINATED):
        return
    end = contract.effective_end
    if contract.status == ContractStatus.TERMINATED and contract.agreement_id is None:
        return
    agreement = contract.agreement or Agreement(organisation_id=contract.organisation_id,
                                                commune_id=contract.counterparty.commune_id)  # fmt: skip
    if end is not None and end < contract.start:
        end = contract.start
    agreement.start, agreement.end = contract.start, end
    agreement.reference = (contract.reference or "")[:60]
    agreement.organisation_id = contract.organisation_id
    agreement.commune_id = contract.counterparty.commune_id
    agreement.save()
    if contract.agreement_id != agreement.pk:
        contract.agreement = agreement
        contract.save(update_fields=["agreement", "updated_at"])


@transaction.atomic
def transition_contract(contract: Contract, name: str, *, actor, **fields) -> Contract:
    """Move a contract (send for signature, enter force, terminate...); the agreement it carries follows."""
    before = snapshot(contract)
    if name == "terminate" and fields.get("terminated_on") and fields["terminated_on"] < contract.start:
        raise ContractsRefused({"terminated_on": _("A contract cannot be terminated before it starts.")})
    contract = transition(contract, name, actor=actor, **fields)
    contract.refresh_from_db()
    sync_agreement(contract)
    record_change(contract, actor=actor, before=before, transition=name)
    return contract


@transaction.atomic
def renew_contract(contract: Contract, *, actor, start: datetime.date, end: datetime.date | None) -> Contract:
    """A draft for the next period, with the same counterparty, organisation, projects and terms."""
    if contract.end and start <= contract.end:
        raise ContractsRefused({"start": _("The renewal starts after the current contract ends.")})
    if hasattr(contract, "renewal"):
        raise ContractsRefused({"start": _("This contract has already been renewed.")})
    projects = list(contract.projects.all())
    renewal = Contract(
        title=contract.title, organisation_id=contract.organisation_id, counterparty_id=contract.counterparty_id,
        start=start, end=end, annual_amount=contract.annual_amount, billing_rule=contract.billing_rule,
        billing_schedule=contract.billing_schedule, rate=contract.rate, deliverables=contract.deliverables,
        renewed_from=contract,
    )  # fmt: skip
    renewal.full_clean()
    check_contract(renewal, projects)
    renewal.save()
    renewal.projects.set(projects)
    record_change(renewal, actor=actor, before=None, renewal_of=contract.pk)
    return renewal


def expire_contracts(*, on: datetime.date | None = None, actor=None) -> int:
    """The system's daily move: contracts in force past their end become expired (their agreement ended with
    them already). Returns how many."""
    on = on or timezone.localdate()
    n = 0
    for contract in Contract.objects.filter(status=ContractStatus.IN_FORCE, end__lt=on):
        transition_contract(contract, "expire", actor=actor)
        n += 1
    return n


def contracts_to_renew(*, on: datetime.date | None = None, days: int = 90):
    """Contracts in force that end within ``days`` and have no renewal yet: the renewal alerts."""
    on = on or timezone.localdate()
    return (
        Contract.objects.ending_within(days, on)
        .filter(renewal__isnull=True)
        .select_related("organisation", "counterparty")
        .order_by("end")
    )


# ------------------------------------------------------------------------------------------------ funding


@transaction.atomic
def save_funding_agreement(form, *, actor) -> FundingAgreement:
    agreement = form.instance
    before = snapshot(FundingAgreement.objects.get(pk=agreement.pk)) if agreement.pk else None
    agreement = form.save()
    record_change(agreement, actor=actor, before=before)
    return agreement


@transaction.atomic
def transition_funding_agreement(agreement: FundingAgreement, name: str, *, actor, **fields) -> FundingAgreement:
    before = snapshot(agreement)
    agreement = transition(agreement, name, actor=actor, **fields)
    agreement.refresh_from_db()
    record_change(agreement, actor=actor, before=before, transition=name)
    return agreement


@transaction.atomic
def save_receipt(form, *, actor) -> Receipt:
    receipt = form.instance
    before = snapshot(Receipt.objects.get(pk=receipt.pk)) if receipt.pk else None
    if receipt.contract_id and not receipt.commune_id and receipt.contract.counterparty.commune_id:
        receipt.commune_id = receipt.contract.counterparty.commune_id
    receipt = form.save()
    record_change(receipt, actor=actor, before=before)
    return receipt


@transaction.atomic
def cancel_receipt(receipt: Receipt, *, actor, reason: str) -> Receipt:
    if receipt.cancelled_on:
        raise ContractsRefused({"reason": _("This receipt is already cancelled.")})
    if not (reason or "").strip():
        raise ContractsRefused({"reason": _("A receipt is cancelled with a reason: say why.")})
    before = snapshot(receipt)
    receipt.cancelled_on, receipt.cancel_reason = timezone.localdate(), reason.strip()
    receipt.save(update_fields=["cancelled_on", "cancel_reason", "updated_at"])
    record_change(receipt, actor=actor, before=before)
    return receipt


# ------------------------------------------------------------------------------------------------ budgets


def check_open_year(organisation_id: int, year: int, field: str = "year") -> None:
    if is_closed(organisation_id, year):
        raise ContractsRefused(
            {field: _("The year %(year)s is closed for this organisation: its budget no longer changes.")
             % {"year": year}}
        )  # fmt: skip


@transaction.atomic
def save_budget(form, *, actor) -> Budget:
    budget = form.instance
    before = snapshot(Budget.objects.get(pk=budget.pk)) if budget.pk else None
    check_open_year(budget.organisation_id, budget.year)
    if before:
        check_open_year(budget.organisation_id, int(before["year"]))
    budget = form.save()
    record_change(budget, actor=actor, before=before)
    return budget


@transaction.atomic
def save_budget_line(form, *, actor) -> BudgetLine:
    """A budget line is refused in a closed year (its budget's year)."""
    line = form.instance
    check_open_year(line.budget.organisation_id, line.budget.year, field="planned")
    before = snapshot(BudgetLine.objects.get(pk=line.pk)) if line.pk else None
    line = form.save()
    record_change(line, actor=actor, before=before)
    return line


@transaction.atomic
def close_year(*, organisation, year: int, actor) -> ClosedYear:
    if year >= timezone.localdate().year + 1:
        raise ContractsRefused({"year": _("A year is closed once it has begun.")})
    check_open_year(organisation.pk, year)
    closed = ClosedYear.objects.create(organisation=organisation, year=year, closed_by=actor)
    record_change(closed, actor=actor, before=None)
    return closed


def budget_totals(lines) -> dict:
    planned = sum((line.planned for line in lines), Decimal("0"))
    actual = sum((line.actual() for line in lines), Decimal("0"))
    return {"planned": planned, "actual": actual, "difference": planned - actual}
