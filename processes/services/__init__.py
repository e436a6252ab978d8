"""Writes of the process register, one module per part (register, documents, transfer); each
service checks who acts and records history."""
