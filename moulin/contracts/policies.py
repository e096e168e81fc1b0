"""Who reads and writes the money side.

- Organisation managers and their finance officers read and write their organisation's contracts, funding,
  receipts and budgets; board members read their organisation's;
- commune officers read their commune's contracts (nothing else of the money side);
- network staff, administrators and the network's finance staff (a finance officer without an organisation)
  read and write all;
- the ministry officer reads no money record: only the network-level funding mix, through ``counted``.
"""

from django.db.models import Q

from moulin.access.policy import OrganisationOwnedPolicy, Policy
from moulin.access.roles import Role

#: the roles that handle an organisation's money (write), and those that read it
MONEY_WRITERS = frozenset({Role.ORG_MANAGER, Role.FINANCE_OFFICER})
MONEY_READERS = MONEY_WRITERS | {Role.BOARD_MEMBER}


def handles_network_money(scope) -> bool:
    """Administrators, network staff and the network's finance staff: every organisation's money."""
    return scope.is_admin or scope.has(Role.NETWORK_STAFF) or scope.network_finance


class MoneyPolicy(OrganisationOwnedPolicy):
    """Rows of an organisation's money (through ``organisation_path``)."""

    read_roles = MONEY_READERS
    write_roles = MONEY_WRITERS

    def rows(self, qs, scope):
        if scope.network_finance:
            return qs
        q = Q(pk__in=[])
        org_ids = scope.org_ids(*self.read_roles)
        if org_ids:
            q |= self.organisation_q(org_ids)
        if self.commune_path and scope.commune_ids:
            q |= Q(**{f"{self.commune_path}__in": scope.commune_ids})
        return qs.filter(q)

    def can_list(self, scope):
        if not scope.authenticated or scope.aggregate_only:
            return False
        return (
            scope.network_wide
            or scope.network_finance
            or bool(scope.org_ids(*self.read_roles))
            or bool(self.commune_path and scope.commune_ids)
        )

    def _staff_writes(self, scope) -> bool:
        return handles_network_money(scope)


class ContractPolicy(MoneyPolicy):
    """Contracts: the commune officer also reads the contracts made with their commune."""

    commune_path = "counterparty__commune"


class ContractDocumentPolicy(ContractPolicy):
    organisation_path = "contract__organisation"
    commune_path = "contract__counterparty__commune"


class FundingAgreementPolicy(MoneyPolicy):
    """Funding agreements: the organisation's money people and board; network money staff."""


class ReportingDatePolicy(MoneyPolicy):
    organisation_path = "agreement__organisation"


class ReceiptPolicy(MoneyPolicy):
    """Receipts: the organisation's money people and board; network money staff."""


class BudgetPolicy(MoneyPolicy):
    """Budgets (and closed years, ledger mappings and imports): the organisation's money people and board."""


class BudgetLinePolicy(MoneyPolicy):
    organisation_path = "budget__organisation"


class LedgerEntryPolicy(MoneyPolicy):
    organisation_path = "line__budget__organisation"


class MoneyDirectoryPolicy(Policy):
    """Shared directories of the money side (counterparties, funding sources): belong to no organisation; read by
    whoever reads some of the network's money, added by whoever writes some, changed by network money staff."""

    def rows(self, qs, scope):
        return qs if self.can_list(scope) else qs.none()

    def can_list(self, scope):
        if not scope.authenticated or scope.aggregate_only:
            return False
        return (
            scope.network_wide
            or scope.network_finance
            or bool(scope.org_ids(*MONEY_READERS))
            or bool(scope.commune_ids)
        )

    def can_change(self, scope, obj):
        return handles_network_money(scope)

    def can_delete(self, scope, obj):
        return scope.is_admin

    def can_add(self, scope, *, under=None):
        return handles_network_money(scope) or bool(scope.org_ids(*MONEY_WRITERS))


class CounterpartyPolicy(MoneyDirectoryPolicy):
    """Counterparties (communes, the ministry, other bodies)."""


class FundingSourcePolicy(MoneyDirectoryPolicy):
    """Funding sources."""
