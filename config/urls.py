"""The project's root URLs: the foundation's pages at the root, each domain app under its prefix."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("qms.urls")),
    path("procesy/", include("processes.urls")),
    path("audity/", include("audits.urls")),
    path("niezgodnosci/", include("nonconformities.urls")),
    path("zarzadzanie/", include("reviews.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "qms.views.bad_request"
handler403 = "qms.views.permission_denied"
handler404 = "qms.views.page_not_found"
handler500 = "qms.views.server_error"
