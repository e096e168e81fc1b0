"""Community-care writes and reads: the craft check, the social tariff, requests, interventions and surveys."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Avg, Count, DecimalField, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from moulin.care.enums import Channel, RequestStatus
from moulin.care.models import (
    Beneficiary,
    CareRefused,
    Intervention,
    InterventionPhoto,
    Request,
    ServiceType,
    SocialTariff,
    Survey,
    WorkKind,
)
from moulin.core.calendar import is_public_holiday
from moulin.core.capabilities import for_model
from moulin.core.models import AuditEvent
from moulin.core.pagination import kept_rows
from moulin.core.services import audit
from moulin.core.workflow import transition
from moulin.sequences.services import Series, register

#: the average satisfaction (1-5) as the figures show it
SATISFACTION = DecimalField(max_digits=4, decimal_places=2)

#: request reference numbers, gapless across the network and per year
REQUESTS = register(Series("care_request", "REQ-{year}-{number:05d}", per_organisation=False))

ACCEPTED, REFERRED, DECLINED = "accepted", "referred", "declined"

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024


# --- the craft rules ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CraftVerdict:
    """What the craft rules say of a job: ``accepted``, ``referred`` (with the referral text) or ``declined``."""

    outcome: str
    reason: str = ""
    referral_text: str = ""

    @property
    def accepted(self) -> bool:
        return self.outcome == ACCEPTED


def check_craft_rules(*, service_type: ServiceType, commune=None, work_kind: WorkKind | None = None,
                      description: str = "", hours=None, material_value=None) -> CraftVerdict:  # fmt: skip
    """The craft rules applied to one job. Excluded kinds of work (named, or recognised by their keywords in the
    description) and jobs above the service's hours or material value are referred to a craftsman, never taken;
    a service that is not offered (or not in the commune) declines."""
    if not service_type.is_active:
        return CraftVerdict(DECLINED, _("The service %(service)s is no longer offered.") % {"service": service_type})
    if commune is not None and not service_type.communes.filter(pk=commune.pk).exists():
        return CraftVerdict(DECLINED, _("The service %(service)s is not offered in %(commune)s.")
                            % {"service": service_type, "commune": commune})  # fmt: skip
    text = (description or "").lower()
    kinds = [work_kind] if work_kind is not None and work_kind.excluded else []
    if not kinds and text:
        kinds = [k for k in WorkKind.objects.excluded() if any(word in text for word in k.keyword_list())]
    if kinds:
        kind = kinds[0]
        return CraftVerdict(REFERRED, _("%(kind)s is left to craftsmen.") % {"kind": kind}, kind.referral_text)
    if hours is not None and service_type.max_hours is not None and Decimal(hours) > service_type.max_hours:
        return CraftVerdict(REFERRED, _("The job needs %(hours)s hours; an intervention takes at most %(max)s hours.")
                            % {"hours": hours, "max": service_type.max_hours}, service_type.referral_text)  # fmt: skip
    if (
        material_value is not None
        and service_type.max_material_value is not None
        and Decimal(material_value) > service_type.max_material_value
    ):
        return CraftVerdict(
            REFERRED,
            _("The job needs %(value)s EUR of material; an intervention uses at most %(max)s EUR.")
            % {"value": material_value, "max": service_type.max_material_value},
            service_type.referral_text,
        )
    return CraftVerdict(ACCEPTED)


# --- the social tariff ----------------------------------------------------------------------------------------


def tariff_for(*, organisation, monthly_income, household_size: int, on: datetime.date,
               bands=None) -> SocialTariff | None:  # fmt: skip
    """The band of the organisation's social tariff valid on ``on`` for this income and household: the band of
    the largest household size not above ``household_size`` whose income range holds ``monthly_income``.
    ``bands``: the organisation's bands already read (``organisation_bands``), to price many households with one
    query (a month's invoices)."""
    income = Decimal(monthly_income)
    if bands is None:
        bands = (
            SocialTariff.objects.filter(organisation=organisation, household_size__lte=household_size)
            .valid_on(on)
            .filter(income_from__lte=income)
            .filter(Q(income_to__isnull=True) | Q(income_to__gt=income))
        )
    fitting = [
        band for band in bands
        if band.household_size <= household_size and band.valid_from <= on
        and (band.valid_until is None or band.valid_until >= on)
        and band.income_from <= income and (band.income_to is None or band.income_to > income)
    ]  # fmt: skip
    return max(fitting, key=lambda band: (band.household_size, band.income_from), default=None)


def organisation_bands(organisation_id) -> list[SocialTariff]:
    """Every band of an organisation's social tariff, for ``tariff_for(bands=...)``."""
    return list(SocialTariff.objects.filter(organisation_id=organisation_id))


def hourly_price_for(beneficiary: Beneficiary, *, on: datetime.date, bands=None) -> Decimal:
    """The beneficiary's hourly price on ``on``; refuses (it would block billing) when the income band is not
    documented or no band applies."""
    problem = beneficiary.income_problem(on)
    if problem:
        raise CareRefused({"monthly_income": problem})
    band = tariff_for(organisation=beneficiary.organisation_id, monthly_income=beneficiary.monthly_income,
                      household_size=beneficiary.household_size, on=on, bands=bands)  # fmt: skip
    if band is None:
        raise CareRefused({"monthly_income": _("No band of the social tariff applies to this household on %(day)s.")
                           % {"day": on.isoformat()}})  # fmt: skip
    return band.hourly_price


@dataclass(frozen=True)
class Charge:
    """What a completed intervention bills at the social tariff, or why it cannot be billed yet."""

    hours: Decimal | None = None
    hourly_price: Decimal | None = None
    problem: str = ""

    @property
    def amount(self) -> Decimal | None:
        if self.problem or self.hours is None or self.hourly_price is None:
            return None
        return (self.hours * self.hourly_price).quantize(Decimal("0.01"))


def charge_for(intervention: Intervention) -> Charge:
    """The amount to bill for a completed intervention (hours worked at the beneficiary's hourly price on the day
    of the work); an income band without proof or past its review date blocks it, with the message saying why."""
    hours = intervention.hours if intervention.completed_on else intervention.planned_hours
    try:
        price = hourly_price_for(intervention.request.beneficiary, on=intervention.completed_on or intervention.date)
    except CareRefused as exc:
        return Charge(hours=hours, problem=" ".join(exc.messages))
    return Charge(hours=hours, hourly_price=price)


# --- requests -------------------------------------------------------------------------------------------------


@transaction.atomic
def record_request(*, actor, beneficiary: Beneficiary, service_type: ServiceType, description: str,
                   channel: str = Channel.PHONE, work_kind: WorkKind | None = None, estimated_hours=None,
                   estimated_material_value=None, received_on: datetime.date | None = None) -> Request:  # fmt: skip
    """Take a request, number it and check it against the craft rules at once: it is accepted, referred to a
    craftsman (with the referral text) or declined (with the reason). Never silently accepted."""
    if service_type.organisation_id != beneficiary.organisation_id:
        raise CareRefused({"service_type": _("Choose a service of the beneficiary's organisation.")})
    received_on = received_on or timezone.localdate()
    request = Request(
        organisation_id=beneficiary.organisation_id, beneficiary=beneficiary, commune_id=beneficiary.commune_id,
        service_type=service_type, work_kind=work_kind, channel=channel, received_on=received_on,
        description=description, estimated_hours=estimated_hours, estimated_material_value=estimated_material_value,
    )  # fmt: skip
    request.reference = REQUESTS.issue(year=received_on.year)
    request.full_clean()
    request.save()
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=request, detail={"channel": channel})
    verdict = check_craft_rules(service_type=service_type, commune=beneficiary.commune, work_kind=work_kind,
                                description=description, hours=estimated_hours,
                                material_value=estimated_material_value)  # fmt: skip
    if verdict.outcome == REFERRED:
        transition(request, "refer", actor=actor, on=received_on, reason=verdict.reason,
                   referral_text=verdict.referral_text)  # fmt: skip
    elif verdict.outcome == DECLINED:
        transition(request, "decline", actor=actor, on=received_on, reason=verdict.reason)
    else:
        transition(request, "accept", actor=actor, on=received_on)
    return request


