"""An audit's checklist and findings, kept by the auditors while the audit is open."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audits.forms.findings import ChecklistItemForm, FindingForm, WithdrawForm
from audits.models import Audit, ChecklistItem, Finding
from audits.selectors.audits import audit_get_for_edit
from audits.selectors.findings import finding_get_for_edit
from audits.services import findings as services
from qms.web import form_step, service_data


@login_required
@require_http_methods(["GET", "POST"])
def checklist_add(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_edit(user=request.user, pk=pk)
    return _save_checklist_item(request, audit, None)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ChecklistItem, pk=pk)
    audit = audit_get_for_edit(user=request.user, pk=item.audit_id)
    return _save_checklist_item(request, audit, item)


def _save_checklist_item(
    request: HttpRequest, audit: Audit, item: ChecklistItem | None
) -> HttpResponse:
    form = ChecklistItemForm(request.POST or None, instance=item)
    return form_step(
        request,
        form,
        template="audits/findings/checklist_form.html",
        context={"audit": audit, "item": item},
        run=lambda form: services.checklist_item_save(
            audit=audit,
            by=request.user,
            item=item,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        ),
        done=_("The question was saved."),
        next_url=lambda _item: redirect("audits:detail", pk=audit.pk),
    )


@login_required
@require_POST
def checklist_copy(request: HttpRequest, pk: int) -> HttpResponse:
    audit = audit_get_for_edit(user=request.user, pk=pk)
    try:
        count = services.checklist_copy_from_previous(audit=audit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s question was copied; answers are empty.",
                "%(count)s questions were copied; answers are empty.",
                count,
            )
            % {"count": count},
        )
    return redirect("audits:detail", pk=audit.pk)


def _save_finding(request: HttpRequest, audit: Audit, finding: Finding | None) -> HttpResponse:
    form = FindingForm(request.POST or None, instance=finding, audit=audit)

    def run(form: FindingForm) -> Finding:
        if finding is None:
            return services.finding_add(audit=audit, by=request.user, **service_data(form))
        return services.finding_update(
            finding=finding,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **service_data(form),
        )

    return form_step(
        request,
        form,
        template="audits/findings/finding_form.html",
        context={"audit": audit, "finding": finding},
        run=run,
        done=_("The finding was saved."),
        next_url=lambda _finding: redirect("audits:detail", pk=audit.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_finding(request, audit_get_for_edit(user=request.user, pk=pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_get_for_edit(user=request.user, pk=pk)
    audit = audit_get_for_edit(user=request.user, pk=finding.audit_id)
    return _save_finding(request, audit, finding)


@login_required
@require_http_methods(["GET", "POST"])
def finding_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_get_for_edit(user=request.user, pk=pk)
    form = WithdrawForm(request.POST or None, initial={"version": finding.version})
    return form_step(
        request,
        form,
        template="audits/findings/finding_withdraw.html",
        context={"finding": finding, "audit": finding.audit},
        run=lambda form: services.finding_withdraw(
            finding=finding,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        done=_("The finding was withdrawn."),
        next_url=lambda _finding: redirect("audits:detail", pk=finding.audit_id),
    )
