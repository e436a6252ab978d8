"""The process records: the register's list, a process's page, and the keepers' and owners'
steps (add, edit, describe, withdraw, restore). Each view reads through a selector and writes
through a service; permission is checked on the server for every request."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from processes.forms.register import (
    ProcessDescriptionForm,
    ProcessFilter,
    ProcessForm,
    ProcessRestoreForm,
    ProcessWithdrawForm,
)
from processes.models import Process
from processes.selectors import process_can_edit_description, process_can_manage
from processes.selectors import register as selectors
from processes.services import register as services
from qms import registry
from qms.web import filtered, form_step, paginate, service_data

# The panels other apps add to a process's page (``qms.registry.panel``), e.g. the open
# nonconformity cards; they are included between the documents and the history.
DETAIL_PANELS = "processes.process_detail"


def _detail_url(process: Process) -> str:
    return reverse("processes:detail", kwargs={"pk": process.pk})


@login_required
@require_GET
def process_list(request: HttpRequest) -> HttpResponse:
    filterset, processes = filtered(
        request, ProcessFilter, selectors.process_list(user=request.user)
    )
    page, query = paginate(request, processes.order_by("sort_key", "code"))
    return render(
        request,
        "processes/register/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_manage": process_can_manage(request.user),
        },
    )


@login_required
@require_GET
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(user=request.user, pk=pk)
    return render(
        request,
        "processes/register/detail.html",
        {
            "process": process,
            "history": selectors.process_history(process=process),
            "can_manage": process_can_manage(request.user),
            "can_describe": process_can_edit_description(request.user, process),
            **registry.panels_context(DETAIL_PANELS, request, process),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_create(request: HttpRequest) -> HttpResponse:
    if not process_can_manage(request.user):
        raise PermissionDenied
    return form_step(
        request,
        ProcessForm(request.POST or None),
        template="processes/register/form.html",
        run=lambda form: services.process_create(
            by=request.user,
            related=form.cleaned_data["related"],
            **service_data(form, exclude=("version", "related")),
        ),
        done=lambda process: _("The process %(code)s was added.") % {"code": process.code},
        next_url=_detail_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_management(user=request.user, pk=pk)
    return form_step(
        request,
        ProcessForm(request.POST or None, instance=process),
        template="processes/register/form.html",
        run=lambda form: services.process_update(
            process=process,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            related=form.cleaned_data["related"],
            **service_data(form, exclude=("version", "related")),
        ),
        done=_("Changes saved."),
        next_url=_detail_url,
        context={"process": process},
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_describe(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_description(user=request.user, pk=pk)
    return form_step(
        request,
        ProcessDescriptionForm(request.POST or None, instance=process),
        template="processes/register/describe.html",
        run=lambda form: services.process_update_description(
            process=process,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **{k: form.cleaned_data[k] for k in services.DESCRIPTION_FIELDS},
        ),
        done=_("Changes saved."),
        next_url=_detail_url,
        context={"process": process},
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_management(user=request.user, pk=pk)
    return form_step(
        request,
        ProcessWithdrawForm(request.POST or None, initial={"version": process.version}),
        template="processes/register/withdraw.html",
        run=lambda form: services.process_withdraw(
            process=process,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        done=_("The process was withdrawn. It stays in the register."),
        next_url=_detail_url,
        context={"process": process},
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_restore(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_management(user=request.user, pk=pk)
    return form_step(
        request,
        ProcessRestoreForm(request.POST or None, initial={"version": process.version}),
        template="processes/register/restore.html",
        run=lambda form: services.process_restore(
            process=process, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("The process is active again."),
        next_url=_detail_url,
        context={"process": process},
    )


urlpatterns = [
    path("", process_list, name="list"),
    path("nowy/", process_create, name="create"),
    path("<int:pk>/", process_detail, name="detail"),
    path("<int:pk>/edycja/", process_edit, name="edit"),
    path("<int:pk>/opis/", process_describe, name="describe"),
    path("<int:pk>/wycofanie/", process_withdraw, name="withdraw"),
    path("<int:pk>/przywrocenie/", process_restore, name="restore"),
]
