"""Guichet settings, read from environment variables only.

Every variable is listed in README.md. With none set, Guichet runs embedded: SQLite in
``var/``, local-memory cache, tasks run in-process and emails written as .eml files.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import pgettext

from guichet import presets
from guichet.beat import SCHEDULE
from guichet.core.storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"GUICHET_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)  # WhiteNoise serves it after collectstatic


def _secret_key() -> str:
    """The configured key, or one generated once into the data folder (embedded mode)."""
    if key := env("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]
HTTPS = env_bool("HTTPS", False)
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (rate limits and
# the audit trail then see the visitor's address, not the proxy's).
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

GUICHET_PRESET = env("PRESET", presets.DEFAULT_PRESET)
presets.by_name(GUICHET_PRESET)  # fail at start-up on an unknown name

INSTALLED_APPS = [
    # Ours first: their templates override allauth's.
    "guichet.core",
    "guichet.audit",
    "guichet.accounts",
    "guichet.dossiers",
    "guichet.privacy",
    "guichet.requests",
    "guichet.catalog",
    "guichet.registrations",
    "guichet.credentials",
    "guichet.billing",
    "guichet.memberships",
    "guichet.organizations",
    "guichet.backoffice",  # staff pages under roles (docs/backoffice.md)
    "guichet.api",  # the REST API (/api/v1/) and outgoing webhooks: the top layer
    "guichet.demo",  # manage.py load_demo
    "modeltranslation",  # bilingual content: before the admin (docs/backoffice.md)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us (no CDN)
    "django_prometheus",  # metrics at /sante/metriques (guichet/metrics.py)
]

MIDDLEWARE = [
    # /sante/vivant and /sante/pret, before the HTTPS redirect, the host check and sessions.
    "guichet.core.health.HealthCheckMiddleware",
    "guichet.metrics.MetricsMiddleware",  # /sante/metriques, behind a token or an allow-list
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "guichet.core.logs.RequestIdMiddleware",  # X-Request-ID, the access log line
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "guichet.core.middleware.LanguageMiddleware",  # the account's language needs the user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "guichet.core.errors.PersonalDataMiddleware",  # names scrubbed from error reports
    "guichet.accounts.middleware.StaffSecondFactorMiddleware",
    "guichet.privacy.middleware.StaffViewRegister",
    "guichet.core.middleware.NoStoreForPrivatePagesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # requests by view, latency
]

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.core.context_processors.operator",
                "guichet.organizations.context_processors.acting_profile",
            ],
        },
    },
]
FORM_RENDERER = "guichet.core.forms.GuichetFormRenderer"

# Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'guichet.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
        # A persistent connection broken by a database restart is replaced, not reused.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# The same backends, counting queries, errors and their duration (django-prometheus).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, sessions, background tasks -----------------------------------------------------
REDIS_URL = env("REDIS_URL")
# With Redis the cache degrades to no cache while Redis is down (guichet/core/cache.py), and
# sessions are written to the database and cached in Redis: a Redis restart signs nobody out.
# The cache may live in a Redis of its own (GUICHET_CACHE_URL) that keeps nothing on disk:
# a cache restored from an append-only file after a restart could hand back a session
# older than the database's. The broker's Redis keeps its append-only file (the queue).
REDIS_TIMEOUT = float(env("REDIS_TIMEOUT", "0.5"))
GUICHET_CACHE_URL = env("CACHE_URL") or REDIS_URL
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "guichet.core.cache.ResilientRedisCache",
            "LOCATION": GUICHET_CACHE_URL,
            "OPTIONS": {"socket_timeout": REDIS_TIMEOUT, "socket_connect_timeout": REDIS_TIMEOUT},
        }
    }
    SESSION_ENGINE = "guichet.core.sessions"  # cached_db; an outage is a 503, not a 400
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Without a broker every task runs in-process, right after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False  # a mail server down never breaks a request
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A worker killed mid-task (SIGKILL, a lost machine) gives its task back to the queue.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing waits a few seconds for a restarting broker, then the task runs in-process
# (guichet/core/tasking.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that died (late acknowledgement) is delivered again after
# this many seconds; keep it above the longest retry delay (deliver_email: 600 s at most).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
    "visibility_timeout": int(env("BROKER_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery beat (production): its schedule is guichet/beat.py's.
CELERY_BEAT_SCHEDULE = SCHEDULE

# REST API (guichet.api): Django REST framework, its schema by drf-spectacular (OpenAPI
# 3.1). Each API view sets its own authentication (API keys only), permissions, throttle
# and errors (problem+json); these are the defaults the schema generator reads.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["guichet.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["guichet.api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["guichet.api.throttling.PerKeyThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "guichet.api.errors.problem_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guichet API",
    "DESCRIPTION": (
        "REST API of Guichet: dossiers, catalog, registrations, billing, organizations "
        "and memberships."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: their anchor inside each operation's button nests two controls.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PaymentMethodEnum": "guichet.billing.models.invoices.PaymentMethod",
        "OfflineMethodEnum": "guichet.api.serializers.OFFLINE_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "guichet.api.schema.problem_responses",  # the problem+json errors of every operation
    ],
}
# Webhooks: consecutive failed attempts after which an endpoint is disabled (and the
# operator emailed).
GUICHET_WEBHOOK_DISABLE_AFTER = int(env("WEBHOOK_DISABLE_AFTER") or 20)


# Email -----------------------------------------------------------------------------------
def _email_settings(url: str) -> dict[str, object]:
    """Translate ``GUICHET_EMAIL_URL`` into Django's email settings.

    ``smtp://user:pass@host:port`` (``smtp+tls://`` for STARTTLS, ``smtps://`` for TLS),
    ``file:///folder`` (one .eml file a message) or ``console:``.
    """
    parts = urlsplit(url)
    if parts.scheme in {"smtp", "smtp+tls", "smtps"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "127.0.0.1",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_TIMEOUT": int(parse_qs(parts.query).get("timeout", ["10"])[0]),
        }
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "guichet.core.mail.EmlFileBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    raise ValueError(f"GUICHET_EMAIL_URL: unsupported scheme {parts.scheme!r}")


globals().update(_email_settings(env("EMAIL_URL", f"file://{DATA_DIR / 'mail'}")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Guichet <ne-pas-repondre@guichet.exemple.ca>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.Account"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "guichet.accounts.passwords.PolicyValidator"},
    {"NAME": "guichet.accounts.passwords.PersonalInformationValidator"},
    {"NAME": "guichet.accounts.passwords.GuessablePasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dossiers:home"

ACCOUNT_ADAPTER = "guichet.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "guichet.accounts.forms.SignupForm",
    "login": "guichet.accounts.forms.LoginForm",
    "reset_password": "guichet.accounts.forms.ResetPasswordForm",
    "change_password": "guichet.accounts.forms.ChangePasswordForm",
    "reset_password_from_key": "guichet.accounts.forms.ResetPasswordKeyForm",
    "set_password": "guichet.accounts.forms.SetPasswordForm",
    "add_email": "guichet.accounts.forms.ChangeEmailForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 1
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # mail scanners follow links; a button confirms
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None  # "Se souvenir de moi" decides
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 2
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/m/ip",
    "reset_password": "10/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "resend_confirmation": "5/m/ip",
    "login_id_reminder": "5/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link works once, within 2 hours
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # "Se souvenir de moi": 30 days
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles come from our own static files;
# no inline script, event handler attribute, javascript: link or style attribute. The one
# inline style block, the operator's colours in core/base.html (and the self-contained 500
# page), carries the response's nonce; the nonce is added to the header only on responses
# that used it. No script needs one. The Django admin runs under the same policy.
# A card payment leaves by a form posted to Guichet and redirected to the provider's hosted
# page: browsers check that redirect against form-action, so Stripe's checkout is allowed
# when Stripe is the provider (the demo provider's page is ours).
STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com"
# A refused CSRF token gets our own page (Django's has inline styles and is English only).
CSRF_FAILURE_VIEW = "guichet.core.views.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # the TOTP QR code is a data: URI
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF]
        + ([STRIPE_CHECKOUT_ORIGIN] if env("PAYMENT_PROVIDER") == "stripe" else []),
        "upgrade-insecure-requests": HTTPS,
    }
}
# Permissions-Policy (django-permissions-policy): the browser features Guichet never uses
# are off for every page and any frame; passkeys (WebAuthn) work on our own origin only.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    **{
        feature: []
        for feature in (
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    },
    "fullscreen": ["self"],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

# Encrypts TOTP secrets and recovery-code seeds with GUICHET_ENCRYPTION_KEYS (below).
MFA_ADAPTER = "guichet.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# allauth blocks an email change on an account with two-factor authentication, against an
# attacker who signs up unconfirmed and turns 2FA on. Here nobody signs in before confirming
# (mandatory verification) and a new address takes effect only once confirmed, so that
# block only left people with 2FA (every staff member) unable to change their address.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = presets.by_name(GUICHET_PRESET).short_name
# Accept the code just before or after the current one: phone clocks drift, people type slowly.
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Sessions are recorded at sign-in; updating them on every request would cost a write per
# page (measured in docs/benchmarks.md), so "last seen" is the sign-in time.
USERSESSIONS_TRACK_ACTIVITY = False

# Progressive lockout after failed logins: the first lock lasts LOCKOUT_BASE_MINUTES and
# each further lock doubles it, up to a day.
GUICHET_LOCKOUT_THRESHOLD = int(env("LOCKOUT_THRESHOLD", "5"))
GUICHET_LOCKOUT_BASE_MINUTES = int(env("LOCKOUT_BASE_MINUTES", "15"))
# Proof-of-work CAPTCHA (ALTCHA). A higher cost slows robots and people alike.
GUICHET_ALTCHA_MAX_NUMBER = int(env("ALTCHA_MAX_NUMBER", "50000"))
GUICHET_ALTCHA_EXPIRES_MINUTES = 20
# Virtual queue at a registration opening: people admitted per minute; the default is so
# large that nobody waits. Set it to what the servers handle (see docs/benchmarks.md).
GUICHET_QUEUE_ADMIT_PER_MINUTE = int(env("QUEUE_ADMIT_PER_MINUTE", "1000000"))

# The site's public address, for links in emails (« https://services.exemple.ca »).
GUICHET_SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Privacy (docs/privacy.md): accounts nobody signed in to for this many years are closed
# and anonymized by the daily retention job; unset (0), the job does nothing.
GUICHET_RETENTION_INACTIVE_YEARS = int(env("RETENTION_INACTIVE_YEARS", "0")) or None
# Whether « Activité de mon dossier » names the staff member who consulted the file (the
# register of staff views): unset, the preset decides (``Preset.staff_views_named``).
GUICHET_STAFF_VIEWS_NAMED = (
    env_bool("STAFF_VIEWS_NAMED", False) if env("STAFF_VIEWS_NAMED") else None
)

# Billing ---------------------------------------------------------------------------------
# An unpaid registration gives its spot back after this many hours (nothing paid, no
# offline method chosen); choosing to pay by Interac, transfer or cheque (« Envoyer »)
# gives OFFLINE_PAYMENT_DAYS instead.
GUICHET_UNPAID_EXPIRY_HOURS = int(env("UNPAID_EXPIRY_HOURS", "48"))
GUICHET_OFFLINE_PAYMENT_DAYS = int(env("OFFLINE_PAYMENT_DAYS", "10"))
# Card payments: "stripe" (hosted Checkout) or empty (card payment not offered).
GUICHET_PAYMENT_PROVIDER = env("PAYMENT_PROVIDER")
GUICHET_STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
GUICHET_STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")
GUICHET_STRIPE_API_BASE = env("STRIPE_API_BASE", "https://api.stripe.com")
# Key that encrypts social insurance numbers (Relevé 24). Default: derived from the
# secret key. Several keys, comma-separated: the first encrypts, all decrypt (rotation).
GUICHET_ENCRYPTION_KEYS = [k for k in env("ENCRYPTION_KEYS").split(",") if k]

# Credentials -----------------------------------------------------------------------------
# The certificate that signs attestation PDFs (PAdES), see docs/credentials.md: a PEM key
# and certificate (and the chain up to its authority), or a PKCS#12 file. Neither set: a
# self-signed demonstration certificate is made in DATA_DIR/signing/ on first use.
GUICHET_SIGNING_KEY_FILE = env("SIGNING_KEY_FILE")
GUICHET_SIGNING_CERT_FILE = env("SIGNING_CERT_FILE")
GUICHET_SIGNING_CHAIN_FILE = env("SIGNING_CHAIN_FILE")
GUICHET_SIGNING_PKCS12_FILE = env("SIGNING_PKCS12_FILE")
GUICHET_SIGNING_PASSPHRASE = env("SIGNING_PASSPHRASE")
# A timestamping authority (RFC 3161) for PAdES B-T/B-LT signatures, off by default, and
# the root certificates (PEM) its answers chain to.
GUICHET_TSA_URL = env("TSA_URL")
GUICHET_SIGNING_TRUST_FILE = env("SIGNING_TRUST_FILE")

# Internationalization ------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "guichet_langue"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
# Bilingual content (django-modeltranslation, docs/backoffice.md): each text a person reads
# has a French and an English column; English falls back to French. A value given without a
# language is the French one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
MODELTRANSLATION_AUTO_POPULATE = "default"


def _field_in_language(verbose_name: str, language: str) -> str:
    """« titre (anglais) »: a translation column's name (evaluated lazily)."""
    names = {
        "fr": pgettext("field language", "French"),
        "en": pgettext("field language", "English"),
    }
    return f"{verbose_name} ({names.get(language, language)})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _field_in_language
