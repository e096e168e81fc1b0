"""Multi-row rules of the pathway, shared by ``Model.clean()`` (messages next to the field) and the services
(which call ``full_clean`` inside their transaction, so nothing is half-saved)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from moulin.formats import short_date
from moulin.participants.validators import months_after_or_none

#: ESF+ immediate results: the situation within four weeks (28 days) of leaving
SITUATION_WINDOW_DAYS = 28
#: the follow-up of an exit falls this many calendar months later
FOLLOW_UP_MONTHS = 6


def _d(day) -> str:
    return f"{short_date(day)}"


def check_contract(contract) -> None:
    from moulin.participants.models import EmploymentContract, months_between

    errors = {}
    if contract.ended_on and not contract.end_reason:
        errors["end_reason"] = _("Say why the contract ended early.")
    if contract.ended_on and contract.planned_end and contract.ended_on > contract.planned_end:
        errors["ended_on"] = _("An early end falls before the planned end (%(day)s).") % {
            "day": _d(contract.planned_end)
        }
    if contract.start and contract.planned_end and contract.planned_end < contract.start:
        errors["planned_end"] = _("A contract cannot end before it starts.")
    if (
        contract.project_id
        and contract.organisation_id
        and contract.project.organisation_id != contract.organisation_id
    ):
        errors["project"] = _("This project belongs to another organisation.")
    if contract.team_id and contract.project_id and contract.team.project_id != contract.project_id:
        errors["team"] = _("This team works on another project.")
    if errors:
        raise ValidationError(errors)
    if not (contract.participant_id and contract.start):
        return
    last = contract.ended_on or contract.planned_end
    others = EmploymentContract.objects.filter(participant_id=contract.participant_id).exclude(pk=contract.pk)
    overlapping = others.filter(Q(last_day__isnull=True) | Q(last_day__gte=contract.start))
    if last:
        overlapping = overlapping.filter(start__lte=last)
    clash = overlapping.select_related("measure").first()
    if clash:
        raise ValidationError(
            {
                "start": _(
                    "This contract overlaps the worker's contract %(other)s: a worker holds one contract at a "
                    "time. Start after %(day)s, or end the other contract first."
                )
                % {"other": clash, "day": _d(clash.last_day) if clash.last_day else "—"}
            }
        )
    measure = contract.measure if contract.measure_id else None
    if measure is None or not measure.max_months:
        return
    if last is None:
        raise ValidationError(
            {"planned_end": _("The measure %(code)s lasts at most %(max)s months: give a planned end.")
             % {"code": measure.code, "max": measure.max_months}}
        )  # fmt: skip
    used = sum(months_between(c.start, c.last_day) for c in others.filter(measure=measure))
    total = used + months_between(contract.start, last)
    if total > measure.max_months and not contract.exceeds_maximum:
        raise ValidationError(
            {
                "planned_end": _(
                    "With this contract the worker would spend %(total)s months under %(code)s (already "
                    "%(used)s): the measure allows at most %(max)s. Shorten it, or record an exception with its "
                    "reason."
                )
                % {"total": total, "code": measure.code, "used": used, "max": measure.max_months}
            }
        )
    if contract.exceeds_maximum and not contract.exception_reason.strip():
        raise ValidationError({"exception_reason": _("Give the reason for the exception to the measure's maximum.")})


def check_exit(exit) -> None:
    from moulin.participants.models import EmploymentContract, Referral

    if not (exit.participant_id and exit.date):
        return
    if months_after_or_none(exit.date, FOLLOW_UP_MONTHS) is None:
        raise ValidationError(
            {
                "date": _(
                    "An exit on %(day)s leaves no room for the follow-up %(months)s months later: check the year."
                )
                % {"day": _d(exit.date), "months": FOLLOW_UP_MONTHS}
            }
        )
    first = (
        EmploymentContract.objects.filter(participant_id=exit.participant_id).order_by("-start").only("start").first()
    )
    if first and exit.date < first.start:
        raise ValidationError(
            {"date": _("The exit date is before the start of the contract (%(day)s).") % {"day": _d(first.start)}}
        )
    referral = Referral.objects.filter(participant_id=exit.participant_id).order_by("date").only("date").first()
    if referral and exit.date < referral.date:
        raise ValidationError(
            {"date": _("The exit date is before the referral (%(day)s).") % {"day": _d(referral.date)}}
        )
    if exit.situation_recorded_on and exit.situation_recorded_on < exit.date:
        raise ValidationError({"situation_recorded_on": _("The situation upon leaving is recorded after the exit.")})
    if exit.situation_recorded_on and (exit.situation_recorded_on - exit.date).days > SITUATION_WINDOW_DAYS:
        raise ValidationError(
            {
                "situation_recorded_on": _(
                    "ESF+ counts the situation within four weeks of leaving (by %(day)s): record the situation "
                    "the person was in then, or leave it empty."
                )
                % {"day": _d(exit.date + datetime.timedelta(days=SITUATION_WINDOW_DAYS))}
            }
        )
    if exit.situation and not exit.situation_recorded_on:
        raise ValidationError({"situation_recorded_on": _("Say when the situation upon leaving was recorded.")})
