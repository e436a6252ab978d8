"""The process map (Księga Jakości załącznik 1), drawn as SVG from ``selectors.map``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from processes.selectors.map import build_map, map_processes


@login_required
@require_GET
def process_map(request: HttpRequest) -> HttpResponse:
    processes = map_processes(user=request.user)
    return render(
        request, "processes/map/map.html", {"map": build_map(processes), "processes": processes}
    )


urlpatterns = [
    path("mapa/", process_map, name="map"),
]