def decline_request(request: Request, *, actor, reason: str) -> Request:
    return transition(request, "decline", actor=actor, reason=reason)


def cancel_request(request: Request, *, actor, reason: str = "") -> Request:
    return transition(request, "cancel", actor=actor, reason=reason)


# --- interventions --------------------------------------------------------------------------------------------


def check_schedule(request: Request, *, team, date: datetime.date, planned_hours) -> None:
    """A request is scheduled for an active team of its organisation, on a day that is no public holiday, within
    the craft rule's hours."""
    errors = {}
    if team is not None and (team.project.organisation_id != request.organisation_id or not team.is_active):
        errors["team"] = _("Choose an active team of the organisation that took the request.")
    if date is not None and is_public_holiday(date):
        errors["date"] = _("%(day)s is a public holiday: choose another day.") % {"day": date.isoformat()}
    if date is not None and date < request.received_on:
        errors["date"] = _("The intervention comes after the request was received.")
    limit = request.service_type.max_hours
    if planned_hours is not None and limit is not None and Decimal(planned_hours) > limit:
        errors["planned_hours"] = _("An intervention takes at most %(max)s hours (craft rule): refer a longer job "
                                    "to a craftsman.") % {"max": limit}  # fmt: skip
    if errors:
        raise CareRefused(errors)


