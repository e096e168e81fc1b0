"""Alerts by email (Django's email API), each in its recipient's language (``User.language``): the follow-ups due
to each coach, the contracts ending within 60 days to each manager of the employer, and a scheduled job that
keeps failing to the network administrators."""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from moulin.access.roles import Role

logger = logging.getLogger("moulin.ops")

CONTRACT_ALERT_DAYS = 60


def absolute(path: str) -> str:
    return settings.MOULIN_SITE_URL.rstrip("/") + path


def send_in_language(user, template: str, context: dict) -> None:
    """One email to ``user``, rendered in their language: the first line of the template is the subject."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = render_to_string(template, {"user": user, **context}).strip()
    subject, _blank, body = text.partition("\n")
    EmailMessage(subject.strip(), body.strip() + "\n", to=[user.email]).send()


def send_follow_up_reminders(on=None) -> str:
    """Each coach: the six-month follow-ups due among the people they coach (one email a coach)."""
    from moulin.participants.models import FollowUp

    on = on or timezone.localdate()
    due = (
        FollowUp.objects.due(on)
        .filter(participant__coach__is_active=True, participant__anonymised_at__isnull=True)
        .select_related("participant", "participant__coach")
        .order_by("due_on", "pk")
    )
    by_coach = defaultdict(list)
    for follow_up in due:
        by_coach[follow_up.participant.coach].append(follow_up)
    for coach, follow_ups in by_coach.items():
        rows = [
            {"name": f.participant.display_name, "due_on": f.due_on,
             "url": absolute(reverse("participants:follow_up_record", args=[f.pk]))}
            for f in follow_ups
        ]  # fmt: skip
        send_in_language(coach, "ops/email/follow_ups_due.txt", {"rows": rows, "count": len(rows)})
    count = sum(len(rows) for rows in by_coach.values())
    return f"{len(by_coach)} emails, {count} follow-ups"


def send_contract_ending_alerts(on=None) -> str:
    """Each organisation manager: their organisation's contracts ending within 60 days (one email a manager)."""
    from moulin.accounts.models import RoleAssignment
    from moulin.participants.models import EmploymentContract

    on = on or timezone.localdate()
    ending = (
        EmploymentContract.objects.ending_between(on, on + dt.timedelta(days=CONTRACT_ALERT_DAYS))
        .select_related("participant", "measure", "organisation")
        .order_by("last_day", "pk")
    )
    by_org = defaultdict(list)
    for contract in ending:
        by_org[contract.organisation_id].append(contract)
    managers = (
        RoleAssignment.objects.current(on)
        .filter(role=Role.ORG_MANAGER, organisation_id__in=by_org, user__is_active=True)
        .select_related("user")
    )
    contracts_by_manager = defaultdict(list)
    for assignment in managers:
        contracts_by_manager[assignment.user].extend(by_org[assignment.organisation_id])
    for manager, contracts in contracts_by_manager.items():
        rows = [
            {"name": c.participant.display_name, "organisation": c.organisation.display_name,
             "measure": c.measure.code, "last_day": c.last_day, "url": absolute(c.get_absolute_url())}
            for c in sorted(contracts, key=lambda c: (c.last_day, c.pk))
        ]  # fmt: skip
        send_in_language(manager, "ops/email/contracts_ending.txt", {"rows": rows, "days": CONTRACT_ALERT_DAYS})
    return f"{len(contracts_by_manager)} emails, {sum(len(v) for v in by_org.values())} contracts"


RENEWAL_ALERT_DAYS = 90


def expire_contracts(on=None) -> str:
    """Contracts (with communes, the ministry…) in force past their end become expired."""
    from moulin.contracts.services import expire_contracts as expire

    return f"{expire(on=on)} contracts expired"


def send_contract_renewal_alerts(on=None) -> str:
    """The contracts in force ending within 90 days without a renewal yet: one email to each manager and finance
    officer of their organisation, and one to each of the network's finance staff with all of them."""
    from moulin.accounts.models import RoleAssignment
    from moulin.contracts.services import contracts_to_renew

    on = on or timezone.localdate()
    due = list(contracts_to_renew(on=on, days=RENEWAL_ALERT_DAYS))
    by_org = defaultdict(list)
    for contract in due:
        by_org[contract.organisation_id].append(contract)
    holders = (
        RoleAssignment.objects.current(on)
        .filter(role__in=[Role.ORG_MANAGER, Role.FINANCE_OFFICER], user__is_active=True)
        .filter(Q(organisation_id__in=by_org) | Q(role=Role.FINANCE_OFFICER, organisation__isnull=True))
        .select_related("user")
    )
    per_user = defaultdict(dict)
    for assignment in holders:
        contracts = due if assignment.organisation_id is None else by_org[assignment.organisation_id]
        for contract in contracts:
            per_user[assignment.user][contract.pk] = contract
    for user, contracts in per_user.items():
        rows = [
            {"title": c.title, "counterparty": c.counterparty.name, "organisation": c.organisation.display_name,
             "end": c.end, "url": absolute(c.get_absolute_url())}
            for c in sorted(contracts.values(), key=lambda c: (c.end, c.pk))
        ]  # fmt: skip
        send_in_language(user, "ops/email/contract_renewals.txt", {"rows": rows, "days": RENEWAL_ALERT_DAYS})
    return f"{len(per_user)} emails, {len(due)} contracts"


def administrators():
    from moulin.accounts.models import RoleAssignment

    admins = RoleAssignment.objects.current().filter(role=Role.NETWORK_ADMIN).values("user")
    return get_user_model().objects.filter(Q(pk__in=admins) | Q(is_superuser=True), is_active=True).distinct()


def report_failed_run(run) -> None:
    url = absolute(reverse("ops:job_list"))
    for admin in administrators():
        try:
            send_in_language(admin, "ops/email/job_failed.txt", {"run": run, "url": url})
        except Exception:  # noqa: BLE001 - the failure stays on the jobs page even if the mail server is down
            logger.exception("could not email %s about the failed run %s", admin.pk, run.pk)
