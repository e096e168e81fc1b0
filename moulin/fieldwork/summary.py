"""The monthly hours summary (``HoursSummary``), kept by the database (decision 0010).

A summary row adds up the time entries of one month, one team, one site (the entry's work order's) and one
organisation (the worker's). Triggers keep it in the same transaction as the change, whatever makes it (a
service, the admin, a bulk load, a cascade): an entry added, changed or deleted moves its hours between rows; a
worker moved to another organisation, or a work order to another site, moves their entries' hours with them. A
row whose entries all went is deleted. The same statements exist for SQLite and PostgreSQL.

``rebuild()`` recomputes the whole summary from the entries (after a bulk load with the triggers suspended, or to
repair); ``drift()`` lists the rows where the summary and the entries differ (empty: they agree), which the tests
use.

Migration fieldwork 0004 creates the triggers from this module's statements as they are when it runs: a change to
them needs a new migration that drops the triggers and creates them again (``drop_triggers_sql`` then
``create_triggers_sql``), so that databases migrated before the change get it too."""

from contextlib import contextmanager
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections, transaction

TABLE = "fieldwork_hourssummary"
ENTRY = "fieldwork_timeentry"


def _month(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"(substr({column}, 1, 7) || '-01')"


def _key(vendor: str, month: str, team: str, site: str, org: str) -> str:
    """The row's unique key: ``YYYY-MM-01|team|site|organisation`` (empty where there is none)."""
    first = f"CAST({month} AS text)" if vendor == "postgresql" else month
    return " || '|' || ".join([first, *(f"COALESCE(CAST({e} AS text), '')" for e in (team, site, org))])


UPSERT = (
    " ON CONFLICT (key) DO UPDATE SET hours = {t}.hours + excluded.hours, entries = {t}.entries + excluded.entries"
)


def _grouped(vendor: str, sign: str, where: str, org: str = "p.organisation_id", site: str = "w.site_id") -> str:
    """Add (``sign`` "+") or take away ("-") the entries picked by ``where`` (over ``t``, their work order ``w``
    and worker ``p``), grouped into their summary rows; ``org`` / ``site``: the organisation and site they count
    under (the old or new value when a worker or a work order moves)."""
    month = _month(vendor, "t.date")
    return (
        f"INSERT INTO {TABLE} (key, month, team_id, site_id, organisation_id, hours, entries) "
        f"SELECT {_key(vendor, month, 't.team_id', site, org)}, {month}, t.team_id, {site}, {org}, "
        f"{sign}SUM(t.hours), {sign}COUNT(*) "
        f"FROM {ENTRY} t LEFT JOIN fieldwork_workorder w ON w.id = t.work_order_id "
        f"LEFT JOIN participants_participant p ON p.id = t.participant_id "
        f"WHERE {where} GROUP BY {month}, t.team_id, {site}, {org}" + UPSERT.format(t=TABLE)
    )


def _one(vendor: str, row: str, sign: str) -> str:
    """Add or take away one entry (``row``: NEW or OLD)."""
    month = _month(vendor, f"{row}.date")
    site = f"(SELECT site_id FROM fieldwork_workorder WHERE id = {row}.work_order_id)"
    org = f"(SELECT organisation_id FROM participants_participant WHERE id = {row}.participant_id)"
    return (
        f"INSERT INTO {TABLE} (key, month, team_id, site_id, organisation_id, hours, entries) "
        f"VALUES ({_key(vendor, month, f'{row}.team_id', site, org)}, {month}, {row}.team_id, {site}, {org}, "
        f"{sign}{row}.hours, {sign}1)" + UPSERT.format(t=TABLE)
    )


EMPTIED = f"DELETE FROM {TABLE} WHERE entries = 0"

TRIGGERS = ("fieldwork_hours_added", "fieldwork_hours_changed", "fieldwork_hours_removed",
            "fieldwork_hours_worker_moved", "fieldwork_hours_order_moved")  # fmt: skip
TRIGGER_TABLES = (ENTRY, ENTRY, ENTRY, "participants_participant", "fieldwork_workorder")


def _bodies(vendor: str) -> dict[str, tuple[str, str, list[str]]]:
    """trigger name -> (event, condition, statements)."""
    return {
        "fieldwork_hours_added": (f"AFTER INSERT ON {ENTRY}", "", [_one(vendor, "NEW", "")]),
        "fieldwork_hours_changed": (
            f"AFTER UPDATE ON {ENTRY}",
            "OLD.date IS NOT NEW.date OR OLD.hours IS NOT NEW.hours OR OLD.team_id IS NOT NEW.team_id "
            "OR OLD.work_order_id IS NOT NEW.work_order_id OR OLD.participant_id IS NOT NEW.participant_id",
            [_one(vendor, "OLD", "-"), _one(vendor, "NEW", ""), EMPTIED],
        ),
        "fieldwork_hours_removed": (f"AFTER DELETE ON {ENTRY}", "", [_one(vendor, "OLD", "-"), EMPTIED]),
        "fieldwork_hours_worker_moved": (
            "AFTER UPDATE ON participants_participant",
            "OLD.organisation_id IS NOT NEW.organisation_id",
            [
                _grouped(vendor, "-", "t.participant_id = NEW.id", org="OLD.organisation_id"),
                _grouped(vendor, "", "t.participant_id = NEW.id", org="NEW.organisation_id"),
                EMPTIED,
            ],
        ),
        "fieldwork_hours_order_moved": (
            "AFTER UPDATE ON fieldwork_workorder",
            "OLD.site_id IS NOT NEW.site_id",
            [
                _grouped(vendor, "-", "t.work_order_id = NEW.id", site="OLD.site_id"),
                _grouped(vendor, "", "t.work_order_id = NEW.id", site="NEW.site_id"),
                EMPTIED,
            ],
        ),
    }


def create_triggers_sql(vendor: str) -> list[str]:
    statements = []
    for name, (event, condition, body) in _bodies(vendor).items():
        if vendor == "postgresql":
            when = condition.replace(" IS NOT ", " IS DISTINCT FROM ")
            test = f"IF {when} THEN " if when else ""
            statements.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {test}"
                + "; ".join(body)
                + ("; END IF" if when else "")
                + "; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            statements.append(f"CREATE TRIGGER {name} {event} FOR EACH ROW EXECUTE FUNCTION {name}()")
        else:
            when = f" WHEN {condition}" if condition else ""
            statements.append(f"CREATE TRIGGER {name} {event} FOR EACH ROW{when} BEGIN " + "; ".join(body) + "; END")
    return statements


def drop_triggers_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {n} ON {t}" for n, t in zip(TRIGGERS, TRIGGER_TABLES, strict=True)] + [
            f"DROP FUNCTION IF EXISTS {n}()" for n in TRIGGERS
        ]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in TRIGGERS]


