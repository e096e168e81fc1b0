"""The money section of the dashboards: the funding mix (``moulin.contracts.mix.funding_mix``, the contracts app's
service: receipts of the year by their source, plus volunteer time in kind) and the invoices outstanding
(``moulin.billing``). The mix is yearly: for a quarter or a half it is the whole year's, and says so."""

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from moulin.reporting.figures import Figure

MIX_ARGUMENT = {"organisation": "organisation", "project": "project", "commune": "commune"}


def _mix_url(query) -> str:
    from moulin.contracts.capability import _mix

    if query.scope.aggregate_only and query.kind != "network":
        return ""
    if not _mix(query.scope):
        return ""
    return reverse("contracts:funding_mix") + f"?year={query.year}"


def money_figures(query):
    figures = [f for f in (mix_figure(query), invoices_outstanding(query)) if f is not None]
    return figures or None


def mix_figure(query):
    from moulin.contracts.mix import funding_mix

    if query.kind != "network" and query.kind not in MIX_ARGUMENT:
        return None  # a domain: receipts name no domain
    kwargs = {MIX_ARGUMENT[query.kind]: query.obj} if query.kind != "network" else {}
    mix = funding_mix(year=query.year, user=query.user, **kwargs)
    definition = _(
        "Money received in the year (receipts, cancelled ones left out) by the kind of its source, and "
        "volunteer time valued at the network's hourly rate (organisations and the network only)."
    )
    if not query.period.is_year:
        definition = gettext("%(definition)s The mix is counted by year: this is the whole of %(year)s.") % {
            "definition": definition,
            "year": query.year,
        }
    return Figure(
            key="funding_mix", label=_("Funding mix"), value=mix.total, unit="EUR", definition=definition,
            url=_mix_url(query), people=False, decimals=2,
            breakdown=[{"key": s.category, "label": s.label, "value": s.amount, "url": "", "share": s.share}
                       for s in mix.shares if s.amount],
        )  # fmt: skip


INVOICE_PATHS = {"organisation": "organisation", "commune": "commune"}


def invoices_outstanding(query):
    """Invoices issued by the period's last day and still open (issued, not fully paid or credited): their number
    and the amount due today, counted through the invoices' policy."""
    from django.db.models import Count, Sum

    from moulin.access.querysets import policy_for
    from moulin.billing.models import Invoice

    where = query.filter_for(INVOICE_PATHS)
    if where is None:
        return None
    rows = query.counted(Invoice).open().filter(where, issued_on__lte=query.end).with_balance()
    totals = rows.aggregate(n=Count("pk"), due=Sum("balance_due"))
    scope = query.scope
    url = "" if scope.aggregate_only or not policy_for(Invoice).can_list(scope) else reverse("billing:list")
    return Figure(
        key="invoices_outstanding", label=_("Invoices outstanding"), value=totals["due"] or 0, unit="EUR",
        definition=_("Invoices issued by the end of the period that are still open (not fully paid or credited): "
                     "the amount due today."),
        url=url, people=False, decimals=2, extra={"state": True, "count": totals["n"]},
    )  # fmt: skip
