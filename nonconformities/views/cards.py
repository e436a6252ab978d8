"""Raising a card and working it: correction, root cause, planning, verification, cancellation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audits.models import Finding
from nonconformities import selectors, services
from nonconformities.forms import (
    AnalysisForm,
    CardEditForm,
    CardForm,
    CardFromFindingForm,
    ConfirmForm,
    ReasonForm,
    VerifyForm,
)
from nonconformities.models import Nonconformity
from processes.models import Process
from qms.forms import apply_service_error


def _raisable_processes(user):
    processes = Process.objects.filter(status=Process.Status.ACTIVE)
    if selectors.is_keeper(user):
        return processes
    return processes.filter(owner=user)


@login_required
@require_http_methods(["GET", "POST"])
def card_create(request: HttpRequest) -> HttpResponse:
    processes = _raisable_processes(request.user)
    if not selectors.is_keeper(request.user) and not processes.exists():
        raise PermissionDenied
    form = CardForm(request.POST or None, processes=processes)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_raise(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Card %(number)s was raised.") % {"number": card.number})
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, "nonconformities/card_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def card_create_from_finding(request: HttpRequest, finding_pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding.objects.select_related("audit", "process"), pk=finding_pk)
    if not selectors.can_raise_card(request.user, audit=finding.audit):
        raise PermissionDenied
    existing = Nonconformity.objects.filter(finding=finding).first()
    if existing is not None:
        messages.info(request, _("A card was already raised for this finding."))
        return redirect("nonconformities:detail", pk=existing.pk)
    form = CardFromFindingForm(request.POST or None, initial={"grade": finding.grade})
    context: dict = {"form": form, "finding": finding}
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_raise(
                by=request.user,
                source=Nonconformity.Source.AUDIT_FINDING,
                finding=finding,
                process=finding.process,
                requirement=finding.requirement,
                description=finding.description,
                evidence=finding.evidence,
                grade=form.cleaned_data["grade"],
                external_reference=finding.audit.number,
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Card %(number)s was raised.") % {"number": card.number})
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, "nonconformities/card_from_finding.html", context)


def _card_actions(user, card: Nonconformity) -> dict[str, bool]:
    today = timezone.localdate()
    manage = selectors.can_manage_card(user, card)
    S = Nonconformity.Status
    return {
        "edit": manage and card.status == S.REPORTED,
        "analysis": manage and card.status in (S.REPORTED, S.ANALYSIS, S.REOPENED),
        "add_action": manage and card.status in (S.ANALYSIS, S.PLANNED, S.IN_PROGRESS, S.REOPENED),
        "plan": manage and card.status in (S.ANALYSIS, S.REOPENED),
        "manage_actions": manage,
        "verify": card.status == S.VERIFICATION and selectors.can_verify(user, card, today=today),
        "cancel": card.is_open and selectors.is_keeper(user),
    }


@login_required
@require_GET
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = selectors.card_get(user=request.user, pk=pk)
    history = card.history.select_related("history_user").order_by("-history_date")[:100]
    actions = list(card.actions.all())
    return render(
        request,
        "nonconformities/card_detail.html",
        {
            "card": card,
            "actions": actions,
            "can": _card_actions(request.user, card),
            "today": timezone.localdate(),
            "history": history,
        },
    )


def _step(
    request: HttpRequest,
    pk: int,
    *,
    permission: str,
    form_class,
    template: str,
    service,
    done: str,
    form_kwargs: dict | None = None,
    data_fn=None,
) -> HttpResponse:
    """One workflow step on a card: check the step is open to the person, show its form,
    call its service and report the outcome."""
    card = selectors.card_get(user=request.user, pk=pk)
    if not _card_actions(request.user, card)[permission]:
        raise PermissionDenied
    form = form_class(
        request.POST or None,
        **(form_kwargs or {}),
        **(
            {"instance": card}
            if form_class in (CardEditForm, AnalysisForm)
            else {"initial": {"version": card.version}}
        ),
    )
    context: dict = {"form": form, "card": card, "step": permission}
    if request.method == "POST" and form.is_valid():
        data = (
            data_fn(form)
            if data_fn
            else {k: v for k, v in form.cleaned_data.items() if k != "version"}
        )
        try:
            service(
                card=card, by=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, done)
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permission="edit",
        form_class=CardEditForm,
        template="nonconformities/card_step.html",
        service=services.card_update,
        done=_("Changes saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permission="analysis",
        form_class=AnalysisForm,
        template="nonconformities/card_step.html",
        service=services.card_record_analysis,
        done=_("The correction and the root-cause analysis were saved."),
        data_fn=lambda form: form.service_fields(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permission="plan",
        form_class=ConfirmForm,
        template="nonconformities/card_step.html",
        service=services.card_plan_actions,
        done=_("The corrective actions are planned."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permission="verify",
        form_class=VerifyForm,
        template="nonconformities/card_step.html",
        service=services.card_verify,
        done=_("The verification was recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permission="cancel",
        form_class=ReasonForm,
        template="nonconformities/card_step.html",
        service=services.card_cancel,
        done=_("The card was cancelled. It stays in the register."),
    )
