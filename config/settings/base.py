"""Moulin settings: everything lives here, driven by environment variables.

Development defaults need nothing: SQLite in var/, DEBUG on. Production sets
DJANGO_SETTINGS_MODULE=config.settings.production and the variables it asks for.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MOULIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_secret("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # in layer order (pyproject.toml [tool.importlinter]); capabilities are collected in this order
    "moulin.accounts",
    "moulin.core",
    "moulin.sequences",
    "moulin.organisations",
    "moulin.territory",
    "moulin.partners",
    "moulin.projects",
    "moulin.participants",
    "moulin.training",
    "moulin.care",
    "moulin.webcafe",
    "moulin.fieldwork",
    "moulin.contracts",
    "moulin.billing",
    "moulin.reporting",
    "moulin.ops",
    "moulin.home",
    "moulin.demo",
]

MIDDLEWARE = [
    "moulin.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "moulin.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after the password: the idle timeout, then the steps still owed (second factor, own first password)
    "moulin.accounts.middleware.IdleTimeoutMiddleware",
    "moulin.accounts.middleware.SignInStepsMiddleware",
    "moulin.core.middleware.MoulinLoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last, so that it sees the response of the login view and replaces it when the attempt is locked out
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

FORM_RENDERER = "moulin.core.rendering.FormRenderer"  # selects written in Python (moulin/core/rendering.py)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "moulin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "moulin.core.context_processors.navigation",
            ],
            "builtins": ["moulin.core.templatetags.moulin"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'moulin.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
ATOMIC_REQUESTS = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out account or address before the password is even checked. It needs the
# request (the login form passes it); ``Client.force_login`` skips authentication and is unaffected.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "moulin.accounts.backends.CachedModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "moulin" / "locale"]
FORMAT_MODULE_PATH = ["moulin.formats"]
TIME_ZONE = "Europe/Luxembourg"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # grouping is applied where wanted (|number, |euros), never to years

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "moulin" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # never served directly: private files go through scoped download views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The task queue (django.tasks): in the database by default (manage.py db_worker drains it); in Redis through RQ
# with TASKS_BACKEND=rq (manage.py rqworker --job-class django_tasks_rq.Job default). Same API either way.
REDIS_URL = os.environ.get("REDIS_URL", "")
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise RuntimeError(f"TASKS_BACKEND is 'database' or 'rq', not {TASKS_BACKEND!r}")

# Sessions in the database, read with one plain statement (moulin/accounts/sessions.py).
SESSION_ENGINE = "moulin.accounts.sessions"
# Several web machines share one cache (and the sessions it holds) in Redis when REDIS_URL is set. Sessions are
# "cached_db": read from Redis, written through to the database, so a Redis restart logs nobody out.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "moulin",
            "TIMEOUT": 300,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

MAILERS = {"default": {"BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "moulin@localhost")
# The address links in emails start with (alerts are sent by the scheduler, outside any request).
MOULIN_SITE_URL = os.environ.get("MOULIN_SITE_URL", "http://127.0.0.1:8000")

# Content Security Policy (Django's built-in support): everything is served from this host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sign-in protection (docs/decisions/0006-sign-in-protection.md).
# Brute force: django-axes, database handler. An account is locked after AXES_FAILURE_LIMIT failed sign-ins,
# an address (an office shares one) after MOULIN_ADDRESS_FAILURE_LIMIT, for AXES_COOLOFF_TIME, or until an
# administrator unlocks it (the user's page, or Django admin > Axes).
AXES_HANDLER = "moulin.accounts.security.SignInAttemptsHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("MOULIN_ACCOUNT_FAILURE_LIMIT", 5))
MOULIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("MOULIN_ADDRESS_FAILURE_LIMIT", 20))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("MOULIN_LOCKOUT_MINUTES", 30)))
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "moulin.accounts.security.attempted_username"
AXES_LOCKOUT_CALLABLE = "moulin.accounts.views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in Moulin's audit log
# The address of a sign-in: REMOTE_ADDR, or behind MOULIN_PROXY_COUNT reverse proxies the entry they added to
# X-Forwarded-For (production assumes one proxy, as it trusts X-Forwarded-Proto).
AXES_CLIENT_IP_CALLABLE = "moulin.accounts.security.client_ip"
MOULIN_PROXY_COUNT = int(os.environ.get("MOULIN_PROXY_COUNT", 0))
AXES_VERBOSE = False

# Two-factor sign-in (TOTP, with single-use recovery codes). Required for the roles that read participants'
# records when MOULIN_REQUIRE_2FA is on (production's default); off here so that the demo logins work with a
# password only. A user who enrolled a device is always asked for a code, whatever this setting says.
MOULIN_REQUIRE_2FA = env_bool("MOULIN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Moulin")
MOULIN_RECOVERY_CODES = 10

# Sessions: roles that read personal data are signed out after this many idle minutes; a bulk export of
# personal data asks for the password again when the last one was typed longer ago than MOULIN_REAUTH_MINUTES.
MOULIN_IDLE_TIMEOUT_MINUTES = int(os.environ.get("MOULIN_IDLE_TIMEOUT_MINUTES", 30))
MOULIN_REAUTH_MINUTES = int(os.environ.get("MOULIN_REAUTH_MINUTES", 10))
MOULIN_BEFORE_EXPORT = "moulin.accounts.reauth.confirm_password_first"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link works once, for two hours

MOULIN_PAGE_SIZE = 25
# The home page's content and each request's signed-in user are cached under the data version
# (moulin/core/dataversion.py, decision 0011): never stale while every write goes through Django; this bounds how long
# a write made outside Django (psql) may be missed. 0: no such cache.
MOULIN_DATA_CACHE_SECONDS = int(os.environ.get("MOULIN_DATA_CACHE_SECONDS", 600))
# List and detail pages without personal data kept whole per user under the same version (moulin/core/pagecache.py,
# decision 0012). false: every such page is computed on every request.
MOULIN_PAGE_CACHE = os.environ.get("MOULIN_PAGE_CACHE", "true").lower() not in ("0", "false", "no")
MOULIN_EXPORT_MAX_ROWS = 50_000

# LOG_FORMAT=json gives one JSON object a line (for a log collector); the default is plain text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "moulin.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # one line a request from RequestLogMiddleware; REQUEST_LOG=false silences it
        "moulin.request": {"level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING"},
    },
}
