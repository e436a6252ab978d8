"""Views of the process register: thin, each one reads through a selector and writes through a
service; permission is checked on the server for every request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from nonconformities import selectors as nc_selectors
from nonconformities.models import Nonconformity
from processes import io, selectors, services
from processes.filters import ProcessFilter
from processes.forms import (
    GoverningDocumentForm,
    ProcessDescriptionForm,
    ProcessForm,
    ProcessRestoreForm,
    ProcessWithdrawForm,
    RegisterImportForm,
)
from processes.models import Process
from processes.process_map import build_map
from qms.forms import apply_service_error
from qms.spreadsheets import export_response
from qms.uploads import attachment_response


def _filtered(request: HttpRequest) -> tuple[ProcessFilter, QuerySet[Process]]:
    """The register as the person may read it, narrowed by the filters in the query string.
    A filter value that is not valid matches nothing (the form shows why) rather than being
    ignored, so a list or an export never silently shows more than was asked for."""
    queryset = selectors.process_list(user=request.user)
    filterset = ProcessFilter(request.GET or None, queryset=queryset)
    if not filterset.is_bound:
        return filterset, queryset
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


@login_required
@require_GET
def process_list(request: HttpRequest) -> HttpResponse:
    filterset, processes = _filtered(request)
    page = Paginator(processes.order_by("sort_key", "code"), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "processes/process_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_manage": selectors.process_can_manage(request.user),
        },
    )


@login_required
@require_GET
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get(user=request.user, pk=pk)
    # Every employee reads the process, not every employee its cards: only those the person
    # may read are listed, and the section is shown when there are some or when the person
    # could read any card of the process (so "none" is never a false statement).
    open_cards = list(
        nc_selectors.cards_visible(user=request.user).filter(
            process=process, status__in=Nonconformity.OPEN_STATUSES
        )
    )
    return render(
        request,
        "processes/process_detail.html",
        {
            "process": process,
            "history": selectors.process_history(process=process),
            "can_manage": selectors.process_can_manage(request.user),
            "can_describe": selectors.process_can_edit_description(request.user, process),
            "open_cards": open_cards,
            "show_cards": bool(open_cards)
            or nc_selectors.reads_everything(request.user)
            or process.owner_id == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_create(request: HttpRequest) -> HttpResponse:
    if not selectors.process_can_manage(request.user):
        raise PermissionDenied
    form = ProcessForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "related")}
        try:
            process = services.process_create(
                by=request.user, related=form.cleaned_data["related"], **data
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The process %(code)s was added.") % {"code": process.code})
            return redirect("processes:detail", pk=process.pk)
    return render(request, "processes/process_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_management(user=request.user, pk=pk)
    form = ProcessForm(request.POST or None, instance=process)
    context: dict = {"form": form, "process": process}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "related")}
        try:
            services.process_update(
                process=process,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                related=form.cleaned_data["related"],
                **data,
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("processes:detail", pk=process.pk)
    return render(request, "processes/process_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def process_describe(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_description(user=request.user, pk=pk)
    form = ProcessDescriptionForm(request.POST or None, instance=process)
    context: dict = {"form": form, "process": process}
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("purpose", "inputs", "outputs")}
        try:
            services.process_update_description(
                process=process,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("processes:detail", pk=process.pk)
    return render(request, "processes/process_describe.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def process_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_management(user=request.user, pk=pk)
    form = ProcessWithdrawForm(request.POST or None, initial={"version": process.version})
    context: dict = {"form": form, "process": process}
    if request.method == "POST" and form.is_valid():
        try:
            services.process_withdraw(
                process=process,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The process was withdrawn. It stays in the register."))
            return redirect("processes:detail", pk=process.pk)
    return render(request, "processes/process_withdraw.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def process_restore(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_management(user=request.user, pk=pk)
    form = ProcessRestoreForm(request.POST or None, initial={"version": process.version})
    context: dict = {"form": form, "process": process}
    if request.method == "POST" and form.is_valid():
        try:
            services.process_restore(
                process=process, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The process is active again."))
            return redirect("processes:detail", pk=process.pk)
    return render(request, "processes/process_restore.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.process_get_for_description(user=request.user, pk=pk)
    form = GoverningDocumentForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "process": process}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.document_add(process=process, by=request.user, **data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The document was added."))
            return redirect("processes:detail", pk=process.pk)
    return render(request, "processes/document_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_edit(user=request.user, pk=pk)
    form = GoverningDocumentForm(request.POST or None, request.FILES or None, instance=document)
    context: dict = {"form": form, "process": document.process, "document": document}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if data.get("file") is None:
            data.pop("file", None)  # no new file chosen: keep the stored one
        elif data.get("file") is False:
            data["file"] = ""
        try:
            services.document_update(
                document=document,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("processes:detail", pk=document.process_id)
    return render(request, "processes/document_form.html", context)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_download(user=request.user, pk=pk)
    if not document.file:
        raise Http404
    return attachment_response(document.file)


@login_required
@require_GET
def process_map(request: HttpRequest) -> HttpResponse:
    processes = list(
        selectors.process_list(user=request.user)
        .filter(status=Process.Status.ACTIVE)
        .prefetch_related(
            Prefetch("related", queryset=Process.objects.filter(status=Process.Status.ACTIVE))
        )
        .order_by("sort_key", "code")
    )
    return render(
        request, "processes/process_map.html", {"map": build_map(processes), "processes": processes}
    )


@login_required
@require_GET
def process_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _filterset, processes = _filtered(request)
    processes = processes.prefetch_related("related").order_by("sort_key", "code")
    return export_response(
        io.export_rows(processes), fmt=fmt, basename="rejestr-procesow", title="Rejestr procesów"
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_import(request: HttpRequest) -> HttpResponse:
    if not selectors.process_can_manage(request.user):
        raise PermissionDenied
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows, errors = io.read_register(upload.name, upload.read())
        except io.ImportFileError as error:
            form.add_error("file", str(error))
            return render(request, "processes/process_import.html", context)
        context["errors"] = errors
        context["row_count"] = len(rows) + len({e.line for e in errors})
        if errors:
            messages.error(
                request,
                ngettext(
                    "Nothing was imported: %(count)s problem was found.",
                    "Nothing was imported: %(count)s problems were found.",
                    len(errors),
                )
                % {"count": len(errors)},
            )
        elif form.cleaned_data["dry_run"]:
            messages.info(
                request,
                ngettext(
                    "The file is correct: %(count)s process can be imported.",
                    "The file is correct: %(count)s processes can be imported.",
                    len(rows),
                )
                % {"count": len(rows)},
            )
        else:
            try:
                created, updated = services.process_register_import(rows=rows, by=request.user)
            except ValidationError as error:
                apply_service_error(form, error, context)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Imported: %(created)s new process",
                        "Imported: %(created)s new processes",
                        created,
                    )
                    % {"created": created}
                    + "; "
                    + ngettext(
                        "%(updated)s process updated.", "%(updated)s processes updated.", updated
                    )
                    % {"updated": updated},
                )
                return redirect("processes:list")
    return render(request, "processes/process_import.html", context)
