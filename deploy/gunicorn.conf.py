"""Gunicorn for Moulin: `gunicorn -c deploy/gunicorn.conf.py config.wsgi` (what `make serve-prod` and
deploy/moulin-web.service run). Every value can be overridden by the environment variable named beside it.

Workers and threads, measured with `make loadtest` (docs/performance.md, "gunicorn workers and threads" and the
rounds after it): one process a core plus one, **one thread each** (gunicorn's sync worker), on SQLite and on
PostgreSQL. Pages are CPU-bound Python (templates, ORM): on 2 cores a second thread in a process only makes its
requests wait for each other's GIL. On a quiet machine (2026-12-02, every role's read mix, concurrency 8): on
PostgreSQL 3 x 1 gave 201-217 requests/s with a p99 of 113-128 ms against 182-220 requests/s and 147-149 ms for
3 x 2 (the pages without personal data served from the page cache, decision 0012), and 130 against 131 requests/s,
p99 119 against 156 ms before that cache; on SQLite 94 against 91 requests/s, p99 311 against 706 ms. 4 x 1 gave
the same throughput with a longer tail; 5 x 2 and 2 x 2 less throughput and p99s of seconds (a loaded machine,
an earlier round). The sync worker keeps no idle connection open: it is meant to sit behind a reverse proxy
(docs/deployment.md), which holds the clients' connections. More processes than cores + 1 only add memory and
context switches. `GUNICORN_THREADS=2` or more gives the threaded worker (gthread).
"""

import multiprocessing
import os

_cores = multiprocessing.cpu_count()

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", _cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"

# Load the application once in the master (config/wsgi.py imports every view and calls gc.freeze()), so workers
# start fast and share the loaded code's memory pages.
preload_app = True

# A page is never slower than a few seconds: a request that takes 30 s is stuck and its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so that a slow leak never grows for weeks (jitter: not all at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200

# Moulin logs each request itself (moulin.core.middleware.RequestLogMiddleware, with its query count):
# gunicorn's access log would repeat it. Errors go to stderr, i.e. the journal under systemd.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The reverse proxy in front (deploy/docs) sets X-Forwarded-Proto; trust it from the local machine only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "moulin"
# `make soak` reads the master's pid here to sample its workers' memory.
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
