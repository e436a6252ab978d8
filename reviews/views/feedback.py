"""Customer feedback: the filtered list, a record with its history, entering and editing
complaints, requests, petitions and survey results, and raising a complaint's card."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.history import history_rows
from qms.web import filtered, form_step, paginate, service_data
from reviews.forms.feedback import (
    FeedbackCardForm,
    FeedbackCaseEditForm,
    FeedbackCaseForm,
    FeedbackFilter,
    FeedbackSurveyEditForm,
    FeedbackSurveyForm,
)
from reviews.models import Feedback
from reviews.selectors import feedback as selectors
from reviews.services import feedback as services


def _record_url(record: Feedback) -> str:
    return reverse("reviews:feedback", args=[record.pk])


@login_required
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_read_feedback(request.user):
        raise PermissionDenied
    filterset, records = filtered(
        request, FeedbackFilter, selectors.feedback_list(user=request.user)
    )
    page, query = paginate(request, records.order_by("-received", "-id"))
    return render(
        request,
        "reviews/feedback/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_enter": selectors.can_enter_feedback(request.user),
        },
    )


@login_required
@require_GET
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.feedback_get(user=request.user, pk=pk)
    return render(
        request,
        "reviews/feedback/detail.html",
        {
            "record": record,
            "history": history_rows(record),
            "can_enter": selectors.can_enter_feedback(request.user),
            "can_raise_card": selectors.can_raise_card_from(request.user, record),
        },
    )


def _create(request: HttpRequest, form_class: type, *, survey: bool) -> HttpResponse:
    if not selectors.can_enter_feedback(request.user):
        raise PermissionDenied
    # A survey result has no kind or outcome to choose: the service is told what it is.
    fixed = (
        {"kind": Feedback.Kind.SURVEY, "outcome": Feedback.Outcome.NOT_APPLICABLE} if survey else {}
    )
    return form_step(
        request,
        form_class(request.POST or None),
        template="reviews/feedback/form.html",
        context={"survey": survey},
        run=lambda form: services.feedback_create(
            by=request.user, **{**form.cleaned_data, **fixed}
        ),
        done=_("The feedback was recorded."),
        next_url=_record_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_create(request: HttpRequest) -> HttpResponse:
    return _create(request, FeedbackCaseForm, survey=False)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_survey_create(request: HttpRequest) -> HttpResponse:
    return _create(request, FeedbackSurveyForm, survey=True)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.feedback_get_for_entry(user=request.user, pk=pk)
    survey = record.kind == Feedback.Kind.SURVEY
    form_class = FeedbackSurveyEditForm if survey else FeedbackCaseEditForm
    return form_step(
        request,
        form_class(request.POST or None, instance=record),
        template="reviews/feedback/form.html",
        context={"record": record, "survey": survey},
        run=lambda form: services.feedback_update(
            feedback=record,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("Changes saved."),
        next_url=_record_url(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_raise_card(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.feedback_get_for_entry(user=request.user, pk=pk)
    if record.nonconformity_id is not None:
        messages.info(request, _("A card was already raised for this complaint."))
        return redirect("nonconformities:detail", pk=record.nonconformity_id)
    if not selectors.can_raise_card_from(request.user, record):
        raise PermissionDenied
    form = FeedbackCardForm(
        request.POST or None,
        initial={
            "version": record.version,
            "process": record.process_id,
            "description": record.summary,
            "evidence": _("Complaint %(reference)s of %(date)s")
            % {"reference": record.reference, "date": record.received.isoformat()},
        },
    )
    return form_step(
        request,
        form,
        template="reviews/feedback/form.html",
        context={"record": record, "raise_card": True},
        run=lambda form: services.feedback_raise_card(
            feedback=record,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=lambda card: _("Card %(number)s was raised.") % {"number": card.number},
        next_url=lambda card: reverse("nonconformities:detail", args=[card.pk]),
    )


urlpatterns = [
    path("informacja-zwrotna/", feedback_list, name="feedback_list"),
    path("informacja-zwrotna/nowa/", feedback_create, name="feedback_create"),
    path("informacja-zwrotna/badanie/", feedback_survey_create, name="feedback_survey_create"),
    path("informacja-zwrotna/<int:pk>/", feedback_detail, name="feedback"),
    path("informacja-zwrotna/<int:pk>/edycja/", feedback_edit, name="feedback_edit"),
    path("informacja-zwrotna/<int:pk>/karta/", feedback_raise_card, name="feedback_raise_card"),
]
