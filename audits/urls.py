from django.urls import path

from audits.views import appointments, audits, calendar, coverage, findings, plans

app_name = "audits"

urlpatterns = [
    # auditor appointments
    path("auditorzy/", appointments.list_index, name="auditor_lists"),
    path("auditorzy/nowa/", appointments.list_create, name="auditor_list_create"),
    path("auditorzy/<int:pk>/", appointments.list_detail, name="auditor_list"),
    path("auditorzy/<int:pk>/kandydat/", appointments.candidate_add, name="candidate_add"),
    path("auditorzy/kandydat/<int:pk>/", appointments.candidate_edit, name="candidate_edit"),
    path(
        "auditorzy/<int:pk>/<str:action>/",
        appointments.list_transition,
        name="auditor_list_transition",
    ),
    # annual plans
    path("plany/", plans.plan_index, name="plans"),
    path("plany/nowy/", plans.plan_create, name="plan_create"),
    path("plany/<int:pk>/", plans.plan_detail, name="plan"),
    path("plany/<int:pk>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path("plany/<int:pk>/pozycja/", plans.entry_add, name="entry_add"),
    path("plany/pozycja/<int:pk>/", plans.entry_edit, name="entry_edit"),
    path("plany/pozycja/<int:pk>/usun/", plans.entry_remove, name="entry_remove"),
    path("plany/<int:pk>/audity/", plans.audits_create, name="audits_create"),
    # risk-based planning help (before the catch-all transition route below)
    path("pokrycie/", coverage.coverage, name="coverage"),
    path("plany/<int:pk>/wypelnij/", coverage.prefill, name="plan_prefill"),
    path("plany/<int:pk>/<str:action>/", plans.plan_transition, name="plan_transition"),
    # audits
    path("", audits.audit_list, name="list"),
    path("<int:pk>/", audits.audit_detail, name="detail"),
    path("<int:pk>/edycja/", audits.audit_edit, name="edit"),
    path("<int:pk>/raport.pdf", audits.audit_report_pdf, name="report_pdf"),
    path("<int:pk>/pytania/", findings.checklist_add, name="checklist_add"),
    path("<int:pk>/pytania/kopiuj/", findings.checklist_copy, name="checklist_copy"),
    path("pytania/<int:pk>/", findings.checklist_edit, name="checklist_edit"),
    path("<int:pk>/ustalenia/", findings.finding_add, name="finding_add"),
    path("ustalenia/<int:pk>/", findings.finding_edit, name="finding_edit"),
    path("ustalenia/<int:pk>/wycofanie/", findings.finding_withdraw, name="finding_withdraw"),
    path("<int:pk>/<str:action>/", audits.audit_transition, name="transition"),
    # calendar
    path("kalendarz/", calendar.calendar_page, name="calendar"),
    path("kalendarz/nowy-adres/", calendar.calendar_token_reset, name="calendar_reset"),
    path("kalendarz/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
