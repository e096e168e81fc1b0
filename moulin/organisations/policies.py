from django.db.models import Q

from moulin.access.policy import OrganisationOwnedPolicy, ReferencePolicy
from moulin.access.roles import Role


class OrganisationPolicy(OrganisationOwnedPolicy):
    """Organisations: the network office and ministry read all; members read their own; a commune
    officer reads the organisations that work in their commune (agreement, seat or premises). (The commune paths
    cross many-valued relations: filtered through subqueries rather than DISTINCT, so that counts grouped by a
    column count each organisation once.)"""

    organisation_path = "pk"

    def rows(self, qs, scope):
        from moulin.organisations.models import Agreement, Premises

        if scope.has(Role.MINISTRY_OFFICER):
            return qs
        q = Q(pk__in=scope.member_org_ids)
        if scope.commune_ids:
            ids = scope.commune_ids
            q |= Q(seat_commune__in=ids)
            q |= Q(pk__in=Agreement.objects.filter(commune__in=ids).values("organisation"))
            q |= Q(pk__in=Premises.objects.filter(commune__in=ids).values("organisation"))
        return qs.filter(q)

    def can_change(self, scope, obj):
        return scope.network_wide or obj.pk in scope.managed_org_ids

    def can_delete(self, scope, obj):
        return scope.is_admin

    def can_add(self, scope, *, under=None):
        return scope.is_admin


class DomainPolicy(ReferencePolicy):
    """Domains of activity are reference data: every signed-in user reads them."""


class PremisesPolicy(OrganisationOwnedPolicy):
    """Premises: read like their organisation, and by the officer of the commune they stand in."""

    commune_path = "commune"


class AgreementPolicy(OrganisationOwnedPolicy):
    """Agreements with communes: the commune officer reads those of their commune. Nobody writes them by hand:
    each is carried by a commune contract, whose services keep it current (decision 0008)."""

    commune_path = "commune"
    write_roles = frozenset()

    def can_change(self, scope, obj):
        return False

    def can_add(self, scope, *, under=None):
        return False


class BoardPolicy(OrganisationOwnedPolicy):
    """Board mandates, meetings and volunteer hours name people: the organisation's manager and board read
    them, the manager writes them; commune and ministry officers see only counts."""

    personal = True
    read_roles = frozenset({Role.ORG_MANAGER, Role.BOARD_MEMBER})
    counted_by_organisation = True
