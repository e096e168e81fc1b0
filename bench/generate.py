"""Grow a demo network N times, and its field work history to Y years, for the growth benchmark and for reports.

    python bench/generate.py --factor 10                 # ten times the network in the current database
    python bench/generate.py --factor 10 --years 10      # ... and ten years of work orders and time entries
    DATABASE_URL=postgres://postgres@127.0.0.1/moulin_big python bench/generate.py --factor 10 --years 10

It starts from a database holding the demo network (`make demo-data`, or bench/run.py which calls ``grow``) and
copies it inside the database itself, in one transaction:

- **factor**: every record of the network (every model that refers, directly or through others, to an
  organisation or a user: organisations, people, projects, teams, partners, participants with their whole pathway,
  trainings, care, field work, ...) is copied factor - 1 times. Each copy is a network of its own: its own
  organisations, users, coaches and participants, pointing at the same reference data (communes, measures,
  skills, service types). A role therefore sees as much as before, and the network-wide roles (administrator,
  staff, ministry) see factor times more. Integer keys are offset, UUIDs get a copy number in their first byte,
  unique text gets a ``-ck`` suffix (emails become ``name+k@...``).
- **years**: the work orders and time entries (HISTORY, the tables the annual reports read) are copied further
  back in time, in blocks of the demo's own span rounded to whole weeks (so holidays and weekdays fall the same
  way), until they cover that many years.

The copies are ``INSERT ... SELECT`` statements run by the database engine itself: on PostgreSQL this beats
``COPY`` (no row leaves the server, no row is parsed again), and the same statements run on SQLite. Nothing is
copied through Python, so the time grows with the rows written, not with the Python objects: see
docs/performance.md for the time it took.

The generator is model-driven: a model added by a new app is copied too when it refers to the network. Add a
model to HISTORY to have it carried back in time with the years.
"""

import argparse
import math
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

ROOTS = ("organisations.Organisation", "accounts.User", "partners.Partner")
# never copied, even when they point at a user or an organisation: the log of what happened, the numbering
# counters (a copy's numbers carry their -ck suffix), framework tables; issued invoices (the database refuses any
# line added to an issued invoice: a grown network is billed by its own monthly batches, bench/billing.py) and the
# stored annual reports (files made from the records, made again on demand)
NEVER = {"core", "sequences", "ops", "territory", "admin", "auth", "contenttypes", "sessions", "axes", "billing",
         "reporting"}  # fmt: skip
HISTORY = ("fieldwork.WorkOrder", "fieldwork.TimeEntry")
# kept by the database from other tables (decision 0010): never copied, rebuilt once the copies are in
DERIVED = {"fieldwork.HoursSummary"}


def say(text: str) -> None:
    sys.stderr.write(text + "\n")


def network_models():
    """The models copied by --factor: every model reaching a root through its foreign keys (fixed point)."""
    from django.apps import apps

    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label not in NEVER
        and m._meta.label not in DERIVED
        and not m._meta.proxy
        and m._meta.managed
        and (m.__module__.startswith("moulin.") or m._meta.auto_created)
    ]
    chosen = {apps.get_model(r) for r in ROOTS}
    changed = True
    while changed:
        changed = False
        for m in candidates:
            if m in chosen:
                continue
            if any(f.related_model in chosen for f in m._meta.concrete_fields if f.is_relation):
                chosen.add(m)
                changed = True
    return [m for m in candidates if m in chosen]


