"""The roles of Księga Jakości §10 that are Django groups.

Group names are data (created by a data migration) and stay Polish; the UI shows the translated
label. Auditor status (per year, from the appointment) and process ownership (per object) are not
groups: they come from the records themselves.
"""

from django.utils.translation import gettext_lazy as _

PREZYDENT = "Prezydent"
NAJWYZSZE_KIEROWNICTWO = "Najwyższe Kierownictwo"
PELNOMOCNIK = "Pełnomocnik ds. SZJ"
KOORDYNATOR_WOU = "Koordynator WOU"
ZESPOL_ROZWOJU = "Zespół ds. Rozwoju SZJ"

ROLE_LABELS = {
    PREZYDENT: _("Mayor (Prezydent Miasta)"),
    NAJWYZSZE_KIEROWNICTWO: _("Top management"),
    PELNOMOCNIK: _("Quality management representative"),
    KOORDYNATOR_WOU: _("Organisation Department coordinator (WOU)"),
    ZESPOL_ROZWOJU: _("QMS development team"),
}
ALL_ROLES = tuple(ROLE_LABELS)

# Who keeps the process register (Księga Jakości §10: WOU keeps it, the Pełnomocnik supervises).
REGISTER_KEEPERS = (KOORDYNATOR_WOU, PELNOMOCNIK)
# Who may read everything in the system.
OVERSEERS = (PREZYDENT, NAJWYZSZE_KIEROWNICTWO, PELNOMOCNIK)


def signed_in(user) -> bool:
    """An active, signed-in person: the first condition of every role check in every app."""
    return bool(user and user.is_authenticated and user.is_active)
