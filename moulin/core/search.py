"""Accent-insensitive search, the same on SQLite and PostgreSQL (docs/decisions/0005-accent-insensitive-search.md).

``search_q(fields, term)`` is the one filter every list search (``ScopedListView.search_fields``) and the site
search use: "petange" finds Pétange, "kaerjeng" Käerjeng, "esch" Ësch, "mueller" Müller.

Both sides are *folded*: accents removed, ligatures spelled out (æ → ae, ß → ss), lower case. In SQL the fold
is the function ``moulin_fold(text)``, reached through the ``__fold`` transform: on SQLite it is this module's
``fold`` registered on each new connection; on PostgreSQL an SQL function of the same name, created by migration
``core.0002_search_fold_functions`` from the same table (``FOLD``). German spelling without umlauts (ä → ae,
"Mueller" for Müller) is a second fold, ``moulin_fold_de``, used only when the term could be spelt that way.
"""

import re
import unicodedata

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, CharField, F, Func, Q, Subquery, TextField, Transform
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate

from moulin.core.tables import model_through

#: letters whose decomposition does not drop to ASCII by removing accents
_SPECIAL = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
    "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ł": "l", "Ł": "l", "ı": "i", "ħ": "h", "Ħ": "h", "ŀ": "l",
    "Ŀ": "l", "ĸ": "k", "ſ": "s", "ŉ": "n",
}  # fmt: skip
#: the German spelling of umlauts without them
_GERMAN = {"ä": "ae", "Ä": "ae", "ö": "oe", "Ö": "oe", "ü": "ue", "Ü": "ue"}


def _build_fold() -> dict[str, str]:
    """Every accented Latin letter (Latin-1 Supplement, Latin Extended-A and -B) to lower-case ASCII."""
    table = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char in _SPECIAL:
            table[char] = _SPECIAL[char]
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
        if base != char and base.isascii() and base.isalpha():
            table[char] = base
    table.update({k: v for k, v in _SPECIAL.items() if k not in table})
    return table


#: character → replacement, shared by the SQLite function and the PostgreSQL migration
FOLD = _build_fold()
FOLD_DE = {**FOLD, **_GERMAN}
_FOLD_TABLE = str.maketrans(FOLD)
_FOLD_DE_TABLE = str.maketrans(FOLD_DE)


def fold(value: str | None) -> str | None:
    """'Käerjeng' → 'kaerjeng', 'Pétange' → 'petange', 'Straßen' → 'strassen'."""
    if value is None:
        return None
    value = str(value)
    if value.isascii():  # most names and every number: nothing to fold
        return value.lower()
    return value.translate(_FOLD_TABLE).lower()


def fold_de(value: str | None) -> str | None:
    """Umlauts the German way: 'Müller' → 'mueller' (otherwise as ``fold``)."""
    if value is None:
        return None
    value = str(value)
    if value.isascii():
        return value.lower()
    return value.translate(_FOLD_DE_TABLE).lower()


class Fold(Transform):
    lookup_name = "fold"
    function = "moulin_fold"
    output_field = TextField()


class FoldDe(Transform):
    lookup_name = "fold_de"
    function = "moulin_fold_de"
    output_field = TextField()


for _field in (CharField, TextField):
    _field.register_lookup(Fold)
    _field.register_lookup(FoldDe)


def _german_spelling(term: str) -> bool:
    folded = fold_de(term)
    return any(pair in folded for pair in ("ae", "oe", "ue"))


def search_q(fields, term: str) -> Q:
    """Rows where any of ``fields`` (text fields, through relations too: ``commune__name``) contains ``term``,
    regardless of case and accents."""
    q = Q()
    folded = fold(term.strip())
    for name in fields:
        q |= Q(**{f"{name}__fold__contains": folded})
    if _german_spelling(term):  # "mueller" for Müller, "Müller" for Mueller
        folded_de = fold_de(term.strip())
        for name in fields:
            q |= Q(**{f"{name}__fold_de__contains": folded_de})
    return q


