import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()


def _warm_up_and_freeze() -> None:
    """Import every view (the URLconf) now rather than on the first request, then move everything loaded so far
    out of the garbage collector's reach: the full collections that made a list page's 95th percentile 5-10x
    its median walked these long-lived objects on every pass (docs/performance.md). Under gunicorn with
    preload_app the workers inherit the frozen heap and leave its pages shared (copy-on-write)."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's views
    connections.close_all()  # a worker forked from here must not share the master's database socket
    gc.collect()
    gc.freeze()


if os.environ.get("MOULIN_GC_FREEZE", "true").lower() not in {"0", "false", "no", "off"}:
    _warm_up_and_freeze()
