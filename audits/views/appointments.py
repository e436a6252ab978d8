"""Auditor candidate lists and their appointment by the Prezydent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from audits import selectors, services
from audits.forms import CandidateForm, CarryOverForm, CommentForm, ConfirmForm, DecisionForm
from qms.forms import apply_service_error


@login_required
@require_GET
def list_index(request: HttpRequest) -> HttpResponse:
    lists = selectors.auditor_lists(user=request.user)
    return render(
        request,
        "audits/auditor_lists.html",
        {"lists": lists, "can_prepare": selectors.can_prepare_programme(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def list_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_prepare_programme(request.user):
        raise PermissionDenied
    form = CarryOverForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            if form.cleaned_data["carry_over"]:
                auditor_list = services.auditor_list_carry_over(year=year, by=request.user)
            else:
                auditor_list = services.auditor_list_create(year=year, by=request.user)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The candidate list was created."))
            return redirect("audits:auditor_list", pk=auditor_list.pk)
    return render(request, "audits/auditor_list_form.html", context)


@login_required
@require_GET
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    auditor_list = selectors.auditor_list_get(user=request.user, pk=pk)
    return render(
        request,
        "audits/auditor_list.html",
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
    auditor_list = selectors.auditor_list_get(user=request.user, pk=pk)
    form = CandidateForm(request.POST or None)
    context: dict = {"form": form, "auditor_list": auditor_list}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.auditor_candidate_add(auditor_list=auditor_list, by=request.user, **data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The candidate was added."))
            return redirect("audits:auditor_list", pk=auditor_list.pk)
    return render(request, "audits/candidate_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get_for_edit(user=request.user, pk=pk)
    form = CandidateForm(request.POST or None, instance=candidate)
    context: dict = {"form": form, "auditor_list": candidate.auditor_list, "candidate": candidate}
    if request.method == "POST":
        removing = "remove" in request.POST
        if form.is_valid():
            version = form.cleaned_data["version"]
            try:
                if removing:
                    services.auditor_candidate_remove(
                        candidate=candidate, by=request.user, expected_version=version
                    )
                else:
                    data = {
                        k: form.cleaned_data[k]
                        for k in ("qualification", "certificate_date", "notes")
                    }
                    services.auditor_candidate_update(
                        candidate=candidate, by=request.user, expected_version=version, **data
                    )
            except ValidationError as error:
                apply_service_error(form, error, context)
            else:
                messages.success(
                    request,
                    _("The candidate was removed from the list.")
                    if removing
                    else _("Changes saved."),
                )
                return redirect("audits:auditor_list", pk=candidate.auditor_list_id)
    return render(request, "audits/candidate_form.html", context)


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
    auditor_list = selectors.auditor_list_get(user=request.user, pk=pk)
    form_class, service, done = TRANSITIONS[action]
    allowed = (
        selectors.can_approve_programme(request.user)
        if action in ("zwroc", "powolaj")
        else selectors.can_prepare_programme(request.user)
    )
    if not allowed:
        raise PermissionDenied
    form = form_class(request.POST or None, initial={"version": auditor_list.version})
    context: dict = {"form": form, "auditor_list": auditor_list, "action": action}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            service(auditor_list=auditor_list, by=request.user, expected_version=version, **data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, str(done))
            return redirect("audits:auditor_list", pk=auditor_list.pk)
    return render(request, "audits/auditor_list_transition.html", context)
