"""Management reviews (przegląd zarządzania, Księga Jakości §29): the list, preparing a review,
its page with the inputs a–j compiled from the records, the meeting and the approval, the
decisions and the minutes PDF. Every view asks ``reviews.selectors.review`` who may see or do
what and leaves the writing to ``reviews.services.review``."""

import hashlib
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.forms import apply_service_error
from qms.pdf import pdf_response
from reviews.forms_review import (
    ConfirmForm,
    DecisionCompleteForm,
    DecisionEditForm,
    DecisionForm,
    ReviewCreateForm,
    ReviewEditForm,
)
from reviews.inputs import compile_inputs
from reviews.models import ManagementReview
from reviews.selectors import reads_everything
from reviews.selectors import review as selectors
from reviews.services import review as services

logger = logging.getLogger(__name__)

R = ManagementReview.Status


def _can(user, review: ManagementReview) -> dict[str, bool]:
    prepares = selectors.can_prepare_reviews(user)
    return {
        "edit": prepares and review.status in (R.DRAFT, R.HELD),
        "hold": prepares and review.status == R.DRAFT,
        "approve": selectors.can_approve_reviews(user) and review.status == R.HELD,
        "decide": prepares and review.status in (R.DRAFT, R.HELD),
        "edit_decisions": prepares,
    }


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Every review for top management and the Pełnomocnik; a decision owner sees their own
    decisions here; anyone else is refused."""
    user = request.user
    reviews = list(selectors.reviews_visible(user=user).order_by("-meeting_date", "-id"))
    decisions = list(selectors.my_decisions(user=user))
    if not reads_everything(user) and not decisions:
        raise PermissionDenied
    return render(
        request,
        "reviews/review/list.html",
        {
            "reviews": reviews,
            "reads_everything": reads_everything(user),
            "my_decisions": decisions,
            "can_create": selectors.can_prepare_reviews(user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_prepare_reviews(request.user):
        raise PermissionDenied
    form = ReviewCreateForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(
                request, _("Review %(number)s was created.") % {"number": review.number}
            )
            return redirect("reviews:review_detail", pk=review.pk)
    return render(request, "reviews/review/create.html", context)


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    return render(
        request,
        "reviews/review/detail.html",
        {
            "review": review,
            "sections": compile_inputs(review),
            "decisions": list(review.decisions.all()),
            "participants": list(review.participants.all()),
            "can": _can(request.user, review),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    if not _can(request.user, review)["edit"]:
        raise PermissionDenied
    form = ReviewEditForm(request.POST or None, review=review)
    context: dict = {"form": form, "review": review}
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(
                review=review,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                commentary=form.commentary(),
                summary=form.cleaned_data["summary"],
                participants=form.cleaned_data["participants"],
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("reviews:review_detail", pk=review.pk)
    return render(request, "reviews/review/edit.html", context)


def _transition(request: HttpRequest, pk: int, *, step: str, service, done: str) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    if not _can(request.user, review)[step]:
        raise PermissionDenied
    form = ConfirmForm(request.POST or None, initial={"version": review.version})
    context: dict = {"form": form, "review": review, "step": step}
    if request.method == "POST" and form.is_valid():
        try:
            service(review=review, by=request.user, expected_version=form.cleaned_data["version"])
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, done)
            return redirect("reviews:review_detail", pk=review.pk)
    return render(request, "reviews/review/transition.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_hold(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        step="hold",
        service=services.review_hold,
        done=_("The meeting is recorded as held."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        step="approve",
        service=services.review_approve,
        done=_("The minutes are approved and stored."),
    )


@login_required
@require_GET
def review_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes. Approved: the stored file, served only if it still has the checksum taken
    at approval (a changed or missing file gives an error page, never the file). Before
    approval: rendered now and marked as a draft."""
    review = selectors.review_get(user=request.user, pk=pk)
    filename = _("Minutes %(number)s.pdf") % {"number": review.number}
    if review.status != R.APPROVED:
        return pdf_response(selectors.minutes_pdf(review, final=False), filename)
    try:
        with review.minutes_pdf.open("rb") as stored:
            pdf = stored.read()
    except (ValueError, OSError):
        logger.exception("minutes of review %s: the stored file cannot be read", review.pk)
        pdf = None
    if pdf is None or hashlib.sha256(pdf).hexdigest() != review.minutes_sha256:
        if pdf is not None:
            logger.error("minutes of review %s: checksum mismatch, file refused", review.pk)
        return render(request, "reviews/review/minutes_error.html", {"review": review}, status=500)
    return pdf_response(pdf, filename)


# --- decisions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    if not _can(request.user, review)["decide"]:
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    context: dict = {"form": form, "review": review}
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_add(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("reviews:review_detail", pk=review.pk)
    return render(request, "reviews/review/decision_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if not selectors.can_prepare_reviews(request.user):
        raise PermissionDenied
    form = DecisionEditForm(request.POST or None, decision=decision)
    context: dict = {"form": form, "review": decision.review, "decision": decision}
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                decision=decision,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("reviews:review_detail", pk=decision.review_id)
    return render(request, "reviews/review/decision_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision_complete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if not selectors.can_complete_decision(request.user, decision):
        raise PermissionDenied
    form = DecisionCompleteForm(request.POST or None, initial={"version": decision.version})
    context: dict = {"form": form, "decision": decision, "review": decision.review}
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_complete(
                decision=decision,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The decision is recorded as done."))
            if reads_everything(request.user):
                return redirect("reviews:review_detail", pk=decision.review_id)
            return redirect("reviews:review_list")
    return render(request, "reviews/review/decision_complete.html", context)


urlpatterns = [
    path("przeglady/", review_list, name="review_list"),
    path("przeglady/nowy/", review_create, name="review_create"),
    path("przeglady/<int:pk>/", review_detail, name="review_detail"),
    path("przeglady/<int:pk>/edycja/", review_edit, name="review_edit"),
    path("przeglady/<int:pk>/odbyty/", review_hold, name="review_hold"),
    path("przeglady/<int:pk>/zatwierdzenie/", review_approve, name="review_approve"),
    path("przeglady/<int:pk>/protokol.pdf", review_minutes, name="review_minutes"),
    path("przeglady/<int:pk>/decyzje/nowa/", decision_add, name="decision_add"),
    path("przeglady/decyzje/<int:pk>/", decision_edit, name="decision_edit"),
    path("przeglady/decyzje/<int:pk>/wykonana/", decision_complete, name="decision_complete"),
]
