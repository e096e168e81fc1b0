"""Backups that restore: the test database backed up, restored into a fresh database, every table's count equal."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from moulin.ops.backups import record_counts

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url,
           "LOG_LEVEL": "ERROR"}  # fmt: skip
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300)


COUNTS = (
    "import django, json; django.setup(); from moulin.ops.backups import record_counts;"
    "print(json.dumps(record_counts()))"
)

#: what a search finds, and through which trigram tables on SQLite (built again from the rows by the restore)
SEARCHED = (
    "import django, json; django.setup(); from django.db import connection;"
    "from moulin.core.search import search, sqlite_trigram_tables; from moulin.participants.models import Participant;"
    "found = search(Participant.objects.all(), ['first_name', 'last_name'], 'schmi').values_list('pk', flat=True);"
    "tables = sorted(sqlite_trigram_tables(connection)) if connection.vendor == 'sqlite' else [];"
    "print(json.dumps([sorted(found), tables]))"
)


def searched_here() -> list:
    from moulin.core.search import search, sqlite_trigram_tables
    from moulin.participants.models import Participant

    found = search(Participant.objects.all(), ["first_name", "last_name"], "schmi").values_list("pk", flat=True)
    return [sorted(found), sorted(sqlite_trigram_tables(connection)) if connection.vendor == "sqlite" else []]


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the same kind as the test database (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore are not on PATH")
    params = connection.settings_dict
    name = f"moulin_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    import psycopg

    admin = psycopg.connect(
        host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"], password=params["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        yield f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_backup_restores_into_a_fresh_database_with_every_record(tmp_path, fresh_database):
    path = tmp_path / ("moulin.sqlite3" if connection.vendor == "sqlite" else "moulin.dump")
    call_command("backup", str(path))
    assert path.stat().st_size > 0
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    restored = _manage(fresh_database, "manage.py", "restore", str(path))
    assert restored.returncode == 0, restored.stderr[-2000:]
    counted = _manage(fresh_database, "-c", COUNTS)
    assert counted.returncode == 0, counted.stderr[-2000:]
    here, there = record_counts(), json.loads(counted.stdout)
    assert here["accounts_user"] > 0 and here["participants_participant"] > 0
    assert there == here
    searched = _manage(fresh_database, "-c", SEARCHED)
    assert searched.returncode == 0, searched.stderr[-2000:]
    found_here = searched_here()
    assert found_here[0] and json.loads(searched.stdout) == found_here

    if connection.vendor == "sqlite":  # and the online backup API, from a database no transaction is writing
        again = tmp_path / "again.sqlite3"
        done = _manage(fresh_database, "manage.py", "backup", str(again))
        assert done.returncode == 0, done.stderr[-2000:]
        copy = sqlite3.connect(again)
        try:
            assert {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in here} == here
        finally:
            copy.close()


def test_a_restore_into_a_database_with_data_is_refused_without_force(tmp_path):
    path = tmp_path / "moulin.bak"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(path))


def test_a_missing_backup_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nothing.sqlite3"), "--force")
