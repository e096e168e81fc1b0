"""A list page's row count kept under the data version (decision 0011).

The pager's ``COUNT(*)`` is the one statement of a list page that grows with the whole table: the rows shown
are read from an index (``ScopedListView.apply_sort``), but counting half a million work orders reads them all,
about 80 ms on PostgreSQL. The count is what the statement says it is until the data changes, so it is kept in
the cache under the statement itself (its SQL and parameters: the user's scope, the filters and the search are
all in it) and the data version, which every committed write changes. Nothing is kept with
``MOULIN_DATA_CACHE_SECONDS=0`` or while the request's own transaction holds a write."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from moulin.core import dataversion


def count_key(queryset) -> str | None:
    """Where the count of ``queryset`` is kept, or None when it may not be."""
    if not settings.MOULIN_DATA_CACHE_SECONDS:
        return None
    version = dataversion.current(connections[queryset.db])
    if version is None:
        return None
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # nothing to count: Django answers 0 without a query
        return None
    digest = hashlib.blake2b(repr((queryset.db, sql, params)).encode(), digest_size=16).hexdigest()
    return f"count:{dataversion.BOOT}:{version}:{digest}"


class KeptCountPaginator(Paginator):
    """Django's paginator, its count kept (``count_key``)."""

    @cached_property
    def count(self) -> int:
        key = count_key(self.object_list) if hasattr(self.object_list, "query") else None
        if key is None:
            return super().count
        found = cache.get(key)
        if found is None:
            found = super().count
            cache.set(key, found, settings.MOULIN_DATA_CACHE_SECONDS)
        return found
