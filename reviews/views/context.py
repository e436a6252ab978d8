"""The context register (Księga Jakości §3, §4): issues and interested parties, read by top
management and the keepers, kept by the keepers."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.forms import apply_service_error
from reviews.forms_registers import (
    ContextIssueEditForm,
    ContextIssueForm,
    InterestedPartyEditForm,
    InterestedPartyForm,
    ReasonForm,
    ReviewedForm,
)
from reviews.models import ContextIssue
from reviews.selectors import context as selectors
from reviews.services import context as services

# Both kinds of entry share the pages; each is described once here.
ISSUE: dict[str, Any] = {
    "get": selectors.context_issue_get,
    "form": ContextIssueForm,
    "edit_form": ContextIssueEditForm,
    "create": services.context_issue_create,
    "update": lambda entry, **kw: services.context_issue_update(issue=entry, **kw),
    "review": lambda entry, **kw: services.context_issue_mark_reviewed(issue=entry, **kw),
    "retire": lambda entry, **kw: services.context_issue_retire(issue=entry, **kw),
    "detail": "reviews:context_issue",
    "is_issue": True,
}
PARTY: dict[str, Any] = {
    "get": selectors.interested_party_get,
    "form": InterestedPartyForm,
    "edit_form": InterestedPartyEditForm,
    "create": services.interested_party_create,
    "update": lambda entry, **kw: services.interested_party_update(party=entry, **kw),
    "review": lambda entry, **kw: services.interested_party_mark_reviewed(party=entry, **kw),
    "retire": lambda entry, **kw: services.interested_party_retire(party=entry, **kw),
    "detail": "reviews:context_party",
    "is_issue": False,
}


@login_required
@require_GET
def context_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_read_context(user):
        raise PermissionDenied
    retired = request.GET.get("wycofane") == "1"
    issues = list(selectors.context_issues(user=user, current=not retired))
    return render(
        request,
        "reviews/context/register.html",
        {
            "retired": retired,
            "external": [i for i in issues if i.kind == ContextIssue.Kind.EXTERNAL],
            "internal": [i for i in issues if i.kind == ContextIssue.Kind.INTERNAL],
            "parties": selectors.interested_parties(user=user, current=not retired),
            "can_keep": selectors.can_keep_context(user),
        },
    )


def _detail(request: HttpRequest, pk: int, kind: dict[str, Any]) -> HttpResponse:
    entry = kind["get"](user=request.user, pk=pk)
    return render(
        request,
        "reviews/context/detail.html",
        {
            "entry": entry,
            "is_issue": kind["is_issue"],
            "history": selectors.history_rows(entry),
            "can_keep": selectors.can_keep_context(request.user) and entry.is_active,
        },
    )


def _create(request: HttpRequest, kind: dict[str, Any]) -> HttpResponse:
    if not selectors.can_keep_context(request.user):
        raise PermissionDenied
    form = kind["form"](request.POST or None)
    context: dict = {"form": form, "is_issue": kind["is_issue"], "step": "create"}
    if request.method == "POST" and form.is_valid():
        try:
            entry = kind["create"](by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The entry was added to the context register."))
            return redirect(kind["detail"], pk=entry.pk)
    return render(request, "reviews/context/form.html", context)


def _step(
    request: HttpRequest,
    pk: int,
    kind: dict[str, Any],
    *,
    step: str,
    form_factory: Callable[..., BaseForm],
    data: Callable[[BaseForm], dict[str, Any]],
    done: str,
) -> HttpResponse:
    """A keeper's change to a current entry: edit, mark reviewed or retire."""
    entry = kind["get"](user=request.user, pk=pk)
    if not selectors.can_keep_context(request.user):
        raise PermissionDenied
    if not entry.is_active:
        messages.info(request, _("This entry is retired and can no longer be changed."))
        return redirect(kind["detail"], pk=entry.pk)
    form = form_factory(request.POST or None, entry)
    context: dict = {"form": form, "entry": entry, "is_issue": kind["is_issue"], "step": step}
    if request.method == "POST" and form.is_valid():
        try:
            kind[step](
                entry,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **data(form),
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, done)
            return redirect(kind["detail"], pk=entry.pk)
    return render(request, "reviews/context/form.html", context)


def _edit(request: HttpRequest, pk: int, kind: dict[str, Any]) -> HttpResponse:
    return _step(
        request,
        pk,
        kind,
        step="update",
        form_factory=lambda data, entry: kind["edit_form"](data, instance=entry),
        data=lambda form: {k: v for k, v in form.cleaned_data.items() if k != "version"},
        done=_("Changes saved."),
    )


def _review(request: HttpRequest, pk: int, kind: dict[str, Any]) -> HttpResponse:
    return _step(
        request,
        pk,
        kind,
        step="review",
        form_factory=lambda data, entry: ReviewedForm(data, initial={"version": entry.version}),
        data=lambda form: {"note": form.cleaned_data["note"]},
        done=_("The entry was marked as reviewed today."),
    )


def _retire(request: HttpRequest, pk: int, kind: dict[str, Any]) -> HttpResponse:
    return _step(
        request,
        pk,
        kind,
        step="retire",
        form_factory=lambda data, entry: ReasonForm(data, initial={"version": entry.version}),
        data=lambda form: {"reason": form.cleaned_data["reason"]},
        done=_("The entry is no longer current. It stays in the register."),
    )


@login_required
@require_GET
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, ISSUE)


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request: HttpRequest) -> HttpResponse:
    return _create(request, ISSUE)


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, pk, ISSUE)


@login_required
@require_http_methods(["GET", "POST"])
def issue_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, ISSUE)


@login_required
@require_http_methods(["GET", "POST"])
def issue_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _retire(request, pk, ISSUE)


@login_required
@require_GET
def party_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk, PARTY)


@login_required
@require_http_methods(["GET", "POST"])
def party_create(request: HttpRequest) -> HttpResponse:
    return _create(request, PARTY)


@login_required
@require_http_methods(["GET", "POST"])
def party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, pk, PARTY)


@login_required
@require_http_methods(["GET", "POST"])
def party_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, PARTY)


@login_required
@require_http_methods(["GET", "POST"])
def party_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _retire(request, pk, PARTY)


urlpatterns = [
    path("kontekst/", context_register, name="context"),
    path("kontekst/zagadnienia/nowe/", issue_create, name="context_issue_create"),
    path("kontekst/zagadnienia/<int:pk>/", issue_detail, name="context_issue"),
    path("kontekst/zagadnienia/<int:pk>/edycja/", issue_edit, name="context_issue_edit"),
    path("kontekst/zagadnienia/<int:pk>/przeglad/", issue_review, name="context_issue_review"),
    path("kontekst/zagadnienia/<int:pk>/wycofanie/", issue_retire, name="context_issue_retire"),
    path("kontekst/strony/nowa/", party_create, name="context_party_create"),
    path("kontekst/strony/<int:pk>/", party_detail, name="context_party"),
    path("kontekst/strony/<int:pk>/edycja/", party_edit, name="context_party_edit"),
    path("kontekst/strony/<int:pk>/przeglad/", party_review, name="context_party_review"),
    path("kontekst/strony/<int:pk>/wycofanie/", party_retire, name="context_party_retire"),
]
