"""Serving in production: the health probe, one log line a request, and a database that does not answer."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]


def _database_down():
    return mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused"))


def test_health_answers_without_login():
    response = Client().get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["tasks"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_fails_when_the_database_does_not_answer():
    with _database_down():
        response = Client(raise_request_exception=False).get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def test_health_fails_when_no_worker_drains_the_database_queue(settings):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from moulin.participants.tasks import anonymise_expired_participants

    result = anonymise_expired_participants.enqueue()
    assert Client().get("/health/").status_code == 200  # just enqueued: the worker has time
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=timezone.now() - dt.timedelta(hours=1))
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["stale"] is True


def test_one_log_line_a_request_with_status_time_and_queries(client_as, caplog):
    client = client_as("coach")
    with caplog.at_level(logging.INFO, logger="moulin.request"):
        response = client.get("/participants/")
    assert response.status_code == 200
    lines = [r for r in caplog.records if r.name == "moulin.request"]
    assert len(lines) == 1
    line = lines[0]
    assert (line.method, line.path, line.status) == ("GET", "/participants/", 200)
    assert line.duration_ms > 0
    assert line.queries > 0
    assert line.getMessage().startswith("GET /participants/ 200 ")


def test_json_log_format_carries_the_request_fields(client_as, caplog):
    from moulin.core.logs import JsonFormatter

    with caplog.at_level(logging.INFO, logger="moulin.request"):
        client_as("manager").get("/participants/?q=zz")
    record = next(r for r in caplog.records if r.name == "moulin.request")
    data = json.loads(JsonFormatter().format(record))
    assert data["path"] == "/participants/"  # the query string (a search, a name) is never logged
    assert data["status"] == 200 and data["queries"] > 0 and data["logger"] == "moulin.request"


def test_a_database_that_is_down_gives_the_sites_error_page(client_as):
    client = client_as("coach")
    client.raise_request_exception = False
    with _database_down():
        response = client.get("/participants/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert response["Retry-After"] == "60"


def test_a_broken_database_url_gives_a_failing_health_check_and_the_error_page():
    """A real process with a DATABASE_URL nobody answers at (port 9, discard): no stack trace reaches the page."""
    script = (
        "import django; django.setup();"
        "from django.test import Client; c = Client(raise_request_exception=False);"
        "h = c.get('/health/'); p = c.get('/accounts/login/');"
        "print(h.status_code, h.json()['checks']['database']['ok'], p.status_code,"
        " 'Traceback' in p.content.decode(), 'unavailable' in p.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing?connect_timeout=2",
        "LOG_LEVEL": "CRITICAL",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["503", "False", "503", "False", "True"]
