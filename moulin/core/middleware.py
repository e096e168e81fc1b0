import logging
import time
from contextlib import ExitStack

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import connections

request_logger = logging.getLogger("moulin.request")


class MoulinLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Deny by default; the JSON API answers 401 itself (session or token), so it is not redirected."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequestLogMiddleware:
    """One log line per request on the ``moulin.request`` logger: method, path, status, time in ms and the
    number of SQL queries (counted with an execute wrapper, so it works with DEBUG off). No query string, no
    user data: the path alone (a person's page carries an opaque public id, never a name)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        status = 500
        try:
            with ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(counter))
                response = self.get_response(request)
                status = response.status_code
                return response
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            request_logger.info(
                "%s %s %s %.1fms %dq",
                request.method,
                request.path,
                status,
                elapsed,
                counter.count,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round(elapsed, 1),
                    "queries": counter.count,
                },
            )


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
