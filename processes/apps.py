from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "processes"
    verbose_name = _("Process register")

    def ready(self) -> None:
        """What this app adds to the foundation's pages (``qms.registry``)."""
        from processes import selectors
        from processes.selectors import dashboard
        from qms import registry

        group = _("Processes")
        registry.nav_item(
            "processes:list", _("Process register"), order=100, group=group, match=("processes:",)
        )
        registry.nav_item("processes:map", _("Process map"), order=110, group=group)
        registry.nav_item(
            "processes:import",
            _("Import register"),
            order=120,
            group=group,
            visible=selectors.process_can_manage,
        )
        registry.dashboard_section(
            "processes/dashboard/section.html", dashboard.dashboard_section, order=10
        )
