"""Settings for the Strategic Assessment app.

Everything that varies between deployments comes from the environment, with defaults that let
`make run` work on a laptop with nothing else installed: SQLite and Celery's filesystem broker.
"""

import datetime as dt
import hashlib
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("SAFERMK_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


def envint(name: str, default: int) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


# DJANGO_ENV=production (docs/production.env.example) is the one switch for production
# hardening. Anything else is development over plain http://127.0.0.1, where the demo still shows
# what users see: the site's own error pages, since debug is off unless DJANGO_DEBUG=True
# (`make dev`), because Django's debug pages list every URL pattern to whoever meets a 404.
DJANGO_ENV = os.getenv("DJANGO_ENV", "development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = envbool("DJANGO_DEBUG", "False")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG=True is for development, not DJANGO_ENV=production")
# The development default is the only secret in the repository; production must set its own.
SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "django-insecure-safermk-development-only")
if PRODUCTION and SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_ENV=production")
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "guardian",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "assessments",
]

MIDDLEWARE = [
    # Outermost: the background work a request asks for is published after its response.
    "assessments.core.jobs.OutboxMiddleware",
    "assessments.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Published pages for readers without a session, from the shared cache (issue 18).
    "assessments.publication.public_pages.PublicPageMiddleware",
    # Django's, except that a session not saved after a write leaves the answer as it is.
    "assessments.core.idempotency.TolerantSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before the two-factor step, so that its redirects are private too.
    "assessments.accounts.middleware.PrivateCacheMiddleware",
    "assessments.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns a request over a rate limit into the site's 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safermk.urls"
WSGI_APPLICATION = "safermk.wsgi.application"

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
                "assessments.core.context_processors.site",
            ],
        },
    },
]

# Form boxes drawn from Django's Jinja2 widget templates: the same markup, drawn faster
# (assessments/core/form_renderer.py).
FORM_RENDERER = "assessments.core.form_renderer.FastWidgetRenderer"

# SQLite unless DATABASE_URL is set (postgres://user@host:5432/name in CI and production).
# The SQLite test database is a file, not memory, so that a real Celery worker can share it.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
else:
    # A server that does not answer is given up on after 5 s, not the operating system's two
    # minutes or more (`?connect_timeout=N` in DATABASE_URL changes it).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "assessments.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses sign-in while locked out
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# guardian: no anonymous user row; public access is decided by assessment status, not grants.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Login throttling: 5 failures for a username from one address lock it for the cool-off period.
# The analyst unlocks a partner from the user's admin page; an operator can run `axes_reset`.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True


def client_address_settings(proxies: int) -> dict:
    """How axes (through django-ipware) finds the client's address behind `proxies` proxies of
    our own. The client is the address the outermost of them saw: the right-most entry of
    X-Forwarded-For that they did not add themselves, whatever a client wrote to its left. ipware
    counts only the proxies listed in the header (the last one is REMOTE_ADDR), hence `- 1`; and
    not strictly, so that a longer header (forged, or from a corporate proxy) still gives that
    entry instead of our proxy's own address, which every such client would then share."""
    if proxies == 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"]}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "AXES_IPWARE_PROXY_COUNT": proxies - 1,
        "IPWARE_STRICT": False,
    }


# Not a setting of its own: django-axes warns of its old setting by this name.
own_proxies = envint("AXES_PROXY_COUNT", 0)
if PRODUCTION and envbool("DJANGO_BEHIND_TLS_PROXY", "False") and own_proxies == 0:
    # Every client would reach Django from the proxy's address: one locked-out person would
    # lock everyone out (docs/operations.md).
    raise ImproperlyConfigured(
        "DJANGO_BEHIND_TLS_PROXY=True: set AXES_PROXY_COUNT to the number of your own proxies "
        "(1 for one nginx), so that sign-in lockouts see each client's address"
    )
globals().update(client_address_settings(own_proxies))

# Two-factor sign-in (TOTP) for staff, analysts, chairs and anyone granted a restricted
# appendix. On by default in production; development and the test suite turn it on by setting.
TWO_FACTOR_REQUIRED = envbool("TWO_FACTOR_REQUIRED", str(PRODUCTION))
OTP_TOTP_ISSUER = os.getenv("OTP_TOTP_ISSUER", "Strategic Assessments")

