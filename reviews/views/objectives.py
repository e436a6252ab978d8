"""Quality objectives (Księga Jakości §12, załącznik 2): the list, an objective with its
measurements and trend, setting and withdrawing objectives, entering measurements, and the
annual report on their achievement (page and PDF). Views are thin: reads go through
``reviews.selectors.objectives``, writes through ``reviews.services.objectives``."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.pdf import field_labels, pdf_response, render_pdf
from qms.web import form_step, paginate, service_data
from reviews.charts import trend_svg
from reviews.forms.objectives import (
    MeasurementEditForm,
    MeasurementForm,
    ObjectiveFilterForm,
    ObjectiveForm,
    ObjectiveWithdrawForm,
)
from reviews.models import QualityObjective
from reviews.selectors import objectives as selectors
from reviews.services import objectives as services


def _objective_url(objective: QualityObjective) -> str:
    return reverse("reviews:objective", args=[objective.pk])


# --- list -------------------------------------------------------------------------------------


@login_required
@require_GET
def objective_list(request: HttpRequest) -> HttpResponse:
    """Objectives the person may read, filtered by year (the current one unless another is
    chosen), unit, owner and derived status."""
    if not selectors.can_read_objectives(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    visible = selectors.objectives_visible(request.user)
    years = sorted({*selectors.objective_years(request.user), today.year}, reverse=True)
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    form = ObjectiveFilterForm(data, visible=visible, years=years)
    status = ""
    if form.is_valid():
        filters = form.cleaned_data
        objectives = visible
        if filters["year"]:
            objectives = objectives.filter(year=filters["year"])
        if filters["unit"]:
            objectives = objectives.filter(unit=filters["unit"])
        if filters["owner"]:
            objectives = objectives.filter(owner=filters["owner"])
        status = filters["status"]
    else:
        # An invalid filter matches nothing rather than silently showing more than was asked.
        objectives = visible.none()
    objectives = objectives.order_by("-year", "title", "pk")
    if status:
        # The status is derived, not a column: it is computed for the filtered objectives and
        # filtered here. A city hall sets a few dozen objectives a year, and the measurements
        # come in one prefetch, so this stays two queries however many there are.
        rows = [
            o for o in selectors.objectives_with_status(objectives, today) if o.status == status
        ]
        page, _query = paginate(request, rows)
    else:
        page, _query = paginate(request, objectives)
        page.object_list = selectors.objectives_with_status(page.object_list, today)
    # The links keep the year shown even when it was not in the query string (the default).
    query = data.copy()
    query.pop("page", None)
    report_year = form.cleaned_data.get("year") if form.is_valid() else None
    return render(
        request,
        "reviews/objectives/objective_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_set": selectors.can_set_objectives(request.user),
            "can_report": selectors.can_read_all_objectives(request.user),
            "report_year": report_year or today.year,
            "due": selectors.measurements_due(user=request.user, today=today),
        },
    )


# --- one objective ----------------------------------------------------------------------------


@login_required
@require_GET
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get(user=request.user, pk=pk)
    today = timezone.localdate()
    [objective] = selectors.objectives_with_status([objective], today)
    history = selectors.objective_history(objective=objective)
    can_enter = selectors.can_enter_measurements(request.user, objective) and objective.is_active
    due = selectors.due_period(objective, today)
    recorded = {m.period_start for m in objective.measurement_list}
    # The reason is kept in the history row of the withdrawal (the newest objective row with
    # a reason: nothing else gives one).
    reason = next((row["reason"] for row in history if row["reason"] and not row["subject"]), "")
    return render(
        request,
        "reviews/objectives/objective_detail.html",
        {
            "objective": objective,
            "chart": trend_svg(objective, objective.measurement_list),
            "history": history,
            "can_set": selectors.can_set_objectives(request.user) and objective.is_active,
            "can_enter": can_enter,
            "due_label": (
                selectors.period_label(objective.frequency, due[0])
                if objective.is_active and due and due[0] not in recorded
                else ""
            ),
            "due_start": due[0] if due else None,
            "withdrawal_reason": reason,
            "labels": field_labels(QualityObjective),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_set_objectives(request.user):
        raise PermissionDenied
    year = timezone.localdate().year
    return form_step(
        request,
        ObjectiveForm(
            request.POST or None, initial={"year": year, "deadline": datetime.date(year, 12, 31)}
        ),
        template="reviews/objectives/objective_form.html",
        run=lambda form: services.objective_create(by=request.user, **service_data(form)),
        done=_("The quality objective was added."),
        next_url=_objective_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get_for_edit(user=request.user, pk=pk)
    return form_step(
        request,
        ObjectiveForm(request.POST or None, instance=objective),
        template="reviews/objectives/objective_form.html",
        context={"objective": objective},
        run=lambda form: services.objective_update(
            objective=objective,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("Changes saved."),
        next_url=_objective_url(objective),
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get_for_edit(user=request.user, pk=pk)
    return form_step(
        request,
        ObjectiveWithdrawForm(request.POST or None, initial={"version": objective.version}),
        template="reviews/objectives/objective_withdraw.html",
        context={"objective": objective},
        run=lambda form: services.objective_withdraw(
            objective=objective,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        done=_("The objective was withdrawn. It stays on record with its measurements."),
        next_url=_objective_url(objective),
    )


# --- measurements -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A measurement for one period; ``?okres=YYYY-MM-DD`` preselects a period (the start
    page and reminders link to the period that is due)."""
    objective = selectors.objective_get_for_measurement(user=request.user, pk=pk)
    today = timezone.localdate()
    measurements = list(objective.measurements.select_related("entered_by"))
    recorded = {m.period_start for m in measurements}
    periods = selectors.begun_periods(objective, today)
    open_starts = [start.isoformat() for start, _end in periods if start not in recorded]
    wanted = request.GET.get("okres", "")
    initial = {"period_start": wanted if wanted in open_starts else next(iter(open_starts), "")}
    form = MeasurementForm(
        request.POST or None,
        initial=initial,
        objective=objective,
        periods=periods,
        recorded=recorded,
    )
    for measurement in measurements:
        measurement.label = selectors.period_label(objective.frequency, measurement.period_start)
        measurement.value_text = selectors.value_with_unit(
            measurement.value, objective.indicator_unit
        )
    return form_step(
        request,
        form,
        template="reviews/objectives/measurement_form.html",
        context={
            "objective": objective,
            "measurements": measurements,
            "target_text": selectors.target_display(objective),
            "nothing_open": not open_starts,
        },
        run=lambda form: services.measurement_enter(
            objective=objective,
            by=request.user,
            period_start=form.cleaned_data["period_start"],
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
        ),
        done=lambda measurement: (
            _("The measurement for %(period)s was recorded.")
            % {"period": selectors.period_label(objective.frequency, measurement.period_start)}
        ),
        next_url=_objective_url(objective),
    )


