"""Whole pages cached per user under the data version (decision 0012, on top of decision 0011).

A list or detail page that shows no personal data is the same HTML for as long as its inputs are the same: the
user (their name and scope, read from the database), the language, the day (``timezone.localdate()``), the data
(``dataversion.current()``, which changes after every committed write), the address with its query string, the
htmx headers that choose a fragment, the CSRF secret of the browser (the page's forms carry tokens masked from
it) and the process (``BOOT``: new code, new templates). The key holds each of them, so a write shows on the very
next request, whoever makes it.

Never cached: a page whose view audits its reads (personal data: every display is recorded, and the response is
``no-store``), a response marked ``no-store`` (a page of a non-personal list that showed personal records), a
response other than a 200 HTML page (exports, redirects, refusals), a request with messages waiting to be shown,
a request without a CSRF cookie (its page would set one), a request whose own transaction holds a write, and the
views that read a table the data version ignores (``cache_pages = False``: the audit log).

On a hit the view does not run: the stored body is answered with the headers a fresh page would carry; the
middleware (session, security headers, request log) runs as for any response.
"""

import hashlib
import zlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from moulin.core import dataversion

#: the request headers that choose what a page renders (a fragment for htmx), part of the key
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_TRIGGER", "HTTP_HX_TRIGGER_NAME", "HTTP_HX_BOOSTED")


def messages_waiting(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # len() reads the storage without marking it used


def key_for(request) -> str | None:
    """The page's key, or None when this request's page may not be read from or written to the cache."""
    seconds = settings.MOULIN_DATA_CACHE_SECONDS
    if not seconds or not settings.MOULIN_PAGE_CACHE or request.method != "GET":
        return None
    secret = request.META.get("CSRF_COOKIE")
    if not secret or not request.user.is_authenticated or messages_waiting(request):
        return None
    version = dataversion.current(connection)
    if version is None:
        return None
    parts = [
        dataversion.BOOT,
        str(request.user.pk),
        secret,
        get_language() or "",
        timezone.localdate().isoformat(),
        str(version),
        request.get_full_path(),
        *(request.META.get(header, "") for header in HTMX_HEADERS),
    ]
    return "page:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def cached_response(key: str) -> HttpResponse | None:
    entry = cache.get(key)
    if entry is None:
        return None
    content, content_type, vary = entry
    response = HttpResponse(zlib.decompress(content), content_type=content_type)
    if vary:
        patch_vary_headers(response, vary)
    return response


def store(request, key: str, response) -> None:
    """Keep a fresh page under ``key`` when it may be shown again as it is (see the module's rules).

    A write committed while the page was computed changed the version: whatever the page shows, it is kept under
    the version before it, which no request reads any more."""
    if (
        response.status_code != 200
        or response.streaming
        or not isinstance(response, TemplateResponse)
        or "no-store" in response.get("Cache-Control", "")
        or not response.get("Content-Type", "").startswith("text/html")
        or messages_waiting(request)
    ):
        return
    response.render()
    if dataversion.pending(connection):  # the view's own write, not committed yet: nobody else sees it
        return
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    # compressed: a page of 30-60 KB of HTML keeps 4-6 KB in the process's memory (or in Redis)
    content = zlib.compress(response.content, 1)
    cache.set(key, (content, response["Content-Type"], vary), settings.MOULIN_DATA_CACHE_SECONDS)
