"""The navigation each person sees, built from what their roles allow. Hiding a link is only
courtesy: every view checks permission on the server again."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audits.selectors import can_see_whole_programme
from processes.selectors import process_can_manage


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        ("dashboard", _("Dashboard"), ["dashboard"]),
        (
            "processes:list",
            _("Process register"),
            [
                "processes:list",
                "processes:detail",
                "processes:edit",
                "processes:describe",
                "processes:create",
                "processes:withdraw",
                "processes:restore",
                "processes:document_add",
                "processes:document_edit",
            ],
        ),
        ("processes:map", _("Process map"), ["processes:map"]),
    ]
    if process_can_manage(user):
        items.append(("processes:import", _("Import register"), ["processes:import"]))
    items.append(
        (
            "audits:plans",
            _("Audit plans"),
            [
                "audits:plans",
                "audits:plan",
                "audits:plan_create",
                "audits:entry_add",
                "audits:entry_edit",
                "audits:entry_remove",
                "audits:plan_transition",
                "audits:coverage",
            ],
        )
    )
    items.append(
        (
            "audits:list",
            _("Audits"),
            [
                "audits:list",
                "audits:detail",
                "audits:edit",
                "audits:transition",
                "audits:checklist_add",
                "audits:checklist_edit",
                "audits:finding_add",
                "audits:finding_edit",
                "audits:finding_withdraw",
                "audits:calendar",
            ],
        )
    )
    if can_see_whole_programme(user):
        items.append(
            (
                "audits:auditor_lists",
                _("Auditors"),
                [
                    "audits:auditor_lists",
                    "audits:auditor_list",
                    "audits:auditor_list_create",
                    "audits:candidate_add",
                    "audits:candidate_edit",
                    "audits:auditor_list_transition",
                ],
            )
        )
    # Every employee may be responsible for a corrective action, so both links are for all;
    # the register shows each person only the cards they may read.
    items.append(
        (
            "nonconformities:list",
            _("Nonconformity cards"),
            [
                "nonconformities:list",
                "nonconformities:create",
                "nonconformities:create_from_finding",
                "nonconformities:detail",
                "nonconformities:edit",
                "nonconformities:analysis",
                "nonconformities:action_add",
                "nonconformities:plan",
                "nonconformities:verify",
                "nonconformities:cancel",
                "nonconformities:action_edit",
                "nonconformities:action_extend",
                "nonconformities:action_start",
                "nonconformities:action_complete",
            ],
        )
    )
    items.append(("nonconformities:my_actions", _("My actions"), ["nonconformities:my_actions"]))
    return {
        "nav_items": [
            {"url": reverse(name), "label": label, "active": current in active}
            for name, label, active in items
        ],
    }
