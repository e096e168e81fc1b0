"""Every dashboard figure against a count from the raw records, per role and per dimension; the period selector;
the records behind a figure; exports; small counts for the ministry; the home links."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import Avg, Q, Sum
from django.urls import reverse
from django.utils import timezone

from moulin.care.models import Beneficiary, Intervention, Request, Survey
from moulin.fieldwork.models import TimeEntry
from moulin.organisations.models import Agreement, Domain
from moulin.participants import enums
from moulin.participants.models import EmploymentContract, Exit, FollowUp, Participant
from moulin.projects.models import IndicatorValue, Project
from moulin.reporting.figures import Figure, suppress
from moulin.territory.models import Commune
from moulin.training.models import Attendance
from tests.conftest import DEMO_ROLES
from tests.picking import pick


def _year():
    return timezone.localdate().year


def raw_figures(user, year, *, kind="network", obj=None):
    """The dashboard's figures computed here, from the raw records the user may count, independently of the
    reporting app's measures."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def c(model):
        return model.objects.counted_for(user)

    def dim(qs, paths):
        if kind == "network":
            return qs.distinct()
        return qs.filter(**{paths[kind]: obj.pk}).distinct()

    contracts = dim(
        c(EmploymentContract).filter(start__year=year, renewal_of__isnull=True),
        {
            "organisation": "organisation",
            "project": "project",
            "domain": "project__domain",
            "commune": "project__communes",
        },
    )
    active = dim(
        c(Participant).filter(
            Q(contracts__start__lte=end) & (Q(contracts__last_day__gte=start) | Q(contracts__last_day__isnull=True))
        ),
        {
            "organisation": "contracts__organisation",
            "project": "contracts__project",
            "domain": "contracts__project__domain",
            "commune": "contracts__project__communes",
        },
    )
    record_paths = {
        "organisation": "participant__organisation",
        "project": "participant__contracts__project",
        "domain": "participant__contracts__project__domain",
        "commune": "participant__contracts__project__communes",
    }
    exits = dim(c(Exit).filter(date__year=year), record_paths)
    follow = dim(c(FollowUp).filter(exit__date__year=year, done_on__isnull=False), record_paths)
    out = {
        "hires": contracts.count(),
        "active_workers": active.count(),
        "exits": exits.count(),
        "exits_to_employment": exits.filter(situation__in=enums.EMPLOYED_SITUATIONS).count(),
        "six_months": follow.count(),
    }
    targets = dim(
        c(IndicatorValue).filter(indicator__source="hires", year=year),
        {
            "organisation": "indicator__project__organisation",
            "project": "indicator__project",
            "domain": "indicator__project__domain",
            "commune": "indicator__project__communes",
        },
    )
    target = IndicatorValue.objects.filter(pk__in=targets.values("pk")).aggregate(t=Sum("target"))["t"]
    out["hires_target"] = None if target is None else Decimal(target)
    if True:
        entries = dim(
            c(TimeEntry).filter(date__year=year),
            {
                "organisation": "team__project__organisation",
                "project": "team__project",
                "domain": "team__project__domain",
                "commune": "work_order__site__commune",
            },
        )
        out["hours_worked"] = Decimal(
            round(TimeEntry.objects.filter(pk__in=entries.values("pk")).aggregate(h=Sum("hours"))["h"] or 0)
        )
    care_paths = {
        "organisation": "organisation",
        "commune": "commune",
        "project": "service_type__project",
        "domain": "service_type__project__domain",
    }
    served = c(Beneficiary).filter(requests__intervention__completed_on__year=year)
    if kind != "network":
        served = served.filter(
            **{
                {
                    "organisation": "organisation",
                    "commune": "commune",
                    "project": "requests__service_type__project",
                    "domain": "requests__service_type__project__domain",
                }[kind]: obj.pk
            }
        )
    out["beneficiaries_served"] = served.distinct().count()
    out["interventions"] = dim(
        c(Intervention).filter(completed_on__year=year),
        {
            "organisation": "request__organisation",
            "commune": "request__commune",
            "project": "team__project",
            "domain": "team__project__domain",
        },
    ).count()
    out["requests_referred"] = dim(c(Request).filter(received_on__year=year, status="referred"), care_paths).count()
    surveys = dim(
        c(Survey).filter(answered_on__year=year, satisfaction__isnull=False),
        {k: f"request__{v}" for k, v in care_paths.items()},
    )
    out["surveys_answered"] = surveys.count()
    avg = Survey.objects.filter(pk__in=surveys.values("pk")).aggregate(a=Avg("satisfaction"))["a"]
    out["satisfaction"] = None if avg is None else Decimal(avg).quantize(Decimal("0.1"))
    if kind == "network":
        att = c(Attendance).filter(date__year=year, status="present")
        out["training_hours"] = Decimal(round(att.aggregate(h=Sum("enrolment__session__hours_per_day"))["h"] or 0))
    if kind in ("network", "organisation", "commune"):
        on = min(end, timezone.localdate())
        agreements = c(Agreement).current(on)
        if kind != "network":
            agreements = agreements.filter(**{kind: obj.pk})
        out["communes_covered"] = agreements.values("commune").distinct().count()
    return out


