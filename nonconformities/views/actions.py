"""Corrective actions: planned by the card's owner, carried out by their responsible persons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nonconformities import selectors, services
from nonconformities.forms import ActionEditForm, ActionForm, CompleteForm, ConfirmForm, ExtendForm
from nonconformities.models import CorrectiveAction, Nonconformity
from qms.forms import apply_service_error

S = Nonconformity.Status


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    allowed_states = (S.ANALYSIS, S.PLANNED, S.IN_PROGRESS, S.REOPENED)
    if not selectors.can_manage_card(request.user, card) or card.status not in allowed_states:
        raise PermissionDenied
    form = ActionForm(request.POST or None)
    context: dict = {"form": form, "card": card}
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(card=card, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The corrective action was added."))
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, "nonconformities/action_form.html", context)


def _managed_action(request: HttpRequest, pk: int) -> tuple[CorrectiveAction, Nonconformity]:
    action = selectors.action_get(user=request.user, pk=pk)
    card = selectors.card_get(user=request.user, pk=action.card_id)
    if not selectors.can_manage_card(request.user, card) or not action.is_open:
        raise PermissionDenied
    return action, card


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action, card = _managed_action(request, pk)
    form = ActionEditForm(request.POST or None, instance=action)
    context: dict = {"form": form, "card": card, "action": action}
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=action,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                description=form.cleaned_data["description"],
                responsible=form.cleaned_data["responsible"],
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, "nonconformities/action_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_extend(request: HttpRequest, pk: int) -> HttpResponse:
    action, card = _managed_action(request, pk)
    form = ExtendForm(request.POST or None, initial={"version": action.version})
    context: dict = {"form": form, "card": card, "action": action, "extend": True}
    if request.method == "POST" and form.is_valid():
        try:
            services.action_extend_deadline(
                action=action,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                new_deadline=form.cleaned_data["new_deadline"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The deadline was extended."))
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, "nonconformities/action_form.html", context)


def _own_action(request: HttpRequest, pk: int) -> tuple[CorrectiveAction, Nonconformity]:
    """An open action of the signed-in responsible person on a card in realisation."""
    action = selectors.action_get(user=request.user, pk=pk)
    card = selectors.card_get(user=request.user, pk=action.card_id)
    if action.responsible_id != request.user.pk or not action.is_open:
        raise PermissionDenied
    if card.status not in (S.PLANNED, S.IN_PROGRESS):
        raise PermissionDenied
    return action, card


@login_required
@require_http_methods(["GET", "POST"])
def action_start(request: HttpRequest, pk: int) -> HttpResponse:
    action, card = _own_action(request, pk)
    form = ConfirmForm(request.POST or None, initial={"version": action.version})
    context: dict = {"form": form, "card": card, "action": action, "start": True}
    if request.method == "POST" and form.is_valid():
        try:
            services.action_start(
                action=action, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The action is in progress."))
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, "nonconformities/action_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    action, card = _own_action(request, pk)
    form = CompleteForm(
        request.POST or None, request.FILES or None, initial={"version": action.version}
    )
    context: dict = {"form": form, "card": card, "action": action, "complete": True}
    if request.method == "POST" and form.is_valid():
        try:
            services.action_complete(
                action=action,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The action was recorded as done."))
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, "nonconformities/action_form.html", context)
