"""Management reviews (przegląd zarządzania, Księga Jakości §29): the list, preparing a review,
its page with the inputs a–j compiled from the records, the meeting and the approval, the
decisions and the minutes PDF. Every view asks ``reviews.selectors.review`` who may see or do
what (the inputs and the minutes come from ``reviews.selectors.review_inputs``) and leaves the
writing to ``reviews.services.review``."""

import hashlib
import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.forms import ConfirmForm
from qms.pdf import pdf_response
from qms.web import form_step
from reviews.forms.review import (
    DecisionCompleteForm,
    DecisionEditForm,
    DecisionForm,
    ReviewCreateForm,
    ReviewEditForm,
)
from reviews.models import ManagementReview
from reviews.selectors import reads_everything
from reviews.selectors import review as selectors
from reviews.selectors.review_inputs import compile_inputs, minutes_pdf
from reviews.services import review as services

logger = logging.getLogger(__name__)

R = ManagementReview.Status


def _review_url(review_id: int) -> str:
    return reverse("reviews:review_detail", args=[review_id])


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
    return form_step(
        request,
        ReviewCreateForm(request.POST or None),
        template="reviews/review/create.html",
        run=lambda form: services.review_create(by=request.user, **form.cleaned_data),
        done=lambda review: _("Review %(number)s was created.") % {"number": review.number},
        next_url=lambda review: _review_url(review.pk),
    )


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
    return form_step(
        request,
        ReviewEditForm(request.POST or None, review=review),
        template="reviews/review/edit.html",
        context={"review": review},
        run=lambda form: services.review_update(
            review=review,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            commentary=form.commentary(),
            summary=form.cleaned_data["summary"],
            participants=form.cleaned_data["participants"],
        ),
        done=_("Changes saved."),
        next_url=_review_url(review.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_hold(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    if not _can(request.user, review)["hold"]:
        raise PermissionDenied
    return form_step(
        request,
        ConfirmForm(request.POST or None, initial={"version": review.version}),
        template="reviews/review/transition.html",
        context={"review": review, "step": "hold"},
        run=lambda form: services.review_hold(
            review=review, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("The meeting is recorded as held."),
        next_url=_review_url(review.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    if not _can(request.user, review)["approve"]:
        raise PermissionDenied
    return form_step(
        request,
        ConfirmForm(request.POST or None, initial={"version": review.version}),
        template="reviews/review/transition.html",
        context={"review": review, "step": "approve"},
        run=lambda form: services.review_approve(
            review=review, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        done=_("The minutes are approved and stored."),
        next_url=_review_url(review.pk),
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
        return pdf_response(minutes_pdf(review, final=False), filename)
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
    return form_step(
        request,
        DecisionForm(request.POST or None),
        template="reviews/review/decision_form.html",
        context={"review": review},
        run=lambda form: services.decision_add(review=review, by=request.user, **form.cleaned_data),
        done=_("The decision was recorded."),
        next_url=_review_url(review.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if not selectors.can_prepare_reviews(request.user):
        raise PermissionDenied
    return form_step(
        request,
        DecisionEditForm(request.POST or None, decision=decision),
        template="reviews/review/decision_form.html",
        context={"review": decision.review, "decision": decision},
        run=lambda form: services.decision_update(
            decision=decision,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **form.service_fields(),
        ),
        done=_("Changes saved."),
        next_url=_review_url(decision.review_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_complete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if not selectors.can_complete_decision(request.user, decision):
        raise PermissionDenied
    # The owner goes back to the review if they may read it, else to their decisions.
    if reads_everything(request.user):
        back = _review_url(decision.review_id)
    else:
        back = "reviews:review_list"
    return form_step(
        request,
        DecisionCompleteForm(request.POST or None, initial={"version": decision.version}),
        template="reviews/review/decision_complete.html",
        context={"decision": decision, "review": decision.review},
        run=lambda form: services.decision_complete(
            decision=decision,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        ),
        done=_("The decision is recorded as done."),
        next_url=back,
    )


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
