"""Backups that restore: SQLite through its online backup API (a consistent copy while the site runs), PostgreSQL
through pg_dump/pg_restore (custom format). A restore replaces everything in the target database, so it is refused
on a database that already holds users unless forced."""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

from moulin.core.commands import refresh_statistics
from moulin.core.search import (
    create_sqlite_trigram_table,
    register_fold_functions,
    sqlite_trigram_columns,
    trigram_table_name,
)


class BackupError(Exception):
    pass


def default_path(alias: str = "default") -> Path:
    vendor = connections[alias].vendor
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if vendor == "sqlite" else "dump"
    return Path(settings.VAR_DIR) / "backups" / f"moulin-{stamp}.{suffix}"


def _pg_env(params: dict) -> tuple[list[str], dict]:
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise BackupError(f"{tool} is not on PATH: install the PostgreSQL client tools of the server's version.")
    return path


#: the table or trigger a statement of ``iterdump`` writes (the schema row of a virtual table, its rows, a table
#: of its own, a trigger)
_DUMPED = re.compile(r"""^(?:INSERT INTO sqlite_master\(type,name,tbl_name,rootpage,sql\)VALUES\('table','"""
                     r"""|INSERT INTO "|CREATE TABLE ['"]|CREATE TRIGGER ")([^'"]+)""")  # fmt: skip


def dump_sqlite(source, target) -> None:
    """Copy ``source`` into the empty ``target`` as SQL (``iterdump``), the search's trigram tables left out and
    built again from the rows: ``iterdump`` writes a virtual table's rows before the table exists."""
    columns = sqlite_trigram_columns(source)
    tables = {trigram_table_name(table, column) for table, column in columns}

    def kept(statement: str) -> bool:
        match = _DUMPED.match(statement)
        name = match[1] if match else ""
        return not any(name == t or name.startswith(f"{t}_") for t in tables)

    target.executescript("\n".join(s for s in source.iterdump() if kept(s)))
    register_fold_functions(target)
    with target:
        cursor = target.cursor()
        for table, column in columns:
            create_sqlite_trigram_table(cursor, table, column)


def backup(path: Path, alias: str = "default") -> Path:
    connection = connections[alias]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            if connection.in_atomic_block:
                # The online backup API cannot read a database its own connection is writing (a test's open
                # transaction): a consistent SQL dump through that same connection instead.
                from django.db.backends.sqlite3._functions import register

                register(target)  # the REGEXP and other functions the schema's check constraints call
                dump_sqlite(connection.connection, target)
            else:
                connection.connection.backup(target)  # online: pages copied while other processes keep writing
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        params = connection.settings_dict
        args, env = _pg_env(params)
        done = subprocess.run(
            [_need("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args, "--file", str(path),
             params["NAME"]],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(done.stderr.strip() or "pg_dump failed")
    else:
        raise BackupError(f"No backup for {connection.vendor} databases.")
    os.chmod(path, 0o600)  # people's records: readable by the service's user only
    return path


def holds_data(alias: str = "default") -> int:
    """The number of users in the target database (0 for an empty or never-migrated one)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    connection = connections[alias]
    if user_model._meta.db_table not in connection.introspection.table_names():
        return 0
    return user_model._default_manager.using(alias).count()


def restore(path: Path, alias: str = "default", *, force: bool = False) -> None:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    users = holds_data(alias)
    if users and not force:
        raise BackupError(
            f"The database already holds {users} users: a restore would replace everything in it. "
            "Restore into an empty database, or pass --force to replace it."
        )
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        params = connection.settings_dict
        args, env = _pg_env(params)
        connection.close()
        done = subprocess.run(
            [_need("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
             "--exit-on-error", *args, "--dbname", params["NAME"], str(path)],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(done.stderr.strip() or "pg_restore failed")
        refresh_statistics(connection)  # pg_restore brings the rows back, not the planner's statistics
    else:
        raise BackupError(f"No restore for {connection.vendor} databases.")


def record_counts(alias: str = "default") -> dict[str, int]:
    """Rows in every table of every installed model (the check that a restore is complete)."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in tables and not model._meta.proxy and model._meta.managed:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts
