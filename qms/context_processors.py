"""The navigation each person sees, built from what their roles allow. Hiding a link is only
courtesy: every view checks permission on the server again."""

from django.http import HttpRequest
from django.urls import reverse

from qms.models import Notification
from qms.registry import nav_items


def navigation(request: HttpRequest) -> dict:
    """The menu the apps registered (``qms.registry.nav_item``), grouped by area. An item is
    active when the current view belongs to it: its URL name, or one of its ``match`` prefixes
    (e.g. every "processes:" page but the map)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = nav_items(user)
    exact = {item.url_name for item in items}
    result = []
    for item in items:
        # An exact hit wins over a prefix, so "My actions" is not also lit by its section.
        active = current == item.url_name or (
            current not in exact and any(current.startswith(prefix) for prefix in item.match)
        )
        result.append(
            {
                "group": item.group,
                "url": reverse(item.url_name),
                "label": item.label,
                "active": active,
            }
        )
    return {"nav_items": result}


def notifications(request: HttpRequest) -> dict:
    """The unread count for the navigation: one indexed COUNT, and nothing at all for
    anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"unread_notifications": unread}
