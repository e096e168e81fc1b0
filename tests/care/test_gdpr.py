"""Beneficiaries are personal data: the person-record mechanism of participants (moulin.core.persons) gives them
the same read audit, retention, access export and erasure."""

import datetime
import json
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from moulin.care import services
from moulin.care.enums import RequestStatus
from moulin.care.models import Beneficiary, CareSettings, Intervention, Request, ServiceType, Survey
from moulin.core import persons
from moulin.core.models import AuditEvent, AuditSubject
from tests.factories import user_with_role
from tests.picking import pick

D = datetime.timedelta


def served(beneficiary, service, team, *, day, complete=True):
    """A request of ``beneficiary`` answered by an intervention on ``day`` (completed, with its survey)."""
    request = services.record_request(actor=None, beneficiary=beneficiary, service_type=service,
                                      description=f"Hedge of {beneficiary.last_name} cut",
                                      channel="phone")  # fmt: skip
    assert request.status == RequestStatus.ACCEPTED
    Request.objects.filter(pk=request.pk).update(received_on=day - D(days=7))
    Intervention.objects.create(request=request, team=team, date=day, planned_hours=Decimal("2"),
                                completed_on=day if complete else None, hours=Decimal("2") if complete else None,
                                note="Key under the mat")  # fmt: skip
    status = RequestStatus.COMPLETED if complete else RequestStatus.SCHEDULED
    Request.objects.filter(pk=request.pk).update(status=status)
    if complete:
        Survey.objects.create(request=request, sent_on=day, answered_on=day, satisfaction=5,
                              comment=f"Thank you from {beneficiary.first_name}")  # fmt: skip
    return request


def figures(service):
    rows = services.service_figures(ServiceType.objects.filter(pk=service.pk), Request.objects.all(),
                                    Survey.objects.all())  # fmt: skip
    by_service = list(rows.values("n_requests", "n_completed", "n_answers", "satisfaction"))
    return by_service, list(services.survey_results(Survey.objects.all()))


def test_the_retention_job_anonymises_those_served_long_ago_and_keeps_the_figures(beneficiary, repairs, team):
    CareSettings.objects.update_or_create(pk=1, defaults={"retention_years": 3})
    today = timezone.localdate()
    old = beneficiary
    served(old, repairs, team, day=today - D(days=3 * 366 + 10))
    recent = Beneficiary.objects.create(organisation=old.organisation, first_name="Recent", last_name="Visit",
                                        address="1, rue Haute", commune=old.commune)  # fmt: skip
    served(recent, repairs, team, day=today - D(days=3 * 366 + 10))
    served(recent, repairs, team, day=today - D(days=30))
    waiting = Beneficiary.objects.create(organisation=old.organisation, first_name="Still", last_name="Waiting",
                                         address="2, rue Basse", commune=old.commune)  # fmt: skip
    served(waiting, repairs, team, day=today - D(days=3 * 366 + 10), complete=False)  # an open request

    expired = set(services.expired_beneficiaries(today).values_list("pk", flat=True))
    assert old.pk in expired and recent.pk not in expired and waiting.pk not in expired
    hours_before = sum(Intervention.objects.filter(request__beneficiary=old).values_list("hours", flat=True))
    figures_before = figures(repairs)

    count = import_string("moulin.care.tasks.anonymise_expired_beneficiaries").call()
    assert count >= 1
    old.refresh_from_db()
    assert old.anonymised_at and old.first_name == old.last_name == old.address == old.phone == ""
    assert old.monthly_income is None and old.income_proof == ""
    assert old.household_size == 1 and old.commune.name == "Esch-sur-Alzette"
    assert "Zahlenmeyer" not in str(old)
    request = old.requests.get()
    assert request.description == services.REMOVED and request.status == RequestStatus.COMPLETED
    assert request.intervention.note == "" and request.intervention.hours == hours_before
    assert request.survey.comment == "" and request.survey.satisfaction == 5
    assert figures(repairs) == figures_before
    for other in (recent, waiting):
        other.refresh_from_db()
        assert other.anonymised_at is None
    assert not services.expired_beneficiaries(today).filter(pk=old.pk).exists()


def test_the_schedule_runs_one_retention_job_per_kind_of_person_record():
    from moulin.ops.schedules import JOBS

    jobs = {job.name: job for job in JOBS}
    assert {kind.model for kind in persons.kinds()} >= {"participants.participant", "care.beneficiary"}
    job = jobs["anonymise-expired-beneficiaries"]
    assert job.function == "moulin.care.tasks.anonymise_expired_beneficiaries" and job.every == "day"
    assert hasattr(import_string(job.function), "enqueue")
    assert jobs["anonymise-expired-participants"].at == job.at


