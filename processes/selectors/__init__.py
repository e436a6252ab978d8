"""Reads of the process register, one module per part (register, documents, map, transfer,
dashboard). The role rules every part shares live here.

Every signed-in employee reads the register (Księga Jakości §10: "Pracownik" reads the register).
Koordynator WOU and the Pełnomocnik keep it; a process owner edits the description of their own
processes, through an object permission that ``processes.services.register`` grants and revokes.
"""

from processes.models import Process
from qms import roles
from qms.models import User

DESCRIPTION_PERM = "processes.change_process_description"


def process_can_manage(user: User) -> bool:
    """May keep the register: create, edit every field, withdraw, import."""
    return roles.signed_in(user) and user.has_role(*roles.REGISTER_KEEPERS)


def process_can_edit_description(user: User, process: Process) -> bool:
    """May edit the descriptive fields (purpose, inputs, outputs, documents) of ``process``."""
    if process_can_manage(user):
        return True
    return roles.signed_in(user) and process.is_active and user.has_perm(DESCRIPTION_PERM, process)
