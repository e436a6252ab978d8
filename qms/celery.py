"""The Celery app. In development tasks run eagerly in the web process (no broker needed);
elsewhere they go through Redis (CELERY_BROKER_URL / REDIS_URL)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.dev")

app = Celery("qms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
