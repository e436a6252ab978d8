"""Test settings: the real PostgreSQL and Redis of the machine (see README), fast hashing,
e-mail kept in memory."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env, tuned

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105  # nosec B105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {
    "default": tuned(env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/szj")),
}
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
LANGUAGE_CODE = "pl"
# Serve static files from the finders: the suite never runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# seed_scale (demo accounts with a published password) may run here.
SEED_SCALE_ALLOWED = True

# Demo and scale data (seed_demo, seed_scale): development, test and bench only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
