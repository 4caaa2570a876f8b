"""Settings, all read from the environment (see the configuration table in README)."""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from corsheaders.defaults import default_headers

from config.env import load_env_file

# `admin.ModelAdmin[Client]` and the like, written for mypy, also work at runtime.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
load_env_file(BASE_DIR)
APP_VERSION = "0.1.0"


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list of trimmed items."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DEBUG", False)
# The development default starts with `django-insecure-`, so `check --deploy` flags it.
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-development-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
APP_URL = os.environ.get("APP_URL", "http://127.0.0.1:8000").rstrip("/")
HASH_SALT = os.environ.get("HASH_SALT", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "companies",
    "clients",
    "contacts",
    "documents",
    "webhooks",
]

MIDDLEWARE = [
    "config.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "config.api.middleware.ApiHeadersMiddleware",
    "config.api.throttling.RateLimitHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Every API route accepts both `/clients` and `/clients/`; redirecting a write would
# make clients replay it as a bodiless GET.
APPEND_SLASH = False
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ninja-clients",
        }
    }

AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    from boto3.s3.transfer import TransferConfig

    DEFAULT_STORAGE: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # `path` for MinIO and other servers without per-bucket host names.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            # A download is spooled to a temporary file past 1 MB, never whole
            # into memory (django-storages' default of 0 keeps it all in memory).
            "max_memory_size": int(
                os.environ.get("AWS_S3_MAX_MEMORY_SIZE", 1024 * 1024)
            ),
            # Uploads go in 8 MB parts, two at a time: ~16 MB of buffers per upload
            # (boto3's default of ten parts at a time would buffer ~80 MB).
            "transfer_config": TransferConfig(
                multipart_threshold=8 * 1024 * 1024,
                multipart_chunksize=8 * 1024 * 1024,
                max_concurrency=int(os.environ.get("AWS_S3_MAX_CONCURRENCY", "2")),
            ),
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.staticfiles.HashedStaticFilesStorage",
    },
}
# WhiteNoise serves the admin's and the API docs' static files. After
# `collectstatic` (production) they come hashed and compressed from STATIC_ROOT,
# indexed once at start; before it (development, tests) they are looked up in the
# apps on request, so nothing has to be collected to run or test.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or not STATIC_ROOT.is_dir()

DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
)
# Form and multipart bodies: at most this many keys (413 above it). A bulk of the
# largest size (5,000 `ids[]`) fits with room for the other keys.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploaded files go to a temporary file at once, never whole into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
DOCUMENT_MAX_UPLOAD_MB = int(os.environ.get("DOCUMENT_MAX_UPLOAD_MB", "100"))
# Client logos: the largest upload and image (width x height) taken; 4096 x 4096
# decodes to 64 MB at most, well under Pillow's own decompression-bomb limit.
LOGO_MAX_UPLOAD_MB = int(os.environ.get("LOGO_MAX_UPLOAD_MB", "5"))
LOGO_MAX_PIXELS = int(os.environ.get("LOGO_MAX_PIXELS", str(4096 * 4096)))
DOCUMENT_EXTRA_EXTENSIONS = [
    ext.lower().lstrip(".") for ext in env_list("DOCUMENT_EXTRA_EXTENSIONS")
]
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "1000/min")
# The hottest reads (a token, the default client list, one client) run as queries
# the ORM compiles once (config/prepared.py); PREPARED_READS=false runs the same
# querysets through the ORM instead.
PREPARED_READS = env_bool("PREPARED_READS", True)
# Writes of one client without If-Match answer 428 (off: they behave as upstream's).
REQUIRE_IF_MATCH = env_bool("REQUIRE_IF_MATCH", False)
# How long a replayable answer to an Idempotency-Key is kept, and after how long a
# request still marked in flight counts as abandoned (its worker died) and may be
# run again.
IDEMPOTENCY_KEY_TTL_SECONDS = int(
    os.environ.get("IDEMPOTENCY_KEY_TTL_SECONDS", "86400")
)
IDEMPOTENCY_IN_FLIGHT_SECONDS = int(
    os.environ.get("IDEMPOTENCY_IN_FLIGHT_SECONDS", "150")
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.api.authentication.ApiTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON first: the default, and what wins a tie in the Accept header.
    "DEFAULT_RENDERER_CLASSES": [
        "config.api.renderers.ApiJSONRenderer",
        "config.api.xml.ApiXMLRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.ApiJSONParser",
        "config.api.parsers.PhpFormParser",
        "config.api.parsers.PhpMultiPartParser",
        "config.api.xml.ApiXMLParser",
        "config.api.xml.TextXMLParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.api.negotiation.ApiNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["config.api.filters.ApiFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.EnvelopePagination",
    "DEFAULT_THROTTLE_CLASSES": ["config.api.throttling.TokenRateThrottle"],
    "DEFAULT_METADATA_CLASS": "config.api.metadata.ApiMetadata",
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "config.api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Clients API (Invoice Ninja v1 compatible)",
    "DESCRIPTION": (
        "Clients, contacts, documents and groups of one company, compatible with "
        "Invoice Ninja v5's `/api/v1/clients` API.\n\n"
        "**Authentication**: every operation needs a company API token in the "
        "`X-API-TOKEN` header (click *Authorize*; make one with "
        "`python manage.py create_token`). A missing or unknown token is a 403.\n\n"
        "**Conventions**: ids are hashids (`VolejRejNm`), never database numbers; "
        'one row answers `{"data": {...}}`, a list `{"data": [...], "meta": '
        '{"pagination": {...}}}`; every error is `{"message": "...", "errors": '
        "{}}`, and a 422 lists its messages by dotted input key "
        '(`"contacts.0.email"`). Timestamps are unix seconds (0 when unset), '
        'strings are `""` rather than null, numeric ids are strings (`"840"`). '
        "Bodies may be JSON, form-encoded or multipart, with PHP bracket keys "
        "(`contacts[0][email]`). Every answer carries `X-RateLimit-Limit` and "
        "`X-RateLimit-Remaining`; over the limit is a 429 with `Retry-After`.\n\n"
        "**XML**: `Accept: application/xml` (or `text/xml`), or `?format=xml`, "
        "answers any operation, errors included, in XML with the same names "
        "(`<response><data>...</data><meta><pagination>...`; a list entry is "
        "`<item>`). JSON is the default: no `Accept`, `*/*` or an `Accept` naming "
        "neither format gets JSON, never a 406. Writes take `Content-Type: "
        "application/xml` bodies (`<client><name>Acme</name><contacts><item>"
        "<email>a@acme.test</email></item></contacts></client>`); a body with a "
        "DTD or entities is a 400."
    ),
    "VERSION": APP_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The token typed into "Authorize" survives a reload of the page.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": True},
    "TAGS": [
        {"name": "clients", "description": "Clients and their contacts."},
        {
            "name": "group_settings",
            "description": "Groups of clients sharing settings.",
        },
        {"name": "documents", "description": "Files attached to clients."},
        {
            "name": "statics",
            "description": "Reference tables: countries, currencies, languages…",
        },
        {"name": "ping", "description": "Check a token."},
    ],
    # Choice sets by name, for generated SDKs (spectacular would name them after
    # their fields: `ActionEnum` for two different sets, `_methodEnum`).
    "ENUM_NAME_OVERRIDES": {
        "BulkActionEnum": "documents.api.serializers.BULK_ACTION_NAMES",
        "ClientBulkActionEnum": "clients.api.inputs.BulkActionSerializer.ACTIONS",
        "BulkUpdateColumnEnum": "clients.fields.BULK_UPDATE_COLUMNS",
        "MethodOverrideEnum": ["PUT", "POST"],
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "GET_MOCK_REQUEST": "config.api.schema.build_mock_request",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.strip_trailing_slashes",
        "config.api.schema.constrain_path_ids",
    ],
}

# HTTPS, switched on by the environment (see "Run in production" in README.md).
# Behind a load balancer that terminates TLS, name the header it sets, e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto; only do so when the balancer always
# sets (or strips) it, or clients could claim HTTPS.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Load balancers probe /health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE_SSL_REDIRECT)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", APP_URL)

CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_HEADERS = (
    *default_headers,
    "x-api-token",
    "x-api-password",
    "x-api-password-base64",
    "x-requested-with",
    "idempotency-key",
    "if-match",
)
CORS_EXPOSE_HEADERS = [
    "X-App-Version",
    "X-Minimum-Client-Version",
    "X-Api-Version",
    "ETag",
    "Idempotent-Replayed",
    "Content-Disposition",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "Retry-After",
]
CORS_ALLOW_METHODS = ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]

# `text` (the default) for people; `json`, one object a line, for log collectors.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ValueError(
        f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}; leave it unset for text."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # `config.requests` logs one line per request (config/request_log.py);
    # runserver's own line per request would repeat it.
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Background tasks, run by `manage.py db_worker` from rows in the database.
# Enqueueing writes that row in the caller's transaction: a task exists only if
# the change that enqueued it committed.
# Webhook deliveries have a queue of their own, so their workers scale apart.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "webhooks"],
    }
}

# Webhook targets must resolve to public addresses, unless this is set (tests, or a
# single machine whose receivers run beside it).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS")

# Webhook delivery (webhooks/sending.py, webhooks/retries.py; README "Running webhook
# workers"). One attempt may take WEBHOOK_TIMEOUT_SECONDS in all (connect, TLS,
# request and answer); a worker holds a delivery for that plus the margin, after
# which another worker may take it over.
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_LEASE_MARGIN_SECONDS = float(
    os.environ.get("WEBHOOK_LEASE_MARGIN_SECONDS", "30")
)
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "8"))
# The wait before retry n is drawn from [step/2, step], step = base * 4^(n-1), capped.
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "60"))
WEBHOOK_RETRY_MAX_SECONDS = float(
    os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", str(8 * 3600))
)
# A subscription is disabled after this many deliveries in a row gave up.
WEBHOOK_DISABLE_AFTER_FAILURES = int(
    os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "5")
)
