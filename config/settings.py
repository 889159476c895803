"""Civic Desk settings. Every value comes from the environment (django-environ).

DJANGO_ENV=development (default) is for a laptop: SQLite under var/, debug on, OTP optional.
DJANGO_ENV=production refuses to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CIVICDESK_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, production or test, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    _missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not env.str(name, default="")]
    if _missing:
        raise ImproperlyConfigured("DJANGO_ENV=production needs these environment variables: " + ", ".join(_missing))

# In development a fixed, clearly marked key keeps sessions alive across restarts.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key-never-use-in-production")
DEBUG = env.bool("DEBUG", default=not PRODUCTION and DJANGO_ENV != "test")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",
    "civicdesk.organization",
    "civicdesk.audit",
    "civicdesk.shell",
    "civicdesk.notifications",
    "civicdesk.cases",
    "civicdesk.applications",
    "civicdesk.plan",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, with API paths in the language the client asks for.
    "civicdesk.api.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicdesk.shell.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite (WAL, the options below) under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'civicdesk.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # IMMEDIATE transactions serialise writers up front instead of failing on upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
    # Opening a connection (and running the PRAGMAs) costs more than many public look-ups themselves.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
else:
    # One test database per test process, so parallel runs on one server never drop each other's.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("TEST_DATABASE_NAME", default=f"test_{DATABASES['default']['NAME']}_{os.getpid()}")
    }
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: process-local by default; Redis when REDIS_URL is set (rate limits shared across servers).
REDIS_URL = env.str("REDIS_URL", default="")


def redis_cache(location: str, key_prefix: str = "civicdesk") -> dict[str, object]:
    """The cache on Redis, as production runs it (also used by the tests of the Redis code paths)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        # Each thread's cache client keeps one connection instead of taking one from the pool for every command
        # (a lock, bookkeeping and a readiness poll each time: a third of the client's cost of the progress
        # query's counter read). Pipelines still take their own from the pool; a broken connection is
        # reconnected by the client's retry.
        "OPTIONS": {"REDIS_CLIENT_KWARGS": {"single_connection_client": True}},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "civicdesk"}}

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Taipei"
CELERY_BEAT_SCHEDULE = {
    "verify-ledgers-nightly": {"task": "civicdesk.audit.tasks.verify_ledgers", "schedule": 24 * 60 * 60},
    "refresh-planner-statistics-nightly": {
        "task": "civicdesk.shell.tasks.refresh_planner_statistics",
        "schedule": 24 * 60 * 60,
    },
    "retry-due-notifications": {"task": "civicdesk.notifications.tasks.retry_due_notifications", "schedule": 60},
    "reconcile-cases-incremental": {"task": "civicdesk.cases.tasks.reconcile_incremental", "schedule": 10 * 60},
    "reconcile-cases-full-nightly": {"task": "civicdesk.cases.tasks.reconcile_full", "schedule": 24 * 60 * 60},
    "flag-application-deadlines-daily": {
        "task": "civicdesk.applications.tasks.flag_application_deadlines",
        "schedule": 24 * 60 * 60,
    },
}

# Staff accounts and sign-in.
AUTH_USER_MODEL = "organization.Staff"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "shell:staff-login"
LOGIN_REDIRECT_URL = "shell:staff-home"
LOGOUT_REDIRECT_URL = "shell:staff-login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A TOTP second factor is mandatory in production; in development staff may add one.
STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = "Civic Desk"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "shell/staff_locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Languages: Traditional Chinese first and default; English under /en/.
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Taipei"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production static files are served straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploaded files live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: EMAIL_URL (smtp+tls://user:password@relay:587) configures the relay; otherwise production uses
# Django's SMTP default (localhost:25) and development writes each message as a file under var/mail/
# (demo data sends dozens of receipts; they are read there, not printed over the server's log).
_EMAIL_DEFAULTS = {
    "development": "django.core.mail.backends.filebased.EmailBackend",
    "production": "django.core.mail.backends.smtp.EmailBackend",
    "test": "django.core.mail.backends.locmem.EmailBackend",
}
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_EMAIL_DEFAULTS[DJANGO_ENV])
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="civicdesk@localhost")
# SMS gateway adapter (a class with send(*, to, text) -> Accepted); the console one only logs.
CIVICDESK_SMS_PROVIDER = env.str(
    "CIVICDESK_SMS_PROVIDER", default="civicdesk.notifications.channels.ConsoleSmsProvider"
)

# Security headers; strict in production, where a proxy terminates TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The branch this deployment serves by default (public pages, demo data).
CIVICDESK_HOME_BRANCH = env.str("CIVICDESK_HOME_BRANCH", default="TCH")
# The public progress query looks enforcement cases up through the cases app.
APPLICATIONS_CASE_TRACKER = env.str(
    "APPLICATIONS_CASE_TRACKER", default="civicdesk.cases.tracking.case_progress_for_tracking"
)
# Absolute address of the public site, for links in e-mail and SMS (empty: messages carry paths only).
CIVICDESK_PUBLIC_URL = env.str("CIVICDESK_PUBLIC_URL", default="")
CIVICDESK_SITE_NAME = _("Civic Desk")

NINJA_PAGINATION_PER_PAGE = 50

# --- portal app (issue 6): the public website, with its own small CMS (docs/adr/0006-public-content.md) ---
INSTALLED_APPS += ["civicdesk.portal"]
# Folder with replacement classification lists (theme.csv, administration.csv, service.csv); empty = shipped lists.
CIVICDESK_PORTAL_CODE_LISTS_DIR = env.str("CIVICDESK_PORTAL_CODE_LISTS_DIR", default="")
# `manage.py check_links` also requests external links only when this is on (or with --external).
CIVICDESK_PORTAL_CHECK_EXTERNAL_LINKS = env.bool("CIVICDESK_PORTAL_CHECK_EXTERNAL_LINKS", default=False)
CELERY_BEAT_SCHEDULE["portal-publish-scheduled-pages"] = {
    "task": "civicdesk.portal.tasks.publish_scheduled_pages",
    "schedule": 60,
}
CELERY_BEAT_SCHEDULE["portal-refresh-catalogue-index"] = {
    "task": "civicdesk.portal.tasks.refresh_catalogue_index",
    "schedule": 60 * 60,
}
# --- end of the portal app block ---
