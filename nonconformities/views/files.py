"""Downloads of the files attached as evidence that a corrective action was done."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from nonconformities import selectors
from qms.uploads import attachment_response


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as an attachment for whoever may read its card (403 otherwise). A record whose
    file is gone from storage is 404, not a server error."""
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    if not evidence.file:
        raise Http404
    return attachment_response(evidence.file)