class Copier:
    """Builds one ``WITH k(n) AS (VALUES (1), (2), ...) INSERT INTO t SELECT <copy n of each column> FROM t, k``
    per model: every copy in one statement that reads the original rows only."""

    def __init__(self, connection):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.q = connection.ops.quote_name

    def key(self, field, column: str, strides: dict) -> str:
        """Copy n's value of a primary key, or of a foreign key to a copied model."""
        from django.db import models

        target = field
        while target.is_relation:
            target = target.target_field
        if isinstance(target, models.UUIDField):  # first byte + n (mod 256): never an original's, nor another copy's
            if self.pg:
                byte = f"((('x' || substr({column}::text, 1, 2))::bit(8)::int + k.n) % 256)"
                return f"(lpad(to_hex({byte}), 2, '0') || substr({column}::text, 3))::uuid"
            hexdigit = "instr('0123456789abcdef', substr({c}, {i}, 1)) - 1"
            byte = f"((16 * ({hexdigit.format(c=column, i=1)}) + {hexdigit.format(c=column, i=2)} + k.n) % 256)"
            return f"(printf('%02x', {byte}) || substr({column}, 3))"
        return f"({column} + k.n * {strides[target.model]})"

    def unique_text(self, field, column: str, width: int) -> str:
        from django.db import models

        if isinstance(field, models.EmailField):
            return f"replace({column}, '@', '+' || k.n || '@')"
        if field.max_length:  # "-c<n>": still a slug, still a code
            return f"(substr({column}, 1, {field.max_length - width - 2}) || '-c' || k.n)"
        return f"({column} || '-c' || k.n)"

    def shifted(self, field, column: str, block: int) -> str:
        from django.db import models

        if isinstance(field, models.DateTimeField):
            if self.pg:
                return f"({column} - make_interval(days => k.n * {block}))"
            return f"datetime({column}, '-' || (k.n * {block}) || ' days')"
        return f"({column} - k.n * {block})" if self.pg else f"date({column}, '-' || (k.n * {block}) || ' days')"

    @staticmethod
    def uniques(model, copied: set) -> set[str]:
        """Names of the fields in a unique set that no copied key already tells apart: their text gets the copy's
        suffix (a role, a date or a name beside a copied foreign key stays as it is)."""
        from django.db import models

        def separated(name: str) -> bool:
            field = model._meta.get_field(name)
            if field.primary_key or (field.unique and isinstance(field, models.UUIDField)):
                return True
            target = field
            while target.is_relation:
                target = target.target_field
            return field.is_relation and target.model in copied

        sets = [[f.name] for f in model._meta.concrete_fields if f.unique and not f.primary_key]
        sets += [list(u) for u in model._meta.unique_together]
        sets += [list(c.fields) for c in model._meta.constraints if getattr(c, "fields", None)]
        return {name for s in sets if not any(separated(n) for n in s) for name in s}

    def copy(self, model, copies: int, strides: dict, copied: set, *, block: int = 0) -> int:
        """Insert ``copies`` copies of the model's rows; keys of ``copied`` models are remapped; with ``block``,
        copy n's dates are n * block days earlier."""
        from django.db import models

        if copies < 1:
            return 0
        unique_names = self.uniques(model, copied)
        width = len(str(copies))
        cols, exprs = [], []
        for field in model._meta.concrete_fields:
            if getattr(field, "generated", False):
                continue  # computed by the database
            column = self.q(field.column)
            target = field
            while target.is_relation:
                target = target.target_field
            if field.primary_key or (field.is_relation and target.model in copied):
                expr = self.key(field, column, strides)
            elif field.unique and isinstance(field, models.UUIDField):
                expr = self.key(field, column, strides)
            elif field.name in unique_names and isinstance(field, models.CharField | models.TextField):
                expr = self.unique_text(field, column, width)
            elif block and isinstance(field, models.DateField) and field.name not in {"created_at", "updated_at"}:
                expr = self.shifted(field, column, block)
            else:
                expr = column
            cols.append(column)
            exprs.append(expr)
        values = ", ".join(f"({n})" for n in range(1, copies + 1))
        table = self.q(model._meta.db_table)
        sql = (
            f"WITH k(n) AS (VALUES {values}) INSERT INTO {table} ({', '.join(cols)}) "
            f"SELECT {', '.join(exprs)} FROM {table}, k"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.rowcount

    def strides(self, models_) -> dict:
        """Per model with an integer key, a power of ten above its largest key: copy n's key is key + n * stride."""
        from django.db import models

        result = {}
        with self.connection.cursor() as cursor:
            for model in models_:
                pk = model._meta.pk
                while pk.is_relation:
                    pk = pk.target_field
                if isinstance(pk, models.UUIDField) or pk.model is not model:
                    continue
                cursor.execute(f"SELECT MAX({self.q(pk.column)}) FROM {self.q(model._meta.db_table)}")
                top = cursor.fetchone()[0] or 0
                result[model] = 10 ** max(1, math.ceil(math.log10(top + 1)))
        return result

    def reset_sequences(self, models_) -> None:
        if not self.pg:
            return  # SQLite's AUTOINCREMENT follows the largest key inserted
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(sql)


def grow(factor: int = 10, years: int = 0, *, verbose: bool = True) -> dict:
    """Copy the network factor - 1 times, then its history back to ``years`` years. Returns the figures."""
    from django.apps import apps
    from django.db import connection, transaction

    from moulin.core.commands import refresh_statistics
    from moulin.fieldwork import summary

    copier = Copier(connection)
    figures = {"factor": factor, "years": years, "rows": 0, "history_blocks": 0}
    started = time.perf_counter()
    # the monthly hours summary's triggers would upsert once per copied entry: dropped for the copy, and the
    # summary rebuilt in one pass at the end
    with summary.suspended(), transaction.atomic():
        chosen = network_models()
        copied = set(chosen)
        strides = copier.strides(chosen)
        for model in chosen:
            figures["rows"] += copier.copy(model, factor - 1, strides, copied)
        figures["network_s"] = time.perf_counter() - started
        if verbose:
            say(f"  {factor - 1} copies of {len(chosen)} tables: {figures['network_s']:.1f} s")
        if years:
            history = [apps.get_model(label) for label in HISTORY]
            block = math.ceil(max(_span_days(connection, m) for m in history) / 7) * 7
            blocks = max(0, math.ceil(years * 365 / block) - 1)
            strides_h = copier.strides(history)
            for model in history:
                figures["rows"] += copier.copy(model, blocks, strides_h, set(history), block=block)
            figures["history_blocks"] = blocks
            if verbose:
                say(f"  {blocks} history blocks of {block} days: {time.perf_counter() - started:.1f} s")
        copier.reset_sequences(list(copied | {apps.get_model(label) for label in HISTORY}))
    # the product's own rule after a bulk load: ANALYZE on PostgreSQL; SQLite plans without statistics, as the
    # demo it was copied from does (statistics of the grown copy alone made SQLite join the volunteer hours list
    # from the organisations side and sort every row: 0.1 -> 6.6 ms)
    refresh_statistics(connection)
    figures["seconds"] = time.perf_counter() - started
    return figures


def _span_days(connection, model) -> int:
    date = next(f for f in model._meta.concrete_fields if f.name == "date").column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN({date}), MAX({date}) FROM {connection.ops.quote_name(model._meta.db_table)}")
        low, high = cursor.fetchone()
    if low is None:
        return 365
    if isinstance(low, str):
        from datetime import date as _date

        low, high = _date.fromisoformat(low[:10]), _date.fromisoformat(high[:10])
    return (high - low).days + 1


def counts(models_) -> dict:
    return {m._meta.label: m._base_manager.count() for m in models_}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=10, help="copies of the network in all (default 10)")
    parser.add_argument("--years", type=int, default=0, help="years of work orders and time entries (default: as is)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.apps import apps
    from django.db import connection

    watched = [apps.get_model(label) for label in (*ROOTS, "participants.Participant", *HISTORY)]
    before = counts(watched)
    figures = grow(args.factor, args.years)
    after = counts(watched)
    say(f"{connection.vendor}: {figures['rows']:,} rows written in {figures['seconds']:.1f} s")
    for label in before:
        say(f"  {label}: {before[label]:,} -> {after[label]:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
