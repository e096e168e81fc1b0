"""Meta-tests that police the project's conventions."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from moulin.access.querysets import ScopedQuerySet

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


def test_login_is_required_everywhere_but_the_login_page(client):
    for name in ["core:home", "organisations:list", "territory:map", "territory:coverage_data", "accounts:user_list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
    assert client.get(reverse("accounts:login")).status_code == 200


def test_security_headers_and_csp(client_as):
    response = client_as("manager").get(reverse("core:home"))
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
