from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Objectives, risks and management reviews")

    def ready(self) -> None:
        """What this app adds to the foundation's pages (``qms.registry``)."""
        from qms import registry
        from reviews import tasks  # noqa: F401  (registers the reminder kinds and sweeps)
        from reviews.selectors import context, dashboard, feedback, objectives

        group = _("Management")
        registry.nav_item(
            "reviews:policy", _("Quality Policy"), order=400, group=group, match=("reviews:policy",)
        )
        registry.nav_item(
            "reviews:proposals",
            _("Improvement proposals"),
            order=410,
            group=group,
            match=("reviews:proposal",),
        )
        registry.nav_item(
            "reviews:risks",
            _("Risks and opportunities"),
            order=420,
            group=group,
            match=("reviews:risk",),
        )
        registry.nav_item(
            "reviews:objectives",
            _("Quality objectives"),
            order=430,
            group=group,
            match=("reviews:objective", "reviews:measurement"),
            visible=objectives.can_read_objectives,
        )
        registry.nav_item(
            "reviews:feedback_list",
            _("Customer feedback"),
            order=440,
            group=group,
            match=("reviews:feedback",),
            visible=feedback.can_read_feedback,
        )
        registry.nav_item(
            "reviews:context",
            _("Context of the organisation"),
            order=450,
            group=group,
            match=("reviews:context",),
            visible=context.can_read_context,
        )
        registry.nav_item(
            "reviews:review_list",
            _("Management reviews"),
            order=460,
            group=group,
            match=("reviews:review", "reviews:decision"),
        )
        registry.dashboard_section(
            "reviews/dashboard/section.html", dashboard.dashboard_section, order=40
        )
