"""What one user may reach: computed once per request from their current roles."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from moulin.access.roles import AGGREGATE_ONLY_ROLES, NETWORK_ROLES, ORGANISATION_ROLES, Role


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    roles: frozenset[str] = frozenset()
    org_ids_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    commune_ids: frozenset[int] = frozenset()
    network_coach: bool = False
    #: a finance officer without an organisation: the network's finance staff (every organisation's money)
    network_finance: bool = False
    superuser: bool = False

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_admin(self) -> bool:
        return self.superuser or Role.NETWORK_ADMIN in self.roles

    @property
    def network_wide(self) -> bool:
        """Reads every record of the network (administrators and network staff)."""
        return self.is_admin or bool(self.roles & NETWORK_ROLES)

    @property
    def aggregate_only(self) -> bool:
        """Sees counts only, never a person's record."""
        return not self.network_wide and bool(self.roles) and self.roles <= AGGREGATE_ONLY_ROLES

    @property
    def reads_network_aggregates(self) -> bool:
        """Counts the whole network: network staff, the ministry officer and the network's finance staff."""
        return self.network_wide or Role.MINISTRY_OFFICER in self.roles or self.network_finance

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def org_ids(self, *roles: str) -> frozenset[int]:
        """Organisations reached through the given roles (all organisation roles when none named)."""
        roles = roles or tuple(ORGANISATION_ROLES)
        ids: set[int] = set()
        for role in roles:
            ids |= self.org_ids_by_role.get(role, frozenset())
        return frozenset(ids)

    @property
    def member_org_ids(self) -> frozenset[int]:
        return self.org_ids()

    @property
    def finance_org_ids(self) -> frozenset[int]:
        """Organisations whose money the user handles: those they manage and those they are finance staff of."""
        return self.org_ids(Role.ORG_MANAGER, Role.FINANCE_OFFICER)

    @property
    def managed_org_ids(self) -> frozenset[int]:
        return self.org_ids(Role.ORG_MANAGER)


ANONYMOUS = Scope()


def build_scope(user) -> Scope:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")  # noqa: N806  (no import: access is the bottom layer)

    roles: set[str] = set()
    by_role: dict[str, set[int]] = {}
    communes: set[int] = set()
    network_coach = network_finance = False
    rows = RoleAssignment.objects.filter(user=user).current().values_list("role", "organisation_id", "commune_id")
    for role, org_id, commune_id in rows:
        roles.add(role)
        if org_id:
            by_role.setdefault(role, set()).add(org_id)
        if commune_id:
            communes.add(commune_id)
        if role == Role.COACH and not org_id:
            network_coach = True
        if role == Role.FINANCE_OFFICER and not org_id:
            network_finance = True
    return Scope(
        user_id=user.pk,
        roles=frozenset(roles),
        org_ids_by_role={role: frozenset(ids) for role, ids in by_role.items()},
        commune_ids=frozenset(communes),
        network_coach=network_coach,
        network_finance=network_finance,
        superuser=user.is_superuser,
    )


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_moulin_scope", None)
    if cached is None:
        cached = build_scope(user)
        user._moulin_scope = cached
    return cached


def forget_scope(user) -> None:
    if hasattr(user, "_moulin_scope"):
        del user._moulin_scope
