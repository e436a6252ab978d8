"""Audits: the record the auditors keep, its checklist and findings, and the report's way
through acknowledgement, WOU's evaluation and closure."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits import selectors, services
from audits.forms import (
    AuditForm,
    ChecklistItemForm,
    ConfirmForm,
    EvaluationForm,
    FindingForm,
    WithdrawForm,
)
from audits.models import Audit, ChecklistItem
from nonconformities import selectors as nc_selectors
from nonconformities.models import Nonconformity
from qms.forms import apply_service_error


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    audits = selectors.audits_visible(user=request.user).prefetch_related("processes")
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    if year.isdigit():
        audits = audits.filter(year=int(year))
    if status in Audit.Status.values:
        audits = audits.filter(status=status)
    page = Paginator(audits.order_by("-year", "planned_month", "number"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audits/audit_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "statuses": Audit.Status.choices,
            "year": year if year.isdigit() else "",
            "status": status if status in Audit.Status.values else "",
        },
    )


def _actions(user, audit: Audit) -> dict[str, bool]:
    relations = selectors.audit_relations(user, audit)
    return {
        "edit": selectors.can_edit_audit(user, audit),
        "start": "lead" in relations and audit.status == Audit.Status.PLANNED,
        "submit": "lead" in relations and audit.status == Audit.Status.IN_PROGRESS,
        "acknowledge": "owner" in relations and audit.status == Audit.Status.REPORT_SUBMITTED,
        "evaluate": selectors.can_prepare_programme(user)
        and audit.status == Audit.Status.ACKNOWLEDGED,
        "close": selectors.can_close_audits(user) and audit.status == Audit.Status.EVALUATED,
    }


@login_required
@require_GET
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_get(user=request.user, pk=pk)
    actions = _actions(request.user, audit)
    # The owner of one audited process may read this audit but not the cards of another
    # audited process: cards are linked and listed only as far as the person may read them.
    # Those who read every card (cards_visible filters nothing for them) skip the filter and
    # the query: the cards raised here came with the findings.
    reads_everything = nc_selectors.reads_everything(request.user)
    visible = nc_selectors.cards_visible(user=request.user)
    open_cards = nc_selectors.open_cards_for_processes(
        [p.pk for p in audit.processes.all()]
    ).exclude(finding__audit=audit)  # raised here: new, not the follow-up of earlier ones
    if not reads_everything:
        open_cards = open_cards.filter(pk__in=visible.values("pk"))
    open_cards = list(open_cards.select_related("process"))
    if reads_everything:
        readable_card_ids = {
            f.nonconformity.pk for f in audit.findings.all() if hasattr(f, "nonconformity")
        }
    else:
        readable_card_ids = set(visible.filter(finding__audit=audit).values_list("pk", flat=True))
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "actions": actions,
            "relations": selectors.audit_relations(request.user, audit),
            "findings": [f for f in audit.findings.all() if not f.withdrawn],
            "withdrawn_findings": [f for f in audit.findings.all() if f.withdrawn],
            "readable_card_ids": readable_card_ids,
            "cards_to_verify": [
                c for c in open_cards if c.status == Nonconformity.Status.VERIFICATION
            ],
            "cards_open": [c for c in open_cards if c.status != Nonconformity.Status.VERIFICATION],
            "history": audit.history.select_related("history_user").order_by("-history_date")[:50],
        },
    )


def _editable_audit(request: HttpRequest, pk: int) -> Audit:
    audit = selectors.audit_get(user=request.user, pk=pk)
    if not selectors.can_edit_audit(request.user, audit):
        raise PermissionDenied
    return audit


@login_required
@require_http_methods(["GET", "POST"])
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _editable_audit(request, pk)
    form = AuditForm(request.POST or None, instance=audit)
    context: dict = {"form": form, "audit": audit}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.audit_update(audit=audit, by=request.user, expected_version=version, **data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("audits:detail", pk=audit.pk)
    return render(request, "audits/audit_form.html", context)


TRANSITIONS: dict[str, tuple[type, str, Callable, object]] = {
    "rozpocznij": (ConfirmForm, "start", services.audit_start, gettext_lazy("The audit started.")),
    "raport": (
        ConfirmForm, "submit", services.audit_submit_report,
        gettext_lazy("The audit report was submitted."),
    ),
    "potwierdz": (
        ConfirmForm, "acknowledge", services.audit_acknowledge,
        gettext_lazy("You acknowledged the audit report."),
    ),
    "ocen": (
        EvaluationForm, "evaluate", services.audit_evaluate,
        gettext_lazy("The evaluation was recorded."),
    ),
    "zamknij": (ConfirmForm, "close", services.audit_close, gettext_lazy("The audit was closed.")),
}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def audit_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404
    form_class, permission, service, done = TRANSITIONS[action]
    audit = selectors.audit_get(user=request.user, pk=pk)
    if not _actions(request.user, audit)[permission]:
        # Wrong person, or the audit is not in the state this step starts from.
        raise PermissionDenied
    form = form_class(request.POST or None, initial={"version": audit.version})
    context: dict = {"form": form, "audit": audit, "action": action}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["expected_version"] = data.pop("version")
        try:
            service(audit=audit, by=request.user, **data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, str(done))
            return redirect("audits:detail", pk=audit.pk)
    return render(request, "audits/audit_transition.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_add(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _editable_audit(request, pk)
    return _save_checklist_item(request, audit, None)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ChecklistItem, pk=pk)
    audit = _editable_audit(request, item.audit_id)
    return _save_checklist_item(request, audit, item)


def _save_checklist_item(request: HttpRequest, audit: Audit, item) -> HttpResponse:
    form = ChecklistItemForm(request.POST or None, instance=item)
    context: dict = {"form": form, "audit": audit, "item": item}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.checklist_item_save(
                audit=audit, by=request.user, item=item, expected_version=version, **data
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("audits:detail", pk=audit.pk)
    return render(request, "audits/checklist_form.html", context)


@login_required
@require_POST
def checklist_copy(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _editable_audit(request, pk)
    try:
        count = services.checklist_copy_from_previous(audit=audit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s question was copied; answers are empty.",
                "%(count)s questions were copied; answers are empty.",
                count,
            )
            % {"count": count},
        )
    return redirect("audits:detail", pk=audit.pk)


def _save_finding(request: HttpRequest, audit: Audit, finding) -> HttpResponse:
    form = FindingForm(request.POST or None, instance=finding, audit=audit)
    context: dict = {"form": form, "audit": audit, "finding": finding}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            if finding is None:
                services.finding_add(audit=audit, by=request.user, **data)
            else:
                services.finding_update(
                    finding=finding, by=request.user, expected_version=version, **data
                )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The finding was saved."))
            return redirect("audits:detail", pk=audit.pk)
    return render(request, "audits/finding_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_finding(request, _editable_audit(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get_for_edit(user=request.user, pk=pk)
    return _save_finding(request, _editable_audit(request, finding.audit_id), finding)


@login_required
@require_http_methods(["GET", "POST"])
def finding_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get_for_edit(user=request.user, pk=pk)
    form = WithdrawForm(request.POST or None, initial={"version": finding.version})
    context: dict = {"form": form, "finding": finding, "audit": finding.audit}
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_withdraw(
                finding=finding,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The finding was withdrawn."))
            return redirect("audits:detail", pk=finding.audit_id)
    return render(request, "audits/finding_withdraw.html", context)
