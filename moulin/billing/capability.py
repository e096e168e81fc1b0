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


CAPABILITY = Capability(
    nav=(
        NavItem("money", _("Invoices"), "billing:list", "receipt", _reads_money),
        NavItem("money", _("Invoice batches"), "billing:batch_list", "collection", _prepares_batches),
        NavItem("money", _("Payments"), "billing:payment_list", "cash-stack", _reads_money),
        NavItem("money", _("Credit notes"), "billing:credit_note_list", "arrow-counterclockwise", _reads_money),
    ),
    searchable=(Searchable(_("Invoices"), "billing.Invoice", ("number", "buyer_name")),),
    demo_step="moulin.billing.demo.generate",
)