@transaction.atomic
def schedule(request: Request, *, actor, team, date: datetime.date, planned_hours) -> Intervention:
    """Plan the intervention that answers an accepted request."""
    if request.status != RequestStatus.ACCEPTED:
        raise CareRefused({"date": _("Only an accepted request is scheduled (this one is: %(status)s).")
                           % {"status": request.get_status_display()}})  # fmt: skip
    check_schedule(request, team=team, date=date, planned_hours=planned_hours)
    intervention = Intervention(request=request, team=team, date=date, planned_hours=planned_hours)
    intervention.full_clean()
    intervention.save()
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=intervention)
    transition(request, "schedule", actor=actor)
    return intervention


def check_photo(upload) -> str:
    """The photo's type as its content shows it (JPEG, PNG or WebP, at most 5 MB); refuses anything else."""
    import filetype

    if upload.size > MAX_PHOTO_BYTES:
        raise CareRefused({"photo": _("The photo is larger than 5 MB: send a smaller one.")})
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in PHOTO_TYPES:
        raise CareRefused({"photo": _("Upload a photo in JPEG, PNG or WebP format.")})
    return kind.mime


def check_completion(intervention: Intervention, *, hours, material_value, on) -> None:
    service = intervention.request.service_type
    errors = {}
    if hours is not None and service.max_hours is not None and Decimal(hours) > service.max_hours:
        errors["hours"] = _("An intervention takes at most %(max)s hours (craft rule): the rest of the job is "
                            "referred to a craftsman.") % {"max": service.max_hours}  # fmt: skip
    if (
        material_value is not None
        and service.max_material_value is not None
        and Decimal(material_value) > service.max_material_value
    ):
        errors["material_value"] = _("An intervention uses at most %(max)s EUR of material (craft rule).") % {
            "max": service.max_material_value
        }
    if on is not None and on < intervention.date:
        errors["completed_on"] = _("The work is completed on or after the planned day.")
    if on is not None and on > timezone.localdate():
        errors["completed_on"] = _("The work cannot be completed in the future.")
    if errors:
        raise CareRefused(errors)


