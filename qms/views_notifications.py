"""In-app notifications, a person's reminder settings, and the Pełnomocnik's list of reminders
that could not be e-mailed. Thin views over ``qms.reminders``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qms import reminders
from qms.forms import StyledForm
from qms.models import Delivery
from qms.web import form_step, paginate


class ReminderSettingsForm(StyledForm):
    daily_digest = forms.BooleanField(
        label=gettext_lazy("Send me one daily digest instead of a separate e-mail per reminder"),
        help_text=gettext_lazy(
            "The digest comes once a morning with everything due that day. Notifications in "
            "the application are shown either way."
        ),
        required=False,
    )


def _back(request: HttpRequest, default: str) -> str:
    """Where to return after a POST: the page it came from when that is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = reminders.notifications_for(user=request.user, unread_only=unread_only)
    page = paginate(request, rows)[0]
    return render(
        request,
        "qms/notifications.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread_only": unread_only,
            "query": "show=unread" if unread_only else "",
            "can_see_failures": reminders.can_see_deliveries(request.user),
        },
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's notification is simply not found: no hint that it exists.
    reminders.notifications_mark_read(user=request.user, pks=[pk])
    return redirect(_back(request, "notifications"))


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = reminders.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_back(request, "notifications"))


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = reminders.reminder_settings_for(request.user)
    # Not ``request.POST or None``: an unticked box sends nothing, and that is a choice too.
    data = request.POST if request.method == "POST" else None
    return form_step(
        request,
        ReminderSettingsForm(data, initial={"daily_digest": current.daily_digest}),
        template="qms/notifications_settings.html",
        run=lambda form: reminders.reminder_settings_update(
            user=request.user, daily_digest=form.cleaned_data["daily_digest"]
        ),
        done=_("Your reminder settings are saved."),
        next_url="notification_settings",
    )


@login_required
@require_GET
def delivery_failures(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, reminders.failed_deliveries(user=request.user))
    return render(
        request,
        "qms/notifications_failures.html",
        {"page": page, "deliveries": page.object_list, "query": query},
    )


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        reminders.delivery_retry(delivery=delivery, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The reminder to %(person)s will be sent again.") % {"person": delivery.recipient},
        )
    return redirect("delivery_failures")
