from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import Capability, NavItem, Searchable


def _reads(model_name):
    def show(scope) -> bool:
        from django.apps import apps

        from moulin.access.querysets import policy_for

        return policy_for(apps.get_model("contracts", model_name)).can_list(scope)

    return show


def _mix(scope) -> bool:
    from moulin.access.querysets import policy_for
    from moulin.contracts.models import Receipt

    return scope.reads_network_aggregates or scope.network_finance or policy_for(Receipt).can_list(scope)


def _money_trail(scope) -> bool:
    from moulin.access.querysets import policy_for
    from moulin.core.models import AuditEvent

    return not scope.is_admin and policy_for(AuditEvent).can_list(scope)


def commune_section(commune, user):
    """The commune page's contracts with the commune (those the user may read) and what was received under them."""
    from django.db.models import Q, Sum

    from moulin.contracts.models import Contract
    from moulin.core.pagination import shortlist

    contracts, total = shortlist(
        Contract.objects.visible_to(user)
        .filter(counterparty__commune=commune)
        .select_related("organisation")
        .annotate(received=Sum("receipts__amount", filter=Q(receipts__cancelled_on__isnull=True)))
        .order_by("-start", "-pk")
    )
    return {"template": "contracts/commune_section.html", "commune": commune, "contracts": contracts,
            "more": total - len(contracts)}  # fmt: skip


CAPABILITY = Capability(
    nav=(
        NavItem("money", _("Contracts"), "contracts:list", "file-earmark-text", _reads("Contract")),
        NavItem("money", _("Funding agreements"), "contracts:funding_list", "bank", _reads("FundingAgreement")),
        NavItem("money", _("Receipts"), "contracts:receipt_list", "cash-stack", _reads("Receipt")),
        NavItem("money", _("Budgets"), "contracts:budget_list", "clipboard-data", _reads("Budget")),
        NavItem("money", _("Funding mix"), "contracts:funding_mix", "pie-chart", _mix),
        NavItem("money", _("Counterparties"), "contracts:counterparty_list", "building", _reads("Counterparty")),
        NavItem("money", _("Funding sources"), "contracts:funding_source_list", "diagram-3", _reads("FundingSource")),
        NavItem("money", _("Money audit trail"), "core:audit_list", "journal-text", _money_trail),
    ),
    searchable=(Searchable(_("Contracts"), "contracts.Contract", ("title", "reference"), related=("counterparty",)),),
    commune_sections=(commune_section,),
    demo_step="moulin.contracts.demo.generate",
)
