"""Search finds names without their accents, the same on SQLite and PostgreSQL (decision 0005).

Run on PostgreSQL too: DATABASE_URL=postgres://postgres@127.0.0.1:5432/moulin_x pytest tests/core/test_search.py
"""

from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moulin.contracts.models import Contract
from moulin.core.search import FOLD, FOLD_DE, _german_spelling, fold, fold_de, postgresql_function, search
from moulin.fieldwork.models import Site
from moulin.participants.models import Participant
from moulin.partners.models import Partner
from moulin.projects.models import Need


@pytest.mark.parametrize(
    "text,folded",
    [("Pétange", "petange"), ("Käerjeng", "kaerjeng"), ("Ësch-Uelzecht", "esch-uelzecht"), ("Straßen", "strassen"),
     ("ŒUVRE", "oeuvre"), ("Łódź", "lodz"), ("Ångström", "angstrom"), ("Niederanven", "niederanven")],
)  # fmt: skip
def test_fold_removes_accents_and_case(text, folded):
    assert fold(text) == folded


def test_german_fold_spells_umlauts_out():
    assert fold_de("Müller") == "mueller" and fold_de("Käerjeng") == "kaeerjeng" and fold("Müller") == "muller"


@pytest.mark.parametrize(
    "term,expected",
    [("petange", "Pétange"), ("PETANGE", "Pétange"), ("Pétange", "Pétange"), ("kaerjeng", "Käerjeng"),
     ("käerjeng", "Käerjeng"), ("sure", "Esch-sur-Sûre")],
)  # fmt: skip
def test_commune_list_search_ignores_accents(client_as, term, expected):
    response = client_as("staff").get(reverse("territory:commune_list"), {"q": term})
    assert expected in {c.name for c, _cells in response.context["rows"]}


def test_esch_finds_both_esch_communes_and_nothing_else(client_as):
    response = client_as("staff").get(reverse("territory:commune_list"), {"q": "esch"})
    assert {c.name for c, _cells in response.context["rows"]} == {"Esch-sur-Alzette", "Esch-sur-Sûre"}


def test_site_search_ignores_accents(client_as):
    body = client_as("manager").get(reverse("home:search"), {"q": "petange"}).content.decode()
    assert "Pétange" in body
    body = client_as("manager").get(reverse("home:search"), {"q": "Kaerjeng"}).content.decode()
    assert "Käerjeng" in body


def test_partner_search_through_a_relation_and_in_the_middle_of_a_name(client_as):
    response = client_as("staff").get(reverse("partners:list"), {"q": "developpement de l'emploi"})
    assert "Agence pour le développement de l'emploi (ADEM)" in {p.name for p, _cells in response.context["rows"]}
    by_commune = Partner.objects.filter(commune__name="Pétange")
    if by_commune.exists():
        found = search(Partner.objects.all(), ["commune__name"], "petange")
        assert set(found) == set(by_commune)


def test_german_names_with_or_without_umlauts(home_org):
    mueller = Participant.objects.create(organisation=home_org, first_name="Jos", last_name="Müller")
    written_out = Participant.objects.create(organisation=home_org, first_name="Anna", last_name="Schroeder")
    people = Participant.objects.filter(pk__in=[mueller.pk, written_out.pk])
    for term in ("müller", "muller", "Mueller", "MÜLLER"):
        assert list(search(people, ["last_name"], term)) == [mueller], term
    for term in ("Schröder", "schroeder"):
        assert list(search(people, ["last_name"], term)) == [written_out], term
    assert list(search(people, ["last_name"], "schroder")) == []  # "oe" stays two letters when typed without umlaut


def test_the_database_folds_like_python():
    """The SQLite function is Python's; the PostgreSQL one is SQL generated from the same table."""
    samples = ["Pétange", "Käerjeng", "Ësch-Uelzecht", "Straßen", "ŒUVRE", "Łódź", "Ærø", "ĲSSEL", "Ünïcödé"]
    samples += [
        "ESCH-SUR-ALZETTE",
        "INV-2026-0042",
        "Mueller",
        "",
        "a~b{c}",
        "Esch\tMüller",
        "Ÿ",
        "ÿ-Łódź",
    ]  # the ASCII and Latin-1 tiers
    with connection.cursor() as cursor:
        for text in samples:
            cursor.execute("SELECT moulin_fold(%s), moulin_fold_de(%s)", [text, text])
            assert cursor.fetchone() == (fold(text), fold_de(text)), text