def test_erasure_by_staff_anonymises_at_once_and_the_audit_forgets_the_name(client_as, beneficiary, repairs, team):
    served(beneficiary, repairs, team, day=timezone.localdate() - D(days=20))
    manager = client_as("manager")
    assert manager.get(beneficiary.get_absolute_url()).status_code == 200
    assert AuditSubject.objects.filter(object_type="care.beneficiary", object_id=str(beneficiary.pk),
                                       object_repr__contains="Zahlenmeyer").exists()  # fmt: skip
    url = reverse("care:beneficiary_erase", args=[beneficiary.pk])
    assert manager.post(url, {"confirm": "on"}).status_code == 403  # managers do not erase
    beneficiary.refresh_from_db()
    assert beneficiary.anonymised_at is None
    staff = client_as("staff")
    assert staff.post(url, {}).status_code == 422  # the confirmation is asked
    response = staff.post(url, {"confirm": "on"})
    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert beneficiary.anonymised_at and beneficiary.last_name == ""
    assert not AuditEvent.objects.filter(object_repr__contains="Zahlenmeyer").exists()
    assert not AuditSubject.objects.filter(object_repr__contains="Zahlenmeyer").exists()
    assert AuditEvent.objects.filter(object_type="care.beneficiary", object_id=str(beneficiary.pk),
                                     detail__anonymised="erasure request").exists()  # fmt: skip
    page = staff.get(beneficiary.get_absolute_url()).content.decode()
    assert 'data-testid="anonymised"' in page and "Zahlenmeyer" not in page
    assert staff.get(url).status_code == 403  # already anonymised


def test_the_access_export_holds_everything_the_reader_may_read(client_as, beneficiary, repairs, team):
    request = served(beneficiary, repairs, team, day=timezone.localdate() - D(days=20))
    client = client_as("manager")
    client.get(request.intervention.get_absolute_url())  # read through another row: recorded for the person
    response = client.get(reverse("care:beneficiary_access_export_json", args=[beneficiary.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["person"]["last_name"] == "Zahlenmeyer" and data["person"]["income_proof"]
    assert [r["reference"] for r in data["requests"]] == [request.reference]
    assert data["interventions"][0]["note"] == "Key under the mat"
    assert data["surveys"][0]["satisfaction"] == 5
    assert any("Intervention" in v["what"] for v in data["record_views"])
    pdf = client.get(reverse("care:beneficiary_access_export_pdf", args=[beneficiary.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    views = AuditEvent.objects.filter(object_type="care.beneficiary", object_id=str(beneficiary.pk),
                                      action=AuditEvent.Action.VIEW)  # fmt: skip
    parts = set(views.values_list("detail__part", flat=True))
    assert {"access export (JSON)", "access export (PDF)"} <= parts


def test_outsiders_get_no_access_export_and_their_attempt_is_audited(client_as, beneficiary, other_org):
    outsider = user_with_role("org_manager", organisation=other_org)
    for role in ("commune", "ministry", "board", "teamleader", outsider):
        client = client_as(role)
        for name in ("beneficiary_access_export_json", "beneficiary_access_export_pdf", "beneficiary_erase"):
            response = client.get(reverse(f"care:{name}", args=[beneficiary.pk]))
            assert response.status_code in (403, 404), (role, name)
            assert "Zahlenmeyer" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, object_type="care.beneficiary",
                                     object_id=str(beneficiary.pk)).exists()  # fmt: skip


def test_an_intervention_read_is_audited_as_a_read_of_its_beneficiary(client_as):
    intervention = pick(Intervention.objects.order_by("pk").select_related("request__beneficiary"))
    client_as("staff").get(intervention.get_absolute_url())
    beneficiary = intervention.request.beneficiary
    assert AuditSubject.objects.filter(object_type="care.beneficiary", object_id=str(beneficiary.pk)).exists()


def test_the_retention_setting_is_for_administrators(client_as):
    url = reverse("care:settings")
    assert client_as("manager").get(url).status_code == 403
    admin = client_as("admin")
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"retention_years": "7"}).status_code == 302
    assert CareSettings.load().retention_years == 7
    assert admin.post(url, {"retention_years": "0"}).status_code == 422


def test_an_undocumented_income_blocks_billing_with_a_clear_message(client_as, beneficiary, repairs, team, tariff):
    request = served(beneficiary, repairs, team, day=timezone.localdate() - D(days=2))
    intervention = request.intervention
    Beneficiary.objects.filter(pk=beneficiary.pk).update(income_review_on=timezone.localdate() + D(days=90))
    intervention.refresh_from_db()
    charge = services.charge_for(intervention)
    assert not charge.problem and charge.amount == charge.hours * charge.hourly_price
    page = client_as("manager").get(intervention.get_absolute_url()).content.decode()
    assert f"= {charge.amount} EUR" in page
    Beneficiary.objects.filter(pk=beneficiary.pk).update(income_proof="")
    intervention.refresh_from_db()
    charge = services.charge_for(intervention)
    assert charge.amount is None and "no proof" in charge.problem
    page = client_as("manager").get(intervention.get_absolute_url()).content.decode()
    assert "Billing blocked:" in page and "no proof" in page
    # the team leader who did the job sees the intervention, not the household's price or income
    leader_page = client_as("teamleader").get(intervention.get_absolute_url())
    assert leader_page.status_code == 200 and 'data-testid="charge"' not in leader_page.content.decode()


def test_no_kind_of_person_record_is_in_the_django_admin():
    """Person records are read through the application only, where every read is audited."""
    from django.contrib import admin

    assert persons.kinds()
    for kind in persons.kinds():
        assert not admin.site.is_registered(kind.model_class), kind.model
    assert admin.site.is_registered(CareSettings)