class _AmongArray(Func):
    """``pk = ANY(ARRAY(subquery))``: PostgreSQL computes the subquery once, on its own (an InitPlan)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY(ARRAY"
    output_field = BooleanField()
    conditional = True


#: a term this long is found through the trigram indexes (pg_trgm needs three letters)
TRIGRAM_LENGTH = 3


def search(queryset, fields, term: str):
    term = (term or "").strip()
    if not term or not fields:
        return queryset
    connection = connections[queryset.db]
    if connection.vendor == "sqlite" and len(fold(term)) >= TRIGRAM_LENGTH:
        return queryset.filter(sqlite_trigram_q(connection, queryset.model, fields, term))
    matching = search_q(fields, term)
    if connection.vendor == "postgresql" and len(fold(term)) >= TRIGRAM_LENGTH:
        # The rows are found through the trigram indexes, then sorted. Left to itself, PostgreSQL reads a sorted
        # list through its sort index and folds every row until a page is full, assuming the matches spread
        # evenly over the sort order: a common surname late in the alphabet ("Schmit") then folds most of the
        # table (49 ms for 27,000 participants, 11 ms this way).
        ids = queryset.model._base_manager.filter(matching).order_by().values("pk")
        return queryset.filter(_AmongArray(F("pk"), Subquery(ids)))
    return queryset.filter(matching)


def _column_through(model, path: str):
    """``(relation path, model, column)`` of a text field reached through forward relations only
    (``session__course__title`` → ``("session__course", Course, "title")``), or None."""
    *relations, name = path.split("__")
    target = model_through(model, relations)
    if target is None:
        return None
    return "__".join(relations), target, target._meta.get_field(name).column


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def sqlite_trigram_q(connection, model, fields, term: str) -> Q:
    """``search_q`` on SQLite, each field with a trigram table (``trigram_indexes``) read through it: the ids
    of the rows whose folded text holds the term, from the index, instead of the fold called on every row
    (the participants search at ten times the network folded 82,000 values: 53 ms; 3 ms through the tables).
    The trigram phrase of three letters or more is an exact substring match, so the rows are those of the fold.
    A field without a complete table (its three triggers) is folded row by row, as before."""
    tables = sqlite_trigram_tables(connection)
    folded = fold(term)
    query = f"fold : {_phrase(folded)}"
    if _german_spelling(term):
        query += f" OR fold_de : {_phrase(fold_de(term))}"
    q = Q()
    for name in fields:
        found = _column_through(model, name)
        table = trigram_table_name(found[1]._meta.db_table, found[2]) if found else ""
        if table in tables:
            prefix = f"{found[0]}__" if found[0] else ""
            # the table's name is ours (the schema's), the user's term a parameter
            ids = RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [query])
            q |= Q(**{f"{prefix}pk__in": ids})
        else:
            q |= search_q([name], term)
    return q


#: the complete trigram tables of each SQLite database, by its connection (``sqlite_trigram_tables``)
_TRIGRAM_TABLES: dict[str, frozenset[str]] = {}
TRIGGERS = ("added", "changed", "removed")


def sqlite_trigram_tables(connection) -> frozenset[str]:
    """The trigram tables of this SQLite database that have their three triggers, read once per database and
    process (migrations forget it: ``forget_trigram_tables``). Read on the driver's own connection, so that a
    page's query count does not depend on whether an earlier request of the process read it. A table whose
    base table was rebuilt by a later migration (SQLite's ALTER TABLE drops the triggers with the old table) is
    left out: its search folds every row, slow but right, and ``tests/core/test_search.py`` says so."""
    key = str(connection.settings_dict["NAME"])
    tables = _TRIGRAM_TABLES.get(key)
    if tables is None:
        connection.ensure_connection()
        rows = connection.connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name LIKE '%\\_trgm%' ESCAPE '\\'"
        ).fetchall()
        names = {name for kind, name in rows if kind == "table"}
        triggers = {name for kind, name in rows if kind == "trigger"}
        tables = frozenset(t for t in names if all(f"{t}_{what}" in triggers for what in TRIGGERS))
        _TRIGRAM_TABLES[key] = tables
    return tables


def forget_trigram_tables(**kwargs) -> None:
    _TRIGRAM_TABLES.clear()


post_migrate.connect(forget_trigram_tables, dispatch_uid="moulin.core.search.forget_trigram_tables")


def register_fold_functions(raw_connection) -> None:
    """The fold functions on an SQLite driver connection."""
    raw_connection.create_function("moulin_fold", 1, fold, deterministic=True)
    raw_connection.create_function("moulin_fold_de", 1, fold_de, deterministic=True)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give every new SQLite connection the fold functions PostgreSQL gets from the migration."""
    if connection.vendor == "sqlite":
        register_fold_functions(connection.connection)


connection_created.connect(register_sqlite_functions, dispatch_uid="moulin.core.search.sqlite_functions")


def _fold_sql(table: dict[str, str]) -> str:
    single = {k: v for k, v in table.items() if len(v) == 1}
    multi = {k: v for k, v in table.items() if len(v) > 1}
    expr = "$1"
    for char, replacement in sorted(multi.items()):
        expr = f"replace({expr}, '{char}', '{replacement}')"
    return f"lower(translate({expr}, '{''.join(single)}', '{''.join(single.values())}'))"


def postgresql_function(name: str, table: dict[str, str]) -> str:
    """The SQL of the PostgreSQL function equivalent to folding with ``table`` (frozen in the migrations).

    Three tiers, each the same fold as Python's: a value of plain ASCII (most names, every number) is only
    lower-cased; a value within Latin-1 (Pétange, Käerjeng, Straße) is translated over the 60-odd letters of
    Latin-1; anything else over the whole table. ``translate`` scans its letter list for every character, so the
    whole table (300 letters and 22 ``replace``) cost about 20 µs a value: the site search scanned 4,300 invoices
    in 50 ms on PostgreSQL before core.0005, 5 ms after. The function is not STRICT so that PostgreSQL inlines it
    into the query (a CASE is not provably strict; a NULL still folds to NULL)."""
    latin1 = {k: v for k, v in table.items() if ord(k) <= 0xFF}
    expr = (
        f"CASE WHEN $1 ~ '^[\\x01-\\x7f]*$' THEN lower($1) "
        f"WHEN $1 ~ '^[\\x01-\\xff]*$' THEN {_fold_sql(latin1)} ELSE {_fold_sql(table)} END"
    )
    return (
        f"CREATE OR REPLACE FUNCTION {name}(text) RETURNS text AS $$ SELECT {expr} $$ "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE"
    )


#: the two folds a trigram index is built on, on PostgreSQL (decision 0005): (name in the index name, SQL function)
FOLDS = (("fold", "moulin_fold"), ("fold_de", "moulin_fold_de"))


#: the storage options of every trigram index: no pending list (``trigram_indexes``)
GIN_OPTIONS = "fastupdate = off"


def settle_trigram_indexes(connection) -> list[str]:
    """Give every trigram index of the database ``GIN_OPTIONS`` and merge what waits in its pending list (those
    built before the option, core.0007); returns their names. Nothing to do on SQLite."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexdef LIKE %s",
            ["%gin_trgm_ops%"],
        )
        names = sorted(row[0] for row in cursor.fetchall())
        for name in names:
            cursor.execute(f'ALTER INDEX "{name}" SET ({GIN_OPTIONS})')
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [f'"{name}"'])
    return names


def trigram_index_name(table: str, column: str, fold_name: str) -> str:
    return f"{table}_{column}"[:50] + f"_{fold_name}_trgm"


def trigram_table_name(table: str, column: str) -> str:
    """SQLite's FTS5 trigram table of one column (``trigram_indexes``)."""
    return f"{table}_{column}"[:50] + "_trgm"


def create_sqlite_trigram_table(cursor, table: str, column: str) -> None:
    """An FTS5 table of ``column``'s two folds, by the row's id, kept by three triggers, and (re)filled from the
    rows there: a table rebuilt while its triggers were missing may hold rows the search table lacks.

    The triggers call the fold functions that every connection of the app registers (``register_sqlite_functions``):
    a write to a searched column from another program (the sqlite3 shell) fails with "no such function:
    moulin_fold" rather than leaving the search behind."""
    name = trigram_table_name(table, column)
    cursor.execute(f'CREATE VIRTUAL TABLE IF NOT EXISTS "{name}" USING fts5(fold, fold_de, tokenize="trigram")')
    folds = f'moulin_fold(new."{column}"), moulin_fold_de(new."{column}")'
    cursor.execute(
        f'CREATE TRIGGER IF NOT EXISTS "{name}_added" AFTER INSERT ON "{table}" BEGIN '
        f'INSERT INTO "{name}" (rowid, fold, fold_de) VALUES (new."id", {folds}); END'
    )
    cursor.execute(
        f'CREATE TRIGGER IF NOT EXISTS "{name}_changed" AFTER UPDATE OF "{column}", "id" ON "{table}" BEGIN '
        f'DELETE FROM "{name}" WHERE rowid = old."id"; '
        f'INSERT INTO "{name}" (rowid, fold, fold_de) VALUES (new."id", {folds}); END'
    )
    cursor.execute(
        f'CREATE TRIGGER IF NOT EXISTS "{name}_removed" AFTER DELETE ON "{table}" BEGIN '
        f'DELETE FROM "{name}" WHERE rowid = old."id"; END'
    )
    cursor.execute(f'DELETE FROM "{name}"')
    cursor.execute(
        f'INSERT INTO "{name}" (rowid, fold, fold_de) '
        f'SELECT "id", moulin_fold("{column}"), moulin_fold_de("{column}") FROM "{table}"'
    )


_ADDED = re.compile(
    r'AFTER INSERT ON "(?P<table>[^"]+)" BEGIN INSERT INTO "[^"]+" .*?moulin_fold\(new\."(?P<column>[^"]+)"\)'
)


def sqlite_trigram_columns(raw_connection) -> list[tuple[str, str]]:
    """(table, column) of every trigram table of an SQLite database (read from the triggers that fill them), on
    the driver's connection: what a copy of the database needs to build them again (``moulin.ops.backups``)."""
    rows = raw_connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_trgm\\_added' ESCAPE '\\'"
    ).fetchall()
    return sorted((m["table"], m["column"]) for (sql,) in rows if (m := _ADDED.search(sql)))


