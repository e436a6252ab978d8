from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NonconformitiesConfig(AppConfig):
    name = "nonconformities"
    verbose_name = _("Nonconformities and corrective actions")

    def ready(self) -> None:
        """What this app adds to the foundation's and the lower apps' pages (``qms.registry``)."""
        from nonconformities import tasks  # noqa: F401  (registers the reminder kinds and sweeps)
        from nonconformities.selectors import dashboard, panels
        from qms import registry

        group = _("Nonconformities")
        registry.nav_item(
            "nonconformities:list",
            _("Nonconformity cards"),
            order=300,
            group=group,
            match=("nonconformities:",),
        )
        registry.nav_item("nonconformities:my_actions", _("My actions"), order=310, group=group)
        registry.dashboard_section(
            "nonconformities/dashboard/section.html",
            lambda user, today: dashboard.dashboard_sections(user=user, today=today),
            order=20,
        )
        # The open cards shown on the pages of the apps below, and their count per process in
        # the audit coverage table (those apps name the panel or hook, never this app).
        registry.panel(
            "processes.process_detail",
            context=panels.process_detail_panel,
            template="nonconformities/panels/process_detail.html",
        )
        registry.panel(
            "audits.audit_detail",
            context=panels.audit_detail_panel,
            template="nonconformities/panels/audit_detail.html",
        )
        registry.register_hook(
            "audits.open_nonconformities_by_process", panels.open_cards_by_process
        )
