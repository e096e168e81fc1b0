"""The home page's content (figures, panels, lists) cached per user under the data version (decision 0011).

The content depends on the user (their name, their scope: roles and organisations, read from the database), the
language, the day (``timezone.localdate()``: what is due, running, ending) and the data — nothing else (no CSRF
token, no query string, no messages: those are in ``base.html``, rendered on every request). The key holds all of
them, the data as ``moulin.core.dataversion.current()``, which changes after every committed write: a write shows
on the very next home request, whoever makes it. While this request's own transaction holds an uncommitted write,
nothing is read from or written to the cache.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from moulin.core import dataversion


def cached_home(request, build) -> str:
    seconds = settings.MOULIN_DATA_CACHE_SECONDS
    version = dataversion.current(connection) if seconds else None
    if version is None:
        return build()
    key = f"home:{dataversion.BOOT}:{request.user.pk}:{get_language()}:{timezone.localdate().isoformat()}:{version}"
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, str(content), seconds)
    return mark_safe(content)  # noqa: S308 - our own rendered template, as it left render_to_string
