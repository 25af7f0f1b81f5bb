"""Settings shared by every environment.

Everything that differs between machines comes from the environment
(django-environ). The environment-specific modules (dev, test, production)
decide which values may have a default; production gives none for secrets.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("CES_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# --- environment name: "dev", "test" or "production" (set by each module) ---
CES_ENVIRONMENT = "base"

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "phonenumber_field",
    "axes",
    "ces.apps.CoreConfig",
    "intake",
    "bnl",
    "referrals",
    "reassignment",
    "engagement",
    "grievances",
    "audit",
    "devtools",
    "reports",
    "consent",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ces.middleware.RefuseUnstorableInput",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ces.middleware.VaultMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ces.middleware.PrivateResponses",
    "ces.middleware.ServiceErrorBackstop",
    "ces.middleware.DatabaseUnavailable",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware must be last: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ces.urls"
WSGI_APPLICATION = "ces.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ces.context_processors.navigation",
                "ces.web.kept_input",
            ],
        },
    },
]

# --- database: DATABASE_URL, PostgreSQL only (the duplicate check needs pg_trgm) ---
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Faults (docs/operations.md, "When the database or Redis fails"): no connection waits for ever.
# A connection attempt gives up after DATABASE_CONNECT_TIMEOUT seconds; the server cancels any
# statement running longer than DATABASE_STATEMENT_TIMEOUT_MS (0 = no limit: migrations and the
# bench data set it) and ends a session left idle inside a transaction; TCP keepalives and
# tcp_user_timeout notice a peer that vanished (a cut network) in seconds instead of hours.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=30_000)
DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = env.int("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS", default=300_000)
# Connection pooling (psycopg_pool through Django's "pool" option): each web process keeps
# between DATABASE_POOL_MIN_SIZE and DATABASE_POOL_MAX_SIZE connections (max: one per gunicorn
# thread) and a request waits at most DATABASE_POOL_TIMEOUT seconds for a free one. Celery
# workers never use the pool (ces/celery.py): each worker child keeps one connection.
# Sizing for gunicorn, Celery and PostgreSQL's max_connections: docs/operations.md.
DATABASE_POOL_MIN_SIZE = env.int("DATABASE_POOL_MIN_SIZE", default=1)
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=env.int("GUNICORN_THREADS", default=4))
DATABASE_POOL_TIMEOUT = env.float("DATABASE_POOL_TIMEOUT", default=10.0)


def database_options(*, statement_timeout_ms: int) -> dict:
    """libpq options every connection gets: the timeouts above."""
    server = [f"-c idle_in_transaction_session_timeout={DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS}"]
    if statement_timeout_ms:
        server.append(f"-c statement_timeout={statement_timeout_ms}")
    return {
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        "options": " ".join(server),
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        "tcp_user_timeout": 30_000,
    }


def database_from_env(default: str | None = None, *, pool: bool = False) -> dict:
    """The default database from DATABASE_URL, with the timeouts, health checks and (pool=True,
    or DATABASE_POOL=true) a connection pool instead of persistent per-thread connections."""
    config = env.db_url("DATABASE_URL", default=default) if default else env.db_url("DATABASE_URL")
    options = config.setdefault("OPTIONS", {})
    for key, value in database_options(statement_timeout_ms=DATABASE_STATEMENT_TIMEOUT_MS).items():
        options.setdefault(key, value)
    # A connection found broken (the database restarted, the network cut) is replaced at the
    # next request: the app recovers without a restart.
    config["CONN_HEALTH_CHECKS"] = True
    if env.bool("DATABASE_POOL", default=pool):
        options["pool"] = {
            "min_size": DATABASE_POOL_MIN_SIZE,
            "max_size": max(DATABASE_POOL_MIN_SIZE, DATABASE_POOL_MAX_SIZE),
            "timeout": DATABASE_POOL_TIMEOUT,
            "max_idle": 300,
            "max_lifetime": 1800,
        }
        config["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django returns them after each request
    else:
        config.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    return config


# --- users, roles and login security (roles-privacy-audit.md) ---
AUTH_USER_MODEL = "ces.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before Django checks them.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend's rules, read in fewer statements (the user with their agency; roles and permissions in one).
    "ces.accounts.AccountBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins: locked for a while after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ces.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The person's address, not the proxy's: lock-out and the access log use one function
# (ces.audit.client_ip), which trusts X-Forwarded-For only for TRUSTED_PROXY_COUNT proxies.
AXES_CLIENT_IP_CALLABLE = "ces.audit.client_ip"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sessions end after 30 minutes of inactivity (configurable) and on browser close.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions; the renewal each request makes is one UPDATE (ces.sessions).
SESSION_ENGINE = "ces.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- internationalisation ---
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "ces" / "locale"]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "US"

# --- static files: served by WhiteNoise, nothing from a CDN ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- field encryption (SSN and other sensitive fields) ---
# One or more Fernet keys, comma-separated; the first encrypts, all decrypt
# (key rotation). The keyed lookup hash is derived from the first key.
FIELD_ENCRYPTION_KEYS: list[str] = []

# --- the VSPs' own keys (ces.vault, docs/security.md "The VSP's key") ---
# Each victim service provider's key-encryption key, by agency initials, from key files the
# VSP provides (`VSP_KEY_DIR/<INITIALS>.key`, one Fernet key a line, the first wraps). Never in
# the database, never the CoC's FIELD_ENCRYPTION_KEY. Data keys are rotated every
# VSP_KEY_ROTATION_DAYS by the sweep (0: only by `manage.py vsp_rotate_keys`).
VSP_KEY_DIR = env.str("VSP_KEY_DIR", default="")
VSP_KEY_ENCRYPTION_KEYS: dict[str, list[str]] = {}
VSP_DEV_KEY_ENCRYPTION_KEY = ""  # development and tests only: one public key for every VSP
VSP_KEY_ROTATION_DAYS = env.int("VSP_KEY_ROTATION_DAYS", default=365)

# --- Redis and Celery ---
# REDIS_URL is the broker; CES_BROKER=filesystem selects Celery's filesystem
# transport under var/ (single machine only: see README).
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CES_BROKER = env.str("CES_BROKER", default="redis")
if CES_BROKER == "filesystem":
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # The filesystem transport only works when "in" and "out" are the same folder.
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_URL = REDIS_URL
    # Short socket timeouts and no reconnect loop when publishing: a down or hung Redis costs
    # a publisher about a second, never a request (ces/tasks.py publishes off the request
    # thread, and the deadline row is what makes the work happen).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
        "max_retries": 0,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = False  # only idempotent tasks opt in (acks_late=True on the task)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule lives in code: ces/celery.py (BEAT_SCHEDULE).

# --- email ---
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ces@localhost")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # a hung mail server never holds the sweep for long
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API (api.md) ---
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing or bad credential 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ces.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ces.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["ces.api.parsers.StrictJSONParser"],
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
# API tokens (django-rest-knox): only a hash is stored, the key is shown once; each token
# expires after API_TOKEN_TTL_DAYS and every token of a user is revoked when the password changes.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CA-515 Coordinated Entry System API",
    "DESCRIPTION": "JSON API v1 for receiving programs and integrations (see docs/ and spec api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "YesNoEnum": "ces.choices.YesNo",
        "DataQualityEnum": "ces.choices.DataQuality",
        "EngagementKindEnum": "engagement.models.EngagementCase.Kind",
        "EngagementStatusEnum": "engagement.models.EngagementCase.Status",
        "EngagementPolicyEnum": "engagement.models.EngagementCase.Policy",
        "AttemptChannelEnum": "engagement.models.ContactAttempt.Channel",
        "EngagementLetterChannelEnum": "engagement.models.Letter.Channel",
        "GrievanceChannelEnum": "grievances.models.Channel",
        "GrievanceLetterChannelEnum": "grievances.models.Letter.SentChannel",
        "ReferralStatusEnum": "referrals.models.Referral.Status",
    },
}

# Request limits (docs/security.md): forms through Django's own limits, the API's JSON
# through ces.api.parsers (DRF reads the stream itself).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
API_MAX_BODY_BYTES = 1024 * 1024
API_MAX_JSON_DEPTH = 20

# --- audit history ---
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is read, never written back: no "revert" in the admin (ces.admin refuses its POST too).
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- consent (docs/consent.md): CoC settings, from the environment ---
# HMIS consent lapses this many years after it takes effect; the holding agency is reminded
# this many days before.
CES_HMIS_CONSENT_YEARS = env.int("CES_HMIS_CONSENT_YEARS", default=3)
CES_CONSENT_REMINDER_DAYS = env.int("CES_CONSENT_REMINDER_DAYS", default=30)

# --- the named system user that scheduled jobs act as ---
CES_SYSTEM_USERNAME = "ces-system"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools report every font subset and CSS step: keep only real problems.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
