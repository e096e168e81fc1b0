"""Meta-tests that police the project's conventions."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from moulin.access.policy import Policy
from moulin.access.querysets import ScopedQuerySet, policy_for

ROOT = Path(__file__).resolve().parent.parent


def test_no_migration_has_an_auto_name():
    names = [p.name for p in ROOT.glob("moulin/*/migrations/0*.py")]
    assert names
    assert [n for n in names if "_auto_" in n] == []


def test_every_moulin_model_reads_through_a_policy():
    """Each model of ours has a scoped queryset naming its policy (through tables are exempt)."""
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("moulin.") or model._meta.auto_created:
            continue
        if model.__name__ == "NetworkSettings":
            continue  # one row, read and written only by administrators through its own view
        qs = model._default_manager.get_queryset()
        if not isinstance(qs, ScopedQuerySet) or not qs.policy_name:
            missing.append(model._meta.label)
    assert missing == []


def test_every_policy_says_what_a_scoped_user_reads_and_how_a_row_reaches_its_organisation():
    """Each model's policy (reached through ``policy_for``) is a ``Policy`` that says in ``rows`` what a scoped
    user reads, and its one ``organisation_path`` leads from the model to an organisation."""
    from django.core.exceptions import FieldDoesNotExist

    problems = []
    for model in apps.get_models():
        if (
            not model.__module__.startswith("moulin.")
            or model._meta.auto_created
            or model.__name__ == "NetworkSettings"
        ):
            continue
        policy = policy_for(model)
        if not isinstance(policy, Policy):
            problems.append(f"{model._meta.label}: {type(policy).__name__} is not a Policy")
            continue
        if type(policy).rows is Policy.rows:
            problems.append(f"{model._meta.label}: {type(policy).__name__} does not say what a scoped user reads")
        path = policy.organisation_path
        if path in (None, "pk"):
            if path == "pk" and model._meta.label != "organisations.Organisation":
                problems.append(f"{model._meta.label}: only an organisation is its own organisation")
            continue
        target = model
        try:
            for part in path.split("__"):
                target = target._meta.get_field(part).related_model
        except (FieldDoesNotExist, AttributeError):
            problems.append(f"{model._meta.label}: organisation_path {path!r} does not exist")
            continue
        if target is None or target._meta.label != "organisations.Organisation":
            problems.append(f"{model._meta.label}: organisation_path {path!r} does not reach an organisation")
    assert problems == []


def test_every_page_reads_a_model_through_its_policy():
    """Each page's view is a scoped view naming the model whose policy decides who opens it."""
    from tests.test_scope import ALL_PATTERNS

    problems = []
    for name, _route, _pattern, view_class in ALL_PATTERNS:
        if view_class is None or not hasattr(view_class, "scope"):
            problems.append(f"{name}: not a scoped view")
        elif getattr(view_class, "model", None) is None:
            problems.append(f"{name}: names no model")
        elif view_class.model.__name__ == "NetworkSettings":
            continue  # its own view lets administrators only in (see the model test above)
        elif not isinstance(policy_for(view_class.model), Policy):
            problems.append(f"{name}: its model has no policy")
    assert problems == []


def test_architecture_describes_every_app():
    """docs/architecture.md names every installed app of ours, and the access layer."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    packages = {"moulin/access/"} | {
        f"{config.name.replace('.', '/')}/" for config in apps.get_app_configs() if config.name.startswith("moulin.")
    }
    assert sorted(p for p in packages if f"`{p}`" not in text) == []


def test_login_is_required_everywhere_but_the_login_page(client):
    for name in ["home:home", "organisations:list", "territory:map", "territory:coverage_data", "accounts:user_list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
    assert client.get(reverse("accounts:login")).status_code == 200


def test_security_headers_and_csp(client_as):
    response = client_as("manager").get(reverse("home:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_asset_is_loaded_from_another_host(client_as):
    body = client_as("admin").get(reverse("territory:map")).content.decode()
    assert "http://" not in body.replace("http://127.0.0.1", "") and "https://" not in body


@pytest.mark.django_db(transaction=False)
def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-very-long-random-secret-key-for-the-deploy-check-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "moulin.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
