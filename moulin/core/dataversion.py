"""The data version: a token that changes after every committed write to the database, so that a page computed
from the data can be cached under it and never be served stale (decision 0011).

Every connection Django opens runs its statements through ``watch`` (an execute wrapper, installed when the
connection is created). A statement that may write (anything but a ``SELECT`` or transaction control, a ``WITH``
holding ``INSERT``/``UPDATE``/``DELETE``) to a table other than those in ``IGNORED`` marks the connection's
transaction: once it commits, ``bump`` gives the one row of ``core_dataversion`` a new random token. That covers
the ORM's saves and deletes, ``QuerySet.update()``, ``bulk_create``, raw SQL through Django's cursors, migrations
and the management commands alike; only a write that does not go through Django (``psql``, a restore file) is
missed, which is why a cached entry also expires (``MOULIN_DATA_CACHE_SECONDS``).

``current(connection)`` is the token to cache under, or ``None`` when nothing may be cached now: this connection
holds writes of its own not yet committed (a page computed inside that transaction shows them; nobody else sees
them yet), or the row does not exist yet.
"""

import re
import secrets
import threading

from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created

#: one row (``id`` 1, ``token``), created by migration ``core.0004`` and read and written here only, in plain SQL
TABLE = "core_dataversion"

#: in cache keys: this process's entries only, so a deployment (new code, new templates) starts with none, even in
#: a cache shared between machines
BOOT = secrets.token_hex(4)

#: tables whose writes change nothing a page cached under the version shows (the home page, the signed-in user):
#: the sessions (written on most requests), the sign-in lockout's attempt log, the audit log (written by every
#: person page a coach opens: it would empty every cache many times a minute) and the version itself. A page that
#: shows one of these must not be cached under the version, or must take its table off this list.
IGNORED = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
        "axes_accessattemptexpiration",
        "core_auditevent",
        "core_auditsubject",
        TABLE,
    }
)

_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "END", "SET ", "SHOW", "EXPLAIN")
_WRITE_WORDS = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|REPLACE)\b", re.IGNORECASE)
_TARGET = re.compile(r'(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?\s', re.IGNORECASE)


def writes(sql: str) -> bool:
    """Whether the statement may change data a page shows (when unsure: yes)."""
    head = sql.lstrip()[:9].upper()
    if head.startswith(_READS):
        return False
    if head.startswith("WITH") and not _WRITE_WORDS.search(sql):
        return False
    if head.startswith("PRAGMA"):  # connection settings (foreign keys, journal): no data
        return False
    target = _TARGET.match(sql.lstrip())
    return target is None or target.group(1) not in IGNORED


class Bump:
    """The on-commit callback of a transaction that wrote (one per transaction, recognised by its type)."""

    def __init__(self, alias: str):
        self.alias = alias

    def __call__(self):
        bump(connections[self.alias])


def pending(connection) -> bool:
    """Whether the connection's transaction in progress holds a write not yet committed."""
    return connection.in_atomic_block and any(isinstance(entry[1], Bump) for entry in connection.run_on_commit)


def watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if writes(sql):
        connection = context["connection"]
        if connection.in_atomic_block:
            if not pending(connection):
                connection.on_commit(Bump(connection.alias))
        else:  # autocommit: committed already (or, in a transaction managed by hand, bumped inside it)
            bump(connection)
    return result


def bump(connection) -> None:
    """A new token: what was cached under the previous one is never read again."""
    forget(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{TABLE}" (id, token) VALUES (1, %s) '
                "ON CONFLICT (id) DO UPDATE SET token = excluded.token",
                [secrets.randbits(62)],
            )
    except DatabaseError:
        if TABLE in connection.introspection.table_names():
            raise
        # migrating a new database: nothing is cached under a version that does not exist yet


#: the token each connection read during the request in progress on this thread (``None`` outside a request)
_request = threading.local()


def current(connection) -> int | None:
    """The token to cache under now, read once per request and connection: the signed-in user, the page and its
    parts ask for it in turn. The first reading comes before the request reads any data (the user is read
    first), so what the request computes is never older than the token it is kept under; a write the request
    commits itself gives a new token (``bump``), read again at the next call."""
    if pending(connection):
        return None
    memo = getattr(_request, "tokens", None)
    if memo is not None and connection.alias in memo:
        return memo[connection.alias]
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT token FROM "{TABLE}" WHERE id = 1')
        row = cursor.fetchone()
    token = row[0] if row else None
    if memo is not None and token is not None:
        memo[connection.alias] = token
    return token


def forget(connection) -> None:
    memo = getattr(_request, "tokens", None)
    if memo is not None:
        memo.pop(connection.alias, None)


def _request_started(**kwargs) -> None:
    _request.tokens = {}


def _request_finished(**kwargs) -> None:
    _request.tokens = None


request_started.connect(_request_started, dispatch_uid="moulin.core.dataversion.request_started")
request_finished.connect(_request_finished, dispatch_uid="moulin.core.dataversion.request_finished")


def install(sender=None, connection=None, **kwargs) -> None:
    """Put ``watch`` first among the connection's execute wrappers (``execute_wrapper()`` contexts pop the last)."""
    if watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch)


connection_created.connect(install, dispatch_uid="moulin.core.dataversion.install")