@login_required
@require_http_methods(["GET", "POST"])
def measurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = selectors.measurement_get_for_edit(user=request.user, pk=pk)
    objective = measurement.objective
    return form_step(
        request,
        MeasurementEditForm(request.POST or None, instance=measurement),
        template="reviews/objectives/measurement_edit.html",
        context={
            "objective": objective,
            "measurement": measurement,
            "period": selectors.period_label(objective.frequency, measurement.period_start),
            "target_text": selectors.target_display(objective),
        },
        run=lambda form: services.measurement_update(
            measurement=measurement,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
        ),
        done=_("Changes saved."),
        next_url=_objective_url(objective),
    )


# --- the annual report ------------------------------------------------------------------------


def _report_context(request: HttpRequest, year: int) -> dict:
    """Every objective of ``year`` with its status, latest value, trend and chart; withdrawn
    objectives separately with their reasons. The same for the page and the PDF, so the PDF
    never shows more than the page does. Query count does not depend on the number of
    objectives or measurements."""
    if not selectors.can_read_all_objectives(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    objectives = selectors.objectives_with_status(
        selectors.objectives_visible(request.user).filter(year=year).order_by("title", "pk"),
        today,
    )
    for objective in objectives:
        objective.chart = trend_svg(objective, objective.measurement_list)
    active = [o for o in objectives if o.is_active]
    withdrawn = [o for o in objectives if not o.is_active]
    reasons = selectors.withdrawal_reasons(withdrawn)
    for objective in withdrawn:
        objective.withdrawal_reason = reasons.get(objective.pk, "")
    counts = dict.fromkeys(selectors.ObjectiveStatus.values, 0)
    for objective in active:
        counts[objective.status] += 1
    title = _("Report on the achievement of quality objectives for %(year)s") % {"year": year}
    return {
        "year": year,
        "objectives": active,
        "withdrawn": withdrawn,
        "summary": [
            (value, selectors.status_label(value), counts[value])
            for value in selectors.ObjectiveStatus.values
        ],
        "today": today,
        "labels": field_labels(QualityObjective),
        "pdf_title": title,
        "pdf_identity": title,
    }


@login_required
@require_GET
def objectives_report(request: HttpRequest, year: int) -> HttpResponse:
    return render(
        request, "reviews/objectives/objectives_report.html", _report_context(request, year)
    )


@login_required
@require_GET
def objectives_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    context = _report_context(request, year)
    context["signatures"] = [
        (_("Prepared by: Quality management representative"), ""),
        (_("Accepted by: Mayor of the City"), ""),
    ]
    pdf = render_pdf("reviews/objectives/pdf/objectives_report.html", context, request=request)
    return pdf_response(pdf, f"{context['pdf_title']}.pdf")


urlpatterns = [
    path("cele/", objective_list, name="objectives"),
    path("cele/nowy/", objective_create, name="objective_create"),
    path("cele/<int:pk>/", objective_detail, name="objective"),
    path("cele/<int:pk>/edycja/", objective_edit, name="objective_edit"),
    path("cele/<int:pk>/wycofanie/", objective_withdraw, name="objective_withdraw"),
    path("cele/<int:pk>/pomiar/", measurement_add, name="measurement_add"),
    path("cele/pomiar/<int:pk>/", measurement_edit, name="measurement_edit"),
    path("cele/raport/<int:year>/", objectives_report, name="objectives_report"),
    path("cele/raport/<int:year>/pdf/", objectives_report_pdf, name="objectives_report_pdf"),
]