@transaction.atomic
def complete_intervention(intervention: Intervention, *, actor, hours, on: datetime.date, materials: str = "",
                          material_value=None, note: str = "", photo=None, worker=None) -> Intervention:  # fmt: skip
    """Record the work done (hours, materials, a note, an optional photo), complete the request and open its
    satisfaction survey. The apps that record hours check (or record) them through their ``completion_hooks``:
    field work's time entries on the intervention, or the entry of the ``worker`` who did the job."""
    if intervention.completed_on is not None:
        raise CareRefused({"hours": _("This intervention is already completed.")})
    check_completion(intervention, hours=hours, material_value=material_value, on=on)
    mime = check_photo(photo) if photo else None
    intervention.hours, intervention.completed_on = hours, on
    intervention.materials, intervention.material_value, intervention.note = materials, material_value, note
    intervention.full_clean()
    intervention.save()
    for hook in for_model("completion_hooks", "care.Intervention"):
        hook(intervention, actor=actor, hours=hours, on=on, worker=worker)
    if photo:
        InterventionPhoto.objects.create(intervention=intervention, image=photo, content_type=mime, size=photo.size)
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=intervention, detail={"completed": on.isoformat()})
    transition(intervention.request, "complete", actor=actor, on=on)
    Survey.objects.create(request=intervention.request, sent_on=on)
    return intervention


# --- surveys --------------------------------------------------------------------------------------------------


