"""Writes of nonconformity cards, one module per part (cards, actions). Every step is a guarded
service: it checks who acts and from which state, writes the change with its history in one
transaction, and refuses with a Polish ``ValidationError`` (wrong state or data) or
``PermissionDenied`` (wrong person)."""
