"""The community-care pages as their users notice them: who sees what, taking a request by phone, scheduling,
completing with a photo, the read audit on beneficiaries."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from moulin.care import services
from moulin.care.enums import RequestStatus
from moulin.care.models import Beneficiary, Intervention, InterventionPhoto, Request
from moulin.core.models import AuditEvent, AuditSubject
from moulin.fieldwork.models import TimeEntry
from tests.picking import pick

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_manager_takes_a_request_by_phone_and_a_roofing_job_is_referred(client_as, beneficiary, repairs, electrical):
    client = client_as("manager")
    url = reverse("care:request_create", args=[beneficiary.pk])
    response = client.post(url, {"service_type": repairs.pk, "work_kind": electrical.pk, "channel": "phone",
                                 "received_on": "2026-06-15", "description": "New socket outlets"})  # fmt: skip
    assert response.status_code == 302
    request = Request.objects.get(beneficiary=beneficiary)
    assert request.status == RequestStatus.REFERRED
    page = client.get(response["Location"]).content.decode()
    assert request.reference in page and "cdm.lu" in page


def test_the_commune_officer_sees_the_communes_requests_without_the_beneficiary(client_as, demo_user):
    officer = demo_user("commune")
    visible = Request.objects.visible_to(officer)
    assert visible.exists()
    assert set(visible.values_list("commune", flat=True)) <= set(officer.scope.commune_ids)
    request = pick(visible.select_related("beneficiary"), "request from the commune officer's commune")
    client = client_as("commune")
    listing = client.get(reverse("care:request_list")).content.decode()
    detail = client.get(request.get_absolute_url()).content.decode()
    name = str(request.beneficiary)
    assert request.reference in detail
    assert name not in detail and name not in listing
    assert client.get(request.beneficiary.get_absolute_url()).status_code == 404
    assert client.get(reverse("care:beneficiary_list")).status_code == 403


def test_the_ministry_counts_but_opens_no_request(client_as, demo_user):
    assert Request.objects.counted_for(demo_user("ministry")).count() == Request.objects.count()
    assert not Request.objects.visible_to(demo_user("ministry")).exists()
    assert client_as("ministry").get(reverse("care:request_list")).status_code == 403


def test_a_manager_reads_only_the_organisations_beneficiaries_and_each_read_is_audited(client_as, demo_user,
                                                                                       home_org):  # fmt: skip
    manager = demo_user("manager")
    assert set(Beneficiary.objects.visible_to(manager).values_list("organisation", flat=True)) == {home_org.pk}
    person = pick(Beneficiary.objects.filter(organisation=home_org), "beneficiary of the home organisation")
    assert client_as("manager").get(person.get_absolute_url()).status_code == 200
    assert AuditSubject.objects.filter(event__action=AuditEvent.Action.VIEW, object_type="care.beneficiary",
                                       object_id=str(person.pk)).exists()  # fmt: skip
    other = pick(Beneficiary.objects.exclude(organisation=home_org), "beneficiary of another organisation")
    assert client_as("manager").get(other.get_absolute_url()).status_code == 404


def test_an_income_band_past_review_is_flagged_on_the_page(client_as, beneficiary):
    beneficiary.income_review_on = datetime.date(2026, 1, 31)
    beneficiary.save()
    page = client_as("manager").get(beneficiary.get_absolute_url()).content.decode()
    assert 'data-testid="income-flag"' in page and "due for review" in page


def test_schedule_then_the_team_leader_completes_with_a_photo(
    june_2026, client_as, beneficiary, repairs, team, demo_user, team_worker
):
    manager = client_as("manager")
    request = services.record_request(actor=demo_user("manager"), beneficiary=beneficiary, service_type=repairs,
                                      description="Hang two shelves", estimated_hours=Decimal("2"))  # fmt: skip
    url = reverse("care:intervention_create", args=[request.pk])
    refused = manager.post(url, {"team": team.pk, "date": "2026-06-23", "planned_hours": "2"})
    assert refused.status_code == 422 and "public holiday" in refused.content.decode()
    assert manager.post(url, {"team": team.pk, "date": "2026-06-15", "planned_hours": "2"}).status_code == 302
    intervention = Intervention.objects.get(request=request)
    leader = client_as("teamleader")
    assert leader.get(intervention.get_absolute_url()).status_code == 200
    complete = reverse("care:intervention_complete", args=[intervention.pk])
    bad = leader.post(complete, {"completed_on": "2026-06-15", "hours": "2",
                                 "photo": SimpleUploadedFile("x.jpg", b"<html>not a photo</html>")})  # fmt: skip
    assert bad.status_code == 422 and "JPEG, PNG or WebP" in bad.content.decode()
    nobody = leader.post(complete, {"completed_on": "2026-06-15", "hours": "2"})
    assert nobody.status_code == 422 and "Name who did the job" in nobody.content.decode()
    worker = team_worker(june_2026)
    done = leader.post(complete, {"completed_on": "2026-06-15", "hours": "2", "materials": "Plugs",
                                  "worker": worker.pk, "photo": SimpleUploadedFile("shelves.png", PNG)})  # fmt: skip
    assert done.status_code == 302
    entry = TimeEntry.objects.get(intervention=intervention)  # its hours are the worker's time entry
    assert (entry.participant, entry.hours, entry.kind) == (worker, Decimal("2"), "intervention")
    page = leader.get(intervention.get_absolute_url()).content.decode()
    assert 'data-section="time-entries"' in page and str(worker) in page
    assert Request.objects.get(pk=request.pk).status == RequestStatus.COMPLETED
    photo = InterventionPhoto.objects.get(intervention=intervention)
    download = leader.get(photo.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert client_as("commune").get(photo.get_absolute_url()).status_code == 404


def test_a_team_leader_sees_only_the_interventions_of_the_teams_they_lead(demo_user):
    leader = demo_user("teamleader")
    visible = Intervention.objects.visible_to(leader)
    assert set(visible.values_list("team__leader", flat=True)) <= {leader.pk}
    assert not Request.objects.visible_to(leader).exists()


@pytest.mark.parametrize("role", ["staff", "manager", "teamleader", "commune"])
@pytest.mark.parametrize("name", ["care:request_list", "care:beneficiary_list", "care:intervention_list",
                                  "care:survey_list", "care:service_results", "care:service_list"])  # fmt: skip
def test_lists_make_a_bounded_number_of_queries(name, role, client_as, django_assert_max_num_queries):
    client = client_as(role)
    client.get(reverse(name))
    with django_assert_max_num_queries(25):
        response = client.get(reverse(name))
    assert response.status_code in (200, 403)
