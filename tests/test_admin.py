from django.contrib import admin
from django.urls import reverse

from moulin.participants.models import CoachingSession, Participant, SensitiveData
from moulin.territory.models import Commune


def test_superuser_has_the_django_admin_with_the_network_models(client_as):
    client = client_as("admin")
    assert client.get(reverse("admin:index")).status_code == 200
    for name in ["organisations_organisation", "territory_commune", "projects_project", "accounts_user"]:
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
    commune = Commune.objects.get(code="0204")
    assert client.get(reverse("admin:territory_commune_change", args=[commune.pk])).status_code == 200


def test_peoples_records_stay_out_of_the_admin_where_reads_are_not_audited():
    for model in (Participant, SensitiveData, CoachingSession):
        assert not admin.site.is_registered(model)


def test_staff_without_superuser_cannot_enter_the_admin(client_as):
    response = client_as("staff").get(reverse("admin:index"))
    assert response.status_code == 302
