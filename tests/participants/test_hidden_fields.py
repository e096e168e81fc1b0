"""A search, filter or sort only uses the fields the role may read: a team leader, who does not see the ADEM
number, cannot recover it digit by digit through ``?q=`` (nor sort or filter on it)."""

from django.urls import reverse

from moulin.participants.models import EmploymentContract, Participant
from moulin.training.models import Enrolment
from tests.picking import pick


def _team_member(leader):
    return pick(Participant.objects.visible_to(leader).exclude(jobseeker_number=""), "team member with an ADEM number")


def test_team_leader_search_does_not_match_the_hidden_adem_number(client_as, demo_user):
    leader = demo_user("teamleader")
    member = _team_member(leader)
    client = client_as("teamleader")
    by_number = client.get(reverse("participants:list"), {"q": member.jobseeker_number[:4]})
    assert member.pk not in {obj.pk for obj, _c in by_number.context["rows"]}
    by_name = client.get(reverse("participants:list"), {"q": member.last_name})
    assert member.pk in {obj.pk for obj, _c in by_name.context["rows"]}
    # the same rule holds for the site-wide search
    site = client.get(reverse("home:search"), {"q": member.jobseeker_number})
    assert member.display_name not in site.content.decode()


def test_a_coach_still_finds_a_person_by_adem_number(client_as, home_org):
    person = pick(
        Participant.objects.filter(organisation=home_org).active().exclude(jobseeker_number=""), "ADEM number"
    )
    response = client_as("coach").get(reverse("participants:list"), {"q": person.jobseeker_number})
    assert person.pk in {obj.pk for obj, _c in response.context["rows"]}


def test_team_leader_cannot_sort_or_filter_on_hidden_fields(client_as):
    client = client_as("teamleader")
    plain = client.get(reverse("participants:list"))
    for params in ({"sort": "jobseeker_number"}, {"sort": "-status"}, {"status": "hired"}):
        response = client.get(reverse("participants:list"), params)
        assert [o.pk for o, _c in response.context["rows"]] == [o.pk for o, _c in plain.context["rows"]], params


def test_team_leader_contract_list_hides_the_measure(client_as, demo_user):
    leader = demo_user("teamleader")
    contract = pick(EmploymentContract.objects.visible_to(leader).filter(team__leader=leader), "team contract")
    client = client_as("teamleader")
    response = client.get(reverse("participants:contract_list"))
    keys = [c.key for c in response.context["columns"]]
    assert "measure" not in keys and "contract_type" not in keys
    assert {"worker", "team", "start", "last_day", "weekly_hours"} <= set(keys)
    assert "measure" not in (response.context["filter_form"].fields if response.context["filter_form"] else {})
    by_code = client.get(reverse("participants:contract_list"), {"sort": "measure"})
    assert "measure" not in [c.key for c in by_code.context["columns"]]
    export = client.get(reverse("participants:contract_list"), {"export": "csv"}).content.decode("utf-8-sig")
    assert contract.measure.code not in export.split("\n")[0] and "Measure" not in export.split("\n")[0]


def test_team_leader_reads_no_training_record_of_team_members(demo_user):
    leader = demo_user("teamleader")
    members = Participant.objects.visible_to(leader)
    assert Enrolment.objects.filter(participant__in=members).exists(), "the demo's team members take courses"
    assert (
        not Enrolment.objects.visible_to(leader)
        .filter(participant__in=members)
        .exclude(session__course__organisation__in=leader.scope.org_ids("coach", "org_manager"))
        .exists()
    )
