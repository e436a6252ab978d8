"""The foundation: people, units, roles, reminders, PDFs, spreadsheets, and the registries
the apps fill."""
