"""The steps every page of every app takes, written once: a form posted to a service, a
register narrowed by its filters, a page of rows. Views stay thin by calling these."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from qms.forms import apply_service_error

T = TypeVar("T")


def form_step(
    request: HttpRequest,
    form: BaseForm,
    *,
    template: str,
    run: Callable[[BaseForm], T],
    done: str | Callable[[T], str],
    next_url: Callable[[T], Any] | str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show ``form``; when it is posted and valid, call ``run(form)`` (a service call).

    A ``ValidationError`` from the service goes back onto the form (a concurrent edit shows the
    other person's changes) and nothing is written; success says ``done`` and redirects to
    ``next_url`` — a URL or view name, or a function of what ``run`` returned. The permission
    check belongs to the caller, before the form is built.
    """
    context = {"form": form, **(context or {})}
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form)
        except ValidationError as error:
            apply_service_error(form, error, context)
        else:
            messages.success(request, done(result) if callable(done) else done)
            target = next_url(result) if callable(next_url) else next_url
            return target if isinstance(target, HttpResponse) else redirect(target)
    return render(request, template, context)


def service_data(form: BaseForm, *, exclude: tuple[str, ...] = ("version",)) -> dict[str, Any]:
    """A valid form's cleaned data as a service's keyword arguments (without the version)."""
    return {k: v for k, v in form.cleaned_data.items() if k not in exclude}


def filtered(
    request: HttpRequest, filterset_class: type, queryset: QuerySet
) -> tuple[Any, QuerySet]:
    """A register as the person may read it (``queryset``), narrowed by the filters in the query
    string. A filter value that is not valid matches nothing (the form shows why) rather than
    being ignored, so a list or an export never silently shows more than was asked for."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    if not filterset.is_bound:
        return filterset, queryset
    return filterset, filterset.qs if filterset.is_valid() else queryset.none()


def paginate(request: HttpRequest, rows: Any, *, per_page: int | None = None) -> tuple[Page, str]:
    """One page of ``rows`` (``?page=``) and the query string without the page, for the
    pagination links to keep the filters."""
    page = Paginator(rows, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
