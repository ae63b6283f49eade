"""Settings for agentops-web, read from the environment.

Development needs no variables at all: DEBUG defaults to on, the database is an
embedded SQLite file and email goes to the console. Production sets DEBUG=false
and must then provide SECRET_KEY (the site refuses to start without it).
Every variable is listed in docs/reference/settings.md and .env.example.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site refuses to start without a "
            "SECRET_KEY environment variable (50+ random characters)."
        )
    SECRET_KEY = _DEV_SECRET_KEY

# The address the site is served on, for links built outside a request (email sent by the
# task worker). Within a request, links use the address the request came to. Development
# defaults to 127.0.0.1 on PORT (`make run` passes its PORT to the site and the worker).
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip(
    "/"
)
_site = urlsplit(SITE_URL)

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [_site.hostname],
)
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[f"{_site.scheme}://{_site.netloc}"]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "factors",
    "cases",
    "failuremodes",
    "factorpages",  # the pages reading factors and evidence together: above both
    "ninja",
    "opendata",
    "community",
    "pagecache",
    "django_tasks_db",
    "outbox",
    "demo",
]

# Background work (django.tasks) in the database; `manage.py db_worker` runs it (`make run`
# starts one beside the site). Email is sent only there (outbox/).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    # First: every response (cached pages, redirects, errors) carries X-Request-ID, and every
    # log line written while serving it carries the same id.
    "agentops_web.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "agentops_web.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions/auth: a cached page for an anonymous visitor costs no session or
    # database work; the CSP and frame headers are stored with the page.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Absolute links built during a request (email, citations) use the request's address.
    "agentops_web.siteurl.SiteURLMiddleware",
    # A POST body that cannot be parsed answers 400/413 here, before the CSRF check reads it.
    "agentops_web.errors.UnreadableBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A database outage answers a friendly 503 page (see agentops_web/errors.py).
    "agentops_web.errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "agentops_web.urls"

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
                "django.template.context_processors.csp",
                "agentops_web.context_processors.site",
                "community.context_processors.inbox",
            ],
            "libraries": {"page_meta": "agentops_web.templatetags.page_meta"},
        },
    },
]

WSGI_APPLICATION = "agentops_web.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections in production (checked before reuse): no connect per request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG else 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a lock rather than fail at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Give up quickly (and answer the 503 page) rather than hang when the database is away.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://agentops-web")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The cache is an accelerator, never a dependency: with Redis stopped or hung every
    # operation answers as a miss, after at most one short timeout per request (a circuit
    # breaker then leaves Redis alone for CACHE_RETRY_AFTER seconds). See common/cache.py.
    CACHES["default"]["BACKEND"] = "common.cache.ResilientRedisCache"
    CACHES["default"]["OPTIONS"] = {
        **CACHES["default"].get("OPTIONS", {}),
        "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
        "socket_timeout": env.float("CACHE_TIMEOUT", default=0.5),
        "RETRY_AFTER": env.float("CACHE_RETRY_AFTER", default=5.0),
    }
# Sessions in the database only: every app server sees the same sessions, and a cache
# stopped, hung, emptied or restored from an old snapshot signs nobody in or out (one
# primary-key read per signed-in request). Rate limits (allauth's and ours) count in
# the shared cache, so they hold across app servers; while it is down they let
# requests through.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Whole-page cache for anonymous visitors (pagecache/): the views it may serve, by
# "namespace:name" or "namespace:*". A committed change to any model bumps the
# site-wide generation, which makes every cached page stale at once.
PAGE_CACHE_VIEWS = [
    "home",
    "factors:list",
    "factors:detail",
    "cases:casestudy_list",
    "cases:casestudy_detail",
    "cases:adaptation_list",
    "cases:adaptation_detail",
    "cases:failure_list",
    "cases:failure_detail",
    "cases:reference_implementation_list",
    "cases:reference_implementation_detail",
    "cases:domain_list",
    "cases:domain_detail",
    "cases:search",
    "failuremodes:list",
    "failuremodes:detail",
    "maturity",
    "snapshot_detail",
    "factors:evidence",
    "factors:domain_evidence",
    "opendata:open_data",
    "opendata:robots_txt",
    "opendata:sitemap",
    "opendata:feed_latest",
    "opendata:feed_factor",
    "opendata:feed_domain",
    "opendata:badge_framework",
    "opendata:badge_factor",
    "opendata:badge_framework_json",
    "opendata:badge_factor_json",
    "api:*",
    "api_unversioned:*",
    "community:thread_list",
    "community:thread_detail",
    "community:contributor_list",
    "community:contributor_detail",
    "community:health",
]
# Models whose writes never change a public page: no bump. Evidence and its parts bump
# only when published (pagecache/signals.py); every other model always bumps.
PAGE_CACHE_IGNORED_MODELS = [
    "sessions.session",
    "admin.logentry",
    "pagecache.generation",
    "community.notification",  # the inbox, read and unread
    "community.follow",
    "community.flag",  # seen by maintainers only; a hide it leads to bumps by itself
    "cases.revision",  # earlier versions, shown to the author and maintainers only
    "cases.formtoken",  # a submitted form's one-time token
    "mfa.authenticator",
    "account.emailaddress",
    "account.emailconfirmation",
    # Maturity snapshots are written just before the bump of the change they record.
    "factors.maturitysnapshot",
    "factors.factorsnapshot",
    "outbox.outgoingemail",  # the email queue and the task rows: never on a public page
    "django_tasks_database.dbtaskresult",
]
# An upper bound on how long a page may live: only numbers that move with the clock
# alone (the activity window) can lag, and by no more than this.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=10 * 60)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# django-allauth: sign in by email, verified addresses only.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
# Confirming it is you before a sensitive change (email, password, two-factor) takes the password
# or the authenticator app, never only a code mailed to the address that may be about to change.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# Sign-up takes as long for a known address as for a new one; a sign-in refused by the
# lockout says how long to wait (accounts/forms.py).
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[12-Factor AgentOps] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _site.scheme
# allauth's emails (confirm, reset...) go through the outbox like every other.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: to the console in development unless EMAIL_HOST is set; always SMTP in
# production (a local relay on port 25 when EMAIL_HOST is not given). The site queues every
# email (outbox.services.email_queue); the task worker sends it through this mailer.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="12-Factor AgentOps <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_HOST = env.str("EMAIL_HOST", default="" if DEBUG else "localhost")
if EMAIL_HOST:
    _relay = EMAIL_HOST in {"localhost", "127.0.0.1"}
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env.int("EMAIL_PORT", default=25 if _relay else 587),
                "username": env.str("EMAIL_HOST_USER", default=""),
                "password": env.str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=not _relay),
                "timeout": 10,
            },
        }
    }
else:
    # Printed readable (links whole, never quoted-printable), in the worker's output.
    MAILERS = {"default": {"BACKEND": "outbox.backends.ReadableConsoleBackend"}}
del EMAIL_HOST
# A failed send is tried again after EMAIL_RETRY_SECONDS, then 4x longer each time, up to
# EMAIL_MAX_ATTEMPTS in all; then it is recorded as failed (admin: Outgoing email).
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
EMAIL_RETRY_SECONDS = env.int("EMAIL_RETRY_SECONDS", default=60)
# Sent emails are kept this many days (who, what, when); their text only in development,
# where /dev/outbox/ shows it (a sent password-reset link is not kept in production).
EMAIL_KEEP_SENT_DAYS = env.int("EMAIL_KEEP_SENT_DAYS", default=30)
EMAIL_KEEP_SENT_BODIES = env.bool("EMAIL_KEEP_SENT_BODIES", default=DEBUG)

# Content Security Policy: everything from this site only, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Browser features no page may use (nor anything it embeds): sent as Permissions-Policy on
# every response by agentops_web.headers.PermissionsPolicyMiddleware. An empty list denies.
PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    ],
    [],
)
# A form refused for its CSRF token gets the site's 403 page, saying what to do.
CSRF_FAILURE_VIEW = "agentops_web.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe /healthz on the app server directly, often over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery
# codes. Maintainers must have it before they review or promote (accounts.permissions);
# MAINTAINER_REQUIRE_MFA turns that off for development (default: on in production).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="12-Factor AgentOps")
MAINTAINER_REQUIRE_MFA = env.bool("MAINTAINER_REQUIRE_MFA", default=not DEBUG)

# Rate limits: "amount/period/scope", comma-separated; period s, m, h or d (e.g. 5m);
# scope ip (per client address), user (per signed-in account) or key (allauth: per
# email typed). Counted in the default cache, so app servers sharing CACHE_URL (Redis)
# share the counts. Our views use common.ratelimit.ratelimit("submit", ...);
# allauth's views take theirs from ACCOUNT_RATE_LIMITS below.
RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "20/m/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    "submit": "60/h/ip,30/h/user",  # every POST of the form counts: previews, errors
    "feedback": "60/h/ip,30/h/user",
    "flag": "30/h/ip,10/h/user",
}
# RATELIMIT_ENABLED=false switches every limit off (a load test from one address).
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
ACCOUNT_RATE_LIMITS = (
    {
        action: RATE_LIMITS[action]
        for action in (
            "login",
            "login_failed",
            "signup",
            "reset_password",
            "reset_password_from_key",
        )
    }
    if RATELIMIT_ENABLED
    else False
)
# How many proxies in front append to X-Forwarded-For (behind one TLS proxy: 1, and the
# client address is the entry it adds). Trust none unless told: with no proxy in front, a
# trusted header would let each client choose its own address for the per-address limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# One line per record on stderr: time (UTC, ISO 8601), level, logger, the request id (the
# response's X-Request-ID; "-" outside a request) and the message.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "agentops_web.requestid.RequestIdFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# How far back "recent" activity reaches for the community measures.
ACTIVITY_WINDOW_DAYS = env.int("ACTIVITY_WINDOW_DAYS", default=90)

# Published evidence not confirmed (published or re-confirmed by its author) within this many
# months is marked "ageing"; a criterion may count only evidence confirmed within it.
EVIDENCE_AGEING_MONTHS = env.int("EVIDENCE_AGEING_MONTHS", default=18)

# Community: at most this many notification emails per member per hour; the rest go
# only to their on-site inbox.
NOTIFICATION_EMAILS_PER_HOUR = env.int("NOTIFICATION_EMAILS_PER_HOUR", default=10)
