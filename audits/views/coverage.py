"""Risk-based planning help: the coverage table of processes by year, and filling a draft plan
with the processes that stand out (Księga Jakości §28; ISO 9001 9.2.2 a)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from audits import selectors
from audits.forms.coverage import CoverageYearForm
from audits.models import AuditPlan
from audits.selectors.coverage import coverage_table, processes_to_prefill
from audits.services.coverage import plan_prefill


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """The coverage table for the year being planned (``?year=``, next year by default)."""
    if not selectors.can_see_whole_programme(request.user):
        raise PermissionDenied
    default_year = timezone.localdate().year + 1
    form = CoverageYearForm(request.GET if "year" in request.GET else {"year": default_year})
    context: dict = {"form": form}
    if not form.is_valid():
        # A mistyped year is the person's error, told in words on the page, not a server error.
        return render(request, "audits/coverage/coverage.html", context, status=400)
    year = form.cleaned_data["year"]
    table = coverage_table(year=year)
    context.update({"coverage": table, "year": year})
    if selectors.can_prepare_programme(request.user):
        draft = AuditPlan.objects.filter(year=year, status=AuditPlan.Status.DRAFT).first()
        context["draft_plan"] = draft
        if draft is not None:
            context["to_prefill"] = processes_to_prefill(draft, table)
    return render(request, "audits/coverage/coverage.html", context)


@login_required
@require_POST
def prefill(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an entry for each process that stands out to the draft plan ``pk``.

    POST only: the buttons that start it (coverage page, plan page) are forms, and a GET that
    wrote to the plan could be triggered by a link or a prefetching browser."""
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    plan = get_object_or_404(AuditPlan, pk=pk)
    try:
        added = plan_prefill(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("audits:plan", pk=plan.pk)
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)d entry was added to the plan. Choose the auditors for it.",
                "%(count)d entries were added to the plan. Choose the auditors for them.",
                len(added),
            )
            % {"count": len(added)},
        )
    else:
        messages.info(
            request, _("Every process that stands out is already in the plan; nothing was added.")
        )
    return redirect("audits:plan", pk=plan.pk)
