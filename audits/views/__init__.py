"""Views of the audit programme, one module per part: appointments, plans, audits, findings
(the checklist and findings of an audit), coverage, calendar. Each view is thin: a selector
reads (and checks who may), a service writes."""