def trigram_indexes(table: str, *columns: str, vendors: tuple[str, ...] = ("postgresql", "sqlite")):
    """A migration operation: on PostgreSQL, a GIN trigram index on ``moulin_fold(column)`` and on
    ``moulin_fold_de(column)`` for each column, so that a ``%term%`` search reads the index instead of folding
    every row (pg_trgm answers ``LIKE`` with three letters or more; two letters read the whole index). On SQLite,
    an FTS5 trigram table of each column's two folds, kept by triggers (``create_sqlite_trigram_table``), which
    ``sqlite_trigram_q`` reads. A later change of the fold functions must rebuild both (``REINDEX`` on
    PostgreSQL, the tables dropped and made again on SQLite) in the same migration; a later migration that
    rebuilds a searched table on SQLite (most ``AlterField``) drops its triggers and must run this again.
    ``vendors`` limits it to some engines (a migration that brings SQLite what an earlier one gave PostgreSQL).

    The indexes are built ``WITH (fastupdate = off)`` (``GIN_OPTIONS``): a new row goes straight into the index.
    With PostgreSQL's default, new rows wait in a pending list that every search reads row by row until a vacuum
    merges it, and autovacuum may run late or not at all: after the demo was loaded, the site search at ten times
    the network read 8,060 pending sites for its sites alone (126 ms a page; 51 ms once merged)."""
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor not in vendors:
            return
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                for column in columns:
                    create_sqlite_trigram_table(cursor, table, column)
            return
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            for fold_name, function in FOLDS:
                name = trigram_index_name(table, column, fold_name)
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({function}("{column}") gin_trgm_ops)'
                    f" WITH ({GIN_OPTIONS})"
                )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor not in vendors:
            return
        if schema_editor.connection.vendor == "sqlite":
            for column in columns:
                name = trigram_table_name(table, column)
                for what in TRIGGERS:
                    schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}_{what}"')
                schema_editor.execute(f'DROP TABLE IF EXISTS "{name}"')
            return
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            for fold_name, _function in FOLDS:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{trigram_index_name(table, column, fold_name)}"')

    return migrations.RunPython(create, drop, elidable=False)
