from django.urls import path, re_path

from nonconformities.views import actions, cards, register

app_name = "nonconformities"

urlpatterns = [
    path("", register.card_list, name="list"),
    re_path(r"^eksport\.(?P<fmt>csv|xlsx)$", register.card_export, name="export"),
    path("moje-dzialania/", actions.my_actions, name="my_actions"),
    path("nowa/", cards.card_create, name="create"),
    path(
        "z-ustalenia/<int:finding_pk>/", cards.card_create_from_finding, name="create_from_finding"
    ),
    path("<int:pk>/", cards.card_detail, name="detail"),
    path("<int:pk>/karta.pdf", cards.card_pdf, name="pdf"),
    path("<int:pk>/edycja/", cards.card_edit, name="edit"),
    path("<int:pk>/analiza/", cards.card_analysis, name="analysis"),
    path("<int:pk>/dzialania/nowe/", actions.action_add, name="action_add"),
    path("<int:pk>/zaplanuj/", cards.card_plan, name="plan"),
    path("<int:pk>/weryfikacja/", cards.card_verify, name="verify"),
    path("<int:pk>/anulowanie/", cards.card_cancel, name="cancel"),
    path("dzialania/<int:pk>/", actions.action_edit, name="action_edit"),
    path("dzialania/<int:pk>/termin/", actions.action_extend, name="action_extend"),
    path("dzialania/<int:pk>/rozpocznij/", actions.action_start, name="action_start"),
    path("dzialania/<int:pk>/wykonane/", actions.action_complete, name="action_complete"),
    path("dowody/<int:pk>/", actions.evidence_download, name="evidence"),
]
