"""Coaching notes and the sensitive ESF+ categories never reach a role that may not read them: not in a page,
an export, a PDF or the JSON access export.

notes: coaches and the worker's organisation manager only; sensitive: network staff and administrators and the
organisation manager. Team leaders see a minimal page; board, commune and ministry never reach the person.
"""

import datetime

import pytest
from django.urls import reverse

from moulin.accounts.models import User
from moulin.participants import enums, services
from moulin.participants.models import CoachingSession, SensitiveData
from moulin.participants.validators import add_months
from tests.participants.helpers import contract_for, new_person, today
from tests.picking import pick

NOTE = "Confidential-note-4417 sleeping at a friend since the eviction"
SENSITIVE_LABELS = ["Third-country national", "third-country national", "Homeless or affected by housing exclusion",
                    "homeless or affected by housing exclusion"]  # fmt: skip

READS_NOTES = {"coach": True, "manager": True, "staff": False, "admin": False, "teamleader": False}
READS_SENSITIVE = {"coach": False, "manager": True, "staff": True, "admin": True, "teamleader": False}


@pytest.fixture
def person(home_org):
    leader = User.objects.get(email="teamleader@moulin.demo")
    p = new_person(home_org, first="Restricta", last="Fieldtest", number="4417001")
    start = today() - datetime.timedelta(days=40)
    contract = contract_for(p, start=start, end=add_months(start, 12))
    from moulin.projects.models import Team

    team = pick(Team.objects.filter(leader=leader, project__organisation=home_org))
    contract.project, contract.team = team.project, team
    services.save_contract(actor=None, contract=contract)
    coach = User.objects.get(email="coach@moulin.demo")
    CoachingSession.objects.create(participant=p, date=today(), coach=coach, kind=enums.SessionKind.SOCIAL,
                                   notes=NOTE, next_steps="See the social office")  # fmt: skip
    SensitiveData.objects.create(participant=p, third_country_national="yes", third_country_national_consent=today(),
                                 homeless="yes", homeless_consent=today())  # fmt: skip
    services.record_exit(actor=None, exit=services.Exit(participant=p, date=today(), reason="job_found",
                                                        situation="employed_fixed_term",
                                                        situation_recorded_on=today()))  # fmt: skip
    # the exit ended the contract today: it is still current for the team leader today
    return p


@pytest.fixture
def captured_pdf_html(monkeypatch):
    """What goes into each PDF (WeasyPrint's input), so that the test reads the text it prints."""
    import weasyprint

    seen = []

    class FakeHTML:
        def __init__(self, string="", **kwargs):
            seen.append(string)

        def write_pdf(self):
            return b"%PDF-1.7 test"

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    return seen


def surfaces(client, person, captured):
    """Every surface that shows one person: page, timeline, exports, PDFs; returns {name: (status, text)}."""
    out = {}
    for name in ("detail", "access_export_json", "access_export_pdf", "exit_summary"):
        captured.clear()
        response = client.get(reverse(f"participants:{name}", args=[person.public_id]))
        text = response.content.decode(errors="ignore") + "".join(captured)
        out[name] = (response.status_code, text)
    for list_name in ("list", "contract_list", "follow_up_list"):
        response = client.get(reverse(f"participants:{list_name}"), {"q": "Fieldtest", "export": "csv"})
        out[list_name] = (response.status_code, response.content.decode(errors="ignore"))
    return out


@pytest.mark.parametrize("role", list(READS_NOTES))
def test_notes_and_sensitive_data_follow_the_policy(role, client_as, person, captured_pdf_html):
    client = client_as(role)
    seen = surfaces(client, person, captured_pdf_html)
    assert seen["detail"][0] == 200
    for name, (status, text) in seen.items():
        if status != 200:
            continue
        if not READS_NOTES[role]:
            assert NOTE not in text, f"{role} sees coaching notes in {name}"
        if not READS_SENSITIVE[role]:
            leaked = [label for label in SENSITIVE_LABELS if label in text]
            assert not leaked, f"{role} sees sensitive data in {name}: {leaked}"
            assert "sensitive_data" not in text, f"{role} gets sensitive data in {name}"
    if READS_NOTES[role]:
        assert NOTE in seen["detail"][1]
        assert NOTE in seen["access_export_json"][1]
    if READS_SENSITIVE[role]:
        assert "Third-country national" in seen["detail"][1]
        assert '"sensitive_data"' in seen["access_export_json"][1]


def test_team_leader_gets_only_the_minimal_page(client_as, person, captured_pdf_html):
    client = client_as("teamleader")
    response = client.get(person.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200 and "Restricta Fieldtest" in body
    assert person.jobseeker_number not in body and "1990" not in body  # no identifiers, no birth date
    assert "Coaching" not in body and "ESF+" not in body
    for name in ("access_export_json", "access_export_pdf", "exit_summary"):
        assert client.get(reverse(f"participants:{name}", args=[person.public_id])).status_code == 403
    assert captured_pdf_html == []


@pytest.mark.parametrize("role", ["board", "commune", "ministry"])
def test_count_only_roles_never_reach_the_person(role, client_as, person, captured_pdf_html):
    client = client_as(role)
    for name in ("detail", "access_export_json", "access_export_pdf", "exit_summary"):
        assert client.get(reverse(f"participants:{name}", args=[person.public_id])).status_code == 404
    for list_name in ("list", "contract_list", "follow_up_list", "waiting_list"):
        response = client.get(reverse(f"participants:{list_name}"), {"export": "csv"})
        assert response.status_code == 403
    assert captured_pdf_html == []


def test_an_outsider_coach_does_not_reach_the_person(client_as, person, other_org):
    outsider = User.objects.get(email=f"manager.{other_org.slug}@moulin.demo")
    client = client_as(outsider)
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(reverse("participants:access_export_json", args=[person.public_id])).status_code == 404
