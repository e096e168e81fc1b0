"""Writes of the worker pathway. Each is one transaction, keyword-only, with the acting user and an
AuditEvent; each validates the rows it writes (``full_clean``) so that nothing is half-saved.

Other apps plug in through their capability (training...):
- ``anonymise_hooks``: callables ``(participant) -> None`` run by ``anonymise`` to clear their free text;
- merging moves every row that has a foreign key to the participant, whatever its app.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from moulin.core import persons
from moulin.core.capabilities import collected
from moulin.core.models import AuditEvent
from moulin.core.services import audit
from moulin.participants import enums
from moulin.participants.models import (
    CoachingSession,
    EmploymentContract,
    Exit,
    FollowUp,
    Intake,
    Participant,
    PlanAction,
    PlanGoal,
    PlanObstacle,
    PlanReview,
    Referral,
)
from moulin.participants.rules import FOLLOW_UP_MONTHS
from moulin.participants.validators import add_months, age_on, check_age, normalise_jobseeker_number


def view_record(participant, *, actor, part: str = "page") -> None:
    """Every read of a participant's record is logged (who, when, what)."""
    persons.view_record(participant, actor=actor, part=part)


# --- 10. duplicates -------------------------------------------------------------------------------


def find_duplicates(*, first_name="", last_name="", birth_date=None, jobseeker_number="", exclude_pk=None):
    """Existing people matching a referral: same name and birth date, or same jobseeker number."""
    q = Q(pk__in=[])
    if first_name and last_name and birth_date:
        q |= Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), birth_date=birth_date)
    number = normalise_jobseeker_number(jobseeker_number)
    if number:
        q |= Q(jobseeker_number=number)
    qs = Participant.objects.active().not_anonymised().filter(q).select_related("organisation")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by("pk")[:5])


# --- 1. referral and intake ----------------------------------------------------------------------


def check_referred_person(*, birth_date, date, source, jobseeker_number="") -> None:
    """Who may be referred: between 16 and 99 years old on the referral day; a referral by ADEM gives the
    person's jobseeker number."""
    errors = {}
    try:
        check_age(birth_date, date or timezone.localdate())
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if source == enums.ReferralSource.PES and not jobseeker_number:
        errors["jobseeker_number"] = [_("A referral by ADEM gives the person's jobseeker number.")]
    if errors:
        raise ValidationError(errors)


def check_attachment(attach_to: Participant, organisation) -> None:
    """A person employed by one organisation is not referred to another without agreeing it first."""
    hired = attach_to.status == enums.PathwayStatus.HIRED
    if hired and organisation is not None and attach_to.organisation_id != organisation.pk:
        names = {"name": attach_to.display_name, "org": attach_to.organisation.display_name}
        message = _("%(name)s is employed by %(org)s at present: agree the referral with them or the network office "
                    "first.") % names  # fmt: skip
        raise ValidationError({"duplicate": message})


def check_referral(*, person: Participant, organisation, date, source, attach_to=None) -> None:
    """Every rule of a referral, whatever the way in (page, API, command): the person's age and jobseeker
    number, no second record for a jobseeker number already recorded, no referral of a person employed
    elsewhere."""
    if attach_to is not None:
        check_attachment(attach_to, organisation)
        return
    number = normalise_jobseeker_number(person.jobseeker_number or "")
    check_referred_person(birth_date=person.birth_date, date=date, source=source, jobseeker_number=number)
    if number and any(p.jobseeker_number == number for p in find_duplicates(jobseeker_number=number)):
        raise ValidationError({"duplicate": _("A person with this ADEM jobseeker number is already recorded: "
                                              "attach the referral to them.")})  # fmt: skip


@transaction.atomic
def refer(*, actor, person: Participant, organisation, date, source, referrer="", attach_to=None) -> Referral:
    """Record a referral: a new person (``person`` unsaved) or, when ``attach_to`` is given, a new referral of an
    existing person (the duplicate the user chose to attach to). Refused by ``check_referral``'s rules."""
    check_referral(person=person, organisation=organisation, date=date, source=source, attach_to=attach_to)
    if attach_to is not None:
        participant = attach_to
        if participant.status in (enums.PathwayStatus.EXITED, enums.PathwayStatus.REDIRECTED):
            participant.status = enums.PathwayStatus.REFERRED
        participant.organisation = organisation
        participant.save(update_fields=["status", "organisation", "updated_at"])
    else:
        participant = person
        participant.organisation = organisation
        participant.status = enums.PathwayStatus.REFERRED
        participant.first_referred_on = date
        if participant.birth_date:
            participant.age_at_entry = age_on(participant.birth_date, date)
        participant.full_clean()
        participant.save()
        audit(actor=actor, action=AuditEvent.Action.CREATE, obj=participant)
    referral = Referral(
        participant=participant, organisation=organisation, date=date, source=source, referrer=referrer
    )
    referral.full_clean()
    referral.save()
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=referral,
        detail={"participant": str(participant.public_id), "attached": attach_to is not None},
    )
    return referral


