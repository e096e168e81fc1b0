from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable


def _reads_money(scope) -> bool:
    from moulin.access.querysets import policy_for
    from moulin.billing.models import Invoice

    return policy_for(Invoice).can_list(scope)


def _prepares_batches(scope) -> bool:
    from moulin.access.querysets import policy_for
    from moulin.billing.models import Batch

    return policy_for(Batch).can_list(scope)


def commune_section(commune, user):
    """What was billed to the commune under its contracts: per contract, invoiced, credited, paid and open (the
    invoices the user may read; none for those who read no invoice)."""
    from django.db.models import Count, Sum

    from moulin.billing.models import Invoice
    from moulin.core.pagination import shortlist

    rows, total = shortlist(
        Invoice.objects.visible_to(user).numbered().filter(commune=commune).with_balance()
        .values("contract__title", "organisation__name")
        .annotate(n=Count("pk"), total=Sum("total"), credited=Sum("credited_sum"), paid=Sum("paid_sum"),
                  open=Sum("balance_due"))
        .order_by("organisation__name", "contract__title")
    )  # fmt: skip
    return {"template": "billing/commune_section.html", "commune": commune, "rows": rows, "more": total - len(rows)}


CAPABILITY = Capability(
    nav=(
        NavItem("money", _("Invoices"), "billing:list", "receipt", _reads_money),
        NavItem("money", _("Invoice batches"), "billing:batch_list", "collection", _prepares_batches),
        NavItem("money", _("Payments"), "billing:payment_list", "cash-stack", _reads_money),
        NavItem("money", _("Credit notes"), "billing:credit_note_list", "arrow-counterclockwise", _reads_money),
    ),
    searchable=(Searchable(_("Invoices"), "billing.Invoice", ("number", "buyer_name")),),
    commune_sections=(commune_section,),
    demo_step="moulin.billing.demo.generate",
)