@transaction.atomic
def answer_survey(survey: Survey, *, actor=None, satisfaction: int, channel: str, on_time=None,
                  would_recommend=None, comment: str = "", on: datetime.date | None = None) -> Survey:  # fmt: skip
    """Record the answer once (from the one-time link, or by phone); a second answer is refused."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_answered:
        raise CareRefused({"satisfaction": _("This survey has already been answered.")})
    survey.satisfaction, survey.channel, survey.on_time = satisfaction, channel, on_time
    survey.would_recommend, survey.comment = would_recommend, comment
    survey.answered_on = on or timezone.localdate()
    survey.full_clean()
    survey.save()
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=survey, detail={"answered": channel})
    return survey


def service_figures(service_types, requests, surveys, *, with_surveys=True):
    """Each service with ``n_requests``, ``n_referred``, ``n_declined``, ``n_completed``, ``n_answers``, the
    average ``satisfaction`` and ``n_recommend`` (answers that would recommend the service), over ``requests`` and
    ``surveys`` (already what the user may count).

    ``with_surveys=False`` leaves the three survey figures out of the statement: a page of rows gets them from
    ``survey_figures`` in one grouped query (a correlated subquery per service scans the answered surveys once per
    service on PostgreSQL: 27 of the list's 36 ms on the demo)."""
    from django.db.models import IntegerField, Subquery
    from django.db.models.functions import Coalesce

    def count(status=None):
        rows = requests.filter(service_type=OuterRef("pk"))
        if status is not None:
            rows = rows.filter(status=status)
        rows = rows.order_by().values("service_type").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    figures = service_types.annotate(
        n_requests=count(),
        n_referred=count(RequestStatus.REFERRED),
        n_declined=count(RequestStatus.DECLINED),
        n_completed=count(RequestStatus.COMPLETED),
    )
    if not with_surveys:
        return figures
    answered = surveys.answered().filter(request__service_type=OuterRef("pk")).order_by()
    answered = answered.values("request__service_type")
    recommend = answered.filter(would_recommend=True)
    return figures.annotate(
        n_answers=Coalesce(Subquery(answered.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
        satisfaction=Subquery(answered.annotate(a=Avg("satisfaction")).values("a"), output_field=SATISFACTION),
        n_recommend=Coalesce(Subquery(recommend.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
    )


def request_figures(services, requests) -> None:
    """Set ``n_requests``, ``n_referred``, ``n_declined`` and ``n_completed`` on each of ``services`` (those of a
    page), as ``service_figures`` computes them, from one grouped query over ``requests`` (already what the user
    may count): four subqueries per service read a service's requests four times (the statement was 4 of the
    list's 14 ms on PostgreSQL). Kept until the data changes (``kept_rows``)."""
    rows = (
        requests.filter(service_type__in=[s.pk for s in services])
        .order_by()
        .values("service_type")
        .annotate(
            n=Count("pk"),
            referred=Count("pk", filter=Q(status=RequestStatus.REFERRED)),
            declined=Count("pk", filter=Q(status=RequestStatus.DECLINED)),
            completed=Count("pk", filter=Q(status=RequestStatus.COMPLETED)),
        )
    )
    found = {
        row["service_type"]: (row["n"], row["referred"], row["declined"], row["completed"]) for row in kept_rows(rows)
    }
    for service in services:
        service.n_requests, service.n_referred, service.n_declined, service.n_completed = found.get(
            service.pk, (0, 0, 0, 0)
        )


def survey_figures(services, surveys) -> None:
    """Set ``n_answers``, ``satisfaction`` and ``n_recommend`` on each of ``services`` (those of a page), as
    ``service_figures`` computes them, from one grouped query over ``surveys`` (already what the user may count),
    kept until the data changes (``kept_rows``)."""
    rows = (
        surveys.answered()
        .filter(request__service_type__in=[s.pk for s in services])
        .order_by()
        .values("request__service_type")
        .annotate(
            n=Count("pk"),
            a=Avg("satisfaction", output_field=SATISFACTION),
            r=Count("pk", filter=Q(would_recommend=True)),
        )
    )
    found = {row["request__service_type"]: (row["n"], row["a"], row["r"]) for row in kept_rows(rows)}
    for service in services:
        service.n_answers, service.satisfaction, service.n_recommend = found.get(service.pk, (0, None, 0))


def survey_results(surveys):
    """Answered surveys per service line (community care, environment…) over the organisations the user counts:
    how many organisations and services, how many answers, the average satisfaction, how many would recommend the
    service. ``surveys`` is already what the user may count (``counted_for``). A row per line, however large the
    network: the figures per organisation and service are the paginated "community care in figures" list."""
    from moulin.care.enums import ServiceLine

    rows = (
        surveys.answered()
        .values("request__service_type__service_line")
        .annotate(
            organisations=Count("request__organisation", distinct=True),
            services=Count("request__service_type", distinct=True),
            answers=Count("pk"),
            satisfaction=Avg("satisfaction"),
            recommend=Count("pk", filter=Q(would_recommend=True)),
        )
        .order_by("request__service_type__service_line")
    )
    labels = dict(ServiceLine.choices)
    return [{**row, "line": labels.get(row["request__service_type__service_line"], "")} for row in kept_rows(rows)]


# --- personal data: retention, erasure, access export (the person-record mechanism, moulin.core.persons) -------

REMOVED = "—"


def expired_beneficiaries(today: datetime.date):
    """Beneficiaries whose retention period has passed: no request still open, and their last intervention (or,
    without one, their last request; without any, their record) is older than the network's setting."""
    from moulin.care.enums import OPEN_REQUEST_STATUSES
    from moulin.care.models import CareSettings

    limit = today - relativedelta(years=CareSettings.load().retention_years)
    open_requests = Request.objects.filter(beneficiary=OuterRef("pk"), status__in=OPEN_REQUEST_STATUSES)
    return (
        Beneficiary.objects.not_anonymised()
        .annotate(last_visit=Max("requests__intervention__date"), last_request=Max("requests__received_on"))
        .exclude(Exists(open_requests))
        .filter(
            Q(last_visit__lt=limit)
            | Q(last_visit__isnull=True, last_request__lt=limit)
            | Q(last_visit__isnull=True, last_request__isnull=True, created_at__date__lt=limit)
        )
        .order_by("pk")
    )


@transaction.atomic
def anonymise_beneficiary(beneficiary: Beneficiary, *, actor, reason: str) -> Beneficiary:
    """Remove name, address, contact, income details and the free text of the requests, interventions and
    surveys (and the photos of the home); keep the statistical facts (kind, commune, household size, the
    requests' services, statuses and dates, the hours worked, the survey scores), so the figures stay equal."""
    from moulin.core.persons import forget_in_audit

    if beneficiary.anonymised_at:
        return beneficiary
    for name in ("first_name", "last_name", "address", "postcode", "phone", "email", "income_proof",
                 "contact_name", "contact_phone"):  # fmt: skip
        setattr(beneficiary, name, "")
    beneficiary.monthly_income = None
    beneficiary.income_review_on = None
    beneficiary.anonymised_at = timezone.now()
    beneficiary.save()
    requests = Request.objects.filter(beneficiary=beneficiary)
    requests.update(description=REMOVED)
    Intervention.objects.filter(request__in=requests).update(note="")
    Survey.objects.filter(request__in=requests).update(comment="")
    for photo in InterventionPhoto.objects.filter(intervention__request__in=requests):
        photo.image.delete(save=False)
        photo.delete()
    forget_in_audit(beneficiary, shown_as=beneficiary.display_name)
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=beneficiary, detail={"anonymised": reason})
    return beneficiary


def erase_beneficiary(beneficiary: Beneficiary, *, actor) -> Beneficiary:
    """An erasure request: the same anonymisation, at once."""
    from moulin.core.persons import erase

    return erase(beneficiary, actor=actor)


def anonymise_expired_beneficiaries(*, actor=None, today=None) -> int:
    from moulin.core.persons import anonymise_expired

    return anonymise_expired("care.beneficiary", actor=actor, today=today)


BENEFICIARY_FIELDS = ("first_name", "last_name", "address", "postcode", "phone", "email", "household_size",
                      "monthly_income", "income_proof", "income_review_on", "contact_name", "contact_phone",
                      "consent", "consent_on")  # fmt: skip


def beneficiary_export(beneficiary: Beneficiary, user) -> dict:
    """Everything held on one beneficiary, as ``user`` may read it (the access export, GDPR art. 15)."""
    from moulin.core.persons import record_views

    b = beneficiary
    requests = list(Request.objects.visible_to(user).filter(beneficiary=b)
                    .select_related("service_type", "work_kind", "commune").order_by("received_on", "pk"))  # fmt: skip
    interventions = list(Intervention.objects.visible_to(user).filter(request__beneficiary=b)
                         .select_related("request", "team").order_by("date", "pk"))  # fmt: skip
    surveys = list(Survey.objects.visible_to(user).filter(request__beneficiary=b)
                   .select_related("request").order_by("sent_on", "pk"))  # fmt: skip
    return {
        "person": {f: getattr(b, f) for f in BENEFICIARY_FIELDS}
        | {"kind": b.get_kind_display(), "commune": b.commune.name, "organisation": b.organisation.name,
           "reference": str(b.public_id)},  # fmt: skip
        "requests": [
            {"reference": r.reference, "received_on": r.received_on, "channel": r.get_channel_display(),
             "service_type": r.service_type.name, "work_kind": str(r.work_kind or ""), "description": r.description,
             "status": r.get_status_display(), "reason": r.reason, "referral_text": r.referral_text}
            for r in requests
        ],
        "interventions": [
            {"request": i.request.reference, "date": i.date, "team": str(i.team), "planned_hours": i.planned_hours,
             "completed_on": i.completed_on, "hours": i.hours, "materials": i.materials, "note": i.note}
            for i in interventions
        ],
        "surveys": [
            {"request": s.request.reference, "sent_on": s.sent_on, "answered_on": s.answered_on,
             "channel": s.get_channel_display(), "satisfaction": s.satisfaction, "on_time": s.on_time,
             "would_recommend": s.would_recommend, "comment": s.comment}
            for s in surveys
        ],
        "record_views": record_views(b),
    }  # fmt: skip


def beneficiary_export_sections() -> dict:
    """The access export's sections, for the PDF's labels."""
    return {
        "person": (_("Person"), Beneficiary),
        "requests": (_("Requests"), Request),
        "interventions": (_("Interventions"), Intervention),
        "surveys": (_("Satisfaction surveys"), Survey),
    }
