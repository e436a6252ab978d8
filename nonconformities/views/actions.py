"""Corrective actions: planned by the card's owner, carried out by their responsible persons;
the evidence files attached to them; and "My actions", the person's open actions by urgency."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from nonconformities.forms.actions import ActionEditForm, ActionForm, CompleteForm, ExtendForm
from nonconformities.models import CorrectiveAction, Nonconformity
from nonconformities.selectors import actions as selectors
from nonconformities.selectors.cards import can_manage_card, card_get
from nonconformities.services import actions as services
from qms.forms import ConfirmForm
from qms.uploads import attachment_response
from qms.web import form_step

S = Nonconformity.Status
TEMPLATE = "nonconformities/actions/form.html"
# "Due soon" on this page means the same as on the start page (selectors.dashboard).
DUE_SOON_DAYS = 14


def _detail_url(card: Nonconformity) -> str:
    return reverse("nonconformities:detail", args=[card.pk])


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    card = card_get(user=request.user, pk=pk)
    allowed_states = (S.ANALYSIS, S.PLANNED, S.IN_PROGRESS, S.REOPENED)
    if not can_manage_card(request.user, card) or card.status not in allowed_states:
        raise PermissionDenied
    return form_step(
        request,
        ActionForm(request.POST or None),
        template=TEMPLATE,
        run=lambda form: services.action_add(card=card, by=request.user, **form.cleaned_data),
        done=_("The corrective action was added."),
        next_url=_detail_url(card),
        context={"card": card},
    )


def _managed_action(request: HttpRequest, pk: int) -> tuple[CorrectiveAction, Nonconformity]:
    action = selectors.action_get(user=request.user, pk=pk)
    card = card_get(user=request.user, pk=action.card_id)
    if not can_manage_card(request.user, card) or not action.is_open:
        raise PermissionDenied
    return action, card


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action, card = _managed_action(request, pk)
    return form_step(
        request,
        ActionEditForm(request.POST or None, instance=action),
        template=TEMPLATE,
        run=lambda form: services.action_update(
            action=action,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            description=form.cleaned_data["description"],
            responsible=form.cleaned_data["responsible"],
        ),
        done=_("Changes saved."),
        next_url=_detail_url(card),
        context={"card": card, "action": action},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_extend(request: HttpRequest, pk: int) -> HttpResponse:
    action, card = _managed_action(request, pk)
    return form_step(
        request,
        ExtendForm(request.POST or None, initial={"version": action.version}),
        template=TEMPLATE,
        run=lambda form: services.action_extend_deadline(
            action=action,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            new_deadline=form.cleaned_data["new_deadline"],
            reason=form.cleaned_data["reason"],
        ),
        done=_("The deadline was extended."),
        next_url=_detail_url(card),
        context={"card": card, "action": action, "extend": True},
    )


def _own_action(request: HttpRequest, pk: int) -> tuple[CorrectiveAction, Nonconformity]:
    """An open action of the signed-in responsible person on a card in realisation."""
    action = selectors.action_get(user=request.user, pk=pk)
    card = card_get(user=request.user, pk=action.card_id)
    if action.responsible_id != request.user.pk or not action.is_open:
        raise PermissionDenied
    if card.status not in (S.PLANNED, S.IN_PROGRESS):
        raise PermissionDenied
    return action, card


@login_required
@require_http_methods(["GET", "POST"])
def action_start(request: HttpRequest, pk: int) -> HttpResponse:
    action, card = _own_action(request, pk)
    return form_step(
        request,
        ConfirmForm(request.POST or None, initial={"version": action.version}),
        template=TEMPLATE,
        run=lambda form: services.action_start(
            action=action, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("The action is in progress."),
        next_url=_detail_url(card),
        context={"card": card, "action": action, "start": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    action, card = _own_action(request, pk)
    return form_step(
        request,
        CompleteForm(
            request.POST or None, request.FILES or None, initial={"version": action.version}
        ),
        template=TEMPLATE,
        run=lambda form: services.action_complete(
            action=action,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            files=form.cleaned_data["files"],
        ),
        done=_("The action was recorded as done."),
        next_url=_detail_url(card),
        context={"card": card, "action": action, "complete": True},
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as an attachment for whoever may read its card (403 otherwise). A record whose
    file is gone from storage is 404, not a server error."""
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    if not evidence.file:
        raise Http404
    return attachment_response(evidence.file)


@login_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    """The open actions the person is responsible for and, for process owners, those on the
    cards of their processes, by urgency."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    overdue, due_soon, later = [], [], []
    for action in selectors.my_actions(user=request.user):
        if action.deadline < today:
            overdue.append(action)
        elif action.deadline <= soon:
            due_soon.append(action)
        else:
            later.append(action)
    sections = [
        {"id": "overdue", "title": _("Overdue"), "actions": overdue},
        {
            "id": "due-soon",
            "title": ngettext("Due within %(days)s day", "Due within %(days)s days", DUE_SOON_DAYS)
            % {"days": DUE_SOON_DAYS},
            "actions": due_soon,
        },
        {"id": "later", "title": _("Later"), "actions": later},
    ]
    return render(
        request,
        "nonconformities/actions/my_actions.html",
        {"sections": sections, "count": len(overdue) + len(due_soon) + len(later)},
    )
