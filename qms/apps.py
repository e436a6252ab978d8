from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QmsConfig(AppConfig):
    name = "qms"
    verbose_name = _("Organisation and people")

    def ready(self) -> None:
        from qms import registry

        registry.nav_item("dashboard", _("Dashboard"), order=0)
