"""The annual audit plan: drafting, submission, the Prezydent's approval, revisions, and the
plan's printable annex."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits import selectors
from audits.forms.common import CommentForm, DecisionForm, YearForm
from audits.forms.plans import PlannedAuditForm, ReasonForm
from audits.models import AuditPlan, PlannedAudit
from audits.selectors.appointments import appointed_auditor_ids
from audits.selectors.coverage import uncovered_processes
from audits.selectors.plans import (
    entry_get_for_edit,
    plan_diff,
    plan_entries,
    plan_get,
    plan_has_entries_without_audit,
    plans_visible,
)
from audits.services import audits as audit_services
from audits.services import plans as services
from qms.forms import ConfirmForm
from qms.pdf import field_labels, pdf_response, render_pdf
from qms.web import form_step, paginate, service_data


@login_required
@require_GET
def plan_index(request: HttpRequest) -> HttpResponse:
    plans = plans_visible(user=request.user).order_by("-year", "-revision")
    return render(
        request,
        "audits/plans/plans.html",
        {"plans": plans, "can_prepare": selectors.can_prepare_programme(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    form = YearForm(request.POST or None)
    return form_step(
        request,
        form,
        template="audits/plans/plan_create.html",
        run=lambda form: services.audit_plan_create(
            year=form.cleaned_data["year"], by=request.user
        ),
        done=_("The draft plan was created."),
        next_url=lambda plan: redirect("audits:plan", pk=plan.pk),
    )


# A plan holds a year's audits: hundreds of entries in a large city hall. The page shows them
# in plan order (by month) a page at a time, like the other registers; the PDF has the whole plan.
PLAN_ENTRIES_PER_PAGE = settings.PAGE_SIZE


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    page, _query = paginate(request, plan_entries(plan), per_page=PLAN_ENTRIES_PER_PAGE)
    can_prepare = selectors.can_prepare_programme(request.user)
    uncovered, uncovered_count = (
        uncovered_processes(plan) if can_prepare and plan.is_editable else ([], 0)
    )
    previous = None
    if plan.revision > 1:
        previous = AuditPlan.objects.filter(year=plan.year, revision=plan.revision - 1).first()
    return render(
        request,
        "audits/plans/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            # The page has no filters: its page links carry nothing but the page number.
            "query": "",
            # Only the button that creates the missing audits asks, so only then is it asked.
            "has_entries_without_audit": can_prepare
            and plan.status == AuditPlan.Status.APPROVED
            and plan_has_entries_without_audit(plan),
            "revisions": plans_visible(user=request.user).filter(year=plan.year),
            "diff": plan_diff(previous, plan) if previous else None,
            "previous": previous,
            "uncovered": uncovered,
            "uncovered_more": uncovered_count - len(uncovered),
            "can_prepare": can_prepare,
            "can_approve": selectors.can_approve_programme(request.user),
        },
    )


def _save_entry(
    request: HttpRequest, plan: AuditPlan, entry: PlannedAudit | None = None
) -> HttpResponse:
    form = PlannedAuditForm(
        request.POST or None,
        instance=entry,
        year=plan.year,
        appointed=appointed_auditor_ids(plan.year),
    )
    return form_step(
        request,
        form,
        template="audits/plans/entry_form.html",
        context={"plan": plan, "entry": entry},
        run=lambda form: services.planned_audit_save(
            plan=plan,
            by=request.user,
            entry=entry,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("The plan entry was saved."),
        next_url=lambda _entry: redirect("audits:plan", pk=plan.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    plan = plan_get(user=request.user, pk=pk)
    if not plan.is_editable:
        messages.error(request, _("Only a draft plan can be changed."))
        return redirect("audits:plan", pk=plan.pk)
    return _save_entry(request, plan)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_get_for_edit(user=request.user, pk=pk)
    if not entry.plan.is_editable:
        messages.error(request, _("Only a draft plan can be changed."))
        return redirect("audits:plan", pk=entry.plan_id)
    return _save_entry(request, entry.plan, entry)


@login_required
@require_http_methods(["GET", "POST"])
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_get_for_edit(user=request.user, pk=pk)
    form = ConfirmForm(request.POST or None, initial={"version": entry.version})
    return form_step(
        request,
        form,
        template="audits/plans/entry_remove.html",
        context={"entry": entry, "plan": entry.plan},
        run=lambda form: services.planned_audit_remove(
            entry=entry, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("The entry was removed from the draft plan."),
        next_url=lambda _entry: redirect("audits:plan", pk=entry.plan_id),
    )


TRANSITIONS = {
    # action: (form, who may, service, message)
    "przekaz": (
        ConfirmForm,
        selectors.can_prepare_programme,
        services.audit_plan_submit,
        gettext_lazy("The plan was submitted to the Mayor for approval."),
    ),
    "zwroc": (
        CommentForm,
        selectors.can_approve_programme,
        services.audit_plan_return,
        gettext_lazy("The plan was returned for corrections."),
    ),
    "zatwierdz": (
        DecisionForm,
        selectors.can_approve_programme,
        services.audit_plan_approve,
        gettext_lazy("The plan was approved."),
    ),
    "zmiana": (
        ReasonForm,
        selectors.can_prepare_programme,
        services.audit_plan_revise,
        gettext_lazy("A new revision of the plan was started."),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def plan_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404
    form_class, allowed, service, done = TRANSITIONS[action]
    if not allowed(request.user):
        raise PermissionDenied
    plan = plan_get(user=request.user, pk=pk)
    form = form_class(request.POST or None, initial={"version": plan.version})

    def run(form):
        data = service_data(form)
        if "version" in form.cleaned_data:  # every step but a new revision checks the version
            data["expected_version"] = form.cleaned_data["version"]
        return service(plan=plan, by=request.user, **data)

    return form_step(
        request,
        form,
        template="audits/plans/plan_transition.html",
        context={"plan": plan, "action": action},
        run=run,
        done=str(done),
        next_url=lambda result: redirect("audits:plan", pk=result.pk),
    )


@login_required
@require_POST
def audits_create(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    plan = plan_get(user=request.user, pk=pk)
    try:
        created = audit_services.audits_create_from_plan(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("audits:plan", pk=plan.pk)
    messages.success(
        request,
        ngettext("%(count)s audit was created.", "%(count)s audits were created.", len(created))
        % {"count": len(created)},
    )
    return redirect("audits:list")


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan revision as its annex; 404 for a revision the person may not see (drafts are
    for the programme's overseers only)."""
    plan = plan_get(user=request.user, pk=pk)
    entries = list(plan_entries(plan))
    title = _("Annual quality audit plan for %(year)s, revision %(revision)s") % {
        "year": plan.year,
        "revision": plan.revision,
    }
    signatures = [
        (_("Prepared by: Organisation Department coordinator (WOU)"), plan.prepared_by),
        (_("Approved by: Mayor of the City"), plan.approved_by),
    ]
    pdf = render_pdf(
        "audits/plans/pdf/plan.html",
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
