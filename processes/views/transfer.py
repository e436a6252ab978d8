"""The register as a file: exporting it (CSV or XLSX, as filtered on the list) and importing it.

An import is checked as a whole before anything is written: a file with problems lists them
all and writes nothing, and a dry run only reports that the file is correct."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, re_path
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from processes.forms.register import ProcessFilter
from processes.forms.transfer import RegisterImportForm
from processes.selectors import process_can_manage
from processes.selectors.register import process_list
from processes.selectors.transfer import export_rows
from processes.services import transfer as services
from qms.spreadsheets import export_response
from qms.web import filtered, form_step

IMPORT_TEMPLATE = "processes/transfer/import.html"


@login_required
@require_GET
def process_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _filterset, processes = filtered(request, ProcessFilter, process_list(user=request.user))
    processes = processes.prefetch_related("related").order_by("sort_key", "code")
    return export_response(
        export_rows(processes), fmt=fmt, basename="rejestr-procesow", title="Rejestr procesów"
    )


def _check(request: HttpRequest, form: RegisterImportForm, context: dict) -> list | None:
    """Read and check the uploaded file. Returns the rows to import, or ``None`` when nothing
    is to be written: the file cannot be read (the form says why), some rows are wrong (the
    page lists them) or only a check was asked for."""
    upload = form.cleaned_data["file"]
    try:
        rows, errors = services.read_register(upload.name, upload.read())
    except services.ImportFileError as error:
        form.add_error("file", str(error))
        return None
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
        return None
    if form.cleaned_data["dry_run"]:
        messages.info(
            request,
            ngettext(
                "The file is correct: %(count)s process can be imported.",
                "The file is correct: %(count)s processes can be imported.",
                len(rows),
            )
            % {"count": len(rows)},
        )
        return None
    return rows


def _imported(counts: tuple[int, int]) -> str:
    created, updated = counts
    return (
        ngettext(
            "Imported: %(created)s new process",
            "Imported: %(created)s new processes",
            created,
        )
        % {"created": created}
        + "; "
        + ngettext("%(updated)s process updated.", "%(updated)s processes updated.", updated)
        % {"updated": updated}
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_import(request: HttpRequest) -> HttpResponse:
    if not process_can_manage(request.user):
        raise PermissionDenied
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    context: dict = {}
    rows: list = []
    if request.method == "POST" and form.is_valid():
        checked = _check(request, form, context)
        if checked is None:
            return render(request, IMPORT_TEMPLATE, {"form": form, **context})
        rows = checked
    return form_step(
        request,
        form,
        template=IMPORT_TEMPLATE,
        run=lambda form: services.process_register_import(rows=rows, by=request.user),
        done=_imported,
        next_url="processes:list",
        context=context,
    )


urlpatterns = [
    path("import/", process_import, name="import"),
    re_path(r"^eksport\.(?P<fmt>csv|xlsx)$", process_export, name="export"),
]