def rebuild(using=None) -> int:
    """Recompute the whole summary from the time entries; returns the rows written."""
    conn = connections[using or DEFAULT_DB_ALIAS]
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_grouped(conn.vendor, "", "1 = 1"))
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


@contextmanager
def suspended(using=None):
    """Bulk loads (the demo, the 10x generator): the triggers are dropped for the block and the summary rebuilt
    once at its end, in one pass instead of one upsert per row."""
    conn = connections[using or DEFAULT_DB_ALIAS]
    with conn.cursor() as cursor:
        for statement in drop_triggers_sql(conn.vendor):
            cursor.execute(statement)
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            for statement in create_triggers_sql(conn.vendor):
                cursor.execute(statement)
        rebuild(using=conn.alias)


def drift() -> list[tuple]:
    """``(month, team, site, organisation, summary hours, entries' hours)`` wherever they differ."""
    from moulin.fieldwork.models import HoursSummary, TimeEntry

    def norm(value):
        return Decimal(value or 0).quantize(Decimal("0.01"))

    kept = {
        (r.month, r.team_id, r.site_id, r.organisation_id): (norm(r.hours), r.entries)
        for r in HoursSummary.objects.all()
    }
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    raw = {}
    rows = (
        TimeEntry.objects.annotate(m=TruncMonth("date"))
        .values_list("m", "team_id", "work_order__site_id", "participant__organisation_id")
        .annotate(h=Sum("hours"), n=Count("pk"))
        .order_by()
    )
    for month, team, site, org, hours, n in rows:
        raw[(month, team, site, org)] = (norm(hours), n)
    return [
        (*key, kept.get(key), raw.get(key))
        for key in sorted(set(kept) | set(raw), key=str)
        if kept.get(key) != raw.get(key)
    ]
