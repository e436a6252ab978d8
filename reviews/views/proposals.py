"""Improvement proposals: any employee submits one; the Zespół ds. Rozwoju SZJ assesses it; the
owner of an accepted proposal's action reports it implemented."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.forms import apply_service_error
from reviews.forms_registers import (
    ProposalAcceptForm,
    ProposalCompleteForm,
    ProposalForm,
    ProposalRejectForm,
)
from reviews.models import ImprovementProposal
from reviews.selectors import proposals as selectors
from reviews.selectors.context import history_rows
from reviews.services import proposals as services

PAGE_SIZE = 25


@login_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    proposals = selectors.proposals_visible(user=user)
    status = request.GET.get("status", "")
    if status in ImprovementProposal.Status.values:
        proposals = proposals.filter(status=status)
    else:
        status = ""
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/proposals/list.html",
        {
            "page": page,
            "query": f"status={status}" if status else "",
            "status": status,
            "statuses": ImprovementProposal.Status.choices,
            "reads_all": selectors.reads_all_proposals(user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    return render(
        request,
        "reviews/proposals/detail.html",
        {
            "proposal": proposal,
            "history": history_rows(proposal),
            "can_assess": selectors.can_assess_proposal(request.user, proposal),
            "can_complete": selectors.can_complete_proposal(request.user, proposal),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_submit_proposal(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    context: dict = {"form": form, "step": "create"}
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(
                request,
                _("Thank you. Your proposal was submitted to the QMS development team."),
            )
            return redirect("reviews:proposal", pk=proposal.pk)
    return render(request, "reviews/proposals/form.html", context)


def _step(request: HttpRequest, pk: int, *, step: str) -> HttpResponse:
    """Accept, reject or report implemented: the step's permission, form and service."""
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    if step == "complete":
        allowed = selectors.can_complete_proposal(request.user, proposal)
    else:
        allowed = selectors.can_assess_proposal(request.user, proposal)
    if not allowed:
        raise PermissionDenied
    form_class = {
        "accept": ProposalAcceptForm,
        "reject": ProposalRejectForm,
        "complete": ProposalCompleteForm,
    }[step]
    form = form_class(request.POST or None, initial={"version": proposal.version})
    context: dict = {"form": form, "proposal": proposal, "step": step}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        service = {
            "accept": services.proposal_accept,
            "reject": services.proposal_reject,
            "complete": services.proposal_complete,
        }[step]
        try:
            service(
                proposal=proposal,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(
                request,
                {
                    "accept": _("The proposal was accepted; its action is now tracked."),
                    "reject": _("The proposal was rejected. The proposer can read the reason."),
                    "complete": _("The proposal was reported as implemented."),
                }[step],
            )
            return redirect("reviews:proposal", pk=proposal.pk)
    return render(request, "reviews/proposals/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, step="accept")


@login_required
@require_http_methods(["GET", "POST"])
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, step="reject")


@login_required
@require_http_methods(["GET", "POST"])
def proposal_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, step="complete")


urlpatterns = [
    path("propozycje/", proposal_list, name="proposals"),
    path("propozycje/nowa/", proposal_create, name="proposal_create"),
    path("propozycje/<int:pk>/", proposal_detail, name="proposal"),
    path("propozycje/<int:pk>/przyjecie/", proposal_accept, name="proposal_accept"),
    path("propozycje/<int:pk>/odrzucenie/", proposal_reject, name="proposal_reject"),
    path("propozycje/<int:pk>/wdrozenie/", proposal_complete, name="proposal_complete"),
]
