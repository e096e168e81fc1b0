"""Picking demo records by what a test needs, never by whatever row happens to come first."""


def pick(queryset, needs: str | None = None):
    """The first row of ``queryset`` (in its order, else by primary key); fails with a clear message when there is
    none, naming what the test needed (``needs``, or the model and the query's conditions).

    The demo is built for the frozen test date (``tests/clock.py``), so the same query picks the same row on every
    run; on another date's demo the query still says what it needs, and the generator must guarantee one."""
    row = queryset.first()
    if row is None:
        what = needs or f"{queryset.model._meta.verbose_name} where {queryset.query.where}"
        raise AssertionError(f"the demo network holds no {what}: the generator must guarantee one")
    return row
