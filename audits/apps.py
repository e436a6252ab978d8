from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Quality audits")

    def ready(self) -> None:
        """What this app adds to the foundation's pages (``qms.registry``)."""
        from audits import (
            selectors,
            tasks,  # noqa: F401  (registers the reminder kinds and sweeps)
        )
        from audits.selectors.dashboard import dashboard_audit_sections
        from qms import registry

        group = _("Audits")
        registry.nav_item(
            "audits:plans",
            _("Audit plans"),
            order=200,
            group=group,
            match=("audits:plan", "audits:entry", "audits:audits_create"),
        )
        registry.nav_item(
            "audits:list",
            _("Audits"),
            order=210,
            group=group,
            match=(
                "audits:detail",
                "audits:edit",
                "audits:transition",
                "audits:checklist",
                "audits:finding",
                "audits:report",
            ),
        )
        registry.nav_item("audits:calendar", _("My audit calendar"), order=220, group=group)
        registry.nav_item(
            "audits:auditor_lists",
            _("Auditors"),
            order=230,
            group=group,
            match=("audits:auditor", "audits:candidate"),
            visible=selectors.can_see_whole_programme,
        )
        registry.nav_item(
            "audits:coverage",
            _("Audit coverage"),
            order=240,
            group=group,
            visible=selectors.can_see_whole_programme,
        )
        registry.dashboard_section(
            "audits/dashboard/section.html",
            lambda user, today: dashboard_audit_sections(user=user, today=today),
            order=30,
        )
