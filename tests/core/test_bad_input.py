"""Bad input is a message next to the field, never a server error, and nothing is half-written."""

import datetime

import pytest
from django.urls import reverse

from config.api import api
from moulin.organisations.models import BoardMeeting, Premises
from moulin.participants import enums
from moulin.participants.models import CoachingSession, Exit, Participant, PlanObstacle
from tests.participants.helpers import contract_for, new_person, today
from tests.picking import pick

D = datetime.timedelta


def _errors(response):
    form = response.context["form"]
    return {name: " ".join(str(e) for e in errs) for name, errs in form.errors.items()}


def test_editing_the_dates_of_a_contract_that_ended_early_is_a_message(client_as, home_org):
    person = new_person(home_org)
    contract = contract_for(person, start=today() - D(days=200), end=today() + D(days=100))
    contract.ended_on, contract.end_reason = today() - D(days=10), enums.EndReason.choices[0][0]
    contract.save()
    url = reverse("participants:contract_update", kwargs={"pk": contract.pk})
    client = client_as("manager")
    data = {
        "organisation": contract.organisation_id, "project": contract.project_id, "team": contract.team_id or "",
        "contract_type": contract.contract_type, "measure": contract.measure_id,
        "start": contract.start.isoformat(), "planned_end": (today() - D(days=20)).isoformat(),
        "weekly_hours": "40", "funder": "",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 422
    assert "early end" in _errors(response)["planned_end"]
    contract.refresh_from_db()
    assert contract.planned_end == today() + D(days=100)
    # and a start after the early end is refused by the check constraint, as a message
    data.update(start=(today() - D(days=5)).isoformat(), planned_end=(today() + D(days=100)).isoformat())
    response = client.post(url, data)
    assert response.status_code == 422
    assert any("cannot end before it starts" in text for text in _errors(response).values())


def test_an_exit_in_year_9999_is_refused_next_to_the_date(client_as, home_org):
    person = new_person(home_org)
    url = reverse("participants:exit_create", kwargs={"public_id": person.public_id})
    response = client_as("coach").post(url, {"date": "9999-12-31", "reason": enums.ExitReason.choices[0][0],
                                             "situation": enums.Situation.choices[0][0]})  # fmt: skip
    assert response.status_code == 422
    assert "check the year" in _errors(response)["date"]
    assert not Exit.objects.filter(participant=person).exists()


def test_a_second_board_meeting_on_the_same_day_is_a_message(client_as, home_org):
    meeting = pick(BoardMeeting.objects.filter(organisation=home_org), "board meeting of the home organisation")
    url = reverse("organisations:meeting_create", kwargs={"slug": home_org.slug})
    count = BoardMeeting.objects.count()
    response = client_as("manager").post(url, {"date": meeting.date.isoformat(), "place": "Hall"})
    assert response.status_code == 422
    assert any("meeting" in text.lower() for text in _errors(response).values()), _errors(response)
    assert BoardMeeting.objects.count() == count


def test_a_duplicate_premises_name_is_a_message(client_as, home_org):
    premises = pick(Premises.objects.filter(organisation=home_org), "premises of the home organisation")
    url = reverse("organisations:premises_create", kwargs={"slug": home_org.slug})
    form = client_as("manager").get(url).context["form"]
    data = {name: (premises.serializable_value(name) if hasattr(premises, name) else "") for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    count = Premises.objects.count()
    response = client_as("manager").post(url, data)
    assert response.status_code == 422
    assert "already has premises with this name" in " ".join(_errors(response).values())
    assert Premises.objects.count() == count


def test_a_coaching_session_next_year_is_refused(client_as, home_org):
    person = new_person(home_org)
    url = reverse("participants:session_create", kwargs={"public_id": person.public_id})
    response = client_as("coach").post(url, {"date": (today() + D(days=365)).isoformat(), "coach": "",
                                             "kind": enums.SessionKind.choices[0][0], "notes": "x"})  # fmt: skip
    assert response.status_code == 422
    assert "in the future" in _errors(response)["date"]
    assert not CoachingSession.objects.filter(participant=person).exists()


def test_a_plan_action_due_years_ago_is_refused(client_as, home_org):
    person = new_person(home_org)
    url = reverse("participants:action_create", kwargs={"public_id": person.public_id})
    response = client_as("coach").post(url, {"description": "Apply", "due_date": (today() - D(days=2000)).isoformat(),
                                             "status": enums.ActionStatus.choices[0][0]})  # fmt: skip
    assert response.status_code == 422
    assert "check the year" in _errors(response)["due_date"]


def test_an_obstacle_resolved_before_it_was_identified_is_refused(client_as, home_org):
    person = new_person(home_org)
    url = reverse("participants:obstacle_create", kwargs={"public_id": person.public_id})
    response = client_as("coach").post(url, {
        "kind": enums.Obstacle.choices[0][0], "identified_on": (today() - D(days=10)).isoformat(),
        "resolved_on": (today() - D(days=40)).isoformat()})  # fmt: skip
    assert response.status_code == 422
    assert "resolved after it was identified" in _errors(response)["resolved_on"]
    assert not PlanObstacle.objects.filter(participant=person).exists()


def test_a_referral_dated_in_the_future_is_refused(client_as, home_org):
    response = client_as("coach").post(reverse("participants:refer"), {
        "organisation": home_org.pk, "date": "2031-01-01", "source": enums.ReferralSource.SELF,
        "first_name": "Futura", "last_name": "Lontaine", "birth_date": "1990-01-01",
        "gender": enums.Gender.WOMAN})  # fmt: skip
    assert response.status_code == 422
    assert "future" in _errors(response)["date"]
    assert not Participant.objects.filter(last_name="Lontaine").exists()


def test_a_date_recorded_before_the_rule_stays_editable(client_as, home_org):
    person = new_person(home_org)
    coach = client_as("coach").user
    session = CoachingSession.objects.create(participant=person, date=today() + D(days=30), coach=coach,
                                             kind=enums.SessionKind.choices[0][0])  # fmt: skip
    url = reverse("participants:session_update", kwargs={"pk": session.pk})
    client = client_as("coach")
    form = client.get(url).context["form"]
    assert "max" not in form.fields["date"].widget.attrs
    post = {"date": session.date.isoformat(), "kind": session.kind, "notes": "Kept", "next_steps": "",
            "coach": coach.pk}  # fmt: skip
    response = client.post(url, post)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.notes == "Kept"


@pytest.mark.parametrize("page", ["3.6e24", "99999999999999999999", "0", "-1", "abc"])
def test_api_page_numbers_out_of_range_are_a_documented_422(client_as, page):
    response = client_as("staff").get("/api/v1/organisations/", {"page": page})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_api_error_answers_are_documented():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            codes = {str(code) for code in operation["responses"]}
            assert "401" in codes, path
            if "{" in path:
                assert "404" in codes, path
            if any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "422" in codes, path
