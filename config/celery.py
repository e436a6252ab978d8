"""The Celery app. In development tasks run eagerly in the web process (no broker needed);
elsewhere they go through Redis (CELERY_BROKER_URL / REDIS_URL)."""

import os

from celery import Celery
from celery.signals import beat_init

# Production by default, like config.wsgi: this module is imported with the package, so a
# development default here would silently win over it. manage.py chooses dev itself.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

app = Celery("qms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def _add_sweeps(sender, **kwargs) -> None:
    """The apps' daily sweeps join the beat's schedule when the beat starts (they are known
    once Django's apps are ready, which the settings cannot be). The beat starts before the
    Django fix-up has loaded the apps, so they are loaded here (a no-op when already done)."""
    import django

    django.setup()
    from qms.reminders import beat_schedule

    sender.scheduler.update_from_dict(beat_schedule())
