"""Forms and list filters of the process register, one module per part (register, documents,
transfer)."""
