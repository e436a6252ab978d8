"""The Quality Policy pages: the version in force for every employee, the versions for top
management and the Pełnomocnik, drafting (Pełnomocnik) and approval (Prezydent)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.forms import ConfirmForm
from qms.history import history_rows
from qms.web import form_step
from reviews.forms.policy import PolicyEditForm, PolicyForm
from reviews.models import QualityPolicy
from reviews.selectors import policy as selectors
from reviews.services import policy as services


def _version_url(version: QualityPolicy) -> str:
    return reverse("reviews:policy_version", args=[version.pk])


@login_required
@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    user = request.user
    readers = selectors.can_read_policy_versions(user)
    return render(
        request,
        "reviews/policy/policy.html",
        {
            "policy": selectors.policy_for_employee(user=user),
            # Only those who read drafts learn that one exists.
            "draft": selectors.policy_draft() if readers else None,
            "can_read_versions": readers,
            "can_draft": selectors.can_draft_policy(user),
            "can_approve": selectors.can_approve_policy(user),
        },
    )


@login_required
@require_GET
def policy_versions(request: HttpRequest) -> HttpResponse:
    if not selectors.can_read_policy_versions(request.user):
        raise PermissionDenied
    return render(
        request,
        "reviews/policy/versions.html",
        {
            "versions": selectors.policy_versions(user=request.user),
            "can_draft": selectors.can_draft_policy(request.user),
        },
    )


@login_required
@require_GET
def policy_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.policy_get(user=request.user, pk=pk)
    is_draft = version.status == version.Status.DRAFT
    return render(
        request,
        "reviews/policy/version.html",
        {
            "version": version,
            "history": history_rows(version),
            "can_edit": is_draft and selectors.can_draft_policy(request.user),
            "can_approve": is_draft and selectors.can_approve_policy(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_draft_policy(request.user):
        raise PermissionDenied
    draft = selectors.policy_draft()
    if draft is not None:
        messages.info(request, _("A draft is already being prepared; continue with it."))
        return redirect("reviews:policy_edit", pk=draft.pk)
    # A new version usually changes a few sentences: start from the text in force.
    in_force = selectors.policy_in_force()
    initial = {"mission": in_force.mission, "declaration": in_force.declaration} if in_force else {}
    return form_step(
        request,
        PolicyForm(request.POST or None, initial=initial),
        template="reviews/policy/form.html",
        run=lambda form: services.policy_draft_create(by=request.user, **form.cleaned_data),
        done=lambda version: (
            _("Draft version %(number)s was saved. The Mayor approves it.")
            % {"number": version.number}
        ),
        next_url=_version_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.policy_get_draft_for(user=request.user, pk=pk)
    return form_step(
        request,
        PolicyEditForm(request.POST or None, instance=version),
        template="reviews/policy/form.html",
        context={"version": version},
        run=lambda form: services.policy_draft_update(
            policy=version,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            mission=form.cleaned_data["mission"],
            declaration=form.cleaned_data["declaration"],
        ),
        done=_("Changes saved."),
        next_url=_version_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_approve(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.policy_get_draft_for(user=request.user, pk=pk, approve=True)
    return form_step(
        request,
        ConfirmForm(request.POST or None, initial={"version": version.version}),
        template="reviews/policy/approve.html",
        context={"version": version, "approve": True},
        run=lambda form: services.policy_approve(
            policy=version, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("Version %(number)s of the Quality Policy is now in force.")
        % {"number": version.number},
        next_url="reviews:policy",
    )


urlpatterns = [
    path("polityka/", policy, name="policy"),
    path("polityka/wersje/", policy_versions, name="policy_versions"),
    path("polityka/nowa/", policy_create, name="policy_create"),
    path("polityka/wersje/<int:pk>/", policy_version, name="policy_version"),
    path("polityka/wersje/<int:pk>/edycja/", policy_edit, name="policy_edit"),
    path("polityka/wersje/<int:pk>/zatwierdzenie/", policy_approve, name="policy_approve"),
]