def test_the_latest_migration_holds_the_functions_the_module_writes():
    """``postgresql_function`` is frozen in a migration: a change of the table or of the SQL needs a new one."""
    latest = import_module("moulin.core.migrations.0005_search_fold_tiers")
    assert latest.FOLD_SQL == postgresql_function("moulin_fold", FOLD)
    assert latest.FOLD_DE_SQL == postgresql_function("moulin_fold_de", FOLD_DE)


def test_every_list_search_runs_on_its_fields():
    """Each list's ``search_fields`` are text fields the fold reaches (a number field would be a FieldError)."""
    from django.urls import get_resolver

    from moulin.core.views import ScopedListView

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    assert get_resolver().url_patterns  # imports every view module
    checked = 0
    for view in set(subclasses(ScopedListView)):
        if view.search_fields and getattr(view, "model", None) is not None:
            search(view.model._default_manager.all(), view.search_fields, "Käerjeng").exists()
            checked += 1
    assert checked >= 15


def _copies(rows, count, **fields):
    """``count`` copies of the first of ``rows``, with ``fields`` numbered."""
    original = rows.order_by("pk").first()
    for n in range(count):
        original.pk = original.id = None
        for name, value in fields.items():
            setattr(original, name, f"{value} {n}")
        original.save()


def test_site_search_reads_each_family_in_one_query_however_many_hits(client_as):
    """A hit's name may read a relation (a need's or a site's commune, a contract's counterparty): it comes with
    the hits, so twenty hits in a family cost what one hit costs."""
    client = client_as("admin")

    def search_page():
        client.get(reverse("home:search"), {"q": "zqxw"})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home:search"), {"q": "zqxw"})
        return len(queries), sum(len(group["hits"]) for group in response.context["groups"])

    _copies(Need.objects, 1, title="Zqxw need")
    _copies(Site.objects, 1, name="Zqxw site")
    _copies(Contract.objects.filter(agreement=None), 1, title="Zqxw contract", reference="ZQXW")
    one, hits = search_page()
    assert hits == 3
    _copies(Need.objects, 19, title="Zqxw more needs")
    _copies(Site.objects, 19, name="Zqxw more sites")
    _copies(Contract.objects.filter(agreement=None), 19, title="Zqxw more contracts", reference="ZQXW-MORE")
    twenty, hits = search_page()
    assert hits == 60
    assert twenty == one


def searched_families():
    """(table, column) of every field the site search reads on the family's own table."""
    from moulin.core.capabilities import collected

    for family in collected("searchable"):
        for name in family.fields:
            if "__" not in name:
                yield family.model_class._meta.db_table, family.model_class._meta.get_field(name).column


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {row[0] for row in cursor.fetchall()}


def test_every_searched_name_has_its_trigram_index_on_either_engine():
    """A ``%term%`` search reads a trigram index of the folded text instead of folding every row: on PostgreSQL
    a GIN index of each fold, on SQLite an FTS5 table of both, complete with the three triggers that keep it.
    A migration that rebuilds a searched table on SQLite drops its triggers: run ``trigram_indexes`` for the
    table again at the end of that migration."""
    from moulin.core.search import FOLDS, sqlite_trigram_tables, trigram_index_name, trigram_table_name

    if connection.vendor == "postgresql":
        wanted = {trigram_index_name(t, c, fold_name) for t, c in searched_families() for fold_name, _f in FOLDS}
        present = index_names()
    else:
        wanted = {trigram_table_name(t, c) for t, c in searched_families()}
        present = set(sqlite_trigram_tables(connection))
        assert not {name for name in index_names() if name.endswith("_trgm")}
    assert wanted <= present, sorted(wanted - present)


@pytest.mark.parametrize("term", ["es", "sch", "Schmit", "müller", "Mueller", "an", "zzqx", "kaerjeng"])
def test_search_finds_the_rows_python_finds_in_the_same_order(term):
    """However the engine finds them (through the trigram indexes for three letters or more on PostgreSQL),
    the rows found and their order are those of the fold applied in Python."""
    fields = ["first_name", "last_name", "jobseeker_number"]
    rows = Participant.objects.order_by("last_name", "pk")
    folded, folded_de, german = fold(term), fold_de(term), _german_spelling(term)

    def matches(person):
        values = [getattr(person, f) or "" for f in fields]
        return any(folded in fold(v) or (german and folded_de in fold_de(v)) for v in values)

    expected = [p.pk for p in rows if matches(p)][:25]
    assert list(search(rows, fields, term).values_list("pk", flat=True)[:25]) == expected


