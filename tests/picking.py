"""Picking demo records by what a test needs, never by whatever row happens to come first."""


def pick(queryset, needs: str):
    """The first row (by primary key) of ``queryset``; fails with ``needs`` when the demo holds none.

    The demo is built for the frozen test date (see ``tests/conftest.py``), so the same query picks the same row
    on every run; when the demo of another date holds no such row, the message says what the test needed."""
    row = queryset.order_by("pk").first()
    assert row is not None, f"the demo network holds no {needs}: the generator must guarantee one"
    return row