@transaction.atomic
def record_intake(*, actor, intake: Intake) -> Intake:
    intake.full_clean()
    intake.save()
    participant = intake.participant
    participant.status = {
        enums.IntakeOutcome.HIRE: participant.status,
        enums.IntakeOutcome.WAITING_LIST: enums.PathwayStatus.WAITING,
        enums.IntakeOutcome.REDIRECT: enums.PathwayStatus.REDIRECTED,
    }[intake.outcome]
    if participant.coach_id is None:
        participant.coach = intake.coach
    participant.save(update_fields=["status", "coach", "updated_at"])
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=intake, detail={"outcome": intake.outcome})
    return intake


# --- 2. contracts -------------------------------------------------------------------------------


@transaction.atomic
def save_contract(*, actor, contract: EmploymentContract, changed=None) -> EmploymentContract:
    """Hire (a new contract), or change one. Overlap and the measure's maximum are checked in ``clean``;
    an exception to the maximum is logged as such."""
    creating = contract.pk is None
    contract.full_clean()
    contract.save()
    participant = contract.participant
    if participant.status != enums.PathwayStatus.EXITED or creating:
        participant.status = enums.PathwayStatus.HIRED
        participant.save(update_fields=["status", "updated_at"])
    detail = {"fields": changed} if changed else {}
    if contract.exceeds_maximum:
        detail["exception"] = contract.exception_reason
        detail["measure"] = contract.measure.code
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        obj=contract,
        detail=detail or None,
    )
    return contract


@transaction.atomic
def renew_contract(*, actor, contract: EmploymentContract, new_end, weekly_hours=None, exceeds_maximum=False,
                   exception_reason="") -> EmploymentContract:  # fmt: skip
    """A renewal is a successive contract starting the day after the current one ends."""
    if contract.last_day is None:
        raise ValidationError({"planned_end": _("An open-ended contract is not renewed.")})
    if contract.last_day >= datetime.date.max:
        raise ValidationError({"planned_end": _("This contract ends on the last day of the calendar: correct its "
                                                "end date before renewing it.")})  # fmt: skip
    renewal = EmploymentContract(
        participant=contract.participant,
        organisation=contract.organisation,
        project=contract.project,
        team=contract.team,
        contract_type=contract.contract_type,
        measure=contract.measure,
        start=contract.last_day + datetime.timedelta(days=1),
        planned_end=new_end,
        weekly_hours=weekly_hours or contract.weekly_hours,
        funder=contract.funder,
        renewal_of=contract,
        exceeds_maximum=exceeds_maximum,
        exception_reason=exception_reason,
    )
    return save_contract(actor=actor, contract=renewal)


@transaction.atomic
def end_contract_early(*, actor, contract: EmploymentContract, ended_on, reason) -> EmploymentContract:
    contract.ended_on, contract.end_reason = ended_on, reason
    contract.full_clean()
    contract.save(update_fields=["ended_on", "end_reason", "updated_at"])
    contract.refresh_from_db(fields=["last_day"])
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=contract, detail={"ended_on": str(ended_on),
                                                                               "reason": reason})  # fmt: skip
    return contract


# --- 7. exit and follow-up -----------------------------------------------------------------------


@transaction.atomic
def record_exit(*, actor, exit: Exit) -> Exit:
    """Record the exit; end a contract still running after the exit date; schedule the six-month follow-up."""
    creating = exit.pk is None
    exit.full_clean()
    exit.save()
    running = EmploymentContract.objects.filter(participant=exit.participant).filter(
        Q(last_day__isnull=True) | Q(last_day__gt=exit.date)
    )
    for contract in running.filter(start__lte=exit.date):
        contract.ended_on = exit.date
        contract.end_reason = contract.end_reason or enums.EndReason.OTHER
        if contract.planned_end and contract.ended_on > contract.planned_end:
            contract.ended_on = contract.planned_end
        contract.save(update_fields=["ended_on", "end_reason", "updated_at"])
    due = add_months(exit.date, FOLLOW_UP_MONTHS)
    FollowUp.objects.update_or_create(exit=exit, defaults={"participant": exit.participant, "due_on": due})
    participant = exit.participant
    participant.status = enums.PathwayStatus.EXITED
    participant.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE, obj=exit,
          detail={"reason": exit.reason, "situation": exit.situation})  # fmt: skip
    return exit


@transaction.atomic
def record_follow_up(*, actor, follow_up: FollowUp) -> FollowUp:
    follow_up.full_clean()
    follow_up.save()
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=follow_up, detail={"situation": follow_up.situation})
    return follow_up