def shown(response) -> dict:
    figures = {f.key: f for s in response.context["sections"] for f in s.figures}
    out = {}
    for key, f in figures.items():
        out[key] = f.value
        if key == "hires":
            out["hires_target"] = f.target
    return out


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_network_dashboard_figures_equal_the_raw_records(role, client_as):
    client = client_as(role)
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    got = shown(response)
    want = raw_figures(client.user, _year())
    assert got["hires_target"] == want.pop("hires_target")
    for key, value in want.items():
        if key in got:
            f = next(f for s in response.context["sections"] for f in s.figures if f.key == key)
            if f.suppressed:
                assert 0 < value < 5, key
                continue
            assert got[key] == value, (role, key)
    assert {
        "hires",
        "active_workers",
        "exits",
        "hours_worked",
        "beneficiaries_served",
        "requests_referred",
        "satisfaction",
        "communes_covered",
        "training_hours",
        "funding_mix",
    } <= set(got)


def test_the_demo_hires_against_their_target(client_as):
    got = shown(client_as("staff").get(reverse("reporting:dashboard")))
    assert got["hires"] == EmploymentContract.objects.filter(start__year=_year(), renewal_of__isnull=True).count()
    assert got["hires_target"] and got["hires_target"] > 0  # the "hires" indicators' targets


def _dimension_objects(home_org):
    hired = EmploymentContract.objects.filter(start__year=_year(), organisation=home_org).values("project")
    project = pick(Project.objects.filter(pk__in=hired).order_by("pk"))
    commune = pick(Commune.objects.filter(projects=project))
    return {"organisation": home_org, "project": project, "commune": commune, "domain": project.domain}


@pytest.mark.parametrize("kind", ["organisation", "commune", "project", "domain"])
@pytest.mark.parametrize("role", ["staff", "manager", "board"])
def test_dimension_dashboards_equal_the_raw_records(kind, role, client_as, home_org):
    obj = _dimension_objects(home_org)[kind]
    client = client_as(role)
    url = reverse(f"reporting:{kind}_dashboard", kwargs={"pk": obj.pk}) + f"?year={_year()}"
    response = client.get(url)
    if response.status_code == 404:  # not a record this role sees (a domain, a commune: everyone does)
        assert kind == "project"
        return
    assert response.status_code == 200
    got = shown(response)
    want = raw_figures(client.user, _year(), kind=kind, obj=obj)
    for key, value in want.items():
        if key in got:
            assert got[key] == value, (role, kind, key)
    assert got["hires"] > 0 if kind != "commune" or role == "staff" else True


