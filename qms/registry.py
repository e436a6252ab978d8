"""What the foundation shows or runs of the apps, filled by the apps in ``AppConfig.ready()``.

The foundation never names an app: an app registers its navigation entries, its start-page
sections, the panels it adds to another app's page and the hooks it answers, and qms asks
these registries (the pattern of Django's ``admin.site.register`` and Wagtail's hooks). The
reminder sweeps and kinds have their registry beside the machinery that runs them
(``qms.reminders``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from qms.models import User

# --- navigation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """One menu entry. ``match`` lists view-name prefixes that also light it up; ``visible``
    hides it from people whose role cannot use it (courtesy only: views check again)."""

    order: int
    url_name: str
    label: Any
    group: Any = None
    match: tuple[str, ...] = ()
    visible: Callable[[User], bool] | None = None


_navigation: list[NavItem] = []


def nav_item(
    url_name: str,
    label: Any,
    *,
    order: int,
    group: Any = None,
    match: tuple[str, ...] = (),
    visible: Callable[[User], bool] | None = None,
) -> None:
    """Add a menu entry; entries are shown by ``order`` (the apps leave gaps between theirs)."""
    _navigation.append(NavItem(order, url_name, label, group, match, visible))
    _navigation.sort(key=lambda item: item.order)


def nav_items(user: User) -> list[NavItem]:
    return [item for item in _navigation if item.visible is None or item.visible(user)]


# --- start page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardSection:
    """A part of the start page: ``context(user, today)`` adds to the page's context and
    ``template`` (included with that context) shows it — usually nothing when it is empty."""

    order: int
    template: str
    context: Callable[[User, datetime.date], dict[str, Any]]


_dashboard: list[DashboardSection] = []


def dashboard_section(
    template: str, context: Callable[[User, datetime.date], dict[str, Any]], *, order: int
) -> None:
    _dashboard.append(DashboardSection(order, template, context))
    _dashboard.sort(key=lambda section: section.order)


def dashboard_sections() -> list[DashboardSection]:
    return list(_dashboard)


# --- panels on another app's page -----------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """What an app shows on another app's page (e.g. the open cards on a process page).
    ``context(request, obj)`` adds to the page's context; ``template`` is included where the
    page places its panels (``{% for panel in panels %}{% include panel.template %}``)."""

    order: int
    template: str | None
    context: Callable[[HttpRequest, Any], dict[str, Any]]


_panels: dict[str, list[Panel]] = defaultdict(list)


def panel(
    page: str,
    *,
    context: Callable[[HttpRequest, Any], dict[str, Any]],
    template: str | None = None,
    order: int = 100,
) -> None:
    """Register a panel for ``page`` — a name the hosting app documents, e.g.
    ``"processes.process_detail"``."""
    _panels[page].append(Panel(order, template, context))
    _panels[page].sort(key=lambda p: p.order)


def panels_context(page: str, request: HttpRequest, obj: Any) -> dict[str, Any]:
    """The context every panel of ``page`` adds, and ``panels``: the templates to include."""
    context: dict[str, Any] = {}
    for item in _panels.get(page, ()):
        context.update(item.context(request, obj))
    context["panels"] = [item for item in _panels.get(page, ()) if item.template]
    return context


# --- hooks: a lower layer asks, a higher one answers ----------------------------------------


# A hook's name is the asking app's label and the question, e.g.
# "audits.open_nonconformities_by_process"; the asking app documents it beside its call.
_hooks: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def register_hook(name: str, function: Callable[..., Any]) -> None:
    _hooks[name].append(function)


def hooks(name: str) -> list[Callable[..., Any]]:
    """The answers registered for ``name``, in registration order (app order)."""
    return list(_hooks.get(name, ()))