TIME_ZONE = "America/Montreal"
USE_TZ = True

# Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
# How many app servers share this configuration, and whether MEDIA_ROOT is a folder they
# all mount (NFS…): `check --deploy` warns about media on one server's disk otherwise.
GUICHET_APP_SERVERS = int(env("APP_SERVERS", "1"))
GUICHET_MEDIA_SHARED = env_bool("MEDIA_SHARED", False)
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Media and uploaded documents in an S3-compatible store (GUICHET_S3_*, core/storage.py).
if _s3 := s3_storage(env):
    STORAGES["default"] = _s3

# Metrics (guichet/metrics.py): served to the bearer of the token or to the addresses and
# networks allowed (comma separated), a 404 to anyone else. With several processes per
# machine (gunicorn workers, Celery), GUICHET_METRICS_DIR is a folder they all write their
# counters to (prometheus_client's multiprocess mode), read before any metric exists.
GUICHET_METRICS_TOKEN = env("METRICS_TOKEN")
GUICHET_METRICS_ALLOW = [a.strip() for a in env("METRICS_ALLOW").split(",") if a.strip()]
if env("METRICS_DIR"):
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", env("METRICS_DIR"))

# Error reporting (guichet/core/errors.py): off unless a DSN is given; nothing personal.
GUICHET_SENTRY_DSN = env("SENTRY_DSN")
GUICHET_SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "production")
GUICHET_SENTRY_RELEASE = env("SENTRY_RELEASE")

# Logs go to the standard error, one line a record: text, or JSON with
# GUICHET_LOG_FORMAT=json. Each carries the request id (guichet/core/logs.py).
LOG_FORMAT = env("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "guichet.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "guichet.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO").upper()},
    # Request bodies never reach the logs: only method, route and status do.
    "loggers": {
        "django.request": {"level": "ERROR"},
        # One line a request; off unless asked (the proxy and gunicorn log requests too).
        "guichet.access": {"level": "INFO" if env_bool("ACCESS_LOG", False) else "WARNING"},
        # Celery's debug output repeats task arguments, and emails carry single-use links.
        "celery.utils.functional": {"level": "WARNING"},
    },
}
