from django.db.models import Q

from moulin.access.policy import Policy
from moulin.access.roles import Role

#: the roles that read the money audit trail of their organisations (board members among them)
MONEY_TRAIL_ROLES = (Role.ORG_MANAGER, Role.FINANCE_OFFICER, Role.BOARD_MEMBER)


class AuditEventPolicy(Policy):
    """The audit log is read by network administrators; its money trail (the changes to contracts, funding
    agreements, budgets and other money records, marked ``money`` by the services that write them) is also read
    by network staff and the network's finance staff (all of it) and by organisation managers, finance officers
    and board members (their organisations' part). Nobody edits it."""

    personal = True
    admin_reads_only = True

    def can_list(self, scope):
        return scope.is_admin or self._reads_money_trail(scope)

    def _reads_money_trail(self, scope) -> bool:
        return scope.has(Role.NETWORK_STAFF) or scope.network_finance or bool(scope.org_ids(*MONEY_TRAIL_ROLES))

    def rows(self, qs, scope):
        if scope.has(Role.NETWORK_STAFF) or scope.network_finance:
            return qs.filter(detail__money=True)
        org_ids = sorted(scope.org_ids(*MONEY_TRAIL_ROLES))
        if not org_ids:
            return qs.none()
        return qs.filter(Q(detail__money=True) & Q(detail__organisation__in=org_ids))

    def can_change(self, scope, obj):
        return False

    def can_add(self, scope, *, under=None):
        return False
