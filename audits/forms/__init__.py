"""Forms of the audit programme, one module per part (appointments, plans, audits, findings,
coverage); ``common`` holds the workflow steps' forms every part uses (confirm, comment,
ordinance) and the shared widgets."""
