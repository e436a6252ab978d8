"""Query pieces the apps share."""

from django.db.models import F, Func, IntegerField, QuerySet, Subquery


def count_of(queryset: QuerySet) -> Subquery:
    """How many rows ``queryset`` holds, as a scalar subquery (``SELECT COUNT(*) … WHERE …``).
    Correlated (with ``OuterRef``) it counts per row without grouping the outer query, so a
    page's rows are counted only for the rows read; uncorrelated, many such counts are read in
    one statement (``reviews.selectors.review.figures``)."""
    return Subquery(
        queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")[:1],
        output_field=IntegerField(),
    )
