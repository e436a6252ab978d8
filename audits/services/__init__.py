"""Writes of the audit programme, one module per part (appointments, plans, audits, findings,
coverage, calendar). Every state change is a guarded service: it checks who acts and from which
state, validates the appointment and impartiality rules, and records the acting user in
history, in one transaction. A refusal is a ``ValidationError`` (wrong state or data) or
``PermissionDenied`` (wrong person), with a Polish message."""