def test_the_ministry_reads_the_network_only_and_no_person(client_as, home_org):
    client = client_as("ministry")
    assert client.get(reverse("reporting:organisation_dashboard", kwargs={"pk": home_org.pk})).status_code == 403
    response = client.get(reverse("reporting:dashboard") + f"?year={_year()}&period=q1")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("reporting:records") not in html  # no link to records
    for s in response.context["sections"]:
        for f in s.figures:
            assert not f.url
            for p in f.breakdown:
                if p["value"] is not None and 0 < p["value"] < 5 and f.people:
                    assert p["suppressed"]
    assert client.get(reverse("reporting:records") + "?figure=hires").status_code == 403


def test_small_counts_suppressed_for_aggregate_only_roles(demo_user):
    ministry, staff = demo_user("ministry"), demo_user("staff")

    def figure():
        return Figure(
            "x",
            "x",
            value=3,
            previous=12,
            breakdown=[
                {"key": "a", "label": "a", "value": 2, "previous": 4, "url": "/x"},
                {"key": "b", "label": "b", "value": 9, "previous": 0, "url": "/y"},
            ],
        )

    hidden = suppress(figure(), ministry.scope)
    assert hidden.suppressed and hidden.as_dict()["value"] is None
    assert [p["suppressed"] for p in hidden.breakdown] == [True, False]
    assert hidden.breakdown[0]["previous"] is None and not hidden.breakdown[1]["url"]
    shown_ = suppress(figure(), staff.scope)
    assert not shown_.suppressed and shown_.value == 3 and shown_.breakdown[0]["url"] == "/x"


@pytest.mark.parametrize("query", ["?year=abc", "?year=1999", "?year=2025&period=q7", "?year=%F0%9F"])
def test_a_malformed_year_or_period_is_a_clear_message(query, client_as, home_org):
    client = client_as("staff")
    for url in (
        reverse("reporting:dashboard"),
        reverse("reporting:organisation_dashboard", args=[home_org.pk]),
        reverse("reporting:records") + "?figure=hires&",
    ):
        response = client.get(url + (query if "?" not in url else query[1:]))
        assert response.status_code == 400, url
        assert response.context["error"]


def test_a_period_with_no_data_is_an_empty_state(client_as):
    response = client_as("staff").get(reverse("reporting:dashboard") + "?year=2001")
    assert response.status_code == 200
    assert response.context["empty"], [
        (f.key, f.value, f.previous) for s in response.context["sections"] for f in s.figures
    ]
    assert 'data-testid="empty"' in response.content.decode()


def test_previous_year_comparison(client_as):
    y = _year()
    response = client_as("staff").get(reverse("reporting:dashboard") + f"?year={y}")
    hires = next(f for s in response.context["sections"] for f in s.figures if f.key == "hires")
    assert hires.previous == EmploymentContract.objects.filter(start__year=y - 1, renewal_of__isnull=True).count()


@pytest.mark.parametrize(
    "key",
    [
        "hires",
        "active_workers",
        "exits",
        "hours_worked",
        "beneficiaries_served",
        "requests_referred",
        "training_hours",
        "communes_covered",
        "surveys_answered",
    ],
)
def test_the_records_behind_a_figure(key, client_as):
    client = client_as("staff")
    y = _year() - 1  # last year is a whole year of records on any test day (on 1 January this year has one day)
    dashboard = client.get(reverse("reporting:dashboard") + f"?year={y}")
    f = next(f for s in dashboard.context["sections"] for f in s.figures if f.key == key)
    assert f.url
    response = client.get(f.url)
    assert response.status_code == 200
    count = response.context["page"].paginator.count
    if key in ("hours_worked", "training_hours", "communes_covered"):
        assert count > 0
    else:
        assert count == f.value
    part = f.breakdown[0] if f.breakdown else None
    if part and key not in ("hours_worked", "training_hours"):
        assert client.get(part["url"]).context["page"].paginator.count == part["value"]
    export = client.get(f.url + "&export=csv")
    assert export.status_code in (200, 302)  # a personal export may first ask for the password again


