"""What a list page computes over a whole table, kept under the data version (decision 0011).

The pager's ``COUNT(*)`` is the one statement of a list page that grows with the whole table: the rows shown
are read from an index (``ScopedListView.apply_sort``), but counting half a million work orders reads them all,
about 80 ms on PostgreSQL. A summary above a list (the survey results per service) adds up every row the same
way. Either is what its statement says it is until the data changes, so it is kept in the cache under the
statement itself (its SQL and parameters: the user's scope, the filters and the search are all in it) and the
data version, which every committed write changes. Nothing is kept with ``MOULIN_DATA_CACHE_SECONDS=0`` or while
the request's own transaction holds a write."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from moulin.core import dataversion


def statement_key(kind: str, queryset) -> str | None:
    """Where what ``kind`` computes from ``queryset`` is kept, or None when it may not be."""
    if not settings.MOULIN_DATA_CACHE_SECONDS:
        return None
    version = dataversion.current(connections[queryset.db])
    if version is None:
        return None
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # nothing to read: Django answers without a query
        return None
    digest = hashlib.blake2b(repr((queryset.db, sql, params)).encode(), digest_size=16).hexdigest()
    return f"{kind}:{dataversion.BOOT}:{version}:{digest}"


def kept(kind: str, queryset, compute):
    """``compute(queryset)``, kept under ``statement_key`` while the data does not change."""
    key = statement_key(kind, queryset)
    if key is None:
        return compute(queryset)
    found = cache.get(key)
    if found is None:
        found = compute(queryset)
        cache.set(key, found, settings.MOULIN_DATA_CACHE_SECONDS)
    return found


def kept_rows(queryset) -> list:
    """The rows of ``queryset`` (values or aggregates: plain data, not model instances), kept."""
    return kept("rows", queryset, list)


class KeptCountPaginator(Paginator):
    """Django's paginator, its count kept."""

    @cached_property
    def count(self) -> int:
        if not hasattr(self.object_list, "query"):
            return super().count
        return kept("count", self.object_list.order_by(), lambda rows: rows.count())


#: how many rows a detail page's section shows before it links the whole list
SECTION_LENGTH = 12


def shortlist(queryset, length: int = SECTION_LENGTH) -> tuple[list, int]:
    """The first ``length`` rows of ``queryset`` and how many it holds in all: a detail page's section (a
    commune's organisations, agreements, contracts…) shows those and says or links the rest, so the page stays the
    same size however large the network grows. Always two statements, so a page's query count does not change
    with the data."""
    return list(queryset[:length]), queryset.count()