# Content Security Policy: scripts only from our origin or with the per-request nonce; no
# framing. The admin, import-export and guardian screens work under it (tests/browser).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Production hardening: everything below applies when DJANGO_ENV=production, and
# `manage.py check --deploy` then reports nothing (tests/ops/test_production.py runs it).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions end after this long without a request; pages warn this long before (WCAG 2.2.1).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_WARNING_SECONDS = envint("SESSION_WARNING_SECONDS", 300)
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "True")
    SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", "True")
if envbool("DJANGO_BEHIND_TLS_PROXY", "False"):
    # The proxy terminates TLS and says so in this header; only trust it behind such a proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Development serves static files straight from their folders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
# Exports and uploads are private: they are served only through views that check permissions,
# never from a public media URL, so there is no MEDIA_URL route in urls.py.
MEDIA_ROOT = Path(os.getenv("SAFERMK_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


# What the cached pages are built from besides the data: the code, templates and static files.
RELEASE_SOURCES = ("assessments", "safermk", "templates", "static")


def code_release(root: Path) -> str:
    """A digest of the release's code and templates, the same on every machine that runs it."""
    digest = hashlib.sha256()
    for folder in RELEASE_SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Every cache key carries the release (KEY_PREFIX), and public ETags too: pages and fragments
# are keyed by the data's version, and without the release a deploy that changed a template
# would serve the old pages until the data next changed. SAFERMK_RELEASE names a release where
# reading the files at start-up is not wanted (a build's commit id, say).
RELEASE = os.getenv("SAFERMK_RELEASE") or code_release(BASE_DIR)


# The cache: each process's own memory when nothing is set (enough for `make run`, one web process);
# CACHE_URL=redis://... shares one cache between web processes and workers, which rate limits and
# cached public pages need once there is more than one process. Keys carry the version of the data
# they were built from, so nothing relies on a timeout to be right. Redis is an optimisation, never
# a dependency: its failures and time-outs (CACHE_SOCKET_TIMEOUT seconds) answer as misses
# (assessments/core/cache_backend.py).
CACHE_SOCKET_TIMEOUT = float(os.getenv("CACHE_SOCKET_TIMEOUT", "0.5"))


def cache_settings(url: str, release: str) -> dict:
    if url.startswith(("redis://", "rediss://")):
        backend = {
            "BACKEND": "assessments.core.cache_backend.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    elif url == "locmem://":
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    else:
        raise ImproperlyConfigured(f"CACHE_URL must be locmem:// or redis://..., not {url!r}")
    return {**backend, "KEY_PREFIX": release}


CACHES = {
    "default": cache_settings(os.getenv("CACHE_URL", "locmem://"), RELEASE),
    # The same cache without the release, for what every process must agree on whatever code
    # it runs: the data versions a worker copies for the web's public pages, when a release
    # was first seen (public pages' Last-Modified), and rate-limit counts, which a deploy
    # would otherwise reset.
    "shared": cache_settings(os.getenv("CACHE_URL", "locmem://"), ""),
}

# Rate limits (assessments/core/rate_limits.py), counted in that cache. django-ratelimit's checks
# know neither cache as we use it: the local memory one is "not shared", which is true and
# acceptable where it is used, one process on a laptop (production sets CACHE_URL to Redis, and
# there each web process would otherwise allow the rate again); and Django's own Redis cache,
# which increments atomically, postdates their list of supported backends.
RATELIMIT_USE_CACHE = "shared"
RATELIMIT_VIEW = "assessments.core.views.rate_limited"
RATELIMIT_IP_META_KEY = "assessments.core.rate_limits.client_address"
SILENCED_SYSTEM_CHECKS = {
    "django.core.cache.backends.locmem.LocMemCache": [
        "django_ratelimit.E003",
        "django_ratelimit.W001",
    ],
    "assessments.core.cache_backend.TolerantRedisCache": ["django_ratelimit.W001"],
}[CACHES["default"]["BACKEND"]]
PASSWORD_RESET_RATE_PER_ADDRESS = os.getenv("PASSWORD_RESET_RATE_PER_ADDRESS", "3/h")
PASSWORD_RESET_RATE_PER_IP = os.getenv("PASSWORD_RESET_RATE_PER_IP", "20/h")
PDF_EXPORT_RATE_PER_USER = os.getenv("PDF_EXPORT_RATE_PER_USER", "20/h")

# Email: the console in development; in production EMAIL_BACKEND=django.core.mail.backends.smtp.
# EmailBackend with the relay below (docs/operations.md).
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "strategic-assessment@localhost")
# The sender of error reports to ADMINS.
SERVER_EMAIL = os.getenv("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Celery: the filesystem broker needs no service; CELERY_BROKER_URL=redis://... switches to Redis.
# Job state lives in our own tables (ReportExport), so there is no result backend.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = Path(os.getenv("CELERY_BROKER_DIR", VAR_DIR / "celery"))


def filesystem_broker_options(folder: Path) -> dict:
    """Web and worker exchange messages as files in one folder, which must exist."""
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


# Seconds a call to the broker may wait to connect or for an answer: a frozen or unreachable
# broker then fails a publish in about this long (publishing waits for no request: core/jobs.py).
BROKER_SOCKET_TIMEOUT = float(os.getenv("CELERY_BROKER_SOCKET_TIMEOUT", "1"))
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(CELERY_BROKER_DIR)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
        # Longer than the longest PDF render, so Redis does not hand a running job to a second
        # worker.
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
        # A message whose worker vanished whole (no process left to reject it) is handed out
        # again by the next scan after its visibility timeout: scan every 10 s, not kombu's
        # default of every tenth 10 s tick.
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "False")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("CELERY_WORKER_MAX_MEMORY_KB", 1_000_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A PDF render that reports no progress for EXPORT_LEASE_SECONDS counts as lost: its status page
# says it is being retried, and the sweep (every EXPORT_SWEEP_SECONDS) sends it to a worker again.
EXPORT_LEASE_SECONDS = envint("EXPORT_LEASE_SECONDS", 120)
EXPORT_SWEEP_SECONDS = envint("EXPORT_SWEEP_SECONDS", 60)
# How often beat, and a thread of every worker, publish again the background work the broker
# could not take, or took and no worker finished (one at a time: assessments/ops/relay.py).
OUTBOX_RELAY_SECONDS = envint("OUTBOX_RELAY_SECONDS", 15)
# A job the broker took and no worker has finished this long after is published again (the
# broker may have lost it in a crash); the wait then doubles, up to an hour (core/jobs.py).
OUTBOX_REPUBLISH_SECONDS = envint("OUTBOX_REPUBLISH_SECONDS", 60)
# Celery's default scheduler, which also writes beat's own heartbeat for /healthz.
CELERY_BEAT_SCHEDULER = "assessments.ops.beat:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE = {
    # Proof for /healthz that each queue is consumed.
    "heartbeat-default": {
        "task": "assessments.tasks.record_heartbeat_task",
        "schedule": 60.0,
        "kwargs": {"queue": "default"},
        "options": {"queue": "default"},
    },
    "heartbeat-pdf": {
        "task": "assessments.tasks.record_heartbeat_task",
        "schedule": 60.0,
        "kwargs": {"queue": "pdf"},
        "options": {"queue": "pdf"},
    },
    # PDF renders whose worker died (lease run out) go back to a worker.
    "requeue-stale-exports": {
        "task": "assessments.tasks.requeue_stale_exports_task",
        "schedule": float(EXPORT_SWEEP_SECONDS),
    },
    # Background work that could not be published (broker down) is published again.
    "relay-outbox": {
        "task": "assessments.tasks.outbox_relay_task",
        "schedule": float(OUTBOX_RELAY_SECONDS),
    },
    # Commenting stops at midnight by the date check in core/permissions.py; this records the close.
    "close-due-consultations": {
        "task": "assessments.tasks.consultations_close_due_task",
        "schedule": crontab(minute=5),
    },
    "consultation-closing-reminders": {
        "task": "assessments.tasks.consultation_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "comment-digests": {
        "task": "assessments.tasks.comment_digests_task",
        "schedule": crontab(hour=17, minute=30),
    },
    # Partner data returns: reminders before and after the due date, once per date.
    "data-return-reminders": {
        "task": "assessments.tasks.data_return_reminders_task",
        "schedule": crontab(hour=8, minute=15),
    },
    # Old exports, abandoned uploads and audit logs past their retention (ops/housekeeping.py).
    "housekeeping": {
        "task": "assessments.tasks.housekeeping_task",
        "schedule": crontab(hour=3, minute=15),
    },
}
HEALTH_WORKER_STALE_SECONDS = envint("HEALTH_WORKER_STALE_SECONDS", 180)
# /healthz fails when beat's own heartbeat (written by its scheduler, ops/beat.py) is older, and
# when a background job is unfinished this long after it was asked for (not counting one a
# worker is running within its lease).
HEALTH_BEAT_STALE_SECONDS = envint("HEALTH_BEAT_STALE_SECONDS", 180)
HEALTH_OUTBOX_STALE_SECONDS = envint("HEALTH_OUTBOX_STALE_SECONDS", 300)
# /healthz fails, and requests that write files are refused, with less free space than this.
STORAGE_FREE_FLOOR_MB = envint("STORAGE_FREE_FLOOR_MB", 200)
# PDF exports: a render that runs longer is killed, and retried by the periodic sweep.
PDF_RENDER_TIME_LIMIT = envint("PDF_RENDER_TIME_LIMIT", 900)
# A delivery of a background job holds it this long, longer than the longest job (a render), so
# that a second copy of its message does not run it at the same time (core/jobs.py).
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", PDF_RENDER_TIME_LIMIT + 60)
CELERY_TASK_ROUTES = {"assessments.tasks.render_report_export_task": {"queue": "pdf"}}

DEMO_PASSWORD = os.getenv("DEMO_PASSWORD", "safermk-demo")

# --- Production readiness: retention, applied nightly by the housekeeping job ---
# Rendered PDFs (file and row; a new request renders again), unconfirmed uploads, and the
# appendix access log with django-axes' sign-in records.
EXPORT_RETENTION_DAYS = envint("EXPORT_RETENTION_DAYS", 90)
UPLOAD_RETENTION_HOURS = envint("UPLOAD_RETENTION_HOURS", 24)
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 730)
# Admin table imports wait between preview and confirmation in private media (not /tmp), so
# that the confirmation may reach another web host, and housekeeping clears abandoned ones.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"

# --- Indicator data (imports, public figures) ---
# Admin table imports: refused beyond these, before the file is parsed.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 5_000_000)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", 50_000_000)
# police.uk uploads through admin (one month of a force is about 4 MB).
POLICE_UK_UPLOAD_MAX_BYTES = envint("POLICE_UK_UPLOAD_MAX_BYTES", 50_000_000)
# LSOA boundaries (GeoJSON) uploaded through admin: the 166 LSOAs of Milton Keynes are 0.2 MB.
BOUNDARY_UPLOAD_MAX_BYTES = envint("BOUNDARY_UPLOAD_MAX_BYTES", 10_000_000)
# Any upload: refused while it arrives once past this (assessments/core/uploads.py), before
# anything reads it; each kind of file has its own lower limit above. Files larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file rather than memory.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", POLICE_UK_UPLOAD_MAX_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "assessments.core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Public outputs show small-area counts below this as "fewer than N".
SUPPRESSION_THRESHOLD = envint("SUPPRESSION_THRESHOLD", 5)

# LOG_FORMAT=json (the production default) gives one JSON object per line: requests
# (safermk.requests) and Celery tasks (safermk.tasks) carry their fields.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "safermk.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.getenv("LOG_FORMAT", "json" if PRODUCTION else "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # runserver logs each request itself in development.
        "safermk.requests": {"level": "INFO" if PRODUCTION else "WARNING"},
    },
}

# --- Partner consultation ---
# Links in emails point here: the site's address as partners reach it.
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 14)
# Partner data returns: reminder days before and after the due date; change flagged in previews.
DATA_RETURN_REMIND_DAYS_BEFORE = envint("DATA_RETURN_REMIND_DAYS_BEFORE", 7)
DATA_RETURN_REMIND_DAYS_AFTER = envint("DATA_RETURN_REMIND_DAYS_AFTER", 3)
DATA_RETURN_FLAG_PERCENT = envint("DATA_RETURN_FLAG_PERCENT", 50)
