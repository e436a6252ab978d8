"""The foundation's own pages: start page, health check, sign-in, language, notifications.
Mounted at the root by ``config.urls``."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from qms import views, views_notifications
from qms.auth_forms import LoginForm, PasswordChangeForm

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("deklaracja-dostepnosci/", views.accessibility_statement, name="accessibility"),
    path(
        "logowanie/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("wylogowanie/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "haslo/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path(
        "haslo/zmienione/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("jezyk/", set_language, name="set_language"),
    path("powiadomienia/", views_notifications.notification_list, name="notifications"),
    path(
        "powiadomienia/<int:pk>/przeczytane/",
        views_notifications.notification_mark_read,
        name="notification_read",
    ),
    path(
        "powiadomienia/przeczytane/",
        views_notifications.notifications_mark_all_read,
        name="notifications_read_all",
    ),
    path(
        "powiadomienia/ustawienia/",
        views_notifications.notification_settings,
        name="notification_settings",
    ),
    path(
        "powiadomienia/nieudane/",
        views_notifications.delivery_failures,
        name="delivery_failures",
    ),
    path(
        "powiadomienia/nieudane/<int:pk>/ponow/",
        views_notifications.delivery_retry,
        name="delivery_retry",
    ),
]
