"""Benchmark settings (``make bench``): production behaviour — DEBUG off, cached templates,
persistent connections, whole-request transactions — on the machine's PostgreSQL, served by
gunicorn over plain HTTP on the loopback, with each response timed and its SQL counted by
``qms.middleware.ServerTimingMiddleware``. Never used to serve people."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, env, tuned

DEBUG = False
SECRET_KEY = "bench-only-key-not-secret"  # noqa: S105  # nosec B105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {"default": tuned(env.db("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = 600
# Reminders in the sweep benchmark go nowhere but memory; nothing is queued.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / ".bench-media"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # no collectstatic needed (and no warning without it)
# First, so that the time and the query count cover the whole request, middleware included.
MIDDLEWARE = ["qms.middleware.ServerTimingMiddleware", *MIDDLEWARE]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# seed_scale (demo accounts with a published password) may run here.
SEED_SCALE_ALLOWED = True

# Demo and scale data (seed_demo, seed_scale): development, test and bench only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
