"""Template tags for documents rendered to PDF (qms.pdf)."""

import math

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def pdf_columns(context: template.Context, *widths: float) -> str:
    """``{% pdf_columns 20 10 70 %}``: the table's column widths in per cent, only in a PDF
    (``pdf`` in the context). Such a table is laid out with ``table-layout: fixed``: WeasyPrint
    then sizes its columns from these widths instead of measuring every cell's text twice
    (most of the minutes' rendering time), and a long word can no longer push the table past
    the page's edge. On a web page the browser sizes the columns, so nothing is written."""
    if not context.get("pdf"):
        return ""
    if not math.isclose(sum(widths), 100):
        raise template.TemplateSyntaxError(f"pdf_columns must add up to 100, not {sum(widths)}")
    columns = format_html_join("", '<col style="width: {}%">', ((width,) for width in widths))
    return format_html('<colgroup class="pdf-columns">{}</colgroup>', columns)
