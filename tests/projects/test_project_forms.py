"""Project forms: no internal position on indicators, needs told apart in the project form."""

from collections import Counter

from django.urls import reverse

from moulin.projects.models import Indicator, Project
from tests.picking import pick


def test_indicator_form_asks_no_position_and_appends_the_new_indicator(client_as, home_org):
    project = pick(Project.objects.filter(organisation=home_org, indicators__isnull=False).distinct(), "project")
    client = client_as("manager")
    url = reverse("projects:indicator_create", args=[project.pk])
    assert "position" not in client.get(url).context["form"].fields
    last = max(project.indicators.values_list("position", flat=True))
    response = client.post(url, {"name": "Trees planted", "unit": "trees", "source": "entered"})
    assert response.status_code == 302
    assert Indicator.objects.get(project=project, name="Trees planted").position == last + 1


def test_need_choices_of_the_project_form_are_all_distinct(client_as):
    form = client_as("staff").get(reverse("projects:project_create")).context["form"]
    labels = [label for value, label in form.fields["needs"].choices if value != ""]
    assert labels
    assert [label for label, n in Counter(labels).items() if n > 1] == []
