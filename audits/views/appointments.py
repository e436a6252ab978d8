"""Auditor candidate lists and their appointment by the Prezydent."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from audits import selectors
from audits.forms.appointments import CandidateForm, CarryOverForm
from audits.forms.common import CommentForm, DecisionForm
from audits.selectors.appointments import (
    auditor_list_get,
    auditor_lists,
    candidate_get_for_edit,
)
from audits.services import appointments as services
from qms.forms import ConfirmForm
from qms.web import form_step, service_data


@login_required
@require_GET
def list_index(request: HttpRequest) -> HttpResponse:
    lists = auditor_lists(user=request.user)
    return render(
        request,
        "audits/appointments/auditor_lists.html",
        {"lists": lists, "can_prepare": selectors.can_prepare_programme(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def list_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    form = CarryOverForm(request.POST or None)

    def run(form: CarryOverForm):
        year = form.cleaned_data["year"]
        if form.cleaned_data["carry_over"]:
            return services.auditor_list_carry_over(year=year, by=request.user)
        return services.auditor_list_create(year=year, by=request.user)

    return form_step(
        request,
        form,
        template="audits/appointments/auditor_list_form.html",
        run=run,
        done=_("The candidate list was created."),
        next_url=lambda auditor_list: redirect("audits:auditor_list", pk=auditor_list.pk),
    )


@login_required
@require_GET
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    auditor_list = auditor_list_get(user=request.user, pk=pk)
    return render(
        request,
        "audits/appointments/auditor_list.html",
        {
            "auditor_list": auditor_list,
            "candidates": auditor_list.candidates.all(),
            "can_prepare": selectors.can_prepare_programme(request.user),
            "can_approve": selectors.can_approve_programme(request.user),
            "version": auditor_list.version,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    auditor_list = auditor_list_get(user=request.user, pk=pk)
    form = CandidateForm(request.POST or None)
    return form_step(
        request,
        form,
        template="audits/appointments/candidate_form.html",
        context={"auditor_list": auditor_list},
        run=lambda form: services.auditor_candidate_add(
            auditor_list=auditor_list, by=request.user, **service_data(form)
        ),
        done=_("The candidate was added."),
        next_url=lambda _candidate: redirect("audits:auditor_list", pk=auditor_list.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_get_for_edit(user=request.user, pk=pk)
    form = CandidateForm(request.POST or None, instance=candidate)
    removing = "remove" in request.POST

    def run(form: CandidateForm):
        version = form.cleaned_data["version"]
        if removing:
            return services.auditor_candidate_remove(
                candidate=candidate, by=request.user, expected_version=version
            )
        data = {k: form.cleaned_data[k] for k in ("qualification", "certificate_date", "notes")}
        return services.auditor_candidate_update(
            candidate=candidate, by=request.user, expected_version=version, **data
        )

    return form_step(
        request,
        form,
        template="audits/appointments/candidate_form.html",
        context={"auditor_list": candidate.auditor_list, "candidate": candidate},
        run=run,
        done=_("The candidate was removed from the list.") if removing else _("Changes saved."),
        next_url=lambda _candidate: redirect("audits:auditor_list", pk=candidate.auditor_list_id),
    )


TRANSITIONS = {
    "przekaz": (
        ConfirmForm,
        services.auditor_list_submit,
        gettext_lazy("The list was submitted to the Mayor."),
    ),
    "zwroc": (
        CommentForm,
        services.auditor_list_return,
        gettext_lazy("The list was returned for corrections."),
    ),
    "powolaj": (
        DecisionForm,
        services.auditor_list_appoint,
        gettext_lazy("The auditors were appointed."),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def list_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404
    auditor_list = auditor_list_get(user=request.user, pk=pk)
    form_class, service, done = TRANSITIONS[action]
    allowed = (
        selectors.can_approve_programme(request.user)
        if action in ("zwroc", "powolaj")
        else selectors.can_prepare_programme(request.user)
    )
    if not allowed:
        raise PermissionDenied
    form = form_class(request.POST or None, initial={"version": auditor_list.version})
    return form_step(
        request,
        form,
        template="audits/appointments/auditor_list_transition.html",
        context={"auditor_list": auditor_list, "action": action},
        run=lambda form: service(
            auditor_list=auditor_list,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=str(done),
        next_url=lambda _result: redirect("audits:auditor_list", pk=auditor_list.pk),
    )
