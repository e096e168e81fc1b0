"""Signing out clears what the browser keeps offline (docs/decisions/0009-offline-time-sheet-copies.md)."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

STATIC = Path(settings.BASE_DIR) / "moulin" / "static" / "moulin"


def test_sign_out_asks_the_browser_to_clear_the_sites_caches_and_storage(client_as):
    client = client_as("teamleader")
    page = client.get(reverse("fieldwork:today")).content.decode()
    assert "data-sign-out" in page and "data-unsent" in page
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_the_service_worker_keeps_copies_for_the_day_only():
    worker = (STATIC / "field_sw.js").read_text()
    assert "moulin-field-" in worker and "dropOldDays" in worker
    assert r"\/field\/(today\/|work-orders\/" in worker  # only the day's list and time sheets are copied
    script = (STATIC / "moulin.js").read_text()
    assert 'localStorage.removeItem("moulin.fieldwork.queue")' in script
