"""The Celery app. In development tasks run eagerly in the web process (no broker needed);
elsewhere they go through Redis (CELERY_BROKER_URL / REDIS_URL)."""

import os

from celery import Celery

# Production by default, like qms.wsgi: this module is imported with the package, so a
# development default here would silently win over it. manage.py chooses dev itself.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.prod")

app = Celery("qms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
