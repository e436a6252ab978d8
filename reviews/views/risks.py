"""The register of risks and opportunities: the filtered list, the 5 × 5 matrix, a risk with
its assessments and history, and the keepers' and owners' steps."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qms.history import history_rows
from qms.web import filtered, form_step, paginate, service_data
from reviews.forms.common import ReasonForm
from reviews.forms.risks import (
    RiskAssessForm,
    RiskEditForm,
    RiskFilter,
    RiskForm,
    RiskMatrixForm,
    RiskReopenForm,
)
from reviews.models import Risk
from reviews.selectors import risks as selectors
from reviews.services import risks as services


def _risk_url(risk: Risk) -> str:
    return reverse("reviews:risk", args=[risk.pk])


@login_required
@require_GET
def risk_list(request: HttpRequest) -> HttpResponse:
    filterset, risks = filtered(request, RiskFilter, selectors.risks_visible(user=request.user))
    risks = risks.order_by("-score_value", "-likelihood", "title", "id")
    page, query = paginate(request, risks)
    return render(
        request,
        "reviews/risks/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_keep": selectors.can_keep_risks(request.user),
            "reads_all": selectors.reads_all_risks(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def risk_matrix(request: HttpRequest) -> HttpResponse:
    form = RiskMatrixForm(request.GET or None)
    kind = (form.cleaned_data.get("kind") if form.is_valid() else "") or Risk.Kind.RISK
    risks = selectors.risks_visible(user=request.user).filter(status=Risk.Status.ACTIVE, kind=kind)
    rows = selectors.risk_matrix(risks)
    base = reverse("reviews:risks")
    for row in rows:
        for cell in row["cells"]:
            cell["url"] = (
                base
                + "?"
                + urlencode(
                    {
                        "kind": kind,
                        "status": Risk.Status.ACTIVE,
                        "likelihood": row["likelihood"],
                        "impact": cell["impact"],
                    }
                )
            )
    return render(
        request,
        "reviews/risks/matrix.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": Risk.Kind(kind).label,
            "rows": rows,
            "impacts": selectors.SCALE,
            "bands": selectors.BANDS,
            "total": sum(cell["count"] for row in rows for cell in row["cells"]),
        },
    )


@login_required
@require_GET
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    return render(
        request,
        "reviews/risks/detail.html",
        {
            "risk": risk,
            "band": selectors.band_for(risk.score),
            "assessments": list(risk.assessments.all()),
            "history": history_rows(risk),
            "can_keep": selectors.can_keep_risks(request.user),
            "can_assess": selectors.can_assess_risk(request.user, risk),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_keep_risks(request.user):
        raise PermissionDenied
    return form_step(
        request,
        RiskForm(request.POST or None),
        template="reviews/risks/form.html",
        context={"step": "create"},
        run=lambda form: services.risk_create(by=request.user, **form.cleaned_data),
        done=_("The entry was added to the register of risks."),
        next_url=_risk_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get_for_keeping(user=request.user, pk=pk)
    if risk.status != Risk.Status.ACTIVE:
        messages.info(request, _("A closed risk cannot be changed; reopen it first."))
        return redirect("reviews:risk", pk=risk.pk)
    return form_step(
        request,
        RiskEditForm(request.POST or None, instance=risk),
        template="reviews/risks/form.html",
        context={"risk": risk, "step": "edit"},
        run=lambda form: services.risk_update(
            risk=risk,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("Changes saved."),
        next_url=_risk_url(risk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_assess(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    if not selectors.can_assess_risk(request.user, risk):
        raise PermissionDenied
    # Start from the current assessment: most reviews confirm it or change one score.
    form = RiskAssessForm(
        request.POST or None,
        initial={
            "version": risk.version,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "controls": risk.controls,
        },
    )
    return form_step(
        request,
        form,
        template="reviews/risks/form.html",
        context={"risk": risk, "step": "assess"},
        run=lambda form: services.risk_assess(
            risk=risk,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("The assessment was recorded."),
        next_url=_risk_url(risk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_close(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get_for_keeping(user=request.user, pk=pk)
    return form_step(
        request,
        ReasonForm(request.POST or None, initial={"version": risk.version}),
        template="reviews/risks/form.html",
        context={"risk": risk, "step": "close"},
        run=lambda form: services.risk_close(
            risk=risk,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        done=_("The risk was closed. It stays in the register."),
        next_url=_risk_url(risk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get_for_keeping(user=request.user, pk=pk)
    return form_step(
        request,
        RiskReopenForm(request.POST or None, initial={"version": risk.version}),
        template="reviews/risks/form.html",
        context={"risk": risk, "step": "reopen"},
        run=lambda form: services.risk_reopen(
            risk=risk,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            next_review=form.cleaned_data["next_review"],
        ),
        done=_("The risk is active again."),
        next_url=_risk_url(risk),
    )


urlpatterns = [
    path("ryzyka/", risk_list, name="risks"),
    path("ryzyka/macierz/", risk_matrix, name="risk_matrix"),
    path("ryzyka/nowe/", risk_create, name="risk_create"),
    path("ryzyka/<int:pk>/", risk_detail, name="risk"),
    path("ryzyka/<int:pk>/edycja/", risk_edit, name="risk_edit"),
    path("ryzyka/<int:pk>/ocena/", risk_assess, name="risk_assess"),
    path("ryzyka/<int:pk>/zamkniecie/", risk_close, name="risk_close"),
    path("ryzyka/<int:pk>/przywrocenie/", risk_reopen, name="risk_reopen"),
]
