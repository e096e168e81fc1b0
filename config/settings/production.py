"""Production profile: base settings plus secure cookies and headers.

Required environment: SECRET_KEY (or SECRET_KEY_FILE), ALLOWED_HOSTS, DATABASE_URL.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("MOULIN_REQUIRE_2FA", "true")
os.environ.setdefault("MOULIN_PROXY_COUNT", "1")

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import env_bool, env_secret  # noqa: E402

DEBUG = False
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise RuntimeError("Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value in production.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Secure cookies need HTTPS; SECURE_COOKIES=false only for `make serve-prod` on plain http://127.0.0.1.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10

# EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend for `make serve-prod` (no mail server at hand)
EMAIL_BACKEND_PATH = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", 587)),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": env_secret("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
