"""Customer feedback: the filtered list, a record with its history, entering and editing
complaints, requests, petitions and survey results, and raising a complaint's card."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.forms import apply_service_error
from reviews.forms_registers import (
    FeedbackCardForm,
    FeedbackCaseEditForm,
    FeedbackCaseForm,
    FeedbackFilter,
    FeedbackSurveyEditForm,
    FeedbackSurveyForm,
)
from reviews.models import Feedback
from reviews.selectors import feedback as selectors
from reviews.selectors.context import history_rows
from reviews.services import feedback as services

PAGE_SIZE = 25


def _filtered(request: HttpRequest) -> tuple[FeedbackFilter, QuerySet[Feedback]]:
    queryset = selectors.feedback_list(user=request.user)
    filterset = FeedbackFilter(request.GET or None, queryset=queryset)
    if not filterset.is_bound:
        return filterset, queryset
    # An invalid filter value matches nothing (the form says why) rather than being ignored.
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


@login_required
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_read_feedback(request.user):
        raise PermissionDenied
    filterset, records = _filtered(request)
    page = Paginator(records.order_by("-received", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/feedback/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
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
    form = form_class(request.POST or None)
    context: dict = {"form": form, "survey": survey}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if survey:
            data["kind"] = Feedback.Kind.SURVEY
            data["outcome"] = Feedback.Outcome.NOT_APPLICABLE
        try:
            record = services.feedback_create(by=request.user, **data)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("The feedback was recorded."))
            return redirect("reviews:feedback", pk=record.pk)
    return render(request, "reviews/feedback/form.html", context)


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
    form = form_class(request.POST or None, instance=record)
    context: dict = {"form": form, "record": record, "survey": survey}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.feedback_update(
                feedback=record,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("reviews:feedback", pk=record.pk)
    return render(request, "reviews/feedback/form.html", context)


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
    context: dict = {"form": form, "record": record, "raise_card": True}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            card = services.feedback_raise_card(
                feedback=record,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, _("Card %(number)s was raised.") % {"number": card.number})
            return redirect("nonconformities:detail", pk=card.pk)
    return render(request, "reviews/feedback/form.html", context)


urlpatterns = [
    path("informacja-zwrotna/", feedback_list, name="feedback_list"),
    path("informacja-zwrotna/nowa/", feedback_create, name="feedback_create"),
    path("informacja-zwrotna/badanie/", feedback_survey_create, name="feedback_survey_create"),
    path("informacja-zwrotna/<int:pk>/", feedback_detail, name="feedback"),
    path("informacja-zwrotna/<int:pk>/edycja/", feedback_edit, name="feedback_edit"),
    path("informacja-zwrotna/<int:pk>/karta/", feedback_raise_card, name="feedback_raise_card"),
]
