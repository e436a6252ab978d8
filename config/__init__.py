"""Project wiring: settings per environment, root URLs, the Celery app, WSGI/ASGI entry points.
It sits above every app (it names them all); nothing in an app imports it."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
