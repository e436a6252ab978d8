from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data commands (``seed_demo``, ``seed_scale``); no models."""

    name = "demo"
    verbose_name = "Demo data"
