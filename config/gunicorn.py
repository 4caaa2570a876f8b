"""Gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

Every value can be set from the environment; see "Run in production" in README.md.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# BIND wins over PORT (platforms such as Heroku or Cloud Run only set PORT).
bind = os.environ.get("BIND") or f"0.0.0.0:{_int('PORT', 8000)}"
workers = _int(
    "WEB_CONCURRENCY", _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
)
threads = _int("GUNICORN_THREADS", 1)
# Uploads of up to DOCUMENT_MAX_UPLOAD_MB stream through a worker; give them time.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so a slow leak can't grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Logs go to stdout/stderr, where the platform collects them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The path without its query string and no Referer: a token a client put in the URL
# (refused, but sent) must not reach the log.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
capture_output = True

# The heartbeat file on a RAM disk: a slow or full /tmp must not kill workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Which proxies may set X-Forwarded-* (comma list, `*` for any).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
