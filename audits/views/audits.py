"""Audits: the register, an audit's page (hosting other apps' panels), the record the auditors
keep, the report's way through acknowledgement, WOU's evaluation and closure, and the report
PDF."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from audits import selectors
from audits.forms.audits import AuditFilter, AuditForm, EvaluationForm
from audits.models import Audit, ChecklistItem, Finding
from audits.selectors.audits import (
    audit_get,
    audit_get_for_edit,
    audit_relations,
    audits_visible,
    can_edit_audit,
)
from audits.services import audits as services
from processes.models import Process
from qms import registry
from qms.forms import ConfirmForm
from qms.history import history_rows
from qms.pdf import field_labels, pdf_response, render_pdf
from qms.web import filtered, form_step, paginate, service_data

# The panels other apps add to an audit's page (``qms.registry.panel``): each gets
# ``(request, audit)`` with the audit as ``audit_get`` reads it (processes, team and findings
# prefetched). The page places them after the findings. A panel may also provide
# ``readable_card_ids``: the ids of the cards raised from this audit's findings that the person
# may open (without it, the findings name their cards without links).
AUDIT_DETAIL_PANELS = "audits.audit_detail"


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    audits = audits_visible(user=request.user).prefetch_related("processes")
    _filters, audits = filtered(request, AuditFilter, audits)
    page, query = paginate(request, audits.order_by("-year", "planned_month", "number"))
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    return render(
        request,
        "audits/audits/audit_list.html",
        {
            "page": page,
            "query": query,
            "statuses": Audit.Status.choices,
            "year": year if year.isdigit() else "",
            "status": status if status in Audit.Status.values else "",
        },
    )


def _actions(user, audit: Audit) -> dict[str, bool]:
    relations = audit_relations(user, audit)
    return {
        "edit": can_edit_audit(user, audit),
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
    audit = audit_get(user=request.user, pk=pk)
    return render(
        request,
        "audits/audits/audit_detail.html",
        {
            "audit": audit,
            "actions": _actions(request.user, audit),
            "relations": audit_relations(request.user, audit),
            "findings": [f for f in audit.findings.all() if not f.withdrawn],
            "withdrawn_findings": [f for f in audit.findings.all() if f.withdrawn],
            "history": history_rows(audit, limit=50, changes=False),
            **registry.panels_context(AUDIT_DETAIL_PANELS, request, audit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_edit(user=request.user, pk=pk)
    form = AuditForm(request.POST or None, instance=audit)
    return form_step(
        request,
        form,
        template="audits/audits/audit_form.html",
        context={"audit": audit},
        run=lambda form: services.audit_update(
            audit=audit,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("Changes saved."),
        next_url=lambda _audit: redirect("audits:detail", pk=audit.pk),
    )


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
    audit = audit_get(user=request.user, pk=pk)
    if not _actions(request.user, audit)[permission]:
        # Wrong person, or the audit is not in the state this step starts from.
        raise PermissionDenied
    form = form_class(request.POST or None, initial={"version": audit.version})
    return form_step(
        request,
        form,
        template="audits/audits/audit_transition.html",
        context={"audit": audit, "action": action},
        run=lambda form: service(
            audit=audit,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=str(done),
        next_url=lambda _audit: redirect("audits:detail", pk=audit.pk),
    )


@login_required
@require_GET
def audit_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit report for whoever may read the audit (403 otherwise)."""
    audit = audit_get(user=request.user, pk=pk)
    findings = list(audit.findings.all())  # prefetched by audit_get, in number order
    processes = list(audit.processes.all())
    # The owner who acknowledged the report signs for the auditee; before that, every owner
    # of an audited process is named, as any of them may acknowledge it.
    if audit.acknowledged_by is not None:
        acknowledging = [audit.acknowledged_by]
    else:
        acknowledging = list({p.owner_id: p.owner for p in processes if p.owner}.values())
    labels = {
        "audit": field_labels(Audit),
        "finding": field_labels(Finding),
        "checklist": field_labels(ChecklistItem),
        "process": field_labels(Process),
    }
    owner_label = _("Process owner (acknowledgement of the report)")
    signatures = [(labels["audit"]["lead_auditor"], audit.lead_auditor)]
    signatures += [(owner_label, owner) for owner in acknowledging] or [(owner_label, "")]
    title = _("Quality audit report %(number)s") % {"number": audit.number}
    pdf = render_pdf(
        "audits/audits/pdf/report.html",
        {
            "audit": audit,
            "findings": [f for f in findings if not f.withdrawn],
            "withdrawn_findings": [f for f in findings if f.withdrawn],
            "labels": labels,
            "signatures": signatures,
            "pdf_title": title,
            "pdf_identity": title,
        },
        request=request,
    )
    return pdf_response(pdf, f"{title}.pdf")
