"""This app's sections of the dashboards: the pathway (jobs, workers, exits), service delivery (hours, care),
training and the territory. Each figure is a ``Measure`` over one family of records (see ``figures.py``); the
money sections (funding mix, invoices outstanding) are contributed by the money apps' capabilities."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.care.enums import BeneficiaryKind, ServiceLine
from moulin.participants import enums as pathway
from moulin.participants.models import FIRST_CONTRACT
from moulin.reporting.figures import Measure, columns
from moulin.training.enums import CourseKind


def _in(field):
    return lambda q: Q(**{f"{field}__gte": q.start, f"{field}__lte": q.end})


def _domains():
    from moulin.organisations.models import Domain

    return dict(Domain.objects.values_list("pk", "name"))


def _choices(enum):
    return lambda: dict(enum.choices)


def hires_target(query):
    """The year's target of the "hires" indicators of the projects in the dimension (whole years only)."""
    if not query.period.is_year:
        return None
    from moulin.projects.models import IndicatorValue

    paths = {
        "organisation": "indicator__project__organisation",
        "project": "indicator__project",
        "domain": "indicator__project__domain",
        "commune": "indicator__project__communes",
    }
    rows = query.counted(IndicatorValue).filter(
        Q(indicator__source="hires", year=query.year) & query.filter_for(paths)
    )
    total = IndicatorValue.objects.filter(pk__in=rows.values("pk")).aggregate(t=Sum("target"))["t"]
    return None if total is None else Decimal(total).quantize(Decimal(1))


def _active(q):
    return Q(contracts__start__lte=q.end) & (Q(contracts__last_day__isnull=True) | Q(contracts__last_day__gte=q.start))


def _covered(q):
    on = min(q.end, timezone.localdate())
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


CONTRACT_PATHS = {
    "organisation": "organisation",
    "project": "project",
    "domain": "project__domain",
    "commune": "project__communes",
}
PERSON_PATHS = {
    "organisation": "contracts__organisation",
    "project": "contracts__project",
    "domain": "contracts__project__domain",
    "commune": "contracts__project__communes",
}
RECORD_PATHS = {
    "organisation": "participant__organisation",
    "project": "participant__contracts__project",
    "domain": "participant__contracts__project__domain",
    "commune": "participant__contracts__project__communes",
}
REQUEST_PATHS = {
    "organisation": "organisation",
    "commune": "commune",
    "project": "service_type__project",
    "domain": "service_type__project__domain",
}

