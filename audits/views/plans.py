"""The annual audit plan: drafting, submission, the Prezydent's approval, revisions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits import coverage, selectors, services
from audits.forms import (
    CommentForm,
    ConfirmForm,
    DecisionForm,
    PlannedAuditForm,
    ReasonForm,
    YearForm,
)
from audits.models import AuditPlan
from qms.forms import apply_service_error


@login_required
@require_GET
def plan_index(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_visible(user=request.user).order_by("-year", "-revision")
    return render(
        request,
        "audits/plans.html",
        {"plans": plans, "can_prepare": selectors.can_prepare_programme(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    form = YearForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.audit_plan_create(year=form.cleaned_data["year"], by=request.user)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The draft plan was created."))
            return redirect("audits:plan", pk=plan.pk)
    return render(request, "audits/plan_create.html", context)


# A plan holds a year's audits: hundreds of entries in a large city hall. The page shows them
# in plan order (by month) a page at a time, like the other registers; the PDF has the whole plan.
PLAN_ENTRIES_PER_PAGE = settings.PAGE_SIZE


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    page = Paginator(selectors.plan_entries(plan), PLAN_ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    can_prepare = selectors.can_prepare_programme(request.user)
    uncovered, uncovered_count = (
        coverage.uncovered_processes(plan) if can_prepare and plan.is_editable else ([], 0)
    )
    previous = None
    if plan.revision > 1:
        previous = AuditPlan.objects.filter(year=plan.year, revision=plan.revision - 1).first()
    return render(
        request,
        "audits/plan_detail.html",
        {
            "plan": plan,
            "page": page,
            "query": "",
            # Only the button that creates the missing audits asks, so only then is it asked.
            "has_entries_without_audit": can_prepare
            and plan.status == AuditPlan.Status.APPROVED
            and selectors.plan_has_entries_without_audit(plan),
            "revisions": selectors.plans_visible(user=request.user).filter(year=plan.year),
            "diff": selectors.plan_diff(previous, plan) if previous else None,
            "previous": previous,
            "uncovered": uncovered,
            "uncovered_more": uncovered_count - len(uncovered),
            "can_prepare": can_prepare,
            "can_approve": selectors.can_approve_programme(request.user),
        },
    )


def _entry_form(request: HttpRequest, plan: AuditPlan, entry=None) -> PlannedAuditForm:
    return PlannedAuditForm(
        request.POST or None,
        instance=entry,
        year=plan.year,
        appointed=selectors.appointed_auditor_ids(plan.year),
    )


def _save_entry(request: HttpRequest, plan: AuditPlan, entry=None) -> HttpResponse:
    form = _entry_form(request, plan, entry)
    context: dict = {"form": form, "plan": plan, "entry": entry}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.planned_audit_save(
                plan=plan, by=request.user, entry=entry, expected_version=version, **data
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The plan entry was saved."))
            return redirect("audits:plan", pk=plan.pk)
    return render(request, "audits/entry_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not plan.is_editable:
        messages.error(request, _("Only a draft plan can be changed."))
        return redirect("audits:plan", pk=plan.pk)
    return _save_entry(request, plan)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_edit(user=request.user, pk=pk)
    if not entry.plan.is_editable:
        messages.error(request, _("Only a draft plan can be changed."))
        return redirect("audits:plan", pk=entry.plan_id)
    return _save_entry(request, entry.plan, entry)


@login_required
@require_http_methods(["GET", "POST"])
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_edit(user=request.user, pk=pk)
    form = ConfirmForm(request.POST or None, initial={"version": entry.version})
    context: dict = {"form": form, "entry": entry, "plan": entry.plan}
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_audit_remove(
                entry=entry, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The entry was removed from the draft plan."))
            return redirect("audits:plan", pk=entry.plan_id)
    return render(request, "audits/entry_remove.html", context)


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
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = form_class(request.POST or None, initial={"version": plan.version})
    context: dict = {"form": form, "plan": plan, "action": action}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if action != "zmiana":
            data["expected_version"] = data.pop("version")
        try:
            result = service(plan=plan, by=request.user, **data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, str(done))
            return redirect("audits:plan", pk=result.pk)
    return render(request, "audits/plan_transition.html", context)


@login_required
@require_POST
def audits_create(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    plan = selectors.plan_get(user=request.user, pk=pk)
    try:
        created = services.audits_create_from_plan(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("audits:plan", pk=plan.pk)
    messages.success(
        request,
        ngettext("%(count)s audit was created.", "%(count)s audits were created.", len(created))
        % {"count": len(created)},
    )
    return redirect("audits:list")
