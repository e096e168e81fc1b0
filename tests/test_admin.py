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


def test_every_admin_page_renders_without_an_unknown_variable(client_as):
    """The test settings make an unknown template variable fail the render (config/settings/test.py): walk every
    registered model's list, add, change, history and delete pages as the superuser."""
    client = client_as("admin")
    walked = 0
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]  # add: 403 on read-only models
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls += [reverse(f"{prefix}_{name}", args=[obj.pk]) for name in ("change", "history", "delete")]
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 403), url
            walked += 1
    assert walked > 100