def test_records_of_an_unknown_figure_or_a_scope_not_seen(client_as, other_org):
    client = client_as("manager")
    assert client.get(reverse("reporting:records") + "?figure=nothing").status_code == 404
    url = reverse("reporting:records") + f"?figure=hires&dimension=organisation&id={other_org.pk}"
    assert client.get(url).status_code in (200, 404)
    assert client.get(reverse("reporting:records") + "?figure=hires&dimension=planet&id=1").status_code == 404


def test_dashboard_exports(client_as):
    client = client_as("staff")
    csv = client.get(reverse("reporting:dashboard") + f"?year={_year()}&export=csv")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    hires = EmploymentContract.objects.filter(start__year=_year(), renewal_of__isnull=True).count()
    assert f"Jobs and pathways,Jobs created,,{hires}," in text
    xlsx = client.get(reverse("reporting:dashboard") + "?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_svg_charts_are_drawn_on_the_server(client_as):
    html = client_as("staff").get(reverse("reporting:dashboard")).content.decode()
    assert "<svg" in html
    # Nothing is fetched from elsewhere: every script, stylesheet and image is served by the site itself. (A bare
    # "cdn" substring test once failed on a random CSRF token that happened to contain those letters.)
    loaded = re.findall(r"<(?:script|img|link)\b[^>]*\b(?:src|href)=\"([^\"]*)\"", html)
    assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded


@pytest.mark.parametrize("role", ["admin", "staff", "ministry"])
def test_the_homes_link_the_dashboard_and_show_the_hires(role, client_as):
    response = client_as(role).get(reverse("home:home"))
    html = response.content.decode()
    assert reverse("reporting:dashboard") in html
    panel = next(p for p in response.context["panels"] if p["template"] == "reporting/home_panel.html")
    assert (
        panel["hires"].value == EmploymentContract.objects.filter(start__year=_year(), renewal_of__isnull=True).count()
    )
    assert 'data-figure="hires"' in html


@pytest.mark.parametrize("role", ["admin", "manager", "ministry"])
def test_dashboard_query_count_is_bounded(role, client_as, django_assert_max_num_queries):
    client = client_as(role)
    client.get(reverse("reporting:dashboard"))
    with django_assert_max_num_queries(70):
        assert client.get(reverse("reporting:dashboard")).status_code == 200


def test_domain_dashboard_for_everyone_who_sees_the_domain(client_as):
    domain = pick(Domain.objects.filter(code="environment"))
    response = client_as("commune").get(reverse("reporting:domain_dashboard", args=[domain.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["staff", "manager", "ministry", "commune"])
def test_money_figures_equal_the_raw_records(role, client_as):
    from moulin.billing.enums import InvoiceStatus
    from moulin.billing.models import CreditNote, Invoice, Payment
    from moulin.contracts.models import Receipt
    from moulin.organisations.models import VolunteerHours

    client = client_as(role)
    user = client.user
    y = _year()
    got = {f.key: f for s in client.get(reverse("reporting:dashboard")).context["sections"] for f in s.figures}
    received = Receipt.objects.counted_for(user).filter(cancelled_on__isnull=True, received_on__year=y)
    hours = VolunteerHours.objects.counted_for(user).filter(date__year=y).aggregate(t=Sum("hours"))["t"] or 0
    from moulin.core.models import NetworkSettings

    in_kind = (Decimal(hours) * NetworkSettings.load().volunteer_hour_rate).quantize(Decimal("0.01"))
    assert got["funding_mix"].value == (received.aggregate(t=Sum("amount"))["t"] or 0) + in_kind
    open_ = Invoice.objects.counted_for(user).filter(
        status=InvoiceStatus.ISSUED, issued_on__lte=datetime.date(y, 12, 31)
    )
    due = Decimal(0)
    for invoice in open_:
        paid = Payment.objects.filter(invoice=invoice).aggregate(t=Sum("amount"))["t"] or 0
        credited = CreditNote.objects.filter(invoice=invoice).aggregate(t=Sum("total"))["t"] or 0
        due += invoice.total - paid - credited
    assert got["invoices_outstanding"].value == due
    assert got["invoices_outstanding"].extra["count"] == open_.count()