# --- 9. GDPR: anonymisation, erasure, merge -----------------------------------------------------

REMOVED = "—"


@transaction.atomic
def anonymise(participant: Participant, *, actor, reason: str) -> Participant:
    """Remove name, contact, identifiers and notes; keep the statistical facts (dates, statuses, measures,
    outcomes, age at entry, ESF+ categories), so that every report counts the same before and after."""
    if participant.anonymised_at:
        return participant
    if participant.birth_date and participant.age_at_entry is None:
        on = participant.first_referred_on or participant.created_at.date()
        participant.age_at_entry = age_on(participant.birth_date, on)
    participant.first_name = participant.last_name = ""
    participant.birth_date = None
    participant.jobseeker_number = participant.email = participant.phone = ""
    participant.address = participant.postcode = participant.locality = ""
    participant.anonymised_at = timezone.now()
    participant.save()
    pid = participant.pk
    CoachingSession.objects.filter(participant_id=pid).update(notes="", next_steps="")
    PlanObstacle.objects.filter(participant_id=pid).update(detail="")
    PlanGoal.objects.filter(participant_id=pid).update(title=REMOVED)
    PlanAction.objects.filter(participant_id=pid).update(description=REMOVED)
    PlanReview.objects.filter(participant_id=pid).update(summary=REMOVED)
    Referral.objects.filter(participant_id=pid).update(referrer="")
    Intake.objects.filter(participant_id=pid).exclude(redirect_reason="").update(redirect_reason=REMOVED)
    Exit.objects.filter(participant_id=pid).update(employer="", next_steps="")
    FollowUp.objects.filter(participant_id=pid).update(employer="")
    for hook in collected("anonymise_hooks"):
        hook(participant)
    # the audit log keeps who read the record, not the person's name
    persons.forget_in_audit(participant, shown_as=participant.display_name)
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=participant, detail={"anonymised": reason})
    return participant


def erase(participant: Participant, *, actor) -> Participant:
    """An erasure request: the same anonymisation, at once."""
    return persons.erase(participant, actor=actor)


def expired_participants(*, today=None, months=None):
    """People whose retention period after their last exit has passed (and whose follow-up is over)."""
    from moulin.participants.models import PathwaySettings

    today = today or timezone.localdate()
    months = months if months is not None else PathwaySettings.load().retention_months
    limit = add_months(today, -months)
    last_exit = Exit.objects.filter(participant=models.OuterRef("pk")).order_by("-date").values("date")[:1]
    return (
        Participant.objects.not_anonymised()
        .filter(status=enums.PathwayStatus.EXITED)
        .annotate(last_exit=models.Subquery(last_exit))
        .filter(last_exit__lt=limit)
    )


def expired_for_retention(today):
    """The participants the retention job anonymises (``PersonRecords.expired``)."""
    return expired_participants(today=today)


def anonymise_expired(*, actor=None, today=None) -> int:
    return persons.anonymise_expired("participants.participant", actor=actor, today=today)


@transaction.atomic
def merge(*, actor, survivor: Participant, duplicate: Participant) -> Participant:
    """Move every pathway record of ``duplicate`` to ``survivor`` (whatever app holds it), then mark the duplicate
    as merged. One-to-one records the survivor already has stay the survivor's."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records to merge."))
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationError(_("One of these records has already been merged."))
    moved = {}
    for rel in Participant._meta.related_objects:
        if rel.related_model is Participant:
            continue
        field = rel.field
        if not (field.many_to_one or field.one_to_one):
            continue
        qs = rel.related_model._default_manager.filter(**{field.name: duplicate})
        if field.one_to_one and rel.related_model._default_manager.filter(**{field.name: survivor}).exists():
            continue
        n = qs.update(**{field.name: survivor})
        if n:
            moved[rel.related_model._meta.label_lower] = n
    for contract in EmploymentContract.objects.filter(participant=survivor):
        contract.full_clean()  # no overlapping contracts after the merge
    for name in ("birth_date", "jobseeker_number", "email", "phone", "address", "postcode", "locality", "gender"):
        if not getattr(survivor, name) and getattr(duplicate, name):
            setattr(survivor, name, getattr(duplicate, name))
    if duplicate.first_referred_on and (
        not survivor.first_referred_on or duplicate.first_referred_on < survivor.first_referred_on
    ):
        survivor.first_referred_on, survivor.age_at_entry = duplicate.first_referred_on, duplicate.age_at_entry
    survivor.full_clean(exclude=["birth_date"])
    survivor.save()
    duplicate.merged_into = survivor
    duplicate.jobseeker_number = ""
    duplicate.save(update_fields=["merged_into", "jobseeker_number", "updated_at"])
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=survivor,
          detail={"merged": str(duplicate.public_id), "moved": moved})  # fmt: skip
    return survivor
