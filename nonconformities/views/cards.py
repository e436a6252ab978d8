"""Raising a card and working it: correction, root cause, planning, verification, cancellation;
and the printable card (karta niezgodności), laid out like the paper form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audits.models import Finding
from nonconformities.forms.cards import (
    AnalysisForm,
    CardEditForm,
    CardForm,
    CardFromFindingForm,
    ReasonForm,
    VerifyForm,
)
from nonconformities.models import CorrectiveAction, DeadlineExtension, Evidence, Nonconformity
from nonconformities.selectors import is_keeper
from nonconformities.selectors.cards import can_manage_card, can_raise_card, can_verify, card_get
from nonconformities.services import cards as services
from processes.models import Process
from qms.forms import ConfirmForm
from qms.history import history_rows
from qms.pdf import field_labels, pdf_response, render_pdf
from qms.web import form_step, service_data

STEP_TEMPLATE = "nonconformities/cards/step.html"


def _detail_url(card: Nonconformity) -> str:
    return reverse("nonconformities:detail", args=[card.pk])


def _raised(card: Nonconformity) -> str:
    return _("Card %(number)s was raised.") % {"number": card.number}


def _raisable_processes(user):
    processes = Process.objects.filter(status=Process.Status.ACTIVE)
    if is_keeper(user):
        return processes
    return processes.filter(owner=user)


@login_required
@require_http_methods(["GET", "POST"])
def card_create(request: HttpRequest) -> HttpResponse:
    processes = _raisable_processes(request.user)
    if not is_keeper(request.user) and not processes.exists():
        raise PermissionDenied
    return form_step(
        request,
        CardForm(request.POST or None, processes=processes),
        template="nonconformities/cards/form.html",
        run=lambda form: services.card_raise(by=request.user, **form.cleaned_data),
        done=_raised,
        next_url=_detail_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_create_from_finding(request: HttpRequest, finding_pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding.objects.select_related("audit", "process"), pk=finding_pk)
    if not can_raise_card(request.user, audit=finding.audit):
        raise PermissionDenied
    existing = Nonconformity.objects.filter(finding=finding).first()
    if existing is not None:
        messages.info(request, _("A card was already raised for this finding."))
        return redirect("nonconformities:detail", pk=existing.pk)
    return form_step(
        request,
        CardFromFindingForm(request.POST or None, initial={"grade": finding.grade}),
        template="nonconformities/cards/from_finding.html",
        run=lambda form: services.card_raise(
            by=request.user,
            source=Nonconformity.Source.AUDIT_FINDING,
            finding=finding,
            process=finding.process,
            requirement=finding.requirement,
            description=finding.description,
            evidence=finding.evidence,
            grade=form.cleaned_data["grade"],
            external_reference=finding.audit.number,
        ),
        done=_raised,
        next_url=_detail_url,
        context={"finding": finding},
    )


def _card_actions(user, card: Nonconformity) -> dict[str, bool]:
    today = timezone.localdate()
    manage = can_manage_card(user, card)
    S = Nonconformity.Status
    return {
        "edit": manage and card.status == S.REPORTED,
        "analysis": manage and card.status in (S.REPORTED, S.ANALYSIS, S.REOPENED),
        "add_action": manage and card.status in (S.ANALYSIS, S.PLANNED, S.IN_PROGRESS, S.REOPENED),
        "plan": manage and card.status in (S.ANALYSIS, S.REOPENED),
        "manage_actions": manage,
        "verify": card.status == S.VERIFICATION and can_verify(user, card, today=today),
        "cancel": card.is_open and is_keeper(user),
    }


@login_required
@require_GET
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = card_get(user=request.user, pk=pk)
    history = history_rows(card, changes=False)
    actions = list(card.actions.all())
    return render(
        request,
        "nonconformities/cards/detail.html",
        {
            "card": card,
            "actions": actions,
            "can": _card_actions(request.user, card),
            "today": timezone.localdate(),
            "history": history,
        },
    )


def _card_for_step(request: HttpRequest, pk: int, step: str) -> Nonconformity:
    """The card, if ``step`` of its workflow is open to the person now (403 otherwise)."""
    card = card_get(user=request.user, pk=pk)
    if not _card_actions(request.user, card)[step]:
        raise PermissionDenied
    return card


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card_for_step(request, pk, "edit")
    return form_step(
        request,
        CardEditForm(request.POST or None, instance=card),
        template=STEP_TEMPLATE,
        run=lambda form: services.card_update(
            card=card,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("Changes saved."),
        next_url=_detail_url(card),
        context={"card": card, "step": "edit"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card_for_step(request, pk, "analysis")
    return form_step(
        request,
        AnalysisForm(request.POST or None, instance=card),
        template=STEP_TEMPLATE,
        run=lambda form: services.card_record_analysis(
            card=card,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **form.service_fields(),
        ),
        done=_("The correction and the root-cause analysis were saved."),
        next_url=_detail_url(card),
        context={"card": card, "step": "analysis"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_plan(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card_for_step(request, pk, "plan")
    return form_step(
        request,
        ConfirmForm(request.POST or None, initial={"version": card.version}),
        template=STEP_TEMPLATE,
        run=lambda form: services.card_plan_actions(
            card=card, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("The corrective actions are planned."),
        next_url=_detail_url(card),
        context={"card": card, "step": "plan"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_verify(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card_for_step(request, pk, "verify")
    return form_step(
        request,
        VerifyForm(request.POST or None, initial={"version": card.version}),
        template=STEP_TEMPLATE,
        run=lambda form: services.card_verify(
            card=card,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("The verification was recorded."),
        next_url=_detail_url(card),
        context={"card": card, "step": "verify"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card_for_step(request, pk, "cancel")
    return form_step(
        request,
        ReasonForm(request.POST or None, initial={"version": card.version}),
        template=STEP_TEMPLATE,
        run=lambda form: services.card_cancel(
            card=card,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("The card was cancelled. It stays in the register."),
        next_url=_detail_url(card),
        context={"card": card, "step": "cancel"},
    )


@login_required
@require_GET
def card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The card with its correction, analysis, actions and verification for whoever may read
    it (403 otherwise, 404 for no such card). Who may download it is decided by the selector
    that guards the card's page, so the PDF never shows more than the page does."""
    card = card_get(user=request.user, pk=pk)
    # Everything below is prefetched by card_get, so the query count does not depend on how
    # many actions, extensions or evidence files the card has.
    actions = list(card.actions.all())
    labels = {
        "card": field_labels(Nonconformity),
        "action": field_labels(CorrectiveAction),
        "extension": field_labels(DeadlineExtension),
        "evidence": field_labels(Evidence),
    }
    # Signed on paper by whoever raised the card, the owner who answers for the actions and the
    # person who verified their effectiveness (a blank line until someone has).
    signatures = [
        (labels["card"]["raised_by"], card.raised_by),
        (_("Process owner"), card.process.owner),
        (labels["card"]["verified_by"], card.verified_by),
    ]
    title = _("Nonconformity card %(number)s") % {"number": card.number}
    pdf = render_pdf(
        "nonconformities/cards/pdf/card.html",
        {
            "card": card,
            "actions": actions,
            "labels": labels,
            "evidence_files_label": capfirst(Evidence._meta.verbose_name_plural),
            "signatures": signatures,
            "pdf_title": title,
            "pdf_identity": title,
        },
        request=request,
    )
    return pdf_response(pdf, f"{title}.pdf")
