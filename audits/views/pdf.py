"""The audit programme's printable documents: the annual plan (the annex to the Prezydent's
ordinance) and the audit report. Who may download them is decided by the same selectors that
guard the pages, so a PDF never shows more than its page does."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audits import selectors
from audits.models import Audit, AuditPlan, ChecklistItem, Finding, PlannedAudit
from processes.models import Process
from qms.pdf import field_labels, pdf_response, render_pdf


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan revision as its annex; 404 for a revision the person may not see (drafts are
    for the programme's overseers only)."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    entries = list(selectors.plan_entries(plan))
    title = _("Annual quality audit plan for %(year)s, revision %(revision)s") % {
        "year": plan.year,
        "revision": plan.revision,
    }
    signatures = [
        (_("Prepared by: Organisation Department coordinator (WOU)"), plan.prepared_by),
        (_("Approved by: Mayor of the City"), plan.approved_by),
    ]
    pdf = render_pdf(
        "audits/pdf/plan.html",
        {
            "plan": plan,
            "entries": entries,
            "labels": {"plan": field_labels(AuditPlan), "entry": field_labels(PlannedAudit)},
            "signatures": signatures,
            "pdf_title": title,
            "pdf_identity": title,
        },
        request=request,
    )
    return pdf_response(pdf, f"{title}.pdf")


@login_required
@require_GET
def audit_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit report for whoever may read the audit (403 otherwise)."""
    audit = selectors.audit_get(user=request.user, pk=pk)
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
        "audits/pdf/report.html",
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
