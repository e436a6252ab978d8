from django.urls import path, re_path

from processes import views

app_name = "processes"

urlpatterns = [
    path("", views.process_list, name="list"),
    path("nowy/", views.process_create, name="create"),
    path("mapa/", views.process_map, name="map"),
    path("import/", views.process_import, name="import"),
    re_path(r"^eksport\.(?P<fmt>csv|xlsx)$", views.process_export, name="export"),
    path("<int:pk>/", views.process_detail, name="detail"),
    path("<int:pk>/edycja/", views.process_edit, name="edit"),
    path("<int:pk>/opis/", views.process_describe, name="describe"),
    path("<int:pk>/wycofanie/", views.process_withdraw, name="withdraw"),
    path("<int:pk>/przywrocenie/", views.process_restore, name="restore"),
    path("<int:pk>/dokumenty/nowy/", views.document_add, name="document_add"),
    path("dokumenty/<int:pk>/edycja/", views.document_edit, name="document_edit"),
    path("dokumenty/<int:pk>/plik/", views.document_download, name="document_download"),
]
