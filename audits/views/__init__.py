"""Views of the audit programme, one module per part: appointments, plans, audits (with the
checklist and findings), coverage, calendar, pdf. Each view is thin: a selector reads (and
checks who may), a service writes."""