def test_a_search_of_three_letters_reads_the_trigram_index_on_postgresql():
    sql, params = search(Participant.objects.order_by("last_name", "pk"), ["last_name"], "Schmit")[
        :25
    ].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the demo's tables are small: price the scan of them out
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " | ".join(row[0] for row in cursor.fetchall())
            assert "participants_participant_last_name_fold_trgm" in plan, plan
        else:
            cursor.execute(sql, params)
            assert cursor.fetchall()


ONLY_POSTGRESQL = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="trigram indexes exist on PostgreSQL only (decision 0005)"
)


def trigram_index_options() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE c.relname LIKE %s",
            ["%\\_trgm"],
        )
        return dict(cursor.fetchall())


@ONLY_POSTGRESQL
def test_every_trigram_index_takes_new_rows_straight_in():
    """No pending list: with PostgreSQL's default, new rows wait in a list that every search reads row by row
    until a vacuum merges it (autovacuum may be late, or off), and the planner then prices the index out."""
    options = trigram_index_options()
    assert options and all("fastupdate=off" in opts for opts in options.values()), options


@ONLY_POSTGRESQL
def test_a_search_reads_the_trigram_index_right_after_many_rows_were_added():
    site = Site.objects.select_related("project", "commune").first()
    Site.objects.bulk_create(
        Site(project=site.project, commune=site.commune, name=f"Aire de jeux {n:04d}", kind=site.kind,
             geometry=site.geometry)
        for n in range(3000)
    )  # fmt: skip
    sql, params = search(Site.objects.order_by("name", "pk"), ["name"], "Esch")[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = " | ".join(row[0] for row in cursor.fetchall())
    assert "fieldwork_site_name_fold_trgm" in plan, plan


def test_settling_the_trigram_indexes_is_idempotent():
    from moulin.core.search import settle_trigram_indexes

    first = settle_trigram_indexes(connection)
    assert settle_trigram_indexes(connection) == first
    if connection.vendor == "postgresql":
        assert set(first) == set(trigram_index_options())
    else:
        assert first == []


def found(term: str, fields=("first_name", "last_name", "jobseeker_number")) -> set[int]:
    return set(search(Participant.objects.all(), list(fields), term).values_list("pk", flat=True))


def test_a_search_finds_a_person_as_soon_as_they_are_written_renamed_or_removed(home_org):
    """On SQLite the trigram tables follow each write through their triggers; on PostgreSQL the indexes do."""
    person = Participant.objects.create(organisation=home_org, first_name="Zoé", last_name="Qwertzhaus")
    assert found("qwertz") == {person.pk} and found("zoe qwe") == set()
    person.last_name = "Pétrowskyzq"
    person.save()
    assert found("qwertz") == set() and found("petrowsky") == {person.pk}
    Participant.objects.filter(pk=person.pk).update(jobseeker_number="98765432")
    assert person.pk in found("876543")
    Participant.objects.create(organisation=home_org, first_name="Ilse", last_name="Grünwaldzq")
    assert len(found("gruenwaldzq")) == 1 and found("grunwaldzq") == found("gruenwaldzq")
    person.delete()
    assert found("petrowsky") == set()


ONLY_SQLITE = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="the trigram tables are SQLite's (PostgreSQL has GIN indexes)"
)


@ONLY_SQLITE
def test_a_search_of_three_letters_reads_the_trigram_table_on_sqlite():
    sql, _params = search(Participant.objects.all(), ["last_name"], "Schmit").query.sql_with_params()
    assert '"participants_participant_last_name_trgm" MATCH' in sql and "moulin_fold" not in sql
    sql, _params = search(Participant.objects.all(), ["last_name"], "sc").query.sql_with_params()
    assert "MATCH" not in sql and "moulin_fold" in sql  # two letters: no trigram to look up


@ONLY_SQLITE
def test_a_trigram_table_without_its_triggers_is_not_read(home_org):
    """A table rebuilt by a later migration loses its triggers, so its trigram table no longer follows the rows:
    the search then folds every row, slower but right."""
    from moulin.core.search import forget_trigram_tables

    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "participants_participant_last_name_trgm_added"')
    forget_trigram_tables()
    try:
        person = Participant.objects.create(organisation=home_org, first_name="Jos", last_name="Zqxwvutsr")
        sql, _params = search(Participant.objects.all(), ["last_name"], "zqxwv").query.sql_with_params()
        assert "participants_participant_last_name_trgm" not in sql
        assert found("zqxwv", ["last_name"]) == {person.pk}
    finally:
        forget_trigram_tables()  # the test's transaction gives the trigger back
