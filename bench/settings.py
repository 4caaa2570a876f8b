"""Settings for benchmark runs: the product's settings plus the ceiling views."""

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Counting queries per request needs the connection's query log without DEBUG.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
API_RATE_LIMIT = "100000000/sec"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING"},
}
