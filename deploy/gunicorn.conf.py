"""Gunicorn for Moulin: `gunicorn -c deploy/gunicorn.conf.py config.wsgi` (what `make serve-prod` and
deploy/moulin-web.service run). Every value can be overridden by the environment variable named beside it.

Workers and threads, measured with `make loadtest` (docs/performance.md, "Serving"): pages are CPU-bound
Python (templates, ORM), so on SQLite, whose queries run inside the worker's own process, threads only add GIL
contention: one process a core plus one (to overlap a request's I/O), one thread each. On PostgreSQL a request
waits on the network for every query, so two threads a worker fill those waits: same number of processes, two
threads. More workers than that only add memory and context switches on a small machine.
"""

import multiprocessing
import os

_cores = multiprocessing.cpu_count()
_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", _cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2 if _postgres else 1))
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
