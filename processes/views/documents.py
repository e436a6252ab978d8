"""The governing documents of a process: adding, changing and downloading them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from processes.forms.documents import GoverningDocumentForm
from processes.models import GoverningDocument
from processes.selectors import documents as selectors
from processes.selectors.register import process_get_for_description
from processes.services import documents as services
from qms.uploads import attachment_response
from qms.web import form_step, service_data


def _process_url(document: GoverningDocument) -> str:
    return reverse("processes:detail", kwargs={"pk": document.process_id})


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_get_for_description(user=request.user, pk=pk)
    return form_step(
        request,
        GoverningDocumentForm(request.POST or None, request.FILES or None),
        template="processes/documents/form.html",
        run=lambda form: services.document_add(
            process=process, by=request.user, **service_data(form)
        ),
        done=_("The document was added."),
        next_url=_process_url,
        context={"process": process},
    )


def _file_change(data: dict) -> dict:
    """The form's file as the service takes it: no new file chosen keeps the stored one, and
    "clear" (``False``) empties it."""
    if data.get("file") is None:
        data.pop("file", None)
    elif data.get("file") is False:
        data["file"] = ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_edit(user=request.user, pk=pk)
    return form_step(
        request,
        GoverningDocumentForm(request.POST or None, request.FILES or None, instance=document),
        template="processes/documents/form.html",
        run=lambda form: services.document_update(
            document=document,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **_file_change(service_data(form)),
        ),
        done=_("Changes saved."),
        next_url=_process_url,
        context={"process": document.process, "document": document},
    )


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_download(user=request.user, pk=pk)
    if not document.file:
        raise Http404
    return attachment_response(document.file)


urlpatterns = [
    path("<int:pk>/dokumenty/nowy/", document_add, name="document_add"),
    path("dokumenty/<int:pk>/edycja/", document_edit, name="document_edit"),
    path("dokumenty/<int:pk>/plik/", document_download, name="document_download"),
]
