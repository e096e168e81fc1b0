"""The annual activity report: asked for a year and a scope, made in the background (``django.tasks``), its PDF text
and XLSX cells checked against the raw records; a failure says why and keeps no file; a scope not seen is refused."""

import datetime
import io

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from moulin.accounts.models import RoleAssignment
from moulin.organisations.enums import OrganisationKind
from moulin.organisations.models import Agreement, Organisation
from moulin.participants.models import EmploymentContract
from moulin.projects.models import Project
from moulin.reporting.models import AnnualReport, ReportStatus


def _year():
    return timezone.localdate().year


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def _ask(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:annual_report"), {"year": _year(), **data})
    return response


def test_network_report_pdf_and_workbook(client_as, django_capture_on_commit_callbacks):
    client = client_as("staff")
    response = _ask(client, django_capture_on_commit_callbacks)
    report = AnnualReport.objects.get(requested_by=client.user)
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.progress == 100, report.error
    page = client.get(report.get_absolute_url())
    assert "The report is ready." in page.content.decode()

    y = _year()
    hires = EmploymentContract.objects.filter(start__year=y, renewal_of__isnull=True).count()
    members = Organisation.objects.filter(is_active=True, kind=OrganisationKind.MEMBER).count()
    running = Project.objects.running_in(y).count()

    pdf = client.get(reverse("reporting:annual_report_download", args=[report.pk]) + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert f"Member organisations {members}" in text
    assert f"Projects running {running}" in text
    assert f"Jobs created {hires}" in text
    assert "Projects by domain and term" in text and "Service lines and their volumes" in text

    xlsx = client.get(reverse("reporting:annual_report_download", args=[report.pk]) + "?format=xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[:3] == ["Headline figures", "Projects by domain and term", "Service lines and their volumes"]
    headline = {row[0]: row[1] for row in wb["Headline figures"].iter_rows(min_row=2, values_only=True)}
    assert headline["Member organisations"] == members
    assert headline["Projects running"] == running
    assert headline["Jobs created"] == hires
    by_domain = list(wb["Projects by domain and term"].iter_rows(min_row=2, values_only=True))
    assert sum(r[-1] for r in by_domain) == running
    listing = list(wb["Projects running in the year"].iter_rows(min_row=2, values_only=True))
    assert len(listing) == running
    assert (
        sum(r[4] for r in listing)
        == EmploymentContract.objects.filter(
            start__year=y, renewal_of__isnull=True, project__in=Project.objects.running_in(y)
        ).count()
    )


def test_a_report_for_an_organisation(client_as, home_org, django_capture_on_commit_callbacks):
    client = client_as("manager")
    _ask(client, django_capture_on_commit_callbacks, dimension="organisation", id=home_org.pk)
    report = AnnualReport.objects.get(requested_by=client.user)
    assert report.status == ReportStatus.READY, report.error
    wb = load_workbook(io.BytesIO(bytes(report.xlsx)))
    headline = {row[0]: row[1] for row in wb["Headline figures"].iter_rows(min_row=2, values_only=True)}
    assert (
        headline["Jobs created"]
        == EmploymentContract.objects.filter(
            start__year=_year(), renewal_of__isnull=True, organisation=home_org
        ).count()
    )


def test_a_scope_the_user_may_not_see_is_refused(client_as, other_org, home_org, django_capture_on_commit_callbacks):
    assert (
        _ask(
            client_as("manager"), django_capture_on_commit_callbacks, dimension="organisation", id=other_org.pk
        ).status_code
        == 404
    )
    assert (
        _ask(
            client_as("ministry"), django_capture_on_commit_callbacks, dimension="organisation", id=home_org.pk
        ).status_code
        == 403
    )
    assert not AnnualReport.objects.exists()


def test_a_malformed_year_is_a_message(client_as, django_capture_on_commit_callbacks):
    client = client_as("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:annual_report"), {"year": "twenty"}, follow=True)
    assert "is not a year" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_a_failed_generation_says_why_and_keeps_no_file(client_as, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("moulin.reporting.pdf.report_pdf", broken)
    client = client_as("staff")
    _ask(client, django_capture_on_commit_callbacks)
    report = AnnualReport.objects.get(requested_by=client.user)
    assert report.status == ReportStatus.FAILED
    assert report.pdf is None and report.xlsx is None
    assert "MemoryError" in report.error
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-error"' in page
    assert client.get(reverse("reporting:annual_report_download", args=[report.pk])).status_code == 404


def test_progress_is_polled_while_the_report_is_prepared(client_as):
    client = client_as("staff")
    report = AnnualReport.objects.create(
        requested_by=client.user,
        year=_year(),
        scope_label="the network",
        status=ReportStatus.RUNNING,
        progress=40,
        step="Projects",
    )
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'aria-valuenow="40"' in page
    partial = client.get(report.get_absolute_url(), headers={"HX-Request": "true", "HX-Target": "report-status"})
    assert partial.content.decode().strip().startswith('<div id="report-status"')
    # somebody else's report is not found
    assert client_as("manager").get(report.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["ministry", "board", "commune"])
def test_every_role_may_ask_for_the_report_of_what_it_counts(role, client_as, django_capture_on_commit_callbacks):
    client = client_as(role)
    _ask(client, django_capture_on_commit_callbacks)
    report = AnnualReport.objects.get(requested_by=client.user)
    assert report.status == ReportStatus.READY, report.error
    if role == "ministry":  # no person, and no count below 5
        wb = load_workbook(io.BytesIO(bytes(report.xlsx)))
        for row in wb["Every figure and its detail"].iter_rows(min_row=2, values_only=True):
            assert not (isinstance(row[3], int) and 0 < row[3] < 5 and row[1] != "Satisfaction"), row


def _covered_on(year):
    return min(datetime.date(year, 12, 31), timezone.localdate())


def _communes_from_records(year, **where):
    """The communes covered on the report's day, read from the raw agreements (each carried by a commune contract
    in force, decision 0008), with the organisations covering each."""
    on = _covered_on(year)
    current = Agreement.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on)).filter(**where)
    expected = {}
    for commune, canton, org in current.values_list("commune__name", "commune__canton__name", "organisation__pk"):
        expected.setdefault((commune, canton), set()).add(Organisation.objects.get(pk=org).display_name)
    return expected


def _communes_section(report) -> str:
    """The PDF's communes covered table, its words run together (a cell may wrap over lines)."""
    text = _pdf_text(bytes(AnnualReport.objects.get(pk=report.pk).pdf))
    section = text.split("Communes covered commune canton covered by", 1)[1].split("Charts", 1)[0]
    return "".join(section.split())


def _communes_sheet(report):
    wb = load_workbook(io.BytesIO(bytes(report.xlsx)))
    rows = list(wb["Communes covered"].iter_rows(values_only=True))
    assert rows[0] == ("commune", "canton", "covered by", "agreement references", "covered since", "until")
    return {(r[0], r[1]): set(r[2].split(", ")) for r in rows[1:]}, rows[1:]


@pytest.mark.parametrize("years_back", [0, 1])
def test_the_report_lists_the_communes_covered(years_back, client_as, django_capture_on_commit_callbacks):
    year = _year() - years_back
    client = client_as("staff")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:annual_report"), {"year": year})
    report = AnnualReport.objects.get(requested_by=client.user)
    assert report.status == ReportStatus.READY, report.error
    expected = _communes_from_records(year)
    assert expected  # the demo network covers communes
    listed, rows = _communes_sheet(report)
    assert listed == expected
    assert len(rows) == len(expected)  # one row per commune
    wb = load_workbook(io.BytesIO(bytes(report.xlsx)))
    headline = {row[0]: row[1] for row in wb["Headline figures"].iter_rows(min_row=2, values_only=True)}
    assert headline["Communes covered"] == len(expected)
    for row in rows:  # the agreements' period holds the report's day
        since = row[4].date() if isinstance(row[4], datetime.datetime) else row[4]
        assert since <= _covered_on(year)
        assert row[5] == "open-ended" or row[5].date() >= _covered_on(year)

    section = _communes_section(report)
    for commune, canton in expected:
        assert "".join(f"{commune}{canton}".split()) in section


def test_the_communes_covered_are_those_of_the_scope(
    client_as, demo_user, home_org, django_capture_on_commit_callbacks
):
    y = _year()
    manager = client_as("manager")
    _ask(manager, django_capture_on_commit_callbacks, dimension="organisation", id=home_org.pk)
    report = AnnualReport.objects.get(requested_by=manager.user)
    assert report.status == ReportStatus.READY, report.error
    expected = _communes_from_records(y, organisation=home_org)
    assert expected and len(expected) < len(_communes_from_records(y))
    assert _communes_sheet(report)[0] == expected

    officer = client_as("commune")
    _ask(officer, django_capture_on_commit_callbacks)
    report = AnnualReport.objects.get(requested_by=officer.user)
    assert report.status == ReportStatus.READY, report.error
    communes = RoleAssignment.objects.filter(user=officer.user, commune__isnull=False).values("commune")
    expected = _communes_from_records(y, commune__in=communes)
    assert expected  # the officer's commune is covered
    assert _communes_sheet(report)[0] == expected
    others = set(_communes_from_records(y)) - set(expected)
    assert others
    section = _communes_section(report)
    for commune, canton in expected:
        assert "".join(f"{commune}{canton}".split()) in section
    for commune, canton in others:
        assert "".join(f"{commune}{canton}".split()) not in section


def test_a_project_report_has_no_communes_covered(client_as, django_capture_on_commit_callbacks):
    client = client_as("staff")
    project = Project.objects.running_in(_year()).first()
    _ask(client, django_capture_on_commit_callbacks, dimension="project", id=project.pk)
    report = AnnualReport.objects.get(requested_by=client.user)
    assert report.status == ReportStatus.READY, report.error
    assert "Communes covered" not in load_workbook(io.BytesIO(bytes(report.xlsx))).sheetnames
