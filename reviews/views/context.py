"""The context register (Księga Jakości §3, §4): issues and interested parties, read by top
management and the keepers, kept by the keepers."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.history import history_rows
from qms.web import form_step, service_data
from reviews.forms.common import ReasonForm
from reviews.forms.context import (
    ContextIssueEditForm,
    ContextIssueForm,
    InterestedPartyEditForm,
    InterestedPartyForm,
    ReviewedForm,
)
from reviews.models import ContextIssue, InterestedParty
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
            "history": history_rows(entry),
            "can_keep": selectors.can_keep_context(request.user) and entry.is_active,
        },
    )


def _create(request: HttpRequest, kind: dict[str, Any]) -> HttpResponse:
    if not selectors.can_keep_context(request.user):
        raise PermissionDenied
    return form_step(
        request,
        kind["form"](request.POST or None),
        template="reviews/context/form.html",
        context={"is_issue": kind["is_issue"], "step": "create"},
        run=lambda form: kind["create"](by=request.user, **form.cleaned_data),
        done=_("The entry was added to the context register."),
        next_url=lambda entry: reverse(kind["detail"], args=[entry.pk]),
    )


def _entry_to_change(
    request: HttpRequest, pk: int, kind: dict[str, Any]
) -> ContextIssue | InterestedParty:
    """The entry a keeper changes (edit, mark reviewed, retire); ``PermissionDenied`` for
    anyone else."""
    entry = kind["get"](user=request.user, pk=pk)
    if not selectors.can_keep_context(request.user):
        raise PermissionDenied
    return entry


def _retired(
    request: HttpRequest, entry: ContextIssue | InterestedParty, kind: dict[str, Any]
) -> HttpResponse:
    messages.info(request, _("This entry is retired and can no longer be changed."))
    return redirect(kind["detail"], pk=entry.pk)


def _edit(request: HttpRequest, pk: int, kind: dict[str, Any]) -> HttpResponse:
    entry = _entry_to_change(request, pk, kind)
    if not entry.is_active:
        return _retired(request, entry, kind)
    return form_step(
        request,
        kind["edit_form"](request.POST or None, instance=entry),
        template="reviews/context/form.html",
        context={"entry": entry, "is_issue": kind["is_issue"], "step": "update"},
        run=lambda form: kind["update"](
            entry,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("Changes saved."),
        next_url=reverse(kind["detail"], args=[entry.pk]),
    )


def _review(request: HttpRequest, pk: int, kind: dict[str, Any]) -> HttpResponse:
    entry = _entry_to_change(request, pk, kind)
    if not entry.is_active:
        return _retired(request, entry, kind)
    return form_step(
        request,
        ReviewedForm(request.POST or None, initial={"version": entry.version}),
        template="reviews/context/form.html",
        context={"entry": entry, "is_issue": kind["is_issue"], "step": "review"},
        run=lambda form: kind["review"](
            entry,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        ),
        done=_("The entry was marked as reviewed today."),
        next_url=reverse(kind["detail"], args=[entry.pk]),
    )


def _retire(request: HttpRequest, pk: int, kind: dict[str, Any]) -> HttpResponse:
    entry = _entry_to_change(request, pk, kind)
    if not entry.is_active:
        return _retired(request, entry, kind)
    return form_step(
        request,
        ReasonForm(request.POST or None, initial={"version": entry.version}),
        template="reviews/context/form.html",
        context={"entry": entry, "is_issue": kind["is_issue"], "step": "retire"},
        run=lambda form: kind["retire"](
            entry,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        done=_("The entry is no longer current. It stays in the register."),
        next_url=reverse(kind["detail"], args=[entry.pk]),
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