HIRES = Measure(
    key="hires",
    label=_("Jobs created"),
    model="participants.EmploymentContract",
    paths=CONTRACT_PATHS,
    where=lambda q: _in("start")(q) & FIRST_CONTRACT,
    breakdown="project__domain",
    breakdown_labels=_domains,
    unit=_("hires"),
    target=hires_target,
    definition=_(
        "First employment contracts that started in the period (a renewal is not a new job); the target "
        "is the sum of the projects' yearly targets of their “hires” indicators."
    ),
    columns=columns(
        ("participant", _("worker"), "participant", ""),
        ("project", _("project"), "project", ""),
        ("start", _("start"), "start", "date"),
        ("organisation", _("organisation"), "organisation", ""),
    ),
    select_related=("participant", "project", "organisation"),
    title=_("Jobs created: first contracts"),
)
ACTIVE = Measure(
    key="active_workers",
    label=_("Active workers"),
    model="participants.Participant",
    paths=PERSON_PATHS,
    where=_active,
    where_many=True,
    breakdown="gender",
    breakdown_labels=_choices(pathway.Gender),
    unit=_("workers"),
    definition=_("Workers with an employment contract on at least one day of the period."),
    columns=columns(
        ("name", _("worker"), "display_name", ""),
        ("organisation", _("organisation"), "organisation", ""),
        ("status", _("status"), "status", ""),
    ),
    select_related=("organisation",),
)
EXITS = Measure(
    key="exits",
    label=_("Exits by situation upon leaving"),
    model="participants.Exit",
    paths=RECORD_PATHS,
    where=_in("date"),
    breakdown="situation",
    breakdown_labels=_choices(pathway.Situation),
    unit=_("exits"),
    definition=_("Workers who left in the period, by their situation within four weeks of leaving."),
    columns=columns(
        ("participant", _("worker"), "participant", ""),
        ("date", _("exit date"), "date", "date"),
        ("reason", _("reason"), "reason", ""),
        ("situation", _("situation upon leaving"), "situation", ""),
    ),
    select_related=("participant",),
)
EXITS_EMPLOYED = Measure(
    key="exits_to_employment",
    label=_("Exits to employment"),
    model="participants.Exit",
    paths=RECORD_PATHS,
    where=lambda q: _in("date")(q) & Q(situation__in=pathway.EMPLOYED_SITUATIONS),
    unit=_("exits"),
    definition=_(
        "Workers who left in the period and were in employment (including self-employment) within four "
        "weeks of leaving."
    ),
    columns=EXITS.columns,
    select_related=EXITS.select_related,
)
FOLLOW_UPS = Measure(
    key="six_months",
    label=_("Situation six months after leaving"),
    model="participants.FollowUp",
    paths=RECORD_PATHS,
    where=lambda q: _in("exit__date")(q) & Q(done_on__isnull=False),
    breakdown="situation",
    breakdown_labels=_choices(pathway.Situation),
    unit=_("follow-ups"),
    definition=_("Workers who left in the period and whose six-month follow-up is recorded, by their situation then."),
    columns=columns(
        ("participant", _("worker"), "participant", ""),
        ("exit", _("exit date"), "exit.date", "date"),
        ("done_on", _("recorded on"), "done_on", "date"),
        ("situation", _("situation six months after"), "situation", ""),
    ),
    select_related=("participant", "exit"),
)
HOURS = Measure(
    key="hours_worked",
    label=_("Hours worked by domain"),
    model="fieldwork.TimeEntry",
    paths={
        "organisation": "team__project__organisation",
        "project": "team__project",
        "domain": "team__project__domain",
        "commune": "work_order__site__commune",
    },
    where=_in("date"),
    value="sum:hours",
    breakdown="team__project__domain",
    breakdown_labels=_domains,
    # the entries of a month added up by team, site and worker's organisation (decision 0010): the figure reads
    # some thousand summary rows a year instead of every entry; tests/reporting/test_hours_summary.py keeps both
    summary={
        "model": "fieldwork.HoursSummary",
        "paths": {
            "organisation": "team__project__organisation",
            "project": "team__project",
            "domain": "team__project__domain",
            "commune": "site__commune",
        },
        "where": _in("month"),
        "value": "sum:hours",
        "breakdown": "team__project__domain",
    },
    unit=_("hours"),
    people=False,
    definition=_(
        "Hours the workers recorded in the period (time entries on work orders, training and coaching), by "
        "the domain of their team's project; for a commune, the hours on its sites."
    ),
    columns=columns(
        ("date", _("day"), "date", "date"),
        ("participant", _("worker"), "participant", ""),
        ("team", _("team"), "team", ""),
        ("hours", _("hours"), "hours", "number"),
        ("kind", _("for"), "kind", ""),
    ),
    select_related=("participant", "team"),
)
TRAINING = Measure(
    key="training_hours",
    label=_("Training hours"),
    model="training.Attendance",
    paths={"organisation": "enrolment__session__course__organisation"},
    where=lambda q: _in("date")(q) & Q(status="present"),
    value="sum:enrolment__session__hours_per_day",
    breakdown="enrolment__session__course__kind",
    unit=_("hours"),
    people=False,
    breakdown_labels=_choices(CourseKind),
    definition=_(
        "Hours of training attended in the period: each day a trainee was present counts the session's hours per day."
    ),
    columns=columns(
        ("date", _("day"), "date", "date"),
        ("enrolment", _("enrolment"), "enrolment", ""),
        ("status", _("attendance"), "status", ""),
    ),
    select_related=("enrolment", "enrolment__session", "enrolment__session__course"),
)
BENEFICIARIES = Measure(
    key="beneficiaries_served",
    label=_("Beneficiaries served"),
    model="care.Beneficiary",
    paths={
        "organisation": "organisation",
        "commune": "commune",
        "project": "requests__service_type__project",
        "domain": "requests__service_type__project__domain",
    },
    where=_in("requests__intervention__completed_on"),
    where_many=True,
    breakdown="kind",
    unit=_("beneficiaries"),
    breakdown_labels=_choices(BeneficiaryKind),
    definition=_("People for whom at least one intervention was completed in the period."),
    columns=columns(
        ("name", _("beneficiary"), "__str__", ""),
        ("commune", _("commune"), "commune", ""),
        ("kind", _("kind"), "kind", ""),
    ),
    select_related=("commune",),
)
INTERVENTIONS = Measure(
    key="interventions",
    label=_("Interventions completed"),
    model="care.Intervention",
    paths={
        "organisation": "request__organisation",
        "commune": "request__commune",
        "project": "team__project",
        "domain": "team__project__domain",
    },
    where=_in("completed_on"),
    breakdown="request__service_type__service_line",
    unit=_("interventions"),
    breakdown_labels=_choices(ServiceLine),
    definition=_("Community-care interventions completed in the period, by service line."),
    columns=columns(
        ("request", _("request"), "request", ""),
        ("completed_on", _("completed on"), "completed_on", "date"),
        ("hours", _("hours worked"), "hours", "number"),
        ("team", _("team"), "team", ""),
    ),
    select_related=("request", "team"),
)
REFERRED = Measure(
    key="requests_referred",
    label=_("Requests referred to craftsmen"),
    model="care.Request",
    paths=REQUEST_PATHS,
    where=lambda q: _in("received_on")(q) & Q(status="referred"),
    unit=_("requests"),
    definition=_(
        "Requests received in the period that fall within the craft sector and were referred to local craftsmen."
    ),
    columns=columns(
        ("reference", _("reference"), "reference", ""),
        ("received_on", _("received on"), "received_on", "date"),
        ("commune", _("commune"), "commune", ""),
        ("work_kind", _("work"), "work_kind", ""),
    ),
    select_related=("commune", "work_kind"),
)
SATISFACTION = Measure(
    key="satisfaction",
    label=_("Satisfaction"),
    model="care.Survey",
    paths={
        "organisation": "request__organisation",
        "commune": "request__commune",
        "project": "request__service_type__project",
        "domain": "request__service_type__project__domain",
    },
    where=lambda q: _in("answered_on")(q) & Q(satisfaction__isnull=False),
    value="avg:satisfaction",
    decimals=1,
    unit=_("out of 5"),
    people=False,
    definition=_("Average satisfaction (1 to 5) of the surveys answered in the period."),
    columns=columns(
        ("request", _("request"), "request", ""),
        ("answered_on", _("answered on"), "answered_on", "date"),
        ("satisfaction", _("satisfaction"), "satisfaction", "number"),
    ),
    select_related=("request",),
)
SURVEYS = Measure(
    key="surveys_answered",
    label=_("Surveys answered"),
    model="care.Survey",
    paths=SATISFACTION.paths,
    where=SATISFACTION.where,
    unit=_("answers"),
    breakdown="satisfaction",
    breakdown_labels=lambda: {n: str(n) for n in range(1, 6)},
    definition=_("Satisfaction surveys answered in the period, by the score given."),
    columns=SATISFACTION.columns,
    select_related=SATISFACTION.select_related,
)
COVERED = Measure(
    key="communes_covered",
    label=_("Communes covered"),
    model="organisations.Agreement",
    paths={"organisation": "organisation", "commune": "commune"},
    where=_covered,
    state=True,
    value="distinct:commune",
    unit=_("communes"),
    people=False,
    definition=_("Communes with which an organisation holds an agreement on the last day of the period (or today)."),
    columns=columns(
        ("organisation", _("organisation"), "organisation", ""),
        ("commune", _("commune"), "commune", ""),
        ("start", _("start"), "start", "date"),
        ("end", _("end"), "end", "date"),
    ),
    select_related=("organisation", "commune"),
)

PATHWAY = (HIRES, ACTIVE, EXITS, EXITS_EMPLOYED, FOLLOW_UPS)
SERVICE = (HOURS, BENEFICIARIES, INTERVENTIONS, REFERRED, SATISFACTION, SURVEYS)
LEARNING = (TRAINING,)
TERRITORY = (COVERED,)
MEASURES = PATHWAY + SERVICE + LEARNING + TERRITORY


def _section(measures):
    def figures(query):
        return [m.figure(query) for m in measures if m.applies(query)]

    return figures


pathway_figures = _section(PATHWAY)
service_figures = _section(SERVICE)
training_figures = _section(LEARNING)
territory_figures = _section(TERRITORY)
