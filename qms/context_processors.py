"""The navigation each person sees, built from what their roles allow. Hiding a link is only
courtesy: every view checks permission on the server again."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audits.selectors import can_see_whole_programme
from processes.selectors import process_can_manage
from qms.models import Notification
from reviews.selectors.context import can_read_context
from reviews.selectors.feedback import can_read_feedback
from reviews.selectors.objectives import can_read_objectives


def navigation(request: HttpRequest) -> dict:
    """The menu, grouped by area. An item is active when the current view belongs to it:
    its URL name, or one of its ``match`` prefixes (e.g. every "processes:" page but the map)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    processes, audits, cards, management = (
        _("Processes"),
        _("Audits"),
        _("Nonconformities"),
        _("Management"),
    )
    items = [
        (None, "dashboard", _("Dashboard"), ()),
        (processes, "processes:list", _("Process register"), ("processes:",)),
        (processes, "processes:map", _("Process map"), ()),
    ]
    if process_can_manage(user):
        items.append((processes, "processes:import", _("Import register"), ()))
    items += [
        (
            audits,
            "audits:plans",
            _("Audit plans"),
            ("audits:plan", "audits:entry", "audits:audits_create"),
        ),
        (
            audits,
            "audits:list",
            _("Audits"),
            (
                "audits:detail",
                "audits:edit",
                "audits:transition",
                "audits:checklist",
                "audits:finding",
                "audits:report",
            ),
        ),
        (audits, "audits:calendar", _("My audit calendar"), ()),
    ]
    if can_see_whole_programme(user):
        items += [
            (audits, "audits:auditor_lists", _("Auditors"), ("audits:auditor", "audits:candidate")),
            (audits, "audits:coverage", _("Audit coverage"), ()),
        ]
    items += [
        (cards, "nonconformities:list", _("Nonconformity cards"), ("nonconformities:",)),
        (cards, "nonconformities:my_actions", _("My actions"), ()),
        (management, "reviews:policy", _("Quality Policy"), ("reviews:policy",)),
        (management, "reviews:proposals", _("Improvement proposals"), ("reviews:proposal",)),
        (management, "reviews:risks", _("Risks and opportunities"), ("reviews:risk",)),
    ]
    if can_read_objectives(user):
        items.append(
            (
                management,
                "reviews:objectives",
                _("Quality objectives"),
                ("reviews:objective", "reviews:measurement"),
            )
        )
    if can_read_feedback(user):
        items.append(
            (management, "reviews:feedback_list", _("Customer feedback"), ("reviews:feedback",))
        )
    if can_read_context(user):
        items.append(
            (management, "reviews:context", _("Context of the organisation"), ("reviews:context",))
        )
    items.append(
        (
            management,
            "reviews:review_list",
            _("Management reviews"),
            ("reviews:review", "reviews:decision"),
        )
    )
    exact = {name for _group, name, _label, _match in items}
    result = []
    for group, name, label, match in items:
        # An exact hit wins over a prefix, so "My actions" is not also lit by its section.
        active = current == name or (
            current not in exact and any(current.startswith(prefix) for prefix in match)
        )
        result.append({"group": group, "url": reverse(name), "label": label, "active": active})
    return {"nav_items": result}


def notifications(request: HttpRequest) -> dict:
    """The unread count for the navigation: one indexed COUNT, and nothing at all for
    anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"unread_notifications": unread}
