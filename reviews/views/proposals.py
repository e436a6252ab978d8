"""Improvement proposals: any employee submits one; the Zespół ds. Rozwoju SZJ assesses it; the
owner of an accepted proposal's action reports it implemented."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.history import history_rows
from qms.web import form_step, paginate, service_data
from reviews.forms.proposals import (
    ProposalAcceptForm,
    ProposalCompleteForm,
    ProposalForm,
    ProposalRejectForm,
)
from reviews.models import ImprovementProposal
from reviews.selectors import proposals as selectors
from reviews.services import proposals as services


def _proposal_url(proposal: ImprovementProposal) -> str:
    return reverse("reviews:proposal", args=[proposal.pk])


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
    page, query = paginate(request, proposals)
    return render(
        request,
        "reviews/proposals/list.html",
        {
            "page": page,
            "query": query,
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
    return form_step(
        request,
        ProposalForm(request.POST or None),
        template="reviews/proposals/form.html",
        context={"step": "create"},
        run=lambda form: services.proposal_submit(by=request.user, **form.cleaned_data),
        done=_("Thank you. Your proposal was submitted to the QMS development team."),
        next_url=_proposal_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    if not selectors.can_assess_proposal(request.user, proposal):
        raise PermissionDenied
    return form_step(
        request,
        ProposalAcceptForm(request.POST or None, initial={"version": proposal.version}),
        template="reviews/proposals/form.html",
        context={"proposal": proposal, "step": "accept"},
        run=lambda form: services.proposal_accept(
            proposal=proposal,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("The proposal was accepted; its action is now tracked."),
        next_url=_proposal_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    if not selectors.can_assess_proposal(request.user, proposal):
        raise PermissionDenied
    return form_step(
        request,
        ProposalRejectForm(request.POST or None, initial={"version": proposal.version}),
        template="reviews/proposals/form.html",
        context={"proposal": proposal, "step": "reject"},
        run=lambda form: services.proposal_reject(
            proposal=proposal,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("The proposal was rejected. The proposer can read the reason."),
        next_url=_proposal_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_complete(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    if not selectors.can_complete_proposal(request.user, proposal):
        raise PermissionDenied
    return form_step(
        request,
        ProposalCompleteForm(request.POST or None, initial={"version": proposal.version}),
        template="reviews/proposals/form.html",
        context={"proposal": proposal, "step": "complete"},
        run=lambda form: services.proposal_complete(
            proposal=proposal,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("The proposal was reported as implemented."),
        next_url=_proposal_url,
    )


urlpatterns = [
    path("propozycje/", proposal_list, name="proposals"),
    path("propozycje/nowa/", proposal_create, name="proposal_create"),
    path("propozycje/<int:pk>/", proposal_detail, name="proposal"),
    path("propozycje/<int:pk>/przyjecie/", proposal_accept, name="proposal_accept"),
    path("propozycje/<int:pk>/odrzucenie/", proposal_reject, name="proposal_reject"),
    path("propozycje/<int:pk>/wdrozenie/", proposal_complete, name="proposal_complete"),
]
