"""Pages that lead the user on: text on the plan's add links, no second exit, a Record action on the follow-ups
list, an intake that decides to hire leads to the contract form."""

from django.urls import reverse

from moulin.participants import enums
from moulin.participants.models import Participant
from tests.participants.helpers import new_person, today
from tests.picking import pick


def test_development_plan_add_links_say_what_they_add(client_as, home_org):
    person = pick(Participant.objects.filter(organisation=home_org, status=enums.PathwayStatus.HIRED), "worker")
    body = client_as("coach").get(person.get_absolute_url()).content.decode()
    for label, url in [("Add an obstacle", "obstacle_create"), ("Add a goal", "goal_create"),
                       ("Add an action", "action_create"), ("Add a review", "review_create")]:  # fmt: skip
        href = reverse(f"participants:{url}", args=[person.public_id])
        assert f'href="{href}"><i class="bi bi-plus" aria-hidden="true"></i> {label}</a>' in body


def test_record_exit_is_not_offered_after_the_exit(client_as, home_org):
    left = pick(Participant.objects.filter(organisation=home_org, status=enums.PathwayStatus.EXITED), "exited")
    working = pick(Participant.objects.filter(organisation=home_org, status=enums.PathwayStatus.HIRED), "worker")
    client = client_as("coach")
    assert "Record exit" not in client.get(left.get_absolute_url()).content.decode()
    assert "Record exit" in client.get(working.get_absolute_url()).content.decode()


def test_follow_ups_list_offers_to_record_the_due_ones(client_as):
    response = client_as("coach").get(reverse("participants:follow_up_list"))
    due = [obj for obj, _cells in response.context["rows"] if obj.done_on is None]
    assert due, "the coach's list shows follow-ups due"
    body = response.content.decode()
    for follow_up in due:
        assert f'<a href="{reverse("participants:follow_up_record", args=[follow_up.pk])}">Record</a>' in body
    export = client_as("coach").get(reverse("participants:follow_up_list"), {"export": "csv"})
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert b"<a href" not in content


def test_an_intake_that_hires_leads_to_the_contract_form(client_as, home_org, demo_user):
    person = new_person(home_org, first="Hira", last="Intake")
    client = client_as("coach")
    response = client.post(
        reverse("participants:intake_create", args=[person.public_id]),
        {"date": today().isoformat(), "coach": demo_user("coach").pk, "outcome": "hire"},
    )
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url() + "#contracts"
    body = client.get(person.get_absolute_url()).content.decode()
    contract_url = reverse("participants:contract_create", args=[person.public_id])
    assert 'data-testid="hire-next"' in body
    assert f'href="{contract_url}">Draw up the employment contract</a>' in body
