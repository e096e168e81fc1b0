"""Long selects become searchable choosers (static/moulin/chooser.js, no CDN, no inline script); an
organisation field with a single possible choice comes preselected."""

import re

from django.conf import settings
from django.urls import reverse


def test_the_chooser_script_is_served_from_the_site_on_every_page(client_as):
    body = client_as("manager").get(reverse("projects:project_create")).content.decode()
    assert re.search(r'<script src="/static/moulin/chooser\.js"></script>', body)
    assert "<script>" not in body and "style=" not in body  # CSP: no inline script or style
    script = (settings.BASE_DIR / "moulin" / "static" / "moulin" / "chooser.js").read_text()
    assert "http" not in script  # nothing fetched from elsewhere
    assert 'data-chooser-search="Type to filter"' in body


def test_a_manager_of_one_organisation_gets_it_preselected(client_as, demo_user, home_org):
    manager = demo_user("manager")
    assert manager.scope.managed_org_ids == {home_org.pk}
    form = client_as("manager").get(reverse("projects:project_create")).context["form"]
    assert form["organisation"].value() == home_org.pk
    staff_form = client_as("staff").get(reverse("projects:project_create")).context["form"]
    assert staff_form["organisation"].value() in (None, "")
